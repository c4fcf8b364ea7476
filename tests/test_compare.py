"""``mtqa compare``: sacrebleu's paired tests for BLEU/chrF/TER (same numbers as the sacrebleu CLI),
mtqa.quality.significance for the segment-level scores, documents, and input errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.quality.significance import paired_approximate_randomization, paired_bootstrap

FIX = Path(__file__).parent / "fixtures" / "scores"
SRC, REF = FIX / "source.en.txt", FIX / "ref.fr.txt"
SYSTEMS = [FIX / "mt.fr.txt", FIX / "mt_faulty.fr.txt", FIX / "ref.fr.txt"]


def compare(*args: str) -> tuple[int, dict | None, str]:
    res = CliRunner().invoke(app, ["compare", "-s", str(SRC), "-r", str(REF), *args, "-f", "json", "--no-progress"])
    try:
        return res.exit_code, json.loads(res.stdout), res.output
    except json.JSONDecodeError:
        return res.exit_code, None, res.output


def sacrebleu_paired(test: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "sacrebleu", str(REF), "-i", *map(str, SYSTEMS),
                          "-m", "bleu", "chrf", "ter", f"--paired-{test}"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("test", ["bs", "ar"])
def test_lexical_tests_equal_sacrebleu_cli(test):
    code, result, output = compare(*map(str, SYSTEMS), "-m", "bleu,chrf,ter", f"--paired-{test}")
    assert code == 0, output
    expected = sacrebleu_paired(test)
    assert [s["name"] for s in result["systems"]] == ["mt", "mt_faulty", "ref"]
    for ours, theirs in zip(result["systems"], expected):
        for m, label in (("bleu", "BLEU"), ("chrf", "chrF2"), ("ter", "TER")):
            assert ours["scores"][m]["score"] == theirs[label]["score"]
            assert ours["scores"][m]["p_value"] == theirs[label]["p_value"]
            if test == "bs":
                assert ours["scores"][m]["mean"] == pytest.approx(theirs[label]["mean"])
                assert ours["scores"][m]["ci"] == pytest.approx(theirs[label]["ci"])
    assert "bs:1000" in result["metrics"]["bleu"]["signature"] or test == "ar"
    assert result["baseline"] == "mt"


def test_ranks_and_significance_marks():
    code, result, output = compare(*map(str, SYSTEMS))
    assert code == 0, output
    by = {s["name"]: s["scores"] for s in result["systems"]}
    # the reference as a system is best on the reference-based scores, significantly
    for m in ("bleu", "chrf", "ter", "adequacy-ref"):
        assert by["ref"][m]["rank"] == 1 and by["ref"][m]["vs_baseline"] == "better", m
    assert by["mt"]["bleu"]["vs_baseline"] == "baseline"
    assert by["mt_faulty"]["bleu"]["rank"] == 3
    assert by["mt_faulty"]["adequacy"]["delta"] < 0


def test_segment_scores_use_mtqa_significance():
    from mtqa.embed import get_embedder
    from mtqa.scores.adequacy import line_scores

    code, result, output = compare(str(SYSTEMS[0]), str(SYSTEMS[1]), "-m", "adequacy")
    assert code == 0, output
    emb = get_embedder("use-m3")
    src = SRC.read_text(encoding="utf-8").splitlines()
    a = line_scores(emb, src, SYSTEMS[0].read_text(encoding="utf-8").splitlines(), "src-mt")
    b = line_scores(emb, src, SYSTEMS[1].read_text(encoding="utf-8").splitlines(), "src-mt")
    r = paired_bootstrap(a, b)
    cell = result["systems"][1]["scores"]["adequacy"]
    assert cell["p_value"] == r["p_value"]
    assert cell["score"] == pytest.approx(float(np.mean(b)))
    assert cell["delta"] == pytest.approx(r["delta"])


def test_documents_and_by_doc(tmp_path):
    docids = tmp_path / "docids.tsv"
    ids = ["alpha"] * 5 + ["beta"] * 2 + ["gamma"] * 5
    docids.write_text("line\tdocid\n" + "".join(f"{i}\t{d}\n" for i, d in enumerate(ids, 1)), encoding="utf-8")
    code, result, output = compare(str(SYSTEMS[0]), str(SYSTEMS[1]), "-m", "bleu,adequacy", "--docids", str(docids),
                                   "--by-doc", "--top", "3")
    assert code == 0, output
    docs = result["documents"]
    assert docs["count"] == 3 and set(docs["scores"]) == {"alpha", "beta", "gamma"}
    from sacrebleu.metrics import BLEU

    hyps = SYSTEMS[1].read_text(encoding="utf-8").splitlines()
    refs = REF.read_text(encoding="utf-8").splitlines()
    assert docs["scores"]["alpha"]["mt_faulty"]["bleu"] == BLEU().corpus_score(hyps[:5], [refs[:5]]).score
    worse = docs["worse_than_baseline"]["systems"]["mt_faulty"]
    # line 3 (alpha) and line 12 (gamma) were replaced: those got worse; beta (2 lines) is too short to test
    assert {r["document"] for r in worse} == {"alpha", "gamma"}
    assert all(r["delta"] < 0 and 0 < r["p_value"] <= 1 for r in worse)


def test_text_table(tmp_path):
    out = tmp_path / "c.json"
    res = CliRunner().invoke(app, ["compare", "-s", str(SRC), "-r", str(REF), *map(str, SYSTEMS), "-m", "bleu,chrf",
                                   "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "Baseline: mt" in res.stdout and "(p = " in res.stdout and "BLEU" in res.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["baseline"] == "mt"


def test_input_errors(tmp_path):
    short = tmp_path / "short.fr"
    short.write_text("Une seule ligne.\n", encoding="utf-8")
    code, _, output = compare(str(SYSTEMS[0]), str(short))
    assert code == 2 and "same number of lines" in output and "short.fr: 1" in output
    code, _, output = compare(str(SYSTEMS[0]))
    assert code == 2 and "at least two systems" in output
    code, _, output = compare(str(SYSTEMS[0]), str(SYSTEMS[1]), "-m", "bleu,nope")
    assert code == 2 and "unknown metric" in output
    code, _, output = compare(str(SYSTEMS[0]), str(SYSTEMS[1]), "--by-doc")
    assert code == 2 and "--by-doc needs --docids" in output


def test_significance_helpers_behave():
    rng = np.random.default_rng(0)
    base = rng.normal(50, 10, 400)
    better = base + 3 + rng.normal(0, 2, 400)
    same = base + rng.normal(0, 2, 400)
    assert paired_bootstrap(base, better)["p_value"] < 0.01
    assert paired_approximate_randomization(base, better)["p_value"] < 0.01
    assert paired_bootstrap(base, same)["p_value"] > 0.05
    assert paired_approximate_randomization(base, same)["p_value"] > 0.05
    r = paired_bootstrap(base, better)
    assert r["ci_low"] < r["delta"] < r["ci_high"] and r["delta"] == pytest.approx(float(np.mean(better - base)))
    assert paired_bootstrap(base, base)["p_value"] == 1.0
    with pytest.raises(ValueError):
        paired_bootstrap([1.0, 2.0], [1.0])


def _without_timing(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "timing"}


def test_worker_statistics_give_the_same_result(tmp_path):
    """-j 2: each system's sacrebleu statistics come from worker processes into the one cache."""
    docids = tmp_path / "docids.txt"
    docids.write_text("".join(f"{d}\n" for d in ["a"] * 6 + ["b"] * 6), encoding="utf-8")
    args = [*map(str, SYSTEMS), "-m", "ter,bleu,chrf++", "--docids", str(docids), "--by-doc"]
    code1, one, out1 = compare(*args)
    code2, two, out2 = compare(*args, "-j", "2")
    assert code1 == code2 == 0, out1 + out2
    assert _without_timing(one) == _without_timing(two)


def test_labels_and_directions_come_from_the_scorers():
    from mtqa.compare import load_inputs, run_compare
    from mtqa.config import Settings

    inputs = load_inputs(str(SRC), str(REF), [str(SYSTEMS[0]), str(SYSTEMS[1])])
    result = run_compare(inputs, Settings(), ["ter", "chrf++"], n_samples=100)
    assert result["metrics"]["ter"]["label"] == "TER" and result["metrics"]["ter"]["higher_is_better"] is False
    assert result["metrics"]["chrf++"]["label"] == "chrF2++" and result["metrics"]["chrf++"]["higher_is_better"]
    ter = {s["name"]: s["scores"]["ter"] for s in result["systems"]}
    assert ter["mt"]["score"] < ter["mt_faulty"]["score"] and ter["mt"]["rank"] == 1  # lower TER ranks first


def test_a_label_sacrebleu_does_not_use_fails_loudly(monkeypatch):
    from mtqa.compare import load_inputs, run_compare
    from mtqa.config import Settings
    from mtqa.scores.chrf import ChrfScorer

    monkeypatch.setattr(ChrfScorer, "label", "chrF3")
    inputs = load_inputs(str(SRC), str(REF), [str(SYSTEMS[0]), str(SYSTEMS[1])])
    with pytest.raises(RuntimeError, match="none is 'chrF3', the label of the 'chrf' scorer"):
        run_compare(inputs, Settings(), ["chrf"], n_samples=10)


def test_the_cached_metric_takes_one_reference_stream():
    from sacrebleu.metrics import BLEU

    from mtqa.scores.sacrebleu_stats import CachedMetric

    m = CachedMetric(BLEU(), {})
    assert len(m._extract_corpus_statistics(["a b c"], [["a b d"]])) == 1 and m.num_refs == 1
    for refs in (None, [["a"], ["b"]]):
        with pytest.raises(ValueError, match="one reference stream"):
            m._extract_corpus_statistics(["a"], refs)


def test_sacrebleu_scores_have_no_line_scores():
    from mtqa.config import Settings
    from mtqa.scores.base import ScoreContext
    from mtqa.scores.ter import TerScorer

    scorer = TerScorer(ScoreContext(settings=Settings()))
    with pytest.raises(NotImplementedError, match="'ter' score has no line scores"):
        scorer.line_scores(["a"], ["b"], ["c"])
    with pytest.raises(NotImplementedError):
        scorer.line_signature()


def test_the_table_renderer_reads_only_the_result(tmp_path):
    import ast

    from rich.console import Console

    from mtqa.report.formats import compare as renderer

    tree = ast.parse(Path(renderer.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not [m for m in imported if m and m.startswith("mtqa")]
    cell = {"score": 0.81234, "mean": 0.8, "ci": 0.01, "p_value": None, "rank": 1, "significant": False,
            "vs_baseline": "baseline", "delta": 0.0}
    result = {"test": {"type": "paired-bs", "samples": 10, "seed": 1, "alpha": 0.05}, "lines": 3,
              "metrics": {"comet": {"label": "COMET", "signature": "sig", "higher_is_better": True}},
              "systems": [{"name": "a", "scores": {"comet": cell}}]}
    console = Console(record=True, width=120)
    renderer.print_table(result, console, decimals={"comet": 4})
    assert "0.8123 (0.8000 ± 0.0100) #1" in console.export_text()
    console = Console(record=True, width=120)
    renderer.print_table(result, console)
    assert "0.8 (0.8 ± 0.0) #1" in console.export_text()
