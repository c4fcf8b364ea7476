"""Run the selected scorers over aligned documents (stage 4; the ``after_checks`` ones after stage 5)."""

from __future__ import annotations

from mtqa.config import Settings
from mtqa.embed.base import Embedder
from mtqa.model import AlignedDocument, Finding, Score
from mtqa.scores.base import ScoreContext
from mtqa.scores.registry import SCORERS, get_scorer


def score_documents(
    adocs: list[AlignedDocument], settings: Settings, embedder: Embedder, stats_cache: dict | None = None,
    has_ref: bool | None = None, findings: dict[str, list[Finding]] | None = None,
) -> tuple[dict[str, Score], dict[str, dict[str, Score]]]:
    """Run every selected scorer; write segment scores into ``Segment.scores``.

    Without ``findings`` the scorers that read findings (``after_checks``) are left out; with them
    (the pipeline, once the checks ran) only those run. Reference-based scores run when every
    document has a reference (``has_ref`` overrides: a worker scoring part of a batch passes the
    whole batch's answer). ``stats_cache`` (see ``ScoreContext``) keeps sacrebleu's per-segment
    statistics across calls; without one, the scorers of this call share one.
    Returns (corpus scores by name, {doc id: {name: document score}}).
    """
    ctx = ScoreContext(settings=settings, embedder=embedder, stats_cache={} if stats_cache is None else stats_cache,
                       findings=findings)
    if has_ref is None:
        has_ref = all(a.doc.ref is not None for a in adocs)
    corpus: dict[str, Score] = {}
    per_doc: dict[str, dict[str, Score]] = {a.id: {} for a in adocs}
    names = list(settings.metrics)
    if settings.comet_model and "comet" not in names:  # --comet-model alone asks for COMET
        names.append("comet")
    for name in names:
        if name not in SCORERS:
            continue
        cls = get_scorer(name)
        if (cls.needs_ref and not has_ref) or cls.after_checks != (findings is not None):
            continue
        c, d, segs = cls(ctx).score(adocs)
        corpus[name] = c
        for a in adocs:
            if a.id in d:
                per_doc[a.id][name] = d[a.id]
            for seg, value in zip(a.segments, segs.get(a.id, [])):
                if value is not None:
                    seg.scores[name] = value
    return corpus, per_doc
