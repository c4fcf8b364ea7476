"""User rule files: house-style rules in YAML, in the manner of Vale's rule types.

Listed in ``mtqa.toml``::

    [rules]
    files = ["house-rules.yaml"]

A rule file has a top-level ``rules:`` list; every rule has ``id`` (dotted, e.g. ``house.courriel``;
``--disable house`` disables all ``house.*`` rules), ``type`` and ``message``, and optionally
``category`` (MQM path), ``severity`` (minor/major/critical, default minor), ``doc``, ``ignorecase``
(default true), ``inflect`` (match French words through inflection and elision, default false) and
``when_source`` (source-side cue words: the rule applies only to segments whose source has one).
Terms are plain words or phrases; ``re:PATTERN`` is a regular expression. The types:

* ``existence`` — ``tokens``: flag each occurrence in the French.
* ``substitution`` — ``swap``: {term: replacement}: flag the term, suggest the replacement.
* ``consistency`` — ``either``: {form1: form2}: a document should use one of the two; the
  minority form is flagged.
* ``conditional`` — ``first`` and ``second``: regexes with one group; flag a ``first`` match whose
  group was not introduced by a ``second`` match in the document (an acronym never spelled out),
  except ``exceptions``.

``message`` may contain ``%s``: the matched text; for substitution the first ``%s`` is the
replacement and the second the matched text (``"Use '%s' rather than '%s'."``); for consistency
the second is the form to keep. Errors name the file and the rule's line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from mtqa.checks.base import Check, CheckContext, RuleInfo
from mtqa.checks.data import Field, Record, compile_regex, file_key, load_records
from mtqa.config import Settings
from mtqa.errors import ConfigError
from mtqa.model import SEVERITIES, Finding
from mtqa.text.lexical import cue_regex, french_regex

TYPES = ("existence", "substitution", "consistency", "conditional")
DEFAULT_CATEGORY = {
    "existence": "style/company-style",
    "substitution": "style/company-style",
    "consistency": "terminology/inconsistent",
    "conditional": "style/company-style",
}
SPEC = {
    "id": Field(str, required=True),
    "type": Field(str, required=True, choices=TYPES),
    "message": Field(str, required=True),
    "category": Field(str),
    "severity": Field(str, choices=SEVERITIES),
    "doc": Field(str),
    "ignorecase": Field(bool),
    "inflect": Field(bool),
    "when_source": Field(list),
    "tokens": Field(list),
    "swap": Field(dict),
    "either": Field(dict),
    "first": Field(str),
    "second": Field(str),
    "exceptions": Field(list),
}
NEEDS = {"existence": ("tokens",), "substitution": ("swap",), "consistency": ("either",),
         "conditional": ("first", "second")}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)+$")
_CATEGORY = re.compile(r"^[a-z-]+(?:/[a-z-]+)+$")


@dataclass
class UserRule:
    id: str
    type: str
    message: str
    category: str
    severity: str
    doc: str
    where: str
    cues: list[re.Pattern] = field(default_factory=list)
    patterns: list[tuple[str, re.Pattern, str | None]] = field(default_factory=list)  # (term, rx, replacement)
    pairs: list[tuple[tuple[str, re.Pattern], tuple[str, re.Pattern]]] = field(default_factory=list)
    first: re.Pattern | None = None
    second: re.Pattern | None = None
    exceptions: frozenset[str] = frozenset()

    def info(self) -> RuleInfo:
        return RuleInfo(self.id, self.category, self.severity, self.doc)

    def render(self, *args: str) -> str:
        msg = self.message
        for a in args:
            if "%s" not in msg:
                break
            msg = msg.replace("%s", a, 1)
        return msg


def _term(term: object, rec: Record, fld: str, flags: int, inflect: bool) -> tuple[str, re.Pattern]:
    if not isinstance(term, str) or not term.strip():
        raise rec.error(f"field '{fld}': terms must be non-empty strings, got {term!r}")
    if term.startswith("re:"):
        src = term[3:]
    elif inflect:
        src = french_regex(term)
    else:
        src = r"(?<![\w])" + r"\s+".join(re.escape(p) for p in term.split()) + r"(?![\w])"
    return term, compile_regex(src, rec, fld, flags)


def build_rule(rec: Record) -> UserRule:
    rid = rec["id"]
    if not _ID.match(rid):
        raise rec.error(f"id '{rid}' must be dotted lowercase, e.g. 'house.{rid.lower().replace(' ', '-')}'")
    typ = rec["type"]
    for need in NEEDS[typ]:
        if need not in rec:
            raise rec.error(f"a '{typ}' rule needs the field '{need}'")
    for other in set(SPEC) - {"id", "type", "message", "category", "severity", "doc", "ignorecase", "inflect", "when_source"}:
        if other in rec and other not in NEEDS[typ] and not (typ == "conditional" and other == "exceptions"):
            raise rec.error(f"field '{other}' does not apply to a '{typ}' rule")
    category = rec.get("category", DEFAULT_CATEGORY[typ])
    if not _CATEGORY.match(category):
        raise rec.error(f"category '{category}' must be an MQM path such as 'style/company-style'")
    flags = re.IGNORECASE if rec.get("ignorecase", True) else 0
    inflect = rec.get("inflect", False)
    rule = UserRule(rid, typ, rec["message"], category, rec.get("severity", "minor"),
                    rec.get("doc", rec["message"].replace("%s", "…")), rec.where())
    for cue in rec.get("when_source", []):
        if not isinstance(cue, str) or not cue.strip():
            raise rec.error("field 'when_source': cues must be non-empty strings")
        rule.cues.append(compile_regex(cue_regex(cue), rec, "when_source"))
    if typ == "existence":
        if not rec["tokens"]:
            raise rec.error("field 'tokens' is empty")
        rule.patterns = [(*_term(t, rec, "tokens", flags, inflect), None) for t in rec["tokens"]]
    elif typ == "substitution":
        if not rec["swap"]:
            raise rec.error("field 'swap' is empty")
        for k, v in rec["swap"].items():
            if k == "__line__":
                continue
            if not isinstance(v, str):
                raise rec.error(f"field 'swap': the replacement for {k!r} must be a string")
            rule.patterns.append((*_term(k, rec, "swap", flags, inflect), v))
    elif typ == "consistency":
        for k, v in rec["either"].items():
            if k == "__line__":
                continue
            rule.pairs.append((_term(k, rec, "either", flags, inflect), _term(v, rec, "either", flags, inflect)))
        if not rule.pairs:
            raise rec.error("field 'either' is empty")
    else:
        rule.first = compile_regex(rec["first"], rec, "first", 0)
        rule.second = compile_regex(rec["second"], rec, "second", 0)
        ex = rec.get("exceptions", [])
        if not all(isinstance(x, str) for x in ex):
            raise rec.error("field 'exceptions' must be a list of strings")
        rule.exceptions = frozenset(ex)
    return rule


_CACHE: dict[tuple[str, float, int], list[UserRule]] = {}


def load_rule_file(path: str) -> list[UserRule]:
    """Load and validate one rule file (cached by path and modification time)."""
    key = file_key(path)
    if key not in _CACHE:
        records = load_records(path, SPEC, key="rules")
        rules = [build_rule(rec) for rec in records]
        seen: dict[str, str] = {}
        for r, rec in zip(rules, records):
            if r.id in seen:
                raise rec.error(f"rule id '{r.id}' is already defined at {seen[r.id]}")
            seen[r.id] = r.where
        _CACHE[key] = rules
    return _CACHE[key]


def load_rules(paths: list[str]) -> list[UserRule]:
    out: list[UserRule] = []
    seen: dict[str, str] = {}
    for path in paths:
        for r in load_rule_file(path):
            if r.id in seen:
                raise ConfigError(f"{r.where}: rule id '{r.id}' is already defined at {seen[r.id]}")
            seen[r.id] = r.where
            out.append(r)
    return out


def check_families(paths: list[str], builtin: frozenset[str]) -> None:
    """Refuse a user rule whose id is in a built-in check's family (``typography.x``): ``--disable``
    and severity overrides would reach it by accident. The engine passes the built-in families."""
    for r in load_rules(paths):
        family = r.id.split(".")[0]
        if family in builtin:
            raise ConfigError(f"{r.where}: id '{r.id}' uses the built-in family '{family}'; pick another prefix")


class UserRules(Check):
    id = "rules"
    category = "style/company-style"
    severity = "minor"
    doc = (
        "User rule files ([rules] files in mtqa.toml): Vale-style existence, substitution, consistency "
        "and conditional rules over the French, each with its own id, MQM category and severity."
    )
    subrules: ClassVar[tuple[RuleInfo, ...]] = ()

    @classmethod
    def rule_infos(cls, settings: Settings | None = None) -> list[RuleInfo]:
        if settings is None or not settings.rule_files:
            return []
        return [r.info() for r in load_rules(list(settings.rule_files))]

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        if not ctx.settings.rule_files:
            return
        for rule in load_rules(list(ctx.settings.rule_files)):
            yield from getattr(self, "_" + rule.type)(ctx, rule)

    def _segments(self, ctx: CheckContext, rule: UserRule):
        for seg in ctx.segments:
            if not seg.mt.strip():
                continue
            if rule.cues and not any(c.search(seg.source) for c in rule.cues):
                continue
            yield seg

    def _f(self, seg, start, end, rule: UserRule, message: str, suggestion: str | None = None) -> Finding:
        return Finding(rule=rule.id, category=rule.category, severity=rule.severity, segment=seg.index,
                       mt_text=seg.mt[start:end], mt_start=start, mt_end=end, source_text="",
                       message=message, suggestion=suggestion)

    @staticmethod
    def _hits(rule: UserRule, text: str) -> list[tuple[int, int, str | None]]:
        """Matches of every term, leftmost-longest, without overlaps (e-mails, not also mails)."""
        hits = [(m.start(), m.end(), repl) for _, rx, repl in rule.patterns for m in rx.finditer(text) if m.end() > m.start()]
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out: list[tuple[int, int, str | None]] = []
        for h in hits:
            if not out or h[0] >= out[-1][1]:
                out.append(h)
        return out

    def _existence(self, ctx: CheckContext, rule: UserRule) -> Iterable[Finding]:
        for seg in self._segments(ctx, rule):
            for start, end, _ in self._hits(rule, seg.mt):
                yield self._f(seg, start, end, rule, rule.render(seg.mt[start:end]))

    def _substitution(self, ctx: CheckContext, rule: UserRule) -> Iterable[Finding]:
        for seg in self._segments(ctx, rule):
            for start, end, repl in self._hits(rule, seg.mt):
                yield self._f(seg, start, end, rule, rule.render(repl or "", seg.mt[start:end]), suggestion=repl)

    def _consistency(self, ctx: CheckContext, rule: UserRule) -> Iterable[Finding]:
        segs = list(self._segments(ctx, rule))
        for (ta, ra), (tb, rb) in rule.pairs:
            hits_a = [(s, m) for s in segs for m in ra.finditer(s.mt) if m.end() > m.start()]
            hits_b = [(s, m) for s in segs for m in rb.finditer(s.mt) if m.end() > m.start()]
            if not hits_a or not hits_b:
                continue
            minority, keep = (hits_b, ta) if len(hits_a) >= len(hits_b) else (hits_a, tb)
            for seg, m in minority:
                yield self._f(seg, m.start(), m.end(), rule, rule.render(m.group(), keep), suggestion=keep)

    def _conditional(self, ctx: CheckContext, rule: UserRule) -> Iterable[Finding]:
        segs = list(self._segments(ctx, rule))
        defined: Counter[str] = Counter()
        events = []
        for seg in segs:
            for m in rule.second.finditer(seg.mt):
                events.append((seg.index, m.start(), "def", m.group(1) if m.groups() else m.group(), seg, m))
            for m in rule.first.finditer(seg.mt):
                events.append((seg.index, m.start(), "use", m.group(1) if m.groups() else m.group(), seg, m))
        events.sort(key=lambda e: (e[0], e[1], e[2] != "def"))
        for _, _, kind, key, seg, m in events:
            if kind == "def":
                defined[key] += 1
            elif key not in defined and key not in rule.exceptions:
                span = m.span(1) if m.groups() else m.span()
                yield self._f(seg, span[0], span[1], rule, rule.render(key))
