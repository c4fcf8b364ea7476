"""Which Grammalecte findings mtqa keeps, and at what severity: data, ``mtqa/data/grammar_calibration.json``,
written by ``bench/grammar_calibrate.py`` from measured precision on WMT20 train.

Grammalecte names each error by a rule id (``gv1__ppas_sujet_être_accord_pluriel__b1_a4_1``) and a
type (its option: ``ppas``). A calibration entry matches a type, or a rule id prefix (more
specific, so it wins); it gives the mtqa rule id (``grammar.agreement``) and the severity
(``major``, ``minor`` or ``off``). A type with no entry is off.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from mtqa.errors import ConfigError
from mtqa.model import SEVERITIES
from mtqa.ruledata import packaged_path

# Grammalecte type (option) → mtqa rule name under grammar.
RULES: dict[str, str] = {
    "gn": "agreement", "ppas": "agreement", "sgpl": "agreement",
    "conj": "conjugation", "infi": "conjugation", "imp": "conjugation", "inte": "conjugation",
    "vmode": "mood",
    "conf": "confusion", "loc": "idiom",
    "eleu": "elision", "doublon": "repetition",
    "maj": "capitalization", "minis": "capitalization",
    "tu": "hyphenation", "virg": "punctuation",
    "bs": "style", "pleo": "style", "date": "date",
}
# Grammalecte's typography types: mtqa's own typography.* rules speak for these ("one typography voice").
TYPOGRAPHY_TYPES = frozenset({"typo", "apos", "esp", "nbsp", "num", "unit", "nf", "chim", "eepi", "tab", "liga",
                              "mapos", "ocr", "poncfin", "html", "latex", "md"})
# mtqa rule → (MQM category, one-line doc)
CATEGORIES: dict[str, list[str]] = {
    "grammar.agreement": ["fluency/grammar", "Agreement in gender and number (nouns, adjectives, past participles), by Grammalecte."],
    "grammar.conjugation": ["fluency/grammar", "Verb forms: agreement with the subject, infinitive, imperative, interrogative forms, by Grammalecte."],
    "grammar.mood": ["fluency/grammar", "Verb mood (subjunctive after 'il faut que'…), by Grammalecte."],
    "grammar.confusion": ["fluency/spelling", "Homophone confusions (a/à, ce/se…), by Grammalecte."],
    "grammar.idiom": ["fluency/grammar", "Set phrases (locutions) written wrongly, by Grammalecte."],
    "grammar.elision": ["fluency/grammar", "Missing or wrong elision and euphony (le avion → l'avion), by Grammalecte."],
    "grammar.repetition": ["fluency/grammar", "A word written twice in a row, by Grammalecte."],
    "grammar.capitalization": ["fluency/spelling", "Capital letters French does not use (months, nationalities as adjectives…), by Grammalecte."],
    "grammar.hyphenation": ["fluency/spelling", "Missing or needless hyphens, by Grammalecte."],
    "grammar.punctuation": ["fluency/punctuation", "Missing commas (before 'mais', 'car', 'etc.'), by Grammalecte."],
    "grammar.style": ["style/awkward", "Popular forms and pleonasms, by Grammalecte."],
    "grammar.date": ["fluency/grammar", "Impossible dates, by Grammalecte."],
    "grammar.typography": ["fluency/punctuation", "Grammalecte's typography rules (off: mtqa's typography.* rules cover typography)."],
    "grammar.other": ["fluency/grammar", "Any other Grammalecte rule type."],
}


def mtqa_rule(grammalecte_type: str) -> str:
    if grammalecte_type in TYPOGRAPHY_TYPES:
        return "grammar.typography"
    return "grammar." + RULES.get(grammalecte_type, "other")


@dataclass(frozen=True)
class Entry:
    match: str
    by: str  # "type" or "rule" (a rule id prefix)
    rule: str
    severity: str  # minor | major | critical | off
    precision: float
    n: int


@dataclass(frozen=True)
class Calibration:
    types: dict[str, Entry]
    rules: tuple[Entry, ...]  # longest prefix first

    def entry(self, grammalecte_type: str, rule_id: str) -> Entry | None:
        for e in self.rules:
            if rule_id.startswith(e.match):
                return e
        return self.types.get(grammalecte_type)


def _entry(raw: dict, where: str) -> Entry:
    try:
        e = Entry(str(raw["match"]), str(raw["by"]), str(raw["rule"]), str(raw["severity"]),
                  float(raw["precision"]), int(raw["n"]))
    except (KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"{where}: expected match, by, rule, severity, precision and n ({err})") from None
    if e.by not in ("type", "rule") or (e.severity != "off" and e.severity not in SEVERITIES) or e.rule not in CATEGORIES:
        raise ConfigError(f"{where}: bad entry {raw!r}")
    return e


@lru_cache(maxsize=1)
def calibration() -> Calibration:
    path = packaged_path("grammar_calibration.json")
    try:
        data = json.loads(files("mtqa").joinpath("data").joinpath("grammar_calibration.json").read_text(encoding="utf-8"))
        raw = data["entries"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ConfigError(f"{path}: unreadable grammar calibration ({e})") from None
    entries = [_entry(r, f"{path}: entry {i}") for i, r in enumerate(raw)]
    types = {e.match: e for e in entries if e.by == "type"}
    rules = tuple(sorted((e for e in entries if e.by == "rule"), key=lambda e: -len(e.match)))
    return Calibration(types, rules)
