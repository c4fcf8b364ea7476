"""Stage 3 — align: link source sentences to MT (and reference) sentences, build Segments.

A vecalign/bertalign-style aligner, written here because neither ships as a maintained library
that takes our own embedder and offsets. By concern:

- ``params``: ``AlignParams`` (band, skip costs, bead priors, confidence scale) and the bead types;
- ``beads``: what a bead costs: the Gale-Church length model and the scorers (embedding cosine
  with length, bead-type and paragraph terms; length alone without an embedder);
- ``dp``: the coarse 1-1 pass (downsampled for long documents) and the banded fine pass;
- ``segments``: ``align_sentences`` (links with confidences), ``build_segments``, ``align_document``.

This module only re-exports; no submodule imports it.
"""

from __future__ import annotations

from mtqa.align.beads import BeadScorer, EmbeddingScorer, GaleChurchScorer, SideInfo, gale_church_cost
from mtqa.align.params import DEFAULT_PARAMS, AlignParams
from mtqa.align.segments import align_document, align_sentences, build_segments

__all__ = [
    "DEFAULT_PARAMS",
    "AlignParams",
    "BeadScorer",
    "EmbeddingScorer",
    "GaleChurchScorer",
    "SideInfo",
    "align_document",
    "align_sentences",
    "build_segments",
    "gale_church_cost",
]
