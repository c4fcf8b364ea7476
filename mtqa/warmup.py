"""Start the slow loads of a ``mtqa check`` early, so they overlap the imports and the alignment.

A one-story gate spends most of its time starting up (``bench/startup.py``). Three loads wait
on something other than this process's Python code:

* the Grammalecte worker loads Grammalecte in its own process: started here, from the main thread
  (``grammar.worker.spawn_early``), its hello is read when the grammar status is first needed;
* the USE-m3 SentencePiece model (C++) and lingua's English and French models (Rust) release the
  GIL while they read their files: a background thread loads them while the main thread imports
  the checks and reads and aligns the inputs.

Nothing here changes a result: the same objects are built, only sooner, under the locks of
``UseM3Embedder.model`` and ``mtqa.text.langid.detector`` (a caller that needs one meanwhile waits
for it). A load that fails here is left alone: the main thread's own call raises the error as
before. Only for runs in this process (one document, or ``--jobs 1``; never ``--dask``), and only
for what the run will use.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mtqa.config import Settings


def _load_model(embedder: object) -> None:
    getattr(embedder, "model", None)  # the property loads it (use-m3)


def _load_langid() -> None:
    from mtqa.text.langid import detector

    detector()


def _run(loads: list[tuple]) -> None:
    for load, *args in loads:
        with contextlib.suppress(Exception):  # the main thread's own call reports it
            load(*args)


def start(settings: Settings, documents: int) -> threading.Thread | None:
    """Start the early loads for a run of ``documents`` documents; the background thread (daemon),
    or None when nothing is started there."""
    if settings.dask or (documents > 1 and settings.jobs != 1):
        return None  # worker processes load their own
    if settings.grammar != "off":
        from mtqa.checks.grammar.worker import spawn_early

        spawn_early(settings.grammar_python)
    loads: list[tuple] = []
    if settings.embedder == "use-m3":
        from mtqa.embed import get_embedder

        loads.append((_load_model, get_embedder(settings.embedder)))  # the run's embedder: made here, loaded there
    if "untranslated" not in settings.disable:
        loads.append((_load_langid,))
    if not loads:
        return None
    thread = threading.Thread(target=_run, args=(loads,), name="mtqa-warmup", daemon=True)
    thread.start()
    return thread
