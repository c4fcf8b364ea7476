"""The embedder base: L2-normalised sentence vectors with a per-run cache keyed by text."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from itertools import islice

import numpy as np


class Embedder(ABC):
    """Base class: ``encode`` returns L2-normalised float32 rows, computing each text once."""

    name = "base"
    dim = 0

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self.encoded = 0  # texts actually sent to the model (cache misses)
        self._expected: list[tuple[list[str], set[str], Callable[[], np.ndarray]]] = []

    @property
    @abstractmethod
    def signature(self) -> str:
        """Model name and version, recorded in every score computed from these embeddings."""

    @abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts that are not cached yet."""

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing and self._expected:
            self._take_expected(missing)
            missing = [t for t in missing if t not in self._cache]
        if missing:
            self._store(missing, self._encode(missing))
            self.encoded += len(missing)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def _store(self, texts: list[str], rows: np.ndarray) -> None:
        vecs = np.asarray(rows, dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        vecs = vecs / np.maximum(norms, 1e-12)
        for t, v in zip(texts, vecs):
            self._cache.setdefault(t, v)  # a text embedded here meanwhile keeps this process's vector

    def expect(self, texts: list[str], fetch: Callable[[], np.ndarray]) -> None:
        """``texts`` are being embedded elsewhere by the same model (``mtqa.embed.aside``): the first
        ``encode`` that needs one of them calls ``fetch`` for the raw rows done so far (a prefix of
        ``texts``, maybe empty) and embeds the rest here, in one call, so in the micro-batches that
        follow the prefix's."""
        self._expected.append((texts, set(texts), fetch))

    def _take_expected(self, missing: list[str]) -> None:
        want = set(missing)
        for item in [e for e in self._expected if not e[1].isdisjoint(want)]:
            self._expected.remove(item)
            texts, rows = item[0], item[2]()
            self._store(texts[:len(rows)], rows)
            rest = [t for t in texts[len(rows):] if t not in self._cache]
            if rest:
                self._store(rest, self._encode(rest))
                self.encoded += len(rest)

    def forget_expected(self) -> None:
        """Drop the texts announced by ``expect`` and not needed (the run that announced them ended)."""
        self._expected.clear()

    def is_cached(self, text: str) -> bool:
        return text in self._cache

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

    def clear_cache(self) -> None:
        """Forget every vector (a long-lived Dask worker starting another run); the model stays loaded."""
        self._cache.clear()
        self._expected.clear()
