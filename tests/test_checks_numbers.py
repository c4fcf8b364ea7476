from __future__ import annotations

import pytest
from checks_support import check_offsets, make_doc, run_one
from hypothesis import given, settings
from hypothesis import strategies as st

NB, NN = "\u00a0", "\u202f"


def _run(src, mt, neighbours=()):
    adoc = make_doc([(src, mt), *neighbours])
    findings = [f for f in run_one("numbers", adoc) if f.segment == 0]
    check_offsets(findings, adoc)
    return findings


CORRECT = [
    ("Rates rose to 2.75% on July 4, 2025.", "Les taux sont passés à 2,75 % le 4 juillet 2025."),
    ("Rates rose to 2.75 percent.", "Les taux sont passés à 2,75 pour cent."),
    ("It will cost $5bn.", "Cela coûtera 5 milliards de dollars."),
    ("It will cost $5 billion.", "Cela coûtera 5 milliards $."),
    ("They pledged 200 million euros.", "Ils ont promis 200 millions d’euros."),
    ("They pledged €200m.", "Ils ont promis 200 M€."),
    ("Some 1,000 people came.", "Quelque 1 000 personnes sont venues."),
    ("Some 1,000 people came.", f"Quelque 1{NB}000 personnes sont venues."),
    ("Some 1,000 people came.", f"Quelque 1{NN}000 personnes sont venues."),
    ("Some 1,000 people came.", "Quelque mille personnes sont venues."),
    ("A crowd of 12,500,000 people.", f"Une foule de 12{NN}500{NN}000 personnes."),
    ("The meeting starts at 3 p.m. on Friday.", "La réunion commence à 15 h vendredi."),
    ("At 10:30 a.m. on Monday.", "À 10 h 30 lundi."),
    ("Two soldiers were hurt.", "Deux soldats ont été blessés."),
    ("Two soldiers were hurt.", "2 soldats ont été blessés."),
    ("The call lasted about 40 minutes.", "L’appel a duré environ 40 minutes."),
    ("In the 1990s, prices fell.", "Dans les années 1990, les prix ont baissé."),
    ("In the 1980s, prices fell.", "Dans les années 80, les prix ont baissé."),
    ("It happened on May 5.", "C’est arrivé le 5 mai."),
    ("Profit will be between $325 million and $340 million.", "Le bénéfice sera compris entre 325 et 340 M$."),
    ("She was stuck 50ft up.", "Elle était coincée à 15 m de hauteur."),
    ("A 21st-century problem.", "Un problème du XXIe siècle."),
    ("The 2.2% rise.", "La hausse de 2,2 %."),
    ("A 38-year-old man.", "Un homme de 38 ans."),
]


@pytest.mark.parametrize("src,mt", CORRECT)
def test_correct_conversions_are_clean(src, mt):
    assert _run(src, mt) == []


def test_modal_may_is_not_a_month():
    assert _run("Trump may visit Kyiv, officials said.", "Donald Trump pourrait se rendre à Kiev, selon des responsables.") == []


def _rules(findings):
    return [(f.rule, f.mt_text, f.severity) for f in findings]


def test_changed_number_is_major():
    f = _run("Rates rose to 2.75%.", "Les taux sont passés à 2,57 %.")
    assert _rules(f) == [("numbers.mismatch", "2,57 %", "major")]
    assert f[0].source_text == "2.75%" and f[0].category == "accuracy/mistranslation"


def test_changed_month_is_major():
    f = _run("It happened on July 4.", "C’est arrivé le 4 juin.")
    assert _rules(f) == [("numbers.date", "juin", "major")]


def test_changed_weekday_is_major_and_missing_weekday_minor():
    assert _rules(_run("He spoke on Friday.", "Il s’est exprimé jeudi.")) == [("numbers.date", "jeudi", "major")]
    f = _run("He spoke on Friday.", "Il s’est exprimé.")
    assert _rules(f) == [("numbers.date", "", "minor")] and f[0].source_text == "Friday"
    assert _rules(_run("It happened in July.", "C’est arrivé cet été.")) == [("numbers.date", "", "major")]
    assert _run("Almost every Friday, he drives.", "Presque tous les vendredis, il conduit.") == []


def test_weekday_in_a_name_is_not_a_date():
    assert _run("He told the Sunday Telegraph.", "Il a déclaré au Sunday Telegraph.") == []


def test_missing_number_is_major():
    f = _run("The call lasted about 40 minutes.", "L’appel a duré longtemps.")
    assert _rules(f) == [("numbers.missing", "", "major")]
    assert f[0].source_text == "40 minutes" and f[0].category == "accuracy/omission"


def test_number_in_a_neighbouring_segment_is_alignment_noise():
    f = _run("The call lasted about 40 minutes.", "L’appel a duré longtemps.",
             neighbours=[("It was long.", "Environ 40 minutes.")])
    assert f == []


def test_french_billion_is_a_mismatch():
    f = _run("It will cost $5bn.", "Cela coûtera 5 billions de dollars.")
    assert _rules(f) == [("numbers.mismatch", "5 billions de dollars", "major")]
    assert "10^12" in f[0].message


def test_english_thousands_comma_is_major_format():
    f = _run("Some 1,000 people came.", "Quelque 1,000 personnes sont venues.")
    assert _rules(f) == [("numbers.format", "1,000", "major")]
    assert f[0].category == "locale-convention/number-format"


def test_decimal_point_is_minor_format():
    f = _run("Rates rose to 2.75%.", "Les taux sont passés à 2.75 %.")
    assert _rules(f) == [("numbers.format", "2.75 %", "minor")]


def test_other_unit_is_major():
    assert _rules(_run("They drove 40 miles.", "Ils ont roulé 40 km.")) == [("numbers.unit", "40 km", "major")]
    assert _rules(_run("It costs $40.", "Cela coûte 40 euros.")) == [("numbers.unit", "40 euros", "major")]


def test_added_number_is_minor():
    assert _rules(_run("He spoke at length.", "Il a parlé pendant 3 heures.")) == [("numbers.added", "3 heures", "minor")]


def test_spelled_number_is_optional():
    assert _run("Two soldiers were hurt.", "Des soldats ont été blessés.") == []


# ------------------------------------------------------------------ properties


def _en(n: int, frac: str) -> str:
    return f"{n:,}" + (f".{frac}" if frac else "")


def _fr(n: int, frac: str, sep: str) -> str:
    return f"{n:,}".replace(",", sep) + (f",{frac}" if frac else "")


AMOUNTS = st.tuples(
    st.integers(min_value=0, max_value=9_999_999),
    st.sampled_from(["", "5", "25", "75", "125"]),
    st.sampled_from([" ", NB, NN]),
    st.sampled_from([("", "", ""), ("%", " %", ""), (" million", " millions", ""), (" billion", " milliards", ""),
                     (" million euros", " millions d’euros", ""), ("bn", " milliards de dollars", "$")]),
)


@settings(max_examples=120, deadline=None)
@given(AMOUNTS)
def test_any_correct_conversion_is_clean(case):
    n, frac, sep, (en_unit, fr_unit, cur) = case
    src = f"The figure was {cur}{_en(n, frac)}{en_unit} last year."
    mt = f"Le chiffre était de {_fr(n, frac, sep)}{fr_unit} l’an dernier."
    assert _run(src, mt) == [], (src, mt)


@settings(max_examples=80, deadline=None)
@given(AMOUNTS, st.integers(min_value=1, max_value=9))
def test_any_changed_amount_is_a_major_mismatch(case, delta):
    n, frac, sep, (en_unit, fr_unit, cur) = case
    src = f"The figure was {cur}{_en(n, frac)}{en_unit} last year."
    mt = f"Le chiffre était de {_fr(n + delta, frac, sep)}{fr_unit} l’an dernier."
    f = _run(src, mt)
    assert [(x.rule, x.severity) for x in f] == [("numbers.mismatch", "major")], (src, mt, f)
