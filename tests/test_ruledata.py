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
    import _sre
    import sys
    from re import _casefix

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
        (r"a\.b\-c{2,3}d", {"a.b-c"}),  # c is there at least twice
        (r"xab?cde", {"cde"}),  # b maybe absent: "xa" then "cde", never "xab"
        (r"abc*de{,2}", {"ab"}),
        (r"ab{}cd", {"ab{}cd"}),  # not a quantifier: literal braces
        (r"x[)(|]yz(?:a|b)", {"yz"}),
        (r"(?<![\w-])(?:strike|strikes)(?![\w-])", {"strike"}),  # strikes adds nothing to strike
        (r"(?<=grève )générale", {"générale"}),  # a lookaround requires nothing
        (r"(?P<span>chargée?) de", {"chargé"}),
        (r"[(|)]grève\]", {"grève]"}),
        (r"(?<![\w-])(?:grève|frappes?)(?![\w-])", {"grève", "frappe"}),
        (r"grève|frappe", {"grève", "frappe"}),
        (r"grève|\w+", None),  # one alternative needs no literal
        (r"(?:un|deux)+\d", {"un", "deux"}),  # repeated at least once: required
        (r"(?:trois|quatre)*\dfo", {"fo"}),  # repeated maybe never: not required
        (r"(?i)FRAPPE", {"frappe"}),  # folded
        (r"(?x) frap pe  # a comment", None),  # verbose: not followed
        (r"(?i:grève)s?", {"grève"}),
        (r"(?(1)a|b)", None),  # conditional: not followed
        (r"ab(?P=name)", None),
        ("grève\\", None),  # a trailing backslash
        (r"*grève", None),
        (r"caf\xe9s", {"cafés"}),  # decoded
        (r"caf\u00e9s", {"cafés"}),
        (r"caf\N{LATIN SMALL LETTER E WITH ACUTE}s", None),
        (r"\tgrève\n", {"grève"}),
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

    assert required_literals("frap pe", re.VERBOSE) is None
    assert required_literals("frap pe", re.IGNORECASE) == {"frap pe"}


def _packaged_lazy_regexes():
    from mtqa.checks.calques import load_patterns
    from mtqa.checks.names import load_name_data
    from mtqa.checks.sense import load_headwords

    seen: set[int] = set()
    return [rx for data in (load_headwords(), load_name_data(), load_patterns()) for rx in _lazy_regexes(data, seen)]


def test_the_prefilter_never_hides_a_match_of_the_rule_data():
    """Soundness of required_literals on the packaged patterns: texts generated to match each
    pattern (hypothesis' from_regex, in any case) always pass the prefilter."""
    import random

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    regexes = _packaged_lazy_regexes()
    sample = random.Random(12).sample(regexes, 150)

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.sampled_from(sample).flatmap(lambda rx: st.tuples(st.just(rx), st.from_regex(rx.compiled))))
    def check(case):
        rx, text = case
        assert rx.compiled.search(text) is None or rx.may_match(text), (rx.pattern, text)

    check()


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
    regexes = _packaged_lazy_regexes()
    assert len(regexes) > 5000
    bad = []
    for rx in regexes:
        try:
            re.compile(rx.pattern, rx.flags)
        except re.error as e:
            bad.append(f"{rx.origin}: {e}")
    assert not bad, "\n".join(bad)


# ---------------------------------------------------------------- the one loader


def test_c_and_pure_python_loaders_give_the_same_data_and_lines():
    import yaml

    from mtqa.ruledata import LOADER, PURE_LOADER, parse_yaml

    text = "a:\n  - word: x\n    n: 1\n  -\n    word: y\n    sub: {k: v}\nb: [1, 2]\n"
    pure = parse_yaml(text, "t.yaml", PURE_LOADER)
    assert pure == {"a": [{"word": "x", "n": 1, "__line__": 2}, {"word": "y", "sub": {"k": "v", "__line__": 6},
                                                                  "__line__": 5}], "b": [1, 2], "__line__": 1}
    assert parse_yaml(text, "t.yaml") == pure
    if hasattr(yaml, "CSafeLoader"):
        assert issubclass(LOADER, yaml.CSafeLoader)
    for loader in (LOADER, PURE_LOADER):
        with pytest.raises(ConfigError, match=r"^t.yaml:4: invalid YAML"):
            parse_yaml("a:\n  - x\n  - [y\n", "t.yaml", loader)


def test_packaged_files_are_parsed_once_and_tables_carry_no_lines():
    from mtqa.ruledata import packaged_table, packaged_yaml

    assert packaged_yaml("numbers.yaml") is packaged_yaml("numbers.yaml")
    seen = []

    def walk(v):
        if isinstance(v, dict):
            seen.extend(v)
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(packaged_table("segment_abbreviations.yaml"))
    assert seen and "__line__" not in seen
    assert "__line__" in packaged_yaml("segment_abbreviations.yaml")


def test_every_packaged_yaml_file_goes_through_the_loader():
    """One loader: no other module of mtqa/ parses YAML or opens mtqa/data/*.yaml itself."""
    from pathlib import Path

    from mtqa.ruledata import packaged_yaml

    pkg = Path(__file__).resolve().parent.parent / "mtqa"
    for data in sorted((pkg / "data").glob("*.yaml")):
        assert packaged_yaml(data.name) is not None
    allowed = {"ruledata.py", "comet.py"}  # comet.py reads a model checkpoint's hparams.yaml, not rule data
    for src in pkg.rglob("*.py"):
        if src.name in allowed:
            continue
        text = src.read_text(encoding="utf-8")
        assert "import yaml" not in text and "safe_load" not in text, src
