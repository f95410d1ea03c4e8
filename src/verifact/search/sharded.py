"""Search stage, sharded: a sharded index directory + queries -> Hits equal to one index's.

``ShardedIndex`` has the interface of ``search.Index`` (``search_many``, ``embedder``,
``documents``, ``manifest``), so verify, eval and the chat use it unchanged. Per query it embeds
the query once, maps the query's words to corpus terms over the whole corpus's vocabulary,
sends every shard the same plan (the query vector, each term with its corpus-wide idf, the
corpus-wide mean length, the candidate depth), merges the shards' candidate lists into the
lists one index would have produced and fuses them with ``search.fuse``. The shards are held
in this process (``LocalShards``) or by Ray actors (``ray_serve.RayShards``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..config import Settings
from ..errors import InputError, ShardUnavailableError
from ..index.bm25 import FUZZY_MIN_LENGTH, closest_term, query_terms
from ..index.model import Embedder
from ..index.shards import read_sharded_manifest, read_stats
from ..index.termfreq import idf
from ..types import Document, Hit, Passage
from .search import (
    fuse,
    hits_from_rows,
    previous_passage,
    validate_k,
    validate_mode,
    validate_query,
)
from .shard import Candidates, Request, ShardSearcher, ShardSpec, shard_specs

PREFETCH = 3  # passages wanted per hit before the overlap filter: k * PREFETCH rows a query


class LocalShards:
    """Every shard loaded in this process; calls run one shard after the other."""

    def __init__(self, specs: list[ShardSpec]):
        self.searchers = {s.name: ShardSearcher(s) for s in specs}

    @property
    def names(self) -> list[str]:
        return list(self.searchers)

    def call(self, method: str, args: dict[str, tuple]) -> dict[str, object]:
        """{shard: result} for ``method(*args[shard])`` on each named shard."""
        return {name: getattr(self.searchers[name], method)(*a) for name, a in args.items()}

    def describe(self, name: str) -> str:
        return self.searchers[name].spec.index_dir

    def close(self) -> None:
        self.searchers.clear()


@dataclass
class _Data:
    """What callers read from ``index.data`` (the directory and its manifest)."""

    path: Path
    manifest: dict


class ShardedIndex:
    """A sharded index opened for search; see the module docstring.

    With ``allow_partial`` a query that cannot reach some shards answers from the others and
    ``last_missing`` names the missing shards (empty when the last call was complete);
    otherwise it raises ``ShardUnavailableError`` naming them.
    """

    sharded = True

    def __init__(self, path, manifest, shards, embedder=None, settings=Settings(), **kw):
        self.path = Path(path)
        self.top = manifest
        self.shards = shards
        self._embedder = embedder
        self.settings = settings
        self.allow_partial = kw.get("allow_partial", False)
        self.ray = kw.get("ray")  # the address the shards are served from, or None
        self._local = threading.local()  # last_missing, per thread (the chat is concurrent)
        self._documents: dict[str, Document] | None = None
        stats = kw.get("stats") or read_stats(path, manifest)
        self.n, self.df = stats["passages"], stats["df"]
        self.avg_len = np.float64(stats["total_len"]) / max(self.n, 1)  # as numpy's mean
        self._vocab = [t for t in self.df if len(t) >= FUZZY_MIN_LENGTH]
        self._manifest = _merged_manifest(self.path, manifest)
        self.data = _Data(self.path, self._manifest)
        firsts = [(f, s["name"]) for s in manifest["shards"] for f in s["firsts"]]
        firsts.sort()
        self._row_starts = np.array([f for f, _ in firsts], dtype=np.int64)
        self._row_shard = [name for _, name in firsts]

    # --- the Index interface ---------------------------------------------------------------

    @property
    def last_missing(self) -> tuple[str, ...]:
        """The shards this thread's last search could not reach (``allow_partial`` only)."""
        return getattr(self._local, "missing", ())

    @last_missing.setter
    def last_missing(self, names: tuple[str, ...]) -> None:
        self._local.missing = tuple(names)

    def reopen(self) -> ShardedIndex:
        """The index as its manifest is now (after a rebuild), served the same way."""
        return load_sharded_index(
            self.path, embedder=self._embedder, settings=self.settings, ray=self.ray,
            allow_partial=self.allow_partial,
        )  # fmt: skip

    @property
    def manifest(self) -> dict:
        return self._manifest

    @property
    def passages(self) -> _PassageView:
        return _PassageView(self)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from ..index.embed import load_embedder

            backend = self.settings.backend
            if backend == "auto" and self.top.get("backend") == "torch":
                backend = "torch"  # built on GPU nodes: queries use the same backend
            self._embedder = load_embedder(self.top["model"], backend=backend)
        return self._embedder

    def with_embedder(self, embedder: Embedder) -> ShardedIndex:
        """The same open index (same shards) answering with ``embedder``."""
        twin = object.__new__(ShardedIndex)
        twin.__dict__.update(self.__dict__)
        twin._embedder = embedder
        twin._local = threading.local()
        return twin

    def documents(self) -> dict[str, Document]:
        if self._documents is None:
            parts = self._call("documents", {n: () for n in self.shards.names})
            merged = {d: doc for part in parts.values() for d, doc in part.items()}
            self._documents = {d: merged[d] for d in self._manifest["documents"] if d in merged}
        return self._documents

    def previous_passage(self, passage: Passage, first: bool = False) -> Passage | None:
        """The passage before ``passage`` in its document (with ``first``, the document's
        first passage; fetched from its shard), or None."""
        return previous_passage(self._manifest, passage, lambda r: self._fetch([[r]])[r], first)

    def is_truncated(self, query: str) -> bool:
        return self.embedder.count_tokens(query) > self.embedder.max_tokens

    def search(self, query: str, k: int | None = None, mode: str | None = None, **kw) -> list[Hit]:
        return self.search_many([query], k=k, mode=mode, **kw)[0]

    def search_many(self, queries, k=None, mode=None, doc_ids=None, alpha=None) -> list[list[Hit]]:
        """As ``Index.search_many``: the same hits, scores and order as one index of the
        corpus. Raises ShardUnavailableError when a shard cannot be reached (unless
        ``allow_partial``), and InputError for bad input."""
        k = validate_k(self.settings.k if k is None else k)
        mode = validate_mode(self.settings.mode if mode is None else mode)
        queries = [validate_query(q) for q in queries]
        alpha = self.settings.alpha if alpha is None else alpha
        n = self._allowed_count(doc_ids)
        depth = min(max(self.settings.candidates, 4 * k), n)
        qvecs = self.embedder.embed_queries(queries) if mode != "bm25" else None
        docs = tuple(doc_ids) if doc_ids else None
        requests = [
            Request(
                mode=mode,
                qvec=None if qvecs is None else np.asarray(qvecs[i], dtype=np.float32),
                weights=self._weights(q) if mode != "dense" else (),
                avg_len=float(self.avg_len),
                depth=depth,
                doc_ids=docs,
                prefetch=k * PREFETCH,
            )
            for i, q in enumerate(queries)
        ]
        self.last_missing = ()
        answers = self._call("search", {name: (requests,) for name in self.shards.names})
        m = min(self.settings.candidates, n)
        ranked = [
            _merge([a[i] for a in answers.values()], mode, depth, m, alpha)
            for i in range(len(queries))
        ]
        # the passages the shards sent with their candidates usually cover the hits; the rest
        # of the top k (rows ranked high only after fusion) come in one more call, and rows
        # past k (needed when overlapping windows are skipped) on demand
        lookup = {r: p for a in answers.values() for c in a for r, p in (c.passages or {}).items()}
        lookup.update(self._fetch([[r for r in rows[:k] if r not in lookup] for rows, _ in ranked]))
        if self.last_missing:  # a shard lost between the two calls: drop its candidates
            ranked = [self._without_missing(rows, parts) for rows, parts in ranked]
        return [
            hits_from_rows(q, rows, parts, k, _Lazy(self, lookup))
            for q, (rows, parts) in zip(queries, ranked, strict=True)
        ]

    # --- internals ---------------------------------------------------------------------------

    def _allowed_count(self, doc_ids) -> int:
        if not doc_ids:
            return self.n
        docs = self._manifest["documents"]
        unknown = [d for d in doc_ids if d not in docs]
        if unknown:
            raise InputError(
                f"Unknown document id {unknown[0]!r}; choose from {sorted(docs)[:10]!r}"
            )
        return sum(docs[d]["passages"] for d in doc_ids)

    def _weights(self, query: str) -> tuple[tuple[str, np.float32], ...]:
        terms = query_terms(query, self.df.__contains__, lambda t: closest_term(t, self._vocab))
        return tuple((t, idf(self.df[t], self.n)) for t in terms)

    def _call(self, method: str, args: dict[str, tuple]) -> dict[str, object]:
        results = self.shards.call(method, args)
        failed = {name: r for name, r in results.items() if isinstance(r, BaseException)}
        if failed and not self.allow_partial:
            name, err = sorted(failed.items())[0]
            others = f" (and {', '.join(sorted(failed)[1:])})" if len(failed) > 1 else ""
            raise ShardUnavailableError(
                f"Shard {name!r}{others} of {str(self.path)!r} is unreachable: {err}; retry "
                "when it is back (Ray restarts a dead shard actor), or pass --allow-partial"
            )
        if failed:
            self.last_missing = tuple(sorted(set(self.last_missing) | set(failed)))
        return {name: r for name, r in results.items() if name not in failed}

    def _without_missing(self, rows, parts):
        keep = np.array([self.shard_of_row(r) not in self.last_missing for r in rows], dtype=bool)
        return rows[keep], {key: val[keep] for key, val in parts.items()}

    def shard_of_row(self, row: int) -> str:
        return self._row_shard[int(np.searchsorted(self._row_starts, row, side="right")) - 1]

    def _fetch(self, row_lists) -> dict[int, Passage]:
        wanted: dict[str, list[int]] = {}
        for rows in row_lists:
            for r in rows:
                wanted.setdefault(self.shard_of_row(int(r)), []).append(int(r))
        if not wanted:
            return {}
        got = self._call("passages", {s: (sorted(set(rs)),) for s, rs in wanted.items()})
        lookup = {}
        for s, passages in got.items():
            lookup.update(zip(sorted(set(wanted[s])), passages, strict=True))
        return lookup


class _Lazy:
    """``passages[row]`` for ``hits_from_rows``: prefetched, else fetched from its shard."""

    def __init__(self, index: ShardedIndex, lookup: dict[int, Passage]):
        self.index, self.lookup = index, lookup

    def __getitem__(self, row: int) -> Passage:
        if row not in self.lookup:
            self.lookup.update(self.index._fetch([[row]]))
        return self.lookup[row]


class _PassageView:
    """All passages of a sharded index by global row, fetched on demand (len and [i])."""

    def __init__(self, index: ShardedIndex):
        self.index = index

    def __len__(self) -> int:
        return self.index.n

    def __getitem__(self, row: int) -> Passage:
        if not 0 <= row < self.index.n:
            raise IndexError(row)
        return self.index._fetch([[row]])[row]


def _merge(cands: list[Candidates], mode: str, depth: int, m: int, alpha: float):
    """One index's (rows, parts) from the shards' candidates: each retriever's global top
    ``depth`` (ties by global row, as one index breaks them), then ``search.fuse``."""
    if not cands:
        return np.zeros(0, dtype=np.int64), {}
    offsets = np.cumsum([0] + [len(c.rows) for c in cands])[:-1]
    rows = np.concatenate([c.rows for c in cands])
    d_idx = np.concatenate([o + c.dense_top for o, c in zip(offsets, cands)]).astype(np.int64)
    d_key = np.concatenate([c.dense_key for c in cands])
    d_idx = d_idx[np.lexsort((rows[d_idx], -d_key))][:depth]
    b_idx = np.concatenate([o + c.bm25_top for o, c in zip(offsets, cands)]).astype(np.int64)
    parts_all = {}
    if mode != "bm25":
        parts_all["dense"] = np.concatenate([c.dense for c in cands])
    if mode != "dense":
        parts_all["bm25"] = np.concatenate([c.bm25 for c in cands])
        b_idx = b_idx[np.lexsort((rows[b_idx], -parts_all["bm25"][b_idx]))][:depth]
    if mode == "dense":
        sel = d_idx
        order = np.lexsort((rows[sel], -parts_all["dense"][sel]))
    elif mode == "bm25":
        sel = b_idx
        order = np.argsort(-parts_all["bm25"][sel], kind="stable")
    else:
        sel = np.unique(np.concatenate([d_idx, b_idx]))
        sel = sel[np.argsort(rows[sel])]  # one index orders candidates by row before fusing
        parts = {key: val[sel] for key, val in parts_all.items()}
        parts["fused"] = fuse(rows[sel], parts, rows[d_idx[:m]], rows[b_idx[:m]], alpha)
        order = np.lexsort((rows[sel], -parts["fused"]))
        return rows[sel][order], {key: val[order] for key, val in parts.items()}
    return rows[sel][order], {key: val[sel][order] for key, val in parts_all.items()}


def _merged_manifest(path: Path, top: dict) -> dict:
    """The top manifest plus a ``documents`` table over all shards, in corpus order, each
    document's ``first`` being its global row (what chat and eval read from a manifest)."""
    import json

    docs = []
    for shard in top["shards"]:
        if not shard["path"]:
            continue
        m = json.loads((path / shard["path"] / "manifest.json").read_text(encoding="utf-8"))
        for (d, info), first in zip(m["documents"].items(), shard["firsts"], strict=True):
            docs.append((first, d, {**info, "first": first, "shard": shard["name"]}))
    docs.sort(key=lambda x: x[0])
    return {**top, "documents": {d: info for _, d, info in docs}}


def load_sharded_index(
    path: str | Path,
    model: str | None = None,
    settings: Settings = Settings(),
    embedder: Embedder | None = None,
    ray: str | None = None,
    allow_partial: bool = False,
) -> ShardedIndex:
    """Open a sharded index: shards in this process, or (``ray`` = an address, "auto" or
    "local") held by named Ray actors, started on first use and reused by later calls.

    Raises:
        IndexNotFoundError, IndexCorruptError: see ``read_sharded_manifest``.
        IndexMismatchError: ``model`` or ``embedder`` differs from the index's model.
        MissingDependencyError: ``ray`` given but Ray is not installed.
    """
    from ..errors import IndexMismatchError

    manifest = read_sharded_manifest(path)
    name = embedder.name if embedder is not None else None
    if name is None and model is not None:
        from ..index.model import resolve_model

        name = resolve_model(model)[0]
    if name is not None and name != manifest["model"]:
        raise IndexMismatchError(
            f"Index {str(path)!r} was built with model {manifest['model']!r}, not {name!r}; "
            f"use --model {manifest['model']!r} or rebuild it with --model ..."
        )
    specs = shard_specs(path, manifest)
    if ray:
        from .ray_serve import RayShards

        shards = RayShards(path, specs, ray)
    else:
        shards = LocalShards(specs)
    settings = replace(settings, model=model or manifest["model"])
    return ShardedIndex(
        path, manifest, shards, embedder, settings, allow_partial=allow_partial, ray=ray
    )
