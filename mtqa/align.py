"""Stage 3 — align: link source sentences to MT (and reference) sentences, build Segments."""

from __future__ import annotations

from mtqa.embed import Embedder
from mtqa.model import AlignedDocument, Document, Link, Segment, Side


def align_sides(src: Side, tgt: Side, embedder: Embedder | None) -> list[Link]:
    """Unit by unit when both sides have as many units, else the whole document as one bead."""
    def ids(side: Side, unit: int) -> tuple[int, ...]:
        return tuple(i for i, s in enumerate(side.sentences) if s.unit == unit)

    if len(src.units) == len(tgt.units):
        return [Link(ids(src, u), ids(tgt, u), 1.0) for u in range(len(src.units))]
    return [Link(tuple(range(len(src.sentences))), tuple(range(len(tgt.sentences))), 0.0)]


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
            if link.src:
                ref_for_src[link.src[0]] = ref_for_src.get(link.src[0], ()) + link.tgt
    segments = []
    for i, link in enumerate(links):
        source, src_off = _slice(doc.source, link.src)
        mt, mt_off = _slice(doc.mt, link.tgt)
        ref = None
        ref_ids: tuple[int, ...] = ()
        if doc.ref is not None:
            for s in link.src:
                ref_ids += ref_for_src.get(s, ())
            ref, _ = _slice(doc.ref, tuple(sorted(ref_ids))) if ref_ids else ("", None)
        unit_id = None
        mt_line = None
        if link.tgt:
            unit = doc.mt.units[doc.mt.sentences[link.tgt[0]].unit]
            unit_id = unit.id
            mt_line = unit.line if doc.paired else doc.mt.line_of(mt_off)
        segments.append(
            Segment(
                index=i,
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
                ref_ids=tuple(sorted(ref_ids)),
            )
        )
    return segments


def align_document(doc: Document, embedder: Embedder | None) -> AlignedDocument:
    if doc.paired:
        n = len(doc.source.sentences)
        links = [Link((i,), (i,), 1.0) for i in range(n)]
        ref_links = [Link((i,), (i,), 1.0) for i in range(n)] if doc.ref is not None else None
    else:
        links = align_sides(doc.source, doc.mt, embedder)
        ref_links = align_sides(doc.source, doc.ref, embedder) if doc.ref is not None else None
    return AlignedDocument(doc=doc, segments=build_segments(doc, links, ref_links), links=links, ref_links=ref_links)
