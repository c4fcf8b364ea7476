"""chrF and chrF++ through sacrebleu (corpus, document and segment level; see ``bleu.py``)."""

from __future__ import annotations

from mtqa.scores.bleu import SacrebleuScorer


class ChrfScorer(SacrebleuScorer):
    """sacrebleu chrF (character 6-grams, β=2), sacrebleu's defaults."""

    name = "chrf"
    label = "chrF2"
    word_order = 0

    def corpus_metric(self):
        if not hasattr(self, "_metric"):
            from sacrebleu.metrics import CHRF

            self._metric = CHRF(word_order=self.word_order)
        return self._metric


class ChrfPlusPlusScorer(ChrfScorer):
    """sacrebleu chrF++: chrF plus word uni- and bigrams (``word_order=2``)."""

    name = "chrf++"
    label = "chrF2++"
    word_order = 2
