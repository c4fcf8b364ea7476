"""Language identification restricted to English and French (lingua), built once, lazily.

lingua is accurate on sentences and fast when limited to two languages; on one to three words it
is unreliable, so callers combine it with other evidence (see ``mtqa.checks.untranslated``).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def detector():
    """The EN/FR lingua detector (built on first use; the models load once per process)."""
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH).build()


@lru_cache(maxsize=65536)
def english_confidence(text: str) -> float:
    """lingua's confidence (0–1) that ``text`` is English rather than French; 0.5 when it cannot tell."""
    from lingua import Language

    text = text.strip()
    if not any(c.isalpha() for c in text):
        return 0.5
    return float(detector().compute_language_confidence(text, Language.ENGLISH))
