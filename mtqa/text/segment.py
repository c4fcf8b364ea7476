"""Stage 2 — segment: split each unit of a side into sentences, keeping offsets.

pysbd does the splitting; two passes fix what it gets wrong on news copy:

* merge: pysbd breaks after some abbreviations (``janv.``, ``p.-d.g.``) and splits a photo
  caption from its credit (``… July 4, 2025. / VCG via …``); such pieces are joined back.
* split: pysbd never breaks inside a quotation, and an opening « or “ that is never closed
  (common in MT output) makes it keep the rest of the paragraph as one sentence. A break is
  added after . ! ? … (and closing quotes) followed by a capitalised word, unless the word
  before the period is an abbreviation or an initial.

Abbreviation lists are data: ``mtqa/data/segment_abbreviations.yaml``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mtqa.model import Document, Sentence, Side
from mtqa.ruledata import packaged_table

_CLOSERS = "\"»”’)]"
_OPENERS = "\"«“‘(["
_UPPER = "A-ZÀ-ÖØ-ÞŒ"
# A candidate break: terminal punctuation, optional closers, whitespace, optional opener, capital.
_BREAK = re.compile(
    rf"(?<=[.!?…])(?:\s?[{re.escape(_CLOSERS)}])*(?P<gap>\s+)(?=[{re.escape(_OPENERS)}]?[\s\u00a0\u202f]*[{_UPPER}])"
)
# The word just before a final period: letters, periods, hyphens, apostrophes.
_LAST_WORD = re.compile(rf"([\w.\-'’]+)\.(?:\s?[{re.escape(_CLOSERS)}])*$")
# A piece that cannot start a sentence: lowercase start, closing punctuation, a caption credit.
_CONTINUATION = re.compile(r"^(?:[a-zà-öø-ÿœ]|[,;:)\]}%]|[-–]\w|/\s)")


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, dict[str, tuple[frozenset[str], frozenset[str]]]]:
    data = packaged_table("segment_abbreviations.yaml")
    out: dict[str, dict[str, tuple[frozenset[str], frozenset[str]]]] = {}
    for lang, lists in data.items():
        out[lang] = {}
        for kind in ("nonfinal", "any"):
            words = [str(w) for w in lists.get(kind, [])]
            exact = frozenset(w for w in words if w != w.lower())
            folded = frozenset(w for w in words if w == w.lower())
            out[lang][kind] = (exact, folded)
    return out


def _is_abbrev(word: str, lang: str, kind: str) -> bool:
    table = _abbreviations().get(lang) or _abbreviations()["en"]
    exact, folded = table[kind]
    return word in exact or word.lower() in folded


def _word_before_period(piece: str) -> str | None:
    m = _LAST_WORD.search(piece.rstrip())
    return m.group(1) if m else None


def _no_break_after(piece: str, lang: str, strict: bool) -> bool:
    """True when ``piece`` ends with an abbreviation or initial that must not end a sentence.

    ``strict`` (used for breaks we add) also protects abbreviations that may end a sentence.
    """
    word = _word_before_period(piece)
    if word is None:
        return False
    word = word.lstrip("-'’")
    if _is_abbrev(word, lang, "nonfinal"):
        return True
    if not strict:
        return False
    if _is_abbrev(word, lang, "any"):
        return True
    if len(word) == 1 and word.isalpha():  # an initial: "J. Smith"
        return True
    return "." in word  # U.S., a.m., J.-C.: dotted abbreviations


@lru_cache(maxsize=4)
def _segmenter(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang if lang in ("en", "fr") else "en", clean=False)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _library_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """pysbd's sentences as spans that cover ``text`` exactly.

    pysbd's own char_span offsets go wrong on repeated segments, so each returned sentence is
    located in order from the previous cut; one that cannot be found adds no cut.
    """
    cuts = []
    pos = 0
    for s in _segmenter(lang).segment(text):
        piece = s.strip()
        if not piece:
            continue
        k = text.find(piece, pos)
        if k < 0:
            continue
        pos = k + len(piece)
        cuts.append(pos)
    if not cuts or cuts[-1] != len(text):
        cuts.append(len(text))
    spans = []
    start = 0
    for cut in cuts:
        a, b = _trim(text, start, cut)
        if b > a:
            spans.append((a, b))
        start = cut
    return spans


def _merge(text: str, spans: list[tuple[int, int]], lang: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev = text[out[-1][0] : out[-1][1]]
            cur = text[start:end]
            if _CONTINUATION.match(cur) or _no_break_after(prev, lang, strict=False):
                out[-1] = (out[-1][0], end)
                continue
        out.append((start, end))
    return out


def _split(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    out = []
    cur = start
    for m in _BREAK.finditer(text, start, end):
        cut = m.start("gap")
        if _no_break_after(text[cur:cut], lang, strict=True):
            continue
        out.append((cur, cut))
        cur = m.end("gap")
    out.append((cur, end))
    return [_trim(text, a, b) for a, b in out if _trim(text, a, b)[1] > _trim(text, a, b)[0]]


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text`` (``text[start:end]`` is the sentence)."""
    if not text.strip():
        return []
    spans = _merge(text, _library_spans(text, lang), lang)
    out: list[tuple[int, int]] = []
    for a, b in spans:
        out.extend(_split(text, a, b, lang))
    return out


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
