"""Reading user files strictly: one-line errors for missing, binary, non-UTF-8 or oversized files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mtqa.errors import InputError

MAX_INPUT_BYTES = 512 * 1024 * 1024


def read_bytes(path: str | os.PathLike) -> bytes:
    """Read a file (or stdin for ``-``) with one-line errors for the usual mistakes."""
    p = str(path)
    if p == "-":
        return sys.stdin.buffer.read()
    fp = Path(p)
    if not fp.exists():
        raise InputError(f"{p}: no such file")
    if fp.is_dir():
        raise InputError(f"{p}: is a directory, expected a file")
    try:
        size = fp.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{p}: file is larger than {MAX_INPUT_BYTES // 2**20} MiB")
        return fp.read_bytes()
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror})") from None


def decode(data: bytes, name: str, allow_empty: bool = False) -> str:
    """Decode UTF-8 (BOM allowed), normalise CRLF/CR to LF, reject binary data and other encodings."""
    if b"\x00" in data[:1_000_000]:
        raise InputError(f"{name}: binary data (NUL bytes), expected UTF-8 text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: UTF-16 text, expected UTF-8 (re-save the file as UTF-8)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(
            f"{name}: not valid UTF-8 (byte 0x{data[e.start]:02x} on line {line}); "
            "re-save the file as UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not allow_empty and not text.strip():
        raise InputError(f"{name}: file is empty")
    return text


def read_text(path: str | os.PathLike, allow_empty: bool = False) -> str:
    name = "<stdin>" if str(path) == "-" else str(path)
    return decode(read_bytes(path), name, allow_empty=allow_empty)
