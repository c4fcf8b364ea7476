"""JUnit XML for CI test views: one test case per document and one per gate criterion.

A document's test case fails when its verdict is "fail" and the failure carries its findings; a
passing document lists its findings in ``system-out``. Built with xml.etree, so text is escaped.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from mtqa.report.formats.inert import visible
from mtqa.report.types import DocumentReport, Report
from mtqa.report.views import SEVERITIES_DESC, location_label, mt_path, segment_map, waiver_note

# characters XML 1.0 cannot carry at all (escaping does not help); visible() has shown the C0
# controls and lone surrogates as <U+XXXX> already, this catches the rest
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(s: object) -> str:
    """Text for an XML attribute or element: control, bidi and surrogate characters shown as
    ``<U+XXXX>`` (CI views render them), then anything XML 1.0 cannot hold as U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", visible(s))


def _finding_lines(doc: DocumentReport) -> list[str]:
    """The findings, worst first; waived ones (they never fail a test case) last, marked."""
    segs = segment_map(doc)
    out = []
    for sev, accepted in [(s, False) for s in SEVERITIES_DESC] + [(s, True) for s in SEVERITIES_DESC]:
        for f in doc["findings"]:
            if f["severity"] != sev or bool(f.get("waived")) != accepted:
                continue
            line = ("[waived] " if accepted else "") + (f"[{sev}] {f['rule']} ({f['category']}) at {location_label(doc, segs.get(f['segment']), f)}, "
                    f"segment {f['segment']}: «{f['mt_text']}» {f['message']}")
            if f.get("source_text"):
                line += f" [EN: {f['source_text']}]"
            if f.get("suggestion"):
                line += f" → {f['suggestion']}"
            if accepted:
                line += f" ({waiver_note(f)})"
            out.append(line)
    return out


def _counts(doc: DocumentReport) -> str:
    c = doc["mqm"]["counts"]
    return ", ".join(f"{c[s]} {s}" for s in SEVERITIES_DESC)


def build(report: Report) -> ET.Element:
    docs = report["documents"]
    criteria = report["gate"]["criteria"]
    doc_fail = sum(d["verdict"] == "fail" for d in docs)
    crit_fail = sum(not c["passed"] for c in criteria)
    root = ET.Element("testsuites", name="mtqa", tests=str(len(docs) + len(criteria)),
                      failures=str(doc_fail + crit_fail), errors="0")

    suite = ET.SubElement(root, "testsuite", name="mtqa.documents", tests=str(len(docs)),
                          failures=str(doc_fail), errors="0", skipped="0")
    for d in docs:
        tc = ET.SubElement(suite, "testcase", classname="mtqa.documents", name=_clean(d["id"]),
                           file=_clean(mt_path(d) or ""))
        lines = _finding_lines(d)
        if d["verdict"] == "fail":
            reasons = [c["message"] for c in criteria if c.get("document") == d["id"] and not c["passed"]]
            msg = "; ".join(reasons) or "quality gate failed"
            fail = ET.SubElement(tc, "failure", message=_clean(f"{msg} ({_counts(d)})"), type="mtqa.gate")
            fail.text = _clean("\n".join(lines) if lines else msg)
        elif lines:
            ET.SubElement(tc, "system-out").text = _clean("\n".join(lines))

    gsuite = ET.SubElement(root, "testsuite", name="mtqa.gate", tests=str(len(criteria)),
                           failures=str(crit_fail), errors="0", skipped="0")
    for c in criteria:
        name = c["name"] + (f" [{c['document']}]" if c.get("document") else "")
        tc = ET.SubElement(gsuite, "testcase", classname="mtqa.gate", name=_clean(name))
        if not c["passed"]:
            fail = ET.SubElement(tc, "failure", message=_clean(c["message"]), type=_clean(c["name"]))
            fail.text = _clean(f"value: {c.get('value')}; threshold: {c.get('threshold')}\n{c['message']}")
        else:
            ET.SubElement(tc, "system-out").text = _clean(c["message"])
    return root


def render(report: Report) -> str:
    root = build(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
