"""Untranslated text: English spans left in the French.

lingua (restricted to EN/FR, ``mtqa.text.langid``) is unreliable on one to three words, so a span is
flagged only when word-level evidence agrees with it:

* strong evidence — an English function word or common news word that is not French (``the``,
  ``with``, ``outlet``), or an English acronym that has a French form (``US`` → É.-U./américain);
* evidence — a word lingua scores as English that is copied from the aligned source
  (``Outlet`` ← ``outlet``) or has English morphology (``-ing``, ``-ly``, ``-ness``…).

Words are grouped into runs (separated by spaces or hyphens only); a French word breaks a run.
Names are protected: a capitalised word the source writes the same way (``Axios``, ``Reuters``) is
never evidence and is trimmed from a run's ends; a name or title phrase copied from the source
(``Marcel the Shell with Shoes On``), URLs, e-mail addresses, @handles, numbers and quoted titles
(a quotation whose words are capitalised) are ignored. A run is flagged when lingua scores the
whole run as English too; a run of two words needs an English function word (``bad bank``,
``melting pot`` are loans), and a lone word is reported only when it is an English acronym with a
French form (``US``): lone loanwords (``tests``, ``trading``) are French usage. Word lists are data: ``mtqa/data/untranslated.yaml``.

With Grammalecte (``mtqa.checks.grammar``), a lone word is also flagged *by lexicon*: a word of the
MT that Grammalecte's French lexicon (graphspell) does not know, that is an English dictionary word
(GCIDE, with inflections; camel-case parts when markup glued two words; a closed compound of two
common English words French does not use, ``handguard``) and that the aligned source contains. Lower-case words are major (``handles``). A capitalised word (mostly names and brands)
is flagged, minor, only when it is a common English word much rarer in French and the source's
capitalised phrase it comes from was only partly translated (Lifetime Warranty → garantie Warranty
à vie): a name or title kept whole is not. Acronyms are not flagged. Words with digits (model
numbers), URLs, names or titles copied from the source and quoted titles are masked as above.
Measured on WMT20 train by ``bench/grammar_untranslated.py``.

After these rules, a *learned* token classifier (``mtqa.checks.untranslated_learned``: logistic
regression, weights in ``mtqa/data/untranslated_model.json``, trained by
``bench/untranslated_learn.py``) scores the unknown source words the rules left, and flags (minor)
those at or above its threshold. It only sees English words the source has whose every part is in
the source, never acronyms, lower-case loans, masked spans, or capitals in a name context or kept
whole from a source name (``learned_eligible``). One finding per word: it skips words the rules took.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from mtqa.checks.base import Check, CheckContext
from mtqa.checks.grammar import document_analysis
from mtqa.checks.untranslated_learned import Lookups, source_words
from mtqa.checks.untranslated_learned import candidates as untranslated_candidates
from mtqa.checks.untranslated_learned import features as token_features
from mtqa.checks.untranslated_learned import load_model as learned_model
from mtqa.errors import ConfigError
from mtqa.model import Finding, Segment
from mtqa.ruledata import packaged_path, packaged_table
from mtqa.text.langid import english_confidence
from mtqa.text.matching import fold
from mtqa.text.morphology import is_english_word

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:-[^\W\d_]+)*")  # l’American → l, American
# A name or title in the source: capitalised words, possibly joined by short lowercase words
# ("Marcel the Shell with Shoes On", "American Academy of Pediatrics", "The Next Day").
_NAME_PHRASE = re.compile(
    r"[A-Z][\w'’.-]*(?:\s+(?:(?:of|the|and|for|with|on|in|at|against|a|an|to|&)\s+)*[A-Z][\w'’.-]*)+"
)
_MASK = re.compile(
    r"\b(?:https?|ftp)://\S+|\bwww\.\S+|\S+@\S+\.\w+|[@#][\w.]+|\d[\d.,:/\u00a0\u202f ]*\d|\d"
)
# Code left in the text (inline CSS from product pages: "text-indent: 0; border: 1px solid"): not language.
_CSS = re.compile(r"(?<![\w-])([a-z][a-z-]*[a-z])[\s\u00a0\u202f]*:[^;:\"<>{}\n]{1,60}(?:;|(?=[\"}]))")
_TAG = re.compile(r"<[^<>\n]{1,200}>")
_QUOTED = re.compile(r"«([^«»]{1,120})»|“([^“”]{1,120})”|\"([^\"]{1,120})\"")
_GAP_OK = re.compile(r"^[ \u00a0\u202f\-]+$")

SINGLE_WORD_CONF = 0.85  # lingua EN confidence for a capitalised copied word to count as evidence
RUN_CONF = 0.70  # lingua EN confidence for a run of words
MORPH_CONF = 0.90  # lingua EN confidence for a word whose only evidence is its ending
WHOLE_CONF = 0.95  # lingua EN confidence for a whole segment left in English
WHOLE_MIN_WORDS = 5


@dataclass(frozen=True)
class Lexicon:
    words: frozenset[str]
    acronyms: dict[str, str]
    suffixes: tuple[str, ...]
    acronym_after_ok: frozenset[str] = frozenset()
    css_properties: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = packaged_table("untranslated.yaml")
    try:
        words = frozenset(w.lower() for w in data["english_words"])
        acronyms = {str(k): str(v) for k, v in data["acronyms"].items()}
        suffixes = tuple(s.lower() for s in data["suffixes"])
        after_ok = frozenset(str(w).lower() for w in data.get("acronym_after_ok", []))
        css = frozenset(str(w).lower() for w in data.get("css_properties", []))
    except (KeyError, TypeError, AttributeError) as e:
        raise ConfigError(f"{packaged_path('untranslated.yaml')}: expected english_words, acronyms and suffixes ({e})") from None
    return Lexicon(words, acronyms, suffixes, after_ok, css)


@dataclass
class Tok:
    text: str
    start: int
    end: int
    kind: str  # strong | evidence | en | neutral | name | fr
    hint: str | None = None


def _name_phrases(source: str) -> set[str]:
    """Name/title phrases of the source and their sub-phrases that start and end with a capital
    ("Following The Next Day" → "The Next Day"; "Former News of the World" → "News of the World")."""
    out: set[str] = set()
    for m in _NAME_PHRASE.finditer(source):
        words = m.group().rstrip(".").split()
        caps = [i for i, w in enumerate(words) if w[:1].isupper()]
        for a in caps:
            for b in caps:
                if b > a:
                    out.add(" ".join(words[a : b + 1]))
    return out


@lru_cache(maxsize=1 << 13)  # re's own cache holds 512: a batch of systems shares its source's phrases
def _phrase_regex(phrase: str) -> re.Pattern:
    pat = r"[\s\u00a0\u202f]+".join(re.escape(w) for w in phrase.split())
    return re.compile(r"(?<!\w)" + pat + r"(?!\w)", re.IGNORECASE)


def _masked_ranges(text: str, source: str = "") -> list[tuple[int, int]]:
    ranges = [(m.start(), m.end()) for m in _MASK.finditer(text)]
    ranges += [(m.start(), m.end()) for m in _TAG.finditer(text)]
    ranges += [(m.start(), m.end()) for m in _CSS.finditer(text) if m.group(1) in lexicon().css_properties]
    folded = fold(text)
    for phrase in _name_phrases(source):
        if not all(fold(w) in folded for w in phrase.split()):
            continue  # a word is missing, so no match: most phrases, and a regex each cost seconds per run
        for hit in _phrase_regex(phrase).finditer(text):
            ranges.append((hit.start(), hit.end()))  # a name or title copied from the source
    for m in _QUOTED.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        words = [w for w in re.findall(r"[^\W\d_]+", inner) if len(w) >= 3]
        if words and sum(w[0].isupper() for w in words) * 3 >= len(words) * 2:
            ranges.append((m.start(), m.end()))  # a title: "Breaking Bad", « The Crown »
    return ranges


# A sentence-long segment (≤ FRENCH_MAX_CHARS from its first to its last word) whose words are
# French one by one in this share or more is not tested as a whole English sentence: lingua's
# first call loads its models (1.5 s), and most one-story runs need it for nothing else. Measured
# (bench/startup.py, README there): on 11,796 segments (WMT20 QE train MT, newstest2014's
# reference, the dev stories) no finding changes; long mixed segments of markup and English
# (500+ characters) did change with no length limit, and so did a share of 1/2.
FRENCH_SHARE = 0.6
FRENCH_MAX_CHARS = 300


def mostly_french(words: list[tuple[re.Match, str, str | None]]) -> bool:
    """A sentence-long segment with most of its words scored French one by one (see FRENCH_SHARE)."""
    if not words or words[-1][0].end() - words[0][0].start() > FRENCH_MAX_CHARS:
        return False
    return sum(k == "fr" for _, k, _ in words) >= FRENCH_SHARE * len(words)


class _Classifier:
    def __init__(self, source: str) -> None:
        self.lex = lexicon()
        self.source_words = {m.group() for m in _TOKEN.finditer(source)}
        self.source_lower = {w.lower() for w in self.source_words}

    def kind(self, word: str) -> tuple[str, str | None]:
        lex = self.lex
        if len(word) < 2:
            return ("amb" if word in ("a", "I") else "fr"), None  # "a" is English and French
        low = word.lower()
        capital = word[:1].isupper()
        if capital and word in self.source_words and low not in lex.words:
            return "name", None  # written the same way in the source: a protected name
        if word in lex.acronyms or (word.replace(".", "") in lex.acronyms and word.isupper()):
            return "strong", lex.acronyms.get(word) or lex.acronyms.get(word.replace(".", ""))
        if word.isupper() and len(word) > 1:
            return "neutral", None  # an acronym: a name of its own
        if low in lex.words and (not capital or low in self.source_lower):
            return "strong", None
        conf = english_confidence(low)
        copied = low in self.source_lower
        if copied and conf >= 0.6:
            return ("evidence" if conf >= SINGLE_WORD_CONF or not capital else "en"), None
        if conf >= MORPH_CONF and len(low) > 4 and low.endswith(lex.suffixes):
            return "evidence", None
        if capital:
            return "neutral", None
        if conf >= 0.6:
            return "en", None
        if conf >= 0.4:
            return "amb", None  # conversation, production: as English as French
        return "fr", None


def _runs(toks: list[Tok], text: str) -> list[list[Tok]]:
    runs: list[list[Tok]] = []
    cur: list[Tok] = []
    for t in toks:
        joinable = t.kind != "fr"
        if cur and (not joinable or not _GAP_OK.match(text[cur[-1].end : t.start] or "-")):
            runs.append(cur)
            cur = []
        if joinable:
            cur.append(t)
    if cur:
        runs.append(cur)
    out = []
    for run in runs:
        while run and run[0].kind in ("name", "neutral", "amb"):
            run = run[1:]
        while run and run[-1].kind in ("name", "neutral", "amb"):
            run = run[:-1]
        if run:
            out.append(run)
    return out


def _source_span(source: str, words: list[str]) -> tuple[str, int | None, int | None]:
    spans = []
    for w in words:
        if w.replace(".", "").isupper() and len(w.replace(".", "")) <= 4:
            pat = r"\.?".join(re.escape(c) for c in w.replace(".", "")) + r"\.?"
        else:
            pat = re.escape(w)
        m = re.search(r"(?<!\w)" + pat + r"(?!\w)", source, re.IGNORECASE)
        if m:
            spans.append((m.start(), m.end()))
    if not spans:
        return "", None, None
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    if end - start > 80:
        start, end = spans[0]
    return source[start:end], start, end


def _tokens(words: list[tuple[re.Match, str, str | None]], masked: list[tuple[int, int]], lex: Lexicon) -> list[Tok]:
    """The classified words as tokens; a masked word (URL, number, copied name, quoted title)
    becomes French, so that it breaks a run."""
    toks: list[Tok] = []
    for m, kind, hint in words:
        if any(a <= m.start() < b for a, b in masked):
            toks.append(Tok(m.group(), m.start(), m.end(), "fr"))  # breaks a run
            continue
        if hint and toks and toks[-1].text.lower() in lex.acronym_after_ok:
            kind, hint = "neutral", None  # "dollars US"
        toks.append(Tok(m.group(), m.start(), m.end(), kind, hint))
    return toks


# Measured on WMT20 train (bench/grammar_untranslated.py): lower-case words are precise enough for
# major; capitalised ones (mostly product and brand names there) only from a partly translated
# source phrase (minor: "capitalised" mid-sentence, "partial" next to other capitals); acronyms not.
# A lower-case word whose source has it only with capitals inside a sentence (Kenyan media → les
# médias kenyans, LEDs → des leds, the World Bank's → la bank) was respelled the French way, not
# copied, or a short quoted term is a loan cited as such (la « bad bank »): "adapted", minor.
LEXICON_SEVERITY = {"lower": "major", "capitalised": "minor", "adapted": "minor", "partial": "minor"}
# Word frequencies (wordfreq, Zipf scale: 3 = once per million words). A lower-case word French
# uses as often as this (emails, bank, park, stats) is a loan, not a word left untranslated; a
# capitalised word is flagged only when it is a common English word (zipf >= CAP_EN) far rarer in
# French (by CAP_GAP or CAP_ALONE_GAP): Warranty, Cleaner; names and brands (Thule, Osprey) are rarer.
FR_USED = 3.3
LOAN_GAP = 1.0
CAP_EN = 3.5
CAP_GAP = 1.5  # next to other capitals, kept from a partly translated title ("partial"): precision 0.80
CAP_ALONE_GAP = 2.0  # alone mid-sentence ("capitalised"): 0.85 (0.66 at CAP_GAP)
# a word no dictionary lists still counts as English when wordfreq finds it this often in English
# and hardly ever in French
EN_FREQUENT = 2.0
FR_UNUSED = 1.0
# each half of a closed compound no dictionary lists (hand+guard): a common English word (Zipf)
# more frequent in English than in French by this much
COMPOUND_EN = 3.5
COMPOUND_GAP = 0.5
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def lexicon_branch(word: str) -> str:
    """lower (handles), capitalised (Rubberized) or acronym (USB)."""
    if len(word) > 1 and word.isupper():
        return "acronym"
    return "capitalised" if word[:1].isupper() else "lower"


def _parts(word: str) -> list[str]:
    """The words of a token: its hyphen parts, each split at camel case when markup lost a space
    ("poundsBlue"); an acronym glued to a word by markup ("displayLCD") is left out."""
    parts = [p for part in word.split("-") for p in (_CAMEL.findall(part) if not part.isupper() else [part])]
    words = [p for p in parts if not (p.isupper() and len(p) > 1)]  # "systemA": a glued sentence, kept
    return words if words and len(words) < len(parts) and not word.isupper() and "-" not in word else parts


def source_parts(source_lower: set[str]) -> set[str]:
    """The source's lower-case words and the parts of its glued or hyphenated ones."""
    return source_lower | {p.lower() for w in source_lower for p in re.split(r"-", w) if p}


def _in_source(low: str, source_lower: set[str]) -> bool:
    return low in source_lower or low + "s" in source_lower or (low.endswith("s") and low[:-1] in source_lower)


def lexicon_word(word: str, source_lower: set[str], lex_words: frozenset[str]) -> bool:
    """An English word (GCIDE, with its inflections, or mtqa's list) copied from the source; a
    camel-case run counts when every part is English and one is in the source."""
    parts = [p.lower() for p in _parts(word)]
    if not parts or any(len(p) < 2 for p in parts):
        return False
    if not all(p in lex_words or is_english_word(p) or _english_by_frequency(p) or english_compound(p) for p in parts):
        return False
    return any(_in_source(p, source_lower) for p in parts)


@lru_cache(maxsize=1 << 14)
def zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency  # imported on the first lookup: most segments never need one

    return float(zipf_frequency(word.lower(), lang))


def _english_by_frequency(word: str) -> bool:
    """A word newer than the dictionary (mopeds, smartphones): frequent in English, unused in French."""
    return zipf(word, "en") >= EN_FREQUENT and zipf(word, "fr") < FR_UNUSED


def english_compound(word: str) -> bool:
    """A closed compound no dictionary lists (handguard, kicktail, levelwind): two common English
    words, each much more frequent in English than in French, and the whole hardly ever in French
    (shutdown, airsoft are French usage)."""
    if len(word) < 7 or zipf(word, "fr") >= FR_UNUSED:
        return False
    for k in range(3, len(word) - 2):
        a, b = word[:k], word[k:]
        if all(zipf(x, "en") >= COMPOUND_EN and zipf(x, "en") - zipf(x, "fr") >= COMPOUND_GAP
               and is_english_word(x) for x in (a, b)):
            return True
    return False


def frequency_verdict(parts: list[str], branch: str) -> bool:
    """Whether the word frequencies of a lexicon word's parts agree that it is English left as is:
    not a loan French uses (lower case), a common English word rare in French (capitalised)."""
    freqs = [(zipf(p, "en"), zipf(p, "fr")) for p in parts]
    if branch == "lower":
        return not all(fr >= FR_USED and en - fr < LOAN_GAP for en, fr in freqs)
    if branch in ("capitalised", "partial"):
        gap = CAP_ALONE_GAP if branch == "capitalised" else CAP_GAP
        return all(en >= CAP_EN and en - fr >= gap for en, fr in freqs)
    return False


def case_adapted(word: str, source: str) -> bool:
    """A lower-case MT word whose every source occurrence (or its singular/plural) has capitals and
    one sits inside a sentence: the French respelled it (a nationality adjective, an acronym's plural)."""
    if not word.islower():
        return False
    stem = re.escape(word[:-1] if word.endswith("s") else word)
    hits = list(re.finditer(rf"\b{stem}s?\b", source, re.IGNORECASE))
    return bool(hits) and not any(m.group().islower() for m in hits) and any(
        not _SENTENCE_START.search(source[: m.start()]) for m in hits)


# a short quotation (one to three words): French quotes a term it borrows (la « bad bank »)
_QUOTED_TERM = re.compile(r"[\"“«]\s*[^\W\d_]+(?:[\s\u00a0'’-]+[^\W\d_]+){0,2}\s*[\"”»]")


def quoted_term(text: str, start: int, end: int) -> bool:
    """True when the word is inside a quoted term of one to three words: a loan cited as such."""
    return any(m.start() < start and end < m.end() for m in _QUOTED_TERM.finditer(text))


def lexicon_words(seg: Segment, unknown: list[tuple[int, int]], masked: list[tuple[int, int]],
                  clf: _Classifier) -> list[tuple[int, int, str]]:
    """(start, end, branch) of the unknown words that are English words copied from the source,
    without acronyms, words with digits, and masked spans (URLs, copied names and titles, quoted titles)."""
    out = []
    src = source_parts(clf.source_lower | {p.lower() for w in clf.source_words for p in _parts(w)})
    for start, end in unknown:
        word = seg.mt[start:end]
        if not _WORD.fullmatch(word) or len(word) < 3 or any(a <= start < b for a, b in masked):
            continue  # digits (a model number), punctuation, a name or title copied from the source
        if start > 0 and (seg.mt[start - 1].isdigit() or seg.mt[start - 1] in "-_/@#."):
            continue  # part of a model number or a handle: "X-Wing", "@handles"
        if not lexicon_word(word, src, clf.lex.words):
            continue
        branch = lexicon_branch(word)
        if branch == "capitalised":
            if not partly_translated(word, seg.source, seg.mt):
                continue  # a name, a brand, or a capital that says nothing
            if in_name_context(seg.mt, start, end):
                branch = "partial"  # next to other capitals: the kept part of a title
        if branch in LEXICON_SEVERITY and frequency_verdict(_parts(word), branch):
            adapted = case_adapted(word, seg.source) or quoted_term(seg.mt, start, end)
            out.append((start, end, "adapted" if branch == "lower" and adapted else branch))
    return out


# A capitalised phrase of the source (a product title, a name): two or more capitalised words,
# possibly joined by short lower-case words ("Lifetime Warranty", "Swiss Army Knife", "Bag of Holding").
START_COMMON = 5.5  # Zipf: our, this, your
_LINKS = ("of", "the", "and", "for", "with", "on", "in", "at", "a", "an", "to")
_CAP_PHRASE = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+(?:(?:" + "|".join(_LINKS) + r"|&)[ \t]+)*[A-Z][\w'’-]*)+")
_LETTERS = re.compile(r"[^\W\d_]+")


def partly_translated(word: str, source: str, mt: str) -> bool:
    """True when the word belongs to a capitalised phrase of the source that the MT kept only in
    part: one of the phrase's other capitalised words is missing from the MT, so it was translated
    (Lifetime Warranty → garantie Warranty à vie). A name kept whole is not partly translated."""
    low = word.lower()
    mt_words = {w.lower() for w in _LETTERS.findall(mt)}
    for m in _CAP_PHRASE.finditer(source):
        words = [(w.start(), w.group()) for w in _LETTERS.finditer(m.group())]
        if _SENTENCE_START.search(source[: m.start()]) and zipf(words[0][1], "en") >= START_COMMON:
            words = words[1:]  # a common word capitalised by its place only (Our Warranty)
        caps = [w.lower() for _, w in words if w[:1].isupper() and len(w) >= 3 and w.lower() not in _LINKS]
        if len(caps) >= 2 and low in caps and any(w not in mt_words for w in caps):
            return True
    return False


_PREV_WORD = re.compile(r"([^\W\d_]+)[\s\u00a0\u202f-]+$")
_NEXT_WORD = re.compile(r"^[\s\u00a0\u202f-]+([^\W\d_]+)")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…]|[«“\"(—–])[\s\u00a0\u202f]*$")


def in_name_context(text: str, start: int, end: int) -> bool:
    """A capitalised word that starts a sentence or a quotation (Money, Republic), sits next to
    another capitalised word (Flight Centre, Tea Party, The Nation) or is part of a domain
    (HealthCare.gov): the capital says nothing, or the word is part of a name."""
    before, after = text[max(0, start - 40) : start], text[end : end + 40]
    if _SENTENCE_START.search(before) or re.match(r"\.\w", after):
        return True
    prev, nxt = _PREV_WORD.search(before), _NEXT_WORD.match(after)
    return bool((prev and prev.group(1)[:1].isupper()) or (nxt and nxt.group(1)[:1].isupper()))


LOOKUPS = Lookups(zipf, is_english_word, english_confidence, partly_translated)


LEARNED_FR_MAX = 2.0  # Zipf: a word the dictionary lacks that French uses this often is a loan (shutdown 2.4)


def english_part(part: str, capitalised: bool) -> bool:
    """An English word: a capitalised one in the dictionary; a lower-case one also a closed compound
    or any word wordfreq finds this often in English (dimmer)."""
    if capitalised:
        return is_english_word(part)  # wordfreq knows news names (Awlaki) and brands as English
    if is_english_word(part):
        return True
    # no dictionary lists it: a compound (handguard) or a word far more used in English (dimmer,
    # not shutdown, which French uses too)
    return (english_compound(part) or zipf(part, "en") >= EN_FREQUENT) and zipf(part, "fr") < LEARNED_FR_MAX


def learned_eligible(seg: Segment, start: int, end: int, masked: list[tuple[int, int]]) -> bool:
    """Whether the learned classifier may flag this candidate: not masked (URLs, names and titles
    copied from the source, quoted titles), every part an English word found in the source, not a lower-case loan French uses (emails), not a
    capitalised word in a name context (Flight Centre, a sentence start, Warranty.gov)."""
    word = seg.mt[start:end]
    if any(a <= start < b for a, b in masked) or lexicon_branch(word) == "acronym":
        return False
    parts = [p.lower() for p in _parts(word)]
    source = source_words(seg.source)
    capital = any(c.isupper() for c in word)  # al-Maliki, JPMorgan: capitals inside count
    if not all(len(p) >= 2 and p in source and english_part(p, capital) for p in parts):
        return False  # a name (al-Maliki), a handle, or a French half (hong-kongaise)
    if capital:  # a capital kept whole from a source name is a name: only a partly translated one
        return not in_name_context(seg.mt, start, end) and partly_translated(word, seg.source, seg.mt)
    return frequency_verdict(_parts(word), "lower")


class Untranslated(Check):
    id = "untranslated"
    category = "accuracy/untranslated"
    severity = "major"
    doc = (
        "English left in the French: runs of words with English evidence (a function or news word "
        "that is not French, an English acronym with a French form such as US/UN/NATO, or a word copied "
        "from the source that lingua scores as English) that lingua (EN/FR only) also scores as "
        "English as a whole. Protected names (capitalised words written the same in the source), "
        "URLs, numbers, quoted titles and names/titles copied from the source are ignored. A lone word "
        "is reported only when it is an English acronym with a French form (minor); lone loanwords are not. "
        "With Grammalecte, also a lone word its French lexicon does not know, that is English and is in the "
        "source (lower-case: major; a common capitalised word kept from a partly translated source title: "
        "minor; acronyms and names kept whole: not flagged), and a word a learned token classifier scores "
        "above its threshold among the English source words the rules left (minor)."
    )

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        analysis = document_analysis(ctx.adoc, ctx.settings, ctx.resources)
        for seg in ctx.segments:
            if seg.mt.strip() and seg.source.strip():
                a = analysis.get(seg.index) if analysis is not None else None
                yield from self.segment_findings(seg, a.unknown if a is not None else None)

    def segment_findings(self, seg: Segment, unknown: list[tuple[int, int]] | None = None,
                         learned: bool = True) -> list[Finding]:
        """The findings of one segment; ``unknown`` are the spans of the words Grammalecte's lexicon
        does not know (None without Grammalecte: no lexicon branch); ``learned`` adds the learned
        token classifier's words (``untranslated_learned``) after the rules."""
        text = seg.mt
        clf = _Classifier(seg.source)
        words = [(m, *clf.kind(m.group())) for m in _TOKEN.finditer(text)]
        # The word evidence first: lingua on a whole sentence is the slow test, rarely needed.
        whole = self._whole_segment(seg, words)
        if whole is not None:
            return [whole]
        masked = _masked_ranges(text, seg.source)
        out = [f for run in _runs(_tokens(words, masked, clf.lex), text) if (f := self._run_finding(seg, run)) is not None]
        if unknown:
            taken = [(f.mt_start, f.mt_end) for f in out]
            for start, end, branch in lexicon_words(seg, unknown, masked, clf):
                if not any(start < b and a < end for a, b in taken):
                    out.append(self._lexicon_finding(seg, start, end, branch))
            if learned:
                out += self._learned_findings(seg, unknown, masked, out)
        return out

    def _learned_findings(self, seg: Segment, unknown: list[tuple[int, int]], masked: list[tuple[int, int]],
                          found: list[Finding]) -> list[Finding]:
        """The candidates the rules left whose learned score reaches the model's threshold."""
        model = learned_model()
        if model is None:
            return []
        cands = untranslated_candidates(seg.mt, seg.source, unknown)
        taken = [(f.mt_start, f.mt_end) for f in found]
        out = []
        for i, (start, end) in enumerate(cands):
            if any(start < b and a < end for a, b in taken) or not learned_eligible(seg, start, end, masked):
                continue
            p = model.score(token_features(seg.mt, seg.source, cands, i, LOOKUPS))
            severity = model.severity(p)
            if severity is not None:
                word = seg.mt[start:end]
                src, s0, s1 = _source_span(seg.source, [word])
                out.append(self.finding(
                    seg, start, end,
                    f"English word left untranslated: '{word}' (learned score {p:.2f}; source: '{src or word}').",
                    source_text=src, severity=severity, source_start=s0, source_end=s1))
        return out

    def _lexicon_finding(self, seg: Segment, start: int, end: int, branch: str) -> Finding:
        word = seg.mt[start:end]
        src, s0, s1 = _source_span(seg.source, [word])
        return self.finding(
            seg, start, end,
            f"English word left untranslated: '{word}' (not in Grammalecte's French lexicon; source: '{src or word}').",
            source_text=src, severity=LEXICON_SEVERITY[branch], source_start=s0, source_end=s1,
        )

    def _whole_segment(self, seg: Segment, words: list[tuple[re.Match, str, str | None]]) -> Finding | None:
        """A finding over the whole segment when it is an English sentence left as it was."""
        text = seg.mt
        body = text.strip()
        if (len(body.split()) >= WHOLE_MIN_WORDS and sum(k in ("strong", "evidence") for _, k, _ in words) >= 2
                and not mostly_french(words) and english_confidence(body) >= WHOLE_CONF):
            start = len(text) - len(text.lstrip())
            return self.finding(seg, start, start + len(body), "The whole segment is in English (untranslated).",
                                source_text=seg.source.strip(), severity="major")
        return None

    def _run_finding(self, seg: Segment, run: list[Tok]) -> Finding | None:
        """The finding for one run of words with English evidence, if the run is English enough."""
        strong = sum(t.kind == "strong" for t in run)
        evidence = sum(t.kind == "evidence" for t in run)
        if strong + evidence == 0:
            return None
        text = seg.mt
        start, end = run[0].start, run[-1].end
        span = text[start:end]
        n_words = len(run)
        if n_words == 1:
            # A lone word: only an English acronym with a French form (US, UN). Lone copied words
            # are mostly loanwords French uses too (tests, trading, folk, shutdown): not reported.
            if run[0].hint is None:
                return None
        elif strong == 0 and (n_words < 3 or evidence < 2):
            return None  # "bad bank", "melting pot": two-word loans need an English function word
        elif english_confidence(span) < RUN_CONF:  # after the word counts: lingua is the slow test
            return None
        hints = [t.hint for t in run if t.hint]
        src, s0, s1 = _source_span(seg.source, [t.text for t in run])
        msg = f"English left untranslated: '{span}'"
        msg += f" (source: '{src}')." if src else "."
        return self.finding(
            seg, start, end, msg, source_text=src,
            suggestion=(f"{hints[0]}" if hints else None),
            severity="major" if n_words >= 2 else "minor",
            source_start=s0, source_end=s1,
        )
