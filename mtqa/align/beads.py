"""Bead costs for the aligner's dynamic programmes: the Gale-Church length model and the scorers.

A bead is ``source[i:i+a] ↔ target[j:j+b]``. ``EmbeddingScorer`` costs it by ``(1 - cos)`` of the
embeddings of its concatenated sentences (each run of up to ``MAX_RUN`` sentences embedded once),
weighted by its size, plus a Gale-Church length term, a prior per bead type and a penalty for
crossing a paragraph; ``GaleChurchScorer`` is the length-only baseline used without an embedder.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod

import numpy as np

from mtqa.align.params import MAX_RUN, AlignParams
from mtqa.embed.base import Embedder
from mtqa.model import Side

# ---------------------------------------------------------------------------------------------
# Gale-Church length model (Gale & Church 1993), on characters.

_GC_VARIANCE = 6.8
# Bead priors of the 1993 paper (3-1/1-3 not in the paper: given a small share of 2-1's).
_GC_PRIOR = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
             (2, 2): 0.011, (3, 1): 0.005, (1, 3): 0.005}


def gale_church_cost(len_src: float, len_tgt: float, ratio: float) -> float:
    """-log P(length match): how unlikely it is that texts of these lengths translate each other."""
    mean = (len_src + len_tgt / ratio) / 2.0
    if mean <= 0:
        return 0.0
    delta = (len_tgt - len_src * ratio) / math.sqrt(mean * _GC_VARIANCE * ratio)
    p = math.erfc(abs(delta) / math.sqrt(2.0))  # two-tailed: 2 * (1 - Phi(|delta|))
    return -math.log(max(p, 1e-12))


# ---------------------------------------------------------------------------------------------
# Bead scorers


def run_texts(texts: list[str], starts: range | None = None) -> list[str]:
    """The texts ``EmbeddingScorer`` embeds: every run of 1..MAX_RUN consecutive sentences (joined
    by one space), by run size; ``starts`` keeps the runs that start there (a Dask task's share)."""
    ks = range(len(texts)) if starts is None else starts
    return [" ".join(texts[k : k + size]) for size in range(1, MAX_RUN + 1) for k in ks if k + size <= len(texts)]


class SideInfo:
    """One side as the DP sees it: sentence texts, cumulative lengths, the unit of each sentence."""

    def __init__(self, side: Side) -> None:
        self.texts = [s.text for s in side.sentences]
        self.n = len(self.texts)
        lens = np.array([len(t) for t in self.texts], dtype=np.float64)
        self.cumlen = np.concatenate([[0.0], np.cumsum(lens)])
        self.units = [s.unit for s in side.sentences]

    def run_len(self, start: int, size: int) -> float:
        return float(self.cumlen[start + size] - self.cumlen[start]) + (size - 1)

    def crosses(self, start: int, size: int) -> bool:
        return size > 1 and self.units[start] != self.units[start + size - 1]


class BeadScorer(ABC):
    """Scores beads for the DP. ``cost(i, a, j, b)``: source[i:i+a] ↔ target[j:j+b]."""

    def __init__(self, src: SideInfo, tgt: SideInfo, params: AlignParams) -> None:
        self.src, self.tgt, self.params = src, tgt, params
        total_s, total_t = src.cumlen[-1], tgt.cumlen[-1]
        self.ratio = float(total_t / total_s) if total_s > 0 and total_t > 0 else 1.0
        self.ratio = min(max(self.ratio, 0.5), 2.0)

    @abstractmethod
    def match_cost(self, i: int, a: int, j: int, b: int) -> float:
        """Cost of aligning a source sentences from i with b target sentences from j."""

    @abstractmethod
    def skip_cost(self) -> float:
        """Cost of leaving one sentence unaligned."""

    @abstractmethod
    def coarse_vectors(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Single-sentence vectors for the coarse pass, or None to use lengths."""

    def length_cost(self, i: int, a: int, j: int, b: int) -> float:
        return gale_church_cost(self.src.run_len(i, a), self.tgt.run_len(j, b), self.ratio)

    def confidence_match(self, i: int, a: int, j: int, b: int) -> float:
        return 1.0

    def confidence_skip(self, side: str, k: int, lo: int, hi: int) -> float:
        return 0.5


class GaleChurchScorer(BeadScorer):
    """Length-only baseline: -log prior(bead) - log P(length match)."""

    def match_cost(self, i: int, a: int, j: int, b: int) -> float:
        return -math.log(_GC_PRIOR[(a, b)]) + self.length_cost(i, a, j, b)

    def skip_cost(self) -> float:
        return -math.log(_GC_PRIOR[(1, 0)])

    def coarse_vectors(self) -> None:
        return None

    def confidence_match(self, i: int, a: int, j: int, b: int) -> float:
        return float(math.exp(-self.length_cost(i, a, j, b)))


class EmbeddingScorer(BeadScorer):
    """(1 - cosine) of concatenated-run embeddings, plus length, bead-type and paragraph terms."""

    def __init__(self, src: SideInfo, tgt: SideInfo, params: AlignParams, embedder: Embedder) -> None:
        super().__init__(src, tgt, params)
        self.embedder = embedder
        self.src_runs = self._runs(src)
        self.tgt_runs = self._runs(tgt)

    def _runs(self, side: SideInfo) -> dict[int, np.ndarray]:
        """Embeddings of every run of 1..MAX_RUN consecutive sentences, keyed by run size."""
        texts = run_texts(side.texts)
        vecs = self.embedder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        out: dict[int, np.ndarray] = {}
        pos = 0
        for size in range(1, MAX_RUN + 1):
            count = max(side.n - size + 1, 0)
            out[size] = vecs[pos : pos + count]
            pos += count
        return out

    def cos(self, i: int, a: int, j: int, b: int) -> float:
        return float(np.dot(self.src_runs[a][i], self.tgt_runs[b][j]))

    def match_cost(self, i: int, a: int, j: int, b: int) -> float:
        p = self.params
        cost = (1.0 - self.cos(i, a, j, b)) * a * b  # vecalign: bigger beads pay more
        cost += p.length_weight * self.length_cost(i, a, j, b)
        cost += p.move_penalty[(a, b)]
        cost += p.unit_penalty * (self.src.crosses(i, a) + self.tgt.crosses(j, b))
        if p.part_weight and a > 1 and b == 1:
            parts = self.src_runs[1][i : i + a] @ self.tgt_runs[1][j]
            cost += p.part_weight * max(0.0, p.part_floor - float(parts.min()))
        return cost

    def skip_cost(self) -> float:
        return self.params.skip

    def coarse_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        return self.src_runs[1], self.tgt_runs[1]

    def _sigmoid(self, cos: float) -> float:
        p = self.params
        return 1.0 / (1.0 + math.exp(-(cos - p.conf_center) / p.conf_scale))

    def confidence_match(self, i: int, a: int, j: int, b: int) -> float:
        return self._sigmoid(self.cos(i, a, j, b))

    def confidence_skip(self, side: str, k: int, lo: int, hi: int) -> float:
        """1 - how well sentence k matches its best counterpart in [lo, hi) of the other side."""
        if hi <= lo:
            return 1.0
        if side == "src":
            best = float(np.max(self.tgt_runs[1][lo:hi] @ self.src_runs[1][k]))
        else:
            best = float(np.max(self.src_runs[1][lo:hi] @ self.tgt_runs[1][k]))
        return 1.0 - self._sigmoid(best)
