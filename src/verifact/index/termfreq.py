"""BM25 over shards: a shard's term frequencies + corpus-wide statistics -> BM25 scores.

bm25s stores each (term, passage) score precomputed with its own index's statistics (passage
count, document frequencies, average length), so a shard's stored scores differ from the ones a
single index of the whole corpus would give. A shard therefore keeps, beside its ordinary
``bm25/`` folder, the raw term frequencies (aligned with bm25s's sparse matrix) and passage
lengths, and scores a query with statistics merged across all shards. The arithmetic is bm25s's
own (same functions, same dtypes, same summation order), so the scores equal a single index's
bit for bit.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import IndexCorruptError
from .bm25 import BM25Index, _bm25s, tokenize

FILES = ("tf.npy", "doc_len.npy", "info.json")


@dataclass
class TermFreqs:
    """Per shard: ``tf[j]`` is the frequency behind bm25s's ``data[j]``; ``doc_len[i]`` the
    token count of passage i (stopwords removed, as bm25s counts it)."""

    tf: np.ndarray  # uint16 or uint32, (nnz,)
    doc_len: np.ndarray  # int32, (n,)

    @property
    def total_len(self) -> int:
        return int(self.doc_len.sum(dtype=np.int64))


def build_term_freqs(texts: list[str], bm25: BM25Index) -> TermFreqs:
    """Count each term of each text in bm25s's matrix order (by term id, then passage).

    Args:
        texts: the texts the BM25 index was built from, in row order.
        bm25: that index.

    Raises:
        IndexCorruptError: the texts do not give the index's sparsity pattern.
    """
    vocab = bm25.retriever.vocab_dict
    tokens = tokenize(texts) if texts else []
    doc_len = np.array([len(t) for t in tokens], dtype=np.int32)
    ids = np.fromiter((vocab[t] for toks in tokens for t in toks), dtype=np.int64)
    docs = np.repeat(np.arange(len(tokens), dtype=np.int64), doc_len)
    keys, counts = np.unique((ids << 32) | docs, return_counts=True)  # sorted: term, then doc
    indices = np.asarray(bm25.retriever.scores["indices"])
    if len(keys) != len(indices) or not np.array_equal(keys & 0xFFFFFFFF, indices):
        raise IndexCorruptError("BM25 term frequencies do not match the index; rebuild it")
    dtype = np.uint16 if counts.max(initial=0) < 2**16 else np.uint32
    return TermFreqs(counts.astype(dtype), doc_len)


def save_term_freqs(tf: TermFreqs, path: Path) -> None:
    """Write ``tf.npy``, ``doc_len.npy`` and ``info.json`` into a new folder ``path``."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    np.save(tmp / "tf.npy", tf.tf, allow_pickle=False)
    np.save(tmp / "doc_len.npy", tf.doc_len, allow_pickle=False)
    info = {"nnz": len(tf.tf), "passages": len(tf.doc_len), "total_len": tf.total_len}
    (tmp / "info.json").write_text(json.dumps(info))
    shutil.rmtree(path, ignore_errors=True)
    os.rename(tmp, path)


def load_term_freqs(path: Path, bm25: BM25Index) -> TermFreqs:
    """Read (memory-mapped) term frequencies and check them against ``bm25``.

    Raises:
        IndexCorruptError: missing files or counts that disagree with the index.
    """
    try:
        tf = np.load(path / "tf.npy", mmap_mode="r", allow_pickle=False)
        doc_len = np.load(path / "doc_len.npy", allow_pickle=False)
    except (OSError, ValueError) as e:
        raise IndexCorruptError(
            f"Shard term frequencies {str(path)!r} are missing or damaged ({type(e).__name__}); "
            "rebuild the index with verifact index ... --shards N"
        ) from e
    if len(tf) != len(bm25.retriever.scores["indices"]) or len(doc_len) != bm25.n:
        raise IndexCorruptError(
            f"Shard term frequencies {str(path)!r} disagree with its BM25 index; rebuild it"
        )
    return TermFreqs(tf, doc_len)


def document_frequencies(bm25: BM25Index) -> dict[str, int]:
    """term -> number of passages holding it, for every term of the index."""
    indptr = np.asarray(bm25.retriever.scores["indptr"])
    df = np.diff(indptr)
    return {t: int(df[i]) for t, i in bm25.retriever.vocab_dict.items() if i < len(df)}


def idf(df: int, n: int) -> np.float32:
    """bm25s's Lucene idf, stored as float32 as bm25s stores it."""
    _bm25s()  # imported once with its logger quieted
    from bm25s.scoring import _score_idf_lucene

    return np.float32(_score_idf_lucene(df, N=n))


def global_scores(
    bm25: BM25Index, tf: TermFreqs, weights: list[tuple[str, np.float32]], avg_len: np.float64
) -> np.ndarray:
    """BM25 score of every passage of a shard under corpus-wide statistics: float32 (n,).

    Args:
        weights: the query's terms in order (repeats included), each with its corpus-wide idf.
        avg_len: the corpus-wide mean passage length (float64, as numpy's mean gives it).
    """
    _bm25s()
    from bm25s.scoring import _select_tfc_scorer

    r = bm25.retriever
    vocab, indptr, indices = r.vocab_dict, r.scores["indptr"], r.scores["indices"]
    tfc = _select_tfc_scorer(r.method)
    scores = np.zeros(bm25.n, dtype=np.dtype(r.dtype))
    for term, weight in weights:
        tid = vocab.get(term)
        if tid is None or tid >= len(indptr) - 1:
            continue  # not in this shard
        start, end = int(indptr[tid]), int(indptr[tid + 1])
        docs = indices[start:end]
        freq = np.asarray(tf.tf[start:end], dtype=np.dtype(r.dtype))
        part = tfc(tf_array=freq, l_d=tf.doc_len[docs], l_avg=avg_len, k1=r.k1, b=r.b)
        # bm25s: float32 idf * float64 tfc, stored as float32, then summed per term in float32
        np.add.at(scores, docs, (weight * part).astype(scores.dtype))
    return scores
