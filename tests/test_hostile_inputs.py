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
