"""Reading user files strictly: one-line errors for missing, non-regular, binary, non-UTF-8 or
oversized files (the limit: ``mtqa.limits``, ``max_input_mb``)."""

from __future__ import annotations

import os
import sys

from mtqa.errors import InputError
from mtqa.limits import LIMITS, max_input_bytes, regular_file_size


def _too_big(name: str) -> InputError:
    return InputError(f"{name}: file is larger than {LIMITS['max_input_mb']} MiB (limit max_input_mb)")


def read_bytes(path: str | os.PathLike) -> bytes:
    """Read a regular file (or stdin for ``-``, up to the size limit) with one-line errors for the
    usual mistakes. FIFOs, devices and directories are refused before reading."""
    p = str(path)
    cap = max_input_bytes()
    if p == "-":
        data = sys.stdin.buffer.read(cap + 1)
        if len(data) > cap:
            raise _too_big("<stdin>")
        return data
    if regular_file_size(p) > cap:
        raise _too_big(p)
    try:
        with open(p, "rb") as fh:
            data = fh.read(cap + 1)
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror})") from None
    if len(data) > cap:  # grew while read
        raise _too_big(p)
    return data


def decode(data: bytes, name: str, allow_empty: bool = False) -> str:
    """Decode UTF-8 (BOM allowed), normalise CRLF/CR to LF, reject binary data and other encodings."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: UTF-16 text, expected UTF-8 (re-save the file as UTF-8)")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(f"{name}:{line}: binary data (NUL bytes), expected UTF-8 text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
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


def check_text(value: str, where: str) -> str:
    """A string from a parsed input (JSON, XML): lone surrogates and NUL are one-line errors."""
    if "\x00" in value:
        raise InputError(f"{where}: NUL character in the text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{where}: a lone surrogate (U+D800-U+DFFF) in the text") from None
    return value
