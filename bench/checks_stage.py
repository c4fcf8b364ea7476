"""Time of the checks stage on the one-system newstest2014 check, for this tree or another one.

The bigger rule data (sense headwords, patterns, organisations) must not make the checks stage
more than 25 % slower (issue 13). This runs ``mtqa check --line-aligned --grammar off`` on one
WMT14 system under cProfile, in a child process with ``PYTHONPATH`` set to the tree measured, and
reports the cumulative time of ``mtqa.checks.engine.run_checks`` (the checks stage) and of the
whole run. Grammalecte is left out: its cost is measured by ``bench/grammar_speed.py``.

    .venv/bin/python bench/checks_stage.py                     # this tree
    .venv/bin/python bench/checks_stage.py --root /tmp/old     # a checkout of an older commit
    .venv/bin/python bench/checks_stage.py --compare REV       # this tree and REV (git worktree)

This tree is measured on its second run, with the on-disk rule-data cache warm (as a user's
second run finds it). cProfile slows both sides alike; compare ratios, not absolute times, on a
loaded machine.
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

CHILD = r"""
import cProfile, inspect, json, pstats, sys
import mtqa.cli
from mtqa.cli import main
grammar = ["--grammar", "off"] if "--grammar" in inspect.getsource(mtqa.cli) else []  # older trees had none
sys.argv = ["mtqa", "check", "-s", SRC, "-t", MT, "--line-aligned", *grammar, "-f", "json", "-o", OUT]
prof = cProfile.Profile()
try:
    prof.runcall(main)
except SystemExit:
    pass
st = pstats.Stats(prof)
checks = sum(v[3] for k, v in st.stats.items() if k[2] == "run_checks" and k[0].endswith("engine.py"))
total = sum(v[3] for k, v in st.stats.items() if k[2] == "main" and k[0].endswith("cli.py"))
print(json.dumps({"checks_s": round(checks, 2), "total_s": round(total, 2)}))
"""


def measure(root: Path, src: Path, mt: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        code = CHILD.replace("SRC", repr(str(src))).replace("MT", repr(str(mt))).replace("OUT", repr(f"{tmp}/r.json"))
        env = {**os.environ, "PYTHONPATH": str(root)}
        out = subprocess.run([sys.executable, "-c", code], cwd=tmp, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0 or not out.stdout.strip():
        raise SystemExit(f"checks_stage: the run under {root} failed: {out.stderr.strip().splitlines()[-1:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def subset(src: Path, mt: Path, lines: int, tmp: Path) -> tuple[Path, Path]:
    if not lines:
        return src, mt
    s, m = tmp / "src.en", tmp / "mt.fr"
    s.write_text("".join(src.read_text(encoding="utf-8").splitlines(True)[:lines]), encoding="utf-8")
    m.write_text("".join(mt.read_text(encoding="utf-8").splitlines(True)[:lines]), encoding="utf-8")
    return s, m


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="the source tree to measure (default: this one)")
    ap.add_argument("--compare", metavar="REV", help="also measure git revision REV (checked out in a temporary worktree)")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--system", default="uedin-wmt14", help="system file name prefix (default uedin-wmt14)")
    ap.add_argument("--lines", type=int, default=0, help="only the first N lines (default: all 3,003)")
    args = ap.parse_args()
    mt = next(iter(sorted((args.data / "systems").glob(args.system + "*"))), None)
    if mt is None:
        raise SystemExit(f"checks_stage: no system {args.system!r} in {args.data / 'systems'}")
    with tempfile.TemporaryDirectory() as tmp:
        src, mt = subset(args.data / "source.en", mt, args.lines, Path(tmp))
        measure(args.root, src, mt)  # warm the rule-data cache, as a user's second run finds it
        rows = {"this tree": measure(args.root, src, mt)}
        if args.compare:
            wt = Path(tmp) / "old"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(wt), args.compare], check=True)
            try:
                rows[args.compare] = measure(wt, src, mt)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(wt)], check=False)
    for name, r in rows.items():
        print(f"{name:>12}: checks stage {r['checks_s']:7.2f} s of {r['total_s']:7.2f} s")
    if args.compare and rows[args.compare]["checks_s"] > 0:
        new, old = rows["this tree"]["checks_s"], rows[args.compare]["checks_s"]
        print(f"checks stage: {100 * (new / old - 1):+.1f} % against {args.compare}")


if __name__ == "__main__":
    main()
