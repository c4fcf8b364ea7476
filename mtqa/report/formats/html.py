"""Self-contained HTML report: side-by-side source / MT / reference per segment with the flagged
French spans highlighted (messages on hover and inline), scores with signatures, the gate, a
per-segment chart (inline SVG) of each 0–100 score present (``CHART_SCORES``: adequacy and the
learned rankers), severity/category filters, repeated findings grouped, and triage: accept (false
alarm) or confirm each finding, then download the accepted ones as a waivers file
(``templates/report.js``, inline).

No network resource of any kind: a Content-Security-Policy forbids loading anything, and allows
the one inline script and the one style block by their SHA-256 hashes (computed here at render
time; no 'unsafe-inline' and no style attributes). Rendered with jinja2 and autoescaping, so report
text can never become markup; every shown string passes through ``inert.visible`` (control and
bidi characters as ``<U+XXXX>``), while the data attributes the triage script reads keep the
original text (``| raw``) so that downloaded waivers match the findings.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from functools import lru_cache
from importlib.resources import files
from itertools import count
from typing import Any

from mtqa.model import SEVERITIES
from mtqa.report.formats.inert import no_surrogates, visible
from mtqa.report.types import DocumentReport, FindingDict, Report, SegmentReport
from mtqa.report.views import (
    SEVERITIES_DESC,
    counted,
    gate_failures,
    group_findings,
    location_label,
    mt_pieces,
    tool_line,
    waived,
    worst,
)

# the first line of a waivers file (``mtqa.quality.waivers.HEADER``; renderers import no stage)
WAIVERS_HEADER = "# mtqa waivers: accepted findings (rule + French span + source span [+ document]); see README"

CHART_HEIGHT = 120
CHART_MAX_WIDTH = 1100
CHART_SCORES = ("adequacy", "rank-ref", "rank-qe")  # 0–100 segment scores drawn as bar charts


class Raw(str):
    """Text kept as written (still HTML-escaped): for the data attributes the script reads."""


def raw(value: object) -> Raw:
    return Raw(no_surrogates("" if value is None else str(value)))


def _shown(value: Any) -> Any:
    """jinja's finalize: every ``{{ … }}`` string made visible, unless marked ``| raw`` or ``| safe``."""
    import markupsafe

    if isinstance(value, str) and not isinstance(value, Raw | markupsafe.Markup):
        return visible(value)
    return value


@lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mtqa.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
    )
    env.filters["raw"] = raw
    return env


def _adequacy_scale(report: Report) -> float:
    """Segment adequacy may be 0–1 or 0–100 depending on the scorer; draw it on 0–100."""
    vals = [s["scores"]["adequacy"] for d in report["documents"] for s in d["segments"] if "adequacy" in s["scores"]]
    return 100.0 if vals and max(vals) <= 1.0 else 1.0


def _chart(doc: DocumentReport, di: int, scale: float, threshold: float | None,
           name: str = "adequacy") -> dict[str, Any] | None:
    """The bars of score ``name`` per segment (``scale`` maps it to 0–100), or None if it is absent."""
    segs = doc["segments"]
    if not any(name in s["scores"] for s in segs):
        return None
    n = len(segs)
    bar = max(2.0, min(16.0, CHART_MAX_WIDTH / max(n, 1)))
    bars = []
    for j, s in enumerate(segs):
        v = s["scores"].get(name)
        v100 = None if v is None else max(0.0, min(100.0, v * scale))
        h = 0.0 if v100 is None else CHART_HEIGHT * v100 / 100.0
        sev = worst([f for f in doc["findings"] if f["segment"] == s["index"]])
        bars.append({"x": round(j * bar, 2), "y": round(CHART_HEIGHT - h, 2), "w": round(max(bar - 1, 1), 2),
                     "h": round(h, 2), "value": v100, "sev": sev or "none", "anchor": f"d{di}-s{s['index']}",
                     "index": s["index"]})
    t = None if threshold is None else round(CHART_HEIGHT - CHART_HEIGHT * max(0.0, min(100.0, threshold)) / 100.0, 2)
    return {"name": name, "bars": bars, "width": round(n * bar, 2), "height": CHART_HEIGHT, "threshold_y": t,
            "threshold": threshold}


def _charts(report: Report, doc: DocumentReport, di: int, scale: float) -> list[dict[str, Any]]:
    """One chart per score of ``CHART_SCORES`` the document has, with its gate threshold."""
    out = []
    for name in CHART_SCORES:
        threshold = next((c["threshold"] for c in report["gate"]["criteria"] if c["name"] == f"min_{name}"), None)
        chart = _chart(doc, di, scale if name == "adequacy" else 1.0, threshold, name)
        if chart is not None:
            out.append(chart)
    return out


def _pieces(mt: str, fs: list[FindingDict], ids_of: dict[int, str]) -> list[dict[str, Any]]:
    """The segment's MT cut at the findings' bounds, each piece with its tooltip and finding ids."""
    pieces = []
    for p in mt_pieces(mt, fs):
        tip = "\n".join(
            f"{f['severity']} · {f['rule']} ({f['category']}): {f['message']}"
            + (f" → {f['suggestion']}" if f.get("suggestion") else "")
            for f in p["findings"])
        pieces.append({"text": p["text"], "sev": p["severity"], "tip": tip,
                       "fids": " ".join(ids_of[id(f)] for f in p["findings"])})
    return pieces


def _row(d: DocumentReport, di: int, s: SegmentReport, fs: list[FindingDict], scale: float,
         ids: Iterator[int], categories: set[str]) -> dict[str, Any]:
    """One segment of the side-by-side table; ``ids`` numbers the findings across the report."""
    items: list[dict[str, Any]] = []
    for f in fs:
        top = f["category"].split("/")[0]
        categories.add(top)
        items.append({"id": f"f{next(ids)}", "f": f, "top": top, "where": location_label(d, s, f)})
    ids_of = {id(it["f"]): it["id"] for it in items}
    adequacy = s["scores"].get("adequacy")
    ranks = {n: s["scores"].get(n) for n in CHART_SCORES[1:]}
    return {"ranks": ranks, "seg": s, "anchor": f"d{di}-s{s['index']}", "pieces": _pieces(s["mt"], fs, ids_of), "flist": items,
            "sev": worst(fs), "adequacy": None if adequacy is None else adequacy * scale,
            "where": location_label(d, s)}


def _groups(d: DocumentReport, di: int, fs: list[FindingDict]) -> list[dict[str, Any]]:
    """Repeated findings of a document, each once with its count and links to its places."""
    return [{"f": g["first"], "n": len(g["findings"]), "top": g["first"]["category"].split("/")[0],
             "places": [{"label": p, "anchor": f"d{di}-s{f['segment']}"} for p, f in zip(g["places"], g["findings"])]}
            for g in group_findings(d, fs)]


def view(report: Report) -> dict[str, Any]:
    scale = _adequacy_scale(report)
    categories: set[str] = set()
    docs = []
    ids = count(1)
    for di, d in enumerate(report["documents"]):
        by_seg: dict[int, list[FindingDict]] = {}
        for f in d["findings"]:
            by_seg.setdefault(f["segment"], []).append(f)
        rows = [_row(d, di, s, sorted(by_seg.get(s["index"], []), key=lambda f: (f["mt_start"], f["rule"])),
                     scale, ids, categories) for s in d["segments"]]
        failed = [c for c in report["gate"]["criteria"] if c.get("document") == d["id"] and not c["passed"]]
        docs.append({"d": d, "anchor": f"d{di}", "rows": rows, "charts": _charts(report, d, di, scale),
                     "rank_columns": [n for n in CHART_SCORES[1:] if any(n in s["scores"] for s in d["segments"])],
                     "failed": failed, "has_ref": any(s["ref"] is not None for s in d["segments"]),
                     "groups": _groups(d, di, counted(d["findings"])),
                     "waived_groups": _groups(d, di, waived(d["findings"]))})
    return {
        "r": report,
        "docs": docs,
        "severities": SEVERITIES_DESC,
        "categories": sorted(categories),
        "failed": gate_failures(report),
        "corpus_criteria": [c for c in report["gate"]["criteria"] if not c.get("document")],
        "doc_failed_criteria": [c for c in report["gate"]["criteria"] if c.get("document") and not c["passed"]],
        "counts": report["summary"]["findings"],
        "waivers": report.get("waivers"),
        "skipped": (report.get("run") or {}).get("skipped_segments") or [],
        "total_findings": sum(report["summary"]["findings"][s] for s in SEVERITIES),
        "score_names": list(report["scores"]),
    }


@lru_cache(maxsize=2)
def _inline(name: str) -> tuple[str, str]:
    """A template file inlined in the page and its CSP source expression (``'sha256-…'`` of its
    exact text)."""
    text = files("mtqa.report").joinpath(f"templates/{name}").read_text(encoding="utf-8")
    if "</" in text:  # would end the <script> or <style> element early
        raise ValueError(f"{name} must not contain '</'")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


def script() -> tuple[str, str]:
    """The inline script and its CSP source expression."""
    return _inline("report.js")


def style() -> tuple[str, str]:
    """The inline style sheet and its CSP source expression."""
    return _inline("report.css")


def report_key(report: Report) -> str:
    """What the triage state in localStorage is keyed by: the documents, segments and findings."""
    body = json.dumps([[d["id"], [s["mt"] for s in d["segments"]],
                        [(f["rule"], f["segment"], f["mt_start"], f["mt_end"]) for f in d["findings"]]]
                       for d in report["documents"]], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def render(report: Report) -> str:
    text, source = script()
    css, css_source = style()
    return _env().get_template("report.html.j2").render(
        **view(report), script=text, script_hash=source, style=css, style_hash=css_source,
        report_key=report_key(report),
        waivers_header=WAIVERS_HEADER, tool_line=tool_line(report))
