from __future__ import annotations

import json

from checks_support import SEED, check_offsets, make_doc, run_one


def _run(pairs, scores=None):
    adoc = make_doc(pairs)
    for seg, sc in zip(adoc.segments, scores or []):
        seg.scores.update(sc)
    findings = run_one("omission", adoc)
    check_offsets(findings, adoc)
    return findings


GOOD = ("Germany said it was in talks on buying Patriot air defence systems to fill the gap.",
        "L’Allemagne a indiqué être en discussions pour acheter des systèmes de défense antiaérienne Patriot afin de combler ce manque.")
MISSING = "Ukraine has asked Washington to sell it more Patriot missiles and systems."


def test_unaligned_source_sentence_is_a_major_omission_quoting_it():
    f = _run([GOOD, (MISSING, "")])
    assert len(f) == 1
    o = f[0]
    assert (o.rule, o.category, o.severity, o.mt_text, o.mt_start, o.mt_end) == (
        "omission.sentence", "accuracy/omission", "major", "", 0, 0)
    assert o.source_text == MISSING and MISSING in o.message


def test_unsure_omission_is_minor():
    adoc = make_doc([GOOD, (MISSING, "")])
    adoc.segments[1].confidence = 0.2
    assert [x.severity for x in run_one("omission", adoc)] == ["minor"]


def test_mt_without_source_is_an_addition():
    added = "Cette information n’a pas pu être vérifiée de manière indépendante par notre rédaction ce jour."
    f = _run([GOOD, ("", added)])
    assert [(x.rule, x.category, x.severity, x.mt_text) for x in f] == [
        ("omission.addition", "accuracy/addition", "major", added)]
    assert [x.severity for x in _run([GOOD, ("", "Voilà.")])] == ["minor"]


def test_pair_missing_a_clause_by_length_ratio():
    src = ("A decision by Washington to halt some weapons shipments to Ukraine has prompted warnings from Kyiv "
           "that it would weaken its ability to defend itself against Russian air strikes and battlefield advances.")
    mt = "Une décision de Washington a suscité des avertissements."
    f = _run([(src, mt)])
    assert [(x.rule, x.severity, x.mt_text) for x in f] == [("omission.partial", "major", "")]
    assert f[0].source_text and f[0].source_text in src


def test_partial_omission_quotes_the_clause_with_the_missing_names():
    src = "Trump spoke on Thursday with Chancellor Friedrich Merz, according to Spiegel magazine, citing government sources."
    mt = "Trump s’est entretenu jeudi, selon des sources."
    f = _run([(src, mt)])
    assert len(f) == 1
    assert f[0].source_text == "Trump spoke on Thursday with Chancellor Friedrich Merz, according to Spiegel magazine"


def test_low_adequacy_confirms_a_shorter_pair():
    src = "Zelenskyy said he and Trump had agreed to organise a meeting between their teams to strengthen air defences."
    mt = "Zelensky a dit que lui et Trump avaient convenu d’une réunion."
    assert _run([(src, mt)]) == []  # ratio ~0.6 alone is not enough
    f = _run([(src, mt)], scores=[{"adequacy": 31.0}])  # 0–100 scale
    assert [(x.rule, x.severity) for x in f] == [("omission.partial", "minor")]
    assert _run([(src, mt)], scores=[{"adequacy": 0.9}]) == []  # 0–1 scale, adequate


def test_good_pairs_are_clean():
    assert _run([GOOD, ("He added in a message on Telegram that he had discussed joint defence production.",
                        "Il a ajouté dans un message sur Telegram avoir discuté de production conjointe de défense.")]) == []


def test_end_to_end_deleted_paragraph_is_reported(tmp_path, run_cli):
    """Delete paragraph 4 of the seed's reference translation: the pipeline (real segmenter, aligner
    and embedder) reports an omission whose source text is that paragraph's content."""
    paras = (SEED / "ref.fr.txt").read_text(encoding="utf-8").split("\n\n")
    src_paras = (SEED / "source.en.txt").read_text(encoding="utf-8").split("\n\n")
    del paras[3]
    mt = tmp_path / "mt.fr.txt"
    mt.write_text("\n\n".join(paras), encoding="utf-8")
    out = tmp_path / "r.json"
    code, _, err = run_cli("check", "-s", SEED / "source.en.txt", "-t", mt, "-o", out, "--metrics", "bleu", "-q")
    assert code in (0, 1), err
    report = json.loads(out.read_text(encoding="utf-8"))
    findings = [f for d in report["documents"] for f in d["findings"] if f["rule"].startswith("omission")]
    missing = src_paras[3].strip()
    assert any(f["mt_text"] == "" and f["source_text"] and f["source_text"] in missing and len(f["source_text"]) > 40
               for f in findings), findings
