"""Build the JSON report, the contract every renderer reads (schema: ``mtqa/data/report.schema.json``)."""

from __future__ import annotations

from typing import Any

from mtqa import __version__
from mtqa.model import SEVERITIES, AlignedDocument, Finding, Score


def segment_dict(seg) -> dict[str, Any]:
    return {
        "index": seg.index,
        "source": seg.source,
        "mt": seg.mt,
        "ref": seg.ref,
        "alignment": seg.alignment,
        "confidence": round(float(seg.confidence), 4),
        "mt_offset": seg.mt_offset,
        "mt_line": seg.mt_line,
        "unit_id": seg.unit_id,
        "scores": {k: round(float(v), 4) for k, v in seg.scores.items()},
    }


def severity_counts(findings: list[dict] | list[Finding]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f["severity"] if isinstance(f, dict) else f.severity] += 1
    return counts


def document_dict(
    adoc: AlignedDocument,
    scores: dict[str, Score],
    findings: list[Finding],
    mqm: dict,
    verdict: str,
) -> dict[str, Any]:
    doc = adoc.doc
    return {
        "id": doc.id,
        "verdict": verdict,
        "paths": {
            "source": doc.source.path,
            "mt": doc.mt.path,
            "ref": doc.ref.path if doc.ref is not None else None,
        },
        "scores": {k: v.to_dict() for k, v in scores.items()},
        "mqm": mqm,
        "segments": [segment_dict(s) for s in adoc.segments],
        "findings": [f.to_dict() for f in findings],
    }


def build_report(
    documents: list[dict],
    corpus_scores: dict[str, Score],
    corpus_mqm: dict,
    gate: dict,
    settings: dict,
    inputs: dict,
) -> dict[str, Any]:
    all_findings = [f for d in documents for f in d["findings"]]
    return {
        "tool": {"name": "mtqa", "version": __version__},
        "verdict": "pass" if gate["passed"] else "fail",
        "inputs": inputs,
        "settings": settings,
        "scores": {k: v.to_dict() for k, v in corpus_scores.items()},
        "mqm": corpus_mqm,
        "gate": gate,
        "summary": {
            "documents": len(documents),
            "segments": sum(len(d["segments"]) for d in documents),
            "findings": severity_counts(all_findings),
        },
        "documents": documents,
    }
