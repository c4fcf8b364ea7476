"""Recall and false alarms on the development stories (``../shared/dev-stories``).

For every story, ``mtqa check`` runs on the faulty MT and on each clean translation (``good``,
``mt2``), without a reference (as most users run it) unless ``--with-ref`` (the ``good`` file then
serves as the reference of the MT run). A ``must`` item is found when a finding overlaps its French
span (an omission: when an omission finding names source text that overlaps the missing sentence);
it is found *at severity* when that finding is major or critical. False alarms are the major and
critical findings on the clean translations.

    .venv/bin/python bench/dev_stories.py [--stories DIR] [--out bench/out/dev_stories.json] [-v]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STORIES = ROOT.parent / "shared" / "dev-stories"
MAJOR = ("major", "critical")


def mtqa_exe() -> str:
    exe = ROOT / ".venv" / "bin" / "mtqa"
    return str(exe) if exe.exists() else "mtqa"


def run_mtqa(source: Path, mt: Path, ref: Path | None, out: Path, extra: list[str]) -> dict:
    cmd = [mtqa_exe(), "check", "-s", str(source), "-t", str(mt), "-o", str(out), "-q", "--no-progress", *extra]
    if ref is not None:
        cmd += ["-r", str(ref)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"{mt}: mtqa exited {r.returncode}: {r.stderr.strip()}")
    return json.loads(out.read_text(encoding="utf-8"))


def findings_with_offsets(report: dict) -> list[dict]:
    """Every finding with ``start``/``end`` as offsets into the MT file's text."""
    out = []
    for doc in report["documents"]:
        segs = {s["index"]: s for s in doc["segments"]}
        for f in doc["findings"]:
            base = segs[f["segment"]].get("mt_offset") or 0
            out.append({**f, "start": base + f["mt_start"], "end": base + f["mt_end"]})
    return out


def _words(text: str) -> set[str]:
    return {w.strip(".,;:!?\"'«»()").lower() for w in text.split() if len(w) > 3}


def match(item: dict, mt_text: str, findings: list[dict]) -> dict | None:
    """The most severe finding that catches a gold item, or None."""
    if item["kind"] == "omission":
        want = _words(item["en"])
        hits = [f for f in findings if f["rule"].startswith("omission") and len(_words(f["source_text"]) & want) >= 2]
    else:
        start = mt_text.find(item["fr"])
        end = start + len(item["fr"])
        hits = [f for f in findings if f["end"] > start and f["start"] < end and f["end"] > f["start"]]
    if not hits:
        return None
    rank = {"minor": 0, "major": 1, "critical": 2}
    return max(hits, key=lambda f: rank[f["severity"]])


def evaluate(stories: Path, with_ref: bool, extra: list[str], verbose: bool) -> dict:
    gold = json.loads((stories / "gold.json").read_text(encoding="utf-8"))["docs"]
    kinds: dict[str, Counter] = defaultdict(lambda: Counter(items=0, found=0, found_major=0))
    false_alarms: list[dict] = []
    missed: list[dict] = []
    minor: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, entry in sorted(gold.items()):
            src = stories / f"{name}.en.txt"
            good = stories / f"{name}.good.fr.txt"
            mt = stories / f"{name}.mt.fr.txt"
            report = run_mtqa(src, mt, good if with_ref else None, Path(tmp) / f"{name}.mt.json", extra)
            found = findings_with_offsets(report)
            mt_text = mt.read_text(encoding="utf-8").replace("\r\n", "\n")
            for item in entry["must"]:
                hit = match(item, mt_text, found)
                kinds[item["kind"]]["items"] += 1
                if hit is not None:
                    kinds[item["kind"]]["found"] += 1
                    kinds[item["kind"]]["found_major"] += hit["severity"] in MAJOR
                    if hit["severity"] not in MAJOR:
                        minor.append({"story": name, "kind": item["kind"], "fr": item.get("fr"),
                                      "source": item.get("source"), "rule": hit["rule"]})
                else:
                    missed.append({"story": name, **{k: item.get(k) for k in ("kind", "fr", "en", "source")}})
            for label in ("good", "mt2"):
                clean = stories / f"{name}.{label}.fr.txt"
                if not clean.exists():
                    continue
                rep = run_mtqa(src, clean, None, Path(tmp) / f"{name}.{label}.json", extra)
                for f in findings_with_offsets(rep):
                    if f["severity"] in MAJOR:
                        false_alarms.append({"story": name, "file": label, "rule": f["rule"],
                                             "severity": f["severity"], "mt_text": f["mt_text"],
                                             "message": f["message"][:160]})
            if verbose:
                print(f"{name}: done", file=sys.stderr)
    total = Counter()
    for c in kinds.values():
        total.update(c)
    return {
        "with_ref": with_ref,
        "recall": round(total["found"] / max(total["items"], 1), 3),
        "recall_at_major": round(total["found_major"] / max(total["items"], 1), 3),
        "items": total["items"],
        "by_kind": {k: {**c, "recall": round(c["found"] / c["items"], 3)} for k, c in sorted(kinds.items())},
        "false_alarms": len(false_alarms),
        "false_alarm_list": false_alarms,
        "missed": missed,
        "found_only_minor": minor,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stories", default=str(DEFAULT_STORIES), help="dev-stories folder (default: %(default)s)")
    ap.add_argument("--with-ref", action="store_true", help="check the MT with the good file as reference")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "dev_stories.json"), help="JSON results")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the misses and false alarms")
    ap.add_argument("extra", nargs="*", help="extra mtqa check options (after --)")
    args = ap.parse_args(argv)
    res = evaluate(Path(args.stories), args.with_ref, args.extra, args.verbose)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"recall {res['recall']:.3f} ({res['recall_at_major']:.3f} at major+) of {res['items']} must items; "
          f"{res['false_alarms']} major/critical findings on the clean translations")
    for k, c in res["by_kind"].items():
        print(f"  {k:<13} {c['found']:>3}/{c['items']:<3} found, {c['found_major']:>3} at major+")
    if args.verbose:
        for m in res["missed"]:
            print(f"  MISSED {m['story']} {m['kind']}: {m.get('fr') or m.get('en')} [{m.get('source')}]")
        for m in res["found_only_minor"]:
            print(f"  MINOR {m['story']} {m['kind']}: {m['fr']} [{m['source']}] by {m['rule']}")
        for f in res["false_alarm_list"]:
            print(f"  FALSE {f['story']}.{f['file']} {f['rule']} {f['severity']}: {f['mt_text']!r} — {f['message']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
