"""Wrong sense in context: an English news word whose French rendering fits another of its senses.

Data: ``mtqa/data/sense.yaml`` — headwords, each with senses; a sense has source-context cue words
that select it and French renderings that are right or wrong for it. For every headword in a source
segment the check picks the sense from the cues (same segment first, then the neighbouring
segments, then the whole document), then looks for a wrong rendering of that sense in the aligned
French. Matching helpers (English forms, French inflection/elision patterns) live in ``mtqa.lexical``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from mtqa.checks import register
from mtqa.checks.base import Check, CheckContext
from mtqa.lexical import (
    compile_list,
    cue_regex,
    english_regex,
    find_all,
    french_regex,
    is_mid_sentence_capital,
    lower_severity,
)
from mtqa.model import SEVERITIES, Finding, Segment
from mtqa.ruledata import Field, Record, compile_regex, load_packaged, validate_records

# ---------------------------------------------------------------- sense data

HEADWORD_SPEC = {
    "word": Field(str, required=True),
    "forms": Field(list),
    "domain": Field(str),
    "senses": Field(list, required=True),
}
SENSE_SPEC = {
    "sense": Field(str, required=True),
    "cues": Field(list),
    "strong": Field(list),
    "right": Field(list),
    "wrong": Field(list),
    "default": Field(bool),
    "severity": Field(str, choices=SEVERITIES),
    "note": Field(str),
}


@dataclass
class Sense:
    name: str
    cues: list[tuple[str, re.Pattern]]
    strong: list[tuple[str, re.Pattern]]
    right: list[tuple[str, re.Pattern]]
    wrong: list[tuple[str, re.Pattern]]
    default: bool
    severity: str
    note: str | None
    where: str


@dataclass
class Headword:
    word: str
    regex: re.Pattern
    domain: str
    senses: list[Sense]
    where: str


def build_headwords(records: list[Record]) -> list[Headword]:
    out = []
    seen: set[str] = set()
    for rec in records:
        word = rec["word"].strip()
        if word.lower() in seen:
            raise rec.error(f"headword '{word}' is listed twice")
        seen.add(word.lower())
        forms = rec.get("forms", [])
        if not all(isinstance(f, str) for f in forms):
            raise rec.error("field 'forms' must be a list of strings")
        senses_recs = validate_records(rec["senses"], rec.path, SENSE_SPEC)
        if len(senses_recs) < 2:
            raise rec.error(f"headword '{word}' needs at least two senses")
        senses = []
        for s in senses_recs:
            cues = compile_list(s.get("cues", []), s, "cues", cue_regex)
            strong = compile_list(s.get("strong", []), s, "strong", cue_regex)
            if not cues and not strong:
                raise s.error("a sense needs 'cues' or 'strong' cue words")
            senses.append(
                Sense(
                    name=s["sense"],
                    cues=cues,
                    strong=strong,
                    right=compile_list(s.get("right", []), s, "right", french_regex),
                    wrong=compile_list(s.get("wrong", []), s, "wrong", french_regex),
                    default=s.get("default", False),
                    severity=s.get("severity", "major"),
                    note=s.get("note"),
                    where=s.where(),
                )
            )
        if sum(s.default for s in senses) > 1:
            raise rec.error(f"headword '{word}': at most one sense may be the default")
        out.append(
            Headword(
                word=word,
                regex=compile_regex(english_regex(word, forms), rec, "word"),
                domain=rec.get("domain", ""),
                senses=senses,
                where=rec.where(),
            )
        )
    return out


@lru_cache(maxsize=None)
def load_headwords() -> tuple[Headword, ...]:
    """The packaged sense data, validated and compiled once per process."""
    return tuple(build_headwords(load_packaged("sense.yaml", HEADWORD_SPEC, key="headwords")))


# ---------------------------------------------------------------- the check


def _cue_score(sense: Sense, text: str, exclude: list[tuple[int, int]]) -> int:
    score = 0
    for weight, cues in ((1, sense.cues), (3, sense.strong)):
        for _, rx in cues:
            for m in rx.finditer(text):
                # a cue that is only the headword itself does not count; a phrase around it does
                if not any(s <= m.start() and m.end() <= e for s, e in exclude):
                    score += weight
    return score


@dataclass
class SenseChoice:
    sense: Sense | None
    basis: str  # "segment", "neighbours", "document", "default", "ambiguous"
    scores: dict[str, int]


def choose_sense(hw: Headword, text: str, spans: list[tuple[int, int]], neighbours: str, document: str) -> SenseChoice:
    """Pick the sense whose cues win in the segment, else the neighbours, else the document."""
    scores: dict[str, int] = {}
    for basis, ctx, excl in (("segment", text, spans), ("neighbours", neighbours, []), ("document", document, [])):
        if basis != "segment":
            excl = [(m.start(), m.end()) for m in hw.regex.finditer(ctx)]
        scores = {s.name: _cue_score(s, ctx, excl) for s in hw.senses}
        ranked = sorted(hw.senses, key=lambda s: scores[s.name], reverse=True)
        best, second = scores[ranked[0].name], scores[ranked[1].name]
        if best > 0 and best > second:
            return SenseChoice(ranked[0], basis, scores)
        if best > 0 and basis == "segment":
            return SenseChoice(None, "ambiguous", scores)
    default = next((s for s in hw.senses if s.default), None)
    return SenseChoice(default, "default" if default else "ambiguous", scores)


def _renderings(patterns: list[tuple[str, re.Pattern]]) -> str:
    return ", ".join(f"'{label[3:] if label.startswith('re:') else label}'" for label, _ in patterns[:3])


@register
class WrongSense(Check):
    id = "sense.wrong"
    category = "accuracy/mistranslation"
    severity = "major"
    doc = (
        "Wrong sense in context. For each English headword of mtqa/data/sense.yaml in a source "
        "segment (strike, trial, sentence, rally, bond, plant, …) the sense is chosen from the cue "
        "words around it (same segment, then neighbouring segments, then the whole document); the "
        "aligned French is then searched, through inflection and elision, for renderings that are "
        "wrong for that sense (grève for a missile strike, frappe for a workers' strike). Severity "
        "comes from the data when the segment's own cues decide, one step lower when only the "
        "neighbours decide, minor when only the document or the default sense does (the message "
        "says the context is thin). Where no right rendering is present the finding says so."
    )

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        headwords = load_headwords()
        segs = ctx.segments
        document = ctx.adoc.doc.source.text
        for i, seg in enumerate(segs):
            if not seg.source or not seg.mt:
                continue
            neighbours = " ".join(s.source for s in segs[max(0, i - 1) : i + 2] if s is not seg)
            flagged: set[tuple[int, int]] = set()
            for hw in headwords:
                spans = [
                    (m.start(), m.end())
                    for m in hw.regex.finditer(seg.source)
                    if not is_mid_sentence_capital(seg.source, m.start())
                ]
                if not spans:
                    continue
                yield from self._check_headword(hw, seg, spans, neighbours, document, flagged)

    def _check_headword(self, hw, seg: Segment, spans, neighbours, document, flagged) -> Iterable[Finding]:
        choice = choose_sense(hw, seg.source, spans, neighbours, document)
        if choice.sense is None:
            return
        sense = choice.sense
        wrong_hits = find_all(sense.wrong, seg.mt)
        if not wrong_hits:
            return
        right_hits = find_all(sense.right, seg.mt)
        src_word = seg.source[spans[0][0] : spans[0][1]]
        sev = sense.severity
        context_note = ""
        if choice.basis == "neighbours":
            sev = lower_severity(sev)
            context_note = " (sense decided by the neighbouring sentences)"
        elif choice.basis in ("document", "default"):
            sev = "minor"
            context_note = (
                " (no cue in this sentence: sense taken from the rest of the document)"
                if choice.basis == "document"
                else " (no context cue found: the usual news sense is assumed; check)"
            )
        expected = _renderings(sense.right) or "another rendering"
        for label, start, end in wrong_hits:
            if (start, end) in flagged:
                continue
            # A wrong rendering that is right for another sense also present in the segment's
            # source cues is left alone only when the chosen sense also has a right rendering here.
            local_sev = sev
            tail = ""
            if right_hits:
                local_sev = "minor"
                tail = f"; '{seg.mt[right_hits[0][1]:right_hits[0][2]]}' is also present, check which word renders '{src_word}'"
            else:
                tail = f"; none of the expected renderings ({expected}) is present"
            flagged.add((start, end))
            note = f" {sense.note}" if sense.note else ""
            yield self.finding(
                seg,
                start,
                end,
                message=(
                    f"'{src_word}' here means {sense.name}{context_note}, but the French "
                    f"'{seg.mt[start:end]}' renders another sense{tail}.{note}"
                ),
                source_text=src_word,
                suggestion=expected.replace("'", "").split(", ")[0] if sense.right else None,
                severity=local_sev,
                source_start=spans[0][0],
                source_end=spans[0][1],
            )
