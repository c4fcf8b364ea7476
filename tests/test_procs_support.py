"""The tests' own waiting helpers (tests/procs_support.py) can say no: a helper that always said
"gone" would let the no-orphan tests pass with an orphan."""

import subprocess
import sys

from procs_support import Clock, gone


def test_a_running_process_is_not_gone_and_an_ended_one_is():
    p = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        assert not gone(p.pid, wait=0.3)
    finally:
        p.stdin.close()  # type: ignore[union-attr]
    assert gone(p.pid)  # a child of ours: reaped by gone itself
    p.wait()  # already reaped: Popen only takes note


def test_the_clock_moves_only_by_its_jumps_and_real_time():
    c = Clock()
    a = c.monotonic()
    c.jump(1000)
    assert 1000 <= c.monotonic() - a < 1000 + 60
