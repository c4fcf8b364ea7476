"""Batches and comparisons on Dask (``--dask``), on a real LocalCluster of two worker processes:
the same report as one process, each shared source embedded once in the cluster, a worker killed
mid-run, Ctrl-C, an unreachable scheduler, a worker with another mtqa."""

import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace

import pytest

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")  # after distributed: its config defaults are loaded

from conftest import FIXTURES, ROOT  # noqa: E402
from procs_support import HANG  # noqa: E402

from mtqa import embed  # noqa: E402
from mtqa.config import Settings, load_settings  # noqa: E402
from mtqa.errors import ClusterError, ConfigError  # noqa: E402
from mtqa.inputs.batch import load_batch  # noqa: E402
from mtqa.pipeline import cluster, run_pipeline  # noqa: E402

B = FIXTURES / "batch"
WMT = B / "wmt"


@pytest.fixture(scope="module")
def dask_cluster():
    """Two worker processes, one thread each, as ``--dask local -j 2`` starts them."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as lc, distributed.Client(lc) as client:
        yield lc.scheduler_address, client


def _assert_close(a, b, path="report"):
    """Equal, floats to 1e-5: vectors embedded in other batches may differ in the last bits (as
    with the local pool); sacrebleu scores are compared exactly elsewhere."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), path
        for k in a:
            _assert_close(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _assert_close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-4), f"{path}: {a} != {b}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def _same_report(on_dask: dict, serial: dict) -> None:
    for key in serial:
        if key not in ("run", "settings"):
            _assert_close(on_dask[key], serial[key], key)
    strip = lambda s: {k: v for k, v in s.items() if k not in ("jobs", "dask")}  # noqa: E731
    assert strip(on_dask["settings"]) == strip(serial["settings"])
    for name in set(serial["scores"]) & {"bleu", "chrf", "ter"}:  # from the workers' statistics: exact
        assert on_dask["scores"][name] == serial["scores"][name]


def _thirteen_systems(tmp, paired: bool):
    """13 systems' MT of one test set (the wmt fixture's, each system a different edit of sysA),
    one manifest row per system: cut into 3 documents by doc ids (paired, as newstest), or whole."""
    lines = (WMT / "systems/sysA.fr").read_text(encoding="utf-8").splitlines()
    edits = [lambda s: s, lambda s: s.replace("é", "e"), lambda s: s.rsplit(" ", 1)[0] + ".",
             lambda s: s.replace(" ", "  ", 1), lambda s: s.lower()]
    # a word of its own on every line of a system: no MT sentence is shared, so one process and
    # the cluster must embed exactly the same texts when the source is embedded once
    words = ["Ainsi", "Donc", "Puis", "Enfin", "Bref", "Alors", "Certes", "Or", "Hier", "Aussi", "Pourtant",
             "Ensuite", "Désormais"]
    rows = ["doc,source,mt,ref" + (",docids,line_aligned" if paired else "")]
    for k in range(13):
        mt = tmp / f"sys{k:02d}.fr"
        mt.write_text("".join(f"{words[k]}, " + edits[(i + k) % len(edits)](s) + "\n" for i, s in enumerate(lines)),
                      encoding="utf-8")
        extra = f",{WMT / 'docids.tsv'},true" if paired else ""
        rows.append(f"sys{k:02d},{WMT / 'source.en'},{mt},{WMT / 'ref.fr'}{extra}")
    man = tmp / f"systems-{'paired' if paired else 'aligned'}.csv"
    man.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return man


def _runs(monkeypatch, docs, address, **settings):
    """(one-process report, Dask report), each with fresh embedder caches in this process."""
    monkeypatch.setattr(embed, "_EMBEDDERS", {})
    serial = run_pipeline(docs(), Settings(jobs=1, **settings))
    monkeypatch.setattr(embed, "_EMBEDDERS", {})
    on_dask = run_pipeline(docs(), Settings(dask=address, **settings))
    return serial, on_dask


@pytest.mark.parametrize("batch", ["dir", "manifest.csv", "systems.csv", "docids"])
def test_same_report_as_one_process_over_the_batch_fixtures(dask_cluster, monkeypatch, batch):
    def docs():
        if batch == "dir":
            return load_batch(None, str(B / "dir"))
        if batch == "docids":
            return load_batch(str(WMT / "source.en"), str(WMT / "systems/sysA.fr"), str(WMT / "ref.fr"),
                              docids=str(WMT / "docids.tsv"), line_aligned=True)
        return load_batch(None, None, manifest=str(B / batch))

    serial, on_dask = _runs(monkeypatch, docs, dask_cluster[0])
    _same_report(on_dask, serial)
    run = on_dask["run"]
    assert run["jobs"] == 2 and run["dask"]["workers"] == 2 and run["dask"]["scheduler"] == dask_cluster[0]
    # every text embedded once in the cluster, the client embeds nothing
    assert run["embedded_in_workers"] == run["embedded_texts"] == serial["run"]["embedded_texts"]


@pytest.mark.parametrize("paired", [True, False])
def test_thirteen_systems_share_the_source_embeddings(dask_cluster, monkeypatch, tmp_path, paired):
    man = _thirteen_systems(tmp_path, paired)
    docs = lambda: load_batch(None, None, manifest=str(man))  # noqa: E731
    assert len({d.source.text for d in docs()}) == (3 if paired else 1)
    serial, on_dask = _runs(monkeypatch, docs, dask_cluster[0])
    _same_report(on_dask, serial)
    run = on_dask["run"]
    assert run["dask"]["embedding_tasks"] >= 1 and run["dask"]["document_tasks"] >= 2
    # the shared source (and, aligned, the reference) embedded once in the cluster, not once per
    # worker: exactly what one process with one cache embeds
    assert run["embedded_in_workers"] == run["embedded_texts"] == serial["run"]["embedded_texts"]


def test_the_plan_embeds_shared_sides_first_and_documents_wait_for_them(tmp_path):
    docs = load_batch(None, None, manifest=str(_thirteen_systems(tmp_path, paired=False)))
    p = cluster.plan(docs, Settings(), workers=2)
    assert len(p.embeds) == 1 and sum(len(t) for t in p.documents) == 13
    assert sorted(i for t in p.documents for i in t) == list(range(13))
    assert all(needs == [0] for needs in p.needs)  # every task waits for the shared source and ref
    texts = cluster.piece_texts(p.embeds[0][0])
    assert "The museum reopened after two years of work." in texts  # runs of the source, 1..3 sentences
    assert "The museum reopened after two years of work. Visitors queued from early morning." in texts
    alone = load_batch(None, str(B / "dir"))  # only storm's source and reference are shared
    assert [len(t) for t in cluster.plan(alone, Settings(), workers=2).embeds] == [2]


def _worker_pids(client):
    return client.run(os.getpid)


def test_a_worker_killed_mid_run_is_recovered(dask_cluster, monkeypatch, tmp_path):
    """SIGKILL a worker process that is running tasks: Dask reschedules them (and recomputes the
    shared vectors it held), the nanny starts a new worker, and the report is the same."""
    address, client = dask_cluster
    man = _thirteen_systems(tmp_path, paired=True)
    docs = lambda: load_batch(None, None, manifest=str(man))  # noqa: E731
    monkeypatch.setattr(embed, "_EMBEDDERS", {})
    serial = run_pipeline(docs(), Settings(jobs=1))
    before = _worker_pids(client)
    killed = []

    def kill_once(stage, done, total):
        if killed or done >= total:
            return
        # a task has just finished: the scheduler may not have handed the next one out yet, so
        # look (briefly) until a worker is processing some
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            busy = {w: len(keys) for w, keys in client.processing().items() if keys and w in before}
            if busy:
                break
            time.sleep(0.005)
        if not busy:
            return  # every remaining task finished meanwhile: try at the next one
        victim = max(busy, key=lambda w: busy[w])
        killed.append((victim, busy[victim]))
        os.kill(before[victim], signal.SIGKILL)

    monkeypatch.setattr(embed, "_EMBEDDERS", {})
    on_dask = run_pipeline(docs(), Settings(dask=address), progress=kill_once)
    assert killed and killed[0][1] > 0, "the worker killed had tasks to run"
    _same_report(on_dask, serial)
    client.wait_for_workers(2, timeout=60)
    assert set(_worker_pids(client).values()) != set(before.values())  # a new worker process


def test_ctrl_c_cancels_the_futures_and_writes_no_report(dask_cluster, tmp_path):
    address, client = dask_cluster
    man = _thirteen_systems(tmp_path, paired=False)
    out = tmp_path / "r.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "mtqa", "check", "--manifest", str(man), "--dask", address,
                             "-o", str(out), "-q"], stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + HANG
    while time.monotonic() < deadline and proc.poll() is None and not _mtqa_tasks(client, "mtqa-embed"):
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=HANG)
    assert proc.returncode == 130 and stderr.strip().splitlines() == ["mtqa: interrupted (no report written)"]
    assert not out.exists() and not list(tmp_path.glob("r.json*"))
    deadline = time.monotonic() + HANG  # the scheduler forgets them once it sees the client gone
    while _mtqa_tasks(client, "mtqa-") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _mtqa_tasks(client, "mtqa-"), "the scheduler still holds the run's tasks"


def _mtqa_tasks(client, prefix):
    return client.run_on_scheduler(lambda dask_scheduler: [str(k) for k in dask_scheduler.tasks
                                                           if str(k).startswith(prefix)])


def test_a_worker_with_another_mtqa_is_refused(dask_cluster):
    address, client = dask_cluster

    def set_version(v):
        from mtqa.pipeline import cluster as c

        old, c.__version__ = c.__version__, v
        return old

    mine = client.run(set_version, "0.0.0-other")
    try:
        with pytest.raises(ClusterError, match=r"Dask worker tcp://\S+ runs mtqa 0\.0\.0-other, this client mtqa "
                                               r".*every worker needs the same mtqa, packages and rule files"):
            run_pipeline(load_batch(None, str(B / "dir")), Settings(dask=address))
    finally:
        client.run(set_version, next(iter(mine.values())))


def test_a_task_checks_its_worker_too(tmp_path):
    """A worker that joins after the client's check refuses the run's tasks itself."""
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules: []\n", encoding="utf-8")
    facts = cluster.worker_facts((str(rules),))
    assert cluster.mismatch(facts, cluster.worker_facts((str(rules),))) is None
    other = json.loads(json.dumps(facts))
    other["files"][str(rules)] = "missing"
    assert cluster.mismatch(facts, other) == f"has no {rules}"
    other["data"] = "0" * 16
    assert cluster.mismatch(facts, other) == "has other packaged rule data (mtqa/data) than this client"
    stale = replace(cluster.RunKey("a-run", facts), facts={**facts, "mtqa": "9.9"})
    with pytest.raises(ClusterError, match=r"Dask worker here runs mtqa 0\.1\.0, this client mtqa 9\.9"):
        cluster.embed_task(stale, Settings(), [])


def test_an_unreachable_scheduler_exits_2_with_one_line_within_10_s(run_cli):
    """mtqa gives up after its own CONNECT_TIMEOUT (5 s), not Dask's connect timeout: that one is
    set to 10 minutes here, so the wall-clock bound below (there for a loaded machine) still tells
    them apart, and the message says which timeout ended the wait."""
    assert cluster.CONNECT_TIMEOUT <= 10
    with socket.socket() as held:  # bound and never listening: refused, and no other process can take it
        held.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{held.getsockname()[1]}"
        with dask.config.set({"distributed.comm.timeouts.connect": "600s"}):
            t = time.monotonic()
            code, _, stderr = run_cli("check", "-t", B / "dir", "--dask", address)
            assert time.monotonic() - t < HANG
    assert code == 2 and len(stderr.strip().splitlines()) == 1
    assert stderr.startswith(f"mtqa: error: cannot reach the Dask scheduler at {address} (")
    assert f"after {cluster.CONNECT_TIMEOUT:g} s)" in stderr
    code, _, stderr = run_cli("check", "-t", B / "dir", "--dask", "nowhere")
    assert code == 2 and "expected 'local' or a Dask scheduler address" in stderr


def test_dask_in_mtqa_toml(tmp_path):
    cfg = tmp_path / "mtqa.toml"
    cfg.write_text('[mtqa]\ndask = "tcp://scheduler:8786"\n', encoding="utf-8")
    assert load_settings(str(cfg)).dask == "tcp://scheduler:8786"
    cfg.write_text('[mtqa]\ndask = "scheduler"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mtqa\.dask: expected 'local' or a Dask scheduler address"):
        load_settings(str(cfg))


def test_compare_on_dask_gives_the_same_result(dask_cluster, run_cli, tmp_path):
    fix = FIXTURES / "scores"
    args = ["compare", fix / "mt.fr.txt", fix / "mt_faulty.fr.txt", fix / "ref.fr.txt", "-s", fix / "source.en.txt",
            "-r", fix / "ref.fr.txt", "-m", "ter,bleu,chrf++", "-f", "json"]
    code1, one, err1 = run_cli(*args)
    code2, two, err2 = run_cli(*args, "--dask", dask_cluster[0])
    assert code1 == code2 == 0, err1 + err2
    assert {k: v for k, v in json.loads(one).items() if k != "timing"} == \
        {k: v for k, v in json.loads(two).items() if k != "timing"}


def test_check_dask_local_starts_its_own_cluster(run_cli, tmp_path):
    out, ref = tmp_path / "dask.json", tmp_path / "one.json"
    code1, _, err1 = run_cli("check", "-t", B / "dir", "-j", "1", "-o", ref, "-q")
    code2, _, err2 = run_cli("check", "-t", B / "dir", "--dask", "local", "-j", "2", "-o", out, "-q")
    assert code1 == code2 and code2 in (0, 1), err1 + err2
    on_dask, serial = (json.loads(p.read_text(encoding="utf-8")) for p in (out, ref))
    _same_report(on_dask, serial)
    assert on_dask["run"]["dask"] == {"scheduler": "local", "workers": 2, "embedding_tasks": 1, "document_tasks": 4}
