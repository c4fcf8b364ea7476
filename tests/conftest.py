import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKS = ROOT / "references"
SEED = PACKS / "kyiv-air-defence"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.append(str(ROOT / "bench"))  # bench/gold.py: the gold-annotation tools the pack tests use

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def seed():
    return SEED


@pytest.fixture
def run_cli():
    """Run the real console entry point in-process; returns (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    from mtqa.cli import app

    def run(*args: str, input: str | None = None):
        runner = CliRunner()
        result = runner.invoke(app, [str(a) for a in args], input=input)
        return result.exit_code, result.stdout, result.stderr

    return run
