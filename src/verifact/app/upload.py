"""Chat uploads: files from the UI -> ``<index>/uploads/`` -> an incrementally rebuilt index.

Nothing is written outside the index directory: only a sanitised base name of each upload is
kept, and the copy goes to ``<index>/uploads/<name>``. Documents get the ids
``uploads/<name>`` (``uploads/<name>:<id>`` for JSONL lines), so uploading a name again
replaces that upload and never clashes with the indexed sources.

Every file is read in a child process with memory and time limits (``ingest.sandbox``), and a
stored file is replaced only once its new version has been read. The whole update holds the
index's writer lock and starts from the index as it is on disk, so documents another writer
(``verifact index``) added meanwhile are kept.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError
from ..index.lock import write_lock
from ..index.model import Embedder
from ..index.store import IndexData, build_index, load_index_data, upload_file_name
from ..ingest.readers import SUFFIXES
from ..ingest.sandbox import ReadLimits, load_file_limited
from ..types import Document

UPLOADS = "uploads"
INCOMING = ".incoming"  # uploads/.incoming-<pid>/: files being read, not yet accepted
_UNSAFE_NAME = re.compile(r"[^\w.\- ]+")
ProgressFn = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass(frozen=True)
class UploadLimits:
    """What one upload request, and all uploads together, may add (``verifact chat`` flags)."""

    file_mb: float = 20  # one file
    files: int = 20  # files per request
    request_mb: float = 100  # all files of one request
    total_mb: float = 500  # everything stored in <index>/uploads/
    read: ReadLimits = field(default_factory=ReadLimits)  # reading one file

    def describe(self) -> str:
        return (
            f"up to {self.files} files and {self.request_mb:g} MB an upload, "
            f"{self.file_mb:g} MB each, {self.total_mb:g} MB in all"
        )


MAX_UPLOAD_MB = UploadLimits.file_mb  # the default per-file limit (kept for callers)
MAX_UPLOAD_BYTES = int(MAX_UPLOAD_MB * 2**20)


@dataclass(frozen=True)
class UploadReport:
    """What an upload did: documents added (by id), files or lines skipped with the reason."""

    added: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]  # (file name, reason)
    passages: int  # passages embedded for the new documents
    warnings: tuple[tuple[str, str], ...] = ()  # (file name, caveat), e.g. bad UTF-8 bytes

    def message(self) -> str:
        lines = []
        if self.added:
            n = len(self.added)
            lines.append(
                f"Added {n} document{'s' if n != 1 else ''} ({self.passages} passages), "
                f"searchable now: {', '.join(self.added)}"
            )
        lines.extend(f"Warning, {name}: {reason}" for name, reason in self.warnings)
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
    index_dir: str | Path,
    embedder: Embedder,
    settings,
    paths: list[str | Path],
    limits: UploadLimits | None = None,
    on_progress: ProgressFn | None = None,
    wait: float = 600.0,
) -> tuple[IndexData | None, UploadReport]:
    """Store files in ``<index>/uploads/`` and rebuild the index with them incrementally.

    Only the new documents are embedded (``build_index`` reuses every other vector). Files
    over the limits, of another type, unreadable, or clashing with another file of the same
    request are skipped with the reason; a stored file of the same name is replaced only when
    the new one was read.

    Returns:
        (the reloaded index data, or None when nothing was added; the report).

    Raises:
        InputError: ``<index>/uploads`` exists but is not a plain folder.
        IndexBusyError: another writer held the index for over ``wait`` seconds.
    """
    limits = limits or UploadLimits()
    root = Path(index_dir)
    uploads = root / UPLOADS
    if uploads.is_symlink() or (uploads.exists() and not uploads.is_dir()):
        raise InputError(f"{str(uploads)!r} is not a plain folder; remove it and retry")

    def progress(phase: str, done: int, total: int) -> None:
        if on_progress:
            on_progress(phase, done, total)

    def waiting(who: str) -> None:
        progress(f"waiting for another writer ({who})", 0, 0)

    with write_lock(root, wait, waiting):
        accepted, skipped = _accept(paths, limits, _stored_bytes(uploads))
        if not accepted:
            return None, UploadReport((), tuple(skipped), 0)
        uploads.mkdir(exist_ok=True)
        incoming = uploads / f"{INCOMING}-{os.getpid()}"
        shutil.rmtree(incoming, ignore_errors=True)
        incoming.mkdir()
        try:
            return _add(root, embedder, settings, accepted, skipped, limits, incoming, progress)
        finally:
            shutil.rmtree(incoming, ignore_errors=True)


def _add(root, embedder, settings, accepted, skipped, limits, incoming, progress):
    uploads = root / UPLOADS
    new_docs: list[Document] = []
    warnings: list[tuple[str, str]] = []
    ready: list[str] = []  # names read fine, waiting in incoming/
    for i, (src, name) in enumerate(accepted):
        progress(f"reading {name}", i, len(accepted))
        docs, why, warn = _read_upload(Path(src), incoming / name, limits.read)
        skipped.extend(why)
        warnings.extend(warn)
        if docs:
            new_docs.extend(docs)
            ready.append(name)
    if not new_docs:
        return None, UploadReport((), tuple(skipped), 0, tuple(warnings))
    current = _current_documents(root, embedder)
    kept = [d for d in current if upload_name(d.doc_id) not in set(ready)]
    backups = _put_in_place(ready, incoming, uploads)
    try:
        report = build_index(
            kept + new_docs,
            root,
            embedder,
            settings,
            on_progress=lambda done, total: progress("embedding new passages", done, total),
            keep_uploads=False,  # kept already holds every stored upload, as on disk now
        )
    except BaseException:
        _restore(backups, ready, uploads)
        raise
    data = load_index_data(root, embedder.name, embedder.dim)
    added = tuple(d.doc_id for d in new_docs)
    return data, UploadReport(added, tuple(skipped), report.embedded, tuple(warnings))


def _current_documents(root: Path, embedder: Embedder) -> list[Document]:
    """The index's documents as on disk now (another writer may have changed them); a
    damaged index raises its IndexCorruptError rather than being rebuilt without them."""
    return list(load_index_data(root, embedder.name, embedder.dim).documents().values())


def _put_in_place(names: list[str], incoming: Path, uploads: Path) -> dict[str, Path]:
    """Move read files from incoming/ into uploads/, keeping replaced ones aside."""
    backups = {}
    for name in names:
        dest = uploads / name
        if dest.is_symlink():
            dest.unlink()  # never write through a link planted in the folder
        elif dest.exists():
            backups[name] = incoming / f"{name}.previous"
            os.replace(dest, backups[name])
        os.replace(incoming / name, dest)
    return backups


def _restore(backups: dict[str, Path], names: list[str], uploads: Path) -> None:
    """A failed build: put the previous files back (the index still serves them)."""
    for name in names:
        if name in backups:
            os.replace(backups[name], uploads / name)
        else:
            (uploads / name).unlink(missing_ok=True)


def upload_name(doc_id: str) -> str | None:
    """The upload file a document came from (``uploads/<name>[:<id>]``), else None."""
    if not doc_id.startswith(UPLOADS + "/"):
        return None
    return upload_file_name(doc_id)


def _stored_bytes(uploads: Path) -> dict[str, int]:
    if not uploads.is_dir():
        return {}
    return {p.name: p.stat().st_size for p in uploads.iterdir() if p.is_file()}


def _accept(paths, limits: UploadLimits, stored: dict[str, int]):
    """Split uploads into (path, safe name) accepted and (name, reason) refused."""
    accepted, skipped, names = [], [], {}
    request = 0
    total = sum(stored.values())
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
        mb = size / 2**20
        if safe in names:
            skipped.append((name, f"another file of this upload, {names[safe]!r}, is also stored "
                                  f"as {safe!r}; rename one and upload it again"))  # fmt: skip
        elif len(accepted) >= limits.files:
            skipped.append((name, f"over the {limits.files} files one upload may hold; "
                                  "add it in another upload"))  # fmt: skip
        elif mb > limits.file_mb:
            skipped.append((name, f"file is {mb:.1f} MB; the limit is {limits.file_mb:g} MB "
                                  "per file"))  # fmt: skip
        elif (request + size) / 2**20 > limits.request_mb:
            skipped.append((name, f"over the {limits.request_mb:g} MB one upload may hold; "
                                  "add it in another upload"))  # fmt: skip
        elif (total + size - stored.get(safe, 0)) / 2**20 > limits.total_mb:
            skipped.append((name, f"the uploads would exceed {limits.total_mb:g} MB in all; "
                                  "remove some from the uploads folder first"))  # fmt: skip
        else:
            names[safe] = name
            request += size
            total += size - stored.get(safe, 0)
            accepted.append((str(src), safe))
    return accepted, skipped


def _read_upload(src: Path, tmp: Path, limits: ReadLimits):
    """Copy ``src`` to ``tmp`` and read it in a limited child process; document ids become
    ``uploads/<name>[:<id>]`` and sources ``<index>/uploads/<name>``."""
    shutil.copyfile(src, tmp)
    result = load_file_limited(tmp, limits)
    name = tmp.name
    prefix = f"{UPLOADS}/{name}"
    stored = tmp.parent.parent / name
    single = tmp.suffix.lower() != ".jsonl"
    docs = [
        replace(
            d,
            doc_id=prefix if single else f"{prefix}:{d.doc_id}",
            source=str(stored) if d.source == str(tmp) else d.source.replace(str(tmp), str(stored)),
        )
        for d in result.documents
    ]
    if not docs:
        tmp.unlink(missing_ok=True)
    skipped = [(Path(where).name, reason) for where, reason in result.skipped]
    warnings = [(Path(where).name, reason) for where, reason in result.warnings]
    return docs, skipped, warnings
