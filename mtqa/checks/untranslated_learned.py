"""A learned score for lone English words left in the French: logistic regression over token
features, weights in ``mtqa/data/untranslated_model.json``, trained by
``bench/untranslated_learn.py`` on WMT20 QE task 3 train (cross-validated by document).

Candidates are the words Grammalecte's French lexicon does not know that the aligned source also
has (case-insensitive; camel-case parts count). The features are computed offline from what mtqa
already ships: the case of the word, its English and French word frequencies (wordfreq), whether
it is an English dictionary word, how the source writes it (same case, capitalised mid-sentence:
a name), its neighbours, the share of the segment kept in English, and whether the segment is a
title. The untranslated check flags a candidate whose score reaches the model's threshold; the
severity comes from the measured precision of its score band.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mtqa.errors import ConfigError
from mtqa.ruledata import packaged_path, packaged_table

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_LETTERS = re.compile(r"[^\W\d_]+")
_SENT_START = re.compile(r"(?:^|[.!?:;…]|[«“\"(—–])[\s\u00a0\u202f]*$")

FEATURES = (
    "bias", "lower", "capitalised", "acronym", "glued", "hyphen", "log_len", "zipf_en", "zipf_fr",
    "gap", "dictionary", "same_case_in_source", "source_name", "sentence_start", "prev_candidate",
    "next_candidate", "kept_share", "title_segment", "cap_gap", "cap_zipf_en", "cap_source_name",
    "lower_gap", "fr_used", "lingua_en", "after_determiner", "partly_translated", "cap_partly", "source_count",
)


@lru_cache(maxsize=1)
def determiners() -> frozenset[str]:
    """French determiners and prepositions before a noun (``untranslated.yaml``)."""
    words = packaged_table("untranslated.yaml").get("french_determiners", [])
    if not isinstance(words, list):
        raise ConfigError(f"{packaged_path('untranslated.yaml')}: french_determiners must be a list")
    return frozenset(str(w).lower() for w in words)

_PREV = re.compile(r"([^\W\d_]+)['’\s\u00a0]+$")


@dataclass(frozen=True)
class Lookups:
    """The look-ups the features need, passed in by the check (its cached functions)."""

    zipf: Callable[[str, str], float]
    dictionary: Callable[[str], bool]
    english: Callable[[str], float]  # lingua's English confidence for one word
    partly: Callable[[str, str, str], bool]  # (word, source, mt): kept from a partly translated source title


def parts(word: str) -> list[str]:
    """The lower-case words of a token: hyphen parts, split at camel case ("poundsBlue")."""
    out = []
    for part in word.split("-"):
        out += [p.lower() for p in (_CAMEL.findall(part) if not part.isupper() else [part])]
    return [p for p in out if p]


def source_words(source: str) -> set[str]:
    """The source's words, lower-cased, whole and in parts."""
    out = {w.lower() for w in _WORD.findall(source)}
    return out | {p for w in _WORD.findall(source) for p in parts(w)}


def title_segment(text: str) -> bool:
    """Most words of four letters or more capitalised: a product title or a heading."""
    ws = [w for w in _LETTERS.findall(text) if len(w) >= 4]
    return len(ws) >= 2 and sum(w[0].isupper() for w in ws) * 3 >= len(ws) * 2


def source_name(word: str, source: str) -> bool:
    """Every occurrence of the word in the source is capitalised and one is mid-sentence: a name."""
    hits = list(re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", source, re.IGNORECASE))
    return bool(hits) and all(m.group()[:1].isupper() for m in hits) and any(
        not _SENT_START.search(source[: m.start()]) for m in hits)


def candidates(mt: str, source: str, unknown: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The unknown words (letters only, 3+ characters) with a part the source also has."""
    src = source_words(source)
    out = []
    for s, e in unknown:
        word = mt[s:e]
        glued = s > 0 and (mt[s - 1].isdigit() or mt[s - 1] in "-_/@#.")  # a model number, a handle
        if len(word) >= 3 and _WORD.fullmatch(word) and not glued and any(p in src for p in [word.lower(), *parts(word)]):
            out.append((s, e))
    return out


def features(mt: str, source: str, cands: list[tuple[int, int]], i: int, look: Lookups) -> list[float]:
    """The feature vector (``FEATURES``) of candidate ``i``."""
    s, e = cands[i]
    zipf, dictionary = look.zipf, look.dictionary
    word = mt[s:e]
    ps = parts(word) or [word.lower()]
    en = sum(zipf(p, "en") for p in ps) / len(ps)
    fr = sum(zipf(p, "fr") for p in ps) / len(ps)
    acronym = len(word) > 1 and word.isupper()
    cap = word[:1].isupper() and not acronym
    name = source_name(word, source)
    n_words = max(1, len(_LETTERS.findall(mt)))
    prev_c = i > 0 and not mt[cands[i - 1][1] : s].strip(" -\u00a0")
    next_c = i + 1 < len(cands) and not mt[e : cands[i + 1][0]].strip(" -\u00a0")
    prev = _PREV.search(mt[max(0, s - 30) : s])
    partly = float(look.partly(word, source, mt))
    return [
        1.0, float(word.islower()), float(cap), float(acronym), float(bool(re.search(r"[a-z][A-Z]", word))),
        float("-" in word), math.log(len(word)), en, fr, en - fr, float(all(dictionary(p) for p in ps)),
        float(word in source), float(name), float(bool(_SENT_START.search(mt[max(0, s - 40) : s]))),
        float(prev_c), float(next_c), len(cands) / n_words, float(title_segment(mt)),
        cap * (en - fr), cap * en, float(cap and name), word.islower() * (en - fr), float(fr >= 3.3),
        look.english(word.lower()), float(bool(prev and prev.group(1).lower() in determiners())), partly,
        cap * partly, math.log1p(len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", source, re.IGNORECASE))),
    ]


@dataclass(frozen=True)
class TokenModel:
    mean: list[float]
    scale: list[float]
    weights: list[float]
    threshold: float
    bands: list[tuple[float, str]]  # (lowest score, severity), highest band first

    def score(self, x: list[float]) -> float:
        z = sum(w * ((v - m) / sc) for v, m, sc, w in zip(x, self.mean, self.scale, self.weights))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def severity(self, p: float) -> str | None:
        if p < self.threshold:
            return None
        return next((sev for low, sev in self.bands if p >= low), None)


MODEL_FILE = "untranslated_model.json"


def _model_path() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / MODEL_FILE


@lru_cache(maxsize=1)
def load_model() -> TokenModel | None:
    """The packaged model, or None when it is not shipped."""
    path = packaged_path(MODEL_FILE)
    try:
        d = json.loads(_model_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise ConfigError(f"{path}: cannot read the untranslated model ({e})") from None
    if d.get("features") != list(FEATURES) or not all(len(d.get(k, [])) == len(FEATURES) for k in ("mean", "scale", "weights")):
        raise ConfigError(f"{path}: the untranslated model's features do not match this mtqa")
    bands = [(float(low), str(sev)) for low, sev in d["bands"]]
    return TokenModel(d["mean"], d["scale"], d["weights"], float(d["threshold"]), bands)
