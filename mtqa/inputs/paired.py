"""Documents whose pairing the input gives (JSONL rows, XLIFF/TMX units): unit i of the source
is translated by unit i of the MT, and the aligner is not used."""

from __future__ import annotations

from mtqa.errors import InputError
from mtqa.model import Document, Side, Unit


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
