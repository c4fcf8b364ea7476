"""Loading rule data files (YAML) with validation errors that name the file and the line.

Every data file under ``mtqa/data/`` and every user rule file goes through ``load_records``:
a list of mappings, each checked against a small field spec. A record remembers its line
(``record.line``) so that later errors (a bad regex, say) can point at it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
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
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(f"{path}{line}: invalid YAML ({problem})") from None


def validate_records(items: Any, path: str, spec: dict[str, Field], key: str | None = None) -> list[Record]:
    """Check a list of mappings against ``spec``; unknown keys and wrong types are errors."""
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
        rec.path, rec.line = path, item.get("__line__", 0)
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


@lru_cache(maxsize=None)
def _packaged_text(name: str) -> str:
    return files("mtqa").joinpath("data", name).read_text(encoding="utf-8")


def load_packaged(name: str, spec: dict[str, Field], key: str | None = None) -> list[Record]:
    """Load and validate a data file shipped in ``mtqa/data/``."""
    path = f"mtqa/data/{name}"
    return validate_records(parse_yaml(_packaged_text(name), path), path, spec, key)
