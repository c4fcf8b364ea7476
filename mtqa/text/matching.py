"""Matching helpers shared by the checks: folding (case, accents), leftmost-longest hit lists,
span overlaps, close spellings of names, mid-sentence capitals.

One implementation each; where callers need different semantics the difference is a parameter
(``find_all(span_group=…)``, ``accent_fold(case=…)``), not a copy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Protocol, TypeVar

# ---------------------------------------------------------------- folding

_TURKISH_I = str.maketrans({"\u0130": "i", "\u0131": "i"})


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case-folded text for substring prefilters of case-insensitive regexes: two characters that
    ``re.IGNORECASE`` matches to each other fold alike (``casefold`` alone keeps the dotted and
    dotless i apart, which ``re`` matches to i), and folding works character by character, so a
    regex match in ``text`` folds to a substring of ``fold(text)``. Cached: many patterns are tried
    on one segment."""
    return text.translate(_TURKISH_I).casefold()


def strip_accents(text: str) -> str:
    """``text`` without its combining marks (é → e, ï → i); case is kept."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def accent_fold(text: str, case: Callable[[str], str] = str.casefold) -> str:
    """``text`` compared without accents or case: ``case`` is ``str.casefold`` (ß → ss) unless a
    caller's keys were built with ``str.lower``."""
    return case(strip_accents(text))


# ---------------------------------------------------------------- hits and spans

L = TypeVar("L")  # a hit's label: the pattern's text, a replacement, a rule id


class Finder(Protocol):
    """What ``find_all`` needs of a pattern: ``re.Pattern`` and ``mtqa.text.regex.LazyRegex``."""

    def finditer(self, text: str) -> Iterable[re.Match[str]]: ...


def leftmost_longest(hits: Iterable[tuple[L, int, int]]) -> list[tuple[L, int, int]]:
    """The hits (label, start, end) that remain when overlaps are resolved leftmost-longest: by
    start, the longer first, ties in the given order; a hit overlapping a kept one is dropped."""
    ordered = sorted(hits, key=lambda h: (h[1], -(h[2] - h[1])))
    out: list[tuple[L, int, int]] = []
    for h in ordered:
        if out and h[1] < out[-1][2]:
            continue
        out.append(h)
    return out


def _match_span(m: re.Match[str], span_group: bool) -> tuple[int, int]:
    if span_group and "span" in m.re.groupindex and m.group("span") is not None:
        return m.span("span")
    return m.span()


def find_all(patterns: Sequence[tuple[L, Finder]], text: str, span_group: bool = True) -> list[tuple[L, int, int]]:
    """(label, start, end) of every non-empty match of every (label, pattern), leftmost-longest,
    no overlaps (``leftmost_longest``).

    With ``span_group`` (the rule data), a pattern with a group named ``span`` reports only that
    group (``a été (?P<span>chargé) de``: the context around a false friend is not part of the
    error); user rule files report whole matches."""
    hits = []
    for label, rx in patterns:
        for m in rx.finditer(text):
            start, end = _match_span(m, span_group)
            if end > start:
                hits.append((label, start, end))
    return leftmost_longest(hits)


def overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    """True when ``span`` shares at least one character with one of ``spans``."""
    start, end = span
    return any(start < e and s < end for s, e in spans)


# ---------------------------------------------------------------- names and capitals


def is_mid_sentence_capital(text: str, start: int) -> bool:
    """True when the word at ``start`` is capitalised and not at the start of a sentence/quote,
    i.e. is most likely part of a name (``Shell``, ``Strike Force``)."""
    if not text[start : start + 1].isupper():
        return False
    before = text[:start].rstrip(" \t\"'“‘«(\u00a0\u202f")
    if _NON_FINAL_ABBREVIATION.search(before):
        return True  # "U.S. West Texas", "Mr. Smith": the period ends an abbreviation, not a sentence
    return bool(before) and before[-1] not in ".!?…:;\n—–-"


# dotted initialisms and titles, whose period does not end the sentence before a capital
_NON_FINAL_ABBREVIATION = re.compile(r"(?:(?<![\w.])(?:[A-Z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|St|Sgt|Lt|Col|Gen|Gov|Sen|Rep|Prof)\.)$")


def _bigrams(word: str) -> set[str]:
    return {word[i : i + 2] for i in range(len(word) - 1)}


# French transliteration habits (Bashar → Bachar, Zhukov → Joukov, Yulia → Ioulia) undone on both
# sides before comparing.
_TRANSLIT = (("sh", "ch"), ("zh", "j"), ("kh", "h"), ("ou", "u"), ("y", "i"), ("w", "v"), ("-", ""), ("'", ""), ("’", ""))


@lru_cache(maxsize=1 << 16)
def _translit(word: str) -> str:
    w = accent_fold(word, str.lower)
    for a, b in _TRANSLIT:
        w = w.replace(a, b)
    return w


def close_spelling(a: str, b: str) -> bool:
    """True when two spellings of a name are the same up to case, accents, a short suffix or a
    transliteration variant (``Zelenskyy``/``Zelensky``, ``Pentagon``/``Pentagone``,
    ``Kharkiv``/``Kharkov``). Compares bigram overlap (Dice), cheap enough for every token."""
    x, y = _translit(a), _translit(b)
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) < 4 or len(long_) - len(short) > 3:
        return False
    if long_.startswith(short):
        return True
    if len(short) < 5:
        return False
    bx, by = _bigrams(x), _bigrams(y)
    return 2 * len(bx & by) / (len(bx) + len(by)) >= 0.65
