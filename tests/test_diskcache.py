"""The on-disk cache of parsed packaged rule data (mtqa.diskcache): hits, misses, corruption."""

from __future__ import annotations

import pytest

from mtqa import diskcache
from mtqa.errors import ConfigError
from mtqa.ruledata import packaged_path, parse_yaml


@pytest.fixture()
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MTQA_NO_CACHE", raising=False)
    return tmp_path


def counting(raw: bytes):
    calls = []

    def parse():
        calls.append(1)
        return parse_yaml(raw.decode(), packaged_path("x.yaml"))
    return parse, calls


RAW = b"entries:\n  - word: chat\n    n: 3\n"


def test_second_load_is_read_from_disk_and_equal(root):
    parse, calls = counting(RAW)
    first = diskcache.cached_parse("x.yaml", RAW, parse)
    second = diskcache.cached_parse("x.yaml", RAW, parse)
    assert calls == [1]
    assert second == first == {"entries": [{"word": "chat", "n": 3, "__line__": 2}], "__line__": 1}
    assert len(list((root / "ruledata").glob("*.marshal"))) == 1


def test_changed_bytes_miss_and_replace_the_old_entry(root):
    parse, calls = counting(RAW)
    diskcache.cached_parse("x.yaml", RAW, parse)
    assert calls == [1]
    raw2 = RAW.replace(b"3", b"4")
    parse2, calls2 = counting(raw2)
    assert diskcache.cached_parse("x.yaml", raw2, parse2)["entries"][0]["n"] == 4
    assert calls2 == [1]
    assert len(list((root / "ruledata").glob("*.marshal"))) == 1


@pytest.mark.parametrize("damage", [lambda b: b[:-5], lambda b: b"garbage", lambda b: b[:20] + b"\xff" * 40, lambda b: b""])
def test_corrupt_entry_is_rebuilt(root, damage):
    parse, calls = counting(RAW)
    good = diskcache.cached_parse("x.yaml", RAW, parse)
    (entry,) = (root / "ruledata").glob("*.marshal")
    entry.write_bytes(damage(entry.read_bytes()))
    assert diskcache.cached_parse("x.yaml", RAW, parse) == good
    assert calls == [1, 1]
    assert diskcache.cached_parse("x.yaml", RAW, parse) == good
    assert calls == [1, 1]


def test_no_cache_env_parses_every_time(root, monkeypatch):
    monkeypatch.setenv("MTQA_NO_CACHE", "1")
    parse, calls = counting(RAW)
    diskcache.cached_parse("x.yaml", RAW, parse)
    diskcache.cached_parse("x.yaml", RAW, parse)
    assert calls == [1, 1]
    assert not (root / "ruledata").exists()


def test_unwritable_cache_dir_still_parses(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("MTQA_CACHE_DIR", str(blocker))
    parse, calls = counting(RAW)
    assert diskcache.cached_parse("x.yaml", RAW, parse)["entries"][0]["word"] == "chat"
    assert calls == [1]


def test_parse_errors_propagate_and_are_not_cached(root):
    bad = b"entries: [\n"

    def parse():
        return parse_yaml(bad.decode(), packaged_path("bad.yaml"))
    for _ in range(2):
        with pytest.raises(ConfigError, match=r"mtqa/data/bad\.yaml"):
            diskcache.cached_parse("bad.yaml", bad, parse)
    assert list(root.rglob("bad*")) == []


def test_unmarshallable_value_is_returned_but_not_stored(root):
    import datetime

    value = {"when": datetime.date(2026, 1, 1)}
    assert diskcache.cached_parse("d.yaml", b"when: 2026-01-01\n", lambda: value) is value
    assert list(root.rglob("d.yaml*")) == []


def test_a_changed_byte_inside_the_body_fails_the_checksum(root):
    # a string's byte changed keeps the marshal body readable: only the checksum tells
    raw = b"entries:\n  - word: chatte\n"
    parse, calls = counting(raw)
    good = diskcache.cached_parse("x.yaml", raw, parse)
    (entry,) = (root / "ruledata").glob("*.marshal")
    blob = entry.read_bytes()
    entry.write_bytes(blob.replace(b"chatte", b"chatty"))
    assert entry.read_bytes() != blob
    assert diskcache.cached_parse("x.yaml", raw, parse) == good
    assert calls == [1, 1]


def test_an_intact_entry_passes_the_checksum(root):
    path = root / "ruledata" / "e.marshal"
    diskcache.write_entry(path, "k", {"a": [1, b"\x00bytes"]})
    assert diskcache.read_entry(path, "k") == (True, {"a": [1, b"\x00bytes"]})
    assert diskcache.read_entry(path, "other") == (False, None)
