"""Writing reports: every file rendered first, then each written atomically."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from mtqa.errors import InputError
from mtqa.report import format_for_path, render
from mtqa.report.types import Report


def write_reports(report: Report, outputs: list[str], fmt: str) -> None:
    """Render every ``-o`` target (format from its extension, else ``fmt``), then write them all:
    a rendering failure leaves no partial set of files behind."""
    rendered: dict[str, str] = {}
    for out in outputs:
        rendered[out] = render(report, fmt if out == "-" else format_for_path(out, fmt))
    for out, text in rendered.items():
        atomic_write(out, text)


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
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"{p}: cannot write ({e.strerror})") from None
