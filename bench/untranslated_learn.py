"""Train the untranslated token classifier (``mtqa/checks/untranslated_learned.py``) on WMT20 QE
task 3 train from the shared data alone, cross-validated by document, and write its weights to
``mtqa/data/untranslated_model.json``.

Candidates: Grammalecte-unknown words that the source also has and that the rule-based check
(``Untranslated.segment_findings`` with the lexicon branch) does not already flag. Label: the word
overlaps a human Untranslated span. Logistic regression (numpy, L2, Newton steps), 5 folds by
document (fixed seed). The threshold is the lowest out-of-fold score at which the check's findings
(rules + classifier) keep precision >= TARGET_P; P/R are reported per fold at that threshold.
Needs the Grammalecte cache of ``bench/untranslated_dump.py`` (it runs it when missing).

    .venv/bin/python bench/untranslated_learn.py [--data DIR] [--limit N] [--no-write]

Measured 2026-12-03 (loaded machine, 10 s): the rules alone P 0.827, R 0.354 (1,538 findings);
rules + classifier out of fold P 0.772, R 0.404 (1,898), threshold 0.33, every fold 0.72-0.82 P,
0.39-0.43 R; the classifier's own findings are 0.53 precise, so all are minor (no 0.05 score band
reaches 0.75). Out-of-fold curve: R 0.405 at P 0.768 (t 0.30), 0.363 at 0.818 (t 0.70).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from untranslated_dump import CACHE  # noqa: E402
from wmt20_prf import DEFAULT_DATA, human_spans, read_tsv  # noqa: E402

from mtqa.checks import untranslated as ut  # noqa: E402
from mtqa.checks import untranslated_learned as ul  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.model import Segment  # noqa: E402

SEED = 14
FOLDS = 5
L2 = 1.0
TARGET_P = 0.77  # a margin over the 0.75 target: the held-out dev split judges
MAJOR_P = 0.75  # a score band at least this precise is major, else minor
OUT = ROOT / "mtqa" / "data" / ul.MODEL_FILE


def fold_of(doc: str) -> int:
    return int(hashlib.sha256(f"{SEED}:{doc}".encode()).hexdigest(), 16) % FOLDS


def hit(s: int, e: int, spans: list) -> bool:
    return any(s < b and a < e for a, b in spans)


def collect(rows: list[dict], spans: dict, unknown: dict) -> dict:
    """Per segment: its fold, human spans, the rule findings' spans, candidate features and labels."""
    check = ut.Untranslated(Settings())
    segs = []
    for r in rows:
        human = [(a, b) for a, b, cat, _ in spans.get((r["doc"], r["seg"]), []) if cat == "Untranslated"]
        seg = Segment(0, r["source_en"], r["mt_fr"], None, (0,), (0,), "given", 1.0)
        unk = [tuple(x) for x in unknown.get(f"{r['doc']}\t{r['seg']}", [])]
        base = [(f.mt_start, f.mt_end) for f in check.segment_findings(seg, unk, learned=False)]
        cands = ul.candidates(seg.mt, seg.source, unk)
        x = [ul.features(seg.mt, seg.source, cands, i, ut.LOOKUPS) for i in range(len(cands))]
        masked = ut._masked_ranges(seg.mt, seg.source)
        keep = [i for i, (s, e) in enumerate(cands) if not hit(s, e, base) and ut.learned_eligible(seg, s, e, masked)]
        segs.append({"fold": fold_of(r["doc"]), "human": human, "base": base, "cands": [cands[i] for i in keep],
                     "x": [x[i] for i in keep], "y": [hit(*cands[i], human) for i in keep]})
    return {"segs": segs}


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean, scale = x.mean(0), x.std(0)
    mean[0], scale[0] = 0.0, 1.0
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    w = np.zeros(x.shape[1])
    reg = np.full(x.shape[1], L2)
    reg[0] = 0.0
    for _ in range(30):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -30, 30)))
        g = z.T @ (p - y) + reg * w
        h = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg + 1e-9)
        w -= np.linalg.solve(h, g)
    return mean, scale, w


def predict(model: tuple, x: np.ndarray) -> np.ndarray:
    mean, scale, w = model
    return 1 / (1 + np.exp(-np.clip(((x - mean) / scale) @ w, -30, 30)))


def prf(segs: list[dict], scores: list[np.ndarray], t: float) -> tuple[float, float, int]:
    """Precision of all findings (rules + classifier at t) and recall of the human spans."""
    n = right = spans = found = 0
    for s, p in zip(segs, scores):
        found_spans = list(s["base"]) + [c for c, q in zip(s["cands"], p) if q >= t]
        n += len(found_spans)
        right += sum(hit(a, b, s["human"]) for a, b in found_spans)
        spans += len(s["human"])
        found += sum(hit(a, b, found_spans) for a, b in s["human"])
    return right / max(1, n), found / max(1, spans), n


def threshold(segs: list[dict], oof: list[np.ndarray]) -> float:
    """The lowest score whose findings keep precision >= TARGET_P out of fold."""
    best = 1.0
    for t in np.arange(0.95, 0.2, -0.01):
        if prf(segs, oof, float(t))[0] >= TARGET_P:
            best = float(t)
    return round(best, 2)


def bands(segs: list[dict], oof: list[np.ndarray], t: float) -> list[tuple[float, str]]:
    """Severity by score band: the lowest score whose band [score, 1] and every band of 0.05
    above it are MAJOR_P precise is major; below it, down to t, minor."""
    pairs = [(q, y) for s, p in zip(segs, oof) for q, y in zip(p, s["y"])]
    major = 1.0
    for low in np.arange(0.95, t - 1e-9, -0.05):
        band = [y for q, y in pairs if low <= q < low + 0.05]
        if band and sum(band) / len(band) < MAJOR_P:
            break
        major = float(low)
    return ([(round(major, 2), "major")] if major < 1.0 else []) + [(t, "minor")]


def print_branches(segs: list[dict], oof: list[np.ndarray], t: float) -> None:
    """The classifier's own findings out of fold, by branch (the case of the word): n and precision."""
    c: dict[str, list[int]] = {}
    for s, p in zip(segs, oof):
        for x, y, q in zip(s["x"], s["y"], p):
            if q >= t:
                b = "acronym" if x[3] else "capitalised" if x[2] else "lower"
                c.setdefault(b, []).append(int(y))
    print("| learned branch | n | precision |\n|---|---|---|")
    for b, ys in sorted(c.items()):
        print(f"| {b} | {len(ys)} | {sum(ys) / len(ys):.3f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    if not CACHE.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "untranslated_dump.py"), "--data", str(args.data)], check=True)
    rows = [r for r in read_tsv(args.data / "segments.tsv") if r["split"] == "train"]
    rows = rows[: args.limit] if args.limit else rows
    segs = collect(rows, human_spans(args.data), json.loads(CACHE.read_text(encoding="utf-8")))["segs"]
    width = len(ul.FEATURES)
    oof = [np.zeros(len(s["y"])) for s in segs]
    for k in range(FOLDS):
        train = [s for s in segs if s["fold"] != k and s["x"]]
        model = fit(np.array([v for s in train for v in s["x"]]).reshape(-1, width),
                    np.array([y for s in train for y in s["y"]], dtype=float))
        for i, s in enumerate(segs):
            if s["fold"] == k and s["x"]:
                oof[i] = predict(model, np.array(s["x"]))
    t = threshold(segs, oof)
    print("out-of-fold curve:", "; ".join(
        f"t={u:.2f} P={q[0]:.3f} R={q[1]:.3f}" for u in (0.3, 0.35, 0.4, 0.5, 0.6, 0.7) for q in [prf(segs, oof, u)]))
    rules = prf(segs, [np.zeros(len(s["y"])) for s in segs], 2.0)
    print(f"rules alone: P {rules[0]:.3f} R {rules[1]:.3f} n {rules[2]}")
    print(f"threshold {t} (out-of-fold precision >= {TARGET_P})\n| fold | P | R | findings |\n|---|---|---|---|")
    for k in range(FOLDS):
        idx = [i for i, s in enumerate(segs) if s["fold"] == k]
        p, r, n = prf([segs[i] for i in idx], [oof[i] for i in idx], t)
        print(f"| {k} | {p:.3f} | {r:.3f} | {n} |")
    p, r, n = prf(segs, oof, t)
    print(f"| all | {p:.3f} | {r:.3f} | {n} |")
    print_branches(segs, oof, t)
    sev = bands(segs, oof, t)
    print("bands:", sev)
    mean, scale, w = fit(np.array([v for s in segs for v in s["x"]]).reshape(-1, width),
                         np.array([y for s in segs for y in s["y"]], dtype=float))
    print("weights:", {f: round(float(x), 3) for f, x in zip(ul.FEATURES, w)})
    if not args.no_write:
        d = {"features": list(ul.FEATURES), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
             "weights": w.round(6).tolist(), "threshold": t, "bands": sev, "seed": SEED, "folds": FOLDS, "l2": L2,
             "cv": {"precision": round(p, 3), "recall": round(r, 3), "findings": n}}
        OUT.write_text(json.dumps(d, indent=1) + "\n", encoding="utf-8")
        print("wrote", OUT)


if __name__ == "__main__":
    main()
