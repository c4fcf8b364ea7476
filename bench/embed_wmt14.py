"""Embed newstest2014 en-fr (source, reference, 13 systems) with USE-m3 once; cache to bench/out.

Used by bench/scores_eval.py (adequacy calibration and evaluation). Run:
    .venv/bin/python bench/embed_wmt14.py [DATA_DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from mtqa.embed import get_embedder

DATA = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/newstest2014-enfr")
OUT = Path(__file__).parent / "out" / "wmt14_use_m3.npz"


def lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").splitlines()


def main() -> None:
    emb = get_embedder("use-m3")
    sides = {"source": lines(DATA / "source.en"), "ref": lines(DATA / "ref.fr")}
    for f in sorted((DATA / "systems").glob("*.fr")):
        sides["sys:" + f.name[: -len(".fr")]] = lines(f)
    out = {}
    t0 = time.perf_counter()
    for name, texts in sides.items():
        t = time.perf_counter()
        out[name] = emb.encode([x.strip() for x in texts])
        print(f"{name}: {len(texts)} lines in {time.perf_counter() - t:.1f}s", flush=True)
    print(f"total {time.perf_counter() - t0:.1f}s, {emb.encoded} texts encoded")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **out)


if __name__ == "__main__":
    main()
