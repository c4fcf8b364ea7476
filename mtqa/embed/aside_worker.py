"""The side process of ``mtqa.embed.aside``: texts (a JSON list) on stdin; on stdout, the raw
use-m3 rows (``.npy``, float32) of each micro-batch of ``argv[2]`` texts as it is done; exit 0.
It is started with Ctrl-C already ignored, dies with its parent (``PR_SET_PDEATHSIG``) and runs
on idle CPU time only."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys


def _die_with_parent(parent: int) -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent kills it at exit, a closed pipe ends it
        pass
    if os.getppid() != parent:  # the parent died before the call above
        sys.exit(1)


def _yield_to_others() -> None:
    """Run only on CPU time nothing else wants (Linux ``SCHED_IDLE``; elsewhere the lowest nice):
    the side process must not slow the run it works for, nor its Grammalecte worker."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        with contextlib.suppress(OSError):
            os.nice(19)


def main() -> None:
    _die_with_parent(int(sys.argv[1]) if len(sys.argv) > 1 else os.getppid())
    _yield_to_others()
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    texts = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        sys.exit(2)
    import numpy as np

    from mtqa.embed.usem3 import UseM3Embedder

    emb = UseM3Embedder(batch_size=batch)
    for i in range(0, len(texts), batch):  # one micro-batch per call: the rows this process's caller would get
        np.save(sys.stdout.buffer, np.asarray(emb._encode(texts[i:i + batch]), dtype=np.float32), allow_pickle=False)
        sys.stdout.buffer.flush()
