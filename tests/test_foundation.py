"""The foundation: loading, the CLI contract (exit codes, one-line errors), the JSON report contract."""

import json
import subprocess
import sys

import pytest

from mtqa.inputs import load_inputs
from mtqa.inputs.jsonl import load_jsonl
from mtqa.inputs.text import detect_layout, split_units
from mtqa.report.schema import validate


def test_seed_pack_mt_is_verbatim_and_paragraphs_match(seed):
    mt = (seed / "mt.fr.txt").read_text(encoding="utf-8")
    assert mt.startswith("Les flammes et la fumée s'échauffent")
    src = (seed / "source.en.txt").read_text(encoding="utf-8")
    ref = (seed / "ref.fr.txt").read_text(encoding="utf-8")
    assert len(split_units(src)) == len(split_units(mt)) == len(split_units(ref)) == 13


def test_layout_detection():
    assert detect_layout("a\n\nb\n") == "paragraphs"
    assert detect_layout("a\nb\nc\n") == "lines"
    units = split_units("First para\nwrapped.\n\n  Second.\n")
    assert [u.text for u in units] == ["First para\nwrapped.", "Second."]
    assert [u.line for u in units] == [1, 4]


def test_units_keep_offsets():
    text = "One.\n\nTwo.\n"
    for u in split_units(text):
        assert text[u.start : u.start + len(u.text)] == u.text


def test_check_seed_writes_valid_json(run_cli, seed, tmp_path):
    out = tmp_path / "r.json"
    code, stdout, stderr = run_cli(
        "check", "-s", seed / "source.en.txt", "-t", seed / "mt.fr.txt", "-r", seed / "ref.fr.txt", "-o", out
    )
    assert code in (0, 1), stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    validate(report)
    doc = report["documents"][0]
    assert doc["id"] == "kyiv-air-defence"
    assert report["tool"]["name"] == "mtqa"
    # the rule catalogue describes every rule that fired (the renderers take docs from it)
    catalogue = {r["id"]: r for r in report["rules"]}
    assert doc["findings"] and all(catalogue[f["rule"]]["enabled"] for f in doc["findings"])
    # every segment is a verbatim slice of the MT file
    mt = (seed / "mt.fr.txt").read_text(encoding="utf-8")
    for seg in doc["segments"]:
        if seg["mt"]:
            assert mt[seg["mt_offset"] : seg["mt_offset"] + len(seg["mt"])] == seg["mt"]


def test_jsonl_pairing_is_given(tmp_path):
    p = tmp_path / "d.jsonl"
    rows = [
        {"source": "Hello.", "mt": "Bonjour.", "doc": "a"},
        {"source": "Bye.", "mt": "Au revoir.", "doc": "b"},
        {"source": "Again.", "mt": "Encore.", "doc": "a"},
    ]
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    docs = load_jsonl(str(p))
    assert [d.id for d in docs] == ["a", "b"]
    assert [u.text for u in docs[0].mt.units] == ["Bonjour.", "Encore."]
    assert docs[0].paired and [u.line for u in docs[0].mt.units] == [1, 3]


def test_jsonl_20000_lines(tmp_path):
    p = tmp_path / "big.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        for i in range(20000):
            fh.write(json.dumps({"source": f"Line {i}.", "mt": f"Ligne {i}.", "doc": f"d{i // 100}"}) + "\n")
    docs = load_inputs(None, str(p))
    assert len(docs) == 200 and sum(len(d.mt.units) for d in docs) == 20000


BAD_INPUTS = {
    "missing": None,
    "empty": b"",
    "latin1": "Le président a déclaré.".encode("latin-1"),
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR",
    "directory": "DIR",
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_bad_mt_gives_exit_2_and_one_line(run_cli, seed, tmp_path, kind):
    target = tmp_path / f"mt-{kind}.txt"
    data = BAD_INPUTS[kind]
    if data == "DIR":
        target.mkdir()
    elif data is not None:
        target.write_bytes(data)
    code, stdout, stderr = run_cli("check", "-s", seed / "source.en.txt", "-t", target)
    assert code == 2
    lines = [l for l in stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("mtqa: error:"), stderr
    assert "Traceback" not in stderr


def test_jsonl_missing_field_gives_exit_2(run_cli, tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"source": "Hi.", "mt": "Salut."}\n{"source": "Oops."}\n', encoding="utf-8")
    code, _, stderr = run_cli("check", "-t", p)
    assert code == 2
    assert 'x.jsonl:2: missing field "mt"' in stderr


def test_utf8_bom_and_crlf_are_accepted(run_cli, tmp_path):
    s = tmp_path / "s.txt"
    t = tmp_path / "t.txt"
    s.write_bytes("\ufeffThe minister resigned on Monday.\r\n".encode("utf-8"))
    t.write_bytes("\ufeffLe ministre a démissionné lundi.\r\n".encode("utf-8"))
    code, stdout, stderr = run_cli("check", "-s", s, "-t", t, "-f", "json")
    assert code in (0, 1), stderr
    report = json.loads(stdout)
    assert report["documents"][0]["segments"][0]["mt"] == "Le ministre a démissionné lundi."


def test_line_aligned_count_mismatch_is_an_input_error(run_cli, tmp_path):
    s = tmp_path / "s.txt"
    t = tmp_path / "t.txt"
    s.write_text("A.\nB.\n", encoding="utf-8")
    t.write_text("A.\n", encoding="utf-8")
    code, _, stderr = run_cli("check", "-s", s, "-t", t, "--line-aligned")
    assert code == 2 and "same number of non-empty lines" in stderr


def test_console_script_version_and_exit_code():
    out = subprocess.run([sys.executable, "-m", "mtqa", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("mtqa ")
    out = subprocess.run([sys.executable, "-m", "mtqa", "check", "-t", "/nonexistent.txt", "-s", "/nonexistent.en"],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip() == "mtqa: error: /nonexistent.en: no such file"


def test_atomic_write_replaces_whole_file_with_normal_mode(tmp_path):
    import os

    from mtqa.report.output import atomic_write

    target = tmp_path / "sub" / "r.json"
    atomic_write(target, "first")
    atomic_write(target, "second")
    assert target.read_text() == "second"
    umask = os.umask(0)
    os.umask(umask)
    assert (target.stat().st_mode & 0o777) == (0o666 & ~umask)
    assert [p.name for p in target.parent.iterdir()] == ["r.json"]  # no temp file left behind


def test_line_numbers_of_units_and_offsets_agree_with_counting():
    from mtqa.model import Side

    text = "a\n\nbb\ncc\n\n\n  dd\n" * 50
    units = split_units(text)
    side = Side(lang="fr", text=text, units=units)
    for u in units:
        assert u.line == text.count("\n", 0, u.start) + 1
    for offset in (0, 1, 2, 3, 7, len(text) // 2, len(text) - 1):
        assert side.line_of(offset) == text.count("\n", 0, offset) + 1
