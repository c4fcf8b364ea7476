"""The per-document stages every process runs: segment and align."""

from __future__ import annotations

from mtqa.align import align_document
from mtqa.checks.grammar import prefetch_document
from mtqa.config import Settings
from mtqa.embed import get_embedder
from mtqa.model import AlignedDocument, Document
from mtqa.pipeline.progress import Progress, noop_progress
from mtqa.text.segment import segment_document


def align_documents(documents: list[Document], settings: Settings, progress: Progress = noop_progress) -> list[AlignedDocument]:
    embedder = get_embedder(settings.embedder)
    adocs = []
    for i, doc in enumerate(documents):
        segment_document(doc)
        prefetch_document(doc, settings)  # Grammalecte checks the MT sentences while this aligns them
        adocs.append(align_document(doc, embedder))
        progress("align", i + 1, len(documents))
    return adocs
