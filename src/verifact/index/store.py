"""Index stage: Documents + Embedder -> an index directory (FAISS + passages + BM25 + manifest).

An index directory holds plain files only: ``manifest.json``, ``passages.jsonl`` (line i is
vector i), ``vectors.faiss``, ``documents.jsonl`` and ``bm25/``. Builds write a sibling temp
directory and swap it in with renames, so a crash or Ctrl-C leaves the previous index intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..config import (
    FORMAT_VERSION,
    MANIFEST,
    VERSION,
    Settings,
    read_manifest,
    write_json_atomic,
)
from ..errors import (
    IndexCorruptError,
    IndexMismatchError,
    IndexNotFoundError,
    InputError,
)
from ..types import Document, Passage
from .bm25 import BM25Index
from .chunk import chunk_document
from .integrity import (
    IndexCheck,
    check_contents,
    check_digests,
    check_manifest,
    file_digests,
    read_jsonl,
)
from .lock import write_lock
from .model import Embedder
from .swap import clean_stale, recover, swap

FILES = ("passages.jsonl", "vectors.faiss", "documents.jsonl", "bm25")
UPLOADS = "uploads"  # files added in the chat, kept inside the index directory
EMBED_BATCH = 256
ProgressFn = Callable[[int, int], None]


@dataclass
class IndexData:
    """A loaded index: row i of ``vectors`` is ``passages[i]``."""

    path: Path
    manifest: dict
    passages: list[Passage]
    vectors: object  # faiss.Index
    bm25: BM25Index

    @property
    def model(self) -> str:
        return self.manifest["model"]

    def documents(self) -> dict[str, Document]:
        """All documents of the index by id (read on demand: used for context views)."""
        return read_documents(self.path)


def read_documents(index_dir: Path) -> dict[str, Document]:
    """``documents.jsonl`` by doc id; a bad line is an IndexCorruptError naming it."""
    rebuild = f"rebuild it: verifact index SOURCES --index {index_dir}"
    docs = {}
    try:
        for d in read_jsonl(index_dir / "documents.jsonl", "documents.jsonl", rebuild):
            d["pages"] = tuple(d.get("pages") or ())
            docs[d["doc_id"]] = Document(**d)
    except (OSError, UnicodeDecodeError, KeyError, TypeError) as e:
        raise IndexCorruptError(
            f"Index {str(index_dir)!r} is damaged: documents.jsonl is unreadable "
            f"({type(e).__name__}); {rebuild}"
        ) from e
    return docs


@dataclass(frozen=True)
class BuildReport:
    """What a build did: counts a CLI can print."""

    path: Path
    documents: int
    passages: int
    embedded: int  # passages embedded now
    reused: int  # passages whose vectors came from the previous index
    removed_documents: int
    index_type: str
    seconds: float
    uploads_kept: int = 0  # chat-uploaded documents kept beside the ones given
    reembed_reason: str = ""  # why nothing of the previous index was reused ("" if it was)


def doc_hash(doc: Document) -> str:
    """Content hash of everything that changes a document's passages or their vectors."""
    h = hashlib.sha256()
    for part in (doc.text, doc.title, doc.source, doc.url, doc.date, repr(doc.pages)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def embedder_version(embedder: Embedder) -> str:
    """What, besides model and backend, determines the vectors (e.g. the ONNX export recipe)."""
    return str(getattr(embedder, "version", ""))


def embed_text(p: Passage, settings: Settings) -> str:
    """The text given to the embedder for a passage (title first: it carries the topic)."""
    if settings.embed_title and p.title and not p.text.startswith(p.title):
        return f"{p.title}. {p.text}"
    return p.text


def _choose_index_type(settings: Settings, n: int) -> str:
    if settings.index_type not in ("auto", "flat", "hnsw"):
        raise InputError(
            f"Unknown index type {settings.index_type!r}; expected one of auto, flat, hnsw"
        )
    if settings.index_type == "auto":
        return "hnsw" if n >= settings.hnsw_threshold else "flat"
    return settings.index_type


def make_faiss(vectors: np.ndarray, index_type: str):
    """Exact inner product (flat) or HNSW32 over L2-normalised vectors (inner product == cosine)."""
    import faiss

    dim = vectors.shape[1]
    if index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def _previous(index_dir: Path, embedder: Embedder, settings: Settings) -> tuple[dict, str]:
    """Reusable (passages, vectors) by doc_id from an existing compatible index, else {}; and
    why an existing index could not donate anything ("" when it could or there is none)."""
    if not (index_dir / MANIFEST).exists():
        return {}, ""
    try:
        old = load_index_data(index_dir, embedder_name=embedder.name, dim=embedder.dim)
    except (IndexCorruptError, IndexMismatchError, IndexNotFoundError) as e:
        # rebuilt from scratch; the old directory is replaced atomically
        return {}, f"the previous index is unusable ({type(e).__name__})"
    if old.manifest.get("chunk") != settings.chunk_settings():
        return {}, "the chunk settings changed"
    backend = getattr(embedder, "backend", "torch")
    if old.manifest.get("backend") != backend:
        return {}, f"the embedding backend changed ({old.manifest.get('backend')} -> {backend})"
    if old.manifest.get("embedder_version") != embedder_version(embedder):
        # same backend, but its vectors changed: re-embed everything
        return {}, (
            f"the embedder changed ({old.manifest.get('embedder_version')!r} -> "
            f"{embedder_version(embedder)!r})"
        )
    reuse = {}
    for doc_id, info in old.manifest["documents"].items():
        first, count = info["first"], info["passages"]
        rows = np.arange(first, first + count, dtype=np.int64)
        vecs = old.vectors.reconstruct_batch(rows) if count else np.zeros((0, old.manifest["dim"]))
        reuse[doc_id] = (info["sha256"], old.passages[first : first + count], vecs)
    return reuse, ""


def build_index(
    documents: list[Document],
    index_dir: str | Path,
    embedder: Embedder,
    settings: Settings = Settings(),
    progress: bool = False,
    on_progress: ProgressFn | None = None,
    incremental: bool = True,
    keep_uploads: bool = True,
    wait: float = 0.0,
    on_wait: Callable[[str], None] | None = None,
) -> BuildReport:
    """Chunk, embed and index ``documents`` into ``index_dir``, replacing it atomically.

    With ``incremental`` an existing compatible index donates the vectors of unchanged
    documents, so only new or changed documents are embedded; deleted ones are dropped. The
    result equals a full rebuild. With ``keep_uploads`` the documents uploaded in the chat
    (ids ``uploads/...`` whose file is still in ``<index>/uploads/``) stay in the index unless
    ``documents`` holds the same id. The whole build holds the index's writer lock
    (``lock.write_lock``), waiting up to ``wait`` seconds for another writer.

    Raises:
        InputError: no documents, or duplicate document ids.
        IndexBusyError: another writer kept the index for more than ``wait`` seconds.
    """
    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    if not documents:
        raise InputError("No documents to index; pass at least one readable file")
    ids = [d.doc_id for d in documents]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise InputError(f"Duplicate document id {dup!r}; document ids must be unique")
    with write_lock(index_dir, wait, on_wait):
        kept = kept_uploads(index_dir, set(ids)) if keep_uploads else []
        documents = list(documents) + kept
        ids += [d.doc_id for d in kept]
        reuse, reason = _previous(index_dir, embedder, settings) if incremental else ({}, "")
        report = _build(documents, ids, reuse, index_dir, embedder, settings, progress,
                        on_progress, t0)  # fmt: skip
    return replace(report, uploads_kept=len(kept), reembed_reason=reason)


def kept_uploads(index_dir: Path, exclude: set[str]) -> list[Document]:
    """The chat-uploaded documents of the index at ``index_dir`` whose file is still stored."""
    if not (index_dir / MANIFEST).exists():
        return []
    try:
        docs = read_documents(index_dir)
    except (IndexCorruptError, OSError):
        return []
    return [
        d
        for i, d in docs.items()
        if i.startswith(UPLOADS + "/")
        and i not in exclude
        and (index_dir / UPLOADS / upload_file_name(i)).is_file()
    ]


def upload_file_name(doc_id: str) -> str:
    """The stored file of an uploaded document: ``uploads/<name>[:<line id>]`` -> ``<name>``."""
    return doc_id[len(UPLOADS) + 1 :].split(":", 1)[0]


def _build(documents, ids, reuse, index_dir, embedder, settings, progress, on_progress, t0):
    """The body of ``build_index``, run under the writer lock."""
    passages: list[Passage] = []
    blocks: list[tuple[int, np.ndarray | None]] = []  # (first row, reused vectors or None)
    doc_meta: dict[str, dict] = {}
    to_embed: list[int] = []
    for doc in documents:
        h = doc_hash(doc)
        first = len(passages)
        if doc.doc_id in reuse and reuse[doc.doc_id][0] == h:
            _, old_passages, vecs = reuse[doc.doc_id]
            passages.extend(old_passages)
            blocks.append((first, vecs))
        else:
            new = chunk_document(
                doc, settings.max_words, settings.min_words, settings.overlap_sentences
            )
            passages.extend(new)
            to_embed.extend(range(first, first + len(new)))
            blocks.append((first, None))
        doc_meta[doc.doc_id] = {
            "sha256": h,
            "source": doc.source,
            "title": doc.title,
            "first": first,
            "passages": len(passages) - first,
        }

    vectors = np.zeros((len(passages), embedder.dim), dtype=np.float32)
    for first, vecs in blocks:
        if vecs is not None and len(vecs):
            vectors[first : first + len(vecs)] = vecs
    _embed_rows(passages, to_embed, vectors, embedder, settings, progress, on_progress)

    index_type = _choose_index_type(settings, len(passages))
    manifest = {
        "format": FORMAT_VERSION,
        "verifact_version": VERSION,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "model": embedder.name,
        "backend": getattr(embedder, "backend", "torch"),
        "embedder_version": embedder_version(embedder),
        "dim": embedder.dim,
        "normalized": True,
        "metric": "inner_product",
        "index_type": index_type,
        "chunk": settings.chunk_settings(),
        "passage_count": len(passages),
        "document_count": len(documents),
        "documents": doc_meta,
    }
    _write_atomically(index_dir, manifest, passages, vectors, documents, index_type)
    removed = len(set(reuse) - set(ids))
    return BuildReport(
        path=index_dir,
        documents=len(documents),
        passages=len(passages),
        embedded=len(to_embed),
        reused=len(passages) - len(to_embed),
        removed_documents=removed,
        index_type=index_type,
        seconds=time.perf_counter() - t0,
    )


def _embed_rows(passages, rows, vectors, embedder, settings, progress, on_progress) -> None:
    bar = None
    if progress and rows:
        from tqdm import tqdm

        bar = tqdm(total=len(rows), unit="passage", desc="Embedding")
    if on_progress:
        on_progress(0, len(rows))
    for i in range(0, len(rows), EMBED_BATCH):
        batch = rows[i : i + EMBED_BATCH]
        vectors[batch] = embedder.embed_passages([embed_text(passages[r], settings) for r in batch])
        if bar:
            bar.update(len(batch))
        if on_progress:
            on_progress(min(i + EMBED_BATCH, len(rows)), len(rows))
    if bar:
        bar.close()


def _write_atomically(index_dir, manifest, passages, vectors, documents, index_type) -> None:
    import faiss

    parent = index_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_stale(index_dir)
    tmp = parent / f".{index_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        with open(tmp / "passages.jsonl", "w", encoding="utf-8") as f:
            for p in passages:
                f.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        with open(tmp / "documents.jsonl", "w", encoding="utf-8") as f:
            for d in documents:
                row = {
                    "doc_id": d.doc_id,
                    "text": d.text,
                    "source": d.source,
                    "title": d.title,
                    "date": d.date,
                    "url": d.url,
                    "pages": list(d.pages),
                }
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        faiss.write_index(make_faiss(vectors, index_type), str(tmp / "vectors.faiss"))
        (tmp / "bm25").mkdir()
        BM25Index.build([_bm25_text(p) for p in passages]).save(tmp / "bm25")
        _carry_over(index_dir, tmp)
        manifest["files"] = file_digests(tmp, FILES)  # checked each time the index is opened
        write_json_atomic(tmp / MANIFEST, manifest)  # last: its presence marks a complete build
        swap(tmp, index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


KEPT_DIRS = (UPLOADS,)  # user files stored inside an index directory survive rebuilds


def _carry_over(index_dir: Path, tmp: Path) -> None:
    """Hard-link (or copy) the kept folders of the current index into the new one."""
    for name in KEPT_DIRS:
        src = index_dir / name
        if src.is_dir() and not src.is_symlink():
            try:
                shutil.copytree(src, tmp / name, symlinks=False, copy_function=os.link)
            except OSError:  # another filesystem: hard links impossible
                shutil.rmtree(tmp / name, ignore_errors=True)
                shutil.copytree(src, tmp / name, symlinks=False)


def _bm25_text(p: Passage) -> str:
    # the title carries the topic for lexical matching too (BEIR indexes title + text)
    return f"{p.title}\n{p.text}" if p.title and not p.text.startswith(p.title) else p.text


def load_index_data(
    index_dir: str | Path,
    embedder_name: str | None = None,
    dim: int | None = None,
    mmap_vectors: bool = False,
) -> IndexData:
    """Load an index directory and check it is whole and matches the embedder.

    Every file is checked against the size and SHA-256 its manifest records, and the manifest
    against the files. A writer swapping the directory meanwhile makes the load retry.

    With ``mmap_vectors`` a flat FAISS file is memory-mapped instead of read into RAM (a shard
    that searches an approximate index and re-ranks exactly reads only the rows it re-ranks).

    Raises:
        IndexNotFoundError: the directory does not exist or holds no index.
        IndexCorruptError: files are missing, damaged or disagree (e.g. a half-written copy).
        IndexMismatchError: built with another model or dimension than asked for.
    """
    index_dir = Path(index_dir)
    for attempt in range(3):
        before = _dir_id(index_dir)
        try:
            data = _load(index_dir, mmap_vectors)
        except IndexCorruptError:
            if attempt == 2 or _dir_id(index_dir) == before:
                raise
            continue  # swapped while we read: read the new directory
        break
    manifest = data.manifest
    rebuild = f"rebuild it: verifact index SOURCES --index {index_dir}"
    if embedder_name is not None and manifest["model"] != embedder_name:
        raise IndexMismatchError(
            f"Index {str(index_dir)!r} was built with model {manifest['model']!r}, not "
            f"{embedder_name!r}; use --model {manifest['model']!r} or {rebuild} --model ..."
        )
    if dim is not None and manifest["dim"] != dim:
        raise IndexMismatchError(
            f"Index {str(index_dir)!r} holds {manifest['dim']}-dimensional vectors, the model "
            f"gives {dim}; {rebuild}"
        )
    return data


def _dir_id(path: Path) -> tuple[int, int] | None:
    try:
        st = (path / MANIFEST).stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def _load(index_dir: Path, mmap_vectors: bool = False) -> IndexData:
    import faiss

    rebuild = f"rebuild it: verifact index SOURCES --index {index_dir}"
    if index_dir.parent.exists():
        recover(index_dir)
    if not index_dir.is_dir():
        raise IndexNotFoundError(
            f"Index directory {str(index_dir)!r} does not exist; build it first: "
            f"verifact index SOURCES --index {index_dir}"
        )
    if not (index_dir / MANIFEST).exists():
        raise IndexNotFoundError(
            f"{str(index_dir)!r} holds no verifact index (no {MANIFEST}); {rebuild}"
        )
    manifest = read_manifest(index_dir)
    check_manifest(manifest, index_dir, rebuild)
    missing = [f for f in FILES if not (index_dir / f).exists()]
    if missing:
        raise IndexCorruptError(f"Index {str(index_dir)!r} is missing {missing}; {rebuild}")
    check_digests(index_dir, manifest, rebuild)
    try:
        rows = read_jsonl(index_dir / "passages.jsonl", "passages.jsonl", rebuild)
        passages = [Passage.from_dict(d) for d in rows]
        flags = faiss.IO_FLAG_MMAP_IFC if mmap_vectors else 0
        vectors = faiss.read_index(str(index_dir / "vectors.faiss"), flags)
        bm25 = BM25Index.load(index_dir / "bm25")
    except IndexCorruptError:
        raise
    except Exception as e:  # noqa: BLE001 - any parse failure means a damaged index
        raise IndexCorruptError(
            f"Index {str(index_dir)!r} is damaged ({type(e).__name__}: {str(e)[:120]}); {rebuild}"
        ) from e
    n = manifest["passage_count"]
    counts = {"passages.jsonl": len(passages), "vectors.faiss": vectors.ntotal, "bm25": bm25.n}
    if any(c != n for c in counts.values()):
        raise IndexCorruptError(
            f"Index {str(index_dir)!r} is inconsistent (manifest says {n} passages, files hold "
            f"{counts}); {rebuild}"
        )
    if vectors.d != manifest["dim"]:
        raise IndexCorruptError(
            f"Index {str(index_dir)!r} is inconsistent: manifest.json says dimension "
            f"{manifest['dim']}, vectors.faiss holds {vectors.d}-dimensional vectors; {rebuild}"
        )
    return IndexData(index_dir, manifest, passages, vectors, bm25)


def verify_index(index_dir: str | Path) -> IndexCheck:
    """Everything ``load_index_data`` checks, plus unit-length vectors and passages equal to
    their documents' text spans (``verifact verify-index``).

    Raises:
        IndexNotFoundError, IndexCorruptError: as ``load_index_data``, naming the bad file.
    """
    data = load_index_data(index_dir)
    check_contents(data, f"rebuild it: verifact index SOURCES --index {index_dir}")
    files = data.manifest.get("files")
    return IndexCheck(
        path=Path(index_dir),
        documents=len(data.manifest["documents"]),
        passages=len(data.passages),
        files=len(files or {}),
        checksums=files is not None,
    )
