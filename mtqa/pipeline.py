"""The pipeline: load → segment → align → score → check → report/gate.

``run_check`` is what ``mtqa check`` calls; every stage lives in its own module.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Callable

from mtqa import gate
from mtqa.align import align_document
from mtqa.checks import run_checks
from mtqa.config import Settings
from mtqa.embed import get_embedder
from mtqa.model import AlignedDocument, Document
from mtqa.mqm import mqm_summary, word_count
from mtqa.report.json_report import build_report, document_dict
from mtqa.scores import score_documents
from mtqa.segment import segment_document

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _noop(stage: str, done: int, total: int) -> None:
    return None


def align_documents(documents: list[Document], settings: Settings, progress: Progress = _noop) -> list[AlignedDocument]:
    embedder = get_embedder(settings.embedder)
    adocs = []
    for i, doc in enumerate(documents):
        segment_document(doc)
        adocs.append(align_document(doc, embedder))
        progress("align", i + 1, len(documents))
    return adocs


def settings_summary(settings: Settings) -> dict:
    d = asdict(settings)
    d.pop("gate")
    return d


def run_check(
    documents: list[Document],
    settings: Settings,
    inputs: dict | None = None,
    progress: Progress = _noop,
) -> dict:
    """Run every stage and return the JSON report (a dict that validates against the schema)."""
    embedder = get_embedder(settings.embedder)
    adocs = align_documents(documents, settings, progress)
    corpus_scores, doc_scores = score_documents(adocs, settings, embedder)
    progress("score", 1, 1)
    resources: dict = {}
    doc_dicts = []
    all_findings = []
    total_words = 0
    for i, adoc in enumerate(adocs):
        findings = run_checks(adoc, settings, embedder, doc_scores.get(adoc.id, {}), resources)
        words = sum(word_count(s.text) for s in adoc.doc.source.sentences)
        total_words += words
        all_findings.extend(findings)
        mqm = mqm_summary(findings, words, settings.mqm_weights)
        doc_dicts.append(document_dict(adoc, doc_scores.get(adoc.id, {}), findings, mqm, "pass"))
        progress("check", i + 1, len(adocs))
    gate_result = gate.evaluate(settings.gate, corpus_scores, doc_dicts)
    corpus_mqm = mqm_summary(all_findings, total_words, settings.mqm_weights)
    return build_report(
        doc_dicts,
        corpus_scores,
        corpus_mqm,
        gate_result,
        settings_summary(settings),
        inputs or {},
    )
