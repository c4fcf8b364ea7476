"""User rule files (Vale-style): each type fires on faulty French and stays quiet on correct French;
bad files give one-line errors naming file:line and exit 2 on the command line."""

from __future__ import annotations

import json

import pytest
from checks_support import FIXTURES, check_offsets, make_doc, run_all, run_one

from mtqa.config import Settings
from mtqa.errors import ConfigError
from mtqa.checks.engine import list_rules

HOUSE = str(FIXTURES / "house.yaml")


def _run(pairs, **kw):
    adoc = make_doc(pairs)
    findings = run_one("rules", adoc, Settings(rule_files=[HOUSE], **kw))
    check_offsets(findings, adoc)
    return findings


def _r(findings, rule):
    return [(f.segment, f.mt_text) for f in findings if f.rule == rule]


def test_existence():
    f = _run([("x", "La deadline est fixée à lundi, après un briefing.")])
    assert _r(f, "house.anglicisms") == [(0, "deadline"), (0, "briefing")]
    hit = next(x for x in f if x.rule == "house.anglicisms")
    assert hit.message == "Anglicism 'deadline': use a French word." and hit.category == "style/unidiomatic"
    assert _r(_run([("x", "La date limite est fixée à lundi.")]), "house.anglicisms") == []


def test_substitution_with_inflection():
    f = _run([("x", "Il a envoyé deux e-mails et un mail.")])
    assert _r(f, "house.courriel") == [(0, "e-mails"), (0, "mail")]
    assert f[0].suggestion == "courriel" and f[0].message == "Use 'courriel' rather than 'e-mails'."
    assert _r(_run([("x", "Il a envoyé deux courriels.")]), "house.courriel") == []


def test_consistency_flags_minority_form():
    f = _run([("x", "Une cyberattaque a visé la banque."), ("y", "Les cyberattaques se multiplient."),
              ("z", "Cette cyber-attaque était attendue.")])
    assert _r(f, "house.cyber") == [(2, "cyber-attaque")]
    assert _r(_run([("x", "Une cyberattaque."), ("y", "Des cyberattaques.")]), "house.cyber") == []


def test_conditional_acronym_defined_first():
    f = _run([("x", "Le Fonds monétaire international (FMI) a parlé. Le FMI et la BCE ont agi, avec l’ONU.")])
    assert _r(f, "house.acronyms") == [(0, "BCE")]
    assert _r(_run([("x", "La Banque centrale européenne (BCE) a agi. La BCE a baissé ses taux.")]), "house.acronyms") == []


def test_when_source_cues():
    f = _run([("Missile strikes hit the city.", "Des grèves de missiles ont frappé la ville.")])
    assert [(x.mt_text, x.severity, x.category) for x in f if x.rule == "house.strike-labour"] == [
        ("grèves", "major", "accuracy/mistranslation")]
    assert _r(_run([("Rail workers went on strike.", "Les cheminots sont en grève.")]), "house.strike-labour") == []


def test_disable_and_severity_of_user_rules_through_the_engine():
    adoc = make_doc([("x", "La deadline approche.")])
    off = ["adequacy", "comet"]  # need a scored document
    assert [f.rule for f in run_all(adoc, Settings(rule_files=[HOUSE], disable=off)) if f.rule.startswith("house")] == ["house.anglicisms"]
    assert [f for f in run_all(adoc, Settings(rule_files=[HOUSE], disable=off + ["house"])) if f.rule.startswith("house")] == []
    f = [f for f in run_all(adoc, Settings(rule_files=[HOUSE], disable=off, severity={"house.anglicisms": "major"}))
         if f.rule.startswith("house")]
    assert [x.severity for x in f] == ["major"]


@pytest.mark.parametrize("name,line,what", [
    ("bad-type.yaml", 7, "field 'type' must be one of"),
    ("bad-regex.yaml", 2, "bad regular expression"),
    ("bad-family.yaml", 2, "built-in family 'typography'"),
    ("bad-missing.yaml", 2, "needs the field 'second'"),
    ("bad-yaml.yaml", None, "invalid YAML"),
])
def test_bad_rule_files_name_file_and_line(name, line, what):
    with pytest.raises(ConfigError) as e:
        list_rules(Settings(rule_files=[str(FIXTURES / name)]))  # the engine also checks families
    msg = str(e.value)
    assert what in msg and name in msg
    if line is not None:
        assert f"{name}:{line}:" in msg


def test_cli_rules_lists_user_rules_and_bad_file_exits_2(run_cli, tmp_path):
    code, out, _ = run_cli("rules", "--rule-file", HOUSE, "--format", "json")
    assert code == 0
    ids = {r["id"]: r for r in json.loads(out)["rules"]}
    assert ids["house.anglicisms"]["category"] == "style/unidiomatic"
    assert ids["house.anglicisms"]["doc"] == "Anglicisms the desk does not use."
    assert ids["house.strike-labour"]["severity"] == "major"
    code, out, err = run_cli("rules", "--rule-file", FIXTURES / "bad-type.yaml")
    assert code == 2 and "bad-type.yaml:7:" in err and "Traceback" not in err + out
    cfg = tmp_path / "mtqa.toml"
    cfg.write_text(f'[rules]\nfiles = ["{FIXTURES / "bad-regex.yaml"}"]\n', encoding="utf-8")
    code, _, err = run_cli("rules", "--config", cfg)
    assert code == 2 and "bad-regex.yaml:2:" in err
