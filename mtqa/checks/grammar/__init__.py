"""The grammar family: the French side checked by Grammalecte (GPL-3.0), in a worker process.

* ``worker``: the client of the worker script ``grammalecte_worker.py`` (run by Debian's python3);
* ``analysis``: what Grammalecte says about each segment (grammar errors, unknown words);
* ``calibration``: which of its rule types mtqa keeps, at what severity (data, measured);
* ``check``: the ``grammar.*`` findings. The untranslated check reads the unknown words.

``--grammar auto`` (default) uses Grammalecte when it can be started, ``on`` requires it (exit 2
without), ``off`` never starts it. This module holds what the pipeline and the checks share:
the per-process worker for the settings, the per-document analysis, the run's status.
"""

from __future__ import annotations

import sys

from mtqa.checks.grammar.analysis import SEGMENT_CAP, SegmentAnalysis, analyse, prefetch
from mtqa.checks.grammar.worker import GrammalecteWorker, GrammarUnavailable, get_worker
from mtqa.config import Settings
from mtqa.model import AlignedDocument, Document

_ANALYSIS_KEY = "grammar.analysis"


def grammar_worker(settings: Settings) -> GrammalecteWorker | None:
    """This process's worker, or None when the grammar family is off or (auto) unavailable."""
    if settings.grammar == "off":
        return None
    try:
        return get_worker(settings.grammar_python, settings.grammar_timeout)
    except GrammarUnavailable:
        if settings.grammar == "on":
            raise
        return None


def status(settings: Settings, warn: bool = True) -> str:
    """The run's grammar status for the report: Grammalecte's version, ``unavailable`` or ``off``.
    With ``auto`` and no Grammalecte, one line on stderr says what is missing; ``on`` raises
    GrammarUnavailable (exit 2)."""
    if settings.grammar == "off":
        return "off"
    try:
        return get_worker(settings.grammar_python, settings.grammar_timeout).version
    except GrammarUnavailable as e:
        if settings.grammar == "on":
            raise
        if warn:
            print(f"mtqa: warning: {e}; the grammar checks and untranslated-by-lexicon are skipped", file=sys.stderr)
        return "unavailable"


def prefetch_document(doc: Document, settings: Settings) -> None:
    """Send a segmented document's MT sentences to the worker now, to be checked while it aligns."""
    worker = grammar_worker(settings)
    if worker is not None:
        prefetch(worker, doc)


def document_analysis(adoc: AlignedDocument, settings: Settings, resources: dict) -> dict[int, SegmentAnalysis] | None:
    """{segment index: analysis} of a document (computed once, shared by the checks), or None without Grammalecte."""
    cached = resources.get(_ANALYSIS_KEY)
    if cached is not None and cached[0] is adoc:
        return cached[1]
    worker = grammar_worker(settings)
    if worker is None:
        return None
    result = analyse(worker, adoc)
    resources[_ANALYSIS_KEY] = (adoc, result)
    return result


def capped_segments(adocs: list[AlignedDocument]) -> list[list]:
    """[document id, segment index] of the segments checked only up to ``SEGMENT_CAP`` characters."""
    return [[a.id, s.index] for a in adocs for s in a.segments if len(s.mt) > SEGMENT_CAP]


__all__ = ["SEGMENT_CAP", "capped_segments", "document_analysis", "grammar_worker", "prefetch_document", "status"]
