"""Lexical index: passage texts -> bm25s sparse index (English stemming and stopwords)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np


@lru_cache(maxsize=1)
def _bm25s():
    """bm25s, with its logger quieted: it sets itself to DEBUG at import, so "DEBUG:bm25s:
    Building index from tokens" reached the terminal wherever logging had a handler.

    Imported with numba and scipy.sparse hidden: bm25s loads them when they are installed (the
    eval extra brings both) for its numba backend and scipy CSC builder, which verifact never
    selects (the numpy defaults); the import took 0.9 s instead of 0.1 s, most of it numba."""
    import logging

    from ..imports import hidden

    with hidden("numba", "scipy.sparse"):
        import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stopword-free, Snowball-stemmed tokens per text."""
    return _bm25s().tokenize(
        texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )


FUZZY_MIN_LENGTH = 4  # shorter terms have too many near neighbours to correct safely
FUZZY_MIN_SCORE = 80  # rapidfuzz ratio (0-100): one edit in a 5-9 letter word
FUZZY_MAX_TERMS = 8  # unknown terms corrected per query: each scans the whole vocabulary


def closest_term(term: str, vocab: list[str]) -> str | None:
    """The term of ``vocab`` nearest to ``term`` by edit similarity, if close enough.

    Ties go to the alphabetically first term, so the answer does not depend on the order of
    ``vocab`` (bm25s stores its vocabulary in set order, which varies between builds, and a
    sharded index merges several vocabularies).
    """
    if len(term) < FUZZY_MIN_LENGTH:
        return None
    from rapidfuzz import fuzz, process

    matches = process.extract(
        term, vocab, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE, limit=None
    )
    if not matches:
        return None
    best = max(score for _, score, _ in matches)
    return min(t for t, score, _ in matches if score == best)


def query_terms(query: str, in_vocab, closest) -> list[str]:
    """The corpus terms a query is scored with: its tokens, the first ``FUZZY_MAX_TERMS``
    tokens missing from the corpus replaced by ``closest(token)`` (dropped when that is None),
    later missing ones dropped. Shared by one index and a sharded one, so both correct a
    misspelling the same way."""
    terms, fuzzy = [], 0
    for t in tokenize([query])[0]:
        if not in_vocab(t) and fuzzy < FUZZY_MAX_TERMS:
            fuzzy += 1
            t = closest(t)
        if t and in_vocab(t):
            terms.append(t)
    return terms


class BM25Index:
    """A bm25s retriever whose row i is passage i."""

    def __init__(self, retriever, n: int):
        self.retriever = retriever
        self.n = n
        self._vocab_list: list[str] | None = None

    def _closest(self, term: str) -> str | None:
        """The corpus term nearest to ``term`` by edit similarity, if close enough."""
        if self._vocab_list is None:
            self._vocab_list = [t for t in self.retriever.vocab_dict if len(t) >= FUZZY_MIN_LENGTH]
        return closest_term(term, self._vocab_list)

    @classmethod
    def build(cls, texts: list[str]) -> BM25Index:
        retriever = _bm25s().BM25()
        retriever.index(tokenize(texts), show_progress=False)
        return cls(retriever, len(texts))

    def save(self, path: Path) -> None:
        self.retriever.save(str(path), show_progress=False)
        (path / "count.txt").write_text(str(self.n))

    @classmethod
    def load(cls, path: Path) -> BM25Index:
        retriever = _bm25s().BM25.load(str(path), mmap=True, show_progress=False, verbosity=0)
        return cls(retriever, int((path / "count.txt").read_text()))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for ``query``: float32 (n,), zeros if no term matches.

        A query term missing from the corpus is replaced by the closest corpus term when they
        are near-identical (a misspelt name: "Primakof" -> "primakov"), for the first
        ``FUZZY_MAX_TERMS`` such terms; other terms are dropped.
        """
        vocab = self.retriever.vocab_dict
        tokens = query_terms(query, vocab.__contains__, self._closest)
        if not tokens:
            return np.zeros(self.n, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)
