"""Alignment of a document: sentence links (source↔MT, source↔reference) with confidences, and
the Segments built from them.

Each Link gets a confidence in [0, 1]: for a bead, how clearly its texts are translations of each
other; for a 1-0/0-1 link, how clearly the sentence has no counterpart nearby (so an
omission/addition check can trust it). Without an embedder the same DP runs on the Gale-Church
length cost alone (the classic baseline). Paired documents (JSONL, XLIFF, TMX) keep their pairing.
"""

from __future__ import annotations

from mtqa.align.beads import BeadScorer, EmbeddingScorer, GaleChurchScorer, SideInfo
from mtqa.align.dp import Band, band_from_rows, coarse_path, fine_dp, length_coarse_path, path_rows, rows_covering
from mtqa.align.params import DEFAULT_PARAMS, AlignParams
from mtqa.embed.base import Embedder
from mtqa.model import AlignedDocument, Document, Link, Segment, Side


def align_sentences(
    src: Side, tgt: Side, embedder: Embedder | None, params: AlignParams = DEFAULT_PARAMS
) -> list[Link]:
    """Align the sentences of two sides (their ``sentences`` must be filled)."""
    s, t = SideInfo(src), SideInfo(tgt)
    n, m = s.n, t.n
    if n == 0 or m == 0:
        return [Link((k,), (), 1.0) for k in range(n)] + [Link((), (k,), 1.0) for k in range(m)]
    scorer: BeadScorer
    if embedder is None:
        scorer = GaleChurchScorer(s, t, params)
        path = length_coarse_path(s, t)
    else:
        emb = EmbeddingScorer(s, t, params, embedder)
        svec, tvec = emb.coarse_vectors()
        scorer, path = emb, coarse_path(svec, tvec, params)
    band = band_from_rows(path_rows(path, n), n, m, params.band)
    return [_link(scorer, band, bead, n, m) for bead in fine_dp(scorer, band, n, m)]


def _link(scorer: BeadScorer, band: Band, bead: tuple[int, int, int, int], n: int, m: int) -> Link:
    """A bead as a Link, with its confidence; a 1-0/0-1 bead is weighed against the band around it."""
    i, a, j, b = bead
    if a and b:
        conf = scorer.confidence_match(i, a, j, b)
    elif a:
        lo, hi = band[i][0], band[i + 1][1]
        conf = scorer.confidence_skip("src", i, max(0, lo - 1), min(m, hi + 1))
    else:
        lo, hi = rows_covering(band, j)
        conf = scorer.confidence_skip("tgt", j, max(0, lo - 1), min(n, hi + 1))
    return Link(tuple(range(i, i + a)), tuple(range(j, j + b)), round(float(conf), 4))


def _slice(side: Side, ids: tuple[int, ...]) -> tuple[str, int | None]:
    if not ids:
        return "", None
    start = side.sentences[ids[0]].start
    end = side.sentences[ids[-1]].end
    return side.text[start:end], start


def build_segments(doc: Document, links: list[Link], ref_links: list[Link] | None) -> list[Segment]:
    """One Segment per source↔MT link; reference sentences follow the source sentences they render."""
    ref_for_src: dict[int, tuple[int, ...]] = {}
    if ref_links is not None:
        for link in ref_links:
            for s in link.src:
                ref_for_src[s] = link.tgt
    return [_segment(doc, i, link, ref_for_src) for i, link in enumerate(links)]


def _segment(doc: Document, index: int, link: Link, ref_for_src: dict[int, tuple[int, ...]]) -> Segment:
    source, src_off = _slice(doc.source, link.src)
    mt, mt_off = _slice(doc.mt, link.tgt)
    ref = None
    ref_ids: tuple[int, ...] = ()
    if doc.ref is not None:
        ids: set[int] = set()
        for s in link.src:
            ids.update(ref_for_src.get(s, ()))
        ref_ids = tuple(sorted(ids))
        ref, _ = _slice(doc.ref, ref_ids) if ref_ids else ("", None)
    unit_id = None
    mt_line = None
    if link.tgt and mt_off is not None:
        unit = doc.mt.units[doc.mt.sentences[link.tgt[0]].unit]
        unit_id = unit.id
        mt_line = unit.line if doc.paired else doc.mt.line_of(mt_off)
    return Segment(
        index=index,
        source=source,
        mt=mt,
        ref=ref,
        src_ids=link.src,
        mt_ids=link.tgt,
        alignment="given" if doc.paired else link.kind,
        confidence=link.confidence,
        src_offset=src_off,
        mt_offset=mt_off,
        mt_line=mt_line,
        unit_id=unit_id,
        ref_ids=ref_ids,
    )


def align_document(doc: Document, embedder: Embedder | None, params: AlignParams = DEFAULT_PARAMS) -> AlignedDocument:
    """Source↔MT links (and source↔reference links when a reference is given) and Segments."""
    if doc.paired:
        n = len(doc.source.sentences)
        links = [Link((i,), (i,), 1.0) for i in range(n)]
        ref_links = [Link((i,), (i,), 1.0) for i in range(n)] if doc.ref is not None else None
    else:
        links = align_sentences(doc.source, doc.mt, embedder, params)
        ref_links = align_sentences(doc.source, doc.ref, embedder, params) if doc.ref is not None else None
    return AlignedDocument(doc=doc, segments=build_segments(doc, links, ref_links), links=links, ref_links=ref_links)
