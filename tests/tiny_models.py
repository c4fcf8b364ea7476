"""Tiny transformer models built offline, for tests that need a real model file on disk.

Model hubs are unreachable, so tests build their own: a SentencePiece model trained in memory on
sentences written here, an XLM-R tokenizer (slow and fast) from it, a 2-layer ``XLMRobertaModel``
with random weights, and tiny COMET checkpoints (``RegressionMetric``, wmt22-comet-da style, and
``UnifiedMetric``, CometKiwi/XCOMET style) on top of that encoder. The weights are random: the
numbers these models give are meaningless, but every code path that loads and runs them is real.

Everything needs the ``neural`` extra (torch, transformers, sentencepiece, unbabel-comet).
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path

# Sentences written for this file (English and French news-like), combined from small templates
# so the SentencePiece model sees a few hundred lines.
_EN_SUBJECTS = ["The mayor", "The minister", "A spokesman for the army", "The union", "Local residents",
                "The central bank", "Rescue teams", "The city council", "Farmers", "The court"]
_EN_VERBS = ["announced a new plan", "rejected the proposal", "warned of further delays", "called for calm",
             "confirmed the figures", "opened an inquiry", "postponed the vote", "praised the volunteers"]
_EN_TAILS = ["on Monday.", "after the storm.", "in a statement on Tuesday evening.", "despite the protests.",
             "before the summer holidays.", "at a press conference in the capital."]
_FR_SUBJECTS = ["Le maire", "La ministre", "Un porte-parole de l'armée", "Le syndicat", "Les habitants",
                "La banque centrale", "Les équipes de secours", "Le conseil municipal", "Les agriculteurs",
                "Le tribunal"]
_FR_VERBS = ["a annoncé un nouveau plan", "a rejeté la proposition", "a mis en garde contre d’autres retards",
             "a appelé au calme", "a confirmé les chiffres", "a ouvert une enquête", "a reporté le vote",
             "a salué les bénévoles"]
_FR_TAILS = ["lundi.", "après la tempête.", "dans un communiqué mardi soir.", "malgré les manifestations.",
             "avant les vacances d’été.", "lors d’une conférence de presse dans la capitale."]
_EXTRA = [
    "« Nous ne céderons pas », a-t-il déclaré.",
    "Pourquoi attendre ? La réponse viendra demain !",
    "Les prix ont augmenté de 3,5 % en un an.",
    "Kyiv et Kharkiv ont été visées par des drones pendant la nuit.",
    "Air defence units shot down most of the drones overnight.",
    "Prices rose by 3.5% over the year.",
    "Why wait? The answer will come tomorrow!",
    "“We will not give in,” he said.",
]


def tiny_corpus() -> list[str]:
    """A few hundred English and French sentences (deterministic)."""
    en = [f"{s} {v} {t}" for s, v, t in itertools.product(_EN_SUBJECTS, _EN_VERBS, _EN_TAILS)]
    fr = [f"{s} {v} {t}" for s, v, t in itertools.product(_FR_SUBJECTS, _FR_VERBS, _FR_TAILS)]
    # every 3rd combination is enough for a varied vocabulary and keeps training fast
    return en[::3] + fr[::3] + _EXTRA


def _train_sentencepiece(sentences: list[str], vocab_size: int = 600) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,  # a small corpus may not fill the vocabulary
        # XLM-R's layout: <unk>=0 <s>=1 </s>=2 in SentencePiece, shifted by fairseq's offset of 1.
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
        minloglevel=2,
    )
    return model.getvalue()


def build_tiny_xlmr(path: str | Path, hidden_size: int = 32, layers: int = 2, seed: int = 0) -> Path:
    """Save a tiny XLM-R (tokenizer + randomly initialised 2-layer model) to ``path``.

    ``path`` then loads with ``XLMRobertaTokenizer(Fast).from_pretrained(path)`` and
    ``XLMRobertaModel.from_pretrained(path)``. Takes about a second.
    """
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizer, XLMRobertaTokenizerFast

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    spm_file = path / "sentencepiece.bpe.model"
    spm_file.write_bytes(_train_sentencepiece(tiny_corpus()))
    slow = XLMRobertaTokenizer(vocab_file=str(spm_file), model_max_length=512)
    fast = XLMRobertaTokenizerFast(vocab_file=str(spm_file), model_max_length=512)
    fast.save_pretrained(str(path))  # writes tokenizer.json and keeps sentencepiece.bpe.model
    config = XLMRobertaConfig(
        vocab_size=len(slow),
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=hidden_size * 2,
        max_position_embeddings=514,
        type_vocab_size=1,
        pad_token_id=slow.pad_token_id,
        bos_token_id=slow.bos_token_id,
        eos_token_id=slow.eos_token_id,
    )
    torch.manual_seed(seed)
    model = XLMRobertaModel(config)
    model.eval()
    model.save_pretrained(str(path))
    return path


def _save_comet(model, path: Path) -> Path:
    """Write ``hparams.yaml`` + ``checkpoints/model.ckpt`` as COMET's hub snapshots lay them out."""
    import pytorch_lightning
    import torch
    import yaml

    hparams = dict(model.hparams)
    (path / "checkpoints").mkdir(parents=True, exist_ok=True)
    (path / "hparams.yaml").write_text(yaml.safe_dump(hparams), encoding="utf-8")
    ckpt = path / "checkpoints" / "model.ckpt"
    torch.save(
        {
            "state_dict": model.state_dict(),
            "hyper_parameters": hparams,
            "pytorch-lightning_version": pytorch_lightning.__version__,
            "epoch": 0,
            "global_step": 0,
        },
        ckpt,
    )
    return ckpt


def build_tiny_comet(path: str | Path, kind: str = "regression", seed: int = 0) -> Path:
    """Build a tiny COMET checkpoint offline under ``path``; return the ``model.ckpt`` path.

    ``kind``:
      * ``"regression"`` — ``RegressionMetric`` (wmt22-comet-da layout: src, mt and ref);
      * ``"unified"`` — ``UnifiedMetric`` with ``input_segments=["mt", "src"]`` (CometKiwi/XCOMET
        style: reference-free) and word-level tagging, so ``predict`` returns
        ``metadata.error_spans`` with ``minor``/``major`` severities (which tokens get tagged is
        decided by the random weights).

    The encoder is a tiny XLM-R built by ``build_tiny_xlmr`` in ``path/encoder``; the checkpoint's
    ``pretrained_model`` points there and everything is created with ``local_files_only=True``.
    ``comet.load_from_checkpoint(ckpt, local_files_only=True)`` reads the result.
    """
    import torch
    from comet.models import RegressionMetric, UnifiedMetric

    path = Path(path)
    encoder_dir = build_tiny_xlmr(path / "encoder", seed=seed)
    torch.manual_seed(seed)
    common = dict(
        encoder_model="XLM-RoBERTa",
        pretrained_model=str(encoder_dir.resolve()),
        load_pretrained_weights=True,
        local_files_only=True,
        hidden_sizes=[16],
        dropout=0.0,
        layer_transformation="softmax",
    )
    if kind == "regression":
        model = RegressionMetric(layer="mix", final_activation="Sigmoid", **common)
    elif kind == "unified":
        model = UnifiedMetric(
            sent_layer="mix",
            word_layer=2,
            input_segments=["mt", "src"],
            word_level_training=True,
            error_labels=["minor", "major"],
            final_activation="Sigmoid",
            **common,
        )
        with torch.no_grad():  # spread the random tag logits so several labels win somewhere
            model.hidden2tag.weight.mul_(8.0)
    else:
        raise ValueError(f"unknown tiny COMET kind {kind!r} (regression or unified)")
    model.eval()
    return _save_comet(model, path)
