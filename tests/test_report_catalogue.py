"""The report's rule catalogue (``report["rules"]``): in the schema, built from the run's settings
(user rule files included), and the only source of rule metadata for the renderers."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from conftest import FIXTURES
from report_sample import RULES, sample_report

from mtqa.report import RENDERERS, render
from mtqa.report.build import RULE_FIELDS, rule_catalogue
from mtqa.report.schema import validate
from mtqa.report.views import rule_info

HOUSE = FIXTURES / "checks" / "house.yaml"


def _descriptors(report: dict) -> dict[str, dict]:
    return {r["id"]: r for r in json.loads(render(report, "sarif"))["runs"][0]["tool"]["driver"]["rules"]}


def test_the_schema_holds_the_catalogue_and_rejects_a_bad_row():
    report = sample_report()
    validate(report)
    for bad in ({"severity": "huge"}, {"enabled": "yes"}, {"category": "Style"}):
        broken = sample_report()
        broken["rules"][0].update(bad)
        with pytest.raises(jsonschema.ValidationError):
            validate(broken)
    broken = sample_report()
    del broken["rules"][1]["doc"]
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)
    old = sample_report()
    del old["rules"]  # a report written before the catalogue existed is still a valid report
    validate(old)


def test_rule_catalogue_keeps_the_report_fields_in_order():
    row = {"check_doc": "the check's doc", "doc": "d", "enabled": False, "default_severity": "minor",
           "severity": "major", "category": "fluency/punctuation", "check": "typography", "id": "typography.nbsp"}
    [out] = rule_catalogue([row])
    assert tuple(out) == RULE_FIELDS and "check_doc" not in out
    assert out["severity"] == "major" and out["default_severity"] == "minor" and out["enabled"] is False


def test_rule_info_exact_then_parent_then_the_finding():
    catalogue = {r["id"]: r for r in RULES}
    finding = {"category": "style/register", "severity": "critical"}
    assert rule_info("markup.tags", finding, catalogue) == {
        "id": "markup.tags", "category": "design/markup", "severity": "minor",
        "doc": "Inline tags copied into the text. Remove them."}
    sub = rule_info("lexicon.false-friend", finding, catalogue)  # the parent's doc and severity, its own category
    assert sub["id"] == "lexicon.false-friend" and sub["doc"].startswith("Words that look English")
    assert (sub["category"], sub["severity"]) == ("style/register", "major")
    assert rule_info("lexicon.x", None, catalogue)["category"] == "accuracy/mistranslation"
    assert rule_info("lexiconx", finding, catalogue) == {  # a prefix is not a parent
        "id": "lexiconx", "category": "style/register", "severity": "critical",
        "doc": "mtqa rule lexiconx (style/register)."}
    assert rule_info("x", None, {})["category"] == "other"


def test_sarif_descriptors_come_from_the_catalogue():
    rules = _descriptors(sample_report())
    tags = rules["markup.tags"]
    assert tags["fullDescription"]["text"] == "Inline tags copied into the text. Remove them."
    assert tags["shortDescription"]["text"] == "Inline tags copied into the text."
    # the descriptor has the rule's default level; the result has the finding's (effective) one
    assert tags["defaultConfiguration"]["level"] == "warning" and tags["properties"]["severity"] == "minor"
    assert "markup.entities" not in rules  # catalogued but never fired: no descriptor
    assert rules["register.informal"]["fullDescription"]["text"] == "mtqa rule register.informal (style/register)."


def test_a_report_without_catalogue_still_renders_in_every_format():
    report = sample_report()
    del report["rules"]
    rules = _descriptors(report)
    assert rules["markup.tags"]["fullDescription"]["text"] == "mtqa rule markup.tags (design/markup)."
    assert rules["markup.tags"]["properties"]["severity"] == "critical"  # from the finding
    for fmt in RENDERERS:
        assert render(report, fmt)


def test_rendering_loads_no_stage_module():
    """At run time too: rendering every format imports no check, scorer, pipeline or compare module."""
    code = (
        f"import sys; sys.path[:0] = [{str(FIXTURES.parent)!r}]\n"
        "from report_sample import sample_report\n"
        "from mtqa.report import RENDERERS, render\n"
        "from mtqa.report.formats import alignment, rules\n"
        "for fmt in RENDERERS: render(sample_report(), fmt)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[:2] in "
        "(['mtqa', 'checks'], ['mtqa', 'scores'], ['mtqa', 'pipeline'], ['mtqa', 'compare']))\n"
        "sys.exit(', '.join(bad) or None)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr or r.stdout


@pytest.fixture
def house_run(run_cli, tmp_path):
    """A real ``mtqa check`` with the house rule file, one override and one rule disabled."""
    src, mt = tmp_path / "story.en.txt", tmp_path / "story.fr.txt"
    src.write_text("The deadline is Monday.\n\nSend an e-mail to the desk.\n", encoding="utf-8")
    mt.write_text("La deadline est lundi.\n\nEnvoyez un e-mail à la rédaction.\n", encoding="utf-8")
    cfg = tmp_path / "mtqa.toml"
    cfg.write_text(f'[rules]\nfiles = ["{HOUSE}"]\ndisable = ["house.cyber"]\n'
                   '[rules.severity]\n"house.anglicisms" = "major"\n', encoding="utf-8")
    out = {ext: tmp_path / f"r.{ext}" for ext in ("json", "sarif")}
    code, _, err = run_cli("check", "-s", src, "-t", mt, "-c", cfg, "--metrics", "bleu",
                           "-o", out["json"], "-o", out["sarif"], "-q")
    assert code in (0, 1), err
    return cfg, {ext: json.loads(p.read_text(encoding="utf-8")) for ext, p in out.items()}


def test_the_report_catalogue_is_list_rules_of_the_run(house_run):
    from mtqa.checks.engine import list_rules
    from mtqa.config import load_settings

    cfg, out = house_run
    report = out["json"]
    validate(report)
    assert report["rules"] == rule_catalogue(list_rules(load_settings(str(cfg))))
    rules = {r["id"]: r for r in report["rules"]}
    assert {"house.anglicisms", "house.courriel", "house.cyber", "typography.nbsp", "untranslated"} <= set(rules)
    assert rules["house.anglicisms"]["check"] == "rules"
    assert (rules["house.anglicisms"]["severity"], rules["house.anglicisms"]["default_severity"]) == ("major", "minor")
    assert rules["house.cyber"]["enabled"] is False and rules["house.courriel"]["enabled"] is True
    fired = {f["rule"] for d in report["documents"] for f in d["findings"]}
    assert {"house.anglicisms", "house.courriel"} <= fired
    assert all(rules[r]["enabled"] for r in fired)


def test_sarif_describes_a_user_rule_with_its_rule_file_doc(house_run):
    _, out = house_run
    rules = {r["id"]: r for r in out["sarif"]["runs"][0]["tool"]["driver"]["rules"]}
    anglicisms = rules["house.anglicisms"]
    assert anglicisms["fullDescription"]["text"] == "Anglicisms the desk does not use."  # the YAML's doc:
    assert anglicisms["shortDescription"]["text"] == "Anglicisms the desk does not use."
    assert anglicisms["properties"]["category"] == "style/unidiomatic"
    assert anglicisms["defaultConfiguration"]["level"] == "warning"  # the rule file's minor
    catalogue = {r["id"]: r for r in out["json"]["rules"]}
    assert rules["house.courriel"]["fullDescription"]["text"] == catalogue["house.courriel"]["doc"]
    assert not any(r["fullDescription"]["text"].startswith("mtqa rule ") for r in rules.values())
    levels = {res["ruleId"]: res["level"] for res in out["sarif"]["runs"][0]["results"]}
    assert levels["house.anglicisms"] == "error"  # the override (major) on the result
