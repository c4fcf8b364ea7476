"""What the learned scores cost: the one-system newstest2014 check timed with and without them.

Run alone, or from ``bench/learned_eval.py --cost``; ``bench/learned_cost.py`` profiles the same runs.

    .venv/bin/python bench/learned_timing.py [--line-aligned] [--repeats N] [--share]

"The check" is the default one: ``mtqa check`` of uedin-wmt14 (3,003 lines) with its reference
and the default ``--metrics`` (``mtqa.config.DEFAULT_METRICS``, which hold ``rank-ref,rank-qe``),
against the same run with the default metrics less those two. ``--line-aligned`` is a mode of its
own (there the aligner does not run, so nothing but ``rank-ref``'s ``cos_ref`` embeds the reference:
a side process does it, ``mtqa.pipeline.ahead``). ``--share`` times the rankers inside each run: their
CPU (main thread), their wall time (a wait for the side process included), the side process's CPU.

CPU time counts the whole check: mtqa's process and the Grammalecte worker it starts. mtqa does
not wait for that worker at exit (``cli.exit_now``; the worker ends on its parent's death), so
``RUSAGE_CHILDREN`` of the bench would miss it: the bench makes itself a child subreaper
(Linux ``PR_SET_CHILD_SUBREAPER``), so the orphaned worker is reparented to the bench, which reaps
it and so counts its CPU. Without that (another OS) only mtqa's own CPU is counted, and said so.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass

import learned_data as ld

from mtqa.config import DEFAULT_METRICS

LEARNED = ("rank-ref", "rank-qe")
PR_SET_CHILD_SUBREAPER = 36
# argv: output file, then mtqa's arguments. mtqa's own entry point (its exit handlers run before
# ``os._exit``: the seconds are written by one of them), with the rankers' score timed by the CPU
# clock of the thread that runs them.
SHARE_RUNNER = """
import atexit, json, resource, sys, time
from mtqa.scores.learned import LearnedRanker
from mtqa.cli import main
out, sys.argv = sys.argv[1], ["mtqa", *sys.argv[2:]]
spent = {"rankers_cpu": 0.0, "rankers_wall": 0.0, "calls": 0}
start = time.perf_counter()
score = LearnedRanker.score
def timed(self, adocs):
    t, w = time.thread_time(), time.perf_counter()
    try:
        return score(self, adocs)
    finally:
        spent["rankers_cpu"] += time.thread_time() - t
        spent["rankers_wall"] += time.perf_counter() - w
        spent["calls"] += 1
def write():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)  # the side process (waited); not Grammalecte's
    spent["aside_cpu"] = ru.ru_utime + ru.ru_stime
    spent["wall"] = time.perf_counter() - start
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(spent, fh)
LearnedRanker.score = timed
atexit.register(write)
main()
"""


def base_metrics() -> str:
    """The default metrics less the learned scores."""
    return ",".join(m for m in DEFAULT_METRICS if m not in LEARNED)


def check_args(metrics: str | None, out: str, line_aligned: bool) -> list[str]:
    """``mtqa check`` arguments (after ``mtqa``) of the one-system check; ``metrics`` None: the default."""
    data = ld.NEWSTEST14
    return ["check", "-s", str(data / "source.en"), "-t", str(data / "systems" / "uedin-wmt14.3023.fr"),
            "-r", str(data / "ref.fr"), *(["--line-aligned"] if line_aligned else []),
            *(["--metrics", metrics] if metrics is not None else []), "-o", out, "-q"]


def become_subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux); False where it cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_orphans() -> None:
    """Wait for every remaining child (the orphaned Grammalecte worker), so its CPU is counted."""
    while True:
        try:
            os.wait()
        except ChildProcessError:
            return


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds until mtqa exits
    cpu_mtqa: float  # mtqa's process (and what it waited for)
    cpu_all: float  # with the processes it left behind (the Grammalecte worker), when reaped


def cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed_check(argv: list[str], reaper: bool, runner: list[str] | None = None) -> Timing:
    """Run ``python -m mtqa`` + ``argv`` (or ``python`` + ``runner`` + ``argv``) from the repository
    root and time it."""
    before = cpu_children()
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *(runner or ["-m", "mtqa"]), *argv], cwd=str(ld.ROOT),
                            env={**os.environ, "PYTHONPATH": str(ld.ROOT)})
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    wall = time.perf_counter() - t
    own = ru.ru_utime + ru.ru_stime
    if reaper:
        reap_orphans()
    return Timing(wall, own, cpu_children() - before)


def cost(repeats: int = 2, line_aligned: bool = False) -> dict[str, Timing]:
    """Best of ``repeats`` (each field on its own) of the check without and with the learned scores,
    the two runs alternating so that both see the same load."""
    import tempfile

    reaper = become_subreaper()
    runs: dict[str, list[Timing]] = {"without": [], "with": []}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        for _ in range(repeats):
            for label, metrics in (("without", base_metrics()), ("with", None)):
                runs[label].append(timed_check(check_args(metrics, out, line_aligned), reaper))
                print(f"  {label} the learned scores: {runs[label][-1]}", file=sys.stderr)
    if not reaper:
        print("  (not Linux: the Grammalecte worker's CPU is not counted)", file=sys.stderr)
    return {label: Timing(*(min(getattr(t, f) for t in ts) for f in ("wall", "cpu_mtqa", "cpu_all")))
            for label, ts in runs.items()}


@dataclass(frozen=True)
class Share:
    """One run with the learned scores: what their ``score`` calls took, against the whole run."""

    rankers_cpu: float  # the main thread's CPU inside the rankers
    aside_cpu: float  # the side process that embedded the reference for them (``mtqa.pipeline.ahead``), if any
    run_cpu: float  # the whole run: mtqa, its side process and the Grammalecte worker (when reaped)
    rankers_wall: float  # wall time inside the rankers, waiting for the side process included
    run_wall: float  # mtqa's own clock, start of its entry point to its exit handlers

    def cpu_added(self) -> float:
        spent = self.rankers_cpu + self.aside_cpu
        return 100 * spent / (self.run_cpu - spent)

    def wall_added(self) -> float:
        return 100 * self.rankers_wall / (self.run_wall - self.rankers_wall)


def share(repeats: int = 2, line_aligned: bool = False) -> list[Share]:
    """The rankers' CPU and wall time within each of ``repeats`` checks with the learned scores."""
    import tempfile

    reaper = become_subreaper()
    out: list[Share] = []
    with tempfile.TemporaryDirectory() as tmp:
        spent = os.path.join(tmp, "spent.json")
        for _ in range(repeats):
            t = timed_check(check_args(None, os.path.join(tmp, "r.json"), line_aligned), reaper,
                            ["-c", SHARE_RUNNER, spent])
            with open(spent, encoding="utf-8") as fh:
                d = json.load(fh)
            os.remove(spent)
            out.append(Share(d["rankers_cpu"], d["aside_cpu"], t.cpu_all if reaper else t.cpu_mtqa,
                             d["rankers_wall"], d["wall"]))
            print(f"  {out[-1]} ({t})", file=sys.stderr)
    return out


def _median_line(what: str, values: list[float]) -> str:
    v = sorted(values)
    return f"median {what} {v[len(v) // 2]:+.1f} % (range {v[0]:+.1f} % to {v[-1]:+.1f} %)"


def print_share(runs: list[Share], line_aligned: bool) -> None:
    mode = "--line-aligned" if line_aligned else "aligned (the default)"
    print(f"cost within one run: one-system newstest2014 check, {mode}, default metrics ({len(runs)} runs)")
    for r in runs:
        print(f"  rankers' CPU {r.rankers_cpu:6.2f} s + side process {r.aside_cpu:5.2f} s of the run's "
              f"{r.run_cpu:6.1f} s: adds {r.cpu_added():+.1f} %; wall {r.rankers_wall:6.2f} s of "
              f"{r.run_wall:6.1f} s: adds {r.wall_added():+.1f} %")
    print(_median_line("CPU added", [r.cpu_added() for r in runs]))
    print(_median_line("wall added", [r.wall_added() for r in runs]))


def print_cost(best: dict[str, Timing], repeats: int, line_aligned: bool) -> None:
    mode = "--line-aligned" if line_aligned else "aligned (the default)"
    print(f"cost: one-system newstest2014 check, {mode}, default metrics with and without "
          f"{','.join(LEARNED)} (best of {repeats})")
    print(f"{'':<34}{'without':>9}{'with':>9}{'added':>9}")
    for field, label in (("cpu_all", "CPU, with the Grammalecte worker"), ("cpu_mtqa", "CPU, mtqa's process"),
                         ("wall", "wall")):
        a, b = getattr(best["without"], field), getattr(best["with"], field)
        print(f"{label:<34}{a:>8.1f}s{b:>8.1f}s{100 * (b - a) / a:>+8.1f}%")


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--line-aligned", action="store_true", help="time the check with --line-aligned")
    ap.add_argument("--repeats", type=int, default=2, help="best of N runs (2)")
    ap.add_argument("--share", action="store_true",
                    help="the rankers' CPU within each run with them, against the run's (N runs)")
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be at least 1")
    if args.share:
        print_share(share(args.repeats, args.line_aligned), args.line_aligned)
        return 0
    print_cost(cost(args.repeats, args.line_aligned), args.repeats, args.line_aligned)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
