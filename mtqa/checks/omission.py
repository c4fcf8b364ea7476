"""Omission and addition, from the alignment: ``omission.sentence`` (``1-0`` segments),
``omission.addition`` (``0-1``) and ``omission.partial`` (an aligned pair whose French is much
shorter), described in ``Omission.subrules`` (what ``mtqa rules`` prints); the thresholds are the
constants below.

An omitted sentence's finding quotes the missing source text (``mt_text`` is empty); "unsure" means
a link confidence below 0.5. A partial omission quotes the source clause whose names and numbers
the French lacks (else the whole source). Length ratios are on characters: French runs ~10–20 %
longer than English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mtqa.checks.base import Check, CheckContext, RuleInfo
from mtqa.model import Finding, Segment
from mtqa.text.matching import accent_fold

MIN_WORDS = 6  # shorter pairs vary too much in length to say anything
RATIO_OMISSION = 0.5  # French chars / English chars below which a clause is surely missing
RATIO_SUSPECT = 0.7  # below this, a low adequacy score confirms it
LOW_ADEQUACY = 0.5  # on a 0–1 scale (scores above 1 are read as 0–100)
RATIO_ADDITION = 2.2  # French much longer than its source: something was added
_CLAUSE = re.compile(r"[^,;:—–()]+")
_ANCHOR = re.compile(r"\d[\d.,]*|(?<![.!?]\s)(?<!^)\b[A-Z][\w'’-]+")


def adequacy(seg: Segment) -> float | None:
    v = seg.scores.get("adequacy")
    if v is None:
        return None
    return v / 100.0 if v > 1.0 else v


def missing_clause(source: str, mt: str) -> tuple[str, int | None, int | None]:
    """The stretch of source clauses whose anchors (numbers, capitalised words) the French lacks
    entirely; the whole source when no clause stands out."""
    mt_f = accent_fold(mt)
    spans = []
    for m in _CLAUSE.finditer(source):
        clause = m.group()
        if len(clause.split()) < 3:
            continue
        anchors = [a.group() for a in _ANCHOR.finditer(clause)]
        if anchors and all(accent_fold(a.rstrip("'’s")) not in mt_f and accent_fold(a.replace(",", " ")) not in mt_f for a in anchors):
            lead = len(clause) - len(clause.lstrip())
            spans.append((m.start() + lead, m.start() + len(clause.rstrip())))
    if not spans:
        text = source.strip()
        lead = len(source) - len(source.lstrip())
        return text, lead, lead + len(text)
    start, end = spans[0][0], spans[-1][1]
    return source[start:end], start, end


class Omission(Check):
    id = "omission"
    category = "accuracy/omission"
    severity = "major"
    doc = (
        "Omissions and additions from the alignment: a source sentence with no French counterpart "
        "(1-0 link; the finding quotes it), French with no source (0-1 link), and aligned pairs whose "
        "French is much shorter than the source (length ratio, confirmed by the adequacy score when "
        "it was computed): a clause went missing."
    )
    subrules = (
        RuleInfo("omission.sentence", "accuracy/omission", "major",
                 "A source sentence with no French counterpart (1-0); minor if the aligner is unsure."),
        RuleInfo("omission.addition", "accuracy/addition", "major",
                 "French text with no source (0-1); minor below 8 words."),
        RuleInfo("omission.partial", "accuracy/omission", "major",
                 "An aligned pair whose French is far shorter than its source (char ratio < 0.5, or "
                 "< 0.7 with low adequacy): a clause is missing; the finding quotes it when it can tell which."),
    )

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        for seg in ctx.segments:
            src, mt = seg.source.strip(), seg.mt.strip()
            if src and not mt:
                lead = len(seg.source) - len(seg.source.lstrip())
                yield self.finding(
                    seg, 0, 0, f"Source sentence not translated: '{src}'.", source_text=src,
                    severity="major" if seg.confidence >= 0.5 else "minor", rule="omission.sentence",
                    source_start=lead, source_end=lead + len(src),
                )
            elif mt and not src:
                lead = len(seg.mt) - len(seg.mt.lstrip())
                words = len(mt.split())
                yield self.finding(
                    seg, lead, lead + len(mt), f"French text with no counterpart in the source ({words} words).",
                    severity="major" if words >= 8 and seg.confidence >= 0.5 else "minor", rule="omission.addition",
                )
            elif src and mt:
                yield from self._pair(seg, src, mt)

    def _pair(self, seg: Segment, src: str, mt: str) -> Iterable[Finding]:
        if len(src.split()) < MIN_WORDS:
            return
        ratio = len(mt) / max(1, len(src))
        adq = adequacy(seg)
        if ratio < RATIO_OMISSION or (ratio < RATIO_SUSPECT and adq is not None and adq < LOW_ADEQUACY):
            clause, s0, s1 = missing_clause(seg.source, seg.mt)
            why = f"the French is {ratio:.0%} of the source's length"
            if adq is not None:
                why += f", adequacy {adq:.2f}"
            yield self.finding(
                seg, 0, 0, f"Part of the source seems missing ({why}): '{clause}'.", source_text=clause,
                severity="major" if ratio < RATIO_OMISSION else "minor", rule="omission.partial",
                source_start=s0, source_end=s1,
            )
        elif ratio > RATIO_ADDITION and len(mt.split()) >= 12:
            lead = len(seg.mt) - len(seg.mt.lstrip())
            yield self.finding(
                seg, lead, lead + len(mt), f"The French is {ratio:.1f}× the source's length: text may have been added.",
                source_text=src, severity="minor", category="accuracy/addition", rule="omission.addition",
            )
