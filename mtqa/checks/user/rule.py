"""What every user rule type shares: the built rule (``UserRule``), its terms, the segments it
applies to and its findings. The types (``existence.py`` …) import this module, never the
package, which lists them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mtqa.checks.base import CheckContext, RuleInfo
from mtqa.model import Finding, Segment
from mtqa.ruledata import LINE_KEY, Record
from mtqa.text.morphology import french_regex
from mtqa.text.regex import BudgetRegex, compile_regex


@dataclass
class UserRule:
    """One rule of a user's file: the fields every type has, and ``data``, what its type's
    ``build`` made of the type's own fields (terms, pairs, patterns)."""

    id: str
    type: str
    message: str
    category: str
    severity: str
    doc: str
    where: str
    flags: int = re.IGNORECASE  # ``ignorecase`` (default true)
    inflect: bool = False  # match French words through inflection and elision
    cues: list[BudgetRegex] = field(default_factory=list)  # ``when_source``
    data: Any = None

    def info(self) -> RuleInfo:
        return RuleInfo(self.id, self.category, self.severity, self.doc)

    def render(self, *args: str) -> str:
        """``message`` with each ``%s`` replaced by the next argument."""
        msg = self.message
        for a in args:
            if "%s" not in msg:
                break
            msg = msg.replace("%s", a, 1)
        return msg


Term = tuple[str, BudgetRegex]


def compile_term(term: object, rec: Record, fld: str, rule: UserRule) -> Term:
    """(term, regex): ``re:PATTERN`` as is, else the words (through inflection with ``inflect``),
    compiled now so that a bad one names its file and line."""
    if not isinstance(term, str) or not term.strip():
        raise rec.error(f"field '{fld}': terms must be non-empty strings, got {term!r}")
    if term.startswith("re:"):
        src = term[3:]
    elif rule.inflect:
        src = french_regex(term)
    else:
        src = r"(?<![\w])" + r"\s+".join(re.escape(p) for p in term.split()) + r"(?![\w])"
    return term, compile_regex(src, rec, fld, rule.flags)


def mapping_items(value: dict) -> list[tuple[Any, Any]]:
    """The entries of a YAML mapping, without the loader's line bookkeeping."""
    return [(k, v) for k, v in value.items() if k != LINE_KEY]


def segments(ctx: CheckContext, rule: UserRule) -> Iterable[Segment]:
    """The segments a rule applies to: French not blank and, with ``when_source``, a source cue."""
    for seg in ctx.segments:
        if not seg.mt.strip():
            continue
        if rule.cues and not any(c.search(seg.source) for c in rule.cues):
            continue
        yield seg


def finding(seg: Segment, start: int, end: int, rule: UserRule, message: str, suggestion: str | None = None) -> Finding:
    return Finding(rule=rule.id, category=rule.category, severity=rule.severity, segment=seg.index,
                   mt_text=seg.mt[start:end], mt_start=start, mt_end=end, source_text="",
                   message=message, suggestion=suggestion)
