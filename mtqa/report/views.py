"""What several renderers need from the JSON report: spans to highlight, file locations, rule metadata.

Everything here reads the report dict only (the contract), never pipeline objects.
"""

from __future__ import annotations

from functools import lru_cache

from mtqa.model import SEVERITIES, SEVERITY_RANK

SEVERITIES_DESC = tuple(reversed(SEVERITIES))  # critical, major, minor


def worst(findings: list[dict]) -> str | None:
    if not findings:
        return None
    return max((f["severity"] for f in findings), key=SEVERITY_RANK.__getitem__)


def mt_pieces(mt: str, findings: list[dict]) -> list[dict]:
    """Cut a segment's MT into pieces: ``{"text", "findings", "severity"}``; an omission (empty span)
    is a piece with empty text placed where the missing words belong."""
    bounds = {0, len(mt)}
    for f in findings:
        s, e = max(0, min(f["mt_start"], len(mt))), max(0, min(f["mt_end"], len(mt)))
        bounds.update((s, e))
    cuts = sorted(bounds)
    pieces: list[dict] = []
    empties = [f for f in findings if f["mt_end"] <= f["mt_start"]]
    for a, b in zip(cuts, cuts[1:] + [None]):
        at = [f for f in empties if min(f["mt_start"], len(mt)) == a]
        if at:
            pieces.append({"text": "", "findings": at, "severity": worst(at)})
        if b is None:
            break
        cover = [f for f in findings if f["mt_start"] <= a and f["mt_end"] >= b and f["mt_end"] > f["mt_start"]]
        pieces.append({"text": mt[a:b], "findings": cover, "severity": worst(cover)})
    return [p for p in pieces if p["text"] or p["findings"]]


def position(seg: dict, offset: int) -> tuple[int | None, int | None]:
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


def finding_region(seg: dict, f: dict) -> dict:
    """SARIF-style region of a finding (1-based; endColumn exclusive)."""
    line, col = position(seg, f["mt_start"])
    if line is None:
        return {}
    region: dict = {"startLine": line}
    if col is not None:
        end_line, end_col = position(seg, f["mt_end"])
        region["startColumn"] = col
        if end_line != line:
            region["endLine"] = end_line
        region["endColumn"] = end_col
    return region


def location_label(doc: dict, seg: dict | None, f: dict | None = None) -> str:
    """``path:line:col`` (or ``path:line [unit id]``) for people reading a report."""
    path = (doc.get("paths") or {}).get("mt") or doc["id"]
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


@lru_cache(maxsize=1)
def _registry() -> dict[str, dict]:
    from mtqa.checks.registry import REGISTRY

    out = {rid: {"id": rid, "category": cls.category, "severity": cls.severity, "doc": " ".join(cls.doc.split())}
           for rid, cls in REGISTRY.items()}
    for cls in REGISTRY.values():  # sub-rules (``typography.nbsp``) carry their own category and doc
        infos = getattr(cls, "rule_infos", None)
        for info in (infos() if callable(infos) else []):
            out.setdefault(info.id, {"id": info.id, "category": info.category, "severity": info.severity,
                                     "doc": " ".join(info.doc.split())})
    return out


def rule_info(rule: str, finding: dict | None = None) -> dict:
    """Metadata of a rule from the check registry; a finding's rule may be a sub-rule
    (``check.sub``) of a registered check, or come from a rule file."""
    reg = _registry()
    if rule in reg:
        return reg[rule]
    parents = [rid for rid in reg if rule.startswith(rid + ".")]
    if parents:
        info = dict(reg[max(parents, key=len)])
        info["id"] = rule
        if finding is not None:
            info["category"] = finding["category"]
        return info
    return {
        "id": rule,
        "category": finding["category"] if finding else "other",
        "severity": finding["severity"] if finding else "minor",
        "doc": f"mtqa rule {rule} ({finding['category'] if finding else 'other'}).",
    }


def segment_map(doc: dict) -> dict[int, dict]:
    return {s["index"]: s for s in doc["segments"]}


def gate_failures(report: dict) -> list[dict]:
    return [c for c in report["gate"]["criteria"] if not c["passed"]]
