"""Calibrate the grammar family: the precision of each Grammalecte rule type (and of the rules
whose precision stands apart from their type's) against the human MQM spans of WMT20 QE task 3
English→French, training split (``../shared/data/wmt20-qe-enfr-mqm-train``; the dev split is held
out and never read here). Also the precision and recall of the untranslated-by-lexicon branches.

Grammalecte runs over every MT segment (through mtqa's worker, as a run does). A Grammalecte error
is *right* when its span overlaps a human error span of the same segment (any category). Severity
from precision: >= 0.6 major, >= 0.4 minor, below that off (typography types are off whatever
their precision: mtqa's ``typography.*`` rules speak for typography, see README "Grammar"). Then
a budget: newstest2014's human reference, checked as if it were MT, may get at most 0.2 major
findings per 1,000 source words; the major types (then rules), most precise first, stay major while
their false alarms fit, the others become minor.
A rule (its id without Grammalecte's ``__bN_aN_N`` block suffix) gets its own row when it fired at
least ``MIN_RULE`` times and its severity differs from its type's.

    .venv/bin/python bench/grammar_calibrate.py [--data DIR] [--limit N] [--write]

``--write`` rewrites ``mtqa/data/grammar_calibration.json`` (the shipped calibration).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from wmt20_prf import DEFAULT_DATA, human_spans, read_tsv  # noqa: E402

from mtqa.checks.grammar.analysis import chunks  # noqa: E402
from mtqa.checks.grammar.calibration import CATEGORIES, TYPOGRAPHY_TYPES, mtqa_rule  # noqa: E402
from mtqa.checks.grammar.worker import get_worker  # noqa: E402

OUT = ROOT / "mtqa" / "data" / "grammar_calibration.json"
MIN_TYPE = 10
MIN_RULE = 15
MAJOR_AT, MINOR_AT = 0.6, 0.4
BUDGET = 0.2  # major findings per 1,000 source words on newstest2014's human reference (the issue's target)


def rule_key(rule_id: str) -> str:
    return re.sub(r"__b\d+_a\d+(?:_\d+)?$", "", rule_id)


def severity(precision: float, typ: str) -> str:
    if typ in TYPOGRAPHY_TYPES:
        return "off"
    return "major" if precision >= MAJOR_AT else "minor" if precision >= MINOR_AT else "off"


def grammalecte_errors(worker, text: str) -> list[tuple[int, int, str, str]]:
    out = []
    for off, piece in chunks(text):
        for s, e, rid, typ, _msg, _sugg in worker.result(piece).get("grammar", []):
            out.append((off + s, off + e, rid, typ))
    return out


def overlaps(s: int, e: int, spans: list) -> bool:
    return any(s < b and a < e for a, b, *_ in spans)


def run_all(texts: list[str]) -> list[list[tuple[int, int, str, str]]]:
    """Grammalecte's errors for each text (all queued first: the worker never waits for us)."""
    worker = get_worker("/usr/bin/python3")
    for t in texts:
        for _, piece in chunks(t):
            worker.submit(piece)
    return [grammalecte_errors(worker, t) for t in texts]


def measure(rows: list[dict], errors: list, spans: dict) -> tuple[dict, dict]:
    by_type: dict[str, Counter] = defaultdict(Counter)
    by_rule: dict[str, Counter] = defaultdict(Counter)
    for r, errs in zip(rows, errors):
        human = spans.get((r["doc"], r["seg"]), [])
        for s, e, rid, typ in errs:
            ok = overlaps(s, e, human)
            for table, key in ((by_type, typ), (by_rule, f"{typ}:{rule_key(rid)}")):
                table[key]["n"] += 1
                table[key]["right"] += ok
    return by_type, by_rule


def kept_severity(table: list[dict], typ: str, rid: str) -> str:
    rules = sorted((r for r in table if r["by"] == "rule"), key=lambda r: -len(r["match"]))
    for r in rules:
        if rid.startswith(r["match"]):
            return r["severity"]
    return next((r["severity"] for r in table if r["by"] == "type" and r["match"] == typ), "off")


def evaluate(table: list[dict], rows: list[dict], errors: list, spans: dict) -> dict:
    """Precision of the findings kept at each severity, and recall per human category (kept findings)."""
    prec: dict[str, Counter] = defaultdict(Counter)
    recall: dict[str, Counter] = defaultdict(Counter)
    for r, errs in zip(rows, errors):
        human = spans.get((r["doc"], r["seg"]), [])
        kept = [(s, e, kept_severity(table, typ, rid)) for s, e, rid, typ in errs]
        kept = [k for k in kept if k[2] != "off"]
        for s, e, sev in kept:
            prec[sev]["n"] += 1
            prec[sev]["right"] += overlaps(s, e, human)
        for a, b, cat, _sev in human:
            recall[cat]["spans"] += 1
            recall[cat]["found"] += any(s < b and a < e for s, e, _ in kept)
    return {"precision": {k: {"n": c["n"], "precision": round(c["right"] / max(1, c["n"]), 3)} for k, c in prec.items()},
            "recall": {cat: round(c["found"] / c["spans"], 3) for cat, c in sorted(recall.items(), key=lambda kv: -kv[1]["spans"])}}


def newstest_false_alarms(table: list[dict], errors: list, words: int) -> dict:
    """newstest2014's human reference taken as MT: kept findings per 1,000 source words, by severity and type."""
    counts: Counter = Counter()
    for errs in errors:
        for _s, _e, rid, typ in errs:
            sev = kept_severity(table, typ, rid)
            if sev != "off":
                counts[sev] += 1
                counts[f"{sev}:{typ}"] += 1
    return {"source_words": words, "per_1000_words": {k: round(v * 1000 / words, 3) for k, v in counts.most_common()}}


def _budgeted(candidates: list[dict], rate: dict[str, float], spent: float) -> float:
    """Keep at major, most precise first, while the newstest2014 false alarms stay within the budget; demote the rest to minor."""
    for row in sorted(candidates, key=lambda r: -r["precision"]):
        cost = rate.get(row["key"], 0.0)
        row["newstest_per_1000"] = round(cost, 3)
        if spent + cost > BUDGET:
            row["severity"] = "minor"
        else:
            spent += cost
    return spent


def calibration(by_type: dict, by_rule: dict, news: Counter, words: int) -> list[dict]:
    """Severity by precision, then major only within the false-alarm budget (types first, then rules)."""
    rate = {k: v * 1000 / words for k, v in news.items()}
    rows = []
    for typ, c in sorted(by_type.items(), key=lambda kv: -kv[1]["n"]):
        p = c["right"] / c["n"]
        rows.append({"match": typ, "by": "type", "rule": mtqa_rule(typ), "precision": round(p, 3), "n": c["n"],
                     "severity": severity(p, typ) if c["n"] >= MIN_TYPE else "off", "key": typ})
    spent = _budgeted([r for r in rows if r["severity"] == "major"], rate, 0.0)
    type_sev = {r["match"]: r["severity"] for r in rows}
    rule_rows = []
    for key, c in sorted(by_rule.items(), key=lambda kv: -kv[1]["n"]):
        typ, rid = key.split(":", 1)
        p = c["right"] / c["n"]
        if c["n"] >= MIN_RULE and severity(p, typ) != type_sev.get(typ):
            rule_rows.append({"match": rid, "by": "rule", "rule": mtqa_rule(typ), "precision": round(p, 3), "n": c["n"],
                              "severity": severity(p, typ), "key": key})
    _budgeted([r for r in rule_rows if r["severity"] == "major"], rate, spent)
    rule_rows = [r for r in rule_rows if r["severity"] != type_sev.get(r["key"].split(":", 1)[0])]
    for r in (*rows, *rule_rows):
        r.pop("key")
    return rows + rule_rows


def newstest_counts(data: Path) -> tuple[Counter, int, list]:
    """Grammalecte's errors on newstest2014's human reference, by type and by type:rule; source words."""
    ref = (data / "ref.fr").read_text(encoding="utf-8").splitlines()
    words = len((data / "source.en").read_text(encoding="utf-8").split())
    errors = run_all(ref)
    counts: Counter = Counter()
    for errs in errors:
        for _s, _e, rid, typ in errs:
            counts[typ] += 1
            counts[f"{typ}:{rule_key(rid)}"] += 1
    return counts, words, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0, help="first N segments only")
    ap.add_argument("--newstest", type=Path, default=ROOT.parent / "shared" / "data" / "newstest2014-enfr",
                    help="newstest2014 en-fr (source.en, ref.fr): its reference checked as MT sets the false-alarm budget")
    ap.add_argument("--write", action="store_true", help=f"rewrite {OUT.relative_to(ROOT)}")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "grammar_calibrate.json")
    args = ap.parse_args()
    rows = [r for r in read_tsv(args.data / "segments.tsv") if r["split"] == "train"]
    rows = rows[: args.limit] if args.limit else rows
    started = time.perf_counter()
    spans = human_spans(args.data)
    errors = run_all([r["mt_fr"] for r in rows])
    by_type, by_rule = measure(rows, errors, spans)
    news, words, news_errors = newstest_counts(args.newstest)
    table = calibration(by_type, by_rule, news, words)
    result = {"segments": len(rows), "seconds": round(time.perf_counter() - started, 1), "calibration": table,
              "kept": evaluate(table, rows, errors, spans)}
    result["newstest2014_ref_as_mt"] = newstest_false_alarms(table, news_errors, words)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    for r in table:
        print(f"{r['by']:5} {r['match']:45} {r['rule']:26} P={r['precision']:.3f} n={r['n']:5} → {r['severity']}")
    print(json.dumps({k: v for k, v in result.items() if k != "calibration"}, ensure_ascii=False, indent=1))
    if args.write:
        data = {"produced_by": "bench/grammar_calibrate.py --write (WMT20 QE task 3 en-fr, train split)",
                "segments": len(rows), "thresholds": {"major": MAJOR_AT, "minor": MINOR_AT}, "entries": table,
                "categories": CATEGORIES}
        OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
