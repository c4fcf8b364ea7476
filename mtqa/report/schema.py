"""The JSON report's schema (``mtqa/data/report.schema.json``) and its validation."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(files("mtqa").joinpath("data/report.schema.json").read_text(encoding="utf-8"))


def validate(report: dict) -> None:
    """Raise ``jsonschema.ValidationError`` when the report breaks the contract."""
    import jsonschema

    jsonschema.validate(report, schema())
