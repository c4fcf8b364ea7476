"""Forward feature search for ``rank-qe`` on bench/learned_eval.py's folds (5 line-folds, WMT12 dev half).

The candidates are the reference-free features of ``mtqa.scores.rank_features`` not yet in the
model plus cheap text features computed here from the source and MT lines alone (length ratios,
numbers/capitalised words/punctuation kept, character-LM statistics other than the mean, wordfreq
Zipf statistics of the MT words). Each round adds the candidate that raises the 5-fold mean tau
most; the search stops when none raises it by at least 0.002. Candidates that win here are then
moved into ``rank_features`` (computed by mtqa itself) and checked again by bench/learned_eval.py.

    .venv/bin/python bench/learned_search.py
"""

from __future__ import annotations

import math
import re
import sys

import learned_data as ld
import learned_eval as le
import learned_train as lt
import numpy as np

_WORD = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")
_PUNCT = "?!:;()%$€"
TEXT = ["lr_char", "abs_lr_char", "lr_tok", "abs_lr_tok", "num_kept", "num_extra", "punct_diff", "cap_kept",
        "lm_min_word", "lm_p10", "lm_sum", "zipf_mean", "zipf_min", "fr_oov", "en_share", "repeats"]
CACHE = ld.OUT / "search_text.npz"


def _lm_positions(lm, texts: list[str]) -> list[np.ndarray]:
    from mtqa.scores import charlm as c

    codes, ends = c._codes(texts)
    logp = lm._logprobs(codes)
    starts = np.concatenate([[0], ends[:-1]]) + c.ORDER - 1
    return [logp[s:e] for s, e in zip(starts, ends)]


def _word_lm(mt: str, lp: np.ndarray) -> float:
    spans = [m.span() for m in _WORD.finditer(mt)]
    vals = [float(lp[a:b].mean()) for a, b in spans if b > a]
    return min(vals) if vals else math.nan


def text_features(src: str, mt: str, lp: np.ndarray) -> list[float]:
    from wordfreq import zipf_frequency

    src, mt = src.strip(), mt.strip()
    sw, mw = _WORD.findall(src), _WORD.findall(mt)
    lr_c = math.log((len(mt) + 1) / (len(src) + 1))
    lr_t = math.log((len(mt.split()) + 1) / (len(src.split()) + 1))
    sd, md = _DIGITS.findall(src), _DIGITS.findall(mt)
    kept = sum(min(sd.count(x), md.count(x)) for x in set(sd))
    num_kept = kept / len(sd) if sd else 1.0
    num_extra = (len(md) - kept) / (len(md) + 1)
    punct = sum(abs(src.count(p) - mt.count(p)) for p in _PUNCT)
    caps = [w for i, w in enumerate(sw) if i > 0 and w[0].isupper() and len(w) > 1]
    cap_kept = sum(w in mt for w in caps) / len(caps) if caps else 1.0
    low = [w.lower() for w in mw]
    zf = [zipf_frequency(w, "fr") for w in low]
    ze = [zipf_frequency(w, "en") for w in low]
    return [lr_c, abs(lr_c), lr_t, abs(lr_t), num_kept, num_extra, math.log1p(punct), cap_kept,
            _word_lm(mt, lp), float(np.percentile(lp, 10)) if len(lp) else math.nan, float(lp.sum()),
            float(np.mean(zf)) if zf else math.nan, float(min(zf)) if zf else math.nan,
            float(np.mean([z == 0 for z in zf])) if zf else 0.0,
            float(np.mean([e > f + 1 for e, f in zip(ze, zf)])) if zf else 0.0,
            1.0 - len(set(low)) / len(low) if low else 0.0]


def text_table(d: dict) -> np.ndarray:
    if CACHE.exists():
        with np.load(CACHE, allow_pickle=False) as z:
            return z["x"]
    from mtqa.scores import charlm
    from mtqa.scores.learned import DATA

    lm = charlm.load(DATA / "charlm_fr.npz")
    src = ld.read_lines(ld.WMT12 / "source.en")
    x = np.zeros((len(d["systems"]), len(d["lines"]), len(TEXT)))
    for i, name in enumerate(d["systems"]):
        mt = ld.read_lines(ld.WMT12 / "systems" / f"{name}.fr")
        texts = [mt[ln - 1].strip() for ln in d["lines"]]
        lps = _lm_positions(lm, texts)
        x[i] = [text_features(src[ln - 1], texts[j], lps[j]) for j, ln in enumerate(d["lines"])]
    flat = x.reshape(-1, len(TEXT))
    x = np.where(np.isnan(x), np.nanmean(flat, axis=0), x)
    np.savez_compressed(CACHE, x=x)
    return x


def with_text(d: dict) -> dict:
    d = dict(d)
    d["x"] = np.concatenate([d["x"], text_table(d)], axis=2)
    d["features"] = np.array([*d["features"], *TEXT])
    return d


def mean_tau(d: dict, feats: list[str], pairs, folds) -> tuple[float, float, float]:
    z = le.learned_oof(d, feats, pairs, folds)
    taus = [le.tau(z, pairs, folds[pairs[0]] == k) for k in range(le.FOLDS)]
    rho = le.spearman(np.nanmean(100.0 / (1.0 + np.exp(-z)), axis=1), le.human_share(d, pairs))
    return float(np.mean(taus)), float(np.std(taus)), rho


def forward(d: dict, start: list[str], candidates: list[str]) -> list[str]:
    pairs, folds = ld.pair_index(d), le.fold_of_line(len(d["lines"]))
    feats = list(start)
    best = mean_tau(d, feats, pairs, folds)
    print(f"start {'+'.join(feats)}: {best[0]:.4f} ± {best[1]:.3f} (system {best[2]:.3f})", flush=True)
    while True:
        trials = {c: mean_tau(d, [*feats, c], pairs, folds) for c in candidates if c not in feats}
        for c, r in sorted(trials.items(), key=lambda kv: -kv[1][0]):
            print(f"  +{c:<16}{r[0]:.4f} ± {r[1]:.3f} (system {r[2]:.3f})", flush=True)
        if not trials:
            return feats
        c, r = max(trials.items(), key=lambda kv: kv[1][0])
        if r[0] < best[0] + 0.002:
            return feats
        feats.append(c)
        best = r
        print(f"keep {c}: {'+'.join(feats)} {r[0]:.4f}", flush=True)


def main() -> int:
    d = with_text(ld.load())
    allowed = [n for n in d["features"] if n not in ("chrf", "cos_ref", "ter_edits", "bleu_p1", "number_mismatch")]
    start = list(lt.MODELS["rank-qe"][1])
    feats = forward(d, start, [c for c in allowed if c not in start])
    print("selected: " + "+".join(feats), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
