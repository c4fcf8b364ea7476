"""CSV of findings, one row per finding, for spreadsheets and vendor feedback (RFC 4180 via csv).

Cells are neutralised against formula injection (OWASP): a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading ``'``, so a spreadsheet shows it as text.
A lone surrogate, which UTF-8 cannot carry, is written as U+FFFD.
Rows end in CRLF (RFC 4180), so a field holding a bare CR is quoted like one holding a newline.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from mtqa.report.formats.inert import no_surrogates
from mtqa.report.types import Report
from mtqa.report.views import finding_region, mt_path, segment_map, waiver_note

COLUMNS = ["document", "segment", "unit_id", "mt_path", "line", "column", "severity", "rule", "category",
           "mt_text", "mt_start", "mt_end", "source_text", "message", "suggestion", "segment_mt", "segment_source",
           "waived", "waiver"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: Any) -> Any:
    """A text cell a spreadsheet will not evaluate; numbers and empty cells unchanged."""
    if not isinstance(value, str):
        return value
    value = no_surrogates(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def rows(report: Report) -> Iterator[dict[str, Any]]:
    for d in report["documents"]:
        segs = segment_map(d)
        path = mt_path(d) or ""
        for f in d["findings"]:
            seg = segs.get(f["segment"])
            region = finding_region(seg, f) if seg is not None else {}
            known: dict[str, Any] = dict(seg) if seg is not None else {}
            yield {
                "document": d["id"], "segment": f["segment"], "unit_id": known.get("unit_id") or "",
                "mt_path": path, "line": region.get("startLine", ""), "column": region.get("startColumn", ""),
                "severity": f["severity"], "rule": f["rule"], "category": f["category"], "mt_text": f["mt_text"],
                "mt_start": f["mt_start"], "mt_end": f["mt_end"], "source_text": f["source_text"],
                "message": f["message"], "suggestion": f.get("suggestion") or "",
                "segment_mt": known.get("mt", ""), "segment_source": known.get("source", ""),
                "waived": "yes" if f.get("waived") else "no",
                "waiver": waiver_note(f) if f.get("waived") else "",
            }


def render(report: Report) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for row in rows(report):
        w.writerow({k: inert_cell(v) for k, v in row.items()})
    return buf.getvalue()
