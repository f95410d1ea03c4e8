"""Chat service: messages -> cited passages or verdicts, and uploads -> an updated index.

Retrieval only: every reply is built from stored passages (``view``), never generated.
``ui`` puts this service behind a Gradio UI and the ``/ask`` and ``/check`` endpoints.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError, VerifactError
from ..search.search import Index, results_json, validate_k, validate_mode, validate_query
from ..types import Hit
from ..verify import verdict as verify  # the module: tests swap its functions
from . import view
from .upload import MAX_UPLOAD_MB, UploadReport, add_files

__all__ = ["MAX_UPLOAD_MB", "ChatService", "UploadReport", "ask_json", "is_question"]

FORCE_CHOICES = ("auto", "question", "claim")
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
    """The JSON of ``verifact ask --json`` for one query: {"query", "mode", "k", "hits"}.

    Raises:
        InputError: empty query, k < 1 or unknown mode.
    """
    query, k, mode = validate_query(query), validate_k(k), validate_mode(mode)
    return results_json(query, mode, k, index.search_many([query], k=k, mode=mode)[0])


class _LockedEmbedder:
    """An embedder whose calls run one at a time: tokenizers are not safe to share between
    threads, and a search and an upload's embedding may overlap."""

    def __init__(self, inner, lock: threading.Lock):
        self._inner, self._lock = inner, lock

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def embed_passages(self, texts, progress=False):
        with self._lock:
            return self._inner.embed_passages(texts, progress)

    def embed_queries(self, texts):
        with self._lock:
            return self._inner.embed_queries(texts)

    def count_tokens(self, text):
        with self._lock:
            return self._inner.count_tokens(text)


class ChatService:
    """One loaded index shared by every session; uploads swap in a rebuilt index atomically.

    Searches run one at a time (``_search_lock``): on a few CPU cores they take milliseconds
    and serialising them keeps FAISS, BM25 and the tokenizer free of thread-safety questions.
    """

    def __init__(self, index: Index):
        self._search_lock = threading.Lock()
        self._write_lock = threading.Lock()  # one upload at a time
        embedder = _LockedEmbedder(index.embedder, threading.Lock())  # loaded once, here
        self.index = Index(index.data, embedder, index.settings)
        self.index.documents()  # read once now: the context view needs them
        self.verify = verify  # claim verdicts and the weak-match thresholds fitted on eval data

    @property
    def path(self) -> Path:
        return Path(self.index.data.path)

    def info_markdown(self) -> str:
        return view.info_markdown(str(self.path), self.index.manifest)

    def document_choices(self) -> list[tuple[str, str]]:
        """(label, doc_id) for the source filter, in index order."""
        docs = self.index.manifest["documents"]
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
        index = self.index  # one consistent index for the whole request, even during a swap
        with self._search_lock:
            return index.search_many([query], k=k, mode=mode, doc_ids=doc_ids or None)[0]

    def ask(self, query: str, k: int = 5, mode: str = "hybrid") -> dict:
        """``/ask``: the same JSON as ``verifact ask --json``."""
        index = self.index
        with self._search_lock:
            return ask_json(index, query, k, mode)

    def verdict(self, claim: str, k: int = 5, mode: str = "hybrid", doc_ids=None):
        claim, k, mode = validate_query(claim), validate_k(k), validate_mode(mode)
        kwargs = {"doc_ids": doc_ids} if doc_ids else {}
        index = self.index
        with self._search_lock:
            return self.verify.verify_claims(index, [claim], k=k, mode=mode, **kwargs)[0]

    def check(self, claim: str, k: int = 5, mode: str = "hybrid") -> dict:
        """``/check``: the same JSON as ``verifact check --json``."""
        return self.verdict(claim, k, mode).to_dict()

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
            docs = self.index.documents()
            if as_claim:
                verdict = self.verdict(text, k, mode, doc_ids)
                weak = [self.is_weak(ev.hit) for ev in verdict.evidence]
                return view.verdict_html(verdict, docs, weak)
            hits = self.search(text, validate_k(k), validate_mode(mode), doc_ids)
            weak = [self.is_weak(h, question=True) for h in hits]
            return view.answer_html(text, hits, weak, docs)
        except VerifactError as e:
            return view.error_html(str(e))

    # --- uploads ---------------------------------------------------------------------------

    def add_files(
        self, paths: list[str | Path], on_progress: Callable[[int, int], None] | None = None
    ) -> UploadReport:
        """Index uploaded files (see ``upload.add_files``) and swap in the new index."""
        with self._write_lock:
            fresh, report = add_files(self.index, paths, on_progress)
            if fresh is not None:
                self.index = fresh  # atomic swap: requests in flight finish on the old index
            return report
