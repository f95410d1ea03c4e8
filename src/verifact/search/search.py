"""Search stage: query -> ranked Hits (dense | bm25 | hybrid convex fusion) with highlights."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..config import MODES, Settings, default_index_dir, default_sources_dir
from ..errors import InputError, VerifactError
from ..index.bm25 import tokenize
from ..index.chunk import sentences
from ..index.model import Embedder
from ..index.store import IndexData, build_index, load_index_data
from ..types import Document, Hit, Passage

# Bounds on one request's work (README "Limits"): a claim or question longer than this is not
# one claim (the model reads only its first ~200 words anyway), and k past MAX_K is not a reading
# list; verify's per-hit work grows with both.
MAX_QUERY_CHARS = 2000
MAX_K = 100
_SURROGATE = re.compile("[\ud800-\udfff]")


def _short(text: str, n: int = 60) -> str:
    return repr(text if len(text) <= n else text[:n] + "...")


def previous_passage(manifest: dict, passage: Passage, get, first: bool = False) -> Passage | None:
    """The passage before ``passage`` in its document (with ``first``, the document's first
    passage), or None where ``passage`` is the first; ``get(row)`` reads a row. A document's
    passages are consecutive rows from its ``first`` in the manifest, and a passage id ends in
    its number there."""
    info = manifest.get("documents", {}).get(passage.doc_id)
    number = passage.id.rpartition("#")[2]
    if info is None or not number.isdigit() or not 0 < int(number) < info["passages"]:
        return None
    q = get(info["first"] + (0 if first else int(number) - 1))
    return q if q.doc_id == passage.doc_id and q.start < passage.start else None


def validate_query(query: object) -> str:
    """Return the stripped query.

    Raises:
        InputError: not a string; invalid Unicode (a lone surrogate, e.g. from undecodable
            bytes); no letter or digit (empty, whitespace or zero-width characters only); or
            longer than ``MAX_QUERY_CHARS`` characters.
    """
    if not isinstance(query, str):
        raise InputError(f"Empty query {query!r}; type a question or a claim")
    if _SURROGATE.search(query):
        raise InputError(
            f"Query {_short(query)} is not valid text (invalid UTF-8 bytes or a lone surrogate); "
            "retype it or save the file as UTF-8"
        )
    text = query.strip()
    if not any(c.isalnum() for c in text):  # "", spaces, zero-width or punctuation only
        raise InputError(f"Empty query {_short(query)}; type a question or a claim")
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(
            f"Query of {len(text):,} characters is too long; the limit is {MAX_QUERY_CHARS:,} "
            "(about 300 words): ask one question or check one claim at a time"
        )
    return text


def validate_k(k: object) -> int:
    """Return ``k``; raises InputError unless it is a whole number from 1 to ``MAX_K``."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise InputError(f"Invalid k {k!r}; k must be a whole number from 1 to {MAX_K}, e.g. -k 5")
    return k


def validate_mode(mode: str) -> str:
    if mode not in MODES:
        raise InputError(f"Unknown mode {mode!r}; expected one of {', '.join(MODES)}")
    return mode


def minmax(x: np.ndarray) -> np.ndarray:
    """Scale to [0, 1]; a constant vector maps to ones when positive, zeros otherwise."""
    if x.size == 0:
        return x
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < 1e-12:
        return np.ones_like(x) if hi > 0 else np.zeros_like(x)
    return (x - lo) / (hi - lo)


def best_sentence(passage: Passage, query_tokens: set[str]) -> tuple[int, int]:
    """Document offsets of the passage sentence sharing most stemmed terms with the query.

    A heading (the title, or a short line without final punctuation) wins only with strictly
    more shared terms than every sentence: on a tie the sentence that says something is marked.
    """
    spans = sentences(passage.text)
    if not spans:
        return passage.start, passage.end
    texts = [passage.text[a:b] for a, b in spans]
    overlaps = [
        2 * len(query_tokens & set(toks)) - _heading_like(text, passage.title)
        for text, toks in zip(texts, tokenize(texts), strict=True)
    ]
    best = int(np.argmax(overlaps))  # ties -> the earliest sentence
    a, b = spans[best]
    return passage.start + a, passage.start + b


def _heading_like(text: str, title: str) -> bool:
    text = text.strip()
    if title and text == title.strip():
        return True
    return len(text.split()) <= 12 and not text.endswith(tuple(".!?:;\"'”’)"))


def results_json(query: str, mode: str, k: int, hits: list[Hit]) -> dict:
    """The JSON contract for one query (``verifact ask --json`` and the chat's ``/ask``)."""
    return {"query": query, "mode": mode, "k": k, "hits": [h.to_dict() for h in hits]}


class Index:
    """A loaded index plus its embedder (loaded lazily: bm25 mode never needs it)."""

    def __init__(
        self, data: IndexData, embedder: Embedder | None = None, settings: Settings = Settings()
    ):
        self.data = data
        self._embedder = embedder
        self.settings = settings
        self._documents: dict[str, Document] | None = None

    @property
    def manifest(self) -> dict:
        return self.data.manifest

    @property
    def passages(self) -> list[Passage]:
        return self.data.passages

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from ..index.embed import load_embedder

            self._embedder = load_embedder(self.manifest["model"], backend=self.settings.backend)
        return self._embedder

    def documents(self) -> dict[str, Document]:
        if self._documents is None:
            self._documents = self.data.documents()
        return self._documents

    def previous_passage(self, passage: Passage, first: bool = False) -> Passage | None:
        """The passage before ``passage`` in its document (with ``first``, the document's
        first passage), or None (the first one)."""
        return previous_passage(self.manifest, passage, self.passages.__getitem__, first)

    def is_truncated(self, query: str) -> bool:
        """True when ``query`` is longer than the model's window (its tail is then ignored)."""
        return self.embedder.count_tokens(query) > self.embedder.max_tokens

    def search(self, query: str, k: int | None = None, mode: str | None = None, **kw) -> list[Hit]:
        """Top-``k`` hits for one query; see ``search_many``."""
        return self.search_many([query], k=k, mode=mode, **kw)[0]

    def search_many(
        self,
        queries: list[str],
        k: int | None = None,
        mode: str | None = None,
        doc_ids: list[str] | None = None,
        alpha: float | None = None,
    ) -> list[list[Hit]]:
        """Rank passages for each query.

        Args:
            queries: non-empty strings.
            k: hits per query (>= 1); fewer come back when the index is smaller.
            mode: "hybrid" (default), "dense" or "bm25".
            doc_ids: restrict results to these documents.
            alpha: dense weight in hybrid fusion (default Settings.alpha).

        Returns:
            One list of Hits per query, best first, overlapping windows of the same text merged.

        Raises:
            InputError: empty query, k < 1, unknown mode or document id.
        """
        k = validate_k(self.settings.k if k is None else k)
        mode = validate_mode(self.settings.mode if mode is None else mode)
        queries = [validate_query(q) for q in queries]
        alpha = self.settings.alpha if alpha is None else alpha
        allowed = self._allowed_rows(doc_ids)
        qvecs = self.embedder.embed_queries(queries) if mode != "bm25" else None
        out = []
        for i, q in enumerate(queries):
            qvec = qvecs[i] if qvecs is not None else None
            rows, parts = self.rank(q, qvec, mode, k, alpha, allowed)
            out.append(self._hits(q, rows, parts, k))
        return out

    def _allowed_rows(self, doc_ids: list[str] | None) -> np.ndarray | None:
        if not doc_ids:
            return None
        docs = self.manifest["documents"]
        unknown = [d for d in doc_ids if d not in docs]
        if unknown:
            raise InputError(
                f"Unknown document id {unknown[0]!r}; choose from {sorted(docs)[:10]!r}"
            )
        return np.concatenate(
            [np.arange(docs[d]["first"], docs[d]["first"] + docs[d]["passages"]) for d in doc_ids]
        ).astype(np.int64)

    def _dense_scores(self, qvec: np.ndarray, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float32)
        return self.data.vectors.reconstruct_batch(rows) @ qvec  # inner product == cosine

    def _dense_top(self, qvec, depth, allowed):
        if allowed is not None:
            scores = self._dense_scores(qvec, allowed)
            order = np.argsort(-scores, kind="stable")[:depth]
            return allowed[order]
        depth = min(depth, self.data.vectors.ntotal)
        _, ids = self.data.vectors.search(qvec[None, :].astype(np.float32), depth)
        return ids[0][ids[0] >= 0]  # FAISS pads with -1

    def _bm25_all(self, query, allowed):
        scores = self.data.bm25.scores(query)
        if allowed is not None:
            masked = np.zeros_like(scores)
            masked[allowed] = scores[allowed]
            scores = masked
        return scores

    def rank(self, query, qvec, mode, k, alpha, allowed=None):
        """Candidate rows, best first, with their per-retriever scores (no highlight, no dedupe).

        The ranking step of ``search_many``, public for evaluation runs that need every
        candidate's score quickly; ``qvec`` is the query's vector (None in bm25 mode).
        """
        n = len(self.passages) if allowed is None else len(allowed)
        depth = min(max(self.settings.candidates, 4 * k), n)
        parts: dict[str, np.ndarray] = {}
        if mode == "dense":
            rows = self._dense_top(qvec, depth, allowed)
            parts["dense"] = self._dense_scores(qvec, rows)
            order = np.lexsort((rows, -parts["dense"]))  # ties by row
        elif mode == "bm25":
            scores = self._bm25_all(query, allowed)
            rows = _top(scores, depth)
            rows = rows[scores[rows] > 0]
            parts["bm25"] = scores[rows]
            order = np.argsort(-parts["bm25"], kind="stable")
        else:
            bm = self._bm25_all(query, allowed)
            bm_rows = _top(bm, depth)
            bm_rows = bm_rows[bm[bm_rows] > 0]
            dense_rows = self._dense_top(qvec, depth, allowed)
            rows = np.unique(np.concatenate([dense_rows, bm_rows]))
            parts["dense"] = self._dense_scores(qvec, rows)
            parts["bm25"] = bm[rows]
            m = min(self.settings.candidates, n)
            parts["fused"] = fuse(rows, parts, dense_rows[:m], bm_rows[:m], alpha)
            order = np.lexsort((rows, -parts["fused"]))
        return rows[order], {key: val[order] for key, val in parts.items()}

    def _hits(self, query: str, rows: np.ndarray, parts: dict, k: int) -> list[Hit]:
        return hits_from_rows(query, rows, parts, k, self.passages)


def fuse(rows, parts: dict, dense_ref, bm25_ref, alpha: float) -> np.ndarray:
    """Hybrid score of each candidate row: ``alpha`` dense + (1 - alpha) BM25, each min-max
    normalised over the reference rows (each retriever's top ``candidates``).

    Convex combination of min-max-normalised scores (Bruch et al., TOIS 2023); the min and max
    come from each retriever's top ``candidates`` whatever k is, so a larger k adds hits
    without changing any score (eval/results/README.md).
    """
    ref = np.isin(rows, np.concatenate([dense_ref, bm25_ref]))

    def scaled(x: np.ndarray) -> np.ndarray:
        lo, hi = (float(x[ref].min()), float(x[ref].max())) if ref.any() else (0, 0)
        return minmax(x) if hi - lo < 1e-12 else (x - lo) / (hi - lo)

    return alpha * scaled(parts["dense"]) + (1 - alpha) * scaled(parts["bm25"])


def hits_from_rows(query: str, rows, parts: dict, k: int, passages) -> list[Hit]:
    """The first ``k`` Hits of ranked ``rows`` (``passages[row]`` is a row's Passage), with
    highlights; a window overlapping a better hit of the same document is skipped."""
    qtokens = set(tokenize([query])[0])
    taken: dict[str, list[tuple[int, int]]] = {}  # doc_id -> spans already cited
    hits: list[Hit] = []
    for j, row in enumerate(rows):
        p = passages[int(row)]
        spans = taken.setdefault(p.doc_id, [])
        if any(a < p.end and p.start < b for a, b in spans):
            continue  # an overlapping window of a better hit: same text, not new evidence
        spans.append((p.start, p.end))
        scores = {key: float(val[j]) for key, val in parts.items()}
        main = scores.get("fused", scores.get("dense", scores.get("bm25", 0.0)))
        hits.append(
            Hit(
                passage=p,
                score=main,
                rank=len(hits) + 1,
                scores=scores,
                highlight=best_sentence(p, qtokens),
            )
        )
        if len(hits) == k:
            break
    return hits


def _top(scores: np.ndarray, depth: int) -> np.ndarray:
    """Row ids of the ``depth`` highest scores, best first (ties by row id)."""
    depth = min(depth, len(scores))
    if depth <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, depth - 1)[:depth]
    # every row tied with the last one kept competes, so ties go to the lowest rows whatever
    # argpartition picked: the same candidates as a sharded index of the corpus
    part = np.flatnonzero(scores >= scores[part].min())
    return part[np.lexsort((part, -scores[part]))][:depth]


def load_index(
    path: str | Path | None = None,
    model: str | None = None,
    settings: Settings = Settings(),
    embedder: Embedder | None = None,
) -> Index:
    """Open an index directory (default: the shipped corpus, built on first use).

    Example: ``hits = load_index("index/reports").search("who met Meshaal?", k=3)``

    Raises:
        IndexNotFoundError, IndexCorruptError, IndexMismatchError: see ``load_index_data``.
    """
    if path is None:
        return load_default_index(settings, embedder)
    name = None
    if embedder is not None:
        name = embedder.name
    elif model is not None:
        from ..index.model import model_name

        name = model_name(model)
    data = load_index_data(path, embedder_name=name, dim=embedder.dim if embedder else None)
    index = Index(data, embedder, replace(settings, model=model or data.manifest["model"]))
    return index


def load_default_index(settings: Settings = Settings(), embedder: Embedder | None = None) -> Index:
    """The shipped corpus's index (in ``config.default_index_dir()``, the user's data folder),
    (re)built from the packaged ``verifact/sources`` when missing or stale.

    Documents uploaded through the chat are kept across rebuilds.
    """
    from ..index.embed import load_embedder
    from ..index.store import doc_hash, embedder_version
    from ..ingest.readers import load_documents

    sources, path = default_sources_dir(), default_index_dir()
    if not sources.is_dir():
        raise InputError(
            f"Default corpus folder {str(sources)!r} not found (the installed package is "
            'incomplete; reinstall it: pip install --force-reinstall "verifact"); pass --index DIR'
        )
    root = sources.parents[1]
    # cite the shipped corpus by its path inside the package, not this machine's absolute path
    docs = [
        replace(d, source=Path(d.source).relative_to(root).as_posix())
        for d in load_documents([sources]).documents
    ]
    embedder = embedder or load_embedder(settings.model, backend=settings.backend)
    try:
        data = load_index_data(path, embedder.name, embedder.dim)
        # files uploaded in the chat (ids "uploads/...") stay in the default index
        docs += [d for i, d in data.documents().items() if i.startswith("uploads/")]
        stored = {d: v["sha256"] for d, v in data.manifest["documents"].items()}
        fresh = (
            stored == {d.doc_id: doc_hash(d) for d in docs}
            and data.manifest.get("embedder_version") == embedder_version(embedder)
            and data.manifest.get("chunk") == settings.chunk_settings()
        )
        if fresh:
            return Index(data, embedder, settings)
    except VerifactError:  # missing, stale or damaged default index: rebuild below
        pass
    build_index(docs, path, embedder, settings)
    return Index(load_index_data(path, embedder.name, embedder.dim), embedder, settings)
