"""Stage 1 — load: read the user's files into Documents.

Formats: plain text (paragraphs separated by blank lines, or one segment per line), JSONL
(``{"source", "mt", "ref"?, "doc"?}`` per line, pairing given), and vendor XML (XLIFF 1.2/2.0,
TMX 1.4; see ``mtqa.load_xml``). Every problem is an ``InputError`` with one line of text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mtqa.errors import InputError
from mtqa.model import Document, Side, Unit
from mtqa.textio import read_text

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
XML_SUFFIXES = (".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".tmx")


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
    stem = p.name
    for suffix in (".txt", ".jsonl", ".fr", ".en", ".mt", ".ref", ".src", ".source", ".target"):
        if stem.lower().endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
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


def _side_from_units(texts: list[str], lines: list[int], ids: list[str | None], lang: str, path: str) -> Side:
    units: list[Unit] = []
    parts: list[str] = []
    pos = 0
    for text, line, uid in zip(texts, lines, ids):
        units.append(Unit(text=text, start=pos, id=uid, line=line))
        parts.append(text)
        pos += len(text) + 1
    return Side(lang=lang, text="\n".join(parts), units=units, path=path)


def build_paired_documents(rows: list[dict], origin: str) -> list[Document]:
    """Group paired rows ``{"doc", "source", "mt", "ref", "line", "id"}`` into Documents."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["doc"], []).append(row)
    has_ref = any(row.get("ref") is not None for row in rows)
    docs = []
    for doc_id, group in groups.items():
        if has_ref and any(row.get("ref") is None for row in group):
            missing = next(row for row in group if row.get("ref") is None)
            raise InputError(
                f"{origin}:{missing['line']}: no \"ref\" although other rows have one "
                "(give a reference for every row or for none)"
            )
        lines = [row["line"] for row in group]
        ids = [row.get("id") for row in group]
        docs.append(
            Document(
                id=doc_id,
                source=_side_from_units([r["source"] for r in group], lines, ids, "en", origin),
                mt=_side_from_units([r["mt"] for r in group], lines, ids, "fr", origin),
                ref=_side_from_units([r["ref"] for r in group], lines, ids, "fr", origin) if has_ref else None,
                paired=True,
                origin=origin,
            )
        )
    return docs


def load_jsonl(path: str) -> list[Document]:
    """Load ``{"source","mt","ref"?,"doc"?}`` lines; the pairing is given, not re-aligned."""
    text = read_text(path)
    default_doc = doc_id_for(path)
    rows: list[dict] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}:{lineno}: not valid JSON ({e.msg})") from None
        if not isinstance(obj, dict):
            raise InputError(f"{path}:{lineno}: expected a JSON object with \"source\" and \"mt\"")
        for key in ("source", "mt"):
            if key not in obj:
                raise InputError(f"{path}:{lineno}: missing field \"{key}\"")
            if not isinstance(obj[key], str):
                raise InputError(f"{path}:{lineno}: field \"{key}\" must be a string")
        ref = obj.get("ref")
        if ref is not None and not isinstance(ref, str):
            raise InputError(f"{path}:{lineno}: field \"ref\" must be a string")
        doc = obj.get("doc", default_doc)
        if not isinstance(doc, (str, int)):
            raise InputError(f"{path}:{lineno}: field \"doc\" must be a string")
        rows.append(
            {
                "doc": str(doc),
                "source": obj["source"],
                "mt": obj["mt"],
                "ref": ref,
                "line": lineno,
                "id": str(obj["id"]) if "id" in obj else None,
            }
        )
    if not rows:
        raise InputError(f"{path}: no JSON lines")
    return build_paired_documents(rows, path)


def is_jsonl(path: str) -> bool:
    return path.lower().endswith((".jsonl", ".ndjson"))


def is_xml(path: str) -> bool:
    return path.lower().endswith(XML_SUFFIXES)


def load_inputs(
    source: str | None,
    mt: str,
    ref: str | None = None,
    line_aligned: bool = False,
    doc_id: str | None = None,
) -> list[Document]:
    """Dispatch on the MT file's kind. Self-contained files (JSONL, XLIFF, TMX) need no ``-s``."""
    if is_jsonl(mt) or is_xml(mt):
        if source:
            raise InputError(f"{mt}: this file carries the source too; drop -s/--source")
        if ref:
            raise InputError(f"{mt}: give the reference inside the file (\"ref\"), not with -r")
        if is_jsonl(mt):
            return load_jsonl(mt)
        from mtqa import load_xml

        return load_xml.load_xml(mt)
    if not source:
        raise InputError("missing -s/--source (needed for plain-text MT files)")
    return [load_text_pair(source, mt, ref, line_aligned=line_aligned, doc_id=doc_id)]
