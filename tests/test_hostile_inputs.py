"""Hostile inputs on the input side (issue 18): each guard refuses the bad case with one line and
accepts the good one. Output-side cases live with the report tests."""

from __future__ import annotations

import json
import os

import pytest

from mtqa import limits
from mtqa.config import load_settings, validate_settings
from mtqa.errors import ConfigError, InputError, MtqaError
from mtqa.inputs.textio import read_text
from mtqa.limits import dumps_json, loads_json
from mtqa.ruledata import parse_yaml, read_user_file


def one_line(e: pytest.ExceptionInfo) -> str:
    msg = str(e.value)
    assert "\n" not in msg and len(msg) < 400
    return msg


@pytest.mark.parametrize("text", ["a: &x [1, 2]\nb: *x\n", "a: &x {k: 1}\nb:\n  <<: *x\n", "a: &a [*a]\n",
                                  "a: &a [1]\nb: [*a, *a, *a]\n"])
def test_yaml_alias_refused(text):
    with pytest.raises(ConfigError) as e:
        parse_yaml(text, "r.yaml")
    assert "aliases" in one_line(e) and one_line(e).startswith("r.yaml:")


def test_yaml_without_alias_loads():
    assert parse_yaml("a: [1, 2]\nb: x\n", "r.yaml")["b"] == "x"


def test_yaml_long_scalar_refused_and_short_kept():
    with pytest.raises(ConfigError) as e:
        parse_yaml("a: " + "x" * (limits.LIMITS["max_yaml_scalar"] + 1), "r.yaml")
    assert "max_yaml_scalar" in one_line(e)
    assert parse_yaml("a: " + "x" * 1000, "r.yaml")["a"] == "x" * 1000


def test_deep_json_refused_and_shallow_kept():
    with pytest.raises(InputError) as e:
        loads_json("[" * 100_000 + "]" * 100_000, "r.json")
    assert "nested" in one_line(e)
    assert loads_json("[" * 50 + "]" * 50, "r.json") == loads_json("[" * 50 + "]" * 50, "r.json")


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": Infinity}', '[-Infinity]', '{"a": "\\ud800"}'])
def test_json_non_finite_and_surrogates_refused(text):
    with pytest.raises(InputError):
        loads_json(text, "r.json")


def test_json_written_is_valid():
    assert json.loads(dumps_json({"a": float("nan"), "b": [float("inf"), 1.5]})) == {"a": None, "b": [None, 1.5]}


def test_fifo_and_directory_refused(tmp_path):
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as e:
        read_text(str(fifo))
    assert "FIFO" in one_line(e)
    with pytest.raises(InputError):
        read_text(str(tmp_path))
    with pytest.raises(InputError):
        read_text("/dev/zero")
    with pytest.raises(ConfigError):
        read_user_file(str(fifo))


def test_regular_file_read(tmp_path):
    p = tmp_path / "mt.txt"
    p.write_text("Bonjour.\n", encoding="utf-8")
    assert read_text(str(p)) == "Bonjour.\n"


def test_nul_after_first_megabyte_refused(tmp_path):
    p = tmp_path / "mt.txt"
    p.write_bytes(b"a" * 2_000_000 + b"\x00")
    with pytest.raises(InputError) as e:
        read_text(str(p))
    assert "NUL" in one_line(e)


@pytest.mark.parametrize("toml", ["[gate]\nmax_ter = nan\n", "[gate]\nmax_ter = -1\n", "[gate]\nbaseline_alpha = 1.5\n",
                                  "[comet]\nbatch_size = -2\n", "[comet]\nmodel = 5\n", "[mqm]\nminor = inf\n",
                                  "[mtqa]\njobs = 100000\n", "[limits]\nmax_input_mb = 0\n"])
def test_bad_settings_refused(tmp_path, toml):
    p = tmp_path / "mtqa.toml"
    p.write_text(toml, encoding="utf-8")
    with pytest.raises(MtqaError) as e:
        load_settings(str(p))
    one_line(e)


def test_good_settings_and_unknown_metric(tmp_path):
    p = tmp_path / "mtqa.toml"
    p.write_text("[gate]\nmax_ter = 40\nbaseline_alpha = 0.01\n[mtqa]\njobs = 1\n", encoding="utf-8")
    s = validate_settings(load_settings(str(p)))
    assert s.gate.baseline_alpha == 0.01
    s.metrics = ["bogus"]
    with pytest.raises(ConfigError):
        validate_settings(s)


# ---------------------------------------------------------------- segment length (max_segment_chars)

def _doc(src_units: list[str], mt_units: list[str], paired: bool):
    from mtqa.model import Document, Side, Unit

    def side(lang: str, units: list[str]) -> Side:
        out, pos = [], 0
        for i, u in enumerate(units):
            out.append(Unit(u, pos, line=i + 1))
            pos += len(u) + 1
        return Side(lang, "\n".join(units), out)

    return Document("d", side("en", src_units), side("fr", mt_units), paired=paired)


def test_long_segment_skipped_and_listed():
    limits.configure({"max_segment_chars": 10})
    try:
        doc = _doc(["short", "x" * 11, "ok"], ["court", "y" * 5, "ok"], paired=True)
        skipped = limits.skip_long_units([doc])
    finally:
        limits.configure()
    assert [u.text for u in doc.mt.units] == ["court", "ok"]
    assert [u.text for u in doc.source.units] == ["short", "ok"]  # paired: dropped on both sides
    assert [(s["side"], s["line"], s["over_limit"]) for s in skipped] == [("source", 2, True), ("mt", 2, False)]


def test_segment_at_the_limit_kept():
    limits.configure({"max_segment_chars": 10})
    try:
        doc = _doc(["x" * 10], ["y" * 10, "z" * 11], paired=False)
        skipped = limits.skip_long_units([doc])
    finally:
        limits.configure()
    assert [u.text for u in doc.source.units] == ["x" * 10]  # unpaired: only the long side's unit goes
    assert [u.text for u in doc.mt.units] == ["y" * 10]
    assert [(s["side"], s["line"]) for s in skipped] == [("mt", 2)]


# ---------------------------------------------------------------- whole runs: `mtqa check` on hostile files

SRC = "The cat sat on the mat.\nThe dog ran home.\n"
MT = "Le chat était sur le tapis.\nLe chien est rentré.\n"
XLIFF2 = ('<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" '
          'trgLang="fr"><file id="f">{}</file></xliff>')
UNIT = '<unit id="u"><segment><source>Hi.</source><target>Salut{}.</target></segment></unit>'
TMX = '<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/>{}</tmx>'
WAIVER = "waivers:\n  - rule: {}\n    mt: x\n    source: ''\n    reason: r\n    by: b\n    date: 2026-12-02\n"

# name: (files to write, arguments, exit code, a fragment of the one stderr line)
REFUSED: dict[str, tuple[dict[str, str | bytes], list[str], str]] = {
    "latin-1 MT": ({"m.txt": "Le chat \xe9tait.\n".encode("latin-1")}, ["-s", "s.txt", "-t", "m.txt"], "not valid UTF-8"),
    "mixed encodings": ({"m.txt": "Le chat était.\n".encode() + "Il \xe9tait.\n".encode("latin-1")},
                        ["-s", "s.txt", "-t", "m.txt"], "line 2"),
    "UTF-16 MT": ({"m.txt": MT.encode("utf-16")}, ["-s", "s.txt", "-t", "m.txt"], "UTF-16"),
    "invalid UTF-8 glossary": ({"g.csv": b"source,target\ncat,chat\xff\n"}, ["-g", "g.csv"], "g.csv: not valid UTF-8"),
    "invalid UTF-8 waivers": ({"w.yaml": b"waivers: []\n# \xff\n"}, ["--waivers", "w.yaml"], "w.yaml: not valid UTF-8"),
    "invalid UTF-8 config": ({"c.toml": b"[gate]\n# \xff\n"}, ["-c", "c.toml"], "c.toml: not valid UTF-8"),
    "empty MT": ({"m.txt": ""}, ["-s", "s.txt", "-t", "m.txt"], "empty"),
    "blank-only MT": ({"m.txt": "\n \n\t\n"}, ["-s", "s.txt", "-t", "m.txt"], "empty"),
    "empty source": ({"s.txt": ""}, ["-s", "s.txt", "-t", "m.txt"], "empty"),
    "line-aligned count mismatch": ({"m.txt": MT + "Encore.\n"}, ["-s", "s.txt", "-t", "m.txt", "--line-aligned"],
                                    "source has 2, MT has 3"),
    "huge jobs in config": ({"c.toml": "[mtqa]\njobs = 100000000000000000000000000000\n"}, ["-c", "c.toml"], "jobs"),
    "huge limit in config": ({"c.toml": "[limits]\nmax_input_mb = 100000000000000000000000000000\n"}, ["-c", "c.toml"],
                             "max_input_mb: expected an integer from 1"),
    "float overflow in config": ({"c.toml": "[gate]\nmax_ter = 1e400\n"}, ["-c", "c.toml"], "finite"),
    "unknown config section": ({"c.toml": "[bogus]\nx = 1\n"}, ["-c", "c.toml"], "unknown section [bogus]"),
    "unknown limits key": ({"c.toml": "[limits]\nmax_bogus = 3\n"}, ["-c", "c.toml"], "max_bogus"),
    "string limit": ({"c.toml": '[limits]\nmax_segment_chars = "x"\n'}, ["-c", "c.toml"], "expected int"),
    "duplicate TOML key": ({"c.toml": "[gate]\nmax_ter = 1\nmax_ter = 2\n"}, ["-c", "c.toml"], "invalid TOML"),
    "JSONL number overflow": ({"i.jsonl": '{"source": "Hello.", "mt": "Bonjour.", "x": 1e999}\n'}, ["i.jsonl"],
                              "out of range"),
    "JSONL array line": ({"i.jsonl": '["Hello.", "Bonjour."]\n'}, ["i.jsonl"], "i.jsonl:1: expected a JSON object"),
    "JSONL number as MT": ({"i.jsonl": '{"source": "Hello.", "mt": 5}\n'}, ["i.jsonl"], "must be a string"),
    "very long file name": ({}, ["-s", "s.txt", "-t", "x" * 300 + ".txt"], "cannot read"),
    "file under a file": ({}, ["-s", "s.txt", "-t", "m.txt/inner.txt"], "cannot read"),
    "symlink to a directory": ({}, ["-s", "link", "-t", "m.txt"], "is a directory"),
    "TMX internal entities": ({"t.tmx": '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aa">]><tmx version="1.4">'
                               '<header srclang="en"/><body/></tmx>'}, ["t.tmx"], "DOCTYPE"),
    "TMX unit without French": ({"t.tmx": TMX.format('<body><tu><tuv xml:lang="en"><seg>Hi.</seg></tuv></tu></body>')},
                                ["t.tmx"], "no French"),
    "TMX without body": ({"t.tmx": TMX.format("")}, ["t.tmx"], "without a <body>"),
    "XLIFF cp past U+10FFFF": ({"x.xlf": XLIFF2.format(UNIT.format('<cp hex="110000"/>'))}, ["x.xlf"], "code point"),
    "XLIFF cp bad hex": ({"x.xlf": XLIFF2.format(UNIT.format('<cp hex="zz"/>'))}, ["x.xlf"], "code point"),
    "XLIFF without units": ({"x.xlf": XLIFF2.format("")}, ["x.xlf"], "no translation units"),
    "XLIFF truncated": ({"x.xlf": XLIFF2.format('<unit id="u">')[:-20]}, ["x.xlf"], "malformed XML"),
    "glossary bad re:": ({"g.csv": "source,target\ncat,re:(chat\n"}, ["-g", "g.csv"], "g.csv:2:"),
    "waivers not a list": ({"w.yaml": "waivers: 5\n"}, ["--waivers", "w.yaml"], "list"),
    "waiver of an unknown rule": ({"w.yaml": WAIVER.format("no.such")}, ["--waivers", "w.yaml"], "unknown rule id"),
}


def _write(tmp_path, files: dict[str, str | bytes]) -> None:
    for name, text in {"s.txt": SRC, "m.txt": MT, **files}.items():
        (tmp_path / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    (tmp_path / "link").symlink_to(tmp_path / "sub", target_is_directory=True)
    (tmp_path / "sub").mkdir()


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_run_refused(case, tmp_path, monkeypatch, run_cli):
    files, args, fragment = REFUSED[case]
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    if "-t" not in args and not args[0].endswith((".jsonl", ".tmx", ".xlf")):
        args = ["-s", "s.txt", "-t", "m.txt", *args]
    before = sorted(os.listdir(tmp_path))
    code, out, err = run_cli("check", *args, "-o", "out.json")
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("mtqa: error: ") and fragment in lines[0], err
    assert "Traceback" not in err + out
    assert sorted(os.listdir(tmp_path)) == before  # no report, no temporary file


# name: (files to write, arguments): each of these is odd but valid, and the run ends with a report
ACCEPTED: dict[str, tuple[dict[str, str | bytes], list[str]]] = {
    "CRLF files": ({"s.txt": SRC.replace("\n", "\r\n"), "m.txt": MT.replace("\n", "\r\n")}, ["--line-aligned"]),
    "CR-only files": ({"s.txt": SRC.replace("\n", "\r"), "m.txt": MT.replace("\n", "\r")}, ["--line-aligned"]),
    "BOM mid-file": ({"m.txt": "Le chat était sur le tapis.\n\ufeffLe chien est rentré.\n"}, ["--line-aligned"]),
    "doc id climbing out": ({"i.jsonl": '{"doc": "../../evil", "source": "Hello.", "mt": "Bonjour."}\n'}, []),
}


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_odd_but_valid_run(case, tmp_path, monkeypatch, run_cli):
    files, args = ACCEPTED[case]
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    _write(work, files)
    monkeypatch.chdir(work)
    inputs = ["i.jsonl"] if "i.jsonl" in files else ["-s", "s.txt", "-t", "m.txt"]
    code, _out, err = run_cli("check", *inputs, *args, "-f", "json", "-o", "out.json", "--metrics", "bleu")
    assert code in (0, 1) and "Traceback" not in err, err
    report = json.loads((work / "out.json").read_text(encoding="utf-8"))
    assert report["summary"]["segments"] == (1 if "i.jsonl" in files else 2)
    assert sorted(os.listdir(tmp_path)) == ["a"] and sorted(os.listdir(tmp_path / "a")) == ["b"]  # nothing outside


def test_long_line_skipped_in_a_run_and_said(tmp_path, monkeypatch, run_cli):
    _write(tmp_path, {"m.txt": MT + "mot " * 20 + "\n", "s.txt": SRC + "word " * 10 + "\n",
                      "c.toml": "[limits]\nmax_segment_chars = 60\n"})
    monkeypatch.chdir(tmp_path)
    code, _out, err = run_cli("check", "-c", "c.toml", "-s", "s.txt", "-t", "m.txt", "--line-aligned",
                             "--metrics", "bleu", "-o", "r.json", "-o", "r.txt", "-o", "r.md", "-o", "r.html")
    assert code in (0, 1)
    assert err.count("\n") == 1 and "2 segment(s) skipped" in err and "m mt line 3" in err
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["segments"] == 2
    assert [(s["side"], s["line"], s["over_limit"]) for s in report["run"]["skipped_segments"]] == [
        ("source", 3, False), ("mt", 3, True)]
    assert "Not checked: 2 segment(s)" in (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert "## Not checked" in (tmp_path / "r.md").read_text(encoding="utf-8")
    assert 'id="not-checked"' in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_short_lines_not_skipped(tmp_path, monkeypatch, run_cli):
    _write(tmp_path, {})
    monkeypatch.chdir(tmp_path)
    code, _out, err = run_cli("check", "-s", "s.txt", "-t", "m.txt", "--metrics", "bleu", "-o", "r.json", "-o", "r.txt",
                             "-o", "r.md", "-o", "r.html")
    assert code in (0, 1)
    assert "skipped" not in err
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["run"]["skipped_segments"] == []
    assert "Not checked" not in (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert "Not checked" not in (tmp_path / "r.md").read_text(encoding="utf-8")
    assert 'id="not-checked"' not in (tmp_path / "r.html").read_text(encoding="utf-8")
