"""The JSON report as it is written: the contract itself, indented, UTF-8."""

from __future__ import annotations

import json

from mtqa.report.types import Report


def dumps(report: Report) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
