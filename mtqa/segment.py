"""Stage 2 — segment: split each unit of a side into sentences, keeping offsets."""

from __future__ import annotations

from functools import lru_cache

from mtqa.model import Document, Sentence, Side


@lru_cache(maxsize=4)
def _segmenter(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang, clean=False, char_span=True)


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``."""
    spans = []
    for s in _segmenter(lang).segment(text):
        start, end = s.start, s.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def segment_side(side: Side) -> Side:
    sentences: list[Sentence] = []
    for ui, unit in enumerate(side.units):
        for start, end in split_sentences(unit.text, side.lang):
            a, b = unit.start + start, unit.start + end
            sentences.append(Sentence(text=side.text[a:b], start=a, end=b, unit=ui))
    side.sentences = sentences
    return side


def segment_document(doc: Document) -> Document:
    """Fill ``sentences`` on every side. Paired documents keep one sentence per unit."""
    for side in (doc.source, doc.mt, doc.ref):
        if side is None:
            continue
        if doc.paired:
            side.sentences = [
                Sentence(text=u.text, start=u.start, end=u.start + len(u.text), unit=i)
                for i, u in enumerate(side.units)
            ]
        else:
            segment_side(side)
    return doc
