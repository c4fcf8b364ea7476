"""``existence`` — ``tokens``: flag each occurrence of a term in the French (leftmost-longest, so
``e-mails`` is one finding, not also ``mails``). ``message``'s ``%s`` is the matched text."""

from __future__ import annotations

from collections.abc import Iterable

from mtqa.checks.base import CheckContext
from mtqa.checks.user.rule import UserRule, compile_term, finding, segments
from mtqa.model import Finding
from mtqa.ruledata import Field, Record
from mtqa.text.matching import find_all

NEEDS = ("tokens",)
FIELDS = {"tokens": Field(list)}
CATEGORY = "style/company-style"


def build(rec: Record, rule: UserRule) -> None:
    if not rec["tokens"]:
        raise rec.error("field 'tokens' is empty")
    rule.data = [compile_term(t, rec, "tokens", rule) for t in rec["tokens"]]


def run(ctx: CheckContext, rule: UserRule) -> Iterable[Finding]:
    for seg in segments(ctx, rule):
        for _, start, end in find_all(rule.data, seg.mt, span_group=False):
            yield finding(seg, start, end, rule, rule.render(seg.mt[start:end]))
