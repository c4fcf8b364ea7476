"""Adequacy (USE cross-lingual similarity, calibrated) and the adequacy.low check."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mtqa.align import align_document
from mtqa.checks.adequacy import severity_for
from mtqa.cli import app
from mtqa.config import Settings
from mtqa.embed import get_embedder
from mtqa.inputs.text import load_text_pair
from mtqa.scores.adequacy import CALIBRATIONS, calibration_for
from mtqa.scores.run import score_documents
from mtqa.text.segment import segment_document

FIX = Path(__file__).parent / "fixtures" / "scores"
SEED = Path(__file__).parent.parent / "references" / "kyiv-air-defence"


def run(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["check", *args, "-o", str(out), "-q"])
    assert res.exit_code in (0, 1), res.output
    return json.loads(out.read_text(encoding="utf-8"))


def adequacy_findings(report: dict) -> list[dict]:
    return [f for d in report["documents"] for f in d["findings"] if f["rule"] == "adequacy.low"]


def test_calibration_is_monotone_and_bounded():
    for cal in CALIBRATIONS.values():
        xs = np.linspace(-1, 1, 201)
        ys = cal(xs)
        assert np.all(np.diff(ys) >= 0)
        assert ys.min() == 0.0 and ys.max() == 100.0
        assert cal.inverse(float(cal(0.6))) == pytest.approx(0.6)


def test_seed_reference_is_adequate_and_quiet(tmp_path):
    """The human reference of the seed pack, checked as MT, gets no major/critical adequacy finding."""
    report = run(tmp_path, "-s", str(SEED / "source.en.txt"), "-t", str(SEED / "ref.fr.txt"))
    assert not [f for f in adequacy_findings(report) if f["severity"] in ("major", "critical")]
    score = report["scores"]["adequacy"]
    assert score["score"] > 75
    sig = score["signature"]
    assert "use-m3" in sig and "cal:use-m3-newstest2014-v1" in sig and "universal-sentence-encoder-multilingual-3" in sig
    assert "comet" not in sig.lower()


def test_fires_on_unrelated_and_truncated_translation(tmp_path):
    report = run(tmp_path, "-s", str(FIX / "source.en.txt"), "-t", str(FIX / "mt_faulty.fr.txt"), "--line-aligned")
    found = {f["segment"]: f for f in adequacy_findings(report)}
    assert found[2]["severity"] == "critical"  # a sentence about a jazz festival
    assert found[11]["severity"] in ("major", "critical")  # "Les unités de défense" for a 12-word sentence
    assert found[11]["category"] == "accuracy/mistranslation"
    assert found[2]["mt_text"] == report["documents"][0]["segments"][2]["mt"]
    assert set(found) == {2, 11}


def test_quiet_on_correct_fixture_translation(tmp_path):
    report = run(tmp_path, "-s", str(FIX / "source.en.txt"), "-t", str(FIX / "mt.fr.txt"), "--line-aligned")
    assert adequacy_findings(report) == []


def test_reference_similarity_and_document_mean(tmp_path):
    report = run(tmp_path, "-s", str(FIX / "source.en.txt"), "-t", str(FIX / "mt.fr.txt"), "-r", str(FIX / "ref.fr.txt"),
                 "--line-aligned", "--metrics", "adequacy,adequacy-ref")
    segs = report["documents"][0]["segments"]
    assert all("adequacy-ref" in s["scores"] and "adequacy" in s["scores"] for s in segs)
    doc_score = report["documents"][0]["scores"]["adequacy"]["score"]
    assert doc_score == pytest.approx(np.mean([s["scores"]["adequacy"] for s in segs]), abs=1e-3)
    assert "mt-ref" in report["scores"]["adequacy-ref"]["signature"]
    # the MT against the reference itself: identical texts score 100
    same = run(tmp_path, "-s", str(FIX / "source.en.txt"), "-t", str(FIX / "ref.fr.txt"), "-r", str(FIX / "ref.fr.txt"),
               "--line-aligned", "--metrics", "adequacy-ref")
    assert same["scores"]["adequacy-ref"]["score"] == pytest.approx(100.0, abs=0.01)


def test_reuses_the_aligner_embeddings():
    """Scoring adequacy on an aligned document embeds nothing new: the aligner's runs are cached."""
    emb = get_embedder("use-m3")
    doc = load_text_pair(str(SEED / "source.en.txt"), str(SEED / "ref.fr.txt"))
    segment_document(doc)
    adoc = align_document(doc, emb)
    before = emb.encoded
    corpus, _ = score_documents([adoc], Settings(metrics=["adequacy"]), emb)
    assert emb.encoded == before
    assert corpus["adequacy"].extra["segments"] == len([s for s in adoc.segments if s.mt_ids and s.src_ids])


def test_omissions_are_not_scored(tmp_path):
    src = tmp_path / "s.txt"
    mt = tmp_path / "t.txt"
    src.write_text("The mayor announced a new plan on Monday.\n\nRescue teams worked through the night in the "
                   "flooded villages.\n\nThe court will rule on the case next week.\n", encoding="utf-8")
    mt.write_text("Le maire a annoncé un nouveau plan lundi.\n\nLe tribunal statuera sur l’affaire la semaine "
                  "prochaine.\n", encoding="utf-8")
    report = run(tmp_path, "-s", str(src), "-t", str(mt), "--metrics", "adequacy")
    segs = report["documents"][0]["segments"]
    omitted = [s for s in segs if s["alignment"] == "1-0"]
    assert omitted and all("adequacy" not in s["scores"] for s in omitted)
    assert all("adequacy" in s["scores"] for s in segs if s["alignment"] == "1-1")
    assert not adequacy_findings(report)  # an omission is not an adequacy finding


def test_severity_thresholds():
    assert severity_for(5.0, 20) == "critical"
    assert severity_for(29.0, 20) == "major" and severity_for(31.0, 20) is None
    assert severity_for(60.0, 20) is None
    assert severity_for(21.0, 6) is None and severity_for(19.0, 6) == "major"
    assert severity_for(0.0, 3) is None  # too short to judge by embeddings


def test_uncalibrated_embedder_has_no_calibration():
    assert calibration_for("hf", "src-mt") is None
    assert calibration_for("use-m3", "src-mt") is not None
