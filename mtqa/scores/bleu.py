"""BLEU through sacrebleu, at corpus, document and segment level.

Also the shared base of the three sacrebleu scores (BLEU, chrF/chrF++, TER): sacrebleu extracts the
sufficient statistics of every segment once (through ``sacrebleu_stats``, the entry points its own
significance tests use); the corpus score aggregates all of them, a document score aggregates that
document's segments, a segment score is computed from that segment's statistics alone. So the corpus
number is exactly what ``sacrebleu REF < MT`` prints for the same lines, and nothing is
re-implemented.

What a "segment" is: with line-aligned input (``--line-aligned``, JSONL, XLIFF/TMX, ``--docids``)
one segment is one line, as sacrebleu sees it. Otherwise mtqa's aligner decides (hypothesis =
the MT sentences of an aligned segment, reference = the reference sentences aligned to the same
source sentences); the signature then ends in ``|segments:mtqa-aligned`` to say so.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

from mtqa.errors import ConfigError
from mtqa.model import AlignedDocument, Score
from mtqa.scores import sacrebleu_stats as sb
from mtqa.scores.base import SACREBLEU, Scorer


class SacrebleuScorer(Scorer):
    """A score computed by a sacrebleu ``Metric`` (needs a reference), through ``sacrebleu_stats``."""

    needs_ref: ClassVar[bool] = True
    kind: ClassVar[str] = SACREBLEU

    @abstractmethod
    def corpus_metric(self) -> Any:
        """The sacrebleu metric for corpus and document scores."""

    def segment_metric(self) -> Any:
        """The sacrebleu metric whose ``sentence_score`` the segment scores equal (default: same)."""
        return self.corpus_metric()

    def score(self, adocs: list[AlignedDocument]):
        metric = self.corpus_metric()
        seg_metric = self.segment_metric()
        hyps: list[str] = []
        refs: list[str] = []
        spans: dict[str, tuple[int, int]] = {}
        for a in adocs:
            start = len(hyps)
            for seg in a.segments:
                hyps.append(seg.mt)
                refs.append(seg.ref or "")
            spans[a.id] = (start, len(hyps))
        # sacrebleu's own statistics, one list per segment; every level aggregates a slice of them.
        stats = self.statistics(metric, hyps, refs)
        aligned = any(not a.doc.paired for a in adocs)
        suffix = "|segments:mtqa-aligned" if aligned else ""
        signature = sb.signature(metric) + suffix
        if seg_metric is not metric:
            sb.share_references(seg_metric, metric)  # it never saw the references: same ones, same count
            seg_signature = sb.signature(seg_metric) + suffix
        else:
            seg_signature = signature

        def make(part: list) -> Score:
            result = sb.aggregate(metric, part)
            return Score(self.name, float(result.score), signature, self.extra(result))

        corpus = make(stats) if stats else Score(self.name, 0.0, signature, {"segments": 0})
        corpus.extra["segment_signature"] = seg_signature
        corpus.extra["segments"] = len(stats)
        per_doc: dict[str, Score] = {}
        per_seg: dict[str, list[float | None]] = {}
        for a in adocs:
            lo, hi = spans[a.id]
            if hi > lo:
                per_doc[a.id] = make(stats[lo:hi])
            per_seg[a.id] = [None if not seg.mt and not seg.ref else sb.segment_score(seg_metric, stats[lo + k])
                             for k, seg in enumerate(a.segments)]
        return corpus, per_doc, per_seg

    def statistics(self, metric: Any, hyps: list[str], refs: list[str]) -> list:
        """Per-segment sufficient statistics from sacrebleu. Segments are independent (a corpus score
        aggregates their statistics), so with a cache only the (hypothesis, reference) pairs not
        seen yet are extracted — once each — and the result is what one call on all of them gives."""
        cache = self.ctx.stats_cache
        table = {} if cache is None else cache.setdefault(self.name, {})  # one run, one configuration per name
        return sb.statistics(metric, hyps, refs, table)

    def extra(self, result: Any) -> dict:
        """Details kept next to the number (sacrebleu's verbose line)."""
        return {"sacrebleu": result.format(width=2)}


class BleuScorer(SacrebleuScorer):
    """sacrebleu BLEU; the tokenizer comes from ``--tokenize`` (13a by default, intl, …).

    Segment scores use ``effective_order=True``, as sacrebleu's ``sentence_score`` recommends."""

    name = "bleu"
    label = "BLEU"

    def _bleu(self, effective_order: bool):
        from sacrebleu.metrics import BLEU

        tok = self.ctx.settings.tokenize
        if tok not in BLEU.TOKENIZERS:
            raise ConfigError(f"unknown sacrebleu tokenizer {tok!r} (choose from {', '.join(BLEU.TOKENIZERS)})")
        return BLEU(tokenize=tok, effective_order=effective_order)

    def corpus_metric(self):
        if not hasattr(self, "_corpus"):
            self._corpus = self._bleu(False)
        return self._corpus

    def segment_metric(self):
        if not hasattr(self, "_segment"):
            self._segment = self._bleu(True)
        return self._segment
