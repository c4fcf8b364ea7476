"""Text that cannot act on the reader's terminal or editor: control characters (terminal escape
sequences start with ESC), bidi overrides and isolates (the "Trojan Source" reordering), line and
paragraph separators and lone surrogates are shown as ``<U+XXXX>`` instead of being written raw.

The text, Markdown, HTML and JUnit reports pass the strings they show through :func:`visible`.
The JSON and SARIF reports keep the original text: :func:`json_dumps` writes a lone surrogate as a
``\\uD800`` escape (valid JSON, read back as the same string), and CSV writes U+FFFD for it, since
UTF-8 cannot carry it at all.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from mtqa.report.types import Report

# C0 controls (tab and newline are allowed separately), DEL, C1 controls, the Arabic letter mark,
# LRM/RLM, LS/PS, the bidi embeddings/overrides (U+202A–202E) and isolates (U+2066–2069), the
# interlinear annotation controls and lone surrogates.
_HOSTILE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufff9-\ufffb\ud800-\udfff"
_PATTERNS: dict[str, re.Pattern[str]] = {}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _pattern(keep: str) -> re.Pattern[str]:
    pat = _PATTERNS.get(keep)
    if pat is None:
        extra = "".join(re.escape(c) for c in "\t\n" if c not in keep)
        pat = _PATTERNS[keep] = re.compile(f"[{_HOSTILE}{extra}]")
    return pat


def visible(text: object, keep: str = "\t\n") -> str:
    """``text`` with every hostile character written as ``<U+XXXX>``; ``keep`` lists the harmless
    whitespace left as is (tab and newline by default)."""
    s = "" if text is None else str(text)
    return _pattern(keep).sub(lambda m: f"<U+{ord(m.group()):04X}>", s)


def is_inert(text: str, keep: str = "\t\n") -> bool:
    return _pattern(keep).search(text) is None


def _tree(obj: Any) -> Any:
    if isinstance(obj, str):
        return visible(obj)
    if isinstance(obj, dict):
        return {_tree(k): _tree(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_tree(v) for v in obj]
    return obj


def inert_report(report: Report) -> Report:
    """A copy of the report with every string made visible, except each segment's ``mt``: findings
    point into it by offsets, so renderers cut it first and pass the pieces to :func:`visible`."""
    out: Any = _tree(report)
    for d_out, d_in in zip(out.get("documents", []), report.get("documents", [])):
        for s_out, s_in in zip(d_out.get("segments", []), d_in.get("segments", [])):
            if "mt" in s_in:
                s_out["mt"] = s_in["mt"]
    return cast(Report, out)


def no_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (which UTF-8 cannot encode) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def json_dumps(obj: Any, indent: int | None = 2) -> str:
    """``json.dumps`` in readable UTF-8 that never fails to encode: a lone surrogate is written as
    its ``\\uXXXX`` escape. Only string contents can hold one, so the substitution is exact."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
