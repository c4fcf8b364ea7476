"""Loading rule data files (YAML) with validation errors that name the file and the line.

Every data file under ``mtqa/data/`` and every user rule file goes through ``load_records``:
a list of mappings, each checked against a small field spec. A record remembers its line
(``record.line``) so that later errors (a bad regex, say) can point at it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from mtqa.errors import ConfigError

# libyaml's parser when PyYAML was built with it (7-8x faster on the data files), else pure Python.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):
    """Safe loader that records the 1-based line of every mapping under the key ``__line__``."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


@dataclass(frozen=True)
class Field:
    type: type | tuple[type, ...]
    required: bool = False
    choices: tuple[str, ...] | None = None


class Record(dict):
    """A validated mapping that knows where it came from."""

    path: str = ""
    line: int = 0
    packaged: bool = False  # from mtqa/data/: its regexes are checked by the test suite

    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def error(self, message: str) -> ConfigError:
        return ConfigError(f"{self.where()}: {message}")


def _type_name(t: type | tuple[type, ...]) -> str:
    if isinstance(t, tuple):
        return " or ".join(x.__name__ for x in t)
    return t.__name__


def parse_yaml(text: str, path: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(f"{path}{line}: invalid YAML ({problem})") from None


def validate_records(items: Any, path: str, spec: dict[str, Field], key: str | None = None,
                     packaged: bool = False) -> list[Record]:
    """Check a list of mappings against ``spec``; unknown keys and wrong types are errors.
    ``packaged``: the file ships in ``mtqa/data/`` (see ``generated_regex``)."""
    if key is not None:
        if not isinstance(items, dict) or key not in items:
            raise ConfigError(f"{path}: expected a top-level '{key}:' list")
        items = items[key]
    if not isinstance(items, list):
        raise ConfigError(f"{path}: expected a list of entries")
    records: list[Record] = []
    for item in items:
        if not isinstance(item, dict):
            raise ConfigError(f"{path}: every entry must be a mapping, got {item!r}")
        rec = Record({k: v for k, v in item.items() if k != "__line__"})
        rec.path, rec.line, rec.packaged = path, item.get("__line__", 0), packaged
        for name in rec:
            if name not in spec:
                raise rec.error(f"unknown field '{name}' (allowed: {', '.join(spec)})")
        for name, f in spec.items():
            if name not in rec:
                if f.required:
                    raise rec.error(f"missing field '{name}'")
                continue
            value = rec[name]
            if not isinstance(value, f.type) or (isinstance(value, bool) and f.type is not bool):
                raise rec.error(f"field '{name}' must be {_type_name(f.type)}, got {value!r}")
            if f.choices is not None and value not in f.choices:
                raise rec.error(f"field '{name}' must be one of {', '.join(f.choices)}, got {value!r}")
        records.append(rec)
    return records


def strip_lines(value: Any) -> Any:
    """Remove the ``__line__`` bookkeeping from nested values."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def compile_regex(pattern: str, rec: Record, field: str, flags: int = re.IGNORECASE) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as e:
        raise rec.error(f"field '{field}': bad regular expression ({e})") from None


# ---------------------------------------------------------------- regexes generated from rule data

_TURKISH_I = str.maketrans({"\u0130": "i", "\u0131": "i"})


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case-folded text for substring prefilters of case-insensitive regexes: two characters that
    ``re.IGNORECASE`` matches to each other fold alike (``casefold`` alone keeps the dotted and
    dotless i apart, which ``re`` matches to i), and folding works character by character, so a
    regex match in ``text`` folds to a substring of ``fold(text)``. Cached: many patterns are tried
    on one segment."""
    return text.translate(_TURKISH_I).casefold()


# Groups whose content is skipped by ``required_literal`` without changing what the rest means.
_PLAIN_GROUPS = ("(?:", "(?<!", "(?<=", "(?!", "(?=", "(?P<", "(?-i:", "(?i:")


def required_literal(pattern: str) -> str | None:
    """The longest run of literal characters that every match of ``pattern`` contains (None when
    there is none, or the pattern uses syntax this scan does not follow). Only the top level
    counts: groups, classes, escapes like ``\\s``, and a quantified character end a run. Made for
    the regex sources that ``lexical`` generates (escaped words, ending alternations); cheap, unlike
    parsing with ``re``."""
    runs: list[str] = []
    run = ""
    depth = 0
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1 : i + 2]
            if nxt.isdigit() or nxt in ("x", "u", "U", "N"):
                return None  # a code point or a back-reference: longer than two characters
            if depth == 0 and nxt and not (nxt.isascii() and nxt.isalnum()):
                run += nxt  # an escaped character stands for itself
            else:
                runs.append(run)
                run = ""
            i += 2
            continue
        if c == "[":  # a class: skip to its closing bracket
            runs.append(run)
            run = ""
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
            continue
        if c in "*+?{":
            if depth == 0:
                run = run[:-1]  # the quantified character may be absent
                if c == "{":
                    i = pattern.find("}", i)
                    if i < 0:
                        return None
            runs.append(run)
            run = ""
        elif c == "(":
            if pattern.startswith("(?", i) and not pattern.startswith(_PLAIN_GROUPS, i):
                return None  # inline flags, conditionals: not followed
            runs.append(run)
            run = ""
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|":
            if depth == 0:
                return None  # alternatives at the top: no literal is common to all
        elif c in ".^$":
            runs.append(run)
            run = ""
        elif depth == 0:
            run += c
        i += 1
    runs.append(run)
    best = max(runs, key=len)
    return best or None


class LazyRegex:
    """A rule-data regex compiled on first use.

    The data files hold thousands of patterns and compiling them all costs seconds; a run only
    needs those of the few entries it meets, and most of those cannot match a given segment:
    ``search``/``finditer`` first test that the folded text contains the pattern's required
    literal, and compile only when it does. ``origin`` (``path:line: field 'x'``) names the record
    if the pattern turns out to be bad."""

    __slots__ = ("_literal", "_rx", "flags", "origin", "pattern")

    def __init__(self, pattern: str, flags: int = re.IGNORECASE, origin: str | None = None) -> None:
        self.pattern = pattern
        self.flags = flags
        self.origin = origin
        self._rx: re.Pattern | None = None
        self._literal: str | bool | None = False  # False: not computed yet

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
        """False only when no match is possible (the required literal is absent)."""
        if self._literal is False:
            self._literal = None if self.flags & re.VERBOSE else required_literal(self.pattern)
            if self._literal is not None:
                self._literal = fold(self._literal)
        return self._literal is None or self._literal in fold(text)

    @property
    def groupindex(self):
        return self.compiled.groupindex

    def search(self, text: str) -> re.Match | None:
        return self.compiled.search(text) if self.may_match(text) else None

    def fullmatch(self, text: str) -> re.Match | None:
        return self.compiled.fullmatch(text) if self.may_match(text) else None

    def finditer(self, text: str):
        return self.compiled.finditer(text) if self.may_match(text) else iter(())


def generated_regex(source: str, hand_written: bool, rec: Record, field: str,
                    flags: int = re.IGNORECASE) -> re.Pattern | LazyRegex:
    """A rule-data regex, compiled on first use (``LazyRegex``) unless written by hand (``re:``) in
    a user's file: that one is compiled now, so that a bad one is reported, with its line, before
    anything runs. Generated sources (escaped words, inflection endings) are valid by construction;
    the hand-written patterns of ``mtqa/data/`` are all compiled by the test suite."""
    if hand_written and not rec.packaged:
        return compile_regex(source, rec, field, flags)
    return LazyRegex(source, flags, origin=f"{rec.where()}: field '{field}'")


def read_user_file(path: str | Path, kind: str = "rule file") -> str:
    """A user's settings file (rule file, glossary) as text, UTF-8 with or without BOM."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such {kind}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read ({e.strerror})") from None


def file_key(path: str | Path, kind: str = "rule file") -> tuple[str, float, int]:
    """A cache key that changes when the file does (resolved path, mtime, size)."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        raise ConfigError(f"{path}: no such {kind}") from None
    return (str(p.resolve()), st.st_mtime, st.st_size)


def load_records(path: str | Path, spec: dict[str, Field], key: str | None = None) -> list[Record]:
    """Load and validate a user's YAML rule file."""
    text = read_user_file(path)
    return validate_records(parse_yaml(text, str(path)), str(path), spec, key)


@cache
def _packaged_text(name: str) -> str:
    return files("mtqa").joinpath("data", name).read_text(encoding="utf-8")


def load_packaged(name: str, spec: dict[str, Field], key: str | None = None) -> list[Record]:
    """Load and validate a data file shipped in ``mtqa/data/``."""
    path = f"mtqa/data/{name}"
    return validate_records(parse_yaml(_packaged_text(name), path), path, spec, key, packaged=True)
