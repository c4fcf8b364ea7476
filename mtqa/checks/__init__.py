"""Stage 5 — check. Every check is registered here, in one place."""

from __future__ import annotations

from mtqa.checks.base import Check, CheckContext
from mtqa.config import Settings
from mtqa.embed import Embedder
from mtqa.model import SEVERITIES, AlignedDocument, Finding, Score

REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    if cls.id in REGISTRY:
        raise ValueError(f"duplicate check id {cls.id}")
    if cls.severity not in SEVERITIES:
        raise ValueError(f"{cls.id}: bad default severity {cls.severity}")
    REGISTRY[cls.id] = cls
    return cls


# The checks, one module each. Importing a module registers its classes.
# (modules are added below as they are written)


def run_checks(
    adoc: AlignedDocument,
    settings: Settings,
    embedder: Embedder,
    doc_scores: dict[str, Score] | None = None,
    resources: dict | None = None,
) -> list[Finding]:
    ctx = CheckContext(adoc=adoc, settings=settings, embedder=embedder, doc_scores=doc_scores or {},
                       resources=resources if resources is not None else {})
    findings: list[Finding] = []
    for check_id, cls in REGISTRY.items():
        if check_id in settings.disable:
            continue
        for f in cls(settings).run(ctx):
            if f.rule in settings.disable:
                continue
            if f.rule in settings.severity:
                f.severity = settings.severity[f.rule]
            findings.append(f)
    findings.sort(key=lambda f: (f.segment, f.mt_start, f.rule))
    return findings
