"""Loading a waivers file of N entries (issue 16: 100k entries in under 2 s).

    .venv/bin/python bench/waivers_load.py            # 100,000 entries, best of 3
    .venv/bin/python bench/waivers_load.py -n 300000

The file is what `mtqa waive` writes (``mtqa.quality.waivers.waivers_yaml``), every rule id checked
against the rule catalogue, as `mtqa check --waivers` does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mtqa.checks.engine import list_rules
from mtqa.config import Settings
from mtqa.quality.waivers import load_waivers, waivers_yaml

TARGET_S = 2.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    rules = [r["id"] for r in list_rules(Settings())]
    entries = [{"rule": rules[i % len(rules)], "mt": f"l'exemple n° {i}", "source": f"example {i}",
                "doc": f"story-{i % 97}", "reason": "house style", "by": "bench", "date": "2026-12-02",
                "expires": "2030-01-01" if i % 3 else None} for i in range(a.n)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "waivers.yaml"
        path.write_text(waivers_yaml(entries), encoding="utf-8")
        size = path.stat().st_size
        times = []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            ws = load_waivers(str(path), rules)
            times.append(time.perf_counter() - t0)
    best = min(times)
    print(f"waivers load: {a.n:,} entries ({size / 1e6:.1f} MB), {len(ws.index):,} indexed: best {best:.2f} s "
          f"of {', '.join(f'{t:.2f}' for t in times)} (target < {TARGET_S:g} s: {'met' if best < TARGET_S else 'NOT met'})")


if __name__ == "__main__":
    main()
