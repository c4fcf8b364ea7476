"""JSONL inputs: ``{"source", "mt", "ref"?, "doc"?, "id"?}`` per line; the pairing is given."""

from __future__ import annotations

from mtqa.errors import InputError
from mtqa.inputs.paired import build_paired_documents
from mtqa.inputs.text import doc_id_for
from mtqa.inputs.textio import check_text, read_text
from mtqa.limits import loads_json
from mtqa.model import Document


def load_jsonl(path: str) -> list[Document]:
    """Load ``{"source","mt","ref"?,"doc"?}`` lines; the pairing is given, not re-aligned."""
    text = read_text(path)
    default_doc = doc_id_for(path)
    rows: list[dict] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        obj = loads_json(line, path, line=lineno)
        if not isinstance(obj, dict):
            raise InputError(f"{path}:{lineno}: expected a JSON object with \"source\" and \"mt\"")
        for key in ("source", "mt"):
            if key not in obj:
                raise InputError(f"{path}:{lineno}: missing field \"{key}\"")
            if not isinstance(obj[key], str):
                raise InputError(f"{path}:{lineno}: field \"{key}\" must be a string")
            check_text(obj[key], f"{path}:{lineno}: field \"{key}\"")
        ref = obj.get("ref")
        if ref is not None and not isinstance(ref, str):
            raise InputError(f"{path}:{lineno}: field \"ref\" must be a string")
        if ref is not None:
            check_text(ref, f"{path}:{lineno}: field \"ref\"")
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
