"""Sentence alignment (mtqa.align) with the real default embedder (use-m3)."""

from __future__ import annotations

import json

import pytest

from mtqa.align import AlignParams, align_document, align_sentences, build_segments, gale_church_cost
from mtqa.embed import get_embedder
from mtqa.inputs.text import load_text_pair, split_units
from mtqa.model import Document, Side
from mtqa.text.segment import segment_document

from conftest import FIXTURES

ALIGN = FIXTURES / "align"
EN = (ALIGN / "port.en.txt").read_text(encoding="utf-8")
FR = (ALIGN / "port.fr.txt").read_text(encoding="utf-8")
UNRELATED = (ALIGN / "unrelated.fr.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def emb():
    return get_embedder("use-m3")


def make_doc(en: str, fr: str, ref: str | None = None) -> Document:
    def side(text: str, lang: str) -> Side:
        return Side(lang=lang, text=text, units=split_units(text))

    doc = Document(id="t", source=side(en, "en"), mt=side(fr, "fr"), ref=side(ref, "fr") if ref is not None else None)
    return segment_document(doc)


def kinds(links) -> list[str]:
    return [link.kind for link in links]


def pairs(links) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(link.src, link.tgt) for link in links]


def test_fixture_is_eleven_parallel_sentences():
    doc = make_doc(EN, FR)
    assert len(doc.source.sentences) == len(doc.mt.sentences) == 11


def test_clean_translation_is_all_one_to_one(emb):
    doc = make_doc(EN, FR)
    adoc = align_document(doc, emb)
    assert pairs(adoc.links) == [((i,), (i,)) for i in range(11)]
    assert all(link.confidence > 0.9 for link in adoc.links)
    for seg in adoc.segments:
        assert seg.source == doc.source.text[seg.src_offset : seg.src_offset + len(seg.source)]
        assert seg.mt == doc.mt.text[seg.mt_offset : seg.mt_offset + len(seg.mt)]


def test_seed_pack_every_paragraph(seed, emb):
    doc = load_text_pair(str(seed / "source.en.txt"), str(seed / "mt.fr.txt"), str(seed / "ref.fr.txt"))
    segment_document(doc)
    adoc = align_document(doc, emb)
    covered_src, covered_mt = set(), set()
    for link in adoc.links:
        assert link.src and link.tgt, f"unaligned sentence in the seed pack: {link}"
        src_units = {doc.source.sentences[i].unit for i in link.src}
        mt_units = {doc.mt.sentences[i].unit for i in link.tgt}
        assert src_units == mt_units and len(src_units) == 1, link
        assert link.confidence > 0.8
        covered_src.update(link.src)
        covered_mt.update(link.tgt)
    assert covered_src == set(range(len(doc.source.sentences)))
    assert covered_mt == set(range(len(doc.mt.sentences)))
    # every one of the 13 paragraphs is aligned to its counterpart, incl. no. 8 whose « never closes
    units = {doc.source.sentences[link.src[0]].unit for link in adoc.links}
    assert units == set(range(13))
    p8 = [seg for seg in adoc.segments if "« d’organiser" in seg.mt.replace("\u00a0", " ")]
    assert len(p8) == 1 and p8[0].source.startswith("Zelenskyy, speaking later")
    # the reference is aligned too and rides along in each segment
    assert adoc.ref_links is not None
    for link in adoc.ref_links:
        assert {doc.source.sentences[i].unit for i in link.src} == {doc.ref.sentences[i].unit for i in link.tgt}
    assert all(seg.ref for seg in adoc.segments)
    cap = adoc.segments[0]
    assert cap.ref.startswith("Des flammes") and "VCG" in cap.ref


def test_merge_gives_two_to_one(emb):
    merged = FR.replace(
        "a annoncé lundi l’autorité portuaire. Les travaux devraient durer six semaines.",
        "a annoncé lundi l’autorité portuaire, et les travaux devraient durer six semaines.",
    )
    links = align_document(make_doc(EN, merged), emb).links
    assert pairs(links)[0] == ((0, 1), (0,))
    assert pairs(links)[1:] == [((i,), (i - 1,)) for i in range(2, 11)]


def test_split_gives_one_to_two(emb):
    split = FR.replace(
        "Le trafic de conteneurs à Marseille a augmenté de 4,5 % l’an dernier, selon les chiffres officiels.",
        "Le trafic de conteneurs à Marseille a augmenté de 4,5 % l’an dernier. C’est ce qu’indiquent les chiffres officiels.",
    )
    links = align_document(make_doc(EN, split), emb).links
    assert ((7,), (7, 8)) in pairs(links)
    assert kinds(links).count("1-1") == 10


def test_deletion_gives_confident_one_to_zero(emb):
    deleted = FR.replace(" Il a ajouté que le syndicat se réunirait jeudi.", "")
    adoc = align_document(make_doc(EN, deleted), emb)
    gaps = [link for link in adoc.links if link.kind == "1-0"]
    assert len(gaps) == 1 and gaps[0].src == (4,)
    assert gaps[0].confidence > 0.5
    seg = next(s for s in adoc.segments if s.alignment == "1-0")
    assert seg.source.startswith("He added") and seg.mt == "" and seg.mt_offset is None
    assert kinds(adoc.links).count("1-1") == 10


def test_addition_gives_zero_to_one(emb):
    added = FR.replace(
        "Les élus locaux ont salué la décision.",
        "Le cyclone a détruit trois écoles dans le sud du pays. Les élus locaux ont salué la décision.",
    )
    adoc = align_document(make_doc(EN, added), emb)
    extra = [link for link in adoc.links if link.kind == "0-1"]
    assert len(extra) == 1 and extra[0].tgt == (9,)
    assert extra[0].confidence > 0.5
    seg = next(s for s in adoc.segments if s.alignment == "0-1")
    assert seg.mt.startswith("Le cyclone") and seg.source == ""


def test_merged_paragraphs_still_align(emb):
    """Paragraph boundaries are soft anchors: a vendor merging paragraphs does not break alignment."""
    merged = FR.replace("jeudi.\n\nL’autorité", "jeudi. L’autorité").replace("jours.\n\nLe trafic", "jours. Le trafic")
    doc = make_doc(EN, merged)
    assert len(doc.mt.units) == 3
    assert pairs(align_document(doc, emb).links) == [((i,), (i,)) for i in range(11)]


def test_paragraph_crossing_merge_still_found(emb):
    merged = FR.replace("jeudi.\n\nL’autorité a indiqué", "jeudi, et l’autorité a indiqué")
    links = align_document(make_doc(EN, merged), emb).links
    assert ((4, 5), (4,)) in pairs(links)


def test_empty_side_gives_omissions_and_additions(emb):
    empty = Side(lang="fr", text="", units=[])
    doc = make_doc(EN, FR)
    links = align_sentences(doc.source, empty, emb)
    assert kinds(links) == ["1-0"] * 11 and all(link.confidence == 1.0 for link in links)
    links = align_sentences(empty, doc.mt, emb)
    assert kinds(links) == ["0-1"] * 11
    assert align_sentences(empty, Side(lang="fr", text="", units=[]), emb) == []
    doc.mt = empty
    adoc = align_document(doc, emb)
    assert [s.alignment for s in adoc.segments] == ["1-0"] * 11 and all(s.mt == "" for s in adoc.segments)


def test_unrelated_document_has_no_confident_pairs(emb):
    adoc = align_document(make_doc(EN, UNRELATED), emb)
    matched = [link for link in adoc.links if link.src and link.tgt]
    assert all(link.confidence < 0.3 for link in matched)
    unaligned = [link for link in adoc.links if not (link.src and link.tgt)]
    assert len(unaligned) >= 11  # most sentences are reported as omission/addition candidates
    assert sum(len(link.src) for link in adoc.links) == 11 and sum(len(link.tgt) for link in adoc.links) == 5


def _fifty_french_sentences() -> list[str]:
    subjects = ["Le maire", "La ministre", "Le syndicat", "La préfecture", "Le tribunal"]
    verbs = ["a reporté le vote", "a ouvert une enquête", "a salué les bénévoles", "a rejeté le recours",
             "a publié un rapport", "a appelé au calme", "a confirmé les chiffres", "a annulé la réunion",
             "a promis des aides", "a démenti la rumeur"]
    return [f"{s} {v}." for s in subjects for v in verbs]


def test_one_sentence_against_fifty(emb):
    fr_sents = _fifty_french_sentences()
    target = "Le port de Marseille fermera deux terminaux à conteneurs le mois prochain."
    fr_sents.insert(20, target)
    doc = make_doc("The port of Marseille will close two container terminals next month.", " ".join(fr_sents))
    assert len(doc.mt.sentences) == 51
    adoc = align_document(doc, emb)
    assert sum(len(link.tgt) for link in adoc.links) == 51
    src_link = next(link for link in adoc.links if link.src)
    assert src_link.tgt == (20,) and src_link.confidence > 0.8
    assert kinds(adoc.links).count("0-1") == 50
    # and the other way round: 51 English-side sentences vs one French sentence
    back = align_sentences(doc.mt, doc.source, emb)
    assert pairs([link for link in back if link.src and link.tgt]) == [((20,), (0,))]


def test_deterministic(emb):
    merged = FR.replace(" Il a ajouté que le syndicat se réunirait jeudi.", "")
    a = align_document(make_doc(EN, merged), emb).links
    b = align_document(make_doc(EN, merged), emb).links
    assert pairs(a) == pairs(b) and [x.confidence for x in a] == [x.confidence for x in b]


def test_coarse_to_fine_path_matches_full_dp(emb):
    """Forcing the downsampled coarse pass (tiny cell budget) must not change the result."""
    doc = make_doc(EN + "\n\n" + EN, FR + "\n\n" + FR.replace(" Il a ajouté que le syndicat se réunirait jeudi.", ""))
    full = align_sentences(doc.source, doc.mt, emb, AlignParams())
    coarse = align_sentences(doc.source, doc.mt, emb, AlignParams(coarse_max_cells=16, band=3))
    assert pairs(coarse) == pairs(full)
    assert ((15,), ()) in pairs(full)


def test_embeds_each_text_once(emb):
    doc = make_doc(EN, FR)
    align_document(doc, emb)
    before = emb.encoded
    other = make_doc(EN, FR.replace("Les travaux coûteront", "Le chantier coûtera"))
    align_document(other, emb)
    # only the runs of 1-3 sentences containing the one changed French sentence (no. 8 of 11) are
    # new: itself, 2 pairs, 3 triples
    assert emb.encoded - before == 6


def test_length_only_baseline_runs_without_embedder():
    doc = make_doc(EN, FR)
    adoc = align_document(doc, None)
    assert pairs(adoc.links) == [((i,), (i,)) for i in range(11)]
    assert all(0.0 <= link.confidence <= 1.0 for link in adoc.links)


def test_gale_church_cost_prefers_matching_lengths():
    assert gale_church_cost(100, 115, 1.15) < 0.01
    assert gale_church_cost(100, 300, 1.15) > gale_church_cost(100, 150, 1.15) > gale_church_cost(100, 115, 1.15)


def test_confidences_are_probabilities(emb):
    adoc = align_document(make_doc(EN, UNRELATED), emb)
    assert all(0.0 <= link.confidence <= 1.0 for link in adoc.links)


def test_build_segments_with_reference_merge(emb):
    """A reference that merges two source sentences gives both MT segments that reference text."""
    ref = FR.replace("a annoncé lundi l’autorité portuaire. Les travaux", "a annoncé lundi l’autorité portuaire, et les travaux")
    doc = make_doc(EN, FR, ref)
    adoc = align_document(doc, emb)
    assert pairs(adoc.ref_links)[0] == ((0, 1), (0,))
    assert adoc.segments[0].ref == adoc.segments[1].ref == doc.ref.sentences[0].text
    segs = build_segments(doc, adoc.links, None)
    assert all(s.ref == "" for s in segs)


def test_cli_align_tsv_and_json(run_cli, tmp_path):
    mt = tmp_path / "mt.fr.txt"
    mt.write_text(FR.replace(" Il a ajouté que le syndicat se réunirait jeudi.", ""), encoding="utf-8")
    code, out, err = run_cli("align", "-s", ALIGN / "port.en.txt", "-t", mt)
    assert code == 0, err
    rows = [line.split("\t") for line in out.strip().split("\n")]
    assert rows[0][:5] == ["doc", "kind", "confidence", "src_ids", "mt_ids"]
    assert len(rows) == 12
    gap = [r for r in rows[1:] if r[1] == "1-0"]
    assert len(gap) == 1 and gap[0][3] == "4" and gap[0][4] == "" and gap[0][5].startswith("He added")
    code, out, err = run_cli("align", "-s", ALIGN / "port.en.txt", "-t", mt, "-r", ALIGN / "port.fr.txt", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    links = data["documents"][0]["links"]
    assert data["embedder"].startswith("use-m3")
    assert [x["kind"] for x in links].count("1-0") == 1
    assert all(0 <= x["confidence"] <= 1 for x in links)
    assert links[4]["ref"] == "Il a ajouté que le syndicat se réunirait jeudi."


def test_cli_align_errors(run_cli, tmp_path):
    code, _, err = run_cli("align", "-s", ALIGN / "port.en.txt", "-t", ALIGN / "port.fr.txt", "-f", "xml")
    assert code == 2
    code, _, err = run_cli("align", "-s", ALIGN / "port.en.txt", "-t", tmp_path / "missing.fr.txt")
    assert code == 2 and "mtqa: error:" in err
    code, _, err = run_cli("align", "-s", ALIGN / "port.en.txt", "-t", ALIGN / "port.fr.txt", "--embedder", "nope")
    assert code == 2 and "unknown embedder" in err
