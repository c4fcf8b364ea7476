"""Language identification restricted to English and French (lingua), built once, lazily.

lingua is accurate on sentences and fast when limited to two languages; on one to three words it
is unreliable, so callers combine it with other evidence (see ``mtqa.checks.untranslated``).

lingua reads its English and French models on the first detection: about 1.5 s, holding the GIL.
Most texts asked about are single common words, so lingua's own answers for the most frequent
French and English words (wordfreq's lists) are computed once, by lingua, and kept in the on-disk
cache (``mtqa.diskcache``, keyed by the lingua and wordfreq versions): a word in that table is
answered from it, with the very value lingua gives, and a run whose words are all there never
loads lingua. With the cache off (``MTQA_NO_CACHE=1``) there is no table: every text goes to lingua.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()
_DETECTOR: list[Any] = []  # the one detector, once its models are read
# how many of wordfreq's most frequent words of each language the table holds
TABLE_WORDS = {"fr": 80_000, "en": 40_000}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def detector() -> Any:
    """The EN/FR lingua detector, its models read (built on first use, once per process)."""
    if not _DETECTOR:
        with _LOCK:
            if not _DETECTOR:
                from lingua import Language, LanguageDetectorBuilder

                d = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH).build()
                # reads every model now: lingua reads each n-gram order (1 to 5) on the first text
                # that uses it, and a word of five letters or more uses them all
                d.compute_language_confidence("the council", Language.ENGLISH)
                _DETECTOR.append(d)
    return _DETECTOR[0]


def build_word_table() -> dict[str, float]:
    """{word: lingua's English confidence} for the most frequent lower-case French and English words."""
    from lingua import Language
    from wordfreq import top_n_list

    words = sorted({w for lang, n in TABLE_WORDS.items() for w in top_n_list(lang, n)
                    if w.islower() and _WORD.fullmatch(w)})
    d = detector()
    return {w: float(d.compute_language_confidence(w, Language.ENGLISH)) for w in words}


@lru_cache(maxsize=1)
def word_table() -> dict[str, float]:
    """The cached word table (built on the first run, then read from disk), or {} with the cache off."""
    from importlib.metadata import PackageNotFoundError, version

    from mtqa.diskcache import cache_dir, cached_parse

    if cache_dir() is None:
        return {}
    try:
        key = f"lingua {version('lingua-language-detector')}|wordfreq {version('wordfreq')}|{sorted(TABLE_WORDS.items())}"
    except PackageNotFoundError:  # pragma: no cover - a source tree without the packages' metadata
        return {}
    return cached_parse("langid-words", key.encode(), build_word_table)


@lru_cache(maxsize=65536)
def english_confidence(text: str) -> float:
    """lingua's confidence (0–1) that ``text`` is English rather than French; 0.5 when it cannot tell."""
    text = text.strip()
    if not any(c.isalpha() for c in text):
        return 0.5
    known = word_table().get(text)
    if known is not None:
        return known
    from lingua import Language

    return float(detector().compute_language_confidence(text, Language.ENGLISH))
