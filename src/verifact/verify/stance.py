"""Stance model: (evidence sentence, claim) pairs -> entails / contradicts / neutral probabilities.

A MiniLM cross-encoder trained by the project (``verifact train-stance``; model card in
``models/stance/MODEL_CARD.md``) and shipped as an int8 ONNX file with its tokenizer. It runs on
onnxruntime + tokenizers, so no torch is needed, and is loaded lazily on the first claim.

Example::

    model = load_stance_model()
    model.predict([("Putin invited Meshaal in 2006.", "Putin invited Meshaal.")])
    # => array([[0.64, 0.02, 0.35]], dtype=float32)   (entails, contradicts, neutral)
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..config import run_each, usable_cpus
from ..errors import IndexCorruptError, MissingDependencyError

LABELS = ("entailment", "contradiction", "neutral")
MAX_LENGTH = 128
MAX_WORKERS = 8  # threads a claim's pairs run on by default (a claim has about 20 pairs)


def model_dir() -> Path:
    """The shipped stance model's folder (``model.onnx``, ``tokenizer.json``, ``stance.json``)."""
    return Path(__file__).resolve().parent / "model"


class StanceModel:
    """int8 ONNX cross-encoder; ``predict`` returns (n, 3) float32 probabilities in LABELS order.

    ``threads``: onnxruntime threads per pair; ``workers``: pairs run side by side (default: the
    process's cores over ``threads``, at most ``MAX_WORKERS``)."""

    def __init__(
        self, folder: Path, threads: int = 1, check: bool = True, workers: int | None = None
    ):
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as e:  # pragma: no cover - core dependencies
            raise MissingDependencyError(
                f"The stance model needs onnxruntime and tokenizers ({e.name} is missing): "
                'pip install "verifact"'
            ) from e
        spec = json.loads((folder / "stance.json").read_text("utf-8"))
        onnx_file = folder / spec["file"]
        if check:
            digest = hashlib.sha256(onnx_file.read_bytes()).hexdigest()
            if digest != spec["sha256"]:
                raise IndexCorruptError(
                    f"Stance model {onnx_file} does not match its recorded sha256 "
                    f"({digest[:12]} vs "
                    f"{spec['sha256'][:12]}); reinstall verifact or run `verifact train-stance`"
                )
        self.sha256 = spec["sha256"]  # as recorded (checked above unless check=False)
        self.labels = tuple(spec["labels"])
        order = [self.labels.index(label) for label in LABELS]
        self._order = np.array(order)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=spec.get("max_length", MAX_LENGTH))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(onnx_file), opts, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self.session.get_inputs()}
        self._lock = threading.Lock()  # tokenizers' padding state is not thread-safe
        # pairs run side by side, ``threads`` onnxruntime threads each (it releases the GIL)
        self.workers = max(1, workers or min(MAX_WORKERS, usable_cpus() // threads))

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities (entails, contradicts, neutral) for each (premise, hypothesis) pair.

        Each pair runs alone. The int8 model quantizes its activations with one scale per
        input tensor, so in a batch a pair's probabilities depend on the other pairs: one
        sentence of the shipped article read entailment 0.55 beside some sentences and 0.45
        beside others, which turned a true claim from SUPPORTED to NOT_ENOUGH_INFO. Alone, a
        pair also needs no padding, which on CPU is the faster way (20 sentences: 85 ms
        against 205 ms batched). Pairs run side by side on ``workers`` threads, which changes
        no probability (20 sentences on 2 cores: 87-95 ms against 145-196 ms one by one)."""
        out = np.zeros((len(pairs), 3), dtype=np.float32)

        def one(i: int) -> None:
            with self._lock:
                self.tokenizer.no_padding()
                enc = self.tokenizer.encode(*pairs[i])
            feed = {
                "input_ids": np.array([enc.ids], dtype=np.int64),
                "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
                "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
            }
            logits = self.session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            out[i] = (e / e.sum(axis=1, keepdims=True))[0, self._order]

        run_each(one, len(pairs), self.workers)
        return out


@lru_cache(maxsize=4)
def load_stance_model(folder: str | None = None) -> StanceModel:
    """The shipped stance model (or one in ``folder``), loaded once per process."""
    return StanceModel(Path(folder) if folder else model_dir())
