"""Waivers (issue 16): fingerprint, loading with file:line errors, expiry and staleness, the round
trip `mtqa check` → `mtqa waive` → `mtqa check --waivers`, and what every format does with a
waived finding. The browser half of the round trip is in test_report_html_triage.py."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from conftest import FIXTURES

from mtqa.errors import ConfigError
from mtqa.model import Finding
from mtqa.quality.waivers import apply, fingerprint, load_waivers, merge, normalise, waivers_yaml
from mtqa.report.schema import validate

W = FIXTURES / "waivers"
STORY = ["-s", str(W / "story.en"), "-t", str(W / "story.fr"), "--metrics", "bleu", "--max-minor", "0"]
RULES = ["typography.nbsp", "numbers", "omission.span"]
TODAY = date.today()


def _finding(mt: str = ":", source: str = "", rule: str = "typography.nbsp", start: int = 8) -> Finding:
    return Finding(rule, "fluency/punctuation", "minor", 0, mt, start, start + len(mt), source, "no space")


def _write(tmp_path: Path, text: str, name: str = "w.yaml") -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def _entry(**kw: str) -> str:
    e = {"rule": "typography.nbsp", "mt": ":", "source": "", "reason": "house style", "by": "ann",
         "date": TODAY.isoformat(), **kw}
    return "  - " + "\n    ".join(f"{k}: {json.dumps(v) if k not in ('date', 'expires') else v}"
                                  for k, v in e.items()) + "\n"


# ---------------------------------------------------------------- fingerprint and loading


def test_fingerprint_normalises_spaces_and_holds_no_offsets():
    assert normalise("  Paris\u202f:\u00a0 la\n ville ") == "Paris : la ville"
    assert fingerprint("r", "a\u00a0b", " x ") == fingerprint("r", "a b", "x") == ("r", "a b", "x", None)
    assert fingerprint("r", "a b", "x") != fingerprint("r", "a c", "x")  # a different span is another finding


def test_a_waiver_matches_wherever_the_finding_moves(tmp_path):
    ws = load_waivers(_write(tmp_path, "waivers:\n" + _entry()), RULES)
    moved = [_finding(start=8), _finding(start=80), _finding(mt=";")]
    marks = apply(ws, "story", moved)
    assert [m is not None for m in marks] == [True, True, False]
    block = ws.block()
    assert block["waived_findings"] == 2 and block["applied"][0]["findings"] == 2 and not block["stale"]


def test_doc_id_narrows_a_waiver(tmp_path):
    ws = load_waivers(_write(tmp_path, "waivers:\n" + _entry(doc="other")), RULES)
    assert apply(ws, "story", [_finding()]) == [None]
    assert ws.block()["stale"][0]["doc"] == "other"
    ws = load_waivers(_write(tmp_path, "waivers:\n" + _entry(doc="story")), RULES)
    assert apply(ws, "story", [_finding()])[0] is not None


def test_expired_waiver_no_longer_applies_and_is_listed(tmp_path):
    yesterday, tomorrow = (TODAY - timedelta(days=1)).isoformat(), (TODAY + timedelta(days=1)).isoformat()
    ws = load_waivers(_write(tmp_path, "waivers:\n" + _entry(expires=yesterday)), RULES)
    assert apply(ws, "story", [_finding()]) == [None]
    block = ws.block()
    assert [e["expires"] for e in block["expired"]] == [yesterday] and not block["stale"] and not block["applied"]
    ws = load_waivers(_write(tmp_path, "waivers:\n" + _entry(expires=tomorrow)), RULES)
    assert apply(ws, "story", [_finding()])[0] is not None


def test_stale_waiver_is_listed(tmp_path):
    ws = load_waivers(_write(tmp_path, "waivers:\n" + _entry() + _entry(mt="«")), RULES)
    apply(ws, "story", [_finding()])
    block = ws.block()
    assert [e["mt"] for e in block["stale"]] == ["«"] and block["stale"][0]["line"] == 8


def test_a_sub_rule_of_a_known_rule_is_known(tmp_path):
    ws = load_waivers(_write(tmp_path, "waivers:\n" + _entry(rule="numbers.unit")), RULES)
    assert ws.waivers[0].rule == "numbers.unit"


def test_empty_file_holds_no_waiver(tmp_path):
    assert load_waivers(_write(tmp_path, ""), RULES).waivers == []
    assert load_waivers(_write(tmp_path, "waivers:\n"), RULES).waivers == []


@pytest.mark.parametrize(("text", "message"), [
    ("waivers:\n  - rule: [unclosed\n", r"w\.yaml:\d+: invalid YAML"),
    ("waivers:\n" + _entry() + "    colour: red\n", r"w\.yaml:2: unknown field 'colour'"),
    ("waivers:\n" + _entry(date="2026-13-45"), r"w\.yaml:2: field 'date' must be a date"),
    ("waivers:\n" + _entry(expires="next week"), r"w\.yaml:2: field 'expires' must be a date"),
    ("waivers:\n" + _entry(rule="typografy.nbsp"), r"w\.yaml:2: unknown rule id 'typografy.nbsp'"),
    ("waivers:\n  - rule: typography.nbsp\n    mt: ':'\n", r"w\.yaml:2: missing field 'reason'"),
    ("waiver:\n" + _entry(), r"w\.yaml:1: unknown key 'waiver'"),
    ("- 1\n", r"w\.yaml: expected a top-level 'waivers:' list"),
])
def test_bad_waiver_files_name_file_and_line(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_waivers(_write(tmp_path, text), RULES)


def test_merge_adds_no_duplicate(tmp_path):
    ws = load_waivers(_write(tmp_path, "waivers:\n" + _entry() + _entry(mt=";", doc="story")), RULES)
    new = [{"rule": "typography.nbsp", "mt": ":", "source": "", "doc": "story", "reason": "r", "by": "b", "date": "2026-01-01"},
           {"rule": "typography.nbsp", "mt": ";", "source": "", "doc": "story", "reason": "r", "by": "b", "date": "2026-01-01"},
           {"rule": "typography.nbsp", "mt": "!", "source": "", "doc": "story", "reason": "r", "by": "b", "date": "2026-01-01"}]
    entries, added = merge(ws, new)
    assert added == 1 and [e["mt"] for e in entries] == [":", ";", "!"]
    again = load_waivers(_write(tmp_path, waivers_yaml(entries), "merged.yaml"), RULES)
    assert [(w.mt, w.doc) for w in again.waivers] == [(":", None), (";", "story"), ("!", "story")]


# ---------------------------------------------------------------- the CLI round trip


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """The gate fails on the story's two "dit: " findings; `mtqa waive` accepts them; it passes."""
    from typer.testing import CliRunner

    from mtqa.cli import app

    def run(*args):
        r = CliRunner().invoke(app, [str(a) for a in args])
        return r.exit_code, r.stdout, r.stderr

    d = tmp_path_factory.mktemp("story")
    before = run("check", *STORY, "-o", d / "before.json", "-q")
    waive = run("waive", d / "before.json", "-o", d / "waivers.yaml", "--reason", "house style: colon", "--by", "ann")
    again = run("waive", d / "before.json", "-o", d / "waivers.yaml")
    outs = [d / f"after.{ext}" for ext in ("json", "sarif", "xml", "md", "txt", "html")]
    after = run("check", *STORY, "--waivers", d / "waivers.yaml", *[x for o in outs for x in ("-o", o)], "-q")
    return {"dir": d, "run": run, "before": before, "waive": waive, "again": again, "after": after}


def test_gate_result_changes_with_the_waivers(story):
    assert story["before"][0] == 1
    assert story["waive"][0] == 0 and "2 new waiver(s)" not in story["waive"][2]  # one fingerprint, two findings
    assert "1 new waiver(s), 0 already there" in story["waive"][2]
    assert story["again"][0] == 0 and "0 new waiver(s), 1 already there" in story["again"][2]
    assert story["after"][0] == 0, story["after"][2]


def test_waivers_file_written_by_waive(story):
    text = (story["dir"] / "waivers.yaml").read_text(encoding="utf-8")
    assert text.count("- rule:") == 1
    assert '    mt: ":"\n    source: ""\n    doc: "story"\n    reason: "house style: colon"\n    by: "ann"\n' in text


def test_json_report_keeps_waived_findings_marked(story):
    report = json.loads((story["dir"] / "after.json").read_text(encoding="utf-8"))
    validate(report)
    fs = report["documents"][0]["findings"]
    assert len(fs) == 2 and all(f["waived"] and f["waiver"]["reason"] == "house style: colon" for f in fs)
    assert report["summary"]["findings"]["minor"] == 0 and report["summary"]["waived"] == 2
    assert report["documents"][0]["mqm"]["counts"]["minor"] == 0 and report["documents"][0]["mqm"]["penalty"] == 0
    w = report["waivers"]
    assert w["waived_findings"] == 2 and len(w["applied"]) == 1 and w["stale"] == [] and w["expired"] == []
    before = json.loads((story["dir"] / "before.json").read_text(encoding="utf-8"))
    assert "waivers" not in before and "waived" not in before["documents"][0]["findings"][0]


# SARIF 2.1.0 §3.35 (suppression object) and §3.27.23 (result.suppressions), as JSON Schema; the
# whole log against the OASIS schema file is in test_sarif_schema.py.
SUPPRESSION = {"type": "object", "required": ["kind"], "properties": {
    "kind": {"enum": ["inSource", "external"]}, "status": {"enum": ["accepted", "underReview", "rejected"]},
    "justification": {"type": "string"}, "guid": {"type": "string"}, "properties": {"type": "object"}},
    "additionalProperties": False}
RESULT = {"type": "object", "required": ["message"], "properties": {
    "suppressions": {"type": "array", "uniqueItems": True, "items": SUPPRESSION}}}


def test_sarif_suppressions(story):
    sarif = json.loads((story["dir"] / "after.sarif").read_text(encoding="utf-8"))
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "typography.nbsp"]
    assert len(results) == 2  # every occurrence kept
    for r in results:
        jsonschema.validate(r, RESULT)
        assert r["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "house style: colon",
                                      "properties": r["suppressions"][0]["properties"]}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"message": {}, "suppressions": [{"kind": "waived"}]}, RESULT)


def test_junit_does_not_fail_on_waived(story):
    root = ET.fromstring((story["dir"] / "after.xml").read_text(encoding="utf-8"))
    assert root.get("failures") == "0"
    out = root.find("./testsuite/testcase/system-out")
    assert out is not None and out.text.count("[waived] [minor] typography.nbsp") == 2


def test_text_and_markdown_show_waived_apart_and_grouped(story):
    md = (story["dir"] / "after.md").read_text(encoding="utf-8")
    assert "#### ⚪ waived (2, not counted)" in md and "#### 🔵 minor" not in md
    assert md.count("`typography.nbsp`") == 1 and "×2: " in md and "## Waivers" in md
    txt = (story["dir"] / "after.txt").read_text(encoding="utf-8")
    assert "story: 2 waived (not counted)" in txt and "×2 in this document" in txt
    assert txt.count("typography.nbsp (fluency/punctuation)") == 1 and "0 stale, 0 expired" in txt


def test_grouped_once_with_count_when_not_waived(story):
    md_path = story["dir"] / "before.md"
    story["run"]("check", *STORY, "-o", md_path, "-q")
    md = md_path.read_text(encoding="utf-8")
    assert "#### 🔵 minor (2)" in md and md.count("`typography.nbsp`") == 1 and "×2: " in md


def test_fail_on_ignores_waived(story):
    code, _, err = story["run"]("check", *STORY, "--max-minor", "5", "--fail-on", "typography.nbsp",
                                "--waivers", story["dir"] / "waivers.yaml", "-q")
    assert code == 0, err
    code, _, _ = story["run"]("check", *STORY, "--max-minor", "5", "--fail-on", "typography.nbsp", "-q")
    assert code == 1


def test_waive_filters_by_rule_and_severity(story):
    run, d = story["run"], story["dir"]
    assert run("waive", d / "before.json", "-o", d / "none.yaml", "--rule", "numbers")[0] == 0
    assert "waivers: []" in (d / "none.yaml").read_text(encoding="utf-8")
    assert run("waive", d / "before.json", "-o", d / "maj.yaml", "--severity", "major")[0] == 0
    assert "waivers: []" in (d / "maj.yaml").read_text(encoding="utf-8")
    assert run("waive", d / "before.json", "-o", d / "fam.yaml", "--rule", "typography", "--severity", "minor")[0] == 0
    assert (d / "fam.yaml").read_text(encoding="utf-8").count("- rule:") == 1
    code, _, err = run("waive", d / "before.json", "-o", d / "x.yaml", "--severity", "huge")
    assert code == 2 and err.startswith("mtqa: error: --severity")


def test_stale_and_expired_through_the_cli(story, tmp_path):
    run = story["run"]
    past = (TODAY - timedelta(days=3)).isoformat()
    path = _write(tmp_path, "waivers:\n" + _entry(expires=past) + _entry(mt="«"))
    code, _, _ = run("check", *STORY, "--waivers", path, "-o", tmp_path / "r.json", "-q")
    assert code == 1  # the expired waiver no longer applies: the gate fails again
    w = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["waivers"]
    assert [e["expires"] for e in w["expired"]] == [past] and [e["mt"] for e in w["stale"]] == ["«"]


def test_waivers_in_mtqa_toml_relative_to_it(story, tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "waivers.yaml").write_text((story["dir"] / "waivers.yaml").read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    (tmp_path / "conf" / "mtqa.toml").write_text('[mtqa]\nwaivers = "waivers.yaml"\n', encoding="utf-8")
    code, _, err = story["run"]("check", *STORY, "-c", tmp_path / "conf" / "mtqa.toml", "-q")
    assert code == 0, err


def test_bad_waivers_file_is_one_line_exit_2(story, tmp_path):
    path = _write(tmp_path, "waivers:\n" + _entry(rule="no.such.rule"))
    code, _, err = story["run"]("check", *STORY, "--waivers", path, "-q")
    assert code == 2 and err == f"mtqa: error: {path}:2: unknown rule id 'no.such.rule' (see `mtqa rules`)\n"
    code, _, err = story["run"]("check", *STORY, "--waivers", tmp_path / "missing.yaml", "-q")
    assert code == 2 and "no such waivers file" in err


def test_canonical_fast_path_reads_as_pyyaml_does(tmp_path):
    """The file `mtqa waive` writes is read by the line-exact fast path; the same file with one
    extra comment at the end goes through PyYAML: the same waivers, the same lines."""
    entries = [{"rule": "typography.nbsp", "mt": 'l\u00a0"x" \\ é', "source": "a  b", "doc": None, "reason": "r: #1",
                "by": "b", "date": "2026-01-02", "expires": "2031-01-01"},
               {"rule": "numbers.unit", "mt": "", "source": "", "doc": "story", "reason": "r", "by": "b",
                "date": "2026-01-03"}]
    text = waivers_yaml(entries)
    from mtqa.quality.waivers import _canonical

    assert _canonical(text, "w", None) is not None and _canonical(text + "# end\n", "w", None) is None
    fast = load_waivers(_write(tmp_path, text), RULES).waivers
    slow = load_waivers(_write(tmp_path, text + "# end\n", "slow.yaml"), RULES).waivers
    assert [w.to_dict() for w in fast] == [w.to_dict() for w in slow]
    assert [w.line for w in fast] == [3, 10] and fast[0].mt == 'l "x" \\ é' and fast[0].source == "a b"
    bad = text.replace("numbers.unit", "nope.unit").replace("2026-01-02", "2026-02-30")
    with pytest.raises(ConfigError, match=r"w\.yaml:3: field 'date' must be a date"):
        load_waivers(_write(tmp_path, bad), RULES)
    with pytest.raises(ConfigError, match=r"w\.yaml:10: unknown rule id 'nope.unit'"):
        load_waivers(_write(tmp_path, bad.replace("2026-02-30", "2026-01-02")), RULES)
