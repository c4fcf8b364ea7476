"""``names.organisation``: an organisation whose French name is fixed, rendered literally.

Data: ``mtqa/data/organisations.yaml`` (international organisations, courts, agencies, NGOs,
central banks…): English names and acronyms, the accepted French forms and acronyms, and the
``literal`` forms MT produces word by word. When the source names an entry and the aligned French
has none of its accepted forms:

* a listed ``literal`` form is a major finding on its span;
* so is a *near miss* of an accepted form, found by mechanism: a compact run of French words that
  holds at least two thirds of the accepted form's content words (compared folded and without
  plural or feminine endings) but is not that form: the same words in another order
  (``Organisation de la santé mondiale``) or with a word changed (``Fonds monétaire mondial``).
  A run whose content words are those of the accepted form in its order is a variant (``Haut
  Commissariat de l'ONU pour les réfugiés``), and a run that is another entry's accepted form is
  that organisation: both are quiet. With an embedder, the run must also embed close to the
  English name (it renders it).

An acronym (WFP, PAM, le FBI) kept beside a literal name does not hide it. For official names (UN,
EU, courts, intergovernmental bodies) the same words joined by another preposition (« de la
migration » for « pour les migrations ») and the last complement changed (« Agence européenne de
la médecine ») are near misses too; a run that only begins a longer variant is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from mtqa.checks.names.core import FormRegex, _Hit
from mtqa.ruledata import Field, Record, load_packaged
from mtqa.text.matching import accent_fold
from mtqa.text.morphology import french_name_regex
from mtqa.text.regex import Regex, compile_list, string_list

KINDS = ("un", "eu", "court", "intergovernmental", "agency", "central_bank", "bank", "ngo", "sport", "media",
         "rating", "political", "research", "religious", "military", "company", "education")
ORG_SPEC = {
    "en": Field(list, required=True),
    "abbr": Field(list),
    "fr": Field(list, required=True),
    "fr_abbr": Field(list),
    "literal": Field(list, required=True),
    "kind": Field(str, required=True, choices=KINDS),
    "note": Field(str),
}
OFFICIAL = frozenset(["un", "eu", "court", "intergovernmental"])
NEAR = 2 / 3  # share of an accepted form's content words a near miss must have
SIMILAR = 0.5  # cosine of a near miss and the English name (with an embedder)
_STOP = frozenset(["a", "à", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "par", "sur", "sans", "contre", "avec", "dans", "entre", "of"])
_WORD = re.compile(r"[^\W\d_]+")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&.\-]{1,7}")


@dataclass
class Org:
    name: str
    accepted: list[tuple[str, Regex]]  # French forms (inflected), French and English acronyms (as written)
    literal: list[tuple[str, Regex]]
    forms: list[list[str]]  # the content words of each accepted French form (keys), for near misses
    links: list[list[str]]  # the linking words between them ("pour les"), per form
    official: bool  # a name fixed by treaty or statute (UN, EU, courts): its prepositions are fixed too
    first_fr: str
    where: str


def _key(word: str) -> str:
    w = accent_fold(word, str.lower)
    w = re.sub(r"(?:s|x)$", "", w) if len(w) > 3 else w
    return w[:-1] if len(w) > 4 and w.endswith("e") else w


def content_keys(text: str) -> list[str]:
    """The content words of a French phrase, as comparison keys (folded, without endings)."""
    return [_key(w) for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 1]


def _verbatim(forms: list[str]) -> str:
    alts = [r"\s+".join(re.escape(p) for p in f.split()) for f in sorted(forms, key=len, reverse=True)]
    return r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])"


def _org(rec: Record) -> Org:
    en = [x.strip() for x in string_list(rec["en"], rec, "en") if x.strip()]
    abbr = [x.strip() for x in string_list(rec.get("abbr", []), rec, "abbr")]
    fr = [x.strip() for x in string_list(rec["fr"], rec, "fr") if x.strip()]
    fr_abbr = [x.strip() for x in string_list(rec.get("fr_abbr", []), rec, "fr_abbr")]
    if not en or not fr:
        raise rec.error("fields 'en' and 'fr' must each list at least one name")
    if not rec["literal"]:
        raise rec.error("field 'literal' must list at least one literal rendering")
    short = {a.casefold() for a in abbr + fr_abbr}
    is_acronym = lambda f: bool(_ACRONYM.fullmatch(f)) or f.casefold() in short  # noqa: E731
    acronyms = abbr + fr_abbr + [f for f in fr if is_acronym(f)]  # "le FBI", "la Fed" are French too
    accepted = [*compile_list([f for f in fr if not is_acronym(f)], rec, "fr", french_name_regex),
                ("verbatim", re.compile(_verbatim(en)))]
    if acronyms:
        accepted.append(("acronym", re.compile(_verbatim(acronyms))))
    literal = compile_list(rec["literal"], rec, "literal", french_name_regex)
    for text, _ in literal:
        if any(rx.search(text) for _, rx in accepted):
            raise rec.error(f"literal form '{text}' contains an accepted form")
    # near misses are judged against the French forms only (an English name kept in French, Secret
    # Service, says nothing of the order of French words)
    french = [f for f in fr if f not in en]
    french = [f for f in french if len(content_keys(f)) >= 2]
    return Org(en[0], accepted, literal, [content_keys(f) for f in french], [_links(f) for f in french],
               rec["kind"] in OFFICIAL, fr[0], rec.where())


class LazyOrg:
    """An organisation built (its French forms expanded and compiled, its data checked) the first
    time a source segment names it: a short run meets a few of the ~600, and building them all
    costs about a second."""

    __slots__ = ("_built", "rec", "where")

    def __init__(self, rec: Record) -> None:
        self.rec, self.where = rec, rec.where()
        self._built: Org | None = None

    def get(self) -> Org:
        if self._built is None:
            self._built = _org(self.rec)
        return self._built


@dataclass
class OrgData:
    lazy: list[LazyOrg]
    by_form: dict[str, LazyOrg]  # every English name and acronym
    source_rx: FormRegex | None  # any of them, longest first, case-sensitive

    @property
    def orgs(self) -> list[Org]:
        """Every organisation, built (``_judge`` needs them all only for a near miss)."""
        return [lazy.get() for lazy in self.lazy]


def build_org_data(records: list[Record]) -> OrgData:
    orgs: list[LazyOrg] = []
    by_form: dict[str, LazyOrg] = {}
    for rec in records:
        org = LazyOrg(rec)
        for name in rec["en"]:
            if name in by_form:
                raise rec.error(f"name '{name}' is already listed at {by_form[name].where}")
        for name in [*rec["en"], *rec.get("abbr", [])]:
            by_form.setdefault(" ".join(name.split()), org)
        orgs.append(org)
    source_rx = FormRegex(list(by_form), lambda forms: re.compile(_verbatim(list(forms)))) if by_form else None
    return OrgData(orgs, by_form, source_rx)


@cache
def load_org_data() -> OrgData:
    return build_org_data(load_packaged("organisations.yaml", ORG_SPEC, key="organisations"))


def _runs(mt: str) -> list[tuple[str, int, int]]:
    return [(_key(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(mt)
            if m.group(0).lower() not in _STOP and len(m.group(0)) > 1]


def _in_order(words: list[str], form: list[str]) -> bool:
    it = iter(form)
    return all(w in it for w in words)


def _variant(run: list[str], form: list[str]) -> bool:
    """A run that is not a literal rendering: the form's words in its order, with a word added
    (Département américain de la Justice) or with words left out (la Cour internationale)."""
    kept = [w for w in run if w in form]
    if not _in_order(kept, form):
        return False  # another order: Organisation de la santé mondiale
    return set(kept) == set(form) or len(kept) == len(run)


_PREPOSITION = {"des": "de", "du": "de", "d": "de", "au": "a", "aux": "a", "à": "a"}
_ARTICLE = frozenset(["le", "la", "les", "l"])


def _links(text: str) -> list[str]:
    """The prepositions between the content words of a phrase, folded and without articles:
    ["", "pour"] for « Organisation internationale pour les migrations » (« de la » reads "de")."""
    out: list[str] = []
    for w in _WORD.findall(accent_fold(text, str.lower)):
        if w in _STOP or len(w) < 2:
            if out and w not in _ARTICLE:
                out[-1] = f"{out[-1]} {_PREPOSITION.get(w, w)}".strip()
        else:
            out.append("")
    return out[:-1]


_OF = frozenset(["de", "des", "du", "d", "pour"])


def _complement_changed(run: list[str], form: list[str], gap: str) -> bool:
    """A run that is the form with its last complement changed: its head, the other words, then
    "de/des/pour" and another noun (« Agence européenne de la médecine » for « … des médicaments »)."""
    return (len(form) >= 3 and len(run) == len(form) and run[0] == form[0] and len(set(run) & set(form)) == len(form) - 1
            and bool(_OF & set(_WORD.findall(gap.lower()))))


def near_miss(form: list[str], mt: str, links: list[str] | None = None) -> tuple[int, int] | None:
    """The span of a compact run of ``mt`` holding ≥ NEAR of ``form``'s content words but not
    in its order (or with a word changed), or None. With ``links`` (the form's linking words), the
    form's own words joined by other linking words are a near miss too: « Organisation
    internationale de la migration » for « … pour les migrations »."""
    words = _runs(mt)
    need = max(2, -(-len(form) * 2 // 3))
    best: tuple[int, int] | None = None
    for i, (k, _, _) in enumerate(words):
        if k not in form:
            continue
        runs = [(j, [w for w, _, _ in words[i:j + 1]], mt[words[i][1]:words[j][2]])
                for j in range(i + 1, min(len(words), i + len(form) + 1))]
        if any(run[-1] in form and set(run) >= set(form) and _variant(run, form) and not _relinked(run, form, text, links)
               for _, run, text in runs):
            continue  # a variant starts here (« Agence américaine de sécurité des transports »): not its prefix
        for j, run, text in runs:
            shared = len(set(run) & set(form))
            if (run[-1] not in form and not _complement_changed(run, form, mt[words[j - 1][2]:words[j][1]])) \
                    or shared < need or len(run) - shared > 1:
                continue
            if _variant(run, form) and not _relinked(run, form, text, links):
                continue
            best = (words[i][1], words[j][2]) if best is None or words[j][2] - words[i][1] > best[1] - best[0] else best
    return best


def _relinked(run: list[str], form: list[str], text: str, links: list[str] | None) -> bool:
    """The form's own words, in its order, joined by other prepositions (official names only)."""
    return bool(links) and run == form and _links(text) != links


def _judge(org: Org, mt: str, data: OrgData, embedder: Any) -> tuple[int, int, str] | None:
    """(start, end, how) of a literal rendering of ``org`` in ``mt``, or None."""
    # An accepted form or the English name kept settles it; an acronym does not hide a literal
    # rendering next to it (« Programme mondial de l'alimentation (WFP) »).
    if any(rx.search(mt) for what, rx in org.accepted if what != "acronym"):
        return None
    for _, rx in org.literal:
        m = rx.search(mt)
        if m:
            return m.start(), m.end(), "listed"
    for form, links in zip(org.forms, org.links, strict=True):
        span = near_miss(form, mt, links if org.official else None)
        if span is None:
            continue
        text = mt[span[0]:span[1]]
        if any(rx.search(text) for o in data.orgs if o is not org for _, rx in o.accepted):
            continue  # another organisation, named in its own accepted form
        if embedder is not None:
            v = embedder.encode([text, org.name])
            if float(v[0] @ v[1]) < SIMILAR:
                continue
        return span[0], span[1], "near"
    return None


def scan_segment(src: str, mt: str, embedder: Any) -> list[_Hit]:
    data = load_org_data()
    if data.source_rx is None or not src or not mt:
        return []
    out: list[_Hit] = []
    done: set[int] = set()
    for m in data.source_rx.finditer(src):
        lazy = data.by_form.get(" ".join(m.group(0).split()))
        if lazy is None or id(lazy) in done:
            continue
        done.add(id(lazy))
        org = lazy.get()
        found = _judge(org, mt, data, embedder)
        if found is None:
            continue
        s, e, how = found
        what = "a literal rendering" if how == "listed" else "a literal rendering (its words, not its accepted form)"
        out.append(_Hit(
            "names.organisation", "major", s, e, m.group(0), m.start(), m.end(),
            f"'{mt[s:e]}' is {what} of '{org.name}'; its French name is '{org.first_fr}'.",
            org.first_fr,
        ))
    return out
