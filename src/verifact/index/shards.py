"""Index stage, sharded: Documents -> N ordinary index directories + one top manifest.

A sharded index directory holds::

    manifest.json               {"kind": "sharded", "shards": [...], ...}: the commit point
    shards/s00.v000003/         an ordinary verifact index (``build_index``) of shard 0
    shards/s00.v000003.extra/   its BM25 term frequencies (corpus-wide scoring) and, for an
                                approximate shard, ivf.faiss

Documents go to shard ``shard_of(doc_id, n)`` (a stable hash). Every build writes new shard
versions beside the old ones (an unchanged shard keeps its version) and then replaces
``manifest.json`` atomically, so a crash mid-build leaves the previous manifest pointing at the
previous, untouched versions; versions no manifest names are removed after the swap.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..config import FORMAT_VERSION, MANIFEST, VERSION, Settings, write_json_atomic
from ..errors import IndexCorruptError, IndexNotFoundError, InputError
from ..types import Document
from .approx import APPROX_TYPES, build_approx, recall_at_k
from .lock import write_lock
from .model import Embedder
from .store import BuildReport, _bm25_text, build_index, doc_hash, embedder_version, load_index_data
from .termfreq import build_term_freqs, document_frequencies, save_term_freqs

SHARDS = "shards"
EXTRA = ".extra"  # suffix of a shard version's sidecar folder
KIND = "sharded"
ROUTER = "blake2b-64(doc_id) mod shards"
Log = Callable[[str], None]


def shard_of(doc_id: str, shards: int) -> int:
    """The shard of a document: a hash of its id, stable across runs, machines and Pythons.

    Example: ``shard_of("report.pdf", 4)  # => 2`` (always the same)
    """
    digest = hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def is_sharded(index_dir: str | Path) -> bool:
    """True when ``index_dir`` holds a sharded index (its manifest says so)."""
    path = Path(index_dir) / MANIFEST
    if not path.is_file():
        return False
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("kind") == KIND
    except (OSError, ValueError):
        return False


def read_sharded_manifest(index_dir: str | Path) -> dict:
    """The top manifest of a sharded index.

    Raises:
        IndexNotFoundError: no sharded index there.
        IndexCorruptError: unreadable, or a shard it names is missing.
    """
    index_dir = Path(index_dir)
    if not is_sharded(index_dir):
        raise IndexNotFoundError(
            f"{str(index_dir)!r} holds no sharded verifact index; build it first: "
            f"verifact index SOURCES --index {index_dir} --shards N"
        )
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    for shard in manifest["shards"]:
        if shard["path"] and not (index_dir / shard["path"] / MANIFEST).is_file():
            raise IndexCorruptError(
                f"Shard {shard['name']!r} of {str(index_dir)!r} is missing "
                f"({shard['path']}); rebuild it: verifact index SOURCES --index {index_dir} "
                f"--shards {len(manifest['shards'])}"
            )
    return manifest


@dataclass(frozen=True)
class ShardedBuildReport:
    """What a sharded build did, in total and per shard (None: shard unchanged)."""

    path: Path
    shards: tuple[BuildReport | None, ...]
    documents: int
    passages: int
    embedded: int
    reused: int
    removed_documents: int
    index_type: str
    recall: dict  # shard name -> approximate index recall figures (approximate shards only)
    seconds: float


class PrecomputedEmbedder:
    """An embedder answering from vectors computed elsewhere (a Ray pipeline), by text.

    Texts missing from the table are embedded by ``inner``, so a build never silently lacks a
    vector; ``missed`` counts them.
    """

    def __init__(self, inner: Embedder, table: Mapping[str, np.ndarray]):
        self.inner, self.table, self.missed = inner, table, 0
        for attr in ("name", "dim", "max_tokens"):
            setattr(self, attr, getattr(inner, attr))
        self.backend = getattr(inner, "backend", "torch")
        self.version = embedder_version(inner)

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        missing = [t for t in texts if t not in self.table]
        extra = dict(zip(missing, self.inner.embed_passages(missing))) if missing else {}
        self.missed += len(missing)
        rows = [self.table[t] if t in self.table else extra[t] for t in texts]
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, self.dim), np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def route(documents: list[Document], shards: int) -> list[list[Document]]:
    """Documents per shard, each list in the corpus order."""
    groups: list[list[Document]] = [[] for _ in range(shards)]
    for d in documents:
        groups[shard_of(d.doc_id, shards)].append(d)
    return groups


def _check(documents: list[Document], shards: int, settings: Settings) -> None:
    if isinstance(shards, bool) or not isinstance(shards, int) or shards < 1:
        raise InputError(f"Invalid --shards {shards!r}; use a whole number of 1 or more")
    if not documents:
        raise InputError("No documents to index; pass at least one readable file")
    seen: set[str] = set()
    for d in documents:
        if d.doc_id in seen:
            raise InputError(f"Duplicate document id {d.doc_id!r}; document ids must be unique")
        seen.add(d.doc_id)
    allowed = ("auto", "flat", "hnsw", *APPROX_TYPES)
    if settings.index_type not in allowed:
        raise InputError(
            f"Unknown index type {settings.index_type!r}; expected one of {', '.join(allowed)}"
        )


def _previous(index_dir: Path, shards: int) -> dict:
    """The current top manifest when it is sharded with the same shard count, else {}."""
    if not is_sharded(index_dir):
        return {}
    try:
        old = read_sharded_manifest(index_dir)
    except (IndexCorruptError, ValueError, KeyError):
        return {}
    return old if len(old["shards"]) == shards else {}


def _unchanged(
    index_dir: Path, entry: dict, docs: list[Document], embedder, settings: Settings
) -> bool:
    """True when a shard's stored version already holds exactly ``docs`` as they are now."""
    if not entry.get("path") or entry.get("index_type_asked") != settings.index_type:
        return False
    try:
        m = json.loads((index_dir / entry["path"] / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    same_model = (m.get("model"), m.get("backend"), m.get("embedder_version")) == (
        embedder.name,
        getattr(embedder, "backend", "torch"),
        embedder_version(embedder),
    )
    order = [d.doc_id for d in docs]
    hashes = {d.doc_id: doc_hash(d) for d in docs}
    stored = {d: v["sha256"] for d, v in m.get("documents", {}).items()}
    return (
        same_model
        and m.get("chunk") == settings.chunk_settings()
        and list(m.get("documents", {})) == order
        and stored == hashes
    )


def needs_embedding(
    documents: list[Document], index_dir: str | Path, embedder, settings: Settings, shards: int
) -> list[Document]:
    """The documents a build must embed: all but those whose shard version holds them as now
    (same text, same model and chunking). Used by the Ray pipeline to embed only those."""
    index_dir = Path(index_dir)
    old = _previous(index_dir, shards)
    if not old:
        return list(documents)
    out = []
    for s, docs in enumerate(route(documents, shards)):
        entry = old["shards"][s]
        try:
            m = json.loads((index_dir / entry["path"] / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, TypeError, ValueError):
            out.extend(docs)
            continue
        if m.get("chunk") != settings.chunk_settings() or (
            m.get("model"),
            m.get("backend"),
            m.get("embedder_version"),
        ) != (embedder.name, getattr(embedder, "backend", "torch"), embedder_version(embedder)):
            out.extend(docs)
            continue
        stored = {d: v["sha256"] for d, v in m.get("documents", {}).items()}
        out.extend(d for d in docs if stored.get(d.doc_id) != doc_hash(d))
    return out


def build_sharded_index(
    documents: list[Document],
    index_dir: str | Path,
    embedder: Embedder,
    settings: Settings = Settings(),
    shards: int = 2,
    progress: bool = False,
    incremental: bool = True,
    log: Log | None = None,
    wait: float = 0.0,
    on_wait: Callable[[str], None] | None = None,
) -> ShardedBuildReport:
    """Route ``documents`` to ``shards`` shards, (re)build the changed ones, swap the manifest.

    Each shard is built by ``build_index`` (incremental per shard: it reuses its previous
    version's vectors for unchanged documents) into a new version folder, then the top manifest
    is replaced atomically. Changing the shard count re-routes and rebuilds everything.

    Args:
        embedder: a ``PrecomputedEmbedder`` when vectors were computed elsewhere.
        settings: ``index_type`` may also be "ivf-sq8" or "ivf-pq" (approximate shards).
        log: called with one line per shard (recall of approximate shards included).
        wait: seconds to wait for another writer of ``index_dir``; ``on_wait(holder)`` is
            called once if it has to (as ``build_index``).

    Raises:
        InputError: no documents, duplicate ids, bad shard count or index type.
        IndexBusyError: another writer kept the index for more than ``wait`` seconds.
    """
    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    _check(documents, shards, settings)
    with write_lock(index_dir, wait, on_wait):  # the lock a plain build of index_dir takes, too
        return _build_all(documents, index_dir, embedder, settings, shards, incremental, log, t0)


def _build_all(documents, index_dir, embedder, settings, shards, incremental, log, t0):
    old = _previous(index_dir, shards) if incremental else {}
    generation = int(old.get("generation", 0)) + 1 if old else _next_generation(index_dir)
    (index_dir / SHARDS).mkdir(parents=True, exist_ok=True)
    entries, reports, recall = [], [], {}
    for s, docs in enumerate(route(documents, shards)):
        name = f"s{s:02d}"
        prev = old["shards"][s] if old else {}
        if prev and _unchanged(index_dir, prev, docs, embedder, settings):
            entries.append(prev)
            reports.append(None)
            if prev.get("approx"):
                recall[name] = prev["approx"]
            continue
        entry, report = _build_shard(index_dir, name, generation, docs, prev, embedder, settings)
        entries.append(entry)
        reports.append(report)
        if entry.get("approx"):
            recall[name] = entry["approx"]
        if log:
            log(_shard_line(entry, report))
    old_ids = _old_doc_ids(index_dir, old) if old else set()
    stats = _write_stats(index_dir, entries, generation)
    _write_manifest(index_dir, documents, entries, embedder, settings, generation, stats)
    _remove_unreferenced(index_dir, entries)
    built = [r for r in reports if r is not None]
    return ShardedBuildReport(
        path=index_dir,
        shards=tuple(reports),
        documents=len(documents),
        passages=sum(e["passages"] for e in entries),
        embedded=sum(r.embedded for r in built),
        reused=sum(e["passages"] for e in entries) - sum(r.embedded for r in built),
        removed_documents=len(old_ids - {d.doc_id for d in documents}),
        index_type=settings.index_type,
        recall=recall,
        seconds=time.perf_counter() - t0,
    )


def _shard_line(entry: dict, report: BuildReport | None) -> str:
    line = f"shard {entry['name']}: {entry['documents']} documents, {entry['passages']} passages"
    if report is not None:
        line += f", {report.embedded} embedded, {entry['index_type']}"
    approx = entry.get("approx")
    if approx:
        line += (
            f"; recall@10 vs exact {approx['recall@10']:.3f} (nlist {approx['nlist']}, "
            f"nprobe {approx['nprobe']}, {approx['queries']} passage-vector queries)"
        )
    return line


def _next_generation(index_dir: Path) -> int:
    """A generation number above every version folder already present (left by a crash)."""
    gens = [0]
    for p in (index_dir / SHARDS).glob("s*.v*"):
        tail = p.name.split(".v", 1)[-1].split(".", 1)[0]
        if tail.isdigit():
            gens.append(int(tail))
    return max(gens) + 1


def _build_shard(index_dir, name, generation, docs, prev, embedder, settings):
    rel = f"{SHARDS}/{name}.v{generation:06d}"
    path, extra = index_dir / rel, index_dir / (rel + EXTRA)
    approx = settings.index_type if settings.index_type in APPROX_TYPES else None
    entry = {"name": name, "path": None, "documents": 0, "passages": 0, "index_type": "empty"}
    entry["index_type_asked"] = settings.index_type
    if not docs:
        return entry, None
    shutil.rmtree(path, ignore_errors=True)
    if prev.get("path") and (index_dir / prev["path"]).is_dir():
        # hard links of the previous version: build_index reuses its vectors, then swaps a
        # new folder in at ``path``; the previous version's files are never written to
        _link_tree(index_dir / prev["path"], path)
    shard_settings = replace(settings, index_type="flat" if approx else settings.index_type)
    report = build_index(docs, path, embedder, shard_settings)
    data = load_index_data(path)
    save_term_freqs(build_term_freqs([_bm25_text(p) for p in data.passages], data.bm25), extra)
    entry.update(path=rel, documents=len(docs), passages=report.passages)
    entry["index_type"] = approx or report.index_type
    if approx:
        import faiss

        vectors = data.vectors.reconstruct_n(0, data.vectors.ntotal)
        ivf = build_approx(vectors, approx)
        faiss.write_index(ivf, str(extra / "ivf.faiss"))
        entry["approx"] = recall_at_k(ivf, data.vectors)
    return entry, report


def _link_tree(src: Path, dst: Path) -> None:
    try:
        shutil.copytree(src, dst, copy_function=os.link)
    except OSError:  # another filesystem: copy
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(src, dst)


def _write_stats(index_dir: Path, entries: list[dict], generation: int) -> str:
    """Corpus-wide BM25 statistics (passages, total length, document frequency per term)
    merged over the shards, for the coordinator; returns the file name."""
    from .bm25 import BM25Index

    n = total = 0
    df: dict[str, int] = {}
    for entry in entries:
        if not entry["path"]:
            continue
        base = index_dir / entry["path"]
        info = json.loads((base.with_name(base.name + EXTRA) / "info.json").read_text())
        n += info["passages"]
        total += info["total_len"]
        for term, count in document_frequencies(BM25Index.load(base / "bm25")).items():
            df[term] = df.get(term, 0) + count
    name = f"stats.g{generation:06d}.json"
    stats = {"passages": n, "total_len": total, "df": dict(sorted(df.items()))}
    write_json_atomic(index_dir / name, stats)
    return name


def read_stats(index_dir: str | Path, manifest: dict) -> dict:
    """The corpus-wide BM25 statistics a sharded manifest names (see ``_write_stats``)."""
    path = Path(index_dir) / manifest["stats"]
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise IndexCorruptError(
            f"Sharded index {str(index_dir)!r} lacks its statistics file {path.name!r} "
            f"({type(e).__name__}); rebuild it: verifact index SOURCES --index {index_dir} "
            f"--shards {len(manifest['shards'])}"
        ) from e


def _write_manifest(index_dir, documents, entries, embedder, settings, generation, stats):
    """Global row numbers (a document's place in the corpus order, as one index would number
    its passages) go into the manifest: they break score ties exactly as one index does."""
    counts, where = {}, {}
    for entry in entries:
        if entry["path"]:
            m = json.loads((index_dir / entry["path"] / MANIFEST).read_text(encoding="utf-8"))
            counts.update({d: v["passages"] for d, v in m["documents"].items()})
            where.update({d: entry["name"] for d in m["documents"]})
    firsts: dict[str, list[int]] = {e["name"]: [] for e in entries}
    row = 0
    for d in documents:
        firsts[where[d.doc_id]].append(row)
        row += counts[d.doc_id]
    manifest = {
        "format": FORMAT_VERSION,
        "kind": KIND,
        "verifact_version": VERSION,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "generation": generation,
        "router": ROUTER,
        "model": embedder.name,
        "backend": getattr(embedder, "backend", "torch"),
        "embedder_version": embedder_version(embedder),
        "dim": embedder.dim,
        "chunk": settings.chunk_settings(),
        "index_type": settings.index_type,
        "passage_count": row,
        "stats": stats,
        "document_count": len(documents),
        "shards": [{**e, "firsts": firsts[e["name"]]} for e in entries],
    }
    write_json_atomic(index_dir / MANIFEST, manifest)  # the commit point


def _old_doc_ids(index_dir: Path, old: dict) -> set[str]:
    ids: set[str] = set()
    for entry in old["shards"]:
        if entry.get("path") and (index_dir / entry["path"]).is_dir():
            m = json.loads((index_dir / entry["path"] / MANIFEST).read_text(encoding="utf-8"))
            ids |= set(m["documents"])
    return ids


def _remove_unreferenced(index_dir: Path, entries: list[dict]) -> None:
    """Drop shard versions the new manifest does not name, and files of a replaced
    single (unsharded) index in the same directory."""
    keep = {e["path"] for e in entries if e["path"]}
    keep |= {p + EXTRA for p in list(keep)}
    for p in (index_dir / SHARDS).iterdir():
        if f"{SHARDS}/{p.name}" not in keep and not p.name.startswith("."):
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(".") and p.name.endswith(".lock"):  # a removed version's lock
            if f"{SHARDS}/{p.name[1:-5]}" not in keep:
                p.unlink(missing_ok=True)
    current = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))["stats"]
    for p in index_dir.glob("stats.g*.json"):
        if p.name != current:
            p.unlink()
    for name in ("passages.jsonl", "vectors.faiss", "documents.jsonl", "bm25"):
        target = index_dir / name
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        elif target.exists():
            target.unlink()
