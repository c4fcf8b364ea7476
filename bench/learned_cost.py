"""Where the learned scores' cost goes: cProfile of the one-system newstest2014 check with and without them.

Runs ``mtqa check`` of uedin-wmt14 (the runs of ``bench/learned_timing.py``: ``--line-aligned``
unless ``--aligned``) under cProfile twice, with the default metrics less ``rank-ref,rank-qe`` and
with the default metrics, and prints the profiled seconds of the parts that differ: the USE-m3
embedding (all of it, and the part the rankers' cosines ask for: with ``--line-aligned`` that is
the reference, which nothing else embeds), the character LM, the other features, and the whole
run. The profiler slows pure-Python code (sacrebleu's TER) more than numpy, so the shares are a
guide; the cost itself is measured without the profiler by ``learned_timing.py``.

The profiler runs inside the mtqa process (``PROFILE``) and writes its file when the command
returns: ``python -m cProfile -m mtqa`` never would, as mtqa's entry point ends with ``os._exit``.

    .venv/bin/python bench/learned_cost.py [--aligned] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import pstats
import subprocess
import sys
import tempfile

import learned_data as ld
import learned_timing as timing

# argv: profile file, then mtqa's arguments. The typer app, not mtqa's entry point: that one ends
# the process with os._exit before the profile could be written.
PROFILE = """
import cProfile, sys
from mtqa.cli import app
out, sys.argv = sys.argv[1], ["mtqa", *sys.argv[2:]]
prof = cProfile.Profile()
try:
    prof.runcall(app)
except SystemExit:
    pass
prof.dump_stats(out)
"""
# label → (file suffix, function name) of a profiled function whose cumulative time is reported
PARTS = {
    "USE-m3 embedding, all": ("mtqa/embed/base.py", "encode"),
    "  of it for the rankers' cosines": ("mtqa/scores/rank_features.py", "cosines"),
    "character LM": ("mtqa/scores/charlm.py", "logprob_per_char"),
    "rankers' features, all": ("mtqa/scores/rank_features.py", "matrix"),
    "rankers, all": ("mtqa/scores/learned.py", "score"),
    "sacrebleu statistics": ("mtqa/scores/sacrebleu_stats.py", "extract"),
    "checks": ("mtqa/checks/engine.py", "run_checks"),
    "pipeline, all": ("mtqa/pipeline/__init__.py", "run_pipeline"),
}


def profile(metrics: str | None, out: str, line_aligned: bool) -> str:
    prof = out + ".prof"
    cmd = [sys.executable, "-c", PROFILE, prof, *timing.check_args(metrics, out + ".json", line_aligned)]
    # from the repository root: in bench/, bench/profile.py would shadow the standard library's
    subprocess.run(cmd, env={**os.environ, "PYTHONPATH": str(ld.ROOT)}, cwd=str(ld.ROOT), check=False)
    if not os.path.exists(prof):
        raise SystemExit(f"learned_cost: the profiled check wrote no profile {prof}")
    return prof


def parts(prof: str) -> dict[str, float]:
    """Cumulative seconds of each of PARTS (0 when the function did not run)."""
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    out = dict.fromkeys(PARTS, 0.0)
    for (file, _, func), (_, _, _, cum, _) in stats.items():
        for label, (suffix, name) in PARTS.items():
            if func == name and file.endswith(suffix):
                out[label] += cum
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--aligned", action="store_true", help="without --line-aligned (the aligner embeds the reference)")
    ap.add_argument("--keep", help="keep the profiles in this directory")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        where = args.keep or tmp
        os.makedirs(where, exist_ok=True)
        without = parts(profile(timing.base_metrics(), os.path.join(where, "base"), not args.aligned))
        with_ = parts(profile(None, os.path.join(where, "full"), not args.aligned))
    print(f"profiled seconds, one-system newstest2014 check ({'aligned' if args.aligned else '--line-aligned'})")
    print(f"{'part':<36}{'without':>9}{'with':>9}{'added':>9}")
    for label in PARTS:
        print(f"{label:<36}{without[label]:>9.1f}{with_[label]:>9.1f}{with_[label] - without[label]:>+9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
