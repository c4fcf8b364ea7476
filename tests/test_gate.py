"""The quality gate: thresholds → exit 0/1, which criterion failed and by how much, baselines."""

import json
import re
from xml.etree import ElementTree as ET

import pytest
from report_sample import sample_report

from mtqa.checks.base import Check
from mtqa.checks.registry import REGISTRY
from mtqa.config import GateSettings
from mtqa.model import Score
from mtqa.quality import baseline, gate


def _doc(counts=(0, 0, 0), findings=(), penalty=0.0, doc_id="d"):
    return {"id": doc_id, "verdict": "pass", "findings": list(findings), "segments": [],
            "mqm": {"counts": dict(zip(("minor", "major", "critical"), counts)), "penalty_per_1000_words": penalty}}


def test_severity_limits_say_by_how_much():
    gs = GateSettings(max_critical=0, max_major=2)
    doc = _doc((0, 5, 1))
    result = gate.evaluate(gs, {}, [doc])
    assert not result["passed"] and doc["verdict"] == "fail"
    msgs = {c["name"]: c["message"] for c in result["criteria"]}
    assert msgs["max_critical"] == "1 critical finding(s), at most 0 allowed (1 over)"
    assert msgs["max_major"] == "5 major finding(s), at most 2 allowed (3 over)"


def test_mqm_penalty_and_fail_on_rules():
    gs = GateSettings(max_critical=None, max_mqm_penalty=50, fail_on=["names"])
    hits = [{"rule": "names.changed", "severity": "minor"}, {"rule": "namesake", "severity": "minor"}]
    result = gate.evaluate(gs, {}, [_doc(penalty=80.0, findings=hits)])
    by = {c["name"]: c for c in result["criteria"]}
    assert by["max_mqm_penalty"]["message"].endswith("(30.0 over)") and not by["max_mqm_penalty"]["passed"]
    # a sub-rule (names.changed) counts for its check (names); another rule with the same prefix does not
    assert by["fail_on:names"]["value"] == 1 and not by["fail_on:names"]["passed"]
    assert gate.evaluate(GateSettings(max_critical=None, max_mqm_penalty=100), {}, [_doc(penalty=80.0)])["passed"]


def test_corpus_scores_min_max_and_missing():
    gs = GateSettings(max_critical=None, min_chrf=60, max_ter=40, min_comet=0.8)
    scores = {"chrf": Score("chrf", 55.5, "sig"), "ter": Score("ter", 38.0, "sig")}
    by = {c["name"]: c for c in gate.evaluate(gs, scores, [])["criteria"]}
    assert by["min_chrf"]["message"] == "chrf 55.50, at least 60 required (4.50 short)" and not by["min_chrf"]["passed"]
    assert by["max_ter"]["passed"]
    assert by["min_comet"]["message"] == "comet threshold set but comet was not computed" and not by["min_comet"]["passed"]


def _seg_report(values, doc_id="doc", metric="chrf", findings=()):
    segs = [{"index": i, "source": f"Sentence number {i}.", "mt": f"Phrase {i}.", "ref": None, "alignment": "given",
             "scores": {metric: v}} for i, v in enumerate(values)]
    return {"documents": [{"id": doc_id, "segments": segs, "findings": list(findings)}]}


def test_baseline_significant_regression_fails_and_noise_does_not():
    import random

    rnd = random.Random(7)
    base = [60 + rnd.uniform(-10, 10) for _ in range(80)]
    worse = [v - 8 + rnd.uniform(-2, 2) for v in base]
    noise = [v + rnd.uniform(-1.5, 1.5) for v in base]
    gs = GateSettings(baseline="base.json")
    crit, info = baseline.baseline_criteria(gs, _seg_report(worse)["documents"], {"minor": 1, "major": 5, "critical": 10},
                                            _seg_report(base))
    chrf = next(c for c in crit if c["name"] == "baseline:chrf")
    assert not chrf["passed"] and chrf["value"] == pytest.approx(sum(worse) / 80 - sum(base) / 80, abs=1e-3)
    assert re.search(r"significant regression \(p=0\.00\d < 0\.05\)", chrf["message"]) and "80 paired segments" in chrf["message"]
    assert info["paired_segments"] == 80 and info["tests"]["chrf"]["ci_high"] < 0
    crit, _ = baseline.baseline_criteria(gs, _seg_report(noise)["documents"], {}, _seg_report(base))
    assert all(c["passed"] for c in crit), [c["message"] for c in crit]


@pytest.mark.parametrize("metric,regression", [("ter", True), ("chrf", False), ("future-score", False)])
def test_baseline_direction_comes_from_the_scorer(metric, regression):
    """Scores that rise by 8: a regression for TER (lower is better, its scorer says), an improvement
    for chrF and for a score the registry does not know (an older or newer report's)."""
    import random

    rnd = random.Random(3)
    base = [40 + rnd.uniform(-10, 10) for _ in range(60)]
    higher = [v + 8 + rnd.uniform(-2, 2) for v in base]
    gs = GateSettings(baseline="base.json")
    crit, _ = baseline.baseline_criteria(gs, _seg_report(higher, metric=metric)["documents"], {},
                                         _seg_report(base, metric=metric))
    c = next(c for c in crit if c["name"] == f"baseline:{metric}")
    assert c["passed"] is not regression
    assert ("significant regression (p=" in c["message"]) is regression
    assert c["message"].endswith("no regression") is not regression


def test_baseline_criteria_without_a_baseline_is_a_bug():
    with pytest.raises(ValueError, match="needs a baseline"):
        baseline.baseline_criteria(GateSettings(), _seg_report([1.0])["documents"], {})


def test_gate_keeps_load_baseline_for_the_pipeline():
    assert gate.load_baseline is baseline.load_baseline


def test_a_score_without_its_own_setting_gets_a_threshold_from_its_metadata():
    """chrF++ and adequacy-ref have no --min-… option: their thresholds live in score_limits,
    under the key their direction gives, and are judged in the registry's order."""
    gs = GateSettings(max_critical=None, min_bleu=10, max_ter=50,
                      score_limits={"min_chrf++": 60, "min_adequacy-ref": 70})
    scores = {"bleu": Score("bleu", 20.0, "sig"), "chrf++": Score("chrf++", 58.0, "sig"),
              "ter": Score("ter", 55.0, "sig"), "adequacy-ref": Score("adequacy-ref", 80.0, "sig")}
    crit = gate.evaluate(gs, scores, [])["criteria"]
    assert [c["name"] for c in crit] == ["min_bleu", "min_chrf++", "max_ter", "min_adequacy-ref"]
    by = {c["name"]: c for c in crit}
    assert by["min_chrf++"]["message"] == "chrf++ 58.00, at least 60 required (2.00 short)"
    assert by["max_ter"]["message"] == "ter 55.00, at most 50 required (5.00 short)" and not by["max_ter"]["passed"]
    assert by["min_adequacy-ref"]["passed"] and by["min_bleu"]["passed"]
    assert gs.score_limit("min_bleu") == 10 and gs.score_limit("min_chrf++") == 60 and gs.score_limit("min_comet") is None


def test_baseline_matches_by_source_when_documents_are_renamed_or_reordered():
    base = _seg_report([50.0, 60.0, 70.0], doc_id="old-name")
    cur = _seg_report([50.0, 60.0, 70.0], doc_id="new-name")
    cur["documents"][0]["segments"].reverse()
    for i, s in enumerate(cur["documents"][0]["segments"]):
        s["index"] = i
    pairs = baseline.match_segments(base, cur["documents"])
    assert [(b[1]["source"] == c[1]["source"]) for b, c in pairs] == [True, True, True]
    assert all(b[1]["scores"] == c[1]["scores"] for b, c in pairs)


class _Flagger(Check):
    """Flags every segment containing " de " as a major error (test double registered for one test)."""

    id = "test.flagger"
    category = "accuracy/mistranslation"
    severity = "major"
    doc = "Test check."

    def run(self, ctx):
        for seg in ctx.segments:
            i = seg.mt.find(" de ")
            if i >= 0:
                yield self.finding(seg, i + 1, i + 3, "flagged for the test", source_text="of")


@pytest.fixture
def flagger(monkeypatch):
    monkeypatch.setitem(REGISTRY, "test.flagger", _Flagger)


def _seed_args(seed):
    return ["check", "-s", seed / "source.en.txt", "-t", seed / "mt.fr.txt", "-r", seed / "ref.fr.txt"]


def test_failing_gate_exits_1_and_every_report_names_the_criterion(run_cli, seed, tmp_path, flagger):
    junit, md = tmp_path / "r.xml", tmp_path / "r.md"
    code, stdout, stderr = run_cli(*_seed_args(seed), "--max-critical", "1000", "--max-major", "2",
                                   "-o", junit, "-o", md, "-o", tmp_path / "r.json")
    assert code == 1, stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    n = report["documents"][0]["mqm"]["counts"]["major"]
    assert n > 2
    assert f"✗ kyiv-air-defence: {n} major finding(s), at most 2 allowed ({n - 2} over)" in " ".join(stdout.split())
    root = ET.fromstring(junit.read_text(encoding="utf-8"))
    fail = root.find("testsuite[@name='mtqa.gate']/testcase[@name='max_major [kyiv-air-defence]']/failure")
    assert fail is not None and f"({n - 2} over)" in fail.get("message")
    assert f"| ❌ | max\\_major | kyiv-air-defence | {n} | 2 |" in md.read_text(encoding="utf-8")


def test_passing_gate_exits_0(run_cli, seed, flagger):
    code, stdout, stderr = run_cli(*_seed_args(seed), "--max-critical", "1000", "--max-major", "1000")
    assert code == 0, stderr
    assert "Gate passed" in stdout


def test_gate_from_mtqa_toml_and_fail_on(run_cli, seed, tmp_path, flagger):
    cfg = tmp_path / "mtqa.toml"
    cfg.write_text('[gate]\nmax_critical = 1000\nfail_on = ["test.flagger"]\n', encoding="utf-8")
    code, stdout, _ = run_cli(*_seed_args(seed), "-c", cfg)
    flat = " ".join(stdout.split())  # the terminal report wraps long lines
    assert code == 1 and re.search(r"rule test\.flagger: \d+ finding\(s\), and this rule fails the gate", flat)


def test_baseline_from_an_earlier_run(run_cli, seed, tmp_path, monkeypatch):
    first = tmp_path / "before.json"
    code, _, stderr = run_cli(*_seed_args(seed), "--max-critical", "1000", "-o", first)
    assert code == 0, stderr
    # same MT again: no regression
    code, _, stderr = run_cli(*_seed_args(seed), "--max-critical", "1000", "--baseline", first, "-o", tmp_path / "same.json")
    assert code == 0, stderr
    same = json.loads((tmp_path / "same.json").read_text(encoding="utf-8"))
    assert same["gate"]["baseline"]["paired_segments"] == len(same["documents"][0]["segments"])
    # now a check flags most segments as major: a significant MQM regression against the baseline
    monkeypatch.setitem(REGISTRY, "test.flagger", _Flagger)
    code, _, stderr = run_cli(*_seed_args(seed), "--max-critical", "1000", "--baseline", first, "-o", tmp_path / "worse.json")
    assert code == 1, stderr
    worse = json.loads((tmp_path / "worse.json").read_text(encoding="utf-8"))
    crit = next(c for c in worse["gate"]["criteria"] if c["name"] == "baseline:mqm_penalty")
    assert not crit["passed"] and crit["value"] > 0 and "significant regression" in crit["message"]


@pytest.mark.parametrize("content,match", [
    ("not json", "baseline is not valid JSON"),
    ('{"tool": {}}', "not an mtqa JSON report"),
])
def test_bad_baseline_exits_2(run_cli, seed, tmp_path, content, match):
    p = tmp_path / "b.json"
    p.write_text(content, encoding="utf-8")
    code, _, stderr = run_cli(*_seed_args(seed), "--baseline", p)
    assert code == 2 and match in stderr and len(stderr.strip().split("\n")) == 1


def test_baseline_sharing_no_segment_exits_2(run_cli, seed, tmp_path):
    p = tmp_path / "b.json"
    r = sample_report()
    p.write_text(json.dumps(r), encoding="utf-8")
    code, _, stderr = run_cli(*_seed_args(seed), "--baseline", p)
    assert code == 2 and "shares no segment" in stderr
