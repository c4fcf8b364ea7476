"""What recall any token mechanism can reach on the human Untranslated spans of WMT20 QE task 3
train: how many spans contain an MT word that the source also has (case-insensitive, letters only,
camel-case parts split), how many are capitalised, in title-case segments, unknown to Grammalecte's
lexicon (``bench/untranslated_dump.py`` cache), how many words they have and how many per segment.

    .venv/bin/python bench/untranslated_oracle.py [--data DIR]

Measured 2026-12-03: of 4,465 spans, 0.985 have a token the source has, 0.775 an unknown one
(Grammalecte), 0.210 only known ones; 0.537 are capitalised, 0.176 glued (camel case), 0.071 several
words, 0.089 in title-case segments. Of 2,174 capitalised runs the MT copied from the source, 1,555
are not marked, 512 in some words, 107 as one span. The candidates the rules leave are right about
1 time in 5 (masked 3,581 at 0.234, name context 1,517 at 0.191, the rest 2,993 at 0.187), so
reaching 0.6 recall (about 1,100 more spans) at 0.75 precision would need a near-perfect separation.
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

from mtqa.checks import untranslated as ut  # noqa: E402
from mtqa.checks import untranslated_learned as ul  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.model import Segment  # noqa: E402

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


_CAP_RUN = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)+")


def kept_titles(rows: list[dict], spans: dict) -> None:
    """How annotators mark a run of two or more capitalised words the MT copied from the source
    (a kept product title or name): one span over the whole run, spans over some words, or none."""
    c: Counter = Counter()
    for r in rows:
        human = [(a, b) for a, b, cat, _ in spans.get((r["doc"], r["seg"]), []) if cat == "Untranslated"]
        for m in _CAP_RUN.finditer(r["mt_fr"]):
            if m.group().lower() not in r["source_en"].lower():
                continue
            inside = [(a, b) for a, b in human if a < m.end() and m.start() < b]
            whole = any(a <= m.start() and m.end() <= b for a, b in inside)
            c["whole run, one span" if whole else "some words" if inside else "not marked"] += 1
    print("Kept capitalised runs (2+ words copied from the source):", dict(c))


def pools(rows: list[dict], spans: dict, unknown: dict) -> None:
    """The candidates (unknown words with a part in the source) by what the check does with them:
    taken by the rules, masked, a capital in a name context, a loan, or left; n, right, precision."""
    check = ut.Untranslated(Settings())
    c: Counter = Counter()
    for r in rows:
        human = [(a, b) for a, b, cat, _ in spans.get((r["doc"], r["seg"]), []) if cat == "Untranslated"]
        seg = Segment(0, r["source_en"], r["mt_fr"], None, (0,), (0,), "given", 1.0)
        unk = [tuple(x) for x in unknown.get(f"{r['doc']}\t{r['seg']}", [])]
        base = [(f.mt_start, f.mt_end) for f in check.segment_findings(seg, unk, learned=False)]
        masked = ut._masked_ranges(seg.mt, seg.source)
        for s, e in ul.candidates(seg.mt, seg.source, unk):
            w = seg.mt[s:e]
            if any(s < b and a < e for a, b in base):
                why = "taken by the rules"
            elif any(a <= s < b for a, b in masked):
                why = "masked (copied name or title, URL, quote)"
            elif w[:1].isupper() and ut.in_name_context(seg.mt, s, e):
                why = "capital in a name context"
            elif not w[:1].isupper() and not ut.frequency_verdict(ut._parts(w), "lower"):
                why = "lower-case loan"
            else:
                why = "left"
            c[why, "n"] += 1
            c[why, "right"] += any(s < b and a < e for a, b in human)
    print("\n| candidates | n | right | precision |\n|---|---|---|---|")
    for why in dict.fromkeys(k for k, _ in c):
        print(f"| {why} | {c[why, 'n']:,} | {c[why, 'right']:,} | {c[why, 'right'] / c[why, 'n']:.3f} |")


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
    kept_titles(rows, spans)
    n = c["spans"]
    print("| measure | spans | share |\n|---|---|---|")
    for k, v in c.items():
        print(f"| {k} | {v:,} | {v / n:.3f} |")
    segs = sum(per_seg.values())
    print("\nUntranslated spans per segment:", {k: v for k, v in sorted(per_seg.items())}, f"({segs} segments)")
    if unknown is not None:
        pools(rows, spans, unknown)


if __name__ == "__main__":
    main()
