"""The ``gender`` check: a person the English makes a woman (or a man) must stay one in the French.

For each aligned segment the English gives a gender through its pronouns, titles and the names of
the glossary's people (an entry with a ``gender`` column), every cue agreeing (one person, or
several of one gender), else through those of the previous sentences of the paragraph, and
through gendered nouns (actress, king, Mrs). The French markers (``french``)
of the other gender are findings when:

1. the English has a gendered noun of the other gender for the French noun (queen → roi): major;
2. the French noun's English counterpart names the sentence's person (``linked``: she was a teacher
   → un professeur): major, minor when the gender comes from a previous sentence;
3. a French person noun with no English counterpart, or a pronoun il/elle, disagrees with the
   gender of the sentence: major for a pronoun when the English has no ``it`` (il/elle may then
   be a thing), minor otherwise and when the gender comes from a previous sentence.

Nothing when the English leaves the gender unknown (a generic masculine is right), for plural
nouns judged by a pronoun's gender (groups take the masculine), when the English also has a
person of the marker's gender, or inside an accepted usage of ``gender.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mtqa.checks.gender.data import GenderData, load_gender_data
from mtqa.checks.gender.english import (
    GENDER_WORD,
    REFLEXIVE,
    Cue,
    Noun,
    Token,
    cues,
    has_neuter,
    linked,
    nouns,
    person_gender,
    pronoun_count,
    quoted,
    tokens,
)
from mtqa.checks.gender.french import Marker, markers

NAMES = {"m": "masculine", "f": "feminine"}
AGENT = frozenset({"by", "with", "from", "for"})  # before a noun that is someone else than the sentence's person
CONTEXT = 2  # previous sentences of the paragraph read for a gender


@dataclass
class Hit:
    start: int
    end: int
    severity: str
    message: str
    suggestion: str | None
    src_start: int | None
    src_end: int | None
    src_text: str


@dataclass
class Source:
    """What the English says about gender: the person's gender and where it comes from."""

    gender: str | None
    cue: Cue | None
    from_context: bool
    toks: list[Token]
    nouns: list[Noun]
    neuter: bool
    text: str
    pronouns: int = 0  # English pronouns of the person's gender that French renders as il/elle/lui
    quoted: bool = False  # every cue is inside a quotation: nouns outside it may be someone else
    animal: bool = False  # the English names an animal: she/he may be the animal, il/elle its noun


Names = Callable[[str], list[Cue]]  # the glossary's people named in an English text (``people.People``)


def _cues(text: str, people: Names | None, toks: list[Token] | None = None) -> list[Cue]:
    found = cues(text, toks)
    return sorted(found + people(text), key=lambda c: c.start) if people else found


def read_source(source: str, context: list[str], data: GenderData, people: Names | None = None) -> Source:
    toks = tokens(source)
    found = _cues(source, people, toks)
    gender, cue = person_gender(found)
    from_context = False
    if not found:
        for prev in reversed(context[-CONTEXT:]):
            prev_cues = _cues(prev, people)
            if prev_cues:
                gender, cue = person_gender(prev_cues)
                from_context = gender is not None
                break
    count = pronoun_count(toks, gender, source) if gender and not from_context else 0
    quotes = quoted(source)
    in_quotes = bool(found) and all(any(a <= c.start < b for a, b in quotes) for c in found)
    animal = any(t.low in data.animals for t in toks)
    return Source(gender, cue, from_context, toks, nouns(toks, source, data), has_neuter(toks), source, count,
                  in_quotes, animal)


def _english_genders(src: Source, entries: Iterable[int]) -> tuple[set[str | None], list[Noun]]:
    """The genders the English gives the entries' nouns (None: a neutral word), with the nouns."""
    wanted = set(entries)
    genders: set[str | None] = set()
    found: list[Noun] = []
    for n in src.nouns:
        gs = {g for e, g in n.entries if e in wanted}
        if gs:
            genders |= gs
            found.append(n)
    return genders, found


def _person_of(src: Source, gender: str, data: GenderData) -> bool:
    """Whether the English names someone of ``gender`` by a gendered noun (her father, the queen)."""
    return any(g == gender for n in src.nouns for _, g in n.entries)


def _hit(mk: Marker, severity: str, evidence: str, src_span: tuple[int, int] | None, src: Source,
         note: str = "") -> Hit:
    want = "feminine" if mk.gender == "m" else "masculine"
    message = f"'{mk.text}' is {NAMES[mk.gender]}, but the English makes this person {want}: {evidence}{note}."
    a, b = src_span if src_span else (None, None)
    return Hit(mk.start, mk.end, severity, message, mk.suggestion, a, b, src.text[a:b] if a is not None else "")


def _cue_evidence(src: Source) -> tuple[str, tuple[int, int] | None, str]:
    assert src.cue is not None
    if src.from_context:
        return f"'{src.cue.text}' in a previous sentence{src.cue.note}", None, ""
    return f"'{src.cue.text}'{src.cue.note}", (src.cue.start, src.cue.end), ""


def _judge_noun(mk: Marker, src: Source, data: GenderData, french: frozenset[tuple[int, str]],
                same_pronouns: int = 0) -> Hit | None:
    other = "f" if mk.gender == "m" else "m"
    genders, found = _english_genders(src, mk.entries)
    if mk.gender in genders:
        return None  # the English has this gender's word (king → roi)
    rendered = src.gender == mk.gender and any((e, other) in french for e in mk.entries)
    if other in genders and not rendered:  # (he … women → l'homme … les femmes: homme renders he)
        n = next(n for n in found if any(g == other for _, g in n.entries))
        return _hit(mk, "major", f"'{n.text}' ({GENDER_WORD[other]})", (n.start, n.end), src)
    if mk.adjective or mk.plural or src.gender != other or _person_of(src, mk.gender, data):
        return None
    evidence, span, _ = _cue_evidence(src)
    if not src.from_context:
        if found and not any(linked(src.toks, src.text, n) for n in found):
            return None  # the English noun is someone else (married the actor, her lawyer)
        weak = not found or src.quoted or src.animal or _person_of(src, other, data)  # she may be the queen
        # the French already renders every English 'she': a masculine noun, also the generic form
        # (un juge: any judge), is likely someone else; a feminine one is never generic
        weak = weak or (mk.gender == "m" and 0 < src.pronouns <= same_pronouns)
        return _hit(mk, "minor" if weak else "major", evidence, span, src)
    # the gender comes from a previous sentence: minor, and only for the one person of the sentence
    if any(g == other for _, g in french):
        return None  # no English word for it, or the French already has the person in the right gender
    if found and not any(n.first == 0 or src.toks[n.first - 1].low not in AGENT for n in found):
        return None  # by the team physician: someone else
    return _hit(mk, "minor", evidence, span, src)


def _judge_agreement(mk: Marker, src: Source, data: GenderData, french: frozenset[tuple[int, str]]) -> Hit | None:
    """A participle or adjective after a name: minor (the name may be a place or a company); after
    il/elle of the English person's gender, one that does not agree with it: minor."""
    other = "f" if mk.gender == "m" else "m"
    if mk.subject is not None and (mk.subject != other or src.from_context):
        return None
    if src.gender != other or _person_of(src, mk.gender, data) or any(g == mk.gender for _, g in french):
        return None
    evidence, span, _ = _cue_evidence(src)
    return _hit(mk, "minor", evidence, span, src)


def _judge_emphatic(mk: Marker, src: Source, data: GenderData) -> Hit | None:
    """lui-même/elle-même against the English herself/himself of the sentence's person (not when
    the English also has the other one, or ``itself``: elle-même may be a thing)."""
    other = "f" if mk.gender == "m" else "m"
    if src.gender != other or src.from_context or _person_of(src, mk.gender, data):
        return None
    lows = {t.low for t in src.toks}
    if REFLEXIVE[other] not in lows or REFLEXIVE[mk.gender] in lows or "itself" in lows:
        return None
    assert src.cue is not None
    t = next(t for t in src.toks if t.low == REFLEXIVE[other])
    return _hit(mk, "major", f"'{t.text}'", (t.start, t.end), src)


def judge(mk: Marker, src: Source, data: GenderData, same_pronouns: int = 0,
          french: frozenset[tuple[int, str]] = frozenset()) -> Hit | None:
    """The finding for one French marker, or None; ``same_pronouns``: the French pronouns of the
    English person's gender (when they already render every English one, an il/elle of the other
    gender is a thing or someone else); ``french``: the (entry, gender) pairs of the French nouns."""
    if mk.kind in ("noun", "epicene"):
        return _judge_noun(mk, src, data, french, same_pronouns)
    if mk.kind == "agreement":
        return _judge_agreement(mk, src, data, french)
    if mk.kind == "emphatic":
        return _judge_emphatic(mk, src, data)
    other = "f" if mk.gender == "m" else "m"
    if src.gender != other or src.from_context or _person_of(src, mk.gender, data):
        return None  # a pronoun of a sentence without cues may be anyone or anything
    if same_pronouns >= src.pronouns:
        return None  # the French already has a pronoun for every English she/he (or the English has none)
    evidence, span, _ = _cue_evidence(src)
    severity = "minor" if src.neuter or src.animal else "major"
    return _hit(mk, severity, evidence, span, src)


def _accepted(mt: str, data: GenderData) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), tol) for rx, tol in data.accepted for m in rx.finditer(mt)]


def scan(source: str, mt: str, context: list[str] | None = None, data: GenderData | None = None,
         people: Names | None = None) -> list[Hit]:
    """The gender findings of one segment; ``context``: the English sentences before it;
    ``people``: the glossary's people (a name with a gender is a cue like a pronoun)."""
    data = data or load_gender_data()
    if not source.strip() or not mt.strip():
        return []
    src = read_source(source, context or [], data, people)
    if src.gender is None and not src.nouns:
        return []
    accepted = _accepted(mt, data)
    out: list[Hit] = []
    names = frozenset(t.text for t in src.toks[:2] if t.text[0].isupper())  # the subject of the sentence
    if src.cue is not None and src.cue.note and not src.from_context:
        names |= frozenset(src.cue.text.split())  # a person of the glossary
    found = markers(mt, data, names)
    same = sum(1 for mk in found if mk.kind in ("pronoun", "emphatic") and mk.gender == src.gender)
    french = frozenset((e, mk.gender) for mk in found if mk.kind not in ("pronoun", "emphatic") for e in mk.entries)
    for mk in found:
        hit = judge(mk, src, data, same, french)
        if hit is None:
            continue
        tol = [t for a, b, t in accepted if a <= mk.start and mk.end <= b]
        if tol and tol[0] is None:
            continue
        if tol:
            hit.severity = tol[0] or hit.severity
        out.append(hit)
    return out
