"""One-word headwords matched on tokens (no regex compiled): exactly what the regex finds."""

from __future__ import annotations

import re
import sys

import pytest

from mtqa.checks.sense import HEADWORD_SPEC, TextIndex, build_headwords, occurrences
from mtqa.ruledata import parse_yaml, validate_records
from mtqa.text.morphology import english_regex
from mtqa.text.regex import IGNORECASE_ASCII_TWINS, word_forms, word_spans

TEXTS = [
    "Workers went on STRIKE; the strikes ended.",
    "A pre-strike meeting, a strike-breaker and strike_2 are not the word; strike2 neither.",
    "Strikes, striking, struck: (strike) «strike» strike",
    "strikeé and éstrike are other words; strike\u0301 is the word with a combining mark.",
    "",
]


def test_word_forms_reads_a_one_word_headword_pattern():
    assert word_forms(english_regex("strike")) >= {"strike", "strikes", "striking"}
    assert word_forms(english_regex("strike", ["struck"])) >= {"struck"}


@pytest.mark.parametrize("word", ["take off", "café", "take-off"])
def test_word_forms_refuses_other_patterns(word):
    assert word_forms(english_regex(word)) is None
    assert word_forms(r"(?<![\w-])(?:a.b)(?![\w-])") is None


@pytest.mark.parametrize("text", TEXTS)
def test_word_spans_are_what_the_regex_finds(text):
    source = english_regex("strike", ["struck"])
    forms = word_forms(source)
    ix = TextIndex.of(text)
    want = [m.span() for m in re.finditer(source, text, re.IGNORECASE)]
    assert word_spans(forms, text, ix.spans) == want


def test_word_spans_give_way_to_the_regex_on_an_ignorecase_twin():
    text = "The \u017ftrike (long s) is a strike for re.IGNORECASE"
    forms = word_forms(english_regex("strike"))
    assert word_spans(forms, text, TextIndex.of(text).spans) is None
    # and the headword then falls back to its regex, which finds both
    hw = _headwords()[0]
    assert occurrences(hw, TextIndex.of(text)) == [m.span() for m in hw.regex.finditer(text)]
    assert len(occurrences(hw, TextIndex.of(text))) == 2


def test_the_twins_are_every_non_ascii_character_ignorecase_matches_to_ascii():
    chars = "".join(chr(c) for c in range(128, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert frozenset(re.findall(r"(?i)[a-z0-9]", chars)) == IGNORECASE_ASCII_TWINS


HEADWORDS = """headwords:
- word: strike
  forms: [struck]
  senses:
  - sense: a walkout
    cues: [union, workers]
    right: [grève]
    wrong: [frappe]
  - sense: an attack
    cues: [missile, re:air\\s?raid]
    right: [frappe]
    wrong: [grève]
- word: plot
  senses:
  - sense: a conspiracy
    cues: [coup]
    right: [complot]
    wrong: [parcelle]
  - sense: land
    cues: [garden]
    right: [parcelle]
    wrong: [complot]
"""


def _headwords():
    return build_headwords(validate_records(parse_yaml(HEADWORDS, "t.yaml"), "t.yaml", HEADWORD_SPEC, key="headwords"))
