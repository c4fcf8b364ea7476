"""The client of the Grammalecte worker (``grammalecte_worker.py``, run by Debian's python3).

Why a separate process: Grammalecte is GPL-3.0 and mtqa Apache-2.0, so mtqa never imports it;
a long-lived worker talking JSON lines over stdin/stdout started in 0.2 s where
``grammalecte-server`` (HTTP) was slower to start (``bench/grammar_speed.py``).

Requests are queued (``submit``) and answered in the background: a writer thread feeds the
worker's stdin and a reader thread drains its stdout, so the worker checks the MT while this
process aligns it. ``result`` waits for one answer. A worker that dies or stays silent for
``timeout`` seconds while a request waits is restarted once (its unanswered requests sent again); a second failure
raises ``GrammarFailure`` (exit 3). The worker dies with this process (``PR_SET_PDEATHSIG``, and
end of its stdin), so it is started from the main thread: ``spawn_early`` starts it at the top of
``mtqa check``, so that Grammalecte loads while mtqa imports its checks and aligns.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path

from mtqa.errors import MtqaError

WORKER_SCRIPT = Path(__file__).with_name("grammalecte_worker.py")
INSTALL_HINT = "apt-get install python3-grammalecte grammalecte-cli"
START_TIMEOUT = 30.0


class GrammarUnavailable(MtqaError):
    """Grammalecte cannot be started (no interpreter, or no grammalecte package): exit 2 with --grammar on."""


class GrammarFailure(MtqaError):
    """The worker died or hung twice during a run."""

    exit_code = 3


class GrammalecteWorker:
    def __init__(self, python: str, timeout: float = 30.0) -> None:
        self.python = python
        self.timeout = timeout
        self.version = ""
        self.restarts = 0
        self._lock = threading.Condition()
        self._answers: dict[int, dict] = {}
        self._sent: dict[int, dict] = {}  # id → request, until answered
        self._by_text: dict[str, int] = {}
        self._next = 1
        self._proc: subprocess.Popen | None = None
        self._queue: queue.Queue = queue.Queue()
        self._last_reply = time.monotonic()
        self._start()

    # -- process ------------------------------------------------------------------------------
    def _start(self) -> None:
        if not (os.path.isfile(self.python) and os.access(self.python, os.X_OK)):
            raise GrammarUnavailable(f"grammar: no Python interpreter at {self.python} to run Grammalecte; "
                                     f"install it with: {INSTALL_HINT}")
        proc = _SPAWNED.pop(self.python, None) or _spawn(self.python)
        self._proc = proc
        line = _readline(proc, START_TIMEOUT)
        if not line:
            err = _last_line(proc)
            self._kill()
            raise GrammarUnavailable(f"grammar: Grammalecte is not installed for {self.python} ({err}); "
                                     f"install it with: {INSTALL_HINT}")
        self.version = json.loads(line).get("version", "Grammalecte")
        self._queue = queue.Queue()
        self._last_reply = time.monotonic()
        threading.Thread(target=self._write_loop, args=(proc, self._queue), daemon=True).start()
        threading.Thread(target=self._read_loop, args=(proc,), daemon=True).start()

    def _write_loop(self, proc: subprocess.Popen, q: queue.Queue) -> None:
        while (line := q.get()) is not None:
            try:
                proc.stdin.write(line)  # type: ignore[union-attr]
                proc.stdin.flush()  # type: ignore[union-attr]
            except (OSError, ValueError):
                return  # the worker died: the reader sees it

    def _read_loop(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            reply = json.loads(line)
            with self._lock:
                if proc is self._proc:
                    self._last_reply = time.monotonic()
                    self._sent.pop(reply["id"], None)
                    self._answers[reply["id"]] = reply
                    self._lock.notify_all()
        with self._lock:
            self._lock.notify_all()  # end of output: the worker died

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self._queue.put(None)
        with contextlib.suppress(OSError):
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            with contextlib.suppress(OSError):
                stream.close()  # type: ignore[union-attr]

    def close(self) -> None:
        """Stop the worker: end of its input, then a kill if it lingers."""
        proc = self._proc
        if proc is None:
            return
        self._queue.put(None)
        with contextlib.suppress(OSError):
            proc.stdin.close()  # type: ignore[union-attr]
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=2)
        self._kill()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    # -- requests -----------------------------------------------------------------------------
    def _send(self, request: dict) -> int:
        with self._lock:
            rid = self._next
            self._next += 1
            request = {"id": rid, **request}
            if not self._sent:  # silence is counted from the oldest request still unanswered
                self._last_reply = time.monotonic()
            self._sent[rid] = request
        self._queue.put(json.dumps(request, ensure_ascii=False) + "\n")
        return rid

    def submit(self, text: str) -> None:
        """Queue ``text`` for checking (once per distinct text)."""
        if text not in self._by_text:
            self._by_text[text] = self._send({"text": text})

    def result(self, text: str) -> dict:
        """Grammalecte's answer for ``text``: {"grammar": [...], "unknown": [...]}."""
        self.submit(text)
        return self._wait(self._by_text[text])

    def lemmas(self, words: list[str]) -> dict[str, list[str]]:
        return self._wait(self._send({"lemmas": words}))["lemmas"]

    def morph(self, words: list[str]) -> dict[str, list[list[str]]]:
        """Each word's readings in Grammalecte's lexicon, as [lemma, tags] pairs."""
        return self._wait(self._send({"morph": words}))["morph"]

    def flexions(self, lemmas: list[str]) -> dict[str, list[list[str]]]:
        """Every form of each lemma in Grammalecte's lexicon, as [form, tags] pairs."""
        return self._wait(self._send({"flexions": lemmas}))["flexions"]

    def _wait(self, rid: int) -> dict:
        with self._lock:
            while rid not in self._answers:
                alive = self._proc is not None and self._proc.poll() is None
                silent = time.monotonic() - self._last_reply > self.timeout
                if not alive or silent:
                    self._lock.release()
                    try:
                        self._restart("died" if not alive else f"did not answer in {self.timeout:g} s")
                    finally:
                        self._lock.acquire()
                    continue
                self._lock.wait(0.2)
            return self._answers[rid]

    def _restart(self, why: str) -> None:
        self._kill()
        if self.restarts >= 1:
            if _WORKERS.get(self.python) is self:
                del _WORKERS[self.python]  # the next run starts a fresh worker
            raise GrammarFailure(f"grammar: the Grammalecte worker {why} again after a restart; giving up "
                                 "(run with --grammar off to skip the grammar checks)")
        self.restarts += 1
        self._start()
        with self._lock:
            pending = sorted(self._sent.items())
        for _, request in pending:
            self._queue.put(json.dumps(request, ensure_ascii=False) + "\n")


def _readline(proc: subprocess.Popen, timeout: float) -> str:
    """One line of the worker's output, or "" when it ends or stays silent for ``timeout`` s."""
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    return out[0] if out else ""


def _last_line(proc: subprocess.Popen) -> str:
    with contextlib.suppress(OSError):
        proc.kill()
    try:
        err = proc.communicate(timeout=5)[1] or ""
    except (subprocess.TimeoutExpired, ValueError):
        err = ""
    lines = [ln.strip() for ln in err.splitlines() if ln.strip()]
    return lines[-1] if lines else f"exit code {proc.poll()}"


def _spawn(python: str) -> subprocess.Popen:
    """The worker process, sent its hello (answered once Grammalecte is loaded, read by ``_start``)."""
    # a fixed hash seed: Grammalecte orders some suggestions by set iteration, which would
    # otherwise change from one worker process (and one run) to the next
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen([python, "-u", str(WORKER_SCRIPT)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            bufsize=1, env=env)
    proc.stdin.write('{"id": 0, "hello": true}\n')  # type: ignore[union-attr]
    proc.stdin.flush()  # type: ignore[union-attr]
    return proc


# -- one worker per process and interpreter -------------------------------------------------------
_WORKERS: dict[str, GrammalecteWorker | GrammarUnavailable] = {}
_SPAWNED: dict[str, subprocess.Popen] = {}  # started early (``spawn_early``), not yet taken by a worker


def spawn_early(python: str) -> None:
    """Start the worker process for ``python`` now, from the main thread (its death signal follows
    the thread that started it), so Grammalecte loads while this process imports and aligns; the
    first ``get_worker`` takes it. Does nothing when there is no such interpreter (``get_worker``
    then says why) or a worker exists."""
    if python in _WORKERS or python in _SPAWNED or not (os.path.isfile(python) and os.access(python, os.X_OK)):
        return
    with contextlib.suppress(OSError):
        _SPAWNED[python] = _spawn(python)


def get_worker(python: str, timeout: float = 30.0) -> GrammalecteWorker:
    """This process's worker for ``python``, started on first use; raises GrammarUnavailable
    (the same one every time) when it cannot start."""
    w = _WORKERS.get(python)
    if w is None:
        try:
            w = GrammalecteWorker(python, timeout)
        except GrammarUnavailable as e:
            w = e
        _WORKERS[python] = w
    if isinstance(w, GrammarUnavailable):
        raise w
    return w


def stop_workers() -> None:
    for w in list(_WORKERS.values()):
        if isinstance(w, GrammalecteWorker):
            w.close()
    _WORKERS.clear()
    for proc in list(_SPAWNED.values()):  # started early, never used: end of input, then a kill
        with contextlib.suppress(OSError):
            proc.stdin.close()  # type: ignore[union-attr]
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=2)
        with contextlib.suppress(OSError):
            proc.kill()
        proc.wait()
    _SPAWNED.clear()


def end_input_at_exit() -> None:
    """At exit, end every worker's input and do not wait for it: a worker exits on end of input,
    and ``PR_SET_PDEATHSIG`` ends it with this process anyway, so waiting (about 0.1 s, longer
    while Grammalecte still loads) would only delay the end of ``mtqa check``."""
    procs = list(_SPAWNED.values())
    for w in list(_WORKERS.values()):
        if isinstance(w, GrammalecteWorker) and w._proc is not None:
            w._queue.put(None)  # the writer thread stops
            procs.append(w._proc)
    for proc in procs:
        with contextlib.suppress(OSError, ValueError):
            proc.stdin.close()  # type: ignore[union-attr]


atexit.register(end_input_at_exit)
