"""``warmup.rule_data`` builds the enabled checks' packaged data while an early Grammalecte
worker loads (issue 16), and only then: the loaders it runs are the checks' own cached ones."""

from __future__ import annotations

import pytest

from mtqa import warmup
from mtqa.checks import calques, sense
from mtqa.checks.grammar import worker
from mtqa.checks.names import core, organisations
from mtqa.config import Settings

LOADERS = (core.load_name_data, organisations.load_org_data, sense._packaged_index, calques.load_patterns)


@pytest.fixture
def cleared():
    for f in LOADERS:
        f.cache_clear()
    yield
    for f in LOADERS:
        f.cache_clear()


def _pending(monkeypatch, settings: Settings) -> None:
    monkeypatch.setitem(worker._SPAWNED, settings.grammar_python, object())  # a worker not yet taken


def test_a_pending_worker_gets_the_rule_data_built(monkeypatch, cleared):
    settings = Settings()
    _pending(monkeypatch, settings)
    assert warmup.rule_data(settings) == 7
    assert all(f.cache_info().currsize == 1 for f in LOADERS)
    assert core.load_name_data() is core.load_name_data()  # the check's call gets the same object


def test_no_pending_worker_builds_nothing(monkeypatch, cleared):
    settings = Settings()
    monkeypatch.delitem(worker._SPAWNED, settings.grammar_python, raising=False)
    assert warmup.rule_data(settings) == 0
    assert all(f.cache_info().currsize == 0 for f in LOADERS)


def test_grammar_off_builds_nothing(monkeypatch, cleared):
    settings = Settings(grammar="off")
    _pending(monkeypatch, settings)
    assert warmup.rule_data(settings) == 0
    assert core.load_name_data.cache_info().currsize == 0


def test_a_disabled_check_is_skipped(monkeypatch, cleared):
    settings = Settings(disable=["names"])
    _pending(monkeypatch, settings)
    assert warmup.rule_data(settings) == 5
    assert core.load_name_data.cache_info().currsize == 0
    assert organisations.load_org_data.cache_info().currsize == 0
    assert calques.load_patterns.cache_info().currsize == 1


def test_a_failing_loader_is_left_to_the_check(monkeypatch, cleared):
    settings = Settings()
    _pending(monkeypatch, settings)

    def broken() -> None:
        raise ValueError("bad data")

    monkeypatch.setattr(organisations, "load_org_data", broken)
    assert warmup.rule_data(settings) == 6  # the others are still built; no exception here
    with pytest.raises(ValueError):
        organisations.load_org_data()
