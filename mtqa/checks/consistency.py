"""Consistency within one document.

``consistency.rendering`` — a source name written the same way throughout (``Kyiv`` ×4) but rendered
in several ways in the French (``Kiev`` ×3, ``Kyiv`` ×1). For each capitalised source name that
occurs in two or more segments, the French rendering in each aligned segment is the capitalised
word closest to it (same consonant skeleton, ``Kyiv``/``Kiev``/``Kyïv``, or similar letters). When a
document has several renderings, the minority ones are flagged; with a glossary entry for the
name, every rendering that is not one of its targets is the minority.

``consistency.collision`` — one French term standing for two different source terms, which changes
the meaning. Two sources of evidence: (a) two different source names rendered by the same French
word in one document; (b) glossary terms: a target reserved for one entry (``frappe`` for ``strike``)
used in a segment whose source has another entry's term (``hit``) and not its own, while the other
entry's target is missing.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from mtqa.checks.base import Check, CheckContext, RuleInfo
from mtqa.checks.glossary.check import glossary_entries, glossary_index, term_hits
from mtqa.checks.names.core import load_name_data
from mtqa.model import Finding, Segment
from mtqa.text.matching import accent_fold
from mtqa.text.morphology import is_english_word

_NAME = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:-[A-ZÀ-ÖØ-Þ][^\W\d_]+)*")
_VOWELS = set("aeiouy")
_DEMONYM = re.compile(r"(?:[ie]ans?|eses?|ish|is)$")


_folded = lru_cache(maxsize=1 << 14)(accent_fold)  # names are compared with the same words many times


@lru_cache(maxsize=1 << 14)
def skeleton(word: str) -> str:
    """Consonant skeleton of a name, first letter kept: Kyiv/Kiev → kv, Zelenskyy/Zelensky → zlnsk."""
    w = _folded(word)
    out = w[:1]
    for c in w[1:]:
        if c in _VOWELS or not c.isalpha():
            continue
        if out and out[-1] == c:
            continue
        out += c
    return out


@lru_cache(maxsize=1 << 16)  # a name is compared with the same French words in many segments
def similar(a: str, b: str) -> float:
    fa, fb = _folded(a), _folded(b)
    if fa == fb:
        return 1.0
    if skeleton(a) == skeleton(b) and len(skeleton(a)) >= 2 and fa[:1] == fb[:1]:
        return 0.9
    return difflib.SequenceMatcher(None, fa, fb).ratio()


def source_names(segments: list[Segment]) -> dict[str, set[int]]:
    """Capitalised source words (not sentence-initial only) → segment indexes where they occur."""
    where: dict[str, set[int]] = defaultdict(set)
    mid: set[str] = set()
    for i, seg in enumerate(segments):
        for m in _NAME.finditer(seg.source):
            name = m.group()
            where[name].add(i)
            before = seg.source[: m.start()].rstrip(" \"'“‘(")
            if before and before[-1] not in ".!?:\n":
                mid.add(name)
    # English capitalises adjectives of nationality (European, Ukrainian, Japanese, British); French
    # does not, and its nouns (les Européens) are other words: they are not names to track.
    return {n: s for n, s in where.items() if n in mid and len(n) >= 4 and not _DEMONYM.search(n)}


def form_key(form: str) -> str:
    """Forms that differ only by a plural -s/-x are one rendering (Transport/Transports)."""
    f = form.casefold()
    return f[:-1] if len(f) > 4 and f[-1] in "sx" else f


Site = tuple[Segment, int, int, str]  # (segment, start, end in its French, the French form or the source name)


def _renderings_of(name: str, segments: list[Segment]) -> list[Site]:
    """In each segment's French, the capitalised words closest to ``name`` (all of them on a tie),
    when close enough to be its rendering; a longer derived word is not one (Australie → Australiens)."""
    sites: list[Site] = []
    for seg in segments:
        if not seg.mt:
            continue
        best, best_score = [], 0.0
        for m in _NAME.finditer(seg.mt):
            s = similar(name, m.group())
            if len(m.group()) > len(name) + 1 and s < 0.9:
                continue  # a derived word (Australie → Australiens), not a rendering
            if s > best_score + 1e-9:
                best, best_score = [m], s
            elif abs(s - best_score) < 1e-9:
                best.append(m)
        if best_score < 0.75:
            continue
        sites.extend((seg, m.start(), m.end(), m.group()) for m in best)
    return sites


def letters_changed(a: str, b: str) -> int:
    """Letters to change, add or drop to turn ``a`` into ``b`` (difflib's opcodes: no edit-distance
    library is a dependency, and names are short)."""
    ops = difflib.SequenceMatcher(None, a, b).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


def misspelt(name: str, form: str, kept: str) -> bool:
    """True when the document's usual rendering (the caller asks for twice as many uses) is the
    source spelling and ``form`` changes one or two of its letters (Kovalenko ×3, Kovalenco ×1): a misspelt name, not a transliteration choice.
    Names with accepted French forms (exonyms.yaml: Mexico → Mexique) vary legitimately, and a name
    that is an English word may be translated (names.translated judges that)."""
    if form_key(kept) != form_key(name) or len(name) < 5:
        return False
    a, b = _folded(name).casefold(), _folded(form).casefold()
    if form_key(a) == form_key(b) or letters_changed(a, b) > 2 or name in load_name_data().by_form:
        return False
    return not is_english_word(name)  # Comedy → Comédie: a name of common words, translated


class Consistency(Check):
    id = "consistency"
    category = "terminology/inconsistent"
    severity = "minor"
    doc = (
        "Consistency within a document: a source name rendered in several ways in the French "
        "(Kyiv → Kiev ×3 and Kyiv ×1: the minority rendering is flagged, or every rendering that is not "
        "the glossary's target), and one French term standing for two different source terms (two "
        "source names rendered alike; a target the glossary reserves for one term used for another)."
    )
    subrules = (
        RuleInfo("consistency.rendering", "terminology/inconsistent", "minor",
                 "The same source name rendered differently within one document; the minority (or "
                 "non-glossary) rendering is flagged. Major (accuracy/mistranslation) when the "
                 "document otherwise keeps the source spelling and this rendering changes one or "
                 "two of its letters: a misspelt name (Kovalenko ×3, Kovalenco ×1)."),
        RuleInfo("consistency.collision", "accuracy/mistranslation", "minor",
                 "One French term used for two different source terms (names rendered alike, or a "
                 "glossary target reserved for another term)."),
    )

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        yield from self._renderings(ctx)
        if ctx.settings.glossaries:
            yield from self._glossary_collisions(ctx)

    def _renderings(self, ctx: CheckContext) -> Iterable[Finding]:
        segments = ctx.segments
        entries = glossary_entries(ctx) if ctx.settings.glossaries else []
        form_sources: dict[str, set[str]] = defaultdict(set)
        form_sites: dict[str, list[Site]] = defaultdict(list)
        for name, seg_ids in sorted(source_names(segments).items()):
            if len(seg_ids) < 2:
                continue
            sites = _renderings_of(name, [segments[i] for i in sorted(seg_ids)])
            for seg, start, end, form in sites:
                form_sources[form_key(form)].add(name)
                form_sites[form_key(form)].append((seg, start, end, name))
            yield from self._minority_renderings(name, sites, entries)
        for form, srcs in form_sources.items():
            yield from self._name_collisions(sorted(srcs), form_sites[form])

    def _minority_renderings(self, name: str, sites: list[Site], entries: list) -> Iterable[Finding]:
        """The renderings of ``name`` other than the kept one: the glossary's targets when the
        document uses one, else the most frequent rendering (the first used, on a tie)."""
        forms = Counter(form_key(f) for *_, f in sites)
        if len(forms) < 2:
            return
        targets = {form_key(t.text) for e in entries if e.source.casefold() == name.casefold() for t in e.targets}
        if targets & set(forms):
            keep = targets & set(forms)
        else:
            top = max(forms.values())
            # Ties: the rendering used first wins.
            first = next(form_key(f) for *_, f in sites if forms[form_key(f)] == top)
            keep = {first}
        shown: dict[str, str] = {}
        for *_, f in sites:
            shown.setdefault(form_key(f), f)
        counts = ", ".join(f"{shown[k]} ×{n}" for k, n in forms.most_common())
        right = next(f for *_, f in sites if form_key(f) in keep)
        for seg, start, end, form in sites:
            if form_key(form) in keep:
                continue
            if misspelt(name, form, right) and forms[form_key(right)] >= 2 * forms[form_key(form)]:
                yield self.finding(
                    seg, start, end,
                    f"'{name}' is misspelt '{form}' here; the source and the rest of the document write "
                    f"'{right}' ({counts}).",
                    source_text=name, suggestion=right, rule="consistency.rendering",
                    severity="major", category="accuracy/mistranslation",
                )
                continue
            yield self.finding(
                seg, start, end,
                f"'{name}' is rendered '{form}' here but '{right}' elsewhere in the document ({counts}).",
                source_text=name, suggestion=right, rule="consistency.rendering",
            )

    def _name_collisions(self, srcs: list[str], sites: list[Site]) -> Iterable[Finding]:
        """Two unrelated source names (not variants of each other) rendered by one French word."""
        if len(srcs) < 2 or all(skeleton(a) == skeleton(b) for a in srcs for b in srcs):
            return  # spelling variants of one name in the source
        seen = set()
        for seg, start, end, name in sites:
            if (seg.index, start) in seen or similar(name, seg.mt[start:end]) >= 0.99:
                continue
            if any(similar(other, seg.mt[start:end]) >= 0.99 for other in srcs if other in seg.source):
                continue  # the segment also names the other one: cannot tell which is which
            seen.add((seg.index, start))
            others = ", ".join(s for s in srcs if s != name)
            yield self.finding(seg, start, end,
                               f"'{seg.mt[start:end]}' renders both '{name}' and {others} in this document.",
                               source_text=name, rule="consistency.collision")

    def _glossary_collisions(self, ctx: CheckContext) -> Iterable[Finding]:
        index = glossary_index(ctx)  # the entries a segment can match: linear in the glossary
        for seg in ctx.segments:
            if not seg.source.strip() or not seg.mt.strip():
                continue
            present = [(e, m) for e in index.candidates(seg.source) if e.targets
                       and (m := e.source_regex.search(seg.source)) and e.applies(seg.source)]
            present_src = {e.source.casefold() for e, _ in present}
            for other, src_match in present:
                if other.source[:1].isupper() or term_hits(other.targets, seg.mt) or term_hits(other.forbidden, seg.mt):
                    continue  # a name, or its own (or a forbidden: glossary.forbidden) rendering is there
                for owner in index.owners(seg.mt):
                    if not owner.targets or (owner.source.casefold() in present_src or owner.source[:1].isupper()
                            or owner.source_regex.search(seg.source)):
                        continue
                    owner_targets = {t.text.casefold() for t in owner.targets}
                    if owner_targets & {t.text.casefold() for t in other.targets}:
                        continue
                    for _, start, end in term_hits(owner.targets, seg.mt):
                        yield self.finding(
                            seg, start, end,
                            f"'{seg.mt[start:end]}' is the glossary rendering of '{owner.source}', but the source "
                            f"here says '{other.source}' ({' / '.join(t.text for t in other.targets)}).",
                            source_text=src_match.group(),
                            suggestion=other.targets[0].text, rule="consistency.collision",
                        )
