"""Precision and recall of mtqa's findings against human MQM error spans: WMT20 QE task 3,
English→French, training split (``../shared/data/wmt20-qe-enfr-mqm-train``; the dev split is held
out and never read here).

Every document is checked through a JSONL delivery (``{"doc", "id", "source", "mt"}`` per segment,
the pairing given), without a reference. A finding is *right* when its French span overlaps a human
error span of the same segment (an empty span, as omissions have, counts when it lies inside or at
the edge of one). Precision is computed over the major and critical findings (the ones that gate),
and for all findings; recall per human category is the share of its spans that a finding overlaps.

    .venv/bin/python bench/wmt20_prf.py [--data DIR] [--out bench/out/wmt20_prf.json] [--limit N] [-- extra mtqa options]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wmt20-qe-enfr-mqm-train"
MAJOR = ("major", "critical")
FOCUS = ("Lexical Selection", "Overly Literal", "False Friend", "Untranslated", "Agreement", "Tense/Mood/Aspect",
         "Capitalization", "Wrong Preposition", "Unit Conversion", "Shouldn't Have Been Translated")


def read_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def human_spans(data: Path) -> dict[tuple[str, str], list[tuple[int, int, str, str]]]:
    """(doc, seg) → [(start, end, category, severity)]; an error with several spans gives each one."""
    spans: dict[tuple[str, str], list[tuple[int, int, str, str]]] = defaultdict(list)
    for e in read_tsv(data / "errors.tsv"):
        for seg, start, length in zip(e["segment_ids"].replace(",", " ").split(), e["starts"].replace(",", " ").split(),
                                      e["lengths"].replace(",", " ").split()):
            s = int(start)
            spans[(e["doc"], seg.strip())].append((s, s + int(length), e["category"], e["severity"]))
    return spans


def write_delivery(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({"doc": r["doc"], "id": f"{r['doc']}#{r['seg']}", "source": r["source_en"],
                                 "mt": r["mt_fr"]}, ensure_ascii=False) + "\n")


def run_mtqa(delivery: Path, out: Path, extra: list[str]) -> dict:
    exe = ROOT / ".venv" / "bin" / "mtqa"
    cmd = [str(exe) if exe.exists() else "mtqa", "check", "-t", str(delivery), "-o", str(out), "-q", "--no-progress",
           "--max-critical", "1000000", *extra]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"mtqa exited {r.returncode}: {r.stderr.strip()}")
    return json.loads(out.read_text(encoding="utf-8"))


def overlaps(f: dict, span: tuple[int, int, str, str]) -> bool:
    s, e = f["mt_start"], f["mt_end"]
    if e <= s:
        return span[0] <= s <= span[1]
    return s < span[1] and span[0] < e


def evaluate(report: dict, spans: dict) -> dict:
    rule_counts: dict[str, Counter] = defaultdict(Counter)
    covered: dict[str, Counter] = defaultdict(Counter)
    prec = {"major": Counter(), "all": Counter()}
    for doc in report["documents"]:
        segs = {s["index"]: s for s in doc["segments"]}
        by_seg: dict[int, list[dict]] = defaultdict(list)
        for f in doc["findings"]:
            by_seg[f["segment"]].append(f)
        for index, seg in segs.items():
            key = (doc["id"], (seg.get("unit_id") or "#").rsplit("#", 1)[1])
            human = spans.get(key, [])
            found = by_seg.get(index, [])
            for f in found:
                hit = any(overlaps(f, h) for h in human)
                rule_counts[f["rule"]][(f["severity"] in MAJOR, hit)] += 1
                for level in ("all", "major") if f["severity"] in MAJOR else ("all",):
                    prec[level]["tp" if hit else "fp"] += 1
            for h in human:
                covered[h[2]]["spans"] += 1
                hits = [f for f in found if overlaps(f, h)]
                covered[h[2]]["found"] += bool(hits)
                covered[h[2]]["found_major"] += any(f["severity"] in MAJOR for f in hits)
    return {
        "precision_major": _ratio(prec["major"]["tp"], prec["major"]["tp"] + prec["major"]["fp"]),
        "major_findings": prec["major"]["tp"] + prec["major"]["fp"],
        "precision_all": _ratio(prec["all"]["tp"], prec["all"]["tp"] + prec["all"]["fp"]),
        "findings": prec["all"]["tp"] + prec["all"]["fp"],
        "by_rule": {r: {"major": c[(True, True)] + c[(True, False)], "major_right": c[(True, True)],
                        "minor": c[(False, True)] + c[(False, False)], "minor_right": c[(False, True)]}
                    for r, c in sorted(rule_counts.items())},
        "recall_by_category": {k: {**c, "recall": _ratio(c["found"], c["spans"]),
                                   "recall_major": _ratio(c["found_major"], c["spans"])}
                               for k, c in sorted(covered.items(), key=lambda kv: -kv[1]["spans"])},
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="WMT20 QE train folder (default: %(default)s)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "wmt20_prf.json"), help="JSON results")
    ap.add_argument("--limit", type=int, default=0, help="first N documents only (quick runs)")
    ap.add_argument("extra", nargs="*", help="extra mtqa check options (after --)")
    args = ap.parse_args(argv)
    data = Path(args.data)
    rows = [r for r in read_tsv(data / "segments.tsv") if r["split"] == "train"]
    if args.limit:
        keep = list(dict.fromkeys(r["doc"] for r in rows))[: args.limit]
        rows = [r for r in rows if r["doc"] in set(keep)]
    with tempfile.TemporaryDirectory() as tmp:
        delivery = Path(tmp) / "wmt20-train.jsonl"
        write_delivery(rows, delivery)
        report = run_mtqa(delivery, Path(tmp) / "report.json", args.extra)
    res = {"segments": len(rows), "documents": len({r["doc"] for r in rows}), **evaluate(report, human_spans(data))}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{res['segments']} segments: precision {res['precision_major']} over {res['major_findings']} major/critical "
          f"findings; {res['precision_all']} over all {res['findings']}")
    for rule, c in res["by_rule"].items():
        print(f"  {rule:<28} major {c['major_right']:>4}/{c['major']:<4}  minor {c['minor_right']:>4}/{c['minor']:<4}")
    print("recall by human category (any finding / major+):")
    for cat, c in res["recall_by_category"].items():
        mark = " *" if cat in FOCUS else ""
        print(f"  {cat:<32} {c['spans']:>5} spans  {c['recall']}  /  {c['recall_major']}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
