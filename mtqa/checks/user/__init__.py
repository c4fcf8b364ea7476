"""User rule files: house-style rules in YAML, in the manner of Vale's rule types.

Listed in ``mtqa.toml``::

    [rules]
    files = ["house-rules.yaml"]

A rule file has a top-level ``rules:`` list; every rule has ``id`` (dotted, e.g. ``house.courriel``;
``--disable house`` disables all ``house.*`` rules), ``type`` and ``message``, and optionally
``category`` (MQM path), ``severity`` (minor/major/critical, default minor), ``doc``, ``ignorecase``
(default true), ``inflect`` (match French words through inflection and elision, default false) and
``when_source`` (source-side cue words: the rule applies only to segments whose source has one).
Terms are plain words or phrases; ``re:PATTERN`` is a regular expression. ``message`` may contain
``%s``: the matched text. Errors name the file and the rule's line.

The types are listed in ``TYPES``, one module each (``existence``, ``substitution``,
``consistency``, ``conditional``), whose docstring says what its fields mean. A type module has
``NEEDS`` (its required fields), ``FIELDS`` (the specs of all its own fields), ``CATEGORY`` (the
default MQM category), ``build(rec, rule)`` (fills ``rule.data`` from the record, raising
``rec.error`` on bad values) and ``run(ctx, rule)`` (yields findings). A new type is one module and
one row of ``TYPES``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar, Protocol

from mtqa.checks.base import Check, CheckContext, RuleInfo
from mtqa.checks.user import conditional, consistency, existence, substitution
from mtqa.checks.user.rule import UserRule
from mtqa.config import Settings
from mtqa.errors import ConfigError
from mtqa.model import SEVERITIES, Finding
from mtqa.ruledata import Field, Record, file_key, load_records
from mtqa.text.morphology import cue_regex
from mtqa.text.regex import compile_regex

__all__ = ["TYPES", "UserRule", "UserRules", "build_rule", "check_families", "load_rule_file", "load_rules"]


class RuleType(Protocol):
    """What a module of ``TYPES`` provides (see the module docstring)."""

    @property
    def NEEDS(self) -> tuple[str, ...]: ...

    @property
    def FIELDS(self) -> dict[str, Field]: ...

    @property
    def CATEGORY(self) -> str: ...

    def build(self, rec: Record, rule: UserRule) -> None: ...

    def run(self, ctx: CheckContext, rule: UserRule) -> Iterable[Finding]: ...


TYPES: dict[str, RuleType] = {
    "existence": existence,
    "substitution": substitution,
    "consistency": consistency,
    "conditional": conditional,
}
COMMON = {
    "id": Field(str, required=True),
    "type": Field(str, required=True, choices=tuple(TYPES)),
    "message": Field(str, required=True),
    "category": Field(str),
    "severity": Field(str, choices=SEVERITIES),
    "doc": Field(str),
    "ignorecase": Field(bool),
    "inflect": Field(bool),
    "when_source": Field(list),
}
# Every field a rule may have; which of the types' own fields apply is checked per type.
SPEC = COMMON | {name: f for t in TYPES.values() for name, f in t.FIELDS.items()}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)+$")
_CATEGORY = re.compile(r"^[a-z-]+(?:/[a-z-]+)+$")


def _check_type_fields(rec: Record, typ: str) -> None:
    """The type's required fields are there, and no other type's field is."""
    own = TYPES[typ]
    for need in own.NEEDS:
        if need not in rec:
            raise rec.error(f"a '{typ}' rule needs the field '{need}'")
    for other in SPEC:
        if other in rec and other not in COMMON and other not in own.FIELDS:
            raise rec.error(f"field '{other}' does not apply to a '{typ}' rule")


def _new_rule(rec: Record) -> UserRule:
    """The rule with its common fields (id, category, severity, doc, matching options, source cues)."""
    rid, typ = rec["id"], rec["type"]
    category = rec.get("category", TYPES[typ].CATEGORY)
    if not _CATEGORY.match(category):
        raise rec.error(f"category '{category}' must be an MQM path such as 'style/company-style'")
    rule = UserRule(rid, typ, rec["message"], category, rec.get("severity", "minor"),
                    rec.get("doc", rec["message"].replace("%s", "…")), rec.where(),
                    flags=re.IGNORECASE if rec.get("ignorecase", True) else 0, inflect=rec.get("inflect", False))
    for cue in rec.get("when_source", []):
        if not isinstance(cue, str) or not cue.strip():
            raise rec.error("field 'when_source': cues must be non-empty strings")
        rule.cues.append(compile_regex(cue_regex(cue), rec, "when_source"))
    return rule


def build_rule(rec: Record) -> UserRule:
    rid = rec["id"]
    if not _ID.match(rid):
        raise rec.error(f"id '{rid}' must be dotted lowercase, e.g. 'house.{rid.lower().replace(' ', '-')}'")
    _check_type_fields(rec, rec["type"])
    rule = _new_rule(rec)
    TYPES[rule.type].build(rec, rule)
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
        "User rule files ([rules] files in mtqa.toml): Vale-style " + ", ".join(list(TYPES)[:-1])
        + f" and {list(TYPES)[-1]} rules over the French, each with its own id, MQM category and severity."
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
            yield from TYPES[rule.type].run(ctx, rule)
