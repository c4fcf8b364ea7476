"""Every score, by name, as a lazy ``"module:Class"`` table (sacrebleu lists its metrics and
tokenizers the same way): a scorer's module is imported only when that score is asked for.

Adding a metric is one module and one row here.
"""

from __future__ import annotations

from importlib import import_module

from mtqa.errors import ConfigError
from mtqa.scores.base import Scorer

SCORERS: dict[str, str] = {
    "bleu": "mtqa.scores.bleu:BleuScorer",
    "chrf": "mtqa.scores.chrf:ChrfScorer",
    "chrf++": "mtqa.scores.chrf:ChrfPlusPlusScorer",
    "ter": "mtqa.scores.ter:TerScorer",
    "adequacy": "mtqa.scores.adequacy:UseAdequacy",
    "adequacy-ref": "mtqa.scores.adequacy:UseAdequacyRef",
    "comet": "mtqa.scores.comet:CometScorer",
}


def get_scorer(name: str) -> type[Scorer]:
    """The scorer class of a score name (its module imported on first use)."""
    if name not in SCORERS:
        raise ConfigError(f"unknown score {name!r} (choose from {', '.join(SCORERS)})")
    module, _, cls = SCORERS[name].partition(":")
    return getattr(import_module(module), cls)
