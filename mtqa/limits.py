"""Limits on hostile or broken input, and the strict JSON reader and writer.

The limits are module globals with documented defaults (README, "Inputs and limits"); ``[limits]``
in ``mtqa.toml`` raises or lowers them for a run (``configure``, called by ``load_settings``).
They are read in the main process, where inputs are loaded.

* ``max_input_mb``: the largest input file (MT, source, reference, JSONL, XLIFF, reports fed to
  ``mtqa waive``/``compare``, glossaries, rule files, models).
* ``max_segment_chars``: the longest unit (line, paragraph, XLIFF unit) that is checked; a longer
  one is skipped (``skip_long_units``) and listed in the report's ``run.skipped_segments`` and on
  stderr. In a paired document (JSONL, XLIFF, TMX, --line-aligned) the unit is skipped on every side.
* ``max_json_depth``: the deepest nesting of a JSON input.
* ``max_yaml_scalar``: the longest string of a user YAML file (rule files, waivers).

A top-level module: it depends on ``mtqa.errors`` and ``mtqa.model`` only.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from typing import Any

from mtqa.errors import ConfigError, InputError
from mtqa.model import Document, Side

DEFAULTS: dict[str, int] = {
    "max_input_mb": 512,
    "max_segment_chars": 50_000,
    "max_json_depth": 200,
    "max_yaml_scalar": 100_000,
}
LIMITS: dict[str, int] = dict(DEFAULTS)
REPR_CHARS = 80  # a value quoted in an error message is cut to this many characters


def configure(values: dict[str, int] | None = None) -> None:
    """Set the limits of this run: the defaults, then ``values`` (already validated)."""
    LIMITS.clear()
    LIMITS.update(DEFAULTS)
    LIMITS.update(values or {})


def max_input_bytes() -> int:
    return LIMITS["max_input_mb"] * 2**20


def short(value: Any, limit: int = REPR_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters (an error line must stay one short line)."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("\n", "\\n").replace("\r", "\\r")


def regular_file_size(path: str, kind: str = "file", error: type[Exception] = InputError) -> int:
    """The size of ``path``, which must be a regular file (after symlinks): a FIFO, a device
    (``/dev/zero``), a socket or a directory is refused before anything is read."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise error(f"{path}: no such {kind}") from None
    except PermissionError:
        raise error(f"{path}: permission denied") from None
    except OSError as e:  # a symlink loop, a name too long
        raise error(f"{path}: cannot read ({e.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise error(f"{path}: is a directory, expected a {kind}")
    if not stat.S_ISREG(st.st_mode):
        what = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(
            st.st_mode) else "not a regular file"
        raise error(f"{path}: {what}, expected a regular {kind}")
    return st.st_size


# ---------------------------------------------------------------- JSON

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]+")


def json_depth(text: str) -> int:
    """The deepest nesting of brackets in a JSON text, outside strings (linear, no recursion)."""
    depth = deepest = 0
    for run in _BRACKETS.findall(_STRING.sub("", text)):
        for ch in run:
            if ch in "[{":
                depth += 1
                if depth > deepest:
                    deepest = depth
            else:
                depth -= 1
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999: valid JSON syntax, but Python reads it as inf
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def loads_json(text: str, path: str, what: str = "", error: type[Exception] = InputError,
               line: int | None = None) -> Any:
    """``json.loads`` for input: nesting deeper than ``max_json_depth``, NaN and Infinity and
    lone surrogates are one-line errors ``path:line: {what}not valid JSON (…)`` (``error`` is
    the class raised; ``line``: the file's line when ``text`` is one line of it)."""
    limit = LIMITS["max_json_depth"]
    where = f"{path}:{line}" if line is not None else path
    if text.count("[") + text.count("{") > limit and json_depth(text) > limit:
        raise error(f"{where}: {what}not valid JSON (nested deeper than {limit} levels, limit max_json_depth)")
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except RecursionError:
        raise error(f"{where}: {what}not valid JSON (nested too deeply)") from None
    except json.JSONDecodeError as e:
        raise error(f"{path}:{line or e.lineno}: {what}not valid JSON ({e.msg})") from None
    except ValueError as e:
        raise error(f"{where}: {what}not valid JSON ({e})") from None
    if "\\u" in text.lower():
        _check_surrogates(data, where, error)
    return data


def _check_surrogates(value: Any, where: str, error: type[Exception]) -> None:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                raise error(f"{where}: a lone surrogate escape (\\ud800-\\udfff) in a JSON string") from None
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None (JSON has no such numbers)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def dumps_json(value: Any, **kwargs: Any) -> str:
    """``json.dumps`` that writes valid JSON only: non-finite numbers become null."""
    return json.dumps(finite(value), allow_nan=False, **kwargs)


MAX_LIMIT = 2**31 - 1  # any larger limit is a typo; it would also overflow a C index


def check_value(value: int, where: str) -> None:
    """A ``[limits]`` value (an int already): positive, and at most ``MAX_LIMIT``."""
    if not 0 < value <= MAX_LIMIT:
        raise ConfigError(f"{where}: expected an integer from 1 to {MAX_LIMIT:,}, got {short(value, 40)}")


def check_limit(name: str, value: Any, where: str) -> int:
    """A ``[limits]`` value: a positive integer."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{where}: expected a positive integer, got {short(value)}")
    return value


# ---------------------------------------------------------------- segment length


def _long_units(side: Side | None, cap: int) -> set[int]:
    return set() if side is None else {i for i, u in enumerate(side.units) if len(u.text) > cap}


def skip_long_units(documents: list[Document]) -> list[dict[str, Any]]:
    """Drop every unit longer than ``max_segment_chars`` from the units that are checked, and
    return one record per skipped unit (document, side, input line, unit id, length) for the
    report. The side's text is kept, so offsets and line numbers stay those of the file. In a
    paired document unit i of every side goes together, so a unit too long on one side is skipped
    on all of them."""
    cap = LIMITS["max_segment_chars"]
    skipped: list[dict[str, Any]] = []
    for doc in documents:
        sides = {"source": doc.source, "mt": doc.mt, "ref": doc.ref}
        long = {name: _long_units(side, cap) for name, side in sides.items()}
        if not any(long.values()):
            continue
        every = set().union(*long.values())
        for name, side in sides.items():
            if side is None:
                continue
            drop = every if doc.paired else long[name]
            for i in sorted(drop & set(range(len(side.units)))):
                u = side.units[i]
                skipped.append({"document": doc.id, "side": name, "line": u.line, "unit": u.id,
                                "chars": len(u.text), "over_limit": i in long[name]})
            side.units = [u for i, u in enumerate(side.units) if i not in drop]
    return skipped
