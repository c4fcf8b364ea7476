"""Writing reports: every target checked before any work, every file rendered, then written.

A regular file (or a new one) is written atomically: a temporary file next to it, then
``os.replace``; a symlink to a regular file is written through (the link stays). A device or FIFO
(``/dev/stdout``, ``/dev/null``, a named pipe) gets a stream write; it is never replaced by a file.
With several targets, every temporary file is written before any target is replaced, so a full
disk or a failing device leaves the earlier targets as they were.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from mtqa.errors import ConfigError, InputError
from mtqa.report import RENDERERS, format_for_path, render
from mtqa.report.formats.inert import no_surrogates
from mtqa.report.types import Report

STREAM_ALIASES = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")


def is_stream(path: str) -> bool:
    """A target written as a stream: stdout (``-``), a /dev/fd alias, a device, FIFO or socket."""
    if path == "-" or path.startswith(STREAM_ALIASES):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _identity(path: str) -> tuple[int, int] | str:
    """What makes two paths the same file: (device, inode) when it exists, else the real path."""
    try:
        st = os.stat(path)
        return (st.st_dev, st.st_ino)
    except OSError:
        return os.path.realpath(path)


def _existing_ancestor(p: Path) -> Path:
    parent = p.parent if str(p.parent) else Path(".")
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    return parent


def _check_one(out: str) -> None:
    if out == "-":
        return
    p = Path(out)
    if os.path.islink(out) and not os.path.exists(out):
        raise ConfigError(f"-o {out}: a dangling symlink (to {os.readlink(out)}); remove it or name another file")
    if p.is_dir():
        raise ConfigError(f"-o {out}: is a directory; name a file such as {p / 'report.json'}")
    if is_stream(out):
        if not os.access(out, os.W_OK):
            raise ConfigError(f"-o {out}: not writable")
        return
    parent = Path(os.path.realpath(out)).parent if os.path.exists(out) else _existing_ancestor(p)
    if not parent.is_dir():
        raise ConfigError(f"-o {out}: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError(f"-o {out}: cannot write in directory {parent} (permission denied)")


def check_targets(outputs: Iterable[str], fmt: str, inputs: Iterable[str | None] = ()) -> None:
    """Refuse, before any work, every ``-o`` target that could not be written or should not be: an
    unknown format, a directory, a dangling symlink, a target given twice, an input file, an
    unwritable directory. Raises ConfigError (one line, exit 2)."""
    if fmt not in RENDERERS:
        raise ConfigError(f"unknown format {fmt!r} (choose from {', '.join(RENDERERS)})")
    ins = {_identity(i): i for i in inputs if i and i != "-" and os.path.isfile(i)}
    seen: dict[tuple[int, int] | str, str] = {}
    for out in outputs:
        if not out:
            raise ConfigError("-o: empty file name")
        _check_one(out)
        key = "-" if out == "-" else _identity(out)
        if key in seen:
            raise ConfigError(f"-o {out}: the same target as -o {seen[key]}; give each report once")
        seen[key] = out
        if key in ins:
            raise ConfigError(f"-o {out}: is the input file {ins[key]}; refusing to overwrite an input")


def write_reports(report: Report, outputs: list[str], fmt: str, inputs: Iterable[str | None] = ()) -> None:
    """Check every ``-o`` target, render each (format from its extension, else ``fmt``), write the
    files' temporary copies, then the streams, then move the files into place."""
    check_targets(outputs, fmt, inputs)
    rendered = {out: render(report, fmt if out == "-" else format_for_path(out, fmt)) for out in outputs}
    staged: list[tuple[str, str]] = []
    try:
        for out, text in rendered.items():
            if not is_stream(out):
                staged.append((_stage(out, _encode(text)), out))
        for out, text in rendered.items():
            if is_stream(out):
                _stream_write(out, _encode(text))
        for tmp, out in staged:
            _commit(tmp, out)
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _encode(data: str | bytes) -> bytes:
    if isinstance(data, bytes):
        return data
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate that a renderer let through: never a crash
        return no_surrogates(data).encode("utf-8")


def _stream_write(path: str, payload: bytes) -> None:
    if path == "-":
        buf = getattr(sys.stdout, "buffer", None)
        if buf is None:
            sys.stdout.write(payload.decode("utf-8"))
        else:
            sys.stdout.flush()
            buf.write(payload)
        sys.stdout.flush()
        return
    try:
        with open(path, "ab") as fh:  # append: no truncation of what a /dev/stdout redirect holds
            fh.write(payload)
    except OSError as e:
        raise InputError(f"{path}: cannot write ({e.strerror})") from None


def _target(path: str) -> Path:
    """Where a file target's bytes go: through a symlink to its regular file, else the path."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)


def _stage(path: str, payload: bytes) -> str:
    """Write ``payload`` to a temporary file beside the target; return its path."""
    p = _target(path)
    parent = p.parent if str(p.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=parent)
    except OSError as e:
        raise InputError(f"{path}: cannot write in {parent} ({e.strerror})") from None
    try:
        # mkstemp creates 0600; a report gets the usual mode for a new file (0666 less the umask)
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"{path}: cannot write ({e.strerror})") from None
    return tmp


def _commit(tmp: str, path: str) -> None:
    try:
        os.replace(tmp, _target(path))
    except OSError as e:
        raise InputError(f"{path}: cannot write ({e.strerror})") from None


def atomic_write(path: str | os.PathLike, data: str | bytes) -> None:
    """Write one file so that readers see either the old file or the whole new one, never a part;
    a stream target (stdout, a device, a FIFO) is written as a stream."""
    out = os.fspath(path)
    payload = _encode(data)
    if is_stream(out):
        _stream_write(out, payload)
        return
    if os.path.isdir(out):
        raise InputError(f"{out}: is a directory")
    tmp = _stage(out, payload)
    try:
        _commit(tmp, out)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
