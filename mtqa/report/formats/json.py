"""The JSON report as it is written: the contract itself, indented, UTF-8."""

from __future__ import annotations

from mtqa.report.formats.inert import json_dumps
from mtqa.report.types import Report


def dumps(report: Report) -> str:
    return json_dumps(report) + "\n"
