"""Glossary loading: CSV/TSV/TBX, and bad files → one-line errors naming file and line (exit 2)."""

from __future__ import annotations

import pytest
from checks_support import FIXTURES, SEED
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.errors import ConfigError
from mtqa.checks.glossary.load import load_csv, load_glossary, load_tbx


def test_seed_glossary_loads():
    g = load_glossary(str(SEED / "glossary.csv"))
    by_src = {e.source: e for e in g.entries}
    assert len(g.entries) == 9
    strike = by_src["strike"]
    assert [t.text for t in strike.targets] == ["frappe"] and [t.text for t in strike.forbidden] == ["grève"]
    assert [c for c, _ in strike.context] == ["attack", "missile", "drone", "air", "bomb", "military"]
    assert strike.applies("drone and missile strikes") and not strike.applies("workers went on strike")
    assert by_src["Zelenskyy"].is_variant("Zelenskyy") and not by_src["Patriot"].is_variant("patriotes")
    assert not by_src["video address"].is_variant("adresse vidéo")


def test_terms_match_through_inflection_and_elision():
    g = load_glossary(str(SEED / "glossary.csv"))
    ad = next(e for e in g.entries if e.source == "air defence")
    assert ad.source_regex.search("strengthen air defences")
    assert any(t.regex.search("renforcer les défenses aériennes") for t in ad.targets)
    va = next(e for e in g.entries if e.source == "video address")
    assert any(t.regex.search("dans l’Allocution Vidéo du soir") for t in va.targets)
    assert any(t.regex.search("son adresse vidéo") for t in va.forbidden)
    strike = next(e for e in g.entries if e.source == "strike")
    assert any(t.regex.search("les grèves de masse") for t in strike.forbidden)
    assert strike.source_regex.search("Kyiv's air strikes") and strike.source_regex.search("it struck") is None


def test_tbx_v2_and_v3():
    g = load_tbx(str(FIXTURES / "desk.tbx"))
    by_src = {e.source: e for e in g.entries}
    assert [t.text for t in by_src["Patriot"].targets] == ["Patriot"]
    assert [t.text for t in by_src["Patriot"].forbidden] == ["patriote"]
    assert by_src["Patriot"].note == "Name of the US air defence system"
    assert [t.text for t in by_src["video address"].forbidden] == ["adresse vidéo"]
    g3 = load_glossary(str(FIXTURES / "desk-v3.tbx"))
    assert [(e.source, [t.text for t in e.targets], [t.text for t in e.forbidden]) for e in g3.entries] == [
        ("ceasefire", ["cessez-le-feu"], ["arrêt du feu"])]


def test_tbx_entity_expansion_is_refused():
    with pytest.raises(ConfigError, match="entities.tbx"):
        load_glossary(str(FIXTURES / "entities.tbx"))


@pytest.mark.parametrize("name,where,what", [
    ("bad-row.csv", ":3:", "empty 'source'"),
    ("bad-fields.csv", ":3:", "6 fields"),
    ("bad-header.csv", ":1:", "unknown column 'colour'"),
    ("bad-severity.tsv", ":3:", "severity must be one of"),
])
def test_bad_rows_name_file_and_line(name, where, what):
    with pytest.raises(ConfigError) as e:
        load_glossary(str(FIXTURES / name))
    msg = str(e.value)
    assert name + where in msg and what in msg


def test_csv_quoted_fields_and_comments(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text('source,target,forbidden,context,note\n# a comment line\n"cease, fire",cessez-le-feu,"trêve|arrêt",,"a note, with comma"\n',
                 encoding="utf-8")
    g = load_csv(str(p))
    assert [(e.source, e.note) for e in g.entries] == [("cease, fire", "a note, with comma")]


def test_unknown_format_and_missing_file(tmp_path):
    p = tmp_path / "g.json"
    p.write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown glossary format"):
        load_glossary(str(p))
    with pytest.raises(ConfigError, match="no such glossary"):
        load_glossary(str(tmp_path / "missing.csv"))


def test_cli_bad_glossary_exits_2_naming_line():
    r = CliRunner().invoke(app, ["check", "-s", str(SEED / "source.en.txt"), "-t", str(SEED / "mt.fr.txt"),
                                 "-g", str(FIXTURES / "bad-row.csv"), "--metrics", "bleu", "-q"])
    assert r.exit_code == 2
    assert "bad-row.csv:3:" in r.output and "Traceback" not in r.output
