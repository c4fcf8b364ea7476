"""Terminal report (rich): summary table, gate result, findings grouped by severity."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mtqa.model import SEVERITIES

SEVERITY_STYLE = {"critical": "bold red", "major": "yellow", "minor": "cyan"}


def summary_table(report: dict) -> Table:
    names = list(report["scores"])
    table = Table(title=f"mtqa {report['tool']['version']} — verdict: {report['verdict'].upper()}")
    table.add_column("document")
    table.add_column("segments", justify="right")
    for n in names:
        table.add_column(n, justify="right")
    table.add_column("MQM", justify="right")
    for s in reversed(SEVERITIES):
        table.add_column(s, justify="right")
    table.add_column("verdict")
    for d in report["documents"]:
        row = [d["id"], str(len(d["segments"]))]
        row += [f"{d['scores'][n]['score']:.2f}" if n in d["scores"] else "–" for n in names]
        row.append(f"{d['mqm']['score']:.1f}")
        row += [str(d["mqm"]["counts"][s]) for s in reversed(SEVERITIES)]
        row.append(Text(d["verdict"].upper(), style="green" if d["verdict"] == "pass" else "bold red"))
        table.add_row(*row)
    if len(report["documents"]) > 1:
        row = ["ALL", str(report["summary"]["segments"])]
        row += [f"{report['scores'][n]['score']:.2f}" for n in names]
        row.append(f"{report['mqm']['score']:.1f}")
        row += [str(report["summary"]["findings"][s]) for s in reversed(SEVERITIES)]
        row.append(Text(report["verdict"].upper(), style="green" if report["verdict"] == "pass" else "bold red"))
        table.add_row(*row, style="bold")
    return table


def print_report(report: dict, console: Console, findings: bool = True) -> None:
    console.print(summary_table(report))
    if findings:
        for d in report["documents"]:
            for sev in reversed(SEVERITIES):
                fs = [f for f in d["findings"] if f["severity"] == sev]
                if not fs:
                    continue
                console.print(Text(f"{d['id']}: {len(fs)} {sev}", style=SEVERITY_STYLE[sev]))
                for f in fs:
                    line = Text(f"  [{f['segment']}] {f['rule']} ({f['category']}) ")
                    if f["mt_text"]:
                        line.append(f["mt_text"], style=SEVERITY_STYLE[sev] + " underline")
                    line.append(f" — {f['message']}")
                    if f.get("suggestion"):
                        line.append(f" → {f['suggestion']}", style="green")
                    console.print(line)
    failed = [c for c in report["gate"]["criteria"] if not c["passed"]]
    if failed:
        console.print(Text("Gate failed:", style="bold red"))
        for c in failed:
            where = f"{c['document']}: " if c.get("document") else ""
            console.print(f"  ✗ {where}{c['message']}")
    elif report["gate"]["criteria"]:
        console.print(Text("Gate passed.", style="green"))


def render(report: dict) -> str:
    buf = io.StringIO()
    print_report(report, Console(file=buf, width=120, no_color=True, highlight=False))
    return buf.getvalue()
