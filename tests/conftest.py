"""Shared fixtures: a fast deterministic FakeEmbedder, and the real bundled model (session).

Tests never write to the user's data folder: ``VERIFACT_HOME`` (where the shipped corpus's index
is built) points into the session's temporary folder. The cache (``VERIFACT_CACHE``, ONNX exports
and evaluation indexes) stays the user's, so a SciFact index built once is reused.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import numpy as np
import pytest

from verifact.config import default_sources_dir
from verifact.ingest.readers import load_documents

DATA = Path(__file__).parent / "data"
# the tiny corpus with known answers (tests/data/chat holds the chat tests' own files)
BASE_DOCS = [DATA / n for n in ("landmarks.txt", "health.md", "space.html", "news.jsonl")]
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_SOURCES = default_sources_dir()  # the shipped corpus (package data)
SCIFACT = SHARED / "data" / "scifact"

needs_shared = pytest.mark.skipif(
    not SCIFACT.is_dir(), reason=f"needs the shared SciFact data at {SCIFACT} (CI has it)"
)


class FakeEmbedder:
    """Bag-of-words hashed into 64 dims: texts sharing words get similar vectors."""

    name = "fake-bow"
    backend = "fake"
    dim = 64
    max_tokens = 32

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            h = int(hashlib.md5(word.encode()).hexdigest(), 16)
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_passages(self, texts, progress=False):
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim))

    def embed_queries(self, texts):
        return self.embed_passages(texts)

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2


@pytest.fixture(scope="session", autouse=True)
def verifact_home(tmp_path_factory):
    """A private VERIFACT_HOME for the session (subprocesses inherit it)."""
    old = os.environ.get("VERIFACT_HOME")
    home = tmp_path_factory.mktemp("verifact-home")
    os.environ["VERIFACT_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("VERIFACT_HOME", None)
    else:
        os.environ["VERIFACT_HOME"] = old


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    """The bundled all-MiniLM-L6-v2, loaded once (offline) with the default backend."""
    from verifact.index.embed import load_embedder

    return load_embedder("default")


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, real_embedder):
    """The shipped corpus indexed with the real model into a temp directory."""
    from verifact.index.store import build_index
    from verifact.search.search import load_index

    path = tmp_path_factory.mktemp("seed") / "index"
    build_index(load_documents([SEED_SOURCES]).documents, path, real_embedder)
    return load_index(path, embedder=real_embedder)
