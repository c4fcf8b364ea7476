"""Start-up cost of a one-story gate: a one-sentence ``mtqa check`` with a reference against the
``sacrebleu`` CLI on the same files, measured as a pair in one run (interleaved, median of N), and
``mtqa --help``.

    .venv/bin/python bench/startup.py              # the mtqa of this checkout (PYTHONPATH)
    .venv/bin/python bench/startup.py -n 7 --json bench/out/startup.json

Targets (issue 16): check ≤ 7 × the sacrebleu CLI; ``mtqa --help`` < 0.5 s. Wall time of fresh
child processes, so other jobs on the machine slow every row: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
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


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} exited {p.returncode}: {p.stderr.decode(errors='replace')[-500:]}")
    return wall, p.returncode


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
    a = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", TERM="dumb")
    with tempfile.TemporaryDirectory() as tmp:
        cmds = commands(Path(tmp))
        timed(cmds["mtqa check"], env)  # warm the OS file cache once; not counted
        runs: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(a.n):
            for name, cmd in cmds.items():
                runs[name].append(timed(cmd, env)[0])
    med = {k: statistics.median(v) for k, v in runs.items()}
    ratio = med["mtqa check"] / med["sacrebleu CLI"]
    res = {"runs_s": {k: [round(x, 3) for x in v] for k, v in runs.items()},
           "median_s": {k: round(v, 3) for k, v in med.items()}, "ratio": round(ratio, 2),
           "loadavg": os.getloadavg()}
    for k, v in med.items():
        print(f"{k:14s} {v:6.3f} s   (runs: {', '.join(f'{x:.2f}' for x in runs[k])})")
    print(f"one-sentence check / sacrebleu CLI: {ratio:.2f}× (target ≤ {TARGET_RATIO:g}×: "
          f"{'met' if ratio <= TARGET_RATIO else 'NOT met'})")
    print(f"mtqa --help: {med['mtqa --help']:.3f} s (target < {TARGET_HELP} s: "
          f"{'met' if med['mtqa --help'] < TARGET_HELP else 'NOT met'}); load average {os.getloadavg()[0]:.1f}")
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
