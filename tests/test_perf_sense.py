"""The sense check's compact headwords: cues numbered and indexed at compile time, in tuples of
strings that the garbage collector stops tracking."""

from __future__ import annotations

import gc
from pathlib import Path

from mtqa.checks.sense import HEADWORD_SPEC, build_headwords, cue_hits
from mtqa.ruledata import parse_yaml, validate_records

STRIKE = """headwords:
- word: strike
  senses:
  - sense: a walkout
    cues: [union, pay dispute]
    strong: ['re:\\bwent on (?:a )?walkout\\b']
    right: [grève]
    wrong: [frappe]
  - sense: an attack
    cues: [missile, pay load]
    right: [frappe]
    wrong: [grève]
"""


def _headword(tmp_path: Path):
    p = tmp_path / "sense.yaml"
    p.write_text(STRIKE, encoding="utf-8")
    (hw,) = build_headwords(validate_records(parse_yaml(STRIKE, str(p)), str(p), HEADWORD_SPEC, key="headwords"))
    return hw


def test_the_cue_table_numbers_and_indexes_every_cue(tmp_path):
    hw = _headword(tmp_path)
    assert [(s, w, label) for s, w, label, _ in hw.cues] == [
        (0, 1, "union"), (0, 1, "pay dispute"), (0, 3, "re:\\bwent on (?:a )?walkout\\b"), (1, 1, "missile"),
        (1, 1, "pay load")]
    # a one-word cue is found under each of its forms, a phrase under its first word only; a token
    # that starts one cue maps to its number, one that starts several to their numbers
    assert hw.cue_index["unions"] == 0 and hw.cue_index["pay"] == (1, 4) and "dispute" not in hw.cue_index
    first, last = hw.cues[1][3]
    assert first == ("pay",) and {"dispute", "disputes", "disputed"} <= set(last) and "disputes" not in hw.cue_index
    # the regex cue has no token key: it is tried on every text
    assert list(hw.regex_cues) == [2] and 2 not in hw.cue_index.values()


def test_cues_are_found_through_the_table(tmp_path):
    hw = _headword(tmp_path)
    text = "Unions in a pay disputes row went on walkout after the missile strike on a pay load."
    assert [(h.label, h.sense, h.weight) for h in cue_hits(hw, text)] == [
        ("union", 0, 1), ("pay dispute", 0, 1), ("went on walkout", 0, 3), ("missile", 1, 1), ("pay load", 1, 1)]
    assert list(cue_hits(hw, "The pay was late; a dispute followed.")) == []  # a phrase's words must be adjacent


def test_a_built_headword_leaves_its_cues_untracked(tmp_path):
    hw = _headword(tmp_path)
    for _ in range(3):  # a tuple of atoms stops being tracked when a collection sees it: one nesting level each at worst
        gc.collect()
    assert not any(gc.is_tracked(c) for c in hw.cues)
    assert not gc.is_tracked(hw.cue_index["pay"])
    assert gc.is_tracked(hw.regex_cues[2])  # an object with state stays tracked: the test can tell


def _run(check, pairs):
    from mtqa.model import Segment

    class Ctx:
        segments = [Segment(i, en, fr, None, (i,), (i,), "given", 1.0) for i, (en, fr) in enumerate(pairs)]

    return list(check.run(Ctx()))


def test_no_sense_is_chosen_where_no_wrong_rendering_can_match(tmp_path, monkeypatch):
    from mtqa.checks import sense
    from mtqa.config import Settings

    hw = _headword(tmp_path)
    check = sense.WrongSense(Settings(), headwords=[hw])
    chosen = []
    real = sense._uses_of
    monkeypatch.setattr(sense, "_uses_of", lambda *a: chosen.append(a[1]) or real(*a))
    assert sense.may_render_wrongly(hw, "La grève des syndicats continue.")  # grève: wrong for an attack
    assert not sense.may_render_wrongly(hw, "Les syndicats arrêtent le travail.")
    pairs = [("The union strike goes on.", "Les syndicats arrêtent le travail."),  # no wrong rendering: skipped
             ("The missile strike killed two.", "La grève du missile a tué deux personnes.")]
    found = _run(check, pairs)
    assert chosen == [1] and [f.mt_text for f in found] == ["grève"]


def test_the_document_cues_forget_a_segment_and_only_that_one(tmp_path):
    from mtqa.checks.sense import DOC_WINDOW, _DocumentCues
    from mtqa.model import Segment

    hw = _headword(tmp_path)
    texts = ["The union met.", "A missile flew.", "Nothing here."]
    cues = _DocumentCues([Segment(i, t, "x", None, (i,), (i,), "given", 1.0) for i, t in enumerate(texts)])
    before = [list(cues.hits(hw, j)) for j in range(3)]
    kept = cues.hits(hw, 1)
    cues.forget(0)
    assert cues.hits(hw, 1) is kept  # the other segments' hits are kept, not recomputed
    assert set(cues._keys) == {1, 2} and 0 not in cues._index
    assert [list(cues.hits(hw, j)) for j in range(3)] == before  # a forgotten segment is recomputed alike
    assert [h.label for h in cues.window(hw, 1, DOC_WINDOW)] == ["union"]
