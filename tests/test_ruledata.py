import re

import pytest

from mtqa.errors import ConfigError
from mtqa.ruledata import Field, load_records
from mtqa.text.regex import compile_regex

SPEC = {"word": Field(str, required=True), "severity": Field(str, choices=("minor", "major", "critical"))}


def test_valid_records_remember_their_line(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text("entries:\n  - word: strike\n    severity: major\n  - word: trial\n", encoding="utf-8")
    recs = load_records(p, SPEC, key="entries")
    assert [r["word"] for r in recs] == ["strike", "trial"]
    assert [r.line for r in recs] == [2, 4]


@pytest.mark.parametrize(
    "body, message",
    [
        ("entries:\n  - word: strike\n    severity: huge\n", ":2: field 'severity' must be one of"),
        ("entries:\n  - severity: minor\n", ":2: missing field 'word'"),
        ("entries:\n  - word: x\n    colour: red\n", ":2: unknown field 'colour'"),
        ("entries:\n  - word: [1\n", "invalid YAML"),
        ("other: []\n", "expected a top-level 'entries:' list"),
    ],
)
def test_bad_rule_files_name_file_and_line(tmp_path, body, message):
    p = tmp_path / "bad.yaml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_records(p, SPEC, key="entries")
    assert str(p) in str(e.value) and message in str(e.value)


def test_bad_regex_points_at_record(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text("entries:\n  - word: '(unclosed'\n", encoding="utf-8")
    rec = load_records(p, SPEC, key="entries")[0]
    with pytest.raises(ConfigError, match=r"r.yaml:2: field 'word': bad regular expression"):
        compile_regex(rec["word"], rec, "word")


def test_fold_matches_what_ignorecase_matches():
    """The prefilter of LazyRegex is exact only if characters that re.IGNORECASE matches to each
    other fold alike: re lower-cases both sides (simple mapping) and knows a few extra pairs."""
    import sys
    from re import _casefix

    import _sre

    from mtqa.text.matching import fold

    fold_ = fold.__wrapped__  # the cache would only slow a million calls down
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        low = _sre.unicode_tolower(cp)
        if low != cp:
            assert fold_(chr(cp)) == fold_(chr(low)), hex(cp)
    for cp, others in _casefix._EXTRA_CASES.items():
        for other in others:
            assert fold_(chr(cp)) == fold_(chr(other)), (hex(cp), hex(other))
    assert fold("İSTANBUL ſtrike") == fold("istanbul strike")


@pytest.mark.parametrize(
    "pattern, keys",
    [
        (r"(?<![\w])frappe(?:e|s|es|x)?(?![\w])", {"frappe"}),
        (r"(?<![\w])offenses?(?![\w])", {"offense"}),
        (r"(?<![\w])piles(?:e|es)?\s+à\s+combustibles?(?![\w])", {"combustible"}),
        (r"(?<![\w])l['’ʼ]\s*écart(?:e|s)?", {"écart"}),
        (r"(?<![\w])s[eéè]parer", {"parer"}),
        (r"a\.b\-c{2,3}d", {"a.b-"}),
        (r"x[)(|]yz(?:a|b)", {"yz"}),
        (r"(?<![\w-])(?:strike|strikes)(?![\w-])", {"strike"}),
        (r"(?<![\w-])(?:grève|frappes?)(?![\w-])", {"grève", "frappe"}),
        (r"grève|frappe", {"grève", "frappe"}),
        (r"grève|\w+", None),  # one alternative needs no literal
        (r"(?:un|deux)+\d", {"un", "deux"}),  # repeated at least once: required
        (r"(?:trois|quatre)*\dfo", {"fo"}),  # repeated maybe never: not required
        (r"(?i)FRAPPE", {"frappe"}),  # folded
        (r"(?x) frap pe  # a comment", {"frappe"}),
        (r"caf\xe9s", {"cafés"}),
        (r"İstanbul|Straße", {"istanbul", "strasse"}),
        (r"(a)b+\1", None),  # one-character literals only
        (r"\d{4} strikes?\b", {" strike"}),
        (r"(?=strike)\w+", None),  # a lookahead is not followed
        (r"(unclosed", None),
    ],
)
def test_required_literals(pattern, keys):
    from mtqa.text.regex import required_literals

    assert required_literals(pattern) == (frozenset(keys) if keys else None)


def test_required_literals_follow_the_flags():
    from mtqa.text.regex import required_literals

    assert required_literals("frap pe", re.VERBOSE) == {"frappe"}
    assert required_literals("frap pe") == {"frap pe"}


def test_lazy_regex_compiles_only_when_it_may_match():
    from mtqa.text.morphology import french_regex
    from mtqa.text.regex import LazyRegex

    rx = LazyRegex(french_regex("frappe aérienne"))
    assert rx.search("Une grève générale.") is None and rx._rx is None
    text = "Les FRAPPES  aériennes et la frappe aérienne."
    assert [m.span() for m in rx.finditer(text)] == [m.span() for m in re.finditer(rx.pattern, text, re.IGNORECASE)]
    assert len(list(rx.finditer(text))) == 2 and rx._rx is not None
    assert LazyRegex("Shell", 0).search("shell") is None and LazyRegex("Shell", 0).search("Shell")


def _lazy_regexes(value, seen):
    """Every LazyRegex reachable from the built rule data (dataclasses, lists, tuples, dicts)."""
    from dataclasses import fields, is_dataclass

    from mtqa.text.regex import LazyRegex

    if isinstance(value, LazyRegex):
        yield value
    elif id(value) in seen or isinstance(value, (str, bytes, int, float, re.Pattern)):
        return
    elif is_dataclass(value):
        seen.add(id(value))
        for f in fields(value):
            yield from _lazy_regexes(getattr(value, f.name), seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        seen.add(id(value))
        for v in value:
            yield from _lazy_regexes(v, seen)
    elif isinstance(value, dict):
        seen.add(id(value))
        for v in value.values():
            yield from _lazy_regexes(v, seen)


def test_packaged_rule_data_regexes_all_compile():
    """The packaged data's regexes are compiled on first use, not at load time: a bad one (a
    hand-written re: pattern) must fail here, with its file and line, not in a user's run."""
    from mtqa.checks.calques import load_patterns
    from mtqa.checks.names import load_name_data
    from mtqa.checks.sense import load_headwords

    seen: set[int] = set()
    regexes = [rx for data in (load_headwords(), load_name_data(), load_patterns()) for rx in _lazy_regexes(data, seen)]
    assert len(regexes) > 5000
    bad = []
    for rx in regexes:
        try:
            re.compile(rx.pattern, rx.flags)
        except re.error as e:
            bad.append(f"{rx.origin}: {e}")
    assert not bad, "\n".join(bad)
