"""Run one check on hand-aligned (English, French) pairs: no aligner, the pairs are the alignment."""

from __future__ import annotations

from mtqa.checks.base import Check, CheckContext
from mtqa.config import Settings
from mtqa.model import AlignedDocument, Document, Segment, Side


def run_pairs(pairs: list[tuple[str, str]], check: Check) -> list:
    segs = [Segment(i, en, fr, None, (i,), (i,), "1-1", 1.0) for i, (en, fr) in enumerate(pairs)]
    src = "\n\n".join(en for en, _ in pairs)
    mt = "\n\n".join(fr for _, fr in pairs)
    doc = Document("t", Side("en", src, []), Side("fr", mt, []))
    ctx = CheckContext(AlignedDocument(doc, segs, []), Settings(), None)
    return list(check.run(ctx))


def run_pair(en: str, fr: str, check: Check) -> list:
    return run_pairs([(en, fr)], check)
