"""BudgetRegex (mtqa/text/regex.py): a user's pattern runs on the ``regex`` module with a time
budget per call. A catastrophic pattern answers or stops with one clear line; a normal one
matches exactly as ``re`` does."""

from __future__ import annotations

import re
import time

import pytest

from mtqa.errors import ConfigError
from mtqa.text import regex as rx
from mtqa.text.regex import BudgetRegex, user_regex

HOSTILE = "a" * 30 + "!"


def test_nested_quantifier_answers_at_once(monkeypatch):
    # the CPU this thread spends, not the wall clock: other processes on a loaded machine do not
    # count; the (wall-clock) budget is lifted to 30 s so that they cannot end the search either
    budget = rx.REGEX_BUDGET_S
    monkeypatch.setattr(rx, "REGEX_BUDGET_S", 30.0)
    t = time.thread_time()
    assert BudgetRegex(r"(a+)+$").search(HOSTILE) is None  # `re` takes minutes on this
    assert time.thread_time() - t < budget


def test_catastrophic_pattern_stops_at_the_budget(monkeypatch):
    monkeypatch.setattr(rx, "REGEX_BUDGET_S", 0.05)
    r = BudgetRegex(r"(a|aa)+$", origin="g.csv:7: target term")
    t = time.thread_time()  # CPU, not wall time: a loaded machine only makes the budget end it sooner
    with pytest.raises(ConfigError) as e:
        r.search(HOSTILE)
    assert time.thread_time() - t < 5  # the budget, plus the engine's check interval, not minutes
    msg = str(e.value)
    assert msg.startswith("g.csv:7: target term: regular expression ran past 0.05 s") and "\n" not in msg
    with pytest.raises(ConfigError):
        list(r.finditer(HOSTILE))
    with pytest.raises(ConfigError):
        r.fullmatch(HOSTILE)


def test_same_pattern_on_harmless_text_matches(monkeypatch):
    monkeypatch.setattr(rx, "REGEX_BUDGET_S", 0.05)
    assert BudgetRegex(r"(a|aa)+$").search("baaa").group() == "aaa"


CASES = [
    (r"(?<![\w-])frappes?(?![\w-])", "Une frappe, des frappes; antifrappe."),
    (r"\bMr\.?\s+(\w+)", "mr  Smith and MR. Jones"),
    (r"(?P<n>\d+)\s*%", "12 % et 7%"),
    (r"l[’']?(?:OTAN|Otan)", "l’OTAN, l'Otan, lOTAN"),
    (r"^\s*$", ""),
    (r"é(?:t|l)é", "ÉTÉ, élé, ete"),
]


@pytest.mark.parametrize(("pattern", "text"), CASES)
def test_matches_as_re_does(pattern, text):
    ours = BudgetRegex(pattern)
    theirs = re.compile(pattern, re.IGNORECASE)
    assert [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)]
    assert bool(ours.search(text)) == bool(theirs.search(text))
    assert bool(ours.fullmatch(text)) == bool(theirs.fullmatch(text))
    assert dict(ours.groupindex) == dict(theirs.groupindex)


def test_no_match_where_re_has_none():
    assert BudgetRegex(r"(?<![\w-])grève(?![\w-])").search("les grévistes, antigrève") is None
    assert BudgetRegex(r"abc", flags=0).search("ABC") is None  # flags honoured: no IGNORECASE
    assert BudgetRegex(r"abc").search("ABC") is not None


@pytest.mark.parametrize("pattern", ["(a", "a{2,1}", "[z-a]", "*a"])
def test_bad_pattern_is_one_line(pattern):
    with pytest.raises(ConfigError) as e:
        user_regex(pattern, "rules.yaml:3: field 'pattern'")
    msg = str(e.value)
    assert msg.startswith("rules.yaml:3: field 'pattern': bad regular expression") and "\n" not in msg


def test_good_pattern_compiles():
    assert user_regex(r"a+b", "r.yaml:1").search("xaab").group() == "aab"
