"""Agreement of the learned rankers with WMT12's human judges (dev half, 5-fold CV by line).

Segment level: WMT12's Kendall tau, (concordant − discordant) / (concordant + discordant) over the
human better/worse pairs, a metric tie (or an unscored segment) counted as discordant; mean and
spread (standard deviation) over 5 folds of the judged lines (fixed seed). ``rank-ref`` and
``rank-qe`` are retrained on the pairs of the other 4 folds (``bench/learned_train.py``'s code)
and scored on the held-out fold; the other scores need no training.

System level: Spearman of each score's system ranking with the human one (the system's share of
pairwise wins on the dev half). A system's score is the mean of its segment scores over the judged
lines, as mtqa reports a corpus score: for the learned scores the mean of the 0–100 segment scores
(out-of-fold), the score's own scale. The column "(mean z)" ranks them by the mean of the linear
part before the sigmoid instead (the aggregation of the first version of this bench).

    .venv/bin/python bench/learned_eval.py [--refresh] [--cost] [--cost-line-aligned]
    --cost: also time the one-system newstest2014 check, the default run (aligned, default metrics)
    with and without the two scores (``bench/learned_timing.py``: CPU with the Grammalecte worker,
    mtqa's own CPU, wall); ``--cost-line-aligned``: the same with ``--line-aligned``, where nothing
    but ``cos_ref`` embeds the reference; ``--repeats N`` (best of N, 2).
"""

from __future__ import annotations

import argparse

import learned_data as ld
import learned_timing as timing
import learned_train as lt
import numpy as np

FOLDS = 5


def tau(scores: np.ndarray, pairs, keep: np.ndarray) -> float:
    li, bi, wi = pairs
    diff = scores[bi[keep], li[keep]] - scores[wi[keep], li[keep]]
    conc = int(np.sum(diff > 0))  # NaN compares False: discordant
    disc = len(diff) - conc
    return (conc - disc) / max(conc + disc, 1)


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra = np.argsort(np.argsort(a)).astype(float)
    rb = np.argsort(np.argsort(b)).astype(float)
    return float(np.corrcoef(ra, rb)[0, 1])


def human_share(d: dict, pairs) -> np.ndarray:
    _, bi, wi = pairs
    n = len(d["systems"])
    wins = np.bincount(bi, minlength=n)
    return wins / (wins + np.bincount(wi, minlength=n))


def fold_of_line(n_lines: int) -> np.ndarray:
    rng = np.random.default_rng(lt.SEED)
    return rng.permutation(n_lines) % FOLDS


def learned_oof(d: dict, features: list[str], pairs, folds: np.ndarray) -> np.ndarray:
    """Out-of-fold predictions [system, line]: each fold scored by the model of the other four."""
    xs = lt.select(d, features)
    out = np.full(xs.shape[:2], np.nan)
    for k in range(FOLDS):
        train_pairs = folds[pairs[0]] != k
        mean, scale, w = lt.train(xs, pairs, train_pairs)
        z = ((xs - mean) / scale) @ w
        test_lines = folds == k
        out[:, test_lines] = z[:, test_lines]
    return out


def table(d: dict) -> list[tuple[str, list[float], float]]:
    pairs = ld.pair_index(d)
    folds = fold_of_line(len(d["lines"]))
    human = human_share(d, pairs)
    linear = {name: learned_oof(d, feats, pairs, folds) for name, (_, feats) in lt.MODELS.items()}
    scores = {name: 100.0 / (1.0 + np.exp(-np.clip(z, -50, 50))) for name, z in linear.items()}  # as predict()
    scores.update({b: d[f"base_{b}"] for b in ld.BASELINES})
    rows = []
    for name, s in scores.items():
        taus = [tau(s, pairs, folds[pairs[0]] == k) for k in range(FOLDS)]
        rho_z = spearman(np.nanmean(linear[name], axis=1), human) if name in linear else None
        rows.append((name, taus, spearman(np.nanmean(s, axis=1), human), rho_z))
    return rows


def print_table(rows, n_pairs: int, n_lines: int) -> None:
    print(f"WMT12 en-fr dev half: {n_pairs} pairs on {n_lines} even lines, {FOLDS} folds by line (seed {lt.SEED})")
    print(f"{'score':<14}{'tau mean':>9}{'± sd':>8}   {'folds':<40}{'system Spearman':>16}{'(mean z)':>10}")
    for name, taus, rho, rho_z in rows:
        folds = " ".join(f"{t:.3f}" for t in taus)
        z = "" if rho_z is None else f"{rho_z:.3f}"
        print(f"{name:<14}{np.mean(taus):>9.3f}{np.std(taus):>8.3f}   {folds:<40}{rho:>16.3f}{z:>10}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--refresh", action="store_true", help="recompute the feature cache")
    ap.add_argument("--cost", action="store_true", help="also time the default newstest2014 check with/without")
    ap.add_argument("--cost-line-aligned", action="store_true", help="also time it with --line-aligned")
    ap.add_argument("--repeats", type=int, default=2, help="best of N runs for the cost (2)")
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be at least 1")
    d = ld.load(args.refresh)
    print_table(table(d), len(ld.read_pairs()), len(d["lines"]))
    for line_aligned, asked in ((False, args.cost), (True, args.cost_line_aligned)):
        if asked:
            timing.print_cost(timing.cost(args.repeats, line_aligned), args.repeats, line_aligned)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
