"""``mtqa.toml``: one field spec per key (type, target, paths), one-line errors, and the gate's score
thresholds derived from the scorers' metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtqa.config import FIELDS, FieldSpec, GateSettings, Settings, _assign, _score_fields, field_spec, load_settings
from mtqa.errors import ConfigError


def load(tmp_path: Path, text: str) -> Settings:
    cfg = tmp_path / "mtqa.toml"
    cfg.write_text(text, encoding="utf-8")
    return load_settings(str(cfg))


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as e:
        load(tmp_path, text)
    msg = str(e.value)
    prefix = f"{tmp_path / 'mtqa.toml'}: "
    assert msg.startswith(prefix) and "\n" not in msg
    return msg[len(prefix):]


@pytest.mark.parametrize("text,message", [
    ("[mtqa]\nmetrics = [1]\n", "mtqa.metrics: expected str, got 1"),
    ("[mtqa]\nmetrics = 3\n", "mtqa.metrics: expected list, got 3"),
    ("[mtqa]\nembedder = 3\n", "mtqa.embedder: expected str, got 3"),
    ("[mtqa]\ntokenize = true\n", "mtqa.tokenize: expected str, got True"),
    ("[mtqa]\nglossary = 4\n", "mtqa.glossary: expected list, got 4"),
    ("[mtqa]\nline_aligned = 1\n", "mtqa.line_aligned: expected bool, got 1"),
    ("[mtqa]\njobs = -1\n", "mtqa.jobs: expected 0 (auto) or a positive number, got -1"),
    ("[mtqa]\njobs = true\n", "mtqa.jobs: expected a number, got True"),
    ("[mtqa]\njobs = 1.5\n", "mtqa.jobs: expected int, got 1.5"),
    ("[mtqa]\njobs = '2'\n", "mtqa.jobs: expected int, got '2'"),
    ("[mtqa]\nfoo = 1\n", "unknown key 'foo' in [mtqa]"),
    ("[nope]\n", "unknown section [nope] (known: mtqa, rules, mqm, comet, scores, grammar, gate, limits)"),
    ("mtqa = 3\n", "[mtqa]: expected dict, got 3"),
    ("[rules]\nseverity = {'numbers.added' = 'huge'}\n", "rules.severity.numbers.added: expected one of minor, major, critical"),
    ("[rules]\nseverity = 'major'\n", "rules.severity: expected dict, got 'major'"),
    ("[rules]\nbar = 1\n", "unknown key 'bar' in [rules]"),
    ("[mqm]\nminor = true\n", "mqm.minor: expected a number, got True"),
    ("[mqm]\nminor = 'x'\n", "mqm.minor: expected int or float, got 'x'"),
    ("[mqm]\nblocker = 1\n", "unknown key 'blocker' in [mqm]"),
    ("[comet]\nbatch_size = 4.0\n", "comet.batch_size: expected int, got 4.0"),
    ("[comet]\nbatch_size = false\n", "comet.batch_size: expected a number, got False"),
    ("[comet]\nmodel = 5\n", "comet.model: expected str, got 5"),  # was a TypeError (exit 3)
    ("[gate]\nmax_major = 2.5\n", "gate.max_major: expected int, got 2.5"),
    ("[gate]\nmax_critical = true\n", "gate.max_critical: expected a number, got True"),
    ("[gate]\nmax_ter = 'x'\n", "gate.max_ter: expected int or float, got 'x'"),
    ("[gate]\nmax_ter = true\n", "gate.max_ter: expected a number, got True"),
    ("[gate]\nmin_bleu = '30'\n", "gate.min_bleu: expected int or float, got '30'"),
    ("[gate]\nfail_on = [1]\n", "gate.fail_on: expected str, got 1"),
    ("[gate]\nbaseline = 1\n", "gate.baseline: expected str, got 1"),
    ("[gate]\nbaseline_alpha = 'x'\n", "gate.baseline_alpha: expected int or float, got 'x'"),
    ("[gate]\nmin_bleuu = 1\n", "unknown key 'min_bleuu' in [gate]"),
    ("[gate]\nmax_bleu = 1\n", "unknown key 'max_bleu' in [gate]"),  # BLEU: higher is better
    ("[gate]\nmin_ter = 1\n", "unknown key 'min_ter' in [gate]"),  # TER: lower is better
    ("[gate]\nscore_limits = {}\n", "unknown key 'score_limits' in [gate]"),
    ('[gate]\n"min_chrf++" = "x"\n', "gate.min_chrf++: expected int or float, got 'x'"),
    ("gate = []\n", "[gate]: expected dict, got []"),
])
def test_one_line_errors(tmp_path, text, message):
    assert error(tmp_path, text) == message


def test_file_errors(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(str(tmp_path / "none.toml"))
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(ConfigError) as e:
        load_settings(str(bad))
    assert str(e.value) == f"{bad}: not valid UTF-8"
    assert error(tmp_path, "[mtqa\n").startswith("invalid TOML (")


def test_types_come_from_the_spec_not_the_key_name(tmp_path):
    s = load(tmp_path, "[gate]\nmax_ter = 40\nmax_mqm_penalty = 12\nmax_major = 3\nmin_bleu = 30\n"
                       "[mqm]\nminor = 2\n[comet]\nbatch_size = 4\n")
    g = s.gate
    assert (g.max_ter, g.max_mqm_penalty, g.min_bleu) == (40.0, 12.0, 30.0)  # baseline_alpha: (0, 1), no int
    assert all(type(v) is float for v in (g.max_ter, g.max_mqm_penalty, g.min_bleu, s.mqm_weights["minor"]))
    assert type(g.max_major) is int and g.max_major == 3 and type(s.comet_batch_size) is int
    assert s.mqm_weights == {"minor": 2.0, "major": 5.0, "critical": 10.0}  # the others keep their defaults


def test_values_and_relative_paths(tmp_path):
    (tmp_path / "model").mkdir()
    s = load(tmp_path, "[mtqa]\nembedder = 'hf:x'\ntokenize = 'intl'\nmetrics = 'bleu'\nglossary = ['g.csv', '/abs/h.tbx']\n"
                       "line_aligned = true\njobs = 2\n[rules]\ndisable = 'typography'\nfiles = 'r.yaml'\n"
                       "severity = {'numbers.added' = 'major'}\n[comet]\nmodel = 'model'\n"
                       "[gate]\nfail_on = 'names'\nbaseline = 'base.json'\n")
    assert (s.embedder, s.tokenize, s.metrics, s.line_aligned, s.jobs) == ("hf:x", "intl", ["bleu"], True, 2)
    assert s.glossaries == [str(tmp_path / "g.csv"), "/abs/h.tbx"]
    assert s.disable == ["typography"] and s.rule_files == [str(tmp_path / "r.yaml")]
    assert s.severity == {"numbers.added": "major"}
    assert s.comet_model == str(tmp_path / "model")  # relative to the file, since it exists there
    assert s.gate.fail_on == ["names"] and s.gate.baseline == str(tmp_path / "base.json")
    assert s.config_path == str(tmp_path / "mtqa.toml")
    assert load(tmp_path, "[comet]\nmodel = 'Unbabel/wmt22-comet-da'\n").comet_model == "Unbabel/wmt22-comet-da"


def test_score_thresholds_follow_the_registry(tmp_path):
    """Every score has a [gate] threshold named by its direction; those without a field of their own
    (no CLI option) go to score_limits."""
    keys = set(_score_fields())
    assert keys == {"min_bleu", "min_chrf", "min_chrf++", "max_ter", "min_adequacy", "min_adequacy-ref", "min_comet",
                    "min_rank-ref", "min_rank-qe"}
    s = load(tmp_path, '[gate]\n"min_chrf++" = 50\nmin_adequacy-ref = 70\nmax_ter = 45\n')
    assert s.gate.score_limits == {"min_chrf++": 50.0, "min_adequacy-ref": 70.0} and s.gate.max_ter == 45.0
    assert s.gate.score_limit("min_chrf++") == 50.0 and s.gate.score_limit("max_ter") == 45.0


def test_every_spec_targets_an_existing_setting():
    gate_fields = set(vars(GateSettings()))
    for spec in [*FIELDS, *_score_fields().values()]:
        assert isinstance(spec, FieldSpec)
        settings = Settings()
        attrs = spec.target.partition("[")[0].split(".")
        obj = settings
        for a in attrs:
            assert hasattr(obj, a), spec
            obj = getattr(obj, a)
        _assign(settings, spec.target, "probe")
        assert field_spec(spec.section, spec.key) == spec
        if spec.section == "gate" and "[" not in spec.target:
            assert spec.key in gate_fields
