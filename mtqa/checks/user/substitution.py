"""``substitution`` — ``swap``: {term: replacement}: flag the term, suggest the replacement. In
``message`` the first ``%s`` is the replacement and the second the matched text
(``"Use '%s' rather than '%s'."``)."""

from __future__ import annotations

from collections.abc import Iterable

from mtqa.checks.base import CheckContext
from mtqa.checks.user.rule import UserRule, compile_term, finding, mapping_items, segments
from mtqa.model import Finding
from mtqa.ruledata import Field, Record
from mtqa.text.matching import find_all

NEEDS = ("swap",)
FIELDS = {"swap": Field(dict)}
CATEGORY = "style/company-style"


def build(rec: Record, rule: UserRule) -> None:
    if not rec["swap"]:
        raise rec.error("field 'swap' is empty")
    rule.data = []  # (replacement, regex of the term): the replacement labels each hit
    for k, v in mapping_items(rec["swap"]):
        if not isinstance(v, str):
            raise rec.error(f"field 'swap': the replacement for {k!r} must be a string")
        rule.data.append((v, compile_term(k, rec, "swap", rule)[1]))


def run(ctx: CheckContext, rule: UserRule) -> Iterable[Finding]:
    for seg in segments(ctx, rule):
        for repl, start, end in find_all(rule.data, seg.mt, span_group=False):
            yield finding(seg, start, end, rule, rule.render(repl or "", seg.mt[start:end]), suggestion=repl)
