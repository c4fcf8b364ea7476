"""Untranslated words by lexicon: precision per branch (lower-case, capitalised, acronym) and the
recall of the human Untranslated spans, on WMT20 QE task 3 English→French, training split
(``../shared/data/wmt20-qe-enfr-mqm-train``; the dev split is held out and never read here).

Each MT segment goes through Grammalecte (mtqa's worker) and the untranslated check, with and
without the lexicon branch. A finding is right when it overlaps a human span of category
Untranslated. The acronym branch is measured even though the check does not flag it.
Measured 2026-12-03 (loaded machine): precision 0.776, recall 0.406 of 4,465 spans with the learned
classifier (``learned``, 363 findings at 0.559; trained on this split, so its cross-validated numbers
are those of ``bench/untranslated_learn.py``: 0.772 / 0.404); the rules alone 0.827 / 0.354.

    .venv/bin/python bench/grammar_untranslated.py [--data DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from wmt20_prf import DEFAULT_DATA, human_spans, read_tsv  # noqa: E402

from mtqa.checks import untranslated as ut  # noqa: E402
from mtqa.checks.grammar.analysis import chunks  # noqa: E402
from mtqa.checks.grammar.worker import get_worker  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.model import Segment  # noqa: E402


def unknown_words(worker, text: str) -> list[tuple[int, int]]:
    return [(off + s, off + e) for off, piece in chunks(text) for s, e in worker.result(piece).get("unknown", [])]


def hit(s: int, e: int, spans: list) -> bool:
    return any(s < b and a < e for a, b in spans)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "grammar_untranslated.json")
    ap.add_argument("--misses", type=Path, help="write the human spans the check misses here, one per line")
    args = ap.parse_args()
    rows = [r for r in read_tsv(args.data / "segments.tsv") if r["split"] == "train"]
    rows = rows[: args.limit] if args.limit else rows
    spans = human_spans(args.data)
    worker = get_worker("/usr/bin/python3")
    for r in rows:
        for _, piece in chunks(r["mt_fr"]):
            worker.submit(piece)
    check = ut.Untranslated(Settings())
    names = dict.fromkeys(("lower", "capitalised", "partial", "acronym", *ut.LEXICON_SEVERITY, "runs (no lexicon)",
                           "learned"))
    branch: dict[str, Counter] = {b: Counter() for b in names}
    rec = Counter()
    missed: list[str] = []
    for r in rows:
        human = [(a, b) for a, b, cat, _ in spans.get((r["doc"], r["seg"]), []) if cat == "Untranslated"]
        seg = Segment(0, r["source_en"], r["mt_fr"], None, (0,), (0,), "given", 1.0)
        unknown = unknown_words(worker, r["mt_fr"])
        base = check.segment_findings(seg)
        rules = check.segment_findings(seg, unknown, learned=False)
        full = check.segment_findings(seg, unknown)
        for f in full[len(rules):]:  # the learned classifier's findings come after the rules'
            branch["learned"]["n"] += 1
            branch["learned"]["right"] += hit(f.mt_start, f.mt_end, human)
        for f in base:
            branch["runs (no lexicon)"]["n"] += 1
            branch["runs (no lexicon)"]["right"] += hit(f.mt_start, f.mt_end, human)
        clf = ut._Classifier(seg.source)
        taken = [(f.mt_start, f.mt_end) for f in base]
        for s, e, b in _all_branches(seg, unknown, clf):
            if not hit(s, e, taken):
                branch[b]["n"] += 1
                branch[b]["right"] += hit(s, e, human)
        for a, b in human:
            rec["spans"] += 1
            rec["base"] += any(f.mt_start < b and a < f.mt_end for f in base)
            rec["rules"] += any(f.mt_start < b and a < f.mt_end for f in rules)
            found = any(f.mt_start < b and a < f.mt_end for f in full)
            rec["full"] += found
            if not found:
                missed.append(f"{r['mt_fr'][a:b]!r}\t{'unknown' if hit(a, b, unknown) else 'known'}\t{r['source_en'][:150]}")
    if args.misses:
        args.misses.write_text("\n".join(missed) + "\n", encoding="utf-8")
    report_numbers(branch, rec, len(rows), args.out)


def _all_branches(seg: Segment, unknown, clf) -> list[tuple[int, int, str]]:
    """The lexicon words of every branch, acronyms included (the check leaves them out)."""
    saved, verdict = dict(ut.LEXICON_SEVERITY), ut.frequency_verdict
    ut.LEXICON_SEVERITY.update(acronym="minor")
    # the check's verdict refuses every acronym: measure them on the other tests alone
    ut.frequency_verdict = lambda parts, b: b == "acronym" or verdict(parts, b)  # type: ignore[assignment]
    try:
        return ut.lexicon_words(seg, unknown, ut._masked_ranges(seg.mt, seg.source), clf)
    finally:
        ut.LEXICON_SEVERITY.clear()
        ut.LEXICON_SEVERITY.update(saved)
        ut.frequency_verdict = verdict  # type: ignore[assignment]


def report_numbers(branch: dict, rec: Counter, segments: int, out: Path) -> None:
    shipped = [b for b in ut.LEXICON_SEVERITY]
    kept = Counter()
    for b in (*shipped, "runs (no lexicon)", "learned"):
        kept.update(branch[b])
    result = {
        "segments": segments,
        "branches": {b: {"n": c["n"], "precision": round(c["right"] / max(1, c["n"]), 3)} for b, c in branch.items()},
        "untranslated_findings_precision": round(kept["right"] / max(1, kept["n"]), 3),
        "recall_without_lexicon": round(rec["base"] / max(1, rec["spans"]), 3),
        "recall_with_lexicon": round(rec["rules"] / max(1, rec["spans"]), 3),
        "recall_with_lexicon_and_learned": round(rec["full"] / max(1, rec["spans"]), 3),
        "human_untranslated_spans": rec["spans"],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
