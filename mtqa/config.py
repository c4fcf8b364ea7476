"""Settings: defaults, ``mtqa.toml``, then command-line options, in that order of precedence."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from mtqa.errors import ConfigError
from mtqa.model import SEVERITIES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_MQM_WEIGHTS = {"minor": 1.0, "major": 5.0, "critical": 10.0}
DEFAULT_METRICS = ("bleu", "chrf", "ter", "adequacy")


@dataclass
class GateSettings:
    """Quality-gate thresholds. ``None`` means "not checked"."""

    min_bleu: float | None = None
    min_chrf: float | None = None
    max_ter: float | None = None
    min_adequacy: float | None = None
    min_comet: float | None = None
    max_mqm_penalty: float | None = None  # MQM penalty points per 1,000 source words
    max_critical: int | None = 0  # default gate: no critical finding
    max_major: int | None = None
    max_minor: int | None = None
    fail_on: list[str] = field(default_factory=list)  # rule ids that fail the gate outright
    baseline: str | None = None  # a previous JSON report: fail only on a significant regression
    baseline_alpha: float = 0.05


@dataclass
class Settings:
    embedder: str = "use-m3"
    tokenize: str = "13a"  # sacrebleu tokenizer for BLEU/TER: 13a, intl, …
    metrics: list[str] = field(default_factory=lambda: list(DEFAULT_METRICS))
    comet_model: str | None = None
    comet_batch_size: int = 8
    glossaries: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # rule id → severity override
    rule_files: list[str] = field(default_factory=list)
    mqm_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MQM_WEIGHTS))
    gate: GateSettings = field(default_factory=GateSettings)
    line_aligned: bool = False
    jobs: int = 0  # worker processes for batches; 0 = auto (one per CPU core for big batches)
    config_path: str | None = None


_SECTIONS = {
    "mtqa": {"embedder", "tokenize", "metrics", "glossary", "line_aligned", "jobs"},
    "rules": {"disable", "files", "severity"},
    "mqm": set(SEVERITIES),
    "comet": {"model", "batch_size"},
    "gate": {f.name for f in fields(GateSettings)},
}


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise ConfigError(f"{where}: expected a number, got {value!r}")
    if not isinstance(value, kind):
        name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}: expected {name}, got {value!r}")
    return value


def _str_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    _expect(value, list, where)
    for v in value:
        _expect(v, str, where)
    return list(value)


def load_settings(path: str | None) -> Settings:
    """Read ``mtqa.toml`` (relative paths inside it are relative to the file)."""
    settings = Settings()
    if path is None:
        return settings
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"{path}: no such config file")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML ({e})") from None
    base = p.resolve().parent

    def rel(s: str) -> str:
        return str(base / s) if not Path(s).is_absolute() else s

    for section, table in data.items():
        if section not in _SECTIONS:
            raise ConfigError(f"{path}: unknown section [{section}] (known: {', '.join(_SECTIONS)})")
        _expect(table, dict, f"{path}: [{section}]")
        for key in table:
            if key not in _SECTIONS[section]:
                raise ConfigError(f"{path}: unknown key '{key}' in [{section}]")
    m = data.get("mtqa", {})
    if "embedder" in m:
        settings.embedder = _expect(m["embedder"], str, f"{path}: mtqa.embedder")
    if "tokenize" in m:
        settings.tokenize = _expect(m["tokenize"], str, f"{path}: mtqa.tokenize")
    if "metrics" in m:
        settings.metrics = _str_list(m["metrics"], f"{path}: mtqa.metrics")
    if "glossary" in m:
        settings.glossaries = [rel(g) for g in _str_list(m["glossary"], f"{path}: mtqa.glossary")]
    if "line_aligned" in m:
        settings.line_aligned = _expect(m["line_aligned"], bool, f"{path}: mtqa.line_aligned")
    if "jobs" in m:
        settings.jobs = _expect(m["jobs"], int, f"{path}: mtqa.jobs")
        if settings.jobs < 0:
            raise ConfigError(f"{path}: mtqa.jobs: expected 0 (auto) or a positive number, got {settings.jobs}")
    r = data.get("rules", {})
    if "disable" in r:
        settings.disable = _str_list(r["disable"], f"{path}: rules.disable")
    if "files" in r:
        settings.rule_files = [rel(f) for f in _str_list(r["files"], f"{path}: rules.files")]
    if "severity" in r:
        sev = _expect(r["severity"], dict, f"{path}: rules.severity")
        for rule, level in sev.items():
            if level not in SEVERITIES:
                raise ConfigError(f"{path}: rules.severity.{rule}: expected one of {', '.join(SEVERITIES)}")
        settings.severity = dict(sev)
    for sev_name, weight in data.get("mqm", {}).items():
        settings.mqm_weights[sev_name] = float(_expect(weight, (int, float), f"{path}: mqm.{sev_name}"))
    c = data.get("comet", {})
    if "model" in c:
        settings.comet_model = rel(_expect(c["model"], str, f"{path}: comet.model")) if (base / c["model"]).exists() else c["model"]
    if "batch_size" in c:
        settings.comet_batch_size = _expect(c["batch_size"], int, f"{path}: comet.batch_size")
    g = data.get("gate", {})
    for key, value in g.items():
        where = f"{path}: gate.{key}"
        if key == "fail_on":
            settings.gate.fail_on = _str_list(value, where)
        elif key == "baseline":
            settings.gate.baseline = rel(_expect(value, str, where))
        elif key.startswith("max_") and key != "max_mqm_penalty" and key != "max_ter":
            setattr(settings.gate, key, _expect(value, int, where))
        else:
            setattr(settings.gate, key, float(_expect(value, (int, float), where)))
    settings.config_path = str(p)
    return settings
