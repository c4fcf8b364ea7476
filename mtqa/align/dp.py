"""The aligner's dynamic programmes, both restricted to a band of target positions per source row.

1. Coarse pass — a 1-1/1-0/0-1 programme over single-sentence similarities finds the rough path.
   Long documents are first averaged pairwise (repeatedly) down to a size where a full DP is
   cheap, and the path found there is projected back, so every level costs O(length × band).
   Without embeddings, the rough path follows the diagonal of cumulative length.
2. Fine pass — a programme inside a band of ``band`` sentences around that path, over every bead
   type of ``MOVES``, each bead costed by a ``BeadScorer``.

A band is a list of ``(lo, hi)`` target intervals, one per source row 0..n, both bounds monotone.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

import numpy as np

from mtqa.align.beads import BeadScorer, SideInfo
from mtqa.align.params import MOVES, AlignParams

Band = list[tuple[int, int]]

# ---------------------------------------------------------------------------------------------
# Coarse pass: 1-1/1-0/0-1 path, recursive downsampling for long documents.


def band_from_rows(rows: list[tuple[int, int]], n: int, m: int, width: int) -> Band:
    """Widen per-row [lo, hi] target intervals by ``width`` in both directions; keep monotone."""
    lo = [r[0] for r in rows]
    hi = [r[1] for r in rows]
    out_lo, out_hi = [], []
    for i in range(n + 1):
        a, b = max(0, i - width), min(n, i + width)
        out_lo.append(max(0, min(lo[a : b + 1]) - width))
        out_hi.append(min(m, max(hi[a : b + 1]) + width))
    for i in range(n - 1, -1, -1):  # lo non-decreasing
        out_lo[i] = min(out_lo[i], out_lo[i + 1])
    for i in range(1, n + 1):  # hi non-decreasing, rows overlap so a path always exists
        out_hi[i] = max(out_hi[i], out_hi[i - 1])
        out_lo[i] = min(out_lo[i], out_hi[i - 1])
    out_lo[0], out_hi[n] = 0, m
    return list(zip(out_lo, out_hi))


def path_rows(path: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    rows = [(10**9, -1)] * (n + 1)
    for i, j in path:
        lo, hi = rows[i]
        rows[i] = (min(lo, j), max(hi, j))
    return rows


def _coarse_dp(sim: Callable[[int, int, int], np.ndarray], band: Band, n: int, m: int, skip: float) -> list[tuple[int, int]]:
    """Min-cost 1-1/1-0/0-1 path inside ``band``; ``sim(i, lo, hi)`` gives cos of source i vs targets."""
    inf = float("inf")
    cost: list[np.ndarray] = []
    back: list[np.ndarray] = []
    for i in range(n + 1):
        lo, hi = band[i]
        width = hi - lo + 1
        row = np.full(width, inf)
        bp = np.zeros(width, dtype=np.int8)  # 0 start, 1 diag, 2 up (1-0), 3 left (0-1)
        if i == 0:
            row[0 - lo] = 0.0 if lo == 0 else inf
        else:
            plo, phi = band[i - 1]
            prev = cost[i - 1]
            js = np.arange(lo, hi + 1)
            # 1-0: from (i-1, j)
            ok = (js >= plo) & (js <= phi)
            up = np.full(width, inf)
            up[ok] = prev[js[ok] - plo] + skip
            # 1-1: from (i-1, j-1)
            okd = (js - 1 >= plo) & (js - 1 <= phi)
            diag = np.full(width, inf)
            if okd.any():
                sims = sim(i - 1, lo, hi)  # cos(source i-1, target j-1) for j in lo..hi
                diag[okd] = prev[js[okd] - 1 - plo] + (1.0 - sims[okd])
            row = np.where(diag <= up, diag, up)
            bp = np.where(diag <= up, 1, 2).astype(np.int8)
            bp[np.isinf(row)] = 0
        # 0-1 moves within the row: sequential scan
        for k in range(1, width):
            c = row[k - 1] + skip
            if c < row[k]:
                row[k] = c
                bp[k] = 3
        cost.append(row)
        back.append(bp)
    return _trace_coarse(back, band, n, m)


def _trace_coarse(back: list[np.ndarray], band: Band, n: int, m: int) -> list[tuple[int, int]]:
    """The coarse path, from the back-pointers (1 diagonal, 2 up, 3 left), from (0, 0) to (n, m)."""
    path = [(n, m)]
    i, j = n, m
    while (i, j) != (0, 0):
        lo = band[i][0]
        move = back[i][j - lo]
        if move == 1:
            i, j = i - 1, j - 1
        elif move == 2:
            i -= 1
        elif move == 3:
            j -= 1
        else:
            raise AssertionError("alignment band lost the path")  # pragma: no cover
        path.append((i, j))
    path.reverse()
    return path


def _downsample(vecs: np.ndarray) -> np.ndarray:
    n = len(vecs)
    if n % 2:
        vecs = np.vstack([vecs, vecs[-1:]])
    out = vecs[0::2] + vecs[1::2]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)


def coarse_path(svec: np.ndarray, tvec: np.ndarray, params: AlignParams) -> list[tuple[int, int]]:
    """The 1-1/1-0/0-1 path over (normalised) sentence vectors, in O((n+m)·band) per level."""
    n, m = len(svec), len(tvec)
    if (n + 1) * (m + 1) <= params.coarse_max_cells or n < 4 or m < 4:
        band = [(0, m)] * (n + 1)
    else:
        up = coarse_path(_downsample(svec), _downsample(tvec), params)
        rows = [(10**9, -1)] * (n + 1)
        for ci, cj in up:
            for i in range(max(0, 2 * ci - 1), min(n, 2 * ci + 1) + 1):
                lo, hi = rows[i]
                rows[i] = (min(lo, max(0, 2 * cj - 1)), max(hi, min(m, 2 * cj + 1)))
        band = band_from_rows(rows, n, m, params.band)

    def sim(i: int, lo: int, hi: int) -> np.ndarray:
        a, b = max(lo - 1, 0), hi  # target j-1 for j in lo..hi
        vals = tvec[a:b] @ svec[i]
        return np.concatenate([[-1.0] * (1 if lo == 0 else 0), vals])

    return _coarse_dp(sim, band, n, m, params.coarse_skip)


def length_coarse_path(src: SideInfo, tgt: SideInfo) -> list[tuple[int, int]]:
    """Coarse path for the length-only scorer: a 1-1 path along the diagonal of cumulative length."""
    n, m = src.n, tgt.n
    total_s, total_t = src.cumlen[-1] or 1.0, tgt.cumlen[-1] or 1.0
    path = [(0, 0)]
    j = 0
    for i in range(1, n + 1):
        frac = src.cumlen[i] / total_s
        target = int(np.searchsorted(tgt.cumlen / total_t, frac - 1e-9))
        target = min(max(target, j), m)
        while j < target:
            j += 1
            path.append((i - 1, j))
        path.append((i, j))
    while j < m:
        j += 1
        path.append((n, j))
    return path


# ---------------------------------------------------------------------------------------------
# Fine pass


def fine_dp(scorer: BeadScorer, band: Band, n: int, m: int) -> list[tuple[int, int, int, int]]:
    """Min-cost bead sequence inside the band; returns beads (i, a, j, b)."""
    inf = float("inf")
    skip = scorer.skip_cost()
    cost: list[list[float]] = []
    back: list[list[int]] = []
    for i in range(n + 1):
        lo, hi = band[i]
        row = [inf] * (hi - lo + 1)
        bp = [-1] * (hi - lo + 1)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            best, arg = inf, -1
            for k, (a, b) in enumerate(MOVES):
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0:
                    continue
                if a == 0:
                    prev = row[pj - lo] if pj >= lo else inf
                else:
                    plo, phi = band[pi]
                    if pj < plo or pj > phi:
                        continue
                    prev = cost[pi][pj - plo]
                if prev == inf:
                    continue
                c = prev + (skip if (a == 0 or b == 0) else scorer.match_cost(pi, a, pj, b))
                if c < best:
                    best, arg = c, k
            row[j - lo] = best
            bp[j - lo] = arg
        cost.append(row)
        back.append(bp)
    return _trace_fine(back, band, n, m)


def _trace_fine(back: list[list[int]], band: Band, n: int, m: int) -> list[tuple[int, int, int, int]]:
    """The beads (i, a, j, b) from the back-pointers (indexes into ``MOVES``), in document order."""
    beads = []
    i, j = n, m
    while (i, j) != (0, 0):
        k = back[i][j - band[i][0]]
        if k < 0:
            raise AssertionError("alignment band lost the path")  # pragma: no cover
        a, b = MOVES[k]
        i, j = i - a, j - b
        beads.append((i, a, j, b))
    beads.reverse()
    return beads


def rows_covering(band: Band, j: int) -> tuple[int, int]:
    """First and last rows of the band whose interval contains target j (both bounds monotone)."""
    first = bisect.bisect_left([hi for _, hi in band], j)
    last = bisect.bisect_right([lo for lo, _ in band], j) - 1
    return (min(first, len(band) - 1), max(last, 0))
