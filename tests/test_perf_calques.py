"""The calques' prefilter on every literal set a source needs (round 30): an alternation needs a
union of one set per alternative (``run-?off`` in each alternative: ``run`` and ``off``), and
``LiteralPrefilter`` lets through only the patterns all of whose sets are met."""

from __future__ import annotations

import re

from mtqa.text.regex import LiteralPrefilter, required_literal_groups

RUNOFF = r"(?:\brun-?off\s+(?:election|vote)\b|\bin\s+a\s+run-?off\b|\bthe\s+run-?off\b)"


def test_an_alternation_needs_what_every_alternative_needs():
    groups = required_literal_groups(RUNOFF, re.IGNORECASE)
    assert groups is not None and ("run",) in groups and ("off",) in groups
    # before, the alternation needed only one set: {election, vote, run, the}, which 'the' meets
    for text in ("a run-off vote", "in a runoff", "THE RUN-OFF"):
        assert re.search(RUNOFF, text, re.IGNORECASE)
        assert all(any(k in text.casefold() for k in g) for g in groups), text


def test_an_alternative_that_needs_nothing_leaves_the_alternation_without_keys():
    assert required_literal_groups(r"(?:\bgrève\b|\w+s)", re.IGNORECASE) is None  # 's': too short
    assert required_literal_groups(r"(?:\bgrève\b|(?:abc)?)", re.IGNORECASE) is None
    assert required_literal_groups(r"(?:\bgrève\b|\bfrappe\b)", re.IGNORECASE) == (("frappe", "grève"),)


def test_a_set_contained_in_another_is_kept_alone():
    # 'abc' (in both alternatives) is needed; {abc, de} and {abc, fg} add nothing to it
    groups = required_literal_groups(r"(?:abc\s+de|abc\s+fg)", re.IGNORECASE)
    assert groups == (("abc",), ("de", "fg"))


def test_many_alternatives_keep_few_sets_and_stay_sound():
    words = [f"w{i}a w{i}b w{i}c w{i}d" for i in range(8)]
    pattern = "|".join(r"\s+".join(w.split()) for w in words)
    groups = required_literal_groups(pattern, re.IGNORECASE)
    assert groups is not None and len(groups) <= 12
    for w in words:
        text = re.sub(" ", "  ", w)
        assert re.search(pattern, text, re.IGNORECASE)
        assert all(any(k in text for k in g) for g in groups), text


def test_the_prefilter_tests_every_set_of_a_pattern():
    pre = LiteralPrefilter([required_literal_groups(RUNOFF, re.IGNORECASE), None, (("talks",),)])
    assert pre.candidates("The election is run on Sunday.") == [1]  # 'run' but no 'off'
    assert pre.candidates("In a RUN-OFF, the talks…") == [0, 1, 2]
    assert pre.candidates("the kick-off") == [1]  # 'off' (the set it is not indexed by) alone


def test_the_prefilter_still_takes_one_set_of_literals():
    pre = LiteralPrefilter([frozenset({"grève", "frappe"}), frozenset()])
    assert pre.candidates("une FRAPPE") == [0, 1] and pre.candidates("rien") == [1]


def test_every_packaged_match_passes_the_new_prefilter():
    """On fixture sentences, written here, that match packaged calque sources: each is a candidate."""
    from mtqa.checks.calques import load_patterns, load_prefilter

    patterns, pre = load_patterns(), load_prefilter()
    texts = ["Shares of Apple fell after the run-off vote.", "The company said it was looking at it.",
             "He is believed to have fled on Friday.", "A 35-year-old man was injured.",
             "Officials put the plan on ice as of Monday."]
    matched = 0
    for text in texts:
        cands = set(pre.candidates(text))
        for i, p in enumerate(patterns):
            if p.source.compiled.search(text):
                matched += 1
                assert i in cands, (p.id, text)
    assert matched >= 5


def test_the_prefilter_finds_literals_inside_and_across_words():
    # 'hare' inside 'shares', 'share' a prefix of 'shares', a literal with a space and a hyphen
    keys = [(("hare",),), (("share",),), (("shares",),), ((" strike",),), (("-old",),), (("x",),), (("",),)]
    pre = LiteralPrefilter(keys)
    assert pre.candidates("SHARES rose") == [0, 1, 2, 6]
    assert pre.candidates("two strikes by a 5-year-old") == [3, 4, 6]  # no "x"; "" is met by any text
    assert pre.candidates("a\\tstrike, Old") == [6]  # a tab is not the space of ' strike'
    text = "Tax hikes"
    assert pre.candidates(text) == [5, 6]
