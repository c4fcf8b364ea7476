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
from functools import lru_cache

import regex as _regex

from mtqa.errors import ConfigError
from mtqa.ruledata import Record
from mtqa.text.matching import fold

Keys = frozenset[str]
Atom = tuple[str, str | Keys | list[Keys] | None]  # what the scan knows of one pattern item

# ---------------------------------------------------------------- required literals

# One token of a pattern; ``skip`` is a lookaround without groups inside ((?<![\w-])), read whole.
_TOKEN = re.compile(
    r"""(?P<plain>[^\\()\[\]|.^$*+?{]+)
    |(?P<quant>(?:[*+?]|\{(?:\d+(?:,\d*)?|,\d*)\})[?+]?)
    |(?P<esc>\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.))
    |(?P<cls>\[\^?\]?(?:\\.|[^\]\\])*\])
    |(?P<skip>\(\?<?[=!](?:\[\^?\]?(?:\\.|[^\]\\])*\]|\\.|[^\\()\[\]])*\))
    |(?P<look>\(\?<?[=!])
    |(?P<flags>\(\?[aiLmsux]*(?:-[imsx]+)?[:)])
    |(?P<open>\((?:\?P<\w+>)?(?!\?))
    |(?P<close>\))
    |(?P<alt>\|)
    |(?P<any>[.^$])
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
# A group whose alternatives are all literal (inflection endings: er|e|es|…): read in one step.
_LITERAL_ALTERNATIVES = re.compile(r"[^\\()\[\]|.^$*+?{]+(?:\|[^\\()\[\]|.^$*+?{]+)*\)")


def _shortest(keys: Keys) -> int:
    return min(len(k) for k in keys)


class _Unsupported(Exception):
    """Syntax the scan does not follow (verbose mode, conditionals, named characters and
    back-references, atomic groups): the pattern gets no prefilter."""


class _Group:
    """One level of parentheses while scanning: the needs of its current alternative (literal
    ``run`` and ``candidates``), those of its finished alternatives (``branches``: every set each
    one needs), and whether it is a lookaround (which requires nothing of the text it does not
    consume)."""

    __slots__ = ("branches", "candidates", "look", "run")

    def __init__(self, look: bool = False) -> None:
        self.look = look
        self.run = ""
        self.candidates: list[Keys] = []
        self.branches: list[list[Keys]] = []

    def flush(self) -> None:
        if self.run:
            self.candidates.append(frozenset([self.run]))
            self.run = ""

    def add(self, atom: Atom, least: int | None) -> None:
        """An atom (a literal character, or what a group needs), repeated at least ``least``
        times (None: not quantified)."""
        kind, value = atom
        if kind == "char" and least != 0:
            self.run += value  # type: ignore[operator]
            if least is None:
                return
        self.flush()
        if kind == "needs" and value and least != 0:
            self.candidates.append(value)  # type: ignore[arg-type]
        elif kind == "all" and least != 0:  # each of a group's needs holds
            self.candidates.extend(value)  # type: ignore[arg-type]

    def alternative(self) -> None:
        """The current alternative is closed: its needs join ``branches``."""
        self.flush()
        self.branches.append(self.candidates)
        self.candidates = []

    def every_need(self) -> list[Keys]:
        """Every set of literals of which each match contains one, the current alternative closed:
        its own needs when it is the only one, else the needs of the alternation (``_either``)."""
        self.alternative()
        return self.branches[0] if len(self.branches) == 1 else _either(self.branches)

    def needs(self) -> Keys | None:
        """The best of ``every_need`` (its shortest literal the longest), or None."""
        every = self.every_need()
        return max(every, key=_shortest) if every else None


# At most this many sets are kept while an alternation's needs are combined (``_either``).
_MAX_NEEDS = 12


def _either(branches: list[list[Keys]]) -> list[Keys]:
    """What an alternation needs, from what each alternative needs: a match of one alternative
    holds a literal of each of its sets, so every union of one set per alternative is needed
    (``run-?off vote|the run-?off`` needs ``run`` and ``off``, not only ``vote``/``the``). A set
    contained in another makes that one redundant; sets with a one-character literal are useless to
    a prefilter and dropped; the best ``_MAX_NEEDS`` (longest shortest literal, fewest literals)
    are kept after each alternative, so the work stays small. Empty: some alternative needs
    nothing."""
    out: list[Keys] = [frozenset()]
    for needs in branches:
        useful = [k for k in needs if _shortest(k) >= 2]
        unions = sorted({a | b for a in out for b in useful}, key=lambda k: (-_shortest(k), len(k), sorted(k)))
        out = [k for i, k in enumerate(unions) if not any(o < k for o in unions[:i])][:_MAX_NEEDS]
        if not out:
            return []
    return out


def _escaped(token: str) -> str | None:
    """What an escape stands for: a character, or None (a class such as ``\\s``, an anchor)."""
    c = token[1]
    if len(token) > 2:
        return chr(int(token[2:], 16))  # \xhh, \uhhhh, \Uhhhhhhhh
    if c == "N" or c.isdigit():
        raise _Unsupported("named character or back-reference")
    return None if c.isascii() and c.isalnum() else c


def _least(quantifier: str) -> int:
    """The least repeat count of a quantifier token (``*``, ``+?``, ``{2,3}``, ``{,4}``)."""
    if quantifier[0] == "{":
        return int(quantifier[1:].split(",")[0].rstrip("}?+") or 0)
    return 1 if quantifier[0] == "+" else 0


def _open(look: bool, pattern: str, pos: int, stack: list[_Group]) -> tuple[tuple[str, Keys] | None, int]:
    """A group opens at ``pos``: a group of literal alternatives is read whole (its atom is what
    it needs), any other is pushed on ``stack``; returns (the atom or None, the new position)."""
    literal = None if look else _LITERAL_ALTERNATIVES.match(pattern, pos)
    if literal is not None:
        return ("needs", frozenset(literal.group()[:-1].split("|"))), literal.end()
    stack.append(_Group(look=look))
    return None, pos


def _closed(group: _Group) -> tuple[str, list[Keys] | None]:
    """The atom a closed group is: nothing (a lookaround), or each set its alternatives need."""
    if group.look:
        return ("needs", None)
    return ("all", group.every_need())


def _scan(pattern: str) -> Keys | None:
    """The literals one of which every match of ``pattern`` contains (before folding)."""
    return _scan_top(pattern).needs()


def _scan_all(pattern: str) -> list[Keys]:
    """Every set of literals of which each match of ``pattern`` contains one (before folding)."""
    return _scan_top(pattern).every_need()


def _scan_top(pattern: str) -> _Group:
    """The top-level group of ``pattern`` (its needs still open), from one
    pass over its tokens. Follows what rule data uses (escapes, classes, groups, lookarounds,
    quantifiers, alternation) and gives up on the rest; does not validate (``re`` does, when the
    pattern is compiled). Hand-written: the standard library exposes no literal-factor extraction,
    and walking ``re``'s own parse tree costs twice as much."""
    stack = [_Group()]
    atom: Atom | None = None  # the last atom, until we know its quantifier
    pos, n = 0, len(pattern)
    while pos < n:
        m = _TOKEN.match(pattern, pos)
        assert m is not None  # the last alternative matches any character
        kind, token, pos = m.lastgroup, m.group(), m.end()
        group = stack[-1]
        if kind == "quant":
            if atom is None:
                raise _Unsupported("nothing to repeat")
            group.add(atom, _least(token))
            atom = None
            continue
        if atom is not None:
            group.add(atom, None)
        atom = ("none", None)
        if kind == "plain":
            if pos < n and pattern[pos] in "*+?{":  # the last character may be quantified
                group.run += token[:-1]
                atom = ("char", token[-1])
            else:
                group.run += token
                atom = None
        elif kind == "esc":
            char = _escaped(token)
            if char is not None:
                atom = ("char", char)
        elif kind == "flags" and "x" in token.split("-")[0]:
            raise _Unsupported("verbose mode")
        elif kind in ("look", "open") or (kind == "flags" and token[-1] == ":"):
            atom, pos = _open(kind == "look", pattern, pos, stack)
        elif kind == "close":
            if len(stack) == 1:
                raise _Unsupported("unbalanced parenthesis")
            atom = _closed(stack.pop())
        elif kind == "alt":
            group.alternative()
            atom = None
        elif kind == "other":
            if token != "{":
                raise _Unsupported("conditional, comment, atomic group or named back-reference")
            atom = ("char", "{")
    if len(stack) != 1:
        raise _Unsupported("unbalanced parenthesis")
    if atom is not None:
        stack[0].add(atom, None)
    return stack[0]


@lru_cache(maxsize=1 << 14)  # the rule data repeats renderings across entries
def required_literals(pattern: str, flags: int = 0) -> Keys | None:
    """Folded strings (``fold``) one of which occurs in ``fold(text)`` whenever ``pattern`` matches
    somewhere in ``text`` (``None`` when there are none, or one is shorter than two characters).
    A cheap prefilter before running many regexes over many segments."""
    if flags & re.VERBOSE:
        return None
    try:
        keys = _scan(pattern)
    except _Unsupported:
        return None
    if not keys or min(len(k) for k in keys) < 2:
        return None
    return _folded(keys)


def _folded(keys: Keys) -> Keys:
    folded = {fold(k) for k in keys}
    # one of {strike, strikes} is there exactly when strike is: a key containing another adds nothing
    return frozenset(k for k in folded if not any(o != k and o in k for o in folded))


# Required literals as plain data (what the sense data's disk cache stores): one tuple per set of
# which the folded text must contain a member, longest members first; every set must be satisfied.
KeyGroups = tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1 << 14)
def required_literal_groups(pattern: str, flags: int = 0) -> KeyGroups | None:
    """Like ``required_literals``, every literal set the pattern requires, not only the best
    one: ``frappes?\\s+aériennes?`` needs ``frappe`` and ``aérienne``. A text lacking a member of
    any set cannot match. Sets with a member shorter than two characters are left out; ``None``
    when none is left (no prefilter)."""
    if flags & re.VERBOSE:
        return None
    try:
        found = _scan_all(pattern)
    except _Unsupported:
        return None
    groups = {tuple(sorted(_folded(keys), key=lambda k: (-len(k), k))) for keys in found if keys and _shortest(keys) >= 2}
    # the most selective first: a long literal is rarer in a text than a short one
    return tuple(sorted(groups, key=lambda g: (-len(g[-1]), g))) or None


def valid_key_groups(groups: object) -> bool:
    """Whether ``groups`` has the shape of ``required_literal_groups``' answer (read back from a
    cache: anything else is refused, and the pattern computes its own)."""
    return groups is None or (
        isinstance(groups, tuple) and all(
            isinstance(g, tuple) and g and all(isinstance(k, str) and len(k) >= 2 and fold(k) == k for k in g)
            for g in groups
        )
    )


class LiteralPrefilter:
    """Which of many patterns can match a text, from the literals each one needs: its
    ``required_literal_groups`` (every set of which a match holds a member), or one such set
    (``required_literals``).

    ``candidates(text)`` returns the indexes of the patterns worth running, in order: those with
    no literal (always run) and those of whose every set a member occurs in the folded text.
    A pattern is indexed by its first set (the most selective): the indexed literals present are
    found in one pass of a regex over the text (``_present``), not by a substring test per
    literal; a pattern's other sets are tested (substrings) only when its first one is met."""

    def __init__(self, keys: list[KeyGroups | Keys | None]) -> None:
        groups = [_as_groups(k) for k in keys]
        self.always = [i for i, g in enumerate(groups) if not g]
        self.rest = {i: g[1:] for i, g in enumerate(groups) if g and len(g) > 1}
        self.by_key: dict[str, list[int]] = {}
        for i, g in enumerate(groups):
            for k in g[0] if g else ():
                self.by_key.setdefault(k, []).append(i)
        literals = set(self.by_key)
        # each literal with the literals it starts with: the regex finds, at each position of the
        # text, the longest literal starting there; the shorter ones starting there are its prefixes
        self.prefixes = {k: [k[:j] for j in range(1, len(k) + 1) if k[:j] in literals] for k in literals}
        self.finder = re.compile("(?=(" + trie_regex(sorted(literals), literal_spaces=True) + "))") if literals else None

    def _present(self, folded: str) -> set[str]:
        """Every indexed literal that occurs in ``folded`` (a substring of it)."""
        present: set[str] = set()
        if self.finder is not None:
            for k in set(self.finder.findall(folded)):
                present.update(self.prefixes[k])
        return present

    def candidates(self, text: str) -> list[int]:
        folded = fold(text)
        met: set[int] = set()
        for k in self._present(folded):
            met.update(self.by_key[k])
        rest = self.rest
        found = [i for i in met if i not in rest or all(any(k in folded for k in g) for g in rest[i])]
        return sorted(found + self.always)


def _as_groups(keys: KeyGroups | Keys | None) -> tuple[frozenset[str], ...] | None:
    """The sets of literals a pattern needs, as frozensets: one set (``required_literals``) is the
    one group of ``required_literal_groups``. An empty set says nothing, and a set holding the
    empty string is met by any text: both are left out."""
    if isinstance(keys, frozenset):
        keys = (tuple(keys),)
    groups = tuple(frozenset(g) for g in keys or () if g and "" not in g)
    return groups or None


# ---------------------------------------------------------------- word alternations on tokens

# Non-ASCII characters that ``re.IGNORECASE`` matches to an ASCII letter or digit (İ ı ſ K, the
# Kelvin sign): a text holding one is searched with the regex itself (a test checks the list).
IGNORECASE_ASCII_TWINS = frozenset("\u0130\u0131\u017f\u212a")
_WORD_ALTERNATION = re.compile(r"\(\?<!\[\\w-\]\)\(\?:([a-z0-9]+(?:\|[a-z0-9]+)*)\)\(\?!\[\\w-\]\)")


def word_forms(source: str) -> frozenset[str] | None:
    r"""The words of a pattern ``(?<![\w-])(?:w1|w2|…)(?![\w-])`` (a one-word headword and its
    inflections) when every alternative is a lower-case ASCII word, else None. Such a pattern,
    under ``re.IGNORECASE``, matches exactly the word tokens equal to one of them (``word_spans``):
    no regex needs compiling."""
    m = _WORD_ALTERNATION.fullmatch(source)
    return frozenset(m.group(1).split("|")) if m else None


def word_spans(forms: frozenset[str], text: str, tokens: Iterable[tuple[str, int, int]]) -> list[tuple[int, int]] | None:
    r"""What ``re.finditer`` of ``word_forms``' pattern finds in ``text`` with ``re.IGNORECASE``,
    from the text's tokens (lower-case ``[^\W_]+`` runs with their offsets): the tokens in
    ``forms`` with neither ``-`` nor ``_`` (the word characters a token leaves out) either side.
    None when the text holds a character that ``re`` matches to an ASCII one (use the regex)."""
    if not IGNORECASE_ASCII_TWINS.isdisjoint(text):
        return None
    n = len(text)
    return [(s, e) for t, s, e in tokens if t in forms
            and (s == 0 or text[s - 1] not in "-_") and (e == n or text[e] not in "-_")]


# ---------------------------------------------------------------- compiling


# User-written patterns run on the ``regex`` module with a time budget per call: measured on
# (a+)+$, (a|aa)+$ and (\w+\s?)*$, it answers in 1-6 ms or stops at the budget, where ``re`` takes
# minutes; RE2 (google-re2) is linear but has no lookbehind, which user patterns and the generated
# ones use, and rejecting nested quantifiers misses (a|aa)+ and refuses harmless (?:\w+ )+.
REGEX_BUDGET_S = 0.5
_FLAG_NAMES = ("IGNORECASE", "MULTILINE", "DOTALL", "VERBOSE", "ASCII", "UNICODE")


def _regex_flags(flags: int) -> int:
    """``re`` flags as ``regex`` flags (ASCII has another value there)."""
    out = 0
    for name in _FLAG_NAMES:
        if flags & getattr(re, name):
            out |= getattr(_regex, name)
    return out


class BudgetRegex:
    """A pattern from a user's file (``re:``, rule fields), compiled by the ``regex`` module (no
    catastrophic backtracking on most nested quantifiers) and run with a time budget per call: a
    pattern that still runs past it is a ``ConfigError`` naming its file and line, not a hang."""

    __slots__ = ("_rx", "flags", "origin", "pattern")

    def __init__(self, pattern: str, flags: int = re.IGNORECASE, origin: str = "<pattern>") -> None:
        self.pattern = pattern
        self.flags = flags
        self.origin = origin
        self._rx = _regex.compile(pattern, _regex_flags(flags) | _regex.VERSION0)

    def _slow(self) -> ConfigError:
        return ConfigError(f"{self.origin}: regular expression ran past {REGEX_BUDGET_S:g} s on one segment "
                           "(catastrophic backtracking, e.g. nested quantifiers like (a+)+); simplify it")

    @property
    def groupindex(self):
        return self._rx.groupindex

    def search(self, text: str):
        try:
            return self._rx.search(text, timeout=REGEX_BUDGET_S)
        except TimeoutError:
            raise self._slow() from None

    def fullmatch(self, text: str):
        try:
            return self._rx.fullmatch(text, timeout=REGEX_BUDGET_S)
        except TimeoutError:
            raise self._slow() from None

    def finditer(self, text: str) -> Iterator:
        try:
            yield from self._rx.finditer(text, timeout=REGEX_BUDGET_S)
        except TimeoutError:
            raise self._slow() from None


def compile_regex(pattern: str, rec: Record, field: str, flags: int = re.IGNORECASE) -> BudgetRegex:
    """A user's pattern compiled now (``BudgetRegex``); a bad one is a ``ConfigError`` naming the
    record's file and line."""
    return user_regex(pattern, f"{rec.where()}: field '{field}'", flags)


def user_regex(pattern: str, origin: str, flags: int = re.IGNORECASE) -> BudgetRegex:
    """``BudgetRegex`` of a user's pattern; a bad one is a ``ConfigError`` starting with ``origin``."""
    try:
        return BudgetRegex(pattern, flags, origin)
    except (_regex.error, re.error) as e:
        raise ConfigError(f"{origin}: bad regular expression ({e})") from None
    except (OverflowError, RecursionError, MemoryError):
        raise ConfigError(f"{origin}: regular expression too large or too deeply nested") from None


class LazyRegex:
    """A rule-data regex compiled on first use.

    The data files hold thousands of patterns and compiling them all costs seconds; a run only
    needs those of the few entries it meets, and most of those cannot match a given segment:
    ``search``/``finditer`` first test that the folded text contains one of the pattern's required
    literals, and compile only when it does. ``origin`` (``path:line: field 'x'``) names the record
    if the pattern turns out to be bad."""

    __slots__ = ("_given", "_keys", "_rx", "flags", "origin", "pattern")

    def __init__(self, pattern: str, flags: int = re.IGNORECASE, origin: str | None = None,
                 keys: KeyGroups | bool | None = False) -> None:
        """``keys``: the pattern's ``required_literal_groups`` when the caller has them (from a
        cache: a value of the wrong shape is ignored); False: computed on first use."""
        self.pattern = pattern
        self.flags = flags
        self.origin = origin
        self._rx: re.Pattern | None = None
        self._keys: KeyGroups | bool | None = False  # False: not known yet
        self._given = keys  # checked on first use: most patterns of the data are never tested

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
            given, self._given = self._given, False
            keys = self._keys = given if given is not False and valid_key_groups(given) else \
                required_literal_groups(self.pattern, self.flags)
        if not isinstance(keys, tuple):
            return True
        folded = fold(text)
        for group in keys:
            if len(group) == 1:
                if group[0] not in folded:
                    return False
            elif not any(k in folded for k in group):
                return False
        return True

    @property
    def groupindex(self):
        return self.compiled.groupindex

    def search(self, text: str) -> re.Match | None:
        return self.compiled.search(text) if self.may_match(text) else None

    def fullmatch(self, text: str) -> re.Match | None:
        return self.compiled.fullmatch(text) if self.may_match(text) else None

    def finditer(self, text: str) -> Iterator[re.Match]:
        return self.compiled.finditer(text) if self.may_match(text) else iter(())


Regex = re.Pattern | LazyRegex | BudgetRegex


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


def trie_regex(words: Iterable[str], literal_spaces: bool = False) -> str:
    """One regex source matching any of ``words`` (longest first), factored as a character trie so
    that a list of hundreds of names is tried in one pass per position, not one alternative at a
    time. A space in a word matches any run of white space (only itself with ``literal_spaces``)."""
    space = " " if literal_spaces else r"\s+"
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [(space if ch == " " else re.escape(ch)) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    return emit(trie)
