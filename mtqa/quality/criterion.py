"""One criterion of the quality gate, as the report's ``gate.criteria`` lists it."""

from __future__ import annotations

from typing import Any


def criterion(name: str, threshold: Any, value: Any, passed: bool, message: str, document: str | None = None) -> dict:
    return {"name": name, "document": document, "threshold": threshold, "value": value, "passed": passed, "message": message}
