"""Start the slow loads of a ``mtqa check`` early, so they overlap the imports and the alignment.

A one-story gate spends most of its time starting up (``bench/startup.py``). Two loads can
overlap this process's Python code:

* the Grammalecte worker loads Grammalecte in its own process: started here, from the main thread
  (``grammar.worker.spawn_early``), its hello is read when the grammar status is first needed;
* the USE-m3 model: a background thread loads it while the main thread imports the checks (the
  weights memory-mapped, the tokenizer's piece table from the disk cache). SentencePiece's full
  model (~0.2 s of CPU, holding the GIL) is not loaded there: a run's first texts are encoded by a
  model of the pieces they use (``mtqa.embed.sp_subset``). lingua's model load holds the GIL for
  all of its 1.5 s, so it is not started here (``mtqa.text.langid`` avoids it instead).

Nothing here changes a result: the same objects are built, only sooner, under the lock of
``UseM3Embedder.model`` (a caller that needs the model meanwhile waits for it). A load that fails
here is left alone: the main thread's own call raises the error as before. Only for runs in this process (one document, or ``--jobs 1``; never ``--dask``), and only
for what the run will use.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mtqa.config import Settings


def _load_model(embedder: object) -> None:
    with contextlib.suppress(Exception):  # the main thread's own call reports it
        getattr(embedder, "model", None)  # the property loads it (use-m3)


def start(settings: Settings, documents: int) -> threading.Thread | None:
    """Start the early loads for a run of ``documents`` documents; the background thread (daemon),
    or None when nothing is started there."""
    if settings.dask or (documents > 1 and settings.jobs != 1):
        return None  # worker processes load their own
    if settings.grammar != "off":
        from mtqa.checks.grammar.worker import spawn_early

        spawn_early(settings.grammar_python)
    if settings.embedder != "use-m3":
        return None
    from mtqa.embed import get_embedder

    embedder = get_embedder(settings.embedder)  # the run's embedder: made here, loaded there
    thread = threading.Thread(target=_load_model, args=(embedder,), name="mtqa-warmup", daemon=True)
    thread.start()
    return thread


# The checks' packaged data, built once per process (each loader is cached): (check id, module,
# loader names). Built by ``rule_data`` while the main thread would otherwise wait for Grammalecte.
_RULE_DATA = (
    ("untranslated", "mtqa.checks.untranslated", ("lexicon",)),
    ("numbers", "mtqa.checks.numbers", ("tables",)),
    ("sense.wrong", "mtqa.checks.sense", ("_packaged_index",)),
    ("names", "mtqa.checks.names.core", ("load_name_data",)),
    ("names", "mtqa.checks.names.organisations", ("load_org_data",)),
    ("calque", "mtqa.checks.calques", ("load_patterns", "load_prefilter")),
)


def rule_data(settings: Settings) -> int:
    """Build the enabled checks' packaged data now, when a Grammalecte worker started early has not
    said hello yet: the pipeline's first wait for it (``grammar.status``) then overlaps this work
    instead of idling. Each loader is the one the check calls (cached), so no result changes; a
    loader that fails here is left alone, and the check's own call raises the error as before.
    Returns the number of loaders run (0 when no worker is pending)."""
    import importlib

    from mtqa.checks.engine import is_disabled
    from mtqa.checks.grammar import worker

    if settings.grammar == "off" or settings.grammar_python not in worker._SPAWNED:
        return 0
    done = 0
    for check_id, module, loaders in _RULE_DATA:
        if is_disabled(check_id, settings):
            continue
        with contextlib.suppress(Exception):  # the check's own call reports it
            mod = importlib.import_module(module)
            for name in loaders:
                getattr(mod, name)()
                done += 1
    return done


# The cyclic garbage collector during a command's start-up (console entry only). Start-up makes
# objects that live until exit: modules, classes, typer's parameter adapters, the checks' rule
# data. The collector's passes over them cost a one-story ``mtqa check`` about 0.07–0.1 s of its
# ~0.8 s of CPU (``bench/startup.py``), and find next to nothing to free (15 objects, measured).
# So ``cli.main`` pauses it, and ``end_of_startup`` (a command's own start, or the pipeline once the
# rule data is built) moves what start-up made to the permanent generation (``gc.freeze``, so
# the collections of the run never walk it again) and turns the collector back on.
_COLLECTOR = {"paused": False}


def pause_collector() -> None:
    """Pause the cyclic collector until ``end_of_startup``; nothing when it is already off."""
    if gc.isenabled():
        gc.disable()
        _COLLECTOR["paused"] = True


def end_of_startup() -> bool:
    """Start-up is over: freeze what it made and resume the collector paused by
    ``pause_collector``. True when it did; False (nothing done) when nothing was paused here."""
    if not _COLLECTOR["paused"]:
        return False
    _COLLECTOR["paused"] = False
    gc.freeze()
    gc.enable()
    return True
