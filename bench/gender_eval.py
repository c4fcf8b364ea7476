"""Gender faithfulness (the ``gender`` check), measured three ways:

1. MT-GenEval dev split (``../shared/data/mt-geneval-enfr-dev``, Currey et al. 2022): for every
   counterfactual item, the right translation (``good_fr``) and the flipped one (``bad_fr``) are
   checked against the English; for contextual items the previous English sentence is the
   paragraph context. Caught: share of flipped translations with a finding; flagged: share of
   right ones with a finding (any severity).
2. newstest2014 (``../shared/data/newstest2014-enfr``): the human reference checked as if it were
   the MT, in documents of its docids; major (and minor) findings per 1,000 source words.
3. Cost: the check's time against a full check of the same documents (every check, no grammar).

    .venv/bin/python bench/gender_eval.py [--limit N] [--no-cost] [-v] [--out bench/out/gender_eval.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/data")

from mtqa.checks.base import CheckContext  # noqa: E402
from mtqa.checks.gender import Gender, scan  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.model import AlignedDocument, Document, Segment, Side  # noqa: E402


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def geneval(limit: int | None, verbose: bool) -> dict:
    out = {}
    for name in ("counterfactual", "contextual"):
        rows = _rows(SHARED / "mt-geneval-enfr-dev" / f"{name}.tsv")[:limit]
        caught = flagged = 0
        for r in rows:
            ctx = [r["context_en"]] if name == "contextual" else []
            bad = scan(r["source_en"], r["bad_fr"], ctx)
            good = scan(r["source_en"], r["good_fr"], ctx)
            caught += bool(bad)
            flagged += bool(good)
            if verbose and (good or not bad):
                tag = "FLAG" if good else "MISS"
                print(f"{tag} {r['id']}: {r['source_en']}\n     {r['good_fr'] if good else r['bad_fr']}")
                for h in good:
                    print(f"     -> {h.severity} {r['good_fr'][h.start:h.end]!r}: {h.message}")
        n = len(rows)
        out[name] = {"items": n, "caught_pct": round(100 * caught / n, 1), "right_flagged_pct": round(100 * flagged / n, 1)}
        print(f"{name}: {n} items, wrong gender caught {out[name]['caught_pct']} %, right flagged {out[name]['right_flagged_pct']} %")
    return out


def _documents(limit: int | None) -> tuple[list[AlignedDocument], int]:
    data = SHARED / "newstest2014-enfr"
    src = (data / "source.en").read_text(encoding="utf-8").splitlines()[:limit]
    ref = (data / "ref.fr").read_text(encoding="utf-8").splitlines()[:limit]
    ids = [line.split("\t")[-1] for line in (data / "docids.tsv").read_text(encoding="utf-8").splitlines()[1:]][:len(src)]
    groups: dict[str, list[int]] = {}
    for i, d in enumerate(ids):
        groups.setdefault(d, []).append(i)
    docs = []
    for d, lines in groups.items():
        segs = [Segment(index=k, source=src[i], mt=ref[i], ref=None, src_ids=(k,), mt_ids=(k,), alignment="given",
                        confidence=1.0, mt_line=i + 1) for k, i in enumerate(lines)]
        doc = Document(id=d, source=Side("en", "\n".join(src[i] for i in lines), []),
                       mt=Side("fr", "\n".join(ref[i] for i in lines), []))
        docs.append(AlignedDocument(doc=doc, segments=segs, links=[]))
    return docs, sum(len(re.findall(r"\w+", s)) for s in src)


def newstest(limit: int | None, verbose: bool, cost: bool) -> dict:
    docs, words = _documents(limit)
    settings = Settings()
    t0 = time.perf_counter()
    found = []
    for adoc in docs:
        ctx = CheckContext(adoc=adoc, settings=settings, embedder=None)  # type: ignore[arg-type]
        found.extend((adoc, f) for f in Gender(settings).run(ctx))
    t_gender = time.perf_counter() - t0
    major = [x for x in found if x[1].severity in ("major", "critical")]
    if verbose:
        for adoc, f in found:
            seg = adoc.segments[f.segment]
            print(f"  {f.severity:<6} line {seg.mt_line}: {f.mt_text!r} | {seg.source}\n         {seg.mt}")
    res = {"source_words": words, "major": len(major), "minor": len(found) - len(major),
           "major_per_1000_words": round(1000 * len(major) / max(words, 1), 3),
           "all_per_1000_words": round(1000 * len(found) / max(words, 1), 3), "gender_seconds": round(t_gender, 2)}
    print(f"newstest2014 reference as MT: {len(major)} major, {res['minor']} minor on {words} source words "
          f"({res['major_per_1000_words']} major per 1,000)")
    if cost:
        total = full_check(limit)
        res["full_check_seconds"] = round(total, 2)
        res["cost_pct"] = round(100 * t_gender / max(total - t_gender, 1e-9), 2)
        print(f"cost: the gender check {t_gender:.2f} s, the whole one-system check (mtqa check, this tree) "
              f"{total:.2f} s: +{res['cost_pct']} %")
    return res


def full_check(limit: int | None) -> float:
    """Wall time of ``mtqa check`` on the same lines (this worktree's code, every default check)."""
    data = SHARED / "newstest2014-enfr"
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        src, ref, ids = t / "source.en", t / "ref.fr", t / "docids.tsv"
        n = limit or 10**9
        src.write_text("\n".join((data / "source.en").read_text(encoding="utf-8").splitlines()[:n]) + "\n", encoding="utf-8")
        ref.write_text("\n".join((data / "ref.fr").read_text(encoding="utf-8").splitlines()[:n]) + "\n", encoding="utf-8")
        ids.write_text("\n".join((data / "docids.tsv").read_text(encoding="utf-8").splitlines()[:n + 1]) + "\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "mtqa", "check", "-s", str(src), "-t", str(ref), "--line-aligned", "--docids",
               str(ids), "-o", str(t / "report.json"), "-q", "--no-progress", "--jobs", "1"]
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if r.returncode not in (0, 1):
            sys.exit(f"mtqa exited {r.returncode}: {r.stderr.strip()[-500:]}")
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--no-cost", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "gender_eval.json"))
    a = ap.parse_args()
    res = {"geneval": geneval(a.limit, a.verbose), "newstest2014": newstest(a.limit, a.verbose, not a.no_cost)}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
