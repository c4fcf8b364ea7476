"""The slow hostile inputs of issue 18, each run as `mtqa` in a subprocess with a wall-clock timeout
and its peak memory (RUSAGE_CHILDREN, measured per case in a fresh helper process).

    .venv/bin/python bench/hostile_slow.py            # every case, prints a table
    .venv/bin/python bench/hostile_slow.py -k glossary

Each case asserts its exit code, at most one line on stderr starting with `mtqa: ` (a warning or
an error), no traceback, no stray file in the run's directory, at most 30 s and 2 GiB.
Exit code 1 when a case fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_S = 30.0
MAX_RSS_KB = 2 * 2**20
SRC = "The cat sat on the mat.\nThe dog ran home.\n"
MT = "Le chat était sur le tapis.\nLe chien est rentré.\n"


def write(d: Path, name: str, text: str | bytes) -> str:
    p = d / name
    p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return str(p)


def long_line(d: Path, mb: int) -> list[str]:
    n = mb * 2**20 // 5
    write(d, "src.txt", SRC + "word " * n + "\n")
    write(d, "mt.txt", MT + "mot " * (n * 5 // 4) + "\n")
    return ["check", "-s", "src.txt", "-t", "mt.txt", "-f", "json", "-o", "out.json"]


def big_glossary(d: Path) -> list[str]:
    rows = ["source,target,forbidden"] + [f"term{i} word,cible{i} mot,faux{i}" for i in range(100_000)]
    write(d, "g.csv", "\n".join(rows) + "\ncat,chat,\n")
    write(d, "src.txt", SRC)
    write(d, "mt.txt", MT)
    return ["check", "-s", "src.txt", "-t", "mt.txt", "-g", "g.csv", "-f", "json", "-o", "out.json"]


def big_waivers(d: Path) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from mtqa.quality.waivers import waivers_yaml

    entries = [{"rule": "typography.apostrophe", "mt": f"l'exemple {i}", "source": f"example {i}",
                "doc": f"doc-{i % 97}", "reason": "bench", "by": "bench", "date": "2026-12-02"}
               for i in range(100_000)]
    write(d, "w.yaml", waivers_yaml(entries))
    write(d, "src.txt", SRC)
    write(d, "mt.txt", MT)
    return ["check", "-s", "src.txt", "-t", "mt.txt", "--waivers", "w.yaml", "-f", "json", "-o", "out.json"]


def alias_bomb(d: Path) -> list[str]:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(ord("b"), ord("j")):
        prev = chr(i - 1)
        lines.append(f"{chr(i)}: &{chr(i)} [" + ",".join([f"*{prev}"] * 9) + "]")
    write(d, "rules.yaml", "\n".join(lines) + "\n")
    write(d, "mtqa.toml", '[rules]\nfiles = ["rules.yaml"]\n')
    write(d, "src.txt", SRC)
    write(d, "mt.txt", MT)
    return ["check", "-c", "mtqa.toml", "-s", "src.txt", "-t", "mt.txt", "-o", "out.json"]


def deep_jsonl(d: Path) -> list[str]:
    deep = "[" * 100_000 + "]" * 100_000
    write(d, "in.jsonl", json.dumps({"source": "Hello.", "mt": "Bonjour."})[:-1] + f', "x": {deep}}}\n')
    return ["check", "in.jsonl", "-o", "out.json"]


def dev_zero(d: Path) -> list[str]:
    write(d, "mt.txt", MT)
    return ["check", "-s", "/dev/zero", "-t", "mt.txt", "-o", "out.json"]


def fifo(d: Path) -> list[str]:
    os.mkfifo(d / "src.fifo")
    write(d, "mt.txt", MT)
    return ["check", "-s", "src.fifo", "-t", "mt.txt", "-o", "out.json"]


def compare_jobs(d: Path) -> list[str]:
    write(d, "src.txt", SRC)
    write(d, "ref.txt", MT)
    write(d, "a.txt", MT)
    write(d, "b.txt", "Le chat.\nLe chien.\n")
    return ["compare", "-s", "src.txt", "-r", "ref.txt", "a.txt", "b.txt", "--jobs", "1000", "-o", "out.txt"]


RUN = (0, 1)  # the run finishes: the gate passes or fails
# name: (make the inputs, the exit codes allowed, whether the report is written)
CASES: dict[str, tuple[Callable[[Path], list[str]], tuple[int, ...], bool]] = {
    "1 MB line": (lambda d: long_line(d, 1), RUN, True),
    "50 MB line": (lambda d: long_line(d, 50), RUN, True),
    "100k-row glossary": (big_glossary, RUN, True),
    "100k-entry waivers": (big_waivers, RUN, True),
    "YAML alias bomb": (alias_bomb, (2,), False),
    "100,000-deep JSONL": (deep_jsonl, (2,), False),
    "/dev/zero source": (dev_zero, (2,), False),
    "FIFO without writer": (fifo, (2,), False),
    "compare --jobs 1000": (compare_jobs, (2,), False),
}


def run_case(name: str) -> dict:
    """Run one case in a fresh directory: exit code, seconds, peak RSS (MiB), stderr, problems."""
    make, codes, writes = CASES[name]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        args = make(d)
        before = set(os.listdir(d))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        cmd = [sys.executable, "-c", "import resource, subprocess, sys; "
               "rc = subprocess.run(sys.argv[1:], timeout=%s).returncode; "
               "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=open('.rusage', 'w'))"
               % (MAX_S + 5), sys.executable, "-m", "mtqa", *args]
        t = time.perf_counter()
        try:
            p = subprocess.run(cmd, cwd=d, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               timeout=MAX_S + 10)
        except subprocess.TimeoutExpired:
            return {"case": name, "rc": None, "s": time.perf_counter() - t, "mib": 0, "stderr": "",
                    "problems": ["timed out"]}
        seconds = time.perf_counter() - t
        rc_text, rss = (d / ".rusage").read_text().split() if (d / ".rusage").exists() else ("None", "0")
        after = set(os.listdir(d)) - before - {".rusage"}
    rc = None if rc_text == "None" else int(rc_text)
    lines = [x for x in p.stderr.splitlines() if x.strip()]
    problems = []
    if rc not in codes:
        problems.append(f"exit {rc}, expected {codes}")
    if "Traceback" in p.stderr:
        problems.append("traceback")
    if len(lines) > 1 or any(not x.startswith("mtqa: ") for x in lines):
        problems.append(f"{len(lines)} stderr lines")
    stray = after - ({args[args.index("-o") + 1]} if writes else set())
    if stray:
        problems.append(f"stray files {sorted(stray)}")
    if seconds > MAX_S:
        problems.append(f"{seconds:.1f} s > {MAX_S:g} s")
    if int(rss) > MAX_RSS_KB:
        problems.append(f"{int(rss) / 1024:.0f} MiB > 2 GiB")
    return {"case": name, "rc": rc, "s": seconds, "mib": int(rss) / 1024, "stderr": lines[0] if lines else "",
            "problems": problems}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-k", default="", help="run the cases whose name contains this")
    a = ap.parse_args()
    rows = [run_case(n) for n in CASES if a.k.lower() in n.lower()]
    print("| case | exit | seconds | peak RSS MiB | ok | stderr |\n|---|---|---|---|---|---|")
    for r in rows:
        ok = "yes" if not r["problems"] else "NO: " + "; ".join(r["problems"])
        print(f"| {r['case']} | {r['rc']} | {r['s']:.1f} | {r['mib']:.0f} | {ok} | {r['stderr'][:90]} |")
    worst = max(rows, key=lambda r: r["s"])
    print(f"worst: {worst['case']}, {worst['s']:.1f} s, {max(r['mib'] for r in rows):.0f} MiB peak (largest case)")
    return 1 if any(r["problems"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
