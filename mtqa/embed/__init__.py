"""Sentence embedders for alignment and adequacy, one per spec per process.

Backends: ``use-m3`` (default: ``mtqa.embed.usem3``, offline) and ``hf:PATH`` (``mtqa.embed.hf``,
a local Hugging Face encoder, mean pooling). Each module is imported only when its backend is used.
"""

from __future__ import annotations

from mtqa.embed.base import Embedder
from mtqa.errors import ConfigError

_EMBEDDERS: dict[str, Embedder] = {}


def get_embedder(spec: str = "use-m3") -> Embedder:
    """One embedder per spec per process, so every stage and every document shares its cache."""
    if spec in _EMBEDDERS:
        return _EMBEDDERS[spec]
    if spec == "use-m3":
        from mtqa.embed.usem3 import UseM3Embedder

        emb: Embedder = UseM3Embedder()
    elif spec.startswith("hf:"):
        from mtqa.embed.hf import HFEmbedder

        emb = HFEmbedder(spec[3:])
    else:
        raise ConfigError(f"unknown embedder {spec!r} (use 'use-m3' or 'hf:PATH')")
    _EMBEDDERS[spec] = emb
    return emb


__all__ = ["Embedder", "get_embedder"]
