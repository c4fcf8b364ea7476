"""Stage 1 — load vendor deliveries: XLIFF 1.2, XLIFF 2.0 and TMX 1.4 (source and target in one file).

Parsed with defusedxml: a DOCTYPE, entity declarations and external references are refused before
anything is expanded, so billion-laughs files and XXE files fail fast with one line of text.
Vendor unit ids are kept in ``Unit.id`` and the line of each ``<target>`` in ``Unit.line``, so
findings point back to the vendor's units.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from mtqa.errors import InputError
from mtqa.inputs.paired import build_paired_documents
from mtqa.inputs.text import doc_id_for
from mtqa.inputs.textio import read_bytes
from mtqa.model import Document

# Inline elements whose content is native markup (tags of the original format), not text.
_CODE_ELEMENTS = {"bpt", "ept", "it", "ph", "ut", "x", "bx", "ex", "sc", "ec", "sm", "em", "sub"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _LineTreeBuilder(TreeBuilder):
    """A TreeBuilder that remembers the line of each element (ElementTree does not keep it)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.expat = None

    def start(self, tag, attrs):  # type: ignore[override]
        el = super().start(tag, attrs)
        if self.expat is not None:
            self.lines[id(el)] = self.expat.CurrentLineNumber
        return el


def parse_xml(path: str) -> tuple[Element, dict[int, int]]:
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


def inline_text(el: Element | None) -> str:
    """The translatable text of a source/target/seg element, without inline codes' native markup."""
    if el is None:
        return ""
    parts: list[str] = [el.text or ""]
    for child in el:
        name = _local(child.tag)
        if name == "cp":  # XLIFF 2.0: a code point that XML cannot carry
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except ValueError:
                pass
        elif name not in _CODE_ELEMENTS:
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _check_langs(path: str, src: str | None, tgt: str | None, where: str) -> None:
    if src and src != "*all*" and not src.lower().startswith("en"):
        raise InputError(f"{path}:{where}: source language is {src!r}; mtqa checks English→French")
    if tgt and not tgt.lower().startswith("fr"):
        raise InputError(f"{path}:{where}: target language is {tgt!r}; mtqa checks English→French")


def _children(el: Element, name: str) -> list[Element]:
    return [c for c in el if _local(c.tag) == name]


def _iter_named(el: Element, names: set[str]):
    for c in el.iter():
        if _local(c.tag) in names:
            yield c


def _xliff12(path: str, root: Element, lines: dict[int, int]) -> list[dict]:
    rows: list[dict] = []
    files = _children(root, "file")
    if not files:
        raise InputError(f"{path}: XLIFF 1.2 without a <file> element")
    stem = Path(path).name.split(".")[0]
    for fi, f in enumerate(files):
        _check_langs(path, f.get("source-language"), f.get("target-language"), str(lines.get(id(f), 1)))
        doc = doc_id_for(f.get("original")) if f.get("original") else (stem if len(files) == 1 else f"{stem}#{fi + 1}")
        for n, tu in enumerate(_iter_named(f, {"trans-unit"}), 1):
            if tu.get("translate") == "no":
                continue
            uid = tu.get("id") or str(n)
            line = lines.get(id(tu), 1)
            src = _children(tu, "source")
            tgt = _children(tu, "target")
            if not src:
                raise InputError(f"{path}:{line}: trans-unit {uid!r} has no <source>")
            if not tgt or not inline_text(tgt[0]).strip():
                raise InputError(f"{path}:{line}: trans-unit {uid!r} has no <target> (untranslated unit)")
            rows.append({"doc": doc, "source": inline_text(src[0]), "mt": inline_text(tgt[0]), "ref": None,
                         "line": lines.get(id(tgt[0]), line), "id": uid})
    return rows


def _xliff20(path: str, root: Element, lines: dict[int, int]) -> list[dict]:
    _check_langs(path, root.get("srcLang"), root.get("trgLang"), str(lines.get(id(root), 1)))
    rows: list[dict] = []
    files = _children(root, "file")
    if not files:
        raise InputError(f"{path}: XLIFF 2.0 without a <file> element")
    stem = Path(path).name.split(".")[0]
    for fi, f in enumerate(files):
        doc = doc_id_for(f.get("original")) if f.get("original") else (stem if len(files) == 1 else f"{stem}#{f.get('id') or fi + 1}")
        for n, unit in enumerate(_iter_named(f, {"unit"}), 1):
            if unit.get("translate") == "no":
                continue
            uid = unit.get("id") or str(n)
            segments = _children(unit, "segment")
            for si, seg in enumerate(segments, 1):
                line = lines.get(id(seg), 1)
                sid = uid if len(segments) == 1 else f"{uid}/{seg.get('id') or si}"
                src = _children(seg, "source")
                tgt = _children(seg, "target")
                if not src:
                    raise InputError(f"{path}:{line}: segment {sid!r} has no <source>")
                if not tgt or not inline_text(tgt[0]).strip():
                    raise InputError(f"{path}:{line}: segment {sid!r} has no <target> (untranslated segment)")
                rows.append({"doc": doc, "source": inline_text(src[0]), "mt": inline_text(tgt[0]), "ref": None,
                             "line": lines.get(id(tgt[0]), line), "id": sid})
    return rows


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _tmx(path: str, root: Element, lines: dict[int, int]) -> list[dict]:
    header = _children(root, "header")
    srclang = (header[0].get("srclang") if header else None) or "en"
    if srclang != "*all*" and not srclang.lower().startswith("en"):
        raise InputError(f"{path}: TMX source language is {srclang!r}; mtqa checks English→French")
    bodies = _children(root, "body")
    if not bodies:
        raise InputError(f"{path}: TMX without a <body> element")
    doc = Path(path).name.split(".")[0]
    rows: list[dict] = []
    for n, tu in enumerate(_children(bodies[0], "tu"), 1):
        line = lines.get(id(tu), 1)
        uid = tu.get("tuid") or str(n)
        by_lang: dict[str, Element] = {}
        for tuv in _children(tu, "tuv"):
            lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower()
            key = "en" if lang.startswith("en") else "fr" if lang.startswith("fr") else lang
            by_lang.setdefault(key, tuv)
        if "en" not in by_lang:
            raise InputError(f"{path}:{line}: tu {uid!r} has no English <tuv>")
        if "fr" not in by_lang:
            raise InputError(f"{path}:{line}: tu {uid!r} has no French <tuv> (missing target)")
        seg_src = _children(by_lang["en"], "seg")
        seg_tgt = _children(by_lang["fr"], "seg")
        if not seg_src:
            raise InputError(f"{path}:{line}: tu {uid!r}: English <tuv> has no <seg>")
        if not seg_tgt or not inline_text(seg_tgt[0]).strip():
            raise InputError(f"{path}:{line}: tu {uid!r}: French <tuv> has no text (missing target)")
        rows.append({"doc": doc, "source": inline_text(seg_src[0]), "mt": inline_text(seg_tgt[0]), "ref": None,
                     "line": lines.get(id(seg_tgt[0]), line), "id": uid})
    return rows


def load_xml(path: str) -> list[Document]:
    """Load an XLIFF 1.2/2.0 or TMX 1.4 file: one Document per ``<file>`` (XLIFF) or per file (TMX)."""
    root, lines = parse_xml(path)
    try:
        return _load_tree(path, root, lines)
    except RecursionError:
        raise InputError(f"{path}: inline markup nested too deeply to be a translation unit") from None


def _load_tree(path: str, root: Element, lines: dict[int, int]) -> list[Document]:
    name = _local(root.tag)
    if name == "xliff":
        version = root.get("version", "")
        if version.startswith("2"):
            rows = _xliff20(path, root, lines)
        elif version.startswith("1"):
            rows = _xliff12(path, root, lines)
        else:
            raise InputError(f"{path}: unsupported XLIFF version {version!r} (1.2 and 2.0 are supported)")
    elif name == "tmx":
        rows = _tmx(path, root, lines)
    else:
        raise InputError(f"{path}: not XLIFF or TMX (root element <{name}>)")
    if not rows:
        raise InputError(f"{path}: no translation units")
    docs = build_paired_documents(rows, path)
    for d in docs:
        d.mt.path = path
    return docs
