"""What recall any token mechanism can reach on the human Untranslated spans of WMT20 QE task 3
train: how many spans contain an MT word that the source also has (case-insensitive, letters only,
camel-case parts split), how many are capitalised, in title-case segments, unknown to Grammalecte's
lexicon (``bench/untranslated_dump.py`` cache), how many words they have and how many per segment.

    .venv/bin/python bench/untranslated_oracle.py [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from untranslated_dump import CACHE  # noqa: E402
from wmt20_prf import DEFAULT_DATA, human_spans, read_tsv  # noqa: E402

_WORD = re.compile(r"[^\W\d_]+")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lower) of every letter run, camel-case parts split."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group()
        parts = [(p.start(), p.end()) for p in _CAMEL.finditer(w)] if not w.isupper() else [(0, len(w))]
        out += [(m.start() + s, m.start() + e, w[s:e].lower()) for s, e in parts]
    return out


def title_case(text: str) -> bool:
    ws = [w for w in _WORD.findall(text) if len(w) >= 4]
    return len(ws) >= 2 and sum(w[0].isupper() for w in ws) * 3 >= len(ws) * 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    rows = [r for r in read_tsv(args.data / "segments.tsv") if r["split"] == "train"]
    spans = human_spans(args.data)
    unknown = json.loads(CACHE.read_text()) if CACHE.exists() else None
    c: Counter = Counter()
    per_seg: Counter = Counter()
    for r in rows:
        mt, src = r["mt_fr"], r["source_en"]
        human = [(a, b) for a, b, cat, _ in spans.get((r["doc"], r["seg"]), []) if cat == "Untranslated"]
        per_seg[min(len(human), 5)] += 1
        src_words = {w for _, _, w in words(src)} | {w.lower() for w in _WORD.findall(src)}
        unk = unknown.get(f"{r['doc']}\t{r['seg']}", []) if unknown else []
        for a, b in human:
            text = mt[a:b]
            toks = [w for s, e, w in words(mt) if s < b and a < e]
            c["spans"] += 1
            c["has letters"] += bool(toks)
            insrc = [w for w in toks if w in src_words]
            c["token in source"] += bool(insrc)
            c["all tokens in source"] += bool(toks) and len(insrc) == len(toks)
            c["capitalised"] += text[:1].isupper()
            c["in title-case segment"] += title_case(mt)
            c["several words"] += len(text.split()) > 1
            c["glued (camel case)"] += bool(re.search(r"[a-z][A-Z]", text))
            if unknown is not None:
                hit = any(s < b and a < e for s, e in unk)
                c["unknown to Grammalecte"] += hit
                c["unknown and token in source"] += hit and bool(insrc)
                c["known and token in source"] += (not hit) and bool(insrc)
    n = c["spans"]
    print("| measure | spans | share |\n|---|---|---|")
    for k, v in c.items():
        print(f"| {k} | {v:,} | {v / n:.3f} |")
    segs = sum(per_seg.values())
    print("\nUntranslated spans per segment:", {k: v for k, v in sorted(per_seg.items())}, f"({segs} segments)")


if __name__ == "__main__":
    main()
