"""Terminal report (rich): summary table, scores with signatures, findings grouped by severity with
the flagged French span coloured in its segment, and the gate result (what failed, by how much)."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mtqa.model import SEVERITIES
from mtqa.report.formats.inert import inert_report, visible
from mtqa.report.types import DocumentReport, FindingDict, Report, SegmentReport
from mtqa.report.views import (
    SEVERITIES_DESC,
    Group,
    counted,
    gate_failures,
    group_findings,
    location_label,
    places_text,
    segment_map,
    tool_line,
    waived,
    waiver_note,
)

SEVERITY_STYLE = {"critical": "bold red", "major": "yellow", "minor": "cyan"}
CONTEXT = 40  # characters of MT shown on each side of a flagged span


class PipeConsole(Console):
    """A console whose closed stdout (``mtqa check | head``) raises BrokenPipeError to the caller,
    which keeps the gate's exit code; rich's own handler would exit 1 whatever the verdict."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


SEVERITY_SHORT = {"critical": "crit", "major": "maj", "minor": "min"}


def summary_table(report: Report) -> Table:
    """One row per document; compact (no vertical rules, short headers) so it fits 80 columns."""
    names = list(report["scores"])
    table = Table(
        title=f"{tool_line(report)} — verdict: {report['verdict'].upper()}",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    table.add_column("document", overflow="fold", min_width=8)
    table.add_column("segs", justify="right", no_wrap=True)
    for n in names:
        table.add_column(n, justify="right", no_wrap=True)
    table.add_column("MQM", justify="right", no_wrap=True)
    for s in SEVERITIES_DESC:
        table.add_column(SEVERITY_SHORT[s], justify="right", style=SEVERITY_STYLE[s], no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    for d in report["documents"]:
        row: list[str | Text] = [Text(d["id"]), str(len(d["segments"]))]
        row += [f"{d['scores'][n]['score']:.2f}" if n in d["scores"] else "–" for n in names]
        row.append(f"{d['mqm']['score']:.1f}")
        row += [str(d["mqm"]["counts"][s]) for s in SEVERITIES_DESC]
        row.append(Text(d["verdict"].upper(), style="green" if d["verdict"] == "pass" else "bold red"))
        table.add_row(*row)
    if len(report["documents"]) > 1:
        total: list[str | Text] = ["ALL", str(report["summary"]["segments"])]
        total += [f"{report['scores'][n]['score']:.2f}" for n in names]
        total.append(f"{report['mqm']['score']:.1f}")
        total += [str(report["summary"]["findings"][s]) for s in SEVERITIES_DESC]
        total.append(Text(report["verdict"].upper(), style="green" if report["verdict"] == "pass" else "bold red"))
        table.add_row(*total, style="bold")
    return table


def scores_table(report: Report) -> Table | None:
    if not report["scores"]:
        return None
    table = Table(title="Corpus scores", show_lines=False)
    table.add_column("score")
    table.add_column("value", justify="right")
    table.add_column("signature", overflow="fold")
    for name, s in report["scores"].items():
        table.add_row(name, f"{s['score']:.2f}", s.get("signature", ""))
    mqm = report.get("mqm")
    if mqm:
        table.add_row("MQM", f"{mqm['score']:.2f}", f"penalty {mqm['penalty_per_1000_words']:.1f} per 1,000 source words")
    return table


def finding_line(f: FindingDict, seg: SegmentReport | None, doc: DocumentReport) -> Text:
    style = SEVERITY_STYLE[f["severity"]]
    line = Text("  ")
    line.append(f"{f['rule']}", style="bold")
    line.append(f" ({f['category']}) ")
    line.append(location_label(doc, seg, f), style="dim")
    line.append("\n    ")
    if seg is not None:
        mt = seg["mt"]
        a, b = f["mt_start"], f["mt_end"]
        pre = visible(mt[max(0, a - CONTEXT):a].replace("\n", " "))
        post = visible(mt[b:b + CONTEXT].replace("\n", " "))
        line.append(("…" if a > CONTEXT else "") + pre)
        if b > a:
            line.append(visible(mt[a:b]), style=style + " underline")
        else:
            line.append("‸", style=style)
        line.append(post + ("…" if b + CONTEXT < len(mt) else ""))
        line.append("\n    ")
    line.append(f["message"])
    if f.get("source_text"):
        line.append(f"  [EN: {f['source_text']}]", style="dim")
    if f.get("suggestion"):
        line.append(f" → {f['suggestion']}", style="green")
    return line


def group_line(g: Group, seg: SegmentReport | None, doc: DocumentReport) -> Text:
    """A finding, or a group of repeats: the first in context, then the count and the places."""
    line = finding_line(g["first"], seg, doc)
    n = len(g["findings"])
    if n > 1:
        line.append(f"\n    ×{n} in this document: {places_text(g['places'])}", style="dim")
    if g["first"].get("waived"):
        line.append(f"\n    {waiver_note(g['first'])}", style="magenta")
    return line


def print_findings(report: Report, console: Console) -> None:
    """Per document and severity, the findings that count, repeats grouped; then the waived ones."""
    for d in report["documents"]:
        segs = segment_map(d)
        active = counted(d["findings"])
        for sev in SEVERITIES_DESC:
            fs = [f for f in active if f["severity"] == sev]
            if not fs:
                continue
            console.print(Text(f"{d['id']}: {len(fs)} {sev}", style=SEVERITY_STYLE[sev] + " bold"))
            for g in group_findings(d, fs):
                console.print(group_line(g, segs.get(g["first"]["segment"]), d))
        accepted = waived(d["findings"])
        if accepted:
            console.print(Text(f"{d['id']}: {len(accepted)} waived (not counted)", style="magenta bold"))
            for g in group_findings(d, accepted):
                console.print(group_line(g, segs.get(g["first"]["segment"]), d))


def print_waivers(report: Report, console: Console) -> None:
    """The waivers file's stale and expired entries (they need a look)."""
    w = report.get("waivers")
    if not w:
        return
    console.print(Text(f"Waivers ({w['file']}): {w['waived_findings']} finding(s) waived by {len(w['applied'])} "
                       f"waiver(s); {len(w['stale'])} stale, {len(w['expired'])} expired."))
    for kind in ("expired", "stale"):
        for e in w[kind][:20]:
            extra = f" on {e['expires']}" if kind == "expired" else " (matched nothing)"
            console.print(Text(f"  {kind}: {w['file']}:{e['line']}: {e['rule']} «{e['mt']}»{extra}", style="dim"))
        if len(w[kind]) > 20:
            console.print(Text(f"  … and {len(w[kind]) - 20} more {kind}", style="dim"))


def print_skipped(report: Report, console: Console) -> None:
    """The units left unchecked for their length (``run.skipped_segments``): data is never dropped unsaid."""
    skipped = (report.get("run") or {}).get("skipped_segments") or []
    if not skipped:
        return
    console.print(Text(f"Not checked: {len(skipped)} segment(s) over the length limit (max_segment_chars):",
                       style="bold yellow"))
    for s in skipped[:20]:
        console.print(Text(f"  {s['document']} {s['side']} line {s['line']}: {s['chars']:,} characters", style="yellow"))
    if len(skipped) > 20:
        console.print(Text(f"  … and {len(skipped) - 20} more (JSON report: run.skipped_segments)", style="yellow"))


def print_gate(report: Report, console: Console) -> None:
    failed = gate_failures(report)
    if failed:
        console.print(Text(f"Gate FAILED ({len(failed)} of {len(report['gate']['criteria'])} criteria):", style="bold red"))
        for c in failed:
            where = f"{c['document']}: " if c.get("document") else ""
            console.print(Text(f"  ✗ {where}{c['message']}", style="red"))
    elif report["gate"]["criteria"]:
        console.print(Text(f"Gate passed ({len(report['gate']['criteria'])} criteria).", style="bold green"))
    else:
        console.print(Text("No gate criteria set.", style="dim"))


def print_report(report: Report, console: Console, findings: bool = True) -> None:
    """The whole terminal report; every string of the report made visible first (see inert)."""
    report = inert_report(report)
    console.print(summary_table(report))
    st = scores_table(report)
    if st is not None:
        console.print(st)
    counts = report["summary"]["findings"]
    console.print("Findings: " + ", ".join(f"{counts[s]} {s}" for s in reversed(SEVERITIES))
                  + (f"; {report['summary']['waived']} waived" if report["summary"].get("waived") else ""))
    if findings:
        print_findings(report, console)
    print_waivers(report, console)
    print_skipped(report, console)
    print_gate(report, console)


def render(report: Report) -> str:
    buf = io.StringIO()
    print_report(report, Console(file=buf, width=120, no_color=True, highlight=False, emoji=False))
    return buf.getvalue()
