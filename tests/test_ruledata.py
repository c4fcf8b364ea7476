import pytest

from mtqa.errors import ConfigError
from mtqa.ruledata import Field, compile_regex, load_records

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
