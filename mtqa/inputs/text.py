"""Plain-text inputs: paragraphs separated by blank lines, or one segment per line (detected)."""

from __future__ import annotations

import re
from pathlib import Path

from mtqa.errors import InputError
from mtqa.inputs import TEXT_SUFFIXES, strip_suffixes
from mtqa.inputs.textio import read_text
from mtqa.model import Document, Side, Unit

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


def detect_layout(text: str) -> str:
    """``"paragraphs"`` when blocks are separated by blank lines, else ``"lines"``."""
    return "paragraphs" if _BLANK_LINE.search(text.strip("\n")) else "lines"


def split_units(text: str, layout: str | None = None) -> list[Unit]:
    """Cut a side's text into units with their offsets and 1-based line numbers."""
    layout = layout or detect_layout(text)
    units: list[Unit] = []
    if layout == "paragraphs":
        pattern = re.compile(r"[^\n]+(?:\n(?![ \t\u00a0]*\n)[^\n]*)*")
    else:
        pattern = re.compile(r"[^\n]+")
    line, counted = 1, 0  # lines counted incrementally: linear in the file's length
    for m in pattern.finditer(text):
        block = m.group(0)
        stripped = block.strip()
        if not stripped:
            continue
        start = m.start() + (len(block) - len(block.lstrip()))
        line += text.count("\n", counted, start)
        counted = start
        units.append(Unit(text=stripped, start=start, line=line))
    return units


def _side_from_text(text: str, lang: str, path: str | None, layout: str | None) -> Side:
    return Side(lang=lang, text=text, units=split_units(text, layout), path=path)


def doc_id_for(path: str) -> str:
    """A readable document id from a file name: ``pack/mt.fr.txt`` → ``pack``, ``news.fr`` → ``news``."""
    if path == "-":
        return "stdin"
    p = Path(path)
    stem = strip_suffixes(p.name, TEXT_SUFFIXES)
    if stem.lower() in {"mt", "source", "src", "ref", "target", "hyp", "system", "output", "input"}:
        parent = p.resolve().parent.name
        return parent or stem
    return stem


def load_text_pair(
    source: str,
    mt: str,
    ref: str | None = None,
    line_aligned: bool = False,
    doc_id: str | None = None,
) -> Document:
    """Load a plain-text source/MT(/reference) triple as one document."""
    src_text = read_text(source)
    mt_text = read_text(mt)
    ref_text = read_text(ref) if ref else None
    layout = "lines" if line_aligned else None
    doc = Document(
        id=doc_id or doc_id_for(mt),
        source=_side_from_text(src_text, "en", source, layout),
        mt=_side_from_text(mt_text, "fr", mt, layout),
        ref=_side_from_text(ref_text, "fr", ref, layout) if ref_text is not None else None,
        paired=line_aligned,
    )
    if line_aligned:
        counts = {"source": len(doc.source.units), "MT": len(doc.mt.units)}
        if doc.ref is not None:
            counts["reference"] = len(doc.ref.units)
        if len(set(counts.values())) > 1:
            detail = ", ".join(f"{k} has {v}" for k, v in counts.items())
            raise InputError(
                f"--line-aligned needs the same number of non-empty lines on every side ({detail})"
            )
    return doc
