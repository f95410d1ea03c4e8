"""Search stage, one shard: a shard directory + a query plan -> candidates with global scores.

A ``ShardSearcher`` holds one shard of a sharded index in memory (in the calling process, or
inside a Ray actor) and answers the coordinator (``sharded.ShardedIndex``): for each query its
top candidates by dense and by BM25 score, each with both exact scores, where BM25 uses the
corpus-wide statistics the coordinator sends and rows are the corpus-wide row numbers one index
of the whole corpus would give. Everything it returns is plain numpy arrays and Passages, so it
crosses a process boundary cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..index.approx import approx_top
from ..index.shards import EXTRA
from ..index.store import IndexData, load_index_data
from ..index.termfreq import global_scores, load_term_freqs
from ..types import Document, Passage
from .search import _top


@dataclass(frozen=True)
class Request:
    """One query as the coordinator plans it, the same for every shard."""

    mode: str  # hybrid | dense | bm25
    qvec: np.ndarray | None  # float32 (dim,), None in bm25 mode
    weights: tuple[tuple[str, np.float32], ...]  # BM25 terms with corpus-wide idf
    avg_len: float  # corpus-wide mean passage length (float64)
    depth: int  # candidates per retriever
    doc_ids: tuple[str, ...] | None  # restrict to these documents (None: all)
    prefetch: int = 0  # passages sent back for each retriever's top rows (saves a round trip)


@dataclass(frozen=True)
class Candidates:
    """One shard's answer to one Request. ``rows`` are global row numbers, ascending."""

    rows: np.ndarray  # int64 (c,)
    dense: np.ndarray | None  # float32 (c,), exact inner products
    bm25: np.ndarray | None  # float32 (c,)
    dense_top: np.ndarray  # int64: positions in ``rows`` of the dense list, best first
    dense_key: np.ndarray  # float32: the score that ranked the dense list (FAISS's own)
    bm25_top: np.ndarray  # int64: positions in ``rows`` of the BM25 list, best first
    passages: dict | None = None  # global row -> Passage, for the top ``prefetch`` of each list


@dataclass(frozen=True)
class ShardSpec:
    """Where a shard lives and how its rows map into the corpus (from the top manifest)."""

    name: str
    index_dir: str  # the ordinary index directory of this shard version
    firsts: tuple[int, ...]  # global first row of each of its documents, in its order
    approx: str | None = None  # "ivf-sq8" | "ivf-pq" | None (exact FAISS)


def shard_specs(index_dir: str | Path, manifest: dict) -> list[ShardSpec]:
    """The non-empty shards of a sharded manifest, with absolute paths."""
    root = Path(index_dir).resolve()
    return [
        ShardSpec(
            name=s["name"],
            index_dir=str(root / s["path"]),
            firsts=tuple(s["firsts"]),
            approx=s["index_type"] if s["index_type"].startswith("ivf") else None,
        )
        for s in manifest["shards"]
        if s["path"]
    ]


class ShardSearcher:
    """One loaded shard (see the module docstring)."""

    def __init__(self, spec: ShardSpec):
        self.spec = spec
        path = Path(spec.index_dir)
        self.data: IndexData = load_index_data(path, mmap_vectors=spec.approx is not None)
        extra = path.with_name(path.name + EXTRA)
        self.tf = load_term_freqs(extra, self.data.bm25)
        self.ivf = None
        if spec.approx:
            import faiss

            self.ivf = faiss.read_index(str(extra / "ivf.faiss"))  # nprobe is stored in it
        docs = self.data.manifest["documents"]
        self.doc_rows = {d: (v["first"], v["passages"]) for d, v in docs.items()}
        self.global_rows = np.zeros(len(self.data.passages), dtype=np.int64)
        for (first, count), g in zip(self.doc_rows.values(), spec.firsts, strict=True):
            self.global_rows[first : first + count] = np.arange(g, g + count)

    @property
    def n(self) -> int:
        return len(self.data.passages)

    def ping(self) -> str:
        return self.spec.name

    def info(self) -> dict:
        """Name, size, kind and the holding process's id and resident memory (MiB)."""
        import os

        kib = {}
        try:  # Linux: resident memory, and its private part (RssAnon) vs mapped files (RssFile:
            # memory-mapped vectors and BM25 arrays, which the kernel can drop and re-read)
            with open(f"/proc/{os.getpid()}/status", encoding="ascii") as f:
                kib = {k: int(v.split()[0]) for k, v in (ln.split(":", 1) for ln in f if ":" in ln)
                       if k in ("VmRSS", "RssAnon", "RssFile")}  # fmt: skip
        except OSError:
            pass
        return {
            "name": self.spec.name,
            "passages": self.n,
            "index_type": self.spec.approx or self.data.manifest["index_type"],
            "pid": os.getpid(),
            "rss_mib": round(kib.get("VmRSS", 0) / 1024, 1),
            "rss_anon_mib": round(kib.get("RssAnon", 0) / 1024, 1),
            "rss_file_mib": round(kib.get("RssFile", 0) / 1024, 1),
        }

    def search(self, requests: list[Request]) -> list[Candidates]:
        return [self._one(r) for r in requests]

    def passages(self, rows: list[int]) -> list[Passage]:
        """Passages by global row number (rows of this shard only)."""
        local = np.searchsorted(self.global_rows, np.asarray(rows, dtype=np.int64))
        return [self.data.passages[int(i)] for i in local]

    def documents(self) -> dict[str, Document]:
        return self.data.documents()

    def _allowed(self, doc_ids) -> np.ndarray | None:
        if doc_ids is None:
            return None
        spans = [self.doc_rows[d] for d in doc_ids if d in self.doc_rows]
        if not spans:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([np.arange(a, a + c) for a, c in spans]).astype(np.int64)

    def _dense(self, qvec, depth, allowed) -> tuple[np.ndarray, np.ndarray]:
        """(rows, ranking scores) of the dense top ``depth``, as ``Index._dense_top`` ranks."""
        vectors = self.data.vectors
        if allowed is not None:
            if len(allowed) == 0:
                return allowed, np.zeros(0, dtype=np.float32)
            scores = vectors.reconstruct_batch(allowed) @ qvec
            order = np.argsort(-scores, kind="stable")[:depth]
            return allowed[order], scores[order]
        if self.ivf is not None:
            return approx_top(self.ivf, vectors, qvec, depth)
        depth = min(depth, vectors.ntotal)
        if depth <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores, ids = vectors.search(qvec[None, :].astype(np.float32), depth)
        keep = ids[0] >= 0  # FAISS pads with -1
        return ids[0][keep], scores[0][keep]

    def _bm25(self, r: Request, allowed) -> np.ndarray:
        scores = global_scores(self.data.bm25, self.tf, list(r.weights), np.float64(r.avg_len))
        if allowed is not None:
            masked = np.zeros_like(scores)
            masked[allowed] = scores[allowed]
            scores = masked
        return scores

    def _one(self, r: Request) -> Candidates:
        allowed = self._allowed(r.doc_ids)
        empty = np.zeros(0, dtype=np.int64)
        dense_rows, dense_key, bm_rows, bm = empty, np.zeros(0, np.float32), empty, None
        if r.mode != "bm25":
            dense_rows, dense_key = self._dense(r.qvec, r.depth, allowed)
        if r.mode != "dense":
            bm = self._bm25(r, allowed)
            bm_rows = _top(bm, r.depth)
            bm_rows = bm_rows[bm[bm_rows] > 0]
        rows = np.unique(np.concatenate([dense_rows, bm_rows]).astype(np.int64))
        dense = None
        if r.mode != "bm25":
            dense = (
                self.data.vectors.reconstruct_batch(rows) @ r.qvec
                if len(rows)
                else np.zeros(0, dtype=np.float32)
            )
        top = np.unique(np.concatenate([dense_rows[: r.prefetch], bm_rows[: r.prefetch]]))
        passages = {int(self.global_rows[i]): self.data.passages[int(i)] for i in top}
        return Candidates(
            passages=passages,
            rows=self.global_rows[rows],
            dense=dense,
            bm25=bm[rows] if bm is not None else None,
            dense_top=np.searchsorted(rows, dense_rows),
            dense_key=np.asarray(dense_key, dtype=np.float32),
            bm25_top=np.searchsorted(rows, bm_rows),
        )
