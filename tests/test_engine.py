"""The check engine: registry, sub-rule families, --disable (prefix), severity overrides, one
finding per span, MQM scoring with configurable weights, and `mtqa rules`."""

from __future__ import annotations

import json
import re

from checks_support import SEED, make_doc, run_all

from mtqa.checks.engine import (
    is_disabled,
    list_rules,
    merge_same_span,
    rule_matches,
    severity_for,
)
from mtqa.checks.registry import REGISTRY
from mtqa.config import Settings, load_settings
from mtqa.model import SEVERITIES, Finding
from mtqa.quality.mqm import mqm_summary

MQM_PATH = re.compile(r"^[a-z-]+(?:/[a-z-]+)+$")
MINE = ("untranslated", "numbers", "glossary", "consistency", "typography", "omission", "rules")


def test_every_check_is_documented_with_valid_category_and_severity():
    assert set(MINE) <= set(REGISTRY)
    for cid, cls in REGISTRY.items():
        assert cls.doc.strip() and cls.severity in SEVERITIES and MQM_PATH.match(cls.category), cid
        for info in cls.rule_infos(Settings()):
            assert info.doc.strip() and info.severity in SEVERITIES and MQM_PATH.match(info.category), info.id
            assert info.id == cid or info.id.startswith(cid + ".")


def test_rule_matches_is_a_family_prefix():
    assert rule_matches("typography.nbsp", ["typography"]) == "typography"
    assert rule_matches("typography.nbsp", ["typography", "typography.nbsp"]) == "typography.nbsp"
    assert rule_matches("typography", ["typography"]) == "typography"
    assert rule_matches("typographyx.a", ["typography"]) is None
    assert rule_matches("typography.nbsp", ["typo"]) is None
    assert is_disabled("numbers.format", Settings(disable=["numbers.format"]))
    assert not is_disabled("numbers.missing", Settings(disable=["numbers.format"]))


def test_severity_override_most_specific_wins():
    s = Settings(severity={"typography": "major", "typography.apostrophe": "minor"})
    assert severity_for("typography.nbsp", "minor", s) == "major"
    assert severity_for("typography.apostrophe", "minor", s) == "minor"
    assert severity_for("numbers.missing", "major", s) == "major"


def _seed_adoc():
    return make_doc([("Russian strikes on Kyiv on July 4.", "Des frappes russes sur Kiev le 4 juillet: « bonjour."),
                     ("He said it's fine.", "Il a dit qu'il va bien et qu’il part.")])


# Only this checks here (the others need a scored document, or have their own tests).
OFF = sorted({cid.split(".")[0] for cid in REGISTRY} - set(MINE))


def test_disable_family_and_single_rule_in_the_engine():
    adoc = _seed_adoc()
    rules = {f.rule for f in run_all(adoc, Settings(disable=OFF))}
    assert {"typography.nbsp", "typography.quotes", "typography.apostrophe"} <= rules
    assert not {r for r in (f.rule for f in run_all(adoc, Settings(disable=[*OFF, "typography"]))) if r.startswith("typography")}
    left = {f.rule for f in run_all(adoc, Settings(disable=[*OFF, "typography.nbsp"]))}
    assert "typography.nbsp" not in left and "typography.quotes" in left


def test_severity_override_applies_to_findings():
    adoc = _seed_adoc()
    f = [x for x in run_all(adoc, Settings(disable=OFF, severity={"typography.quotes": "critical"})) if x.rule == "typography.quotes"]
    assert [x.severity for x in f] == ["critical"]


def _f(rule, sev, start=0, end=4):
    return Finding(rule, "accuracy/mistranslation", sev, 0, "abcd"[start:end], start, end, "", f"{rule} says")


def test_merge_same_span_keeps_most_severe_and_names_the_others():
    out = merge_same_span([_f("glossary.forbidden", "major"), _f("sense.wrong", "critical"), _f("names.x", "minor"),
                           _f("omission.sentence", "major", 0, 0), _f("omission.sentence", "major", 0, 0), _f("a.b", "minor", 1, 3)])
    assert [(x.rule, x.severity) for x in out] == [("sense.wrong", "critical"), ("omission.sentence", "major"),
                                                   ("omission.sentence", "major"), ("a.b", "minor")]
    assert out[0].message == "sense.wrong says (also: glossary.forbidden, names.x)"


def test_mqm_weights_from_config(tmp_path):
    cfg = tmp_path / "mtqa.toml"
    cfg.write_text("[mqm]\nminor = 2\nmajor = 10\ncritical = 25\n", encoding="utf-8")
    s = load_settings(str(cfg))
    findings = [_f("x.a", "minor"), _f("x.b", "major", 1, 2), _f("x.c", "critical", 2, 3)]
    m = mqm_summary(findings, 500, s.mqm_weights)
    assert m["penalty"] == 37 and m["penalty_per_1000_words"] == 74.0 and m["score"] == round(100 * (1 - 37 / 500), 4)
    d = mqm_summary(findings, 500, Settings().mqm_weights)
    assert d["penalty"] == 16 and d["counts"] == {"minor": 1, "major": 1, "critical": 1}


def test_list_rules_covers_every_emitted_rule():
    items = {r["id"]: r for r in list_rules(Settings(disable=["typography"], severity={"numbers.added": "major"}))}
    for rid in ("untranslated", "numbers.mismatch", "numbers.missing", "numbers.date", "numbers.unit", "numbers.format",
                "glossary.forbidden", "glossary.missing", "consistency.rendering", "consistency.collision",
                "typography.quotes", "typography.nbsp", "typography.comma-quote", "typography.apostrophe",
                "omission.sentence", "omission.addition", "omission.partial"):
        assert rid in items, rid
    assert items["typography.nbsp"]["enabled"] is False and items["numbers.mismatch"]["enabled"] is True
    assert items["numbers.added"]["severity"] == "major" and items["numbers.added"]["default_severity"] == "minor"


def test_cli_rules_text_and_json(run_cli):
    code, out, _ = run_cli("rules")
    assert code == 0
    for cid in MINE[:-1]:
        assert cid in out
    assert "typography.comma-quote" in out and "locale-convention/number-format" in out
    code, out, _ = run_cli("rules", "--format", "json", "--disable", "numbers")
    data = json.loads(out)
    assert {c["id"] for c in data["checks"]} >= set(MINE)
    assert all(not r["enabled"] for r in data["rules"] if r["check"] == "numbers")
    code, _, _ = run_cli("rules", "--format", "xml")
    assert code == 2


def test_cli_check_disable_family_on_the_seed(run_cli, tmp_path):
    out = tmp_path / "r.json"
    code, _, err = run_cli("check", "-s", SEED / "source.en.txt", "-t", SEED / "mt.fr.txt", "--metrics", "bleu",
                           "--disable", "typography", "--disable", ",".join(OFF), "-o", out, "-q")
    assert code in (0, 1), err
    rules = {f["rule"] for d in json.loads(out.read_text(encoding="utf-8"))["documents"] for f in d["findings"]}
    assert "untranslated" in rules and not any(r.startswith("typography") for r in rules)
