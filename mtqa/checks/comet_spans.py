"""COMET error spans → findings (XCOMET-style models with word-level tagging).

The COMET scorer (``mtqa.scores.comet``) keeps the spans the model returns in the document score's
``error_spans`` (character offsets into ``Segment.mt``, a severity, a confidence). Each span becomes
one finding with the model's severity. Spans are widened to whole words (the model tags subwords,
so a raw span can start or end inside a word) and spans that overlap are merged, keeping the worse
severity. Quiet when no COMET model ran or the model gives no spans (wmt22-comet-da, CometKiwi-DA).
"""

from __future__ import annotations

from collections.abc import Iterable

from mtqa.checks.base import Check, CheckContext
from mtqa.model import SEVERITIES, SEVERITY_RANK, Finding


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words and trim spaces; empty spans stay empty."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    if start == end:
        return start, end
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def merge_spans(text: str, spans: list[dict]) -> list[tuple[int, int, str, float]]:
    """(start, end, severity, confidence) per span, on word bounds, overlapping spans merged."""
    items: list[tuple[int, int, str, float]] = []
    for sp in spans:
        sev = sp.get("severity", "minor")
        sev = sev if sev in SEVERITIES else "minor"
        a, b = _word_bounds(text, int(sp["start"]), int(sp["end"]))
        if b > a:
            items.append((a, b, sev, float(sp.get("confidence", 0.0))))
    items.sort()
    merged: list[tuple[int, int, str, float]] = []
    for a, b, sev, conf in items:
        if merged and a <= merged[-1][1]:
            la, lb, lsev, lconf = merged[-1]
            merged[-1] = (la, max(lb, b), sev if SEVERITY_RANK[sev] > SEVERITY_RANK[lsev] else lsev, max(lconf, conf))
        else:
            merged.append((a, b, sev, conf))
    return merged


class CometSpansCheck(Check):
    id = "comet.span"
    category = "accuracy/mistranslation"
    severity = "minor"  # each finding takes the severity the model gave its span
    doc = ("Error spans predicted by an XCOMET-style COMET model (--comet-model), with the model's "
           "severity (minor/major/critical). The model does not name an error type; the MQM category "
           "is accuracy/mistranslation by convention.")

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        score = ctx.doc_scores.get("comet")
        if score is None or not score.extra.get("error_spans"):
            return
        by_seg: dict[int, list[dict]] = {}
        for sp in score.extra["error_spans"]:
            by_seg.setdefault(int(sp["segment"]), []).append(sp)
        for k, spans in sorted(by_seg.items()):
            if k >= len(ctx.segments):
                continue
            seg = ctx.segments[k]
            for a, b, sev, conf in merge_spans(seg.mt, spans):
                yield self.finding(
                    seg, a, b,
                    f"COMET ({ctx.settings.comet_model}) marks «{seg.mt[a:b]}» as a {sev} error "
                    f"(confidence {conf:.2f})",
                    source_text=seg.source,
                    severity=sev,
                )
