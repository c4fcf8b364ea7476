"""Stage 1 — inputs: read the user's files into Documents.

The tables below are the one place that knows the input formats and their file names:

- ``LOADERS``: suffix of a self-contained file (it carries the source and the pairing) →
  ``"module:function"``, a loader ``path → list[Document]``.
- ``ROOTS``: root element of a vendor XML file → ``"module:function"``, which turns the tree that
  ``mtqa.inputs.xml`` parsed safely into paired rows ``(path, root, lines) → list[dict]``.
- ``PLAIN_TEXT``: the loader of any other MT file: plain text with a separate source.
- ``SELF_CONTAINED`` and ``XML_SUFFIXES``: those suffixes, for directory discovery, the CLI and
  the renderers; ``TEXT_SUFFIXES`` and ``SYSTEM_SUFFIXES``: the name parts dropped to make a
  document id and a system name (``strip_suffixes``).

This module imports no loader: each row is imported on first use, so every loader module can import
these tables without an import cycle. Adding a format is one module and one row here (an XML format
with a new suffix: one row in each table). Every problem is an ``InputError`` with one line of text.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from mtqa.errors import InputError
from mtqa.model import Document

XML_LOADER = "mtqa.inputs.xml:load_xml"
LOADERS: dict[str, str] = {
    ".jsonl": "mtqa.inputs.jsonl:load_jsonl",
    ".ndjson": "mtqa.inputs.jsonl:load_jsonl",
    ".xlf": XML_LOADER,
    ".xliff": XML_LOADER,
    ".sdlxliff": XML_LOADER,
    ".mqxliff": XML_LOADER,
    ".tmx": XML_LOADER,
}
ROOTS: dict[str, str] = {
    "xliff": "mtqa.inputs.xliff:xliff_rows",  # XLIFF 1.2 and 2.0 (by the version attribute)
    "tmx": "mtqa.inputs.tmx:tmx_rows",  # TMX 1.4
}
PLAIN_TEXT = "mtqa.inputs.text:load_text_pair"

SELF_CONTAINED = tuple(LOADERS)
XML_SUFFIXES = tuple(suffix for suffix, target in LOADERS.items() if target == XML_LOADER)
# Name parts dropped, in this order and whatever their case, from a file name to make a document id
# (``pack/mt.fr.txt`` → ``pack``, ``news.fr`` → ``news``; see ``mtqa.inputs.text.doc_id_for``).
TEXT_SUFFIXES = (".txt", ".jsonl", ".fr", ".en", ".mt", ".ref", ".src", ".source", ".target")
# Name parts dropped, in this order and case-sensitively, from a system output's file name to make
# its name in ``mtqa compare`` (WMT system outputs: ``newstest2014.onlineB.0.fr``, ``*.sgm``).
SYSTEM_SUFFIXES = (".txt", ".fr", ".sgm")


def strip_suffixes(name: str, suffixes: tuple[str, ...], fold_case: bool = True) -> str:
    """Drop each suffix in turn from the end of ``name``, never down to nothing."""
    for suffix in suffixes:
        tail = name.lower() if fold_case else name
        if tail.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    return name


def resolve(target: str) -> Callable[..., Any]:
    """The function a ``"module:function"`` row names (its module is imported now)."""
    module, _, func = target.partition(":")
    return getattr(import_module(module), func)


def loader_for(path: str) -> Callable[[str], list[Document]] | None:
    """The loader of a self-contained file (by suffix, any case), or None for plain text."""
    lower = path.lower()
    for suffix, target in LOADERS.items():
        if lower.endswith(suffix):
            return resolve(target)
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
    return [resolve(PLAIN_TEXT)(source, mt, ref, line_aligned=line_aligned, doc_id=doc_id)]
