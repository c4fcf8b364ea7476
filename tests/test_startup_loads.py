"""The start-up shortcuts of a one-story run (issue 16) give what the slow path gives:

* lingua's word table holds lingua's own answers, and is off with the cache off;
* ``mostly_french`` spares lingua only on sentence-long segments that are mostly French;
* the Grammalecte worker started early is the one the run uses, and one never used is stopped;
* the early USE-m3 load is the model the run uses.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from checks_support import needs_grammalecte_marker
from procs_support import HANG, gone

from mtqa.checks import untranslated
from mtqa.checks.grammar import worker
from mtqa.config import Settings
from mtqa.text import langid

PYTHON = "/usr/bin/python3"
ROOT = Path(__file__).resolve().parent.parent
needs_grammalecte = needs_grammalecte_marker()


def _lingua(text: str) -> float:
    from lingua import Language

    return float(langid.detector().compute_language_confidence(text, Language.ENGLISH))


def test_the_word_table_holds_linguas_own_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MTQA_NO_CACHE", raising=False)
    monkeypatch.setattr(langid, "TABLE_WORDS", {"fr": 300, "en": 200})
    langid.word_table.cache_clear()
    try:
        table = langid.word_table()
        assert 300 <= len(table) <= 500 and "le" in table and "the" in table
        assert all(re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)*", w) and w.islower() for w in table)
        # lingua itself varies in the last bits from call to call (0.2077568434649097 then
        # ...0983 for "gens" in one process): equal up to that
        for word in list(table)[::25]:
            assert table[word] == pytest.approx(_lingua(word), abs=1e-12)
        assert list((tmp_path / "ruledata").glob("langid-words.*.marshal"))
        langid.word_table.cache_clear()
        assert langid.word_table() == table  # read back from disk
    finally:
        langid.word_table.cache_clear()


def test_no_word_table_with_the_cache_off(monkeypatch):
    monkeypatch.setenv("MTQA_NO_CACHE", "1")
    langid.word_table.cache_clear()
    try:
        assert langid.word_table() == {}
        langid.english_confidence.cache_clear()
        assert langid.english_confidence("conseil") == pytest.approx(_lingua("conseil"), abs=1e-12)
    finally:
        langid.word_table.cache_clear()
        langid.english_confidence.cache_clear()


def _words(mt: str, src: str) -> list:
    clf = untranslated._Classifier(src)
    return [(m, *clf.kind(m.group())) for m in untranslated._TOKEN.finditer(mt)]


def test_mostly_french_spares_lingua_on_a_french_sentence_only():
    src = "The city council approved the new budget on Tuesday after a long debate."
    fr = "Le conseil municipal a approuvé le nouveau budget mardi après un long débat."
    assert untranslated.mostly_french(_words(fr, src))
    assert not untranslated.mostly_french(_words(src, src))  # an English sentence goes to lingua
    long_fr = " ".join([fr] * 5)  # past FRENCH_MAX_CHARS: tested as before
    assert not untranslated.mostly_french(_words(long_fr, src))


def test_an_english_sentence_left_as_is_is_still_found():
    from mtqa.model import Segment

    src = "The city council approved the new budget on Tuesday after a long debate."
    seg = Segment(0, src, src, None, (0,), (0,), "1-1", 1.0)
    found = untranslated.Untranslated(Settings()).segment_findings(seg)
    assert [f.message for f in found] == ["The whole segment is in English (untranslated)."]


@needs_grammalecte
def test_the_early_worker_is_the_one_the_run_uses():
    worker.stop_workers()
    worker.spawn_early(PYTHON)
    early = worker._SPAWNED[PYTHON].pid
    try:
        w = worker.get_worker(PYTHON)
        assert w.pid == early and PYTHON not in worker._SPAWNED
        assert w.result("Les chat sont noirs.")["grammar"]
    finally:
        worker.stop_workers()


def test_spawn_early_without_the_interpreter_does_nothing():
    worker.spawn_early("/nonexistent/bin/python3")
    assert "/nonexistent/bin/python3" not in worker._SPAWNED


PARENT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from mtqa.checks.grammar import worker
    worker.spawn_early({python!r})
    print(worker._SPAWNED[{python!r}].pid, flush=True)
""")


@needs_grammalecte
def test_an_early_worker_never_used_is_stopped_at_exit():
    code = PARENT.format(root=str(ROOT), python=PYTHON)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG)
    assert p.returncode == 0, p.stderr
    assert gone(int(p.stdout.split()[0])), "the early worker outlived its parent"


def test_the_early_model_load_is_the_runs_model():
    from mtqa import warmup
    from mtqa.embed import get_embedder

    thread = warmup.start(Settings(grammar="off"), documents=1)
    assert thread is not None
    thread.join(HANG)
    assert not thread.is_alive(), "the early model load never ended"
    emb = get_embedder("use-m3")
    assert emb._model is not None and emb.model is emb._model
    assert warmup.start(Settings(grammar="off", embedder="hf:/nowhere"), documents=1) is None
    assert warmup.start(Settings(grammar="off"), documents=3) is None  # worker processes load their own
