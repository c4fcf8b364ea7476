"""Batches: a directory of deliveries, a manifest, WMT-style line-aligned files cut by doc ids,
worker processes that share source embeddings, a progress bar, per-document and overall summaries."""

import json

import pytest

from mtqa.inputs.batch import discover_directory, load_batch, read_docids, read_manifest, split_by_docids
from mtqa.config import Settings
from mtqa.errors import InputError
from mtqa.pipeline import run_pipeline
from mtqa.pipeline.parallel import schedule

from conftest import FIXTURES

B = FIXTURES / "batch"
WMT = B / "wmt"


def test_directory_convention():
    entries = discover_directory(str(B / "dir"))
    by_doc = {e["doc"]: e for e in entries}
    assert set(by_doc) == {"market", "pack-bridge", "storm.vendorA", "storm.vendorB", None}
    assert by_doc["storm.vendorA"]["source"].endswith("storm.en.txt")
    assert by_doc["storm.vendorB"]["ref"].endswith("storm.ref.fr.txt")
    assert by_doc["market"]["ref"] is None
    assert by_doc["pack-bridge"]["mt"].endswith("pack-bridge/mt.fr.txt")
    assert by_doc[None]["mt"].endswith("memory.tmx")  # self-contained files are picked up too


def test_directory_errors(tmp_path):
    (tmp_path / "orphan.fr.txt").write_text("Bonjour.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"orphan\.fr\.txt: no source for this MT \(expected .*orphan\.en\.txt\)"):
        discover_directory(str(tmp_path))
    (tmp_path / "orphan.fr.txt").unlink()
    (tmp_path / "lonely.en.txt").write_text("Hello.\n", encoding="utf-8")
    with pytest.raises(InputError, match="source without MT"):
        discover_directory(str(tmp_path))
    (tmp_path / "lonely.en.txt").unlink()
    with pytest.raises(InputError, match="no documents found"):
        discover_directory(str(tmp_path))


def test_docids_split_line_aligned_files():
    assert read_docids(str(WMT / "docids.tsv")) == read_docids(str(WMT / "docids.txt"))
    docs = split_by_docids(str(WMT / "source.en"), str(WMT / "systems/sysA.fr"), str(WMT / "ref.fr"),
                           str(WMT / "docids.tsv"))
    assert [d.id for d in docs] == ["museum", "cyclist", "council"]
    assert [len(d.mt.units) for d in docs] == [3, 4, 2]
    cyclist = docs[1]
    assert [u.line for u in cyclist.mt.units] == [4, 5, 6, 7]  # lines of the MT file
    assert cyclist.mt.path.endswith("sysA.fr") and cyclist.ref.units[0].text.startswith("Un cycliste")


@pytest.mark.parametrize("content,match", [
    ("line\tdocid\n1\ta\n3\ta\n", r"docids\.tsv:3: expected line number 2"),
    ("line\tdocid\n1\n", r"docids\.tsv:2: expected 'line<TAB>docid'"),
    ("a\n\nb\n", r"docids\.tsv:2: empty document id"),
    ("a\nb\n", r"--docids needs one id per line of every file \(doc ids has 2, source has 9"),
])
def test_docids_errors(tmp_path, content, match):
    p = tmp_path / "docids.tsv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        split_by_docids(str(WMT / "source.en"), str(WMT / "systems/sysA.fr"), str(WMT / "ref.fr"), str(p))


def test_manifests_csv_and_json():
    csv_entries = read_manifest(str(B / "manifest.csv"))
    assert [e["doc"] for e in csv_entries] == ["storm-a", "storm-b", None]
    assert csv_entries[0]["mt"] == str((B / "dir/storm.vendorA.fr.txt").resolve())
    docs = load_batch(None, None, manifest=str(B / "manifest.csv"))
    assert [d.id for d in docs] == ["storm-a", "storm-b", "city-council"]
    docs = load_batch(None, None, manifest=str(B / "manifest.json"))
    assert [d.id for d in docs] == ["museum-etc", "market"] and docs[0].paired and len(docs[0].mt.units) == 9


@pytest.mark.parametrize("name,content,match", [
    ("m.csv", "doc,source\na,b\n", r"m\.csv:1: manifest header must name an \"mt\" column"),
    ("m.csv", "doc,mt,colour\na,b,c\n", r"unknown field\(s\) colour"),
    ("m.json", "[1]", r"document 1: expected an object"),
    ("m.json", "{\"documents\": [", r"m\.json:1: not valid JSON"),
    ("m.csv", "doc,mt\n", "manifest lists no documents"),
])
def test_manifest_errors(tmp_path, name, content, match):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        read_manifest(str(p))


def test_duplicate_document_ids_are_refused(tmp_path):
    m = tmp_path / "m.csv"
    m.write_text(f"doc,source,mt\nx,{B}/dir/market.en.txt,{B}/dir/market.fr.txt\nx,{B}/dir/storm.en.txt,{B}/dir/storm.vendorA.fr.txt\n",
                 encoding="utf-8")
    with pytest.raises(InputError, match="two documents have the id 'x'"):
        load_batch(None, None, manifest=str(m))


def test_schedule_keeps_documents_sharing_a_source_together():
    docs = load_batch(None, str(B / "dir"))
    tasks = schedule(docs, jobs=2)
    assert sorted(i for t in tasks for i in t) == list(range(len(docs)))
    storm = {i for i, d in enumerate(docs) if d.id.startswith("storm.")}
    assert any(storm <= set(t) for t in tasks)


def test_schedule_spreads_many_systems_of_one_source_over_the_workers():
    docs = load_batch(None, None, manifest=str(_one_source_manifest()))
    assert len({d.source.text for d in docs}) == 1
    tasks = schedule(docs, jobs=2)
    assert len(tasks) == 3 and sorted(i for t in tasks for i in t) == [0, 1, 2]
    # enough distinct sources: each source's documents stay in one task
    assert schedule(docs, jobs=1) == [[0, 1, 2]]


def _one_source_manifest():
    import tempfile
    from pathlib import Path

    d = Path(tempfile.mkdtemp(prefix="mtqa-one-source-"))
    m = d / "m.csv"
    rows = [("vendorA", "storm.vendorA.fr.txt"), ("vendorB", "storm.vendorB.fr.txt"), ("vendorA-again", "storm.vendorA.fr.txt")]
    m.write_text("doc,source,mt,ref\n" + "".join(f"{doc},{B}/dir/storm.en.txt,{B}/dir/{mt},{B}/dir/storm.ref.fr.txt\n"
                                                    for doc, mt in rows), encoding="utf-8")
    return m


def test_auto_jobs_stay_in_one_process_for_small_batches_and_single_documents():
    from mtqa.pipeline.parallel import PARALLEL_MIN_SOURCE_CHARS, cpu_count, effective_jobs

    docs = load_batch(None, str(B / "dir"))
    assert sum(len(d.source.text) for d in docs) < PARALLEL_MIN_SOURCE_CHARS
    assert effective_jobs(docs, 0) == 1      # auto: too small to pay for workers
    assert effective_jobs(docs, 3) == 3      # asked for
    assert effective_jobs(docs[:1], 4) == 1  # one document: nothing to share out
    big = docs[:1] * 2
    big = [type(d)(**{**d.__dict__, "id": f"{d.id}{k}"}) for k, d in enumerate(big)]
    for d in big:
        d.source.text = d.source.text * (PARALLEL_MIN_SOURCE_CHARS // max(1, len(d.source.text)) + 1)
    assert effective_jobs(big, 0) == cpu_count()


def _assert_close(a, b, path="report"):
    import math

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


def test_worker_processes_give_the_same_report_and_embed_each_text_once(monkeypatch):
    from mtqa import embed

    monkeypatch.setattr(embed, "_EMBEDDERS", {})  # fresh caches: count every text embedded
    serial = run_pipeline(load_batch(None, str(B / "dir")), Settings(jobs=1))
    monkeypatch.setattr(embed, "_EMBEDDERS", {})
    parallel = run_pipeline(load_batch(None, str(B / "dir")), Settings(jobs=2))
    # same report; embeddings computed in other batches may differ in the last float bits
    _assert_close(parallel["documents"], serial["documents"])
    _assert_close(parallel["scores"], serial["scores"])
    _assert_close(parallel["gate"], serial["gate"])
    assert parallel["run"]["jobs"] == 2 and serial["run"]["embedded_texts"] > 0
    # the two vendors share the storm source: the workers embed its sentences once, not once per
    # vendor — exactly what one process with one cache embeds — and the main process embeds nothing
    assert parallel["run"]["embedded_in_workers"] == serial["run"]["embedded_texts"]
    assert parallel["run"]["embedded_texts"] == parallel["run"]["embedded_in_workers"]



def test_workers_sharing_one_source_give_the_same_report(monkeypatch):
    """Three systems' MT of one source on two workers: the source is split across processes, each
    embeds it at most once, and the report (scores to the last digit, findings) is the one-process one."""
    from mtqa import embed

    docs = lambda: load_batch(None, None, manifest=str(_one_source_manifest()))  # noqa: E731
    monkeypatch.setattr(embed, "_EMBEDDERS", {})
    serial = run_pipeline(docs(), Settings(jobs=1))
    monkeypatch.setattr(embed, "_EMBEDDERS", {})
    parallel = run_pipeline(docs(), Settings(jobs=2))
    _assert_close(parallel["documents"], serial["documents"])
    for name in ("bleu", "chrf", "ter"):  # aggregated from the workers' sacrebleu statistics: exact
        assert parallel["scores"][name]["score"] == serial["scores"][name]["score"]
        assert parallel["scores"][name]["signature"] == serial["scores"][name]["signature"]
    _assert_close(parallel["scores"], serial["scores"])
    assert parallel["run"]["embedded_texts"] == parallel["run"]["embedded_in_workers"]  # main embeds nothing
    # each of the two worker processes embeds a text at most once (its cache outlives its tasks)
    assert serial["run"]["embedded_texts"] <= parallel["run"]["embedded_in_workers"] <= 2 * serial["run"]["embedded_texts"]

def test_check_directory_batch_summary_per_document_and_overall(run_cli, tmp_path):
    out = tmp_path / "r.json"
    code, stdout, stderr = run_cli("check", "-t", B / "dir", "-o", out, "-o", tmp_path / "r.md")
    assert code in (0, 1), stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    ids = [d["id"] for d in report["documents"]]
    assert ids == ["market", "memory", "pack-bridge", "storm.vendorA", "storm.vendorB"]
    assert report["summary"]["documents"] == 5 and report["summary"]["segments"] == sum(len(d["segments"]) for d in report["documents"])
    # terminal: one row per document and the overall row
    rows = [line.split()[0] for line in stdout.splitlines() if line.split()]
    for doc_id in ids:
        assert doc_id in rows
    assert "ALL" in rows
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert all(f"| {i.replace('_', chr(92) + '_')} |" in md for i in ids)


def test_check_line_aligned_with_docids_reports_file_lines_and_columns(run_cli, tmp_path):
    out = tmp_path / "r.json"
    code, _, stderr = run_cli("check", "-s", WMT / "source.en", "-t", WMT / "systems/sysA.fr", "-r", WMT / "ref.fr",
                              "--line-aligned", "--docids", WMT / "docids.tsv", "-o", out)
    assert code in (0, 1), stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [d["id"] for d in report["documents"]] == ["museum", "cyclist", "council"]
    segs = report["documents"][1]["segments"]
    assert [(s["mt_line"], s["mt_column"]) for s in segs] == [(4, 1), (5, 1), (6, 1), (7, 1)]
    assert segs[0]["ref"] == "Un cycliste a été blessé sur le périphérique."


def test_progress_bar_goes_to_stderr_only(run_cli, tmp_path):
    code, stdout, stderr = run_cli("check", "-t", B / "dir", "--progress", "-f", "json")
    assert code in (0, 1)
    assert "align + embed" in stderr and "5/5" in stderr
    assert json.loads(stdout)["summary"]["documents"] == 5  # stdout stays machine-readable
    code, stdout, stderr = run_cli("check", "-t", B / "dir", "-q")
    assert stdout == "" and "align" not in stderr


def test_batch_input_errors_exit_2(run_cli, tmp_path):
    code, _, stderr = run_cli("check", "-s", WMT / "source.en", "-t", B / "dir")
    assert code == 2 and "a directory batch finds its sources" in stderr
    code, _, stderr = run_cli("check", "--manifest", B / "manifest.csv", "-t", B / "dir")
    assert code == 2 and "--manifest lists the files itself" in stderr
    code, _, stderr = run_cli("check")
    assert code == 2 and "missing -t/--mt" in stderr


def test_pre_commit_hook_definitions_run_as_pre_commit_would(run_cli):
    import re
    import shlex

    import yaml

    from conftest import ROOT

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"mtqa", "mtqa-batch"}
    for h in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(h) and h["language"] == "python"
    files = re.compile(hooks["mtqa"]["files"])
    staged = ["deliveries/a.xlf", "deliveries/b.tmx", "notes.txt", "deliveries/c.xliff"]
    assert [f for f in staged if files.search(f)] == ["deliveries/a.xlf", "deliveries/b.tmx", "deliveries/c.xliff"]
    # pre-commit runs: entry + args + the staged file names
    entry = shlex.split(hooks["mtqa"]["entry"])
    assert entry[0] == "mtqa"
    xml = FIXTURES / "xml"
    code, stdout, stderr = run_cli(*entry[1:], "--max-critical", "1000", xml / "delivery.xlf", xml / "memory.tmx")
    assert code == 0, stderr
    assert "city-council" in stdout and "memory" in stdout
    code, _, stderr = run_cli(*entry[1:], xml / "delivery.xlf", xml / "missing-target.tmx")
    assert code == 2 and "tu 'lonely' has no French <tuv>" in stderr
    assert hooks["mtqa-batch"]["pass_filenames"] is False
    code, stdout, stderr = run_cli(*shlex.split(hooks["mtqa-batch"]["entry"])[1:], "--max-critical", "1000",
                                   "--manifest", B / "manifest.csv")
    assert code == 0, stderr


def test_every_format_from_a_newstest_style_batch(run_cli, tmp_path):
    import csv
    import io
    from xml.etree import ElementTree as ET

    outs = {ext: tmp_path / f"r.{ext}" for ext in ("json", "md", "html", "xml", "sarif", "csv", "txt")}
    args = ["check", "-s", WMT / "source.en", "-t", WMT / "systems/sysA.fr", "-r", WMT / "ref.fr",
            "--line-aligned", "--docids", WMT / "docids.tsv", "--max-critical", "1000", "-j", "2"]
    for p in outs.values():
        args += ["-o", p]
    code, _, stderr = run_cli(*args)
    assert code == 0, stderr
    report = json.loads(outs["json"].read_text(encoding="utf-8"))
    ids = ["museum", "cyclist", "council"]
    assert [d["id"] for d in report["documents"]] == ids and report["run"]["jobs"] == 2
    n = sum(len(d["findings"]) for d in report["documents"])
    junit = ET.fromstring(outs["xml"].read_text(encoding="utf-8"))
    assert [tc.get("name") for tc in junit.find("testsuite[@name='mtqa.documents']")] == ids
    assert all(tc.get("file").endswith("sysA.fr") for tc in junit.find("testsuite[@name='mtqa.documents']"))
    sarif = json.loads(outs["sarif"].read_text(encoding="utf-8"))
    assert [a["location"]["uri"].rsplit("/", 1)[-1] for a in sarif["runs"][0]["artifacts"]] == ["sysA.fr"]
    assert len(sarif["runs"][0]["results"]) == n
    mt_lines = (WMT / "systems/sysA.fr").read_text(encoding="utf-8").split("\n")
    for res in sarif["runs"][0]["results"]:
        reg = res["locations"][0]["physicalLocation"]["region"]
        assert mt_lines[reg["startLine"] - 1][reg["startColumn"] - 1 : reg["endColumn"] - 1] == reg["snippet"]["text"]
    assert len(list(csv.DictReader(io.StringIO(outs["csv"].read_text(encoding="utf-8"))))) == n
    html = outs["html"].read_text(encoding="utf-8")
    assert all(f'href="#d{i}"' in html for i in range(3)) and html.count('class="card doc"') == 3
    md = outs["md"].read_text(encoding="utf-8")
    assert "| cyclist | ✅ pass | 4 |" in md
    txt = outs["txt"].read_text(encoding="utf-8")
    assert all(i in txt for i in ids) and "ALL" in txt


def test_manifest_of_wmt_systems_with_docids():
    docs = load_batch(None, None, manifest=str(B / "systems.csv"))
    assert [d.id for d in docs] == ["sysA/museum", "sysA/cyclist", "sysA/council",
                                    "sysA-again/museum", "sysA-again/cyclist", "sysA-again/council"]
    assert docs[1].ref is not None and docs[4].ref is None
    assert [u.line for u in docs[4].mt.units] == [4, 5, 6, 7]
    # the same source document for both systems: scheduled together, embedded once
    tasks = schedule(docs, jobs=2)
    assert any({1, 4} <= set(t) for t in tasks)


def test_negative_jobs_are_refused(tmp_path, run_cli):
    from mtqa.config import load_settings
    from mtqa.errors import ConfigError

    cfg = tmp_path / "mtqa.toml"
    cfg.write_text("[mtqa]\njobs = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mtqa.jobs"):
        load_settings(str(cfg))
    cfg.write_text("[mtqa]\njobs = 3\n", encoding="utf-8")
    assert load_settings(str(cfg)).jobs == 3 and Settings().jobs == 0  # 0: auto
    code, _, stderr = run_cli("check", "-t", str(B / "dir"), "--jobs", "-1", "-o", str(tmp_path / "r.json"))
    assert code == 2 and "--jobs" in stderr and not (tmp_path / "r.json").exists()
