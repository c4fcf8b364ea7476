"""The lexicon's inflection table (``mtqa/data/french_inflections.json``, compiled from
Grammalecte's lexicon by ``bench/french_inflections.py``): every entry is exercised. Each word's
regex matches every form the entry lists, and none of the other words (``not``) that the
hand-written rules matched; and each entry changes something the rules alone do."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import pytest

from mtqa.errors import ConfigError
from mtqa.text import morphology
from mtqa.text.morphology import french_name_regex, french_regex, hand_inflection

TABLE = json.loads(files("mtqa").joinpath("data").joinpath(morphology.INFLECTIONS_FILE).read_text(encoding="utf-8"))
ENTRIES = sorted(TABLE["words"].items())


def _matches(source: str, text: str) -> bool:
    return re.fullmatch(source, text, re.IGNORECASE) is not None


@pytest.mark.parametrize(("word", "entry"), ENTRIES, ids=[w for w, _ in ENTRIES])
def test_every_entry_matches_its_forms_and_not_the_other_words(word, entry):
    rx = french_regex(word)
    assert all(_matches(rx, f) for f in entry["forms"]), word
    assert not any(_matches(rx, o) for o in entry.get("not", [])), word
    # the entry is not redundant: the rules alone miss one of its forms or match one other word
    hand = hand_inflection(word)
    assert (not all(_matches(hand, f) for f in entry["forms"])
            or any(_matches(hand, o) for o in entry.get("not", []))), word


def test_the_table_is_large_and_names_its_source():
    assert len(ENTRIES) >= 5000
    assert "Grammalecte" in TABLE["source"] and TABLE["license"].startswith("MPL-2.0")


@pytest.mark.parametrize(("rendering", "text", "lexicon", "rules"), [
    ("atteindre", "atteints", True, False),   # an irregular verb's participle
    ("joindre", "joignent", True, False),
    ("aérienne", "aériens", True, False),     # the masculine of a feminine rendering
    ("frappes aériennes", "frappes aériens", True, False),
    ("genre", "gens", False, True),           # -re nouns are not verbs: no conjugation
    ("verre", "vers", False, True),
    ("foi", "foie", False, True),             # nor feminine forms a noun does not have
    ("urgences", "urgence", False, False),    # a plural rendering keeps its number (A&E)
    ("forts", "fort", False, False),
    ("genre", "genres", True, True),          # what both agree on stays
])
def test_the_lexicon_against_the_rules(rendering, text, lexicon, rules):
    assert _matches(french_regex(rendering), text) is lexicon
    assert _matches(french_regex(rendering, lexicon=False), text) is rules


def test_names_keep_the_hand_written_inflection():
    assert _matches(french_regex("Banque mondiale"), "Banque mondiale")
    assert not _matches(french_name_regex("Banque mondiale"), "Banque mondial")
    assert _matches(french_regex("banque mondiale"), "banque mondial")
    assert not _matches(french_name_regex("aérienne"), "aériens")


def test_a_capitalised_word_is_not_looked_up():
    assert _matches(french_regex("aérienne"), "Aériens")  # case-insensitive matching
    assert not _matches(french_regex("Aérienne"), "aériens")  # a capitalised rendering: the rules


@pytest.mark.parametrize("bad", [
    "not json",
    '{"words": []}',
    '{"words": {"chat": {"forms": ["chats"]}}}',  # the word is not among its own forms
    '{"words": {"Chat": {"forms": ["Chat"]}}}',   # not lower-case
    '{"words": {"chat": {"forms": ["chat", 3]}}}',
    '{"wordz": {}}',
])
def test_a_broken_table_is_one_clear_error(bad):
    with pytest.raises(ConfigError, match=r"french_inflections\.json"):
        morphology.read_inflections(bad)


def test_a_valid_table_is_read():
    assert morphology.read_inflections('{"words": {"chat": {"forms": ["chat", "chats"]}}}') == {"chat": ("chat", "chats")}
