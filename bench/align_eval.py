"""Alignment accuracy on synthetic splits/merges/deletions of newstest2014 en-fr documents.

The French side of whole documents (reference by default, or a WMT14 system with --system) is
edited with a seeded RNG: two consecutive sentences merged (gold 2-1), one sentence split at a
comma or conjunction near its middle (gold 1-2), one sentence deleted (gold 1-0), until about
``--rate`` of the source sentences are affected. mtqa's aligner (default embedder) and a
length-only Gale-Church baseline (same DP, no embeddings) are scored against the known truth.

Metric: vecalign's strict precision/recall/F1 (Thompson & Koehn 2019, score.py): precision over
all predicted links including 1-0/0-1 (a predicted deletion counts as a true positive only if the
gold has the same deletion), recall over gold links with both sides non-empty. A second column,
"F1 all", counts 1-0/0-1 links in recall too.

    .venv/bin/python bench/align_eval.py [--data DIR] [--seed 1] [--rate 0.10] [--system NAME]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.align import AlignParams, align_sentences  # noqa: E402
from mtqa.embed import get_embedder  # noqa: E402
from mtqa.model import Sentence, Side, Unit  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "newstest2014-enfr"
_SPLIT_POINT = re.compile(r",\s+|\s+(?=(?:et|mais|qui|car|alors que|tandis que|lorsque|parce que)\s)")


def read_documents(data: Path, system: str | None = None) -> list[tuple[str, list[str], list[str]]]:
    src = (data / "source.en").read_text(encoding="utf-8").split("\n")
    fr_path = data / "ref.fr" if system is None else data / "systems" / system
    fr = fr_path.read_text(encoding="utf-8").split("\n")
    docs: dict[str, tuple[list[str], list[str]]] = {}
    order: list[str] = []
    for row in (data / "docids.tsv").read_text(encoding="utf-8").split("\n")[1:]:
        if not row.strip():
            continue
        line, docid = row.split("\t")
        k = int(line) - 1
        if docid not in docs:
            docs[docid] = ([], [])
            order.append(docid)
        docs[docid][0].append(src[k])
        docs[docid][1].append(fr[k])
    return [(d, docs[d][0], docs[d][1]) for d in order]


def split_sentence(text: str) -> tuple[str, str] | None:
    """Cut a French sentence at the comma/conjunction nearest its middle; None if none fits."""
    mid = len(text) / 2
    best = None
    for m in _SPLIT_POINT.finditer(text):
        left, right = text[: m.start()].rstrip(), text[m.end() :].lstrip()
        if len(left.split()) < 3 or len(right.split()) < 3:
            continue
        if best is None or abs(m.start() - mid) < abs(best[0] - mid):
            best = (m.start(), left, right)
    if best is None:
        return None
    _, left, right = best
    left = left.rstrip(",;:") + "."
    right = right[0].upper() + right[1:]
    return left, right


def perturb(fr: list[str], rng: random.Random, rate: float) -> tuple[list[str], list[tuple[tuple[int, ...], tuple[int, ...]]], Counter]:
    """Edit the French side; returns new sentences, gold links and counts of each edit."""
    out: list[str] = []
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    ops: Counter = Counter()
    i, n = 0, len(fr)
    # Merges touch two source sentences, splits and deletions one: ~4/3 sentences per edit; a
    # merge at the last sentence or a sentence with no split point falls back to no edit.
    p_edit = rate / 1.25
    while i < n:
        if rng.random() < p_edit:
            op = rng.choice(("merge", "split", "delete"))
            if op == "merge" and i + 1 < n:
                gold.append(((i, i + 1), (len(out),)))
                out.append(fr[i].rstrip() + " " + fr[i + 1].lstrip())
                ops[op] += 1
                i += 2
                continue
            if op == "split":
                parts = split_sentence(fr[i])
                if parts is not None:
                    gold.append(((i,), (len(out), len(out) + 1)))
                    out.extend(parts)
                    ops[op] += 1
                    i += 1
                    continue
            if op == "delete" and n > 1:
                gold.append(((i,), ()))
                ops[op] += 1
                i += 1
                continue
        gold.append(((i,), (len(out),)))
        out.append(fr[i])
        i += 1
    return out, gold, ops


def make_side(sentences: list[str], lang: str) -> Side:
    """A one-paragraph side whose sentences are given (the benchmark tests the aligner only)."""
    text = " ".join(sentences)
    side = Side(lang=lang, text=text, units=[Unit(text=text, start=0)])
    pos = 0
    for s in sentences:
        side.sentences.append(Sentence(text=s, start=pos, end=pos + len(s), unit=0))
        pos += len(s) + 1
    return side


def _precision_counts(gold: set, test: set) -> tuple[int, int]:
    tp = sum(1 for link in test if link in gold)
    return tp, len(test) - tp


def strict_scores(golds: list[list], tests: list[list]) -> dict[str, float]:
    """vecalign's strict P/R/F1 (deletions in precision only), plus F1 with deletions in recall."""
    p_tp = p_fp = r_tp = r_fn = a_tp = a_fn = 0
    for gold, test in zip(golds, tests):
        g = {(tuple(x), tuple(y)) for x, y in gold if x or y}
        t = {(tuple(x), tuple(y)) for x, y in test if x or y}
        tp, fp = _precision_counts(g, t)
        p_tp, p_fp = p_tp + tp, p_fp + fp
        g_nd = {link for link in g if link[0] and link[1]}
        t_nd = {link for link in t if link[0] and link[1]}
        tp, fn = _precision_counts(t_nd, g_nd)
        r_tp, r_fn = r_tp + tp, r_fn + fn
        tp, fn = _precision_counts(t, g)
        a_tp, a_fn = a_tp + tp, a_fn + fn
    p = p_tp / max(p_tp + p_fp, 1)
    r = r_tp / max(r_tp + r_fn, 1)
    ra = a_tp / max(a_tp + a_fn, 1)
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "f1_all": 2 * p * ra / (p + ra) if p + ra else 0.0,
    }


def recall_by_kind(golds: list[list], tests: list[list]) -> dict[str, float]:
    hit: Counter = Counter()
    tot: Counter = Counter()
    for gold, test in zip(golds, tests):
        t = {(tuple(x), tuple(y)) for x, y in test}
        for x, y in gold:
            kind = f"{len(x)}-{len(y)}"
            tot[kind] += 1
            hit[kind] += (tuple(x), tuple(y)) in t
    return {k: hit[k] / tot[k] for k in sorted(tot)}


def build_set(docs, seed: int, rate: float):
    rng = random.Random(seed)
    cases = []
    ops: Counter = Counter()
    for docid, src, fr in docs:
        new_fr, gold, o = perturb(fr, rng, rate)
        ops.update(o)
        cases.append((docid, make_side(src, "en"), make_side(new_fr, "fr"), gold))
    return cases, ops


def run_aligner(cases, embedder, params: AlignParams):
    tests = []
    for _, src, fr, _ in cases:
        links = align_sentences(src, fr, embedder, params)
        tests.append([(link.src, link.tgt) for link in links])
    return tests


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=0.10, help="share of source sentences affected")
    ap.add_argument("--system", default=None, help="file under systems/ to use instead of ref.fr")
    ap.add_argument("--embedder", default="use-m3")
    ap.add_argument("--docs", type=int, default=0, help="only the first N documents (0: all)")
    args = ap.parse_args(argv)

    docs = read_documents(args.data, args.system)
    if args.docs:
        docs = docs[: args.docs]
    cases, ops = build_set(docs, args.seed, args.rate)
    golds = [c[3] for c in cases]
    n_src = sum(len(c[1].sentences) for c in cases)
    affected = ops["merge"] * 2 + ops["split"] + ops["delete"]
    print(
        f"data: {args.data.name} ({args.system or 'ref.fr'}), {len(cases)} documents, {n_src} source sentences; "
        f"seed {args.seed}: {ops['merge']} merges, {ops['split']} splits, {ops['delete']} deletions "
        f"({affected / n_src:.1%} of source sentences affected)"
    )
    rows = []
    t0 = time.perf_counter()
    base = run_aligner(cases, None, AlignParams())
    rows.append(("gale-church (length only)", strict_scores(golds, base), recall_by_kind(golds, base), 0.0,
                 time.perf_counter() - t0))
    embedder = get_embedder(args.embedder)
    spent = [0.0]
    encode = embedder._encode  # timed, to report embedding apart from the DP

    def timed(texts):
        t = time.perf_counter()
        try:
            return encode(texts)
        finally:
            spent[0] += time.perf_counter() - t

    embedder._encode = timed  # type: ignore[method-assign]
    t0 = time.perf_counter()
    ours = run_aligner(cases, embedder, AlignParams())
    total = time.perf_counter() - t0
    rows.append((f"mtqa ({args.embedder})", strict_scores(golds, ours), recall_by_kind(golds, ours), spent[0],
                 total - spent[0]))

    kinds = sorted({k for _, _, r, _, _ in rows for k in r})
    head = f"{'aligner':28} {'P':>6} {'R':>6} {'F1':>6} {'F1 all':>7} " + " ".join(f"{'R ' + k:>7}" for k in kinds) + f" {'embed s':>8} {'align s':>8}"
    print(head)
    print("-" * len(head))
    for name, sc, rk, emb_secs, secs in rows:
        print(
            f"{name:28} {sc['precision']:6.3f} {sc['recall']:6.3f} {sc['f1']:6.3f} {sc['f1_all']:7.3f} "
            + " ".join(f"{rk.get(k, float('nan')):7.3f}" for k in kinds)
            + f" {emb_secs:8.1f} {secs:8.1f}"
        )
    print(f"load average (1/5/15 min) at the end: {os.getloadavg()}: timings are wall-clock on a shared machine")
    print("F1 = vecalign strict F1 (1-0/0-1 links in precision only); F1 all = 1-0/0-1 in recall too;")
    print("R k-l = recall of gold links of that kind; embed s = time in the embedder (texts of 1-3 sentences),")
    print("align s = everything else (DP, scoring, confidences); one process.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
