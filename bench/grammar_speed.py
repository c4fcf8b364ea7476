"""What the grammar family costs: Grammalecte's start-up (mtqa's JSON-lines worker against
``grammalecte-server``, the HTTP alternative the issue offered), its CPU per segment, and the
wall-clock and CPU cost of ``--grammar on`` against ``--grammar off`` on the one-system
newstest2014 check (``mtqa check -s source.en -t systems/X.fr -r ref.fr --docids docids.tsv``).
CPU counts the worker too: mtqa does not wait for it at exit, so the bench reaps it as a child
subreaper (``learned_timing.timed_check``; Linux). Before round 32 this bench missed it.

The worker runs beside mtqa: the MT sentences are sent to it as each document is segmented, so it
checks them while mtqa aligns and embeds (its second core); the target (<= 15 % of the check's
time) is a wall-clock one. CPU is measured too (children's rusage: mtqa and its worker), honestly:
Grammalecte's CPU is not free, it is only overlapped.

    .venv/bin/python bench/grammar_speed.py [--data DIR] [--system NAME] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from learned_timing import become_subreaper, timed_check  # noqa: E402

from mtqa.checks.grammar.worker import GrammalecteWorker  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "newstest2014-enfr"


def worker_startup(python: str, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        w = GrammalecteWorker(python)
        times.append(time.perf_counter() - t)
        w.close()
    return min(times)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_startup(timeout: float = 60.0) -> float | None:
    """Seconds until grammalecte-server answers on a free port (None when not installed)."""
    exe = "/usr/bin/grammalecte-server"
    if not os.path.exists(exe):
        return None
    port = _free_port()
    t = time.perf_counter()
    proc = subprocess.Popen([exe, "-ht", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t < timeout:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/get_options/fr", timeout=1).read()
                return time.perf_counter() - t
            except OSError:
                time.sleep(0.02)
        return None
    finally:
        proc.kill()
        proc.wait()


def worker_cpu_per_segment(python: str, lines: list[str]) -> float:
    """Milliseconds of the worker's CPU per segment (its /proc stat, all segments queued at once)."""
    w = GrammalecteWorker(python)
    pid = w.pid
    before = _proc_cpu(pid)
    for line in lines:
        w.submit(line)
    for line in lines:
        w.result(line)
    cpu = _proc_cpu(pid) - before
    w.close()
    return cpu * 1000 / len(lines)


def _proc_cpu(pid: int | None) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_check(files: dict, mode: str, reaper: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds of mtqa and its worker) of one check."""
    with tempfile.TemporaryDirectory() as tmp:
        t = timed_check(["check", "-s", str(files["source"]), "-t", str(files["mt"]), "-r", str(files["ref"]),
                         "--docids", str(files["docids"]), "-o", str(Path(tmp) / "r.json"), "-q", "--no-progress",
                         "--jobs", "1", "--grammar", mode, "--max-critical", "1000000"], reaper)
        if not (Path(tmp) / "r.json").exists():
            sys.exit(f"mtqa check --grammar {mode} wrote no report")
    return t.wall, t.cpu_all


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--system", default="uedin-wmt14.3023.fr")
    ap.add_argument("--python", default="/usr/bin/python3")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "grammar_speed.json")
    a = ap.parse_args()
    system = a.data / "systems" / (a.system or sorted(os.listdir(a.data / "systems"))[0])
    files = {"source": a.data / "source.en", "mt": system, "ref": a.data / "ref.fr", "docids": a.data / "docids.tsv"}
    lines = system.read_text(encoding="utf-8").splitlines()
    result: dict = {"system": system.name, "segments": len(lines),
                    "worker_startup_s": round(worker_startup(a.python), 3),
                    "server_startup_s": (round(s, 3) if (s := server_startup()) is not None else None),
                    "worker_cpu_ms_per_segment": round(worker_cpu_per_segment(a.python, lines), 2)}
    runs: dict = {"off": [], "on": []}
    reaper = become_subreaper()
    for _ in range(a.repeat):
        for mode in ("off", "on"):
            runs[mode].append(run_check(files, mode, reaper))
    off_wall, off_cpu = (min(x[i] for x in runs["off"]) for i in (0, 1))
    on_wall, on_cpu = (min(x[i] for x in runs["on"]) for i in (0, 1))
    result.update({"check_off_wall_s": round(off_wall, 2), "check_on_wall_s": round(on_wall, 2),
                   "wall_cost_pct": round(100 * (on_wall - off_wall) / off_wall, 1),
                   "check_off_cpu_s": round(off_cpu, 2), "check_on_cpu_s": round(on_cpu, 2),
                   "cpu_cost_pct": round(100 * (on_cpu - off_cpu) / off_cpu, 1), "target_wall_pct": 15,
                   "worker_cpu_counted": reaper})
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
