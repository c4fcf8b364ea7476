"""Stage 5 — check: run the checks of ``registry.CHECKS`` over an aligned document, apply
``--disable`` and ``[rules.severity]``, and keep one finding per French span."""

from __future__ import annotations

from mtqa.checks.base import CheckContext
from mtqa.checks.registry import BUILTIN_FAMILIES, REGISTRY
from mtqa.checks.user import check_families
from mtqa.config import Settings
from mtqa.embed.base import Embedder
from mtqa.model import SEVERITY_RANK, AlignedDocument, Finding, Score


def rule_matches(rule_id: str, patterns: list[str] | tuple[str, ...]) -> str | None:
    """The most specific pattern naming ``rule_id`` or one of its families, else None.

    ``typography`` matches ``typography`` and ``typography.nbsp`` (prefix up to a dot), never
    ``typographyx``."""
    best = None
    for p in patterns:
        p = p.strip()
        if p and (rule_id == p or rule_id.startswith(p + ".")) and (best is None or len(p) > len(best)):
            best = p
    return best


def is_disabled(rule_id: str, settings: Settings) -> bool:
    return rule_matches(rule_id, settings.disable) is not None


def severity_for(rule_id: str, default: str, settings: Settings) -> str:
    """Severity override from ``[rules.severity]``: the most specific id or family wins."""
    key = rule_matches(rule_id, list(settings.severity))
    return settings.severity[key] if key is not None else default


def list_rules(settings: Settings) -> list[dict]:
    """Every check and the rule ids it emits, with category, (effective) severity and doc."""
    if settings.rule_files:
        check_families(list(settings.rule_files), BUILTIN_FAMILIES)
    out = []
    for check_id, cls in REGISTRY.items():
        for info in cls.rule_infos(settings):
            out.append({
                "id": info.id,
                "check": check_id,
                "category": info.category,
                "severity": severity_for(info.id, info.severity, settings),
                "default_severity": info.severity,
                "enabled": not is_disabled(info.id, settings),
                "doc": " ".join(info.doc.split()),
                "check_doc": " ".join(cls.doc.split()),
            })
    return out


def run_checks(
    adoc: AlignedDocument,
    settings: Settings,
    embedder: Embedder,
    doc_scores: dict[str, Score] | None = None,
    resources: dict | None = None,
) -> list[Finding]:
    if settings.rule_files:
        check_families(list(settings.rule_files), BUILTIN_FAMILIES)
    ctx = CheckContext(adoc=adoc, settings=settings, embedder=embedder, doc_scores=doc_scores or {},
                       resources=resources if resources is not None else {})
    findings: list[Finding] = []
    for check_id, cls in REGISTRY.items():
        infos = cls.rule_infos(settings)
        if is_disabled(check_id, settings) or (infos and all(is_disabled(i.id, settings) for i in infos)):
            continue
        for f in cls(settings).run(ctx):
            if is_disabled(f.rule, settings):
                continue
            f.severity = severity_for(f.rule, f.severity, settings)
            findings.append(f)
    findings = merge_same_span(findings)
    findings.sort(key=lambda f: (f.segment, f.mt_start, f.rule))
    return findings


def merge_same_span(findings: list[Finding]) -> list[Finding]:
    """One finding per French span, as MQM annotates one error per span: when several rules flag
    exactly the same non-empty span, the most severe finding is kept (the first check on a tie) and
    its message names the other rules, so the penalty is not counted twice."""
    best: dict[tuple[int, int, int], Finding] = {}
    others: dict[tuple[int, int, int], list[str]] = {}
    out: list[Finding] = []
    for f in findings:
        if f.mt_end <= f.mt_start:
            out.append(f)
            continue
        key = (f.segment, f.mt_start, f.mt_end)
        kept = best.get(key)
        if kept is None:
            best[key] = f
            others[key] = []
            out.append(f)
        elif SEVERITY_RANK[f.severity] > SEVERITY_RANK[kept.severity]:
            out[out.index(kept)] = f
            best[key] = f
            others[key].append(kept.rule)
        else:
            others[key].append(f.rule)
    for key, also in others.items():
        if also:
            f = best[key]
            f.message = f"{f.message} (also: {', '.join(dict.fromkeys(r for r in also if r != f.rule))})".replace(" (also: )", "")
    return out
