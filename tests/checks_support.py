"""Build aligned documents by hand for check tests (no embedder, no aligner)."""

from __future__ import annotations

from pathlib import Path

from mtqa.checks.base import CheckContext
from mtqa.checks.engine import run_checks
from mtqa.checks.registry import REGISTRY
from mtqa.config import Settings
from mtqa.model import (
    AlignedDocument,
    Document,
    Finding,
    Link,
    Segment,
    Sentence,
    Side,
    Unit,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "references" / "kyiv-air-defence"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "checks"


def _side(lang: str, paragraphs: list[list[str]]) -> tuple[Side, list[tuple[int, int]]]:
    """A side whose units are paragraphs of sentences joined by a space; (start, end) per sentence."""
    text_parts: list[str] = []
    units: list[Unit] = []
    sentences: list[Sentence] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for u, para in enumerate(paragraphs):
        if u:
            text_parts.append("\n\n")
            pos += 2
        ustart = pos
        for k, sent in enumerate(para):
            if k:
                text_parts.append(" ")
                pos += 1
            sentences.append(Sentence(sent, pos, pos + len(sent), u))
            spans.append((pos, pos + len(sent)))
            text_parts.append(sent)
            pos += len(sent)
        units.append(Unit("".join(text_parts)[ustart:pos], ustart, line=u * 2 + 1))
    side = Side(lang, "".join(text_parts), units, sentences=sentences)
    return side, spans


def make_doc(pairs: list, doc_id: str = "doc") -> AlignedDocument:
    """``pairs``: a list of paragraphs; a paragraph is a list of (source, mt) sentence pairs, or one
    (source, mt) pair. An empty source or MT makes a 0-1 or 1-0 segment."""
    paras = [p if isinstance(p, list) else [p] for p in pairs]
    src_side, src_spans = _side("en", [[s for s, _ in p if s] for p in paras])
    mt_side, mt_spans = _side("fr", [[m for _, m in p if m] for p in paras])
    segments, links = [], []
    si = mi = 0
    for para in paras:
        for s, m in para:
            src_ids = (si,) if s else ()
            mt_ids = (mi,) if m else ()
            seg = Segment(
                index=len(segments), source=s, mt=m, ref=None, src_ids=src_ids, mt_ids=mt_ids,
                alignment=f"{len(src_ids)}-{len(mt_ids)}", confidence=0.9,
                src_offset=src_spans[si][0] if s else None,
                mt_offset=mt_spans[mi][0] if m else None,
            )
            segments.append(seg)
            links.append(Link(src_ids, mt_ids, 0.9))
            si += bool(s)
            mi += bool(m)
    doc = Document(doc_id, src_side, mt_side)
    return AlignedDocument(doc, segments, links)


def seed_pairs(mt_name: str = "mt.fr.txt") -> list:
    src = [p for p in (SEED / "source.en.txt").read_text(encoding="utf-8").split("\n\n")]
    mt = [p for p in (SEED / mt_name).read_text(encoding="utf-8").split("\n\n")]
    assert len(src) == len(mt) == 13
    return [(s.strip(), m.strip()) for s, m in zip(src, mt)]


def run_one(check_id: str, adoc: AlignedDocument, settings: Settings | None = None, **kw) -> list[Finding]:
    settings = settings or Settings(**kw)
    ctx = CheckContext(adoc=adoc, settings=settings, embedder=None)  # type: ignore[arg-type]
    return list(REGISTRY[check_id](settings).run(ctx))


def run_all(adoc: AlignedDocument, settings: Settings | None = None, **kw) -> list[Finding]:
    return run_checks(adoc, settings or Settings(**kw), None)  # type: ignore[arg-type]


def check_offsets(findings: list[Finding], adoc: AlignedDocument) -> None:
    for f in findings:
        seg = adoc.segments[f.segment]
        assert f.mt_text == seg.mt[f.mt_start:f.mt_end], f
        if f.source_start is not None:
            assert f.source_text == seg.source[f.source_start:f.source_end], f


GRAMMALECTE_PYTHON = "/usr/bin/python3"


def grammalecte_version() -> str:
    """The installed Grammalecte's version, or why it is unavailable."""
    from mtqa.checks.grammar.worker import GrammarUnavailable, get_worker

    try:
        return get_worker(GRAMMALECTE_PYTHON).version
    except GrammarUnavailable as e:
        return f"unavailable: {e}"


def needs_grammalecte_marker():
    """A skip marker for tests that need Grammalecte (installed by .ci/run)."""
    import pytest

    version = grammalecte_version()
    return pytest.mark.skipif(not version.startswith("Grammalecte"),
                              reason=f"Grammalecte not installed ({version}); apt-get install python3-grammalecte grammalecte-cli")
