"""The learned untranslated classifier's findings on newstest2014's human reference checked as if it
were MT (``../shared/data/newstest2014-enfr``, line by line): every one is a false alarm. The
rules' findings are counted by ``bench/false_alarms.py``; this lists what the classifier adds.
Measured 2026-12-03: 7 findings, all minor (names the dictionary lists, Latakia, Bogota, JPMorgan).

    .venv/bin/python bench/untranslated_news.py [--data DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from grammar_untranslated import unknown_words  # noqa: E402

from mtqa.checks import untranslated as ut  # noqa: E402
from mtqa.checks.grammar.analysis import chunks  # noqa: E402
from mtqa.checks.grammar.worker import get_worker  # noqa: E402
from mtqa.config import Settings  # noqa: E402
from mtqa.model import Segment  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "newstest2014-enfr")
    args = ap.parse_args()
    src = (args.data / "source.en").read_text(encoding="utf-8").split("\n")
    ref = (args.data / "ref.fr").read_text(encoding="utf-8").split("\n")
    worker = get_worker("/usr/bin/python3")
    for r in ref:
        for _, piece in chunks(r):
            worker.submit(piece)
    check = ut.Untranslated(Settings())
    severity: Counter = Counter()
    for s, r in zip(src, ref):
        if not (s.strip() and r.strip()):
            continue
        seg = Segment(0, s, r, None, (0,), (0,), "given", 1.0)
        unknown = unknown_words(worker, r)
        rules = check.segment_findings(seg, unknown, learned=False)
        for f in check.segment_findings(seg, unknown)[len(rules):]:
            severity[f.severity] += 1
            print(f"{f.severity}\t{f.mt_text!r}\t{s[:100]}")
    print(f"learned findings on the reference: {sum(severity.values())} {dict(severity)}")


if __name__ == "__main__":
    main()
