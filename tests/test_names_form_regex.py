"""``FormRegex`` (names and organisations, issue 16's start-up) finds what the regex of every
packaged form finds, on texts made of the forms themselves."""

from __future__ import annotations

import random
import re

import pytest

from mtqa.checks.names import core, organisations
from mtqa.text.regex import trie_regex


def _full_names() -> tuple[core.FormRegex, re.Pattern]:
    fr = core.load_name_data().source_rx
    assert fr is not None
    return fr, re.compile(r"(?<![\w-])(" + trie_regex(fr.forms) + r")(?:['’]s)?(?![\w])")


def _full_orgs() -> tuple[core.FormRegex, re.Pattern]:
    fr = organisations.load_org_data().source_rx
    assert fr is not None
    return fr, re.compile(organisations._verbatim(list(fr.forms)))


def _texts(forms: tuple[str, ...]) -> list[str]:
    rnd = random.Random(16)
    out = []
    for i in range(0, len(forms), 3):
        a, b, c = (forms[(i + k) % len(forms)] for k in range(3))
        out.append(f"On Monday {a} said that {b}'s plan, unlike {c.upper()}, was {a}-backed ({b})")
        words = [w for f in (a, b, c) for w in f.split()]
        rnd.shuffle(words)
        out.append(" ".join(words) + ", " + a.replace(" ", "  "))
    return out


@pytest.mark.parametrize("which", [_full_names, _full_orgs], ids=["names", "organisations"])
def test_the_same_matches_as_the_regex_of_every_form(which):
    fr, full = which()
    texts = _texts(fr.forms)
    assert len(texts) > 100
    found = 0
    for text in texts:
        want = [(m.start(), m.end(), m.group(0)) for m in full.finditer(text)]
        assert [(m.start(), m.end(), m.group(0)) for m in fr.finditer(text)] == want, text
        found += len(want)
    assert found > len(texts)


def test_no_candidate_no_regex_and_a_leading_word_must_be_whole():
    fr = core.FormRegex(["Bank of England", "IMF", "U.S.", "'t Hooft"], lambda forms: re.compile("|".join(map(re.escape, forms))))
    assert fr.regex_for("Nothing here") is not None  # "'t Hooft" starts with no word character: always tried
    fr = core.FormRegex(["Bank of England", "IMF"], lambda forms: re.compile("|".join(map(re.escape, forms))))
    assert fr.regex_for("Nothing here") is None and list(fr.finditer("Nothing here")) == []
    assert fr.regex_for("Banks of England") is None  # "Banks" is not the word "Bank"
    assert [m.group(0) for m in fr.finditer("the Bank of England and the IMF")] == ["Bank of England", "IMF"]
    assert fr.regex_for("the IMF") is fr.regex_for("IMF again")  # one compile per set of candidates


def test_the_compiled_sets_stay_bounded():
    built = []
    fr = core.FormRegex([f"Name{i} Corp" for i in range(20)], lambda forms: built.append(forms) or re.compile("x"))
    fr.LIMIT = 5
    for i in range(20):
        fr.regex_for(f"Name{i} said")
    assert len(fr._compiled) <= 5 and len(built) == 20
    fr.regex_for("Name19 said")
    assert len(built) == 20  # the latest set is still kept
