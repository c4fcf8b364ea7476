"""The packaged sense data as a one-story check loads it: the index of every headword, the
objects of the few a text names.

The sense check's index needs the keys (first word tokens of the forms) of all ~1,650 packaged
headwords, but a short text names a handful. The disk cache (``mtqa.diskcache``) holds, per
packaged file, one row per headword: its word, index keys, place in the data and its compiled
plain form (``sense._compile_headword``) as marshal bytes, which ``unpack`` turns back into the
plain form when a segment first names the headword. Loading every plain form instead (about 13 MB
of tuples and strings) cost a one-story check about 0.5 s, most of it the garbage collector
walking them (``bench/startup.py``).

The rows are plain data (strings, frozensets, bytes), in a cache entry whose key holds the data
file's bytes, the compiling code's and this module's source, and whose checksum is verified on
read, so the bytes unpacked later are the bytes packed.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable
from functools import cache
from pathlib import Path

from mtqa.diskcache import cache_dir, cached_parse

Row = tuple[str, frozenset[str], str, bytes]  # word, index keys, where, marshal bytes of the plain form


class Unpackable(Exception):
    """A plain form holds a value marshal cannot (a compiled regex: never in packaged data)."""


def pack(plain: tuple) -> Row:
    """A compiled headword (word, regex source, domain, capitals, where, keys, senses, cue table) as a row."""
    word, _source, _domain, _capitals, where, keys, _senses, _cues = plain
    try:
        blob = marshal.dumps(plain)
    except ValueError as e:
        raise Unpackable(f"{where}: {e}") from None
    return (word, frozenset(keys), where, blob)


def unpack(blob: bytes) -> tuple:
    """The plain form a row packed."""
    return marshal.loads(blob)


@cache
def _own_digest() -> bytes:
    return hashlib.sha256(Path(__file__).read_bytes()).digest()


def packed_rows(name: str, key: bytes, compile_all: Callable[[], list[tuple]]) -> list[Row] | None:
    """The rows of packaged sense file ``name``, from the disk cache when ``key`` (the file's bytes
    and the compiling code's digest) matches, else from ``compile_all()`` (its errors propagate),
    then stored. None when the cache is off, or a plain form marshal cannot hold (the caller then
    builds from the records)."""
    if cache_dir() is None:
        return None

    def rows() -> list[Row]:
        return [pack(p) for p in compile_all()]

    try:
        return cached_parse(f"sense-rows/{name}", key + _own_digest(), rows)
    except Unpackable:
        return None
