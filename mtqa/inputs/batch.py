"""Batches: many document pairs in one run — a directory, a manifest, or line-aligned files cut
into documents by a doc-id file (WMT style).

Directory convention (``mtqa check -t DIR``)::

    DIR/<name>.en.txt              English source
    DIR/<name>.fr.txt              French MT                  → document "<name>"
    DIR/<name>.<system>.fr.txt     French MT by <system>       → document "<name>.<system>"
    DIR/<name>.ref.fr.txt          human reference (optional)
    DIR/<pack>/source.en.txt, mt.fr.txt (or mt.<system>.fr.txt), ref.fr.txt   a reference pack
    DIR/*<suffix>, one file per suffix row of mtqa.inputs.LOADERS              a self-contained file (JSONL, XLIFF, TMX)

Manifest (``--manifest FILE``): CSV/TSV with a header naming the columns ``mt`` (required),
``source``, ``ref``, ``doc``, ``line_aligned``, ``docids``; or JSON: a list of such objects (or
``{"documents": [...]}``). Relative paths are relative to the manifest. A row with ``docids`` is a
WMT-style system output cut into documents ``<doc>/<docid>`` (several systems of one test set in
one run share the source embeddings).

Doc ids (``--docids FILE`` with line-aligned ``-s``/``-t``/``-r``): one id per line of the text
files, either a TSV with a header (``line<TAB>docid``, as WMT's ``docids.tsv``) or one id per line.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from mtqa.errors import InputError
from mtqa.inputs import SELF_CONTAINED, load_inputs
from mtqa.inputs.paired import build_paired_documents
from mtqa.inputs.text import doc_id_for
from mtqa.inputs.textio import read_text
from mtqa.limits import loads_json
from mtqa.model import Document

_MT_NAME = re.compile(r"^(?P<name>.+?)(?:\.(?P<system>[^.]+))?\.fr\.txt$")


def _rel(base: Path, p: str | None) -> str | None:
    if p is None or not str(p).strip():
        return None
    q = Path(str(p).strip())
    return str(q if q.is_absolute() else base / q)


def discover_directory(directory: str) -> list[dict]:
    """Entries ``{doc, source, mt, ref}`` found in DIR by the convention above (sorted, deterministic)."""
    root = Path(directory)
    if not root.is_dir():
        raise InputError(f"{directory}: not a directory")
    entries: list[dict] = []
    for p in sorted(root.iterdir()):
        if p.name.startswith("."):
            continue
        if p.is_file() and p.name.lower().endswith(SELF_CONTAINED):
            entries.append({"doc": None, "source": None, "mt": str(p), "ref": None})
        elif p.is_file() and p.name.endswith(".fr.txt") and not p.name.endswith(".ref.fr.txt"):
            m = _MT_NAME.match(p.name)
            assert m is not None  # any NAME.fr.txt matches
            name, system = m.group("name"), m.group("system")
            src = root / f"{name}.en.txt"
            if not src.is_file():
                raise InputError(f"{p}: no source for this MT (expected {src})")
            ref = root / f"{name}.ref.fr.txt"
            entries.append({"doc": f"{name}.{system}" if system else name, "source": str(src), "mt": str(p),
                            "ref": str(ref) if ref.is_file() else None})
        elif p.is_dir() and (p / "source.en.txt").is_file():
            mts = sorted(p.glob("mt*.fr.txt"))
            if not mts:
                raise InputError(f"{p}: pack without an MT file (expected mt.fr.txt or mt.<system>.fr.txt)")
            ref = p / "ref.fr.txt"
            for mt in mts:
                system = mt.name[len("mt."):-len(".fr.txt")] if mt.name != "mt.fr.txt" else ""
                entries.append({"doc": f"{p.name}/{system}" if system else p.name, "source": str(p / "source.en.txt"),
                                "mt": str(mt), "ref": str(ref) if ref.is_file() else None})
    for p in sorted(root.glob("*.en.txt")):
        name = p.name[: -len(".en.txt")]
        if not any(e["source"] == str(p) for e in entries):
            raise InputError(f"{p}: source without MT (expected {name}.fr.txt or {name}.<system>.fr.txt)")
    if not entries:
        raise InputError(f"{directory}: no documents found (expected NAME.en.txt + NAME.fr.txt pairs, "
                         "packs with source.en.txt + mt.fr.txt, or JSONL/XLIFF/TMX files)")
    return entries


def _truthy(v) -> bool:
    return str(v).strip().lower() in {"1", "true", "yes", "y"} if not isinstance(v, bool) else v


def read_manifest(path: str) -> list[dict]:
    """Entries ``{doc, source, mt, ref, line_aligned}`` from a CSV/TSV or JSON manifest."""
    text = read_text(path)
    base = Path(path).resolve().parent
    rows: list[tuple[int, dict]] = []
    if path.lower().endswith(".json"):
        data = loads_json(text, path)
        if isinstance(data, dict):
            data = data.get("documents")
        if not isinstance(data, list):
            raise InputError(f"{path}: expected a JSON list of documents (or {{\"documents\": [...]}})")
        for i, obj in enumerate(data, 1):
            if not isinstance(obj, dict):
                raise InputError(f"{path}: document {i}: expected an object with \"mt\"")
            rows.append((i, obj))
        where = "document"
    else:
        dialect = "excel-tab" if path.lower().endswith(".tsv") or "\t" in text.split("\n", 1)[0] else "excel"
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        if not reader.fieldnames or "mt" not in [f.strip() for f in reader.fieldnames]:
            raise InputError(f"{path}:1: manifest header must name an \"mt\" column (and source, ref, doc)")
        for row in reader:
            rows.append((reader.line_num, {k.strip(): v for k, v in row.items() if k is not None}))
        where = "line"
    known = {"doc", "source", "mt", "ref", "line_aligned", "docids"}
    entries = []
    for n, row in rows:
        unknown = set(row) - known
        if unknown:
            raise InputError(f"{path}: {where} {n}: unknown field(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(known))})")
        if not row.get("mt"):
            raise InputError(f"{path}: {where} {n}: no \"mt\"")
        entries.append({"doc": (str(row["doc"]).strip() or None) if row.get("doc") else None,
                        "source": _rel(base, row.get("source")), "mt": _rel(base, row["mt"]),
                        "ref": _rel(base, row.get("ref")), "line_aligned": _truthy(row.get("line_aligned", False)),
                        "docids": _rel(base, row.get("docids"))})
    if not entries:
        raise InputError(f"{path}: manifest lists no documents")
    return entries


def load_entries(entries: list[dict], line_aligned: bool = False) -> list[Document]:
    docs: list[Document] = []
    for e in entries:
        if e.get("docids"):  # a WMT-style system output: documents "<doc>/<docid>"
            if not e["source"]:
                raise InputError(f"{e['mt']}: \"docids\" needs a line-aligned \"source\" too")
            prefix = e["doc"] or doc_id_for(e["mt"])
            for d in split_by_docids(e["source"], e["mt"], e["ref"], e["docids"]):
                d.id = f"{prefix}/{d.id}"
                docs.append(d)
            continue
        docs.extend(load_inputs(e["source"], e["mt"], e["ref"], line_aligned=line_aligned or e.get("line_aligned", False),
                                doc_id=e["doc"]))
    return docs


def read_docids(path: str) -> list[str]:
    """One doc id per text line: a TSV with a ``line``/``docid`` header, or a bare list of ids."""
    lines = read_text(path).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if lines and "\t" in lines[0] and not lines[0].split("\t", 1)[0].strip().isdigit():
        ids = []
        for n, line in enumerate(lines[1:], 2):
            cols = line.split("\t")
            if len(cols) < 2 or not cols[1].strip():
                raise InputError(f"{path}:{n}: expected 'line<TAB>docid'")
            if cols[0].strip() != str(n - 1):
                raise InputError(f"{path}:{n}: expected line number {n - 1}, found {cols[0].strip()!r}")
            ids.append(cols[1].strip())
        return ids
    ids = [line.strip() for line in lines]
    if any(not i for i in ids):
        raise InputError(f"{path}:{ids.index('') + 1}: empty document id")
    return ids


def split_by_docids(source: str, mt: str, ref: str | None, docids: str) -> list[Document]:
    """Cut line-aligned files (WMT test sets) into one paired Document per doc id."""
    ids = read_docids(docids)

    def lines_of(p: str) -> list[str]:
        ls = read_text(p).split("\n")
        if ls and ls[-1] == "":
            ls.pop()
        return ls

    src, hyp = lines_of(source), lines_of(mt)
    rf = lines_of(ref) if ref else None
    counts = {"doc ids": len(ids), "source": len(src), "MT": len(hyp)}
    if rf is not None:
        counts["reference"] = len(rf)
    if len(set(counts.values())) > 1:
        raise InputError("--docids needs one id per line of every file ("
                         + ", ".join(f"{k} has {v}" for k, v in counts.items()) + ")")
    rows = []
    for i, doc in enumerate(ids):
        if not src[i].strip() and not hyp[i].strip():
            continue
        rows.append({"doc": doc, "source": src[i], "mt": hyp[i], "ref": rf[i] if rf is not None else None,
                     "line": i + 1, "id": None})
    docs = build_paired_documents(rows, mt)
    for d in docs:
        d.source.path, d.mt.path = source, mt
        if d.ref is not None:
            d.ref.path = ref
        d.origin = None  # plain-text files: report columns as well as lines
    return docs


def load_batch(
    source: str | None,
    mt: str | None,
    ref: str | None = None,
    manifest: str | None = None,
    docids: str | None = None,
    line_aligned: bool = False,
    doc_id: str | None = None,
    files: list[str] | None = None,
) -> list[Document]:
    """What ``mtqa check`` loads: one pair, a directory, a manifest, doc-id-split files, or a list of
    self-contained files and directories (``mtqa check a.xlf b.tmx DIR``, as pre-commit calls it)."""
    if files:
        if mt or source or ref or docids or manifest:
            raise InputError("give either files/directories as arguments or -s/-t/-r/--manifest, not both")
        entries: list[dict] = []
        for f in files:
            if os.path.isdir(f):  # False, not OSError, for a name too long
                entries.extend(discover_directory(f))
            elif f.lower().endswith(SELF_CONTAINED):
                entries.append({"doc": None, "source": None, "mt": f, "ref": None})
            else:
                raise InputError(f"{f}: not an XLIFF/TMX/JSONL file or a directory (plain-text MT needs -s and -t)")
        docs = load_entries(entries, line_aligned)
    elif manifest:
        if mt or source or ref or docids:
            raise InputError("--manifest lists the files itself; drop -s/-t/-r/--docids")
        docs = load_entries(read_manifest(manifest), line_aligned)
    elif mt is None:
        raise InputError("missing -t/--mt (a file or a directory) or --manifest")
    elif os.path.isdir(mt):  # False, not OSError, for a name too long
        if source or ref or docids:
            raise InputError(f"{mt}: a directory batch finds its sources and references itself; drop -s/-r/--docids")
        docs = load_entries(discover_directory(mt), line_aligned)
    elif docids:
        if not source:
            raise InputError("--docids needs line-aligned -s/--source and -t/--mt files")
        docs = split_by_docids(source, mt, ref, docids)
    else:
        docs = load_inputs(source, mt, ref, line_aligned=line_aligned, doc_id=doc_id)
    seen: dict[str, str] = {}
    for d in docs:
        if d.id in seen:
            raise InputError(f"two documents have the id {d.id!r} ({seen[d.id]} and {d.mt.path}); give each a unique \"doc\"")
        seen[d.id] = d.mt.path or d.id
    return docs
