"""Markdown report (GitHub-flavoured): verdict, scores with signatures, per-document table, gate
criteria, findings grouped by severity with the flagged span in its sentence."""

from __future__ import annotations

from mtqa.report.types import DocumentReport, FindingDict, Report, SegmentReport
from mtqa.report.views import SEVERITIES_DESC, gate_failures, location_label, segment_map

ICON = {"critical": "🔴", "major": "🟠", "minor": "🔵"}


def cell(text: object) -> str:
    """Text safe inside a GFM table cell: no pipe, no newline, no raw HTML."""
    s = "" if text is None else str(text)
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "*_`[]":
        s = s.replace(ch, "\\" + ch)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code(text: str) -> str:
    """An inline code span that survives backticks in the text (CommonMark rule: a longer fence)."""
    t = text.replace("\n", " ").replace("|", "\\|")
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
            f"mtqa {report['tool']['version']}.\n"]


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


def _document_findings(d: DocumentReport) -> list[str]:
    segs = segment_map(d)
    out = [f"### {cell(d['id'])}\n"]
    for sev in SEVERITIES_DESC:
        fs = [x for x in d["findings"] if x["severity"] == sev]
        if not fs:
            continue
        out.append(f"#### {ICON[sev]} {sev} ({len(fs)})\n")
        out.append("| seg | where | rule | category | MT | source | message | suggestion |")
        out.append("|---:|---|---|---|---|---|---|---|")
        for x in fs:
            seg = segs.get(x["segment"])
            out.append(f"| {x['segment']} | {cell(location_label(d, seg, x))} | {code(x['rule'])} | {cell(x['category'])} | "
                       f"{_in_context(seg, x)} | {cell(x.get('source_text'))} | {cell(x['message'])} | "
                       f"{cell(x.get('suggestion') or '')} |")
        out.append("")
    return out


def _findings(report: Report) -> list[str]:
    out = ["## Findings\n"]
    if not any(d["findings"] for d in report["documents"]):
        out.append("No findings.\n")
    for d in report["documents"]:
        if d["findings"]:
            out += _document_findings(d)
    return out


def render(report: Report) -> str:
    out = _header(report) + _scores(report) + _documents(report) + _gate(report) + _findings(report)
    return "\n".join(out).rstrip("\n") + "\n"
