"""``mtqa check --dask local`` against ``--jobs N`` (the local pool) on the 13-system newstest2014 batch.

    .venv/bin/python bench/dask_bench.py                      # 13 systems × 3,003 lines, 2 workers
    .venv/bin/python bench/dask_bench.py --lines 600          # the first 600 lines of every system
    .venv/bin/python bench/dask_bench.py --systems 4 --workers 2 --src .

Each mode is a fresh ``mtqa check --manifest … -o report.json -q`` child. While it runs, its process
tree is sampled every 0.2 s with psutil (a dependency of ``distributed``): the peak RSS and the
CPU time of every process, so the rows give the client's (main process) and each worker's peak
memory and CPU apart. Rows: wall time, the Dask/pool ratio (target ≤ 1.15), throughput per
worker (segments per second of wall time, and per CPU second of a worker), peak RSS of the client
and of the largest worker, and whether the two reports agree (documents and scores, to 1e-5).
The projection for 1M segments on N workers (see bench/README.md) uses the per-segment worker and
client CPU measured here. Output: a table and ``bench/out/dask.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "newstest2014-enfr"
OUT = Path(__file__).resolve().parent / "out"


def build_batch(data: Path, systems: int, lines: int, work: Path) -> tuple[Path, int]:
    """A manifest of ``systems`` systems (first ``lines`` lines each, 0 = all), source and
    reference shared; the number of segments."""
    work.mkdir(parents=True, exist_ok=True)

    def cut(src: Path, name: str) -> Path:
        text = src.read_text(encoding="utf-8").splitlines()
        dest = work / name
        dest.write_text("".join(t + "\n" for t in (text[:lines] if lines else text)), encoding="utf-8")
        return dest

    source, ref = cut(data / "source.en", "source.en"), cut(data / "ref.fr", "ref.fr")
    man = work / "manifest.csv"
    n = 0
    with man.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["doc", "source", "mt", "ref", "line_aligned"])
        for s in sorted((data / "systems").glob("*.fr"))[:systems]:
            mt = cut(s, s.name)
            n += sum(1 for _ in mt.open(encoding="utf-8"))
            w.writerow([s.stem, source, mt, ref, "true"])
    return man, n


class TreeSampler(threading.Thread):
    """Peak RSS and last CPU time of every process under ``pid``, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak: dict[int, float] = {}
        self.cpu: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            for p in procs:
                try:
                    rss, t = p.memory_info().rss / 2**20, p.cpu_times()
                    self.names.setdefault(p.pid, " ".join(p.cmdline()[:4]))
                except psutil.Error:
                    continue
                self.peak[p.pid] = max(self.peak.get(p.pid, 0.0), rss)
                self.cpu[p.pid] = t.user + t.system
            time.sleep(0.2)


def workers_of(s: TreeSampler) -> list[int]:
    """The worker processes: children that did work (spawned pool workers, Dask workers), not the
    resource tracker or the Dask nanny's helpers."""
    return [pid for pid in s.peak if pid != s.root.pid and s.cpu.get(pid, 0) > 5.0]


def run_mode(mtqa: list[str], man: Path, mode: list[str], out: Path, env: dict) -> dict:
    cmd = [*mtqa, "check", "--manifest", str(man), "--line-aligned", "-o", str(out), "-q", *mode]
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    s = TreeSampler(p.pid)
    s.start()
    _, err = p.communicate()
    wall = time.perf_counter() - t0
    s.stop.set()
    s.join()
    workers = workers_of(s)
    row = {"mode": " ".join(mode), "rc": p.returncode, "wall_s": round(wall, 1), "load_start": load0,
           "load_end": os.getloadavg()[0], "client_peak_mb": round(s.peak.get(p.pid, 0), 0),
           "client_cpu_s": round(s.cpu.get(p.pid, 0), 1), "workers": len(workers),
           "worker_peak_mb": [round(s.peak[w]) for w in workers], "worker_cpu_s": [round(s.cpu[w], 1) for w in workers],
           "stderr": err[-2000:]}
    if p.returncode in (0, 1):
        report = json.loads(out.read_text(encoding="utf-8"))
        row["report_run"] = report["run"]
    return row


def close(a, b) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-4)
    return a == b


def same_reports(a: Path, b: Path) -> bool:
    ra, rb = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
    return all(close(ra[k], rb[k]) for k in ("documents", "scores", "gate", "summary", "mqm"))


def derive(rows: dict, segments: int) -> dict:
    """Ratio, throughput per worker, per-segment CPU of workers and client."""
    pool, dask = rows["pool"], rows["dask"]
    d: dict = {"segments": segments, "ratio_dask_to_pool": round(dask["wall_s"] / pool["wall_s"], 3)}
    for name, r in rows.items():
        n = max(1, r["workers"])
        d[name] = {"segments_per_s_per_worker": round(segments / r["wall_s"] / n, 1),
                   "segments_per_worker_cpu_s": round(segments / max(1e-9, sum(r["worker_cpu_s"])), 1),
                   "worker_ms_per_segment": round(1000 * sum(r["worker_cpu_s"]) / segments, 2),
                   "client_ms_per_segment": round(1000 * r["client_cpu_s"] / segments, 3),
                   "client_peak_mb": r["client_peak_mb"], "max_worker_peak_mb": max(r["worker_peak_mb"] or [0])}
    return d


def project(d: dict, startup_s: float, workers: list[int]) -> dict:
    """1M segments on N workers: start-up + 1M × (worker cost / N + client cost): the client's
    aggregation (receiving documents, scores, report) does not spread."""
    w, c = d["dask"]["worker_ms_per_segment"] / 1000, d["dask"]["client_ms_per_segment"] / 1000
    return {str(n): round((startup_s + 1e6 * (w / n + c)) / 60, 1) for n in workers}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--systems", type=int, default=13)
    ap.add_argument("--lines", type=int, default=0, help="first N lines of every file (0 = all)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--src", type=Path, default=None, help="PYTHONPATH for the children (a worktree)")
    ap.add_argument("--startup", type=float, default=10.0, help="cluster start-up for the projection (s)")
    a = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    man, segments = build_batch(a.data, a.systems, a.lines, OUT / "dask-batch")
    env = dict(os.environ, **({"PYTHONPATH": str(a.src.resolve())} if a.src else {}))
    mtqa = [sys.executable, "-m", "mtqa"]
    print(f"batch: {a.systems} systems, {segments} segments, {a.workers} workers; load {os.getloadavg()}", flush=True)
    rows = {"pool": run_mode(mtqa, man, ["--jobs", str(a.workers)], OUT / "dask-pool.json", env)}
    print(json.dumps({k: v for k, v in rows["pool"].items() if k != "stderr"}), flush=True)
    rows["dask"] = run_mode(mtqa, man, ["--dask", "local", "--jobs", str(a.workers)], OUT / "dask-dask.json", env)
    print(json.dumps({k: v for k, v in rows["dask"].items() if k != "stderr"}), flush=True)
    if any(r["rc"] not in (0, 1) for r in rows.values()):
        print("a run failed:", *(r["stderr"] for r in rows.values()), sep="\n")
        return 1
    d = derive(rows, segments)
    d["same_report"] = same_reports(OUT / "dask-pool.json", OUT / "dask-dask.json")
    d["projection_1M_minutes"] = project(d, a.startup, [1, 2, 8, 32, 128])
    json.dump({"args": {k: str(v) for k, v in vars(a).items()}, "rows": rows, "derived": d},
              (OUT / "dask.json").open("w"), indent=2)
    print(json.dumps(d, indent=2))
    print(f"target: --dask local ≤ 1.15 × --jobs {a.workers}: {d['ratio_dask_to_pool']} "
          f"({'PASS' if d['ratio_dask_to_pool'] <= 1.15 else 'FAIL'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
