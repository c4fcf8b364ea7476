"""Hostile text in findings and segments, through every report format (issue 18, output side).

Each hostile string is put into an MT segment, a finding's span, message, suggestion and source
text, and a document id. Every format must then parse (json, defusedxml, csv, html.parser), show
nothing a terminal, spreadsheet or browser would act on, and the JSON must keep the original text.
Every guard has a test that it fires and a test that it leaves ordinary text alone."""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import os
import re
import stat
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from defusedxml import ElementTree as DET
from report_sample import REPORTS, sample_report

from mtqa.errors import ConfigError, InputError
from mtqa.report import render
from mtqa.report.formats.csv import FORMULA_START, inert_cell
from mtqa.report.formats.html import style
from mtqa.report.formats.inert import is_inert, json_dumps, no_surrogates, visible
from mtqa.report.formats.junit import _clean
from mtqa.report.output import check_targets, is_stream, write_reports

FORMULAS = ['=HYPERLINK("http://evil.example","clic")', "+1+1", "-2+3", "@SUM(A1:A9)", "\tcmd", "\rcmd",
            "=cmd|' /C calc'!A0"]
BIDI = ["abc\u202edcba", "\u2066isolé\u2069", "\u2067x\u2068y\u2069", "\u202aemb\u202c", "\u200fRLM\u061c"]
CONTROLS = ["\x1b[31mrouge\x1b[0m", "\x1b]0;title\x07", "bell\x07", "nul\x00byte", "\x85NEL", "\x9b2J",
            "vt\x0bff\x0c", "del\x7f", "ls\u2028ps\u2029"]
SURROGATES = ["lone\ud800", "\udfffend", "reversed\udc00\udbffx"]  # a low then a high: both lone
MARKUP = ["</script><script>alert(1)</script>", "]]><x/><![CDATA[", '<img src=x onerror="alert(1)">',
          "[clic](javascript:alert(1))", "| a | b |\n|---|", "**gras** `code` _i_", "&amp; &lt;b&gt;",
          '"><svg onload=alert(1)>', "{{ 7*7 }} {% raw %}"]
HUGE = ["x" * 200_000, "é" * 50_000 + "\u202e" + "=" * 1000]
HOSTILE = FORMULAS + BIDI + CONTROLS + SURROGATES + MARKUP + HUGE
FORMATS = ["text", "md", "html", "json", "junit", "sarif", "csv"]
# what must never reach a terminal, editor or CI view raw: C0 (but tab, newline), DEL, C1, bidi
RAW_HOSTILE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def hostile_report(evil: str) -> dict:
    """The sample report with ``evil`` in segment 0 (before its MT), in a finding flagging it, in
    the messages, suggestion and source text of segment 0's findings, and in the document id."""
    r = sample_report()
    doc = r["documents"][0]
    seg = doc["segments"][0]
    shift = len(evil) + 1
    seg["mt"] = evil + " " + seg["mt"]
    seg["source"] = evil + " " + seg["source"]
    for f in doc["findings"]:
        if f["segment"] == 0:
            f["mt_start"] += shift
            f["mt_end"] += shift
            f["message"] = f"{f['message']} {evil}"
            f["suggestion"] = evil
            f["source_text"] = evil
    doc["findings"].insert(0, {"rule": "lexicon.false-friend", "category": "accuracy/mistranslation",
                               "severity": "major", "segment": 0, "mt_text": evil, "mt_start": 0,
                               "mt_end": len(evil), "source_text": evil, "source_start": None,
                               "source_end": None, "message": evil, "suggestion": evil})
    doc["id"] = "doc-" + evil[:200]
    for c in r["gate"]["criteria"]:
        if c.get("document") == "harbour":
            c["document"] = doc["id"]
    return r


@pytest.fixture(params=range(len(HOSTILE)), ids=lambda i: f"{i}-{HOSTILE[i][:12]!r}")
def evil(request) -> str:
    return HOSTILE[request.param]


def _utf8(out: str) -> bytes:
    return out.encode("utf-8")  # raises on a lone surrogate: every format must be valid UTF-8


# --- every format parses, and the JSON keeps the original text ---------------------------------

def test_json_parses_and_keeps_the_original_text(evil):
    r = hostile_report(evil)
    out = render(copy.deepcopy(r), "json")
    assert json.loads(_utf8(out).decode("utf-8")) == r
    if evil.isprintable() and evil.isascii() and "\\" not in evil and '"' not in evil and not RAW_HOSTILE.search(evil):
        assert evil in out  # plain text stays readable, not escaped


def test_sarif_parses_and_keeps_the_original_message(evil):
    out = render(hostile_report(evil), "sarif")
    sarif = json.loads(_utf8(out).decode("utf-8"))
    texts = [res["message"]["text"] for run in sarif["runs"] for res in run["results"]]
    assert any(evil in t for t in texts)


def test_junit_is_well_formed_and_shows_no_raw_control_character(evil):
    out = render(hostile_report(evil), "junit")
    root = DET.fromstring(_utf8(out))
    assert root.tag == "testsuites"
    assert not RAW_HOSTILE.search(out)
    failures = " ".join((f.text or "") for f in root.iter("failure"))
    assert visible(evil)[:1000].replace("\r", "") in failures.replace("\r", "") or "\ufffd" in failures


def test_csv_parses_and_no_cell_starts_a_formula(evil):
    r = hostile_report(evil)
    out = render(r, "csv")
    csv.field_size_limit(1 << 24)  # the 200,000-character span is one cell
    rows = list(csv.reader(io.StringIO(_utf8(out).decode("utf-8"), newline="")))
    n = sum(len(d["findings"]) for d in r["documents"])
    assert len(rows) == n + 1 and all(len(row) == len(rows[0]) for row in rows)
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell[:40]
    mt_text = rows[0].index("mt_text")
    flagged = rows[1][mt_text]
    assert flagged in (no_surrogates(evil), "'" + no_surrogates(evil))


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_text_and_markdown_show_no_raw_control_or_bidi_character(evil, fmt):
    out = render(hostile_report(evil), fmt)
    _utf8(out)
    assert not RAW_HOSTILE.search(out)


def test_markdown_carries_no_raw_html(evil):
    md = render(hostile_report(evil), "md")
    for tag in ("<script", "<img", "<svg", "<x/>"):
        assert tag not in md


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self.urls, self.text, self.titles, self.data = 0, [], [], [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._in = tag
        self.scripts += tag == "script"
        self.handlers += [k for k in a if k.startswith("on")]
        self.urls += [a[k] for k in ("src", "href", "action") if k in a]
        self.titles += [a["title"]] if "title" in a else []
        self.data += [v for k, v in a.items() if k.startswith("data-") and v]
        assert "style" not in a, f"inline style on <{tag}>"

    def handle_data(self, data):
        if self._in not in ("script", "style"):
            self.text.append(data)


def test_html_runs_nothing_but_its_script_and_shows_no_raw_character(evil):
    page = render(hostile_report(evil), "html")
    _utf8(page)
    p = _Page()
    p.feed(page)
    assert p.scripts == 1 and p.handlers == [] and all(u.startswith("#") for u in p.urls)
    assert not RAW_HOSTILE.search("".join(p.text)) and not any(RAW_HOSTILE.search(t) for t in p.titles)
    assert page.count("</script>") == 1


def test_html_data_attributes_keep_the_original_text_for_waivers():
    evil = "abc\u202edcba"
    p = _Page()
    p.feed(render(hostile_report(evil), "html"))
    assert evil in p.data  # data-mt: what a downloaded waiver must match
    assert "abc<U+202E>dcba" in "".join(p.text)  # what the reader sees


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_ordinary_text_unchanged(fmt):
    """Negative: French typography, accents, tabs and newlines are not touched by any guard."""
    text = "« Élan » – l'œuvre d'été\u202f: 12\u00a0%"
    r = hostile_report(text)
    out = render(r, fmt)
    if fmt == "json":
        assert json.loads(out) == r
    else:
        assert text in (html.unescape(out) if fmt == "html" else out)
        assert "<U+" not in out


# --- the guards themselves: positive and negative ---------------------------------------------

@pytest.mark.parametrize("cell", FORMULAS)
def test_inert_cell_quotes_a_formula(cell):
    assert inert_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Le port", "", "a=b", "1-2", "'déjà", " =espace", "é@x"])
def test_inert_cell_leaves_text_that_is_no_formula(cell):
    assert inert_cell(cell) == cell


@pytest.mark.parametrize("value", [0, 5, -3, 1.5, None])
def test_inert_cell_leaves_numbers_and_empty_cells(value):
    assert inert_cell(value) == value  # a negative offset stays a number, not a quoted text


def test_csv_rows_end_in_crlf_and_a_bare_cr_is_quoted():
    out = render(hostile_report("a\rb"), "csv")
    assert out.endswith("\r\n") and '"a\rb' in out


@pytest.mark.parametrize("text", BIDI + CONTROLS + SURROGATES)
def test_visible_writes_hostile_characters_as_code_points(text):
    shown = visible(text)
    assert is_inert(shown) and not RAW_HOSTILE.search(shown) and "<U+" in shown


@pytest.mark.parametrize("text", ["« Élan » – œuvre", "tab\there\nnew line", "日本語 العربية", "emoji 🚢", ""])
def test_visible_leaves_ordinary_text(text):
    assert visible(text) == text and is_inert(text)


def test_visible_keep_says_which_whitespace_stays():
    assert visible("a\tb\nc", keep="") == "a<U+0009>b<U+000A>c"
    assert visible(None) == ""


def test_json_dumps_escapes_only_lone_surrogates_and_round_trips():
    obj = {"k\ud800": ["é\udfff", "ordinaire é"]}
    out = json_dumps(obj)
    assert "\\ud800" in out and "\\udfff" in out and "ordinaire é" in out
    assert json.loads(out.encode("utf-8")) == obj
    assert json_dumps({"a": "é"}) == json.dumps({"a": "é"}, ensure_ascii=False, indent=2)


def test_no_surrogates_replaces_them_and_nothing_else():
    assert no_surrogates("a\ud800b") == "a\ufffdb"
    assert no_surrogates("« é »") == "« é »"


def test_junit_clean_removes_what_xml_cannot_hold_and_keeps_the_rest():
    assert _clean("a\x00b\ufffe") == "a<U+0000>b\ufffd"
    assert _clean("« é » & <b>") == "« é » & <b>"  # escaping is ElementTree's job


def test_html_csp_has_no_unsafe_inline_and_hashes_the_style_block():
    page = render(sample_report(), "html")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "unsafe-inline" not in csp and f"style-src {style()[1]}" in csp
    assert f"<style>{style()[0]}</style>" in page and " style=" not in page


# --- output targets -----------------------------------------------------------------------------

def test_check_targets_refuses_an_input_file(tmp_path):
    mt = tmp_path / "mt.fr.txt"
    mt.write_text("Bonjour.\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="refusing to overwrite an input"):
        check_targets([str(mt)], "json", [str(mt)])
    link = tmp_path / "link.json"
    link.symlink_to(mt)
    with pytest.raises(ConfigError, match="input file"):  # the same file through a symlink
        check_targets([str(link)], "json", [str(mt)])
    check_targets([str(tmp_path / "r.json")], "json", [str(mt)])  # another file: fine


@pytest.mark.parametrize("make, message", [
    (lambda d: d, "is a directory"),
    (lambda d: (d / "f").write_text("x") and d / "f" / "r.json", "is not a directory"),
    (lambda d: (d / "dangling").symlink_to(d / "nowhere") or d / "dangling", "dangling symlink"),
])
def test_check_targets_refuses_what_cannot_be_written(tmp_path, make, message):
    with pytest.raises(ConfigError, match=message):
        check_targets([str(make(tmp_path))], "json")


def test_check_targets_refuses_a_target_given_twice_and_an_unknown_format(tmp_path):
    with pytest.raises(ConfigError, match="same target"):
        check_targets([str(tmp_path / "r.json"), str(tmp_path / "." / "r.json")], "json")
    with pytest.raises(ConfigError, match="unknown format"):
        check_targets([str(tmp_path / "r.json")], "docx")


def test_check_targets_accepts_new_files_stdout_and_devices(tmp_path):
    check_targets([str(tmp_path / "new" / "dir" / "r.json"), "-", os.devnull], "json")
    assert is_stream("-") and is_stream(os.devnull) and not is_stream(str(tmp_path / "r.json"))


def test_a_failing_later_target_leaves_the_earlier_ones_unwritten(tmp_path):
    first = tmp_path / "first.json"
    with pytest.raises(InputError, match="/dev/full"):
        write_reports(sample_report(), [str(first), "/dev/full"], "json")
    assert not first.exists() and list(tmp_path.iterdir()) == []  # no stray temporary file
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # still the device, not a file


def test_devices_stay_devices_and_symlinks_stay_links(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_reports(sample_report(), [str(link), os.devnull], "json")
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["verdict"] == "fail"
    assert not os.path.isfile(os.devnull)


# --- the CLI: one line, exit 2, before any work; a closed pipe keeps the gate's exit code --------

@pytest.mark.parametrize("args", [["check", "--bogus"], ["check", "-j", "many"], ["compare"], ["nocmd"],
                                  ["check", "-t", "x", "-f", "docx"]])
def test_usage_errors_are_one_line(run_cli, args):
    code, _, err = run_cli(*args)
    assert code == 2 and err.startswith("mtqa: error: ") and err.count("\n") == 1, err
    assert "╭" not in err and "Traceback" not in err


def test_help_is_still_the_full_help(run_cli):
    code, out, _ = run_cli("check", "--help")
    assert code == 0 and "--output" in out


def test_cli_refuses_to_overwrite_the_mt_before_any_work(run_cli, tmp_path):
    mt = tmp_path / "harbour.fr.txt"
    mt.write_bytes((REPORTS / "harbour.fr.txt").read_bytes())
    before = mt.read_bytes()
    code, _, err = run_cli("check", "-s", REPORTS / "harbour.en.txt", "-t", mt, "-o", tmp_path / "ok.json", "-o", mt)
    assert code == 2 and "refusing to overwrite an input" in err and err.count("\n") == 1
    assert mt.read_bytes() == before and not (tmp_path / "ok.json").exists()


def test_cli_refuses_a_directory_target(run_cli, tmp_path):
    code, _, err = run_cli("check", "-s", REPORTS / "harbour.en.txt", "-t", REPORTS / "harbour.fr.txt", "-o", tmp_path)
    assert code == 2 and err.startswith("mtqa: error: -o ") and "is a directory" in err


def test_the_text_console_raises_broken_pipe_instead_of_exiting_1():
    from mtqa.report.formats.text import PipeConsole

    with pytest.raises(BrokenPipeError):
        PipeConsole().on_broken_pipe()


@pytest.mark.parametrize("gate, code", [(["--max-minor", "0"], 1), ([], 0)])
def test_a_closed_stdout_keeps_the_gate_exit_code(gate, code):
    p = subprocess.Popen([sys.executable, "-m", "mtqa", "check", "-s", str(REPORTS / "harbour.en.txt"),
                          "-t", str(REPORTS / "harbour.fr.txt"), "--grammar", "off", *gate],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()  # the reader is gone before mtqa writes (`mtqa check … | true`)
    err = p.stderr.read().decode()
    assert p.wait(timeout=300) == code and err == ""


def test_bare_mtqa_prints_the_help_once(run_cli):
    code, out, err = run_cli()
    assert code == 2 and out.count("Usage:") == 1 and "mtqa: error" not in err


def test_waive_and_compare_refuse_to_overwrite_an_input(run_cli, tmp_path):
    rep = tmp_path / "report.json"
    rep.write_text(render(sample_report(), "json"), encoding="utf-8")
    before = rep.read_bytes()
    code, _, err = run_cli("waive", rep, "-o", rep)
    assert code == 2 and "refusing to overwrite an input" in err and rep.read_bytes() == before
    src, ref = REPORTS / "harbour.en.txt", REPORTS / "harbour.ref.fr.txt"
    code, _, err = run_cli("compare", REPORTS / "harbour.fr.txt", "-s", src, "-r", ref, "-o", ref)
    assert code == 2 and "refusing to overwrite an input" in err


def test_waive_still_merges_into_its_own_output(run_cli, tmp_path):
    """Negative: the waivers file named by -o may exist (it is merged into), it is no input."""
    rep = tmp_path / "report.json"
    rep.write_text(render(sample_report(), "json"), encoding="utf-8")
    out = tmp_path / "waivers.yaml"
    assert run_cli("waive", rep, "-o", out)[0] == 0
    code, _, err = run_cli("waive", rep, "-o", out)
    assert code == 0 and "0 new waiver(s)" in err
