"""COMET through Unbabel's ``unbabel-comet`` (the ``neural`` extra), strictly offline.

``--comet-model`` (or ``[comet] model`` in mtqa.toml) is one of

* a checkpoint file (``…/checkpoints/model.ckpt``, with ``hparams.yaml`` one directory up, as in
  COMET's Hugging Face snapshots);
* a model directory (``…/wmt22-comet-da`` containing ``checkpoints/model.ckpt``);
* a Hugging Face model name (``Unbabel/wmt22-comet-da``, ``Unbabel/wmt22-cometkiwi-da``,
  ``Unbabel/XCOMET-XL``) already in the local Hugging Face cache — nothing is downloaded
  (``local_files_only``; ``HF_HUB_OFFLINE``/``TRANSFORMERS_OFFLINE`` are set for the load).

Reference-based models (wmt22-comet-da: ``RegressionMetric``) need ``-r``; reference-free QE
models (CometKiwi: ``UnifiedMetric`` with ``input_segments: [mt, src]``) work without one, and
XCOMET-style models (``UnifiedMetric``/``XCOMETMetric`` with word-level tagging) also return error
spans, kept in the document score's ``error_spans`` and turned into findings by
``mtqa.checks.comet_spans``. Runs on CPU (``gpus=0``); batch size from ``--comet-batch-size``.
Scores are COMET's own scale (about 0–1), the corpus score is the mean of segment scores
(what ``comet-score`` prints as the system score).

torch and comet are imported only when this scorer runs, so ``mtqa --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from mtqa.errors import ConfigError, ModelError
from mtqa.model import AlignedDocument, Score, Segment
from mtqa.scores.base import Scorer

HOW_TO = (
    "pass --comet-model PATH to a downloaded COMET model directory (with checkpoints/model.ckpt and "
    "hparams.yaml) or to its .ckpt file, or put the model in the Hugging Face cache on a machine with "
    "internet access first (huggingface-cli download Unbabel/wmt22-comet-da, and the encoder it names, "
    "e.g. xlm-roberta-large); mtqa never downloads models"
)

_MODELS: dict[str, Any] = {}  # checkpoint path → loaded model (compare scores many systems)


def _checkpoint_in(directory: Path) -> Path | None:
    for cand in (directory / "checkpoints" / "model.ckpt", directory / "model.ckpt"):
        if cand.is_file():
            return cand
    ckpts = sorted(directory.glob("checkpoints/*.ckpt"))
    return ckpts[0] if ckpts else None


def resolve_checkpoint(spec: str) -> Path:
    """The ``model.ckpt`` that ``spec`` names, from disk or the local HF cache; else ModelError."""
    p = Path(spec).expanduser()
    if p.is_file():
        return p
    if p.is_dir():
        ckpt = _checkpoint_in(p)
        if ckpt is None:
            raise ModelError(f"COMET model {spec!r}: no checkpoints/model.ckpt in that directory; {HOW_TO}")
        return ckpt
    looks_like_path = spec.startswith((".", "/", "~")) or spec.endswith(".ckpt") or spec.count("/") > 1
    if not looks_like_path:
        try:
            from huggingface_hub import snapshot_download
        except ImportError:
            raise ModelError(f"COMET model {spec!r}: needs the 'neural' extra (pip install 'mtqa[neural]')") from None
        try:
            snap: Path | None = Path(snapshot_download(repo_id=spec, local_files_only=True))
        except Exception:  # noqa: BLE001 — not cached (LocalEntryNotFoundError), not a valid repo id (HFValidationError): their bases vary across huggingface_hub versions
            snap = None
        if snap is not None:
            ckpt = _checkpoint_in(snap)
            if ckpt is not None:
                return ckpt
    raise ModelError(f"COMET model {spec!r} is not on disk (not a file, a directory or a model in the local "
                     f"Hugging Face cache); {HOW_TO}")


@contextlib.contextmanager
def _quiet_offline():
    """No network, and none of Lightning's banners on stdout/stderr while COMET loads and predicts."""
    saved = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TOKENIZERS_PARALLELISM")}
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    loggers = [logging.getLogger(n) for n in ("pytorch_lightning", "lightning", "lightning.pytorch",
                                              "lightning_fabric", "comet", "transformers")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    sink = io.StringIO()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, lv in zip(loggers, levels):
            lg.setLevel(lv)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def load_model(spec: str) -> tuple[Any, Path]:
    """Load (once per process) the COMET model ``spec`` names; ModelError when it cannot be."""
    ckpt = resolve_checkpoint(spec)
    key = str(ckpt.resolve())
    if key in _MODELS:
        return _MODELS[key], ckpt
    try:
        with _quiet_offline():
            from comet import load_from_checkpoint
    except ImportError as e:
        raise ModelError(f"COMET needs the 'neural' extra (pip install 'mtqa[neural]'): {e}") from None
    if not (ckpt.parents[1] / "hparams.yaml").is_file():
        raise ModelError(f"COMET model {spec!r}: {ckpt.parents[1] / 'hparams.yaml'} is missing; {HOW_TO}")
    try:
        with _quiet_offline():
            model = load_from_checkpoint(str(ckpt), local_files_only=True)
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        import yaml

        try:
            hp = yaml.safe_load((ckpt.parents[1] / "hparams.yaml").read_text(encoding="utf-8")) or {}
        except (OSError, ValueError, yaml.YAMLError):  # an unreadable hparams.yaml: report the original error
            hp = {}
        enc = hp.get("pretrained_model", "?")
        raise ModelError(f"COMET model {spec!r} could not be loaded (its encoder {enc!r} must be on disk too): "
                         f"{str(e).splitlines()[0] if str(e) else type(e).__name__}; {HOW_TO}") from None
    model.eval()
    _MODELS[key] = model
    return model, ckpt


def model_signature(model: Any, ckpt: Path, spec: str) -> str:
    from importlib.metadata import version

    hp = model.hparams
    return (f"comet|model:{spec}|class:{hp.get('class_identifier', type(model).__name__)}"
            f"|encoder:{Path(str(hp.get('pretrained_model', '?'))).name}|ref:{'yes' if model.requires_references() else 'optional'}"
            f"|unbabel-comet:{version('unbabel-comet')}|agg:mean-of-segments")


def _scorable(seg: Segment) -> bool:
    return bool(seg.source.strip()) and bool(seg.mt.strip())


class CometScorer(Scorer):
    """COMET (unbabel-comet), reference-based or reference-free; error spans for XCOMET-style models."""

    name = "comet"
    label = "COMET"
    decimals = 4
    needs_ref = False  # decided by the model: wmt22-comet-da needs one, CometKiwi does not

    def model(self) -> tuple[Any, Path, str]:
        """(model, checkpoint, the --comet-model spec); ConfigError without a model."""
        spec = self.ctx.settings.comet_model
        if not spec:
            raise ConfigError("the 'comet' score needs a model: pass --comet-model PATH_OR_NAME")
        model, ckpt = load_model(spec)
        return model, ckpt, spec

    def line_scores(self, source: list[str], ref: list[str], hyps: list[str]) -> np.ndarray:
        """COMET of every line with a source (source, MT and reference given to the model)."""
        model, _, _ = self.model()
        keep = [i for i, s in enumerate(source) if s.strip()]
        samples = [{"src": source[i], "mt": hyps[i], "ref": ref[i]} for i in keep]
        with _quiet_offline():
            pred = model.predict(samples, batch_size=max(1, self.ctx.settings.comet_batch_size), gpus=0,
                                 progress_bar=False, num_workers=0)
        out = np.full(len(source), np.nan)
        out[keep] = np.asarray(pred.scores, dtype=np.float64)
        return out

    def line_signature(self) -> str:
        model, ckpt, spec = self.model()
        return model_signature(model, ckpt, spec)

    def score(self, adocs: list[AlignedDocument]):
        settings = self.ctx.settings
        model, ckpt, spec = self.model()
        has_ref = all(a.doc.ref is not None for a in adocs)
        if model.requires_references() and not has_ref:
            raise ConfigError(f"COMET model {spec!r} is reference-based: give a reference (-r), "
                              "or use a reference-free model (CometKiwi)")
        input_segments = list(model.hparams.get("input_segments", ["src", "mt", "ref"]))
        use_ref = has_ref and ("ref" in input_segments or model.requires_references())
        samples: list[dict] = []
        where: list[tuple[str, int]] = []
        for a in adocs:
            for k, seg in enumerate(a.segments):
                if not _scorable(seg):
                    continue
                sample = {"src": seg.source, "mt": seg.mt}
                if use_ref:
                    sample["ref"] = seg.ref or ""
                samples.append(sample)
                where.append((a.id, k))
        batch = max(1, settings.comet_batch_size)
        scores: list[float] = []
        spans: list[list[dict]] = []
        word_level = False
        if samples:
            with _quiet_offline():
                out = model.predict(samples, batch_size=batch, gpus=0, progress_bar=False, num_workers=0)
            scores = [float(s) for s in out.scores]
            meta = getattr(out, "metadata", None)
            raw_spans = meta.get("error_spans") if meta is not None and hasattr(meta, "get") else None
            word_level = raw_spans is not None
            spans = [list(s) for s in raw_spans] if raw_spans is not None else [[] for _ in samples]
        sig = model_signature(model, ckpt, spec) + f"|ref-used:{'yes' if use_ref else 'no'}"
        per_seg: dict[str, list[float | None]] = {a.id: [None] * len(a.segments) for a in adocs}
        doc_spans: dict[str, list[dict]] = {a.id: [] for a in adocs}
        for (doc_id, k), value, seg_spans in zip(where, scores, spans):
            per_seg[doc_id][k] = value
            for sp in seg_spans:
                doc_spans[doc_id].append({
                    "segment": k,
                    "start": int(sp["start"]),
                    "end": int(sp["end"]),
                    "severity": str(sp["severity"]),
                    "confidence": round(float(sp.get("confidence", 0.0)), 4),
                })
        per_doc: dict[str, Score] = {}
        for a in adocs:
            vals = [v for v in per_seg[a.id] if v is not None]
            if vals:
                extra: dict = {"segments": len(vals)}
                if word_level:  # an XCOMET-style model: its spans, even when it found none
                    extra["error_spans"] = doc_spans[a.id]
                per_doc[a.id] = Score(self.name, sum(vals) / len(vals), sig, extra)
        corpus = Score(self.name, sum(scores) / len(scores) if scores else 0.0, sig,
                       {"segments": len(scores), "model_path": str(ckpt)})
        return corpus, per_doc, per_seg

