"""Every report format, rendered from one known JSON report and from a real run on the seed pack.

The tests read the output back (xml.etree, csv, json, html.parser) and check its content."""

import csv
import io
import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from mtqa.report import render
from mtqa.report.schema import validate
from report_sample import MT_PATH, REPORTS, sample_report


@pytest.fixture
def report():
    r = sample_report()
    validate(r)
    return r


def test_text_groups_by_severity_and_says_why_the_gate_failed(report):
    out = render(report, "text")
    assert out.index("harbour: 1 critical") < out.index("harbour: 1 major") < out.index("harbour: 2 minor")
    assert "markup.tags (design/markup)" in out and "harbour.fr.txt:3:72" in out
    assert "→ grève" in out and "[EN: strike]" in out
    assert "Gate FAILED (1 of 3 criteria)" in out
    assert "✗ harbour: 1 critical finding(s), at most 0 allowed (1 over)" in out
    assert "nrefs:1|case:mixed" in out  # signatures are shown


def test_text_colours_the_flagged_span():
    from rich.console import Console

    from mtqa.report.formats.text import print_report

    buf = io.StringIO()
    print_report(sample_report(), Console(file=buf, force_terminal=True, width=150, color_system="standard"))
    ansi = buf.getvalue()
    # "frappe" is printed underlined in the major colour (yellow, SGR 33) inside its sentence
    assert re.search(r"\x1b\[[0-9;]*4;33mfrappe\x1b\[0m lundi", ansi), ansi


def _table_rows(md: str, header_start: str) -> list[list[str]]:
    lines = md.split("\n")
    i = next(k for k, l in enumerate(lines) if l.startswith(header_start))
    rows = []
    for line in lines[i:]:
        if not line.startswith("|"):
            break
        cells = re.split(r"(?<!\\)\|", line)[1:-1]
        rows.append([c.strip() for c in cells])
    return rows


def test_markdown_tables_are_well_formed_and_escaped(report):
    md = render(report, "md")
    assert md.startswith("# mtqa report — ❌ FAIL")
    scores = _table_rows(md, "| score |")
    assert all(len(r) == 3 for r in scores)
    assert scores[2][0] == "bleu" and scores[2][1] == "61.20" and "nrefs:1\\|case:mixed" in scores[2][2]
    findings = _table_rows(md, "| seg | where |")
    assert all(len(r) == 8 for r in findings)
    crit = findings[2]
    assert crit[0] == "2" and crit[2] == "`markup.tags`"
    assert "**&lt;b&gt;non&lt;/b&gt;**" in crit[4]  # the span, bold and escaped, in its sentence
    assert "<b>" not in md  # no raw HTML from the translation reaches the Markdown
    gate = _table_rows(md, "| | criterion |")
    assert gate[2][0] == "❌" and gate[2][1] == "max\\_critical" and "(1 over)" in gate[2][5]
    assert md.index("#### 🔴 critical (1)") < md.index("#### 🟠 major (1)") < md.index("#### 🔵 minor (2)")


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.marks, self.stack, self.urls, self.tags, self.rects, self.meta = [], [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        for k in ("src", "href", "action", "data", "poster"):
            if k in a:
                self.urls.append(a[k])
        if tag == "meta":
            self.meta.append(a)
        if tag == "rect" and "bar" in a.get("class", ""):
            self.rects.append(a)
        if tag == "mark":
            self.stack.append([a, ""])

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][1] += data

    def handle_endtag(self, tag):
        if tag == "mark" and self.stack:
            self.marks.append(self.stack.pop())


def test_html_highlights_spans_escapes_and_loads_nothing(report):
    html = render(report, "html")
    p = _Collect()
    p.feed(html)
    # every highlighted span is exactly the flagged French text, with its severity
    got = [(a["class"].split()[0], text) for a, text in p.marks]
    assert got == [("sev-major", "frappe"), ("sev-minor", "‸"), ("sev-critical", "<b>non</b>"), ("sev-minor", "patrons")]
    assert "inline tags <b> & </b> copied" in p.marks[2][0]["title"]  # message on hover
    assert "<b>non</b>" not in html and "&lt;b&gt;non&lt;/b&gt;" in html  # escaped, never markup
    # self-contained: only in-page anchors, a CSP that forbids any load, no external script/style
    assert all(u.startswith("#") for u in p.urls), p.urls
    csp = next(m["content"] for m in p.meta if m.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    assert "link" not in p.tags and "iframe" not in p.tags
    # adequacy chart: one bar per segment, height proportional to the score
    heights = [float(r["height"]) for r in p.rects]
    assert heights[:3] == [pytest.approx(120 * 0.715), pytest.approx(120 * 0.96), pytest.approx(120 * 0.8825)]
    assert [r["class"] for r in p.rects[:3]] == ["bar sev-major", "bar sev-minor", "bar sev-critical"]
    # filters for every severity and every top-level category present
    for v in ("critical", "major", "minor", "accuracy", "design", "style"):
        assert f'value="{v}" checked' in html
    # side by side: source, MT and reference columns
    assert "<th>Source (EN)</th><th>MT (FR)</th><th>Reference (FR)</th>" in html
    assert "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0" in html


def test_junit_structure_and_failures_carry_findings(report):
    root = ET.fromstring(render(report, "junit"))
    assert root.tag == "testsuites" and root.get("tests") == "5" and root.get("failures") == "2"
    docs, gate = root.findall("testsuite")
    assert docs.get("name") == "mtqa.documents" and len(docs.findall("testcase")) == 2
    assert int(docs.get("failures")) == len(docs.findall("testcase/failure")) == 1
    harbour = docs.find("testcase[@name='harbour']")
    failure = harbour.find("failure")
    assert "1 critical finding(s), at most 0 allowed" in failure.get("message")
    lines = failure.text.split("\n")
    assert len(lines) == 4 and lines[0].startswith("[critical] markup.tags")
    assert "«<b>non</b>»" in lines[0] and "harbour.fr.txt:3:72" in lines[0]
    assert docs.find("testcase[@name='council']/failure") is None
    names = [tc.get("name") for tc in gate.findall("testcase")]
    assert names == ["min_bleu", "max_critical [harbour]", "max_critical [council]"]
    assert int(gate.get("failures")) == len(gate.findall("testcase/failure")) == 1
    assert gate.find("testcase[@name='max_critical [harbour]']/failure").get("message").endswith("(1 over)")


@pytest.fixture
def sarif_schema():
    return json.loads((REPORTS / "sarif-2.1.0-subset.schema.json").read_text(encoding="utf-8"))


def test_sarif_validates_and_points_at_the_flagged_text(report, sarif_schema):
    sarif = json.loads(render(report, "sarif"))
    jsonschema.validate(sarif, sarif_schema)
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    findings = report["documents"][0]["findings"]
    assert len(results) == len(findings) + 1  # + the failed gate criterion
    mt_lines = MT_PATH.read_text(encoding="utf-8").split("\n")
    for res, f in zip(results, findings):
        assert res["ruleId"] == f["rule"]
        assert res["level"] == {"critical": "error", "major": "error", "minor": "warning"}[f["severity"]]
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == f["rule"]
        region = res["locations"][0]["physicalLocation"]["region"]
        line = mt_lines[region["startLine"] - 1]
        assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == f["mt_text"]
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("harbour.fr.txt")
    # rule metadata comes from the report's catalogue (a sub-rule inherits its check's doc)
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "lexicon.false-friend")
    assert rule["shortDescription"]["text"] == "Words that look English but mean something else in French."
    assert rule["properties"]["category"] == "accuracy/mistranslation"
    gate = results[-1]
    assert gate["ruleId"] == "mtqa.gate/max_critical" and gate["level"] == "error" and "(1 over)" in gate["message"]["text"]


def test_sarif_for_xliff_points_at_the_unit_line():
    r = sample_report()
    doc = r["documents"][1]
    doc["findings"] = [{"rule": "x.y", "category": "accuracy/addition", "severity": "minor", "segment": 0,
                        "mt_text": "réuni", "mt_start": 17, "mt_end": 22, "source_text": "", "source_start": None,
                        "source_end": None, "message": "m", "suggestion": None}]
    res = [x for x in json.loads(render(r, "sarif"))["runs"][0]["results"] if x["ruleId"] == "x.y"][0]
    loc = res["locations"][0]
    assert loc["physicalLocation"]["region"] == {"startLine": 7, "snippet": {"text": "réuni"}}
    assert loc["logicalLocations"][0]["name"] == "cc-1"


def test_csv_one_row_per_finding_with_locations(report):
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert len(rows) == 4
    by_rule = {r["rule"]: r for r in rows}
    assert by_rule["markup.tags"]["mt_text"] == "<b>non</b>" and by_rule["markup.tags"]["severity"] == "critical"
    assert (by_rule["markup.tags"]["line"], by_rule["markup.tags"]["column"]) == ("3", "72")
    assert by_rule["register.informal"]["message"] == 'informal "patrons" for employers'
    assert by_rule["register.informal"]["segment_source"] == 'The union "CGT & FO" said: <b>no</b> to the bosses.'


def test_every_format_from_a_real_run_on_the_seed_pack(run_cli, seed, tmp_path, sarif_schema):
    outs = {ext: tmp_path / f"r.{ext}" for ext in ("json", "md", "html", "xml", "sarif", "csv", "txt")}
    args = ["check", "-s", seed / "source.en.txt", "-t", seed / "mt.fr.txt", "-r", seed / "ref.fr.txt",
            "--glossary", seed / "glossary.csv"]
    for p in outs.values():
        args += ["-o", p]
    code, stdout, stderr = run_cli(*args)
    assert code in (0, 1), stderr
    report = json.loads(outs["json"].read_text(encoding="utf-8"))
    validate(report)
    doc = report["documents"][0]
    n = len(doc["findings"])
    assert code == (0 if report["verdict"] == "pass" else 1)
    # CSV and SARIF carry every finding, JUnit the document and every criterion
    assert len(list(csv.DictReader(io.StringIO(outs["csv"].read_text(encoding="utf-8"))))) == n
    sarif = json.loads(outs["sarif"].read_text(encoding="utf-8"))
    jsonschema.validate(sarif, sarif_schema)
    failed = [c for c in report["gate"]["criteria"] if not c["passed"]]
    assert len(sarif["runs"][0]["results"]) == n + len(failed)
    mt = (seed / "mt.fr.txt").read_text(encoding="utf-8").split("\n")
    for res in sarif["runs"][0]["results"][:n]:
        reg = res["locations"][0]["physicalLocation"]["region"]
        if "endLine" not in reg:
            assert mt[reg["startLine"] - 1][reg["startColumn"] - 1 : reg["endColumn"] - 1] == reg["snippet"]["text"]
    junit = ET.fromstring(outs["xml"].read_text(encoding="utf-8"))
    assert junit.find("testsuite/testcase").get("name") == "kyiv-air-defence"
    assert int(junit.get("tests")) == 1 + len(report["gate"]["criteria"])
    html = outs["html"].read_text(encoding="utf-8")
    assert html.count('<tr id="d0-s') == len(doc["segments"])
    assert html.count('<li id="f') == n
    md = outs["md"].read_text(encoding="utf-8")
    assert f"| kyiv-air-defence | {'✅ pass' if doc['verdict'] == 'pass' else '❌ fail'} | {len(doc['segments'])} |" in md
    txt = outs["txt"].read_text(encoding="utf-8")
    assert "kyiv-air-defence" in txt and ("Gate FAILED" in txt or "Gate passed" in txt)


def test_sarif_uris_are_relative_and_percent_encoded(monkeypatch, tmp_path):
    from mtqa.report.formats.sarif import artifact_uri

    monkeypatch.chdir(tmp_path)
    assert artifact_uri("deliveries/vendor A/x.xlf") == "deliveries/vendor%20A/x.xlf"
    assert artifact_uri(str(tmp_path / "in repo" / "mt.fr.txt")) == "in%20repo/mt.fr.txt"
    assert artifact_uri("/elsewhere/mt.fr.txt") == "file:///elsewhere/mt.fr.txt"
    assert artifact_uri("-") is None


def test_every_human_format_shows_the_grammar_status(report):
    from mtqa.report.formats import html, markdown, text

    with_grammar = {**report, "tool": {**report["tool"], "grammar": "Grammalecte 2.1.1"}}
    for render in (text.render, markdown.render, html.render):
        assert "grammar: Grammalecte 2.1.1" in render(with_grammar)
        unavailable = render({**report, "tool": {**report["tool"], "grammar": "unavailable"}})
        assert "grammar: unavailable" in unavailable
        assert "grammar:" not in render(report)  # a report that does not record it says nothing
