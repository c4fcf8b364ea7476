"""The shared text helpers (mtqa.text.matching, mtqa.text.regex): one implementation each, with
the differences callers rely on as parameters."""

from __future__ import annotations

import re

from mtqa.text.matching import (
    accent_fold,
    find_all,
    fold,
    is_mid_sentence_capital,
    leftmost_longest,
    overlaps,
    strip_accents,
)
from mtqa.text.regex import LazyRegex, LiteralPrefilter, required_literals


def test_leftmost_longest_keeps_the_longer_then_the_earlier_hit():
    hits = [("b", 4, 9), ("a", 0, 5), ("c", 0, 3), ("d", 10, 12), ("e", 10, 12)]
    assert leftmost_longest(hits) == [("a", 0, 5), ("d", 10, 12)]  # ties: the order given
    assert leftmost_longest([]) == []


def test_find_all_span_group_is_a_parameter():
    pats = [("x", re.compile(r"a été (?P<span>chargé) de")), ("y", re.compile(r"chargé"))]
    text = "Il a été chargé de tout."
    assert find_all(pats, text) == [("x", 9, 15)]
    assert find_all(pats, text, span_group=False) == [("x", 3, 18)]
    assert find_all([("z", re.compile(r"\b"))], text) == []  # empty matches never count


def test_overlaps_is_strict():
    assert overlaps((2, 5), [(4, 8)]) and not overlaps((2, 5), [(5, 8), (0, 2)])


def test_accent_folding_and_its_case_parameter():
    assert strip_accents("Kyïv Élysée") == "Kyiv Elysee"
    assert accent_fold("Straße Élysée") == "strasse elysee"
    assert accent_fold("Straße Élysée", str.lower) == "straße elysee"


def test_the_calques_prefilter_folds_like_the_regexes_it_guards():
    """re.IGNORECASE matches 'istanbul' in 'İSTANBUL'; so must the prefilter (lower() would not)."""
    rx = re.compile(r"\bistanbul\b", re.IGNORECASE)
    text = "Flights to İSTANBUL resumed."
    assert rx.search(text)
    pre = LiteralPrefilter([required_literals(rx.pattern, rx.flags)])
    assert pre.candidates(text) == [0]
    assert "istanbul" not in text.lower() and "istanbul" in fold(text)


def test_lazy_regex_tries_every_required_literal():
    rx = LazyRegex(r"(?<![\w])(?:grève|frappe)s?(?![\w])")
    assert rx.search("Rien ici.") is None and rx._rx is None  # no literal: not even compiled
    assert rx.search("Une seule frappe.") and rx.search("Une GRÈVE.")


def test_capital_after_an_abbreviation_is_mid_sentence():
    text = "U.S. West Texas crude and Mr. Smith. The end."
    assert is_mid_sentence_capital(text, text.index("West"))
    assert is_mid_sentence_capital(text, text.index("Smith"))
    assert not is_mid_sentence_capital(text, text.index("The"))  # after "Smith.", a sentence starts
    assert not is_mid_sentence_capital("U.S.", 0)


def test_capital_after_an_ellipsis_starts_a_sentence():
    text = "Il hésite… Puis il part avec Marie."
    assert not is_mid_sentence_capital(text, text.index("Puis"))
    assert is_mid_sentence_capital(text, text.index("Marie"))


def test_british_spellings_are_english_words():
    from mtqa.text.morphology import is_english_word

    assert is_english_word("jewellers") and is_english_word("colours") and is_english_word("centres")
    assert not is_english_word("Pichette") and not is_english_word("Hollande")
