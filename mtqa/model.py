"""The data that flows through the pipeline: load → segment → align → score → check → report.

Every stage takes and returns these plain dataclasses, so each stage can be tested alone.
Offsets are Python string indexes (code points) into the decoded text of a side.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("minor", "major", "critical")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass
class Unit:
    """A block of text as the input gives it: a paragraph of a text file, a line, an XLIFF unit."""

    text: str
    start: int  # offset of the unit in Side.text
    id: str | None = None  # vendor unit id (XLIFF/TMX), else None
    line: int = 1  # 1-based line of the unit's first character in the input file


@dataclass
class Sentence:
    text: str
    start: int  # offset in Side.text
    end: int
    unit: int  # index of the Unit (paragraph) it comes from


@dataclass
class Side:
    """One language side of a document: the source, the MT or the reference."""

    lang: str  # "en" or "fr"
    text: str  # the whole side as loaded (newlines normalised to \n)
    units: list[Unit]
    path: str | None = None  # the file it came from, for reports and SARIF
    sentences: list[Sentence] = field(default_factory=list)  # filled by the segment stage

    _newlines: list[int] | None = field(default=None, repr=False, compare=False)

    def line_of(self, offset: int) -> int:
        """1-based line number of an offset in ``text`` (newline offsets indexed once, then bisected)."""
        if self._newlines is None:
            self._newlines = [i for i, ch in enumerate(self.text) if ch == "\n"]
        return bisect_left(self._newlines, offset) + 1


@dataclass
class Document:
    """What the load stage yields: the sides of one document.

    ``paired`` is True when the input fixes the pairing (JSONL, --line-aligned, XLIFF, TMX):
    unit i of the source is translated by unit i of the MT and the aligner is not used.
    """

    id: str
    source: Side
    mt: Side
    ref: Side | None = None
    paired: bool = False
    origin: str | None = None  # the file the pairing comes from (JSONL/XLIFF), else None


@dataclass
class Link:
    """One alignment bead: source sentence indexes ↔ target sentence indexes (contiguous)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 1.0

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"


@dataclass
class Segment:
    """An aligned unit of the report: source sentences ↔ MT sentences (↔ reference sentences).

    ``source``, ``mt`` and ``ref`` are verbatim slices of their sides' text. Finding offsets
    (``mt_start``/``mt_end``) are relative to ``mt``; add ``mt_offset`` for the offset in the side.
    """

    index: int
    source: str
    mt: str
    ref: str | None
    src_ids: tuple[int, ...]
    mt_ids: tuple[int, ...]
    alignment: str  # "1-1", "2-1", "1-0", "0-1", … or "given" when the input fixes the pairing
    confidence: float
    src_offset: int | None = None
    mt_offset: int | None = None
    mt_line: int | None = None
    unit_id: str | None = None
    ref_ids: tuple[int, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class Finding:
    rule: str
    category: str  # MQM path, e.g. "accuracy/mistranslation"
    severity: str  # minor | major | critical
    segment: int  # Segment.index
    mt_text: str  # exact flagged French substring of Segment.mt ("" for an omission)
    mt_start: int  # offsets into Segment.mt
    mt_end: int
    source_text: str  # the source span concerned (the missing text for an omission)
    message: str
    suggestion: str | None = None
    source_start: int | None = None  # offsets into Segment.source, when known
    source_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "segment": self.segment,
            "mt_text": self.mt_text,
            "mt_start": self.mt_start,
            "mt_end": self.mt_end,
            "source_text": self.source_text,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass
class Score:
    """A document- or corpus-level score with the signature that reproduces it."""

    name: str
    score: float
    signature: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"score": self.score, "signature": self.signature}
        d.update(self.extra)
        return d


@dataclass
class AlignedDocument:
    """A document after the align stage: what scores and checks work on."""

    doc: Document
    segments: list[Segment]
    links: list[Link]  # source ↔ MT sentence links
    ref_links: list[Link] | None = None  # source ↔ reference sentence links

    @property
    def id(self) -> str:
        return self.doc.id
