"""What several renderers need from the JSON report: spans to highlight, file locations, rule metadata.

Everything here reads the report dict only (the contract), never pipeline objects: rule metadata
comes from the report's own rule catalogue (``report["rules"]``), not from the checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from mtqa.model import SEVERITIES, SEVERITY_RANK
from mtqa.report.types import DocumentReport, FindingDict, GateCriterion, Report, RuleInfoDict, SegmentReport

SEVERITIES_DESC = tuple(reversed(SEVERITIES))  # critical, major, minor


class Piece(TypedDict):
    text: str
    findings: list[FindingDict]
    severity: str | None


class RuleDoc(TypedDict):
    """What a renderer shows of a rule: its id, MQM category, default severity and doc."""

    id: str
    category: str
    severity: str
    doc: str


def tool_line(report: Report) -> str:
    """"mtqa 0.1.0 · grammar: Grammalecte 2.1.1" (or "grammar: unavailable"/"off"); the grammar part
    only when the report records it (reports from before issue 14 do not)."""
    tool = report["tool"]
    grammar = tool.get("grammar")
    return f"mtqa {tool['version']}" + (f" · grammar: {grammar}" if grammar else "")


def worst(findings: list[FindingDict]) -> str | None:
    if not findings:
        return None
    return max((f["severity"] for f in findings), key=SEVERITY_RANK.__getitem__)


def mt_pieces(mt: str, findings: list[FindingDict]) -> list[Piece]:
    """Cut a segment's MT into pieces: ``{"text", "findings", "severity"}``; an omission (empty span)
    is a piece with empty text placed where the missing words belong."""
    bounds = {0, len(mt)}
    for f in findings:
        s, e = max(0, min(f["mt_start"], len(mt))), max(0, min(f["mt_end"], len(mt)))
        bounds.update((s, e))
    cuts = sorted(bounds)
    pieces: list[Piece] = []
    empties = [f for f in findings if f["mt_end"] <= f["mt_start"]]
    for a, b in zip(cuts, [*cuts[1:], None]):
        at = [f for f in empties if min(f["mt_start"], len(mt)) == a]
        if at:
            pieces.append({"text": "", "findings": at, "severity": worst(at)})
        if b is None:
            break
        cover = [f for f in findings if f["mt_start"] <= a and f["mt_end"] >= b and f["mt_end"] > f["mt_start"]]
        pieces.append({"text": mt[a:b], "findings": cover, "severity": worst(cover)})
    return [p for p in pieces if p["text"] or p["findings"]]


def position(seg: SegmentReport, offset: int) -> tuple[int | None, int | None]:
    """1-based (line, column) in the MT file of an offset into ``seg["mt"]``.

    The column is known only for plain-text inputs (``mt_column`` set); for JSONL/XLIFF/TMX the
    line is the unit's line and the column is ``None``.
    """
    line0 = seg.get("mt_line")
    if line0 is None:
        return None, None
    col0 = seg.get("mt_column")
    if col0 is None:
        return line0, None
    before = seg["mt"][:offset]
    nl = before.count("\n")
    if nl == 0:
        return line0, col0 + offset
    return line0 + nl, offset - before.rfind("\n")


def finding_region(seg: SegmentReport, f: FindingDict) -> dict[str, Any]:
    """SARIF-style region of a finding (1-based; endColumn exclusive)."""
    line, col = position(seg, f["mt_start"])
    if line is None:
        return {}
    region: dict[str, Any] = {"startLine": line}
    if col is not None:
        end_line, end_col = position(seg, f["mt_end"])
        region["startColumn"] = col
        if end_line != line:
            region["endLine"] = end_line
        region["endColumn"] = end_col
    return region


def mt_path(doc: DocumentReport) -> str | None:
    """The MT file of a document, when the report knows it."""
    paths = doc.get("paths")
    return paths.get("mt") if paths else None


def location_label(doc: DocumentReport, seg: SegmentReport | None, f: FindingDict | None = None) -> str:
    """``path:line:col`` (or ``path:line [unit id]``) for people reading a report."""
    path = mt_path(doc) or doc["id"]
    if seg is None:
        return path
    region = finding_region(seg, f) if f is not None else {"startLine": seg.get("mt_line")}
    out = path
    if region.get("startLine"):
        out += f":{region['startLine']}"
        if region.get("startColumn"):
            out += f":{region['startColumn']}"
    if seg.get("unit_id"):
        out += f" [{seg['unit_id']}]"
    return out


def rule_catalogue(report: Report) -> dict[str, RuleInfoDict]:
    """The report's rule catalogue by id; empty for a report written before it had one."""
    return {r["id"]: r for r in report.get("rules", [])}


def rule_info(rule: str, finding: FindingDict | None, catalogue: Mapping[str, RuleInfoDict]) -> RuleDoc:
    """Metadata of a rule from the report's catalogue. A rule the catalogue lacks may be a sub-rule
    (``check.sub``) of a catalogued rule, whose doc and severity it takes; else (a report written
    before the catalogue existed) it is described from its finding alone."""
    if rule in catalogue:
        return _doc_of(catalogue[rule])
    parents = [rid for rid in catalogue if rule.startswith(rid + ".")]
    if parents:
        info = _doc_of(catalogue[max(parents, key=len)])
        info["id"] = rule
        if finding is not None:
            info["category"] = finding["category"]
        return info
    category = finding["category"] if finding else "other"
    return {
        "id": rule,
        "category": category,
        "severity": finding["severity"] if finding else "minor",
        "doc": f"mtqa rule {rule} ({category}).",
    }


def _doc_of(r: RuleInfoDict) -> RuleDoc:
    # the default severity: SARIF's defaultConfiguration; each result carries its effective level
    return {"id": r["id"], "category": r["category"], "severity": r["default_severity"], "doc": r["doc"]}


def segment_map(doc: DocumentReport) -> dict[int, SegmentReport]:
    return {s["index"]: s for s in doc["segments"]}


def gate_failures(report: Report) -> list[GateCriterion]:
    return [c for c in report["gate"]["criteria"] if not c["passed"]]


# ---------------------------------------------------------------- waived and repeated findings


def is_waived(f: FindingDict) -> bool:
    return bool(f.get("waived"))


def counted(findings: list[FindingDict]) -> list[FindingDict]:
    """The findings that count (a waived one is shown apart)."""
    return [f for f in findings if not f.get("waived")]


def waived(findings: list[FindingDict]) -> list[FindingDict]:
    return [f for f in findings if f.get("waived")]


class Group(TypedDict):
    """Findings of one rule with the same French span (or, for an empty span, the same message) in
    one document: shown once with a count and the places."""

    first: FindingDict
    findings: list[FindingDict]
    places: list[str]


def group_key(f: FindingDict) -> tuple[str, str, bool]:
    span = " ".join(f["mt_text"].split())
    return (f["rule"], span if span else "\x00" + f["message"], is_waived(f))


def group_findings(doc: DocumentReport, findings: list[FindingDict]) -> list[Group]:
    """``findings`` of ``doc`` grouped by ``group_key``, in order of first occurrence."""
    segs = segment_map(doc)
    groups: dict[tuple[str, str, bool], Group] = {}
    for f in findings:
        g = groups.setdefault(group_key(f), {"first": f, "findings": [], "places": []})
        g["findings"].append(f)
        g["places"].append(location_label(doc, segs.get(f["segment"]), f))
    return list(groups.values())


def places_text(places: list[str], limit: int = 8) -> str:
    """``a, b, c`` or ``a, b, … (and 14 more)``."""
    shown = ", ".join(places[:limit])
    return shown if len(places) <= limit else f"{shown}, … (and {len(places) - limit} more)"


def waiver_note(f: FindingDict) -> str:
    w: dict[str, Any] = dict(f.get("waiver") or {})
    out = f"waived by {w.get('by', '?')} on {w.get('date', '?')}: {w.get('reason', '')}"
    return out + (f" (expires {w['expires']})" if w.get("expires") else "")
