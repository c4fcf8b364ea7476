"""Every score, by name, as a lazy ``"module:Class"`` table (sacrebleu lists its metrics and
tokenizers the same way): a scorer's module is imported only when that score is asked for.

Adding a metric is one module and one row here: its class attributes (``mtqa.scores.base.Scorer``)
are the metadata that ``mtqa compare``, the gate and ``mtqa.toml``'s ``[gate]`` thresholds read.

This module imports no scorer statically (``mtqa.config`` reads it, and the scorers read the
config), so ``ScorerClass`` says what it knows of a scorer class.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, Protocol

from mtqa.errors import ConfigError

SCORERS: dict[str, str] = {
    "bleu": "mtqa.scores.bleu:BleuScorer",
    "chrf": "mtqa.scores.chrf:ChrfScorer",
    "chrf++": "mtqa.scores.chrf:ChrfPlusPlusScorer",
    "ter": "mtqa.scores.ter:TerScorer",
    "adequacy": "mtqa.scores.adequacy:UseAdequacy",
    "adequacy-ref": "mtqa.scores.adequacy:UseAdequacyRef",
    "comet": "mtqa.scores.comet:CometScorer",
    "rank-ref": "mtqa.scores.rank_ref:RankRef",
    "rank-qe": "mtqa.scores.rank_qe:RankQe",
}


class ScorerClass(Protocol):
    """A subclass of ``mtqa.scores.base.Scorer``: its metadata, and its constructor."""

    name: str
    label: str
    needs_ref: bool
    higher_is_better: bool
    kind: str
    decimals: int
    after_checks: bool

    def __call__(self, ctx: Any) -> Any: ...


def get_scorer(name: str) -> ScorerClass:
    """The scorer class of a score name (its module imported on first use)."""
    if name not in SCORERS:
        raise ConfigError(f"unknown score {name!r} (choose from {', '.join(SCORERS)})")
    module, _, cls = SCORERS[name].partition(":")
    return getattr(import_module(module), cls)


def higher_is_better(name: str) -> bool:
    """The direction of a score; a name that is no score here (an older report's) counts as higher."""
    return get_scorer(name).higher_is_better if name in SCORERS else True


def threshold_key(name: str) -> str:
    """The gate setting of a score: ``min_<name>``, or ``max_<name>`` when lower is better."""
    return f"{'min' if get_scorer(name).higher_is_better else 'max'}_{name}"


def thresholds() -> dict[str, str]:
    """{gate setting: score name} for every score, in the table's order."""
    return {threshold_key(name): name for name in SCORERS}
