"""Adequacy: cross-lingual sentence-embedding similarity (USE-m3 by default), calibrated to 0–100.

This is **not COMET** and not a trained quality-estimation model. It is the cosine similarity of the
embeddings of an aligned source segment and its MT (``adequacy``), or of the MT and the reference
(``adequacy-ref``), mapped to 0–100 by a piecewise-linear calibration measured on real data. It says
"the MT is about the same thing as the source"; it is blind to many fluency errors and to small
meaning errors (a wrong number, a negation), which the checks cover.

It reuses the embeddings the aligner already computed: a segment's text is the aligned sentences
joined by one space, exactly the run the aligner embedded, so the embedder's cache answers (with
line-aligned input, where the aligner does not run, the texts are embedded here once).

Segments with nothing on one side (1-0 omissions, 0-1 additions) get no score: omissions are the
omission check's business. A document's (and the corpus's) score is the mean of its segment scores.

Calibration (``CALIBRATIONS``): anchors measured with ``bench/scores_eval.py`` on newstest2014
en→fr (3,003 segments, USE-m3): the cosine of each source with its human reference, with a
*shuffled* reference (an unrelated French sentence), and with the output of the weakest WMT14
systems. The numbers are in the docstring of each calibration. Another embedder has another
cosine scale; for one without a calibration the score is ``100 × max(cos, 0)`` and the signature
says ``cal:none``.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass

import numpy as np

from mtqa.embed import get_embedder
from mtqa.embed.base import Embedder
from mtqa.model import AlignedDocument, Score, Segment, Side
from mtqa.scores.base import Scorer


@dataclass(frozen=True)
class Calibration:
    """A piecewise-linear map cosine → 0–100 through ``points`` (cos, score), flat outside."""

    version: str
    points: tuple[tuple[float, float], ...]

    def __call__(self, cos: np.ndarray | float) -> np.ndarray:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return np.interp(np.asarray(cos, dtype=np.float64), xs, ys)

    def inverse(self, score: float) -> float:
        """The cosine that maps to ``score`` (for documenting thresholds)."""
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return float(np.interp(score, ys, xs))


# Measured on newstest2014 en→fr (3,003 segments) with use-m3 by bench/scores_eval.py.
#
# src-mt (cross-lingual), cosine percentiles:
#   source ↔ shuffled reference (unrelated French sentence): p50 0.03, p95 0.18, p99 0.28
#   source ↔ human reference (good translation):  p1 0.49, p10 0.66, p50 0.79, p99 0.92
#   source ↔ 3 best WMT14 systems by BLEU (good MT): p50 0.83;  3 worst (bad MT): p50 0.83
#   (USE-m3 rewards literal translations: the worst, rule-based systems are as close to the source
#   as the best ones and closer than the freer human reference, so this score does NOT rank
#   decent systems; it detects unrelated, truncated or garbled output.)
# Anchors: unrelated median → 0, unrelated p99 → 10, human p1 → 40, human p10 → 70,
#          human median → 85, human p99 → 100.
#
# mt-ref (monolingual French), cosine percentiles:
#   reference ↔ shuffled reference: p50 0.04, p99 0.29
#   3 best systems ↔ reference (paraphrases of it): p1 0.49, p10 0.70, p50 0.86; 3 worst: p50 0.82
#   identical text: 1.0
# Anchors: unrelated median → 0, unrelated p99 → 10, good-MT p1 → 40, good-MT p10 → 70,
#          good-MT median → 85, identical → 100.
CALIBRATIONS: dict[tuple[str, str], Calibration] = {
    ("use-m3", "src-mt"): Calibration(
        "use-m3-newstest2014-v1",
        ((0.03, 0.0), (0.28, 10.0), (0.49, 40.0), (0.66, 70.0), (0.79, 85.0), (0.92, 100.0)),
    ),
    ("use-m3", "mt-ref"): Calibration(
        "use-m3-newstest2014-v1",
        ((0.04, 0.0), (0.29, 10.0), (0.49, 40.0), (0.70, 70.0), (0.86, 85.0), (1.0, 100.0)),
    ),
}


def calibration_for(embedder_name: str, kind: str) -> Calibration | None:
    return CALIBRATIONS.get((embedder_name, kind))


def similarity_signature(name: str, kind: str, embedder, agg: str = "mean-of-segments") -> str:
    cal = calibration_for(embedder.name, kind)
    return (f"{name}|sim:cosine-{kind}|embedder:{embedder.signature}"
            f"|cal:{cal.version if cal else 'none'}|agg:{agg}")


def calibrate(embedder_name: str, kind: str, cos: np.ndarray) -> np.ndarray:
    cal = calibration_for(embedder_name, kind)
    return cal(cos) if cal else 100.0 * np.clip(cos, 0.0, None)


def line_scores(embedder, a_lines: list[str], b_lines: list[str], kind: str) -> np.ndarray:
    """Calibrated similarity of line i of ``a_lines`` and ``b_lines`` (``mtqa compare``).

    NaN where line a is blank (nothing to translate), 0 where line b is blank (nothing translated)."""
    a = [x.strip() for x in a_lines]
    b = [x.strip() for x in b_lines]
    keep = [i for i in range(len(a)) if a[i] and b[i]]
    out = np.array([np.nan if not x else 0.0 for x in a], dtype=np.float64)
    if keep:
        va = embedder.encode([a[i] for i in keep])
        vb = embedder.encode([b[i] for i in keep])
        out[keep] = calibrate(embedder.name, kind, np.sum(va * vb, axis=1))
    return out


def line_signature(embedder, name: str) -> str:
    return similarity_signature(name, "src-mt" if name == "adequacy" else "mt-ref", embedder, "mean-of-lines")


def run_text(side: Side, ids: tuple[int, ...]) -> str:
    """The aligner's text for a run of sentences (joined by one space): its embedding is cached."""
    return " ".join(side.sentences[i].text for i in ids)


def _scorable(seg: Segment) -> bool:
    return bool(seg.src_ids) and bool(seg.mt_ids) and bool(seg.source.strip()) and bool(seg.mt.strip())


class _EmbeddingSimilarity(Scorer):
    """Shared code: cosine of two sides' segment texts, calibrated, averaged per document."""

    pair = ""  # "src-mt" or "mt-ref"

    @property
    def embedder(self) -> Embedder:
        """The run's embedder (the aligner's, with its cache), else the settings' one."""
        return self.ctx.embedder if self.ctx.embedder is not None else get_embedder(self.ctx.settings.embedder)

    @abstractmethod
    def pairs(self, adoc: AlignedDocument) -> list[tuple[str, str] | None]:
        """(text A, text B) per segment, or None where the segment is not scored."""

    def calibration(self) -> Calibration | None:
        return calibration_for(self.embedder.name, self.pair)

    def segment_cosines(self, adocs: list[AlignedDocument]) -> dict[str, list[float | None]]:
        emb = self.embedder
        per_doc_pairs = {a.id: self.pairs(a) for a in adocs}
        texts = [t for ps in per_doc_pairs.values() for p in ps if p is not None for t in p]
        vecs = dict(zip(texts, emb.encode(texts))) if texts else {}
        out: dict[str, list[float | None]] = {}
        for doc_id, ps in per_doc_pairs.items():
            out[doc_id] = [None if p is None else float(np.dot(vecs[p[0]], vecs[p[1]])) for p in ps]
        return out

    def signature(self) -> str:
        return similarity_signature(self.name, self.pair, self.embedder)

    def line_scores(self, source: list[str], ref: list[str], hyps: list[str]) -> np.ndarray:
        return line_scores(self.embedder, source if self.pair == "src-mt" else ref, hyps, self.pair)

    def line_signature(self) -> str:
        return line_signature(self.embedder, self.name)

    def score(self, adocs: list[AlignedDocument]):
        cal = self.calibration()
        cosines = self.segment_cosines(adocs)
        sig = self.signature()
        per_seg: dict[str, list[float | None]] = {}
        per_doc: dict[str, Score] = {}
        everything: list[float] = []
        all_cos: list[float] = []
        for a in adocs:
            values: list[float | None] = []
            for c in cosines[a.id]:
                if c is None:
                    values.append(None)
                    continue
                values.append(float(cal(c)) if cal else 100.0 * max(c, 0.0))
            per_seg[a.id] = values
            scored = [v for v in values if v is not None]
            raw = [c for c in cosines[a.id] if c is not None]
            if scored:
                per_doc[a.id] = Score(self.name, float(np.mean(scored)), sig,
                                      {"segments": len(scored), "mean_cosine": round(float(np.mean(raw)), 4)})
            everything.extend(scored)
            all_cos.extend(raw)
        corpus = Score(self.name, float(np.mean(everything)) if everything else 0.0, sig,
                       {"segments": len(everything),
                        "mean_cosine": round(float(np.mean(all_cos)), 4) if all_cos else None})
        return corpus, per_doc, per_seg


class UseAdequacy(_EmbeddingSimilarity):
    """``adequacy``: USE cross-lingual similarity of source and MT (not COMET), calibrated 0–100."""

    name = "adequacy"
    label = "adequacy"
    pair = "src-mt"

    def pairs(self, adoc: AlignedDocument) -> list[tuple[str, str] | None]:
        doc = adoc.doc
        return [(run_text(doc.source, s.src_ids), run_text(doc.mt, s.mt_ids)) if _scorable(s) else None
                for s in adoc.segments]


class UseAdequacyRef(_EmbeddingSimilarity):
    """``adequacy-ref``: USE similarity of MT and reference (monolingual French), calibrated 0–100."""

    name = "adequacy-ref"
    label = "adequacy-ref"
    pair = "mt-ref"
    needs_ref = True

    def pairs(self, adoc: AlignedDocument) -> list[tuple[str, str] | None]:
        doc = adoc.doc
        if doc.ref is None:
            return [None] * len(adoc.segments)
        return [(run_text(doc.mt, s.mt_ids), run_text(doc.ref, s.ref_ids))
                if _scorable(s) and s.ref_ids and (s.ref or "").strip() else None
                for s in adoc.segments]
