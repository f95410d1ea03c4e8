"""Chunk stage: Document -> sentence-aware, paragraph-aligned Passages (pure functions)."""

from __future__ import annotations

import re

from ..types import Document, Passage

_WORD = re.compile(r"\S+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` as absolute (start, end) offsets, whitespace trimmed.

    Uses sentencex (Wikimedia's rule-based segmenter: compiled, 4 MB, offline), which returns
    character offsets.

    Example: ``split_sentences("A cat. A dog.")  # => [(0, 6), (7, 13)]``
    """
    import sentencex

    end = len(text) if end is None else end
    segment = text[start:end]
    if not segment.strip():
        return []
    bounds = sentencex.get_sentence_boundaries("en", segment)
    # only the sentence ends are used: each sentence runs from the previous end, so a character
    # the segmenter skips stays inside a sentence and is never lost
    ends = [min(int(b["end_index"]), len(segment)) for b in bounds[:-1]] + [len(segment)]
    spans, prev = [], 0
    for b in ends:
        a, b2 = _trim(segment, prev, max(b, prev))
        if b2 > a:
            spans.append((start + a, start + b2))
        prev = max(b, prev)
    if not spans:  # no sentence found: keep the whole segment as one sentence
        a, b = _trim(segment, 0, len(segment))
        spans.append((start + a, start + b))
    return spans


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blocks between blank lines, or lines when the text has no blank lines."""
    splitter = _BLANK_LINES if _BLANK_LINES.search(text) else re.compile(r"\n")
    spans, pos = [], 0
    for match in splitter.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    out = []
    for a, b in spans:
        a, b = _trim(text, a, b)
        if b > a:
            out.append((a, b))
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, never crossing a paragraph (or line, see ``paragraphs``)."""
    return [span for pa, pb in paragraphs(text) for span in split_sentences(text, pa, pb)]


def _word_windows(text: str, a: int, b: int, max_words: int) -> list[tuple[int, int]]:
    """Split one over-long sentence into windows of at most ``max_words`` words."""
    words = [(a + m.start(), a + m.end()) for m in _WORD.finditer(text[a:b])]
    return [
        (words[i][0], words[min(i + max_words, len(words)) - 1][1])
        for i in range(0, len(words), max_words)
    ]


def _units(doc_text: str, max_words: int) -> list[tuple[int, int, int, int]]:
    """(start, end, words, paragraph number) for every sentence, long ones pre-split."""
    units = []
    for p, (pa, pb) in enumerate(paragraphs(doc_text)):
        for sa, sb in split_sentences(doc_text, pa, pb):
            n = len(_WORD.findall(doc_text[sa:sb]))
            if n > max_words:
                for wa, wb in _word_windows(doc_text, sa, sb, max_words):
                    units.append((wa, wb, len(_WORD.findall(doc_text[wa:wb])), p))
            else:
                units.append((sa, sb, n, p))
    return units


def chunk_spans(
    text: str, max_words: int = 100, min_words: int = 30, overlap_sentences: int = 1
) -> list[tuple[int, int]]:
    """Character spans of passages: whole sentences packed up to ``max_words`` words.

    A passage ends at a paragraph break once it holds ``min_words`` words; a paragraph cut
    mid-way because of ``max_words`` repeats its last ``overlap_sentences`` sentences in the
    next passage, so no sentence loses its context.
    """
    if max_words < 1 or min_words < 0 or overlap_sentences < 0:
        raise ValueError("max_words must be >= 1, min_words and overlap_sentences >= 0")
    units = _units(text, max_words)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        j, words = i, 0
        while j < len(units):
            if j > i and words + units[j][2] > max_words:
                break
            if j > i and units[j][3] != units[j - 1][3] and words >= min_words:
                break
            words += units[j][2]
            j += 1
        spans.append((units[i][0], units[j - 1][1]))
        if j >= len(units):
            break
        cut_mid_paragraph = units[j][3] == units[j - 1][3]
        overlap = min(overlap_sentences, j - i - 1) if cut_mid_paragraph else 0
        i = j - overlap
    return spans


def chunk_document(
    doc: Document, max_words: int = 100, min_words: int = 30, overlap_sentences: int = 1
) -> list[Passage]:
    """Split a Document into Passages with ids ``<doc_id>#<n:04d>`` (stable for the same text).

    Every passage satisfies ``doc.text[p.start:p.end] == p.text``.
    """
    return [
        Passage(
            id=f"{doc.doc_id}#{n:04d}",
            doc_id=doc.doc_id,
            text=doc.text[a:b],
            source=doc.source,
            start=a,
            end=b,
            title=doc.title,
            page=doc.page_at(a),
            date=doc.date,
            url=doc.url,
        )
        for n, (a, b) in enumerate(chunk_spans(doc.text, max_words, min_words, overlap_sentences))
    ]
