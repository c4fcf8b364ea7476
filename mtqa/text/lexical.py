"""Shared lexical matching for the lexical-knowledge checks (sense, names, calques):
English headword inflections, French renderings matched through inflection and elision,
leftmost-longest hit lists.

Hand-written: no English/French morphology library ships offline in the core install, and
news headwords only need plural, 3rd person, past and -ing forms (English) and
plural/feminine/conjugated forms (French).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

from mtqa.checks.data import LazyRegex, Record, generated_regex
from mtqa.model import SEVERITIES

APOS = "['’ʼ]"


def lower_severity(sev: str, steps: int = 1) -> str:
    return SEVERITIES[max(0, SEVERITIES.index(sev) - steps)]


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


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
    alts = "" if not extra else "|" + "|".join(re.escape(e) for e in extra)
    return r"(?:" + head + r"\s+" + rest + alts + r")(?![\w-])"


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


def _fr_word(word: str) -> str:
    """One French word with its inflections: plural/feminine for nouns and adjectives, and for a
    verb infinitive (-er/-ir/-re) its regular conjugated forms."""
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


def french_regex(rendering: str) -> str:
    """Regex source for a French rendering, matched through inflection and elision.

    ``re:PATTERN`` is used as is. Otherwise words are separated by blanks or apostrophes
    (``l'écart`` matches ``l’écart``); each word matches its inflected forms."""
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
                out.append(_fr_word(tok))
    return r"(?<![\w])" + "".join(out) + r"(?![\w])"


def compile_list(items: list, rec: Record, field: str, builder) -> list[tuple[str, re.Pattern | LazyRegex]]:
    """``builder`` (``french_regex``, ``cue_regex``) applied to each item; ``re:`` items are compiled
    now, the generated patterns on first use."""
    if not isinstance(items, list) or not all(isinstance(x, str) and x.strip() for x in items):
        raise rec.error(f"field '{field}' must be a list of non-empty strings")
    return [(x, generated_regex(builder(x), x.startswith("re:"), rec, field)) for x in items]


def find_all(patterns: list[tuple[str, re.Pattern | LazyRegex]], text: str) -> list[tuple[str, int, int]]:
    """(label, start, end) of every match of every pattern, leftmost-longest, no overlaps.

    A pattern with a group named ``span`` reports only that group (``a été (?P<span>chargé) de``:
    the context around a false friend is not part of the error)."""
    hits = []
    for label, rx in patterns:
        for m in rx.finditer(text):
            start, end = m.span("span") if "span" in m.re.groupindex and m.group("span") is not None else m.span()
            if end > start:
                hits.append((label, start, end))
    hits.sort(key=lambda h: (h[1], -(h[2] - h[1])))
    out: list[tuple[str, int, int]] = []
    for h in hits:
        if out and h[1] < out[-1][2]:
            continue
        out.append(h)
    return out


def is_mid_sentence_capital(text: str, start: int) -> bool:
    """True when the word at ``start`` is capitalised and not at the start of a sentence/quote,
    i.e. is most likely part of a name (``Shell``, ``Strike Force``)."""
    if not text[start : start + 1].isupper():
        return False
    before = text[:start].rstrip(" \t\"'“‘«(\u00a0\u202f")
    return bool(before) and before[-1] not in ".!?:;\n—–-"


def _bigrams(word: str) -> set[str]:
    return {word[i : i + 2] for i in range(len(word) - 1)}


# French transliteration habits (Bashar → Bachar, Zhukov → Joukov, Yulia → Ioulia) undone on both
# sides before comparing.
_TRANSLIT = (("sh", "ch"), ("zh", "j"), ("kh", "h"), ("ou", "u"), ("y", "i"), ("w", "v"), ("-", ""), ("'", ""), ("’", ""))


@lru_cache(maxsize=1 << 16)
def _translit(word: str) -> str:
    w = strip_accents(word).lower()
    for a, b in _TRANSLIT:
        w = w.replace(a, b)
    return w


def close_spelling(a: str, b: str) -> bool:
    """True when two spellings of a name are the same up to case, accents, a short suffix or a
    transliteration variant (``Zelenskyy``/``Zelensky``, ``Pentagon``/``Pentagone``,
    ``Kharkiv``/``Kharkov``). Compares bigram overlap (Dice), cheap enough for every token."""
    x, y = _translit(a), _translit(b)
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) < 4 or len(long_) - len(short) > 3:
        return False
    if long_.startswith(short):
        return True
    if len(short) < 5:
        return False
    bx, by = _bigrams(x), _bigrams(y)
    return 2 * len(bx & by) / (len(bx) + len(by)) >= 0.65


@cache
def english_dictionary() -> frozenset[str]:
    """Lower-case English dictionary words (the GCIDE word list of the ``english-words`` package):
    tells a capitalised common word ("Fire", "Embassy") from a name ("Axios", "Merz")."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["gcide"], alpha=True, lower=True))


def is_english_word(word: str) -> bool:
    """True when ``word`` or its stem (plural, past, -ing) is an English dictionary word."""
    w = word.lower()
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
    if w.endswith("er") or w.endswith("ly"):
        stems.append(w[:-2])
    if "iz" in w:
        stems.append(w.replace("iz", "is"))
    return any(len(s) > 2 and s in words for s in stems)


try:  # Python ≥ 3.11
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]


def _required(tokens) -> frozenset[str] | None:
    """Strings one of which occurs in every match of the parsed pattern (None: no such set)."""
    candidates: list[frozenset[str]] = []
    run = ""
    for op, av in tokens:
        if op is _sre_c.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append(frozenset([run]))
            run = ""
        if op is _sre_c.SUBPATTERN:
            sub = _required(av[-1])
            if sub:
                candidates.append(sub)
        elif op is _sre_c.BRANCH:
            alts = [_required(a) for a in av[1]]
            if all(alts):
                candidates.append(frozenset().union(*alts))
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and av[0] >= 1:
            sub = _required(av[2])
            if sub:
                candidates.append(sub)
    if run:
        candidates.append(frozenset([run]))
    if not candidates:
        return None
    return max(candidates, key=lambda c: min(len(s) for s in c))


def required_literals(pattern: str) -> frozenset[str] | None:
    """Lower-case strings one of which must occur in a text for ``pattern`` to match anywhere in it
    (``None`` when the pattern has no such literal). A cheap prefilter before running many regexes
    over many segments: ``any(k in text.lower() for k in keys)``. Hand-written: the standard
    library exposes no literal-factor extraction."""
    try:
        keys = _required(_sre_parse.parse(pattern))
    except Exception:  # noqa: BLE001 - a pattern the parser cannot walk just gets no prefilter
        return None
    if not keys or min(len(k) for k in keys) < 2:
        return None
    return frozenset(k.lower() for k in keys)


class LiteralPrefilter:
    """Which of many patterns can match a text, from the literals each one needs
    (``required_literals``).

    ``candidates(text)`` returns the indexes of the patterns worth running, in order: those with
    no literal (always run) and those one of whose literals occurs in the lower-cased text."""

    def __init__(self, keys: list[frozenset[str] | None]) -> None:
        self.always = [i for i, k in enumerate(keys) if not k]
        self.by_key: dict[str, list[int]] = {}
        for i, ks in enumerate(keys):
            for k in ks or ():
                self.by_key.setdefault(k, []).append(i)
        self.items = list(self.by_key.items())

    def candidates(self, text: str) -> list[int]:
        low = text.lower()
        found = set(self.always)
        for k, idx in self.items:  # a substring test per distinct literal: fast C-level search
            if k in low:
                found.update(idx)
        return sorted(found)


def trie_regex(words: Iterable[str]) -> str:
    """One regex source matching any of ``words`` (longest first), factored as a character trie so
    that a list of hundreds of names is tried in one pass per position, not one alternative at a
    time. A space in a word matches any run of white space."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    return emit(trie)
