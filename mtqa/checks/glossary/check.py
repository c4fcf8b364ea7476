"""Glossary: required and forbidden French terms for English source terms (``--glossary``).

The glossary files are loaded once per run (``mtqa.checks.glossary.load``, kept in ``ctx.resources``). For every
segment whose source contains an entry's English term (any inflection; and one of its context
cues, when the entry has some), the aligned French must not contain a forbidden term and should
contain one of the target terms, both matched through inflection and elision.
"""

from __future__ import annotations

from collections.abc import Iterable

from mtqa.checks.base import Check, CheckContext, RuleInfo
from mtqa.checks.glossary.load import GlossaryEntry, GlossaryIndex, load_glossaries
from mtqa.model import Finding
from mtqa.text.matching import leftmost_longest


def glossary_index(ctx: CheckContext) -> GlossaryIndex:
    """The run's glossary entries, loaded and indexed once and shared through ``ctx.resources``."""
    key = ("glossary", tuple(ctx.settings.glossaries))
    if key not in ctx.resources:
        ctx.resources[key] = GlossaryIndex(load_glossaries(list(ctx.settings.glossaries)))
    return ctx.resources[key]


def glossary_entries(ctx: CheckContext) -> list[GlossaryEntry]:
    """The run's glossary entries, in file order."""
    return glossary_index(ctx).entries


def term_hits(terms, text: str) -> list[tuple[str, int, int]]:
    hits = []
    for t in terms:
        for m in t.regex.finditer(text):
            if m.end() > m.start():
                hits.append((t.text, m.start(), m.end()))
    return hits


class GlossaryCheck(Check):
    id = "glossary"
    category = "terminology/wrong-term"
    severity = "minor"
    doc = (
        "Desk glossary (CSV/TSV/TBX given with --glossary or [mtqa] glossary): for each English term in "
        "a source segment (and one of the entry's context cues, if it has any), the French must not use "
        "a forbidden term and should use a target term; both are matched case-insensitively through "
        "inflection and elision. Severity of a forbidden term: the entry's severity column if set; else "
        "minor terminology/wrong-term for a spelling variant of the target (Zelenskyy for Zelensky), "
        "major accuracy/mistranslation for a different word (grève for frappe, patriotes for Patriot)."
    )
    subrules = (
        RuleInfo("glossary.forbidden", "accuracy/mistranslation", "major",
                 "A forbidden French term for a glossary source term (major for a different word, minor "
                 "terminology/wrong-term for a spelling variant; the glossary's severity column overrides)."),
        RuleInfo("glossary.missing", "terminology/wrong-term", "minor",
                 "A glossary source term whose French target terms are all missing from the aligned MT."),
    )

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        if not ctx.settings.glossaries:
            return
        entries = glossary_index(ctx)
        for seg in ctx.segments:
            if not seg.source.strip() or not seg.mt.strip():
                continue
            for entry in entries.candidates(seg.source):
                src = entry.source_regex.search(seg.source)
                if src is None or not entry.applies(seg.source):
                    continue
                good = term_hits(entry.targets, seg.mt)
                bad = term_hits(entry.forbidden, seg.mt)
                # A forbidden hit inside a longer target hit is part of an allowed term.
                bad = [b for b in bad if not any(g[1] <= b[1] and b[2] <= g[2] and g[2] - g[1] > b[2] - b[1] for g in good)]
                # A target hit that a forbidden term covers as well is not a target (Patriot ⊂ patriotes).
                good = [g for g in good if not any(b[1] <= g[1] and g[2] <= b[2] for b in bad)]
                suggestion = entry.targets[0].text if entry.targets else None
                for text, start, end in leftmost_longest(bad):
                    term = next(t for t in entry.forbidden if t.text == text)
                    sev, cat = entry.forbidden_rule(term)
                    msg = f"Glossary: '{src.group()}' → '{suggestion}', not '{seg.mt[start:end]}'." if suggestion else \
                        f"Glossary: '{seg.mt[start:end]}' is not to be used for '{src.group()}'."
                    if entry.note:
                        msg += f" ({entry.note})"
                    yield self.finding(seg, start, end, msg, source_text=src.group(), suggestion=suggestion,
                                       severity=sev, category=cat, rule="glossary.forbidden",
                                       source_start=src.start(), source_end=src.end())
                if not bad and not good and entry.targets:
                    alts = " / ".join(t.text for t in entry.targets)
                    msg = f"Glossary: '{entry.source}' should be rendered '{alts}', not found here."
                    if entry.note:
                        msg += f" ({entry.note})"
                    yield self.finding(seg, 0, 0, msg, source_text=src.group(), suggestion=entry.targets[0].text,
                                       rule="glossary.missing", source_start=src.start(), source_end=src.end())
