"""Embed texts in a side process while this one goes on with other work.

``embed_aside(texts)`` starts ``mtqa.embed.aside_worker`` under this interpreter: it reads the
texts (JSON) on stdin, embeds them with use-m3 exactly as this process would (the same model, the
same micro-batches, so the same vectors) and writes the raw rows (``.npy``) on stdout. A thread of
this process feeds it and reads its answer; ``Aside.rows()`` waits for that answer.

It never outlives mtqa and never hangs it: it ignores Ctrl-C (the terminal sends it to the whole
process group; this process then kills it), dies with its parent (``PR_SET_PDEATHSIG``), is killed
at exit, and an answer that is late (``timeout``), malformed or missing makes ``rows()`` say so on
stderr and return None, so the caller embeds the texts itself. Hand-written: a process pool would
print a worker's traceback on Ctrl-C and join, not kill, a worker at exit.
"""

from __future__ import annotations

import atexit
import io
import json
import os
import subprocess
import sys
import threading

import numpy as np

_LIVE: set[subprocess.Popen] = set()
_WORKER = ("import signal; signal.signal(signal.SIGINT, signal.SIG_IGN); "
           "from mtqa.embed.aside_worker import main; main()")


class Aside:
    """One side process embedding ``texts``; ``rows()`` is its answer (or None)."""

    def __init__(self, texts: list[str], dim: int, timeout: float) -> None:
        self.texts = texts
        self.dim = dim
        self.timeout = timeout
        self._answer: bytes | None = None
        self.answered = False  # ``rows()`` returned the rows
        self._proc = subprocess.Popen([sys.executable, "-c", _WORKER, str(os.getpid())], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        _LIVE.add(self._proc)
        self._thread = threading.Thread(target=self._talk, name="mtqa-aside", daemon=True)
        self._thread.start()

    def _talk(self) -> None:
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(self.texts).encode("utf-8"))
            proc.stdin.close()
            self._answer = proc.stdout.read()
        except OSError:  # the worker died (or was killed by ``close``)
            self._answer = None

    def rows(self) -> np.ndarray | None:
        """The raw rows of ``texts`` in order, waiting at most ``timeout`` seconds for them; None
        (one line on stderr) if the side process failed, and it is stopped."""
        self._thread.join(self.timeout)
        late = self._thread.is_alive()
        code = None if late else self._proc.wait()
        self.close()
        rows = None if late or code != 0 else _parse(self._answer, len(self.texts), self.dim)
        self.answered = rows is not None
        if rows is None:
            why = f"no answer in {self.timeout:.0f} s" if late else f"exit code {code}" if code else "a malformed answer"
            print(f"mtqa: warning: the side process embedding {len(self.texts)} texts failed ({why}); "
                  "embedding them here", file=sys.stderr)
        return rows

    def close(self) -> None:
        """Stop the side process if it still runs (its answer, if any, is not waited for)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        _LIVE.discard(self._proc)
        self._thread.join(5)  # its read ends with the worker
        if not self._thread.is_alive():
            for pipe in (self._proc.stdin, self._proc.stdout):
                if pipe is not None:
                    pipe.close()


def _parse(data: bytes | None, n: int, dim: int) -> np.ndarray | None:
    try:
        rows = np.load(io.BytesIO(data or b""), allow_pickle=False)
    except (ValueError, OSError, EOFError):
        return None
    if rows.shape != (n, dim) or not np.all(np.isfinite(rows)):
        return None
    return rows


def _kill_all() -> None:
    for proc in list(_LIVE):
        if proc.poll() is None:
            proc.kill()
        _LIVE.discard(proc)


atexit.register(_kill_all)
