"""Wrong sense in context: an English news word whose French rendering fits another of its senses.

Data: ``mtqa/data/sense.yaml`` — headwords, each with senses; a sense has source-context cue words
that select it and French renderings that are right or wrong for it. For every occurrence of a
headword in a source segment the check picks the sense from the cues (near the word, then the whole
segment, then the neighbouring segments, then the segments within DOC_WINDOW, then the sense marked
default), then looks in the aligned French for a rendering that is wrong for that sense. Matching helpers
live in ``mtqa.text``: English forms and French inflection/elision patterns in ``morphology``,
leftmost-longest hit lists in ``matching``.
"""

from __future__ import annotations

import gc
import hashlib
import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from importlib.resources import files
from pathlib import Path

from mtqa.checks.base import Check, CheckContext
from mtqa.checks.sense_index import Row, packed_rows, unpack
from mtqa.errors import ConfigError
from mtqa.model import SEVERITIES, Finding, Segment
from mtqa.ruledata import Field, Record, check_example, gc_paused, load_packaged, packaged_folder, validate_records
from mtqa.text.matching import find_all, is_mid_sentence_capital, overlaps
from mtqa.text.morphology import english_forms, english_regex, french_regex
from mtqa.text.regex import (
    LazyRegex,
    Regex,
    generated_regex,
    required_literal_groups,
    string_list,
    word_forms,
    word_spans,
)

# ---------------------------------------------------------------- sense data

# The news beats of the data (mtqa/data/sense/<beat>.yaml); `environment` is the older name of `climate`.
DOMAINS = (
    "defence", "diplomacy", "politics", "elections", "justice", "crime", "economy", "markets",
    "companies", "disasters", "climate", "weather", "sport", "technology", "health", "science",
    "space", "aviation", "shipping", "energy", "agriculture", "culture", "society", "environment",
    "general", "transport", "consumer",
)
SENSE_FILES = ("sense.yaml",)  # then every file of mtqa/data/sense/
HEADWORD_SPEC = {
    "word": Field(str, required=True),
    "forms": Field(list),
    "domain": Field(str, choices=DOMAINS),
    "senses": Field(list, required=True),
    "capitals": Field(bool),
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
    "example": Field(dict),  # {en, wrong, right}: a source sentence, faulty and right French (tested)
}
CUE_WEIGHT, STRONG_WEIGHT = 1, 3
_TOKEN = re.compile(r"[^\W_]+")
WINDOW = 60  # characters either side of the headword that count as "near" for the first decision


# A headword is compiled in two steps: ``_compile_headword`` validates its record and turns it into
# plain data (tuples, frozensets, regex sources: what marshal stores), ``_realise_headword`` builds
# the objects the check uses from that. The plain form of every packaged file is cached on disk
# (``mtqa.diskcache``), so a run reads it instead of parsing and compiling the YAML again.
# A regex in plain form is ``("L", source, origin, required literal groups)`` (a LazyRegex) or, for a user's hand-written
# pattern, the compiled BudgetRegex itself (user data is never cached); a plain cue is
# ``("W", words)`` (matched on word tokens: ``_cue_words``) or a regex. A headword's cues are
# numbered and indexed at compile time (``_cue_table``), so building one makes no object per cue.
RegexSpec = tuple | Regex


def _regex_spec(source: str, hand_written: bool, rec: Record, field: str) -> RegexSpec:
    """``generated_regex`` in plain form: a packaged pattern stays a source until first use."""
    if hand_written and not rec.packaged:
        return generated_regex(source, True, rec, field)
    # its required literals are computed here, once, and cached with the rest: a run only tests them
    return ("L", source, f"{rec.where()}: field '{field}'", required_literal_groups(source, re.IGNORECASE))


def _french_patterns(items, rec: Record, field: str) -> list[tuple[str, RegexSpec]]:
    # The data holds thousands of renderings; a run only needs those of the headwords it meets.
    return [(x, _regex_spec(french_regex(x), x.startswith("re:"), rec, field)) for x in string_list(items, rec, field)]


def _cues(items, rec: Record, field: str) -> list[tuple[str, RegexSpec]]:
    out: list[tuple[str, RegexSpec]] = []
    for x in string_list(items, rec, field):
        if x.startswith("re:"):
            out.append((x, _regex_spec(x[3:], True, rec, field)))
            continue
        toks = _TOKEN.findall(x.lower())
        if not toks:
            raise rec.error(f"field '{field}': cue {x!r} has no word in it")
        out.append((x, ("W", _cue_words(toks))))
    return out


def _cue_words(toks: list[str]) -> tuple[tuple[str, ...], ...]:
    """A plain cue matched on word tokens, one tuple of accepted tokens per word: every word but
    the last exactly, the last through its English inflections. Token matching instead of one
    regex per cue: the data has ~86,000 cues. Tuples of strings, not sets: the garbage collector
    stops tracking them, and a long run builds ~900 headwords of ~50 cues each."""
    return (*((t,) for t in toks[:-1]), _last_cue_word(toks[-1]))


@cache
def _last_cue_word(token: str) -> tuple[str, ...]:
    return tuple(sorted(english_forms(token) | {token}))  # the data repeats cue words across entries


# A headword's cues in plain form (``_cue_table``): (cues, index, regex cues). ``cues`` holds
# (sense, weight, label, words) per cue, ``words`` empty for a regex cue; ``index`` maps a token to
# the number of the word cue whose first word it can be, or their numbers (ascending) when there
# are several (most tokens start one cue: a number makes no tuple to build and collect); ``regex
# cues`` is ((number, regex spec), …): the cues with no token key, tried on every text.
CueRow = tuple[int, int, str, tuple[tuple[str, ...], ...]]


def _cue_table(senses_cues: list[tuple[list, list]]) -> tuple:
    """The cue table of a headword from the (cues, strong cues) of each of its senses."""
    cues: list[CueRow] = []
    index: dict[str, list[int]] = {}
    regex: list[tuple[int, RegexSpec]] = []
    for si, (plain, strong) in enumerate(senses_cues):
        for weight, items in ((CUE_WEIGHT, plain), (STRONG_WEIGHT, strong)):
            for label, spec in items:
                n = len(cues)
                if isinstance(spec, tuple) and spec[0] == "W":
                    cues.append((si, weight, label, spec[1]))
                    for k in spec[1][0]:
                        index.setdefault(k, []).append(n)
                else:
                    cues.append((si, weight, label, ()))
                    regex.append((n, spec))
    return tuple(cues), {k: v[0] if len(v) == 1 else tuple(v) for k, v in index.items()}, tuple(regex)


def _realise(spec: RegexSpec) -> Regex:
    if isinstance(spec, tuple):
        return LazyRegex(spec[1], re.IGNORECASE, origin=spec[2], keys=spec[3] if len(spec) > 3 else False)
    return spec


@dataclass
class Sense:
    name: str
    right: list[tuple[str, Regex]]
    wrong: list[tuple[str, Regex]]
    default: bool
    severity: str
    note: str | None
    where: str
    example: dict | None = None  # {en, wrong, right}, exercised by tests/test_sense_data.py


@dataclass
class Headword:
    word: str
    regex: LazyRegex
    domain: str
    senses: list[Sense]
    where: str
    capitals: bool = False  # also check capitalised mid-sentence occurrences (titles: House Speaker)
    keys: frozenset[str] = frozenset()  # lower-case first tokens of every form: the index keys
    cues: tuple[CueRow, ...] = ()  # (sense, weight, label, words) per cue: ``_cue_table``
    cue_index: dict[str, int | tuple[int, ...]] = field(default_factory=dict)  # token → number(s) of cues
    regex_cues: dict[int, Regex] = field(default_factory=dict)  # number → regex, for cues with no token key (re:)
    forms: frozenset[str] | None = None  # a one-word headword's forms: matched on tokens, not by ``regex``


def tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(text.lower()))


def _compile_sense(s: Record) -> tuple[tuple, tuple[list, list]]:
    """One sense of a headword in plain form, its right and wrong French renderings
    (``_realise_sense`` builds the Sense), with its (cues, strong cues) for the cue table."""
    cues = _cues(s.get("cues", []), s, "cues")
    strong = _cues(s.get("strong", []), s, "strong")
    if not cues and not strong:
        raise s.error("a sense needs 'cues' or 'strong' cue words")
    right = _french_patterns(s.get("right", []), s, "right")
    wrong = _french_patterns(s.get("wrong", []), s, "wrong")
    both = {r for r, _ in right} & {w for w, _ in wrong}
    if both:
        raise s.error(f"'{min(both)}' is listed as both right and wrong")
    check_example(s)
    return (s["sense"], right, wrong, s.get("default", False), s.get("severity", "major"),
            s.get("note"), s.where(), s.get("example")), (cues, strong)


def _realise_sense(plain: tuple | list) -> Sense:
    name, right, wrong, default, severity, note, where, example = plain
    return Sense(
        name=name,
        right=[(x, _realise(r)) for x, r in right],
        wrong=[(x, _realise(r)) for x, r in wrong],
        default=default,
        severity=severity,
        note=note,
        where=where,
        example=example,
    )


def _compile_senses(rec: Record, word: str) -> tuple[list[tuple], list[tuple[list, list]]]:
    """The senses of one headword, with the cues of each: at least two, distinct names, at most
    one default, and one wrong rendering somewhere (else the entry could never fire)."""
    senses_recs = validate_records(rec["senses"], rec.path, SENSE_SPEC, packaged=rec.packaged)
    if len(senses_recs) < 2:
        raise rec.error(f"headword '{word}' needs at least two senses")
    senses, cues = [], []
    names: set[str] = set()
    for s in senses_recs:
        if s["sense"] in names:
            raise s.error(f"sense '{s['sense']}' of '{word}' is listed twice")
        names.add(s["sense"])
        plain, sense_cues = _compile_sense(s)
        senses.append(plain)
        cues.append(sense_cues)
    if sum(bool(s[3]) for s in senses) > 1:
        raise rec.error(f"headword '{word}': at most one sense may be the default")
    if not any(s[2] for s in senses):
        raise rec.error(f"headword '{word}': no sense lists a wrong rendering, the entry can never fire")
    return senses, cues


def _headword_keys(rec: Record, word: str) -> frozenset[str]:
    """The index keys of a headword: word tokens as segments are tokenised ('take-off' is found
    under 'take'), from the word and its forms only (cheap: no sense is built)."""
    forms = rec.get("forms", [])
    if not all(isinstance(f, str) and f.strip() for f in forms):
        raise rec.error("field 'forms' must be a list of non-empty strings")
    first = _TOKEN.findall(word.lower())[0]
    return frozenset(set(english_forms(first)) | {first} | {_TOKEN.findall(f.lower())[0] for f in forms})


def _compile_headword(rec: Record, word: str) -> tuple:
    """A headword record, validated, in plain form: (word, (regex source, its required literal
    groups), domain, capitals, where, index keys, senses, cue table)."""
    keys = _headword_keys(rec, word)
    senses, cues = _compile_senses(rec, word)
    source = english_regex(word, rec.get("forms", []))
    return (word, (source, required_literal_groups(source, re.IGNORECASE)), rec.get("domain", "general"),
            rec.get("capitals", False), rec.where(), keys, senses, _cue_table(cues))


def _realise_headword(plain: tuple | list) -> Headword:
    word, (source, literals), domain, capitals, where, keys, senses, (cues, cue_index, regex_cues) = plain
    return Headword(
        word=word,
        regex=LazyRegex(source, keys=literals),  # escaped words: compiled when a segment has one
        domain=domain,
        senses=[_realise_sense(s) for s in senses],
        where=where,
        capitals=capitals,
        keys=keys,
        forms=word_forms(source),
        cues=cues,
        cue_index=cue_index,
        regex_cues={n: _realise(spec) for n, spec in regex_cues},
    )


def _build_headword(rec: Record, word: str) -> Headword:
    return _realise_headword(_compile_headword(rec, word))


class LazyHeadword:
    """A packaged headword whose objects are built the first time a segment names it: a long run
    meets most of the ~1,650 headwords, a short one a few. It starts from its packed plain form
    (``_compile_headword``, a row of the disk cache: ``sense_index``) or, with the cache off, from
    its record."""

    __slots__ = ("_built", "blob", "keys", "rec", "where", "word")

    def __init__(self, word: str, keys: frozenset[str], where: str, rec: Record | None = None,
                 blob: bytes | None = None) -> None:
        self.word, self.keys, self.where, self.rec, self.blob = word, keys, where, rec, blob
        self._built: Headword | None = None

    def get(self) -> Headword:
        if self._built is None:
            with gc_paused():
                plain = unpack(self.blob) if self.blob is not None else _compile_headword(self.rec, self.word)  # type: ignore[arg-type]
                self._built = _realise_headword(plain)
        return self._built


def _headword_words(records: list[Record]) -> list[tuple[Record, str]]:
    """Each record with its stripped word; an empty or repeated word is an error."""
    out = []
    seen: set[str] = set()
    for rec in records:
        word = rec["word"].strip()
        if not word:
            raise rec.error("field 'word' is empty")
        if word.lower() in seen:
            raise rec.error(f"headword '{word}' is listed twice")
        seen.add(word.lower())
        out.append((rec, word))
    return out


def build_headwords(records: list[Record]) -> list[Headword]:
    return [_build_headword(rec, word) for rec, word in _headword_words(records)]


def build_index(headwords: Iterable[Headword]) -> dict[str, list[Headword]]:
    """Lower-case token → the headwords that may start with it: a segment is only tested against
    the headwords whose first word occurs in it."""
    index: dict[str, list[Headword]] = {}
    for hw in headwords:
        for k in hw.keys:
            index.setdefault(k, []).append(hw)
    return index


@cache
def _code_digest() -> bytes:
    """The source of the code that compiles a headword, and the lexicon's inflection table it
    reads: a cached plain form is stale when either changes."""
    from mtqa.text import morphology, regex

    h = hashlib.sha256()
    for mod in (sys.modules[__name__], morphology, regex):
        h.update(Path(mod.__file__ or "").read_bytes())
    h.update(files("mtqa").joinpath("data").joinpath(morphology.INFLECTIONS_FILE).read_bytes())
    return h.digest()


def _packed_file(name: str) -> list[Row] | None:
    """Every headword of packaged file ``name`` as a row (word, keys, where, packed plain form),
    from the disk cache (keyed by the file's bytes and the compiling code) or compiled now, whole,
    and stored; None when the cache is off."""
    raw = files("mtqa").joinpath("data").joinpath(name).read_bytes()

    def compile_all() -> list:
        records = load_packaged(name, HEADWORD_SPEC, key="headwords")
        return [_compile_headword(rec, word) for rec, word in _headword_words(records)]

    return packed_rows(name, raw + _code_digest(), compile_all)


@cache
def _lazy_headwords() -> tuple[LazyHeadword, ...]:
    """The packaged sense data: words checked, objects built on first use (``LazyHeadword``).
    With the disk cache on, each file's headwords come compiled from it; with it off, each is
    compiled from its record when first met."""
    with gc_paused():
        out = _load_lazy_headwords()
    # The plain data just read (~1,700 headwords, ~70,000 cues) lives as long as the process: moved
    # out of the collector's generations, later full collections no longer walk it (measured:
    # a quarter of the check's time on 1,000 lines).
    gc.freeze()
    return out


def _load_lazy_headwords() -> tuple[LazyHeadword, ...]:
    out: list[LazyHeadword] = []
    seen: dict[str, str] = {}
    for name in SENSE_FILES + packaged_folder("sense"):
        rows = _packed_file(name)
        if rows is None:
            recs = load_packaged(name, HEADWORD_SPEC, key="headwords")
            lazy = [LazyHeadword(word, _headword_keys(rec, word), rec.where(), rec=rec) for rec, word in _headword_words(recs)]
        else:
            lazy = [LazyHeadword(word, keys, where, blob=blob) for word, keys, where, blob in rows]
        for hw in lazy:
            if hw.word.lower() in seen:
                raise ConfigError(f"{hw.where}: headword '{hw.word}' is listed twice")
            seen[hw.word.lower()] = hw.where
        out += lazy
    return tuple(out)


def load_headwords() -> tuple[Headword, ...]:
    """The packaged sense data, validated and built (each headword once per process)."""
    return tuple(lazy.get() for lazy in _lazy_headwords())


@cache
def _packaged_index() -> dict[str, list[LazyHeadword]]:
    index: dict[str, list[LazyHeadword]] = {}
    for lazy in _lazy_headwords():
        for k in lazy.keys:
            index.setdefault(k, []).append(lazy)
    return index


def candidate_headwords(toks: set[str], index: Mapping[str, Sequence[Headword | LazyHeadword]]) -> list[Headword]:
    seen: dict[str, Headword | LazyHeadword] = {}
    for tok in toks:
        for hw in index.get(tok, ()):
            seen.setdefault(hw.word, hw)
    return [hw.get() if isinstance(hw, LazyHeadword) else hw for hw in seen.values()]


# ---------------------------------------------------------------- choosing the sense


@dataclass
class CueHit:
    start: int
    end: int
    sense: int
    weight: int
    label: str


def _token_spans(text: str) -> list[tuple[str, int, int]]:
    low = text.lower()
    if len(low) != len(text):  # a rare character whose lower case is longer: keep offsets exact
        return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(low)]


@dataclass
class TextIndex:
    """A text's word tokens with their offsets, and their set: built once per text."""

    text: str
    spans: list[tuple[str, int, int]]
    toks: set[str]

    @classmethod
    def of(cls, text: str) -> TextIndex:
        spans = _token_spans(text)
        return cls(text, spans, {t for t, _, _ in spans})


def occurrences(hw: Headword, ix: TextIndex) -> list[tuple[int, int]]:
    """The spans of ``hw`` in the text, in order: a one-word headword's from the tokens (no regex
    compiled), a phrase's from its regex."""
    if hw.forms is not None:
        if hw.forms.isdisjoint(ix.toks):
            return []
        spans = word_spans(hw.forms, ix.text, ix.spans)
        if spans is not None:
            return spans
    return [(m.start(), m.end()) for m in hw.regex.finditer(ix.text)]


NO_HITS: tuple[CueHit, ...] = ()  # what most (headword, text) pairs have: no object made for each


def cue_hits(hw: Headword, text: str | TextIndex) -> Sequence[CueHit]:
    """Every cue of ``hw`` in ``text``, except cues that lie inside an occurrence of the headword
    itself (a cue phrase around it, such as 'on strike', counts). Only the cues whose first word
    occurs in the text are tried, and only where that word occurs."""
    ix = text if isinstance(text, TextIndex) else TextIndex.of(text)
    index = hw.cue_index
    if index.keys().isdisjoint(ix.toks) and not hw.regex_cues:  # a view iterates the smaller side
        return NO_HITS
    spans = ix.spans
    starts_by_cue: dict[int, list[int]] = {}  # cue → token positions where its first word is, ascending
    for i, (t, _, _) in enumerate(spans):
        if t in index:
            ns = index[t]
            for n in ((ns,) if isinstance(ns, int) else ns):
                if n in starts_by_cue:
                    starts_by_cue[n].append(i)
                else:
                    starts_by_cue[n] = [i]
    occ: list[tuple[int, int]] = []
    occ_starts: list[int] | None = None  # the headword's occurrences: searched once a cue is found

    def inside_occurrence(start: int, end: int) -> bool:
        nonlocal occ_starts
        if occ_starts is None:
            occ[:] = sorted(occurrences(hw, ix))
            occ_starts = [o[0] for o in occ]
        i = bisect_right(occ_starts, start) - 1
        return i >= 0 and occ[i][0] <= start and end <= occ[i][1]

    hits = []
    for n in sorted(set(starts_by_cue) | hw.regex_cues.keys()):
        sense, weight, label, words = hw.cues[n]
        if words:
            k = len(words)
            if k == 1:  # most cues are one word: every place its word occurs is a hit
                found = [(spans[i][1], spans[i][2]) for i in starts_by_cue[n]]
            else:
                found = [
                    (spans[i][1], spans[i + k - 1][2])
                    for i in starts_by_cue[n]
                    if i + k <= len(spans) and all(spans[i + j][0] in words[j] for j in range(1, k))
                ]
        else:
            found = [(m.start(), m.end()) for m in hw.regex_cues[n].finditer(ix.text) if m.end() > m.start()]
        for start, end in found:
            if not inside_occurrence(start, end):
                # a regular-expression cue is named by the words it matched, not by its pattern
                hits.append(CueHit(start, end, sense, weight, label if words else ix.text[start:end]))
    # a cue inside a longer cue of the same sense ('missile' in 'missile strike') counts once
    hits.sort(key=lambda h: (h.start, -(h.end - h.start), -h.weight))
    # and a cue inside a longer cue of another sense gives way to it ('oil prices' in 'olive oil prices')
    kept: list[CueHit] = []
    for h in hits:
        if any(o.start <= h.start and h.end <= o.end and (o.sense == h.sense or o.end - o.start > h.end - h.start)
               for o in kept):
            continue
        kept.append(h)
    return kept or NO_HITS


def _tally(hits: Iterable[CueHit], n: int, span: tuple[int, int] | None = None) -> list[int]:
    """Cue weight per sense; with ``span``, a cue phrase that contains this very occurrence of the
    headword ('went on strike', 'missile strike') counts three times."""
    scores = [0] * n
    for h in hits:
        bonus = 3 if span is not None and h.start <= span[0] and span[1] <= h.end else 1
        scores[h.sense] += h.weight * bonus
    return scores


def _winner(scores: list[int], among: set[int]) -> tuple[int | None, set[int]]:
    """(the sense with the strictly highest positive score, or None; the senses tied at the top)."""
    best = max((scores[i] for i in among), default=0)
    if best <= 0:
        return None, set(among)
    top = {i for i in among if scores[i] == best}
    return (next(iter(top)) if len(top) == 1 else None), top


@dataclass
class SenseChoice:
    sense: int | None  # index into Headword.senses; None when the context does not decide
    basis: str  # "near", "segment", "neighbours", "document", "default", "ambiguous", "none"
    candidates: set[int]  # the senses still possible (for "ambiguous"/"none")
    cues: list[str]  # the cue words that decided
    tied: bool = False  # the segment's own cues pointed to several senses
    weak: bool = False  # decided by little evidence (one plain cue) or a narrow margin


STRONG_EVIDENCE = 3  # a strong cue, or three plain cues, decide with the sense's full severity
DOC_WINDOW = 12  # segments either side that make up "the rest of the document" for a segment


def _decided(scores: list[int], win: int) -> bool:
    """Evidence enough for full severity: a strong cue's worth, twice the runner-up's."""
    second = max((x for i, x in enumerate(scores) if i != win), default=0)
    return scores[win] >= STRONG_EVIDENCE and scores[win] >= 2 * second


def _corroborated(seg_hits: Sequence[CueHit], seg_scores: list[int], win: int, document_hits, n: int) -> bool:
    """Two different plain cues of one sense in the segment and none of another, which the rest of the
    document decides the same way on its own (a film festival story: 'director' with 'film' and
    'festival'): as strong as one strong cue."""
    if len({h.label.lower() for h in seg_hits if h.sense == win}) < 2 or any(x for i, x in enumerate(seg_scores) if i != win):
        return False
    doc = _tally(document_hits() if callable(document_hits) else document_hits, n)
    return _decided(doc, win)


def choose_sense(
    hw: Headword,
    span: tuple[int, int],
    seg_hits: Sequence[CueHit],
    neighbour_hits: Sequence[CueHit] | Callable[[], Sequence[CueHit]],
    document_hits: Sequence[CueHit] | Callable[[], Sequence[CueHit]],
) -> SenseChoice:
    """Pick the sense of one occurrence: cues near it, then in its segment, then in the
    neighbouring segments, then in the document, then the default sense. The neighbour and
    document cues may be given as functions, called only when needed."""
    n = len(hw.senses)
    allsenses = set(range(n))
    near = [h for h in seg_hits if h.end >= span[0] - WINDOW and h.start <= span[1] + WINDOW]
    near_scores = _tally(near, n, span)
    near_win, _ = _winner(near_scores, allsenses)
    if near_win is not None and _decided(near_scores, near_win):
        return SenseChoice(near_win, "near", {near_win}, [h.label for h in near if h.sense == near_win])
    seg_scores = _tally(seg_hits, n)
    win, candidates = _winner(seg_scores, allsenses)
    if win is not None and (near_win is None or _decided(seg_scores, win)):
        weak = not _decided(seg_scores, win) and not _corroborated(seg_hits, seg_scores, win, document_hits, n)
        return SenseChoice(win, "segment", {win}, [h.label for h in seg_hits if h.sense == win], weak=weak)
    if near_win is not None:  # weak evidence near the word still beats the rest of the sentence
        weak = not _corroborated(seg_hits, seg_scores, near_win, document_hits, n)
        return SenseChoice(near_win, "near", {near_win}, [h.label for h in near if h.sense == near_win], weak=weak)
    tied = max(seg_scores) > 0
    for basis, hits in (("neighbours", neighbour_hits), ("document", document_hits)):
        if callable(hits):
            hits = hits()
        win, _ = _winner(_tally(hits, n), candidates)
        if win is not None:
            return SenseChoice(win, basis, {win}, [h.label for h in hits if h.sense == win], tied)
    default = next((i for i, s in enumerate(hw.senses) if s.default and i in candidates), None)
    if default is not None:
        return SenseChoice(default, "default", {default}, [], tied)
    return SenseChoice(None, "ambiguous" if tied else "none", candidates, [], tied)


# ---------------------------------------------------------------- the check


def _label(pattern_label: str) -> str:
    return pattern_label.removeprefix("re:")


def _expected(sense: Sense) -> str:
    return ", ".join(f"'{_label(x)}'" for x, _ in sense.right[:3]) or "another rendering"


def _suggestion(sense: Sense) -> str | None:
    plain = [x for x, _ in sense.right if not x.startswith("re:")]
    return plain[0] if plain else None


def _longest_uses(uses: list[_Use]) -> list[_Use]:
    """Without the uses of a headword whose every occurrence lies inside a longer headword's
    ('thin' inside 'thin ice'): the longer headword judges that stretch of the source."""
    def inside(sp: tuple[int, int], other: _Use) -> bool:
        return any(a <= sp[0] and sp[1] <= b and (b - a) > (sp[1] - sp[0]) for a, b in other.spans)
    return [u for u in uses if not all(any(inside(sp, o) for o in uses if o.hw is not u.hw) for sp in u.spans)]


@dataclass
class _Use:
    """The occurrences of one headword in a segment that share a chosen sense."""

    hw: Headword
    choice: SenseChoice
    spans: list[tuple[int, int]]
    paired: list[tuple[int, int]] | None = None  # French spans paired with these occurrences, by rank


def _judged_sense(hw: Headword, choice: SenseChoice) -> tuple[Sense, list[tuple[str, Regex]]]:
    """(the sense an occurrence is judged against, the renderings wrong for it). Undecided: only
    what is wrong whatever the sense is reported, judged against the first possible sense."""
    if choice.sense is not None:
        sense = hw.senses[choice.sense]
        return sense, sense.wrong
    cands = [hw.senses[i] for i in sorted(choice.candidates)]
    common = set.intersection(*({x for x, _ in s.wrong} for s in cands))
    return cands[0], [(x, rx) for x, rx in cands[0].wrong if x in common]


def _judged_here(span: tuple[int, int], u: _Use, others: list[tuple[int, int]]) -> bool:
    """Whether French ``span`` is judged for these occurrences: paired by rank, only the French
    paired with them is; else any French that no other source word (or other sense of this one)
    accounts for."""
    if u.paired is not None:
        return overlaps(span, u.paired)
    return not overlaps(span, others)


class _DocumentCues:
    """The cue hits of a document's source segments, computed once per headword and segment: the
    context levels only tally senses, so a window's hits are the union of its segments' hits.
    Segments are judged in order, so what lies behind every later window is dropped (``forget``):
    kept, a long document's hits would make the garbage collector's full passes ever longer."""

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments
        self._index: dict[int, TextIndex] = {}
        self._hits: dict[tuple[str, int], Sequence[CueHit]] = {}
        self._keys: dict[int, list[tuple[str, int]]] = {}  # segment → its keys in ``_hits``

    def forget(self, j: int) -> None:
        """Drop what was computed for segment ``j`` (recomputed if asked again)."""
        self._index.pop(j, None)
        for key in self._keys.pop(j, ()):
            del self._hits[key]

    def text_index(self, j: int) -> TextIndex:
        if j not in self._index:
            self._index[j] = TextIndex.of(self.segments[j].source or "")
        return self._index[j]

    def hits(self, hw: Headword, j: int) -> Sequence[CueHit]:
        key = (hw.word, j)
        if key not in self._hits:
            self._hits[key] = cue_hits(hw, self.text_index(j)) if self.segments[j].source else NO_HITS
            self._keys.setdefault(j, []).append(key)
        return self._hits[key]

    def window(self, hw: Headword, i: int, radius: int) -> list[CueHit]:
        """The hits of the segments within ``radius`` of segment ``i``, not its own."""
        lo, hi = max(0, i - radius), min(len(self.segments), i + radius + 1)
        return [h for j in range(lo, hi) if j != i for h in self.hits(hw, j)]


def may_render_wrongly(hw: Headword, mt: str) -> bool:
    """False only when no wrong rendering of any sense of ``hw`` can match ``mt`` (each lacks one
    of its required literals): then no occurrence of ``hw`` can be flagged, whatever its sense."""
    return any(not isinstance(rx, LazyRegex) or rx.may_match(mt) for sense in hw.senses for _, rx in sense.wrong)


def _uses_of(hw: Headword, i: int, seg: Segment, cues: _DocumentCues) -> list[_Use]:
    """The occurrences of ``hw`` in the source of segment ``i``, grouped by the sense chosen for
    each (a capitalised mid-sentence occurrence is a name unless the headword says otherwise)."""
    spans = [
        (start, end)
        for start, end in occurrences(hw, cues.text_index(i))
        if hw.capitals or not is_mid_sentence_capital(seg.source, start)
    ]
    if not spans:
        return []
    seg_hits = cues.hits(hw, i)
    neighbours = partial(cues.window, hw, i, 1)
    document = partial(cues.window, hw, i, DOC_WINDOW)
    by_sense: dict[tuple, _Use] = {}
    for span in spans:
        choice = choose_sense(hw, span, seg_hits, neighbours, document)
        key = (choice.sense, choice.basis, choice.weak, tuple(sorted(choice.candidates)))
        if key in by_sense:
            by_sense[key].spans.append(span)
        else:
            by_sense[key] = _Use(hw, choice, [span])
    return list(by_sense.values())


class WrongSense(Check):
    id = "sense.wrong"
    category = "accuracy/mistranslation"
    severity = "major"
    doc = (
        "Wrong sense in context. For each English headword of mtqa/data/sense.yaml in a source "
        "segment (strike, trial, sentence, rally, bond, plant, …) the sense of each occurrence is chosen "
        "from the cue words of the data: near the word, then in the segment, then in the neighbouring "
        "segments, then within twelve segments either side, then the sense marked as the usual one. The "
        "aligned French is then searched, through inflection and elision, for renderings that belong to "
        "another sense (grève for a missile strike, frappe for a workers' strike). Severity comes from the "
        "data when the segment's own cues decide clearly (a strong cue, three plain ones, or two different plain ones that the rest of the document confirms), minor on weak "
        "evidence, when only the neighbours decide, when only the wider context or the usual sense does, or when the cues "
        "are ambiguous (then only renderings wrong in every possible sense are reported); the message "
        "names the source word, the cues and the expected rendering. A French word that another source "
        "word of the segment accounts for is left alone, and correct renderings elsewhere in the aligned "
        "segment, one per occurrence of the word, clear the finding."
    )

    def __init__(self, settings, headwords: Iterable[Headword] | None = None) -> None:
        super().__init__(settings)
        self.index: Mapping[str, Sequence[Headword | LazyHeadword]]
        if headwords is None:
            self.index = _packaged_index()  # headwords built when a segment names them
        else:
            self.index = build_index(headwords)

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        cues = _DocumentCues(ctx.segments)
        for i, seg in enumerate(ctx.segments):
            cues.forget(i - DOC_WINDOW - 1)  # outside the window of segment i and of every later one
            if not seg.source or not seg.mt:
                continue
            cands = candidate_headwords(set(_TOKEN.findall(seg.source.lower())), self.index)
            if not any(may_render_wrongly(hw, seg.mt) for hw in cands):
                continue  # a finding needs a wrong rendering in the French: no sense need be chosen
            uses = _longest_uses([u for hw in cands for u in _uses_of(hw, i, seg, cues)])
            if uses:
                yield from self._findings(seg, uses)

    def _findings(self, seg: Segment, uses: list[_Use]) -> Iterable[Finding]:
        # the wrong renderings first: most segments have none, and then nothing else is searched
        # (the right renderings of every possible sense would be compiled for nothing)
        wrong_hits = [self._wrong_hits(seg, u) for u in uses]
        if not any(wrong_hits):
            return
        self._pair_by_rank(seg, uses)
        # French spans that a chosen sense of some source word in this segment accounts for.
        accounted: list[tuple[tuple[int, int], int]] = []
        for ui, u in enumerate(uses):
            for si in u.choice.candidates:
                for _, s, e in find_all(u.hw.senses[si].right, seg.mt):
                    accounted.append(((s, e), ui))
        flagged: list[tuple[int, int]] = []
        for ui, u in enumerate(uses):
            yield from self._use_findings(seg, ui, u, wrong_hits[ui], (accounted, flagged))

    @staticmethod
    def _wrong_hits(seg: Segment, u: _Use) -> list[tuple[str, int, int]]:
        """The renderings in the French that are wrong for the sense ``u`` is judged against."""
        _, wrong = _judged_sense(u.hw, u.choice)
        return find_all(wrong, seg.mt) if wrong else []

    @staticmethod
    def _pair_by_rank(seg: Segment, uses: list[_Use]) -> None:
        """One headword used in two senses in one sentence ('workers went on strike after a missile
        strike'): when the French has exactly one candidate rendering per occurrence, pair them in
        order, so each rendering is judged against the sense of its own occurrence."""
        by_word: dict[str, list[_Use]] = {}
        for u in uses:
            by_word.setdefault(u.hw.word, []).append(u)
        for group in by_word.values():
            decided = [u for u in group if u.choice.sense is not None]
            if len({u.choice.sense for u in decided}) < 2 or len(decided) != len(group):
                continue
            hw = group[0].hw
            occ = sorted((sp, u) for u in group for sp in u.spans)
            pats = [p for sn in hw.senses for p in sn.right + sn.wrong]
            hits = find_all(pats, seg.mt)
            if len(hits) != len(occ):
                continue
            paired: dict[int, list[tuple[int, int]]] = {id(u): [] for u in group}
            for (_, u), (_, s, e) in zip(occ, hits):
                paired[id(u)].append((s, e))
            for u in group:
                u.paired = paired[id(u)]

    def _use_findings(self, seg: Segment, ui: int, u: _Use, hits: list[tuple[str, int, int]],
                      claimed: tuple[list[tuple[tuple[int, int], int]], list[tuple[int, int]]]) -> Iterable[Finding]:
        """At most one finding per occurrence of the word: each wrong rendering in the French
        (``hits``) that no earlier finding, other source word or (when paired by rank) other
        occurrence claims (``claimed``: the French spans accounted for, those already flagged)."""
        if not hits:
            return
        accounted, flagged = claimed
        sense, _ = _judged_sense(u.hw, u.choice)
        decided = u.choice.sense is not None
        others = [sp for sp, owner in accounted if owner != ui]
        # right renderings that another source word of the segment accounts for do not count here
        right_all = [r for r in find_all(sense.right, seg.mt) if not overlaps((r[1], r[2]), others)] if decided else []
        sev, why = self._severity(u.hw, u.choice, sense)
        reported = 0
        for _, start, end in hits:
            if reported >= len(u.spans):  # at most one finding per occurrence of the word
                break
            span = (start, end)
            if overlaps(span, flagged) or not _judged_here(span, u, others):
                continue
            # right renderings elsewhere in the segment, one for every occurrence of the word,
            # clear it (unless paired by rank: then each French word is judged on its own)
            if u.paired is None and sum(not overlaps((r[1], r[2]), [span]) for r in right_all) >= len(u.spans):
                continue
            flagged.append(span)
            reported += 1
            yield self._wrong_rendering(seg, u, sense, span, (sev, why))

    def _wrong_rendering(self, seg: Segment, u: _Use, sense: Sense, span: tuple[int, int],
                         severity: tuple[str, str]) -> Finding:
        """The finding for one wrong rendering: the message names the source word, the sense and
        its cues, and the expected renderings."""
        decided = u.choice.sense is not None
        start, end = span
        src_start, src_end = u.spans[0]
        src_word = seg.source[src_start:src_end]
        local_sev, why = severity
        tail = f"; none of the expected renderings ({_expected(sense)}) is present" if decided else ""
        note = f" {sense.note}" if sense.note and decided else ""
        if decided:
            what = f"'{src_word}' here means {sense.name}{why}, but '{seg.mt[start:end]}' renders another sense{tail}."
        else:
            what = f"'{seg.mt[start:end]}' is wrong for '{src_word}' in every sense it can have here{why}{tail}."
        return self.finding(
            seg, start, end, message=what + note, source_text=src_word,
            suggestion=_suggestion(sense) if decided else None, severity=local_sev,
            source_start=src_start, source_end=src_end,
        )

    @staticmethod
    def _severity(hw: Headword, choice: SenseChoice, sense: Sense) -> tuple[str, str]:
        cues = ", ".join(dict.fromkeys(choice.cues))[:80]
        if choice.basis in ("near", "segment"):
            if choice.weak:  # major only on the segment's own strong cues
                return "minor", f" (weak context: {cues})"
            return sense.severity, (f" (context: {cues})" if cues else "")
        if choice.basis == "neighbours":
            if choice.tied:
                return "minor", f" (the cues in this sentence are ambiguous; the neighbouring sentences suggest it: {cues})"
            return "minor", f" (sense decided by the neighbouring sentences: {cues})"
        if choice.basis == "document":
            return "minor", f" (no decisive cue in this sentence: sense taken from the rest of the document: {cues})"
        if choice.basis == "default":
            return "minor", " (no context cue found: the usual news sense is assumed; check)"
        names = " / ".join(hw.senses[i].name for i in sorted(choice.candidates))
        if choice.basis == "ambiguous":
            return "minor", f" (the context cues are ambiguous: {names})"
        return "minor", f" (no context cue found for {names})"
