"""Precision and recall of mtqa's checks over the annotated reference packs.

    python bench/checks_prf.py [--packs DIR] [--with-ref] [--json OUT] [--verbose]

For every pack in references/ (a directory with expected.json), runs the real pipeline
(``mtqa.inputs.load_inputs`` + ``mtqa.pipeline.run_pipeline``, the pack's glossary.csv in
``Settings.glossaries``, no reference unless --with-ref) on mt.fr.txt and matches the findings to
the gold annotations (``mtqa.gold``). Then checks ref.fr.txt as if it were the MT: every finding
there is a false positive on clean French, listed by rule and severity.

How we count (see ``mtqa.gold.summarize``):
- precision per rule/severity = TP / (TP + FP) over findings. TP: the finding is credited to an
  annotated error (span overlap in mt.fr.txt; omissions by quoted source text). FP: it matches no
  annotation. Findings on a ``not_in_scope`` error are neutral (left out). Two findings on one
  annotation are two TPs.
- recall = annotated errors found by at least one finding / annotated errors. Per check (rule
  family = id prefix: numbers.date → numbers), over the annotations whose ``family``
  (annotations.yaml) is that check, found by any of its rules; per rule, the same annotations found
  by that rule; per severity and category, over the annotations of that severity/category, found
  by any rule.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gold import (
    check_pack,
    evaluate_pack,
    load_expected,
    pack_dirs,
    report_findings,
    summarize,
)
from mtqa.model import SEVERITIES


def pct(x: float | None) -> str:
    return "   -" if x is None else f"{100 * x:4.0f}"


def table(title: str, rows: dict, cols: list[tuple[str, str]]) -> str:
    head = f"{title:<26}" + "".join(f"{h:>10}" for h, _ in cols)
    lines = [head, "-" * len(head)]
    for name, r in rows.items():
        cells = []
        for _, key in cols:
            v = r.get(key)
            cells.append(f"{pct(v) + ' %':>10}" if key in ("precision", "recall") else f"{'' if v is None else v:>10}")
        lines.append(f"{name or '(none)':<26}" + "".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="precision/recall of mtqa's checks over reference packs")
    ap.add_argument("--packs", default=str(ROOT / "references"), help="directory of packs (default: references/)")
    ap.add_argument("--with-ref", action="store_true", help="also give mtqa the reference (default: MT + source only)")
    ap.add_argument("--json", default=str(ROOT / "bench" / "out" / "checks_prf.json"), help="write the numbers here")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every finding with its outcome")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    results, ref_fps, out_packs = [], [], {}
    for pack in pack_dirs(args.packs):
        report = check_pack(pack, with_ref=args.with_ref)
        res = evaluate_pack(pack, report)
        results.append(res)
        ref_report = check_pack(pack, mt_name="ref.fr.txt")
        fps = [h.finding | {"pack": pack.name} for h in report_findings(ref_report)]
        ref_fps.extend(fps)
        wrong = res.wrongly_flagged(load_expected(pack))
        out_packs[pack.name] = {
            "must_not_flag_findings": [h.finding for h in wrong],
            "missed": [{k: e[k] for k in ("id", "paragraph", "mt_text", "source_text", "category", "severity", "family")}
                       for e in res.missed()],
            "false_positives": [h.finding for h in res.hits if h.outcome == "fp"],
            "ref_findings": fps,
        }
        if args.verbose:
            print(f"\n== {pack.name}")
            for h in res.hits:
                f = h.finding
                print(f"  {h.outcome:7} {f['rule']:<28} {f['severity']:<8} {f['mt_text']!r:<30} → {h.matched or ''}")

    s = summarize(results)
    cols = [("findings", "findings"), ("TP", "tp"), ("FP", "fp"), ("neutral", "neutral"), ("P", "precision"),
            ("fam.ann", "family_annotated"), ("fam.found", "family_found"), ("R", "recall")]
    print(table("check (rule family)", s["by_check"], [("findings", "findings"), ("TP", "tp"), ("FP", "fp"),
                                                        ("neutral", "neutral"), ("P", "precision"),
                                                        ("annotated", "annotated"), ("found", "found"),
                                                        ("R", "recall")]))
    print()
    print(table("rule", s["by_rule"], cols))
    print()
    print(table("severity", s["by_severity"], [("findings", "findings"), ("TP", "tp"), ("FP", "fp"), ("P", "precision"),
                                              ("annotated", "annotated"), ("found", "found"), ("R", "recall")]))
    print()
    print(table("family (annotated)", s["by_family"], [("annotated", "annotated"), ("found", "found"), ("R", "recall")]))
    print()
    print(table("category (annotated)", s["by_category"], [("annotated", "annotated"), ("found", "found"), ("R", "recall")]))
    print()
    print(table("overall", {"all packs": s["overall"]}, [("findings", "findings"), ("TP", "tp"), ("FP", "fp"),
                                                        ("P", "precision"), ("annotated", "annotated"),
                                                        ("found", "found"), ("R", "recall")]))
    print("\nMissed annotated errors:")
    for r in results:
        for e in r.missed():
            print(f"  {r.pack:<18} {e['id']} p{e['paragraph']:<3} {e['severity']:<8} {e['family'] or '?':<13} "
                  f"{e['mt_text']!r} ← {e['source_text']!r}")
    print("\nFound, but every finding on it is less severe than the annotation:")
    rank = {sev: i for i, sev in enumerate(SEVERITIES)}
    under = 0
    for r in results:
        for e in r.errors:
            sevs = [h.severity for h in r.hits if h.matched == e["id"]]
            if sevs and max(rank[x] for x in sevs) < rank[e["severity"]]:
                under += 1
                print(f"  {r.pack:<18} {e['id']} {e['severity']:<8} found as {'/'.join(sorted(set(sevs)))}: "
                      f"{e['mt_text']!r} ← {e['source_text']!r}")
    if not under:
        print("  none")
    print("\nFindings on correct renderings (must_not_flag):")
    wrong_all = [(name, f) for name, p in out_packs.items() for f in p["must_not_flag_findings"]]
    for name, f in wrong_all:
        print(f"  {f['severity']:<8} {name:<18} {f['rule']:<26} {f['mt_text']!r} ({f['message']})")
    if not wrong_all:
        print("  none")
    print("\nFindings on the clean references (ref.fr.txt checked as MT):")
    by = {}
    for f in ref_fps:
        by.setdefault(f["rule"], {s_: 0 for s_ in SEVERITIES})[f["severity"]] += 1
    for rule, c in sorted(by.items()):
        print(f"  {rule:<28} " + "  ".join(f"{k} {v}" for k, v in c.items()))
    for f in ref_fps:
        if f["severity"] != "minor":
            print(f"  {f['severity'].upper():<8} {f['pack']:<18} {f['rule']:<26} {f['mt_text']!r} ({f['message']})")
    if not ref_fps:
        print("  none")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": s, "packs": out_packs, "seconds": round(time.perf_counter() - started, 1)},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\n{len(results)} packs, {time.perf_counter() - started:.1f} s; numbers in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
