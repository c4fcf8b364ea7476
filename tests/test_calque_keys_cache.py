"""The calques' prefilter keys (``required_literal_groups`` of each source) kept in the disk cache,
keyed by the sources and the scanning code (``mtqa.checks.calques.source_keys``)."""

from __future__ import annotations

import re

import pytest

from mtqa.checks import calques
from mtqa.text.regex import required_literal_groups

SOURCES = [(r"\bwith\s+(?:input|contributions?)\s+from\b", re.IGNORECASE), (r"\b(?:a|b)\b", re.IGNORECASE),
           (r"\baddress(?:es|ed)?\b", re.IGNORECASE)]


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MTQA_NO_CACHE", raising=False)
    return tmp_path


def _no_scan(monkeypatch):
    calls = []
    monkeypatch.setattr(calques, "required_literal_groups", lambda p, f: calls.append(p) or required_literal_groups(p, f))
    return calls


def test_keys_are_literal_groups_and_read_back_from_the_cache(cache, monkeypatch):
    want = [required_literal_groups(p, f) for p, f in SOURCES]
    assert calques.source_keys(SOURCES) == want
    assert list((cache / "ruledata").glob("calques__source-keys.*.marshal"))
    calls = _no_scan(monkeypatch)
    assert calques.source_keys(SOURCES) == want
    assert calls == []  # read back, not scanned


def test_other_sources_or_other_code_are_scanned_again(cache, monkeypatch, tmp_path):
    calques.source_keys(SOURCES)
    calls = _no_scan(monkeypatch)
    calques.source_keys(SOURCES[:2])
    assert len(calls) == 2  # other sources: another key
    from mtqa.text import matching

    edited = tmp_path / "matching.py"
    edited.write_bytes(open(matching.__file__, "rb").read() + b"\n# edited\n")
    monkeypatch.setattr(matching, "__file__", str(edited))
    calls.clear()
    assert calques.source_keys(SOURCES) == [required_literal_groups(p, f) for p, f in SOURCES]
    assert len(calls) == 3  # the scanning code changed: scanned again


def test_without_a_cache_the_keys_are_scanned(monkeypatch):
    monkeypatch.setenv("MTQA_NO_CACHE", "1")
    calls = _no_scan(monkeypatch)
    assert calques.source_keys(SOURCES) == [required_literal_groups(p, f) for p, f in SOURCES]
    assert len(calls) == 3


def test_packaged_patterns_get_the_keys_of_their_sources():
    for p in calques.load_patterns()[:50]:
        assert p.keys == required_literal_groups(p.source.pattern, p.source.flags)


def test_a_cached_value_of_the_wrong_shape_is_scanned_again(cache, monkeypatch):
    from mtqa import diskcache

    want = [required_literal_groups(p, f) for p, f in SOURCES]
    monkeypatch.setattr(diskcache, "cached_parse", lambda name, raw, parse: [(("X",),), None, None])
    calls = _no_scan(monkeypatch)
    assert calques.source_keys(SOURCES) == want  # 'X' is not folded: not a key the scan gives
    assert len(calls) == 3
    monkeypatch.setattr(diskcache, "cached_parse", lambda name, raw, parse: want[:2])
    assert calques.source_keys(SOURCES) == want  # one value short
