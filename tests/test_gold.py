"""The gold-annotation tools: offsets from annotations.yaml, and matching findings to annotations."""

from __future__ import annotations

import json

import pytest
from conftest import PACKS, SEED

from mtqa.errors import InputError
from gold import (
    build_expected,
    locate,
    match_findings,
    pack_dirs,
    report_findings,
    source_overlaps,
    summarize,
)

TEXT = "Le premier paragraphe dit oui.\n\nLe second dit non, puis non encore.\n\nFin."  # paragraphs at 0, 32, 69


def finding(rule, segment, start, end, category="accuracy/mistranslation", severity="major", source_text="", mt=""):
    return {"rule": rule, "category": category, "severity": severity, "segment": segment,
            "mt_text": mt, "mt_start": start, "mt_end": end, "source_text": source_text, "message": "m"}


def report(findings, offsets=(0, 32, 70)):
    return {"documents": [{"id": "d", "segments": [{"index": i, "mt_offset": o} for i, o in enumerate(offsets)],
                           "findings": findings}]}


def error(id_, start, end, mt_text, category="accuracy/mistranslation", severity="major", source_text="x"):
    return {"id": id_, "paragraph": 1, "mt_text": mt_text, "mt_start": start, "mt_end": end,
            "source_text": source_text, "category": category, "severity": severity}


# --- offsets -----------------------------------------------------------------------------------

def test_locate_unique_and_nth_occurrence():
    assert locate(TEXT, 1, "oui") == (26, 29)
    a, b = locate(TEXT, 2, "non", occurrence=2)
    assert TEXT[a:b] == "non" and a == TEXT.index("non encore")
    assert TEXT[slice(*locate(TEXT, 3, "Fin"))] == "Fin"


def test_locate_refuses_ambiguous_missing_and_bad_paragraph():
    with pytest.raises(InputError, match="more than once"):
        locate(TEXT, 2, "non")
    with pytest.raises(InputError, match="not in paragraph 1"):
        locate(TEXT, 1, "non")
    with pytest.raises(InputError, match="paragraph 4 does not exist"):
        locate(TEXT, 4, "Fin")


def test_locate_omission_point_after_anchor():
    a, b = locate(TEXT, 2, "", after="non,")
    assert a == b == TEXT.index("non,") + 4
    assert locate(TEXT, 3, "") == (69, 69) == (TEXT.index("Fin."),) * 2


@pytest.mark.parametrize("pack", pack_dirs(PACKS), ids=lambda p: p.name)
def test_expected_json_is_generated_from_annotations(pack):
    """expected.json is what bench/annotate.py computes: no hand-typed offsets."""
    assert (pack / "annotations.yaml").is_file()
    current = json.loads((pack / "expected.json").read_text(encoding="utf-8"))
    assert build_expected(pack) == current
    mt = (pack / "mt.fr.txt").read_text(encoding="utf-8")
    for e in current["errors"]:
        assert mt[e["mt_start"]:e["mt_end"]] == e["mt_text"]


def test_seed_regenerates_byte_identical():
    from importlib import util

    spec = util.spec_from_file_location("annotate", PACKS.parent / "bench" / "annotate.py")
    mod = util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.dumps(build_expected(SEED)) == (SEED / "expected.json").read_text(encoding="utf-8")


# --- matching ----------------------------------------------------------------------------------

def test_overlap_in_a_later_segment_is_a_true_positive():
    exp = {"errors": [error("E01", 35, 41, "second")]}
    res = match_findings(report_findings(report([finding("sense.wrong", 1, 3, 9)])), exp)  # 32+3 .. 32+9
    assert res.hits[0].outcome == "tp" and res.hits[0].matched == "E01"
    assert res.errors[0]["found_by"] == ["sense.wrong"]
    assert res.missed() == []


def test_touching_but_not_overlapping_span_is_a_false_positive():
    exp = {"errors": [error("E01", 35, 41, "second")]}
    res = match_findings(report_findings(report([finding("sense.wrong", 1, 0, 3)])), exp)  # 32..35
    assert res.hits[0].outcome == "fp"
    assert [e["id"] for e in res.missed()] == ["E01"]


def test_same_offsets_in_another_segment_do_not_match():
    exp = {"errors": [error("E01", 3, 9, "premie")]}
    res = match_findings(report_findings(report([finding("sense.wrong", 1, 3, 9)])), exp)
    assert res.hits[0].outcome == "fp"


def test_omission_matches_by_category_and_source_text():
    omitted = "The U.S. Federal Reserve held its rates steady on Wednesday."
    exp = {"errors": [error("E01", 30, 30, "", category="accuracy/omission", source_text=omitted)]}
    hits = report_findings(report([
        finding("omission.source", 2, 0, 0, category="accuracy/omission",
                source_text="The Federal Reserve held its rates steady on Wednesday."),
        finding("omission.source", 2, 0, 0, category="accuracy/omission", source_text="Stocks also rallied."),
        finding("sense.wrong", 0, 0, 40, source_text=omitted),  # right words, wrong kind of finding
    ]))
    res = match_findings(hits, exp)
    assert [h.outcome for h in res.hits] == ["tp", "fp", "fp"]
    assert res.errors[0]["found_by"] == ["omission.source"]


def test_source_overlaps():
    assert source_overlaps("It would also ban lawmakers from employing family members.", "ban lawmakers from employing")
    assert source_overlaps("held its rates steady", "The Fed held its rates steady on Wednesday")
    assert not source_overlaps("on Wednesday", "The Fed held its rates steady on Wednesday")
    assert not source_overlaps("Stocks also rallied.", "The Fed held its rates steady on Wednesday")
    assert not source_overlaps("", "anything")


def test_finding_on_two_annotations_is_credited_to_the_matching_category():
    # the seed's case: "s'échauffent" (mistranslation) contains a straight apostrophe (punctuation)
    exp = {"errors": [error("E01", 0, 12, "s'échauffent"),
                      error("E04", 1, 2, "'", category="fluency/punctuation", severity="minor")]}
    hits = report_findings(report([
        finding("sense.wrong", 0, 0, 12),
        finding("typography.apostrophe", 0, 1, 2, category="fluency/punctuation", severity="minor"),
    ]))
    res = match_findings(hits, exp)
    assert [h.matched for h in res.hits] == ["E01", "E04"]
    assert [e["found_by"] for e in res.errors] == [["sense.wrong"], ["typography.apostrophe"]]


def test_not_in_scope_finding_is_neutral():
    exp = {"errors": [error("E01", 26, 29, "oui")],
           "not_in_scope": [{"paragraph": 2, "mt_text": "puis non encore", "why": "grammar"}]}
    hits = report_findings(report([finding("x.y", 1, 19, 23), finding("x.y", 2, 0, 3)]))
    res = match_findings(hits, exp, TEXT)
    assert [h.outcome for h in res.hits] == ["neutral", "fp"]


def test_summarize_counts_precision_and_recall():
    exp = {"errors": [error("E01", 26, 29, "oui"),
                      error("E02", 35, 41, "second", severity="critical"),
                      error("E03", 70, 73, "Fin", category="fluency/punctuation", severity="minor")]}
    hits = report_findings(report([
        finding("sense.wrong", 0, 26, 29),        # TP  E01
        finding("sense.wrong", 1, 3, 9),          # TP  E02
        finding("sense.wrong", 0, 0, 2),          # FP
        finding("names.protected", 1, 3, 5, severity="critical"),  # TP  E02 again
    ]))
    res = match_findings(hits, exp, pack="p")
    for e in res.errors:
        e["family"] = {"E01": "sense", "E02": "sense", "E03": "typography"}[e["id"]]
    s = summarize([res])
    assert s["overall"] == {"findings": 4, "tp": 3, "fp": 1, "neutral": 0, "precision": 0.75,
                            "annotated": 3, "found": 2, "recall": pytest.approx(2 / 3)}
    sense = s["by_rule"]["sense.wrong"]
    assert (sense["tp"], sense["fp"], sense["family_annotated"], sense["family_found"]) == (2, 1, 2, 2)
    assert sense["precision"] == pytest.approx(2 / 3) and sense["recall"] == 1.0
    names = s["by_rule"]["names.protected"]
    assert names["precision"] == 1.0 and names["recall"] is None  # no annotation of family "names"
    assert s["by_severity"]["critical"]["recall"] == 1.0
    assert s["by_severity"]["minor"]["recall"] == 0.0
    assert s["by_family"]["typography"] == {"annotated": 1, "found": 0, "recall": 0.0}
    assert s["by_check"]["sense"] == {"findings": 3, "tp": 2, "fp": 1, "neutral": 0, "precision": pytest.approx(2 / 3),
                                      "annotated": 2, "found": 2, "recall": 1.0}
    assert s["by_check"]["typography"]["recall"] == 0.0 and s["by_check"]["typography"]["precision"] is None
    assert [e["id"] for e in res.missed(("major", "critical"))] == []
    assert [e["id"] for e in res.missed()] == ["E03"]


def test_finding_in_a_segment_without_mt_is_placed_at_the_next_mt_text():
    segs = [{"index": 0, "mt_offset": 0, "mt": "Un."}, {"index": 1, "mt_offset": None, "mt": ""},
            {"index": 2, "mt_offset": 4, "mt": "Deux."}, {"index": 3, "mt_offset": None, "mt": ""}]
    f = finding("omission.sentence", 1, 0, 0, category="accuracy/omission", source_text="Lost sentence here.")
    rep = {"documents": [{"id": "d", "segments": segs, "findings": [f, dict(f, segment=3)]}]}
    hits = report_findings(rep)
    assert [(h.start, h.end) for h in hits] == [(4, 4), (9, 9)]
    exp = {"errors": [error("E01", 3, 3, "", category="accuracy/omission", source_text="Lost sentence here.")]}
    assert match_findings(hits[:1], exp).hits[0].outcome == "tp"


def test_finding_in_an_unknown_segment_is_an_input_error():
    rep = {"documents": [{"id": "d", "segments": [{"index": 0, "mt_offset": 0}],
                          "findings": [finding("x.y", 5, 0, 1)]}]}
    with pytest.raises(InputError, match="segment 5"):
        report_findings(rep)


def test_wrongly_flagged_lists_findings_on_must_not_flag_spans():
    exp = {"errors": [error("E01", 26, 29, "oui")],
           "must_not_flag": [{"paragraph": 2, "mt_text": "second", "mt_start": 35, "mt_end": 41, "why": "right"}]}
    hits = report_findings(report([finding("sense.wrong", 1, 3, 9, severity="minor"), finding("x.y", 0, 26, 29)]))
    res = match_findings(hits, exp)
    assert [h.rule for h in res.wrongly_flagged(exp)] == ["sense.wrong"]


def test_must_not_flag_offsets_are_generated(tmp_path):
    (tmp_path / "mt.fr.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "annotations.yaml").write_text(
        "pack: t\nerrors:\n- {paragraph: 1, mt_text: oui, source_text: yes, category: accuracy/mistranslation,"
        " severity: major, why: w, family: sense}\nmust_not_flag:\n- {paragraph: 2, mt_text: second, why: fine}\n",
        encoding="utf-8")
    doc = build_expected(tmp_path)
    assert doc["errors"][0]["mt_start"] == 26 and doc["errors"][0]["id"] == "E01"
    assert doc["must_not_flag"] == [{"paragraph": 2, "mt_text": "second", "mt_start": 35, "mt_end": 41, "why": "fine"}]


def test_bad_severity_is_an_input_error(tmp_path):
    (tmp_path / "mt.fr.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "annotations.yaml").write_text(
        "errors:\n- {paragraph: 1, mt_text: oui, source_text: yes, category: c, severity: huge, why: w}\n",
        encoding="utf-8")
    with pytest.raises(InputError, match="severity must be one of"):
        build_expected(tmp_path)
