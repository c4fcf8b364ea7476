"""Precision of the name mechanisms (``names.translated``, ``names.organisation``).

1. newstest2014 (``../shared/data/newstest2014-enfr``), the human French reference checked as if it
   were the MT, line by line: a reference keeps names right, so every finding is a false alarm or an
   accepted translation to add to the data. Rate per 1,000 source words; ``-v`` lists them (for
   hand labelling).
2. ``bench/names_positives.tsv`` (ours, hand-labelled): source, faulty French, the French span a
   reviewer marks (empty: the line is a good translation that must stay quiet). Precision and recall
   of the findings against it.

    .venv/bin/python bench/names_eval.py [--data DIR] [--limit N] [-v] [--out bench/out/names_eval.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "newstest2014-enfr"
RULES = ("names.translated", "names.organisation")

from mtqa.checks.base import CheckContext  # noqa: E402
from mtqa.checks.names import Names  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.embed import get_embedder  # noqa: E402
from mtqa.model import AlignedDocument, Document, Segment, Side  # noqa: E402


def findings(pairs: list[tuple[str, str]], embedder) -> list:
    segs = [Segment(index=i, source=s, mt=t, ref=None, src_ids=(i,), mt_ids=(i,), alignment="given", confidence=1.0)
            for i, (s, t) in enumerate(pairs)]
    doc = Document(id="d", source=Side("en", "\n".join(s for s, _ in pairs), []),
                   mt=Side("fr", "\n".join(t for _, t in pairs), []))
    ctx = CheckContext(adoc=AlignedDocument(doc=doc, segments=segs, links=[]), settings=Settings(), embedder=embedder)
    return [f for f in Names(Settings()).run(ctx) if f.rule in RULES]


def newstest(data: Path, limit: int | None, embedder, verbose: bool) -> dict:
    src = (data / "source.en").read_text(encoding="utf-8").splitlines()[:limit]
    ref = (data / "ref.fr").read_text(encoding="utf-8").splitlines()[:limit]
    words = sum(len(re.findall(r"\w+", s)) for s in src)
    out = []
    for i in range(0, len(src), 200):  # documents of 200 lines: the check looks at one segment at a time
        for f in findings(list(zip(src[i:i + 200], ref[i:i + 200])), embedder):
            out.append({"line": i + f.segment + 1, "rule": f.rule, "severity": f.severity, "source": f.source_text,
                        "mt_text": f.mt_text, "message": f.message})
    if verbose:
        for f in out:
            print(f"  {f['line']:>5} {f['rule']:<20} {f['source']!r} → {f['mt_text']!r}")
    per_k = round(1000 * len(out) / max(words, 1), 3)
    print(f"newstest2014 reference as MT: {len(out)} findings on {words} source words ({per_k} per 1,000)")
    return {"source_words": words, "findings": len(out), "per_1000_words": per_k, "list": out}


def positives(path: Path, embedder) -> dict:
    rows = [r for r in csv.reader(path.open(encoding="utf-8"), delimiter="\t") if r and not r[0].startswith("#")]
    tp = fp = fn = 0
    misses = []
    for src, mt, span in rows:
        fs = findings([(src, mt)], embedder)
        hit = [f for f in fs if span and (span in f.mt_text or f.mt_text in span)]
        tp += bool(hit)
        fn += bool(span) and not hit
        fp += len(fs) - len(hit)
        if (span and not hit) or len(fs) > len(hit):
            misses.append({"source": src, "mt": mt, "span": span, "found": [f.mt_text for f in fs]})
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    print(f"labelled set ({len(rows)} lines): precision {p:.3f} recall {r:.3f} (tp {tp}, fp {fp}, fn {fn})")
    for m in misses:
        print(f"  {m['span']!r:<30} found {m['found']}  | {m['mt']}")
    return {"lines": len(rows), "tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3),
            "misses": misses}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="newstest2014-enfr folder (default: %(default)s)")
    ap.add_argument("--labelled", default=str(ROOT / "bench" / "names_positives.tsv"))
    ap.add_argument("--limit", type=int, default=None, help="first N newstest lines only")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "names_eval.json"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every newstest finding")
    args = ap.parse_args(argv)
    embedder = get_embedder("use-m3")
    res = {"labelled": positives(Path(args.labelled), embedder)}
    if Path(args.data).is_dir():
        res["newstest2014"] = newstest(Path(args.data), args.limit, embedder, args.verbose)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
