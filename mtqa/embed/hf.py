"""``hf:PATH`` embedder: any local Hugging Face encoder (LaBSE-style), mean pooling, CPU.

transformers and torch come with the ``neural`` extra; they are imported only when this backend
is used. Nothing is downloaded: the model is loaded with ``local_files_only=True``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from mtqa.embed.base import Embedder
from mtqa.errors import ModelError


def _import_backend() -> tuple[Any, Any]:
    """torch and transformers, or a ModelError that says how to install them."""
    try:
        import torch
        import transformers
    except ImportError as e:
        raise ModelError(
            f"the hf: embedder needs torch and transformers ({e.name} is missing); "
            "install the 'neural' extra: pip install torch==2.13.0 && pip install 'mtqa[neural]'"
        ) from None
    return torch, transformers


class HFEmbedder(Embedder):
    """Mean-pooled last hidden states of a local encoder; one CPU thread unless told otherwise."""

    name = "hf"

    def __init__(self, path: str, batch_size: int = 32, max_length: int = 256, threads: int = 1) -> None:
        super().__init__()
        if not path:
            raise ModelError("hf: embedder needs a path, e.g. --embedder hf:/models/LaBSE")
        p = Path(path).expanduser()
        if not p.exists():
            raise ModelError(f"hf:{path}: no such model directory")
        if not p.is_dir() or not (p / "config.json").is_file():
            raise ModelError(f"hf:{path}: not a Hugging Face model directory (no config.json)")
        torch, transformers = _import_backend()
        self._torch = torch
        if threads:
            torch.set_num_threads(threads)
        try:
            self._tokenizer = transformers.AutoTokenizer.from_pretrained(str(p), local_files_only=True)
            self._model = transformers.AutoModel.from_pretrained(str(p), local_files_only=True)
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ModelError(f"hf:{path}: cannot load the model ({first})") from None
        self._model.eval()
        self.path = str(p)
        self.batch_size = batch_size
        self.max_length = max_length
        self.dim = int(getattr(self._model.config, "hidden_size", 0))
        self._model_type = getattr(self._model.config, "model_type", "unknown")

    @property
    def signature(self) -> str:
        version = getattr(self._torch, "__version__", "unknown")
        commit = getattr(self._model.config, "_commit_hash", None) or "local"
        return f"hf|model:{os.path.basename(self.path.rstrip('/'))}|type:{self._model_type}|rev:{commit}|pool:mean|torch:{version}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        torch = self._torch
        out = []
        with torch.inference_mode():
            for k in range(0, len(texts), self.batch_size):
                batch = self._tokenizer(
                    texts[k : k + self.batch_size],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
                out.append(pooled.float().cpu().numpy())
        return np.concatenate(out, axis=0) if out else np.zeros((0, self.dim), dtype=np.float32)
