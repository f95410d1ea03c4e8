"""Chat service: messages -> cited passages or verdicts, and uploads -> an updated index.

Retrieval only: every reply is built from stored passages (``view``), never generated.
``ui`` puts this service behind a Gradio UI and the ``/ask`` and ``/check`` endpoints.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import MANIFEST
from ..errors import InputError, VerifactError
from ..index.store import load_index_data
from ..search.search import Index, results_json, validate_k, validate_mode, validate_query
from ..types import Hit
from ..verify import verdict as verify  # the module: tests swap its functions
from . import view
from .cluster import partial_fields
from .upload import MAX_UPLOAD_MB, UploadLimits, UploadReport, add_files

__all__ = [
    "MAX_UPLOAD_MB",
    "ChatService",
    "UploadJob",
    "UploadLimits",
    "UploadReport",
    "ask_json",
    "is_question",
    "partial_fields",
]

FORCE_CHOICES = ("auto", "question", "claim")
# The chat's k (its slider, /ask, /check) stops below search.MAX_K: one server answers everyone,
# and a check's work grows with k (k=100 takes ~2.4 s on an 8,000-passage index here).
CHAT_MAX_K = 20
# A message starting with one of these words asks for something: a wh-word, an auxiliary
# verb ("Did Putin ...") or a request ("Tell me ...").
QUESTION_WORDS = frozenset(
    "who whom whose what which when where why how is are was were am do does did can could "
    "should would will shall may might must has have had tell show list find give explain "
    "describe compare".split()
)


def is_question(text: str) -> bool:
    """Question or claim, by a deterministic rule.

    A question ends with "?", or starts with a wh-word, an auxiliary or a request verb
    (``QUESTION_WORDS``), or is a keyword query (under 4 words, no final full stop). Any
    other sentence is a claim.

    Example: ``is_question("Putin invited Meshaal to Moscow in 2008.")  # => False``
    """
    t = text.strip()
    words = re.findall(r"[\w'’-]+", t.lower())
    if t.endswith("?") or not words or words[0] in QUESTION_WORDS:
        return True
    return len(words) < 4 and not t.endswith((".", "!"))


def ask_json(index: Index, query: str, k: int = 5, mode: str = "hybrid") -> dict:
    """The JSON of ``verifact ask --json`` for one query: {"query", "mode", "k", "weak",
    "hits"}; ``weak`` (top level and per hit) marks passages below the question threshold.

    Raises:
        InputError: empty query, k < 1 or unknown mode.
    """
    query, k, mode = validate_query(query), validate_k(k), validate_mode(mode)
    hits = index.search_many([query], k=k, mode=mode)[0]
    return with_weak(results_json(query, mode, k, hits), [is_weak_answer(h) for h in hits])


def chat_k(k: object) -> int:
    """``k`` for a chat request: ``search.validate_k``, and at most ``CHAT_MAX_K``."""
    k = validate_k(k)
    if k > CHAT_MAX_K:
        raise InputError(f"Invalid k {k!r}; the chat answers with 1 to {CHAT_MAX_K} passages")
    return k


def is_weak_answer(hit: Hit) -> bool:
    """True when ``hit`` is too far from a question to answer it (fitted threshold)."""
    return verify.is_weak(hit, question=True)


def with_weak(obj: dict, weak: list[bool]) -> dict:
    """``results_json`` plus the weak flags: ``weak`` is true when no passage is a good match."""
    hits = [{**h, "weak": w} for h, w in zip(obj["hits"], weak, strict=True)]
    return {**obj, "weak": bool(weak[0]) if weak else True, "hits": hits}


def partial_html(index) -> str:
    """A notice above a reply built without some shards (empty when complete)."""
    missing = partial_fields(index).get("missing_shards")
    if not missing:
        return ""
    names = ", ".join(view.esc(m) for m in missing)
    return (
        f'<p class="vf-partial"><b>Partial answer:</b> shard(s) {names} could not be reached; '
        "these passages come from the other shards only.</p>"
    )


class _LockedEmbedder:
    """An embedder whose calls run one at a time: tokenizers are not safe to share between
    threads. Passages are embedded a few at a time, so a question's embedding waits for at
    most one small batch of an upload, never for the whole file."""

    BATCH = 16

    def __init__(self, inner, lock: threading.Lock):
        self._inner, self._lock = inner, lock

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def embed_passages(self, texts, progress=False):
        import numpy as np

        parts = []
        for i in range(0, len(texts), self.BATCH):
            with self._lock:
                parts.append(self._inner.embed_passages(texts[i : i + self.BATCH], progress))
        if not parts:
            with self._lock:
                return self._inner.embed_passages(texts, progress)
        return np.concatenate(parts)

    def embed_queries(self, texts):
        with self._lock:
            return self._inner.embed_queries(texts)

    def count_tokens(self, text):
        with self._lock:
            return self._inner.count_tokens(text)


@dataclass(frozen=True)
class UploadJob:
    """One upload being indexed in the background, as the chat shows it."""

    id: int
    files: tuple[str, ...]
    state: str = "queued"  # queued | running | done | failed
    phase: str = ""
    done: int = 0
    total: int = 0
    message: str = ""

    def status(self) -> str:
        if self.state == "queued":
            return f"Queued: {len(self.files)} file(s); they are indexed in the background."
        if self.state == "running":
            count = f" {self.done}/{self.total}" if self.total else ""
            return f"Working on {len(self.files)} file(s): {self.phase}{count}..."
        return self.message


class ChatService:
    """One loaded index shared by every session; uploads swap in a rebuilt index atomically.

    Questions run concurrently (FAISS and BM25 are read-only, the embedder takes its own short
    lock), so a slow request never holds up another. Claim checks take ``_verify_lock``: the
    verify stage's models and caches are not known to be safe across threads. Uploads are
    indexed one job at a time by a background thread; the index is reloaded whenever its
    directory changes on disk, whoever changed it.
    """

    RELOAD_CHECK = 0.5  # seconds between two looks at the manifest

    def __init__(self, index: Index, limits: UploadLimits | None = None):
        self._verify_lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._jobs_lock = threading.Condition()
        self._jobs: dict[int, UploadJob] = {}
        self._queue: list[tuple[int, list[str]]] = []
        self._ids = itertools.count(1)
        self._worker: threading.Thread | None = None
        self.limits = limits or UploadLimits()
        embedder = _LockedEmbedder(index.embedder, threading.Lock())  # loaded once, here
        if getattr(index, "sharded", False):  # a ShardedIndex: same shards, locked embedder
            self.index = index.with_embedder(embedder)
        else:
            self.index = Index(index.data, embedder, index.settings)
        self.index.documents()  # read once now: the context view needs them
        self._stamp = self._disk_stamp()
        self._checked = time.monotonic()
        self.verify = verify  # claim verdicts and the weak-match thresholds fitted on eval data

    @property
    def path(self) -> Path:
        return Path(self.index.data.path)

    # --- the index on disk -------------------------------------------------------------------

    def _disk_stamp(self):
        try:
            st = (self.path / MANIFEST).stat()
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def current(self) -> Index:
        """The index to answer with: reloaded first if its directory changed on disk (another
        ``verifact index``, or an upload); one request reloads, the others keep the old one."""
        now = time.monotonic()
        if now - self._checked >= self.RELOAD_CHECK:
            self._checked = now
            if self._disk_stamp() != self._stamp and self._reload_lock.acquire(blocking=False):
                try:
                    self.reload()
                finally:
                    self._reload_lock.release()
        return self.index

    def reload(self) -> None:
        """Load the index from disk now; a damaged or missing one leaves the current in place."""
        stamp = self._disk_stamp()
        if getattr(self.index, "sharded", False):  # rebuilt: the new manifest's shards
            try:
                fresh = self.index.reopen()
                fresh.documents()
            except VerifactError:
                return
            self.index, self._stamp = fresh, stamp
            return
        try:
            data = load_index_data(self.path, self.index.embedder.name, self.index.embedder.dim)
        except VerifactError:
            return  # keep answering from the index in memory; the next change retries
        self._swap(data, stamp)

    def _swap(self, data, stamp) -> None:
        fresh = Index(data, self.index.embedder, self.index.settings)
        fresh.documents()  # read now, outside any request
        self.index, self._stamp = fresh, stamp  # atomic: requests in flight keep the old one

    def info_markdown(self) -> str:
        index = self.current()
        return view.info_markdown(str(self.path), index.manifest)

    def document_choices(self) -> list[tuple[str, str]]:
        """(label, doc_id) for the source filter, in index order."""
        docs = self.current().manifest["documents"]
        return [
            (f"{m.get('title') or d} ({d})" if m.get("title") else d, d) for d, m in docs.items()
        ]

    def examples(self, n: int = 3) -> list[str]:
        """Example messages drawn from the corpus: a question per document title, then one
        sentence quoted verbatim from the corpus as a claim to check."""
        docs = self.index.manifest["documents"]
        biggest = sorted(docs, key=lambda d: (-docs[d]["passages"], d))[:n]
        out = [f"What do the sources say about {docs[d].get('title') or d}?" for d in biggest]
        passages = self.index.passages
        if passages:
            p = passages[min(1, len(passages) - 1)]
            first = re.split(r"(?<=[.!?])\s", p.text.strip(), maxsplit=1)[0]
            if 4 <= len(first.split()) <= 30 and first.endswith("."):
                out.append(first)
        return out

    # --- answering -------------------------------------------------------------------------

    def search(self, query: str, k: int, mode: str, doc_ids: list[str] | None = None) -> list[Hit]:
        index = self.current()  # one consistent index for the whole request, even during a swap
        return index.search_many([query], k=k, mode=mode, doc_ids=doc_ids or None)[0]

    def ask(self, query: str, k: int = 5, mode: str = "hybrid") -> dict:
        """``/ask``: the same JSON as ``verifact ask --json``."""
        index = self.current()
        return {**ask_json(index, query, chat_k(k), mode), **partial_fields(index)}

    def verdict(self, claim: str, k: int = 5, mode: str = "hybrid", doc_ids=None):
        claim, k, mode = validate_query(claim), chat_k(k), validate_mode(mode)
        kwargs = {"doc_ids": doc_ids} if doc_ids else {}
        index = self.current()
        with self._verify_lock:
            return self.verify.verify_claims(index, [claim], k=k, mode=mode, **kwargs)[0]

    def check(self, claim: str, k: int = 5, mode: str = "hybrid") -> dict:
        """``/check``: the same JSON as ``verifact check --json``."""
        verdict = self.verdict(claim, k, mode)
        return {**verdict.to_dict(), **partial_fields(self.index)}

    def is_weak(self, hit: Hit, question: bool = False) -> bool:
        return self.verify.is_weak(hit, question=question)

    def reply(
        self,
        message: str,
        k: int = 5,
        mode: str = "hybrid",
        doc_ids: list[str] | None = None,
        force: str = "auto",
    ) -> str:
        """The chat's HTML reply to one message; a VerifactError becomes an error line."""
        try:
            text = validate_query(message)
            if force not in FORCE_CHOICES:
                raise InputError(f"Unknown message kind {force!r}; expected one of {FORCE_CHOICES}")
            as_claim = force == "claim" or (force == "auto" and not is_question(text))
            docs = self.current().documents()
            if as_claim:
                verdict = self.verdict(text, k, mode, doc_ids)
                weak = [self.is_weak(ev.hit) for ev in verdict.evidence]
                return partial_html(self.index) + view.verdict_html(verdict, docs, weak)
            hits = self.search(text, chat_k(k), validate_mode(mode), doc_ids)
            weak = [self.is_weak(h, question=True) for h in hits]
            return partial_html(self.index) + view.answer_html(text, hits, weak, docs)
        except VerifactError as e:
            return view.error_html(str(e))

    # --- uploads ---------------------------------------------------------------------------

    def submit_upload(self, paths: list[str | Path]) -> int:
        """Queue files for indexing in the background; returns the job id for ``job``."""
        paths = [str(p) for p in paths or []]
        with self._jobs_lock:
            job_id = next(self._ids)
            self._jobs[job_id] = UploadJob(job_id, tuple(Path(p).name for p in paths))
            self._queue.append((job_id, paths))
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="uploads", daemon=True)
                self._worker.start()
            self._jobs_lock.notify_all()
        return job_id

    def job(self, job_id: int) -> UploadJob | None:
        with self._jobs_lock:
            return self._jobs.get(job_id)

    def wait_for(self, job_id: int, timeout: float = 600.0) -> UploadJob:
        """Block until the job is done or failed (tests, scripts)."""
        deadline = time.monotonic() + timeout
        with self._jobs_lock:
            while self._jobs[job_id].state not in ("done", "failed"):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._jobs_lock.wait(min(left, 1.0))
            return self._jobs[job_id]

    def _update(self, job_id: int, **changes) -> None:
        with self._jobs_lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)
            self._jobs_lock.notify_all()

    def _work(self) -> None:
        while True:
            with self._jobs_lock:
                if not self._queue:
                    self._worker = None
                    return
                job_id, paths = self._queue.pop(0)
            self._update(job_id, state="running", phase="starting")

            def progress(phase: str, done: int, total: int, job_id=job_id) -> None:
                self._update(job_id, phase=phase, done=done, total=total)

            try:
                final = {"state": "done", "message": self._add(paths, progress).message()}
            except VerifactError as e:
                final = {"state": "failed", "message": f"Error: {e}"}
            except Exception as e:  # noqa: BLE001 - the worker must survive to run the next job
                final = {"state": "failed", "message": f"Error: upload failed ({e!r})"}
            _remove_temp_copies(paths)
            self._update(job_id, **final)

    def _add(self, paths, progress) -> UploadReport:
        index = self.index
        if getattr(index, "sharded", False):
            raise InputError(
                "Uploads go into a single index; add files to a sharded index with "
                f"verifact index PATH... --index {self.path} --shards N"
            )
        data, report = add_files(
            index.data.path, index.embedder, index.settings, paths, self.limits, progress
        )
        if data is not None:
            with self._reload_lock:
                self._swap(data, self._disk_stamp())
        return report

    def add_files(
        self, paths: list[str | Path], on_progress: Callable[[int, int], None] | None = None
    ) -> UploadReport:
        """Index uploaded files now, in this thread (see ``upload.add_files``)."""

        def progress(phase: str, done: int, total: int) -> None:
            if on_progress and phase.startswith("embedding"):
                on_progress(done, total)

        return self._add([str(p) for p in paths or []], progress)


def _remove_temp_copies(paths: list[str]) -> None:
    """Delete Gradio's temporary copies of uploaded files (accepted or not): the stored copy,
    if any, is in ``<index>/uploads/``. Only files inside Gradio's temp folder are touched."""
    import os
    import tempfile

    root = Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio")
    root = root.resolve()
    for p in paths:
        path = Path(p).resolve()
        if root in path.parents and path.is_file():
            path.unlink(missing_ok=True)
            try:
                path.parent.rmdir()  # Gradio keeps each file in a folder of its own
            except OSError:
                pass
