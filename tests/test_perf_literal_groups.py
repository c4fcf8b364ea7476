"""Every literal a rule-data pattern needs (``required_literal_groups``), and the sense data's
cached plain form carrying them to ``LazyRegex``: fewer patterns compiled, no match hidden."""

from __future__ import annotations

import re

import pytest

from mtqa.text.morphology import french_regex
from mtqa.text.regex import LazyRegex, required_literal_groups, required_literals, valid_key_groups


@pytest.mark.parametrize(
    ("pattern", "groups"),
    [
        (french_regex("frappe aérienne", lexicon=False), (("aérienne",), ("frappe",))),
        # the lexicon's forms of aérienne (aérien, aériens, aériennes) share the literal aérien
        (french_regex("frappe aérienne"), (("aérien",), ("frappe",))),
        (r"(?:\bfew\s+and\s+far\s+between\b)", (("between",), ("and",), ("far",), ("few",))),  # one-branch group
        (r"abc(?:de|fg)xy", (("abc",), ("de", "fg"), ("xy",))),
        (r"(?:abc)?de", (("de",),)),  # an optional group needs nothing
        (r"(?=abc)de", (("de",),)),  # nor does a lookahead
        (r"grève|frappe", (("frappe", "grève"),)),  # top-level alternatives: one set
        (r"a|bc", None),
        (r"ab*c", None),  # one-character literals only
        (r"(?x)frap pe", None),
    ],
)
def test_required_literal_groups(pattern, groups):
    assert required_literal_groups(pattern, re.IGNORECASE) == groups


def test_each_group_is_sound_and_the_best_one_is_required_literals():
    rx = french_regex("coup d'État")
    groups = required_literal_groups(rx, re.IGNORECASE)
    assert groups is not None and required_literals(rx, re.IGNORECASE) in {frozenset(g) for g in groups}
    assert re.search(rx, "un coup d'État", re.IGNORECASE)
    assert all(any(k in "un coup d'état" for k in g) for g in groups)


def test_a_text_lacking_one_needed_literal_is_not_searched():
    rx = LazyRegex(french_regex("frappe aérienne"))
    # 'frappe' alone passed the old one-literal prefilter ('aérienne' was its best); now nothing compiles
    assert rx.search("La frappe a eu lieu en zone urbaine.") is None and rx._rx is None
    assert rx.search("Une frappe aérienne.") is not None


def test_given_literal_groups_are_used_and_a_wrong_shape_is_not():
    source = french_regex("grève")
    given = LazyRegex(source, keys=(("zzz",),))
    assert given.search("La grève continue.") is None  # the given keys decide, nothing is recomputed
    for bad in ([["grève"]], (("G",),), (("grève", 3),), "grève"):  # from a corrupt cache: ignored
        assert not valid_key_groups(bad)
        assert LazyRegex(source, keys=bad).search("La grève continue.") is not None
    assert valid_key_groups(None) and LazyRegex(source, keys=None).search("La grève continue.") is not None


def test_the_sense_plain_form_carries_the_literal_groups():
    from mtqa.checks.sense import _realise, _regex_spec
    from mtqa.ruledata import Record

    rec = Record({"sense": "x"})
    rec.path, rec.line, rec.packaged = "mtqa/data/sense/test.yaml", 1, True
    spec = _regex_spec(french_regex("frappe aérienne"), False, rec, "wrong")
    assert spec[3] == required_literal_groups(spec[1], re.IGNORECASE)
    rx = _realise(spec)
    assert isinstance(rx, LazyRegex) and rx.search("la frappe") is None and rx.search("la frappe aérienne")


PLOT = """headwords:
- word: plot
  senses:
  - sense: a conspiracy
    cues: [coup, assassination]
    right: [complot, conspiration]
    wrong: [parcelle]
  - sense: a piece of land
    cues: [land, garden]
    right: [parcelle, terrain]
    wrong: [complot]
"""


def _plot_check(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_sense import _build

    from mtqa.checks.sense import WrongSense
    from mtqa.config import Settings

    hws = _build(PLOT, tmp_path)
    return WrongSense(Settings(), headwords=hws), hws[0]


def test_no_wrong_rendering_no_right_rendering_searched(tmp_path):
    check, hw = _plot_check(tmp_path)
    from test_sense import run_pairs

    # 'complot' is in the French, but nothing wrong is: the right renderings are not even compiled
    assert run_pairs([("Police foiled a coup plot.", "La police a déjoué un complot.")], check) == []
    assert all(rx._rx is None for s in hw.senses for _, rx in s.right)


def test_with_a_wrong_rendering_the_right_ones_still_clear_or_account(tmp_path):
    check, hw = _plot_check(tmp_path)
    from test_sense import run_pairs

    found = run_pairs([("Police foiled a coup plot.", "La police a déjoué une parcelle.")], check)
    assert [f.mt_text for f in found] == ["parcelle"]
    # a right rendering for the occurrence elsewhere in the segment clears the wrong one
    assert run_pairs([("Police foiled a coup plot.", "La police a déjoué un complot, pas une parcelle.")], check) == []


def test_literal_prefilter_by_start_finds_what_a_test_per_literal_finds():
    from mtqa.text.regex import LiteralPrefilter

    keys = [frozenset({"grève"}), None, frozenset({"x"}), frozenset({"frappe", "coup"}), frozenset({"ève g"})]
    pre = LiteralPrefilter(keys)
    texts = ["Une grève générale.", "Le COUP est parti.", "rien", "x", "la grève générale", ""]
    for text in texts:
        naive = sorted({i for i, ks in enumerate(keys) if not ks or any(k in text.casefold() for k in ks)})
        assert pre.candidates(text) == naive, text
    assert pre.candidates("rien") == [1]  # only the pattern with no literal
    assert pre.candidates("x") == [1, 2]  # a one-character literal is still found
