"""What Grammalecte says about each MT segment of a document: its grammar errors and the words
its lexicon does not know, with offsets into ``Segment.mt``.

Texts go to the worker in pieces: one per MT sentence (so that the pieces can be sent as soon as a
document is segmented, ``prefetch``, and checked while it is aligned), each cut at sentence ends
into pieces of at most ``PIECE_CHARS``. Only the first ``SEGMENT_CAP`` characters of a segment are
checked (a 1 MB segment must not stall a run; the report says which segments were capped), and a
token of ``LONG_TOKEN`` characters or more (a base64 blob, a URL run) is blanked before checking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mtqa.checks.grammar.worker import GrammalecteWorker
from mtqa.model import AlignedDocument, Document, Segment

SEGMENT_CAP = 20_000
PIECE_CHARS = 2_000
LONG_TOKEN = 100
_SENTENCE_END = re.compile(r"[.!?…»”)]\s+")
_LONG = re.compile(r"\S{" + str(LONG_TOKEN) + ",}")


@dataclass(frozen=True)
class GrammarError:
    start: int  # offsets into Segment.mt
    end: int
    rule_id: str  # Grammalecte's rule id
    type: str  # Grammalecte's rule type (option): gn, conj, ppas…
    message: str
    suggestions: tuple[str, ...]


@dataclass
class SegmentAnalysis:
    grammar: list[GrammarError] = field(default_factory=list)
    unknown: list[tuple[int, int]] = field(default_factory=list)  # words graphspell does not know
    capped: bool = False


def _blank_long(text: str) -> str:
    return _LONG.sub(lambda m: " " * len(m.group()), text)


def chunks(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) of ``text`` cut at sentence ends (else at a space, else hard) into pieces of at most ``limit``."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max((m.end() for m in _SENTENCE_END.finditer(window)), default=0)
        if cut < limit // 4:
            cut = window.rfind(" ") + 1 or limit
        out.append((start, text[start : start + cut]))
        start += cut
    if start < len(text):
        out.append((start, text[start:]))
    return out


def sentence_pieces(doc: Document) -> list[str]:
    """The pieces of every MT sentence of a segmented document (what ``prefetch`` sends)."""
    return [p for s in doc.mt.sentences for _, p in chunks(_blank_long(s.text[:SEGMENT_CAP]))]


def segment_pieces(seg: Segment, doc: Document) -> tuple[list[tuple[int, str]], bool]:
    """(offset in seg.mt, piece) to check for one segment, and whether the segment was capped."""
    text = seg.mt
    sents = doc.mt.sentences
    parts: list[tuple[int, str]] = []
    if seg.mt_offset is not None and seg.mt_ids and all(0 <= i < len(sents) for i in seg.mt_ids):
        for i in seg.mt_ids:
            s = sents[i]
            off = s.start - seg.mt_offset
            if off < 0 or text[off : off + len(s.text)] != s.text:
                parts = [(0, text)]
                break
            parts.append((off, s.text))
    else:
        parts = [(0, text)]
    out: list[tuple[int, str]] = []
    for off, part in parts:
        if off >= SEGMENT_CAP:
            break
        out.extend((off + o, p) for o, p in chunks(_blank_long(part[: SEGMENT_CAP - off])))
    return out, len(text) > SEGMENT_CAP


def prefetch(worker: GrammalecteWorker, doc: Document) -> None:
    for piece in sentence_pieces(doc):
        if piece.strip():
            worker.submit(piece)


def analyse_segment(worker: GrammalecteWorker, seg: Segment, doc: Document) -> SegmentAnalysis:
    pieces, capped = segment_pieces(seg, doc)
    out = SegmentAnalysis(capped=capped)
    for off, piece in pieces:
        if not piece.strip():
            continue
        reply = worker.result(piece)
        for s, e, rule_id, typ, msg, sugg in reply.get("grammar", []):
            out.grammar.append(GrammarError(off + s, off + e, rule_id, typ, msg, tuple(sugg)))
        out.unknown.extend((off + s, off + e) for s, e in reply.get("unknown", []))
    return out


def analyse(worker: GrammalecteWorker, adoc: AlignedDocument) -> dict[int, SegmentAnalysis]:
    """{segment index: analysis} for every segment with MT text."""
    return {seg.index: analyse_segment(worker, seg, adoc.doc) for seg in adoc.segments if seg.mt.strip()}
