"""Generated from the calque and false-friend data itself: every pattern with an ``example`` must
fire on the faulty French and stay quiet on the right French. Every pattern of the theme files
(mtqa/data/calques/*.yaml) carries an example."""

from __future__ import annotations

import pytest

from mtqa.checks.calques import Calques, load_patterns
from mtqa.config import Settings
from pairs_support import run_pair

PATTERNS = load_patterns()
EXAMPLES = [p for p in PATTERNS if p.example]
CHECK = Calques(Settings())


def _mine(pid: str, findings) -> list:
    return [f for f in findings if f.message.endswith(f"[{pid}]")]


@pytest.mark.parametrize("p", EXAMPLES, ids=[p.id for p in EXAMPLES])
def test_faulty_french_fires(p):
    found = _mine(p.id, run_pair(p.example["en"], p.example["wrong"], CHECK))
    assert found, f"{p.where}: '{p.id}' does not fire on {p.example['wrong']!r}"
    assert all(f.severity == p.severity and f.rule == p.rule for f in found)


@pytest.mark.parametrize("p", EXAMPLES, ids=[p.id for p in EXAMPLES])
def test_right_french_is_quiet(p):
    found = _mine(p.id, run_pair(p.example["en"], p.example["right"], CHECK))
    assert not found, (p.where, [f.message for f in found])


def test_every_theme_pattern_has_an_example():
    missing = [p.where for p in PATTERNS if "/calques/" in p.where and not p.example]
    assert not missing, f"{len(missing)} patterns without an example, first: {missing[:5]}"
