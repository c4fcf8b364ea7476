"""Protected names: names in the source must survive in the aligned French.

One check, ``names``, with two rules, ``names.protected`` and ``names.missing``: what each flags,
with its category and severity, is written once, in ``Names.subrules`` (``mtqa rules`` prints it).
The data behind them: the ``wrong`` renderings of ``mtqa/data/protected_names.yaml`` and
``mtqa/data/exonyms.yaml`` entries, ``word_names`` in ``protected_names.yaml`` (surnames that are
also words: Judge Mary Fox → ``la juge Marie Renard``), the accepted exonyms of ``exonyms.yaml``.
Any other capitalised mid-sentence name is checked too (``_generic``): it is missing when no
close spelling survives, and a lower-case look-alike (Kolibri → ``colibri``) is minor.

Tolerated, never flagged: sentence-initial capitals, words inside the source's quotations and
quoted titles, capitalised common words listed in ``exonyms.yaml`` (days, months, titles,
demonyms, institutions), names rendered by an exonym, and close spellings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from mtqa.model import Segment
from mtqa.ruledata import Field, Record, load_packaged
from mtqa.text.matching import accent_fold, close_spelling, find_all, is_mid_sentence_capital, overlaps
from mtqa.text.morphology import cue_regex, english_regex, french_name_regex, is_english_word
from mtqa.text.regex import LazyRegex, Regex, compile_list, generated_regex, string_list, trie_regex

KINDS = ("weapon", "product", "company", "media", "organisation", "agency", "index", "platform", "person",
         "country", "city", "region", "place", "event")

NAME_SPEC = {
    "name": Field(str, required=True),
    "kind": Field(str, required=True, choices=KINDS),
    "forms": Field(list),
    "accept": Field(list),
    "wrong": Field(list, required=True),
    "common": Field(list),
    "ambiguous": Field(str, choices=("initial", "always")),
    "when": Field(list),
    "unless": Field(list),
    "note": Field(str),
}
EXONYM_SPEC = {
    "name": Field(str, required=True),
    "kind": Field(str, required=True, choices=KINDS),
    "forms": Field(list),
    "fr": Field(list, required=True),
    "wrong": Field(list),
    "common": Field(list),
    "note": Field(str),
}
COMMON_SPEC = {"kind": Field(str, required=True), "words": Field(list, required=True)}
WORD_NAME_SPEC = {
    "name": Field(str, required=True),
    "kind": Field(str, required=True, choices=("surname", "given")),
    "fr": Field(list, required=True),
}


@dataclass
class NameEntry:
    name: str
    kind: str
    protected: bool  # from protected_names.yaml (else an exonym entry)
    english: list[str]  # the name and its English forms
    accept: list[tuple[str, Regex]]  # one pattern: the English forms verbatim, the French forms
    french: list[str]  # the accepted French forms as listed
    wrong: list[tuple[str, Regex]]
    common: LazyRegex | None  # English lower-case words that explain a wrong French word
    ambiguous: str | None
    when: list[tuple[str, Regex]]
    unless: list[tuple[str, Regex]]
    note: str
    where: str


_LEAD = re.compile(r"\w+")


class FormRegex:
    """The regex of a long list of names, built per text from only the names whose first word is
    in it: compiling one alternative of ~1,000 names costs a one-story run about 0.05 s, and
    scanning it tries every name at every position. ``finditer`` gives what the regex of every
    form gives, because a name whose leading word (``\\w+``, case-sensitive) is not a whole word
    of the text cannot match it: each regex starts at a word start (``(?<![\\w])``) and that word
    ends where the name's own leading word does. ``build`` makes the regex of a tuple of forms
    (kept in the list's order); each set of candidates is compiled once, up to ``LIMIT`` sets."""

    LIMIT = 4096

    def __init__(self, forms: Sequence[str], build: Callable[[tuple[str, ...]], re.Pattern]) -> None:
        self.forms, self.build = tuple(forms), build
        self._by_lead: dict[str, list[int]] = {}
        self._always: list[int] = []  # a form that does not start with a word character
        for i, form in enumerate(self.forms):
            m = _LEAD.match(form)
            (self._by_lead.setdefault(m.group(0), []) if m else self._always).append(i)
        self._compiled: dict[tuple[str, ...], re.Pattern | None] = {}

    def regex_for(self, text: str) -> re.Pattern | None:
        """The regex of the forms that may occur in ``text``, or None when none can."""
        picked = set(self._always)
        for w in set(_LEAD.findall(text)):
            picked.update(self._by_lead.get(w, ()))
        key = tuple(self.forms[i] for i in sorted(picked))
        if key not in self._compiled:
            if len(self._compiled) >= self.LIMIT:  # an archive meets new sets without end: bounded
                self._compiled.clear()
            self._compiled[key] = self.build(key) if key else None
        return self._compiled[key]

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        rx = self.regex_for(text)
        return iter(()) if rx is None else rx.finditer(text)


class NameEntries(Mapping[str, NameEntry]):
    """English form → its entry. An entry is built from its record (``_entry``: its French
    patterns through inflection, its cues) the first time one of its forms is looked up: a
    one-story run names a few of the ~650 entries, and building them all cost it about 0.05 s.
    The forms, and that none is listed twice, are checked here, for every record."""

    def __init__(self, records: Sequence[tuple[Record, bool]]) -> None:
        self._records = list(records)  # (record, from protected_names.yaml)
        self._index: dict[str, int] = {}  # form → record
        self._built: dict[int, NameEntry] = {}
        for i, (rec, _) in enumerate(self._records):
            for form in _english_forms(rec):
                if form in self._index:
                    raise rec.error(f"name '{form}' is already listed at {self._records[self._index[form]][0].where()}")
                self._index[form] = i

    def _get(self, i: int) -> NameEntry:
        entry = self._built.get(i)
        if entry is None:
            rec, protected = self._records[i]
            entry = self._built[i] = _entry(rec, protected)
        return entry

    def __getitem__(self, form: str) -> NameEntry:
        return self._get(self._index[form])

    def __contains__(self, form: object) -> bool:
        return form in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def all(self) -> list[NameEntry]:
        """Every entry, in the data's order (each built now if it was not yet)."""
        return [self._get(i) for i in range(len(self._records))]


@dataclass
class NameData:
    by_form: NameEntries
    source_rx: FormRegex | None  # every English form of every entry, case-sensitive
    common_words: frozenset[str]  # capitalised English words that are not names
    word_names: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)  # Fox → ("surname", {"renard"})

    @property
    def entries(self) -> list[NameEntry]:
        return self.by_form.all()


def _verbatim_regex(form: str) -> str:
    """A name as written, case-sensitive, optional French/English plural, any inner spacing."""
    body = r"\s+".join(re.escape(p) for p in form.split())
    # spelling variants of punctuation inside names: Poor's / Poors / Poor’s, S&P / S & P
    body = body.replace("'", "['’]?").replace("\\&", r"\s*&\s*")
    return r"(?<![\w])" + body + r"s?(?![\w])"


def _strings(rec: Record, key: str) -> list[str]:
    return [x.strip() for x in string_list(rec.get(key, []), rec, key)]


def _english_forms(rec: Record) -> list[str]:
    """The name and its English forms."""
    name = rec["name"].strip()
    if not name:
        raise rec.error("field 'name' is empty")
    return [name, *_strings(rec, "forms")]


def _entry(rec: Record, protected: bool) -> NameEntry:
    english = _english_forms(rec)
    name = english[0]
    fr_field = "accept" if protected else "fr"
    extra = _strings(rec, fr_field)
    if not protected and not extra:
        raise rec.error("field 'fr' must list at least one French form")
    # One pattern per entry: the English forms verbatim and case-sensitive, the French forms through
    # inflection and case. Compiled when the source names the entry, unless written by hand (re:).
    alternatives = [f"(?-i:{_verbatim_regex(f)})" for f in english] + [_fr_form(x) for x in extra]
    hand_written = any(x.startswith("re:") for x in extra)
    accept = [(name, generated_regex("|".join(alternatives), hand_written, rec, fr_field))]
    wrong = compile_list(rec.get("wrong", []), rec, "wrong", french_name_regex)
    commons = _strings(rec, "common")
    if not commons and re.fullmatch(r"[A-Za-z]+", name):
        commons = [name.lower()]
    common = None
    if commons and wrong:
        common = LazyRegex("|".join(english_regex(c.lower()) for c in commons), flags=0)
    ambiguous = rec.get("ambiguous")
    when = compile_list(rec.get("when", []), rec, "when", cue_regex)
    if ambiguous and not when:
        raise rec.error("an 'ambiguous' name needs 'when' context cues")
    return NameEntry(
        name=name,
        kind=rec["kind"],
        protected=protected,
        english=english,
        accept=accept,
        french=[x.removeprefix("re:") for x in extra],
        wrong=wrong,
        common=common,
        ambiguous=ambiguous,
        when=when,
        unless=compile_list(rec.get("unless", []), rec, "unless", cue_regex),
        note=rec.get("note", ""),
        where=rec.where(),
    )


def build_name_data(protected: Sequence[Record], exonyms: Sequence[Record], common: Sequence[Record],
                    word_names: Sequence[Record] = (), lazy: bool = False) -> NameData:
    """The name data of these records, every entry built and checked now; with ``lazy``, the
    packaged data, an entry is built when a form of it is first looked up (``NameEntries``)."""
    by_form = NameEntries([(rec, True) for rec in protected] + [(rec, False) for rec in exonyms])
    if not lazy:
        by_form.all()
    words: set[str] = set()
    for rec in common:
        for w in _strings(rec, "words"):
            words.update(w.split())
    forms = sorted(by_form, key=len, reverse=True)
    source_rx = FormRegex(forms, _source_regex) if forms else None
    translations: dict[str, tuple[str, frozenset[str]]] = {}
    for rec in word_names:
        fr = _strings(rec, "fr")
        if not fr:
            raise rec.error("field 'fr' must list at least one French translation")
        translations[rec["name"]] = (rec["kind"], frozenset(_translit_key(x) for x in fr))
    return NameData(by_form, source_rx, frozenset(words), translations)


def _source_regex(forms: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(" + trie_regex(forms) + r")(?:['’]s)?(?![\w])")


def _translit_key(word: str) -> str:
    return accent_fold(word, str.lower)


@cache
def load_name_data() -> NameData:
    """The packaged name data, once per process: records validated now, each entry built when the
    text first names it (the test suite builds them all: ``tests/test_names.py``)."""
    return build_name_data(
        load_packaged("protected_names.yaml", NAME_SPEC, key="names"),
        load_packaged("exonyms.yaml", EXONYM_SPEC, key="exonyms"),
        load_packaged("exonyms.yaml", COMMON_SPEC, key="common"),
        load_packaged("protected_names.yaml", WORD_NAME_SPEC, key="word_names"),
        lazy=True,
    )


# ---------------------------------------------------------------- scanning

# Source tokens: dotted acronyms (U.S., U.K.) or words with inner hyphens/apostrophes.
_SRC_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_][\w&]*(?:[-'’][\w&]+)*")
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_CAP_TOKEN = re.compile(rf"(?:[A-Z]\.){{2,}}|(?<![\w&'’-])[{_UPPER}][\w&]*(?:[-'’][\w&]+)*")
_FR_TOKEN = re.compile(r"\w+(?:[-&]\w+)*")
_POSSESSIVE = re.compile(r"['’](?:s|m|d|ll|ve|re)$")
_CORPORATE = frozenset(["Plc", "PLC", "Inc", "Ltd", "Corp", "Corporation", "Group", "Co", "SA", "AG", "NV", "SE", "Holdings", "Company"])
_LONGER_NAME = re.compile(r"[ \u00a0]+(?:[A-Z][a-z]|of [A-Z]|for [A-Z])")
_TITLES = frozenset(["Mr", "Mrs", "Ms", "Dr", "Judge", "Justice", "Sir", "Dame", "Lady", "Sen", "Senator", "Rep", "Representative", "Gov", "Governor", "President", "Minister", "Mayor", "Chancellor", "Professor", "Prof", "Detective", "Officer", "Sergeant", "Captain", "General", "Colonel", "Lieutenant", "Inspector", "Commissioner", "Ambassador"])
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|«[^»\n]*»")
# Words that may join capitalised words into one name (Bank of England, Charles de Gaulle).
_CONNECTORS = frozenset(["of", "for", "and", "the", "de", "du", "des", "la", "le", "von", "van", "der", "den", "al", "el", "bin", "ibn", "da", "di", "dos"])
# A name ending like a demonym or an adjective (Taliban, Burkinabe, Qatari, Islamic) that French
# writes in lower case is an adjective, not a name turned into a common noun.
_ADJECTIVE_END = re.compile(r"(?:an|ans|ian|ians|ese|ish|ic|ics|ist|ists)$")
# Demonyms and group names not listed (Cameroonians, Alawites) are not names in French.
_DEMONYM_END = re.compile(r"(?:ians?|ans|eses?|ish|ites?|ists?)$")


def _fr_tokens(text: str) -> list[str]:
    """French words; a hyphenated word also gives its parts (Nord-Kivu → Kivu, El-Sadate → Sadate)."""
    out = []
    for t in _FR_TOKEN.findall(text):
        if t.isdigit():
            continue
        out.append(t)
        if "-" in t:
            out.extend(p for p in t.split("-") if len(p) >= 3)
    return out


def _fr_form(form: str) -> str:
    """An accepted French form: a lower-case adjective (russe, israélien, breton) with its feminine
    and plural forms; anything else as ``morphology.french_name_regex`` builds it."""
    if re.fullmatch(r"[a-zà-ÿ-]+", form):
        last = re.escape(form[-1])
        return r"(?<![\w])" + re.escape(form) + rf"(?:{last}?e|{last}?es|s|x)?(?![\w])"
    return french_name_regex(form)


def _survives(token: str, fr_tokens: list[str]) -> tuple[bool, str | None]:
    """(survives with a capital, lower-case look-alike) for one source token."""
    lower_hit = None
    for t in fr_tokens:
        if close_spelling(token, t):
            if t[:1].isupper() or (token.isupper() and t.isupper()):
                return True, None
            lower_hit = lower_hit or t
    return False, lower_hit


def _cue_in(cues: list[tuple[str, Regex]], *texts: str) -> bool:
    return any(rx.search(t) for _, rx in cues for t in texts if t)


@dataclass
class _Hit:
    rule: str
    severity: str
    start: int
    end: int
    src: str
    src_start: int
    src_end: int
    message: str
    suggestion: str | None


def _hits_in(patterns: list[tuple[str, Regex]], text: str) -> list[tuple[str, int, int]]:
    return find_all(patterns, text) if text else []


def _scan_entry(entry: NameEntry, m: re.Match, seg: Segment, prev: Segment | None, nxt: Segment | None,
                neighbour_mt: str) -> list[_Hit]:
    src, mt = seg.source, seg.mt
    initial = not is_mid_sentence_capital(src, m.start())
    neighbour_src = " ".join(s.source for s in (prev, nxt) if s is not None)
    if entry.unless and _cue_in(entry.unless, src):
        return []
    longer = _LONGER_NAME.match(src, m.end())
    if longer and src[longer.end() - 2:].split(None, 1)[0].strip(",.;:") not in _CORPORATE:
        return []  # part of a longer name (Patriot Act, Independent Commission Against Corruption)
    # A sentence-initial name that is also the common word ("Patriots rallied") counts only with a
    # context cue, as if the entry were marked ambiguous: initial.
    common_word = initial and entry.common is not None and entry.common.fullmatch(m.group(1).lower())
    needs_cue = entry.ambiguous == "always" or ((entry.ambiguous == "initial" or common_word) and initial)
    if needs_cue and not _cue_in(entry.when, src, neighbour_src):
        return []
    accepted = _hits_in(entry.accept, mt)
    accepted_spans = [(s, e) for _, s, e in accepted]
    wrong = [h for h in _hits_in(entry.wrong, mt) if not overlaps((h[1], h[2]), accepted_spans)]
    name = m.group(1)
    what = f" ({entry.note})" if entry.note else ""
    out: list[_Hit] = []
    if wrong and not (entry.common is not None and entry.common.search(src)):
        for _, s, e in wrong:
            out.append(_Hit(
                "names.protected", "critical", s, e, name, m.start(1), m.end(1),
                f"The name '{name}'{what} is rendered as '{mt[s:e]}', a common word or a word-by-word "
                f"translation; a name is kept as is (or given its accepted French form).",
                entry.english[0] if entry.protected else _first_fr(entry),
            ))
        return out
    if accepted or wrong or initial:
        return out
    if any(rx.search(neighbour_mt) for _, rx in entry.accept):
        return out
    if not entry.protected and _token_survives(name, mt):
        return out
    forms = ", ".join(f"'{f}'" for f in list(dict.fromkeys(entry.english[:2] + entry.french[:3])))
    out.append(_Hit(
        "names.missing", "minor", 0, 0, name, m.start(1), m.end(1),
        f"The name '{name}'{what} is not found in the French (expected {forms}); check that it was "
        f"not dropped or translated.",
        entry.english[0] if entry.protected else _first_fr(entry),
    ))
    return out


def _first_fr(entry: NameEntry) -> str:
    return entry.french[0] if entry.french else entry.name


def _token_survives(name: str, mt: str) -> bool:
    toks = _fr_tokens(mt)
    return any(_survives(t, toks)[0] for t in _SRC_TOKEN.findall(name) if len(t) >= 3)


def _is_headline(text: str) -> bool:
    """Title-case copy (headlines): most content words capitalised and no closing full stop."""
    words = [w for w in re.findall(r"[^\W\d_]{4,}", text)]
    caps = sum(w[:1].isupper() for w in words)
    if len(words) < 3:
        return False
    ended = text.rstrip(" \"'”’»)").endswith((".", "!", "?"))
    return caps / len(words) >= 0.6 and (not ended or (len(words) >= 5 and caps / len(words) >= 0.9))


def _common(word: str, data: NameData) -> bool:
    if word in data.common_words or (word.endswith("s") and word[:-1] in data.common_words):
        return True
    return bool(_DEMONYM_END.search(word)) or is_english_word(word)


def _name_like(word: str, data: NameData) -> bool:
    """A capitalised token that may be a name whose absence is worth a finding: not a listed
    capitalised common word or demonym, not an English dictionary word, not an acronym (often
    translated conventionally: CBSA → ASFC), not an abbreviation, and (for hyphenated words) every
    part capitalised (``Saudi-owned`` is not)."""
    parts = [p for p in re.split(r"[-'’]", word) if p]
    if not parts or not all(p[:1].isupper() for p in parts) or all(len(p) < 3 for p in parts):
        return False
    if sum(c.isupper() for c in word) >= 2 and not any(len(p) >= 3 and p[1:].islower() for p in parts):
        return False
    return not all(_common(p, data) for p in parts)


Group = list[tuple[str, int, int]]  # the capitalised words of one name: (word, start, end) in the source


def _capital_groups(src: str, skip: list[tuple[int, int]]) -> list[Group]:
    """The mid-sentence capitalised words of ``src`` outside ``skip``, grouped into names.

    Only capitalised tokens are visited; what lies between two of them (blank, connectors, or
    anything else, including a skipped capital) decides whether they form one name."""
    groups: list[Group] = []
    current: Group = []
    last_end = -1
    for tm in _CAP_TOKEN.finditer(src):
        start = tm.start()
        if any(s <= start < e for s, e in skip) or not is_mid_sentence_capital(src, start):
            continue
        word = _POSSESSIVE.sub("", tm.group(0))
        if current:
            between = src[last_end:start]
            if between.strip() and not _only_connectors(between):
                groups.append(current)
                current = []
        current.append((word, start, start + len(word)))
        last_end = tm.end()
    if current:
        groups.append(current)
    return groups


def _generic(seg: Segment, data: NameData, covered: list[tuple[int, int]], neighbour_mt: str) -> list[_Hit]:
    """Capitalised mid-sentence names not covered by the data files."""
    src = seg.source
    if _is_headline(src):
        return []
    quoted = [(q.start(), q.end()) for q in _QUOTED.finditer(src)]
    groups = _capital_groups(src, covered + quoted)
    if not groups:
        return []
    fr = _fr_tokens(seg.mt)
    near: list[list[str]] = []  # the neighbours' French tokens, tokenised when first needed

    def fr_near() -> list[str]:
        if not near:
            near.append(_fr_tokens(neighbour_mt))
        return near[0]

    out: list[_Hit] = []
    for g in groups:
        hit = _judge_group(g, seg, data, fr, fr_near)
        if hit is not None:
            out.append(hit)
    return out


def _survives_any(g: Group, fr: list[str]) -> bool:
    return any(_survives(w, fr)[0] for w, _, _ in g if len(w) >= 3 or w.isupper())


def _judge_group(g: Group, seg: Segment, data: NameData, fr: list[str], fr_near: Callable[[], list[str]]) -> _Hit | None:
    """The finding for one capitalised name of the source: translated word by word, turned into a
    lower-case look-alike, or missing from the French and its neighbours; None when it survives."""
    src, mt = seg.source, seg.mt
    words = [w for w, _, _ in g if _name_like(w, data)]
    if not words and not (len(g) >= 2 and any(data.word_names.get(w, ("",))[0] == "surname" for w, _, _ in g)):
        return None
    translated = _word_by_word(g, src, mt, fr, data) if len(g) >= 2 else None
    if translated is not None or not words:
        return translated
    # the name as shown: without leading/trailing titles and common words (Minister, Party)
    core = [t for t in g if not _common(t[0], data)] or g
    name = src[core[0][1]:core[-1][2]]
    if _survives_any(g, fr):
        return None
    lower_hits = _lower_case_lookalikes(words, src, fr)
    if lower_hits and len(g) == 1:
        low = lower_hits[0][1]
        s = next(i.start() for i in re.finditer(r"(?<![\w])" + re.escape(low) + r"(?![\w])", mt))
        return _Hit(
            "names.protected", "minor", s, s + len(low), name, core[0][1], core[-1][2],
            f"The name '{name}' survives only as the lower-case word '{low}'; if it is a name, "
            f"keep it capitalised (or give its accepted French form).",
            name,
        )
    if lower_hits:
        return None  # a multi-word name partly rendered in lower case: a translated title, not flagged
    if _survives_any(g, fr_near()):
        return None
    return _Hit(
        "names.missing", "minor", 0, 0, name, core[0][1], core[-1][2],
        f"The name '{name}' is not found in the French (neither as written, nor a close spelling, "
        f"nor a known exonym); check that it was not dropped or translated.",
        name,
    )


def _lower_case_lookalikes(words: list[str], src: str, fr: list[str]) -> list[tuple[str, str]]:
    """(source word, French lower-case look-alike) for the name's words that survive only in lower
    case, leaving out adjective-like endings and words the source itself writes in lower case."""
    out = []
    for w in words:
        low = _survives(w, fr)[1]
        if low and not _ADJECTIVE_END.search(w.lower()) and not re.search(
            r"(?<![\w])" + re.escape(w.lower()), src
        ):
            out.append((w, low))
    return out


def _word_by_word(g: list[tuple[str, int, int]], src: str, mt: str, fr: list[str], data: NameData) -> _Hit | None:
    """A person's surname that is also a common word, translated (Mary Fox → Marie Renard)."""
    for i, (w, _, e) in enumerate(g):
        kind, translations = data.word_names.get(w, ("", frozenset()))
        if kind != "surname" or i == 0 or i != len(g) - 1 or _survives(w, fr)[0]:
            continue
        prev = g[i - 1][0]
        # a person: the surname closes the name and follows a given name or a personal title
        if not (prev in _TITLES or data.word_names.get(prev, ("",))[0] == "given" or _name_like(prev, data)):
            continue
        for m in _FR_TOKEN.finditer(mt):
            t = m.group(0)
            if not t[:1].isupper() or _translit_key(t) not in translations:
                continue
            start = m.start()
            # widen to a given name of the same person translated just before (Marie Renard)
            before = re.search(r"(\w+)\s+$", mt[:start])
            if i > 0 and before and _translit_key(before.group(1)) in data.word_names.get(g[i - 1][0], ("", frozenset()))[1]:
                start = before.start(1)
            name = src[g[0][1]:e]
            return _Hit(
                "names.protected", "critical", start, m.end(), name, g[0][1], e,
                f"The name '{name}' is translated word by word ('{mt[start:m.end()]}'); a person's name is "
                f"kept as written.",
                src[g[0][1]:e],
            )
    return None


def _quoted_titles(src: str) -> list[tuple[int, int]]:
    """Quoted spans that look like titles: short and starting with a capital."""
    out = []
    for q in _QUOTED.finditer(src):
        inner = q.group(0)[1:-1].strip()
        if inner[:1].isupper() and len(inner.split()) <= 8:
            out.append((q.start(), q.end()))
    return out


def _only_connectors(between: str) -> bool:
    return all(w.lower() in _CONNECTORS for w in between.split()) and "," not in between


def scan_document(segments: list[Segment]) -> list[tuple[int, _Hit]]:
    data = load_name_data()
    out = []
    for i, seg in enumerate(segments):
        if not seg.source or not seg.mt:
            continue
        prev = segments[i - 1] if i > 0 else None
        nxt = segments[i + 1] if i + 1 < len(segments) else None
        neighbour_mt = " ".join(s.mt for s in (prev, nxt) if s is not None)
        covered: list[tuple[int, int]] = []
        flagged: set[tuple[int, int]] = set()
        seen: set[int] = set()
        if data.source_rx is not None:
            titles = _quoted_titles(seg.source)
            for m in data.source_rx.finditer(seg.source):
                covered.append((m.start(), m.end()))
                entry = data.by_form[" ".join(m.group(1).split())]
                if id(entry) in seen or any(s <= m.start() < e for s, e in titles):
                    continue  # a name inside a quoted title ("The Patriot") may be translated
                hits = _scan_entry(entry, m, seg, prev, nxt, neighbour_mt)
                if hits:
                    seen.add(id(entry))
                for h in hits:
                    if h.rule == "names.protected":
                        if (h.start, h.end) in flagged:
                            continue
                        flagged.add((h.start, h.end))
                    out.append((i, h))
        for h in _generic(seg, data, covered, neighbour_mt):
            if h.rule == "names.protected" and overlaps((h.start, h.end), flagged):
                continue
            out.append((i, h))
    return out
