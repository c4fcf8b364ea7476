"""Build the JSON report, the contract every renderer reads (schema: ``mtqa/data/report.schema.json``),
and the plain dict of a sentence alignment that ``mtqa align`` prints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from mtqa import __version__
from mtqa.model import SEVERITIES, AlignedDocument, Finding, Score, Segment
from mtqa.report.types import (
    AlignedDocDict,
    AlignmentDict,
    DocumentReport,
    GateDict,
    LinkDict,
    MqmDict,
    Report,
    RuleInfoDict,
    ScoreDict,
    SegmentReport,
    SeverityCounts,
)

# The fields of a rule in the report's catalogue, in their order (``list_rules`` rows carry more).
RULE_FIELDS = ("id", "check", "category", "severity", "default_severity", "enabled", "doc")


def segment_dict(seg: Segment) -> SegmentReport:
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


def severity_counts(findings: Iterable[Mapping[str, Any]] | Iterable[Finding]) -> SeverityCounts:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity if isinstance(f, Finding) else f["severity"]] += 1
    return counts


def score_dicts(scores: Mapping[str, Score]) -> dict[str, ScoreDict]:
    return {k: cast(ScoreDict, v.to_dict()) for k, v in scores.items()}


def document_dict(
    adoc: AlignedDocument,
    scores: Mapping[str, Score],
    findings: list[Finding],
    mqm: Mapping[str, Any],
    verdict: str,
) -> dict[str, Any]:
    """One document of the report (a ``DocumentReport``; typed as a plain dict because the gate
    still marks its verdict before the report is built)."""
    doc = adoc.doc
    return {
        "id": doc.id,
        "verdict": verdict,
        "paths": {
            "source": doc.source.path,
            "mt": doc.mt.path,
            "ref": doc.ref.path if doc.ref is not None else None,
        },
        "scores": score_dicts(scores),
        "mqm": mqm,
        "segments": [segment_dict(s) for s in adoc.segments],
        "findings": [f.to_dict() for f in findings],
    }


def rule_catalogue(rules: Iterable[Mapping[str, Any]]) -> list[RuleInfoDict]:
    """The report's ``rules``: each row of ``mtqa.checks.engine.list_rules`` cut to ``RULE_FIELDS``."""
    return [cast(RuleInfoDict, {k: r[k] for k in RULE_FIELDS}) for r in rules]


def build_report(
    documents: Sequence[Mapping[str, Any]],
    corpus_scores: Mapping[str, Score],
    corpus_mqm: Mapping[str, Any],
    gate: Mapping[str, Any],
    settings: dict[str, Any],
    inputs: dict[str, Any],
    *,
    rules: Iterable[Mapping[str, Any]],
) -> Report:
    """The report; ``rules`` is every rule that could fire under ``settings`` (``list_rules``)."""
    all_findings = [f for d in documents for f in d["findings"] if not f.get("waived")]
    return {
        "tool": {"name": "mtqa", "version": __version__},
        "verdict": "pass" if gate["passed"] else "fail",
        "inputs": inputs,
        "settings": settings,
        "scores": score_dicts(corpus_scores),
        "mqm": cast(MqmDict, corpus_mqm),
        "gate": cast(GateDict, gate),
        "summary": {
            "documents": len(documents),
            "segments": sum(len(d["segments"]) for d in documents),
            "findings": severity_counts(all_findings),
        },
        "documents": cast(list[DocumentReport], list(documents)),
        "rules": rule_catalogue(rules),
    }


def link_dict(seg: Segment, has_ref: bool) -> LinkDict:
    link: LinkDict = {
        "kind": seg.alignment,
        "confidence": seg.confidence,
        "src_ids": list(seg.src_ids),
        "mt_ids": list(seg.mt_ids),
        "source": seg.source,
        "mt": seg.mt,
    }
    if has_ref:
        link["ref_ids"] = list(seg.ref_ids)
        link["ref"] = seg.ref
    return link


def alignment_dict(adocs: Iterable[AlignedDocument], embedder: str) -> AlignmentDict:
    """What ``mtqa align`` prints: each document's links (kind, confidence, sentence indexes, texts);
    a document with a reference also gives each link's reference sentences."""
    docs: list[AlignedDocDict] = [
        {"id": adoc.id, "links": [link_dict(seg, adoc.doc.ref is not None) for seg in adoc.segments]}
        for adoc in adocs
    ]
    return {"embedder": embedder, "documents": docs}
