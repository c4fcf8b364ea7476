"""A command's start-up: the cyclic collector is paused during it (``warmup.pause_collector``,
from the console entry) and resumes, with what start-up made frozen, when it is over
(``end_of_startup``): at a command's start, or for ``check`` once the pipeline has built the rule
data. And the pipeline imports no process pool until a batch needs one."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mtqa import warmup

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def collector():
    was = gc.isenabled()
    gc.enable()
    yield
    warmup._COLLECTOR["paused"] = False
    gc.unfreeze()
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_until_the_end_of_startup_then_frozen_and_on(collector):
    frozen = gc.get_freeze_count()
    warmup.pause_collector()
    assert not gc.isenabled()
    kept = [[i] for i in range(1000)]  # objects made during start-up
    assert warmup.end_of_startup() is True
    assert gc.isenabled() and gc.get_freeze_count() >= frozen + len(kept)
    assert warmup.end_of_startup() is False  # once


def test_nothing_paused_nothing_done(collector):
    frozen = gc.get_freeze_count()
    assert warmup.end_of_startup() is False
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_collector_turned_off_by_the_caller_stays_off(collector):
    gc.disable()
    warmup.pause_collector()
    assert warmup.end_of_startup() is False
    assert not gc.isenabled()


def _entry(code: str) -> subprocess.CompletedProcess:
    prelude = f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120)


def test_a_command_resumes_the_collector_at_its_start():
    p = _entry("""
        import gc, sys
        import mtqa.report.formats.rules as listing
        from mtqa import cli
        seen = []
        listing.render = lambda *a: seen.append(gc.isenabled()) or ""
        sys.argv = ["mtqa", "rules"]
        import atexit
        atexit.register(lambda: print("enabled during the command:", seen))
        cli.main()
    """)
    assert p.returncode == 0, p.stderr
    assert "enabled during the command: [True]" in p.stdout


def test_check_resumes_it_once_the_rule_data_is_built(monkeypatch):
    import mtqa.pipeline as pipeline
    from mtqa.config import Settings

    calls = []
    monkeypatch.setattr(pipeline.warmup, "rule_data", lambda s: calls.append("rule data") or 0)
    monkeypatch.setattr(pipeline.warmup, "end_of_startup", lambda: calls.append("end") or False)
    monkeypatch.setattr(pipeline.grammar, "status", lambda s: calls.append("grammar") or "off")
    monkeypatch.setattr(pipeline, "list_rules", lambda s: (_ for _ in ()).throw(RuntimeError("stop")))
    with pytest.raises(RuntimeError, match="stop"):
        pipeline.run_pipeline([], Settings(grammar="off", jobs=1))
    assert calls == ["rule data", "grammar", "end"]


def test_the_pipeline_imports_no_process_pool_until_a_batch_needs_one():
    p = _entry("""
        import sys
        import mtqa.pipeline
        print("pool at import:", "concurrent.futures.process" in sys.modules)
        from mtqa.pipeline import parallel
        try:
            parallel.run_parallel([], None, 2, True)
        except Exception:
            pass
        print("pool after run_parallel:", "concurrent.futures.process" in sys.modules)
    """)
    assert p.returncode == 0, p.stderr
    assert "pool at import: False" in p.stdout and "pool after run_parallel: True" in p.stdout
