"""``mtqa rules`` output: every check with the rule ids it emits, their MQM category, (effective)
severity and doc, as wrapped text or as JSON (the listing itself, indented, UTF-8)."""

from __future__ import annotations

import textwrap

from mtqa.errors import ConfigError
from mtqa.report.formats.inert import json_dumps
from mtqa.report.types import ListedRuleDict, RuleListing

FORMATS = ("text", "json")


def rule_lines(r: ListedRuleDict, width: int) -> list[str]:
    sev = r["severity"] + ("" if r["severity"] == r["default_severity"] else f" (default {r['default_severity']})")
    state = "" if r["enabled"] else "  [disabled]"
    lines = [f"  {r['id']}  {r['category']}  {sev}{state}"]
    if r["id"] != r["check"]:  # a sub-rule has its own doc; a check's only rule shares the check's
        lines += textwrap.wrap(r["doc"], width, initial_indent="      ", subsequent_indent="      ")
    return lines


def render_text(listing: RuleListing, width: int = 100) -> str:
    """Each check (its doc wrapped to ``width``), then its rules; a check with no rule under these
    settings (the user-rules check without a rule file) is left out."""
    lines: list[str] = []
    for check in listing["checks"]:
        mine = [r for r in listing["rules"] if r["check"] == check["id"]]
        if not mine:
            continue
        lines += textwrap.wrap(f"{check['id']} — {check['doc']}", width, subsequent_indent="    ")
        for r in mine:
            lines += rule_lines(r, width)
        lines.append("")
    return "\n".join(lines)


def render_json(listing: RuleListing) -> str:
    return json_dumps(listing) + "\n"


def render(listing: RuleListing, fmt: str, width: int = 100) -> str:
    if fmt == "text":
        return render_text(listing, width)
    if fmt == "json":
        return render_json(listing)
    raise ConfigError(f"unknown rules format {fmt!r} (choose from {', '.join(FORMATS)})")
