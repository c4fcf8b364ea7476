"""SARIF 2.1.0: findings as results, rule metadata from the check registry, locations in the MT
file (line/column for plain-text inputs, the unit's line for JSONL/XLIFF/TMX), so GitHub code
scanning can annotate vendor deliveries. Failed gate criteria are results of ``mtqa.gate/*`` rules."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import quote

from mtqa.report.views import finding_region, rule_info, segment_map

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


def _rule_descriptor(info: dict) -> dict:
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
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:32]


def build(report: dict) -> dict:
    rules: list[dict] = []
    index: dict[str, int] = {}

    def rule_index(rid: str, info: dict) -> int:
        if rid not in index:
            index[rid] = len(rules)
            rules.append(_rule_descriptor(info))
        return index[rid]

    results = []
    artifacts: dict[str, int] = {}
    for d in report["documents"]:
        segs = segment_map(d)
        uri = artifact_uri((d.get("paths") or {}).get("mt"))
        if uri is not None and uri not in artifacts:
            artifacts[uri] = len(artifacts)
        for f in d["findings"]:
            info = rule_info(f["rule"], f)
            seg = segs.get(f["segment"])
            text = f["message"]
            if f["mt_text"]:
                text = f"«{f['mt_text']}»: {text}"
            if f.get("source_text"):
                text += f" (source: “{f['source_text']}”)"
            if f.get("suggestion"):
                text += f" Suggestion: {f['suggestion']}."
            result: dict = {
                "ruleId": f["rule"],
                "ruleIndex": rule_index(f["rule"], info),
                "level": LEVEL[f["severity"]],
                "message": {"text": text},
                "partialFingerprints": {"mtqaFinding/v1": _fingerprint(d["id"], f["rule"], seg["source"] if seg else "", f["mt_text"])},
                "properties": {"severity": f["severity"], "category": f["category"], "document": d["id"],
                               "segment": f["segment"], "mt_text": f["mt_text"], "source_text": f["source_text"],
                               "suggestion": f.get("suggestion")},
            }
            if uri is not None:
                phys: dict = {"artifactLocation": {"uri": uri, "index": artifacts[uri]}}
                region = finding_region(seg, f) if seg is not None else {}
                if region:
                    region["snippet"] = {"text": f["mt_text"]}
                    phys["region"] = region
                loc: dict = {"physicalLocation": phys}
                if seg is not None and seg.get("unit_id"):
                    loc["logicalLocations"] = [{"name": seg["unit_id"], "kind": "element",
                                                "fullyQualifiedName": f"{d['id']}/{seg['unit_id']}"}]
                result["locations"] = [loc]
            results.append(result)

    docs_by_id = {d["id"]: d for d in report["documents"]}
    for c in report["gate"]["criteria"]:
        if c["passed"]:
            continue
        rid = f"mtqa.gate/{c['name'].split(':')[0]}"
        info = {"id": rid, "category": "other/gate", "severity": "critical",
                "doc": f"Quality gate criterion {c['name'].split(':')[0]}: the delivery fails when it is not met."}
        result = {"ruleId": rid, "ruleIndex": rule_index(rid, info), "level": "error",
                  "message": {"text": f"Quality gate: {c['message']}"},
                  "partialFingerprints": {"mtqaGate/v1": _fingerprint(c["name"], c.get("document"))},
                  "properties": {"criterion": c["name"], "value": c.get("value"), "threshold": c.get("threshold"),
                                 "document": c.get("document")}}
        doc = docs_by_id.get(c.get("document") or "")
        uri = artifact_uri((doc.get("paths") or {}).get("mt")) if doc else None
        if uri is not None:
            result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": artifacts[uri]},
                                                         "region": {"startLine": 1}}}]
        results.append(result)

    run = {
        "tool": {"driver": {"name": "mtqa", "version": report["tool"]["version"], "informationUri": INFO_URI,
                            "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": {"uri": u}, "mimeType": "application/xml" if u.endswith((".xlf", ".xliff", ".tmx")) else "text/plain",
                       "encoding": "utf-8"} for u in artifacts],
        "results": results,
        "invocations": [{"executionSuccessful": True,
                         "properties": {"verdict": report["verdict"], "gatePassed": report["gate"]["passed"]}}],
        "properties": {"verdict": report["verdict"],
                       "scores": {k: {"score": v["score"], "signature": v.get("signature", "")} for k, v in report["scores"].items()},
                       "summary": report["summary"]},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: dict) -> str:
    return json.dumps(build(report), ensure_ascii=False, indent=2) + "\n"
