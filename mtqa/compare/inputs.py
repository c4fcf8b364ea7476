"""``mtqa compare``'s inputs: line-aligned files (line i of every system translates line i of the
source; the reference has one line per source line), the first system being the baseline, and
optionally the document of each line (``--docids``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mtqa.errors import InputError
from mtqa.inputs import SYSTEM_SUFFIXES, strip_suffixes
from mtqa.inputs.textio import read_text


@dataclass
class Inputs:
    source: list[str]
    ref: list[str]
    systems: list[tuple[str, list[str]]]
    docs: list[tuple[str, list[int]]] = field(default_factory=list)  # (doc id, line indexes)


def _lines(path: str) -> list[str]:
    text = read_text(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def system_names(paths: list[str]) -> list[str]:
    """Readable unique names: the file name without .fr/.txt, else the path."""
    names = []
    for p in paths:
        names.append(strip_suffixes(Path(p).name, SYSTEM_SUFFIXES, fold_case=False))
    if len(set(names)) < len(names):
        return list(paths)
    return names


def load_inputs(source: str, ref: str, systems: list[str], docids: str | None = None) -> Inputs:
    if len(systems) < 2:
        raise InputError("compare needs at least two systems (the first one is the baseline)")
    if len(set(systems)) < len(systems):
        raise InputError("the same system file is given twice")
    src = _lines(source)
    refs = _lines(ref)
    sys_lines = [_lines(p) for p in systems]
    counts = {source: len(src), ref: len(refs), **{p: len(s) for p, s in zip(systems, sys_lines)}}
    if len(set(counts.values())) > 1:
        detail = ", ".join(f"{p}: {n}" for p, n in counts.items() if n != len(src))
        raise InputError(f"compare needs line-aligned files with the same number of lines: {source} has "
                         f"{len(src)} lines, but {detail}")
    if not src:
        raise InputError(f"{source}: no lines to compare")
    inputs = Inputs(src, refs, list(zip(system_names(systems), sys_lines)))
    if docids:
        inputs.docs = _documents(docids, len(src))
    return inputs


def _documents(docids: str, n_lines: int) -> list[tuple[str, list[int]]]:
    """(doc id, its line indexes) in order of first appearance."""
    from mtqa.inputs.batch import read_docids

    ids = read_docids(docids)
    if len(ids) != n_lines:
        raise InputError(f"{docids}: {len(ids)} document ids for {n_lines} lines")
    order: dict[str, list[int]] = {}
    for i, d in enumerate(ids):
        order.setdefault(d, []).append(i)
    return list(order.items())
