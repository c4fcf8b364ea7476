"""Worker processes for batches.

Parallel runs. With several documents and more than one job (``--jobs``; by default one per CPU
core once a batch is big enough to pay for the workers' start-up), worker processes take groups
of documents and run everything that is per document: segmenting, aligning, embedding, sacrebleu's
per-segment statistics, document scores and the checks. They send back the aligned documents,
their findings, the vectors they embedded and the statistics they extracted. The main process
primes its embedder and statistics caches with those, computes the corpus scores (with the caches
primed this only aggregates: the numbers are exactly those of a one-process run) and builds the
report. COMET, when asked for, runs in the main process (one model in memory, not one per
worker), and the checks then run there too, since one check reads COMET's error spans.

Source embeddings are shared: documents with the same source text (several vendors' MT of one
source) go to the same task when there are enough groups to keep every worker busy; otherwise
they are spread out, and each worker process embeds a shared source once (its cache lives as long
as the process).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

import numpy as np

from mtqa.align import align_document
from mtqa.checks.engine import run_checks
from mtqa.checks.grammar import prefetch_document
from mtqa.config import Settings
from mtqa.embed import get_embedder
from mtqa.model import AlignedDocument, Document, Finding
from mtqa.pipeline.progress import Progress, noop_progress
from mtqa.scores.run import score_documents
from mtqa.text.segment import segment_document

TASKS_PER_JOB = 4  # more, smaller tasks than workers: a smoother progress bar and load balance
# Auto jobs: a worker costs ~3 s to start (imports, model load); below this much source text a
# batch is faster in one process.
PARALLEL_MIN_SOURCE_CHARS = 60_000


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def effective_jobs(documents: list[Document], jobs: int) -> int:
    """Worker processes to use: ``jobs`` if given (> 0); for 0 (auto), one per CPU core when the
    batch has several documents and enough text; 1 (this process only) otherwise."""
    if len(documents) < 2:
        return 1
    if jobs > 0:
        return jobs
    size = sum(len(d.source.text) for d in documents)
    return cpu_count() if size >= PARALLEL_MIN_SOURCE_CHARS else 1


@dataclass
class TaskResult:
    """What a worker sends back for one group of documents."""

    adocs: list[AlignedDocument]
    findings: list[list[Finding]] | None  # per document; None when the checks run in the main process
    vectors: dict[str, np.ndarray]
    stats: dict = field(default_factory=dict)
    encoded: int = 0


WORKER_RESOURCES: dict = {}  # the checks' per-process caches (compiled rule data), kept between tasks


def document_task(documents: list[Document], settings: Settings, with_checks: bool, has_ref: bool) -> TaskResult:
    """Worker: everything that is per document, for a group of documents."""
    embedder = get_embedder(settings.embedder)
    before = embedder.encoded
    mark = embedder.cached
    adocs = []
    for doc in documents:
        segment_document(doc)
        if with_checks:
            prefetch_document(doc, settings)  # this process's Grammalecte worker checks while it aligns
        adocs.append(align_document(doc, embedder))
    stats: dict = {}
    no_comet = replace(settings, metrics=[m for m in settings.metrics if m != "comet"], comet_model=None)
    _, doc_scores = score_documents(adocs, no_comet, embedder, stats_cache=stats, has_ref=has_ref)
    findings = None
    if with_checks:
        findings = [run_checks(a, settings, embedder, doc_scores.get(a.id, {}), WORKER_RESOURCES) for a in adocs]
    return TaskResult(adocs, findings, embedder.vectors_since(mark), stats, embedder.encoded - before)


def _size(d: Document) -> int:
    return len(d.source.text) + len(d.mt.text)


def schedule(documents: list[Document], jobs: int, tasks: int = 0) -> list[list[int]]:
    """Document indexes per task, balanced by size (longest first, each to the lightest task);
    ``jobs * TASKS_PER_JOB`` tasks unless ``tasks`` is given. Documents sharing a source stay
    together when there are at least as many such groups as workers; otherwise (13 systems' MT of
    one source) they are spread out, and each worker embeds the shared source once."""
    groups: dict[str, list[int]] = {}
    for i, d in enumerate(documents):
        groups.setdefault(d.source.text, []).append(i)
    units = list(groups.values()) if len(groups) >= jobs else [[i] for i in range(len(documents))]
    n = max(1, min(len(units), tasks or jobs * TASKS_PER_JOB))
    units.sort(key=lambda g: -sum(_size(documents[i]) for i in g))
    bins: list[list[int]] = [[] for _ in range(n)]
    load = [0] * n
    for g in units:
        k = load.index(min(load))
        bins[k].extend(g)
        load[k] += sum(_size(documents[i]) for i in g)
    return [sorted(b) for b in bins if b]


class Collector:
    """The main process's side of a parallel run (the local pool's and the Dask cluster's): prime
    this process's embedder with the vectors a task sends back, merge its statistics, and put its
    documents and findings in batch order."""

    def __init__(self, documents: list[Document], settings: Settings, with_checks: bool) -> None:
        self.adocs: list = [None] * len(documents)
        self.findings: list = [None] * len(documents)
        self.with_checks = with_checks
        self.embedder = get_embedder(settings.embedder)
        self.stats: dict = {}
        self.encoded = 0
        self.done = 0  # documents back

    def add(self, r: TaskResult, indexes: list[int]) -> None:
        self.embedder.add_vectors(r.vectors)
        for key, table in r.stats.items():
            self.stats.setdefault(key, {}).update(table)
        self.encoded += r.encoded
        for k, i in enumerate(indexes):
            self.adocs[i] = r.adocs[k]
            self.findings[i] = r.findings[k] if r.findings is not None else None
        self.done += len(r.adocs)

    def outcome(self) -> tuple[list[AlignedDocument], list[list[Finding]] | None, dict, int]:
        return self.adocs, self.findings if self.with_checks else None, self.stats, self.encoded


def run_parallel(documents: list[Document], settings: Settings, jobs: int, with_checks: bool,
                 progress: Progress = noop_progress) -> tuple[list[AlignedDocument], list[list[Finding]] | None, dict, int]:
    """Run ``document_task`` over a process pool; prime this process's caches with the results.
    Returns (aligned documents, findings per document or None, sacrebleu statistics, texts embedded)."""
    # imported here: a one-story check never starts a pool (concurrent.futures.process and
    # multiprocessing cost its start-up about 7 ms)
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from multiprocessing import get_context

    tasks = schedule(documents, jobs)
    out = Collector(documents, settings, with_checks)
    has_ref = all(d.ref is not None for d in documents)  # as the main process will decide
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(document_task, [documents[i] for i in idx], settings, with_checks, has_ref): idx
                   for idx in tasks}
        for fut in as_completed(futures):
            out.add(fut.result(), futures[fut])
            progress("align", out.done, len(documents))
    return out.outcome()
