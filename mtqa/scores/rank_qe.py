"""``rank-qe``: a reference-free linear pairwise ranker (quality estimation; not COMET).

Features (``mtqa.scores.rank_features``): the USE-m3 cosine of source and MT; the French
character LM's log-probability per character and over the whole MT (``charlm_total``: length
folded in); the share of the MT's words copied from the source's lower-case words; the MQM penalty
of the segment's accuracy findings and a flag that there is one; |log| of the MT/source token
ratio; the share of the source's capitalised words kept in the MT. The accuracy features are the
checks' output, so this score runs after the checks (``after_checks``: ``mtqa.pipeline`` scores it
once the findings exist; ``mtqa compare`` runs the checks on each line itself). Weights in
``mtqa/data/rank_qe.json`` (``bench/learned_train.py``). 0–100, higher is better.
"""

from __future__ import annotations

from mtqa.model import AlignedDocument, Finding
from mtqa.scores.learned import LearnedRanker


class RankQe(LearnedRanker):
    """``rank-qe``: linear pairwise ranker over USE src–mt cosine, char-LM, copied words, accuracy findings,
    length and capitalised words kept."""

    name = "rank-qe"
    label = "rank-qe"
    after_checks = True
    model_file = "rank_qe.json"
    setting = "rank_qe_model"

    def findings(self, adocs: list[AlignedDocument]) -> dict[str, list[Finding]]:
        """The run's findings (``ScoreContext.findings``), else the checks run here."""
        if self.ctx.findings is not None:
            return self.ctx.findings
        if not {"mqm_accuracy", "accuracy_flagged", "mqm_fluency", "mqm_other"} & set(self.model.features):
            return {}
        from mtqa.checks.engine import run_checks
        from mtqa.scores.run import score_documents

        embedder = self.embedder_for_checks()
        _, doc_scores = score_documents(adocs, self.ctx.settings, embedder, stats_cache=self.ctx.stats_cache)
        return {a.id: run_checks(a, self.ctx.settings, embedder, doc_scores.get(a.id, {})) for a in adocs}

    def embedder_for_checks(self):
        from mtqa.embed import get_embedder

        return self.ctx.embedder if self.ctx.embedder is not None else get_embedder(self.ctx.settings.embedder)
