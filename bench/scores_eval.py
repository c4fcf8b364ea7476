"""Scores benchmark on newstest2014 en→fr (3,003 lines, 13 WMT14 systems).

1. Time for BLEU + chrF + TER through mtqa's scorers vs the sacrebleu CLI on the same files.
2. Adequacy (USE-m3 cross-lingual cosine, calibrated): the anchors of the calibration (cosine
   percentiles of source↔reference, source↔shuffled reference, source↔systems), how well it
   separates the reference from a shuffled reference and from the weakest systems (ROC AUC),
   and the system ranking it gives vs BLEU's (Spearman, Kendall).

Needs the embeddings from bench/embed_wmt14.py (bench/out/wmt14_use_m3.npz). Run:
    .venv/bin/python bench/scores_eval.py [DATA_DIR] [--json bench/out/scores_eval.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import kendalltau, mannwhitneyu, spearmanr

from mtqa.align import align_document
from mtqa.config import Settings
from mtqa.inputs.text import load_text_pair
from mtqa.scores.run import score_documents
from mtqa.scores.adequacy import calibration_for
from mtqa.text.segment import segment_document

_parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
_parser.add_argument("data", nargs="?", default="/work/shared/data/newstest2014-enfr")
_parser.add_argument("--json", default=None, help="also write the results here")
_ARGS = _parser.parse_args()
DATA = Path(_ARGS.data)
NPZ = Path(__file__).parent / "out" / "wmt14_use_m3.npz"
JSON_OUT = _ARGS.json


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(score of a positive > score of a negative), ties count half (ROC AUC)."""
    u = mannwhitneyu(pos, neg, alternative="two-sided").statistic
    return float(u / (len(pos) * len(neg)))


def derangement(n: int, seed: int = 1) -> np.ndarray:
    """A random permutation with no fixed point: every source gets another line's reference."""
    rng = np.random.default_rng(seed)
    while True:
        p = rng.permutation(n)
        if not np.any(p == np.arange(n)):
            return p


def time_lexical(systems: list[Path]) -> dict:
    ref = DATA / "ref.fr"
    sysf = systems[0]
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sacrebleu", str(ref), "-i", str(sysf), "-m", "bleu", "chrf", "ter", "-b"],
                   check=True, capture_output=True)
    cli = time.perf_counter() - t
    t = time.perf_counter()
    doc = load_text_pair(str(DATA / "source.en"), str(sysf), str(ref), line_aligned=True)
    segment_document(doc)
    adoc = align_document(doc, None)
    corpus, _ = score_documents([adoc], Settings(metrics=["bleu", "chrf", "ter"]), None)
    ours = time.perf_counter() - t
    # mtqa as a subprocess too (fair: both pay the interpreter and import start-up)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys; from mtqa.inputs.text import load_text_pair;"
                    "from mtqa.text.segment import segment_document; from mtqa.align import align_document;"
                    "from mtqa.scores.run import score_documents; from mtqa.config import Settings;"
                    "d=load_text_pair(sys.argv[1], sys.argv[2], sys.argv[3], line_aligned=True);"
                    "segment_document(d); a=align_document(d, None);"
                    "score_documents([a], Settings(metrics=['bleu','chrf','ter']), None)",
                    str(DATA / "source.en"), str(sysf), str(ref)], check=True)
    ours_proc = time.perf_counter() - t
    return {"system": sysf.name, "sacrebleu_cli_s": round(cli, 2), "mtqa_in_process_s": round(ours, 2),
            "mtqa_subprocess_s": round(ours_proc, 2), "ratio_subprocess": round(ours_proc / cli, 2),
            "bleu": round(corpus["bleu"].score, 2), "chrf": round(corpus["chrf"].score, 2),
            "ter": round(corpus["ter"].score, 2)}


def bleu_of(sysf: Path) -> float:
    from sacrebleu.metrics import BLEU

    hyps = sysf.read_text(encoding="utf-8").splitlines()
    refs = (DATA / "ref.fr").read_text(encoding="utf-8").splitlines()
    return BLEU().corpus_score(hyps, [refs]).score


def main() -> None:
    systems = sorted((DATA / "systems").glob("*.fr"))
    out: dict = {"lexical_timing": time_lexical(systems)}
    print("lexical timing:", out["lexical_timing"], flush=True)

    E = np.load(NPZ)
    src, ref = E["source"], E["ref"]
    n = len(src)
    perm = derangement(n)
    cos_good = np.sum(src * ref, axis=1)
    cos_shuf = np.sum(src * ref[perm], axis=1)
    mono_shuf = np.sum(ref * ref[perm], axis=1)
    names = [f.name[: -len(".fr")] for f in systems]
    cos_sys = {nm: np.sum(src * E["sys:" + nm], axis=1) for nm in names}
    mono_sys = {nm: np.sum(ref * E["sys:" + nm], axis=1) for nm in names}
    bleu = {nm: bleu_of(f) for nm, f in zip(names, systems)}
    ranked = sorted(names, key=lambda k: bleu[k])
    worst = ranked[:3]
    best = ranked[-3:]

    def pct(a: np.ndarray) -> dict:
        return {f"p{q}": round(float(np.percentile(a, q)), 4) for q in (1, 5, 10, 25, 50, 75, 90, 95, 99)}

    out["cosine_src_mt"] = {
        "reference": pct(cos_good),
        "shuffled_reference": pct(cos_shuf),
        "worst3_systems": pct(np.concatenate([cos_sys[k] for k in worst])),
        "best3_systems": pct(np.concatenate([cos_sys[k] for k in best])),
    }
    out["cosine_mt_ref"] = {
        "shuffled_reference": pct(mono_shuf),
        "worst3_systems": pct(np.concatenate([mono_sys[k] for k in worst])),
        "best3_systems": pct(np.concatenate([mono_sys[k] for k in best])),
    }
    out["auc"] = {
        "reference_vs_shuffled": round(auc(cos_good, cos_shuf), 4),
        "reference_vs_worst3_systems": round(auc(cos_good, np.concatenate([cos_sys[k] for k in worst])), 4),
        "reference_vs_each_worst": {k: round(auc(cos_good, cos_sys[k]), 4) for k in worst},
        "best3_vs_worst3_systems": round(auc(np.concatenate([cos_sys[k] for k in best]),
                                             np.concatenate([cos_sys[k] for k in worst])), 4),
    }
    cal = calibration_for("use-m3", "src-mt")
    calr = calibration_for("use-m3", "mt-ref")
    if cal is not None:  # adequacy.low on the human reference (false alarms) and on shuffled refs (hits)
        from mtqa.checks.adequacy import MIN_WORDS, SHORT_WORDS, severity_for

        words = np.array([len(s.split()) for s in (DATA / "source.en").read_text(encoding="utf-8").splitlines()])

        def flag_rate(cos: np.ndarray, mask: np.ndarray) -> dict:
            sev = [severity_for(float(v), int(w)) for v, w in zip(cal(cos[mask]), words[mask])]
            return {"segments": int(mask.sum()),
                    "major_or_critical": round(sum(s is not None for s in sev) / max(1, mask.sum()), 4),
                    "critical": round(sum(s == "critical" for s in sev) / max(1, mask.sum()), 4)}

        short = (words >= MIN_WORDS) & (words < SHORT_WORDS)
        long_ = words >= SHORT_WORDS
        out["adequacy_low_check"] = {
            "human_reference_short_4_9_words": flag_rate(cos_good, short),
            "human_reference_10plus_words": flag_rate(cos_good, long_),
            "shuffled_reference_short_4_9_words": flag_rate(cos_shuf, short),
            "shuffled_reference_10plus_words": flag_rate(cos_shuf, long_),
            "worst3_systems_10plus_words": {k: flag_rate(cos_sys[k], long_) for k in worst},
        }
    if cal is not None:
        adequacy = {k: float(np.mean(cal(cos_sys[k]))) for k in names}
        adequacy["(reference)"] = float(np.mean(cal(cos_good)))
        adequacy["(shuffled reference)"] = float(np.mean(cal(cos_shuf)))
        out["calibrated_means"] = {k: round(v, 2) for k, v in adequacy.items()}
    else:
        adequacy = {k: float(np.mean(cos_sys[k])) for k in names}
    adeq_ref = {k: float(np.mean(calr(mono_sys[k]) if calr else mono_sys[k])) for k in names}
    a = [adequacy[k] for k in names]
    ar = [adeq_ref[k] for k in names]
    b = [bleu[k] for k in names]
    out["ranking"] = {
        "systems": [{"system": k, "bleu": round(bleu[k], 2), "adequacy": round(adequacy[k], 2),
                     "adequacy_ref": round(adeq_ref[k], 2)} for k in sorted(names, key=lambda k: -bleu[k])],
        "adequacy_vs_bleu": {"spearman": round(float(spearmanr(a, b).statistic), 3),
                             "kendall": round(float(kendalltau(a, b).statistic), 3)},
        "adequacy_ref_vs_bleu": {"spearman": round(float(spearmanr(ar, b).statistic), 3),
                                 "kendall": round(float(kendalltau(ar, b).statistic), 3)},
    }
    print(json.dumps(out, indent=1))
    if JSON_OUT:
        Path(JSON_OUT).write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
