"""Where a missing name went: the French span that renders a ``names.missing`` name.

A name is missing when neither it, a close spelling nor an accepted form is in the aligned French.
Its rendering, if any, is then an *orphan*: a run of mid-sentence capitalised French words that
spells no word of the source and no accepted French form of a listed name of the source (Rustem
Umerov → ``Roustam Oumarov`` slipped past the spelling check, Axios → ``Axiome``). Of the orphans,
the one the cross-lingual embedder puts nearest the name (cosine ≥ ``SIMILAR``), or without an
embedder the one nearest the name's relative position in the segment (within ``POSITION``), is the
span. None when the French has no orphan: the finding stays segment-level.
"""

from __future__ import annotations

import re
from typing import Any

from mtqa.checks.names.core import _CONNECTORS, _SRC_TOKEN, NameData
from mtqa.text.matching import close_spelling, is_mid_sentence_capital

SIMILAR = 0.35  # cosine of a name and its (mis)spelt French rendering
POSITION = 0.3  # largest gap of relative positions (0 … 1) without an embedder
_FR_CAP = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\w]*(?:[-'’][\w]+)*")


def _listed_french_words(src: str, data: NameData) -> set[str]:
    """The words of the accepted French forms of the listed names the source mentions."""
    out: set[str] = set()
    if data.source_rx is None:
        return out
    for m in data.source_rx.finditer(src):
        entry = data.by_form.get(" ".join(m.group(1).split()))
        if entry is not None:
            for form in entry.french:
                out.update(w.lower() for w in re.findall(r"\w+", form))
    return out


def orphan_runs(src: str, mt: str, data: NameData) -> list[tuple[int, int]]:
    """Runs of mid-sentence capitalised French words that render no word of the source."""
    src_words = [w for w in _SRC_TOKEN.findall(src) if len(w) >= 3]
    listed = _listed_french_words(src, data)
    runs: list[tuple[int, int]] = []
    for m in _FR_CAP.finditer(mt):
        w = m.group(0)
        if len(w) < 3 or not is_mid_sentence_capital(mt, m.start()) or w.lower() in listed:
            continue
        if any(close_spelling(w, s) for s in src_words):
            continue
        if runs and all(x.lower() in _CONNECTORS for x in mt[runs[-1][1]:m.start()].split()) \
                and "," not in mt[runs[-1][1]:m.start()]:
            runs[-1] = (runs[-1][0], m.end())
        else:
            runs.append((m.start(), m.end()))
    return runs


def missing_span(src: str, mt: str, name: str, src_start: int, data: NameData,
                 embedder: Any = None) -> tuple[int, int] | None:
    """The French span that renders the missing ``name`` (at ``src_start`` in ``src``), or None."""
    runs = orphan_runs(src, mt, data)
    if not runs:
        return None
    if embedder is not None:
        vecs = embedder.encode([name] + [mt[s:e] for s, e in runs])
        sims = vecs[1:] @ vecs[0]
        best = int(sims.argmax())
        return runs[best] if float(sims[best]) >= SIMILAR else None
    where = src_start / max(len(src), 1)
    gap, best_run = min((abs(s / max(len(mt), 1) - where), (s, e)) for s, e in runs)
    return best_run if gap <= POSITION else None
