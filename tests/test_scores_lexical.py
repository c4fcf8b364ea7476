"""BLEU, chrF, chrF++ and TER: mtqa's numbers equal the sacrebleu CLI's, to the last printed digit.

The fixture is French written for these tests with French typography: narrow no-break spaces
before ? ! : ; and %, guillemets with no-break spaces, typographic and ASCII apostrophes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtqa.align import align_document
from mtqa.cli import app
from mtqa.config import Settings
from mtqa.inputs.text import load_text_pair
from mtqa.scores.run import score_documents
from mtqa.text.segment import segment_document

FIX = Path(__file__).parent / "fixtures" / "scores"
SRC, MT, REF = FIX / "source.en.txt", FIX / "mt.fr.txt", FIX / "ref.fr.txt"

# (mtqa score name, sacrebleu CLI metric arguments)
METRICS = {
    "bleu": ["-m", "bleu"],
    "chrf": ["-m", "chrf"],
    "chrf++": ["-m", "chrf", "--chrf-word-order", "2"],
    "ter": ["-m", "ter"],
}


def sacrebleu_cli(hyp: Path, ref: Path, args: list[str], width: int) -> str:
    """What ``sacrebleu REF -i HYP -b -w WIDTH`` prints (the score only)."""
    out = subprocess.run(
        [sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), "-b", "-w", str(width), *args],
        capture_output=True, text=True, check=True,
    )
    return out.stdout.strip()


def mtqa_report(tmp_path: Path, *extra: str, mt: Path = MT, ref: Path = REF, src: Path = SRC) -> dict:
    out = tmp_path / "report.json"
    res = CliRunner().invoke(app, ["check", "-s", str(src), "-t", str(mt), "-r", str(ref), "--line-aligned",
                                   "--metrics", "bleu,chrf,chrf++,ter", "-o", str(out), "-q", *extra])
    assert res.exit_code in (0, 1), res.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_fixture_has_french_typography():
    ref = REF.read_text(encoding="utf-8")
    mt = MT.read_text(encoding="utf-8")
    assert "\u202f?" in ref and "\u202f:" in ref and "\u202f;" in ref and "\u202f!" in ref
    assert "«\u00a0" in ref and "’" in ref
    assert "'" in mt and "\"" in mt and " ?" in mt  # the MT uses the other conventions


@pytest.mark.parametrize("tokenize", ["13a", "intl"])
def test_corpus_scores_equal_sacrebleu_cli(tmp_path, tokenize):
    report = mtqa_report(tmp_path, "--tokenize", tokenize)
    for name, args in METRICS.items():
        cli_args = args + (["-tok", tokenize] if name == "bleu" else [])
        value = report["scores"][name]["score"]
        for width in (1, 2, 4):
            assert f"{value:.{width}f}" == sacrebleu_cli(MT, REF, cli_args, width), (name, tokenize, width)
    sig = report["scores"]["bleu"]["signature"]
    assert f"tok:{tokenize}" in sig and "eff:no" in sig and "nrefs:1" in sig
    assert "nw:2" in report["scores"]["chrf++"]["signature"]
    assert "tok:tercom" in report["scores"]["ter"]["signature"]


def test_tokenizer_changes_bleu_on_french_text(tmp_path):
    a = mtqa_report(tmp_path, "--tokenize", "13a")["scores"]["bleu"]["score"]
    b = mtqa_report(tmp_path, "--tokenize", "intl")["scores"]["bleu"]["score"]
    assert a != b  # intl splits on Unicode punctuation (guillemets, ’): the numbers must differ


def test_reference_against_itself_is_perfect(tmp_path):
    report = mtqa_report(tmp_path, mt=REF)
    assert report["scores"]["bleu"]["score"] == pytest.approx(100.0)
    assert report["scores"]["chrf"]["score"] == pytest.approx(100.0)
    assert report["scores"]["ter"]["score"] == pytest.approx(0.0)


def test_segment_and_document_scores_equal_sacrebleu_api():
    from sacrebleu.metrics import BLEU, CHRF, TER

    doc = load_text_pair(str(SRC), str(MT), str(REF), line_aligned=True)
    segment_document(doc)
    adoc = align_document(doc, None)
    settings = Settings(metrics=["bleu", "chrf", "chrf++", "ter"])
    corpus, per_doc = score_documents([adoc], settings, embedder=None)
    hyps = MT.read_text(encoding="utf-8").splitlines()
    refs = REF.read_text(encoding="utf-8").splitlines()
    metrics = {"bleu": BLEU(effective_order=True), "chrf": CHRF(), "chrf++": CHRF(word_order=2), "ter": TER()}
    for name, metric in metrics.items():
        expected = [metric.sentence_score(h, [r]).score for h, r in zip(hyps, refs)]
        assert [s.scores[name] for s in adoc.segments] == expected, name
        # one document: its score is the corpus score
        assert per_doc[adoc.id][name].score == corpus[name].score
    assert "eff:yes" in corpus["bleu"].extra["segment_signature"]


def test_documents_from_docids_aggregate_like_sacrebleu(tmp_path):
    """With --docids each document's score is sacrebleu's corpus score over its own lines."""
    from sacrebleu.metrics import BLEU

    docids = tmp_path / "docids.txt"
    docids.write_text("\n".join(["a"] * 5 + ["b"] * 7) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["check", "-s", str(SRC), "-t", str(MT), "-r", str(REF), "--docids", str(docids),
                                   "--metrics", "bleu", "-o", str(out), "-q"])
    assert res.exit_code in (0, 1), res.output
    report = json.loads(out.read_text(encoding="utf-8"))
    hyps = MT.read_text(encoding="utf-8").splitlines()
    refs = REF.read_text(encoding="utf-8").splitlines()
    docs = {d["id"]: d for d in report["documents"]}
    assert len(docs) == 2
    by_len = {len(d["segments"]): d for d in docs.values()}
    assert by_len[5]["scores"]["bleu"]["score"] == BLEU().corpus_score(hyps[:5], [refs[:5]]).score
    assert by_len[7]["scores"]["bleu"]["score"] == BLEU().corpus_score(hyps[5:], [refs[5:]]).score
    assert report["scores"]["bleu"]["score"] == BLEU().corpus_score(hyps, [refs]).score


def test_aligned_documents_say_so_in_the_signature(tmp_path):
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["check", "-s", str(SRC), "-t", str(MT), "-r", str(REF),
                                   "--metrics", "bleu", "-o", str(out), "-q"])
    assert res.exit_code in (0, 1), res.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["scores"]["bleu"]["signature"].endswith("|segments:mtqa-aligned")


def test_unknown_tokenizer_exits_2(tmp_path):
    res = CliRunner().invoke(app, ["check", "-s", str(SRC), "-t", str(MT), "-r", str(REF), "--line-aligned",
                                   "--metrics", "bleu", "--tokenize", "nope", "-q"])
    assert res.exit_code == 2
    assert "unknown sacrebleu tokenizer 'nope'" in res.output


def test_no_reference_no_lexical_scores(tmp_path):
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["check", "-s", str(SRC), "-t", str(MT), "--line-aligned",
                                   "--metrics", "bleu,chrf,ter", "-o", str(out), "-q"])
    assert res.exit_code in (0, 1), res.output
    assert json.loads(out.read_text(encoding="utf-8"))["scores"] == {}



def test_statistics_cache_gives_the_same_scores_and_extracts_each_pair_once(monkeypatch):
    """Worker processes hand their sacrebleu statistics to the main process through this cache:
    with it primed, no statistics are extracted again and every score is unchanged."""
    from sacrebleu.metrics.base import Metric

    def fresh():
        doc = load_text_pair(str(SRC), str(MT), str(REF), line_aligned=True)
        segment_document(doc)
        return align_document(doc, None)

    settings = Settings(metrics=["bleu", "chrf", "chrf++", "ter"])
    plain = fresh()
    corpus, _ = score_documents([plain], settings, embedder=None)
    extracted: list[int] = []
    real = Metric._extract_corpus_statistics

    def counting(self, hyps, refs):
        extracted.append(len(hyps))
        return real(self, hyps, refs)

    monkeypatch.setattr(Metric, "_extract_corpus_statistics", counting)
    cache: dict = {}
    first = fresh()
    # the same document twice: its pairs are extracted once per metric, not twice
    score_documents([first, fresh()], settings, embedder=None, stats_cache=cache)
    n_pairs = len({(s.mt, s.ref or "") for s in first.segments})
    assert extracted == [n_pairs] * 4 and len(cache) == 4
    extracted.clear()
    again = fresh()
    c2, _ = score_documents([again], settings, embedder=None, stats_cache=cache)
    assert extracted == []  # everything came from the cache
    for name in settings.metrics:
        assert c2[name].score == corpus[name].score and c2[name].signature == corpus[name].signature
        assert [s.scores[name] for s in again.segments] == [s.scores[name] for s in plain.segments]


def test_statistics_are_extracted_in_chunks_with_the_same_result(monkeypatch):
    """sacrebleu keeps every reference of one extraction call pre-processed (chrF: ~50 KB a
    segment); mtqa calls it in chunks, which must not change a single number."""
    from mtqa.scores import sacrebleu_stats

    doc = load_text_pair(str(SRC), str(MT), str(REF), line_aligned=True)
    segment_document(doc)
    settings = Settings(metrics=["bleu", "chrf", "ter"])
    whole = align_document(doc, None)
    expected, _ = score_documents([whole], settings, embedder=None)
    assert len(whole.segments) > 3
    from sacrebleu.metrics.base import Metric

    calls: list[int] = []
    real = Metric._extract_corpus_statistics
    monkeypatch.setattr(Metric, "_extract_corpus_statistics",
                        lambda self, h, r: calls.append(len(h)) or real(self, h, r))
    monkeypatch.setattr(sacrebleu_stats, "STATS_CHUNK", 2)
    chunked = align_document(doc, None)
    got, _ = score_documents([chunked], settings, embedder=None)
    n = len({(s.mt, s.ref or "") for s in chunked.segments})  # each distinct pair once
    assert calls == ([2] * (n // 2) + ([n % 2] if n % 2 else [])) * 3  # BLEU, chrF, TER in chunks of 2
    for name in settings.metrics:
        assert got[name].score == expected[name].score
        assert [s.scores[name] for s in chunked.segments] == [s.scores[name] for s in whole.segments]
