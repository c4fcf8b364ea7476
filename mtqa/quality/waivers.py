"""Waivers: findings a reviewer accepted (false alarms), read from a YAML file and applied after the
checks and before MQM and the gate.

A waiver's fingerprint is the rule id, the normalised French span, the normalised source span and,
optionally, the document id: no character offsets, so it survives edits elsewhere and re-runs. A
waived finding stays in the report (``waived: true`` and its ``waiver``) but counts neither in MQM
nor in the gate. An expired waiver applies no more; one that matched nothing is stale; the
report's ``waivers`` block lists both.

The file (``mtqa waive`` writes it, so does the HTML report's "download waivers")::

    waivers:
      - rule: typography.apostrophe
        mt: "l'"
        source: ""
        doc: story-1            # optional: any document when absent
        reason: "house style"
        by: "alice"
        date: 2026-12-02
        expires: 2027-06-01     # optional
"""

from __future__ import annotations

import gc
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mtqa.errors import ConfigError
from mtqa.model import Finding
from mtqa.ruledata import LOADER, Field, Record, parse_yaml, read_user_file, validate_records

SPEC: dict[str, Field] = {
    "rule": Field(str, required=True),
    "mt": Field(str, required=True),
    "source": Field(str),
    "doc": Field(str),
    "reason": Field(str, required=True),
    "by": Field(str, required=True),
    "date": Field((str, date), required=True),
    "expires": Field((str, date)),
}
HEADER = "# mtqa waivers: accepted findings (rule + French span + source span [+ document]); see README\n"

Key = tuple[str, str, str, str | None]


class _Loader(LOADER):
    """Dates stay strings, checked by ``_iso`` with their line (PyYAML's own timestamp
    constructor raises a bare ValueError on 2026-13-45)."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def normalise(text: str | None) -> str:
    """A span as the fingerprint sees it: NFKC (no-break spaces become spaces), whitespace runs
    collapsed to one space, trimmed."""
    if not text:
        return ""
    return " ".join((text if text.isascii() else unicodedata.normalize("NFKC", text)).split())


def fingerprint(rule: str, mt: str | None, source: str | None, doc: str | None = None) -> Key:
    return (rule, normalise(mt), normalise(source), doc)


@dataclass
class Waiver:
    rule: str
    mt: str
    source: str
    doc: str | None
    reason: str
    by: str
    date: str
    expires: str | None
    line: int
    matched: int = 0

    @property
    def key(self) -> Key:
        return (self.rule, self.mt, self.source, self.doc)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "mt": self.mt, "source": self.source, "doc": self.doc, "reason": self.reason,
                "by": self.by, "date": self.date, "expires": self.expires, "line": self.line}


def _iso(rec: Record, name: str) -> str | None:
    value = rec.get(name)
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise rec.error(f"field '{name}' must be a date YYYY-MM-DD, got {value!r}") from None


def valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _known(rule: str, rules: frozenset[str]) -> bool:
    if rule in rules:
        return True
    parts = rule.split(".")
    return any(".".join(parts[:i]) in rules for i in range(1, len(parts)))


def _waiver(rec: Record, rules: frozenset[str] | None) -> Waiver:
    if rules is not None and not _known(rec["rule"], rules):
        raise rec.error(f"unknown rule id {rec['rule']!r} (see `mtqa rules`)")
    when, expires = _iso(rec, "date"), _iso(rec, "expires")
    return Waiver(rec["rule"], normalise(rec["mt"]), normalise(rec.get("source")), rec.get("doc"),
                  rec["reason"], rec["by"], when or "", expires, rec.line)


@dataclass
class WaiverSet:
    """The waivers of one file, indexed by fingerprint (with and without the document id)."""

    path: str
    waivers: list[Waiver]
    today: str = field(default_factory=lambda: date.today().isoformat())
    index: dict[Key, Waiver] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for w in self.waivers:
            if not self.expired(w):
                self.index.setdefault(w.key, w)

    def expired(self, w: Waiver) -> bool:
        return w.expires is not None and w.expires < self.today

    def match(self, doc: str, rule: str, mt: str, source: str) -> Waiver | None:
        key = fingerprint(rule, mt, source, doc)
        w = self.index.get(key) or self.index.get((*key[:3], None))
        if w is not None:
            w.matched += 1
        return w

    def block(self) -> dict[str, Any]:
        """The report's ``waivers``: the file, how many findings were waived, and the waivers that
        matched, matched nothing (stale) or had expired."""
        expired = [w for w in self.waivers if self.expired(w)]
        live = [w for w in self.waivers if not self.expired(w)]
        return {
            "file": self.path,
            "entries": len(self.waivers),
            "waived_findings": sum(w.matched for w in live),
            "applied": [dict(w.to_dict(), findings=w.matched) for w in live if w.matched],
            "stale": [w.to_dict() for w in live if not w.matched],
            "expired": [w.to_dict() for w in expired],
        }


_Q = r'("(?:[^"\\\n]|\\.)*")'  # a JSON-quoted string on one line
_D = r"(\d{4}-\d\d-\d\d)"
_ENTRY = re.compile(rf"  - rule: {_Q}\n    mt: {_Q}\n    source: {_Q}\n(?:    doc: {_Q}\n)?    reason: {_Q}\n"
                    rf"    by: {_Q}\n    date: {_D}\n(?:    expires: {_D}\n)?")


def _canonical(text: str, path: str, rules: frozenset[str] | None) -> list[Waiver] | None:
    """The waivers when the file has the canonical form ``waivers_yaml`` writes (JSON-quoted strings,
    bare dates, keys in order), else None: then PyYAML reads it. Hand-written because PyYAML
    builds 100k mappings in 5-50 s here and the target is 2 s: one regex match per entry and one
    ``json.loads`` for every string of the file."""
    head, sep, body = text.partition("\nwaivers:\n")
    if not sep or any(line and not line.startswith("#") for line in head.split("\n")):
        return None
    matches, end = [], 0
    for m in _ENTRY.finditer(body):
        if m.start() != end:
            return None
        matches.append(m)
        end = m.end()
    if end != len(body):
        return None
    try:
        strings = json.loads("[" + ",".join(g for m in matches for g in m.group(1, 2, 3, 4, 5, 6) if g) + "]")
    except ValueError:
        return None
    return _from_matches(matches, iter(strings), path, head.count("\n") + 3, rules)


def _from_matches(matches: list[re.Match[str]], strings: Iterator[str], path: str, line: int,
                  rules: frozenset[str] | None) -> list[Waiver]:
    out = []
    for m in matches:
        rule, mt, source = next(strings), next(strings), next(strings)
        doc = next(strings) if m.group(4) else None
        reason, by, when, expires = next(strings), next(strings), m.group(7), m.group(8)
        if (rules is not None and rule not in rules) or not valid_date(when) or (expires and not valid_date(expires)):
            rec = Record(rule=rule, mt=mt, source=source, doc=doc, reason=reason, by=by, date=when, expires=expires)
            rec.path, rec.line = path, line
            out.append(_waiver(rec, rules))  # a sub-rule id, or an error naming the line
        else:
            out.append(Waiver(rule, normalise(mt), normalise(source), doc, reason, by, when, expires, line))
        line += 6 + (doc is not None) + bool(expires)
    return out


def load_waivers(path: str, rules: Iterable[str] | None = None, today: str | None = None) -> WaiverSet:
    """The waivers of ``path``; a bad file (YAML, unknown keys, bad dates, a rule id not in
    ``rules``) is a ``ConfigError`` naming ``file:line``. An empty file holds no waiver."""
    text = read_user_file(path, "waivers file")
    known = frozenset(rules) if rules is not None else None
    gc_was_on = gc.isenabled()
    gc.disable()  # 100k entries: the collector would walk the growing heap again and again
    try:
        fast = _canonical(text, path, known)
    finally:
        if gc_was_on:
            gc.enable()
    if fast is not None:
        return WaiverSet(path, fast, today or date.today().isoformat())
    data = parse_yaml(text, path, _Loader)
    if data is None:
        data = {"waivers": []}
    if isinstance(data, dict) and data.get("waivers") is None and "waivers" in data:
        data["waivers"] = []
    if isinstance(data, dict):
        extra = [k for k in data if k not in ("waivers", "__line__")]
        if extra:
            raise ConfigError(f"{path}:{data.get('__line__', 1)}: unknown key '{extra[0]}' (expected 'waivers:')")
    records = validate_records(data, path, SPEC, key="waivers")
    return WaiverSet(path, [_waiver(r, known) for r in records], today or date.today().isoformat())


def apply(ws: WaiverSet | None, doc_id: str, findings: list[Finding]) -> list[Waiver | None]:
    """The waiver of each finding (``None``: not waived), counting the matches."""
    if ws is None:
        return [None] * len(findings)
    return [ws.match(doc_id, f.rule, f.mt_text, f.source_text) for f in findings]


def mark(finding: dict[str, Any], w: Waiver) -> None:
    """A report finding marked as waived, with its waiver's reason and provenance."""
    finding["waived"] = True
    finding["waiver"] = {"reason": w.reason, "by": w.by, "date": w.date, "expires": w.expires, "line": w.line}


def active(findings: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The findings that count (not waived)."""
    return [f for f in findings if not f.get("waived")]


# ---------------------------------------------------------------- writing (mtqa waive)


def entry_yaml(e: Mapping[str, Any]) -> str:
    """One waiver as YAML. Written by hand, not by yaml.dump, so that the HTML report's exporter
    (a few lines of JS) writes the very same bytes: every string is a JSON-quoted YAML scalar."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731
    out = f"  - rule: {q(e['rule'])}\n    mt: {q(e['mt'])}\n    source: {q(e.get('source') or '')}\n"
    if e.get("doc") is not None:
        out += f"    doc: {q(e['doc'])}\n"
    out += f"    reason: {q(e['reason'])}\n    by: {q(e['by'])}\n    date: {e['date']}\n"
    if e.get("expires"):
        out += f"    expires: {e['expires']}\n"
    return out


def waivers_yaml(entries: Iterable[Mapping[str, Any]]) -> str:
    body = "".join(entry_yaml(e) for e in entries)
    return HEADER + ("waivers:\n" + body if body else "waivers: []\n")


def report_entries(report: Mapping[str, Any], rule: str | None, severity: str | None, reason: str, by: str,
                   when: str) -> list[dict[str, Any]]:
    """Waiver entries for the findings of a report (not yet waived), filtered by rule (id or
    family prefix) and severity; one entry per fingerprint."""
    out: dict[Key, dict[str, Any]] = {}
    for d in report.get("documents", []):
        for f in d.get("findings", []):
            if f.get("waived") or (severity and f["severity"] != severity):
                continue
            if rule and not (f["rule"] == rule or f["rule"].startswith(rule + ".")):
                continue
            key = fingerprint(f["rule"], f["mt_text"], f["source_text"], d["id"])
            out.setdefault(key, {"rule": key[0], "mt": key[1], "source": key[2], "doc": key[3],
                                 "reason": reason, "by": by, "date": when})
    return list(out.values())


def merge(existing: WaiverSet | None, new: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The existing file's entries (kept as they are), then the new ones whose fingerprint is not
    there yet; and how many new ones were added."""
    kept = [w.to_dict() for w in existing.waivers] if existing else []
    seen = {(e["rule"], e["mt"], e["source"], e["doc"]) for e in kept}
    added = [e for e in new if (e["rule"], e["mt"], e["source"], e["doc"]) not in seen
             and (e["rule"], e["mt"], e["source"], None) not in seen]
    return kept + added, len(added)
