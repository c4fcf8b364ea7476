"""Time and memory of mtqa's aligner on one core: newstest2014 as 176 documents, then single
documents of 1k to 30k sentences.

Part 1 aligns the 176 newstest2014 en-fr documents (3,003 sentences; source vs the French side
edited as in bench/align_eval.py: ~10% of sentences merged, split or deleted) with a fresh
embedder, and reports embedding time, DP time and peak memory.

Part 2 concatenates all documents (repeating them) into ONE long document of N source sentences,
N = 1k … 30k, to show that the cost inside a document grows linearly (banded coarse-to-fine DP),
not quadratically. Embeddings are computed before the timed DP (new texts only: runs across the
joins); DP time and peak traced memory (tracemalloc, a separate run) are reported per N with
strict F1 against the known truth.

    .venv/bin/python bench/align_scaling.py [--sizes 1000,2000,5000,10000,20000,30000]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from align_eval import DEFAULT_DATA, make_side, perturb, read_documents, strict_scores  # noqa: E402

from mtqa.align import AlignParams, EmbeddingScorer, SideInfo, align_sentences  # noqa: E402
from mtqa.embed.usem3 import UseM3Embedder  # noqa: E402


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


class Timed:
    """Wraps an embedder's model call to add up the time spent embedding."""

    def __init__(self, embedder):
        self.seconds = 0.0
        self.cpu = 0.0
        self._encode = embedder._encode
        embedder._encode = self  # type: ignore[method-assign]

    def __call__(self, texts):
        t, c = time.perf_counter(), time.process_time()
        try:
            return self._encode(texts)
        finally:
            self.seconds += time.perf_counter() - t
            self.cpu += time.process_time() - c


def long_document(pieces, n_src: int):
    """Concatenate (src, fr, gold) pieces, repeating them, until ``n_src`` source sentences."""
    src: list[str] = []
    fr: list[str] = []
    gold: list = []
    k = 0
    while len(src) < n_src:
        s, f, g = pieces[k % len(pieces)]
        so, fo = len(src), len(fr)
        gold.extend((tuple(i + so for i in x), tuple(j + fo for j in y)) for x, y in g)
        src.extend(s)
        fr.extend(f)
        k += 1
    # cut at n_src source sentences, on a link boundary
    keep = []
    for x, y in gold:
        if x and x[-1] >= n_src:
            break
        keep.append((x, y))
    last_src = max((x[-1] for x, _ in keep if x), default=-1)
    last_fr = max((y[-1] for _, y in keep if y), default=-1)
    return src[: last_src + 1], fr[: last_fr + 1], keep


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sizes", default="1000,2000,5000,10000,20000,30000")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    docs = read_documents(args.data)
    rng = random.Random(args.seed)
    pieces = []
    for _, src, fr in docs:
        new_fr, gold, _ = perturb(fr, rng, 0.10)
        pieces.append((src, new_fr, gold))
    n_src = sum(len(p[0]) for p in pieces)
    n_fr = sum(len(p[1]) for p in pieces)

    # Part 1: the whole test set, document by document, fresh embedder.
    embedder = UseM3Embedder()
    timer = Timed(embedder)
    params = AlignParams()
    t0, c0 = time.perf_counter(), time.process_time()
    tests = []
    for src, fr, _ in pieces:
        links = align_sentences(make_side(src, "en"), make_side(fr, "fr"), embedder, params)
        tests.append([(link.src, link.tgt) for link in links])
    total, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    f1 = strict_scores([p[2] for p in pieces], tests)["f1"]
    print(f"Part 1: newstest2014 en-fr, {len(pieces)} documents, {n_src} source / {n_fr} French sentences, one core")
    print("             wall s   CPU s")
    print(f"  embedding  {timer.seconds:7.1f} {timer.cpu:7.1f}  ({embedder.encoded} distinct texts of 1-3 sentences, "
          f"{embedder.encoded / max(timer.cpu, 1e-9):.0f} texts per CPU second)")
    print(f"  DP + rest  {total - timer.seconds:7.1f} {total_cpu - timer.cpu:7.1f}")
    print(f"  total      {total:7.1f} {total_cpu:7.1f}   strict F1 {f1:.4f}   peak RSS {rss_mib():.0f} MiB")

    # Part 2: one long document, N source sentences.
    print("\nPart 2: one document of N source sentences (newstest2014 documents concatenated, repeated)")
    head = (f"{'N src':>7} {'N fr':>7} {'embed CPU s':>12} {'DP wall s':>10} {'DP CPU s':>9} {'CPU µs/sent':>12} "
            f"{'peak traced MiB':>16} {'F1':>7}")
    print(head)
    print("-" * len(head))
    for n in (int(x) for x in args.sizes.split(",")):
        src, fr, gold = long_document(pieces, n)
        s_side, f_side = make_side(src, "en"), make_side(fr, "fr")
        before = timer.cpu
        # embed first (new texts: runs across document joins), so the DP is timed alone
        EmbeddingScorer(SideInfo(s_side), SideInfo(f_side), params, embedder)
        emb_s = timer.cpu - before
        t0, c0 = time.perf_counter(), time.process_time()
        links = align_sentences(s_side, f_side, embedder, params)
        dp_s, dp_cpu = time.perf_counter() - t0, time.process_time() - c0
        tracemalloc.start()
        align_sentences(s_side, f_side, embedder, params)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        f1 = strict_scores([gold], [[(link.src, link.tgt) for link in links]])["f1"]
        print(f"{len(src):7d} {len(fr):7d} {emb_s:12.1f} {dp_s:10.1f} {dp_cpu:9.1f} {1e6 * dp_cpu / len(src):12.0f} "
              f"{peak / 2**20:16.0f} {f1:7.4f}", flush=True)
    print(f"load average (1/5/15 min) at the end: {os.getloadavg()}: timings are wall-clock on a shared machine")
    print(f"\npeak RSS of the process: {rss_mib():.0f} MiB")
    print("DP s includes building the run-embedding matrices, the coarse passes, the banded fine DP and confidences.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
