"""Language identification restricted to English and French (lingua), built once, lazily.

lingua is accurate on sentences and fast when limited to two languages; on one to three words it
is unreliable, so callers combine it with other evidence (see ``mtqa.checks.untranslated``).

lingua reads its English and French models on the first detection (about 1 s). ``detector()``
does that read itself, under a lock, so ``mtqa.warmup`` can run it in a background thread (the
read releases the GIL) while the main thread imports and aligns; a caller that arrives first, or
meanwhile, waits for the same detector.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()
_DETECTOR: list[Any] = []  # the one detector, once its models are read


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


@lru_cache(maxsize=65536)
def english_confidence(text: str) -> float:
    """lingua's confidence (0–1) that ``text`` is English rather than French; 0.5 when it cannot tell."""
    from lingua import Language

    text = text.strip()
    if not any(c.isalpha() for c in text):
        return 0.5
    return float(detector().compute_language_confidence(text, Language.ENGLISH))
