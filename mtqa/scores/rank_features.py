"""The features of the learned rankers (``rank-ref``, ``rank-qe``): one function per feature.

Every feature is computed from what the rest of mtqa already computes, through the same caches:
sacrebleu's per-segment statistics (the ``chrf``, ``ter`` and ``bleu`` tables of the run's
statistics cache, so with those scores selected nothing is extracted twice), the USE-m3 cosines
of ``adequacy``/``adequacy-ref`` (the aligner's cached vectors), the findings of the checks
(``rank-qe`` runs after them) and a French character LM (``mtqa.scores.charlm``).

``FEATURES`` maps a name to (function, needs a reference); a function takes a ``Batch`` and
returns one float per segment (NaN where it does not apply: the segment then gets no score).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mtqa.model import AlignedDocument, Finding, Segment
from mtqa.scores.base import ScoreContext

_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Batch:
    """The segments of some documents, flattened in order, with what the features read."""

    adocs: list[AlignedDocument]
    ctx: ScoreContext
    findings: dict[str, list[Finding]] = field(default_factory=dict)  # doc id → findings (rank-qe)
    lm: Any = None  # a charlm.CharLM, for the ``charlm`` feature
    _memo: dict[str, Any] = field(default_factory=dict)

    @property
    def segments(self) -> list[Segment]:
        return [s for a in self.adocs for s in a.segments]

    def stats(self, name: str) -> list:
        """sacrebleu statistics of every segment for the run's ``name`` scorer (chrf, ter, bleu)."""
        if name not in self._memo:
            from mtqa.scores.registry import get_scorer

            scorer = get_scorer(name)(self.ctx)
            segs = self.segments
            self._memo[name] = scorer.statistics(scorer.corpus_metric(), [s.mt for s in segs],
                                                 [s.ref or "" for s in segs])
        return self._memo[name]

    def cosines(self, score: str) -> np.ndarray:
        """Raw USE cosines of the ``adequacy`` (src–mt) or ``adequacy-ref`` (mt–ref) pairs."""
        if score not in self._memo:
            from mtqa.scores.registry import get_scorer

            by_doc = get_scorer(score)(self.ctx).segment_cosines(self.adocs)
            self._memo[score] = np.array([np.nan if c is None else c for a in self.adocs for c in by_doc[a.id]])
        return self._memo[score]


def chrf(b: Batch) -> np.ndarray:
    """sacrebleu's sentence chrF (0–1)."""
    from mtqa.scores import sacrebleu_stats as sb
    from mtqa.scores.registry import get_scorer

    metric = get_scorer("chrf")(b.ctx).corpus_metric()
    return np.array([sb.segment_score(metric, row) / 100.0 for row in b.stats("chrf")])


def ter_edits(b: Batch) -> np.ndarray:
    """log(1 + TER's edit count) against the reference."""
    return np.array([math.log1p(float(row[0])) for row in b.stats("ter")])


def bleu_p1(b: Batch) -> np.ndarray:
    """BLEU's unigram precision (clipped matches / MT tokens)."""
    return np.array([float(row[2]) / max(float(row[6]), 1.0) for row in b.stats("bleu")])


def cos_ref(b: Batch) -> np.ndarray:
    return b.cosines("adequacy-ref")


def cos_src(b: Batch) -> np.ndarray:
    return b.cosines("adequacy")


def charlm(b: Batch) -> np.ndarray:
    """Mean log10-probability per character of the MT under the French character LM."""
    return b.lm.logprob_per_char([s.mt.strip() for s in b.segments])


def charlm_total(b: Batch) -> np.ndarray:
    """Log10-probability of the whole MT under the character LM (per character × characters + EOS):
    the per-character mean with the MT's length folded in, so needless additions cost."""
    texts = [s.mt.strip() for s in b.segments]
    return b.lm.logprob_per_char(texts) * np.array([len(t) + 1.0 for t in texts])


def token_ratio(b: Batch) -> np.ndarray:
    """|log((MT tokens + 1) / (source tokens + 1))|, whitespace tokens: too long or too short."""
    return np.array([abs(math.log((len(s.mt.split()) + 1) / (len(s.source.split()) + 1))) for s in b.segments])


def caps_kept(b: Batch) -> np.ndarray:
    """Share of the source's capitalised words (not its first word; two letters or more) found in the
    MT: names and acronyms are usually kept as they are. 1 when the source has none."""
    out = []
    for s in b.segments:
        caps = [w for i, w in enumerate(_WORD.findall(s.source)) if i > 0 and len(w) > 1 and w[0].isupper()]
        out.append(sum(w in s.mt for w in caps) / len(caps) if caps else 1.0)
    return np.array(out)


def number_mismatch(b: Batch) -> np.ndarray:
    """1 when the MT's digit runs are not those of the reference (as a multiset), else 0."""
    return np.array([float(Counter(_DIGITS.findall(s.mt)) != Counter(_DIGITS.findall(s.ref or "")))
                     for s in b.segments])


def copied_source(b: Batch) -> np.ndarray:
    """Share of the MT's words that are lower-case words of the source (left in English)."""
    out = []
    for s in b.segments:
        src = {w for w in _WORD.findall(s.source) if w.islower()}
        words = _WORD.findall(s.mt)
        out.append(sum(w in src for w in words) / len(words) if words else 0.0)
    return np.array(out)


def _mqm(b: Batch, prefix: str) -> np.ndarray:
    """log(1 + MQM penalty of the segment's findings whose category starts with ``prefix``)."""
    weights = b.ctx.settings.mqm_weights
    out: list[float] = []
    for a in b.adocs:
        per_seg: dict[int, float] = {}
        for f in b.findings.get(a.id, []):
            if f.category.startswith(prefix):
                per_seg[f.segment] = per_seg.get(f.segment, 0.0) + weights.get(f.severity, 0.0)
        out.extend(math.log1p(per_seg.get(s.index, 0.0)) for s in a.segments)
    return np.array(out)


def mqm_accuracy(b: Batch) -> np.ndarray:
    """log(1 + MQM penalty of the segment's accuracy/* findings), with the run's MQM weights."""
    return _mqm(b, "accuracy/")


def accuracy_flagged(b: Batch) -> np.ndarray:
    """1 when the segment's accuracy/* findings carry an MQM penalty, else 0 (next to the penalty's
    size, ``mqm_accuracy``: one finding weighs more than the log of the penalty says)."""
    return (_mqm(b, "accuracy/") > 0).astype(np.float64)


def mqm_fluency(b: Batch) -> np.ndarray:
    """log(1 + MQM penalty of the segment's fluency/* findings: grammar, spelling, punctuation)."""
    return _mqm(b, "fluency/")


def mqm_other(b: Batch) -> np.ndarray:
    """log(1 + MQM penalty of the segment's style/* and terminology/* findings)."""
    return _mqm(b, "style/") + _mqm(b, "terminology/")


# name → (function, needs a reference). A model file lists the ones it uses, in its order.
FEATURES: dict[str, tuple[Callable[[Batch], np.ndarray], bool]] = {
    "chrf": (chrf, True),
    "cos_ref": (cos_ref, True),
    "ter_edits": (ter_edits, True),
    "bleu_p1": (bleu_p1, True),
    "number_mismatch": (number_mismatch, True),
    "cos_src": (cos_src, False),
    "charlm": (charlm, False),
    "copied_source": (copied_source, False),
    "mqm_accuracy": (mqm_accuracy, False),
    "accuracy_flagged": (accuracy_flagged, False),
    "mqm_fluency": (mqm_fluency, False),
    "mqm_other": (mqm_other, False),
    "charlm_total": (charlm_total, False),
    "token_ratio": (token_ratio, False),
    "caps_kept": (caps_kept, False),
}


def matrix(b: Batch, names: list[str]) -> np.ndarray:
    """(segments × features) in the order of ``names``; a row with a NaN is not scorable."""
    segs = b.segments
    if not segs:
        return np.zeros((0, len(names)))
    cols = [np.asarray(FEATURES[n][0](b), dtype=np.float64) for n in names]
    x = np.stack(cols, axis=1)
    empty = np.array([not (s.source.strip() and s.mt.strip()) for s in segs])
    x[empty] = np.nan
    return x
