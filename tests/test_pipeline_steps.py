"""The pipeline's named steps (``mtqa.pipeline``): what each adds to the run, tested alone."""

import time

import pytest
from procs_support import HANG

from mtqa.config import Settings
from mtqa.errors import InputError
from mtqa.inputs.text import load_text_pair
from mtqa.pipeline import StageRun, check_unique_ids, run_facts, run_pipeline


def _doc(tmp_path, name: str, doc_id: str):
    src, mt = tmp_path / f"{name}.en.txt", tmp_path / f"{name}.fr.txt"
    src.write_text("The council met on Monday.\n", encoding="utf-8")
    mt.write_text("Le conseil s'est réuni lundi.\n", encoding="utf-8")
    return load_text_pair(str(src), str(mt), doc_id=doc_id)


def test_duplicate_document_ids_fail_before_any_stage(tmp_path):
    docs = [_doc(tmp_path, "a", "same"), _doc(tmp_path, "b", "same")]
    check_unique_ids(docs[:1])
    with pytest.raises(InputError, match="two documents have the id 'same'"):
        run_pipeline(docs, Settings(embedder="no-such-embedder"))  # the embedder is never asked for


def test_run_facts_count_texts_embedded_here_and_in_workers():
    started = time.perf_counter() - 100  # a run that began 100 s ago, however slow this machine is now
    facts = run_facts(StageRun(jobs=3, adocs=[], encoded=40), 7, 2, started)
    assert facts["jobs"] == 3 and facts["documents"] == 7
    assert facts["embedded_texts"] == 42 and facts["embedded_in_workers"] == 40
    assert 100 <= facts["seconds"] < 100 + HANG
