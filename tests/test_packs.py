"""The annotated reference packs (references/*/) against mtqa's real pipeline.

For every pack: mtqa finds every major and critical annotated error of mt.fr.txt; on the seed
(kyiv-air-defence) it finds every annotated error, minor ones included; and the clean ref.fr.txt,
checked as if it were the MT (same source, same glossary), gets no major or critical finding; and
the correct renderings a pack lists under ``must_not_flag`` (``grève`` in the rail strike) get no
finding at all.
"""

from __future__ import annotations

import re

import pytest
from conftest import PACKS, SEED

from gold import (
    check_pack,
    evaluate_pack,
    load_expected,
    pack_dirs,
    paragraph_starts,
    report_findings,
)

PACK_DIRS = pack_dirs(PACKS)
IDS = [p.name for p in PACK_DIRS]
_reports: dict[tuple[str, str], dict] = {}


def report_for(pack, mt_name: str) -> dict:
    """One pipeline run per (pack, file) for the whole session: the embedder and checks are real."""
    key = (pack.name, mt_name)
    if key not in _reports:
        _reports[key] = check_pack(pack, mt_name=mt_name)
    return _reports[key]


def describe(errors: list[dict]) -> str:
    return "; ".join(f"{e['id']} p{e['paragraph']} {e['severity']} {e['category']} "
                     f"{e['mt_text']!r} ← {e['source_text']!r} (family {e.get('family') or '?'})" for e in errors)


def test_there_are_at_least_four_packs():
    assert SEED in PACK_DIRS
    assert len(PACK_DIRS) >= 4


# --- the packs themselves ----------------------------------------------------------------------

@pytest.mark.parametrize("pack", PACK_DIRS, ids=IDS)
def test_pack_layout(pack):
    texts = {n: (pack / n).read_text(encoding="utf-8") for n in ("source.en.txt", "mt.fr.txt", "ref.fr.txt")}
    counts = {n: len(paragraph_starts(t)) for n, t in texts.items()}
    assert len(set(counts.values())) == 1, counts
    assert counts["source.en.txt"] >= 8


@pytest.mark.parametrize("pack", [p for p in PACK_DIRS if p != SEED], ids=[p.name for p in PACK_DIRS if p != SEED])
def test_written_reference_follows_french_typography(pack):
    """Our own references are the clean side: curly apostrophes, « » with no-break spaces,
    a no-break space before ; : ! ? and %, decimal commas."""
    ref = (pack / "ref.fr.txt").read_text(encoding="utf-8")
    assert "'" not in ref and '"' not in ref
    assert not re.search(r"«[^\u00a0\u202f]|[^\u00a0\u202f]»", ref)
    assert not re.search(r"[^\u00a0\u202f][;:!?%]", ref)
    assert not re.search(r"\d\.\d", ref)


@pytest.mark.parametrize("pack", PACK_DIRS, ids=IDS)
def test_annotations_cover_exactly_the_injected_errors(pack):
    """Our MT files are the reference with errors injected: the paragraphs where mt.fr.txt differs
    from ref.fr.txt are exactly the annotated ones (no unannotated injection, no annotated taste)."""
    res = evaluate_pack(pack, {"documents": []})
    assert all(e["family"] for e in res.errors), "every annotation names the check family expected to find it"
    if pack == SEED:  # the seed's MT is a real system's output; its ref is an independent translation
        return
    mt = [t for _, t in paragraph_starts((pack / "mt.fr.txt").read_text(encoding="utf-8"))]
    ref = [t for _, t in paragraph_starts((pack / "ref.fr.txt").read_text(encoding="utf-8"))]
    changed = {i + 1 for i, (a, b) in enumerate(zip(mt, ref)) if a != b}
    assert changed == {e["paragraph"] for e in res.errors}


# --- mtqa on the packs -------------------------------------------------------------------------

@pytest.mark.parametrize("pack", PACK_DIRS, ids=IDS)
def test_every_major_and_critical_error_is_found(pack):
    res = evaluate_pack(pack, report_for(pack, "mt.fr.txt"))
    missed = res.missed(("major", "critical"))
    assert not missed, f"{pack.name}: not found: {describe(missed)}"


def test_seed_every_annotated_error_is_found_minor_included():
    res = evaluate_pack(SEED, report_for(SEED, "mt.fr.txt"))
    missed = res.missed()
    assert not missed, f"not found: {describe(missed)}"


KEEP = [p for p in PACK_DIRS if load_expected(p).get("must_not_flag")]


@pytest.mark.parametrize("pack", KEEP, ids=[p.name for p in KEEP])
def test_correct_renderings_are_not_flagged(pack):
    """`grève` for the rail workers' strike, `procès` for a trial: context says they are right,
    so no check may flag them, at any severity."""
    res = evaluate_pack(pack, report_for(pack, "mt.fr.txt"))
    bad = res.wrongly_flagged(load_expected(pack))
    assert not bad, "; ".join(f"{h.severity} {h.rule} {h.finding['mt_text']!r}: {h.finding['message']}" for h in bad)


@pytest.mark.parametrize("pack", PACK_DIRS, ids=IDS)
def test_clean_reference_gets_no_major_or_critical_finding(pack):
    hits = report_findings(report_for(pack, "ref.fr.txt"))
    bad = [h.finding for h in hits if h.severity in ("major", "critical")]
    assert not bad, "; ".join(f"{f['severity']} {f['rule']} {f['mt_text']!r}: {f['message']}" for f in bad)
