"""Stage 1 — inputs: read the user's files into Documents.

``LOADERS`` maps the suffix of a self-contained file (it carries the source and the pairing) to
its loader; any other MT file is plain text with a separate source (``mtqa.inputs.text``).
Every problem is an ``InputError`` with one line of text. Adding a format is one module and one
row here.
"""

from __future__ import annotations

from importlib import import_module

from mtqa.errors import InputError
from mtqa.model import Document

LOADERS: dict[str, str] = {
    ".jsonl": "mtqa.inputs.jsonl:load_jsonl",
    ".ndjson": "mtqa.inputs.jsonl:load_jsonl",
    ".xlf": "mtqa.inputs.xml:load_xml",
    ".xliff": "mtqa.inputs.xml:load_xml",
    ".sdlxliff": "mtqa.inputs.xml:load_xml",
    ".mqxliff": "mtqa.inputs.xml:load_xml",
    ".tmx": "mtqa.inputs.xml:load_xml",
}
SELF_CONTAINED = tuple(LOADERS)


def loader_for(path: str):
    """The loader of a self-contained file (by suffix), or None for plain text."""
    lower = path.lower()
    for suffix, target in LOADERS.items():
        if lower.endswith(suffix):
            module, _, func = target.partition(":")
            return getattr(import_module(module), func)
    return None


def load_inputs(
    source: str | None,
    mt: str,
    ref: str | None = None,
    line_aligned: bool = False,
    doc_id: str | None = None,
) -> list[Document]:
    """Dispatch on the MT file's kind. Self-contained files (JSONL, XLIFF, TMX) need no ``-s``."""
    load = loader_for(mt)
    if load is not None:
        if source:
            raise InputError(f"{mt}: this file carries the source too; drop -s/--source")
        if ref:
            raise InputError(f"{mt}: give the reference inside the file (\"ref\"), not with -r")
        return load(mt)
    if not source:
        raise InputError("missing -s/--source (needed for plain-text MT files)")
    from mtqa.inputs.text import load_text_pair

    return [load_text_pair(source, mt, ref, line_aligned=line_aligned, doc_id=doc_id)]
