"""What did not help ``rank-qe``: IBM-1 word-translation features and distillation from newstest2014.

Both are measured with bench/learned_eval.py's folds (5 line-folds of the WMT12 dev half, seed 12)
and reported as segment tau (mean ± sd) and system Spearman, next to the shipped feature set.

1. **IBM-1 features.** Word translation tables p(fr|en) and p(en|fr) learned by 5 EM iterations
   of IBM model 1 on newstest2014's 3,003 source/reference lines (lower-cased letter words, a NULL
   word; deterministic), pruned at p ≥ 0.05. Per segment: the share of the source's content words
   (not among the 60 most frequent) with a translation in the MT (``ibm_cov``), the reverse
   (``ibm_rcov``), and the length-normalised IBM-1 log-likelihood of the MT given the source
   (``ibm_ll``) and of the source given the MT (``ibm_rll``).
2. **Distillation.** The features of every 5th newstest2014 line for its 13 systems (computed as
   ``mtqa check --line-aligned`` does, bench/learned_data.py), and pairs of systems per line
   ordered by ``rank-ref`` (trained on the same 4 WMT12 folds) or by sentence chrF, when they
   differ by more than a margin; added to the WMT12 human pairs with a weight ``alpha``.

3. **``rank-ref`` without ``cos_ref``** (its cost): cheap sacrebleu features in its place
   (chrF++, chrF with β = 1, the log of BLEU's smoothed 2–4-gram precisions) and the src–MT cosine.

    .venv/bin/python bench/learned_ablate.py     # a few minutes; caches in bench/out/
"""

from __future__ import annotations

import itertools
import math
import re
import sys
from collections import Counter, defaultdict

import learned_data as ld
import learned_eval as le
import learned_train as lt
import numpy as np

from mtqa.scores.rank_features import FEATURES

_WORD = re.compile(r"[^\W\d_]+")
IBM = ["ibm_cov", "ibm_rcov", "ibm_ll", "ibm_rll"]
QE = list(lt.MODELS["rank-qe"][1])
NT14_CACHE = ld.OUT / "ablate_nt14_features.npz"
IBM_CACHE = ld.OUT / "ablate_ibm.npz"


def toks(s: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(s)]


def ibm1(src: list[list[str]], tgt: list[list[str]], iters: int = 5) -> dict[str, dict[str, float]]:
    """p(t | s) of IBM model 1 (uniform start, a NULL source word), pruned at 0.05."""
    t: defaultdict = defaultdict(lambda: 1.0)
    for _ in range(iters):
        cnt: defaultdict = defaultdict(float)
        tot: defaultdict = defaultdict(float)
        for e, f in zip(src, tgt):
            es = [*e, "<null>"]
            for fw in f:
                z = sum(t[(ew, fw)] for ew in es)
                for ew in es:
                    c = t[(ew, fw)] / z
                    cnt[(ew, fw)] += c
                    tot[ew] += c
        t = defaultdict(float, {k: v / tot[k[0]] for k, v in cnt.items()})
    table: defaultdict = defaultdict(dict)
    for (e, f), p in t.items():
        if p >= 0.05:
            table[e][f] = p
    return table


def coverage(words: list[str], other: set[str], table: dict, stop: set[str]) -> float:
    content = [w for w in words if w not in stop and w in table]
    if not content:
        return math.nan
    return sum(w in other or any(t in other for t in table[w]) for w in content) / len(content)


def loglik(given: list[str], words: list[str], table: dict) -> float:
    if not words:
        return math.nan
    es = [*given, "<null>"]
    return float(np.mean([math.log(max(sum(table.get(e, {}).get(f, 0.0) for e in es) / len(es), 1e-4))
                          for f in words]))


class Lexicon:
    def __init__(self) -> None:
        src = [toks(x) for x in ld.read_lines(ld.NEWSTEST14 / "source.en")]
        ref = [toks(x) for x in ld.read_lines(ld.NEWSTEST14 / "ref.fr")]
        self.fe, self.ef = ibm1(src, ref), ibm1(ref, src)
        self.stop_e = {w for w, _ in Counter(w for s in src for w in s).most_common(60)}
        self.stop_f = {w for w, _ in Counter(w for s in ref for w in s).most_common(60)}

    def features(self, source: str, mt: str) -> list[float]:
        s, m = toks(source), toks(mt)
        return [coverage(s, set(m), self.fe, self.stop_e), coverage(m, set(s), self.ef, self.stop_f),
                loglik(s, m, self.fe), loglik(m, s, self.ef)]


def ibm_table(lex: Lexicon, data, systems, lines) -> np.ndarray:
    src = ld.read_lines(data / "source.en")
    x = np.zeros((len(systems), len(lines), len(IBM)))
    for i, name in enumerate(systems):
        mt = ld.read_lines(data / "systems" / f"{name}.fr")
        x[i] = [lex.features(src[ln - 1], mt[ln - 1]) for ln in lines]
    flat = x.reshape(-1, len(IBM))
    return np.where(np.isnan(x), np.nanmean(flat, axis=0), x)


def nt14_table() -> dict:
    if NT14_CACHE.exists():
        with np.load(NT14_CACHE, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    data = ld.NEWSTEST14
    src, ref = ld.read_lines(data / "source.en"), ld.read_lines(data / "ref.fr")
    lines = list(range(1, 3004, 5))
    systems = ld.system_names(data)
    xs, chrf = [], []
    for name in systems:
        x, base = ld._one_system(name, lines, src, ref, data)
        xs.append(x)
        chrf.append(base["chrf"])
        print(f"newstest2014 features: {name}", file=sys.stderr)
    n = {"lines": np.array(lines), "systems": np.array(systems), "features": np.array(list(FEATURES)),
         "x": np.stack(xs), "base_chrf": np.stack(chrf)}
    np.savez_compressed(NT14_CACHE, **n)
    return n


def with_ibm(d: dict, n: dict) -> None:
    """Append the IBM-1 features to both tables (cached)."""
    if IBM_CACHE.exists():
        with np.load(IBM_CACHE, allow_pickle=False) as z:
            xd, xn = z["wmt12"], z["nt14"]
    else:
        lex = Lexicon()
        xd = ibm_table(lex, ld.WMT12, d["systems"], d["lines"])
        xn = ibm_table(lex, ld.NEWSTEST14, n["systems"], n["lines"])
        np.savez_compressed(IBM_CACHE, wmt12=xd, nt14=xn)
    for t, x in ((d, xd), (n, xn)):
        t["x"] = np.concatenate([t["x"], x], axis=2)
        t["features"] = np.array([*t["features"], *IBM])


def fit_weighted(diff: np.ndarray, wts: np.ndarray, l2: float = lt.L2, iters: int = 50) -> np.ndarray:
    """learned_train.fit_pairwise with a weight per pair."""
    w = np.zeros(diff.shape[1])
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(np.clip(diff @ w, -50, 50)))
        grad = -(diff * (wts * p)[:, None]).sum(axis=0) + l2 * w
        hess = (diff * (wts * p * (1 - p))[:, None]).T @ diff + l2 * np.eye(diff.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return w


def target_pairs(target: np.ndarray, margin: float):
    rows = []
    for a, b in itertools.combinations(range(target.shape[0]), 2):
        diff = target[a] - target[b]
        rows += [(ln, a, b) if diff[ln] > 0 else (ln, b, a) for ln in np.where(np.abs(diff) > margin)[0]]
    r = np.array(rows)
    return r[:, 0], r[:, 1], r[:, 2]


def sel(t: dict, features: list[str]) -> np.ndarray:
    names = list(t["features"])
    return t["x"][:, :, [names.index(f) for f in features]]


def distilled_oof(d: dict, n: dict, feats: list[str], target: str, margin: float, alpha: float) -> np.ndarray:
    pairs, folds = ld.pair_index(d), le.fold_of_line(len(d["lines"]))
    xq, nq, out = sel(d, feats), sel(n, feats), np.full(d["x"].shape[:2], np.nan)
    ref_feats = list(lt.MODELS["rank-ref"][1])
    for k in range(le.FOLDS):
        keep = folds[pairs[0]] != k
        mean, scale = lt.standardise(xq[:, np.unique(pairs[0][keep])])
        d1 = lt.pair_diffs(xq, mean, scale, pairs, keep)
        if target == "chrf":
            t = n["base_chrf"]
        else:
            m2, s2, w2 = lt.train(sel(d, ref_feats), pairs, keep)
            t = ((sel(n, ref_feats) - m2) / s2) @ w2
        d2 = lt.pair_diffs(nq, mean, scale, target_pairs(np.nan_to_num(t), margin))
        w = fit_weighted(np.vstack([d1, d2]), np.concatenate([np.ones(len(d1)), np.full(len(d2), alpha)]))
        z = ((xq - mean) / scale) @ w
        out[:, folds == k] = z[:, folds == k]
    return out


def report(d: dict, label: str, z: np.ndarray) -> None:
    pairs, folds = ld.pair_index(d), le.fold_of_line(len(d["lines"]))
    taus = [le.tau(z, pairs, folds[pairs[0]] == k) for k in range(le.FOLDS)]
    rho = le.spearman(np.nanmean(100.0 / (1.0 + np.exp(-z)), axis=1), le.human_share(d, pairs))
    print(f"{label:<58}{np.mean(taus):>7.3f} ± {np.std(taus):.3f}{rho:>10.3f}", flush=True)


def with_cheap_ref(d: dict) -> list[str]:
    """Append chrF++, chrF β=1 and log BLEU p2–p4 (add-one smoothed) of every WMT12 segment."""
    from sacrebleu.metrics import BLEU, CHRF

    cpp, c1, bleu = CHRF(word_order=2), CHRF(beta=1), BLEU(effective_order=True)
    ref = ld.read_lines(ld.WMT12 / "ref.fr")
    x = np.zeros((len(d["systems"]), len(d["lines"]), 5))
    for i, name in enumerate(d["systems"]):
        mt = ld.read_lines(ld.WMT12 / "systems" / f"{name}.fr")
        for j, ln in enumerate(d["lines"]):
            h, r = mt[ln - 1], ref[ln - 1]
            st = bleu._extract_corpus_statistics([h], [[r]])[0]
            lp = [math.log((st[2 + k] + 1) / (st[6 + k] + 1)) for k in (1, 2, 3)]
            x[i, j] = [cpp.sentence_score(h, [r]).score, c1.sentence_score(h, [r]).score, *lp]
    names = ["chrfpp", "chrf_b1", "log_p2", "log_p3", "log_p4"]
    d["x"] = np.concatenate([d["x"], x], axis=2)
    d["features"] = np.array([*d["features"], *names])
    return names


def ref_variants(d: dict) -> None:
    pairs, folds = ld.pair_index(d), le.fold_of_line(len(d["lines"]))
    cheap = with_cheap_ref(d)
    base = [f for f in lt.MODELS["rank-ref"][1] if f != "cos_ref"]
    for extra in ([], ["cos_src"], ["cos_src", "chrfpp"], ["cos_src", "chrf_b1"], ["cos_src", *cheap[2:]],
                  ["cos_src", *cheap]):
        feats = base + extra
        report(d, "rank-ref " + "+".join(feats), le.learned_oof(d, feats, pairs, folds))


def main() -> int:
    d = ld.load()
    n = nt14_table()
    with_ibm(d, n)
    print(f"{'rank-qe variant':<58}{'tau':>7}{'± sd':>8}{'system':>10}")
    for extra in ([], ["ibm_cov"], ["ibm_rcov"], ["ibm_ll"], ["ibm_rll"], IBM):
        report(d, "features " + "+".join(QE + extra), distilled_oof(d, n, QE + extra, "chrf", 0.0, 0.0))
    for feats, target, margin in ((QE, "rank-ref", 0.5), (QE, "chrf", 5.0), (QE + IBM, "rank-ref", 0.5)):
        for alpha in (0.05, 0.2, 1.0):
            label = f"distil {target} margin {margin} alpha {alpha}{' +IBM' if feats != QE else ''}"
            report(d, label, distilled_oof(d, n, feats, target, margin, alpha))
    ref_variants(ld.load())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
