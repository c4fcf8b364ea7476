"""mtqa's sacrebleu adapter against the oldest and the newest sacrebleu that ``pyproject.toml`` allows.

``mtqa.scores.sacrebleu_stats`` uses three private methods of sacrebleu and writes ``num_refs``;
``tests/sacrebleu_contract.py`` checks that they still exist and still give sacrebleu's public
numbers. Here it runs in a subprocess per version, that version installed once with
``pip install --target <cache> --no-deps`` (the cache lives in the virtualenv, else in the temporary
folder) and put first on ``PYTHONPATH``. The newest version is what pip resolves for the
dependency's range today. Without PyPI the test fails on CI (``CI`` set) and is skipped elsewhere.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = Path(__file__).resolve().parent / "sacrebleu_contract.py"


def sacrebleu_range() -> str:
    """The sacrebleu requirement of ``pyproject.toml``, e.g. ``>=2.4,<3``."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    m = re.search(r'"sacrebleu\s*([^";]+)"', text)
    assert m, "pyproject.toml: no sacrebleu dependency"
    return m.group(1).replace(" ", "")


def oldest(spec: str) -> str:
    """The lowest version a ``>=X`` range allows, in three parts (``>=2.4`` → ``2.4.0``)."""
    m = re.search(r">=\s*([0-9][0-9.]*)", spec)
    assert m, f"sacrebleu{spec}: no lower bound to test against"
    parts = m.group(1).split(".")
    return ".".join([*parts, "0", "0"][:3])


def cache_dir() -> Path:
    in_venv = sys.prefix != sys.base_prefix
    return Path(sys.prefix) / "sacrebleu-contract" if in_venv else Path(tempfile.gettempdir()) / "mtqa-sacrebleu-contract"


def _pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=600)


def _unreachable(what: str, r: subprocess.CompletedProcess) -> None:
    detail = (r.stderr.strip().splitlines() or ["no output"])[-1]
    if os.environ.get("CI"):
        pytest.fail(f"{what} failed on CI: {detail}")
    pytest.skip(f"PyPI unreachable ({what}: {detail}); CI is not set")


def newest(spec: str) -> str:
    """The version pip installs for ``sacrebleu<spec>`` today (a dry run: nothing is installed)."""
    r = _pip("install", "--dry-run", "--no-deps", "--ignore-installed", "--quiet", "--report", "-", f"sacrebleu{spec}")
    if r.returncode != 0:
        _unreachable(f"pip install --dry-run sacrebleu{spec}", r)
    return json.loads(r.stdout)["install"][0]["metadata"]["version"]


def install(version: str) -> Path | None:
    """A folder holding sacrebleu ``version`` (None: the one installed here is that version)."""
    if installed_version("sacrebleu") == version:
        return None
    target = cache_dir() / version
    if (target / "sacrebleu" / "__init__.py").is_file():
        return target
    tmp = cache_dir() / f".{version}.{os.getpid()}"
    r = _pip("install", "--quiet", "--no-deps", "--target", str(tmp), f"sacrebleu=={version}")
    if r.returncode != 0:
        _unreachable(f"pip install sacrebleu=={version}", r)
    try:
        tmp.rename(target)  # atomic: a concurrent run either sees the whole folder or none
    except OSError:
        assert (target / "sacrebleu" / "__init__.py").is_file()
    return target


def run_contract(path: Path | None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*([str(path)] if path else []), str(ROOT)])
    r = subprocess.run([sys.executable, str(CONTRACT)], capture_output=True, text=True, env=env, timeout=600)
    lines = r.stdout.strip().splitlines()
    assert lines, f"the contract check printed nothing (exit {r.returncode}): {r.stderr.strip()[-2000:]}"
    result = json.loads(lines[-1])
    result["returncode"] = r.returncode
    return result


def test_the_range_is_read_from_pyproject():
    assert sacrebleu_range() == ">=2.4,<3"
    assert oldest(">=2.4,<3") == "2.4.0" and oldest(">=2.10.1,<3") == "2.10.1" and oldest(">=3") == "3.0.0"


@pytest.mark.parametrize("which", ["oldest", "newest"])
def test_the_adapter_keeps_its_contract_with_sacrebleu(which):
    spec = sacrebleu_range()
    wanted = oldest(spec) if which == "oldest" else newest(spec)
    path = install(wanted)
    result = run_contract(path)
    assert result["version"] == wanted, f"the subprocess imported sacrebleu {result['version']} from {result['path']}"
    if path is not None:
        assert Path(result["path"]).is_relative_to(path)
    assert result["failures"] == [] and result["returncode"] == 0, (
        f"sacrebleu {wanted} broke mtqa's adapter (mtqa/scores/sacrebleu_stats.py):\n  " + "\n  ".join(result["failures"]))


def test_the_contract_catches_a_broken_adapter(monkeypatch):
    """The checks can fail: a segment score from the wrong statistics, a wrong shape, no num_refs."""
    sys.path.insert(0, str(CONTRACT.parent))
    try:
        import sacrebleu_contract as contract
    finally:
        sys.path.remove(str(CONTRACT.parent))
    from mtqa.scores import sacrebleu_stats as sb

    def run() -> list[str]:
        monkeypatch.setattr(contract, "failures", [])
        assert contract.main() == (1 if contract.failures else 0)
        return contract.failures

    assert run() == []
    with monkeypatch.context() as m:
        m.setattr(sb, "segment_score", lambda metric, row: 0.0)
        assert any("differs from sentence_score" in f for f in run())
    with monkeypatch.context() as m:
        m.setitem(contract.WIDTH, "ter", 3)
        assert any(f.startswith("ter: statistics rows of width") for f in run())
    with monkeypatch.context() as m:
        real = sb.statistics
        m.setattr(sb, "statistics", lambda metric, h, r, t: (real(metric, h, r, t), setattr(metric, "num_refs", 2))[0])
        assert any("num_refs is not in the signature" in f for f in run())
    with monkeypatch.context() as m:
        m.setattr(contract, "PRIVATE", (*contract.PRIVATE, "_a_method_sacrebleu_removed"))
        assert run() == ["sacrebleu.metrics.base.Metric._a_method_sacrebleu_removed is gone"]


def test_only_the_adapter_touches_sacrebleu_internals():
    names = ("_extract_corpus_statistics", "_aggregate_and_compute", "_compute_score_from_stats", "num_refs")
    users = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "mtqa").rglob("*.py")
                   if any(n in p.read_text(encoding="utf-8") for n in names))
    assert users == ["mtqa/scores/sacrebleu_stats.py"]
