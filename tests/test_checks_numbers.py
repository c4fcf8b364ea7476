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
    # wire-style times, durations and noon
    ("The strikes began at 1400 GMT on Monday.", "Les frappes ont commencé à 14 h GMT lundi."),
    ("The curfew starts at 2100 local time.", "Le couvre-feu commence à 21h00 heure locale."),
    ("Polls close at 0930 GMT.", "Les bureaux de vote ferment à 9 h 30 GMT."),
    ("He landed at 2 p.m. ET.", "Il a atterri à 14 heures (heure de l'Est)."),
    ("The ceasefire took effect at noon.", "Le cessez-le-feu est entré en vigueur à midi."),
    ("The ceasefire took effect at 12 p.m.", "Le cessez-le-feu est entré en vigueur à midi."),
    ("The film will last 2 hours 45 minutes.", "Le film durera 2h45."),
    ("The film will last 2 hours 45 minutes.", "Le film durera 2 heures et 45 minutes."),
    ("The result will come at 6.30 that night.", "Le résultat tombera à 6h30 ce soir-là."),
    # spelled magnitudes and fractions
    ("The average age is 12.5 years.", "L'âge moyen est de 12 ans et demi."),
    ("About 2.5 million people fled.", "Environ deux millions et demi de personnes ont fui."),
    ("About 500,000 people fled.", "Environ un demi-million de personnes ont fui."),
    ("Half a million people fled.", "Un demi-million de personnes ont fui."),
    ("Half a million people fled.", "500 000 personnes ont fui."),
    ("A dozen people were hurt.", "Une douzaine de personnes ont été blessées."),
    ("Costs rose by seven thousand million dollars.", "Les coûts ont augmenté de sept milliards de dollars."),
    ("Call 08 11 00 06 95 for help.", "Appelez le 08.11.00.06.95 pour obtenir de l'aide."),
    ("It covers £38 000 million of assets.", "Elle couvre 38 milliards de livres d'actifs."),
    # unit conversions
    ("He drove at 130mph.", "Il roulait à 210 km/h."),
    ("The storm brought winds of 70 knots.", "La tempête a apporté des vents de 130 km/h."),
    ("The tanker spilled 10,000 gallons of oil.", "Le pétrolier a déversé 38 000 litres de pétrole."),
    ("The fire burned 5,000 acres.", "L'incendie a brûlé 2 000 hectares."),
    ("A capacity of 2.2 trillion cubic feet of gas.", "Une capacité de 63 milliards de mètres cubes de gaz."),
    ("The town lies 20 miles from the border.", "La ville se trouve à 32 km de la frontière."),
    ("The zone covers 100 square miles.", "La zone couvre 260 km²."),
    ("He weighed 200 pounds.", "Il pesait 91 kg."),
    ("The ship stopped 12 nautical miles off the coast.", "Le navire s'est arrêté à 22 km des côtes."),
    ("The limit is 40 miles per hour.", "La limite est de 40 miles à l’heure."),
    ("He landed at 5:42 p.m. local time.", "Il a atterri à 17 h 42 heure locale."),
    ("He landed at 5:42 p.m. local time.", "Il a atterri à 5 h 42 de l’après-midi, heure locale."),
    # periods and directions that agree
    ("Nurses work 12 hours a day.", "Les infirmières travaillent 12 heures par jour."),
    ("The drug costs $900 per patient per year.", "Le médicament coûte 900 dollars par patient et par an."),
    ("Sales were up 18% in May.", "Les ventes étaient en hausse de 18 % en mai."),
    ("Shares fell 3% after rising 5% on Monday.", "L'action a chuté de 3 % après avoir gagné 5 % lundi."),
    ("The gap narrowed by 2 percentage points.", "L'écart s'est réduit de 2 points de pourcentage."),
    ("The rate rose 0.5 point.", "Le taux a augmenté de 0,5 %."),
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


def test_pm_time_read_as_morning_is_a_mismatch():
    f = _run("He landed at 5:42 p.m. local time.", "Il a atterri à 5 h 42 heure locale.")
    assert _rules(f) == [("numbers.mismatch", "5 h 42", "major")]


def test_pm_time_is_not_excused_by_a_rounded_number_nearby():
    f = _run("He landed at 5:42 p.m. local time.", "Il a atterri à 5 h 42 heure locale.",
             neighbours=[("The jet carried six crew.", "L’avion transportait six membres d’équipage.")])
    assert _rules(f) == [("numbers.mismatch", "5 h 42", "major")]
    f = _run("He landed at 5:42 p.m. local time.", "Il a atterri à 17 h 42 heure locale.",
             neighbours=[("The jet carried six crew.", "L’avion transportait six membres d’équipage.")])
    assert f == []


def test_period_is_read_past_a_bracketed_aside():
    src = "It would cost about 310,000 euros ($337,000) per patient per year at list price."
    f = _run(src, "Il coûterait environ 310 000 euros (337 000 dollars) par patient et par mois au prix catalogue.")
    # both amounts read the same wrong period: one finding, on the period
    assert _rules(f) == [("numbers.period", "par mois", "major")]
    assert _run(src, "Il coûterait environ 310 000 euros (337 000 dollars) par patient et par an au prix catalogue.") == []


def test_changed_period_is_major():
    f = _run("Nurses work 12 hours a day.", "Les infirmières travaillent 12 heures par semaine.")
    assert _rules(f) == [("numbers.period", "par semaine", "major")]
    assert "per day" in f[0].message and "per week" in f[0].message
    f = _run("The drug costs $900 per patient per year.", "Le médicament coûte 900 dollars par patient et par mois.")
    assert _rules(f) == [("numbers.period", "par mois", "major")]  # read within a few words after the figure


def test_flipped_direction_is_major():
    f = _run("Arrivals were up 18% on last year.", "Les arrivées sont en baisse de 18 % sur un an.")
    assert _rules(f) == [("numbers.direction", "18 %", "major")]
    f = _run("Output fell 4% in March.", "La production a progressé de 4 % en mars.")
    assert _rules(f) == [("numbers.direction", "4 %", "major")]


def test_percentage_points_rendered_as_percent_is_a_unit_change():
    f = _run("Survival improved by 4.5 percentage points.", "La survie s'est améliorée de 4,5 %.")
    assert _rules(f) == [("numbers.unit", "4,5 %", "major")]


def test_unit_changed_without_converting_is_major():
    assert _rules(_run("The tanker spilled 10,000 gallons.", "Le pétrolier a déversé 10 000 litres.")) == [
        ("numbers.unit", "10 000 litres", "major")]
    assert _rules(_run("He drove at 130mph.", "Il roulait à 130 km/h.")) == [("numbers.unit", "130 km/h", "major")]


def test_wrong_conversion_is_a_mismatch():
    f = _run("The town lies 20 miles from the border.", "La ville se trouve à 60 km de la frontière.")
    assert _rules(f) == [("numbers.mismatch", "60 km", "major")]


def test_changed_magnitude_is_major_and_named():
    f = _run("They pledged 5 million euros.", "Ils ont promis 5 milliards d'euros.")
    assert _rules(f) == [("numbers.mismatch", "5 milliards d'euros", "major")] and "magnitude" in f[0].message


def test_wire_time_changed_is_a_mismatch():
    f = _run("The strikes began at 1400 GMT.", "Les frappes ont commencé à 16 h GMT.")
    assert _rules(f) == [("numbers.mismatch", "16 h", "major")]


def test_a_year_after_by_is_not_a_time():
    assert _run("Citizens must buy insurance by 2014.", "Les citoyens doivent s'assurer d'ici 2014.") == []
    f = _run("Citizens must buy insurance by 2014.", "Les citoyens doivent s'assurer d'ici 20 h 14.")
    assert [x.rule for x in f] == ["numbers.mismatch"]


def test_half_added_to_the_french_is_a_mismatch():
    for src in ("The average age is 12 years.", "The average age is 13.5 years."):
        f = _run(src, "L'âge moyen est de 12 ans et demi.")
        assert [x.rule for x in f] == ["numbers.mismatch"], src


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
