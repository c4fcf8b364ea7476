from __future__ import annotations

from checks_support import FIXTURES, SEED, check_offsets, make_doc, run_one

from mtqa.config import Settings


def _run(pairs, glossaries=()):
    adoc = make_doc(pairs)
    findings = run_one("consistency", adoc, Settings(glossaries=list(glossaries)))
    check_offsets(findings, adoc)
    return findings


KYIV = [
    ("Russia struck Kyiv overnight.", "La Russie a frappé Kiev dans la nuit."),
    ("The mayor of Kyiv said ten people died.", "Le maire de Kiev a déclaré que dix personnes étaient mortes."),
    ("Kyiv asked for help.", "Kiev a demandé de l’aide."),
    ("Drones hit Kyiv again on Friday.", "Des drones ont de nouveau frappé Kyiv vendredi."),
]


def test_minority_rendering_is_flagged():
    f = _run(KYIV)
    assert [(x.rule, x.segment, x.mt_text, x.severity, x.category) for x in f] == [
        ("consistency.rendering", 3, "Kyiv", "minor", "terminology/inconsistent")]
    assert f[0].suggestion == "Kiev" and f[0].source_text == "Kyiv" and "(Kiev ×3, Kyiv ×1)" in f[0].message


def test_consistent_rendering_is_clean():
    pairs = [(s, m.replace("Kyiv", "Kiev")) for s, m in KYIV]
    assert _run(pairs) == []
    # the same form everywhere, even if it is not the desk form: consistent (the glossary reports it)
    assert _run([(s, m.replace("Kiev", "Kyiv")) for s, m in KYIV]) == []


def test_glossary_target_decides_which_rendering_is_wrong():
    pairs = [KYIV[0], KYIV[3], (KYIV[1][0], KYIV[1][1].replace("Kiev", "Kyiv"))]  # Kiev ×1, Kyiv ×2
    f = _run(pairs, [str(SEED / "glossary.csv")])
    names = [x for x in f if x.rule == "consistency.rendering"]
    assert [(x.segment, x.mt_text) for x in names] == [(1, "Kyiv"), (2, "Kyiv")]
    assert _run(pairs) and [(x.segment, x.mt_text) for x in _run(pairs)] == [(0, "Kiev")]  # without: majority


def test_two_source_names_rendered_alike():
    f = _run([
        ("Mali and Malawi signed a deal.", "Le Mali et le Malawi ont signé un accord."),
        ("Malawi will host the talks.", "Le Mali accueillera les pourparlers."),
        ("Officials in Mali agreed to the plan.", "Les responsables au Mali ont accepté le plan."),
    ])
    col = [x for x in f if x.rule == "consistency.collision"]
    assert [(x.segment, x.mt_text, x.source_text) for x in col] == [(1, "Mali", "Malawi")]
    assert col[0].category == "accuracy/mistranslation"


def test_glossary_reserved_rendering_used_for_another_term():
    g = str(FIXTURES / "terms.csv")
    f = _run([("The economy took a hit after the tariff.", "L’économie a subi une frappe après le tarif douanier.")], [g])
    col = [x for x in f if x.rule == "consistency.collision"]
    assert [(x.mt_text, x.source_text, x.suggestion) for x in col] == [("frappe", "hit", "coup dur")]
    # the owning term is in the source: its rendering is legitimately there
    assert _run([("The strike hit the depot.", "La frappe a touché le dépôt.")], [g]) == []
    # the other term's own rendering is there: no collision
    assert _run([("The economy took a hit.", "L’économie a encaissé un coup dur, une frappe au moral.")], [g]) == []


PETRENKO = [
    ("Coach Petrenko praised the team.", "L’entraîneur Petrenko a salué l’équipe."),
    ("The players thanked Petrenko after the match.", "Les joueurs ont remercié Petrenko après le match."),
    ("Petrenko will stay until June.", "Petrenko restera jusqu’en juin."),
    ("Fans sang for Petrenko on Sunday.", "Les supporters ont chanté pour Petrenco dimanche."),
]


def test_a_misspelt_name_is_major():
    [f] = _run(PETRENKO)
    assert (f.rule, f.segment, f.mt_text, f.severity, f.category) == (
        "consistency.rendering", 3, "Petrenco", "major", "accuracy/mistranslation")
    assert "misspelt" in f.message and f.suggestion == "Petrenko"


def test_a_variant_that_is_not_a_misspelling_stays_minor():
    # one use of each spelling: no usual form to judge by
    [f] = _run(PETRENKO[2:])
    assert f.severity == "minor"
    # the usual rendering is not the source spelling (a transliteration choice): minor
    assert [x.severity for x in _run(KYIV)] == ["minor"]
    # a name that is an English word, translated once (Express → Exprès): minor
    express = [(s.replace("Petrenko", "Express"), m.replace("Petrenko", "Express").replace("Petrenco", "Exprès"))
               for s, m in PETRENKO]
    assert [x.severity for x in _run(express)] == ["minor"]
    # more than two letters changed: another name, not a misspelling
    far = [*PETRENKO[:3], (PETRENKO[3][0], PETRENKO[3][1].replace("Petrenco", "Patrinka"))]
    assert [(x.mt_text, x.severity) for x in _run(far)] == [("Patrinka", "minor")]
