"""Low adequacy → findings: segments whose MT is far, in meaning, from their source.

Reads the calibrated ``adequacy`` score (USE cross-lingual similarity, see
``mtqa.scores.adequacy``; computed here from the cached embeddings if the score was not selected).
The thresholds are on the calibrated 0–100 scale, whose anchors were measured on newstest2014:

* ``critical`` below 10 — as dissimilar as the top 1% of *unrelated* sentence pairs: the MT is
  about something else (wrong segment, hallucination, untranslated junk);
* ``major`` below 30 — below 99.8% of human reference translations of 10+ word sentences: a badly
  truncated or garbled translation. (It was 40, the 99% point: on newstest2014's reference that
  drew 15 major findings on free but correct translations, 0.24 per 1,000 source words; 30 draws 3.
  A QA gate must not cry wolf, and omissions have their own check.)

Embedding similarity is noisy on short sentences (a 3-word idiom and its free translation can
look unrelated), so sources under 4 words are skipped and 4–9 word sources use lower thresholds
(critical below 5, major below 20). Measured on newstest2014 (bench/scores_eval.py): the human
reference, checked as MT, gets a finding on 0.5% of its 4–9 word segments and 0.5% of the longer
ones (critical: 0% and 0.04%); a shuffled reference (unrelated sentences) gets one on 100% and
99.96% of them (critical: 94% and 99%). Omissions and additions (1-0/0-1 segments) are the omission check's.
With an embedder that has no calibration (``hf:PATH``) the check stays silent.
"""

from __future__ import annotations

from collections.abc import Iterable

from mtqa.checks.base import Check, CheckContext
from mtqa.model import Finding
from mtqa.scores.adequacy import UseAdequacy, calibration_for

MIN_WORDS = 4
SHORT_WORDS = 10  # sources shorter than this use the short-sentence thresholds
THRESHOLDS = {"long": {"critical": 10.0, "major": 30.0}, "short": {"critical": 5.0, "major": 20.0}}


def severity_for(score: float, source_words: int) -> str | None:
    """The finding severity for a calibrated adequacy score, or None (no finding)."""
    if source_words < MIN_WORDS:
        return None
    t = THRESHOLDS["short" if source_words < SHORT_WORDS else "long"]
    if score < t["critical"]:
        return "critical"
    if score < t["major"]:
        return "major"
    return None


class AdequacyCheck(Check):
    id = "adequacy.low"
    category = "accuracy/mistranslation"
    severity = "major"
    doc = ("The MT segment is far in meaning from its source: calibrated USE cross-lingual similarity "
           "(the 'adequacy' score, not COMET) below 30/100 is major, below 10/100 (as dissimilar as "
           "unrelated sentences) critical; sources of 4–9 words use 20 and 5; under 4 words not checked.")

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        cal = calibration_for(ctx.embedder.name, "src-mt")
        if cal is None:  # thresholds are on the calibrated scale; an uncalibrated embedder has none
            return
        segs = ctx.segments
        values: list[float | None] = [s.scores.get("adequacy") for s in segs]
        if any(v is None for v in values):  # not selected in --metrics: same computation, cached vectors
            from mtqa.scores.base import ScoreContext

            scorer = UseAdequacy(ScoreContext(settings=ctx.settings, embedder=ctx.embedder))
            _, _, per_seg = scorer.score([ctx.adoc])
            values = [v if v is not None else w for v, w in zip(values, per_seg[ctx.adoc.id])]
        for seg, value in zip(segs, values):
            if value is None:
                continue
            sev = severity_for(value, len(seg.source.split()))
            if sev is None:
                continue
            cos = f", cosine {cal.inverse(value):.2f}"
            what = "looks unrelated to its source" if sev == "critical" else "renders little of its source"
            yield self.finding(
                seg, 0, len(seg.mt),
                f"the MT {what}: adequacy {value:.0f}/100 ({ctx.embedder.name} similarity{cos})",
                source_text=seg.source,
                severity=sev,
            )
