"""The packaged name data builds an entry the first time one of its forms is looked up
(``NameEntries``); ``build_name_data`` without ``lazy`` builds and checks them all at once."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from mtqa.checks.names import NAME_SPEC, build_name_data, load_name_data
from mtqa.errors import ConfigError
from mtqa.ruledata import load_records

LEX = FIXTURES / "lexical"


def _names(path):
    return load_records(path, NAME_SPEC, key="names")


def test_an_entry_is_built_when_a_form_of_it_is_looked_up():
    data = build_name_data(_names(LEX / "names_ambiguous.yaml")[:1], [], [], lazy=True)
    assert "Axios" in data.by_form and list(data.by_form) == ["Axios"] and not data.by_form._built
    entry = data.by_form["Axios"]
    assert entry.name == "Axios" and data.by_form.get("Axios") is entry and len(data.by_form._built) == 1
    assert data.by_form.get("Reuters") is None and "Reuters" not in data.by_form


def test_lazy_data_reports_a_bad_entry_when_it_is_looked_up(tmp_path):
    data = build_name_data(_names(LEX / "names_ambiguous.yaml"), [], [], lazy=True)
    assert data.by_form["Axios"].name == "Axios"
    with pytest.raises(ConfigError, match=r"names_ambiguous.yaml:3: an 'ambiguous' name needs 'when' context cues"):
        data.by_form["Shell"]  # the lookup builds the entry


def test_a_form_listed_twice_fails_at_load_even_when_lazy():
    with pytest.raises(ConfigError, match=r"names_duplicate.yaml:4: name 'Patriot' is already listed at .*:2"):
        build_name_data(_names(LEX / "names_duplicate.yaml"), [], [], lazy=True)


def test_the_packaged_data_is_lazy_and_every_entry_builds():
    data = load_name_data()
    entries = data.entries  # builds every entry: the packaged data stays checked
    assert len(entries) == len(data.by_form._records) and all(e.where for e in entries)
    assert data.by_form["Patriot"] is next(e for e in entries if e.name == "Patriot")
