"""The learned rankers rank-ref / rank-qe: model files (packaged, user's, broken), signatures, the
character LM, score direction, the pipeline (report levels, gate, HTML) and ``mtqa compare``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from mtqa.errors import ModelError
from mtqa.scores import charlm
from mtqa.scores.learned import DATA, load_model
from mtqa.scores.rank_qe import RankQe
from mtqa.scores.rank_ref import RankRef

FIX = Path(__file__).parent / "fixtures" / "scores"
SRC, MT, REF = FIX / "source.en.txt", FIX / "mt.fr.txt", FIX / "ref.fr.txt"

SOURCE = ["The minister announced 12 new schools on Monday.", "Prices rose by 3 percent last year."]
REFS = ["Le ministre a annoncé lundi 12 nouvelles écoles.", "Les prix ont augmenté de 3 % l'an dernier."]
GOOD = ["Le ministre a annoncé lundi 12 nouvelles écoles.", "Les prix ont augmenté de 3 % l'année dernière."]
BAD = ["The minister announced new schools on Monday.", "Prix rose par 5 pourcent last year."]


def tiny_model(**change) -> dict:
    """A valid rank-ref model without the character LM (so it needs no .npz)."""
    m = {"format": "mtqa-linear-ranker", "name": "rank-ref", "version": "t1", "features": ["chrf", "cos_ref"],
         "mean": [0.5, 0.7], "scale": [0.2, 0.1], "weights": [1.0, 0.5], "embedder": "use-m3",
         "training": {"data": "tiny-fixture"}}
    m.update(change)
    return m


def write(tmp_path: Path, content, name: str = "model.json") -> str:
    p = tmp_path / name
    p.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(p)


# --- packaged model files -----------------------------------------------------------------------

@pytest.mark.parametrize("cls", [RankRef, RankQe])
def test_packaged_models_load_and_sign(cls):
    m = load_model(str(DATA / cls.model_file), cls.allowed())
    assert m.name == cls.name and m.features and len(m.weights) == len(m.features)
    assert np.all(np.isfinite(m.weights)) and np.all(m.scale > 0)
    assert "wmt12" in m.training["data"] and m.training["seed"] is not None
    from mtqa.config import Settings

    sig = cls(__import__("mtqa.scores.base", fromlist=["ScoreContext"]).ScoreContext(Settings())).signature()
    assert sig.startswith(f"{cls.name}|linear-pairwise-ranker|model:{cls.model_file}|version:{m.version}|sha256:{m.sha256[:16]}")
    assert f"features:{'+'.join(m.features)}" in sig and f"train:{m.training['data']}" in sig
    assert "embedder:use-m3" in sig and "comet" not in sig.lower()


def test_rank_qe_model_uses_no_reference_feature():
    m = load_model(str(DATA / RankQe.model_file), RankQe.allowed())
    assert not {"chrf", "cos_ref", "ter_edits", "bleu_p1", "number_mismatch"} & set(m.features)


def test_packaged_charlm_matches_its_hash_and_prefers_french():
    spec = json.loads((DATA / RankRef.model_file).read_text())["charlm"]
    lm = charlm.load(DATA / spec["file"])
    assert lm.sha256 == spec["sha256"]
    fr, scrambled, en = lm.logprob_per_char(["Le chat est sur la table.", "Le chta ets sru al tbale.",
                                             "The cat is on the table."])
    assert fr > en > scrambled


def test_charlm_train_save_load_roundtrip(tmp_path):
    lm = charlm.train(["abc abc abc", "abd abd"], min_count=1)
    charlm.save(lm, tmp_path / "lm.npz")
    back = charlm.load(tmp_path / "lm.npz")
    a, b = lm.logprob_per_char(["abc", "zzz"]), back.logprob_per_char(["abc", "zzz"])
    assert np.allclose(a, b) and a[0] > a[1]


def test_charlm_lookup_of_two_aligned_tables_finds_each_count_and_zero_when_absent():
    keys = np.array([3, 7, 9], np.uint32)
    counts, types = np.array([5, 6, 8], np.uint32), np.array([1, 2, 4], np.uint32)
    query = np.array([7, 4, 9, 10, 3], np.uint32)
    c, t = charlm._lookup(keys, counts, query, types)
    assert c.tolist() == [6, 0, 8, 0, 5] and t.tolist() == [2, 0, 4, 0, 1]
    assert charlm._lookup(keys, counts, query).tolist() == c.tolist()
    empty = np.zeros(0, np.uint32)
    assert [x.tolist() for x in charlm._lookup(empty, empty, query, empty)] == [[0.0] * 5] * 2


def test_charlm_rejects_a_file_that_is_not_one(tmp_path):
    (tmp_path / "lm.npz").write_bytes(b"not numpy")
    with pytest.raises(ModelError, match="not a character LM file"):
        charlm.load(tmp_path / "lm.npz")


# --- reference-free features (rank_features) ---------------------------------------------------

def _batch(pairs: list[tuple[str, str]], findings: list | None = None):
    """A Batch of one document whose segments are (source, MT) pairs; features need no embedder."""
    from types import SimpleNamespace

    from mtqa.config import Settings
    from mtqa.scores.base import ScoreContext
    from mtqa.scores.rank_features import Batch

    segs = [SimpleNamespace(index=i, source=s, mt=m, ref=None) for i, (s, m) in enumerate(pairs)]
    doc = SimpleNamespace(id="d", segments=segs)
    lm = charlm.load(DATA / "charlm_fr.npz")
    return Batch([doc], ScoreContext(Settings()), {"d": findings or []}, lm)  # type: ignore[list-item]


def _finding(category: str, severity: str, segment: int):
    from mtqa.model import Finding

    return Finding("r", category, severity, segment, "", 0, 0, "", "m")


def test_charlm_total_prefers_the_shorter_of_two_fluent_renderings():
    from mtqa.scores.rank_features import charlm_total

    v = charlm_total(_batch([("He left.", "Il est parti."), ("He left.", "Il est parti, il est parti et il est parti.")]))
    assert v[0] > v[1]  # needless additions cost
    same = charlm_total(_batch([("He left.", "Il est parti."), ("He left.", "Il est parti.")]))
    assert same[0] == same[1]


def test_token_ratio_is_zero_at_equal_length_and_grows_with_the_gap():
    from mtqa.scores.rank_features import token_ratio

    v = token_ratio(_batch([("one two three", "un deux trois"), ("one two three", "un")]))
    assert v[0] == 0.0 and v[1] == pytest.approx(math.log(4 / 2))


def test_caps_kept_counts_the_names_the_mt_kept():
    from mtqa.scores.rank_features import caps_kept

    src = "Yesterday Barack Obama met NATO leaders."
    v = caps_kept(_batch([(src, "Hier, Barack Obama a rencontré les chefs de l'OTAN."),
                          (src, "Hier, le président a rencontré les chefs."), ("it rained.", "il a plu.")]))
    assert v[0] == pytest.approx(2 / 3) and v[1] == 0.0  # Barack, Obama kept; NATO → OTAN not
    assert v[2] == 1.0  # no capitalised word past the first: nothing to keep


def test_accuracy_flag_and_penalties_split_by_category():
    from mtqa.scores.rank_features import accuracy_flagged, mqm_accuracy, mqm_fluency, mqm_other

    fs = [_finding("accuracy/omission", "major", 0), _finding("fluency/grammar", "minor", 1),
          _finding("style/awkward", "minor", 2)]
    b = _batch([("a", "a"), ("b", "b"), ("c", "c"), ("d", "d")], fs)
    assert list(accuracy_flagged(b)) == [1.0, 0.0, 0.0, 0.0]
    assert mqm_accuracy(b)[0] > 0 and list(mqm_accuracy(b)[1:]) == [0.0, 0.0, 0.0]
    assert mqm_fluency(b)[1] > 0 and mqm_fluency(b)[0] == mqm_fluency(b)[3] == 0.0
    assert mqm_other(b)[2] > 0 and mqm_other(b)[1] == 0.0


# --- user's model files, good and bad ----------------------------------------------------------

def test_a_valid_user_model_loads_and_predicts(tmp_path):
    m = load_model(write(tmp_path, tiny_model()), RankRef.allowed())
    assert m.features == ("chrf", "cos_ref") and m.version == "t1" and len(m.sha256) == 64
    lo, mid, hi = m.predict(np.array([[0.1, 0.3], [0.5, 0.7], [0.9, 0.95]]))
    assert lo < mid < hi and mid == pytest.approx(50.0)


BAD_MODELS = {
    "not JSON": ("{not json", "not a JSON model file"),
    "JSON list": ("[1, 2]", "expected an object"),
    "missing key": ({k: v for k, v in tiny_model().items() if k != "weights"}, "model file without 'weights'"),
    "missing training": ({k: v for k, v in tiny_model().items() if k != "training"}, "without 'training'"),
    "NaN weight": (json.dumps(tiny_model()).replace('"weights": [1.0, 0.5]', '"weights": [NaN, 0.5]'),  # refused on read (mtqa.limits.loads_json)
                   "NaN is not valid JSON"),
    "wrong length": (tiny_model(weights=[1.0]), "'weights' must be a list of 2 numbers"),
    "unknown feature": (tiny_model(features=["chrf", "comet"]), "feature 'comet' is not one of"),
    "duplicate feature": (tiny_model(features=["chrf", "chrf"]), "listed twice"),
    "zero scale": (tiny_model(scale=[0.0, 1.0]), "'scale' must be positive"),
    "wrong format": (tiny_model(format="pickle"), "expected 'mtqa-linear-ranker'"),
    "charlm without file": (tiny_model(features=["chrf", "charlm"]), "needs \"charlm\""),
}


@pytest.mark.parametrize("case", list(BAD_MODELS))
def test_bad_model_files_raise_one_line(tmp_path, case):
    content, message = BAD_MODELS[case]
    path = write(tmp_path, content)
    with pytest.raises(ModelError) as e:
        load_model(path, RankRef.allowed())
    assert message in str(e.value) and "\n" not in str(e.value)


def test_reference_feature_is_refused_in_the_reference_free_score(tmp_path):
    with pytest.raises(ModelError, match="'chrf' is not one of this score's features"):
        load_model(write(tmp_path, tiny_model(name="rank-qe")), RankQe.allowed())


def test_charlm_with_another_hash_is_refused(tmp_path):
    charlm.save(charlm.train(["abc"], min_count=1), tmp_path / "lm.npz")
    model = tiny_model(features=["chrf", "charlm"], charlm={"file": "lm.npz", "sha256": "0" * 64})
    with pytest.raises(ModelError, match="the model was trained with 000000000000"):
        load_model(write(tmp_path, model), RankRef.allowed())


@pytest.mark.parametrize("case", ["not JSON", "NaN weight", "unknown feature", "missing key"])
def test_check_with_a_bad_model_file_exits_2_with_one_line(tmp_path, run_cli, case):
    content, message = BAD_MODELS[case]
    write(tmp_path, content, "bad.json")
    (tmp_path / "mtqa.toml").write_text('[scores]\nrank_ref_model = "bad.json"\n', encoding="utf-8")
    code, _, err = run_cli("check", "-s", SRC, "-t", MT, "-r", REF, "--line-aligned", "-c", tmp_path / "mtqa.toml",
                             "--metrics", "chrf,adequacy-ref,rank-ref", "-o", tmp_path / "r.json", "-q")
    assert code == 2
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("mtqa: error: ") and message in lines[0]
    assert not (tmp_path / "r.json").exists()  # never a partial report


# --- direction, levels, gate, HTML, compare -----------------------------------------------------

def _lines(tmp_path: Path, mt: list[str]) -> tuple[str, str, str]:
    s, t, r = tmp_path / "s.en", tmp_path / "t.fr", tmp_path / "r.fr"
    s.write_text("\n".join(SOURCE) + "\n", encoding="utf-8")
    t.write_text("\n".join(mt) + "\n", encoding="utf-8")
    r.write_text("\n".join(REFS) + "\n", encoding="utf-8")
    return str(s), str(t), str(r)


def _report(tmp_path, run_cli, mt, *extra):
    s, t, r = _lines(tmp_path, mt)
    out = tmp_path / "r.json"
    code, _, err = run_cli("check", "-s", s, "-t", t, "-r", r, "--line-aligned", "-o", out, "-q", *extra)
    assert code in (0, 1), err
    return json.loads(out.read_text(encoding="utf-8")), code


def test_good_translation_outscores_bad_at_every_level(tmp_path, run_cli):
    good, _ = _report(tmp_path, run_cli, GOOD)
    bad, _ = _report(tmp_path, run_cli, BAD)
    for name in ("rank-ref", "rank-qe"):
        assert good["scores"][name]["score"] > bad["scores"][name]["score"]  # corpus
        gd, bd = good["documents"][0], bad["documents"][0]
        assert gd["scores"][name]["score"] > bd["scores"][name]["score"]  # document
        for gs, bs in zip(gd["segments"], bd["segments"]):  # segment
            assert 0 <= bs["scores"][name] < gs["scores"][name] <= 100
        assert good["scores"][name]["signature"].startswith(f"{name}|linear-pairwise-ranker|")


def test_gate_thresholds_from_the_command_line(tmp_path, run_cli):
    report, code = _report(tmp_path, run_cli, GOOD, "--min-rank-ref", "99.9", "--min-rank-qe", "0", "--max-critical", "99")
    crit = {c["name"]: c for c in report["gate"]["criteria"]}
    assert crit["min_rank-ref"]["passed"] is False and crit["min_rank-qe"]["passed"] is True
    assert code == 1
    report, code = _report(tmp_path, run_cli, GOOD, "--min-rank-ref", "0", "--max-critical", "99")
    assert code == 0 and {c["name"]: c["passed"] for c in report["gate"]["criteria"]}["min_rank-ref"] is True


def test_no_reference_no_rank_ref_but_rank_qe(tmp_path, run_cli):
    s, t, _ = _lines(tmp_path, GOOD)
    out = tmp_path / "r.json"
    code, _, err = run_cli("check", "-s", s, "-t", t, "--line-aligned", "-o", out, "-q")
    assert code in (0, 1), err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert "rank-qe" in report["scores"] and "rank-ref" not in report["scores"]


def test_html_charts_the_learned_scores(tmp_path, run_cli):
    s, t, r = _lines(tmp_path, GOOD)
    out = tmp_path / "r.html"
    code, _, err = run_cli("check", "-s", s, "-t", t, "-r", r, "--line-aligned", "-o", out, "-q", "--min-rank-qe", "40")
    assert code in (0, 1), err
    html = out.read_text(encoding="utf-8")
    for name in ("adequacy", "rank-ref", "rank-qe"):
        assert f'aria-label="{name} per segment of' in html
    assert "gate: min rank-qe 40" in html and '<th class="num">rank-ref</th>' in html


def test_compare_ranks_and_tests_the_learned_scores(tmp_path):
    from mtqa.compare import load_inputs, run_compare
    from mtqa.config import Settings

    s, good, r = _lines(tmp_path, GOOD)
    bad = tmp_path / "bad.fr"
    bad.write_text("\n".join(BAD) + "\n", encoding="utf-8")
    result = run_compare(load_inputs(s, r, [good, str(bad)], None), Settings(), ["rank-ref", "rank-qe"], n_samples=50)
    for name in ("rank-ref", "rank-qe"):
        cells = [sys_["scores"][name] for sys_ in result["systems"]]
        assert cells[0]["score"] > cells[1]["score"]
        assert "p_value" in cells[1] or "p" in json.dumps(cells[1])
        assert result["metrics"][name]["signature"].startswith(f"{name}|linear-pairwise-ranker|")
        assert "bs:50" in result["metrics"][name]["signature"]
    assert math.isfinite(result["systems"][0]["scores"]["rank-ref"]["score"])
