"""Reading user files strictly and writing reports atomically."""

from __future__ import annotations

import os
import sys
import tempfile
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


def atomic_write(path: str | os.PathLike, data: str | bytes) -> None:
    """Write a file so that readers see either the old file or the whole new one, never a part."""
    p = Path(path)
    if str(path) == "-":
        out = data if isinstance(data, str) else data.decode("utf-8")
        sys.stdout.write(out)
        sys.stdout.flush()
        return
    parent = p.parent if str(p.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{p}: cannot create directory {parent} ({e.strerror})") from None
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=parent)
    try:
        # mkstemp creates 0600; a report gets the usual mode for a new file (0666 less the umask)
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(f"{p}: cannot write ({e.strerror})") from None
