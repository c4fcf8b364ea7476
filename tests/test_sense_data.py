"""Generated from the sense data itself: every sense with an ``example`` (an English sentence, a
faulty French rendering and a right one) must be flagged at major or critical on the faulty French
and draw no finding for its headword on the right French. Every headword of the beat files
(mtqa/data/sense/*.yaml) carries at least one example."""

from __future__ import annotations

import pytest

from mtqa.checks.sense import Headword, Sense, WrongSense, load_headwords
from mtqa.config import Settings
from pairs_support import run_pair

HEADWORDS = load_headwords()
EXAMPLES = [(hw, s) for hw in HEADWORDS for s in hw.senses if s.example]
CHECK = WrongSense(Settings())


def _ids(item: tuple[Headword, Sense]) -> str:
    hw, s = item
    return f"{hw.word}:{s.name[:40]}"


def _about(hw: Headword, findings) -> list:
    return [f for f in findings if f.source_text and hw.regex.search(f.source_text)]


@pytest.mark.parametrize("item", EXAMPLES, ids=[_ids(x) for x in EXAMPLES])
def test_wrong_rendering_is_flagged(item):
    hw, s = item
    found = _about(hw, run_pair(s.example["en"], s.example["wrong"], CHECK))
    assert found, f"{s.where}: no finding for '{hw.word}' on {s.example['wrong']!r}"
    assert any(f.severity in ("major", "critical") for f in found), (s.where, [f.message for f in found])


@pytest.mark.parametrize("item", EXAMPLES, ids=[_ids(x) for x in EXAMPLES])
def test_right_rendering_is_quiet(item):
    hw, s = item
    found = _about(hw, run_pair(s.example["en"], s.example["right"], CHECK))
    assert not found, (s.where, [f.message for f in found])


def test_every_beat_headword_has_an_example():
    missing = [hw.where for hw in HEADWORDS if "/sense/" in hw.where and not any(s.example for s in hw.senses)]
    assert not missing, f"{len(missing)} headwords without an example, first: {missing[:5]}"


def test_the_beat_files_are_loaded():
    assert any("/sense/" in hw.where for hw in HEADWORDS)
