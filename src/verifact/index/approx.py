"""Approximate dense search for large shards: vectors -> IVF-SQ8 or IVF-PQ + exact re-ranking.

An approximate shard keeps its ordinary exact ``vectors.faiss`` (memory-mapped, read only for
the rows it re-ranks) and adds an IVF index whose compressed codes live in RAM. A query takes
the IVF's top ``RERANK * depth`` candidates and re-ranks them by exact inner product, so every
score a shard returns is exact; only the candidate list can miss a true neighbour.
``recall_at_k`` measures how often it does, on the shard's own (real) passage vectors.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError

APPROX_TYPES = ("ivf-sq8", "ivf-pq")
NPROBE_MIN = 16  # inverted lists visited per query, at least
NPROBE_SHARE = 8  # ... and one list in 8: recall@10 0.97 on the 1M benchmark (README), where
# nprobe 16 of 2,000 lists gave 0.70 (NOTES' clustered vectors: 0.96 at 16 of 4,096)
PQ_DIMS = 8  # dimensions per 8-bit PQ sub-quantizer: 48 bytes for a 384-dim vector
RERANK = 2  # IVF candidates per requested candidate, re-ranked exactly
PQ_MIN = 256 * 39  # a PQ code book has 256 centroids per sub-space; faiss wants 39 points each
TRAIN_PER_LIST = 64  # training vectors per inverted list (faiss wants 39-256)


def nprobe_for(nlist: int) -> int:
    """Inverted lists a query visits: ``nlist / NPROBE_SHARE``, at least ``NPROBE_MIN``."""
    return min(nlist, max(NPROBE_MIN, nlist // NPROBE_SHARE))


def nlist_for(n: int) -> int:
    """Inverted lists for ``n`` vectors: about 4 sqrt(n), at most 4096."""
    return max(1, min(4096, int(4 * math.sqrt(max(n, 1)))))


def pq_m(dim: int) -> int:
    """PQ sub-quantizers for ``dim``: one per ``PQ_DIMS`` dimensions (a divisor of ``dim``)."""
    m = max(1, dim // PQ_DIMS)
    while dim % m:
        m -= 1
    return m


def build_approx(vectors: np.ndarray, kind: str, seed: int = 13):
    """Train and fill an IVF index over L2-normalised ``vectors`` (float32, (n, dim)).

    Raises:
        InputError: unknown ``kind``, or fewer vectors than the quantizer needs.
    """
    import faiss

    if kind not in APPROX_TYPES:
        raise InputError(f"Unknown approximate index {kind!r}; expected one of {APPROX_TYPES}")
    n, dim = vectors.shape
    codes = "SQ8" if kind == "ivf-sq8" else f"PQ{pq_m(dim)}"
    need = PQ_MIN if kind == "ivf-pq" else 1
    if n < need:
        raise InputError(
            f"A shard of {n:,} passages is too small for {kind} (it needs {need:,} to train); "
            "use --index-type flat or ivf-sq8, or fewer shards"
        )
    nlist = min(nlist_for(n), max(1, n // 39))
    index = faiss.index_factory(dim, f"IVF{nlist},{codes}", faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(seed)
    sample = min(n, max(TRAIN_PER_LIST * nlist, PQ_MIN if kind == "ivf-pq" else 0))
    train = vectors[np.sort(rng.choice(n, size=sample, replace=False))]
    index.train(np.ascontiguousarray(train, dtype=np.float32))
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    index.nprobe = nprobe_for(nlist)
    return index


def approx_top(ivf, exact, qvec: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """Top ``depth`` rows for one query, best first, with exact inner-product scores.

    Args:
        ivf: the approximate index (candidates only).
        exact: the shard's flat index (``reconstruct_batch`` gives the stored vectors).
        qvec: float32 (dim,).
    """
    want = min(depth * RERANK, ivf.ntotal)
    if want <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    _, ids = ivf.search(qvec[None, :].astype(np.float32), want)
    rows = ids[0][ids[0] >= 0]
    scores = exact.reconstruct_batch(rows) @ qvec  # inner product == cosine
    order = np.lexsort((rows, -scores))[:depth]
    return rows[order], scores[order]


def recall_at_k(
    ivf, exact, k: int = 10, queries: int = 500, depth: int = 100, seed: int = 13
) -> dict:
    """Recall@k of ``approx_top`` against exact search, with passage vectors as queries.

    Each query is a stored passage vector; the passage itself is left out of both top-k lists
    (it is trivially found), so the figure is about its neighbours only. ``depth`` is the
    candidate depth a search asks a shard for (Settings.candidates), as when serving.

    Returns:
        {"recall@k": float, "queries": int, "nprobe": int, "nlist": int}
    """
    import faiss

    n = exact.ntotal
    rng = np.random.default_rng(seed)
    picks = np.sort(rng.choice(n, size=min(queries, n), replace=False))
    qs = exact.reconstruct_batch(picks)
    _, truth = exact.search(qs, k + 1)
    found = total = 0
    for i, row in enumerate(picks):
        gold = [r for r in truth[i] if r != row and r >= 0][:k]
        got, _ = approx_top(ivf, exact, qs[i], max(depth, k + 1))
        got = [r for r in got if r != row][:k]
        found += len(set(gold) & set(got))
        total += len(gold)
    ivf_ = faiss.extract_index_ivf(ivf)
    return {
        f"recall@{k}": round(found / total, 4) if total else 1.0,
        "queries": len(picks),
        "nprobe": ivf_.nprobe,
        "nlist": ivf_.nlist,
    }
