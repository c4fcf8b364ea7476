"""Glossaries: CSV/TSV and TBX files of English terms with required and forbidden French terms.

CSV/TSV header (order free; ``source`` and ``target`` required)::

    source,target,forbidden,context,note,severity,gender

* ``target`` and ``forbidden`` hold alternatives separated by ``|``; each French alternative is
  matched through inflection and elision (``mtqa.text.morphology.french_regex``: plurals, feminine
  forms, conjugations, ``l’``/``d’``), case-insensitively; ``re:PATTERN`` is a raw regex.
* ``context`` is a ``|``-separated list of source-side cue words: the entry applies only to a
  segment whose source contains one of them (``strike`` → ``frappe`` only near attack/missile/…).
* ``severity`` (optional) fixes the severity of a forbidden term. Without it: a forbidden term
  that is a spelling variant of a target (same capitalisation, similar letters: ``Zelenskyy`` for
  ``Zelensky``, ``Kyiv`` for ``Kiev``) is minor, terminology/wrong-term; any other forbidden term
  (a different word: ``grève`` for ``frappe``, a name made a common noun: ``patriotes`` for
  ``Patriot``) is major, accuracy/mistranslation.
* ``gender`` (optional, ``f`` or ``m``) marks an entry naming a person: the ``gender`` check takes
  it as that person's gender when the name is in the English. Such an entry may have no target.

TBX (v2 ``martif`` and v3 ``tbx``) is parsed with defusedxml (no entity expansion, no external
entities): per concept, English terms are sources; French terms whose administrativeStatus is
deprecated/superseded/notRecommended (or normativeAuthorization ``deprecatedTerm``) are
forbidden, the others are targets. Bad rows or entries raise ConfigError naming the file and line.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from mtqa.errors import ConfigError
from mtqa.model import SEVERITIES
from mtqa.ruledata import file_key, read_user_file
from mtqa.text.matching import accent_fold
from mtqa.text.morphology import cue_regex, english_forms, french_regex
from mtqa.text.regex import LazyRegex, Regex, user_regex

COLUMNS = ("source", "target", "forbidden", "context", "note", "severity", "gender")
GENDERS = ("f", "m")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FORBIDDEN_STATUS = ("deprecated", "superseded", "notrecommended", "forbidden")


@dataclass
class Term:
    text: str
    regex: Regex


@dataclass
class GlossaryEntry:
    source: str
    targets: list[Term]
    forbidden: list[Term]
    context: list[tuple[str, Regex]] = field(default_factory=list)
    note: str = ""
    severity: str | None = None
    where: str = ""
    source_regex: Regex = field(default_factory=lambda: re.compile(r"(?!)"))  # set by make_entry
    gender: str | None = None  # "f" | "m": the entry names a person of that gender

    def applies(self, source_text: str) -> bool:
        if not self.context:
            return True
        return any(rx.search(source_text) for _, rx in self.context)

    def forbidden_rule(self, term: Term) -> tuple[str, str]:
        """(severity, category) for a forbidden term found in the MT."""
        if self.severity:
            sev = self.severity
        else:
            sev = "minor" if self.is_variant(term.text) else "major"
        cat = "terminology/wrong-term" if self.is_variant(term.text) else "accuracy/mistranslation"
        return sev, cat

    def is_variant(self, text: str) -> bool:
        """A spelling variant of a target: same capitalisation and similar letters."""
        for t in self.targets:
            if t.text[:1].isupper() != text[:1].isupper():
                continue
            a, b = accent_fold(t.text).split(), accent_fold(text).split()
            # Word by word: "adresse vidéo" is not a variant of "allocution vidéo".
            if len(a) == len(b) and all(difflib.SequenceMatcher(None, x, y).ratio() >= 0.75 for x, y in zip(a, b)):
                return True
        return False


@dataclass
class Glossary:
    path: str
    entries: list[GlossaryEntry]


def _regex(text: str, source: str, where: str, what: str) -> Regex:
    """A glossary item's regex: ``re:`` written by the user is compiled now with a time budget
    (``user_regex``), a generated one (escaped words) on first use: a 100k-row glossary loads in
    seconds and only the entries a segment can match are ever compiled."""
    if text.startswith("re:"):
        return user_regex(source, f"{where}: {what} {text[:60]!r}", re.IGNORECASE)
    return LazyRegex(source, re.IGNORECASE, origin=f"{where}: {what}")


def _alts(value: str, where: str, column: str) -> list[Term]:
    out = []
    for alt in value.split("|"):
        alt = alt.strip()
        if alt:
            out.append(Term(alt, _regex(alt, french_regex(alt), where, f"{column} term")))
    return out


def make_entry(source: str, target: str, forbidden: str = "", context: str = "", note: str = "",
               severity: str = "", where: str = "", gender: str = "") -> GlossaryEntry:
    source = source.strip()
    if not source:
        raise ConfigError(f"{where}: empty 'source'")
    if "\x00" in source + target + forbidden + context + note:
        raise ConfigError(f"{where}: NUL byte in a glossary field")
    targets = _alts(target or "", where, "target")
    bad = _alts(forbidden or "", where, "forbidden")
    gender = (gender or "").strip().lower()
    if gender and gender not in GENDERS:
        raise ConfigError(f"{where}: gender must be f or m, got {gender[:40]!r}")
    if not targets and not bad and not gender:
        raise ConfigError(f"{where}: entry '{source[:80]}' has neither a target nor a forbidden term")
    severity = (severity or "").strip().lower()
    if severity and severity not in SEVERITIES:
        raise ConfigError(f"{where}: severity must be one of {', '.join(SEVERITIES)}, got {severity[:40]!r}")
    cues = [(cue.strip(), _regex(cue.strip(), cue_regex(cue.strip()), where, "context cue"))
            for cue in (context or "").split("|") if cue.strip()]
    src_rx = _regex(source, source_regex(source), where, "source term")
    return GlossaryEntry(source, targets, bad, cues, (note or "").strip(), severity or None, where, src_rx, gender or None)


_WORD = re.compile(r"[^\W_]+")


def index_keys(source: str) -> frozenset[str] | None:
    """The lower-case words one of which a segment's source must contain for ``source`` to match:
    the first letter-or-digit run of each form of its first word; None (always tried) for ``re:``."""
    if source.startswith("re:"):
        return None
    first = source.split()[0]
    keys = set()
    for form in english_forms(first) | {first.lower()}:
        m = _WORD.search(form)
        if m is None:
            return None
        keys.add(m.group())
    return frozenset(keys)


class GlossaryIndex:
    """The entries a segment can match, from its words (``index_keys``): one dict look-up per
    word of the segment, not one regex per entry, so that matching stays linear in the glossary."""

    def __init__(self, entries: list[GlossaryEntry]) -> None:
        self.entries = entries
        self.always: list[int] = []
        self.by_word: dict[str, list[int]] = {}
        self.always_fr: list[int] = []
        self.by_prefix: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            keys = index_keys(e.source)
            if keys is None:
                self.always.append(i)
            for k in keys or ():
                self.by_word.setdefault(k, []).append(i)
            for t in e.targets:
                key = target_key(t.text)
                if key is None:
                    self.always_fr.append(i)
                else:
                    self.by_prefix.setdefault(key, []).append(i)

    def candidates(self, text: str) -> list[GlossaryEntry]:
        """The entries whose source term ``text`` may contain, in file order."""
        found = set(self.always)
        for w in set(_WORD.findall(text.lower())):
            found.update(self.by_word.get(w, ()))
        return [self.entries[i] for i in sorted(found)]

    def owners(self, mt: str) -> list[GlossaryEntry]:
        """The entries one of whose targets the French ``mt`` may contain, in file order."""
        found = set(self.always_fr)
        for w in set(_WORD.findall(accent_fold(mt))):
            for k in {w[:1], w[:2], w[:3]}:
                found.update(self.by_prefix.get(k, ()))
        return [self.entries[i] for i in sorted(found)]


def target_key(target: str) -> str | None:
    """The first three letters (accent- and case-folded) of a French target's first word: every
    inflection that ``french_regex`` matches starts with them (lever → lèvent, lancer → lançait);
    None (always tried) for ``re:`` and for words in -al (al → aux)."""
    m = None if target.startswith("re:") else _WORD.search(accent_fold(target))
    if m is None or (len(m.group()) <= 3 and m.group().endswith("al")):
        return None
    return m.group()[:3]


def source_regex(term: str) -> str:
    """An English term with every word inflected (air defence → air defences; call off → called
    off); a possessive ('s) still matches. ``re:PATTERN`` is used as is."""
    if term.startswith("re:"):
        return term[3:]
    words = []
    for w in term.split():
        forms = sorted(english_forms(w) | {w.lower()}, key=len, reverse=True)
        words.append("(?:" + "|".join(re.escape(f) for f in forms) + ")")
    return r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?![\w-])"


def load_csv(path: str, text: str | None = None) -> Glossary:
    text = read_user_file(path, "glossary") if text is None else text
    delimiter = "\t" if path.lower().endswith((".tsv", ".tab")) else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ConfigError(f"{path}: empty glossary (expected a header: {','.join(COLUMNS[:5])})") from None
    except csv.Error as e:
        raise ConfigError(f"{path}:1: bad CSV ({e})") from None
    cols = [h.strip().lower() for h in header]
    for c in cols:
        if c not in COLUMNS:
            raise ConfigError(f"{path}:1: unknown column '{c}' (allowed: {', '.join(COLUMNS)})")
    if "source" not in cols or "target" not in cols:
        raise ConfigError(f"{path}:1: the header needs 'source' and 'target' columns")
    if len(set(cols)) != len(cols):
        raise ConfigError(f"{path}:1: a column is named twice")
    entries = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise ConfigError(f"{path}:{start}: bad CSV ({e})") from None
        line = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        if row[0].lstrip().startswith("#"):
            continue
        where = f"{path}:{start}"
        if len(row) > len(cols):
            raise ConfigError(f"{where}: {len(row)} fields, the header has {len(cols)}")
        values = dict(zip(cols, row))
        entries.append(make_entry(
            values.get("source", ""), values.get("target", ""), values.get("forbidden", ""),
            values.get("context", ""), values.get("note", ""), values.get("severity", ""), where,
            values.get("gender", ""),
        ))
    return Glossary(path, entries)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def load_tbx(path: str, text: str | None = None) -> Glossary:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as DET

    text = read_user_file(path, "glossary") if text is None else text
    try:
        root = DET.fromstring(text.encode("utf-8"), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except ParseError as e:
        line = e.position[0] if getattr(e, "position", None) else 0
        raise ConfigError(f"{path}:{line}: malformed TBX ({e.msg if hasattr(e, 'msg') else e})") from None
    except DefusedXmlException as e:
        raise ConfigError(f"{path}: unsafe XML refused ({type(e).__name__})") from None
    entries: list[GlossaryEntry] = []
    n = 0
    for concept in root.iter():
        if _local(concept.tag) not in ("termEntry", "conceptEntry"):
            continue
        n += 1
        where = f"{path}: entry {n}" + (f" (id {concept.get('id')})" if concept.get("id") else "")
        en: list[str] = []
        fr_ok: list[str] = []
        fr_bad: list[str] = []
        note = ""
        for lang_set in concept:
            if _local(lang_set.tag) not in ("langSet", "langSec"):
                if _local(lang_set.tag) in ("descrip", "note") and lang_set.text:
                    note = lang_set.text.strip()
                continue
            lang = (lang_set.get(_XML_LANG) or lang_set.get("lang") or "").lower()
            for term_group in lang_set.iter():
                if _local(term_group.tag) not in ("tig", "ntig", "termSec"):
                    continue
                term = None
                status = ""
                for el in term_group.iter():
                    name = _local(el.tag)
                    if name == "term":
                        term = "".join(el.itertext()).strip()
                    elif name == "termNote" and el.get("type") in ("administrativeStatus", "normativeAuthorization"):
                        status = (el.text or "").strip().lower().replace("-", "").replace("_", "")
                if not term:
                    raise ConfigError(f"{where}: a term group with no <term>")
                if lang.startswith("en"):
                    en.append(term)
                elif lang.startswith("fr"):
                    (fr_bad if status.startswith(_FORBIDDEN_STATUS) else fr_ok).append(term)
        if not en:
            raise ConfigError(f"{where}: no English term")
        if not fr_ok and not fr_bad:
            raise ConfigError(f"{where}: no French term")
        for src in en:
            entries.append(make_entry(src, "|".join(fr_ok), "|".join(fr_bad), "", note, "", where))
    if n == 0:
        raise ConfigError(f"{path}: no termEntry/conceptEntry found (is this TBX?)")
    return Glossary(path, entries)


_CACHE: dict[tuple[str, float, int], Glossary] = {}


def load_glossary(path: str) -> Glossary:
    """Load a CSV/TSV/TBX glossary, cached by path and modification time (loaded once per run)."""
    p = Path(path)
    key = file_key(path, "glossary")
    if key not in _CACHE:
        if p.suffix.lower() in (".tbx", ".xml"):
            _CACHE[key] = load_tbx(path)
        elif p.suffix.lower() in (".csv", ".tsv", ".tab", ".txt"):
            _CACHE[key] = load_csv(path)
        else:
            raise ConfigError(f"{path}: unknown glossary format (use .csv, .tsv or .tbx)")
    return _CACHE[key]


def load_glossaries(paths: list[str]) -> list[GlossaryEntry]:
    entries: list[GlossaryEntry] = []
    for path in paths:
        entries.extend(load_glossary(path).entries)
    return entries
