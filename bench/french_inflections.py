"""Issue 14, item 4: compile ``mtqa/data/french_inflections.json`` from Grammalecte's lexicon.

``morphology.french_regex`` inflects each word of a French rendering by hand-written rules
(``morphology.hand_inflection``). Those rules are a finite set of endings, so the forms they accept
can be listed. For each content word of the packaged knowledge data's renderings (the words
``bench/morphology_eval.py`` reads), this script asks Grammalecte's lexicon, through mtqa's worker:

- the word's readings (lemma and tags); a word is kept only if it has **one lemma** (no
  homographs: ``avions`` is ``avion`` and ``avoir``), is not an auxiliary (``être``, ``avoir``),
  and is a noun or adjective, a verb (infinitive or finite form: ``racontait``), or a past
  participle;
- every form of that lemma with the same part of speech (noun/adjective forms, every form of the
  verb, or the participle's four forms); a noun or adjective written in the plural keeps its number (the
  authors wrote ``urgences``, A&E, not ``urgence``; ``forts``, not the adjective ``fort``).

The word gets an entry when the rules and the lexicon disagree:
- the rules miss a form of the lemma (``atteindre`` → ``atteint``, ``aérienne`` → ``aériens``): the
  form is added, but only if the lexicon gives it no other lemma (``plus`` is a form of ``plaire``
  and an adverb: not added) and, for a noun, adjective or participle, no category the word lacks
  (``personnel``, also a noun, is not added to the adjective ``personnelle``); function words
  (``a``, ``est``) and symbols (``cm``, which the lexicon files under ``m``) are never added;
- the rules accept another word the lexicon knows (``genre`` → ``gens``, ``verre`` → ``vers``,
  ``foi`` → ``foie``): it is removed, and listed under ``not`` (the generated tests check that it
  no longer matches).
The rules' forms that are forms of the lemma stay, homographs included (``garde`` for ``garder``):
the entry lists every form ``french_regex`` then matches instead of the rules.

    .venv/bin/python bench/french_inflections.py [--write]

Without ``--write`` it prints the counts and the diff against the shipped file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from pathlib import Path

with warnings.catch_warnings():  # the regex parser's public names, deprecated since 3.11
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants
    import sre_parse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from morphology_eval import WORD, renderings  # noqa: E402

from mtqa.checks.grammar.worker import get_worker  # noqa: E402
from mtqa.text.morphology import FUNCTION_WORDS, INFLECTIONS_FILE, hand_inflection  # noqa: E402

OUT = ROOT / "mtqa" / "data" / INFLECTIONS_FILE
BATCH = 2000


def content_words(rends: list[str]) -> list[str]:
    """The lower-case words of the renderings that ``french_regex`` inflects (not function words,
    not elided ones, not capitalised names)."""
    out: set[str] = set()
    for r in rends:
        toks = re.split(r"(\s+|['’ʼ])", r.strip())
        for i, tok in enumerate(toks):
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            if tok and tok.islower() and WORD.fullmatch(tok) and tok not in FUNCTION_WORDS and nxt not in ("'", "’", "ʼ"):
                out.add(tok)
    return sorted(out)


def language(pattern: str) -> set[str]:
    """Every string a finite regex (literals, classes of literals, groups, alternations, ``?``)
    matches: the hand-written inflection's forms. Hand-written: ``re`` cannot enumerate."""
    def walk(items) -> set[str]:
        out = {""}
        for op, arg in items:
            if op is sre_constants.LITERAL:
                alts = {chr(arg)}
            elif op is sre_constants.IN:
                alts = {chr(a) for o, a in arg if o is sre_constants.LITERAL}
                if len(alts) != len(arg):
                    raise ValueError(f"unsupported class in {pattern!r}")
            elif op is sre_constants.SUBPATTERN:
                alts = walk(arg[-1])
            elif op is sre_constants.BRANCH:
                alts = set().union(*(walk(b) for b in arg[1]))
            elif op is sre_constants.MAX_REPEAT and arg[0] == 0 and arg[1] == 1:
                alts = walk(arg[2]) | {""}
            else:
                raise ValueError(f"unsupported {op} in {pattern!r}")
            out = {a + b for a in out for b in alts}
        return out

    return walk(sre_parse.parse(pattern))


def part(tags: str) -> str | None:
    """The part of speech a reading's tags give: noun (nouns and adjectives), verb, participle."""
    if ":V0" in tags:
        return "aux"
    if ":Q" in tags:
        return "participle"
    if ":V" in tags:
        return "verb"
    if ":N" in tags or ":A" in tags:
        return "noun"
    return None


def categories(readings: list[list[str]]) -> set[str]:
    """The lexicon's categories of a word's readings: noun N, adjective A, verb V, participle Q,
    adverb W, grammatical word G, proper noun M…"""
    return {c for _, tags in readings for c in re.findall(r":([A-Z])(?=[:_;0-9]|$)", tags)
            if c in "NAVQWGMJRT"}


def kind(word: str, readings: list[list[str]]) -> tuple[str, str] | None:
    """(lemma, part of speech) when the word has one lemma and is a noun/adjective, a verb
    (infinitive or finite form), or a past participle, and is not a symbol (``cm``: a form of ``m``); None otherwise."""
    if any(";S" in tags for _, tags in readings):
        return None
    lemmas = {lemma for lemma, _ in readings}
    parts = {part(tags) for _, tags in readings}
    if len(lemmas) != 1 or len(parts) != 1:
        return None
    lemma, pos = lemmas.pop(), parts.pop()
    if pos == "noun" or pos == "participle":
        return lemma, pos
    if pos == "verb":  # an infinitive, or a finite form (racontait): every form of the verb
        return lemma, pos
    return None


def plural_only(readings: list[list[str]]) -> bool:
    """A noun or adjective written in the plural only (``urgences``, A&E, is not ``urgence``)."""
    return all(":p" in tags for _, tags in readings)


def forms_of(pos: str, flexions: list[list[str]], plural: bool) -> set[str]:
    """The lemma's forms with part of speech ``pos`` (a verb's: every conjugated form and its
    participles; a plural noun's: its plural forms), lower-case words only, without function words."""
    want = {"verb": ("verb", "participle"), "noun": ("noun",), "participle": ("participle",)}[pos]
    return {f.lower() for f, tags in flexions
            if part(tags) in want and WORD.fullmatch(f) and f.lower() not in FUNCTION_WORDS
            and not (plural and pos == "noun" and ":p" not in tags and ":i" not in tags)}


def batched(call, items: list[str]) -> dict:
    out: dict = {}
    for i in range(0, len(items), BATCH):
        out.update(call(items[i:i + BATCH]))
    return out


def compile_table() -> tuple[dict[str, dict], dict[str, int]]:
    worker = get_worker("/usr/bin/python3")
    words = content_words(renderings())
    readings = batched(worker.morph, words)
    kinds = {w: k for w in words if (k := kind(w, readings[w]))}
    flexions = batched(worker.flexions, sorted({lemma for lemma, _ in kinds.values()}))
    hands = {w: {f.lower() for f in language(hand_inflection(w))} for w in kinds}
    lexes = {w: forms_of(pos, flexions[lemma], plural_only(readings[w])) | {w} for w, (lemma, pos) in kinds.items()}
    asked = sorted({f for w in kinds for f in (lexes[w] ^ hands[w])})
    known = batched(worker.morph, asked)
    table: dict[str, dict] = {}
    counts = {"words": len(words), "one lemma, kind kept": len(kinds), "forms added": 0, "words with forms added": 0,
              "other words removed": 0, "words with other words removed": 0}
    for w, (lemma, pos) in sorted(kinds.items()):
        lex, hand = lexes[w], hands[w]
        # a new form only if it has no other lemma (``plus`` is plaire's, and the adverb) and,
        # for a noun, adjective or participle, no other category (``personnelle``, an adjective,
        # does not take ``personnel``, also the noun: the staff)
        added = sorted(f for f in lex - hand if {lm for lm, _ in known.get(f, [])} == {lemma}
                       and (pos == "verb" or categories(known[f]) <= categories(readings[w])))
        # a form of the rules removed only if the lexicon knows it as another word (gens, vers)
        removed = sorted(f for f in hand - lex if known.get(f))
        counts["forms added"] += len(added)
        counts["words with forms added"] += bool(added)
        counts["other words removed"] += len(removed)
        counts["words with other words removed"] += bool(removed)
        if added or removed:
            table[w] = {"forms": sorted((lex & hand) | set(added) | {w}), **({"not": removed} if removed else {})}
    counts["entries"] = len(table)
    return table, counts


def dumps(doc: dict) -> str:
    """The table as JSON, one word per line (diffable)."""
    head = [f"{json.dumps(k)}: {json.dumps(doc[k], ensure_ascii=False)}," for k in ("about", "source", "license")]
    rows = [f"{json.dumps(w, ensure_ascii=False)}: {json.dumps(e, ensure_ascii=False, sort_keys=True)}"
            for w, e in sorted(doc["words"].items())]
    return "{" + "\n".join(head) + '\n"words": {\n' + ",\n".join(rows) + "\n}}\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help=f"write mtqa/data/{INFLECTIONS_FILE}")
    args = ap.parse_args()
    table, counts = compile_table()
    version = get_worker("/usr/bin/python3").version
    doc = {
        "about": "French renderings' words whose forms come from Grammalecte's lexicon instead of "
                 "morphology.hand_inflection; compiled by bench/french_inflections.py",
        "source": f"{version}, lexicon fr-allvars: Dicollecte's French lexicon by Olivier R. (grammalecte.net)",
        "license": "MPL-2.0, as the lexicon it is derived from (its README_lexique.txt): http://mozilla.org/MPL/2.0/",
        "words": table,
    }
    text = dumps(doc)
    print(json.dumps(counts, indent=1))
    if args.write:
        OUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} ({len(text.encode()):,} bytes)")
    elif OUT.exists():
        print("same as shipped" if OUT.read_text(encoding="utf-8") == text else "differs from shipped")


if __name__ == "__main__":
    main()
