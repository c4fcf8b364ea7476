"""The base every score implements, after sacrebleu's ``metrics/base.py``.

A scorer computes one score per segment (or ``None`` where it does not apply), one per
document and one for the whole corpus, and gives the signature that reproduces them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from mtqa.config import Settings
from mtqa.embed.base import Embedder
from mtqa.model import AlignedDocument, Score


@dataclass
class ScoreContext:
    settings: Settings
    embedder: Embedder
    # sacrebleu sufficient statistics by score name, then by (hypothesis, reference), for one run's
    # settings: filled by worker processes and handed to the main process, which then only
    # aggregates. None: no cache.
    stats_cache: dict[str, dict[tuple[str, str], Any]] | None = None


class Scorer(ABC):
    name: str = ""
    needs_ref: bool = False
    higher_is_better: bool = True

    def __init__(self, ctx: ScoreContext) -> None:
        self.ctx = ctx

    @abstractmethod
    def score(self, adocs: list[AlignedDocument]) -> tuple[Score, dict[str, Score], dict[str, list[float | None]]]:
        """Return (corpus score, {doc id: document score}, {doc id: per-segment scores})."""
