"""Time of the checks stage on the one-system newstest2014 check, for this tree or another one.

The bigger rule data (sense headwords, patterns, organisations) must not make the checks stage
more than 25 % slower (issue 13). This runs ``mtqa check --line-aligned --grammar off`` on one
WMT14 system under cProfile, in a child process with ``PYTHONPATH`` set to the tree measured, and
reports the cumulative time of ``mtqa.checks.engine.run_checks`` (the checks stage) and of the
whole run. Grammalecte is left out: its cost is measured by ``bench/grammar_speed.py``.

    .venv/bin/python bench/checks_stage.py                     # this tree
    .venv/bin/python bench/checks_stage.py --root /tmp/old     # a checkout of an older commit
    .venv/bin/python bench/checks_stage.py --compare REV       # this tree and REV (git worktree)
    .venv/bin/python bench/checks_stage.py --data-growth       # this tree on the round-1 data and on all of it
    .venv/bin/python bench/checks_stage.py --compare f7ff7d5 --data-growth --runs 3   # both ratios, medians of 3
    .venv/bin/python bench/checks_stage.py --data-growth --runs 3 --unprofiled        # the same, no cProfile

``--data-growth`` separates the cost of the bigger data from that of the checks added since: it
runs this tree's code a second time with ``MTQA_BENCH_MAIN_DATA=1``, which loads only the main
files (``sense.yaml``, ``false_friends.yaml``: what f7ff7d5 shipped) and none of the beat folders
(``mtqa/data/sense/``, ``mtqa/data/calques/``). Each row is the median of ``--runs`` runs; the
time of each check (``Check.run``) is printed for the last run of each row.

Times are CPU seconds of the child process (cProfile with ``time.process_time``), which other jobs
on a shared machine disturb much less than wall time. Each tree is measured after a first run that warms its on-disk rule-data cache (as a user's
second run finds it); each tree and data setting has a cache directory of its own, so that no
other run evicts its entries. cProfile slows both sides alike; compare ratios, not absolute times, on a
loaded machine. cProfile's overhead falls on Python-level code (``re``'s pure-Python compiler,
the checks' loops) far more than on C code, so ``--unprofiled`` also times the stage without it
(``run_checks`` and each registered check's ``run`` wrapped, CPU seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "newstest2014-enfr"

CHILD = r"""
import cProfile, inspect, json, pstats, sys, time
import mtqa.cli
# the app, not the console entry: since db536d6 `main` ends the process with os._exit, before the
# profile could be read; the app ends with SystemExit, in this tree and in older ones
main = mtqa.cli.app
grammar = ["--grammar", "off"] if "--grammar" in inspect.getsource(mtqa.cli) else []  # older trees had none
sys.argv = ["mtqa", "check", "-s", SRC, "-t", MT, "--line-aligned", *grammar, "-f", "json", "-o", OUT]
if UNPROFILED:
    # no profiler: re's pure-Python compiler is not slowed by it; only the stage's CPU time
    import mtqa.pipeline as pipeline
    spent = [0.0]
    inner = pipeline.run_checks

    def timed(*a, **k):
        t0 = time.process_time()
        try:
            return inner(*a, **k)
        finally:
            spent[0] += time.process_time() - t0

    pipeline.run_checks = timed
    per = {}
    try:
        from mtqa.checks.registry import REGISTRY
    except ImportError:  # older trees: no per-check times
        REGISTRY = {}

    def timed_run(check_id, run):
        def wrapped(self, ctx):
            t0 = time.process_time()
            try:
                return list(run(self, ctx))  # a generator's work is done here, inside the timer
            finally:
                per[check_id] = per.get(check_id, 0.0) + time.process_time() - t0
        wrapped.inner = run
        return wrapped

    for check_id, cls in REGISTRY.items():
        cls.run = timed_run(check_id, getattr(cls.run, "inner", cls.run))  # an inherited run: timed once
    t0 = time.process_time()
    try:
        main()
    except SystemExit:
        pass
    print(json.dumps({"checks_s": round(spent[0], 2), "total_s": round(time.process_time() - t0, 2),
                      "per_check": {k: round(v, 2) for k, v in sorted(per.items(), key=lambda kv: -kv[1]) if v >= 0.01}}))
    sys.exit(0)
prof = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
try:
    prof.runcall(main)
except SystemExit:
    pass
st = pstats.Stats(prof)
checks = sum(v[3] for k, v in st.stats.items() if k[2] == "run_checks" and k[0].endswith("engine.py"))
total = sum(v[3] for k, v in st.stats.items() if k[2] == "main" and k[0].endswith("cli.py"))
per = {}
for k, v in st.stats.items():
    if k[2] == "run" and "/mtqa/checks/" in k[0]:
        name = k[0].split("/mtqa/checks/")[-1].removesuffix(".py").removesuffix("/__init__")
        per[name] = per.get(name, 0) + v[3]
per = {k: round(v, 2) for k, v in sorted(per.items(), key=lambda kv: -kv[1]) if v >= 0.01}
print(json.dumps({"checks_s": round(checks, 2), "total_s": round(total, 2), "per_check": per}))
"""


# The rule-data cache of each tree measured, apart from the user's (~/.cache/mtqa): a cache entry
# is keyed by the code that compiled it and replaces the entry of other code, so two trees (or
# other jobs on the machine) sharing one directory would recompile each other's data mid-run.
CACHES: dict[str, str] = {}
UNPROFILED = [False]  # --unprofiled: the stage's and each check's CPU time without cProfile


def private_cache(root: Path, env_extra: dict[str, str] | None) -> str:
    key = f"{root.resolve()}|{sorted((env_extra or {}).items())}"
    if key not in CACHES:
        CACHES[key] = tempfile.mkdtemp(prefix="mtqa-bench-cache-")
    return CACHES[key]


def measure(root: Path, src: Path, mt: Path, env_extra: dict[str, str] | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        code = CHILD.replace("SRC", repr(str(src))).replace("MT", repr(str(mt))).replace("OUT", repr(f"{tmp}/r.json"))
        code = code.replace("UNPROFILED", repr(UNPROFILED[0]))
        env = {**os.environ, "PYTHONPATH": str(root), "MTQA_CACHE_DIR": private_cache(root, env_extra), **(env_extra or {})}
        out = subprocess.run([sys.executable, "-c", code], cwd=tmp, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0 or not out.stdout.strip():
        raise SystemExit(f"checks_stage: the run under {root} failed: {out.stderr.strip().splitlines()[-1:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_of(runs: int, *args) -> dict:
    """The run whose checks-stage time is the median of ``runs`` runs, with every time listed."""
    got = sorted((measure(*args) for _ in range(runs)), key=lambda r: r["checks_s"])
    mid = dict(got[len(got) // 2])
    mid["all_checks_s"] = [r["checks_s"] for r in got]
    return mid


def subset(src: Path, mt: Path, lines: int, tmp: Path) -> tuple[Path, Path]:
    if not lines:
        return src, mt
    s, m = tmp / "src.en", tmp / "mt.fr"
    s.write_text("".join(src.read_text(encoding="utf-8").splitlines(True)[:lines]), encoding="utf-8")
    m.write_text("".join(mt.read_text(encoding="utf-8").splitlines(True)[:lines]), encoding="utf-8")
    return s, m


def ratio(new: dict, old: dict) -> str:
    return f"{100 * (new['checks_s'] / old['checks_s'] - 1):+.1f} %" if old["checks_s"] > 0 else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="the source tree to measure (default: this one)")
    ap.add_argument("--compare", metavar="REV", help="also measure git revision REV (checked out in a temporary worktree)")
    ap.add_argument("--data-growth", action="store_true", help="also measure this tree on the round-1 data alone")
    ap.add_argument("--runs", type=int, default=1, help="runs per row; the median is reported (default 1)")
    ap.add_argument("--unprofiled", action="store_true",
                    help="time the stage and each check without cProfile (whose overhead falls on re's compiler)")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--system", default="uedin-wmt14", help="system file name prefix (default uedin-wmt14)")
    ap.add_argument("--lines", type=int, default=0, help="only the first N lines (default: all 3,003)")
    args = ap.parse_args()
    UNPROFILED[0] = args.unprofiled
    mt = next(iter(sorted((args.data / "systems").glob(args.system + "*"))), None)
    if mt is None:
        raise SystemExit(f"checks_stage: no system {args.system!r} in {args.data / 'systems'}")
    round1 = {"MTQA_BENCH_MAIN_DATA": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        src, mt = subset(args.data / "source.en", mt, args.lines, Path(tmp))
        # a short run warms the rule-data cache (the packaged files are compiled whole, whatever the input)
        (Path(tmp) / "warm").mkdir()
        warm = subset(args.data / "source.en", mt, 20, Path(tmp) / "warm")
        measure(args.root, *warm)
        rows = {"this tree": median_of(args.runs, args.root, src, mt)}
        if args.data_growth:
            measure(args.root, *warm, round1)
            rows["round-1 data"] = median_of(args.runs, args.root, src, mt, round1)
        if args.compare:
            wt = Path(tmp) / "old"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(wt), args.compare], check=True)
            try:
                measure(wt, *warm)
                rows[args.compare] = median_of(args.runs, wt, src, mt)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(wt)], check=False)
    report(rows, args)
    for path in CACHES.values():
        shutil.rmtree(path, ignore_errors=True)


def report(rows: dict[str, dict], args: argparse.Namespace) -> None:
    for name, r in rows.items():
        runs = ", ".join(f"{x:.2f}" for x in r["all_checks_s"])
        print(f"{name:>14}: checks stage {r['checks_s']:7.2f} s of {r['total_s']:7.2f} s (runs: {runs})")
        print(" " * 16 + "  ".join(f"{k} {v:.2f}" for k, v in r.get("per_check", {}).items()))
    if args.data_growth:
        print(f"checks stage: {ratio(rows['this tree'], rows['round-1 data'])} for all the data against the round-1 data (this code)")
    if args.compare:
        print(f"checks stage: {ratio(rows['this tree'], rows[args.compare])} against {args.compare}")


if __name__ == "__main__":
    main()
