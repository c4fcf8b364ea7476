"""``consistency`` — ``either``: {form1: form2}: a document should use one of the two; the
minority form is flagged (the second form on a tie). In ``message`` the first ``%s`` is the
matched text and the second the form to keep."""

from __future__ import annotations

from collections.abc import Iterable

from mtqa.checks.base import CheckContext
from mtqa.checks.user.rule import UserRule, compile_term, finding, mapping_items, segments
from mtqa.model import Finding
from mtqa.ruledata import Field, Record

NEEDS = ("either",)
FIELDS = {"either": Field(dict)}
CATEGORY = "terminology/inconsistent"


def build(rec: Record, rule: UserRule) -> None:
    rule.data = [(compile_term(k, rec, "either", rule), compile_term(v, rec, "either", rule))
                 for k, v in mapping_items(rec["either"])]
    if not rule.data:
        raise rec.error("field 'either' is empty")


def run(ctx: CheckContext, rule: UserRule) -> Iterable[Finding]:
    segs = list(segments(ctx, rule))
    for (ta, ra), (tb, rb) in rule.data:
        hits_a = [(s, m) for s in segs for m in ra.finditer(s.mt) if m.end() > m.start()]
        hits_b = [(s, m) for s in segs for m in rb.finditer(s.mt) if m.end() > m.start()]
        if not hits_a or not hits_b:
            continue
        minority, keep = (hits_b, ta) if len(hits_a) >= len(hits_b) else (hits_a, tb)
        for seg, m in minority:
            yield finding(seg, m.start(), m.end(), rule, rule.render(m.group(), keep), suggestion=keep)
