"""Stage 1 — vendor XML deliveries (source and target in one file): safe parsing and the helpers
the XML formats share; the format modules (``ROOTS`` in ``mtqa.inputs``) read the parsed tree.

Parsed with defusedxml: a DOCTYPE, entity declarations and external references are refused before
anything is expanded, so billion-laughs files and XXE files fail fast with one line of text.
Vendor unit ids are kept in ``Unit.id`` and the line of each ``<target>`` in ``Unit.line``, so
findings point back to the vendor's units.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from mtqa.errors import InputError
from mtqa.inputs import ROOTS, resolve
from mtqa.inputs.paired import build_paired_documents
from mtqa.inputs.textio import read_bytes
from mtqa.model import Document

Lines = dict[int, int]  # id(element) → the line of its start tag

# Inline elements whose content is native markup (tags of the original format), not text.
_CODE_ELEMENTS = {"bpt", "ept", "it", "ph", "ut", "x", "bx", "ex", "sc", "ec", "sm", "em", "sub"}


def local_name(tag: object) -> str:
    """The tag without its ``{namespace}`` (comments and processing instructions: "")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _LineTreeBuilder(TreeBuilder):
    """A TreeBuilder that remembers the line of each element (ElementTree does not keep it)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: Lines = {}
        self.expat = None

    def start(self, tag, attrs):
        el = super().start(tag, attrs)
        if self.expat is not None:
            self.lines[id(el)] = self.expat.CurrentLineNumber
        return el


def parse_xml(path: str) -> tuple[Element, Lines]:
    """Parse a vendor XML file safely; returns the root and {id(element): line}."""
    data = read_bytes(path)
    if not data.strip():
        raise InputError(f"{path}: file is empty")
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except DTDForbidden:
        raise InputError(
            f"{path}: refused: the file has a DOCTYPE/DTD (entity declarations and external "
            "references are not allowed in vendor files)"
        ) from None
    except EntitiesForbidden as e:
        raise InputError(f"{path}: refused: the file declares XML entities ({e.name!r}); they are not expanded") from None
    except ExternalReferenceForbidden:
        raise InputError(f"{path}: refused: the file references an external entity") from None
    except ParseError as e:
        line, col = e.position
        msg = str(e).split(":")[0]
        raise InputError(f"{path}:{line}:{col + 1}: malformed XML ({msg})") from None
    return root, builder.lines


def _code_point(el: Element) -> str:
    """XLIFF 2.0 ``<cp hex="…"/>``: a code point that XML cannot carry. Bad hex, a value past
    U+10FFFF, a surrogate (D800-DFFF) or NUL is no character of a text: an ``InputError``."""
    hex_value = (el.get("hex") or "")[:40]
    try:
        cp = int(hex_value, 16)
        ch = chr(cp)
    except (ValueError, OverflowError):
        raise InputError(f"XLIFF <cp hex=\"{hex_value}\"/>: not a Unicode code point") from None
    if cp == 0 or 0xD800 <= cp <= 0xDFFF:
        raise InputError(f"XLIFF <cp hex=\"{el.get('hex')}\"/>: U+{cp:04X} is not a character a text may hold")
    return ch


def inline_text(el: Element | None) -> str:
    """The translatable text of a source/target/seg element, without inline codes' native markup."""
    if el is None:
        return ""
    parts: list[str] = [el.text or ""]
    for child in el:
        name = local_name(child.tag)
        if name == "cp":
            parts.append(_code_point(child))
        elif name not in _CODE_ELEMENTS:
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def check_langs(path: str, src: str | None, tgt: str | None, where: str) -> None:
    """Refuse a file whose declared languages are not English → French."""
    if src and src != "*all*" and not src.lower().startswith("en"):
        raise InputError(f"{path}:{where}: source language is {src!r}; mtqa checks English→French")
    if tgt and not tgt.lower().startswith("fr"):
        raise InputError(f"{path}:{where}: target language is {tgt!r}; mtqa checks English→French")


def children(el: Element, name: str) -> list[Element]:
    """The direct children of ``el`` with this local name."""
    return [c for c in el if local_name(c.tag) == name]


def iter_named(el: Element, name: str) -> Iterator[Element]:
    """``el`` and its descendants with this local name, in document order."""
    for c in el.iter():
        if local_name(c.tag) == name:
            yield c


def paired_row(doc: str, source: Element, target: Element, line: int, lines: Lines, uid: str) -> dict:
    """One row for ``build_paired_documents``; its line is the target's (else the unit's)."""
    return {"doc": doc, "source": inline_text(source), "mt": inline_text(target), "ref": None,
            "line": lines.get(id(target), line), "id": uid}


def load_xml(path: str) -> list[Document]:
    """Load a vendor XML file (the format by its root element, ``ROOTS``): XLIFF 1.2/2.0 gives one
    Document per ``<file>``, TMX one per file."""
    root, lines = parse_xml(path)
    try:
        rows = _rows(path, root, lines)
    except RecursionError:
        raise InputError(f"{path}: inline markup nested too deeply to be a translation unit") from None
    if not rows:
        raise InputError(f"{path}: no translation units")
    docs = build_paired_documents(rows, path)
    for d in docs:
        d.mt.path = path
    return docs


def _rows(path: str, root: Element, lines: Lines) -> list[dict]:
    name = local_name(root.tag)
    target = ROOTS.get(name)
    if target is None:
        kinds = " or ".join(k.upper() for k in ROOTS)
        raise InputError(f"{path}: not {kinds} (root element <{name}>)")
    rows: list[dict] = resolve(target)(path, root, lines)
    return rows
