"""Morphology for the lexical-knowledge checks (sense, names, calques, glossary, user rules):
English headword inflections and stems, French renderings matched through inflection and elision.

Hand-written: no English/French morphology library ships offline in the core install, and
news headwords only need plural, 3rd person, past and -ing forms (English) and
plural/feminine/conjugated forms (French).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

from mtqa.diskcache import cached_parse
from mtqa.errors import ConfigError
from mtqa.text.regex import trie_regex

APOS = "['’ʼ]"


def english_forms(word: str) -> set[str]:
    """Inflected forms of an English word (nouns and regular verbs); irregular ones come from data.

    Hand-written: no English morphology library ships offline in the core install, and news
    headwords only need plural, 3rd person, past and -ing forms."""
    w = word.lower()
    forms = {w, w + "s", w + "es", w + "ed", w + "ing"}
    if w.endswith("e"):
        forms |= {w + "d", w[:-1] + "ing"}
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if len(w) >= 3 and w[-1] in "bdgklmnprt" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing", w + w[-1] + "er"}
    return forms


def english_regex(word: str, extra: Iterable[str] = ()) -> str:
    """Regex source for a headword (one or several words) and its inflections."""
    parts = word.split()
    if len(parts) == 1:
        alts = sorted(english_forms(word) | {e.lower() for e in extra}, key=len, reverse=True)
        return r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![\w-])"
    head = english_regex(parts[0])[: -len(r"(?![\w-])")]
    rest = r"\s+".join(re.escape(p) for p in parts[1:])
    tail = "" if not extra else "|" + "|".join(re.escape(e) for e in extra)
    return r"(?:" + head + r"\s+" + rest + tail + r")(?![\w-])"


def cue_regex(cue: str) -> str:
    """A context cue: ``re:PATTERN`` is used as is; a plain word or phrase matches its inflections."""
    if cue.startswith("re:"):
        return cue[3:]
    parts = cue.split()
    last = parts[-1]
    inflected = "(?:" + "|".join(re.escape(f) for f in sorted(english_forms(last), key=len, reverse=True)) + ")"
    body = r"\s+".join([re.escape(p) for p in parts[:-1]] + [inflected])
    return r"(?<![\w-])" + body + r"(?![\w-])"


# Conjugation endings of regular verbs, added to the stem (infinitive minus -er/-ir/-re). A closed
# list rather than "any letters": nouns that end like infinitives (officier, centre, ordre, avenir)
# must not swallow other words (officiel, cent, ordinaire).
_ER_ENDINGS = (
    "er|e|es|ent|ons|ez|é|ée|és|ées|ais|ait|aient|ions|iez|a|as|ai|èrent|ant|era|eras|erai|erons|"
    "erez|eront|erait|eraient|asse|ât|ère|ères|ers"
)
_IR_ENDINGS = (
    "ir|irs|is|it|i|ie|ies|issons|issez|issent|issait|issaient|issant|ira|iront|irait|iraient|"
    "irent|ent|ert|erte|erts|ertes|u|ue|us|ues|ait|aient|ant"
)
_RE_ENDINGS = "re|res|s|t|ent|ons|ez|u|ue|us|ues|ait|aient|ant|ra|ront|rait|raient|it|is|irent|i|ie|ies"
_UIRE_ENDINGS = "re|s|t|sons|sez|sent|sait|saient|sant|ra|ront|rait|raient|it|ite|its|ites|isit|isirent"
# Short French words matched exactly (never inflected): articles, pronouns, prepositions, auxiliaries.
FUNCTION_WORDS = frozenset(
    ["a", "à", "au", "aux", "ce", "c", "ces", "d", "de", "des", "du", "en", "et", "il", "ils", "elle", "elles", "est", "l", "la", "le", "les", "leur", "lui", "m", "n", "ne", "on", "ont", "ou", "où", "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "si", "son", "sont", "sur", "t", "un", "une", "y"]
)


def _vowel_flex(stem: str) -> str:
    """Escape a verb stem, letting its last e/é alternate with è (lever → lèvent, céder → cèdent)."""
    m = re.search(r"[eé](?=[^\Waeiouyéèêàâîôû]+$)", stem)
    if not m:
        return re.escape(stem)
    return re.escape(stem[: m.start()]) + "[eéè]" + re.escape(stem[m.end() :])


INFLECTIONS_FILE = "french_inflections.json"


@cache
def lexicon_forms() -> dict[str, tuple[str, ...]]:
    """Words whose forms come from Grammalecte's lexicon, not from ``hand_inflection``: the
    packaged ``french_inflections.json`` (compiled by ``bench/french_inflections.py``, which says
    how), as word → its lemma's forms. Read once per process, checked when read, and kept parsed
    in the disk cache (``mtqa.diskcache``) like the packaged YAML."""
    try:
        raw = files("mtqa").joinpath("data").joinpath(INFLECTIONS_FILE).read_bytes()
    except OSError as e:
        raise ConfigError(f"mtqa/data/{INFLECTIONS_FILE}: cannot be read ({e.strerror or e})") from None
    table = cached_parse(INFLECTIONS_FILE, raw, lambda: read_inflections(raw.decode("utf-8")))
    if not isinstance(table, dict):  # a cache entry of another shape: parse the file itself
        table = read_inflections(raw.decode("utf-8"))
    return table


def read_inflections(text: str) -> dict[str, tuple[str, ...]]:
    """The table in ``text`` (``{"words": {word: {"forms": [...], "not": [...]}}}``), checked: each
    word lower-case and among its own forms, each form a non-empty string."""
    where = f"mtqa/data/{INFLECTIONS_FILE}"
    try:
        words = json.loads(text)["words"]
        table = {w: tuple(e["forms"]) for w, e in words.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise ConfigError(f"{where}: not a valid inflection table ({type(e).__name__}: {e})") from None
    for w, forms in table.items():
        if not (w.islower() and w in forms and all(isinstance(x, str) and x for x in forms)):
            raise ConfigError(f"{where}: entry '{w}' must be lower-case, among its own forms, and list strings only")
    return table


def _fr_word(word: str, lexicon: bool) -> str:
    """One French word with its inflections: with ``lexicon``, a lower-case word the lexicon table
    lists matches its lemma's forms there; any other word, ``hand_inflection``'s."""
    forms = lexicon_forms().get(word) if lexicon and word.islower() else None
    if forms is None:
        return hand_inflection(word)
    return "(?:" + trie_regex(forms) + ")"


def hand_inflection(word: str) -> str:
    """One French word with its inflections by hand-written rules: plural/feminine for nouns and
    adjectives, and for a verb infinitive (-er/-ir/-re) its regular conjugated forms."""
    low = word.lower()
    if len(low) > 4 and low.endswith("er"):
        stem = word[:-2]
        if stem.lower().endswith("g"):  # dégager → dégageait, dégageons
            return _vowel_flex(stem) + "(?:" + _ER_ENDINGS + "|ea|eai|eais|eait|eaient|eons|eant|eât)"
        if stem.lower().endswith("c"):  # lancer → lançait, lançons
            return _vowel_flex(stem[:-1]) + "(?:c(?:" + _ER_ENDINGS + ")|ç(?:a|ai|ais|ait|aient|ons|ant|âmes))"
        return _vowel_flex(stem) + "(?:" + _ER_ENDINGS + ")"
    if len(low) > 4 and low.endswith("uire"):
        return re.escape(word[:-2]) + "(?:" + _UIRE_ENDINGS + ")"
    if len(low) > 4 and low.endswith("ir") and not low.endswith("oir"):
        return re.escape(word[:-2]) + "(?:" + _IR_ENDINGS + ")"
    if len(low) > 4 and low.endswith("dre"):
        # vendre, rendre, défendre, perdre: the bare stem is a form too (il vend)
        return re.escape(word[:-2]) + "(?:" + _RE_ENDINGS + ")?"
    if len(low) > 5 and low.endswith("ttre"):
        # battre, mettre, abattre, émettre: abattu, abattent, met, mis
        return re.escape(word[:-3]) + "(?:tre|tres|s|t|tent|tons|tez|tu|tue|tus|tues|tait|taient|tant|tra|tront|trait|traient|is|ise|ises)"
    if len(low) > 4 and low.endswith("re") and low[-3] not in "bcdfgpvt" and not low.endswith("ire"):
        # battre, mettre, abattre … (consonant + consonant + re) keep the noun path below
        return re.escape(word[:-2]) + "(?:" + _RE_ENDINGS + ")"
    if low.endswith("al"):
        return re.escape(word[:-2]) + r"(?:al|aux|ale|ales)"
    if low.endswith("if"):
        return re.escape(word[:-2]) + r"(?:if|ifs|ive|ives)"
    if low.endswith("eau"):
        return re.escape(word) + r"x?"
    if low.endswith("eu"):
        return re.escape(word) + r"[xs]?"
    if low[-1:] in "sxz":
        return re.escape(word) + r"(?:e|es)?"
    if low.endswith("e"):
        return re.escape(word) + r"s?"
    if low.endswith("é"):
        return re.escape(word) + r"(?:e|s|es)?"
    return re.escape(word) + r"(?:e|s|es|x)?"


def french_regex(rendering: str, lexicon: bool = True) -> str:
    """Regex source for a French rendering, matched through inflection and elision.

    ``re:PATTERN`` is used as is. Otherwise words are separated by blanks or apostrophes
    (``l'écart`` matches ``l’écart``); each word matches its inflected forms: its lemma's forms
    in the lexicon table (``lexicon_forms``), else ``hand_inflection``'s. Names pass
    ``lexicon=False`` (``french_name_regex``): a name keeps its gender (Banque mondiale)."""
    if rendering.startswith("re:"):
        return rendering[3:]
    tokens = re.split(r"(\s+|['’ʼ])", rendering.strip())
    out = []
    for i, tok in enumerate(tokens):
        if not tok:
            continue
        if tok.isspace():
            out.append(r"\s+")
        elif tok in "'’ʼ":
            out.append(APOS + r"\s*")
        else:
            # Function words (de, la, l, d) and elided words are matched exactly; content words,
            # short ones too (feu → feux, tir → tirs), are inflected.
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if tok.lower() in FUNCTION_WORDS or nxt in ("'", "’", "ʼ"):
                out.append(re.escape(tok))
            else:
                out.append(_fr_word(tok, lexicon))
    return r"(?<![\w])" + "".join(out) + r"(?![\w])"


def french_name_regex(name: str) -> str:
    """``french_regex`` for the French form of a name: hand-written inflection only (plural and
    elision), never the lexicon's other genders and numbers."""
    return french_regex(name, lexicon=False)


@cache
def english_dictionary() -> frozenset[str]:
    """Lower-case English dictionary words (the GCIDE word list of the ``english-words`` package):
    tells a capitalised common word ("Fire", "Embassy") from a name ("Axios", "Merz")."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["gcide"], alpha=True, lower=True))


# British spellings the GCIDE list has in their American form: jewellers, colours, centres
_BRITISH = ((re.compile(r"ll(?=e|i)"), "l"), (re.compile(r"our(?=s?$|ed$|ing$|ite)"), "or"),
            (re.compile(r"tre(?=s?$)"), "ter"), (re.compile(r"ys(?=e|ing)"), "yz"))


def is_english_word(word: str) -> bool:
    """True when ``word`` or its stem (plural, past, -ing), in British or American spelling, is
    an English dictionary word."""
    w = word.lower()
    if _is_dictionary_form(w):
        return True
    american = w
    for rx, repl in _BRITISH:
        american = rx.sub(repl, american)
    return american != w and _is_dictionary_form(american)


def _is_dictionary_form(w: str) -> bool:
    words = english_dictionary()
    if w in words:
        return True
    stems = []
    if w.endswith("ies"):
        stems.append(w[:-3] + "y")
    if w.endswith("es"):
        stems.append(w[:-2])
    if w.endswith("s"):
        stems.append(w[:-1])
    if w.endswith("ied"):
        stems.append(w[:-3] + "y")
    if w.endswith("ed"):
        stems += [w[:-2], w[:-1], w[:-3] if len(w) > 4 and w[-3] == w[-4] else w[:-2]]
    if w.endswith("ing"):
        stems += [w[:-3], w[:-3] + "e", w[:-4] if len(w) > 5 and w[-4] == w[-5] else w[:-3]]
    if w.endswith(("er", "ly")):
        stems.append(w[:-2])
    if "iz" in w:
        stems.append(w.replace("iz", "is"))
    return any(len(s) > 2 and s in words for s in stems)
