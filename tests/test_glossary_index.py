"""GlossaryIndex (mtqa/checks/glossary/load.py): a segment tries only the entries its words can
match, so loading and matching stay near-linear in the glossary; and it finds what the naive scan
over every entry finds."""

from __future__ import annotations

from mtqa.checks.glossary.load import GlossaryIndex, load_csv
from mtqa.text.regex import LazyRegex

SMALL = """source,target,forbidden
strike,frappe,grève
air defence,défense aérienne,
Patriot,Patriot,patriote
call off,annuler,
re:\\bU\\.?N\\.?\\b,ONU,
ceasefire,cessez-le-feu,
hospital,hôpital,
"""

SEGMENTS = [
    ("The strikes hit the hospital.", "Les frappes ont touché l'hôpital."),
    ("Air defences held; the U.N. called off the talks.", "La défense aérienne a tenu ; l'ONU a annulé."),
    ("A Patriot battery.", "Une batterie de patriotes."),
    ("Nothing here matches.", "Rien ici."),
    ("A ceasefire, then a strike.", "Un cessez-le-feu, puis une grève."),
]


def naive_sources(entries, text):
    return [e for e in entries if e.source_regex.search(text)]


def naive_targets(entries, mt):
    return [e for e in entries if any(t.regex.search(mt) for t in e.targets)]


def test_same_matches_as_the_naive_scan(tmp_path):
    entries = load_csv(str(tmp_path / "g.csv"), SMALL).entries
    index = GlossaryIndex(entries)
    for source, mt in SEGMENTS:
        assert [e for e in index.candidates(source) if e.source_regex.search(source)] == naive_sources(entries, source)
        assert [e for e in index.owners(mt) if any(t.regex.search(mt) for t in e.targets)] == naive_targets(entries, mt)


def test_index_finds_and_leaves_out(tmp_path):
    entries = load_csv(str(tmp_path / "g.csv"), SMALL).entries
    index = GlossaryIndex(entries)
    found = {e.source for e in index.candidates("The strikes hit the hospital.")}
    assert {"strike", "hospital"} <= found
    assert "ceasefire" not in found and "Patriot" not in found
    assert "re:\\bU\\.?N\\.?\\b" in found  # a raw regex has no words to index: always tried


def big_glossary(n: int) -> str:
    rows = ["source,target"] + [f"term{i} word,cible{i} mot" for i in range(n)]
    return "\n".join(rows) + "\nstrike,frappe\n"


def test_candidates_do_not_grow_with_the_glossary(tmp_path):
    sizes = []
    for n in (500, 5000):
        index = GlossaryIndex(load_csv(str(tmp_path / "g.csv"), big_glossary(n)).entries)
        cands = index.candidates("The strike hit term7 word and term42 word.")
        assert {e.source for e in cands} == {"strike", "term7 word", "term42 word"}
        owners = index.owners("La frappe.")
        sizes.append(len(owners))
        assert "strike" in {e.source for e in owners}
    assert sizes[0] == sizes[1]  # look-ups by word, not one regex per entry


def test_load_compiles_nothing(tmp_path):
    entries = load_csv(str(tmp_path / "g.csv"), big_glossary(2000)).entries
    rxs = [e.source_regex for e in entries] + [t.regex for e in entries for t in e.targets]
    assert all(isinstance(r, LazyRegex) and r._rx is None for r in rxs)  # compiled on first use only
    e = GlossaryIndex(entries).candidates("term3 word")[0]
    assert e.source_regex.search("term3 word") is not None and e.source_regex._rx is not None
    assert entries[4].source_regex._rx is None  # an entry the segment cannot match stays uncompiled
