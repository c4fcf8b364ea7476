"""The base every score implements, after sacrebleu's ``metrics/base.py``.

A scorer computes one score per segment (or ``None`` where it does not apply), one per
document and one for the whole corpus, and gives the signature that reproduces them.

Its class attributes are the score's metadata, read by everything else through
``mtqa.scores.registry``: ``compare`` (label, direction, which statistics), the gate (direction, so
the ``[gate] min_<name>``/``max_<name>`` threshold of ``mtqa.toml``) and the config.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from mtqa.config import Settings
from mtqa.embed.base import Embedder
from mtqa.model import AlignedDocument, Finding, Score

SACREBLEU = "sacrebleu"  # scores aggregated from sacrebleu's per-segment statistics (``SacrebleuScorer``)
SEGMENTS = "segments"  # scores that are the mean of segment scores (``line_scores`` for ``mtqa compare``)


@dataclass
class ScoreContext:
    settings: Settings
    embedder: Embedder | None = None  # None: a scorer that needs one gets the settings' embedder
    # sacrebleu sufficient statistics by score name, then by (hypothesis, reference), for one run's
    # settings (``sacrebleu_stats.StatsCache``): filled by worker processes and handed to the main
    # process, which then only aggregates. None: no cache.
    stats_cache: dict[str, dict[tuple[str, str], Any]] | None = None
    # the checks' findings by doc id, for the scores that run after the checks (``after_checks``)
    findings: dict[str, list[Finding]] | None = None


class Scorer(ABC):
    name: ClassVar[str] = ""  # the score's id: --metrics, report keys, [gate] min_<name>/max_<name>
    label: ClassVar[str] = ""  # how tables print it (sacrebleu's own name for its metrics)
    needs_ref: ClassVar[bool] = False
    higher_is_better: ClassVar[bool] = True  # False: the gate threshold is max_<name>, compare ranks ascending
    kind: ClassVar[str] = SEGMENTS  # SEGMENTS or SACREBLEU
    decimals: ClassVar[int] = 1  # decimals in the compare table
    after_checks: ClassVar[bool] = False  # True: reads the findings, so the pipeline scores it after the checks

    def __init__(self, ctx: ScoreContext) -> None:
        self.ctx = ctx

    @abstractmethod
    def score(self, adocs: list[AlignedDocument]) -> tuple[Score, dict[str, Score], dict[str, list[float | None]]]:
        """Return (corpus score, {doc id: document score}, {doc id: per-segment scores})."""

    # ``mtqa compare`` (line-aligned files), for SEGMENTS scores; SACREBLEU ones give their metric.

    def line_scores(self, source: list[str], ref: list[str], hyps: list[str]) -> np.ndarray:
        """The score of each line of ``hyps`` (NaN where the line is not scored)."""
        raise NotImplementedError(f"the {self.name!r} score has no line scores")

    def line_signature(self) -> str:
        """The signature of the mean of ``line_scores``."""
        raise NotImplementedError(f"the {self.name!r} score has no line scores")
