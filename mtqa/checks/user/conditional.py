"""``conditional`` — ``first`` and ``second``: regexes with one group; flag a ``first`` match
whose group was not introduced by a ``second`` match earlier in the document (an acronym never
spelled out), except ``exceptions``. ``message``'s ``%s`` is the group. Both regexes are
case-sensitive."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from mtqa.checks.base import CheckContext
from mtqa.checks.user.rule import UserRule, finding, segments
from mtqa.model import Finding, Segment
from mtqa.ruledata import Field, Record
from mtqa.text.regex import BudgetRegex, compile_regex

NEEDS = ("first", "second")
FIELDS = {"first": Field(str), "second": Field(str), "exceptions": Field(list)}
CATEGORY = "style/company-style"


@dataclass(frozen=True)
class Condition:
    first: BudgetRegex  # a use: ``(\b[A-Z]{2,5}\b)``
    second: BudgetRegex  # a definition: ``[A-Z][a-z]+ (?:[A-Za-z]+ )*\(([A-Z]{2,5})\)``
    exceptions: frozenset[str]


def build(rec: Record, rule: UserRule) -> None:
    first = compile_regex(rec["first"], rec, "first", 0)
    second = compile_regex(rec["second"], rec, "second", 0)
    ex = rec.get("exceptions", [])
    if not all(isinstance(x, str) for x in ex):
        raise rec.error("field 'exceptions' must be a list of strings")
    rule.data = Condition(first, second, frozenset(ex))


def _key(m: re.Match) -> str:
    return m.group(1) if m.groups() else m.group()


def _events(segs: list[Segment], cond: Condition) -> list[tuple[int, int, str, str, Segment, re.Match]]:
    """Definitions and uses in document order; a definition first at one position."""
    events = []
    for seg in segs:
        for m in cond.second.finditer(seg.mt):
            events.append((seg.index, m.start(), "def", _key(m), seg, m))
        for m in cond.first.finditer(seg.mt):
            events.append((seg.index, m.start(), "use", _key(m), seg, m))
    events.sort(key=lambda e: (e[0], e[1], e[2] != "def"))
    return events


def run(ctx: CheckContext, rule: UserRule) -> Iterable[Finding]:
    cond: Condition = rule.data
    defined: Counter[str] = Counter()
    for _, _, kind, key, seg, m in _events(list(segments(ctx, rule)), cond):
        if kind == "def":
            defined[key] += 1
        elif key not in defined and key not in cond.exceptions:
            span = m.span(1) if m.groups() else m.span()
            yield finding(seg, span[0], span[1], rule, rule.render(key))
