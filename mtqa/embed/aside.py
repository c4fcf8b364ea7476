"""Embed texts in a side process while this one goes on with other work.

``Aside(texts)`` starts ``mtqa.embed.aside_worker`` under this interpreter: it reads the texts
(JSON) on stdin and embeds them with use-m3 micro-batch by micro-batch, exactly as this process
would (the same model, the same batches of ``batch_size``, so the same vectors), writing each
batch's raw rows (``.npy``) on stdout as it goes. It runs only on CPU time nothing else wants
(``SCHED_IDLE``), so it never slows this process or its Grammalecte worker.

``rows()`` never waits for it: it stops the side process and returns the rows of the batches done
so far, a prefix of ``texts`` whose length is a multiple of ``batch_size``; the caller embeds the
rest itself, in the same batches. On an idle core the side process has long finished by then; on a
busy machine this process does the work, as it would have without one.

It never outlives mtqa: it ignores Ctrl-C (the terminal sends it to the whole process group; this
process then kills it), dies with its parent (``PR_SET_PDEATHSIG``) and is killed at exit. A side
process that fails (an exit code, a malformed answer) is one warning line; its good batches are
kept. Hand-written: a process pool would print a worker's traceback on Ctrl-C, join rather than
kill it at exit, and return nothing before a task ends.
"""

from __future__ import annotations

import atexit
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
    """One side process embedding ``texts`` in batches of ``batch_size``; ``rows()`` takes what it did."""

    def __init__(self, texts: list[str], dim: int, batch_size: int) -> None:
        self.texts = texts
        self.dim = dim
        self.batch_size = batch_size
        self.done = 0  # texts whose rows ``rows()`` returned
        self._batches: list[np.ndarray] = []
        self._bad = ""  # why the answer stopped being usable, if it did
        self._stopping = False
        self._proc = subprocess.Popen([sys.executable, "-c", _WORKER, str(os.getpid()), str(batch_size)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        _LIVE.add(self._proc)
        self._thread = threading.Thread(target=self._talk, name="mtqa-aside", daemon=True)
        self._thread.start()

    def _talk(self) -> None:
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(self.texts).encode("utf-8"))
            proc.stdin.close()
            while len(self._batches) * self.batch_size < len(self.texts):
                if not proc.stdout.peek(1):  # type: ignore[attr-defined]  # a BufferedReader (bufsize -1)
                    return  # end of its output
                self._batches.append(self._batch(np.lib.format.read_array(_Stream(proc.stdout), allow_pickle=False)))
        except (OSError, ValueError, EOFError) as e:  # stopped mid-batch (by ``close``), or a bad answer
            if not self._stopping:
                self._bad = f"a malformed answer: {e}"

    def _batch(self, rows: np.ndarray) -> np.ndarray:
        start = len(self._batches) * self.batch_size
        want = (min(self.batch_size, len(self.texts) - start), self.dim)
        if rows.shape != want or rows.dtype != np.float32 or not np.all(np.isfinite(rows)):
            raise ValueError(f"rows of shape {rows.shape} where {want} were due")
        return rows

    def rows(self) -> np.ndarray:
        """The raw rows of the first ``done`` texts (the batches complete so far; maybe none). The
        side process is stopped; a failure of it is one line on stderr."""
        finished = self._proc.poll() is not None
        self.close()
        got = sum(map(len, self._batches))
        why = self._bad
        if finished and self._proc.returncode != 0:
            why = f"exit code {self._proc.returncode}"
        elif finished and not why and got < len(self.texts):
            why = "an incomplete answer"
        if why:
            print(f"mtqa: warning: the side process embedding {len(self.texts)} texts failed ({why}); "
                  f"{len(self.texts) - got} of them embedded here", file=sys.stderr)
        self.done = got
        return np.concatenate(self._batches) if self._batches else np.zeros((0, self.dim), np.float32)

    def close(self) -> None:
        """Stop the side process if it still runs."""
        self._stopping = True
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        _LIVE.discard(self._proc)
        self._thread.join(5)  # its read ends with the worker's output
        if not self._thread.is_alive():
            for pipe in (self._proc.stdin, self._proc.stdout):
                if pipe is not None:
                    pipe.close()


class _Stream:
    """A pipe as numpy reads a stream (by ``read`` calls): given the file itself, it would ask for
    its position, which a pipe does not have."""

    def __init__(self, pipe) -> None:
        self.read = pipe.read


def _kill_all() -> None:
    for proc in list(_LIVE):
        if proc.poll() is None:
            proc.kill()
        _LIVE.discard(proc)


atexit.register(_kill_all)
