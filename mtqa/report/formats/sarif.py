"""SARIF 2.1.0: findings as results, rule metadata from the report's rule catalogue, locations in
the MT file (line/column for plain-text inputs, the unit's line for JSONL/XLIFF/TMX), so GitHub code
scanning can annotate vendor deliveries. Failed gate criteria are results of ``mtqa.gate/*`` rules."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mtqa.inputs import XML_SUFFIXES
from mtqa.report.formats.inert import json_dumps
from mtqa.report.types import DocumentReport, FindingDict, GateCriterion, Report, SegmentReport
from mtqa.report.views import RuleDoc, finding_region, mt_path, rule_catalogue, rule_info, segment_map

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"critical": "error", "major": "error", "minor": "warning"}
INFO_URI = "https://github.com/mtqa/mtqa"


def artifact_uri(path: str | None) -> str | None:
    """A repository-relative URI when the file is under the working directory, else a file: URI."""
    if not path or path == "-":
        return None
    p = Path(path)
    if not p.is_absolute():
        return quote(p.as_posix())
    try:
        return quote(p.resolve().relative_to(Path(os.getcwd()).resolve()).as_posix())
    except ValueError:
        return p.as_uri()


def rule_descriptor(info: RuleDoc) -> dict[str, Any]:
    doc = info["doc"] or info["id"]
    short = doc.split(". ")[0].rstrip(".") + "."
    return {
        "id": info["id"],
        "name": "".join(w.capitalize() for w in info["id"].replace("-", ".").replace("_", ".").split(".")),
        "shortDescription": {"text": short},
        "fullDescription": {"text": doc},
        "defaultConfiguration": {"level": LEVEL[info["severity"]]},
        "help": {"text": f"MQM category: {info['category']}. {doc}"},
        "properties": {"category": info["category"], "severity": info["severity"],
                       "tags": ["translation-quality", "mqm", info["category"].split("/")[0]]},
    }


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


class Rules:
    """The run's rule descriptors, each added on first use; results point at them by index."""

    def __init__(self) -> None:
        self.descriptors: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}

    def index_of(self, info: RuleDoc) -> int:
        if info["id"] not in self.index:
            self.index[info["id"]] = len(self.descriptors)
            self.descriptors.append(rule_descriptor(info))
        return self.index[info["id"]]


def result_text(f: FindingDict) -> str:
    text = f["message"]
    if f["mt_text"]:
        text = f"«{f['mt_text']}»: {text}"
    if f.get("source_text"):
        text += f" (source: “{f['source_text']}”)"
    if f.get("suggestion"):
        text += f" Suggestion: {f['suggestion']}."
    return text


def finding_location(doc: DocumentReport, seg: SegmentReport | None, f: FindingDict, uri: str,
                     artifact: int) -> dict[str, Any]:
    phys: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": artifact}}
    region = finding_region(seg, f) if seg is not None else {}
    if region:
        region["snippet"] = {"text": f["mt_text"]}
        phys["region"] = region
    loc: dict[str, Any] = {"physicalLocation": phys}
    if seg is not None and seg.get("unit_id"):
        loc["logicalLocations"] = [{"name": seg["unit_id"], "kind": "element",
                                    "fullyQualifiedName": f"{doc['id']}/{seg['unit_id']}"}]
    return loc


def finding_result(doc: DocumentReport, seg: SegmentReport | None, f: FindingDict, rule_index: int) -> dict[str, Any]:
    return {
        "ruleId": f["rule"],
        "ruleIndex": rule_index,
        "level": LEVEL[f["severity"]],
        "message": {"text": result_text(f)},
        "partialFingerprints": {"mtqaFinding/v1": _fingerprint(doc["id"], f["rule"], seg["source"] if seg else "",
                                                               f["mt_text"])},
        "properties": {"severity": f["severity"], "category": f["category"], "document": doc["id"],
                       "segment": f["segment"], "mt_text": f["mt_text"], "source_text": f["source_text"],
                       "suggestion": f.get("suggestion")},
        **({"suppressions": [suppression(f)]} if f.get("waived") else {}),
    }


def suppression(f: FindingDict) -> dict[str, Any]:
    """SARIF 2.1.0 §3.35: a waiver kept outside the analysed file (``external``), accepted."""
    w: dict[str, Any] = dict(f.get("waiver") or {})
    return {"kind": "external", "status": "accepted", "justification": w.get("reason", ""),
            "properties": {"by": w.get("by"), "date": w.get("date"), "expires": w.get("expires"),
                           "waiversLine": w.get("line")}}


def gate_result(c: GateCriterion, rules: Rules, artifacts: dict[str, int], docs: dict[str, DocumentReport]) -> dict[str, Any]:
    name = c["name"].split(":")[0]
    info: RuleDoc = {"id": f"mtqa.gate/{name}", "category": "other/gate", "severity": "critical",
                     "doc": f"Quality gate criterion {name}: the delivery fails when it is not met."}
    result: dict[str, Any] = {
        "ruleId": info["id"], "ruleIndex": rules.index_of(info), "level": "error",
        "message": {"text": f"Quality gate: {c['message']}"},
        "partialFingerprints": {"mtqaGate/v1": _fingerprint(c["name"], c.get("document"))},
        "properties": {"criterion": c["name"], "value": c.get("value"), "threshold": c.get("threshold"),
                       "document": c.get("document")}}
    doc = docs.get(c.get("document") or "")
    uri = artifact_uri(mt_path(doc)) if doc else None
    if uri is not None:
        result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": artifacts[uri]},
                                                     "region": {"startLine": 1}}}]
    return result


def results(report: Report, rules: Rules, artifacts: dict[str, int]) -> list[dict[str, Any]]:
    """One result per finding, then one per failed gate criterion; fills ``artifacts`` (uri → index)."""
    catalogue = rule_catalogue(report)
    out = []
    for d in report["documents"]:
        segs = segment_map(d)
        uri = artifact_uri(mt_path(d))
        if uri is not None and uri not in artifacts:
            artifacts[uri] = len(artifacts)
        for f in d["findings"]:
            seg = segs.get(f["segment"])
            result = finding_result(d, seg, f, rules.index_of(rule_info(f["rule"], f, catalogue)))
            if uri is not None:
                result["locations"] = [finding_location(d, seg, f, uri, artifacts[uri])]
            out.append(result)
    docs = {d["id"]: d for d in report["documents"]}
    out += [gate_result(c, rules, artifacts, docs) for c in report["gate"]["criteria"] if not c["passed"]]
    return out


def run(report: Report) -> dict[str, Any]:
    rules = Rules()
    artifacts: dict[str, int] = {}
    found = results(report, rules, artifacts)
    return {
        "tool": {"driver": {"name": "mtqa", "version": report["tool"]["version"], "informationUri": INFO_URI,
                            "rules": rules.descriptors}},
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": {"uri": u}, "mimeType": "application/xml" if u.endswith(XML_SUFFIXES) else "text/plain",
                       "encoding": "utf-8"} for u in artifacts],
        "results": found,
        "invocations": [{"executionSuccessful": True,
                         "properties": {"verdict": report["verdict"], "gatePassed": report["gate"]["passed"]}}],
        "properties": {"verdict": report["verdict"],
                       "scores": {k: {"score": v["score"], "signature": v.get("signature", "")}
                                  for k, v in report["scores"].items()},
                       "summary": report["summary"]},
    }


def build(report: Report) -> dict[str, Any]:
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run(report)]}


def render(report: Report) -> str:
    return json_dumps(build(report)) + "\n"
