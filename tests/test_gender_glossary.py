"""The glossary as a source of a person's gender: an entry with ``gender`` (f/m) makes its name a
cue of the ``gender`` check, in the sentence and in the previous sentences of the paragraph."""

import json

import pytest
from checks_support import make_doc
from typer.testing import CliRunner

from mtqa.checks.base import CheckContext
from mtqa.checks.gender import Gender, scan
from mtqa.checks.gender.people import People
from mtqa.checks.glossary.load import load_csv, make_entry
from mtqa.cli import app
from mtqa.config import Settings
from mtqa.errors import ConfigError

PEOPLE = People([make_entry("Dupont", "", gender="f", where="desk.csv:2"),
                 make_entry("Rose Martin", "Rose Martin", gender="m", where="desk.csv:3"),
                 make_entry("Durand", "Durand", where="desk.csv:4")])


def spans(source, mt, context=None, people=PEOPLE):
    return [(mt[h.start:h.end], h.severity) for h in scan(source, mt, context, people=people)]


@pytest.mark.parametrize("source, mt, expected", [
    # the name alone fixes the gender: no pronoun in the English
    ("Minister Dupont said the bill would pass.", "Le ministre Dupont a déclaré que le projet de loi serait adopté.",
     [("Le ministre", "major")]),
    ("Dupont, the director, resigned on Monday.", "Dupont, le directeur, a démissionné lundi.", [("directeur", "major")]),
    ("Rose Martin, the director, resigned.", "Rose Martin, la directrice, a démissionné.", [("directrice", "major")]),
    # a participle after the name
    ("Dupont arrived late.", "Dupont est arrivé en retard.", [("arrivé", "minor")]),
])
def test_a_glossary_name_flags_the_other_gender(source, mt, expected):
    assert spans(source, mt) == expected
    assert spans(source, mt, people=None) == []  # without the glossary: no cue


@pytest.mark.parametrize("source, mt", [
    ("Minister Dupont said the bill would pass.", "La ministre Dupont a déclaré que le projet de loi serait adopté."),
    ("Dupont arrived late.", "Dupont est arrivée en retard."),
    # the person's name is there but the French noun is someone else
    ("Dupont met the director.", "Dupont a rencontré le directeur."),
    # an entry without gender gives nothing; a lower-case word is not the name
    ("Minister Durand said the bill would pass.", "Le ministre Durand a déclaré que le projet de loi serait adopté."),
    ("The director planted a rose martin.", "La directrice a planté un rosier."),
    # the name and a pronoun of the other gender: two people, nothing decided
    ("Dupont said he would resign.", "Dupont a déclaré qu'il démissionnerait."),
])
def test_right_or_undecided_stays_quiet(source, mt):
    assert spans(source, mt) == []


def test_the_name_in_a_previous_sentence_is_a_minor_cue():
    hits = scan("The new director spoke first.", "Le nouveau directeur a parlé le premier.",
                ["Dupont arrived on Monday."], people=PEOPLE)
    assert [(h.severity, h.suggestion) for h in hits] == [("minor", "directrice")]
    assert "'Dupont' in a previous sentence (glossary, desk.csv:2)" in hits[0].message
    assert scan("The new director spoke first.", "La nouvelle directrice a parlé la première.",
                ["Dupont arrived on Monday."], people=PEOPLE) == []


def test_the_check_reads_the_settings_glossary(tmp_path):
    g = tmp_path / "desk.csv"
    g.write_text("source,target,gender\nDupont,,f\n", encoding="utf-8")
    adoc = make_doc([[("Minister Dupont spoke.", "Le ministre Dupont a parlé.")]])
    for glossaries, n in (([str(g)], 1), ([], 0)):
        settings = Settings(glossaries=glossaries)
        ctx = CheckContext(adoc=adoc, settings=settings, embedder=None)  # type: ignore[arg-type]
        assert len(list(Gender(settings).run(ctx))) == n


def test_the_gender_column_is_validated():
    entries = load_csv("desk.csv", "source,target,gender\nDupont,,F\nDurand,Durand,\n").entries
    assert [(e.source, e.gender, [t.text for t in e.targets]) for e in entries] == [
        ("Dupont", "f", []), ("Durand", None, ["Durand"])]
    with pytest.raises(ConfigError, match=r"desk.csv:3: gender must be f or m, got 'female'"):
        load_csv("desk.csv", "source,target,gender\nDupont,,f\nDurand,,female\n")
    with pytest.raises(ConfigError, match=r"desk.csv:2: .*neither a target"):
        load_csv("desk.csv", "source,target,gender\nDupont,,\n")


def _cli(tmp_path, glossary):
    (tmp_path / "s.txt").write_text("Minister Dupont said the bill would pass.\nThe weather was fine.\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("Le ministre Dupont a déclaré que le projet de loi serait adopté.\nIl faisait beau.\n",
                                    encoding="utf-8")
    (tmp_path / "g.csv").write_text(glossary, encoding="utf-8")
    out = tmp_path / "r.json"
    r = CliRunner().invoke(app, ["check", "-s", str(tmp_path / "s.txt"), "-t", str(tmp_path / "t.txt"), "-g",
                                 str(tmp_path / "g.csv"), "--line-aligned", "--metrics", "bleu", "--grammar", "off",
                                 "-o", str(out), "-q"])
    return r, out


def test_cli_round_trip(tmp_path):
    r, out = _cli(tmp_path, "source,target,gender\nDupont,Dupont,f\n")
    assert r.exit_code in (0, 1), r.output
    found = [f for d in json.loads(out.read_text(encoding="utf-8"))["documents"] for f in d["findings"]
             if f["rule"] == "gender"]
    assert [(f["mt_text"], f["severity"], f["suggestion"]) for f in found] == [("Le ministre", "major", "La ministre")]
    assert "'Dupont' (glossary, " in found[0]["message"]


def test_cli_bad_gender_exits_2_naming_line(tmp_path):
    r, out = _cli(tmp_path, "source,target,gender\nDupont,Dupont,x\n")
    assert r.exit_code == 2 and "g.csv:2: gender must be f or m" in r.output and "Traceback" not in r.output
    assert not out.exists()
