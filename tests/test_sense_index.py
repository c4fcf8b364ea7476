"""The packaged sense data's start-up index (mtqa.checks.sense_index): rows of word, keys, place
and packed plain form; a headword's objects built only when a text names it."""

from __future__ import annotations

import re

import pytest

from mtqa.checks import sense, sense_index

PLAIN = ("strike", r"\bstrikes?\b", "defence", False, "mtqa/data/x.yaml:3", frozenset({"strike", "strikes"}),
         [("military", [], [("grève", ("L", "grève", "o"))], False, "major", None, "mtqa/data/x.yaml:5", None)],
         (((0, 1, "missile", (("missile", "missiles"),)),), {"missile": 0, "missiles": 0}, ()))


@pytest.fixture()
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MTQA_NO_CACHE", raising=False)
    return tmp_path


def test_a_row_unpacks_to_the_plain_form_it_packed():
    word, keys, where, blob = sense_index.pack(PLAIN)
    assert (word, keys, where) == ("strike", PLAIN[5], "mtqa/data/x.yaml:3")
    assert isinstance(blob, bytes)
    assert sense_index.unpack(blob) == PLAIN


def test_a_value_marshal_cannot_hold_is_unpackable():
    with pytest.raises(sense_index.Unpackable, match=r"x\.yaml:3"):
        sense_index.pack((*PLAIN[:7], (*PLAIN[7][:2], ((0, re.compile("x")),))))


def test_rows_come_from_the_cache_the_second_time(root):
    calls = []

    def compile_all():
        calls.append(1)
        return [PLAIN]

    first = sense_index.packed_rows("x.yaml", b"bytes", compile_all)
    second = sense_index.packed_rows("x.yaml", b"bytes", compile_all)
    assert calls == [1] and first == second and first[0][0] == "strike"
    sense_index.packed_rows("x.yaml", b"other bytes", compile_all)
    assert calls == [1, 1]


def test_no_rows_with_the_cache_off_or_an_unpackable_form(root, monkeypatch):
    assert sense_index.packed_rows("y.yaml", b"b", lambda: [(*PLAIN[:7], (*PLAIN[7][:2], ((0, re.compile("x")),)))]) is None
    monkeypatch.setenv("MTQA_NO_CACHE", "1")
    assert sense_index.packed_rows("x.yaml", b"bytes", lambda: [PLAIN]) is None


@pytest.fixture()
def fresh_index(root):
    for f in (sense._lazy_headwords, sense._packaged_index):
        f.cache_clear()
    yield
    for f in (sense._lazy_headwords, sense._packaged_index):
        f.cache_clear()


def test_the_index_builds_only_the_headwords_a_text_names(fresh_index):
    sense._packaged_index()  # the first run compiles and stores the rows
    sense._lazy_headwords.cache_clear()
    sense._packaged_index.cache_clear()
    index = sense._packaged_index()
    lazy = sense._lazy_headwords()
    assert len(lazy) > 1000 and all(hw.blob is not None and hw._built is None for hw in lazy)
    (hw,) = sense.candidate_headwords({"strike"}, {"strike": [h for h in index["strike"] if h.word == "strike"]})
    built = [h for h in lazy if h._built is not None]
    assert [h.word for h in built] == ["strike"] and built[0]._built is hw
    assert len(hw.senses) >= 2


def test_a_headword_from_its_row_is_the_headword_from_its_record(fresh_index):
    rows = sense._packed_file("sense.yaml")
    assert rows is not None
    word, keys, where, blob = rows[0]
    lazy = sense.LazyHeadword(word, keys, where, blob=blob)
    rec = next(r for r, w in sense._headword_words(sense.load_packaged("sense.yaml", sense.HEADWORD_SPEC,
                                                                       key="headwords")) if w == word)
    assert sense._compile_headword(rec, word) == sense_index.unpack(blob)
    from_record = sense.LazyHeadword(word, sense._headword_keys(rec, word), rec.where(), rec=rec).get()
    from_row = lazy.get()
    assert (from_row.word, from_row.keys, from_row.where, [s.name for s in from_row.senses]) == \
        (from_record.word, from_record.keys, from_record.where, [s.name for s in from_record.senses])
