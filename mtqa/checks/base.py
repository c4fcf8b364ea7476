"""What every check is: a small class with an id, an MQM category, a default severity, a doc,
and ``run`` over an aligned document. Checks never re-embed or re-parse: the context carries
what the pipeline already computed."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from mtqa.config import Settings
from mtqa.embed.base import Embedder
from mtqa.model import AlignedDocument, Finding, Score, Segment


@dataclass
class CheckContext:
    adoc: AlignedDocument
    settings: Settings
    embedder: Embedder
    doc_scores: dict[str, Score] = field(default_factory=dict)
    resources: dict[Hashable, Any] = field(default_factory=dict)  # shared, loaded-once data (glossaries, lexicons)

    @property
    def segments(self) -> list[Segment]:
        return self.adoc.segments


@dataclass(frozen=True)
class RuleInfo:
    """One rule id a check emits: its MQM category, default severity and one-line doc."""

    id: str
    category: str
    severity: str
    doc: str


class Check(ABC):
    id: ClassVar[str]
    category: ClassVar[str]  # MQM path, e.g. "accuracy/untranslated"
    severity: ClassVar[str]  # default: minor | major | critical
    doc: ClassVar[str]  # one paragraph for `mtqa rules`
    # Sub-rule ids the check emits (``typography.nbsp``, …), each ``<check id>.<name>``; empty when the
    # check only emits its own id. ``--disable typography`` disables the whole family (prefix match).
    subrules: ClassVar[tuple[RuleInfo, ...]] = ()

    @classmethod
    def rule_infos(cls, settings: Settings | None = None) -> list[RuleInfo]:
        """Every rule id this check can emit (for `mtqa rules`)."""
        return list(cls.subrules) or [RuleInfo(cls.id, cls.category, cls.severity, cls.doc)]

    @classmethod
    def subrule(cls, rule_id: str) -> RuleInfo:
        for r in cls.subrules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @abstractmethod
    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        """Yield the findings of this check for one document."""

    def finding(
        self,
        seg: Segment,
        mt_start: int,
        mt_end: int,
        message: str,
        source_text: str = "",
        suggestion: str | None = None,
        severity: str | None = None,
        category: str | None = None,
        rule: str | None = None,
        source_start: int | None = None,
        source_end: int | None = None,
    ) -> Finding:
        """A finding on ``seg.mt[mt_start:mt_end]``; the engine applies severity overrides later.

        With ``rule`` naming one of ``subrules``, its category and severity are the defaults."""
        if rule is not None and rule != self.id:
            info = self.subrule(rule)
            category = category or info.category
            severity = severity or info.severity
        return Finding(
            rule=rule or self.id,
            category=category or self.category,
            severity=severity or self.severity,
            segment=seg.index,
            mt_text=seg.mt[mt_start:mt_end],
            mt_start=mt_start,
            mt_end=mt_end,
            source_text=source_text,
            message=message,
            suggestion=suggestion,
            source_start=source_start,
            source_end=source_end,
        )
