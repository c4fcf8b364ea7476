"""Shared by bench/learned_train.py and bench/learned_eval.py: the WMT12 dev half as features.

For every judged (even) line of ``wmt12-enfr-rankings-dev`` and every one of its 15 systems, the
features of ``mtqa.scores.rank_features`` computed exactly as ``mtqa check --line-aligned`` computes
them (one line-aligned document per system: align, the usual scores, the checks, then the
features), plus the baseline scores (sentence chrF, sentence BLEU, adequacy, adequacy-ref).
Cached in bench/out/learned_features.npz (delete it after changing a feature).
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.scores.rank_features import FEATURES  # noqa: E402

WMT12 = ROOT.parent / "shared" / "data" / "wmt12-enfr-rankings-dev"
NEWSTEST14 = ROOT.parent / "shared" / "data" / "newstest2014-enfr"
OUT = ROOT / "bench" / "out"
CACHE = OUT / "learned_features.npz"
BASELINES = ("chrf", "bleu", "adequacy", "adequacy-ref")
csv.field_size_limit(1 << 24)


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:3003]


def read_pairs(data: Path = WMT12) -> list[tuple[int, str, str]]:
    """(1-based line, better system, worse system) of every human pair."""
    with open(data / "pairwise.tsv", encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(int(r["line"]), r["better_system"], r["worse_system"]) for r in rows]


def system_names(data: Path = WMT12) -> list[str]:
    return sorted(p.name[:-3] for p in (data / "systems").glob("*.fr"))


def _one_system(name: str, lines: list[int], src: list[str], ref: list[str], data: Path) -> tuple[np.ndarray, dict]:
    from mtqa.checks.engine import run_checks
    from mtqa.config import Settings
    from mtqa.embed import get_embedder
    from mtqa.scores import charlm
    from mtqa.scores.base import ScoreContext
    from mtqa.scores.learned import DATA, line_documents
    from mtqa.scores.rank_features import Batch, matrix
    from mtqa.scores.run import score_documents

    mt = read_lines(data / "systems" / f"{name}.fr")
    settings = Settings(metrics=[*BASELINES, "ter"])
    emb = get_embedder(settings.embedder)
    stats: dict = {}
    ctx = ScoreContext(settings, emb, stats)
    adocs = line_documents([src[i - 1] for i in lines], [mt[i - 1] for i in lines], [ref[i - 1] for i in lines], ctx)
    _, doc_scores = score_documents(adocs, settings, emb, stats_cache=stats)
    findings = {a.id: run_checks(a, settings, emb, doc_scores.get(a.id, {})) for a in adocs}
    batch = Batch(adocs, ctx, findings, charlm.load(DATA / "charlm_fr.npz"))
    x = matrix(batch, list(FEATURES))
    base = {b: np.array([s.scores.get(b, np.nan) for s in batch.segments]) for b in BASELINES}
    return x, base


def compute(data: Path = WMT12) -> dict:
    pairs = read_pairs(data)
    lines = sorted({line for line, _, _ in pairs})
    src, ref = read_lines(data / "source.en"), read_lines(data / "ref.fr")
    systems = system_names(data)
    xs, bases = [], {b: [] for b in BASELINES}
    for k, name in enumerate(systems):
        t = time.perf_counter()
        x, base = _one_system(name, lines, src, ref, data)
        xs.append(x)
        for b in BASELINES:
            bases[b].append(base[b])
        print(f"features: {name} ({k + 1}/{len(systems)}) {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return {"lines": np.array(lines), "systems": np.array(systems), "features": np.array(list(FEATURES)),
            "x": np.stack(xs), **{f"base_{b}": np.stack(v) for b, v in bases.items()}}


def load(refresh: bool = False) -> dict:
    """The feature table: x[system, line, feature], base_<score>[system, line], lines, systems."""
    if CACHE.exists() and not refresh:
        with np.load(CACHE, allow_pickle=False) as z:
            d = {k: z[k] for k in z.files}
        if list(d["features"]) == list(FEATURES):
            return d
    d = compute()
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(CACHE, **d)
    return d


def pair_index(d: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per human pair: (line index, better system index, worse system index)."""
    line_ix = {int(v): i for i, v in enumerate(d["lines"])}
    sys_ix = {str(v): i for i, v in enumerate(d["systems"])}
    rows = [(line_ix[line], sys_ix[b], sys_ix[w]) for line, b, w in read_pairs()]
    a = np.array(rows)
    return a[:, 0], a[:, 1], a[:, 2]
