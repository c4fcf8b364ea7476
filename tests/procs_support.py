"""Waiting for processes and clocks in tests, without racing them: a process is polled until it is
gone (with a deadline that only bounds a hang on a loaded machine), and a worker's timeouts can
run on a clock the test moves itself instead of the wall clock."""

from __future__ import annotations

import os
import time

HANG = 120.0  # seconds: long enough for any loaded machine, there only to end a real hang


def _exited(pid: int) -> bool:
    """One look: the process is gone, or a zombie (exited, not yet reaped by its parent)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a child of ours: reap it
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
    except ChildProcessError:
        pass
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):  # it ended between the looks
        return True


def gone(pid: int, wait: float = HANG) -> bool:
    """True as soon as process ``pid`` has exited; False only if it still runs after ``wait`` s."""
    deadline = time.monotonic() + wait
    while not _exited(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class Clock:
    """A stand-in for the ``time`` module of a module under test: its ``monotonic`` is the real one
    plus the jumps the test makes, so a test can let "60 s of silence" pass at once."""

    def __init__(self) -> None:
        self.offset = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def jump(self, seconds: float) -> None:
        self.offset += seconds
