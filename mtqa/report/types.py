"""The JSON report as types: what ``mtqa check`` writes (``mtqa/data/report.schema.json``) and every
renderer reads. These describe the dicts; nothing here is checked at run time (the schema is).

Keys the schema does not require are in the ``total=False`` half of each pair. Scores may carry
more keys than ``score`` and ``signature`` (a scorer's extras), which a TypedDict cannot list.
"""

from __future__ import annotations

from typing import Any, TypedDict


class _ToolBase(TypedDict):
    name: str
    version: str


class ToolDict(_ToolBase, total=False):
    grammar: str  # the grammar checker: Grammalecte's version, "unavailable" or "off"


# {"minor": n, "major": n, "critical": n}: a dict, so renderers can index it by a severity variable
SeverityCounts = dict[str, int]


class ScoreDict(TypedDict):
    score: float
    signature: str


class _MqmRequired(TypedDict):
    counts: SeverityCounts
    penalty_per_1000_words: float
    score: float


class MqmDict(_MqmRequired, total=False):
    source_words: int
    penalty: float
    weights: dict[str, float]


class WaiverMarkDict(TypedDict):
    reason: str
    by: str
    date: str
    expires: str | None
    line: int


class _FindingRequired(TypedDict):
    rule: str
    category: str
    severity: str
    segment: int
    mt_text: str
    mt_start: int
    mt_end: int
    source_text: str
    source_start: int | None
    source_end: int | None
    message: str
    suggestion: str | None


class FindingDict(_FindingRequired, total=False):
    waived: bool  # present (true) on a finding a waiver accepted; it counts in neither MQM nor the gate
    waiver: WaiverMarkDict


class _SegmentRequired(TypedDict):
    index: int
    source: str
    mt: str
    ref: str | None
    alignment: str
    scores: dict[str, float]


class SegmentReport(_SegmentRequired, total=False):
    confidence: float
    mt_offset: int | None
    mt_line: int | None
    mt_column: int | None  # plain-text inputs only; set by the pipeline
    unit_id: str | None


class PathsDict(TypedDict):
    source: str | None
    mt: str | None
    ref: str | None


class _DocumentRequired(TypedDict):
    id: str
    verdict: str
    scores: dict[str, ScoreDict]
    segments: list[SegmentReport]
    findings: list[FindingDict]


class DocumentReport(_DocumentRequired, total=False):
    paths: PathsDict
    mqm: MqmDict


class _CriterionRequired(TypedDict):
    name: str
    passed: bool
    message: str


class GateCriterion(_CriterionRequired, total=False):
    document: str | None
    threshold: Any
    value: Any


class _GateRequired(TypedDict):
    passed: bool
    criteria: list[GateCriterion]


class GateDict(_GateRequired, total=False):
    baseline: dict[str, Any]


class _SummaryRequired(TypedDict):
    documents: int
    segments: int
    findings: SeverityCounts  # the findings that count (waived ones aside)


class SummaryDict(_SummaryRequired, total=False):
    waived: int  # with --waivers: findings waived


class RuleInfoDict(TypedDict):
    """One row of the rule catalogue: a rule that could fire under the run's settings."""

    id: str
    check: str
    category: str
    severity: str  # after the rules.severity overrides
    default_severity: str
    enabled: bool
    doc: str


class _ReportRequired(TypedDict):
    tool: ToolDict
    verdict: str
    scores: dict[str, ScoreDict]
    gate: GateDict
    summary: SummaryDict
    documents: list[DocumentReport]


class Report(_ReportRequired, total=False):
    inputs: dict[str, Any]
    settings: dict[str, Any]
    mqm: MqmDict
    rules: list[RuleInfoDict]  # absent from reports written before the catalogue existed
    run: dict[str, Any]
    waivers: dict[str, Any]  # with --waivers: the file, and its applied, stale and expired waivers


# `mtqa align`: the sentence alignment, as `mtqa align --format json` prints it.
class _LinkRequired(TypedDict):
    kind: str
    confidence: float
    src_ids: list[int]
    mt_ids: list[int]
    source: str
    mt: str


class LinkDict(_LinkRequired, total=False):
    ref_ids: list[int]  # present, with ``ref``, when the document has a reference
    ref: str | None


class AlignedDocDict(TypedDict):
    id: str
    links: list[LinkDict]


class AlignmentDict(TypedDict):
    embedder: str
    documents: list[AlignedDocDict]


# `mtqa rules`: every check and the rules it emits, as `mtqa rules --format json` prints it.
class CheckInfoDict(TypedDict):
    id: str
    category: str
    severity: str
    doc: str


class ListedRuleDict(RuleInfoDict):
    check_doc: str


class RuleListing(TypedDict):
    checks: list[CheckInfoDict]
    rules: list[ListedRuleDict]
