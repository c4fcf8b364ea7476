"""Grammalecte's unknown words for every MT segment of WMT20 QE task 3 train, cached as JSON
(``bench/out/untranslated_unknown.json``: "doc\\tseg" → [[start, end], …]) so that the untranslated
oracle and the learned classifier (``bench/untranslated_learn.py``) do not rerun Grammalecte.

    .venv/bin/python bench/untranslated_dump.py [--data DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from grammar_untranslated import unknown_words  # noqa: E402
from wmt20_prf import DEFAULT_DATA, read_tsv  # noqa: E402

from mtqa.checks.grammar.analysis import chunks  # noqa: E402
from mtqa.checks.grammar.worker import get_worker  # noqa: E402

CACHE = ROOT / "bench" / "out" / "untranslated_unknown.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--out", type=Path, default=CACHE)
    args = ap.parse_args()
    rows = [r for r in read_tsv(args.data / "segments.tsv") if r["split"] == "train"]
    rows = rows[: args.limit] if args.limit else rows
    worker = get_worker("/usr/bin/python3")
    for r in rows:
        for _, piece in chunks(r["mt_fr"]):
            worker.submit(piece)
    out = {f"{r['doc']}\t{r['seg']}": unknown_words(worker, r["mt_fr"]) for r in rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(out), encoding="utf-8")
    tmp.replace(args.out)
    print(f"{len(out)} segments -> {args.out}")


if __name__ == "__main__":
    main()
