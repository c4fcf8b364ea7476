"""Learned segment scores: a linear pairwise ranker over mtqa's own features (not COMET).

A model file is JSON in ``mtqa/data/`` (never a pickle), written by ``bench/learned_train.py``:

    {"format": "mtqa-linear-ranker", "name": "rank-ref", "version": "1",
     "features": [...], "mean": [...], "scale": [...], "weights": [...],
     "charlm": {"file": "charlm_fr.npz", "sha256": "..."},   # when "charlm" is a feature
     "embedder": "use-m3", "training": {...}}

A segment's score is ``100 · sigmoid(Σ wᵢ (xᵢ − meanᵢ) / scaleᵢ)``: 50 is the average training
segment (WMT12 systems), the weights were fitted with a pairwise logistic loss on the
differences of human-ranked pairs, so only the order is learned; the sigmoid only bounds it.
A document's score and the corpus's are the mean of their segments' scores.

Every problem with a model file (not JSON, a key missing, a weight not finite, a feature unknown or
not allowed for this score, a character LM whose hash differs) is one ``ModelError`` line (exit 2).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from mtqa.errors import ModelError
from mtqa.model import AlignedDocument, Finding, Score
from mtqa.scores import rank_features as rf
from mtqa.scores.base import Scorer

FORMAT = "mtqa-linear-ranker"
DATA = Path(__file__).resolve().parent.parent / "data"
REQUIRED = ("format", "name", "version", "features", "mean", "scale", "weights", "training")


@dataclass(frozen=True)
class RankerModel:
    path: str
    name: str
    version: str
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    sha256: str
    training: dict[str, Any]
    embedder: str
    lm: Any = None  # charlm.CharLM when "charlm" is a feature

    def predict(self, x: np.ndarray) -> np.ndarray:
        """0–100 per row of ``x`` (segments × features, this model's order); NaN rows stay NaN."""
        z = ((x - self.mean) / self.scale) @ self.weights
        return 100.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def _numbers(path: str, d: dict, key: str, n: int) -> np.ndarray:
    v = d[key]
    if not isinstance(v, list) or len(v) != n or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
        raise ModelError(f"{path}: {key!r} must be a list of {n} numbers (one per feature)")
    arr = np.array(v, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise ModelError(f"{path}: {key!r} has a value that is not a finite number")
    return arr


def _features(path: str, d: dict, allowed: tuple[str, ...]) -> tuple[str, ...]:
    feats = d["features"]
    if not isinstance(feats, list) or not feats or not all(isinstance(f, str) for f in feats):
        raise ModelError(f"{path}: 'features' must be a non-empty list of feature names")
    bad = [f for f in feats if f not in allowed]
    if bad:
        raise ModelError(f"{path}: feature {bad[0]!r} is not one of this score's features ({', '.join(allowed)})")
    if len(set(feats)) != len(feats):
        raise ModelError(f"{path}: a feature is listed twice")
    return tuple(feats)


def _read_json(path: str) -> tuple[dict, str]:
    from mtqa.limits import loads_json, regular_file_size

    regular_file_size(path, "model file", ModelError)
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise ModelError(f"cannot read the model file {path}: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ModelError(f"{path}: not a JSON model file ({e})") from None
    d = loads_json(text, path, "not a JSON model file: ", ModelError)
    if not isinstance(d, dict):
        raise ModelError(f"{path}: not a JSON model file (expected an object)")
    missing = [k for k in REQUIRED if k not in d]
    if missing:
        raise ModelError(f"{path}: model file without {', '.join(repr(k) for k in missing)}")
    if d["format"] != FORMAT:
        raise ModelError(f"{path}: format {d['format']!r}, expected {FORMAT!r}")
    return d, hashlib.sha256(raw).hexdigest()


def _charlm(path: str, d: dict) -> Any:
    spec = d.get("charlm")
    if not isinstance(spec, dict) or not isinstance(spec.get("file"), str) or not isinstance(spec.get("sha256"), str):
        raise ModelError(f"{path}: the 'charlm' feature needs \"charlm\": {{\"file\": …, \"sha256\": …}}")
    lm = _load_lm(str((Path(path).parent / spec["file"]).resolve()))
    if lm.sha256 != spec["sha256"]:
        raise ModelError(f"{path}: the character LM {spec['file']} has sha256 {lm.sha256[:12]}…, "
                         f"the model was trained with {spec['sha256'][:12]}…")
    return lm


@cache
def _load_lm(path: str) -> Any:
    """One character LM object per file and process, so its memo serves both rankers."""
    from mtqa.scores import charlm

    return charlm.load(path)


@cache
def load_model(path: str, allowed: tuple[str, ...]) -> RankerModel:
    """Read and check a model file; ``allowed`` = the features its score may use."""
    d, sha = _read_json(path)
    feats = _features(path, d, allowed)
    n = len(feats)
    mean, scale, weights = (_numbers(path, d, k, n) for k in ("mean", "scale", "weights"))
    if np.any(scale <= 0):
        raise ModelError(f"{path}: 'scale' must be positive")
    if not isinstance(d["training"], dict):
        raise ModelError(f"{path}: 'training' must be an object describing the training data")
    lm = _charlm(path, d) if "charlm" in feats else None
    return RankerModel(path, str(d["name"]), str(d["version"]), feats, mean, scale, weights, sha,
                       d["training"], str(d.get("embedder", "use-m3")), lm)


class LearnedRanker(Scorer):
    """Shared code of ``rank-ref`` and ``rank-qe``: features → linear model → 0–100 per segment."""

    model_file: ClassVar[str] = ""  # in mtqa/data/, unless the settings name another
    setting: ClassVar[str] = ""  # the Settings attribute of a user's model file

    @classmethod
    def allowed(cls) -> tuple[str, ...]:
        return tuple(n for n, (_, ref) in rf.FEATURES.items() if cls.needs_ref or not ref)

    @property
    def model(self) -> RankerModel:
        path = getattr(self.ctx.settings, self.setting, None) or str(DATA / self.model_file)
        return load_model(str(path), self.allowed())

    def findings(self, adocs: list[AlignedDocument]) -> dict[str, list[Finding]]:
        return {}

    def signature(self, agg: str = "mean-of-segments") -> str:
        m = self.model
        emb = self.embedder_signature(m)
        return (f"{self.name}|linear-pairwise-ranker|model:{Path(m.path).name}|version:{m.version}"
                f"|sha256:{m.sha256[:16]}|features:{'+'.join(m.features)}"
                f"|train:{m.training.get('data', '?')}|embedder:{emb}|agg:{agg}")

    def embedder_signature(self, m: RankerModel) -> str:
        from mtqa.embed import get_embedder

        emb = self.ctx.embedder if self.ctx.embedder is not None else get_embedder(self.ctx.settings.embedder)
        return emb.signature if emb.name == m.embedder else f"{emb.signature} (model trained on {m.embedder})"

    def segment_values(self, adocs: list[AlignedDocument]) -> np.ndarray:
        m = self.model
        batch = rf.Batch(adocs, self.ctx, self.findings(adocs), m.lm)
        return m.predict(rf.matrix(batch, list(m.features)))

    def score(self, adocs: list[AlignedDocument]):
        values = self.segment_values(adocs)
        sig = self.signature()
        per_seg: dict[str, list[float | None]] = {}
        per_doc: dict[str, Score] = {}
        pos = 0
        for a in adocs:
            vs = values[pos: pos + len(a.segments)]
            pos += len(a.segments)
            per_seg[a.id] = [None if np.isnan(v) else float(v) for v in vs]
            scored = vs[~np.isnan(vs)]
            if len(scored):
                per_doc[a.id] = Score(self.name, float(scored.mean()), sig, {"segments": len(scored)})
        every = values[~np.isnan(values)]
        corpus = Score(self.name, float(every.mean()) if len(every) else 0.0, sig, {"segments": len(every)})
        return corpus, per_doc, per_seg

    def line_scores(self, source: list[str], ref: list[str], hyps: list[str]) -> np.ndarray:
        """``mtqa compare``: one line = one segment, run through the same stages as ``mtqa check``."""
        adocs = line_documents(source, hyps, ref if self.needs_ref else None, self.ctx)
        return self.segment_values(adocs)

    def line_signature(self) -> str:
        return self.signature("mean-of-lines")


def line_documents(source: list[str], mt: list[str], ref: list[str] | None, ctx: Any) -> list[AlignedDocument]:
    """One line-aligned document of the lines (``--line-aligned``: the aligner does not run)."""
    from mtqa.align import align_document
    from mtqa.embed import get_embedder
    from mtqa.inputs.paired import build_paired_documents
    from mtqa.text.segment import segment_document

    rows = [{"doc": "lines", "source": s, "mt": t, "ref": None if ref is None else ref[i], "line": i + 1, "id": None}
            for i, (s, t) in enumerate(zip(source, mt))]
    emb = ctx.embedder if ctx.embedder is not None else get_embedder(ctx.settings.embedder)
    return [align_document(segment_document(d), emb) for d in build_paired_documents(rows, "lines")]
