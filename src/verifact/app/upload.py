"""Chat uploads: files from the UI -> ``<index>/uploads/`` -> an incrementally rebuilt index.

Nothing is written outside the index directory: only a sanitised base name of each upload is
kept, and the copy goes to ``<index>/uploads/<name>``. Documents get the ids
``uploads/<name>`` (``uploads/<name>:<id>`` for JSONL lines), so uploading a name again
replaces that upload and never clashes with the indexed sources.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError
from ..index.store import build_index, load_index_data
from ..ingest.readers import SUFFIXES, load_documents
from ..search.search import Index
from ..types import Document

MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
UPLOADS = "uploads"
_UNSAFE_NAME = re.compile(r"[^\w.\- ]+")


@dataclass(frozen=True)
class UploadReport:
    """What an upload did: documents added (by id), files or lines skipped with the reason."""

    added: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]  # (file name, reason)
    passages: int  # passages embedded for the new documents

    def message(self) -> str:
        lines = []
        if self.added:
            n = len(self.added)
            lines.append(
                f"Added {n} document{'s' if n != 1 else ''} ({self.passages} passages), "
                f"searchable now: {', '.join(self.added)}"
            )
        lines.extend(f"Skipped {name}: {reason}" for name, reason in self.skipped)
        return "\n".join(lines) or "No files given; choose files to add first"


def safe_upload_name(name: str) -> str:
    """The file name an upload is stored under in ``<index>/uploads/``.

    Only the last path component is kept; characters other than letters, digits, ``. - _``
    and spaces become ``_``; leading dots go (no hidden files, no ``..``).

    Example: ``safe_upload_name("../../etc/x;y.TXT")  # => "x_y.TXT"``

    Raises:
        InputError: no usable name, or a type not in ``ingest.SUFFIXES``.
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", name))[-1]
    base = _UNSAFE_NAME.sub("_", base).strip(" .")
    if not base or not Path(base).stem.strip(" ._"):
        raise InputError(f"Unusable file name {name!r}; rename the file and upload it again")
    suffix = Path(base).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"Unsupported file type {suffix or '(none)'!r} for {name!r}; "
            f"expected one of {' '.join(SUFFIXES)}"
        )
    return Path(base).stem[: 120 - len(suffix)] + Path(base).suffix


def add_files(
    index: Index, paths: list[str | Path], on_progress: Callable[[int, int], None] | None = None
) -> tuple[Index | None, UploadReport]:
    """Copy files into ``<index>/uploads/`` and rebuild the index with them incrementally.

    Only the new documents are embedded (``build_index`` reuses every other vector). Files
    that are too big, of another type or unreadable are skipped with the reason.

    Returns:
        (the reloaded Index, or None when nothing was added; the report).

    Raises:
        InputError: ``<index>/uploads`` exists but is not a plain folder.
    """
    accepted, skipped = _accept(paths)
    if not accepted:
        return None, UploadReport((), tuple(skipped), 0)
    root = Path(index.data.path)
    uploads = root / UPLOADS
    if uploads.is_symlink() or (uploads.exists() and not uploads.is_dir()):
        raise InputError(f"{str(uploads)!r} is not a plain folder; remove it and retry")
    uploads.mkdir(exist_ok=True)
    new_docs: list[Document] = []
    for src, name in accepted:
        docs, why = _ingest_upload(Path(src), uploads / name)
        new_docs.extend(docs)
        skipped.extend(why)
    if not new_docs:
        return None, UploadReport((), tuple(skipped), 0)
    names = {name for _, name in accepted}
    kept = [d for d in index.documents().values() if _upload_name(d.doc_id) not in names]
    report = _rebuild(kept + new_docs, index, uploads, on_progress)
    data = load_index_data(root, index.embedder.name, index.embedder.dim)
    fresh = Index(data, index.embedder, index.settings)
    fresh.documents()  # read now, outside any request
    return fresh, UploadReport(tuple(d.doc_id for d in new_docs), tuple(skipped), report.embedded)


def _upload_name(doc_id: str) -> str | None:
    """The upload file a document came from (``uploads/<name>[:<id>]``), else None."""
    if not doc_id.startswith(UPLOADS + "/"):
        return None
    return doc_id[len(UPLOADS) + 1 :].split(":", 1)[0]


def _accept(paths) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Split uploads into (path, safe name) accepted and (name, reason) refused."""
    accepted, skipped = [], []
    for src in paths or []:
        name = Path(str(src)).name
        try:
            safe = safe_upload_name(name)
            size = os.path.getsize(src)
        except InputError as e:
            skipped.append((name, str(e)))
            continue
        except OSError as e:
            skipped.append((name, f"unreadable ({e.strerror or type(e).__name__})"))
            continue
        if size > MAX_UPLOAD_BYTES:
            mb = size / 2**20
            skipped.append((name, f"file is {mb:.1f} MB; the limit is {MAX_UPLOAD_MB} MB per file"))
            continue
        accepted.append((str(src), safe))
    return accepted, skipped


def _ingest_upload(src: Path, dest: Path) -> tuple[list[Document], list[tuple[str, str]]]:
    """Copy ``src`` to ``dest`` and read it; document ids become ``uploads/<name>[:<id>]``."""
    if dest.is_symlink():
        dest.unlink()  # never write through a link planted in the folder
    shutil.copyfile(src, dest)
    try:
        result = load_documents([dest])
    except InputError as e:
        dest.unlink(missing_ok=True)
        return [], [(dest.name, str(e))]
    prefix = f"{UPLOADS}/{dest.name}"
    single = dest.suffix.lower() != ".jsonl"
    docs = [
        replace(d, doc_id=prefix if single else f"{prefix}:{d.doc_id}") for d in result.documents
    ]
    return docs, [(Path(where).name, reason) for where, reason in result.skipped]


def _rebuild(docs: list[Document], index: Index, uploads: Path, on_progress):
    """build_index into the index's own directory (it keeps ``uploads/`` across the swap)."""
    return build_index(
        docs, index.data.path, index.embedder, index.settings, on_progress=on_progress
    )
