"""Regex helpers for rule data: the required-literal prefilter, lazily compiled patterns,
compiling with ``file:line`` errors, tries of words.

The rule data holds thousands of patterns and a segment can match only a few of them, so every
pattern is first reduced to the literals one of which each of its matches contains
(``required_literals``); a text that contains none of them is not searched. ``LazyRegex`` applies
this to one pattern (and compiles only when a text passes), ``LiteralPrefilter`` to a list of
patterns at once. Both compare ``fold``-ed text, which is exact for ``re.IGNORECASE``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from mtqa.errors import ConfigError
from mtqa.ruledata import Record
from mtqa.text.matching import fold

try:  # Python ≥ 3.11
    from re import _constants as _sre_c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_c
    import sre_parse as _sre_parse

Keys = frozenset[str]

# ---------------------------------------------------------------- required literals


def _factors(tokens) -> list[Keys]:
    """Sets of strings each of which must be matched by the parsed ``tokens``, in one alternative
    or another: literal runs, and what groups, alternations and repeats of at least one require."""
    candidates: list[Keys] = []
    run = ""
    for op, av in tokens:
        if op is _sre_c.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append(frozenset([run]))
            run = ""
        sub = _required_of(op, av)
        if sub:
            candidates.append(sub)
    if run:
        candidates.append(frozenset([run]))
    return candidates


def _required_of(op, av) -> Keys | None:
    """What one non-literal token requires: a group its content's needs, an alternation the union
    of its branches' needs (when each branch has some), a repeat of at least once its body's."""
    if op is _sre_c.SUBPATTERN:
        return _required(av[-1])
    if op is _sre_c.BRANCH:
        alts = [_required(a) for a in av[1]]
        if all(alts):
            return frozenset().union(*(a for a in alts if a))
        return None
    if op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and av[0] >= 1:
        return _required(av[2])
    return None  # classes, assertions, anchors, back-references: nothing required


def _required(tokens) -> Keys | None:
    """The best set of strings one of which occurs in every match of ``tokens`` (None: none)."""
    candidates = _factors(tokens)
    if not candidates:
        return None
    return max(candidates, key=lambda c: min(len(s) for s in c))


def required_literals(pattern: str, flags: int = 0) -> Keys | None:
    """Folded strings (``fold``) one of which occurs in ``fold(text)`` whenever ``pattern`` matches
    somewhere in ``text`` (``None`` when there are none, or one is shorter than two characters).
    A cheap prefilter before running many regexes over many segments. Hand-written: the standard
    library exposes no literal-factor extraction; ``re``'s own parser does the parsing."""
    try:
        keys = _required(_sre_parse.parse(pattern, flags))
    except Exception:  # noqa: BLE001 - a pattern the parser cannot walk just gets no prefilter
        return None
    if not keys or min(len(k) for k in keys) < 2:
        return None
    return frozenset(fold(k) for k in keys)


class LiteralPrefilter:
    """Which of many patterns can match a text, from the literals each one needs
    (``required_literals``).

    ``candidates(text)`` returns the indexes of the patterns worth running, in order: those with
    no literal (always run) and those one of whose literals occurs in the folded text."""

    def __init__(self, keys: list[Keys | None]) -> None:
        self.always = [i for i, k in enumerate(keys) if not k]
        self.by_key: dict[str, list[int]] = {}
        for i, ks in enumerate(keys):
            for k in ks or ():
                self.by_key.setdefault(k, []).append(i)
        self.items = list(self.by_key.items())

    def candidates(self, text: str) -> list[int]:
        folded = fold(text)
        found = set(self.always)
        for k, idx in self.items:  # a substring test per distinct literal: fast C-level search
            if k in folded:
                found.update(idx)
        return sorted(found)


# ---------------------------------------------------------------- compiling


def compile_regex(pattern: str, rec: Record, field: str, flags: int = re.IGNORECASE) -> re.Pattern:
    """``pattern`` compiled now; a bad one is a ``ConfigError`` naming the record's file and line."""
    try:
        return re.compile(pattern, flags)
    except re.error as e:
        raise rec.error(f"field '{field}': bad regular expression ({e})") from None


class LazyRegex:
    """A rule-data regex compiled on first use.

    The data files hold thousands of patterns and compiling them all costs seconds; a run only
    needs those of the few entries it meets, and most of those cannot match a given segment:
    ``search``/``finditer`` first test that the folded text contains one of the pattern's required
    literals, and compile only when it does. ``origin`` (``path:line: field 'x'``) names the record
    if the pattern turns out to be bad."""

    __slots__ = ("_keys", "_rx", "flags", "origin", "pattern")

    def __init__(self, pattern: str, flags: int = re.IGNORECASE, origin: str | None = None) -> None:
        self.pattern = pattern
        self.flags = flags
        self.origin = origin
        self._rx: re.Pattern | None = None
        self._keys: tuple[str, ...] | bool | None = False  # False: not computed yet

    @property
    def compiled(self) -> re.Pattern:
        if self._rx is None:
            try:
                self._rx = re.compile(self.pattern, self.flags)
            except re.error as e:
                if self.origin is None:
                    raise
                raise ConfigError(f"{self.origin}: bad regular expression ({e})") from None
        return self._rx

    def may_match(self, text: str) -> bool:
        """False only when no match is possible (no required literal is in the text)."""
        keys = self._keys
        if keys is False:
            found = required_literals(self.pattern, self.flags)
            keys = self._keys = tuple(sorted(found, key=len, reverse=True)) if found else None
        if not isinstance(keys, tuple):
            return True
        folded = fold(text)
        return any(k in folded for k in keys)

    @property
    def groupindex(self):
        return self.compiled.groupindex

    def search(self, text: str) -> re.Match | None:
        return self.compiled.search(text) if self.may_match(text) else None

    def fullmatch(self, text: str) -> re.Match | None:
        return self.compiled.fullmatch(text) if self.may_match(text) else None

    def finditer(self, text: str) -> Iterator[re.Match]:
        return self.compiled.finditer(text) if self.may_match(text) else iter(())


Regex = re.Pattern | LazyRegex


def generated_regex(source: str, hand_written: bool, rec: Record, field: str,
                    flags: int = re.IGNORECASE) -> Regex:
    """A rule-data regex, compiled on first use (``LazyRegex``) unless written by hand (``re:``) in
    a user's file: that one is compiled now, so that a bad one is reported, with its line, before
    anything runs. Generated sources (escaped words, inflection endings) are valid by construction;
    the hand-written patterns of ``mtqa/data/`` are all compiled by the test suite."""
    if hand_written and not rec.packaged:
        return compile_regex(source, rec, field, flags)
    return LazyRegex(source, flags, origin=f"{rec.where()}: field '{field}'")


def string_list(items: object, rec: Record, field: str) -> list[str]:
    """``items`` if it is a list of non-empty strings, else an error naming the record."""
    if not isinstance(items, list) or not all(isinstance(x, str) and x.strip() for x in items):
        raise rec.error(f"field '{field}' must be a list of non-empty strings")
    return items


def compile_list(items: object, rec: Record, field: str, builder: Callable[[str], str]) -> list[tuple[str, Regex]]:
    """(item, regex) for each item, the source built by ``builder`` (``french_regex``,
    ``cue_regex``); ``re:`` items are compiled now, the generated patterns on first use."""
    return [(x, generated_regex(builder(x), x.startswith("re:"), rec, field)) for x in string_list(items, rec, field)]


def trie_regex(words: Iterable[str]) -> str:
    """One regex source matching any of ``words`` (longest first), factored as a character trie so
    that a list of hundreds of names is tried in one pass per position, not one alternative at a
    time. A space in a word matches any run of white space."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    return emit(trie)
