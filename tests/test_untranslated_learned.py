"""The learned untranslated token classifier: its features, its model file, and its findings."""

from __future__ import annotations

import json

import pytest
from checks_support import check_offsets, make_doc, needs_grammalecte_marker, run_one

from mtqa.checks import untranslated_learned as ul
from mtqa.errors import ConfigError

needs_grammalecte = needs_grammalecte_marker()


def _run(src, mt):
    adoc = make_doc([(src, mt)])
    findings = run_one("untranslated", adoc)
    check_offsets(findings, adoc)
    return findings


def test_parts_split_hyphens_and_camel_case():
    assert ul.parts("poundsBlue") == ["pounds", "blue"]
    assert ul.parts("wide-grip") == ["wide", "grip"]
    assert ul.parts("USB") == ["usb"]


def test_candidates_need_a_source_word():
    mt = "La lampe a un dimmer et un variateur."
    unknown = [(mt.index("dimmer"), mt.index("dimmer") + 6), (mt.index("variateur"), mt.index("variateur") + 9)]
    assert ul.candidates(mt, "The lamp has a dimmer.", unknown) == [unknown[0]]
    assert ul.candidates(mt, "The lamp has a switch.", unknown) == []


def test_candidates_skip_model_numbers_and_handles():
    mt = "Le modèle X-Wing et @handles."
    unknown = [(mt.index("Wing"), mt.index("Wing") + 4), (mt.index("handles"), mt.index("handles") + 7)]
    assert ul.candidates(mt, "The X-Wing model and @handles.", unknown) == []


def test_title_segment_and_source_name():
    assert ul.title_segment("Sac De Randonnée Trail Runner Pro")
    assert not ul.title_segment("Le sac de randonnée est léger.")
    assert ul.source_name("Kindle", "The new Kindle sold well.")
    assert not ul.source_name("dimmer", "The lamp has a dimmer.")
    assert not ul.source_name("Dimmer", "Dimmer switches are cheap. A dimmer helps.")


def test_features_have_the_model_width():
    mt = "La lampe a un dimmer switch."
    cands = [(mt.index("dimmer"), mt.index("dimmer") + 6), (mt.index("switch"), mt.index("switch") + 6)]
    look = ul.Lookups(lambda w, lang: 4.0 if lang == "en" else 1.0, lambda w: True, lambda w: 0.9,
                      lambda w, s, m: False)
    x = ul.features(mt, "The lamp has a dimmer switch.", cands, 0, look)
    assert len(x) == len(ul.FEATURES)
    named = dict(zip(ul.FEATURES, x))
    assert named["lower"] == 1.0 and named["capitalised"] == 0.0 and named["gap"] == 3.0
    assert named["next_candidate"] == 1.0 and named["prev_candidate"] == 0.0
    assert named["after_determiner"] == 1.0 and named["lingua_en"] == 0.9
    x = ul.features(mt, "The lamp has a dimmer switch.", cands, 1, look)
    assert dict(zip(ul.FEATURES, x))["after_determiner"] == 0.0


def test_packaged_model_matches_the_features():
    model = ul.load_model()
    assert model is not None and len(model.weights) == len(ul.FEATURES)
    assert 0.0 < model.threshold < 1.0
    assert model.severity(model.threshold - 0.01) is None
    assert model.severity(0.999) in ("major", "minor")


def test_a_bad_model_file_is_one_config_error(tmp_path, monkeypatch):
    bad = tmp_path / ul.MODEL_FILE
    bad.write_text(json.dumps({"features": ["bias"], "mean": [0], "scale": [1], "weights": [0]}), encoding="utf-8")
    monkeypatch.setattr(ul, "_model_path", lambda: bad)
    ul.load_model.cache_clear()
    try:
        with pytest.raises(ConfigError, match="features do not match"):
            ul.load_model()
    finally:
        ul.load_model.cache_clear()


@needs_grammalecte
def test_a_kept_english_word_the_rules_leave_is_flagged_by_the_model():
    f = _run("The lamp has a dimmer switch.", "La lampe a un dimmer switch.")
    assert [x.mt_text for x in f] == ["dimmer"] and "learned score" in f[0].message


@needs_grammalecte
def test_the_model_stays_quiet_on_french_and_on_news_names():
    assert _run("The lamp has a dimmer switch.", "La lampe a un variateur.") == []
    assert _run("The new Kindle sold well.", "Le nouveau Kindle s'est bien vendu.") == []
    assert _run("She read \"The Road\" last year.", "Elle a lu « The Road » l'an dernier.") == []
    assert _run("He works for Goldman Sachs in London.", "Il travaille pour Goldman Sachs à Londres.") == []
    assert _run("The rally was held in Trafalgar Square.", "Le rassemblement a eu lieu à Trafalgar Square.") == []


@pytest.mark.parametrize("word", sorted(ul.determiners()))
def test_every_determiner_is_a_lower_case_french_word(word):
    assert word.isalpha() and word.islower() and len(word) <= 5


def _eligible(src, mt, word):
    from mtqa.checks import untranslated as ut
    from mtqa.model import Segment

    seg = Segment(0, src, mt, None, (0,), (0,), "given", 1.0)
    s = mt.index(word)
    return ut.learned_eligible(seg, s, s + len(word), ut._masked_ranges(mt, src))


def test_learned_eligibility_keeps_english_words_of_the_source():
    assert _eligible("The lamp has a dimmer switch.", "La lampe a un dimmer.", "dimmer")
    # a capitalised word kept from a partly translated source title
    assert _eligible("Lifetime Warranty included.", "garantie Warranty à vie incluse.", "Warranty")


def test_learned_eligibility_refuses_names_loans_and_french_halves():
    assert not _eligible("Prime minister al-Maliki spoke.", "Le Premier ministre al-Maliki a parlé.", "al-Maliki")
    assert not _eligible("The shutdown ended.", "Le shutdown a pris fin.", "shutdown")
    assert not _eligible("Hong Kong-based firm.", "La firme hong-kongaise.", "hong-kongaise")
    assert not _eligible("They use USB cables.", "Ils utilisent des câbles USB.", "USB")
    # a capitalised word in a name context, or kept whole from a source name
    assert not _eligible("The Flight Centre results.", "Les résultats de Flight Centre.", "Centre")
    assert not _eligible("Our Warranty covers it.", "Notre Warranty le couvre.", "Warranty")
