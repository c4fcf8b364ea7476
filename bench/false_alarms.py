"""False alarms on a human translation: newstest2014's French reference checked as if it were the
MT (``../shared/data/newstest2014-enfr``), split into its documents with ``--docids``. A human
reference is taken as correct, so every major or critical finding counts as a false alarm; the
rate is per 1,000 source words, per rule family and in all.

    .venv/bin/python bench/false_alarms.py [--data DIR] [--out bench/out/false_alarms.json] [-v] [-- extra mtqa options]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "newstest2014-enfr"
MAJOR = ("major", "critical")


def run_mtqa(data: Path, out: Path, extra: list[str]) -> dict:
    exe = ROOT / ".venv" / "bin" / "mtqa"
    cmd = [str(exe) if exe.exists() else "mtqa", "check", "-s", str(data / "source.en"), "-t", str(data / "ref.fr"),
           "--line-aligned", "--docids", str(data / "docids.tsv"), "-o", str(out), "-q", "--no-progress", *extra]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"mtqa exited {r.returncode}: {r.stderr.strip()}")
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="newstest2014-enfr folder (default: %(default)s)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "false_alarms.json"), help="JSON results")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every major/critical finding")
    ap.add_argument("extra", nargs="*", help="extra mtqa check options (after --)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = run_mtqa(Path(args.data), Path(tmp) / "report.json", args.extra)
    words = report["mqm"]["source_words"]
    major = [(d["id"], f) for d in report["documents"] for f in d["findings"] if f["severity"] in MAJOR]
    minor = sum(1 for d in report["documents"] for f in d["findings"] if f["severity"] == "minor")
    by_family = Counter(f["rule"].split(".")[0] for _, f in major)
    by_rule = Counter(f["rule"] for _, f in major)
    per_k = lambda n: round(1000 * n / max(words, 1), 3)  # noqa: E731
    res = {"source_words": words, "major": len(major), "major_per_1000_words": per_k(len(major)), "minor": minor,
           "by_family": {k: {"major": v, "per_1000_words": per_k(v)} for k, v in by_family.most_common()},
           "by_rule": dict(by_rule.most_common()),
           "findings": [{"doc": d, "rule": f["rule"], "severity": f["severity"], "mt_text": f["mt_text"],
                         "message": f["message"]} for d, f in major]}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(major)} major/critical findings on the reference ({res['major_per_1000_words']} per 1,000 source "
          f"words of {words}); {minor} minor")
    for fam, c in res["by_family"].items():
        print(f"  {fam:<14} {c['major']:>4}  ({c['per_1000_words']} per 1,000 words)")
    if args.verbose:
        for f in res["findings"]:
            print(f"  {f['rule']} {f['severity']} [{f['doc'][:8]}] {f['mt_text']!r}: {f['message'][:150]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
