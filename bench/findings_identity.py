"""Findings lock for speed work on the checks: run ``mtqa check --grammar off`` on fixed inputs
with a given source tree and compare every finding (all its fields) with a saved run.

    .venv/bin/python bench/findings_identity.py --save /tmp/before --root /tmp/old-tree
    .venv/bin/python bench/findings_identity.py --compare /tmp/before     # this tree
    .venv/bin/python bench/findings_identity.py --compare /tmp/before --lines 500

Inputs: the newstest2014 reference checked as if it were the MT, one WMT14 system (both
line-aligned, no reference), and every French file of the development stories (no reference).
Only the findings are compared: scores and timings are not the checks' business. Grammalecte is
off: it is the same code on both sides and would dominate the time. Exit 1 when a finding differs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "newstest2014-enfr"
STORIES = ROOT.parent / "shared" / "dev-stories"


def cases(data: Path, stories: Path, system: str) -> list[tuple[str, Path, Path]]:
    """(name, source, MT) of every input."""
    out = [("newstest2014-ref", data / "source.en", data / "ref.fr")]
    out += [(f"newstest2014-{p.name.split('.')[0]}", data / "source.en", p)
            for p in sorted((data / "systems").glob(system + "*"))[:1]]
    for fr in sorted(stories.glob("*.fr.txt")):
        out.append((fr.name.removesuffix(".fr.txt"), stories / (fr.name.split(".")[0] + ".en.txt"), fr))
    return out


def head(path: Path, lines: int, tmp: Path) -> Path:
    if not lines:
        return path
    out = tmp / f"{len(list(tmp.iterdir()))}-{path.name}"
    out.write_text("".join(path.read_text(encoding="utf-8").splitlines(True)[:lines]), encoding="utf-8")
    return out


def findings(report: dict) -> list[dict]:
    return [dict(f, document=d.get("id")) for d in report.get("documents", []) for f in d.get("findings", [])]


def run_case(root: Path, src: Path, mt: Path, line_aligned: bool, out: Path) -> list[dict]:
    cmd = [sys.executable, "-m", "mtqa", "check", "-s", str(src), "-t", str(mt), "--grammar", "off",
           "-f", "json", "-o", str(out), "-q", "--no-progress", *(["--line-aligned"] if line_aligned else [])]
    r = subprocess.run(cmd, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True, check=False)
    if r.returncode not in (0, 1):
        raise SystemExit(f"findings_identity: mtqa exited {r.returncode} on {mt}: {r.stderr.strip()[-300:]}")
    return findings(json.loads(out.read_text(encoding="utf-8")))


def diff(name: str, old: list[dict], new: list[dict]) -> int:
    """The number of findings that differ (printed, at most five per case)."""
    key = [json.dumps(f, sort_keys=True, ensure_ascii=False) for f in old]
    got = [json.dumps(f, sort_keys=True, ensure_ascii=False) for f in new]
    lost = [k for k in key if k not in set(got)]
    added = [g for g in got if g not in set(key)]
    order = not lost and not added and key != got
    for tag, rows in (("-", lost), ("+", added)):
        for row in rows[:5]:
            print(f"  {name} {tag} {row[:300]}")
    print(f"{name}: {len(new)} findings, {len(lost)} lost, {len(added)} added{', order differs' if order else ''}")
    return len(lost) + len(added) + int(order)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, metavar="DIR", help="write the findings of each input to DIR")
    mode.add_argument("--compare", type=Path, metavar="DIR", help="compare with the findings saved in DIR")
    ap.add_argument("--root", type=Path, default=ROOT, help="the source tree to run (default: this one)")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--stories", type=Path, default=STORIES)
    ap.add_argument("--system", default="uedin-wmt14")
    ap.add_argument("--lines", type=int, default=0, help="only the first N lines of the newstest2014 inputs")
    ap.add_argument("--only", default="", help="comma-separated case names (default: all)")
    args = ap.parse_args()
    only = {x for x in args.only.split(",") if x}
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, src, mt in cases(args.data, args.stories, args.system):
            if only and name not in only:
                continue
            wmt = name.startswith("newstest2014")
            if wmt:
                src, mt = head(src, args.lines, Path(tmp)), head(mt, args.lines, Path(tmp))
            got = run_case(args.root, src, mt, wmt, Path(tmp) / "r.json")
            tag = f"{name}.{args.lines}" if wmt and args.lines else name
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{tag}.json").write_text(json.dumps(got, ensure_ascii=False, indent=0), encoding="utf-8")
                print(f"{name}: {len(got)} findings saved")
            else:
                saved = args.compare / f"{tag}.json"
                if not saved.is_file():
                    print(f"{name}: nothing saved in {args.compare}")
                    bad += 1
                    continue
                bad += diff(name, json.loads(saved.read_text(encoding="utf-8")), got)
    if args.compare:
        print("identical" if not bad else f"{bad} differences")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
