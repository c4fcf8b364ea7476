"""``names.translated``: a name made of common English words rendered word by word in French.

Found by mechanism, not by a list of names:

1. *Candidates* (source): a mid-sentence capitalised group of two or more tokens (``Iron Dome``,
   ``HMS Defender``, ``Microsoft Teams``) with at least one *evidence word*: an English dictionary
   word (the ``english-words`` GCIDE list) that is not one of the capitalised common words of
   ``exonyms.yaml`` (titles, institutions, Red, New…), whose last word is not a head that French
   translates by convention (``heads`` of ``translated_names.yaml``: Court, Sea, Prize…).
2. *Translation* (French, the aligned segment): for each evidence word, the French word of the
   segment nearest to it in the cross-lingual embedder's space (USE-m3, one word per text). It is a
   translation when the cosine reaches ``THRESHOLD`` (``CAPITAL_THRESHOLD`` for a French word
   capitalised mid-sentence that the source lacks), the French word is not the English word
   itself, and the English word is that French word's best match among the source words (so
   ``fer`` renders ``Iron``, not another word of the sentence). An evidence word written as is
   anywhere in the French is *kept*, unless it sits between two French words that translate the
   name's other words (« Lignes aériennes Horizon Bleu »).
3. *Decision*: a finding when at least half of the evidence words are translated, more are
   translated than kept, the translations sit together (one span of at most the name's length
   plus three words) and no accepted French form (``accepted``) of the name is in the segment.
   The span is the French words that translate the name. It is critical when the French span keeps
   a capital mid-sentence (a name rendered word by word), minor when it is all lower case (the
   English capitals may only mark a title: « Ball Bearings » → « roulements »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from mtqa.checks.names.core import _QUOTED, Group, NameData, _capital_groups, _Hit, _is_headline
from mtqa.ruledata import Field, Record, load_packaged
from mtqa.text.matching import accent_fold, is_mid_sentence_capital
from mtqa.text.morphology import FUNCTION_WORDS, french_name_regex, is_english_word
from mtqa.text.regex import Regex, compile_list, string_list

THRESHOLD = 0.6  # cosine of an English word and its French translation (USE-m3, one word per text)
# a French word capitalised mid-sentence that the source does not have stands where a name stands
# (« Opération Prunellier »): rare words sit lower in the embedder's space
CAPITAL_THRESHOLD = 0.45
WINDOW = 3  # extra French words a name's translation may spread over

HEADS_SPEC = {"kind": Field(str, required=True), "words": Field(list, required=True)}
ACCEPTED_SPEC = {"name": Field(str, required=True), "fr": Field(list, required=True), "note": Field(str)}

# French words; an elided article or preposition (l', d', qu') is a word of its own
_FR_WORD = re.compile(r"(?:[^\W\d_]+-)*[^\W\d_]+")
_SRC_WORD = re.compile(r"[^\W\d_]+")
_EXTRA_STOP = frozenset(["avec", "dans", "mais", "plus", "cette", "cet", "nous", "vous", "été", "être", "avait", "était", "aussi"])


@dataclass
class TranslatedData:
    heads: frozenset[str]
    accepted: dict[str, list[tuple[str, Regex]]]


def build_translated_data(heads: list[Record], accepted: list[Record]) -> TranslatedData:
    words: set[str] = set()
    for rec in heads:
        words.update(w.strip() for w in string_list(rec["words"], rec, "words"))
    table: dict[str, list[tuple[str, Regex]]] = {}
    for rec in accepted:
        name = rec["name"].strip()
        if name in table:
            raise rec.error(f"name '{name}' is listed twice")
        if not rec["fr"]:
            raise rec.error("field 'fr' must list at least one French form")
        table[name] = compile_list(rec["fr"], rec, "fr", french_name_regex)
    return TranslatedData(frozenset(words), table)


@cache
def load_translated_data() -> TranslatedData:
    return build_translated_data(
        load_packaged("translated_names.yaml", HEADS_SPEC, key="heads"),
        load_packaged("translated_names.yaml", ACCEPTED_SPEC, key="accepted"),
    )


def _is_anchor(word: str, data: NameData) -> bool:
    """A token that is a name by itself: an acronym (HMS, CNN), a listed place (Wales, in
    exonyms.yaml) or a word no English dictionary has."""
    return word.isupper() or _is_place(word, data) or (word not in data.common_words and not is_english_word(word))


def _is_place(word: str, data: NameData) -> bool:
    """A place listed in exonyms.yaml (Wales, Texas): a name, never a word to translate. Listed
    products and media (Patriot, Guardian) are words that a name is made of."""
    entry = data.by_form.get(word)
    return entry is not None and not entry.protected


def _evidence(g: Group, data: NameData, tdata: TranslatedData) -> list[tuple[str, int, int]]:
    """The group's words that are common English words a literal system would translate. In a
    group with a name-like token, only the words after the first one count (Microsoft Teams, HMS
    Defender): those before are titles or classifiers (Assistant Commissioner Whealy, Hotel
    Summerland). A capitalised common word between two name-like tokens starts a title, which ends the name."""
    out = []
    first = next((k for k, t in enumerate(g) if _is_anchor(t[0], data)), -1)
    for k, (w, s, e) in enumerate(g):
        if k < first:
            continue
        if first >= 0 and k > first and w in data.common_words and any(_is_anchor(t[0], data) for t in g[k + 1:]):
            break  # a title between two names (Google Inc Chief Financial Officer Ruth Porat)
        if len(w) < 3 or w.isupper() or not w[1:].islower() or w in data.common_words:
            continue
        if w in tdata.heads or _is_place(w, data) or not is_english_word(w):
            continue
        if k + 1 < len(g) and _is_anchor(g[k + 1][0], data):
            continue
        out.append((w, s, e))
    return out


def _trim(g: Group) -> Group:
    """Without edge tokens that are letters or numerals (Class A, World War II) or articles."""
    while g and g[0][0] in ("The", "A", "An"):
        g = g[1:]
    while g and (len(g[-1][0]) < 2 or re.fullmatch(r"[IVX]+", g[-1][0])):
        g = g[:-1]
    return g


def candidates(src: str, data: NameData, tdata: TranslatedData, skip: list[tuple[int, int]]) -> list[tuple[Group, list]]:
    """(capitalised group, its evidence words) for the groups that may be a name made of words:
    two or more adjacent capitalised words (a group joined by connectors, Congregation of the Holy
    Cross, is a descriptive name French translates), not ending in a conventional head."""
    if _is_headline(src):
        return []
    quoted = [(q.start(), q.end()) for q in _QUOTED.finditer(src)]
    out = []
    for g in _capital_groups(src, quoted):
        g = _trim(g)
        if len(g) < 2 or g[-1][0] in tdata.heads or g[-1][0] in data.common_words:
            continue
        if any(src[a[2]:b[1]].strip() for a, b in pairwise(g)):
            continue
        if all(any(s <= a < e for s, e in skip) for _, a, _ in g):
            continue  # a listed name (protected_names.yaml, exonyms.yaml): judged by its entry
        ev = _evidence(g, data, tdata)
        # a word the source also uses in lower case explains its French translation
        ev = [t for t in ev if not re.search(rf"(?<![\w]){re.escape(t[0].lower())}(?![\w])", src)]
        if ev:
            out.append((g, ev))
    return out


def _fr_words(mt: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _FR_WORD.finditer(mt):
        w = m.group(0)
        low = w.lower()
        if len(w) < 3 or low in FUNCTION_WORDS or low in _EXTRA_STOP:
            continue
        out.append((w, m.start(), m.end()))
    return out


def _kept(word: str, fr: list[tuple[str, int, int]]) -> bool:
    """The English word is in the French as written (up to case, accents and a plural s: Crédit)."""
    low = accent_fold(word, str.lower)
    forms = (low, low + "s", low.removesuffix("s"))
    return any(accent_fold(t, str.lower) in forms for t, _, _ in fr)


def _translations(ev: list, src: str, mt: str, fr: list, embedder: Any) -> dict[int, int]:
    """{index in ev: index in fr} for the evidence words the French translates (see the module doc)."""
    src_words = sorted({w.lower() for w in _SRC_WORD.findall(src) if len(w) >= 3})
    fr_texts = [t.lower() for t, _, _ in fr]
    ev_texts = [w.lower() for w, _, _ in ev]
    vecs = embedder.encode(ev_texts + fr_texts + src_words)
    e, f, s = vecs[: len(ev)], vecs[len(ev): len(ev) + len(fr)], vecs[len(ev) + len(fr):]
    sim = e @ f.T
    back = s @ f.T  # each French word against every source word
    out: dict[int, int] = {}
    capital = [is_mid_sentence_capital(mt, a) and w not in src for w, a, _ in fr]
    for i, word in enumerate(ev_texts):
        j = int(sim[i].argmax())
        if sim[i, j] < (CAPITAL_THRESHOLD if capital[j] else THRESHOLD) or _kept(word, [fr[j]]):
            continue
        if src_words and src_words[int(back[:, j].argmax())] != word:
            continue
        out[i] = j
    return out


def _absorbed(word: str, fr: list[tuple[str, int, int]], found: dict[int, int]) -> bool:
    """A kept word that sits between two French words translating the same name is part of the
    word-by-word rendering (« Lignes aériennes Horizon Bleu », « Intermédiaire du Texas
    occidental »), not a sign that the name was kept."""
    if len(found) < 2:
        return False
    lo, hi = min(found.values()), max(found.values())
    return any(lo < j < hi and _kept(word, [fr[j]]) for j in range(len(fr)))


def _span(found: dict[int, int], n_ev: int, size: int) -> list[int] | None:
    """The French word indexes of the name's translation: those of the evidence words (None when
    they are spread wider than the name plus ``WINDOW``), with the other words of the name that
    fall beside them."""
    core = sorted(j for i, j in found.items() if i < n_ev)
    if core[-1] - core[0] > size + WINDOW:
        return None
    lo, hi = core[-1] - size - WINDOW, core[0] + size + WINDOW
    return sorted({j for j in found.values() if lo <= j <= hi})


def judge(g: Group, ev: list, seg_src: str, mt: str, embedder: Any, tdata: TranslatedData) -> _Hit | None:
    """The ``names.translated`` finding for one candidate, or None."""
    name = seg_src[g[0][1]:g[-1][2]]
    if any(n in name and any(rx.search(mt) for _, rx in pats) for n, pats in tdata.accepted.items()):
        return None
    fr = _fr_words(mt)
    if not fr:
        return None
    kept = [t for t in ev if _kept(t[0], fr)]
    rest = [t for t in ev if t not in kept]
    # the name's other words (Red, State, Valley) only widen the span
    others = [t for t in g if t not in ev and len(t[0]) >= 3 and t[0][1:].islower() and not _kept(t[0], fr)
              and is_english_word(t[0])]
    found = _translations(rest + others, seg_src, mt, fr, embedder) if rest else {}
    kept = [t for t in kept if not _absorbed(t[0], fr, found)]
    n_found = sum(1 for i in found if i < len(rest))
    if not n_found or 2 * n_found < len(ev) or n_found <= len(kept):
        return None
    idx = _span(found, len(rest), len(g))
    if idx is None:
        return None
    start, end = fr[idx[0]][1], fr[idx[-1]][2]
    words = ", ".join(f"{(rest + others)[i][0]} → {fr[j][0]}" for i, j in sorted(found.items()) if j in idx)
    named = _capitalised_in(mt, start, end)
    why = "" if named else (" The French writes it in lower case, as a description: if the English capitals only mark "
                            "a title, that is right.")
    return _Hit(
        "names.translated", "critical" if named else "minor", start, end, name, g[0][1], g[-1][2],
        f"The name '{name}' seems translated word by word as '{mt[start:end]}' ({words}); a name made of "
        f"common words (a product, vehicle, team, company or programme) is kept as written.{why}",
        name,
    )


def _capitalised_in(mt: str, start: int, end: int) -> bool:
    """Whether the French span keeps a capital mid-sentence (« Opération Rossignol », « Horizon Bleu »):
    a name rendered word by word. A span all in lower case (« roulements », « accessoires
    intérieurs ») renders a title-case description as a common noun phrase."""
    return any(is_mid_sentence_capital(mt, m.start()) for m in _FR_WORD.finditer(mt, start, end))


def scan_segment(src: str, mt: str, data: NameData, embedder: Any, skip: list[tuple[int, int]]) -> list[_Hit]:
    if embedder is None or not src or not mt:
        return []
    tdata = load_translated_data()
    out = []
    for g, ev in candidates(src, data, tdata, skip):
        hit = judge(g, ev, src, mt, embedder, tdata)
        if hit is not None:
            out.append(hit)
    return out
