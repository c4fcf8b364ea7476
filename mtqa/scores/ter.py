"""TER through sacrebleu (corpus, document and segment level; see ``bleu.py``). Lower is better."""

from __future__ import annotations

from mtqa.scores.bleu import SacrebleuScorer


class TerScorer(SacrebleuScorer):
    """sacrebleu TER with its defaults (tercom tokenisation, case-insensitive, no normalisation)."""

    name = "ter"
    label = "TER"
    higher_is_better = False

    def corpus_metric(self):
        if not hasattr(self, "_metric"):
            from sacrebleu.metrics import TER

            self._metric = TER()
        return self._metric
