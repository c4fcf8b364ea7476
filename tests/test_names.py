import pytest
from conftest import FIXTURES
from lexical_support import expected_errors, found, pack_context, run

from mtqa.checks.names import (
    COMMON_SPEC,
    EXONYM_SPEC,
    NAME_SPEC,
    Names,
    build_name_data,
    load_name_data,
)
from mtqa.errors import ConfigError
from mtqa.ruledata import load_records

LEX = FIXTURES / "lexical"


def by_rule(findings, rule):
    return [f for f in findings if f.rule == rule]


# ---------------------------------------------------------------- protected names


@pytest.mark.parametrize(
    "source, mt, wrong",
    [
        ("Ukraine asked for more Patriot systems.", "L'Ukraine a demandé davantage de systèmes patriotes.", "patriotes"),
        ("Berlin will send Leopard tanks to Kyiv.", "Berlin enverra des chars léopards à Kiev.", "léopards"),
        ("The oil major Shell reported record profits.", "La major pétrolière Coquille a annoncé des bénéfices records.", "Coquille"),
        ("Shares in Apple fell 3% after the iPhone launch.", "Les actions de Pomme ont chuté de 3 % après le lancement de l'iPhone.", "Pomme"),
        ("Kyiv used Storm Shadow missiles in the strike.", "Kiev a utilisé des missiles Ombre de tempête lors de la frappe.", "Ombre de tempête"),
        ("The ministry posted the video on Telegram.", "Le ministère a publié la vidéo sur télégramme.", "télégramme"),
        ("Ankara said Turkey would not join the sanctions.", "Ankara a déclaré que la dinde ne se joindrait pas aux sanctions.", "dinde"),
        ("The report was first published by Spiegel.", "Le rapport a d'abord été publié par le Miroir.", "Miroir"),
    ],
)
def test_protected_name_turned_into_common_noun_is_critical(source, mt, wrong):
    fs = by_rule(run(Names, [(source, mt)]), "names.protected")
    assert [(f.mt_text, f.severity) for f in fs] == [(wrong, "critical")]
    assert fs[0].category == "accuracy/mistranslation"


@pytest.mark.parametrize(
    "source, mt",
    [
        ("Ukraine asked for more Patriot systems.", "L'Ukraine a demandé davantage de systèmes Patriot."),
        ("Berlin will send Leopard tanks to Kyiv.", "Berlin enverra des chars Leopard à Kiev."),
        # the source's own common word makes the French one right
        ("The patriots cheered the Patriot battery.", "Les patriotes ont acclamé la batterie Patriot."),
        ("Patriots rallied in the capital.", "Des patriotes se sont rassemblés dans la capitale."),
        # sentence-initial ambiguous word without a company cue: an artillery shell
        ("Shell fragments hit the roof of the school.", "Des éclats d'obus ont touché le toit de l'école."),
        # a rainforest, not the company
        ("Fires in the Amazon rainforest spread this week.", "Les incendies dans la forêt amazonienne se sont étendus cette semaine."),
        ("Kyiv used Storm Shadow missiles in the strike.", "Kiev a utilisé des missiles SCALP lors de la frappe."),
        ("Israel's Iron Dome intercepted the rockets.", "Le Dôme de fer israélien a intercepté les roquettes."),
        ("The turkey was served after the Thanksgiving parade.", "La dinde a été servie après le défilé de Thanksgiving."),
    ],
)
def test_kept_or_explained_names_are_quiet(source, mt):
    assert by_rule(run(Names, [(source, mt)]), "names.protected") == []
    assert by_rule(run(Names, [(source, mt)]), "names.missing") == []


# ---------------------------------------------------------------- exonyms and the generic rule


@pytest.mark.parametrize(
    "source, mt",
    [
        ("Russia attacked Kyiv overnight.", "La Russie a attaqué Kiev pendant la nuit."),
        ("Russia attacked Kyiv overnight.", "La Russie a attaqué Kyiv pendant la nuit."),
        ("Officials in Germany and the United States agreed.", "Les responsables en Allemagne et aux États-Unis sont d'accord."),
        ("He spoke with U.S. President Donald Trump.", "Il s'est entretenu avec le président américain Donald Trump."),
        ("Talks with Putin stalled.", "Les pourparlers avec Poutine sont au point mort."),
        ("The call with Volodymyr Zelenskyy lasted an hour.", "L'appel avec Volodymyr Zelensky a duré une heure."),
        ("The summit of NATO and the EU opened.", "Le sommet de l'OTAN et de l'UE s'est ouvert."),
        ("The army said Bashar al-Assad had fled.", "L'armée a affirmé que Bachar el-Assad avait fui."),
        ("Fighting continued near Zaporizhzhia on Friday.", "Les combats se sont poursuivis près de Zaporijjia vendredi."),
        # a quoted title, a title-case headline, days and titles are not checked
        ('He starred in "The Long Goodbye Of Quentin Marsh" last year.', "Il a joué dans « Le Long Adieu » l'an dernier."),
        ("Ukraine Says Drone Strikes Hit Refinery Near Novorossiysk", "L'Ukraine dit avoir frappé une raffinerie"),
        ("He said on Friday that the Chancellor would resign.", "Il a déclaré vendredi que le chancelier démissionnerait."),
    ],
)
def test_exonyms_close_spellings_and_tolerated_capitals(source, mt):
    assert run(Names, [(source, mt)]) == []


def test_generic_name_missing_is_minor():
    fs = run(Names, [("Defence Minister Rustem Umerov met his counterpart.", "Le ministre de la Défense a rencontré son homologue.")])
    assert [(f.rule, f.severity, f.source_text) for f in fs] == [("names.missing", "minor", "Rustem Umerov")]
    # a transliteration is accepted
    assert run(Names, [("Defence Minister Rustem Umerov met his counterpart.", "Le ministre de la Défense Roustem Oumerov a rencontré son homologue.")]) == []


def test_generic_name_found_in_neighbouring_segment_is_not_missing():
    pairs = [("The talks were led by Rustem Umerov.", "Les pourparlers étaient menés par"), ("They ended late.", "Rustem Umerov. Ils se sont terminés tard.")]
    assert by_rule(run(Names, pairs), "names.missing") == []


def test_generic_name_only_in_lower_case_is_flagged_minor():
    fs = run(Names, [("The army deployed new Kolibri drones on Friday.", "L'armée a déployé de nouveaux drones colibri vendredi.")])
    assert [(f.rule, f.severity, f.mt_text) for f in fs] == [("names.protected", "minor", "colibri")]


def test_exonym_missing_is_minor_and_names_the_expected_form():
    fs = run(Names, [("Officials met in Warsaw on Monday.", "Les responsables se sont réunis lundi.")])
    assert [(f.rule, f.severity) for f in fs] == [("names.missing", "minor")]
    assert "Varsovie" in fs[0].message and fs[0].suggestion == "Varsovie"


def test_listed_name_missing_is_minor():
    fs = run(Names, [("The report was first published by Axios.", "Le rapport a d'abord été publié par un média.")])
    assert [(f.rule, f.severity, f.source_text) for f in fs] == [("names.missing", "minor", "Axios")]


# ---------------------------------------------------------------- the seed pack


def test_seed_patriotes_found_critical(seed):
    ctx = pack_context(seed)
    fs = list(Names(ctx.settings).run(ctx))
    errors = {e["id"]: e for e in expected_errors(seed)}
    for eid in ("E07", "E10"):
        assert found(ctx, [f for f in fs if f.severity == "critical"], errors[eid], ("names.protected",)), eid


def test_seed_reference_is_clean(seed):
    ctx = pack_context(seed, "ref")
    fs = list(Names(ctx.settings).run(ctx))
    assert [f for f in fs if f.severity != "minor"] == []
    assert fs == []


# ---------------------------------------------------------------- data files


def test_packaged_data_loads_with_enough_entries():
    data = load_name_data()
    protected = [e for e in data.entries if e.protected]
    assert len(protected) >= 150 and len(data.entries) - len(protected) >= 300
    for name in ("Patriot", "Leopard", "Tomahawk", "Stinger", "HIMARS", "Axios", "Spiegel", "Kyiv", "Germany"):
        assert name in data.by_form


@pytest.mark.parametrize(
    "fixture, message",
    [
        ("names_duplicate.yaml", ":4: name 'Patriot' is already listed at"),
        ("names_missing_wrong.yaml", ":3: missing field 'wrong'"),
        ("names_ambiguous.yaml", ":3: an 'ambiguous' name needs 'when' context cues"),
        ("names_bad_regex.yaml", ":3: field 'wrong': bad regular expression"),
        ("names_bad_kind.yaml", ":3: field 'kind' must be one of"),
    ],
)
def test_bad_name_files_name_file_and_line(fixture, message):
    path = LEX / fixture
    with pytest.raises(ConfigError) as e:
        build_name_data(load_records(path, NAME_SPEC, key="names"), [], [])
    assert str(path) in str(e.value) and message in str(e.value)


def test_exonym_without_french_form_is_an_error():
    path = LEX / "exonyms_no_fr.yaml"
    with pytest.raises(ConfigError, match=r"exonyms_no_fr.yaml:3: field 'fr' must list at least one French form"):
        build_name_data([], load_records(path, EXONYM_SPEC, key="exonyms"), load_records(path, COMMON_SPEC, key="common"))


def test_surname_translated_word_by_word_is_critical():
    fs = run(Names, [("The trial was led by Judge Mary Fox in London.", "Le procès était présidé par la juge Marie Renard à Londres.")])
    assert [(f.rule, f.severity, f.mt_text) for f in fs] == [("names.protected", "critical", "Marie Renard")]
    fs = run(Names, [("Police questioned Mr Baker on Monday.", "La police a interrogé M. Boulanger lundi.")])
    assert [(f.rule, f.severity, f.mt_text) for f in fs] == [("names.protected", "critical", "Boulanger")]


@pytest.mark.parametrize(
    "source, mt",
    [
        ("The trial was led by Judge Mary Fox in London.", "Le procès était présidé par la juge Mary Fox à Londres."),
        ("He criticised the Catholic Church on Sunday.", "Il a critiqué l'Église catholique dimanche."),
        ("The visit of Pope Francis was postponed.", "La visite du pape François a été reportée."),
        ("The Little Mermaid opened in Paris.", "La Petite Sirène a été présentée à Paris."),
    ],
)
def test_names_that_are_words_kept_or_not_person_names(source, mt):
    assert by_rule(run(Names, [(source, mt)]), "names.protected") == []


def test_longer_names_and_corporate_suffixes():
    fs = run(Names, [("Oil major Shell Plc said profits fell.", "La major pétrolière Coquille Plc a annoncé une baisse des bénéfices.")])
    assert [(f.rule, f.severity, f.mt_text) for f in fs] == [("names.protected", "critical", "Coquille")]
    # the Patriot Act is another name: its French rendering is not judged against the missile
    assert by_rule(run(Names, [("Congress renewed the Patriot Act on Friday.", "Le Congrès a renouvelé la loi patriote vendredi.")]), "names.protected") == []


def test_names_inside_quoted_titles_may_be_translated():
    assert run(Names, [('He starred in "The Patriot" in 2000.', "Il a joué dans « Le Patriote » en 2000.")]) == []
