"""The pipeline: load → segment → align → score → check → report/gate.

``run_pipeline`` is what ``mtqa check`` calls; every stage lives in its own module.

Batches of several documents run their per-document stages in worker processes
(``mtqa.pipeline.parallel``).
"""

from __future__ import annotations

import time
from dataclasses import asdict

from mtqa.checks.engine import list_rules, run_checks
from mtqa.config import Settings
from mtqa.embed import get_embedder
from mtqa.errors import InputError
from mtqa.model import AlignedDocument, Document
from mtqa.pipeline.parallel import effective_jobs, run_parallel
from mtqa.pipeline.progress import Progress, noop_progress
from mtqa.pipeline.stages import align_documents
from mtqa.quality import gate
from mtqa.quality.mqm import mqm_summary, word_count
from mtqa.report.build import build_report, document_dict
from mtqa.report.types import Report
from mtqa.scores.run import score_documents


def settings_summary(settings: Settings) -> dict:
    d = asdict(settings)
    d.pop("gate")
    return d


def mt_columns(adoc: AlignedDocument) -> list[int | None]:
    """1-based column of each segment's first MT character in the MT file (plain-text inputs only)."""
    doc = adoc.doc
    if doc.origin is not None:  # JSONL/XLIFF/TMX: the side text is not the file's text
        return [None] * len(adoc.segments)
    text = doc.mt.text
    return [None if s.mt_offset is None else s.mt_offset - (text.rfind("\n", 0, s.mt_offset) + 1) + 1
            for s in adoc.segments]


def run_pipeline(
    documents: list[Document],
    settings: Settings,
    inputs: dict | None = None,
    progress: Progress = noop_progress,
) -> Report:
    """Run every stage and return the JSON report (a dict that validates against the schema)."""
    started = time.perf_counter()
    ids = [d.id for d in documents]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise InputError(f"two documents have the id {dup!r}; document ids must be unique")
    baseline = gate.load_baseline(settings.gate.baseline) if settings.gate.baseline else None  # fail early
    embedder = get_embedder(settings.embedder)
    before = embedder.encoded
    jobs = effective_jobs(documents, settings.jobs)
    worker_findings = None
    stats: dict | None = None
    worker_encoded = 0
    if jobs > 1:
        uses_comet = bool(settings.comet_model) or "comet" in settings.metrics
        adocs, worker_findings, stats, worker_encoded = run_parallel(documents, settings, jobs, not uses_comet, progress)
    else:
        adocs = align_documents(documents, settings, progress)
    corpus_scores, doc_scores = score_documents(adocs, settings, embedder, stats_cache=stats)
    progress("score", 1, 1)
    resources: dict = {}
    doc_dicts = []
    all_findings = []
    total_words = 0
    for i, adoc in enumerate(adocs):
        if worker_findings is not None:
            findings = worker_findings[i]
        else:
            findings = run_checks(adoc, settings, embedder, doc_scores.get(adoc.id, {}), resources)
        words = sum(word_count(s.text) for s in adoc.doc.source.sentences)
        total_words += words
        all_findings.extend(findings)
        mqm = mqm_summary(findings, words, settings.mqm_weights)
        d = document_dict(adoc, doc_scores.get(adoc.id, {}), findings, mqm, "pass")
        for seg, col in zip(d["segments"], mt_columns(adoc)):
            seg["mt_column"] = col
        doc_dicts.append(d)
        progress("check", i + 1, len(adocs))
    gate_result = gate.evaluate(settings.gate, corpus_scores, doc_dicts, settings.mqm_weights, baseline)
    corpus_mqm = mqm_summary(all_findings, total_words, settings.mqm_weights)
    report = build_report(
        doc_dicts,
        corpus_scores,
        corpus_mqm,
        gate_result,
        settings_summary(settings),
        inputs or {},
        rules=list_rules(settings),
    )
    report["run"] = {
        "jobs": jobs,
        "documents": len(documents),
        "embedded_texts": worker_encoded + embedder.encoded - before,
        "embedded_in_workers": worker_encoded,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return report
