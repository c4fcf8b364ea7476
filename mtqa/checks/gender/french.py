"""The French side: the words that give a person's gender, each a ``Marker``.

* person nouns of ``gender.yaml`` (acteur/actrice, directeur/directrice), in a position where they
  name a person: after a determiner (with at most two adjectives between), a copula, ``comme``, ``de``
  (``carrière de chanteuse``), or at the start of the sentence or of a clause; a feminine determiner
  before the masculine form (``la chef``, ``une auteur``) makes it feminine;
* epicene nouns (journaliste, ministre) by their determiner: le/un/ce/du/au against la/une/cette;
* past participles and predicative adjectives after a form of être and a name (« Cook est
  apparue », « Cook est heureuse ») or il/elle (« elle est arrivé »: judged against the pronoun);
* the subject pronouns il/elle (impersonal ``il`` aside: il y a, il faut, il est possible de…),
  the stressed ``lui`` after a preposition or ``c'est`` (not the clitic of ``pour lui dire``) and
  lui-même/elle-même (``emphatic``, judged against herself/himself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtqa.checks.gender.data import CASED, GenderData, french_plural

_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*\.?")
DET_M = frozenset({"le", "un", "ce", "cet", "du", "au"})
DET_F = frozenset({"la", "une", "cette"})
DET_PLURAL = frozenset({"les", "des", "ces", "mes", "tes", "ses", "leurs", "nos", "vos", "aux", "plusieurs", "deux",
                        "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "quelques", "nombreux",
                        "nombreuses", "certains", "certaines"})
DETERMINERS = DET_M | DET_F | frozenset({
    "l", "les", "des", "aux", "son", "sa", "ses", "mon", "ma", "mes", "ton", "ta", "tes", "leur", "leurs", "notre",
    "nos", "votre", "vos", "ces", "quel", "quelle", "chaque", "tout", "toute", "deux", "trois", "quatre", "cinq",
    "six", "sept", "huit", "neuf", "dix", "plusieurs", "quelques", "nombreux", "nombreuses", "certains", "certaines",
})
ADJECTIVES = frozenset({
    "premier", "première", "ancien", "ancienne", "nouveau", "nouvel", "nouvelle", "jeune", "grand", "grande",
    "célèbre", "futur", "future", "seul", "seule", "même", "vrai", "vraie", "petit", "petite", "meilleur",
    "meilleure", "bon", "bonne", "vieux", "vieil", "vieille", "véritable", "autre", "talentueux", "talentueuse",
    "brillant", "brillante", "éminent", "éminente", "illustre", "dernier", "dernière", "prochain", "prochaine",
    "deuxième", "troisième", "second", "seconde", "actuel", "actuelle", "haut", "haute", "simple", "fameux",
    "fameuse", "ex", "jeunes", "très", "plus", "célèbres", "vice", "super", "excellent", "excellente",
})
_ADJ_ENDINGS = ("able", "ible", "eux", "euse", "ique", "if", "ive", "ant", "ante", "ent", "ente", "issime")
BEFORE_PERSON = frozenset({
    "comme", "que", "qu", "de", "d", "est", "était", "fut", "sera", "serait", "devient", "devint", "devenu",
    "devenue", "reste", "resta", "été", "demeure", "nommé", "nommée", "élu", "élue", "et", "ou", "être", "étant",
    "devenir", "rester", "nommer", "élire",
})
_IMPERSONAL = re.compile(
    r"\s*(?:n['’]\s*|ne\s+)?(?:(?:lui|leur|me|m['’]|te|t['’]|nous|vous|en|l['’])\s*)?(?:y\b|faut|fallait|faudra|faudrait|fallut|semble|semblait|s['’]ag|reste\b|restait|"
    r"paraît|paraissait|pleut|neige|existe|existait|convient|importe|suffit|suffisait|manque|se\s+peut|vaut|valait|"
    r"arrive|se\s+pass|se\s+produi|était\s+une\s+fois|en\s+va|en\s+est|est\s+temps|est\s+question|"
    r"a\s+fallu|avait\s+fallu|soit\b|(?:a|avait|aurait)\s+été\s+(?:décidé|signalé|annoncé|convenu|rapporté|prévu|"
    r"demandé|dit|jugé|estimé|établi|prouvé|démontré|indiqué|précisé|souligné|noté|constaté|confirmé|question|"
    r"possible|impossible|difficile|nécessaire|proposé|suggéré|rappelé)\b|(?:est|était|serait|sera|fut|a\s+été|avait\s+été|sembl\w+)\s+(?:\w+\s+)?(?:de|d['’]|que|qu['’])\b|"
    r"(?:est|était|serait)\s+(?:clair|évident|vrai|probable|possible|impossible|difficile|nécessaire|important)\b)",
    re.IGNORECASE,
)
_STRESSED_AFTER = (r"avec|pour|chez|sans|contre|selon|envers|vers|à|de|après|avant|devant|derrière|par|sur|sous|comme|"
                   r"malgré|d['’]après|auprès\s+de|autour\s+de|près\s+de|face\s+à|grâce\s+à|c['’]est|c['’]était")
_PRONOUN = re.compile(r"(?<!\w)(?P<p>il|elle)(?!\w)|(?<![\w'’])(?:" + _STRESSED_AFTER + r")\s+(?P<l>lui)(?![\w-])"
                      r"|(?<!\w)(?P<s>lui)(?=-même)", re.IGNORECASE)
# after ``pour lui``, ``de lui``: an infinitive or en/y makes it the clitic (pour lui dire: to tell him or her)
_CLITIC_NEXT = re.compile(r"\s+(?:(?:en|y)\s+)?(?:(?!(?:hier|entre|contre|notre|votre|autre|encore)\b)[^\W\d_]{2,}(?:er|ir|re)|"
                          r"(?<=en\s)(?:a|ont|avait|avaient|aura|est)|(?<=y\s)(?:a|ont|avait|avaient|aura|est))\b",
                          re.IGNORECASE)
_STRESSED_CLAUSE = re.compile(r"\s*(?:[,.;:!?)»]|$|(?:et|ou|qui|que|aussi|seul)\b)")


@dataclass(frozen=True)
class Marker:
    gender: str  # "m" | "f"
    start: int
    end: int
    text: str
    kind: str  # "noun" | "epicene" | "pronoun" | "agreement" (a participle after a name)
    entries: tuple[int, ...] = ()
    plural: bool = False
    adjective: bool = False
    suggestion: str | None = None
    subject: str | None = None  # an agreement after il/elle: the pronoun's gender


_ROLE_PARTICIPLE = re.compile(
    r"(?:nomm|él|réél|devenu|rest|désign|chois|promu|engag|embauch|recrut|reconnu|considér|proclam|sacr|couronn|"
    r"intronis|investi|form|diplôm|install|appel|qualifi|décrit|connu|élev|mort|né)(?:é|e|i|u)?(?:e|es|s)?$")
_SUBJECT_AUX = re.compile(
    r"(?<![\w'’])([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?|il|elle)\s+(?:(?:ne|n['’])\s*)?(?:s['’]\s*)?(?:est|était|fut|a\s+été|avait\s+été|sera|serait|"
    r"aurait\s+été|a\s+ensuite\s+été)\s+(?:(?:pas|alors|ensuite|également|aussi|ainsi|déjà|finalement|bientôt|"
    r"officiellement|rapidement|souvent|toujours|très)\s+)?([^\W\d_]+)(?![\w-])")
_NOT_PARTICIPLE = frozenset({"beaucoup", "aussi", "ainsi", "parmi", "ici", "lundi", "mardi", "mercredi", "jeudi",
                             "vendredi", "samedi", "dimanche", "midi", "aujourd", "déçu", "tenu", "prévu", "situé",
                             "située", "basé", "basée", "dû", "entrée", "année", "armée", "musée", "lycée", "journée",
                             "fait"})  # elle s'est fait élire: fait before an infinitive does not agree
_PART_M = re.compile(r"(?:é|[^aeiouû]u|né|[tsrnv]i)$")
_PART_F = re.compile(r"(?:ée|[^aeiou]ue|née|[tsrnv]ie)$")
# predicative adjectives (and person nouns outside the data) by their ending: masculine → feminine
_ADJ_FLIP = (("euse", "eux"), ("ive", "if"), ("ante", "ant"), ("ente", "ent"), ("ète", "et"), ("ette", "et"),
             ("ière", "ier"), ("aite", "ait"), ("ête", "êt"), ("aine", "ain"), ("orte", "ort"), ("ienne", "ien"),
             ("éenne", "éen"))
_ADJ_M = {m: f for f, m in _ADJ_FLIP if f != "ette"}
_ADJ_ETTE = frozenset({"muet", "net", "sujet", "coquet", "douillet", "violet"})  # et → ette, not ète
_NOT_ADJECTIVE = frozenset({
    "maintenant", "cependant", "pendant", "avant", "devant", "durant", "auparavant", "souvent", "autant", "pourtant",
    "enfant", "parent", "demain", "deux", "mieux", "ceux", "lieux", "jeux", "yeux", "feux", "bien", "rien", "combien",
    "hier", "sait", "tant", "quant", "jamais", "plutôt", "presque", "moins",
})


def _agreement(low: str) -> tuple[str, str] | None:
    """(gender, the other gender's form) of a participle or a predicative adjective, or None."""
    if _PART_F.search(low):
        return "f", low[:-1]
    if _PART_M.search(low):
        return "m", low + "e"
    if low in _NOT_ADJECTIVE or low.endswith("ment"):
        return None
    for f, m in _ADJ_FLIP:
        if low.endswith(f):
            return "f", low[: -len(f)] + m
    for m, f in sorted(_ADJ_M.items(), key=lambda x: -len(x[0])):
        if low.endswith(m):
            return "m", low[: -len(m)] + ("ette" if low in _ADJ_ETTE else f)
    return None


_NOT_SUBJECT = frozenset({"de", "du", "des", "à", "au", "aux", "par", "pour", "sur", "dans", "en", "avec", "le", "la",
                          "les", "un", "une", "ce", "cette", "son", "sa"})


def _participle_markers(text: str, names: frozenset[str], data: GenderData | None = None) -> list[Marker]:
    """A past participle or an adjective after a form of être and a name of the English (``names``;
    « Cook est apparu », « Cook est heureux ») or il/elle (« elle est arrivé »: ``subject``): its
    agreement gives the gender of the person. A person noun of the data is a noun marker."""
    out: list[Marker] = []
    for m in _SUBJECT_AUX.finditer(text):
        w, subj = m.group(2), m.group(1)
        low = w.lower()
        pronoun = {"il": "m", "elle": "f"}.get(subj.lower())
        before = text[:m.start(1)].split()
        if low in _NOT_PARTICIPLE or (pronoun is None and subj not in names) or (data and low in data.french):
            continue
        if (before and before[-1].lower() in _NOT_SUBJECT) or re.match(r"\s+(?:compte|la|le|les|un|une)\b", text[m.end():]):
            continue  # de Paris est ; elle s'est rendu compte, s'est fait une place: no agreement
        if (len(low) < 4 and low not in ("né", "née", "élu", "élue")) or low.endswith("s"):
            continue
        agree = _agreement(low)
        if agree is not None:
            out.append(Marker(agree[0], m.start(2), m.end(2), w, "agreement", suggestion=agree[1], subject=pronoun))
    return out


def _tokens(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _TOKEN.finditer(text):
        w, a, b = m.group(), m.start(), m.end()
        if w.endswith(".") and w[:-1] not in CASED and w not in CASED:
            w, b = w[:-1], b - 1
        out.append((w, a, b))
    return out


def _boundary(text: str, a: int, b: int) -> bool:
    return any(c in ",;:()—–«»\"“”" for c in text[a:b])


def _before(toks: list[tuple[str, int, int]], i: int, text: str) -> tuple[str | None, int, bool, bool]:
    """(the gendered determiner before token ``i``, the start of the noun phrase, whether the
    position names a person, whether the determiner is plural), skipping at most two adjectives."""
    j, start = i - 1, toks[i][1]
    guessed = False  # a word taken for an adjective by its ending only (la variante garçon): no gender from the determiner
    for _ in range(3):
        if j < 0 or _boundary(text, toks[j][2], toks[j + 1][1]):
            return None, start, not toks[i][0].lower().endswith("ant"), False  # (en) gagnant: a participle
        low = toks[j][0].lower()
        if low in DETERMINERS:
            g = "m" if low in DET_M else "f" if low in DET_F else None
            return None if guessed else g, toks[j][1], True, low in DET_PLURAL
        if low in BEFORE_PERSON or _ROLE_PARTICIPLE.match(low):
            return None, start, True, False
        if low not in ADJECTIVES:
            if not (len(low) > 5 and low.endswith(_ADJ_ENDINGS) and not low.endswith("ment")):
                return None, start, False, False
            guessed = True
        j -= 1
    return None, start, False, False


def _sentence_start(text: str, a: int) -> bool:
    """Whether position ``a`` opens a sentence (or the segment, or a quotation)."""
    before = text[:a].rstrip(" \u00a0\"“«'")
    return not before or before[-1] in ".!?:"


def _cap(word: str, like: str) -> str:
    return word[0].upper() + word[1:] if like[:1].isupper() and word not in CASED else word


def _opposite(data: GenderData, entry: int, gender: str, plural: bool, like: str) -> str:
    e = data.entries[entry]
    other = e.f if gender == "m" else e.m
    word = french_plural(other[0]) if plural else other[0]
    return _cap(word, like)


def _noun_markers(text: str, data: GenderData) -> list[Marker]:
    toks = _tokens(text)
    out: list[Marker] = []
    for i, (w, a, b) in enumerate(toks):
        forms = data.french.get(w if w in CASED else w.lower())
        if not forms:
            continue
        ff = forms[0]
        if w[0].isupper() and w not in CASED and (not _sentence_start(text, a) or text[b:b + 2].strip()[:1].isupper()):
            continue  # a capital mid-sentence or before a name: a name or a title (Le Banquier, Mari Cruz)
        det, start, person, det_plural = _before(toks, i, text)
        plural = ff.plural or det_plural
        if ff.epicene:
            if det is not None:
                other = {"le": "la", "un": "une", "ce": "cette", "cet": "cette", "du": "de la", "au": "à la",
                         "la": "le", "une": "un", "cette": "ce"}
                d = text[start:toks[i - 1][2]] if i else ""
                sugg = _cap(other.get(d.lower(), d), d) + text[toks[i - 1][2]:b] if d else None
                out.append(Marker(det, start, b, text[start:b], "epicene", (ff.entry,), plural, False, sugg))
            continue
        if not (person or ff.adjective or w in CASED):
            continue
        gender = ff.gender
        if det == "f" and gender == "m":
            gender = "f"  # la chef, une auteur: the determiner makes it feminine
        entries = tuple(sorted({f.entry for f in forms if f.gender == gender} or {f.entry for f in forms}))
        out.append(Marker(gender, a, b, w, "noun", entries, plural, ff.adjective,
                          _opposite(data, entries[0], gender, plural, w)))
    return out


def _pronoun_markers(text: str) -> list[Marker]:
    """il/elle (impersonal il aside), the stressed lui after a preposition or ``c'est`` (not the
    clitic of ``pour lui dire``) and lui-même/elle-même (kind ``emphatic``)."""
    out: list[Marker] = []
    for m in _PRONOUN.finditer(text):
        g = m.lastgroup or "p"
        word, a, b = m.group(g), m.start(g), m.end(g)
        low = word.lower()
        if low == "il" and _IMPERSONAL.match(text, b):
            continue
        if g == "l" and _CLITIC_NEXT.match(text, b) and not _STRESSED_CLAUSE.match(text, b):
            continue
        gender = "f" if low == "elle" else "m"
        emphatic = text[b:b + 5] == "-même"
        sugg = {"il": "elle", "elle": "lui" if emphatic else "il", "lui": "elle"}[low]
        out.append(Marker(gender, a, b, word, "emphatic" if emphatic else "pronoun", suggestion=_cap(sugg, word)))
    return out


def markers(text: str, data: GenderData, names: frozenset[str] = frozenset()) -> list[Marker]:
    """Every gendered person word of a French segment, in order; ``names``: the capitalised words
    of the English (a participle is judged only after one of them)."""
    return sorted(_noun_markers(text, data) + _pronoun_markers(text) + _participle_markers(text, names, data),
                  key=lambda mk: mk.start)
