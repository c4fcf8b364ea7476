"""Paired significance tests for segment-level scores (adequacy, COMET, MQM penalty…).

For BLEU/chrF/TER, whose corpus score is not a mean of segment scores, mtqa uses sacrebleu's own
``sacrebleu.significance.PairedTest`` (see ``mtqa.compare``). For scores whose corpus value *is*
the mean of per-segment values, sacrebleu has no entry point, so the same two procedures are
written here, following sacrebleu 2.x step by step so that both kinds of score in one
``mtqa compare`` table mean the same thing:

* ``paired_bootstrap`` — Koehn (2004) paired bootstrap resampling as in sacrebleu's
  ``_paired_bs_test``: the same resample indices for both systems (``numpy.random.default_rng(seed)``
  then ``rng.choice``), the test statistic ``|mean(sys) - mean(base)|``, the bootstrap
  differences centred on their mean, and the multeval p-value ``(count(stat > observed) + 1) /
  (n + 1)``.
* ``paired_approximate_randomization`` — sacrebleu's ``_paired_ar_test``: each segment's two
  scores are swapped with probability ½, ``n`` trials.

Both are two-sided: a small p-value says the systems differ, ``delta`` says in which direction.
One deliberate difference from sacrebleu: two identical score lists get p = 1 (sacrebleu's formula
would give 1/(n+1), i.e. "significant", for a system compared with itself).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DEFAULT_SEED = 12345  # sacrebleu's default SACREBLEU_SEED


def _arrays(baseline: Sequence[float], system: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    b = np.asarray(baseline, dtype=np.float64)
    s = np.asarray(system, dtype=np.float64)
    if b.shape != s.shape or b.ndim != 1:
        raise ValueError(f"paired test needs two equally long lists of scores, got {b.shape} and {s.shape}")
    if len(b) == 0:
        raise ValueError("paired test needs at least one paired segment")
    return b, s


def _p_value(stats: np.ndarray, observed: float) -> float:
    """multeval's p-value, as sacrebleu computes it: (#(stat > observed) + 1) / (n + 1)."""
    return float((np.sum(stats > observed) + 1) / (len(stats) + 1))


def estimate_ci(scores: np.ndarray) -> tuple[float, float]:
    """Mean and half-width of the 95% interval of bootstrap scores (sacrebleu's ``estimate_ci``)."""
    s = np.sort(scores)
    lo = len(s) // 40
    return float(s.mean()), float(0.5 * (s[len(s) - lo - 1] - s[lo]))


def paired_bootstrap(
    baseline: Sequence[float], system: Sequence[float], resamples: int = 1000, seed: int | None = DEFAULT_SEED
) -> dict:
    """Paired bootstrap resampling test of the mean segment score of two systems.

    ``baseline[i]`` and ``system[i]`` must score the same segment. Returns a dict with

    * ``delta`` — mean(system) − mean(baseline) on the real data;
    * ``p_value`` — two-sided p-value of "the systems are equally good" (sacrebleu's procedure);
    * ``ci_low``/``ci_high`` — 95% percentile interval of the resampled differences of means;
    * ``baseline``/``system`` — the two real means; ``system_mean``/``system_ci`` — bootstrap mean
      and 95% half-width of the system's score (what sacrebleu prints as ``(μ ± 95% CI)``);
    * ``resamples``, ``seed``.
    """
    b, s = _arrays(baseline, system)
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(b), size=(resamples, len(b)), replace=True)
    sb = b[idx].mean(axis=1)
    ss = s[idx].mean(axis=1)
    diffs = ss - sb
    observed = abs(float(s.mean() - b.mean()))
    sample = np.abs(diffs)
    # Identical scores: sacrebleu's formula would give 1/(n+1); no difference is no evidence.
    p = 1.0 if np.array_equal(b, s) else _p_value(sample - sample.mean(), observed)
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    sys_mean, sys_ci = estimate_ci(ss)
    return {
        "delta": float(s.mean() - b.mean()),
        "p_value": p,
        "ci_low": float(lo),
        "ci_high": float(hi),
        "baseline": float(b.mean()),
        "system": float(s.mean()),
        "system_mean": sys_mean,
        "system_ci": sys_ci,
        "resamples": resamples,
        "seed": seed,
    }


def paired_approximate_randomization(
    baseline: Sequence[float], system: Sequence[float], trials: int = 10000, seed: int | None = DEFAULT_SEED
) -> dict:
    """Paired approximate randomization test of the mean segment score (sacrebleu's AR procedure).

    Returns ``delta``, ``p_value``, ``baseline``, ``system``, ``trials`` and ``seed``.
    """
    b, s = _arrays(baseline, system)
    rng = np.random.default_rng(seed)
    swap = rng.integers(2, size=(trials, len(b)), dtype=bool)
    # Pseudo-systems: with a swap mask m, A = m·b + ~m·s and B = ~m·b + m·s, so A - B = (2m-1)(b - s).
    d = b - s
    sign = np.where(swap, 1.0, -1.0)
    stats = np.abs(sign @ d) / len(b)
    observed = abs(float(s.mean() - b.mean()))
    return {
        "delta": float(s.mean() - b.mean()),
        "p_value": 1.0 if np.array_equal(b, s) else _p_value(stats, observed),
        "baseline": float(b.mean()),
        "system": float(s.mean()),
        "trials": trials,
        "seed": seed,
    }


__all__ = ["DEFAULT_SEED", "estimate_ci", "paired_approximate_randomization", "paired_bootstrap"]
