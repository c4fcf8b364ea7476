"""The ``names`` check: names of the source must survive in the aligned French.

Rules (what each flags, with its category and severity, is written once, in ``Names.subrules``):
``names.protected`` and ``names.missing`` (``core``: listed names, exonyms, any capitalised
mid-sentence name), ``names.translated`` (``translated``: a name made of common English words
rendered word by word, found with a dictionary and the cross-lingual embedder) and
``names.organisation`` (``organisations``: a literal rendering of an international organisation
whose French form is fixed, ``mtqa/data/organisations.yaml``).
"""

from __future__ import annotations

from collections.abc import Iterable

from mtqa.checks.base import Check, CheckContext, RuleInfo
from mtqa.checks.names import organisations, spans, translated
from mtqa.checks.names.core import (
    COMMON_SPEC,
    EXONYM_SPEC,
    NAME_SPEC,
    WORD_NAME_SPEC,
    NameData,
    _Hit,
    build_name_data,
    load_name_data,
    scan_document,
)
from mtqa.embed.base import Embedder
from mtqa.model import Finding, Segment
from mtqa.text.matching import overlaps

__all__ = ["COMMON_SPEC", "EXONYM_SPEC", "NAME_SPEC", "WORD_NAME_SPEC", "NameData", "Names", "build_name_data",
           "load_name_data", "scan_document"]


class Names(Check):
    id = "names"
    category = "accuracy/mistranslation"
    severity = "critical"
    doc = (
        "Names of the source must survive in the aligned French: verbatim, as a close spelling "
        "(transliteration) or as an accepted exonym (mtqa/data/exonyms.yaml). Protected names "
        "(mtqa/data/protected_names.yaml: weapon systems, companies, products, media) turned into a "
        "common noun or translated word by word are critical."
    )
    subrules = (
        RuleInfo(
            "names.protected", "accuracy/mistranslation", "critical",
            "A name turned into a common noun or translated word by word. Critical when the aligned "
            "French has a rendering listed as wrong for a name of protected_names.yaml (Patriot → "
            "patriotes, Shell → coquille, Leopard → léopard) or exonyms.yaml (Turkey → dinde), unless "
            "the English itself uses the common word, and when a person's surname that is also a word "
            "is translated (Mary Fox → Marie Renard); minor when another capitalised mid-sentence name "
            "survives only as a lower-case look-alike.",
        ),
        RuleInfo(
            "names.translated", "accuracy/mistranslation", "critical",
            "A name made of common English words (Iron Dome, HMS Defender, Blue Origin, Microsoft Teams) "
            "rendered word by word in the French: found by mechanism (a capitalised mid-sentence group with "
            "English dictionary words, whose French translations the cross-lingual embedder finds together "
            "in the aligned segment), not by a list; on the French span. Needs an embedder; conventional "
            "translations (translated_names.yaml: heads such as Court or Sea, accepted forms such as "
            "Croix-Rouge) stay quiet.",
        ),
        RuleInfo(
            "names.organisation", "accuracy/mistranslation", "major",
            "An organisation of organisations.yaml (UN agencies, EU institutions, courts, agencies, NGOs, "
            "central banks…) named in the source, rendered in the French by a listed literal form "
            "(Organisation de la santé mondiale, Cour criminelle internationale) or by a near miss of its "
            "accepted form (most of its content words, in another order or with a word changed), instead "
            "of its accepted French form.",
        ),
        RuleInfo(
            "names.missing", "accuracy/mistranslation", "minor",
            "A name of the source (listed, or capitalised mid-sentence) of which neither the name, a "
            "close spelling nor an accepted exonym (Kyiv → Kiev, Germany → Allemagne, NATO → OTAN) "
            "appears in the aligned French or its neighbouring segments. Sentence-initial capitals, "
            "quotations and listed capitalised common words (days, titles, demonyms) are ignored.",
        ),
    )

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        for i, h in _all_hits(ctx):
            yield self.finding(
                ctx.segments[i], h.start, h.end, h.message, source_text=h.src, suggestion=h.suggestion,
                severity=h.severity, rule=h.rule, source_start=h.src_start, source_end=h.src_end,
            )


def _covered(src: str, data: NameData) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in data.source_rx.finditer(src)] if data.source_rx is not None else []


def _all_hits(ctx: CheckContext) -> list[tuple[int, _Hit]]:
    """The list-based hits, then the mechanism's (translated names); a listed or generic finding on
    the source span of a mechanism finding gives way to it."""
    data = load_name_data()
    listed = scan_document(ctx.segments)
    extra: list[tuple[int, _Hit]] = []
    flagged = {i: [(h.start, h.end) for j, h in listed if j == i and h.severity == "critical"] for i, _ in listed}
    for i, seg in enumerate(ctx.segments):
        if not seg.source or not seg.mt:
            continue
        orgs = [h for h in organisations.scan_segment(seg.source, seg.mt, ctx.embedder)
                if not overlaps((h.start, h.end), flagged.get(i, []))]
        skip = _covered(seg.source, data) + [(h.src_start, h.src_end) for h in orgs]
        extra.extend((i, h) for h in orgs)
        if ctx.embedder is not None:
            extra.extend((i, h) for h in translated.scan_segment(seg.source, seg.mt, data, ctx.embedder, skip))
    taken = {i: [(h.src_start, h.src_end) for j, h in extra if j == i] for i, _ in extra}
    kept = [(i, h) for i, h in listed
            if (h.rule == "names.protected" and h.severity == "critical")
            or not overlaps((h.src_start, h.src_end), taken.get(i, []))]
    for i, h in kept:
        if h.rule == "names.missing":
            _place_missing(h, ctx.segments[i], data, ctx.embedder)
    return sorted(kept + extra, key=lambda x: x[0])


def _place_missing(h: _Hit, seg: Segment, data: NameData, embedder: Embedder | None) -> None:
    """Point a ``names.missing`` finding at the French span that renders the name, when one can be
    identified (``spans.missing_span``); otherwise it stays segment-level."""
    span = spans.missing_span(seg.source, seg.mt, h.src, h.src_start, data, embedder)
    if span is None:
        return
    h.start, h.end = span
    h.message += f" The French has '{seg.mt[h.start:h.end]}' in its place: a misspelling or a rendering?"
