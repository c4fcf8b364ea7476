"""TMX 1.4 (root ``<tmx>``): one document per file, one row per ``<tu>`` of the first ``<body>``,
its English and French ``<tuv>`` in any order."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from mtqa.errors import InputError
from mtqa.inputs.xml import Lines, children, inline_text, paired_row

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def tmx_rows(path: str, root: Element, lines: Lines) -> list[dict]:
    """The rows of a TMX file; the header's ``srclang`` must be English (or ``*all*``)."""
    header = children(root, "header")
    srclang = (header[0].get("srclang") if header else None) or "en"
    if srclang != "*all*" and not srclang.lower().startswith("en"):
        raise InputError(f"{path}: TMX source language is {srclang!r}; mtqa checks English→French")
    bodies = children(root, "body")
    if not bodies:
        raise InputError(f"{path}: TMX without a <body> element")
    doc = Path(path).name.split(".")[0]
    return [_tu_row(path, doc, tu, tu.get("tuid") or str(n), lines)
            for n, tu in enumerate(children(bodies[0], "tu"), 1)]


def _tuv_by_lang(tu: Element) -> dict[str, Element]:
    """The first ``<tuv>`` of each language, English and French variants under "en" and "fr"."""
    by_lang: dict[str, Element] = {}
    for tuv in children(tu, "tuv"):
        lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower()
        key = "en" if lang.startswith("en") else "fr" if lang.startswith("fr") else lang
        by_lang.setdefault(key, tuv)
    return by_lang


def _tu_row(path: str, doc: str, tu: Element, uid: str, lines: Lines) -> dict:
    line = lines.get(id(tu), 1)
    by_lang = _tuv_by_lang(tu)
    if "en" not in by_lang:
        raise InputError(f"{path}:{line}: tu {uid!r} has no English <tuv>")
    if "fr" not in by_lang:
        raise InputError(f"{path}:{line}: tu {uid!r} has no French <tuv> (missing target)")
    seg_src = children(by_lang["en"], "seg")
    seg_tgt = children(by_lang["fr"], "seg")
    if not seg_src:
        raise InputError(f"{path}:{line}: tu {uid!r}: English <tuv> has no <seg>")
    if not seg_tgt or not inline_text(seg_tgt[0]).strip():
        raise InputError(f"{path}:{line}: tu {uid!r}: French <tuv> has no text (missing target)")
    return paired_row(doc, seg_src[0], seg_tgt[0], line, lines, uid)
