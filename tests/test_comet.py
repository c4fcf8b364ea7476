"""COMET end to end with tiny checkpoints built offline (tests/tiny_models.py): real unbabel-comet
models with random weights, loaded and run through ``mtqa check --comet-model``. Nothing is mocked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("comet")
pytest.importorskip("sentencepiece")

from mtqa.cli import app  # noqa: E402
from tiny_models import build_tiny_comet  # noqa: E402

FIX = Path(__file__).parent / "fixtures" / "scores"
SRC, MT, REF = FIX / "source.en.txt", FIX / "mt.fr.txt", FIX / "ref.fr.txt"


@pytest.fixture(scope="session")
def tiny_comet(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny-comet")
    return {kind: build_tiny_comet(root / kind, kind) for kind in ("regression", "unified")}


def check(tmp_path: Path, *args: str) -> tuple[int, dict | None, str]:
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["check", *args, "-o", str(out), "-q"])
    report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return res.exit_code, report, res.output


def direct_predict(ckpt: Path, samples: list[dict]):
    from comet import load_from_checkpoint

    model = load_from_checkpoint(str(ckpt), local_files_only=True)
    return model.predict(samples, batch_size=4, gpus=0, progress_bar=False, num_workers=0)


def lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").splitlines()


def test_reference_based_model_end_to_end(tmp_path, tiny_comet):
    ckpt_dir = tiny_comet["regression"].parents[1]  # the model directory, as users pass it
    code, report, output = check(tmp_path, "-s", str(SRC), "-t", str(MT), "-r", str(REF), "--line-aligned",
                                 "--metrics", "bleu", "--comet-model", str(ckpt_dir), "--comet-batch-size", "3")
    assert code in (0, 1), output
    assert "comet" in report["scores"]  # --comet-model alone adds the score
    seg_scores = [s["scores"]["comet"] for s in report["documents"][0]["segments"]]
    expected = direct_predict(tiny_comet["regression"], [
        {"src": s, "mt": m, "ref": r} for s, m, r in zip(lines(SRC), lines(MT), lines(REF))])
    assert seg_scores == pytest.approx([round(x, 4) for x in expected.scores], abs=1e-4)
    assert report["scores"]["comet"]["score"] == pytest.approx(expected.system_score, abs=1e-6)
    sig = report["scores"]["comet"]["signature"]
    assert "class:regression_metric" in sig and "ref-used:yes" in sig and "unbabel-comet:" in sig


def test_reference_based_model_without_reference_exits_2(tmp_path, tiny_comet):
    code, report, output = check(tmp_path, "-s", str(SRC), "-t", str(MT), "--line-aligned",
                                 "--comet-model", str(tiny_comet["regression"]))
    assert code == 2 and report is None
    assert "reference-based" in output


def test_reference_free_model_gives_error_span_findings(tmp_path, tiny_comet):
    ckpt = tiny_comet["unified"]
    code, report, output = check(tmp_path, "-s", str(SRC), "-t", str(MT), "--line-aligned",
                                 "--metrics", "adequacy", "--comet-model", str(ckpt))
    assert code in (0, 1), output
    doc = report["documents"][0]
    assert "ref-used:no" in report["scores"]["comet"]["signature"]
    expected = direct_predict(ckpt, [{"src": s, "mt": m} for s, m in zip(lines(SRC), lines(MT))])
    raw = expected.metadata.error_spans
    assert any(len(s) for s in raw), "the tiny unified model should tag some subwords"
    findings = [f for f in doc["findings"] if f["rule"] == "comet.span"]
    assert findings
    segs = doc["segments"]
    for f in findings:
        mt = segs[f["segment"]]["mt"]
        assert f["mt_text"] == mt[f["mt_start"]:f["mt_end"]] and f["mt_text"].strip()
        assert f["severity"] in ("minor", "major")
        # every finding overlaps at least one span the model returned (spans are widened to words)
        model_spans = [(s["start"], s["end"]) for s in raw[f["segment"]] if s["end"] > s["start"]]
        assert any(a < f["mt_end"] and f["mt_start"] < b for a, b in model_spans)
    # the non-blank core of every model span lies inside a finding with at least its severity
    rank = {"minor": 0, "major": 1, "critical": 2}
    for k, spans in enumerate(raw):
        mt = segs[k]["mt"]
        for s in spans:
            a, b = s["start"], min(s["end"], len(mt))
            while a < b and mt[a].isspace():
                a += 1
            while b > a and mt[b - 1].isspace():
                b -= 1
            if b <= a:
                continue
            cover = [f for f in findings if f["segment"] == k and f["mt_start"] <= a and b <= f["mt_end"]]
            assert cover and max(rank[f["severity"]] for f in cover) >= rank[s["severity"]], (k, s)

def test_no_comet_no_span_findings(tmp_path):
    code, report, output = check(tmp_path, "-s", str(SRC), "-t", str(MT), "--line-aligned", "--metrics", "adequacy")
    assert code in (0, 1), output
    assert not [f for f in report["documents"][0]["findings"] if f["rule"] == "comet.span"]


@pytest.mark.parametrize("spec", ["Unbabel/wmt22-comet-da", "./no/such/model", "/nonexistent/model.ckpt"])
def test_missing_model_exits_2_with_how_to(tmp_path, spec):
    code, report, output = check(tmp_path, "-s", str(SRC), "-t", str(MT), "-r", str(REF), "--line-aligned",
                                 "--comet-model", spec)
    assert code == 2 and report is None
    assert f"COMET model '{spec}'" in output
    assert "--comet-model PATH" in output and "never downloads" in output
    assert "Traceback" not in output


def test_directory_without_checkpoint_exits_2(tmp_path):
    empty = tmp_path / "empty-model"
    empty.mkdir()
    code, _, output = check(tmp_path, "-s", str(SRC), "-t", str(MT), "-r", str(REF), "--line-aligned",
                            "--comet-model", str(empty))
    assert code == 2 and "no checkpoints/model.ckpt" in output


def test_help_does_not_import_torch():
    code = ("import sys; from typer.testing import CliRunner; from mtqa.cli import app; "
            "r = CliRunner().invoke(app, ['check', '--help']); assert r.exit_code == 0; "
            "print('torch' in sys.modules, 'comet' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
