"""The pipeline: load → segment → align → score → check → report/gate.

``run_pipeline`` is what ``mtqa check`` calls. It runs named steps — check the document ids,
run the per-document stages (``run_stages``), score, check and build the document dicts
(``check_documents``), gate, build the report, record the run facts — and every stage itself
lives in its own package.

Batches of several documents run their per-document stages in worker processes
(``mtqa.pipeline.parallel``), or on a Dask cluster with ``--dask`` (``mtqa.pipeline.cluster``).
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass

from mtqa import limits, warmup
from mtqa.checks import grammar
from mtqa.checks.engine import list_rules, run_checks
from mtqa.config import Settings
from mtqa.embed import Embedder, get_embedder
from mtqa.errors import InputError
from mtqa.model import AlignedDocument, Document, Finding, Score
from mtqa.pipeline import ahead
from mtqa.pipeline.parallel import effective_jobs, run_parallel
from mtqa.pipeline.progress import Progress, noop_progress
from mtqa.pipeline.stages import align_documents
from mtqa.quality import gate
from mtqa.quality.mqm import mqm_summary, word_count
from mtqa.quality.waivers import WaiverSet, apply, load_waivers, mark
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
    check_unique_ids(documents)
    skipped = skip_long_segments(documents)
    baseline = gate.load_baseline(settings.gate.baseline) if settings.gate.baseline else None  # fail early
    if not settings.dask and (len(documents) == 1 or settings.jobs == 1):
        warmup.rule_data(settings)  # the checks' data is built while Grammalecte loads
    grammar_status = grammar.status(settings)  # --grammar on without Grammalecte: exit 2 before any work
    warmup.end_of_startup()  # the rule data is built: the collector resumes (paused by the console entry)
    rules = list_rules(settings)
    waivers = load_waivers(settings.waivers, [r["id"] for r in rules]) if settings.waivers else None
    embedder = get_embedder(settings.embedder)
    before = embedder.encoded
    stages = run_stages(documents, settings, progress)
    aside = ahead.embed_reference(stages.adocs, settings, embedder, stages.jobs)  # meanwhile, in a side process
    try:
        corpus_scores, doc_scores = score_documents(stages.adocs, settings, embedder, stats_cache=stages.stats)
        progress("score", 1, 1)
        findings = find_all(stages, settings, embedder, doc_scores, progress)
        score_after_checks(stages, settings, embedder, findings, corpus_scores, doc_scores)
    finally:
        aside.close(embedder)
    stages.encoded += aside.embedded
    checked = check_documents(stages, settings, doc_scores, findings, waivers)
    gate_result = gate.evaluate(settings.gate, corpus_scores, checked.documents, settings.mqm_weights, baseline)
    corpus_mqm = mqm_summary(checked.findings, checked.words, settings.mqm_weights)
    report = build_report(
        checked.documents,
        corpus_scores,
        corpus_mqm,
        gate_result,
        settings_summary(settings),
        inputs or {},
        rules=rules,
    )
    if waivers is not None:
        report["waivers"] = waivers.block()
        report["summary"]["waived"] = report["waivers"]["waived_findings"]
    report["run"] = run_facts(stages, len(documents), embedder.encoded - before, started)
    report["run"]["grammar"] = grammar_facts(grammar_status, stages.adocs)
    report["run"]["skipped_segments"] = skipped
    report["tool"]["grammar"] = grammar_status
    return report


def grammar_facts(status: str, adocs: list[AlignedDocument]) -> dict:
    """The report's ``run.grammar``: Grammalecte's version (or ``unavailable``/``off``) and the segments
    checked only up to the cap; a capped run says so on stderr too."""
    capped = grammar.capped_segments(adocs) if status not in ("off", "unavailable") else []
    if capped:
        print(f"mtqa: warning: grammar: {len(capped)} segment(s) longer than {grammar.SEGMENT_CAP:,} characters "
              "were checked by Grammalecte only up to that length (report: run.grammar.capped_segments)", file=sys.stderr)
    return {"status": status, "cap_chars": grammar.SEGMENT_CAP, "capped_segments": capped}


def skip_long_segments(documents: list[Document]) -> list[dict]:
    """Units over ``max_segment_chars`` are left out of the checks (``limits.skip_long_units``);
    the report lists them in ``run.skipped_segments`` and stderr says how many, and where."""
    skipped = limits.skip_long_units(documents)
    if skipped:
        where = ", ".join(f"{s['document']} {s['side']} line {s['line']}" for s in skipped[:5])
        more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        print(f"mtqa: warning: {len(skipped)} segment(s) skipped, longer than {limits.LIMITS['max_segment_chars']:,} "
              f"characters (limit max_segment_chars): {where}{more} (report: run.skipped_segments)", file=sys.stderr)
    return skipped


def check_unique_ids(documents: list[Document]) -> None:
    """Refuse a batch in which two documents share an id (their findings could not be told apart)."""
    ids = [d.id for d in documents]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise InputError(f"two documents have the id {dup!r}; document ids must be unique")


@dataclass
class StageRun:
    """The per-document stages' results: aligned documents and, from worker processes, the
    findings, sacrebleu statistics and embedding count they send back."""

    jobs: int
    adocs: list[AlignedDocument]
    findings: list[list[Finding]] | None = None  # per document, when the workers ran the checks
    stats: dict | None = None  # sacrebleu statistics extracted by the workers
    encoded: int = 0  # texts embedded in the workers
    cluster: dict | None = None  # --dask: scheduler, workers, tasks


def run_stages(documents: list[Document], settings: Settings, progress: Progress) -> StageRun:
    """Segment and align (and, in workers, score and check) every document: in worker processes
    when the batch is worth it (``effective_jobs``), else here. COMET keeps the checks here."""
    uses_comet = bool(settings.comet_model) or "comet" in settings.metrics
    if settings.dask:  # every batch, even of one document: the user asked for the cluster
        from mtqa.pipeline.cluster import run_on_cluster

        c = run_on_cluster(documents, settings, not uses_comet, progress)
        return StageRun(c.workers, c.adocs, c.findings, c.stats, c.encoded, cluster=c.facts)
    jobs = effective_jobs(documents, settings.jobs)
    if jobs <= 1:
        return StageRun(jobs, align_documents(documents, settings, progress))
    adocs, findings, stats, encoded = run_parallel(documents, settings, jobs, not uses_comet, progress)
    return StageRun(jobs, adocs, findings, stats, encoded)


@dataclass
class Checked:
    """The check step's output: the report's document dicts, every finding, the source word count."""

    documents: list[dict]
    findings: list[Finding]
    words: int


def find_all(stages: StageRun, settings: Settings, embedder: Embedder,
             doc_scores: dict[str, dict[str, Score]], progress: Progress) -> list[list[Finding]]:
    """Each document's findings: from the workers, or the checks run here."""
    if stages.findings is not None:
        progress("check", len(stages.adocs), len(stages.adocs))
        return stages.findings
    resources: dict = {}
    out = []
    for i, adoc in enumerate(stages.adocs):
        out.append(run_checks(adoc, settings, embedder, doc_scores.get(adoc.id, {}), resources))
        progress("check", i + 1, len(stages.adocs))
    return out


def score_after_checks(stages: StageRun, settings: Settings, embedder: Embedder, findings: list[list[Finding]],
                       corpus_scores: dict[str, Score], doc_scores: dict[str, dict[str, Score]]) -> None:
    """The scores that read the findings (``Scorer.after_checks``: rank-qe), added to the others."""
    by_doc = {a.id: f for a, f in zip(stages.adocs, findings)}
    corpus, per_doc = score_documents(stages.adocs, settings, embedder, stats_cache=stages.stats, findings=by_doc)
    corpus_scores.update(corpus)
    for doc_id, scores in per_doc.items():
        doc_scores.setdefault(doc_id, {}).update(scores)


def check_documents(stages: StageRun, settings: Settings, doc_scores: dict[str, dict[str, Score]],
                    all_findings: list[list[Finding]], waivers: WaiverSet | None = None) -> Checked:
    """Each document's waivers applied (a waived finding stays in the report, marked, and counts in
    neither MQM nor the gate), MQM summary and report dict."""
    out = Checked([], [], 0)
    for adoc, findings in zip(stages.adocs, all_findings):
        scores = doc_scores.get(adoc.id, {})
        words = sum(word_count(s.text) for s in adoc.doc.source.sentences)
        out.words += words
        marks = apply(waivers, adoc.id, findings)
        counted = [f for f, w in zip(findings, marks) if w is None]
        out.findings.extend(counted)
        mqm = mqm_summary(counted, words, settings.mqm_weights)
        d = document_dict(adoc, scores, findings, mqm, "pass")
        for fd, w in zip(d["findings"], marks):
            if w is not None:
                mark(fd, w)
        for seg, col in zip(d["segments"], mt_columns(adoc)):
            seg["mt_column"] = col
        out.documents.append(d)
    return out


def run_facts(stages: StageRun, documents: int, encoded_here: int, started: float) -> dict:
    """The report's ``run`` block: workers, documents, texts embedded (here and in workers), time."""
    facts: dict = {
        "jobs": stages.jobs,
        "documents": documents,
        "embedded_texts": stages.encoded + encoded_here,
        "embedded_in_workers": stages.encoded,
        "seconds": round(time.perf_counter() - started, 2),
    }
    if stages.cluster is not None:
        facts["dask"] = stages.cluster
    return facts
