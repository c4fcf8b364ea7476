"""Helpers for the lexical-check tests (names, calques): run one check on hand-written segment
pairs, or on a reference pack aligned without an embedder."""

from __future__ import annotations

import json
from pathlib import Path

from mtqa.align import align_document
from mtqa.checks.base import CheckContext
from mtqa.config import Settings
from mtqa.inputs.text import load_text_pair
from mtqa.model import AlignedDocument, Document, Finding, Segment, Side
from mtqa.text.segment import segment_document


def context(pairs: list[tuple[str, str]]) -> CheckContext:
    segments = [
        Segment(index=i, source=s, mt=t, ref=None, src_ids=(i,), mt_ids=(i,), alignment="given", confidence=1.0)
        for i, (s, t) in enumerate(pairs)
    ]
    doc = Document(id="t", source=Side("en", "\n".join(s for s, _ in pairs), []),
                   mt=Side("fr", "\n".join(t for _, t in pairs), []))
    return CheckContext(adoc=AlignedDocument(doc=doc, segments=segments, links=[]), settings=Settings(),
                        embedder=None)


def run(check_cls, pairs: list[tuple[str, str]]) -> list[Finding]:
    return list(check_cls(Settings()).run(context(pairs)))


def pack_context(pack: Path, side: str = "mt") -> CheckContext:
    """A pack's source and MT (or reference) aligned sentence by sentence (length-based aligner)."""
    doc = load_text_pair(str(pack / "source.en.txt"), str(pack / f"{side}.fr.txt"))
    segment_document(doc)
    return CheckContext(adoc=align_document(doc, None), settings=Settings(), embedder=None)


def side_spans(ctx: CheckContext, findings: list[Finding]) -> list[tuple[Finding, int, int]]:
    """Each finding with its offsets in the whole MT side."""
    out = []
    for f in findings:
        off = ctx.segments[f.segment].mt_offset or 0
        out.append((f, off + f.mt_start, off + f.mt_end))
    return out


def expected_errors(pack: Path) -> list[dict]:
    return json.loads((pack / "expected.json").read_text(encoding="utf-8"))["errors"]


def found(ctx: CheckContext, findings: list[Finding], error: dict, rules: tuple[str, ...]) -> bool:
    """True when a finding of one of ``rules`` overlaps the annotated MT span of ``error``."""
    for f, s, e in side_spans(ctx, findings):
        if f.rule.startswith(rules) and s < error["mt_end"] and error["mt_start"] < max(e, s + 1):
            return True
    return False
