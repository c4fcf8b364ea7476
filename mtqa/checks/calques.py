"""False friends and calques: source-conditioned French patterns.

Data: ``mtqa/data/false_friends.yaml``. Each entry pairs an English pattern, matched in the source
segment, with a French pattern matched (through inflection and elision) in the aligned MT segment,
plus the idiomatic French to suggest. An entry fires only when the English supports the reading
("adresse" is flagged for a *video address*, never for a postal address), and can be vetoed by
English context (``source_absent``: "problems" in the source makes "problèmes" right) or by French
context (``require_absent``: "depuis le conflit" is fine when "début" is there).

One check, ``calque``, with two rules chosen by the entry's ``kind`` (``KINDS``):
``calque.false-friend`` and ``calque.calque``, described in ``Calques.subrules`` (what
``mtqa rules`` prints). Category and severity come from each entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mtqa.checks.base import Check, CheckContext, RuleInfo
from mtqa.model import SEVERITIES, Finding
from mtqa.ruledata import Field, Record, check_example, gc_paused, load_packaged_set, packaged_folder
from mtqa.text.matching import find_all, is_mid_sentence_capital, overlaps
from mtqa.text.morphology import cue_regex, french_regex
from mtqa.text.regex import (
    KeyGroups,
    LazyRegex,
    LiteralPrefilter,
    Regex,
    compile_list,
    generated_regex,
    required_literal_groups,
    valid_key_groups,
)

KINDS = {"false-friend": "calque.false-friend", "calque": "calque.calque"}
CATEGORIES = ("accuracy/mistranslation", "style/unidiomatic", "fluency/grammar", "terminology/wrong-term")

PATTERN_SPEC = {
    "id": Field(str, required=True),
    "kind": Field(str, required=True, choices=tuple(KINDS)),
    "source": Field((str, list), required=True),
    "source_context": Field(list),
    "source_absent": Field(list),
    "mt": Field((str, list), required=True),
    "require_absent": Field(list),
    "suggest": Field(str, required=True),
    "category": Field(str, required=True, choices=CATEGORIES),
    "severity": Field(str, required=True, choices=SEVERITIES),
    "note": Field(str, required=True),
    "example": Field(dict),  # {en, wrong, right}: a source sentence, faulty and right French (tested)
}
PATTERN_FILES = ("false_friends.yaml",)  # then every file of mtqa/data/calques/ (one per theme or beat)


@dataclass
class Pattern:
    id: str
    rule: str
    source: Regex  # one alternation of the entry's English patterns
    keys: KeyGroups | None  # a member of each of these must be in the folded source (prefilter)
    source_context: list[tuple[str, Regex]]
    source_absent: list[tuple[str, Regex]]
    mt: list[tuple[str, Regex]]
    require_absent: list[tuple[str, Regex]]
    suggest: str
    category: str
    severity: str
    note: str
    where: str
    example: dict | None = None  # {en, wrong, right}, exercised by tests/test_calque_data.py


def _as_list(value: str | list, rec: Record, field: str) -> list:
    items = [value] if isinstance(value, str) else value
    if not items:
        raise rec.error(f"field '{field}' is empty")
    return items


def build_patterns(records: list[Record]) -> list[Pattern]:
    out: list[Pattern] = []
    seen: dict[str, str] = {}
    for rec in records:
        pid = rec["id"].strip()
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", pid):
            raise rec.error(f"id '{pid}' must be lower-case letters, digits and hyphens")
        if pid in seen:
            raise rec.error(f"id '{pid}' is already used at {seen[pid]}")
        seen[pid] = rec.where()
        check_example(rec)
        items = _as_list(rec["source"], rec, "source")
        sources = compile_list(items, rec, "source", cue_regex)
        hand_written = any(x.startswith("re:") for x in items)  # then the alternation may be bad too
        source = generated_regex("|".join(f"(?:{rx.pattern})" for _, rx in sources), hand_written, rec, "source")
        out.append(
            Pattern(
                id=pid,
                rule=KINDS[rec["kind"]],
                source=source,
                keys=None,  # set below, for every entry at once (``source_keys``)
                source_context=compile_list(rec.get("source_context", []), rec, "source_context", cue_regex),
                source_absent=compile_list(rec.get("source_absent", []), rec, "source_absent", cue_regex),
                mt=compile_list(_as_list(rec["mt"], rec, "mt"), rec, "mt", french_regex),
                require_absent=compile_list(rec.get("require_absent", []), rec, "require_absent", french_regex),
                suggest=rec["suggest"],
                category=rec["category"],
                severity=rec["severity"],
                note=rec["note"],
                where=rec.where(),
                example=rec.get("example"),
            )
        )
    for p, keys in zip(out, source_keys([(p.source.pattern, p.source.flags) for p in out]), strict=True):
        p.keys = keys
    return out


def source_keys(sources: list[tuple[str, int]]) -> list[KeyGroups | None]:
    """``required_literal_groups`` of each (pattern, flags): ~0.05 s for the packaged entries, so
    kept in the disk cache (``mtqa.diskcache``) under a key made of the sources and of the code that
    scans them (``mtqa/text/regex.py`` and ``mtqa/text/matching.py``, whose ``fold`` folds the
    keys): an edit to either, or other sources, computes them again. A cached value of the wrong
    shape (``valid_key_groups``) is not used: the sources are scanned."""
    from mtqa import diskcache
    from mtqa.text import matching
    from mtqa.text import regex as rx

    def scan() -> list[KeyGroups | None]:
        return [required_literal_groups(pattern, flags) for pattern, flags in sources]

    try:
        code = b"".join(Path(m.__file__).read_bytes() for m in (rx, matching))  # type: ignore[arg-type]
    except (OSError, TypeError):  # no source files at hand: nothing to key the cache on
        return scan()
    raw = code + b"\0" + "\0".join(f"{flags}:{pattern}" for pattern, flags in sources).encode("utf-8", "surrogatepass")
    cached = diskcache.cached_parse("calques/source-keys", raw, scan)
    if isinstance(cached, list) and len(cached) == len(sources) and all(map(valid_key_groups, cached)):
        return cached
    return scan()


@cache
def load_patterns() -> tuple[Pattern, ...]:
    """The packaged patterns, validated and compiled once per process."""
    names = PATTERN_FILES + packaged_folder("calques")
    with gc_paused():
        return tuple(build_patterns(load_packaged_set(names, PATTERN_SPEC, key="patterns")))


@cache
def load_prefilter() -> LiteralPrefilter:
    return LiteralPrefilter([p.keys for p in load_patterns()])


def _search_passed(rx: Regex, text: str) -> re.Match | None:
    """``rx.search(text)`` for a text that passed the prefilter, which tested the literals a
    ``LazyRegex`` would test again."""
    return rx.compiled.search(text) if isinstance(rx, LazyRegex) else rx.search(text)


class Calques(Check):
    id = "calque"
    category = "accuracy/mistranslation"
    severity = "major"
    doc = (
        "False friends and calques, conditioned on the English source. For every entry of "
        "mtqa/data/false_friends.yaml whose English pattern is in the source segment (and whose "
        "context conditions hold), the aligned French is searched for the faulty rendering; the "
        "finding names the English span, the French span and the idiomatic French to use. "
        "Category and severity come from the entry."
    )
    subrules = (
        RuleInfo(
            "calque.false-friend", "accuracy/mistranslation", "major",
            "A French word that looks like the English one but means something else, where the "
            "English sense is clear from the source: address (speech) → adresse, issues → "
            "problèmes, eventually → éventuellement, actually → actuellement, library → librairie.",
        ),
        RuleInfo(
            "calque.calque", "style/unidiomatic", "minor",
            "An English construction copied word for word: with input from → avec entrée de, it was "
            "in talks → c'était en pourparlers, called the attack X → a appelé l'attaque X, came a "
            "day after → est venue un jour après, since the conflict began → depuis le conflit.",
        ),
    )

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        patterns = load_patterns()
        prefilter = load_prefilter()
        for seg in ctx.segments:
            if not seg.source or not seg.mt:
                continue
            flagged: list[tuple[int, int]] = []
            # only the entries whose needed English literals are all in the segment (data order)
            for i in prefilter.candidates(seg.source):
                p = patterns[i]
                m = _search_passed(p.source, seg.source)
                if m is None or (p.rule == "calque.false-friend" and is_mid_sentence_capital(seg.source, m.start())):
                    continue  # a capitalised word mid-sentence is a name (Tenant Fees Act, Nick Cave)
                src_text = m.group(0).rstrip(" \"“‘«'")
                if p.source_context and not any(rx.search(seg.source) for _, rx in p.source_context):
                    continue
                if any(rx.search(seg.source) for _, rx in p.source_absent):
                    continue
                hits = find_all(p.mt, seg.mt)
                if not hits or any(rx.search(seg.mt) for _, rx in p.require_absent):
                    continue
                for _, start, end in hits:
                    if overlaps((start, end), flagged):
                        continue
                    flagged.append((start, end))
                    yield self.finding(
                        seg, start, end,
                        message=(
                            f"'{seg.mt[start:end]}' for '{src_text}': {p.note} "
                            f"[{p.id}]"
                        ),
                        source_text=src_text,
                        suggestion=p.suggest,
                        severity=p.severity,
                        category=p.category,
                        rule=p.rule,
                        source_start=m.start(),
                        source_end=m.start() + len(src_text),
                    )
