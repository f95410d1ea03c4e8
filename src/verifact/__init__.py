"""verifact: answer questions and check claims with cited passages; retrieval only, no generation.

Public API (imported lazily so the CLI starts fast)::

    import verifact
    idx = verifact.load_index("index/reports")      # or load_index() for the shipped corpus
    hits = idx.search("When did Putin invite Meshaal?", k=5)
    verdict = verifact.verify_claim(idx, "Putin invited Meshaal to Moscow in 2006.")
"""

from __future__ import annotations

import importlib

from .config import VERSION as __version__
from .config import Settings
from .errors import (
    IndexCorruptError,
    IndexMismatchError,
    IndexNotFoundError,
    InputError,
    MissingDependencyError,
    VerifactError,
)
from .types import Document, Hit, Passage

_LAZY = {  # name -> the stage package that exports it
    "load_documents": "ingest",
    "chunk_document": "index",
    "load_embedder": "index",
    "build_index": "index",
    "load_index": "search",
    "Index": "search",
    "verify_claim": "verify",
    "verify_claims": "verify",
    "Verdict": "verify",
}

__all__ = [
    "__version__",
    "Settings",
    "Document",
    "Passage",
    "Hit",
    "VerifactError",
    "InputError",
    "IndexNotFoundError",
    "IndexCorruptError",
    "IndexMismatchError",
    "MissingDependencyError",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'verifact' has no attribute {name!r}")
