"""The one adapter to sacrebleu's statistics API, and the one statistics cache.

sacrebleu computes every metric (BLEU, chrF, TER) from per-segment *sufficient statistics*: a corpus
score aggregates the statistics of its segments, and its own significance tests resample them. mtqa
does the same, through three methods sacrebleu uses internally (its significance module calls them)
but does not document:

* ``Metric._extract_corpus_statistics(hyps, [refs])`` → one statistics row per segment;
* ``Metric._aggregate_and_compute(rows)`` → the score of those segments together;
* ``Metric._compute_score_from_stats(row)`` → the score of one segment (or of summed rows);

and it writes ``Metric.num_refs``, which sacrebleu sets while it pre-processes the references and
puts into the signature. This module is the only place in mtqa that does any of this, so a change
in sacrebleu breaks one file; ``tests/test_sacrebleu_contract.py`` runs it against the oldest and
the newest sacrebleu that ``pyproject.toml`` allows.

The cache: statistics by (hypothesis, reference), one table per score name (one run has one
configuration per score). ``ScoreContext.stats_cache`` is such a ``StatsCache``; worker processes
fill their own and hand it to the main process (``mtqa.pipeline.parallel``), and ``mtqa compare``
keeps one for all its systems, its corpus tests and its per-document tests.
"""

from __future__ import annotations

from typing import Any

STATS_CHUNK = 1000  # segments per sacrebleu extraction call (bounds its reference cache)

Pair = tuple[str, str]  # (hypothesis, reference)
StatsTable = dict[Pair, Any]  # (hypothesis, reference) → sacrebleu's statistics row
StatsCache = dict[str, StatsTable]  # score name → its table


def extract(metric: Any, hyps: list[str], refs: list[str]) -> list:
    """sacrebleu's statistics of every segment, extracted in chunks. sacrebleu first pre-processes
    every reference of one call and keeps them all (chrF's character n-grams take ~50 KB a segment:
    1.5 GB at 30k segments); per chunk the peak stays ~50 MB. Segments are independent, so the
    statistics are those of one call on everything."""
    out: list = []
    for i in range(0, len(hyps), STATS_CHUNK):
        out.extend(metric._extract_corpus_statistics(hyps[i : i + STATS_CHUNK], [refs[i : i + STATS_CHUNK]]))
    return out


def statistics(metric: Any, hyps: list[str], refs: list[str], table: StatsTable) -> list:
    """The statistics of every (hypothesis, reference) pair, each pair extracted once: those not
    in ``table`` yet are extracted and added to it. The same rows as one extraction call."""
    if not hyps:
        return []
    pairs = list(zip(hyps, refs))
    missing = list(dict.fromkeys(p for p in pairs if p not in table))
    if missing:
        add(table, missing, extract(metric, [h for h, _ in missing], [r for _, r in missing]))
    metric.num_refs = 1  # one reference stream, as sacrebleu's extraction records it
    return [table[p] for p in pairs]


def add(table: StatsTable, pairs: list[Pair], rows: list) -> None:
    """Store rows extracted elsewhere (a worker process) for ``pairs``."""
    table.update(zip(pairs, rows))


def share_references(metric: Any, source: Any) -> None:
    """``metric`` scores with the references ``source`` extracted: same count in its signature."""
    metric.num_refs = source.num_refs


def aggregate(metric: Any, rows: list) -> Any:
    """sacrebleu's score (a ``sacrebleu`` Score object) of the segments whose rows these are."""
    return metric._aggregate_and_compute(rows)


def segment_score(metric: Any, row: Any) -> float:
    """The score of one segment from its row: what ``metric.sentence_score`` gives."""
    return float(metric._compute_score_from_stats(row).score)


def signature(metric: Any) -> str:
    return metric.get_signature().format()


class CachedMetric:
    """A sacrebleu metric for ``sacrebleu.significance.PairedTest`` whose extraction is served
    from a statistics table: the test asks for the same segments' statistics again and again (every
    system, every per-document test); each pair is extracted once. Everything else is the
    metric's own (a delegate, not a subclass: sacrebleu's classes stay as they are)."""

    def __init__(self, metric: Any, table: StatsTable) -> None:
        self._metric = metric
        self._table = table

    def _extract_corpus_statistics(self, hypotheses: list[str], references: list[list[str]]) -> list:
        if references is None or len(references) != 1:
            raise ValueError("mtqa's statistics cache holds one reference stream")
        return statistics(self._metric, list(hypotheses), list(references[0]), self._table)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._metric, name)
