"""The ``mtqa compare`` table (rich), from the result dict alone: one row per system, one column
per score (score, bootstrap mean ± 95% CI, rank, p-value and mark against the baseline), the
signatures, and with ``--by-doc`` the documents most below the baseline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _cell(c: dict, decimals: int) -> str:
    f = f"{{:.{decimals}f}}"
    text = f.format(c["score"])
    if c.get("mean") is not None and c.get("ci") is not None:
        text += f" ({f.format(c['mean'])} ± {f.format(c['ci'])})"
    text += f" #{c['rank']}"
    if c.get("p_value") is not None:
        mark = {"better": " ▲", "worse": " ▼"}.get(c["vs_baseline"], "")
        text += f"\n(p = {c['p_value']:.4f}){'*' if c['significant'] else ''}{mark}"
    return text


def _title(result: dict) -> str:
    t = result["test"]
    bs = t["type"] == "paired-bs"
    return (f"{len(result['systems'])} systems, {result['lines']} lines — "
            f"{'paired bootstrap resampling' if bs else 'approximate randomization'} "
            f"({t['samples']} {'resamples' if bs else 'trials'}, seed {t['seed']})")


def _documents_table(result: dict) -> Any:
    from rich.table import Table

    w = result["documents"]["worse_than_baseline"]
    label = result["metrics"][w["metric"]]["label"]
    dt = Table(title=f"Documents most below the baseline on {label} (top {w['top']} per system, "
                     f"paired test per document)", show_lines=False)
    for col in ("System", "Document", "Lines", "Baseline", "System score", "Δ", "p"):
        dt.add_column(col, justify="right" if col not in ("System", "Document") else "left")
    for s, rows in w["systems"].items():
        for r in rows:
            dt.add_row(s, r["document"], str(r["lines"]), f"{r['baseline']:.1f}", f"{r['system']:.1f}",
                       f"{r['delta']:+.1f}", f"{r['p_value']:.4f}" + ("*" if r["significant"] else ""))
    return dt


def print_table(result: dict, console: Any, decimals: Mapping[str, int] | None = None) -> None:
    """Print ``result`` (``mtqa.compare.run_compare``'s dict); ``decimals``: per score, the
    decimals of its cells (1 when not given)."""
    from rich.table import Table

    decimals = decimals or {}
    table = Table(title=_title(result), show_lines=True)
    table.add_column("System", no_wrap=True)
    metrics = list(result["metrics"])
    for m in metrics:
        info = result["metrics"][m]
        table.add_column(f"{info['label']} (μ ± 95% CI)" + ("" if info["higher_is_better"] else " ↓"), justify="right")
    for i, s in enumerate(result["systems"]):
        name = f"Baseline: {s['name']}" if i == 0 else s["name"]
        table.add_row(name, *[_cell(s["scores"][m], decimals.get(m, 1)) for m in metrics])
    console.print(table)
    console.print(f"* p < {result['test']['alpha']:g}: significantly different from the baseline (▲ better, ▼ worse); "
                  "#n: rank on that score.")
    for m in metrics:
        console.print(f"  {result['metrics'][m]['label']}: {result['metrics'][m]['signature']}", highlight=False)
    docs = result.get("documents")
    if docs and "worse_than_baseline" in docs:
        console.print(_documents_table(result))
    tm = result.get("timing", {})
    if tm:
        console.print(f"[dim]{tm.get('total_s')} s (scores {tm.get('scores_s')} s, tests {tm.get('tests_s')} s)[/dim]")
