"""Profile one-system `mtqa check` in-process with pyinstrument (the `bench` extra).

    python bench/profile.py [--data DIR] [--system NAME] [--docids] [--lines N]

Runs what `mtqa check -s source.en -t systems/X.fr -r ref.fr --line-aligned -o out.json` runs
(load → run_pipeline → JSON render) under pyinstrument, then prints

* the call tree (pyinstrument's text renderer, frames under 1 % hidden), and
* the functions with the most *self* time, aggregated over the tree — where the time is really
  spent (sacrebleu's TER, the embedder's matrix products, a regex, Python loops in a check).

Writes bench/out/profile.txt, bench/out/profile.html and bench/out/profile-self.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))

from run import DEFAULT_DATA, DEFAULT_SYSTEM, read_lines, system_path  # noqa: E402


def self_times(frame, acc: dict, stage: str = "") -> None:
    """Aggregate pyinstrument self time per (function, file:line), and per pipeline stage."""
    own = frame.time - sum(c.time for c in frame.children)  # time in this frame's own code
    if frame.is_synthetic_leaf and frame.parent is not None:  # "[self]": charge it to the caller
        p = frame.parent
        key = f"{p.function}  {p.file_path_short}:{p.line_no}"
    else:
        key = f"{frame.function}  {frame.file_path_short}:{frame.line_no}"
    acc["functions"][key] += own
    st = stage
    if (frame.file_path or "").replace("\\", "/").find("/mtqa/") >= 0:
        mod = frame.file_path.replace("\\", "/").rsplit("/mtqa/", 1)[1]
        if mod != "pipeline.py" and not mod.startswith("cli"):
            st = mod  # the deepest mtqa module on the stack
    acc["stages"][st or "(outside mtqa stages: imports, cli)"] += own
    for child in frame.children:
        self_times(child, acc, st)


class StageTimer:
    """Wall and CPU time per scorer and per check, by wrapping the registered classes' methods.

    Robust to checks and scorers being added: whatever is registered when the run starts is timed.
    A check's time includes constructing it (rule data is often loaded there) and draining the
    generator its ``run`` returns.
    """

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])

    def _wrap(self, cls, attr: str, key: str, drain: bool) -> None:
        orig = getattr(cls, attr)
        times = self.times

        def timed(*args, **kwargs):
            w, c = time.perf_counter(), time.process_time()
            try:
                out = orig(*args, **kwargs)
                return list(out) if drain else out
            finally:
                times[key][0] += time.perf_counter() - w
                times[key][1] += time.process_time() - c

        setattr(cls, attr, timed)

    def install(self) -> None:
        from mtqa.pipeline import stages
        from mtqa.checks import registry as checks
        from mtqa.scores.registry import SCORERS, get_scorer

        for name, cls in ((n, get_scorer(n)) for n in SCORERS if n != "comet"):
            self._wrap(cls, "score", f"score {name}", drain=False)
        for cid, cls in checks.REGISTRY.items():
            self._wrap(cls, "__init__", f"check {cid}", drain=False)
            self._wrap(cls, "run", f"check {cid}", drain=True)
        for mod, fn in ((stages, "segment_document"), (stages, "align_document")):
            if hasattr(mod, fn):
                self._wrap(mod, fn, f"pipeline {fn}", drain=False)


def run_stages(files: dict, docids: bool, repeat: int) -> int:
    """Time each stage without a profiler (CPU and wall); run the pipeline ``repeat`` times in one process."""
    w0, c0 = time.perf_counter(), time.process_time()
    from mtqa.inputs.batch import load_batch
    from mtqa.config import load_settings
    from mtqa.pipeline import run_pipeline
    from mtqa.report import render

    imp = (time.perf_counter() - w0, time.process_time() - c0)
    settings = load_settings(None)
    settings.line_aligned = not docids
    timer = StageTimer()
    timer.install()
    rows = [("import pipeline", imp)]
    for r in range(repeat):
        timer.times.clear()
        tag = f"run {r + 1}" + (" (warm: caches and rule data already loaded)" if r else "")
        w, c = time.perf_counter(), time.process_time()
        docs = load_batch(str(files["source"]), str(files["mt"]), str(files["ref"]),
                          docids=str(files["docids"]) if docids else None, line_aligned=settings.line_aligned)
        rows.append((f"{tag}: load", (time.perf_counter() - w, time.process_time() - c)))
        w, c = time.perf_counter(), time.process_time()
        report = run_pipeline(docs, settings)
        total = (time.perf_counter() - w, time.process_time() - c)
        for key, (tw, tc) in sorted(timer.times.items(), key=lambda kv: -kv[1][1]):
            rows.append((f"{tag}: {key}", (tw, tc)))
        accounted = [sum(v[i] for v in timer.times.values()) for i in (0, 1)]
        rows.append((f"{tag}: rest of run_pipeline (embedding for alignment, MQM, report dicts)",
                     (total[0] - accounted[0], total[1] - accounted[1])))
        rows.append((f"{tag}: run_pipeline total", total))
        w, c = time.perf_counter(), time.process_time()
        render(report, "json")
        rows.append((f"{tag}: render JSON", (time.perf_counter() - w, time.process_time() - c)))
    width = max(len(r[0]) for r in rows)
    print(f"{'stage':<{width}}  {'wall s':>8}  {'cpu s':>8}")
    for name, (tw, tc) in rows:
        print(f"{name:<{width}}  {tw:8.2f}  {tc:8.2f}")
    (OUT / "stages.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(f"\nwritten: {OUT / 'stages.json'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--system", default=DEFAULT_SYSTEM)
    ap.add_argument("--docids", action="store_true", help="split by docids.tsv (as `--docids`) instead of --line-aligned")
    ap.add_argument("--lines", type=int, default=0, help="profile only the first N lines (0: all)")
    ap.add_argument("--interval", type=float, default=0.001, help="sampling interval in seconds")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--stages", action="store_true",
                    help="no profiler: time each scorer and check (wall and CPU), run twice (cold, warm)")
    ap.add_argument("--repeat", type=int, default=2, help="with --stages: pipeline runs in one process")
    a = ap.parse_args(argv)

    data = Path(a.data)
    system = system_path(data, a.system)
    OUT.mkdir(parents=True, exist_ok=True)
    files = {"source": data / "source.en", "mt": system, "ref": data / "ref.fr", "docids": data / "docids.tsv"}
    if a.lines:
        cut = OUT / "profile-input"
        cut.mkdir(exist_ok=True)
        for key, p in list(files.items()):
            lines = read_lines(p)
            keep = [lines[0]] + lines[1 : a.lines + 1] if key == "docids" else lines[: a.lines]
            files[key] = cut / p.name
            files[key].write_text("\n".join(keep) + "\n", encoding="utf-8")

    if a.stages:
        return run_stages(files, a.docids, a.repeat)
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("bench/profile.py needs pyinstrument: pip install -e '.[bench]'")

    profiler = Profiler(interval=a.interval)
    t0 = time.perf_counter()
    profiler.start()
    from mtqa.inputs.batch import load_batch
    from mtqa.config import load_settings
    from mtqa.pipeline import run_pipeline
    from mtqa.report import render
    from mtqa.report.output import atomic_write

    settings = load_settings(None)
    settings.line_aligned = not a.docids
    docs = load_batch(str(files["source"]), str(files["mt"]), str(files["ref"]),
                      docids=str(files["docids"]) if a.docids else None, line_aligned=settings.line_aligned)
    report = run_pipeline(docs, settings, inputs={"source": str(files["source"]), "mt": str(files["mt"])})
    atomic_write(str(OUT / "profile-report.json"), render(report, "json"))
    profiler.stop()
    wall = time.perf_counter() - t0

    tree = profiler.output_text(unicode=True, color=False, show_all=False)
    (OUT / "profile.txt").write_text(tree, encoding="utf-8")
    (OUT / "profile.html").write_text(profiler.output_html(), encoding="utf-8")
    acc: dict = {"functions": defaultdict(float), "stages": defaultdict(float)}
    root = profiler.last_session.root_frame()
    self_times(root, acc)
    top = sorted(acc["functions"].items(), key=lambda kv: -kv[1])[: a.top]
    stages = sorted(acc["stages"].items(), key=lambda kv: -kv[1])
    (OUT / "profile-self.json").write_text(json.dumps({"wall_s": wall, "top_self": top, "stages": stages,
                                                       "run": report.get("run")}, indent=2), encoding="utf-8")
    print(tree)
    segs = sum(len(d.get("segments") or []) for d in report.get("documents", []))
    print(f"profiled {system.name}: {segs} segments, {len(docs)} document(s), {wall:.2f} s wall "
          f"(embedded {report.get('run', {}).get('embedded_texts')})")
    print("\nself time by mtqa module that called it (library time charged to the calling stage):")
    for name, s in stages:
        print(f"  {s:8.2f} s  {100 * s / wall:5.1f} %  {name}")
    print(f"\ntop {a.top} functions by self time:")
    for name, s in top:
        print(f"  {s:8.2f} s  {100 * s / wall:5.1f} %  {name}")
    print(f"\nwritten: {OUT / 'profile.txt'}, {OUT / 'profile.html'}, {OUT / 'profile-self.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
