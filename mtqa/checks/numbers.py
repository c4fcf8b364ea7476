"""Numbers, dates and units: every number, month, weekday, percentage, amount and unit of the source
appears in the aligned French, under French conventions.

Both sides are parsed into quantities (value × multiplier, unit): ``$5bn`` = 5e9 usd =
``5 milliards de dollars``; ``2.75%`` = 2.75 percent = ``2,75 %``; ``1,000`` = 1000 =
``1 000`` / ``1\u00a0000`` / ``1\u202f000``; ``3 p.m.`` = 15 h. Spelled-out numbers (``two`` ↔
``deux``) may stand for digits but are never required. Months and weekdays are compared as
multisets. A quantity found only in a neighbouring segment is not reported (alignment noise).

The rules (``numbers.mismatch``, ``.missing``, ``.added``, ``.date``, ``.unit``, ``.format``) are
described, with their severities, in ``Numbers.subrules`` and ``Numbers.doc`` (what ``mtqa rules``
prints). Tables (months, weekdays, multipliers, units, number words): ``mtqa/data/numbers.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from typing import Any

from mtqa.checks.base import Check, CheckContext, RuleInfo
from mtqa.errors import ConfigError
from mtqa.model import Finding, Segment
from mtqa.ruledata import Field, load_packaged, packaged_path, packaged_table

SP = "[ \u00a0\u202f]"


@dataclass
class Quantity:
    values: list[Decimal]  # candidate readings, the right one first (French: "1,000" → 1, then 1000)
    unit: str | None
    start: int
    end: int
    text: str
    soft: bool = False  # a spelled-out number: may match, never required
    fmt: str | None = None  # a French-convention problem in the MT text
    fmt_severity: str = "minor"
    fr_billion: bool = False
    approx: list[tuple[Decimal, str]] = field(default_factory=list)  # converted readings (50 ft ≈ 15 m)
    factor: Decimal = Decimal(1)  # the multiplier written after the number (million → 1e6)
    english_comma: bool = False  # French "1,000": read 1 (values[0]) or, the English way, 1000 (values[1])


@dataclass
class Named:
    n: int
    start: int
    end: int
    text: str


@dataclass
class Tables:
    months: dict[str, dict[str, int]]  # lang → form → n
    weekdays: dict[str, dict[str, int]]
    mult: dict[str, dict[str, Decimal]]  # lang → word (lowercase) → factor
    mult_exact: dict[str, dict[str, Decimal]]
    words: dict[str, dict[str, int]]
    units: dict[str, list[tuple[str, str]]]  # lang → [(form, unit id)] longest first
    conversions: dict[str, list[tuple[str, Decimal, Decimal]]] = field(default_factory=dict)  # from → [(to, factor, offset)]
    tolerance: Decimal = Decimal("0.06")
    rx: dict[str, re.Pattern] = field(default_factory=dict)
    directions: dict[str, list[tuple[re.Pattern, str]]] = field(default_factory=dict)  # lang → [(cue, up/down)]
    periods: dict[str, list[tuple[re.Pattern, str]]] = field(default_factory=dict)  # lang → [(regex, period id)]


_SPEC_NAMED = {"n": Field(int, required=True), "en": Field(list, required=True), "fr": Field(list, required=True)}
_SPEC_UNIT = {"id": Field(str, required=True), "en": Field(list, required=True), "fr": Field(list, required=True)}


def _alt(forms: Iterable[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


_DATA = "numbers.yaml"


def _named_tables(key: str) -> dict[str, dict[str, int]]:
    """lang → form (lower-case) → n, for the months or the weekdays."""
    out: dict[str, dict[str, int]] = {"en": {}, "fr": {}}
    for rec in load_packaged(_DATA, _SPEC_NAMED, key):
        for lang in ("en", "fr"):
            for form in rec[lang]:
                out[lang][str(form).lower()] = rec["n"]
    return out


def _unit_table() -> dict[str, list[tuple[str, str]]]:
    """lang → [(form, unit id)], longest form first."""
    units: dict[str, list[tuple[str, str]]] = {"en": [], "fr": []}
    for rec in load_packaged(_DATA, _SPEC_UNIT, "units"):
        for lang in ("en", "fr"):
            units[lang].extend((str(f), rec["id"]) for f in rec[lang])
    for forms in units.values():
        forms.sort(key=lambda x: -len(x[0]))
    return units


def _word_tables(data: dict) -> tuple[dict[str, dict[str, Decimal]], dict[str, dict[str, Decimal]], dict[str, dict[str, int]]]:
    """(multiplier words, case-sensitive multiplier abbreviations, number words), per language."""
    try:
        mult = {lang: {k.lower(): Decimal(str(v)) for k, v in data["multipliers"][lang].items()} for lang in ("en", "fr")}
        mult_exact = {lang: {k: Decimal(str(v)) for k, v in data["multipliers"][lang + "_exact"].items()} for lang in ("en", "fr")}
        words = {lang: {str(k).lower(): int(v) for k, v in data["number_words"][lang].items()} for lang in ("en", "fr")}
    except (KeyError, TypeError, AttributeError, ValueError, ArithmeticError) as e:
        raise ConfigError(f"{packaged_path(_DATA)}: multipliers (en, en_exact, fr, fr_exact) and number_words (en, fr) "
                          f"must map words to numbers ({type(e).__name__}: {e})") from None
    return mult, mult_exact, words


def _read_conversions(t: Tables, data: dict) -> None:
    conv = data.get("conversions") or {}
    try:
        t.tolerance = Decimal(str(conv.get("tolerance", 0.06)))
        for row in conv.get("table", []):
            t.conversions.setdefault(row["from"], []).append(
                (row["to"], Decimal(str(row["factor"])), Decimal(str(row.get("offset", 0)))))
    except (KeyError, TypeError, AttributeError, ArithmeticError) as e:
        raise ConfigError(f"{packaged_path(_DATA)}: conversions need tolerance and a table of from/to/factor[/offset] "
                          f"({type(e).__name__}: {e})") from None


def _read_context(t: Tables, data: dict) -> None:
    """The direction cues (up/down) and rate periods (a day, par jour) of numbers.yaml."""
    try:
        for lang in ("en", "fr"):
            t.directions[lang] = [(re.compile(rx, re.IGNORECASE), way)
                                  for way in ("up", "down") for rx in data["directions"][lang][way]]
            t.periods[lang] = [(re.compile(rx, re.IGNORECASE), row["id"]) for row in data["periods"] for rx in row[lang]]
    except (KeyError, TypeError, re.error) as e:
        raise ConfigError(f"{packaged_path(_DATA)}: directions (en/fr: up, down) and periods (id, en, fr) "
                          f"must be lists of regexes ({type(e).__name__}: {e})") from None


def _compile_tables(t: Tables) -> None:
    """The regexes of each language's months, weekdays, multipliers, units and number words."""
    for lang in ("en", "fr"):
        t.rx[f"month_{lang}"] = re.compile(r"(?<!\w)(" + _alt(t.months[lang]) + r")\.?(?!\w)", re.IGNORECASE)
        t.rx[f"weekday_{lang}"] = re.compile(r"(?<!\w)(" + _alt(t.weekdays[lang]) + r")s?(?!\w)", re.IGNORECASE)
        t.rx[f"multw_{lang}"] = re.compile(r"(?:" + SP + r"|-)?(" + _alt(t.mult[lang]) + r")\.?(?![\w])", re.IGNORECASE)
        t.rx[f"multx_{lang}"] = re.compile(SP + r"?(" + _alt(t.mult_exact[lang]) + r")(?![\w])")
        link = r"(?:" + SP + r"?(?:de" + SP + r"|d['’]" + SP + r"?))?" if lang == "fr" else r"(?:" + SP + r"?of" + SP + r")?"
        t.rx[f"unit_{lang}"] = re.compile(
            link + SP + r"?(" + _alt(f for f, _ in t.units[lang]) + r")(?![^\W\d_])", re.IGNORECASE)
        t.rx[f"word_{lang}"] = re.compile(r"(?<![\w-])(" + _alt(t.words[lang]) + r")(?![\w" + ("-" if lang == "fr" else "") + r"])",
                                          re.IGNORECASE)


@lru_cache(maxsize=1)
def tables() -> Tables:
    """The tables of ``mtqa/data/numbers.yaml``, validated and compiled once per process."""
    months, weekdays = _named_tables("months"), _named_tables("weekdays")
    units = _unit_table()
    data = packaged_table(_DATA)
    t = Tables(months, weekdays, *_word_tables(data), units)
    _read_conversions(t, data)
    _read_context(t, data)
    _compile_tables(t)
    return t


_EN_NUM = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+(?![\d,.])|\d+)(?:\.(\d+))?(?!\d|,\d)")
_FR_NUM = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d{1,3}(?:\.\d{3})+(?![\d,])|\d+)(?:([,.])(\d+))?(?!\d)"
)
_EN_TIME = re.compile(r"(?<![\w.:])(\d{1,2})(?:[:.](\d{2}))?" + SP + r"?([ap])\.?m\.?(?!\w)", re.IGNORECASE)
_FR_TIME = re.compile(r"(?<![\w.:])(\d{1,2})" + SP + r"?[hH](?:eures?)?(?:" + SP + r"?(\d{2}))?(?![^\W\d_])")
_FR_AFTERNOON = re.compile(SP + r"+(?:du" + SP + r"+soir|de" + SP + r"+l['’]après-midi)\b")
# Wire-copy clock times: "1400 GMT", "0930 local time": four digits with a time zone after them
# (read as hours and minutes, not as 1400). Without a zone they stay numbers: "by 2014" is a year.
_ZONE = r"(?:GMT|UTC|Z|local|ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|CET|CEST|BST|EET|EEST|MSK|IST|JST|AEST|AEDT|HKT|SGT|hrs)\b"
_EN_WIRE_TIME = re.compile(r"(?<![\w.,:])([01]\d|2[0-3])([0-5]\d)(?=" + SP + r"?" + _ZONE + r")")
# Durations written as hours and minutes: "2 hours 45 minutes" ↔ "2h45" / "2 heures 45 minutes".
_EN_DURATION = re.compile(r"(?<![\w.,])(\d{1,2})" + SP + r"?(?:hours?|hrs?)(?:,?" + SP + r"+and)?" + SP + r"+(\d{1,2})" + SP
                          + r"?(?:minutes?|mins?)(?!\w)", re.IGNORECASE)
_FR_DURATION = re.compile(r"(?<![\w.,])(\d{1,2})" + SP + r"?heures?(?:" + SP + r"+et)?" + SP + r"+(\d{1,2})" + SP
                          + r"?minutes?(?!\w)", re.IGNORECASE)
# "noon" / "midi": a time that may stand for 12 h; never required (midi is also the south).
_EN_NOON = re.compile(r"(?<!\w)(noon|midday|midnight)(?!\w)", re.IGNORECASE)
_FR_NOON = re.compile(r"(?<!\w)(midi|minuit)(?!\w)")
# A fraction after a number, its unit or multiplier: "12 ans et demi" = 12.5, "2 millions et demi" = 2.5e6.
_FR_HALF = re.compile(SP + r"*(?:et" + SP + r"+(demie?|quart)|(trois)" + SP + r"+quarts|(?:,|et)" + SP + r"+(un|deux)" + SP
                      + r"+tiers)(?![\w])", re.IGNORECASE)
_EN_HALF = re.compile(SP + r"*and" + SP + r"+(?:a" + SP + r"+)?(half|quarter)(?![\w])", re.IGNORECASE)
_FRACTIONS = {"demi": Decimal("0.5"), "demie": Decimal("0.5"), "quart": Decimal("0.25"), "trois": Decimal("0.75"),
              "half": Decimal("0.5"), "quarter": Decimal("0.25"), "un": Decimal(1) / 3, "deux": Decimal(2) / 3}
# Spelled magnitudes without digits: "half a million", "a quarter of a billion", "un demi-million".
_EN_SPELLED_MAG = re.compile(r"(?<![\w-])(half|a" + SP + r"+quarter" + SP + r"+of)" + SP + r"+an?" + SP
                             + r"+(million|billion)(?![\w])", re.IGNORECASE)
_FR_SPELLED_MAG = re.compile(r"(?<![\w-])(?:une?" + SP + r"+)?(demi|quart)(?:-|" + SP + r"+(?:de" + SP + r"+|d['’]))?"
                             r"(million|milliard)s?(?![\w])", re.IGNORECASE)
_MAG_WORDS = {"million": Decimal("1e6"), "billion": Decimal("1e9"), "milliard": Decimal("1e9")}
# Telephone numbers: four or more groups of two digits ("08 11 00 06 95", "08.11.00.06.95").
_PHONE = re.compile(r"(?<![\w.,])\d{2}(?:[ .\u00a0]\d{2}){3,}(?![\w]|[.,]\d)")
_CLOCK = re.compile(r"(?<![\w.:,])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")  # 16:35 (24-hour)
_ROMAN = re.compile(r"(?<![\w])([IVXLC]{2,}|[IVX])(?:e|er|ème|eme|ᵉ)(?![\w])")  # XXIe, XIXème (not Le, Ce)
_RANGE_LINK = {"en": re.compile(SP + r"*(?:and|to|or|-|–)" + SP + r"*\Z"), "fr": re.compile(SP + r"*(?:et|à|ou|-|–)" + SP + r"*\Z")}
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman(text: str) -> int:
    total = 0
    for a, b in zip(text, text[1:] + " "):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total


def _propagate_ranges(qs: list[Quantity], text: str, lang: str) -> None:
    """"325 et 340 M$", "between 5 and 7 billion": the first number of a range takes the
    multiplier and unit of the second as another reading."""
    for a, b in pairwise(qs):
        gap = text[a.end:b.start]
        if a.soft or b.soft or a.unit or a.factor != 1 or len(gap) > 8 or not _RANGE_LINK[lang].match(gap):
            continue
        if b.factor != 1:
            a.values.append(a.values[0] * b.factor)
        a.unit = b.unit
_CURRENCY_BEFORE = re.compile(r"(US\$|\$|€|£)" + SP + r"?$")
_ORDINAL_AFTER_EN = re.compile(r"(?:st|nd|rd|th)(?![\w])")
_ORDINAL_AFTER_FR = re.compile(r"(?:er|re|e|ème|eme|ᵉ|ᵉʳ)(?![\w])")
_DECADE_EN = re.compile(r"s(?![\w])")
# 0.5 point ↔ 0,5 %; 24 hours ↔ 24 h. "percentage points" ↔ "%" is not: a 2-point rise is not a 2 % rise.
COMPATIBLE_UNITS = ({"percent", "points"}, {"pp", "points"}, {"time", "hour"})
_CUR_UNITS = {"US$": "usd", "$": "usd", "€": "eur", "£": "gbp"}


def _decimal(intpart: str, frac: str | None) -> Decimal:
    digits = re.sub(r"[^\d]", "", intpart)
    return Decimal(digits + ("." + frac if frac else ""))


def _unit_after(t: Tables, lang: str, text: str, pos: int) -> tuple[str | None, int]:
    m = t.rx[f"unit_{lang}"].match(text, pos)
    if not m:
        return None, pos
    form = m.group(1).lower()
    for f, uid in t.units[lang]:
        if f.lower() == form:
            return uid, m.end()
    return None, pos


def _mult_after(t: Tables, lang: str, text: str, pos: int) -> tuple[Decimal, int, str]:
    m = t.rx[f"multw_{lang}"].match(text, pos)
    if m:
        factor, word = t.mult[lang][m.group(1).lower()], m.group(1).lower()
        m2 = t.rx[f"multw_{lang}"].match(text, m.end())  # "seven thousand million" = 7e9
        if m2 and factor == 1000:
            return factor * t.mult[lang][m2.group(1).lower()], m2.end(), m2.group(1).lower()
        return factor, m.end(), word
    m = t.rx[f"multx_{lang}"].match(text, pos)
    if m:
        return t.mult_exact[lang][m.group(1)], m.end(), m.group(1)
    return Decimal(1), pos, ""


def _times(rx_list, text: str, out: list[Quantity], taken: list[tuple[int, int]]) -> None:
    for rx, kind in rx_list:
        for m in rx.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            h, mins = int(m.group(1)), int(m.group(2) or 0)
            if h > 24 or mins > 59:
                continue
            values = [Decimal(h) + Decimal(mins) / 60]
            if kind == "ampm":
                h24 = h % 12 + (12 if m.group(3).lower() == "p" else 0)
                values = [Decimal(h24) + Decimal(mins) / 60]
            elif h < 12 and _FR_AFTERNOON.match(text, m.end()):  # "5 h 42 de l'après-midi" = 17 h 42
                values = [Decimal(h + 12) + Decimal(mins) / 60]
            out.append(Quantity(values, "time", m.start(), m.end(), m.group()))
            taken.append((m.start(), m.end()))


def _wire_times(text: str, out: list[Quantity], taken: list[tuple[int, int]]) -> None:
    """"1400 GMT", "at 0930": four-digit clock times of wire copy."""
    for m in _EN_WIRE_TIME.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        h, mins = int(m.group(1)), int(m.group(2))
        out.append(Quantity([Decimal(h) + Decimal(mins) / 60], "time", m.start(), m.end(), m.group()))
        taken.append((m.start(), m.end()))


def _durations(rx: re.Pattern, text: str, out: list[Quantity], taken: list[tuple[int, int]]) -> None:
    """"2 hours 45 minutes" / "2 heures 45 minutes": one time of 2.75 h (as "2h45" reads)."""
    for m in rx.finditer(text):
        h, mins = int(m.group(1)), int(m.group(2))
        if mins < 60 and not any(a <= m.start() < b for a, b in taken):
            out.append(Quantity([Decimal(h) + Decimal(mins) / 60], "time", m.start(), m.end(), m.group()))
            taken.append((m.start(), m.end()))


def _soft_words(text: str, lang: str, out: list[Quantity], taken: list[tuple[int, int]]) -> None:
    """Readings that may stand for digits but are never required: noon/midi, half a million, un demi-million."""
    noon, mag = (_EN_NOON, _EN_SPELLED_MAG) if lang == "en" else (_FR_NOON, _FR_SPELLED_MAG)
    for m in noon.finditer(text):
        values = [Decimal(12)] if m.group(1).lower() in ("noon", "midday", "midi") else [Decimal(0), Decimal(24)]
        out.append(Quantity(values, "time", m.start(), m.end(), m.group(), soft=True))
    for m in mag.finditer(text):
        frac = Decimal("0.5") if m.group(1).lower() in ("half", "demi") else Decimal("0.25")
        factor = _MAG_WORDS[m.group(2).lower()]
        out.append(Quantity([frac * factor], None, m.start(), m.end(), m.group(), soft=True, factor=factor))
        taken.append((m.start(), m.end()))


def _phones(text: str, out: list[Quantity], taken: list[tuple[int, int]]) -> None:
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        out.append(Quantity([Decimal("1" + digits)], "phone", m.start(), m.end(), m.group()))
        taken.append((m.start(), m.end()))


def _clock_reading(m: re.Match) -> list[Decimal]:
    """British clock times "6.30" read as 6 h 30 too (another reading: it may be a decimal)."""
    if m.group(2) and len(m.group(2)) == 2 and int(m.group(2)) < 60 and m.group(1).isdigit() and int(m.group(1)) <= 24:
        return [Decimal(int(m.group(1))) + Decimal(int(m.group(2))) / 60]
    return []


def _fraction_after(rx: re.Pattern, text: str, pos: int) -> tuple[Decimal, int]:
    """A fraction written after a quantity ("et demi", "and a half"): (its value, the end), or (0, pos)."""
    m = rx.match(text, pos)
    if not m:
        return Decimal(0), pos
    word = next(g for g in m.groups() if g).lower()
    return _FRACTIONS[word], m.end()


def _add_fraction(q: Quantity, rx: re.Pattern, text: str) -> None:
    """"12 ans et demi" = 12.5, "2 millions et demi" = 2.5e6: the fraction is part of the figure."""
    frac, end = _fraction_after(rx, text, q.end)
    if frac:
        q.values = [v + frac * q.factor for v in q.values]
        q.end, q.text = end, text[q.start:end]


def _add_conversions(t: Tables, q: Quantity, currency_symbol: bool) -> None:
    if q.unit is None or (q.unit == "gbp" and currency_symbol):
        return
    for to, factor, offset in t.conversions.get(q.unit, []):
        q.approx.append(((q.values[0] + offset) * factor, to))


def parse_en(text: str) -> tuple[list[Quantity], list[Named], list[Named]]:
    t = tables()
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    _times(((_EN_TIME, "ampm"), (_CLOCK, "24h")), text, out, taken)
    _wire_times(text, out, taken)
    _durations(_EN_DURATION, text, out, taken)
    _phones(text, out, taken)
    _soft_words(text, "en", out, taken)
    for m in _EN_NUM.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        value = _decimal(m.group(1), m.group(2))
        values = [value]
        end = m.end()
        unit = None
        before = _CURRENCY_BEFORE.search(text, 0, m.start())
        start = m.start()
        if before:
            unit, start = _CUR_UNITS[before.group(1)], before.start()
        o = _ORDINAL_AFTER_EN.match(text, end)
        d = _DECADE_EN.match(text, end) if not o and len(m.group(1)) == 4 and m.group(1).endswith("0") else None
        after = o or d
        if after is not None:
            end = after.end()
            if d:
                values.append(value % 100)  # the 1980s ↔ les années 80
        frac, end = _fraction_after(_EN_HALF, text, end)  # "two and a half million"
        values = [v + frac for v in values]
        values += _clock_reading(m)
        factor, end, _ = _mult_after(t, "en", text, end)
        u, uend = _unit_after(t, "en", text, end)
        if u and unit is None:
            unit, end = u, uend
        elif u == unit:
            end = uend
        q = Quantity([v * factor for v in values], unit, start, end, text[start:end], factor=factor)
        _add_conversions(t, q, before is not None)
        out.append(q)
    for m in t.rx["word_en"].finditer(text):
        if any(q.start <= m.start() < q.end for q in out):
            continue
        value = Decimal(t.words["en"][m.group(1).lower()])
        factor, end, mword = _mult_after(t, "en", text, m.end())
        unit, uend = _unit_after(t, "en", text, end)
        end = uend if unit else end
        q = Quantity([value * factor], unit, m.start(), end, text[m.start():end], soft=not mword, factor=factor)
        _add_conversions(t, q, False)
        out.append(q)
    out.sort(key=lambda q: q.start)
    _propagate_ranges(out, text, "en")
    months = [Named(t.months["en"][m.group(1).lower()], m.start(1), m.end(1), m.group(1))
              for m in t.rx["month_en"].finditer(text) if _english_month(text, m)]
    days = [Named(t.weekdays["en"][m.group(1).lower()], m.start(), m.end(), m.group())
            for m in t.rx["weekday_en"].finditer(text)
            if m.group()[0].isupper() and not re.match(r"\s+[A-Z]", text[m.end():])]  # not "Sunday Telegraph"
    return out, months, days


def _english_month(text: str, m: re.Match) -> bool:
    """Capitalised, and ``May``/``March``/abbreviations only next to a number or after in/of/since/…"""
    word = m.group(1)
    if not word[0].isupper():
        return False
    if word.lower() not in ("may", "march") and len(word) > 4:
        return True
    around = text[max(0, m.start() - 12): m.end() + 6]
    return bool(re.search(r"\d", around)) or bool(
        re.search(r"(?:in|of|since|until|by|early|late|mid|last|next|from|this)[\s-]+$", text[: m.start()], re.IGNORECASE))


def _fr_number_words(t: Tables, text: str, out: list[Quantity]) -> None:
    """Spelled-out French numbers ("deux millions et demi"): soft quantities."""
    for m in t.rx["word_fr"].finditer(text):
        if any(q.start <= m.start() < q.end for q in out):
            continue
        value = Decimal(t.words["fr"][m.group(1).lower()])
        factor, end, mword = _mult_after(t, "fr", text, m.end())
        u, uend = _unit_after(t, "fr", text, end)
        q = Quantity([value * factor], u, m.start(), uend if u else end, text[m.start():uend if u else end], soft=True,
                     factor=factor)
        q.fr_billion = mword.startswith("billion")
        _add_fraction(q, _FR_HALF, text)
        out.append(q)


def parse_fr(text: str) -> tuple[list[Quantity], list[Named], list[Named]]:
    t = tables()
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    _durations(_FR_DURATION, text, out, taken)
    _times(((_FR_TIME, "24h"), (_CLOCK, "24h")), text, out, taken)
    _phones(text, out, taken)
    _soft_words(text, "fr", out, taken)
    for m in _ROMAN.finditer(text):
        out.append(Quantity([Decimal(roman(m.group(1)))], None, m.start(), m.end(), m.group()))
        taken.append((m.start(), m.end()))
    for m in _FR_NUM.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        intpart, sep, frac = m.group(1), m.group(2), m.group(3)
        fmt, fmt_sev = None, "minor"
        if "." in intpart:  # 1.000 (dot as thousands separator)
            values = [_decimal(intpart, None)] + ([Decimal(intpart)] if intpart.count(".") == 1 else [])
            fmt = "thousands separator '.': French uses a (narrow) no-break space"
        elif sep == ".":
            values = [_decimal(intpart, frac)]
            fmt = "decimal point: French uses a decimal comma"
        elif sep == "," and frac and len(frac) == 3 and re.fullmatch(r"\d{1,3}", intpart):
            # "1,000": a French reader reads 1 (decimal comma); the source may mean 1000.
            values = [_decimal(intpart, frac), Decimal(intpart + frac)]
        else:
            values = [_decimal(intpart, frac)]
        end = m.end()
        start = m.start()
        unit = None
        before = _CURRENCY_BEFORE.search(text, 0, m.start())
        if before:
            unit, start = _CUR_UNITS[before.group(1)], before.start()
            fmt = fmt or f"currency symbol before the number: French writes {m.group()} {before.group(1)}"
        o = _ORDINAL_AFTER_FR.match(text, end)
        if o:
            end = o.end()
        factor, end, mword = _mult_after(t, "fr", text, end)
        u, uend = _unit_after(t, "fr", text, end)
        if u and (unit is None or u == unit):
            unit, end = u, uend
        q = Quantity([v * factor for v in values], unit, start, end, text[start:end], fmt=fmt, fmt_severity=fmt_sev,
                     factor=factor, english_comma=sep == "," and len(values) == 2)
        q.fr_billion = mword.startswith("billion")
        _add_fraction(q, _FR_HALF, text)
        out.append(q)
    _fr_number_words(t, text, out)
    out.sort(key=lambda q: q.start)
    _propagate_ranges(out, text, "fr")
    months = [Named(t.months["fr"][m.group(1).lower()], m.start(1), m.end(1), m.group(1))
              for m in t.rx["month_fr"].finditer(text) if _french_month(text, m)]
    days = [Named(t.weekdays["fr"][m.group(1).lower()], m.start(), m.end(), m.group())
            for m in t.rx["weekday_fr"].finditer(text)]
    return out, months, days


def _french_month(text: str, m: re.Match) -> bool:
    word = m.group(1)
    if word.lower() in ("mars", "sept", "oct", "nov", "mai") or len(word) <= 4:
        # Mars (planet/brand), sept (seven), mai: only next to a number, or lowercase after en/de/début/fin.
        around = text[max(0, m.start() - 12): m.end() + 6]
        if re.search(r"\d", around):
            return True
        return word.islower() and word.lower() != "sept" and bool(
            re.search(r"(?:en|de|d['’]|début|fin|mi-|depuis|jusqu['’]en)" + SP + r"*$", text[: m.start()], re.IGNORECASE))
    return True


def match_kind(a: Quantity, b: Quantity) -> str | None:
    """How source quantity ``a`` matches French quantity ``b``: ``exact`` (b read the French way),
    ``english`` (only b's English reading: "1,000"), ``range``/``approx``/``round``, or None."""
    if b.values[0] in a.values:
        return "exact"
    if b.english_comma and b.values[1] in a.values:
        return "english"
    if any(v == w for v in a.values for w in b.values):
        return "range"
    tol = tables().tolerance
    if any(b.unit == u and abs(b.values[0] - v) <= tol * abs(v) for v, u in a.approx):
        return "approx"
    return "round" if _rounded(a, b) else None


def _same(a: Quantity, b: Quantity) -> bool:
    return match_kind(a, b) is not None


def _places(v: Decimal) -> int:
    """Digits after the decimal point of a finite value (``Decimal("12.75")`` → 2)."""
    exponent = v.as_tuple().exponent
    assert isinstance(exponent, int), v  # parsed from digits: never NaN or infinite
    return -exponent


def _rounded(a: Quantity, b: Quantity) -> bool:
    # Rounding: 18 inches (46 cm) ↔ 45,72 cm; 12.75 ↔ 12,8 (the less precise side's precision).
    # A clock time is never rounded: 5 h 42 is not "six".
    if "time" in (a.unit, b.unit):
        return False
    for v in a.values[:1]:
        for w in b.values[:1]:
            pv, pw = _places(v), _places(w)
            if pv != pw and v and w:
                p = min(pv, pw)
                q = Decimal(1).scaleb(-p)
                if v.quantize(q, rounding="ROUND_HALF_UP") == w.quantize(q, rounding="ROUND_HALF_UP") and \
                        abs(v - w) <= abs(v) * Decimal("0.05"):
                    return True
    return False


def _magnitude_changed(a: Quantity, b: Quantity) -> bool:
    """The same figure with another multiplier: 5 million ↔ 5 milliards."""
    return a.factor != b.factor and a.values[0] / a.factor == b.values[0] / b.factor


DIRECTION_WINDOW = 28  # characters before a number where "up"/"en hausse de" is read
PERIOD_WINDOW = 24  # characters after a quantity where "a day"/"par jour" is read


def direction_before(text: str, pos: int, lang: str) -> str | None:
    """"up" or "down": the direction cue nearest before ``pos`` in the window, or None."""
    window = text[max(0, pos - DIRECTION_WINDOW):pos]
    best: tuple[int, str] | None = None
    for rx, way in tables().directions[lang]:
        for m in rx.finditer(window):
            if best is None or m.end() > best[0]:
                best = (m.end(), way)
    return best[1] if best else None


_ASIDE = re.compile(r"\s*\([^()]{1,40}\)")  # "310,000 euros ($337,000) per year": the rate reads past the aside


def period_span(text: str, pos: int, lang: str) -> tuple[str, int, int] | None:
    """(period id, start, end) of the rate period written right after a quantity ("a day", "par
    mois"), or None. A period starts within PERIOD_WINDOW characters (after a bracketed aside)
    and may end past it."""
    aside = _ASIDE.match(text, pos)
    pos = aside.end() if aside else pos
    window = text[pos:pos + PERIOD_WINDOW + 16]
    hits = [(m.start(), m.end(), pid) for rx, pid in tables().periods[lang] for m in [rx.search(window)]
            if m and m.start() < PERIOD_WINDOW]
    if not hits:
        return None
    start, end, pid = min(hits)
    return pid, pos + start, pos + end


def period_after(text: str, pos: int, lang: str) -> str | None:
    """The rate period id written right after a quantity, or None (see ``period_span``)."""
    span = period_span(text, pos, lang)
    return span[0] if span else None


def _once_per_span(findings: Iterable[Finding]) -> Iterator[Finding]:
    """One finding per rule and French span: two amounts of one rate ("310,000 euros ($337,000)
    per year") share the period they got wrong."""
    seen: set[tuple[str, int, int]] = set()
    for f in findings:
        key = (f.rule, f.mt_start, f.mt_end)
        if f.mt_end > f.mt_start and key in seen:
            continue
        seen.add(key)
        yield f


_KIND_RANK = {"exact": 0, "range": 1, "round": 2, "english": 3, "approx": 4}


class Numbers(Check):
    id = "numbers"
    category = "accuracy/mistranslation"
    severity = "major"
    doc = (
        "Numbers, dates and units: every number, percentage, amount, unit, month and weekday of the "
        "source must appear in the aligned French under French conventions (2.75% ↔ 2,75 %, 1,000 ↔ "
        "1 000, July 4 ↔ 4 juillet, $5bn ↔ 5 milliards de dollars, 3 p.m. ↔ 15 h). A changed or missing "
        "number or month, or a changed weekday, is major; a dropped weekday or a number only in the "
        "French is minor; an English number "
        "format left in the French is minor (2.75), or major when it changes the reading (1,000 reads "
        "as 1 in French). Spelled-out numbers may replace digits but are never required."
    )
    subrules = (
        RuleInfo("numbers.mismatch", "accuracy/mistranslation", "major",
                 "A number of the source replaced by another number in the French (incl. French 'billion' = 10^12)."),
        RuleInfo("numbers.missing", "accuracy/omission", "major",
                 "A number of the source with no counterpart in the aligned French."),
        RuleInfo("numbers.added", "accuracy/addition", "minor",
                 "A number in the French that the aligned source does not have."),
        RuleInfo("numbers.date", "accuracy/mistranslation", "major",
                 "A month or weekday of the source changed in the French, or a month missing (major); a "
                 "weekday missing (minor)."),
        RuleInfo("numbers.unit", "accuracy/mistranslation", "major",
                 "The same number with another unit or currency (miles → km, dollars → euros)."),
        RuleInfo("numbers.period", "accuracy/mistranslation", "major",
                 "The same figure over another period: 12 hours a day → 12 heures par semaine."),
        RuleInfo("numbers.direction", "accuracy/mistranslation", "major",
                 "The same figure with the direction of the change flipped: up 18% → en baisse de 18 %."),
        RuleInfo("numbers.format", "locale-convention/number-format", "minor",
                 "English number conventions in the French: decimal point, thousands comma (major: 1,000 "
                 "reads as 1), currency symbol before the number."),
    )

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        segs = ctx.segments
        parsed_src = [parse_en(s.source) if s.source.strip() else ([], [], []) for s in segs]
        parsed_mt = [parse_fr(s.mt) if s.mt.strip() else ([], [], []) for s in segs]
        for i, seg in enumerate(segs):
            if not seg.source.strip() or not seg.mt.strip():
                continue  # a 1-0 / 0-1 segment: the omission check reports it
            near_src = [q for j in (i - 1, i + 1) if 0 <= j < len(segs) for q in parsed_src[j][0]]
            near_mt = [q for j in (i - 1, i + 1) if 0 <= j < len(segs) for q in parsed_mt[j][0]]
            yield from _once_per_span(self._quantities(seg, parsed_src[i][0], parsed_mt[i][0], near_src, near_mt))
            yield from self._named(seg, parsed_src[i][1], parsed_mt[i][1], "month")
            yield from self._named(seg, parsed_src[i][2], parsed_mt[i][2], "weekday")

    def _quantities(self, seg: Segment, src: list[Quantity], mt: list[Quantity],
                    near_src: list[Quantity], near_mt: list[Quantity]) -> Iterable[Finding]:
        used: set[int] = set()
        unmatched_src: list[Quantity] = []
        for pass_soft in (False, True):
            for q in src:
                if q.soft != pass_soft or q in unmatched_src:
                    continue
                # Prefer a French quantity read the French way, with the same unit.
                cands = [(k, m) for k, m in enumerate(mt) if k not in used and _same(q, m)]
                if not cands:
                    if not q.soft:
                        unmatched_src.append(q)
                    continue
                cands.sort(key=lambda km: (_KIND_RANK[match_kind(q, km[1]) or "approx"], km[1].unit != q.unit, km[1].soft))
                k, m = cands[0]
                used.add(k)
                yield from self._pair(seg, q, m)
        extra = [m for k, m in enumerate(mt) if k not in used and not m.soft]
        # Numbers that moved to a neighbouring segment are alignment noise, not errors.
        missing = [q for q in unmatched_src if not any(_same(q, m) for m in near_mt)]
        extra = [m for m in extra if not any(_same(q, m) for q in near_src)]
        for q in missing:
            if extra:
                m = extra.pop(0)
                msg = f"Number changed: the source says '{q.text.strip()}', the French '{m.text.strip()}'."
                if m.fr_billion:
                    msg += " In French 'billion' means 10^12; English 'billion' is 'milliard'."
                elif _magnitude_changed(q, m):
                    msg += " The magnitude changed (million, milliard, mille): same figure, another multiplier."
                yield self.finding(seg, m.start, m.end, msg, source_text=q.text.strip(),
                                   suggestion=None, rule="numbers.mismatch", source_start=q.start, source_end=q.end)
            else:
                yield self.finding(seg, 0, 0, f"Number missing in the French: '{q.text.strip()}'.",
                                   source_text=q.text.strip(), rule="numbers.missing",
                                   source_start=q.start, source_end=q.end)
        for m in extra:
            if m.fmt:
                yield self._format(seg, m, m.fmt, m.fmt_severity, None)
            yield self.finding(seg, m.start, m.end, f"Number not in the source: '{m.text.strip()}'.",
                               rule="numbers.added")

    def _pair(self, seg: Segment, q: Quantity, m: Quantity) -> Iterable[Finding]:
        """What is wrong with a source quantity and the French one matched to it: the format, the
        unit, the period of a rate, the direction of a change."""
        kind = match_kind(q, m)
        if kind == "english":
            yield self._format(seg, m, "English thousands separator ',': a French reader reads "
                               f"'{m.text.strip()}' as {m.values[0]}", "major", q)
        elif m.fmt:
            yield self._format(seg, m, m.fmt, m.fmt_severity, q)
        said = f"the source says '{q.text.strip()}', the French '{m.text.strip()}'"
        where: dict[str, Any] = {"source_text": q.text.strip(), "source_start": q.start, "source_end": q.end}
        if kind != "approx" and q.unit and m.unit and q.unit != m.unit and \
                not any({q.unit, m.unit} <= c for c in COMPATIBLE_UNITS):
            yield self.finding(seg, m.start, m.end, f"Same number, another unit: {said}.", rule="numbers.unit", **where)
        if q.soft or m.soft:
            return
        p_en, p_fr = period_after(seg.source, q.end, "en"), period_span(seg.mt, m.end, "fr")
        if p_en and p_fr and p_en != p_fr[0]:
            # the French span is the period itself (« par mois »), what a reviewer marks
            yield self.finding(seg, p_fr[1], p_fr[2], f"The period changed: {said}, per {p_en} in the source, "
                               f"per {p_fr[0]} in the French.", rule="numbers.period", **where)
        d_en, d_fr = direction_before(seg.source, q.start, "en"), direction_before(seg.mt, m.start, "fr")
        if d_en and d_fr and d_en != d_fr:
            yield self.finding(seg, m.start, m.end, f"The direction changed: {said}, {d_en} in the source, {d_fr} in "
                               "the French.", rule="numbers.direction", **where)

    def _format(self, seg: Segment, m: Quantity, why: str, severity: str, q: Quantity | None) -> Finding:
        return self.finding(seg, m.start, m.end, f"Number format: {why}.", rule="numbers.format",
                            severity=severity, source_text=q.text.strip() if q else "",
                            source_start=q.start if q else None, source_end=q.end if q else None)

    def _named(self, seg: Segment, src: list[Named], mt: list[Named], what: str) -> Iterable[Finding]:
        mt_left = list(mt)
        missing = []
        for s in src:
            hit = next((m for m in mt_left if m.n == s.n), None)
            if hit is not None:
                mt_left.remove(hit)
            else:
                missing.append(s)
        for s in missing:
            if mt_left:
                m = mt_left.pop(0)
                yield self.finding(seg, m.start, m.end,
                                   f"The {what} changed: the source says '{s.text}', the French '{m.text}'.",
                                   source_text=s.text, rule="numbers.date", source_start=s.start, source_end=s.end)
            else:
                # A dropped weekday ("on Friday") rarely changes the facts; a dropped month does.
                yield self.finding(seg, 0, 0, f"The {what} '{s.text}' of the source is missing in the French.",
                                   source_text=s.text, rule="numbers.date", source_start=s.start, source_end=s.end,
                                   severity="minor" if what == "weekday" else None)
