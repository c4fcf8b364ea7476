"""XLIFF 1.2 and 2.0 (root ``<xliff>``): one document per ``<file>``, one row per translatable
trans-unit (1.2) or segment (2.0); units marked ``translate="no"`` are skipped."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from mtqa.errors import InputError
from mtqa.inputs.text import doc_id_for
from mtqa.inputs.xml import Lines, check_langs, children, inline_text, iter_named, paired_row


def xliff_rows(path: str, root: Element, lines: Lines) -> list[dict]:
    """The rows of an XLIFF file, by its ``version`` (1.x or 2.x)."""
    version = root.get("version", "")
    if version.startswith("2"):
        return _xliff20(path, root, lines)
    if version.startswith("1"):
        return _xliff12(path, root, lines)
    raise InputError(f"{path}: unsupported XLIFF version {version!r} (1.2 and 2.0 are supported)")


def _files(path: str, root: Element, version: str) -> list[Element]:
    files = children(root, "file")
    if not files:
        raise InputError(f"{path}: XLIFF {version} without a <file> element")
    return files


def _doc_id(f: Element, stem: str, files: int, number: str) -> str:
    """A ``<file>``'s document: from its ``original`` name, else the file's stem (``stem#n`` when
    the file holds several)."""
    original = f.get("original")
    if original:
        return doc_id_for(original)
    return stem if files == 1 else f"{stem}#{number}"


def _xliff12(path: str, root: Element, lines: Lines) -> list[dict]:
    rows: list[dict] = []
    files = _files(path, root, "1.2")
    stem = Path(path).name.split(".")[0]
    for fi, f in enumerate(files):
        check_langs(path, f.get("source-language"), f.get("target-language"), str(lines.get(id(f), 1)))
        doc = _doc_id(f, stem, len(files), str(fi + 1))
        for n, tu in enumerate(iter_named(f, "trans-unit"), 1):
            if tu.get("translate") == "no":
                continue
            uid = tu.get("id") or str(n)
            line = lines.get(id(tu), 1)
            src = children(tu, "source")
            tgt = children(tu, "target")
            if not src:
                raise InputError(f"{path}:{line}: trans-unit {uid!r} has no <source>")
            if not tgt or not inline_text(tgt[0]).strip():
                raise InputError(f"{path}:{line}: trans-unit {uid!r} has no <target> (untranslated unit)")
            rows.append(paired_row(doc, src[0], tgt[0], line, lines, uid))
    return rows


def _xliff20(path: str, root: Element, lines: Lines) -> list[dict]:
    check_langs(path, root.get("srcLang"), root.get("trgLang"), str(lines.get(id(root), 1)))
    rows: list[dict] = []
    files = _files(path, root, "2.0")
    stem = Path(path).name.split(".")[0]
    for fi, f in enumerate(files):
        doc = _doc_id(f, stem, len(files), f.get("id") or str(fi + 1))
        for n, unit in enumerate(iter_named(f, "unit"), 1):
            if unit.get("translate") != "no":
                rows.extend(_unit20(path, doc, unit, unit.get("id") or str(n), lines))
    return rows


def _unit20(path: str, doc: str, unit: Element, uid: str, lines: Lines) -> list[dict]:
    """The rows of an XLIFF 2.0 unit: one per segment (``unit/segment`` ids when there are several)."""
    rows: list[dict] = []
    segments = children(unit, "segment")
    for si, seg in enumerate(segments, 1):
        line = lines.get(id(seg), 1)
        sid = uid if len(segments) == 1 else f"{uid}/{seg.get('id') or si}"
        src = children(seg, "source")
        tgt = children(seg, "target")
        if not src:
            raise InputError(f"{path}:{line}: segment {sid!r} has no <source>")
        if not tgt or not inline_text(tgt[0]).strip():
            raise InputError(f"{path}:{line}: segment {sid!r} has no <target> (untranslated segment)")
        rows.append(paired_row(doc, src[0], tgt[0], line, lines, sid))
    return rows
