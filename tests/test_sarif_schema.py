"""mtqa's SARIF against the official OASIS SARIF 2.1.0 schema (tests/fixtures/sarif/README.md says
where the file comes from): a real run with a reference and waivers (applied, stale and expired),
so waived findings carry their ``suppressions``; an XLIFF run (logical locations); and the
schema's own verdict on a broken suppression, so the check can fail."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta

import jsonschema
import pytest
from conftest import FIXTURES, SEED

SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
W = FIXTURES / "waivers"
TODAY = date.today()


@pytest.fixture(scope="module")
def validator():
    checker = jsonschema.FormatChecker()
    # without rfc3986-validator (the test extra) the "uri" formats would pass unchecked
    assert {"uri", "uri-reference"} <= set(checker.checkers), "pip install -e '.[test]' (rfc3986-validator)"
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    return jsonschema.Draft4Validator(SCHEMA, format_checker=checker)


def _errors(validator, sarif) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(sarif)]


def _waivers(tmp_path) -> str:
    """One waiver that applies, one stale, one expired."""
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    entries = [("typography.nbsp", ":", "", "house style: colon", ""),
               ("typography.nbsp", "«", "", "never matches", ""),
               ("typography.nbsp", ";", "", "ran out", f"\n    expires: {yesterday}")]
    text = "waivers:\n" + "".join(
        f'  - rule: {r}\n    mt: "{mt}"\n    source: "{src}"\n    reason: "{why}"\n    by: "ann"\n'
        f"    date: {TODAY.isoformat()}{extra}\n" for r, mt, src, why, extra in entries)
    p = tmp_path / "waivers.yaml"
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_waived_story_sarif_is_valid(run_cli, tmp_path, validator):
    out = tmp_path / "story.sarif"
    code, _, err = run_cli("check", "-s", W / "story.en", "-t", W / "story.fr", "--metrics", "bleu",
                           "--waivers", _waivers(tmp_path), "-o", out, "-q")
    assert code in (0, 1), err
    sarif = json.loads(out.read_text(encoding="utf-8"))
    assert _errors(validator, sarif) == []
    waived = [r for r in sarif["runs"][0]["results"] if "suppressions" in r]
    assert len(waived) == 2 and all(r["suppressions"][0]["kind"] == "external" for r in waived)
    assert {r["suppressions"][0]["justification"] for r in waived} == {"house style: colon"}


def test_seed_pack_with_reference_and_glossary_is_valid(run_cli, tmp_path, validator):
    out = tmp_path / "seed.sarif"
    code, _, err = run_cli("check", "-s", SEED / "source.en.txt", "-t", SEED / "mt.fr.txt", "-r", SEED / "ref.fr.txt",
                           "--glossary", SEED / "glossary.csv", "-o", out, "-q")
    assert code == 1, err  # the seed MT fails the gate: gate results are in the log too
    sarif = json.loads(out.read_text(encoding="utf-8"))
    assert _errors(validator, sarif) == []
    assert any(r["ruleId"].startswith("mtqa.gate/") for r in sarif["runs"][0]["results"])


def test_xliff_sarif_is_valid(run_cli, tmp_path, validator):
    xlf = tmp_path / "story.xlf"
    xlf.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        '<file source-language="en" target-language="fr" datatype="plaintext" original="story">\n<body>\n'
        '<trans-unit id="u1"><source>He said: no.</source><target>Il a dit: non.</target></trans-unit>\n'
        '</body>\n</file>\n</xliff>\n', encoding="utf-8")
    out = tmp_path / "x.sarif"
    code, _, err = run_cli("check", "-t", xlf, "--metrics", "bleu", "-o", out, "-q")
    assert code in (0, 1), err
    sarif = json.loads(out.read_text(encoding="utf-8"))
    assert _errors(validator, sarif) == []
    assert any("logicalLocations" in loc for r in sarif["runs"][0]["results"] for loc in r.get("locations", []))


@pytest.mark.parametrize(("path", "value"), [
    (("suppressions", 0, "kind"), "waived"),  # not a SARIF suppression kind
    (("suppressions", 0, "status"), "ok"),
    (("level",), "major"),  # MQM severity is not a SARIF level
    (("locations", 0, "physicalLocation", "region", "startLine"), 0),
])
def test_schema_rejects_a_broken_result(run_cli, tmp_path, validator, path, value):
    out = tmp_path / "story.sarif"
    run_cli("check", "-s", W / "story.en", "-t", W / "story.fr", "--metrics", "bleu",
            "--waivers", _waivers(tmp_path), "-o", out, "-q")
    sarif = json.loads(out.read_text(encoding="utf-8"))
    bad = copy.deepcopy(sarif)
    node = next(r for r in bad["runs"][0]["results"] if "suppressions" in r)
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert _errors(validator, sarif) == [] and _errors(validator, bad) != []
