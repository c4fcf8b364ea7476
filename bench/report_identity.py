"""Behaviour lock for refactors: run ``mtqa check`` on fixed inputs and compare every report
byte for byte with a saved run (timings aside).

    .venv/bin/python bench/report_identity.py --save /tmp/before     # on the old code
    .venv/bin/python bench/report_identity.py --compare /tmp/before  # on the new code

Inputs: the reference packs (``references/``), the held-out packs (``bench/heldout/``), each in
every report format, and newstest2014 onlineB (one line-aligned document, and split into its
176 documents with ``--docids``) when the WMT14 data is at hand (``--data``). The JSON reports are
compared without ``run`` (timings, worker counts) and without ``rules`` (the rule catalogue, added
after the first saved runs); other formats are compared as they are, except the text report's
timing line.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path("..") / "shared" / "data" / "newstest2014-enfr"  # relative to the checkout
FORMATS = ("json", "md", "html", "sarif", "junit.xml", "csv", "txt")
IGNORED_KEYS = ("run", "rules")


def mtqa_exe() -> str:
    exe = ROOT / ".venv" / "bin" / "mtqa"
    return str(exe) if exe.exists() else "mtqa"


def pack_cases() -> list[tuple[str, list[str]]]:
    """Paths relative to the checkout (mtqa runs there), so that any checkout gives the same reports."""
    cases = []
    for folder in sorted([*(ROOT / "references").iterdir(), *(ROOT / "bench" / "heldout").iterdir()]):
        if not (folder / "mt.fr.txt").is_file():
            continue
        rel = folder.relative_to(ROOT)
        args = ["-s", str(rel / "source.en.txt"), "-t", str(rel / "mt.fr.txt"), "-r", str(rel / "ref.fr.txt")]
        if (folder / "glossary.csv").is_file():
            args += ["-g", str(rel / "glossary.csv")]
        cases.append((folder.name, args))
    return cases


def wmt_cases(data: Path) -> list[tuple[str, list[str]]]:
    if not (ROOT / data / "source.en").is_file():
        return []
    mt = str(next((ROOT / data / "systems").glob("onlineB*")).relative_to(ROOT))
    base = ["-s", str(data / "source.en"), "-t", mt, "-r", str(data / "ref.fr"), "--line-aligned"]
    return [("newstest2014-onlineB", base), ("newstest2014-onlineB-docids", base + ["--docids", str(data / "docids.tsv")])]


def run_case(name: str, args: list[str], out: Path, formats: tuple[str, ...]) -> None:
    outs = [a for f in formats for a in ("-o", str(out / f"{name}.{f}"))]
    cmd = [mtqa_exe(), "check", *args, *outs, "-q", "--no-progress"]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"{name}: mtqa exited {r.returncode}: {r.stderr.strip()}")
    (out / f"{name}.exit").write_text(f"{r.returncode}\n", encoding="utf-8")


def normalise(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        report = json.loads(text)
        for key in IGNORED_KEYS:
            report.pop(key, None)
        return json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True)
    return re.sub(r"\d+(\.\d+)? ?s\b", "<s>", text) if path.suffix in (".txt", ".md", ".html") else text


def compare(before: Path, after: Path, skip: str | None = None) -> int:
    bad = 0
    names = sorted(p.name for p in before.iterdir() if not (skip and p.name.startswith(skip)))
    for name in names:
        a, b = before / name, after / name
        if not b.exists():
            print(f"MISSING {name}")
            bad += 1
            continue
        x, y = normalise(a), normalise(b)
        if x != y:
            bad += 1
            diff = list(difflib.unified_diff(x.splitlines(), y.splitlines(), name, name, lineterm="", n=1))
            print(f"DIFFERS {name} ({len(diff)} diff lines)")
            print("\n".join(diff[:40]))
    print(f"{len(names) - bad} of {len(names)} files identical")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", metavar="DIR", help="write the reports to DIR")
    group.add_argument("--compare", metavar="DIR", help="write the reports to a new folder and compare with DIR")
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="newstest2014-enfr folder (default: %(default)s)")
    ap.add_argument("--packs-only", action="store_true", help="skip newstest2014")
    args = ap.parse_args(argv)
    out = Path(args.save) if args.save else Path(args.compare).with_name(Path(args.compare).name + ".after")
    if args.compare and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, case_args in pack_cases():
        run_case(name, case_args, out, FORMATS)
    if not args.packs_only:
        for name, case_args in wmt_cases(Path(args.data)):
            run_case(name, case_args, out, ("json", "sarif", "csv"))
    skip = "newstest2014" if args.packs_only else None
    return compare(Path(args.compare), out, skip) if args.compare else 0


if __name__ == "__main__":
    sys.exit(main())
