"""The pipeline: load → segment → align → score → check → report/gate.

``run_check`` is what ``mtqa check`` calls; every stage lives in its own module.

With ``settings.jobs > 1`` and several documents, the expensive part — segmenting, aligning and
embedding — runs in worker processes (each creates its own embedder): a worker aligns and scores
its group of documents. Documents that share a source text (several vendors translating one
source) are scheduled in the same task, so their source sentences are embedded once. The workers
send back the aligned documents and the vectors they computed; the main process primes its
embedder cache with them, then scores the corpus (corpus scores need every document; with the
cache primed this costs no embedding) and runs the checks (lexical; they never re-embed).
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, replace
from multiprocessing import get_context
from typing import Callable

import numpy as np

from mtqa import gate
from mtqa.align import align_document
from mtqa.checks import run_checks
from mtqa.config import Settings
from mtqa.embed import Embedder, get_embedder
from mtqa.errors import InputError
from mtqa.model import AlignedDocument, Document
from mtqa.mqm import mqm_summary, word_count
from mtqa.report.json_report import build_report, document_dict
from mtqa.scores import score_documents
from mtqa.segment import segment_document

Progress = Callable[[str, int, int], None]  # (stage, done, total)
TASKS_PER_JOB = 4  # more, smaller tasks than workers: a smoother progress bar and load balance


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


def _align_task(documents: list[Document], settings: Settings) -> tuple[list[AlignedDocument], dict[str, np.ndarray], int]:
    """Worker: align a group of documents and score it, so that the embedder (one per process) embeds
    exactly the texts the aligner and the scorers need; send back the documents and those vectors.
    COMET is left to the main process (one model in memory, not one per worker)."""
    embedder = get_embedder(settings.embedder)
    before = embedder.encoded
    known = set(embedder._cache)
    adocs = []
    for doc in documents:
        segment_document(doc)
        adocs.append(align_document(doc, embedder))
    score_documents(adocs, replace(settings, metrics=[m for m in settings.metrics if m != "comet"]), embedder)
    vectors = {t: v for t, v in embedder._cache.items() if t not in known}
    for adoc in adocs:  # scored here only to embed; the main process scores the whole corpus
        for seg in adoc.segments:
            seg.scores.clear()
    return adocs, vectors, embedder.encoded - before


def schedule(documents: list[Document], jobs: int) -> list[list[int]]:
    """Document indexes per task: documents sharing a source stay together; tasks balanced by size."""
    groups: dict[str, list[int]] = {}
    for i, d in enumerate(documents):
        groups.setdefault(d.source.text, []).append(i)
    sized = sorted(groups.values(), key=lambda g: -sum(len(documents[i].source.text) + len(documents[i].mt.text) for i in g))
    n = max(1, min(len(sized), jobs * TASKS_PER_JOB))
    bins: list[list[int]] = [[] for _ in range(n)]
    load = [0] * n
    for g in sized:  # longest-processing-time-first: each group to the lightest task
        k = load.index(min(load))
        bins[k].extend(g)
        load[k] += sum(len(documents[i].source.text) + len(documents[i].mt.text) for i in g)
    return [sorted(b) for b in bins if b]


def prime_cache(embedder: Embedder, vectors: dict[str, np.ndarray]) -> None:
    """Give the main process's embedder the vectors the workers computed (same model, same texts)."""
    # Embedder has no public bulk-insert; its cache is a plain dict keyed by text.
    embedder._cache.update(vectors)


def align_parallel(documents: list[Document], settings: Settings, progress: Progress = _noop) -> tuple[list[AlignedDocument], int]:
    tasks = schedule(documents, settings.jobs)
    out: list[AlignedDocument | None] = [None] * len(documents)
    embedder = get_embedder(settings.embedder)
    encoded = 0
    done = 0
    with ProcessPoolExecutor(max_workers=min(settings.jobs, len(tasks)), mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(_align_task, [documents[i] for i in idx], settings): idx for idx in tasks}
        for fut in as_completed(futures):
            adocs, vectors, n = fut.result()
            prime_cache(embedder, vectors)
            encoded += n
            for i, adoc in zip(futures[fut], adocs):
                out[i] = adoc
            done += len(adocs)
            progress("align", done, len(documents))
    return [a for a in out if a is not None], encoded


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


def run_check(
    documents: list[Document],
    settings: Settings,
    inputs: dict | None = None,
    progress: Progress = _noop,
) -> dict:
    """Run every stage and return the JSON report (a dict that validates against the schema)."""
    started = time.perf_counter()
    ids = [d.id for d in documents]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise InputError(f"two documents have the id {dup!r}; document ids must be unique")
    baseline = gate.load_baseline(settings.gate.baseline) if settings.gate.baseline else None  # fail early
    embedder = get_embedder(settings.embedder)
    before = embedder.encoded
    jobs = max(1, settings.jobs)
    if jobs > 1 and len(documents) > 1:
        adocs, worker_encoded = align_parallel(documents, settings, progress)
    else:
        adocs, worker_encoded = align_documents(documents, settings, progress), 0
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
    )
    report["run"] = {
        "jobs": jobs,
        "documents": len(documents),
        "embedded_texts": worker_encoded + embedder.encoded - before,
        "embedded_in_workers": worker_encoded,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return report
