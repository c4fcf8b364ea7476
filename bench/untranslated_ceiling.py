"""How far untranslated recall on WMT20 QE task 3 train can go, and what it would cost in news.

Three measurements, on the training split only (the dev split is held out):

1. **The missed human spans by case.** If every missed lower-case span were found with no false
   finding, recall would still be below 0.6: the rest of the target lies in capitalised words
   copied from the source, which is where names and brands are.
2. **Whether a copied word's label is a property of the word.** Per (document, word) group of
   copied words seen twice or more: all marked, none marked, or mixed. Then, across documents,
   the word's marked rate in the other folds used as a classifier.
3. **A stronger learner and wider candidate pools.** A small MLP (torch, one hidden layer) beside
   the shipped logistic regression, over the shipped 28 features, cross-validated by document with
   the folds of ``bench/untranslated_learn.py``, on three pools: (a) the shipped eligibility,
   (b) plus lower-case words Grammalecte knows (``set``, ``patch``), (c) every candidate, the name
   protections off. For each: the best recall at precision >= 0.75 (rules + learner, out of
   fold), and how many findings the learner, trained on all of train, adds on newstest2014's
   human reference checked as MT (each a false alarm).

Needs Grammalecte, torch (the test venv has it) and the cache of ``bench/untranslated_dump.py``
(run when missing).

    .venv/bin/python bench/untranslated_ceiling.py [--data DIR] [--news DIR]

Measured 2026-12-07: see bench/README.md, "Untranslated ceiling, round 32".
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# torch imports the standard library's profile module, which bench/profile.py would shadow
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
try:
    import torch
    import torch._dynamo  # imported lazily by the optimiser, after the path is restored
    import torch.optim
except ImportError:  # pragma: no cover
    sys.exit("bench/untranslated_ceiling.py needs torch: pip install torch==2.13.0")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import untranslated_learn as learn  # noqa: E402
from grammar_untranslated import unknown_words  # noqa: E402
from untranslated_dump import CACHE  # noqa: E402
from untranslated_learn import hit  # noqa: E402
from wmt20_prf import DEFAULT_DATA, human_spans, read_tsv  # noqa: E402

from mtqa.checks import untranslated as ut  # noqa: E402
from mtqa.checks import untranslated_learned as ul  # noqa: E402
from mtqa.checks.grammar.analysis import chunks  # noqa: E402
from mtqa.checks.grammar.worker import get_worker  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.model import Segment  # noqa: E402

NEWS = ROOT.parent / "shared" / "data" / "newstest2014-enfr"
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
TARGET_P = 0.75
POOLS = ("a: shipped eligibility", "b: + lower-case known words", "c: every candidate, no name protection")


# ---- 1. missed spans by case -------------------------------------------------------------------

def missed_by_case(rows: list[dict], spans: dict, unknown: dict) -> dict:
    check = ut.Untranslated(Settings())
    c: Counter = Counter()
    for r in rows:
        seg = Segment(0, r["source_en"], r["mt_fr"], None, (0,), (0,), "given", 1.0)
        unk = [tuple(x) for x in unknown.get(f"{r['doc']}\t{r['seg']}", [])]
        found = [(f.mt_start, f.mt_end) for f in check.segment_findings(seg, unk)]
        for a, b, cat, _ in spans.get((r["doc"], r["seg"]), []):
            if cat != "Untranslated":
                continue
            c["spans"] += 1
            if hit(a, b, found):
                c["found"] += 1
                continue
            text = r["mt_fr"][a:b].strip()
            case = "lower-case" if text[:1].islower() else "capitalised or other"
            c[f"missed, {case}, {'unknown' if hit(a, b, unk) else 'known'} to Grammalecte"] += 1
            c[f"missed, {case}"] += 1
    c["recall now"] = round(c["found"] / c["spans"], 3)
    c["recall if every missed lower-case span were found"] = round(
        (c["found"] + c["missed, lower-case"]) / c["spans"], 3)
    return dict(c)


# ---- 2. is the label a property of the word? ----------------------------------------------------

def copied_words(rows: list[dict], spans: dict) -> list[tuple[str, int, str, bool]]:
    """(doc, segment order, lower-cased word, marked) for every MT word the source also has."""
    out = []
    for r in rows:
        human = [(a, b) for a, b, cat, _ in spans.get((r["doc"], r["seg"]), []) if cat == "Untranslated"]
        src = {w.lower() for w in WORD.findall(r["source_en"])}
        for m in WORD.finditer(r["mt_fr"]):
            if m.group().lower() in src:
                out.append((r["doc"], int(r["seg"]), m.group().lower(), hit(*m.span(), human)))
    return out


def word_consistency(words: list[tuple[str, int, str, bool]]) -> dict:
    groups: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for doc, _, w, y in words:
        groups[(doc, w)].append(y)
    c: Counter = Counter()
    for ys in groups.values():
        if len(ys) >= 2:
            c["all marked" if all(ys) else "none marked" if not any(ys) else "mixed"] += 1
    total: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_fold: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for doc, _, w, y in words:
        k = learn.fold_of(doc)
        total[w][0] += 1
        total[w][1] += y
        per_fold[(k, w)][0] += 1
        per_fold[(k, w)][1] += y
    positives = sum(y for *_, y in words)
    curve = {}
    for t in (0.75, 0.6, 0.5):
        n = right = 0
        for doc, _, w, y in words:
            own = per_fold[(learn.fold_of(doc), w)]
            seen, marked = total[w][0] - own[0], total[w][1] - own[1]
            if seen and marked / seen >= t:
                n += 1
                right += y
        curve[f"marked rate in other folds >= {t}"] = {"n": n, "precision": round(right / max(1, n), 3),
                                                        "recall of marked words": round(right / positives, 3)}
    return {"(document, word) groups seen twice or more": dict(c), "across documents": curve}


# ---- 3. learners and pools -----------------------------------------------------------------------

def pool_keep(seg: Segment, cands: list[tuple[int, int]], unk: set, base: list, pool: str) -> list[int]:
    if pool.startswith("c"):
        return [i for i, (s, e) in enumerate(cands) if not hit(s, e, base)]
    masked = ut._masked_ranges(seg.mt, seg.source)
    source = ul.source_words(seg.source)

    def ok(s: int, e: int) -> bool:
        if hit(s, e, base):
            return False
        if (s, e) in unk:
            return ut.learned_eligible(seg, s, e, masked)
        parts = ut._parts(seg.mt[s:e])  # a known word: every part in the source, not a loan French uses as much
        return (not any(a <= s < b for a, b in masked) and all(len(p) >= 2 and p.lower() in source for p in parts)
                and ut.frequency_verdict(parts, "lower"))
    return [i for i, (s, e) in enumerate(cands) if ok(s, e)]


def rule_spans(pairs: list[tuple[str, str]], unknowns: list[list]) -> list[list[tuple[int, int]]]:
    """The spans the rules (lexicon branch included, no learner) flag, per segment: the same for every pool."""
    check = ut.Untranslated(Settings())
    return [[(f.mt_start, f.mt_end) for f in check.segment_findings(
        Segment(0, source, mt, None, (0,), (0,), "given", 1.0), [tuple(x) for x in unk], learned=False)]
        for (source, mt), unk in zip(pairs, unknowns)]


def collect(pairs: list[tuple[str, str]], unknowns: list[list], humans: list[list], folds: list[int],
            bases: list[list[tuple[int, int]]], pool: str) -> list[dict]:
    segs = []
    for (source, mt), unk_list, human, fold, base in zip(pairs, unknowns, humans, folds, bases):
        seg = Segment(0, source, mt, None, (0,), (0,), "given", 1.0)
        unk = [tuple(x) for x in unk_list]
        words = set(unk)
        if pool.startswith("b"):  # lower-case words in plain ASCII (attaché is French), none inside an unknown one
            words |= {m.span() for m in WORD.finditer(mt) if m.group().islower() and m.group().isascii()
                      and not any(m.start() < b and a < m.end() for a, b in unk)}
        cands = ul.candidates(mt, source, sorted(words))
        keep = pool_keep(seg, cands, set(unk), base, pool)
        segs.append({"fold": fold, "human": human, "base": base, "cands": [cands[i] for i in keep],
                     "x": [ul.features(mt, source, cands, i, ut.LOOKUPS) for i in keep],
                     "y": [hit(*cands[i], human) for i in keep]})
    return segs


def fit_mlp(x: np.ndarray, y: np.ndarray):
    torch.manual_seed(learn.SEED)
    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    xt = torch.tensor((x - mean) / scale, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32)
    net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    opt = torch.optim.Adam(net.parameters(), lr=3e-3, weight_decay=1e-3)
    for _ in range(600):
        opt.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(net(xt).squeeze(1), yt).backward()
        opt.step()

    def predict(z: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return torch.sigmoid(net(torch.tensor((z - mean) / scale, dtype=torch.float32))).squeeze(1).numpy()
    return predict


def fit_logistic(x: np.ndarray, y: np.ndarray):
    model = learn.fit(x, y)
    return lambda z: learn.predict(model, z)


LEARNERS = {"logistic regression (shipped)": fit_logistic, "MLP, 64 hidden": fit_mlp}


def stack(segs: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([v for s in segs for v in s["x"]], dtype=float).reshape(-1, len(ul.FEATURES))
    return x, np.array([y for s in segs for y in s["y"]], dtype=float)


def out_of_fold(segs: list[dict], fit) -> list[np.ndarray]:
    oof = [np.zeros(len(s["y"])) for s in segs]
    for k in range(learn.FOLDS):
        predict = fit(*stack([s for s in segs if s["fold"] != k]))
        for i, s in enumerate(segs):
            if s["fold"] == k and s["x"]:
                oof[i] = predict(np.array(s["x"], dtype=float))
    return oof


def best_threshold(segs: list[dict], oof: list[np.ndarray]) -> tuple[float, float, float, int]:
    """The threshold with the highest recall at precision >= TARGET_P: (t, P, R, findings)."""
    best = (1.01, *learn.prf(segs, oof, 1.01))
    for t in np.arange(0.98, 0.05, -0.02):
        p, r, n = learn.prf(segs, oof, float(t))
        if p >= TARGET_P and r > best[2]:
            best = (round(float(t), 2), p, r, n)
    return best


def news_alarms(news_segs: list[dict], predict, t: float) -> tuple[int, list[str]]:
    words = []
    for s in news_segs:
        if s["x"]:
            words += [w for w, q in zip(s["words"], predict(np.array(s["x"], dtype=float))) if q >= t]
    return len(words), [f"{w} ({n})" for w, n in Counter(words).most_common(8)]


def news_pairs(news: Path) -> tuple[list[tuple[str, str]], list[list]]:
    src = (news / "source.en").read_text(encoding="utf-8").splitlines()
    ref = (news / "ref.fr").read_text(encoding="utf-8").splitlines()
    worker = get_worker("/usr/bin/python3")
    for line in ref:
        for _, piece in chunks(line):
            worker.submit(piece)
    return list(zip(src, ref)), [unknown_words(worker, line) for line in ref]


def learners_table(rows: list[dict], spans: dict, unknown: dict, news: Path) -> list[dict]:
    pairs = [(r["source_en"], r["mt_fr"]) for r in rows]
    unks = [unknown.get(f"{r['doc']}\t{r['seg']}", []) for r in rows]
    humans = [[(a, b) for a, b, cat, _ in spans.get((r["doc"], r["seg"]), []) if cat == "Untranslated"] for r in rows]
    folds = [learn.fold_of(r["doc"]) for r in rows]
    npairs, nunks = news_pairs(news)
    bases, nbases = rule_spans(pairs, unks), rule_spans(npairs, nunks)
    out = []
    for pool in POOLS:
        segs = collect(pairs, unks, humans, folds, bases, pool)
        nsegs = collect(npairs, nunks, [[] for _ in npairs], [0] * len(npairs), nbases, pool)
        for s, (_, mt) in zip(nsegs, npairs):
            s["words"] = [mt[a:b] for a, b in s["cands"]]
        for name, fit in LEARNERS.items():
            t, p, r, n = best_threshold(segs, out_of_fold(segs, fit))
            alarms, top = news_alarms(nsegs, fit(*stack(segs)), t)
            out.append({"pool": pool, "learner": name, "candidates": sum(len(s["y"]) for s in segs),
                        "threshold": t, "precision": round(p, 3), "recall": round(r, 3), "findings": n,
                        "newstest2014 reference: learner's findings": alarms, "most frequent": top})
            print(json.dumps(out[-1], ensure_ascii=False), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--news", type=Path, default=NEWS)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "untranslated_ceiling.json")
    args = ap.parse_args()
    if not CACHE.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "untranslated_dump.py"), "--data", str(args.data)], check=True)
    rows = [r for r in read_tsv(args.data / "segments.tsv") if r["split"] == "train"]
    spans = human_spans(args.data)
    unknown = json.loads(CACHE.read_text(encoding="utf-8"))
    result = {"missed spans by case": missed_by_case(rows, spans, unknown)}
    print(json.dumps(result, indent=1), flush=True)
    result["is the label a property of the word"] = word_consistency(copied_words(rows, spans))
    print(json.dumps(result["is the label a property of the word"], indent=1), flush=True)
    result["learners and pools"] = learners_table(rows, spans, unknown, args.news)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
