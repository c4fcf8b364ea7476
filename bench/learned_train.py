"""Retrain the learned rankers from the shared data alone (fixed seed): writes mtqa/data/.

1. The French character LM (``mtqa.scores.charlm``, order 6) on the 3,003 reference lines of
   newstest2014 en→fr → ``mtqa/data/charlm_fr.npz``.
2. The features of every judged (even) line of WMT12 newstest2012 en→fr for its 15 systems
   (``bench/learned_data.py``).
3. Per score, a linear model on standardised features with a pairwise logistic loss on the
   feature differences of the 5,605 human better/worse pairs (L2, Newton's method: deterministic)
   → ``mtqa/data/rank_ref.json`` and ``mtqa/data/rank_qe.json``.

    .venv/bin/python bench/learned_train.py [--refresh]   # --refresh: recompute the feature cache
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

import learned_data as ld
import numpy as np

SEED = 12
L2 = 1.0  # ridge on the standardised weights (sum over pairs, so small next to 5,605 pairs)
VERSION = "1"
MODELS = {
    "rank-ref": ("rank_ref.json", ["chrf", "cos_ref", "ter_edits", "bleu_p1", "charlm", "number_mismatch"]),
    "rank-qe": ("rank_qe.json", ["cos_src", "charlm", "copied_source", "mqm_accuracy", "charlm_total", "token_ratio",
                                "caps_kept", "accuracy_flagged"]),
}


def fit_pairwise(d: np.ndarray, l2: float = L2, iters: int = 50) -> np.ndarray:
    """Weights w minimising Σ log(1 + exp(−w·dᵢ)) + l2/2 ‖w‖² (dᵢ = better − worse), by Newton."""
    w = np.zeros(d.shape[1])
    for _ in range(iters):
        z = d @ w
        p = 1.0 / (1.0 + np.exp(np.clip(z, -50, 50)))  # σ(−z)
        grad = -(d * p[:, None]).sum(axis=0) + l2 * w
        hess = (d * (p * (1 - p))[:, None]).T @ d + l2 * np.eye(d.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return w


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and spread of each feature over every (system, line) it is defined on."""
    flat = x.reshape(-1, x.shape[-1])
    mean = np.nanmean(flat, axis=0)
    scale = np.nanstd(flat, axis=0)
    return mean, np.where(scale > 0, scale, 1.0)


def pair_diffs(xs: np.ndarray, mean: np.ndarray, scale: np.ndarray, pairs, keep: np.ndarray | None = None) -> np.ndarray:
    li, bi, wi = pairs
    sel = np.ones(len(li), bool) if keep is None else keep
    z = (xs - mean) / scale
    diff = z[bi[sel], li[sel]] - z[wi[sel], li[sel]]
    return diff[~np.isnan(diff).any(axis=1)]


def train(xs: np.ndarray, pairs, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, scale, weights) on the pairs ``keep`` selects; the scaling comes from their lines."""
    mean, scale = standardise(xs if keep is None else xs[:, np.unique(pairs[0][keep])])
    return mean, scale, fit_pairwise(pair_diffs(xs, mean, scale, pairs, keep))


def select(d: dict, features: list[str]) -> np.ndarray:
    names = list(d["features"])
    return d["x"][:, :, [names.index(f) for f in features]]


def train_charlm() -> str:
    from mtqa.scores import charlm
    from mtqa.scores.learned import DATA

    lm = charlm.train(ld.read_lines(ld.NEWSTEST14 / "ref.fr"))
    path = DATA / "charlm_fr.npz"
    charlm.save(lm, path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def model_json(name: str, features: list[str], mean, scale, w, lm_sha: str, d: dict) -> dict:
    m = {"format": "mtqa-linear-ranker", "name": name, "version": VERSION, "features": features,
         "mean": [round(float(v), 8) for v in mean], "scale": [round(float(v), 8) for v in scale],
         "weights": [round(float(v), 8) for v in w], "embedder": "use-m3",
         "training": {"data": "wmt12-newstest2012-enfr-even-lines-pairwise",
                      "description": f"WMT12 en-fr human 5-way rankings, even lines of newstest2012 "
                                     f"({len(d['lines'])} lines, {len(d['systems'])} systems, "
                                     f"{len(ld.read_pairs())} better/worse pairs)",
                      "objective": "pairwise logistic loss on standardised feature differences",
                      "l2": L2, "seed": SEED, "script": "bench/learned_train.py"}}
    if "charlm" in features:
        m["charlm"] = {"file": "charlm_fr.npz", "sha256": lm_sha, "order": 6,
                       "training": "newstest2014 en-fr reference, 3,003 French lines"}
    return m


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--refresh", action="store_true", help="recompute the feature cache")
    args = ap.parse_args(argv)
    from mtqa.scores.learned import DATA

    lm_sha = train_charlm()
    d = ld.load(args.refresh)
    pairs = ld.pair_index(d)
    for name, (file, features) in MODELS.items():
        mean, scale, w = train(select(d, features), pairs)
        text = json.dumps(model_json(name, features, mean, scale, w, lm_sha, d), indent=1) + "\n"
        (DATA / file).write_text(text, encoding="utf-8")
        print(f"{name}: " + ", ".join(f"{f} {v:+.3f}" for f, v in zip(features, w)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
