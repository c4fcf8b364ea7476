"""Markdown report (GitHub-flavoured): verdict, scores with signatures, per-document table, gate
criteria, findings grouped by severity with the flagged span in its sentence."""

from __future__ import annotations

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


def _in_context(seg: dict | None, f: dict, width: int = 50) -> str:
    if seg is None:
        return code(f["mt_text"])
    mt = seg["mt"]
    a, b = f["mt_start"], f["mt_end"]
    pre = ("…" if a > width else "") + mt[max(0, a - width):a]
    post = mt[b:b + width] + ("…" if b + width < len(mt) else "")
    mid = f"**{cell(mt[a:b])}**" if b > a else "‸"
    return f"{cell(pre)}{mid}{cell(post)}"


def render(report: dict) -> str:
    out: list[str] = []
    verdict = report["verdict"].upper()
    out.append(f"# mtqa report — {'✅' if verdict == 'PASS' else '❌'} {verdict}\n")
    s = report["summary"]
    f = s["findings"]
    out.append(f"{s['documents']} document(s), {s['segments']} segment(s); findings: "
               f"{f['critical']} critical, {f['major']} major, {f['minor']} minor. "
               f"mtqa {report['tool']['version']}.\n")

    if report["scores"] or report.get("mqm"):
        out.append("## Scores\n")
        out.append("| score | value | signature |")
        out.append("|---|---:|---|")
        for name, sc in report["scores"].items():
            out.append(f"| {cell(name)} | {sc['score']:.2f} | {code(sc.get('signature', ''))} |")
        if report.get("mqm"):
            m = report["mqm"]
            out.append(f"| MQM | {m['score']:.2f} | penalty {m['penalty_per_1000_words']:.1f} per 1,000 source words |")
        out.append("")

    names = list(report["scores"])
    out.append("## Documents\n")
    out.append("| document | verdict | segments | " + " | ".join(cell(n) for n in names) + (" | " if names else "")
               + "MQM | critical | major | minor |")
    out.append("|---|---|---:|" + "---:|" * len(names) + "---:|---:|---:|---:|")
    for d in report["documents"]:
        vals = [f"{d['scores'][n]['score']:.2f}" if n in d["scores"] else "–" for n in names]
        c = d["mqm"]["counts"]
        out.append(f"| {cell(d['id'])} | {'✅ pass' if d['verdict'] == 'pass' else '❌ fail'} | {len(d['segments'])} | "
                   + "".join(v + " | " for v in vals)
                   + f"{d['mqm']['score']:.1f} | {c['critical']} | {c['major']} | {c['minor']} |")
    out.append("")

    crit = report["gate"]["criteria"]
    out.append("## Quality gate\n")
    if not crit:
        out.append("No gate criteria were set.\n")
    else:
        failed = gate_failures(report)
        out.append(f"**{'Failed' if failed else 'Passed'}**: {len(crit) - len(failed)} of {len(crit)} criteria met.\n")
        out.append("| | criterion | document | value | threshold | detail |")
        out.append("|---|---|---|---:|---:|---|")
        for c in sorted(crit, key=lambda c: c["passed"]):
            out.append(f"| {'✅' if c['passed'] else '❌'} | {cell(c['name'])} | {cell(c.get('document') or 'all')} | "
                       f"{cell(c.get('value'))} | {cell(c.get('threshold'))} | {cell(c['message'])} |")
        out.append("")

    out.append("## Findings\n")
    if not any(d["findings"] for d in report["documents"]):
        out.append("No findings.\n")
    for d in report["documents"]:
        if not d["findings"]:
            continue
        segs = segment_map(d)
        out.append(f"### {cell(d['id'])}\n")
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
    return "\n".join(out).rstrip("\n") + "\n"
