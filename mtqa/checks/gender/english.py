"""The English side: what fixes a person's gender, and which person a noun refers to.

* ``cues``: pronouns (she/her/hers/herself, he/him/his/himself) and titles before a name (Mrs, Ms,
  Miss, Mr, Sir);
* ``person_gender``: the gender of the sentence's person when every cue agrees, else unknown;
* ``nouns``: the person nouns of ``gender.yaml`` found in the sentence (actress, teacher, king);
* ``linked``: whether a noun refers to the sentence's person (a copula or ``as`` before it, the start
  of the sentence or a clause, a title before a name) rather than to someone else (``her husband``,
  ``married the actor``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtqa.checks.gender.data import GenderData

_TOKEN = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")
FEMININE = frozenset({"she", "her", "hers", "herself"})
MASCULINE = frozenset({"he", "him", "his", "himself"})
TITLES = {"mrs": "f", "ms": "f", "miss": "f", "mr": "m", "sir": "m"}
DETERMINERS = frozenset({"a", "an", "the", "this", "that"})
POSSESSIVES = frozenset({"his", "her", "their", "its", "my", "our", "your", "whose"})
COPULAS = frozenset({
    "is", "was", "were", "be", "been", "being", "became", "become", "becomes", "becoming", "as", "remains",
    "remained", "named", "appointed", "elected", "nominated", "crowned", "and", "or", "am", "are", "she's",
    "he's", "i'm", "who's", "who",
})
MODIFIERS = frozenset({
    "first", "former", "new", "then", "also", "famous", "young", "leading", "senior", "chief", "deputy", "acting",
    "head", "lead", "top", "renowned", "noted", "great", "only", "best", "successful", "professional", "talented",
    "local", "retired", "late", "future", "second", "third", "last", "next", "old", "elder", "eldest", "youngest",
    "skilled", "capable", "accomplished", "still", "now", "later", "once", "already", "even", "never", "ever", "prominent", "popular", "award-winning", "well-known", "female", "male",
})
SEX_MODIFIERS = {"female": "f", "woman": "f", "women": "f", "lady": "f", "girl": "f", "male": "m", "boy": "m"}
NEUTER = frozenset({"it", "its", "itself"})
GENDER_WORD = {"f": "a woman", "m": "a man"}


@dataclass(frozen=True)
class Token:
    text: str
    low: str
    start: int
    end: int


@dataclass(frozen=True)
class Cue:
    gender: str  # "m" | "f"
    start: int
    end: int
    text: str
    note: str = ""  # where the gender comes from, when not the word itself (a glossary entry)


@dataclass(frozen=True)
class Noun:
    """An English person noun of the data: its token span and its entries with their gender."""

    first: int  # token index
    last: int
    start: int
    end: int
    text: str
    entries: tuple[tuple[int, str | None], ...]


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.group().lower().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def cues(text: str, toks: list[Token] | None = None) -> list[Cue]:
    """The pronouns and titles that fix a person's gender."""
    toks = tokens(text) if toks is None else toks
    out: list[Cue] = []
    for i, t in enumerate(toks):
        g = "f" if t.low in FEMININE else "m" if t.low in MASCULINE else None
        if g is None and t.low in TITLES and t.text[0].isupper() and i + 1 < len(toks) and toks[i + 1].text[0].isupper():
            g = TITLES[t.low]
        if g is not None:
            out.append(Cue(g, t.start, t.end, t.text))
    return out


def person_gender(found: list[Cue]) -> tuple[str | None, Cue | None]:
    """The gender every cue agrees on, with the first cue as evidence; (None, None) when there is
    no cue or the cues disagree (two people, or more)."""
    genders = {c.gender for c in found}
    if len(genders) != 1:
        return None, None
    return found[0].gender, found[0]


def has_neuter(toks: list[Token]) -> bool:
    return any(t.low in NEUTER or t.low == "it's" for t in toks)


def quoted(text: str) -> list[tuple[int, int]]:
    """The spans of the English between quotation marks (straight or curly double quotes)."""
    return [(m.start(), m.end()) for m in re.finditer(r"“[^”]*”?|\"[^\"]*\"?", text)]


PREPOSITIONS = frozenset({"with", "for", "to", "of", "by", "about", "from", "without", "against", "like", "than", "on",
                          "behind", "beside", "besides", "around", "toward", "towards", "near", "unlike", "alongside"})
# prepositions French renders with a stressed pronoun (avec elle, pour elle, derrière elle), and the
# words after which ``her`` is an object, not a possessive (with her for years, behind her in the vote)
STRESSED = frozenset({"with", "for", "without", "against", "like", "than", "behind", "beside", "around", "toward",
                      "towards", "near", "unlike", "alongside"})
NOT_NOUN = frozenset({
    "to", "in", "on", "at", "and", "or", "for", "from", "when", "because", "after", "before", "as", "but", "that",
    "who", "if", "since", "until", "while", "during", "about", "into", "by", "with", "again", "too", "last", "this",
    "yesterday", "today", "now", "then", "there", "here", "through", "over", "against", "without", "all", "throughout",
})
REFLEXIVE = {"f": "herself", "m": "himself"}


def pronoun_count(toks: list[Token], gender: str, text: str = "") -> int:
    """The English pronouns of ``gender`` that French renders by il/elle/lui: subjects (she, he)
    and objects after a preposition at the end of a clause (with her, for him), or before a word
    that cannot be a noun (with her for years)."""
    subject, obj = ("she", "her") if gender == "f" else ("he", "him")

    def object_pronoun(i: int) -> bool:
        if toks[i].low != obj or i == 0 or toks[i - 1].low not in PREPOSITIONS:
            return False
        if gender == "m" or i + 1 == len(toks) or _boundary(text, toks[i].end, toks[i + 1].start + 1):
            return True
        return toks[i - 1].low in STRESSED and toks[i + 1].low in NOT_NOUN

    return sum(1 for i, t in enumerate(toks) if t.low == subject or object_pronoun(i))


def nouns(toks: list[Token], text: str, data: GenderData) -> list[Noun]:
    """The data's English person nouns, longest match first (``head of state`` before ``head``)."""
    out: list[Noun] = []
    i = 0
    while i < len(toks):
        for n in range(min(data.longest_english, len(toks) - i), 0, -1):
            key = tuple(t.low for t in toks[i:i + n])
            hits = list(data.english.get(key, []))
            if n == 1 and key[0].endswith("'s"):
                hits += data.english.get((key[0][:-2],), [])
            if hits:
                a, b = toks[i].start, toks[i + n - 1].end
                g = SEX_MODIFIERS.get(toks[i - 1].low) if i else None  # a female heir, a woman president
                entries = tuple((e, eg or g) for e, eg in hits)
                out.append(Noun(i, i + n - 1, a, b, text[a:b], entries))
                i += n - 1
                break
        i += 1
    return out


def _boundary(text: str, a: int, b: int) -> bool:
    """Punctuation between two tokens (a clause or apposition boundary)."""
    return any(c in ",;:()—–\"“”.!?" for c in text[a:b])


def linked(toks: list[Token], text: str, noun: Noun) -> bool:
    """Whether ``noun`` names the sentence's person: a copula, ``as``, a determiner at the start of a
    clause, or nothing at all stands before it (within four words); a capitalised title mid-sentence
    belongs to the name after it. A possessive before it (``her husband``) or a verb (``married the actor``) is
    someone else."""
    if toks[noun.first].text[0].isupper() and noun.first > 0:
        return False  # a title before a name (President Trump) or part of a name (Companion of the Order)
    j = noun.first - 1
    for _ in range(4):  # back to a determiner over any adjectives (a freelance artist)
        if j < 0 or _boundary(text, toks[j].end, toks[j + 1].start) or toks[j].low in COPULAS:
            break
        if toks[j].low in POSSESSIVES or toks[j].low.endswith("'s"):
            return False
        if toks[j].low in DETERMINERS:
            return _clause_head(toks, text, j - 1)
        j -= 1
    return _clause_head(toks, text, noun.first - 1)


def _clause_head(toks: list[Token], text: str, j: int) -> bool:
    """Whether what stands before token ``j + 1`` opens the person's noun phrase: the start of
    the sentence or a clause, or a copula (``as``, ``was``, ``became``), over modifiers and adverbs
    (also, then, first)."""
    for _ in range(4):
        if j < 0 or _boundary(text, toks[j].end, toks[j + 1].start):
            return True
        low = toks[j].low
        if low in COPULAS:
            return True
        if low in POSSESSIVES or low.endswith("'s"):
            return False
        if not (toks[j].text[0].isupper() or low in MODIFIERS or low.endswith(("ly", "ist", "ive", "ful", "ous"))):
            return False  # a verb or a preposition: the noun is its object, someone else
        j -= 1
    return False
