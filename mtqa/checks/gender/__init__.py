"""The ``gender`` check package: English cues (``english``), French markers (``french``), the data
(``data``: ``mtqa/data/gender.yaml``) and the decision (``check.scan``); the ``Gender`` class reads
the previous sentences of each segment's paragraph as context."""

from __future__ import annotations

from collections.abc import Iterable

from mtqa.checks.base import Check, CheckContext
from mtqa.checks.gender.check import CONTEXT, scan
from mtqa.checks.gender.people import People
from mtqa.checks.glossary.check import glossary_entries
from mtqa.model import AlignedDocument, Finding

__all__ = ["Gender", "scan"]


def _unit(adoc: AlignedDocument, index: int) -> int | None:
    seg = adoc.segments[index]
    sents = adoc.doc.source.sentences
    if not seg.src_ids or not sents or seg.src_ids[0] >= len(sents):
        return None
    return sents[seg.src_ids[0]].unit


def context_of(adoc: AlignedDocument, index: int) -> list[str]:
    """The source sentences before segment ``index`` in its paragraph (at most ``CONTEXT``); the one
    segment before it when paragraphs are unknown or it opens its paragraph."""
    unit = _unit(adoc, index)
    out: list[str] = []
    for j in range(index - 1, max(-1, index - 1 - CONTEXT), -1):
        if unit is not None and _unit(adoc, j) != unit:
            break
        out.insert(0, adoc.segments[j].source)
    if not out and index > 0:
        out = [adoc.segments[index - 1].source]
    return out


class Gender(Check):
    id = "gender"
    category = "accuracy/mistranslation"
    severity = "major"
    doc = (
        "A person the English makes a woman or a man keeps that gender in the French. English cues: "
        "she/her/hers, he/him/his, titles (Mrs, Ms, Mr), gendered nouns (actress, king, mother) and, "
        "when the sentence has none, the previous sentences of the paragraph. French markers: person "
        "nouns (directeur/directrice, mtqa/data/gender.yaml), epicene nouns by their determiner "
        "(le/la ministre), the pronouns il/elle, the stressed lui/elle (avec lui, lui-même) and participles "
        "or adjectives after the person's name or il/elle. Major when the English cue is unambiguous and in "
        "the same sentence; minor when it comes from a previous sentence or the French word may be "
        "someone or something else. An English that leaves the gender unknown gives nothing (a "
        "generic masculine is right), and accepted usages (gender.yaml) are not errors. A glossary "
        "entry with a gender column (f/m) makes its name a cue like a pronoun."
    )

    @staticmethod
    def _people(ctx: CheckContext) -> People:
        """The glossary's people (entries with a gender), built once per run in ``ctx.resources``."""
        key = ("gender-people", tuple(ctx.settings.glossaries))
        if key not in ctx.resources:
            ctx.resources[key] = People(glossary_entries(ctx) if ctx.settings.glossaries else [])
        return ctx.resources[key]

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        people = self._people(ctx)
        for i, seg in enumerate(ctx.segments):
            if not seg.source or not seg.mt:
                continue
            for h in scan(seg.source, seg.mt, context_of(ctx.adoc, i), people=people or None):
                yield self.finding(seg, h.start, h.end, h.message, source_text=h.src_text, suggestion=h.suggestion,
                                   severity=h.severity, source_start=h.src_start, source_end=h.src_end)
