"""Embed stage: texts -> L2-normalised float32 vectors, with separate query and passage encoding."""

from __future__ import annotations

import importlib.util
import os

import numpy as np

from ..errors import InputError, MissingDependencyError, ModelNotFoundError
from .model import TORCH_EXTRA, Embedder, normalize, resolve_model


class SentenceTransformerEmbedder:
    """Any sentence-transformers model (fp32 torch); loads offline for local paths."""

    backend = "torch"

    def __init__(
        self,
        model: str = "default",
        batch_size: int = 32,
        query_prefix: str = "",
        passage_prefix: str = "",
    ):
        self.name, self.path = resolve_model(model)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise MissingDependencyError(
                f"Model {model!r} needs the torch backend (--backend torch, or a model ONNX "
                f'cannot run), which comes with the "torch" extra: {TORCH_EXTRA}'
            ) from e
        # offline by default: a local folder or a model already in the Hugging Face cache loads,
        # anything else fails at once instead of retrying the network; HF_HUB_OFFLINE=0 allows
        # downloading a hub model
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            self.model = SentenceTransformer(self.path, device="cpu")
        except Exception as e:  # noqa: BLE001 - any load failure is a user-facing model problem
            detail = (str(e).splitlines() or [""])[0][:200]
            raise InputError(
                f"Could not load model {model!r} ({type(e).__name__}: {detail}); "
                "pass --model with a sentence-transformers model folder or a name in the local "
                "Hugging Face cache (set HF_HUB_OFFLINE=0 to allow downloading it)"
            ) from e
        get_dim = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())
        self.max_tokens = int(self.model.max_seq_length or 512)
        self.batch_size = batch_size
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix

    def _encode(self, texts: list[str], progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(
            texts,
            batch_size=self.batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return normalize(vecs)

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self._encode([self.passage_prefix + t for t in texts], progress)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.query_prefix + t for t in texts], False)

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=True)["input_ids"])


def load_embedder(model: str = "default", backend: str = "auto", batch_size: int = 32) -> Embedder:
    """Load an embedder: ``"onnx"`` (int8 onnxruntime, no torch), ``"torch"``
    (sentence-transformers fp32, the ``torch`` extra), or ``"auto"`` (onnx when onnxruntime is
    installed and the model exports, else torch). The default model's ONNX file ships with
    verifact; another model is exported on its first onnx load (the ``torch`` extra, some
    seconds), and later loads read the cached export.

    Example: ``load_embedder().backend  # => "onnx-int8"``
    """
    if backend not in ("auto", "onnx", "torch"):
        raise InputError(f"Unknown embedding backend {backend!r}; use auto, onnx or torch")
    if backend in ("auto", "onnx"):
        try:
            from .embed_onnx import OnnxEmbedder

            return OnnxEmbedder(model, batch_size=batch_size)
        except ImportError as e:  # onnxruntime or tokenizers missing
            if backend == "onnx":
                raise MissingDependencyError(
                    'The onnx backend needs "onnxruntime" and "tokenizers": '
                    "pip install onnxruntime tokenizers"
                ) from e
        except ModelNotFoundError:
            if backend == "onnx" or importlib.util.find_spec("sentence_transformers") is None:
                raise
            # not available locally: torch gives the one error a user needs (or downloads it,
            # where HF_HUB_OFFLINE=0 allows)
        except MissingDependencyError:
            raise  # no torch to export with: the torch backend cannot run either
        except InputError as e:
            if backend == "onnx":
                raise
            import logging

            logging.getLogger(__name__).warning("ONNX backend unavailable (%s); using torch", e)
    return SentenceTransformerEmbedder(model, batch_size=batch_size)
