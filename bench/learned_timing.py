"""What the learned scores cost: the one-system newstest2014 check timed with and without them.

Run alone, or from ``bench/learned_eval.py --cost``; ``bench/learned_cost.py`` profiles the same runs.

    .venv/bin/python bench/learned_timing.py [--line-aligned] [--repeats N]

"The check" is the default one: ``mtqa check`` of uedin-wmt14 (3,003 lines) with its reference
and the default ``--metrics`` (``mtqa.config.DEFAULT_METRICS``, which hold ``rank-ref,rank-qe``),
against the same run with the default metrics less those two. ``--line-aligned`` is a mode of its
own (there the aligner does not run, so nothing but ``rank-ref``'s ``cos_ref`` embeds the reference).

CPU time counts the whole check: mtqa's process and the Grammalecte worker it starts. mtqa does
not wait for that worker at exit (``cli.exit_now``; the worker ends on its parent's death), so
``RUSAGE_CHILDREN`` of the bench would miss it: the bench makes itself a child subreaper
(Linux ``PR_SET_CHILD_SUBREAPER``), so the orphaned worker is reparented to the bench, which reaps
it and so counts its CPU. Without that (another OS) only mtqa's own CPU is counted, and said so.
"""

from __future__ import annotations

import ctypes
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


def timed_check(argv: list[str], reaper: bool) -> Timing:
    """Run ``python -m mtqa`` + ``argv`` from the repository root and time it."""
    before = cpu_children()
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mtqa", *argv], cwd=str(ld.ROOT),
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
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be at least 1")
    print_cost(cost(args.repeats, args.line_aligned), args.repeats, args.line_aligned)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
