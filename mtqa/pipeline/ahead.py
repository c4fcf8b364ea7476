"""The reference embedded ahead, in a side process, when only ``cos_ref`` needs it.

With ``--line-aligned`` (or a document whose reference the aligner did not embed) the USE-m3
cosine of MT and reference (``adequacy-ref``, ``rank-ref``'s ``cos_ref`` feature) is the only
reason to embed the reference: on newstest2014, 7.6 s of CPU, 13 % of the check. This process
spends that time on the other scores (TER, adequacy) first, so on a machine of two or more cores a
side process (``mtqa.embed.aside``, on idle CPU time only) embeds the reference meanwhile, and the
first ``encode`` that needs it takes the vectors done so far and embeds the rest itself. They are
the vectors this process would have computed: the same texts, in the order and micro-batches its
own call would have sent them (the texts the other scores embed first are left out, as that call
finds them cached).

Only for runs in this process (one document or a small batch; not ``--jobs 1``, which asks for
one process, nor ``--dask``), the use-m3 embedder, and a reference of at least ``MIN_CHARS``
characters still to embed (below that, starting a process costs more than it saves).
"""

from __future__ import annotations

from mtqa.config import Settings
from mtqa.embed.base import Embedder
from mtqa.model import AlignedDocument
from mtqa.pipeline.parallel import cpu_count
from mtqa.scores.adequacy import UseAdequacy, UseAdequacyRef
from mtqa.scores.base import ScoreContext
from mtqa.scores.registry import SCORERS, get_scorer

MIN_CHARS = 20_000


class Ahead:
    """What the pipeline holds: the side process (if any) and how many texts it embeds."""

    def __init__(self, aside=None) -> None:
        self.aside = aside

    @property
    def embedded(self) -> int:
        """Texts whose vectors this run took from the side process (0 if none ran, or none was done in time)."""
        return self.aside.done if self.aside is not None else 0

    def close(self, embedder: Embedder) -> None:
        if self.aside is not None:
            self.aside.close()
            embedder.forget_expected()


def needs_cos_ref(settings: Settings, ctx: ScoreContext) -> bool:
    """A selected score reads the MT–reference cosine: ``adequacy-ref``, or ``rank-ref`` with a
    model that has the ``cos_ref`` feature."""
    if "adequacy-ref" in settings.metrics:
        return True
    if "rank-ref" not in settings.metrics or "rank-ref" not in SCORERS:
        return False
    return "cos_ref" in get_scorer("rank-ref")(ctx).model.features


def reference_texts(adocs: list[AlignedDocument], ctx: ScoreContext, embedder: Embedder) -> list[str]:
    """The reference texts ``cos_ref`` will send to the model: each once, in its order, neither
    cached nor a source or MT text (which the other scores, or that call itself, embed)."""
    ref_scorer, src_scorer = UseAdequacyRef(ctx), UseAdequacy(ctx)
    others: set[str] = set()
    refs: list[str] = []
    for a in adocs:
        others.update(t for p in src_scorer.pairs(a) if p is not None for t in p)
        for p in ref_scorer.pairs(a):
            if p is not None:
                others.add(p[0])
                refs.append(p[1])
    return [t for t in dict.fromkeys(refs) if t not in others and not embedder.is_cached(t)]


def embed_reference(adocs: list[AlignedDocument], settings: Settings, embedder: Embedder, jobs: int) -> Ahead:
    """Start the side process when it pays (see the module docstring); announce its texts to the
    embedder. ``jobs`` is the number of worker processes the stages used (1: this process)."""
    if settings.dask or jobs > 1 or settings.jobs == 1 or settings.embedder != "use-m3" or cpu_count() < 2:
        return Ahead()
    ctx = ScoreContext(settings=settings, embedder=embedder)
    if not adocs or any(a.doc.ref is None for a in adocs) or not needs_cos_ref(settings, ctx):
        return Ahead()
    texts = reference_texts(adocs, ctx, embedder)
    chars = sum(map(len, texts))
    if not texts or chars < MIN_CHARS:
        return Ahead()
    from mtqa.embed.aside import Aside

    aside = Aside(texts, embedder.dim, getattr(embedder, "batch_size", 64))
    embedder.expect(texts, aside.rows)
    return Ahead(aside)
