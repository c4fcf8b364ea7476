"""Stage 6 — report. The JSON report is the contract; every other format renders from it."""

from __future__ import annotations

from importlib import import_module

from mtqa.errors import ConfigError
from mtqa.report.types import Report

# format name → (module, function); each function takes the JSON report dict and returns text.
RENDERERS = {
    "json": ("mtqa.report.formats.json", "dumps"),
    "text": ("mtqa.report.formats.text", "render"),
    "md": ("mtqa.report.formats.markdown", "render"),
    "html": ("mtqa.report.formats.html", "render"),
    "junit": ("mtqa.report.formats.junit", "render"),
    "sarif": ("mtqa.report.formats.sarif", "render"),
    "csv": ("mtqa.report.formats.csv", "render"),
}

EXTENSIONS = {
    ".json": "json",
    ".txt": "text",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xml": "junit",
    ".junit": "junit",
    ".sarif": "sarif",
    ".csv": "csv",
}


def format_for_path(path: str, default: str) -> str:
    lower = path.lower()
    if lower.endswith(".sarif.json"):
        return "sarif"
    for ext, fmt in EXTENSIONS.items():
        if lower.endswith(ext):
            return fmt
    return default


def render(report: Report, fmt: str) -> str:
    if fmt not in RENDERERS:
        raise ConfigError(f"unknown format {fmt!r} (choose from {', '.join(RENDERERS)})")
    module, func = RENDERERS[fmt]
    text: str = getattr(import_module(module), func)(report)
    return text
