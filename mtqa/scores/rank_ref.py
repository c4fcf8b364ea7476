"""``rank-ref``: a linear pairwise ranker over reference-based features (not COMET).

Features (``mtqa.scores.rank_features``): sentence chrF, the USE-m3 cosine of MT and reference,
log(1 + TER edits), BLEU's unigram precision, the French character LM's log-probability per
character and a number-mismatch flag; weights in ``mtqa/data/rank_ref.json``, fitted on WMT12
English→French human rankings (``bench/learned_train.py``). 0–100, higher is better.
"""

from __future__ import annotations

from mtqa.scores.learned import LearnedRanker


class RankRef(LearnedRanker):
    """``rank-ref``: linear pairwise ranker over chrF, USE mt–ref cosine, TER, BLEU-1, char-LM, numbers."""

    name = "rank-ref"
    label = "rank-ref"
    needs_ref = True
    model_file = "rank_ref.json"
    setting = "rank_ref_model"
