"""Chunking: offsets always slice back to the passage text; ids stable; sentences whole."""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from verifact.index.chunk import chunk_document, chunk_spans, paragraphs, split_sentences
from verifact.types import Document

WORDS = st.sampled_from(
    [
        "Putin",
        "invited",
        "Meshaal",
        "in",
        "2006.",
        "Dr.",
        "Smith",
        "—",
        "“quoted”",
        "é",
        "U.S.",
        "war!",
        "why?",
        "a",
        "the",
        "and",
        "3.5",
        "km",
        "\t",
        "\n",
        "\n\n",
        "  ",
        "😀",
    ]
)
TEXTS = st.lists(WORDS, max_size=400).map(" ".join) | st.text(max_size=800)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=TEXTS,
    max_words=st.integers(1, 60),
    min_words=st.integers(0, 30),
    overlap=st.integers(0, 3),
)
@example(text="\x080", max_words=1, min_words=0, overlap=0)  # a control char is kept
def test_offsets_slice_back_exactly(text, max_words, min_words, overlap):
    doc = Document(doc_id="d", text=text, source="d.txt")
    passages = chunk_document(doc, max_words, min_words, overlap)
    for p in passages:
        assert doc.text[p.start : p.end] == p.text
        assert p.text.strip() == p.text and p.text
        assert len(p.text.split()) <= max_words
    if text.strip():
        assert passages, "non-empty text must give at least one passage"
        # every word of the document is in some passage (no silent loss)
        covered = set()
        for p in passages:
            covered.update(range(p.start, p.end))
        assert all(i in covered or text[i].isspace() for i in range(len(text)))
    starts = [p.start for p in passages]
    assert starts == sorted(starts)


def test_sentences_and_paragraphs():
    text = "Heading\nFirst sentence here. Second one!\n\nNew para? Yes."
    assert [text[a:b] for a, b in paragraphs(text)] == [
        "Heading\nFirst sentence here. Second one!",
        "New para? Yes.",
    ]
    assert [text[a:b] for a, b in split_sentences(text, 41, len(text))] == ["New para?", "Yes."]


def test_passages_end_at_paragraphs_and_overlap_when_cut():
    para1 = " ".join(f"Sentence number {i} is here." for i in range(10))  # 50 words
    text = para1 + "\nShort closing paragraph of words."
    spans = chunk_spans(text, max_words=20, min_words=5, overlap_sentences=1)
    pieces = [text[a:b] for a, b in spans]
    assert (
        pieces[0] == "Sentence number 0 is here. Sentence number 1 is here. "
        "Sentence number 2 is here. Sentence number 3 is here."
    )
    assert pieces[1].startswith("Sentence number 3 is here.")  # one sentence of overlap
    assert pieces[-1] == "Short closing paragraph of words."  # paragraph break respected


def test_ids_stable_and_page_recorded():
    doc = Document(
        doc_id="r.pdf", text="Page one text.\n\nPage two text.", source="r.pdf", pages=(0, 16)
    )
    a = chunk_document(doc, max_words=3, min_words=0)
    b = chunk_document(doc, max_words=3, min_words=0)
    assert [p.id for p in a] == [p.id for p in b] == ["r.pdf#0000", "r.pdf#0001"]
    assert [p.page for p in a] == [1, 2]


def test_the_manifest_names_the_splitter_chunking_uses(monkeypatch):
    """Indexes record config.SENTENCE_SPLITTER to be rebuilt when it changes: it must name the
    library split_sentences really imports."""
    from verifact.config import SENTENCE_SPLITTER
    from verifact.index.chunk import split_sentences

    monkeypatch.setitem(sys.modules, SENTENCE_SPLITTER, None)  # import -> ImportError
    with pytest.raises(ImportError):
        split_sentences("A cat. A dog.")
