"""A French character n-gram language model (order 6, Witten-Bell), stored as ``.npz``.

A feature of the learned rankers (``mtqa.scores.learned``): the mean log10-probability per
character of a French text, a cheap fluency signal. Hand-written because no offline library
trains a character LM into a non-pickle file (kenlm's trainer is a separate C++ binary): this is
counting n-gram hashes with numpy.

Each n-gram (n = 1…ORDER) is a 64-bit polynomial hash of its code points, kept as the top 32 bits;
the file holds, per order, the sorted hashes of the n-grams and of their contexts (the n − 1
characters before) with their counts and, per context, the number of distinct characters seen
after it. Scoring: Witten-Bell interpolation, P_n(c|h) = (count(hc) + T(h)·P_{n−1}(c|h')) /
(count(h) + T(h)), from add-one unigrams up. Every text is scored with BOS padding and one EOS.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mtqa.errors import ModelError

ORDER = 6
BOS, EOS = 0x02, 0x03
_P = np.uint64(1_000_003)


def _codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code points of every text (BOS-padded, EOS-ended), concatenated; and each text's end."""
    pad = [BOS] * (ORDER - 1)
    parts = [np.array(pad + [ord(c) for c in t] + [EOS], dtype=np.uint64) for t in texts]
    ends = np.cumsum([len(p) for p in parts])
    return (np.concatenate(parts) if parts else np.zeros(0, np.uint64)), ends


def _hashes(codes: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per order n: (n-gram hash, context hash) at every position (positions < n − 1 are garbage:
    they straddle the padding of the previous text, and scoring skips the padding)."""
    out = []
    h = codes.copy()
    power = np.uint64(1)
    with np.errstate(over="ignore"):
        for n in range(1, ORDER + 1):
            if n > 1:
                power = power * _P
                h = h + np.concatenate([np.zeros(n - 1, np.uint64), codes[: len(codes) - n + 1]]) * power
            out.append((_mix(h + np.uint64(n)), _mix(h - codes + np.uint64(n))))
    return out


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, top 32 bits: every input bit reaches the kept bits."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(32)).astype(np.uint32)


def _count(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    uniq, counts = np.unique(keys, return_counts=True)
    return uniq, np.minimum(counts, np.iinfo(np.uint32).max).astype(np.uint32)


def _lookup(keys: np.ndarray, counts: np.ndarray, query: np.ndarray, *more: np.ndarray) -> Any:
    """The count of each query hash in (``keys``, ``counts``), 0 when absent; with ``more`` tables
    aligned with ``keys``, a tuple of one array per table (the keys are searched once)."""
    tables = (counts, *more)
    if len(keys) == 0:
        found = tuple(np.zeros(len(query), np.float64) for _ in tables)
    else:
        i = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
        hit = keys[i] == query
        found = tuple(np.where(hit, t[i], 0).astype(np.float64) for t in tables)
    return found if more else found[0]


@dataclass
class CharLM:
    """The tables of one model: ``grams[n-1]`` / ``contexts[n-1]`` = (sorted hashes, counts)."""

    grams: list[tuple[np.ndarray, np.ndarray]]
    contexts: list[tuple[np.ndarray, np.ndarray]]
    types: list[np.ndarray]  # per order, aligned with contexts: distinct characters after the context
    total: int  # characters seen
    vocab: int  # distinct characters seen
    sha256: str = ""
    _memo: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def logprob_per_char(self, texts: list[str]) -> np.ndarray:
        """Mean log10 P(character | up to 5 before) of each text (its EOS included). Each distinct
        text is scored once per process: ``rank-ref`` and ``rank-qe`` share the values."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            self._memo.update(zip(missing, self._score(missing).tolist()))
        return np.array([self._memo[t] for t in texts], dtype=np.float64)

    def _score(self, texts: list[str]) -> np.ndarray:
        codes, ends = _codes(texts)
        logp = self._logprobs(codes)
        starts = np.concatenate([[0], ends[:-1]]) + ORDER - 1
        cum = np.concatenate([[0.0], np.cumsum(logp)])
        return (cum[ends] - cum[starts]) / (ends - starts)

    def _logprobs(self, codes: np.ndarray) -> np.ndarray:
        """log10 P of every position (Witten-Bell, from unigrams up)."""
        hashes = _hashes(codes)
        uni = _lookup(*self.grams[0], hashes[0][0])
        p = (uni + 1.0) / (self.total + self.vocab + 1)  # add-one: an unseen character is possible
        for n in range(2, ORDER + 1):
            g = _lookup(*self.grams[n - 1], hashes[n - 1][0])
            keys, counts = self.contexts[n - 1]
            c, t = _lookup(keys, counts, hashes[n - 1][1], self.types[n - 1])
            seen = c > 0
            p = np.where(seen, (g + t * p) / np.maximum(c + t, 1.0), p)
        return np.log10(p)


def train(texts: list[str], min_count: int = 2) -> CharLM:
    """Count every order's n-grams of ``texts``; orders ≥ 3 keep those seen ``min_count`` times."""
    codes, ends = _codes(texts)
    starts = np.concatenate([[0], ends[:-1]])
    valid = np.ones(len(codes), bool)
    for k in range(ORDER - 1):
        valid[starts + k] = False  # BOS positions are context only
    grams, contexts, types = [], [], []
    for n, (g, c) in enumerate(_hashes(codes), start=1):
        contexts.append(_count(c[valid]))
        pairs = np.unique((c[valid].astype(np.uint64) << np.uint64(32)) | g[valid].astype(np.uint64))
        _, n_types = np.unique((pairs >> np.uint64(32)).astype(np.uint32), return_counts=True)
        types.append(n_types.astype(np.uint32))  # np.unique sorts: aligned with contexts[-1][0]
        keys, counts = _count(g[valid])
        if n >= 3 and min_count > 1:
            keep = counts >= min_count
            keys, counts = keys[keep], counts[keep]
        grams.append((keys, counts))
    vocab = len(np.unique(codes[valid]))
    return CharLM(grams, contexts, types, int(valid.sum()), vocab)


def save(lm: CharLM, path: str | Path) -> None:
    arrays: dict[str, np.ndarray] = {"meta": np.array([ORDER, lm.total, lm.vocab], np.int64)}
    for n in range(ORDER):
        arrays[f"g{n + 1}_keys"], arrays[f"g{n + 1}_counts"] = lm.grams[n]
        arrays[f"c{n + 1}_keys"], arrays[f"c{n + 1}_counts"] = lm.contexts[n]
        arrays[f"c{n + 1}_types"] = lm.types[n]
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)


def load(path: str | Path) -> CharLM:
    """The model in ``path`` (a ``save`` file; no pickle: ``allow_pickle=False``)."""
    try:
        data = Path(path).read_bytes()
        import io

        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            order, total, vocab = (int(x) for x in z["meta"])
            if order != ORDER:
                raise ModelError(f"{path}: character LM of order {order}, expected {ORDER}")
            grams = [(z[f"g{n}_keys"], z[f"g{n}_counts"]) for n in range(1, ORDER + 1)]
            contexts = [(z[f"c{n}_keys"], z[f"c{n}_counts"]) for n in range(1, ORDER + 1)]
            types = [z[f"c{n}_types"] for n in range(1, ORDER + 1)]
    except ModelError:
        raise
    except (OSError, ValueError, KeyError) as e:
        raise ModelError(f"{path}: not a character LM file ({e})") from None
    return CharLM(grams, contexts, types, total, vocab, hashlib.sha256(data).hexdigest())
