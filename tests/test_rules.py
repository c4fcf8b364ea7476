"""User rule files (Vale-style): each type fires on faulty French and stays quiet on correct French;
bad files give one-line errors naming file:line and exit 2 on the command line."""

from __future__ import annotations

import json

import pytest
from checks_support import FIXTURES, check_offsets, make_doc, run_all, run_one

from mtqa.checks.engine import list_rules
from mtqa.config import Settings
from mtqa.errors import ConfigError

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
    assert [f for f in run_all(adoc, Settings(rule_files=[HOUSE], disable=[*off, "house"])) if f.rule.startswith("house")] == []
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


# ---------------------------------------------------------------- the rule types, one module each


def _rule_file(tmp_path, body: str) -> str:
    p = tmp_path / "rules.yaml"
    p.write_text("rules:\n" + body, encoding="utf-8")
    return str(p)


def test_every_type_module_declares_what_the_loader_needs():
    from mtqa.checks.user import COMMON, SPEC, TYPES, UserRules

    for name, module in TYPES.items():
        assert set(module.NEEDS) <= set(module.FIELDS), name
        assert set(module.FIELDS) <= set(SPEC) and not set(module.FIELDS) & set(COMMON), name
        assert module.CATEGORY.count("/") == 1 and callable(module.build) and callable(module.run), name
        assert name in UserRules.doc
    assert SPEC["type"].choices == tuple(TYPES)


def test_a_field_of_another_type_does_not_apply(tmp_path):
    path = _rule_file(tmp_path, "  - id: house.x\n    type: existence\n    message: m\n    tokens: [a]\n"
                                "    swap: {a: b}\n")
    with pytest.raises(ConfigError, match=r"rules.yaml:2: field 'swap' does not apply to a 'existence' rule"):
        list_rules(Settings(rule_files=[path]))


def test_conditional_exceptions_apply_only_to_conditional_rules(tmp_path):
    path = _rule_file(tmp_path, "  - id: house.x\n    type: existence\n    message: m\n    tokens: [a]\n"
                                "    exceptions: [A]\n")
    with pytest.raises(ConfigError, match="field 'exceptions' does not apply to a 'existence' rule"):
        list_rules(Settings(rule_files=[path]))


def test_user_terms_report_the_whole_match_even_with_a_span_group(tmp_path):
    """The packaged data's (?P<span>…) narrowing is not applied to user rule files."""
    path = _rule_file(tmp_path, "  - id: house.x\n    type: existence\n    message: \"'%s'\"\n"
                                "    tokens: ['re:la (?P<span>deadline)']\n")
    adoc = make_doc([("x", "Voici la deadline.")])
    assert [f.mt_text for f in run_one("rules", adoc, Settings(rule_files=[path]))] == ["la deadline"]


def test_substitution_hits_are_leftmost_longest(tmp_path):
    path = _rule_file(tmp_path, "  - id: house.x\n    type: substitution\n    message: \"%s for %s\"\n"
                                "    swap: {mail: courriel, e-mail: courriel, e-mail pro: courriel professionnel}\n")
    adoc = make_doc([("x", "Un e-mail pro et un mail.")])
    findings = run_one("rules", adoc, Settings(rule_files=[path]))
    assert [(f.mt_text, f.suggestion) for f in findings] == [("e-mail pro", "courriel professionnel"), ("mail", "courriel")]
