"""Markdown report (GitHub-flavoured): verdict, scores with signatures, per-document table, gate
criteria, findings grouped by severity with the flagged span in its sentence."""

from __future__ import annotations

from mtqa.report.formats.inert import visible
from mtqa.report.types import DocumentReport, FindingDict, Report, SegmentReport
from mtqa.report.views import (
    SEVERITIES_DESC,
    Group,
    counted,
    gate_failures,
    group_findings,
    places_text,
    segment_map,
    tool_line,
    waived,
    waiver_note,
)

ICON = {"critical": "🔴", "major": "🟠", "minor": "🔵"}


def cell(text: object) -> str:
    """Text safe inside a GFM table cell: no pipe, no newline, no raw HTML."""
    s = visible(text)
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "*_`[]":
        s = s.replace(ch, "\\" + ch)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code(text: str) -> str:
    """An inline code span that survives backticks in the text (CommonMark rule: a longer fence)."""
    t = visible(text).replace("\n", " ").replace("|", "\\|")
    if not t:
        return "∅"
    fence = "`"
    while fence in t:
        fence += "`"
    pad = " " if t.startswith("`") or t.endswith("`") else ""
    return f"{fence}{pad}{t}{pad}{fence}"


def _in_context(seg: SegmentReport | None, f: FindingDict, width: int = 50) -> str:
    if seg is None:
        return code(f["mt_text"])
    mt = seg["mt"]
    a, b = f["mt_start"], f["mt_end"]
    pre = ("…" if a > width else "") + mt[max(0, a - width):a]
    post = mt[b:b + width] + ("…" if b + width < len(mt) else "")
    mid = f"**{cell(mt[a:b])}**" if b > a else "‸"
    return f"{cell(pre)}{mid}{cell(post)}"


def _header(report: Report) -> list[str]:
    verdict = report["verdict"].upper()
    s = report["summary"]
    f = s["findings"]
    return [f"# mtqa report — {'✅' if verdict == 'PASS' else '❌'} {verdict}\n",
            f"{s['documents']} document(s), {s['segments']} segment(s); findings: "
            f"{f['critical']} critical, {f['major']} major, {f['minor']} minor. "
            f"{tool_line(report)}.\n"]


def _scores(report: Report) -> list[str]:
    if not (report["scores"] or report.get("mqm")):
        return []
    out = ["## Scores\n", "| score | value | signature |", "|---|---:|---|"]
    for name, sc in report["scores"].items():
        out.append(f"| {cell(name)} | {sc['score']:.2f} | {code(sc.get('signature', ''))} |")
    m = report.get("mqm")
    if m:
        out.append(f"| MQM | {m['score']:.2f} | penalty {m['penalty_per_1000_words']:.1f} per 1,000 source words |")
    out.append("")
    return out


def _documents(report: Report) -> list[str]:
    names = list(report["scores"])
    out = ["## Documents\n",
           "| document | verdict | segments | " + " | ".join(cell(n) for n in names) + (" | " if names else "")
           + "MQM | critical | major | minor |",
           "|---|---|---:|" + "---:|" * len(names) + "---:|---:|---:|---:|"]
    for d in report["documents"]:
        vals = [f"{d['scores'][n]['score']:.2f}" if n in d["scores"] else "–" for n in names]
        c = d["mqm"]["counts"]
        out.append(f"| {cell(d['id'])} | {'✅ pass' if d['verdict'] == 'pass' else '❌ fail'} | {len(d['segments'])} | "
                   + "".join(v + " | " for v in vals)
                   + f"{d['mqm']['score']:.1f} | {c['critical']} | {c['major']} | {c['minor']} |")
    out.append("")
    return out


def _gate(report: Report) -> list[str]:
    crit = report["gate"]["criteria"]
    out = ["## Quality gate\n"]
    if not crit:
        return [*out, "No gate criteria were set.\n"]
    failed = gate_failures(report)
    out.append(f"**{'Failed' if failed else 'Passed'}**: {len(crit) - len(failed)} of {len(crit)} criteria met.\n")
    out.append("| | criterion | document | value | threshold | detail |")
    out.append("|---|---|---|---:|---:|---|")
    for c in sorted(crit, key=lambda c: c["passed"]):
        out.append(f"| {'✅' if c['passed'] else '❌'} | {cell(c['name'])} | {cell(c.get('document') or 'all')} | "
                   f"{cell(c.get('value'))} | {cell(c.get('threshold'))} | {cell(c['message'])} |")
    out.append("")
    return out


TABLE_HEAD = ["| seg | where | rule | category | MT | source | message | suggestion |",
              "|---:|---|---|---|---|---|---|---|"]


def _group_row(d: DocumentReport, g: Group, segs: dict[int, SegmentReport], note: bool = False) -> str:
    """One finding, or one row for its repeats: the count and the places (``×3: a, b, c``)."""
    x = g["first"]
    msg = cell(x["message"]) + (f" — *{cell(waiver_note(x))}*" if note else "")
    n = len(g["findings"])
    where = (f"×{n}: " if n > 1 else "") + places_text(g["places"])
    return (f"| {x['segment']} | {cell(where)} | {code(x['rule'])} | "
            f"{cell(x['category'])} | {_in_context(segs.get(x['segment']), x)} | {cell(x.get('source_text'))} | "
            f"{msg} | {cell(x.get('suggestion') or '')} |")


def _document_findings(d: DocumentReport) -> list[str]:
    segs = segment_map(d)
    out = [f"### {cell(d['id'])}\n"]
    active = counted(d["findings"])
    for sev in SEVERITIES_DESC:
        fs = [x for x in active if x["severity"] == sev]
        if not fs:
            continue
        out.append(f"#### {ICON[sev]} {sev} ({len(fs)})\n")
        out += TABLE_HEAD + [_group_row(d, g, segs) for g in group_findings(d, fs)] + [""]
    accepted = waived(d["findings"])
    if accepted:
        out.append(f"#### ⚪ waived ({len(accepted)}, not counted)\n")
        out += TABLE_HEAD + [_group_row(d, g, segs, note=True) for g in group_findings(d, accepted)] + [""]
    return out


def _waivers(report: Report) -> list[str]:
    w = report.get("waivers")
    if not w:
        return []
    out = ["## Waivers\n", f"{code(w['file'])}: {w['waived_findings']} finding(s) waived by {len(w['applied'])} "
           f"waiver(s); {len(w['stale'])} stale (matched nothing), {len(w['expired'])} expired.\n"]
    rows = [(k, e) for k in ("expired", "stale") for e in w[k]]
    if rows:
        out += ["| | line | rule | MT | document | reason |", "|---|---:|---|---|---|---|"]
        out += [f"| {k} | {e['line']} | {code(e['rule'])} | {code(e['mt'])} | {cell(e['doc'] or 'any')} | {cell(e['reason'])} |"
                for k, e in rows[:200]]
        out.append("")
    return out


def _skipped(report: Report) -> list[str]:
    """The units left unchecked for their length: data is never dropped unsaid."""
    skipped = (report.get("run") or {}).get("skipped_segments") or []
    if not skipped:
        return []
    out = ["## Not checked\n", f"{len(skipped)} segment(s) over the length limit (`max_segment_chars`) were left out "
           "of the checks.\n", "| document | side | line | characters |", "|---|---|---:|---:|"]
    out += [f"| {cell(s['document'])} | {s['side']} | {s['line']} | {s['chars']:,} |" for s in skipped[:200]]
    if len(skipped) > 200:
        out.append(f"\n… and {len(skipped) - 200} more (JSON report: `run.skipped_segments`).")
    return [*out, ""]


def _findings(report: Report) -> list[str]:
    out = ["## Findings\n"]
    if not any(d["findings"] for d in report["documents"]):  # waived ones are listed too
        out.append("No findings.\n")
    for d in report["documents"]:
        if d["findings"]:
            out += _document_findings(d)
    return out


def render(report: Report) -> str:
    out = _header(report) + _scores(report) + _documents(report) + _gate(report) + _waivers(report) + _skipped(report) + _findings(report)
    return "\n".join(out).rstrip("\n") + "\n"
