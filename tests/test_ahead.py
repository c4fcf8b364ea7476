"""The reference embedded ahead in a side process (``mtqa.embed.aside``, ``mtqa.pipeline.ahead``):
the same vectors and report as embedding it here, the side process started only when it pays,
its failures falling back to this process, and no side process outliving mtqa."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import FIXTURES, ROOT

from mtqa import embed
from mtqa.config import Settings
from mtqa.embed import aside
from mtqa.embed.base import Embedder
from mtqa.embed.usem3 import UseM3Embedder
from mtqa.inputs.batch import load_batch
from mtqa.pipeline import ahead, run_pipeline

WMT = FIXTURES / "batch" / "wmt"


class CountingEmbedder(Embedder):
    """Rows from the text's length; records what it was asked to embed."""

    name = "counting"
    dim = 3

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[str]] = []

    @property
    def signature(self) -> str:
        return "counting"

    def _encode(self, texts):
        self.calls.append(list(texts))
        return np.array([[len(t), 1.0, 0.0] for t in texts])


def test_an_expected_text_is_taken_from_the_fetch_once_and_the_rest_embedded_here():
    emb, fetched = CountingEmbedder(), []
    emb.expect(["b", "cc"], lambda: fetched.append(1) or np.array([[0.0, 2.0, 0.0], [0.0, 0.0, 3.0]]))
    out = emb.encode(["a", "b", "cc", "a"])
    assert fetched == [1] and emb.calls == [["a"]] and emb.encoded == 1
    assert np.allclose(out[1], [0, 1, 0]) and np.allclose(out[2], [0, 0, 1])  # normalised here
    emb.encode(["b", "cc"])
    assert fetched == [1] and emb.calls == [["a"]]


def test_an_encode_that_needs_no_expected_text_does_not_fetch_it():
    emb = CountingEmbedder()
    emb.expect(["b"], lambda: pytest.fail("fetched although not needed"))
    emb.encode(["a", "z"])
    assert emb.calls == [["a", "z"]]
    emb.forget_expected()
    emb.encode(["b"])
    assert emb.calls[-1] == ["b"]


def test_the_texts_not_done_elsewhere_are_embedded_here_in_one_call():
    emb = CountingEmbedder()
    emb.expect(["b", "c", "d"], lambda: np.array([[0.0, 2.0, 0.0]]))  # only "b" was done
    emb.encode(["c"])
    assert emb.calls == [["c", "d"]] and emb.encoded == 2
    assert np.allclose(emb.encode(["b"]), [[0, 1, 0]])
    emb.expect(["x", "y"], lambda: np.zeros((0, 3)))  # nothing done: all here
    emb.encode(["y"])
    assert emb.calls[-1] == ["x", "y"]


TEXTS = ["Le musée a rouvert après deux ans de travaux.", "Les visiteurs faisaient la queue dès l'aube.",
         "Kyiv says Patriot systems intercepted most missiles."] * 30


def _finished(side: aside.Aside) -> None:
    deadline = time.monotonic() + 120
    while side._proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert side._proc.poll() is not None, "the side process did not end"


def test_the_side_process_gives_the_vectors_this_process_would_compute():
    side = aside.Aside(TEXTS, 512, batch_size=16)
    _finished(side)
    rows = side.rows()
    assert side.done == 90 and rows.dtype == np.float32
    assert np.array_equal(rows, UseM3Embedder(batch_size=16)._encode(TEXTS))  # bit for bit: same batches
    assert side._proc not in aside._LIVE


def test_rows_do_not_wait_and_stop_the_side_process():
    side = aside.Aside(TEXTS * 50, 512, batch_size=16)
    rows = side.rows()  # at once: the model is not even loaded
    assert side.done == len(rows) < len(TEXTS) * 50 and len(rows) % 16 == 0
    assert side._proc.returncode is not None and side._proc not in aside._LIVE


@pytest.mark.parametrize("worker, why", [
    ("import sys; sys.exit(3)", "exit code 3"),
    ("import sys; sys.stdin.read(); sys.stdout.write('not npy')", "a malformed answer"),
    ("import sys, numpy; sys.stdin.read(); numpy.save(sys.stdout.buffer, numpy.zeros((2, 512), 'f4'))",
     "a malformed answer"),  # 2 rows where a batch of 16 was due
    ("import sys, numpy; sys.stdin.read(); numpy.save(sys.stdout.buffer, numpy.zeros((16, 512), 'f4'))",
     "an incomplete answer"),  # one batch of 6, then the end
])
def test_a_failed_side_process_is_one_warning_and_its_good_rows(monkeypatch, capsys, worker, why):
    monkeypatch.setattr(aside, "_WORKER", worker)
    side = aside.Aside(TEXTS, 512, batch_size=16)
    _finished(side)
    rows = side.rows()
    good = 16 if why == "an incomplete answer" else 0
    assert len(rows) == side.done == good
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"mtqa: warning: the side process embedding 90 texts failed ({why}")
    assert err[0].endswith(f"; {90 - good} of them embedded here")


PARENT = """
import sys, time
from mtqa.embed import aside
side = aside.Aside(["Une phrase de plus, numéro %d." % i for i in range(20000)], 512, 64)
print(side._proc.pid, flush=True)
side._thread.join()
"""


def _gone(pid: int, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True  # a zombie: dead, waiting for its reaper
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG and /proc are Linux's")
@pytest.mark.parametrize("how", ["SIGKILL to mtqa", "Ctrl-C to the group"])
def test_the_side_process_never_outlives_its_parent(how):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, env=env, start_new_session=True)
    child = int(parent.stdout.readline())
    assert not _gone(child, 0.5), "the side process ended before the test could stop its parent"
    if how == "SIGKILL to mtqa":
        parent.kill()
    else:
        os.killpg(parent.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    parent.wait(timeout=60)
    assert _gone(child), "the side process outlived its parent"


def _line_aligned(mt=WMT / "systems/sysA.fr"):
    return load_batch(str(WMT / "source.en"), str(mt), str(WMT / "ref.fr"), line_aligned=True)


def _run(monkeypatch, **settings):
    monkeypatch.setattr(embed, "_EMBEDDERS", {})
    return run_pipeline(_line_aligned(), Settings(**settings))


@pytest.mark.parametrize("side_done", [True, False])
def test_a_line_aligned_run_embeds_the_reference_aside_with_the_same_report(monkeypatch, capsys, side_done):
    """Whether the side process has finished when ``cos_ref`` needs the vectors (an idle core) or
    not (a busy machine: this process embeds the rest), the report is the one-process report."""
    started = []
    monkeypatch.setattr(ahead, "MIN_CHARS", 0)
    monkeypatch.setattr(aside.Aside, "__init__", _recording(aside.Aside.__init__, started))
    if side_done:
        rows = aside.Aside.rows
        monkeypatch.setattr(aside.Aside, "rows", lambda self: _finished(self) or rows(self))
    else:  # a side process that has done nothing yet when the vectors are needed
        monkeypatch.setattr(aside, "_WORKER", "import sys, time; sys.stdin.read(); time.sleep(60)")
    here = _run(monkeypatch, line_aligned=True, jobs=1)
    assert started == []
    side = _run(monkeypatch, line_aligned=True)
    assert started == [6]  # the fixture's 9 reference lines less the 3 the MT has word for word
    assert side["run"]["embedded_in_workers"] == (6 if side_done else 0) and here["run"]["embedded_in_workers"] == 0
    assert side["run"]["embedded_texts"] == here["run"]["embedded_texts"]
    assert "warning" not in capsys.readouterr().err  # stopped before it finished: not a failure
    assert {**side["settings"], "jobs": 1} == here["settings"]
    for key in here:
        if key not in ("run", "settings"):
            assert json.dumps(side[key], sort_keys=True) == json.dumps(here[key], sort_keys=True), key


def _recording(init, started):
    def record(self, texts, dim, batch_size):
        started.append(len(texts))
        init(self, texts, dim, batch_size)
    return record


def _texts(monkeypatch, mt=WMT / "systems/sysA.fr", **settings):
    """What ``embed_reference`` would send aside (None: no side process)."""
    sent = []
    monkeypatch.setattr(aside.Aside, "__init__", lambda self, texts, dim, batch_size: sent.append(texts))
    monkeypatch.setattr(aside.Aside, "rows", lambda self: np.zeros((0, 512)))
    monkeypatch.setattr(aside.Aside, "close", lambda self: None)
    s = Settings(**settings)
    from mtqa.pipeline.stages import align_documents

    adocs = align_documents(_line_aligned(mt) if s.line_aligned else load_batch(
        str(WMT / "source.en"), str(WMT / "systems/sysA.fr"), str(WMT / "ref.fr")), s)
    emb = embed.get_embedder()
    ahead.embed_reference(adocs, s, emb, 1)
    emb.forget_expected()
    return sent[0] if sent else None


def test_the_side_process_starts_only_when_it_pays(monkeypatch):
    monkeypatch.setattr(ahead, "MIN_CHARS", 0)
    assert _texts(monkeypatch, line_aligned=True) is not None
    assert _texts(monkeypatch, line_aligned=True, jobs=1) is None  # one process asked for
    assert _texts(monkeypatch, line_aligned=True, metrics=["bleu", "chrf", "adequacy"]) is None  # no cos_ref
    assert _texts(monkeypatch, line_aligned=True, metrics=["adequacy-ref"]) is not None
    assert _texts(monkeypatch, line_aligned=False) is None  # the aligner embedded the reference
    monkeypatch.setattr(ahead, "cpu_count", lambda: 1)
    assert _texts(monkeypatch, line_aligned=True) is None
    monkeypatch.setattr(ahead, "cpu_count", lambda: 2)
    monkeypatch.setattr(ahead, "MIN_CHARS", 10_000)  # the fixture's reference is 406 characters
    assert _texts(monkeypatch, line_aligned=True) is None


def test_the_texts_sent_aside_leave_out_the_cached_and_the_mt_texts(monkeypatch, tmp_path):
    monkeypatch.setattr(ahead, "MIN_CHARS", 0)
    monkeypatch.setattr(embed, "_EMBEDDERS", {})
    ref = (WMT / "ref.fr").read_text(encoding="utf-8").splitlines()
    mt = (WMT / "systems/sysA.fr").read_text(encoding="utf-8").splitlines()
    differ = [i for i, (r, m) in enumerate(zip(ref, mt)) if r != m]
    assert len(differ) == 6
    assert _texts(monkeypatch, line_aligned=True) == [ref[i] for i in differ]
    embed.get_embedder().encode(ref[:2])
    assert _texts(monkeypatch, line_aligned=True) == [ref[i] for i in differ if i >= 2]
    mt[differ[-1]] = ref[differ[-1]]  # one more MT line the same as its reference: embedded as MT text
    (tmp_path / "mt.fr").write_text("\n".join(mt) + "\n", encoding="utf-8")
    assert _texts(monkeypatch, mt=tmp_path / "mt.fr", line_aligned=True) == [ref[i] for i in differ[:-1] if i >= 2]
