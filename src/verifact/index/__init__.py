"""Index stage: Documents -> Passages -> vectors -> an index directory (FAISS + BM25 + manifest).

``chunk`` (Document -> Passages), ``embed`` (``load_embedder``, the torch backend),
``embed_onnx`` and ``onnx_export`` (the ONNX backend and its cached export), ``bm25`` (the
lexical index), ``store`` (``build_index`` / ``load_index_data``: the index directory).
"""

from .bm25 import BM25Index
from .chunk import chunk_document, sentences
from .embed import load_embedder
from .model import Embedder, resolve_model
from .store import BuildReport, IndexData, build_index, doc_hash, load_index_data

__all__ = [
    "BM25Index",
    "BuildReport",
    "Embedder",
    "IndexData",
    "build_index",
    "chunk_document",
    "doc_hash",
    "load_embedder",
    "load_index_data",
    "resolve_model",
    "sentences",
]
