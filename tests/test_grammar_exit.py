"""At exit, mtqa ends the Grammalecte worker's input and does not wait for it (issue 16's
start-up): the worker still never outlives the run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from checks_support import needs_grammalecte_marker
from procs_support import HANG, gone

from mtqa.checks.grammar import worker

PYTHON = "/usr/bin/python3"
ROOT = Path(__file__).resolve().parent.parent
needs_grammalecte = needs_grammalecte_marker()

PARENT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from mtqa.checks.grammar.worker import get_worker
    w = get_worker({python!r})
    assert w.result("Les chat sont noirs.")["grammar"]
    w.submit("Les chien sont noirs.")  # still unanswered, maybe, at exit
    print(w.pid, flush=True)
""")


@needs_grammalecte
def test_a_used_worker_ends_with_its_parent():
    code = PARENT.format(root=str(ROOT), python=PYTHON)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG)
    assert p.returncode == 0, p.stderr
    assert gone(int(p.stdout.split()[0])), "the worker outlived its parent"


@needs_grammalecte
def test_the_hook_closes_the_input_of_a_live_worker():
    worker.stop_workers()
    w = worker.get_worker(PYTHON, timeout=HANG)
    proc = w._proc
    assert proc is not None and proc.poll() is None
    try:
        worker.end_input_at_exit()
        assert proc.stdin.closed  # type: ignore[union-attr]
        assert proc.wait(timeout=HANG) == 0  # end of input: the worker leaves by itself
    finally:
        worker.stop_workers()


@needs_grammalecte
def test_the_worker_runs_with_a_fixed_hash_seed(monkeypatch):
    monkeypatch.setenv("PYTHONHASHSEED", "random")
    proc = worker._spawn(PYTHON)
    try:
        assert proc.stdout.readline()  # type: ignore[union-attr]  # its hello: the worker is running
        env = Path(f"/proc/{proc.pid}/environ").read_bytes().split(b"\0")
        assert b"PYTHONHASHSEED=0" in env  # suggestions come in the same order in every run
    finally:
        proc.kill()
        proc.wait(timeout=HANG)
