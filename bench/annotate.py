"""Generate each reference pack's expected.json from its annotations.yaml (offsets are computed,
never typed by hand).

    python bench/annotate.py            # every pack under references/
    python bench/annotate.py PACK_DIR…  # some packs
    python bench/annotate.py --check    # exit 1 when an expected.json is stale

annotations.yaml: ``pack``, ``description``, ``errors`` (each: ``paragraph`` (1-based, of
mt.fr.txt), ``mt_text`` (exact; "" for an omission), optional ``occurrence`` (n-th occurrence in
the paragraph; required when ``mt_text`` repeats there), optional ``after`` (for an omission: the
MT text just before the gap), ``source_text``, ``category`` (MQM), ``severity``, ``why``,
``suggestion``, ``family`` (the check family expected to find it; kept out of expected.json)),
``not_in_scope`` (real errors mtqa is not expected to find: findings there are neutral) and
``must_not_flag`` (correct renderings no check may flag, e.g. ``grève`` in a labour strike; each
``paragraph``, ``mt_text``, optional ``occurrence``, ``why``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.errors import MtqaError
from gold import build_expected


def dumps(doc: dict) -> str:
    # Same layout as the seed's expected.json: one-space indent, UTF-8, no trailing newline.
    return json.dumps(doc, ensure_ascii=False, indent=1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("packs", nargs="*", help="pack directories (default: every references/* with annotations.yaml)")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if an expected.json differs")
    args = ap.parse_args(argv)
    packs = [Path(p) for p in args.packs] or sorted(p.parent for p in (ROOT / "references").glob("*/annotations.yaml"))
    stale = 0
    for pack in packs:
        try:
            text = dumps(build_expected(pack))
        except MtqaError as e:
            print(f"annotate: error: {e}", file=sys.stderr)
            return 2
        out = pack / "expected.json"
        old = out.read_text(encoding="utf-8") if out.exists() else None
        n = len(json.loads(text)["errors"])
        if args.check:
            if old is None or json.loads(old) != json.loads(text):
                print(f"{pack.name}: expected.json is stale ({n} errors in annotations.yaml)")
                stale += 1
            else:
                print(f"{pack.name}: up to date ({n} errors)")
        else:
            if old != text:
                out.write_text(text, encoding="utf-8")
            print(f"{pack.name}: {n} errors{' (unchanged)' if old == text else ' written'}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
