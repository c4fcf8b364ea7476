"""Loads and validates ``mtqa/data/gender.yaml`` into lookup tables (cached per process).

* ``nouns``: French person nouns with a masculine and a feminine form, and the English words they
  translate (neutral ``en``, gendered ``en_m``/``en_f``);
* ``epicene``: French nouns with one form (journaliste), judged by their determiner;
* ``accepted``: regexes of usages that are not errors (or only minor ones).

French and English plurals are generated here; the tables are keyed by lower-case form
(the French titles ``M.``, ``Mme``, ``Mlle`` keep their case).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from mtqa.errors import ConfigError
from mtqa.model import SEVERITIES
from mtqa.ruledata import Field, Record, packaged_path, packaged_yaml, validate_records
from mtqa.text.regex import BudgetRegex, compile_regex

FILE = "gender.yaml"
NOUN_SPEC = {
    "m": Field((str, list), required=True),
    "f": Field((str, list), required=True),
    "en": Field(list),
    "en_m": Field(list),
    "en_f": Field(list),
    "adjective": Field(bool),
    "note": Field(str),
}
EPICENE_SPEC = {
    "fr": Field(str, required=True),
    "en": Field(list),
    "en_m": Field(list),
    "en_f": Field(list),
    "note": Field(str),
}
ACCEPTED_SPEC = {
    "pattern": Field(str, required=True),
    "note": Field(str, required=True),
    "tolerated": Field(str, choices=SEVERITIES),
}
CASED = frozenset({"M.", "Mme", "Mlle", "Mmes", "Mlles"})
_WORD = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?$")


@dataclass(frozen=True)
class FrenchForm:
    """One French form of a person noun: its entry, grammatical gender and number."""

    entry: int
    gender: str  # "m" | "f"
    plural: bool
    adjective: bool = False
    epicene: bool = False


@dataclass
class Entry:
    """One noun or epicene entry: its French forms by gender and its English words."""

    index: int
    m: tuple[str, ...]
    f: tuple[str, ...]
    en: tuple[str, ...]
    en_m: tuple[str, ...]
    en_f: tuple[str, ...]
    epicene: bool
    adjective: bool
    where: str


@dataclass
class GenderData:
    entries: list[Entry] = field(default_factory=list)
    french: dict[str, list[FrenchForm]] = field(default_factory=dict)
    # English form (tuple of tokens) → [(entry index, "m" | "f" | None)]
    english: dict[tuple[str, ...], list[tuple[int, str | None]]] = field(default_factory=dict)
    accepted: list[tuple[BudgetRegex, str | None]] = field(default_factory=list)
    longest_english: int = 1
    animals: frozenset[str] = frozenset()  # English animal nouns (she/he of a pet, il/elle of its noun)


def french_plural(word: str) -> str:
    """The plural of a French noun or adjective (regular rules; the data's nouns need no more)."""
    if word in CASED:
        return word if word.endswith(".") else word + "s"
    if word[-1] in "sxz":
        return word
    if word.endswith(("eau", "eu")) and not word.endswith("bleu"):
        return word + "x"
    if word.endswith("al") and word not in {"festival", "bal", "carnaval"}:
        return word[:-2] + "aux"
    return word + "s"


def english_plurals(word: str) -> set[str]:
    """An English noun and its plural (and possessive for gendered words: women's)."""
    w = word.lower()
    if w.endswith("man"):
        pl = w[:-3] + "men"
    elif w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        pl = w[:-1] + "ies"
    elif w.endswith(("s", "sh", "ch", "x", "z")):
        pl = w + "es"
    elif w.endswith("fe"):
        pl = w[:-2] + "ves"
    elif w == "child":
        pl = "children"
    else:
        pl = w + "s"
    return {w, pl}


def _strings(rec: Record, name: str) -> tuple[str, ...]:
    value = rec.get(name, [])
    items = [value] if isinstance(value, str) else value
    for x in items:
        if not isinstance(x, str) or not x.strip():
            raise rec.error(f"field '{name}': every item must be a non-empty string, got {x!r}")
        if name in ("m", "f", "fr") and not _WORD.match(x):
            raise rec.error(f"field '{name}': '{x}' is not one French word")
    return tuple(x.strip() for x in items)


def _entry(rec: Record, index: int, epicene: bool) -> Entry:
    if epicene:
        m = f = _strings(rec, "fr")
    else:
        m, f = _strings(rec, "m"), _strings(rec, "f")
        if set(m) & set(f):
            raise rec.error(f"the masculine and feminine forms overlap: {sorted(set(m) & set(f))}")
    en, en_m, en_f = _strings(rec, "en"), _strings(rec, "en_m"), _strings(rec, "en_f")
    if not (en or en_m or en_f):
        raise rec.error("an entry needs at least one English word (en, en_m or en_f)")
    if set(en_m) & set(en_f):
        raise rec.error(f"an English word cannot be both masculine and feminine: {sorted(set(en_m) & set(en_f))}")
    return Entry(index, m, f, en, en_m, en_f, epicene, bool(rec.get("adjective")), rec.where())


def _key(word: str) -> str:
    return word if word in CASED else word.lower()


def _index(data: GenderData, e: Entry, listed: frozenset[str]) -> None:
    genders = (("m", e.m),) if e.epicene else (("m", e.m), ("f", e.f))
    for g, forms in genders:
        for w in forms:
            for plural, form in ((False, w), (True, french_plural(w))):
                if plural and form == w:
                    continue  # fils, héros: one form for both numbers, counted as singular
                ff = FrenchForm(e.index, g, plural, e.adjective, e.epicene)
                data.french.setdefault(_key(form), []).append(ff)
    english: tuple[tuple[str | None, tuple[str, ...]], ...] = ((None, e.en), ("m", e.en_m), ("f", e.en_f))
    for eg, words in english:
        for w in words:
            for form in english_plurals(w):
                if form != w.lower() and form in listed:
                    continue  # a generated plural that is another listed word (mr → mrs)
                toks = tuple(re.findall(r"[a-z]+(?:[-'][a-z]+)*", form.replace("’", "'")))
                data.english.setdefault(toks, []).append((e.index, eg))
                data.longest_english = max(data.longest_english, len(toks))


def build(raw: object, path: str) -> GenderData:
    """Validated tables from the parsed YAML (``raw``: a mapping with nouns, epicene, accepted)."""
    if not isinstance(raw, dict):
        raw = {}
    data = GenderData()
    for key, spec, epicene in (("nouns", NOUN_SPEC, False), ("epicene", EPICENE_SPEC, True)):
        for rec in validate_records(raw, path, spec, key, packaged=True):
            data.entries.append(_entry(rec, len(data.entries), epicene))
    listed = frozenset(w.lower() for e in data.entries for w in e.en + e.en_m + e.en_f)
    for e in data.entries:
        _index(data, e, listed)
    animals = raw.get("animals", [])
    if not isinstance(animals, list) or not all(isinstance(a, str) and a.strip() for a in animals):
        raise ConfigError(f"{path}: 'animals' must be a list of English words")
    data.animals = frozenset(f for a in animals for f in english_plurals(a))
    for rec in validate_records(raw, path, ACCEPTED_SPEC, "accepted", packaged=True):
        data.accepted.append((compile_regex(rec["pattern"], rec, "pattern"), rec.get("tolerated")))
    return data


@cache
def load_gender_data() -> GenderData:
    return build(packaged_yaml(FILE), packaged_path(FILE))
