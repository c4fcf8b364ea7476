"""Settings: defaults, ``mtqa.toml``, then command-line options, in that order of precedence."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from mtqa import limits
from mtqa.errors import ConfigError
from mtqa.limits import short
from mtqa.model import SEVERITIES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_MQM_WEIGHTS = {"minor": 1.0, "major": 5.0, "critical": 10.0}
DEFAULT_METRICS = ("bleu", "chrf", "ter", "adequacy", "rank-ref", "rank-qe")


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
    # [gate] min_<score>/max_<score> of the scores without a field above (``mtqa.scores.registry``
    # derives the key from the scorer's direction): setting name → threshold
    score_limits: dict[str, float] = field(default_factory=dict)

    def score_limit(self, key: str) -> float | None:
        """The threshold of a score setting (``min_bleu``, ``max_ter``, ``min_chrf++``…), or None."""
        return getattr(self, key) if key in _SCORE_FIELDS else self.score_limits.get(key)


_SCORE_FIELDS = ("min_bleu", "min_chrf", "max_ter", "min_adequacy", "min_comet")  # those with a --min-…/--max-… option


@dataclass
class Settings:
    embedder: str = "use-m3"
    tokenize: str = "13a"  # sacrebleu tokenizer for BLEU/TER: 13a, intl, …
    metrics: list[str] = field(default_factory=lambda: list(DEFAULT_METRICS))
    comet_model: str | None = None
    comet_batch_size: int = 8
    rank_ref_model: str | None = None  # a model file for rank-ref / rank-qe (None: the packaged one)
    rank_qe_model: str | None = None
    glossaries: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # rule id → severity override
    rule_files: list[str] = field(default_factory=list)
    mqm_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MQM_WEIGHTS))
    gate: GateSettings = field(default_factory=GateSettings)
    line_aligned: bool = False
    jobs: int = 0  # worker processes for batches; 0 = auto (one per CPU core for big batches)
    dask: str | None = None  # Dask scheduler (tcp://HOST:PORT) or "local" (a LocalCluster of `jobs` workers)
    grammar: str = "auto"  # Grammalecte: auto (when installed) | on (required) | off
    grammar_python: str = "/usr/bin/python3"  # the interpreter that has Debian's python3-grammalecte
    grammar_enable: list[str] = field(default_factory=list)  # Grammalecte types/rule-id prefixes turned on
    grammar_disable: list[str] = field(default_factory=list)  # … turned off
    grammar_timeout: float = 30.0  # seconds of silence before the worker counts as hung
    waivers: str | None = None  # YAML file of accepted findings (mtqa.quality.waivers)
    limits: dict[str, int] = field(default_factory=dict)  # [limits]: mtqa.limits.DEFAULTS overridden
    config_path: str | None = None


# ---------------------------------------------------------------------------------------------
# mtqa.toml: one spec per key. Its type decides the check and conversion (int and float are two
# types), its target the attribute it sets; relative paths are relative to the config file.


@dataclass(frozen=True)
class FieldSpec:
    section: str
    key: str
    type: str  # a key of CONVERTERS
    target: str  # attribute of Settings: "jobs", "gate.max_ter"; "mqm_weights[minor]" sets a dict item
    path: str = ""  # "relative" (to the config file), "if-exists" (relative when that file exists), ""
    check: Callable[[Any, str], None] | None = None  # more validation, on the converted value


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise ConfigError(f"{where}: expected a number, got {short(value)}")
    if not isinstance(value, kind):
        name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}: expected {name}, got {short(value)}")
    return value


def _number(value: Any, where: str) -> float:
    """A finite float (TOML allows nan and inf; no threshold or weight can be either)."""
    value = float(_expect(value, (int, float), where))
    if not math.isfinite(value):
        raise ConfigError(f"{where}: expected a finite number, got {value}")
    return value


def _str_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    _expect(value, list, where)
    for v in value:
        _expect(v, str, where)
    return list(value)


def _severity_map(value: Any, where: str) -> dict[str, str]:
    _expect(value, dict, where)
    for rule, level in value.items():
        if level not in SEVERITIES:
            raise ConfigError(f"{where}.{rule}: expected one of {', '.join(SEVERITIES)}")
    return dict(value)


CONVERTERS: dict[str, Callable[[Any, str], Any]] = {
    "str": lambda v, where: _expect(v, str, where),
    "bool": lambda v, where: _expect(v, bool, where),
    "int": lambda v, where: _expect(v, int, where),
    "float": _number,
    "str_list": _str_list,
    "severity_map": _severity_map,
}


JOBS_PER_CORE = 4  # --jobs above 4 x the cores is refused; above the cores it is capped with a warning


def cores() -> int:
    return os.cpu_count() or 1


def _jobs(value: int, where: str) -> None:
    if value < 0:
        raise ConfigError(f"{where}: expected 0 (auto) or a positive number, got {value}")
    if value > JOBS_PER_CORE * cores():
        raise ConfigError(f"{where}: {value} worker processes on {cores()} CPU core(s); "
                          f"at most {JOBS_PER_CORE * cores()} ({JOBS_PER_CORE} per core)")


def cap_jobs(value: int, where: str) -> int:
    """``value`` worker processes checked (``_jobs``) and capped at the core count, with a warning."""
    _jobs(value, where)
    if value > cores():
        print(f"mtqa: warning: {where}: {value} worker processes capped at the {cores()} CPU core(s)", file=sys.stderr)
        return cores()
    return value


def check_dask_address(value: str, where: str) -> None:
    """``local`` or a scheduler address (``tcp://HOST:PORT``, ``tls://…``, ``HOST:PORT``)."""
    if value != "local" and (":" not in value or value.startswith(":") or value.endswith(":")):
        raise ConfigError(f"{where}: expected 'local' or a Dask scheduler address like tcp://HOST:8786, got {value!r}")
GRAMMAR_MODES = ("auto", "on", "off")


def _grammar_mode(value: str, where: str) -> None:
    if value not in GRAMMAR_MODES:
        raise ConfigError(f"{where}: expected one of {', '.join(GRAMMAR_MODES)}, got {value!r}")


def _positive(value: float, where: str) -> None:
    if value <= 0:
        raise ConfigError(f"{where}: expected a positive number, got {value}")


def _not_negative(value: float, where: str) -> None:
    if value < 0:
        raise ConfigError(f"{where}: expected a number >= 0, got {value}")


def _alpha(value: float, where: str) -> None:
    if not 0 < value < 1:
        raise ConfigError(f"{where}: expected a significance level between 0 and 1 (exclusive), got {value}")


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("mtqa", "embedder", "str", "embedder"),
    FieldSpec("mtqa", "tokenize", "str", "tokenize"),
    FieldSpec("mtqa", "metrics", "str_list", "metrics"),
    FieldSpec("mtqa", "glossary", "str_list", "glossaries", path="relative"),
    FieldSpec("mtqa", "line_aligned", "bool", "line_aligned"),
    FieldSpec("mtqa", "jobs", "int", "jobs", check=_jobs),
    FieldSpec("mtqa", "dask", "str", "dask", check=check_dask_address),
    FieldSpec("mtqa", "waivers", "str", "waivers", path="relative"),
    FieldSpec("rules", "disable", "str_list", "disable"),
    FieldSpec("rules", "files", "str_list", "rule_files", path="relative"),
    FieldSpec("rules", "severity", "severity_map", "severity"),
    *(FieldSpec("mqm", sev, "float", f"mqm_weights[{sev}]", check=_not_negative) for sev in SEVERITIES),
    FieldSpec("comet", "model", "str", "comet_model", path="if-exists"),  # else a Hugging Face model name
    FieldSpec("comet", "batch_size", "int", "comet_batch_size", check=_positive),
    FieldSpec("scores", "rank_ref_model", "str", "rank_ref_model", path="relative"),
    FieldSpec("scores", "rank_qe_model", "str", "rank_qe_model", path="relative"),
    FieldSpec("grammar", "mode", "str", "grammar", check=_grammar_mode),
    FieldSpec("grammar", "python", "str", "grammar_python"),
    FieldSpec("grammar", "enable", "str_list", "grammar_enable"),
    FieldSpec("grammar", "disable", "str_list", "grammar_disable"),
    FieldSpec("grammar", "timeout", "float", "grammar_timeout", check=_positive),
    FieldSpec("gate", "max_mqm_penalty", "float", "gate.max_mqm_penalty", check=_not_negative),
    *(FieldSpec("gate", f"max_{sev}", "int", f"gate.max_{sev}", check=_not_negative) for sev in SEVERITIES),
    FieldSpec("gate", "fail_on", "str_list", "gate.fail_on"),
    FieldSpec("gate", "baseline", "str", "gate.baseline", path="relative"),
    FieldSpec("gate", "baseline_alpha", "float", "gate.baseline_alpha", check=_alpha),
    *(FieldSpec("limits", key, "int", f"limits[{key}]", check=limits.check_value) for key in limits.DEFAULTS),
    # + the score thresholds of the registry: _score_fields()
)
_SPECS = {(f.section, f.key): f for f in FIELDS}
SECTIONS = tuple(dict.fromkeys(f.section for f in FIELDS))


@cache
def _score_fields() -> dict[str, FieldSpec]:
    """[gate] min_<score>/max_<score>, one per score of the registry, a number each."""
    from mtqa.scores.registry import thresholds

    return {key: FieldSpec("gate", key, "float", f"gate.{key}" if key in _SCORE_FIELDS else f"gate.score_limits[{key}]",
                           check=_not_negative) for key in thresholds()}


def field_spec(section: str, key: str) -> FieldSpec | None:
    spec = _SPECS.get((section, key))
    if spec is None and section == "gate":
        spec = _score_fields().get(key)
    return spec


def _assign(settings: Settings, target: str, value: Any) -> None:
    attrs, _, item = target.partition("[")
    *parents, name = attrs.split(".")
    obj: Any = settings
    for parent in parents:
        obj = getattr(obj, parent)
    if item:
        getattr(obj, name)[item.rstrip("]")] = value
    else:
        setattr(obj, name, value)


def _read_toml(path: str) -> dict:
    from mtqa.ruledata import read_user_file

    text = read_user_file(path, "config file")  # a regular file under the size limit, no NUL
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML ({short(str(e), 200)[1:-1]})") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML (nested too deeply)") from None


def _specs_of(path: str, data: dict) -> list[tuple[FieldSpec, Any]]:
    """(spec, value) of every key of the file, sections in ``SECTIONS`` order; unknown ones refused."""
    for section, table in data.items():
        if section not in SECTIONS:
            raise ConfigError(f"{path}: unknown section [{section}] (known: {', '.join(SECTIONS)})")
        _expect(table, dict, f"{path}: [{section}]")
        for key in table:
            if field_spec(section, key) is None:
                raise ConfigError(f"{path}: unknown key '{key}' in [{section}]")
    return [(spec, value) for section in SECTIONS for key, value in data.get(section, {}).items()
            if (spec := field_spec(section, key)) is not None]


def _resolve(spec: FieldSpec, value: Any, base: Path) -> Any:
    if spec.path == "relative":
        rel = [s if Path(s).is_absolute() else str(base / s) for s in (value if isinstance(value, list) else [value])]
        return rel if isinstance(value, list) else rel[0]
    if spec.path == "if-exists" and not Path(value).is_absolute() and (base / value).exists():
        return str(base / value)
    return value


def load_settings(path: str | None) -> Settings:
    """Read ``mtqa.toml`` (relative paths inside it are relative to the file)."""
    settings = Settings()
    limits.configure()
    if path is None:
        return settings
    data = _read_toml(path)
    base = Path(path).resolve().parent
    for spec, raw in _specs_of(path, data):
        where = f"{path}: {spec.section}.{spec.key}"
        value = CONVERTERS[spec.type](raw, where)
        if spec.check is not None:
            spec.check(value, where)
        _assign(settings, spec.target, _resolve(spec, value, base))
    settings.config_path = str(Path(path))
    limits.configure(settings.limits)
    return settings


def validate_settings(settings: Settings) -> Settings:
    """The merged settings (file, then options) checked once more, whatever set them: thresholds
    finite and not negative, ``baseline_alpha`` in (0, 1), batch sizes > 0, known metric names,
    ``jobs`` at most 4 per core (capped at the core count with a warning). One line, exit 2."""
    gate = settings.gate
    for key in (*_SCORE_FIELDS, "max_mqm_penalty", *(f"max_{sev}" for sev in SEVERITIES)):
        _threshold(getattr(gate, key), f"gate.{key}")
    for key, value in gate.score_limits.items():
        _threshold(value, f"gate.{key}")
    for sev, weight in settings.mqm_weights.items():
        _threshold(weight, f"mqm.{sev}")
    _alpha(_number(gate.baseline_alpha, "gate.baseline_alpha"), "gate.baseline_alpha")
    _positive(_expect(settings.comet_batch_size, int, "comet.batch_size"), "comet.batch_size")
    for name, kind in (("comet_model", str), ("embedder", str), ("tokenize", str)):
        if getattr(settings, name) is not None:
            _expect(getattr(settings, name), kind, name.replace("_", "."))
    check_metrics(settings.metrics, "metrics")
    settings.jobs = cap_jobs(settings.jobs, "jobs")
    return settings


def _threshold(value: Any, where: str) -> None:
    if value is not None:
        _not_negative(_number(value, where), where)


def check_metrics(names: list[str], where: str) -> None:
    """Every name a score of the registry (``mtqa.scores.registry.SCORERS``)."""
    from mtqa.scores.registry import SCORERS

    bad = [n for n in names if n not in SCORERS]
    if bad:
        raise ConfigError(f"{where}: unknown metric {short(bad[0])} (known: {', '.join(SCORERS)})")
