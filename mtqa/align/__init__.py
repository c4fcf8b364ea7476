"""Stage 3 — align: link source sentences to MT (and reference) sentences, build Segments.

A vecalign/bertalign-style aligner, written here because neither ships as a maintained library
that takes our own embedder and offsets:

1. Coarse pass — a 1-1/1-0/0-1 dynamic programme over single-sentence similarities finds the
   rough path. Long documents are first averaged pairwise (repeatedly) down to a size where a
   full DP is cheap, and the path found there is projected back, so every level costs
   O(length × band).
2. Fine pass — a DP restricted to a band of ``band`` sentences around that path, with beads
   1-1, 1-2, 2-1, 1-3, 3-1, 2-2, 1-0 and 0-1. A bead's cost is ``(1 - cos)`` between the
   embeddings of its concatenated sentences (each distinct text embedded once, through the
   embedder's cache), weighted by its size, plus a Gale-Church length term, a small prior per
   bead type, and a penalty for beads that cross a paragraph (unit) boundary — a soft anchor,
   since vendors merge paragraphs.

Each Link gets a confidence in [0, 1]: for a bead, how clearly its texts are translations of
each other; for a 1-0/0-1 link, how clearly the sentence has no counterpart nearby (so an
omission/addition check can trust it). Without an embedder the same DP runs on the Gale-Church
length cost alone (the classic baseline).
"""

from __future__ import annotations

import bisect
import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mtqa.embed.base import Embedder
from mtqa.model import AlignedDocument, Document, Link, Segment, Side

MATCH_MOVES = ((1, 1), (2, 1), (1, 2), (3, 1), (1, 3), (2, 2))
SKIP_MOVES = ((1, 0), (0, 1))
MOVES = MATCH_MOVES + SKIP_MOVES
MAX_RUN = 3


@dataclass(frozen=True)
class AlignParams:
    band: int = 6  # half-width (sentences) of the fine DP band around the coarse path
    skip: float = 0.35  # cost of leaving one sentence unaligned
    coarse_skip: float = 0.45  # same, in the coarse 1-1 pass
    length_weight: float = 0.05  # weight of the Gale-Church length cost
    unit_penalty: float = 0.10  # per side whose run crosses a paragraph boundary
    # Bead-type priors. Tuned with bench/align_eval.py (newstest2014, seed 1).
    move_penalty: dict = field(
        default_factory=lambda: {(1, 1): 0.0, (2, 1): 0.05, (1, 2): 0.05, (3, 1): 0.15, (1, 3): 0.15, (2, 2): 0.2}
    )
    # A 2-1/3-1 bead with a source sentence unrelated to its MT sentence is usually an omission
    # glued to a neighbour: penalise a part whose cosine with the MT is below part_floor. (Not
    # applied to 1-2/1-3: the halves of a split sentence are often far from the whole.)
    part_floor: float = 0.35
    part_weight: float = 1.0
    coarse_max_cells: int = 60_000  # largest (n+1)*(m+1) solved with a full coarse DP
    conf_center: float = 0.45  # cosine at which a bead's confidence is 0.5 (USE-m3 scale)
    conf_scale: float = 0.06


DEFAULT_PARAMS = AlignParams()


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


class _SideInfo:
    def __init__(self, side: Side):
        self.texts = [s.text for s in side.sentences]
        self.n = len(self.texts)
        lens = np.array([len(t) for t in self.texts], dtype=np.float64)
        self.cumlen = np.concatenate([[0.0], np.cumsum(lens)])
        units = [s.unit for s in side.sentences]
        self.units = units

    def run_len(self, start: int, size: int) -> float:
        return float(self.cumlen[start + size] - self.cumlen[start]) + (size - 1)

    def crosses(self, start: int, size: int) -> bool:
        return size > 1 and self.units[start] != self.units[start + size - 1]


class BeadScorer(ABC):
    """Scores beads for the DP. ``cost(i, a, j, b)``: source[i:i+a] ↔ target[j:j+b]."""

    def __init__(self, src: _SideInfo, tgt: _SideInfo, params: AlignParams):
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

    def coarse_vectors(self):
        return None

    def confidence_match(self, i: int, a: int, j: int, b: int) -> float:
        return float(math.exp(-self.length_cost(i, a, j, b)))


class EmbeddingScorer(BeadScorer):
    """(1 - cosine) of concatenated-run embeddings, plus length, bead-type and paragraph terms."""

    def __init__(self, src: _SideInfo, tgt: _SideInfo, params: AlignParams, embedder: Embedder):
        super().__init__(src, tgt, params)
        self.embedder = embedder
        self.src_runs = self._runs(src)
        self.tgt_runs = self._runs(tgt)

    def _runs(self, side: _SideInfo) -> dict[int, np.ndarray]:
        """Embeddings of every run of 1..MAX_RUN consecutive sentences, keyed by run size."""
        texts: list[str] = []
        for size in range(1, MAX_RUN + 1):
            texts.extend(" ".join(side.texts[k : k + size]) for k in range(side.n - size + 1))
        vecs = self.embedder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        out, pos = {}, 0
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

    def coarse_vectors(self):
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


# ---------------------------------------------------------------------------------------------
# Coarse pass: 1-1/1-0/0-1 path, recursive downsampling for long documents.


def _band_from_rows(rows: list[tuple[int, int]], n: int, m: int, width: int) -> list[tuple[int, int]]:
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


def _path_rows(path: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    rows = [(10**9, -1)] * (n + 1)
    for i, j in path:
        lo, hi = rows[i]
        rows[i] = (min(lo, j), max(hi, j))
    return rows


def _coarse_dp(sim: Callable[[int, int, int], np.ndarray], band: list[tuple[int, int]], n: int, m: int, skip: float) -> list[tuple[int, int]]:
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
        band = _band_from_rows(rows, n, m, params.band)

    def sim(i: int, lo: int, hi: int) -> np.ndarray:
        a, b = max(lo - 1, 0), hi  # target j-1 for j in lo..hi
        vals = tvec[a:b] @ svec[i]
        return np.concatenate([[-1.0] * (1 if lo == 0 else 0), vals])

    return _coarse_dp(sim, band, n, m, params.coarse_skip)


def _length_coarse_path(src: _SideInfo, tgt: _SideInfo) -> list[tuple[int, int]]:
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


def _fine_dp(scorer: BeadScorer, band: list[tuple[int, int]], n: int, m: int) -> list[tuple[int, int, int, int]]:
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


def align_sentences(
    src: Side, tgt: Side, embedder: Embedder | None, params: AlignParams = DEFAULT_PARAMS
) -> list[Link]:
    """Align the sentences of two sides (their ``sentences`` must be filled)."""
    s, t = _SideInfo(src), _SideInfo(tgt)
    n, m = s.n, t.n
    if n == 0 or m == 0:
        return [Link((k,), (), 1.0) for k in range(n)] + [Link((), (k,), 1.0) for k in range(m)]
    scorer: BeadScorer
    if embedder is None:
        scorer = GaleChurchScorer(s, t, params)
        path = _length_coarse_path(s, t)
    else:
        scorer = EmbeddingScorer(s, t, params, embedder)
        svec, tvec = scorer.coarse_vectors()
        path = coarse_path(svec, tvec, params)
    band = _band_from_rows(_path_rows(path, n), n, m, params.band)
    beads = _fine_dp(scorer, band, n, m)
    links = []
    for i, a, j, b in beads:
        if a and b:
            conf = scorer.confidence_match(i, a, j, b)
        elif a:
            lo, hi = band[i][0], band[i + 1][1]
            conf = scorer.confidence_skip("src", i, max(0, lo - 1), min(m, hi + 1))
        else:
            lo, hi = _rows_covering(band, j)
            conf = scorer.confidence_skip("tgt", j, max(0, lo - 1), min(n, hi + 1))
        links.append(Link(tuple(range(i, i + a)), tuple(range(j, j + b)), round(float(conf), 4)))
    return links


def _rows_covering(band: list[tuple[int, int]], j: int) -> tuple[int, int]:
    """First and last rows of the band whose interval contains target j (both bounds monotone)."""
    first = bisect.bisect_left([hi for _, hi in band], j)
    last = bisect.bisect_right([lo for lo, _ in band], j) - 1
    return (min(first, len(band) - 1), max(last, 0))


# Kept for callers of the foundation API.
# ---------------------------------------------------------------------------------------------
# Segments


def _slice(side: Side, ids: tuple[int, ...]) -> tuple[str, int | None]:
    if not ids:
        return "", None
    start = side.sentences[ids[0]].start
    end = side.sentences[ids[-1]].end
    return side.text[start:end], start


def build_segments(doc: Document, links: list[Link], ref_links: list[Link] | None) -> list[Segment]:
    """One Segment per source↔MT link; reference sentences follow the source sentences they render."""
    ref_for_src: dict[int, tuple[int, ...]] = {}
    if ref_links is not None:
        for link in ref_links:
            for s in link.src:
                ref_for_src[s] = link.tgt
    segments = []
    for i, link in enumerate(links):
        source, src_off = _slice(doc.source, link.src)
        mt, mt_off = _slice(doc.mt, link.tgt)
        ref = None
        ref_ids: tuple[int, ...] = ()
        if doc.ref is not None:
            ids: set[int] = set()
            for s in link.src:
                ids.update(ref_for_src.get(s, ()))
            ref_ids = tuple(sorted(ids))
            ref, _ = _slice(doc.ref, ref_ids) if ref_ids else ("", None)
        unit_id = None
        mt_line = None
        if link.tgt:
            unit = doc.mt.units[doc.mt.sentences[link.tgt[0]].unit]
            unit_id = unit.id
            mt_line = unit.line if doc.paired else doc.mt.line_of(mt_off)
        segments.append(
            Segment(
                index=i,
                source=source,
                mt=mt,
                ref=ref,
                src_ids=link.src,
                mt_ids=link.tgt,
                alignment="given" if doc.paired else link.kind,
                confidence=link.confidence,
                src_offset=src_off,
                mt_offset=mt_off,
                mt_line=mt_line,
                unit_id=unit_id,
                ref_ids=ref_ids,
            )
        )
    return segments


def align_document(doc: Document, embedder: Embedder | None, params: AlignParams = DEFAULT_PARAMS) -> AlignedDocument:
    """Source↔MT links (and source↔reference links when a reference is given) and Segments."""
    if doc.paired:
        n = len(doc.source.sentences)
        links = [Link((i,), (i,), 1.0) for i in range(n)]
        ref_links = [Link((i,), (i,), 1.0) for i in range(n)] if doc.ref is not None else None
    else:
        links = align_sentences(doc.source, doc.mt, embedder, params)
        ref_links = align_sentences(doc.source, doc.ref, embedder, params) if doc.ref is not None else None
    return AlignedDocument(doc=doc, segments=build_segments(doc, links, ref_links), links=links, ref_links=ref_links)
