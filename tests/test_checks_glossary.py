from __future__ import annotations

from checks_support import FIXTURES, SEED, check_offsets, make_doc, run_one

from mtqa.config import Settings

GLOSSARY = str(SEED / "glossary.csv")


def _run(pairs, glossaries=(GLOSSARY,)):
    adoc = make_doc(pairs)
    findings = run_one("glossary", adoc, Settings(glossaries=list(glossaries)))
    check_offsets(findings, adoc)
    return findings


def _r(findings):
    return [(f.rule, f.mt_text, f.severity, f.category) for f in findings]


def test_military_strike_rendered_greve_is_major():
    f = _run([("Russian drone and missile strikes on Kyiv.", "Les grèves de drones et de missiles russes sur Kiev.")])
    assert _r(f) == [("glossary.forbidden", "grèves", "major", "accuracy/mistranslation")]
    assert f[0].suggestion == "frappe" and f[0].source_text == "strikes"


def test_labour_strike_greve_is_right():
    # no military cue in the source: the entry does not apply
    assert _run([("Rail workers went on strike over pay.", "Les cheminots se sont mis en grève pour les salaires.")]) == []


def test_required_term_present_through_inflection_is_clean():
    assert _run([("Russian air strikes intensified.", "Les frappes aériennes russes se sont intensifiées."),
                 ("He spoke in his nightly video address.", "Il s’est exprimé dans son allocution vidéo du soir."),
                 ("They discussed air defences.", "Ils ont discuté des défenses aériennes.")]) == []


def test_required_term_missing_is_minor():
    f = _run([("Russian air strikes intensified.", "Les bombardements aériens russes se sont intensifiés.")])
    assert _r(f) == [("glossary.missing", "", "minor", "terminology/wrong-term")]
    assert "frappe" in f[0].message


def test_spelling_variant_is_minor_name_made_common_noun_is_major():
    f = _run([("Zelenskyy asked for Patriot missiles.", "Zelenskyy a demandé des missiles patriotes.")])
    assert sorted(_r(f), key=lambda x: x[1] != "Zelenskyy") == [("glossary.forbidden", "Zelenskyy", "minor", "terminology/wrong-term"),
                     ("glossary.forbidden", "patriotes", "major", "accuracy/mistranslation")]


def test_name_kept_is_clean_case_insensitive_target():
    assert _run([("Zelenskyy asked for Patriot missiles.", "Volodymyr Zelensky a demandé des missiles Patriot.")]) == []


def test_false_friend_address():
    f = _run([("in his nightly video address", "dans son adresse vidéo nocturne")])
    assert _r(f) == [("glossary.forbidden", "adresse vidéo", "major", "accuracy/mistranslation")]


def test_severity_column_overrides():
    f = _run([("Kyiv was hit.", "Kyiv a été touchée.")], [str(FIXTURES / "severity.tsv")])
    assert [(x.mt_text, x.severity) for x in f] == [("Kyiv", "major")]
    assert "desk style" in f[0].message


def test_tbx_glossary_in_the_check():
    f = _run([("They want Patriot systems.", "Ils veulent des systèmes patriotes.")], [str(FIXTURES / "desk.tbx")])
    assert [(x.rule, x.mt_text) for x in f] == [("glossary.forbidden", "patriotes")]


def test_no_glossary_no_findings():
    adoc = make_doc([("Russian air strikes.", "Les grèves aériennes russes.")])
    assert run_one("glossary", adoc, Settings()) == []
