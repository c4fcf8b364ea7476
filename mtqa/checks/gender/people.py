"""People of the glossary: an entry with a ``gender`` column (``f``/``m``) names a person, and the
name in the English fixes that person's gender like a pronoun does (``Cue``)."""

from __future__ import annotations

from mtqa.checks.gender.english import Cue
from mtqa.checks.glossary.load import GlossaryEntry, GlossaryIndex


class People:
    """The glossary's people, indexed by word (``GlossaryIndex``) so that a segment tries only the
    entries whose first word it contains."""

    def __init__(self, entries: list[GlossaryEntry]) -> None:
        self.index = GlossaryIndex([e for e in entries if e.gender])

    def __bool__(self) -> bool:
        return bool(self.index.entries)

    def __call__(self, text: str) -> list[Cue]:
        """The names of the glossary's people in the English ``text``, as gender cues. A name
        written with a capital matches only with a capital (Rose the name, not a rose)."""
        out: list[Cue] = []
        for e in self.index.candidates(text):
            if not e.applies(text):
                continue
            for m in e.source_regex.finditer(text):
                if m.end() == m.start() or (e.source[:1].isupper() and not m.group()[:1].isupper()):
                    continue
                assert e.gender is not None
                out.append(Cue(e.gender, m.start(), m.end(), m.group(), f" (glossary, {e.where})"))
        return out
