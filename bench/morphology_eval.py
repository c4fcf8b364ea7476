"""Issue 14, item 4: does Grammalecte's French lexicon match the knowledge data's renderings better
than the hand-written inflection of ``mtqa.text.morphology.french_regex``?

Renderings: every French string of the packaged knowledge data (the ``right``, ``wrong``, ``fr``,
``mt`` and ``literal`` lists of ``mtqa/data/**/*.yaml``) made of words only: ``re:`` patterns
(regexes by hand) and strings with digits or symbols (``G7``) are left out. Texts: every French file of the reference packs (``references/*/*.fr.txt``) and
of the development stories (``../shared/dev-stories/*.fr.txt``).

Two matchers find each rendering in each text:
- **regex**: ``french_regex`` compiled as the checks compile it (case-insensitive), with the
  lexicon's inflection table (``mtqa/data/french_inflections.json``);
- **lemma**: the text's words, and the rendering's, through Grammalecte's lexicon (``getLemma``,
  via mtqa's worker); a rendering of k words matches k consecutive words when each content word
  shares a lemma with the rendering's word (or is that word), and each function word
  (``morphology.FUNCTION_WORDS``) or elided word is the same word.

A match is a (rendering, text, first word) triple. The script counts those both matchers find and
those only one finds, and writes a seeded sample of each disagreement to judge by hand
(``--sample``). ``--strict`` gives the lemma matcher only words with one lemma (no homographs).
``--rules`` compares the regex with the hand-written rules alone (``french_regex(r, lexicon=False)``,
what the checks used before the table) instead of with the lemma matcher.

    .venv/bin/python bench/morphology_eval.py [--stories DIR] [--sample N] [--strict | --rules]

Measured 2026-12-07: see bench/README.md, "French morphology".
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.checks.grammar.worker import get_worker  # noqa: E402
from mtqa.text.morphology import FUNCTION_WORDS, french_regex  # noqa: E402

STORIES = ROOT.parent / "shared" / "dev-stories"
KEYS = ("right", "wrong", "fr", "mt", "literal")
# a word: letters with inner hyphens; apostrophes end a word (l'écart → l, écart)
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
APOSTROPHES = "'’ʼ"
# a rendering both matchers can read: words only (no digits or symbols: "G7", "n°10", "°C")
ONLY_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*(?:(?:\s+|['’ʼ]\s*)[^\W\d_]+(?:-[^\W\d_]+)*)*")


def renderings() -> list[str]:
    """The French strings of the packaged knowledge data, each once, without ``re:`` patterns."""
    out: set[str] = set()

    def walk(node: object, key: str | None) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in KEYS and ONLY_WORDS.fullmatch(node.strip()):
            out.add(node.strip())

    for path in sorted((ROOT / "mtqa" / "data").rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), None)
    return sorted(out)


def words(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, word, elided) for each word: elided when an apostrophe follows it (l', d')."""
    return [(m.start(), m.end(), m.group(), text[m.end():m.end() + 1] in tuple(APOSTROPHES)) for m in WORD.finditer(text)]


def index(toks: list[tuple[int, int, str, bool]], lemmas: dict[str, frozenset]) -> dict[str, list[int]]:
    """Token positions by lower-cased word and by each of its lemmas."""
    out: dict[str, list[int]] = {}
    for i, (_, _, tok, _) in enumerate(toks):
        for key in {tok.lower(), *lemmas.get(tok.lower(), ())}:
            out.setdefault(key, []).append(i)
    return out


def lemma_matches(pattern: list[tuple[str, bool, frozenset]], toks: list[tuple[int, int, str, bool]],
                  where: dict[str, list[int]], lemmas: dict[str, frozenset]) -> set[int]:
    """Start offsets where the rendering's words, by lemma, match consecutive words of the text."""
    first, exact, want = pattern[0]
    starts = set(where.get(first, [])) if exact else {i for key in want for i in where.get(key, [])}
    out = set()
    for i in starts:
        if i + len(pattern) > len(toks):
            continue
        for (word, exact, want), (_, _, tok, _) in zip(pattern, toks[i:i + len(pattern)]):
            low = tok.lower()
            if low != word and (exact or not (lemmas.get(low, frozenset()) & want)):
                break
        else:
            out.add(toks[i][0])
    return out


def regex_matches(regex: re.Pattern, text: str, starts: set[int]) -> set[int]:
    """Start offsets of the regex's matches, moved to the word they begin in (the lemma matcher's unit)."""
    return {m.start() for m in regex.finditer(text) if m.start() in starts}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stories", type=Path, default=STORIES)
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--strict", action="store_true",
                    help="lemma matcher: only words with one lemma, on both sides (no homographs: avions → avion, avoir)")
    ap.add_argument("--rules", action="store_true",
                    help="compare french_regex with the lexicon table against the hand-written rules alone "
                         "(french_regex(..., lexicon=False)) instead of against the lemma matcher")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "morphology_eval.json")
    args = ap.parse_args()
    files = sorted((ROOT / "references").glob("*/*.fr.txt")) + sorted(args.stories.glob("*.fr.txt"))
    texts = {str(p.relative_to(p.parent.parent)): p.read_text(encoding="utf-8") for p in files}
    rends = renderings()
    worker = get_worker("/usr/bin/python3")
    vocab = sorted({w.lower() for t in texts.values() for _, _, w, _ in words(t)}
                   | {w.lower() for r in rends for _, _, w, _ in words(r)})
    lemmas: dict[str, frozenset] = {}
    for i in range(0, len(vocab), 2000):
        lemmas.update({w: frozenset(x.lower() for x in ls) for w, ls in worker.lemmas(vocab[i:i + 2000]).items()})
    if args.strict:
        lemmas = {w: ls for w, ls in lemmas.items() if len(ls) == 1}
    counts: Counter = Counter()
    other = "rules only" if args.rules else "lemma only"
    pairs: dict[str, list[dict]] = {"regex only": [], other: []}
    tokens = {name: words(t) for name, t in texts.items()}
    starts = {name: {s for s, _, _, _ in toks} for name, toks in tokens.items()}
    where = {name: index(toks, lemmas) for name, toks in tokens.items()}
    for r in rends:
        rw = words(r)
        pattern = [(w.lower(), w.lower() in FUNCTION_WORDS or el, lemmas.get(w.lower(), frozenset()) | {w.lower()})
                   for _, _, w, el in rw]
        regex = re.compile(french_regex(r), re.IGNORECASE)
        rules = re.compile(french_regex(r, lexicon=False), re.IGNORECASE) if args.rules else None
        for name, text in texts.items():
            by_regex = regex_matches(regex, text, starts[name])
            if rules is not None:
                by_other = regex_matches(rules, text, starts[name])
            else:
                by_other = lemma_matches(pattern, tokens[name], where[name], lemmas)
            counts["both"] += len(by_regex & by_other)
            for kind, only in (("regex only", by_regex - by_other), (other, by_other - by_regex)):
                counts[kind] += len(only)
                for s in only:
                    pairs[kind].append({"rendering": r, "file": name, "text": text[s:s + 60].split("\n")[0]})
    rng = random.Random(14)
    result = {"renderings": len(rends), "files": len(texts), "matches": dict(counts),
              "samples": {k: rng.sample(v, min(args.sample, len(v))) for k, v in pairs.items()}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
    for kind, sample in result["samples"].items():
        print(f"\n## {kind} (sample of {len(sample)} of {counts[kind]})")
        for p in sample:
            print(f"{p['rendering']!r:40} {p['file']:40} {p['text']!r}")


if __name__ == "__main__":
    main()
