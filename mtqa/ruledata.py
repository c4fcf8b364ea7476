"""The one loader of rule data: the YAML files of ``mtqa/data/`` and the user's rule files.

* ``packaged_yaml(name)`` parses a file of ``mtqa/data/`` once per process (cached) and
  ``load_packaged(name, spec, key)`` validates its records; ``load_records(path, spec, key)``
  does the same for a user's file (``[rules] files``).
* Parsing uses libyaml's C parser when PyYAML was built with it (7-8x faster on the data files:
  ``sense.yaml`` is ~3,600 lines), else the pure-Python one. Either way every mapping records its
  1-based line under ``__line__``, so errors, even those found later (a bad regex), name
  ``file:line``: a validated ``Record`` keeps its ``path`` and ``line``.
* A parsed packaged file is also cached on disk (``mtqa.diskcache``, keyed by mtqa's version and
  the file's sha256), so a short run does not parse ~1.8 MB of YAML again; a missing or corrupt
  cache entry is rebuilt from the YAML.

A top-level module, not part of ``mtqa.checks``: sentence segmentation (``mtqa.text.segment``, stage
2) reads its abbreviation lists through it as the checks (stage 5) read theirs, and neither stage
may import the other. It depends on PyYAML and ``mtqa.errors`` only.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from mtqa.diskcache import cached_parse
from mtqa.errors import ConfigError
from mtqa.limits import LIMITS, max_input_bytes, regular_file_size, short

LINE_KEY = "__line__"


def line_loader(base: Any) -> Any:
    """A safe loader class on ``base`` (``yaml.CSafeLoader`` or ``yaml.SafeLoader``) that records
    the line of every mapping under ``__line__``, refuses aliases (a node constructed twice: the
    "billion laughs" bomb, merge keys included) and strings longer than ``max_yaml_scalar``."""

    class LineLoader(base):
        def construct_object(self, node, deep=False):
            if node in self.constructed_objects or node in self.recursive_objects:
                raise yaml.constructor.ConstructorError(
                    None, None, "aliases (*name) are not allowed; write the value out", node.start_mark)
            if isinstance(node, yaml.ScalarNode) and len(node.value) > LIMITS["max_yaml_scalar"]:
                raise yaml.constructor.ConstructorError(
                    None, None, f"a value of {len(node.value):,} characters is longer than the limit "
                    f"max_yaml_scalar ({LIMITS['max_yaml_scalar']:,})", node.start_mark)
            return super().construct_object(node, deep=deep)

        def construct_mapping(self, node, deep=False):
            mapping = super().construct_mapping(node, deep=deep)
            mapping[LINE_KEY] = node.start_mark.line + 1
            return mapping

    return LineLoader


PURE_LOADER = line_loader(yaml.SafeLoader)
LOADER = line_loader(yaml.CSafeLoader) if hasattr(yaml, "CSafeLoader") else PURE_LOADER


def parse_yaml(text: str, path: str, loader: Any = None) -> Any:
    """``text`` parsed (mappings carry ``__line__``); invalid YAML is a ``ConfigError`` naming
    ``path:line``. ``loader``: ``LOADER`` (the C parser when present) unless given."""
    try:
        return yaml.load(text, Loader=loader or LOADER)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(f"{path}{line}: invalid YAML ({problem[:200]})") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid YAML (nested too deeply)") from None


def strip_lines(value: Any) -> Any:
    """A copy of ``value`` without the ``__line__`` bookkeeping, for plain tables."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


# ---------------------------------------------------------------- records


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


def _entries(items: Any, path: str, key: str | None) -> list:
    if key is not None:
        if not isinstance(items, dict) or key not in items:
            raise ConfigError(f"{path}: expected a top-level '{key}:' list")
        items = items[key]
    if not isinstance(items, list):
        raise ConfigError(f"{path}: expected a list of entries")
    return items


def _check_fields(rec: Record, spec: dict[str, Field]) -> None:
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
            raise rec.error(f"field '{name}' must be {_type_name(f.type)}, got {short(value)}")
        if f.choices is not None and value not in f.choices:
            raise rec.error(f"field '{name}' must be one of {', '.join(f.choices)}, got {short(value)}")


def validate_records(items: Any, path: str, spec: dict[str, Field], key: str | None = None,
                     packaged: bool = False) -> list[Record]:
    """Check a list of mappings (under ``key``, if given) against ``spec``: unknown keys, missing
    required ones and wrong types are errors. ``packaged``: the file ships in ``mtqa/data/``
    (see ``mtqa.text.regex.generated_regex``)."""
    records: list[Record] = []
    for item in _entries(items, path, key):
        if not isinstance(item, dict):
            raise ConfigError(f"{path}: every entry must be a mapping, got {short(item)}")
        rec = Record({k: v for k, v in item.items() if k != LINE_KEY})
        rec.path, rec.line, rec.packaged = path, item.get(LINE_KEY, 0), packaged
        _check_fields(rec, spec)
        records.append(rec)
    return records


EXAMPLE_KEYS = ("en", "wrong", "right")


def check_example(rec: Record) -> None:
    """A data entry's optional ``example``: an English sentence, a faulty French rendering that the
    entry must flag and a right one it must leave alone (the generated tests run both)."""
    ex = rec.get("example")
    if ex is None:
        return
    keys = {k for k in ex if k != LINE_KEY}
    if keys != set(EXAMPLE_KEYS) or not all(isinstance(ex[k], str) and ex[k].strip() for k in EXAMPLE_KEYS):
        raise rec.error("field 'example' must have exactly the non-empty strings en, wrong, right")


# ---------------------------------------------------------------- packaged data


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while long-lived rule data is read or built: every object
    made there survives, so the collections only walked them (more than half the time of
    building the sense data, measured)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def packaged_path(name: str) -> str:
    """How errors name a packaged file."""
    return f"mtqa/data/{name}"


@cache
def packaged_yaml(name: str) -> Any:
    """A YAML file of ``mtqa/data/``, parsed once per process (mappings carry ``__line__``). The
    value is shared: callers build their own structures from it and never change it."""
    raw = files("mtqa").joinpath("data").joinpath(name).read_bytes()
    with gc_paused():
        return cached_parse(name, raw, lambda: parse_yaml(raw.decode("utf-8"), packaged_path(name)))


@cache
def packaged_table(name: str) -> Any:
    """A packaged YAML file without the line bookkeeping (plain tables: word lists, numbers)."""
    return strip_lines(packaged_yaml(name))


def load_packaged(name: str, spec: dict[str, Field], key: str | None = None) -> list[Record]:
    """The validated records of a data file shipped in ``mtqa/data/``."""
    return validate_records(packaged_yaml(name), packaged_path(name), spec, key, packaged=True)


@cache
def packaged_folder(folder: str) -> tuple[str, ...]:
    """The YAML files of ``mtqa/data/<folder>/`` (one per news beat), as names for
    ``load_packaged``, sorted; none when the folder does not exist, or when ``MTQA_BENCH_MAIN_DATA``
    is set (``bench/checks_stage.py`` times the checks on the main files alone: the round-1 data)."""
    root = files("mtqa").joinpath("data").joinpath(folder)
    if not root.is_dir() or os.environ.get("MTQA_BENCH_MAIN_DATA", "").strip() not in ("", "0"):
        return ()
    return tuple(sorted(f"{folder}/{p.name}" for p in root.iterdir() if p.name.endswith(".yaml")))


def load_packaged_set(names: tuple[str, ...], spec: dict[str, Field], key: str | None = None) -> list[Record]:
    """The records of several packaged files, in order (a main file, then a folder's files)."""
    return [rec for name in names for rec in load_packaged(name, spec, key)]


# ---------------------------------------------------------------- user files


def read_user_file(path: str | Path, kind: str = "rule file") -> str:
    """A user's settings file (rule file, glossary, waivers) as text, UTF-8 with or without BOM:
    a regular file (not a FIFO, device or directory) of at most ``max_input_mb``, without NUL
    bytes or lone surrogates."""
    try:
        size = regular_file_size(str(path), kind, ConfigError)
        if size > max_input_bytes():
            raise ConfigError(f"{path}: {kind} is larger than {LIMITS['max_input_mb']} MiB (limit max_input_mb)")
        text = Path(path).read_text(encoding="utf-8-sig")
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise ConfigError(f"{path}:{line}: NUL byte in a {kind}")
        return text
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
    """The validated records of a user's YAML rule file."""
    text = read_user_file(path)
    return validate_records(parse_yaml(text, str(path)), str(path), spec, key)
