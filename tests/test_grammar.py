"""The grammar family with the real Grammalecte (Debian python3-grammalecte, run by /usr/bin/python3
in a worker process). No mocks: without Grammalecte these tests skip, saying why; `make test` and
.ci/run install it. One test simulates its absence with an interpreter that does not exist."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from checks_support import check_offsets, grammalecte_version, make_doc, needs_grammalecte_marker, run_all, run_one
from procs_support import HANG, Clock, gone

from mtqa.checks import grammar
from mtqa.checks.grammar import analysis
from mtqa.checks.grammar.analysis import GrammarError
from mtqa.checks.grammar.calibration import CATEGORIES, calibration
from mtqa.checks.grammar.check import Grammar
from mtqa.checks.grammar.worker import GrammalecteWorker, GrammarFailure, get_worker, stop_workers
from mtqa.config import Settings

PYTHON = "/usr/bin/python3"
ROOT = Path(__file__).resolve().parent.parent


VERSION = grammalecte_version()
needs_grammalecte = needs_grammalecte_marker()


def _grammar(mt: str, src: str = "The source.", **kw) -> list:
    adoc = make_doc([(src, mt)])
    findings = run_one("grammar", adoc, **kw)
    check_offsets(findings, adoc)
    return findings


# -- the check ----------------------------------------------------------------------------------
@needs_grammalecte
def test_agreement_error_is_found_with_a_suggestion():
    f = _grammar("Les chat sont noirs.", "The cats are black.")
    assert [(x.rule, x.mt_text, x.suggestion) for x in f] == [("grammar.agreement", "chat", "chats")]
    assert f[0].category == "fluency/grammar" and "Grammalecte" in f[0].message


@needs_grammalecte
def test_correct_agreement_is_clean():
    assert _grammar("Les chats sont noirs.", "The cats are black.") == []


@needs_grammalecte
def test_mood_error_is_major_and_correct_mood_is_clean():
    f = _grammar("Il faut que tu viens demain.")
    assert [(x.rule, x.mt_text, x.severity) for x in f] == [("grammar.mood", "viens", "major")]
    assert _grammar("Il faut que tu viennes demain.") == []


@needs_grammalecte
def test_agreement_on_a_name_read_as_a_common_word_is_never_major():
    # Grammalecte reads "Venus" as the plural of "venu": both its gn errors become minor
    f = _grammar("Selon la NASA, le Venus Express a observé la planète.", "NASA says Venus Express saw the planet.")
    assert f and {x.rule for x in f} == {"grammar.agreement"}
    assert {x.severity for x in f} == {"minor"}


@needs_grammalecte
def test_agreement_on_a_common_noun_keeps_its_major_severity():
    f = _grammar("Il a vu le chats de Marie.", "He saw Marie's cat.")
    assert f and {x.severity for x in f} == {"major"}  # g3__gn_le_1m is calibrated major


def test_a_capitalised_word_at_a_sentence_start_is_not_a_name():
    from mtqa.checks.grammar.analysis import GrammarError
    from mtqa.checks.grammar.check import involves_name

    def err(s: int, e: int) -> GrammarError:
        return GrammarError(s, e, "g3__gn_le_1m", "gn", "", ())
    assert not involves_name("Le chats de Marie.", err(0, 2))  # "Le" starts the sentence
    assert not involves_name("Il dit. Venus est là.", err(8, 13))
    assert involves_name("Il a vu le Venus Express.", err(8, 10))  # the determiner, then the name


@needs_grammalecte
def test_grammalecte_typography_is_off_one_typography_voice():
    text = "Il a dit : l'avion est arrivé ."  # straight apostrophe, space before the full stop
    assert _grammar(text) == []
    assert [f.rule for f in _grammar(text, grammar_enable=["apos"])] == ["grammar.typography"]


@needs_grammalecte
def test_grammar_disable_turns_a_type_off():
    assert _grammar("Les chat sont noirs.", grammar_disable=["gn"]) == []


def test_grammar_off_starts_nothing():
    assert _grammar("Les chat sont noirs.", grammar="off") == []


@needs_grammalecte
def test_sentences_of_a_paragraph_keep_their_offsets():
    adoc = make_doc([[("One.", "Le ciel est bleu."), ("Two.", "Les chat sont noirs.")]])
    f = run_one("grammar", adoc)
    check_offsets(f, adoc)
    assert [(x.segment, x.mt_text) for x in f] == [(1, "chat")]


# -- calibration data: every entry -----------------------------------------------------------
ENTRIES = [*calibration().types.values(), *calibration().rules]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.by}:{e.match}")
def test_every_calibration_entry_grades_its_errors(entry):
    assert entry.rule in CATEGORIES
    typ = entry.match if entry.by == "type" else "gn"
    rule_id = entry.match + "__b1_a1_1" if entry.by == "rule" else f"x__{entry.match}_rule"
    err = GrammarError(0, 3, rule_id, typ, "msg", ())
    got = Grammar(Settings()).severity_of(err)
    assert got == (None if entry.severity == "off" else entry.severity)
    if entry.severity == "off":
        assert Grammar(Settings(grammar_enable=[entry.match])).severity_of(err) == "minor"
    else:
        assert Grammar(Settings(grammar_disable=[entry.match])).severity_of(err) is None


def test_calibration_keeps_major_only_where_precise():
    for e in ENTRIES:
        if e.severity == "major":
            assert e.precision >= 0.6, e
        if e.precision < 0.4:
            assert e.severity == "off", e


def test_an_unknown_type_is_off():
    assert Grammar(Settings()).severity_of(GrammarError(0, 1, "zz__new_rule", "brandnew", "m", ())) is None


# -- untranslated by lexicon ---------------------------------------------------------------------
def _untranslated(src: str, mt: str, **kw) -> list:
    adoc = make_doc([(src, mt)])
    f = run_one("untranslated", adoc, **kw)
    check_offsets(f, adoc)
    return f


@needs_grammalecte
def test_lowercase_english_word_unknown_to_the_lexicon_is_untranslated():
    f = _untranslated("The bag has two strong handles.", "Le sac a deux handles solides.")
    assert [(x.mt_text, x.severity, x.source_text) for x in f] == [("handles", "major", "handles")]
    assert "lexicon" in f[0].message


@needs_grammalecte
def test_a_glued_word_counts_by_its_parts():
    f = _untranslated("Weighs 5 pounds. Blue and red.", "Pèse 5 poundsBlue et rouge.")
    assert [x.mt_text for x in f] == ["poundsBlue"]


@needs_grammalecte
def test_translated_words_names_models_urls_and_titles_are_not_untranslated():
    assert _untranslated("The bag has two strong handles.", "Le sac a deux poignées solides.") == []
    assert _untranslated("Rubberized grip by Acme.", "Poignée Rubberized par Acme.") == []  # capitalised: off
    assert _untranslated("The XR500handles model.", "Le modèle XR500handles.") == []  # model number
    assert _untranslated("See www.handles.com now.", "Voir www.handles.com maintenant.") == []
    assert _untranslated("He read Strong Handles Forever today.",
                         "Il a lu « Strong Handles Forever » aujourd'hui.") == []


def test_without_grammalecte_the_lexicon_branch_is_silent():
    assert _untranslated("The bag has two strong handles.", "Le sac a deux handles solides.", grammar="off") == []


# -- long segments --------------------------------------------------------------------------------
def test_a_megabyte_segment_is_capped_and_chunked():
    text = ("Les chats sont noirs. " * 50_000)[:1_000_000]
    adoc = make_doc([("Cats.", text)])
    pieces, capped = analysis.segment_pieces(adoc.segments[0], adoc.doc)
    assert capped and all(len(p) <= analysis.PIECE_CHARS for _, p in pieces)
    assert max(o + len(p) for o, p in pieces) <= analysis.SEGMENT_CAP
    assert grammar.capped_segments([adoc]) == [["doc", 0]]


def test_a_long_token_is_blanked_in_place():
    blob = "x" * 150
    pieces = analysis.chunks(analysis._blank_long(f"Un {blob} fin."))
    assert pieces == [(0, "Un " + " " * 150 + " fin.")]


@needs_grammalecte
def test_a_megabyte_segment_does_not_stall():
    text = ("Les chat sont noirs. " * 50_000)[:1_000_000]
    adoc = make_doc([("Cats.", text)])
    started = time.perf_counter()
    f = run_one("grammar", adoc)
    assert time.perf_counter() - started < 60
    assert f and max(x.mt_end for x in f) <= analysis.SEGMENT_CAP


# -- the worker: restart, failure, no orphan -----------------------------------------------------
# A worker's timeout bounds its silence while a request waits. The tests below that are not about
# that silence give it HANG seconds (a loaded machine never makes a live worker that slow); those
# that are run the worker's clock forward themselves (procs_support.Clock), never the wall clock's.
@needs_grammalecte
def test_a_dead_worker_is_restarted_once_then_the_run_fails():
    w = GrammalecteWorker(PYTHON, timeout=HANG)
    try:
        os.kill(w.pid, signal.SIGKILL)
        assert w.result("Les chat sont noirs.")["grammar"]
        assert w.restarts == 1
        os.kill(w.pid, signal.SIGKILL)
        with pytest.raises(GrammarFailure) as e:
            w.result("Les chien sont noirs.")
        assert e.value.exit_code == 3 and "again after a restart" in str(e.value)
    finally:
        w.close()


@pytest.fixture
def clock(monkeypatch):
    from mtqa.checks.grammar import worker as worker_mod

    c = Clock()
    monkeypatch.setattr(worker_mod, "time", c)
    return c


@needs_grammalecte
def test_a_hung_worker_times_out_instead_of_hanging(clock):
    w = GrammalecteWorker(PYTHON, timeout=HANG)
    try:
        os.kill(w.pid, signal.SIGSTOP)
        w.submit("Les chat sont noirs.")  # silence counted from here...
        clock.jump(HANG + 1)  # ...past the timeout: restarted, asked again, answered
        assert w.result("Les chat sont noirs.")["grammar"] and w.restarts == 1
        os.kill(w.pid, signal.SIGSTOP)
        w.submit("Les chien sont noirs.")
        clock.jump(HANG + 1)
        with pytest.raises(GrammarFailure, match=f"did not answer in {HANG:g} s again after a restart"):
            w.result("Les chien sont noirs.")
    finally:
        w.close()


@needs_grammalecte
def test_an_idle_worker_is_not_taken_for_a_hung_one(clock):
    w = GrammalecteWorker(PYTHON, timeout=HANG)
    try:
        assert w.result("Les chat sont noirs.")["grammar"]
        clock.jump(HANG + 1)  # idle longer than the timeout, with nothing asked
        assert w.result("Les chien sont noirs.")["grammar"]
        assert w.restarts == 0
    finally:
        w.close()


@needs_grammalecte
def test_after_a_failure_the_next_run_gets_a_fresh_worker():
    from mtqa.checks.grammar import worker as worker_mod

    stop_workers()
    w = get_worker(PYTHON, timeout=HANG)
    try:
        os.kill(w.pid, signal.SIGKILL)
        w.result("Les chat sont noirs.")
        os.kill(w.pid, signal.SIGKILL)
        with pytest.raises(GrammarFailure):
            w.result("Les chien sont noirs.")
        assert PYTHON not in worker_mod._WORKERS
        fresh = get_worker(PYTHON, timeout=HANG)
        assert fresh is not w and fresh.restarts == 0
        assert fresh.result("Les oiseau sont noirs.")["grammar"]
    finally:
        stop_workers()


# -- the lexicon requests (bench/french_inflections.py, bench/morphology_eval.py) ---------------
@needs_grammalecte
def test_the_worker_gives_lemmas_readings_and_flexions():
    w = get_worker(PYTHON)
    assert w.lemmas(["chats", "xqzw"]) == {"chats": ["chat"], "xqzw": []}
    morph = w.morph(["chats", "xqzw"])
    assert [lemma for lemma, _ in morph["chats"]] == ["chat"] and ":N" in morph["chats"][0][1]
    assert morph["xqzw"] == []
    forms = {f for f, _ in w.flexions(["atteindre", "xqzw"])["atteindre"]}
    assert {"atteint", "atteignent", "atteindra"} <= forms and "atteindrez" in forms
    assert w.flexions(["xqzw"]) == {"xqzw": []}


PARENT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from mtqa.checks.grammar.worker import get_worker
    w = get_worker({python!r})
    w.submit("Les chat sont noirs.")
    print(w.pid, flush=True)
    time.sleep(60)
""")


@needs_grammalecte
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL, signal.SIGTERM], ids=["ctrl-c", "crash", "term"])
def test_no_orphan_worker_after_interrupt_or_crash(how):
    code = PARENT.format(root=str(ROOT), python=PYTHON)
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(parent.stdout.readline())  # type: ignore[union-attr]
        os.kill(pid, 0)  # the worker runs
        parent.send_signal(how)
        parent.wait(timeout=HANG)
        assert gone(pid), f"worker {pid} outlived its parent"
    finally:
        parent.kill()
        parent.wait()


# -- absence and options -------------------------------------------------------------------------
def test_absence_auto_skips_with_one_line_and_on_exits_2(tmp_path, run_cli, capsys):
    src, mt = tmp_path / "s.en", tmp_path / "m.fr"
    src.write_text("The cats are black.\n", encoding="utf-8")
    mt.write_text("Les chat sont noirs.\n", encoding="utf-8")
    cfg = tmp_path / "mtqa.toml"
    cfg.write_text('[grammar]\npython = "/nonexistent/bin/python3"\n', encoding="utf-8")
    out = tmp_path / "r.json"
    code, _, err = run_cli("check", "-s", src, "-t", mt, "-c", cfg, "-o", out, "-q", "--max-critical", "99")
    assert code == 0
    lines = [ln for ln in err.splitlines() if "grammar" in ln]
    assert len(lines) == 1 and "apt-get install python3-grammalecte grammalecte-cli" in lines[0]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["tool"]["grammar"] == "unavailable" and report["run"]["grammar"]["status"] == "unavailable"
    assert not [f for d in report["documents"] for f in d["findings"] if f["rule"].startswith("grammar")]
    code, _, err = run_cli("check", "-s", src, "-t", mt, "-c", cfg, "-q", "--grammar", "on")
    assert code == 2 and err.strip().startswith("mtqa: error: grammar:") and len(err.strip().splitlines()) == 1


def test_bad_grammar_mode_is_refused(tmp_path, run_cli):
    cfg = tmp_path / "mtqa.toml"
    cfg.write_text('[grammar]\nmode = "sometimes"\n', encoding="utf-8")
    code, _, err = run_cli("check", "-s", cfg, "-t", cfg, "-c", cfg, "-q")
    assert code == 2 and "grammar.mode: expected one of auto, on, off" in err
    code, _, err = run_cli("check", "-s", cfg, "-t", cfg, "-q", "--grammar", "maybe")
    assert code == 2 and "--grammar" in err


@needs_grammalecte
def test_a_run_records_grammalecte_and_finds_grammar(tmp_path, run_cli):
    src, mt = tmp_path / "s.en", tmp_path / "m.fr"
    src.write_text("The cats are black. You must come tomorrow.\n", encoding="utf-8")
    mt.write_text("Les chat sont noirs. Il faut que tu viens demain.\n", encoding="utf-8")
    out = tmp_path / "r.json"
    code, _, _ = run_cli("check", "-s", src, "-t", mt, "-o", out, "-q", "--grammar", "on", "--max-critical", "99")
    assert code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["tool"]["grammar"].startswith("Grammalecte")
    rules = {f["rule"] for d in report["documents"] for f in d["findings"]}
    assert {"grammar.agreement", "grammar.mood"} <= rules


@needs_grammalecte
def test_checks_see_grammar_through_the_engine():
    adoc = make_doc([("The cats are black.", "Les chat sont noirs.")])
    no_embedder = ["adequacy", "omission", "comet_spans", "sense"]
    assert "grammar.agreement" in {f.rule for f in run_all(adoc, disable=no_embedder)}
    assert "grammar.agreement" not in {f.rule for f in run_all(adoc, disable=[*no_embedder, "grammar"])}


# -- a hedged message (Grammalecte unsure of its own reading) is at most minor ---------------
def _ppas(message: str):
    from mtqa.model import Segment

    seg = Segment(index=0, source="The court he had charged.", mt="la cour qu'il a chargé", ref=None,
                  src_ids=(0,), mt_ids=(0,), alignment="1-1", confidence=0.9)
    err = GrammarError(17, 22, "gv1__ppas_det_sing_COD_que_avoir__b1_a1_1", "ppas", message, ())
    return Grammar(Settings())._finding(seg, err)


def test_a_hedged_grammalecte_error_is_minor():
    f = _ppas("Si “la cour…” est bien le COD du participe passé “chargé”, celui-ci devrait être au féminin singulier.")
    assert f is not None and f.severity == "minor"
    f = _ppas("Accord avec « m’ ». S’il s’agit d’un COD, le participe passé devrait être au singulier.")
    assert f is not None and f.severity == "minor"


def test_a_plain_grammalecte_error_keeps_its_calibrated_severity():
    f = _ppas("Le participe passé “chargé” devrait être au féminin singulier.")
    assert f is not None and f.severity == "major"  # ppas is calibrated major
