"""``mtqa align`` output: the sentence alignment (``mtqa.report.build.alignment_dict``) as TSV, one
line per link, or as JSON (the dict itself, indented, UTF-8)."""

from __future__ import annotations

from mtqa.errors import ConfigError
from mtqa.report.formats.inert import json_dumps
from mtqa.report.types import AlignmentDict

FORMATS = ("tsv", "json")
HEADER = ["doc", "kind", "confidence", "src_ids", "mt_ids", "source", "mt"]


def cell(text: str | None) -> str:
    """A TSV field: backslash, tab and newline escaped, so one link is one line."""
    return (text or "").replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def render_tsv(alignment: AlignmentDict) -> str:
    # a document with a reference gives every link its ``ref_ids``; one such document adds the column
    has_ref = any("ref_ids" in link for d in alignment["documents"] for link in d["links"])
    lines = ["\t".join(HEADER + (["ref"] if has_ref else []))]
    for d in alignment["documents"]:
        for link in d["links"]:
            row = [
                cell(d["id"]),
                link["kind"],
                f"{link['confidence']:.3f}",
                ",".join(map(str, link["src_ids"])),
                ",".join(map(str, link["mt_ids"])),
                cell(link["source"]),
                cell(link["mt"]),
            ] + ([cell(link.get("ref"))] if has_ref else [])
            lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


def render_json(alignment: AlignmentDict) -> str:
    return json_dumps(alignment) + "\n"


def render(alignment: AlignmentDict, fmt: str) -> str:
    if fmt == "tsv":
        return render_tsv(alignment)
    if fmt == "json":
        return render_json(alignment)
    raise ConfigError(f"unknown alignment format {fmt!r} (choose from {', '.join(FORMATS)})")
