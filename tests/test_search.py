"""Search: modes, k, filters, dedupe of overlapping windows, highlights, bad input."""

from __future__ import annotations

import time

import pytest

from verifact.config import Settings
from verifact.errors import InputError
from verifact.index.store import build_index
from verifact.ingest.readers import load_documents
from verifact.search.search import MAX_K, MAX_QUERY_CHARS, load_index, minmax
from verifact.types import Document

from conftest import BASE_DOCS


@pytest.fixture
def index(tmp_path, fake_embedder):
    build_index(load_documents(BASE_DOCS).documents, tmp_path / "idx", fake_embedder)
    return load_index(tmp_path / "idx", embedder=fake_embedder)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_known_answers(index, mode):
    hits = index.search("Where is the Eiffel Tower?", k=3, mode=mode)
    top = hits[0]
    assert top.passage.doc_id == "landmarks.txt" and top.rank == 1
    assert "Eiffel Tower stands" in top.highlight_text
    a, b = top.highlight
    assert top.passage.start <= a < b <= top.passage.end
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(x.score >= y.score for x, y in zip(hits, hits[1:]))


def test_hybrid_reports_all_score_parts(index):
    hit = index.search("moons of Mars Phobos", k=1)[0]
    assert hit.passage.doc_id == "space.html"
    assert set(hit.scores) == {"dense", "bm25", "fused"} and hit.score == hit.scores["fused"]
    d = hit.to_dict()
    assert list(d) == [
        "rank",
        "score",
        "scores",
        "passage_id",
        "doc_id",
        "title",
        "source",
        "url",
        "page",
        "start",
        "end",
        "text",
        "highlight",
    ]
    assert d["highlight"]["start"] >= d["start"] and d["highlight"]["end"] <= d["end"]


def test_k_larger_than_index_returns_fewer(index):
    hits = index.search("the", k=MAX_K, mode="dense")
    assert 0 < len(hits) <= len(index.passages)


def test_doc_filter(index):
    hits = index.search("Eiffel Tower", k=5, doc_ids=["health.md"])
    assert hits and {h.passage.doc_id for h in hits} == {"health.md"}
    with pytest.raises(InputError, match="Unknown document id 'nope.txt'"):
        index.search("x", doc_ids=["nope.txt"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"query": ""}, "Empty query ''"),
        ({"query": "   "}, "Empty query '   '"),
        ({"query": "ok", "k": 0}, "Invalid k 0"),
        ({"query": "ok", "k": -3}, "Invalid k -3"),
        ({"query": "ok", "mode": "fuzzy"}, "Unknown mode 'fuzzy'"),
    ],
)
def test_bad_input(index, kwargs, message):
    with pytest.raises(InputError, match=message):
        index.search(**kwargs)


def test_overlapping_windows_are_one_hit(tmp_path, fake_embedder):
    text = " ".join(f"Otters sentence {i} swims here." for i in range(12))
    doc = Document(doc_id="o.txt", text=text, source="o.txt")
    from verifact.config import Settings

    settings = Settings(max_words=12, min_words=0, overlap_sentences=1)
    build_index([doc], tmp_path / "i", fake_embedder, settings)
    index = load_index(tmp_path / "i", embedder=fake_embedder)
    hits = index.search("otters swims sentence", k=10, mode="bm25")
    spans = sorted((h.passage.start, h.passage.end) for h in hits)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))


def test_bm25_with_no_matching_term_returns_nothing(index):
    assert index.search("zzzqqq", mode="bm25") == []


def test_minmax():
    import numpy as np

    assert minmax(np.array([1.0, 3.0, 2.0])).tolist() == [0.0, 1.0, 0.5]
    assert minmax(np.array([2.0, 2.0])).tolist() == [1.0, 1.0]
    assert minmax(np.array([0.0, 0.0])).tolist() == [0.0, 0.0]


@pytest.fixture
def default_corpus(tmp_path, monkeypatch):
    """The shipped-corpus folders pointed at an empty project in tmp_path: (module, sources)."""
    import verifact.search.search as search_mod

    sources = tmp_path / "proj" / "index" / "sources"
    sources.mkdir(parents=True)
    monkeypatch.setattr(search_mod, "default_sources_dir", lambda: sources)
    monkeypatch.setattr(search_mod, "default_index_dir", lambda: sources.parent / "default")
    return search_mod, sources


def test_default_index_builds_keeps_uploads_and_rebuilds_when_sources_change(
    default_corpus, fake_embedder
):
    search_mod, sources = default_corpus
    (sources / "a.txt").write_text("Otters live in rivers.")
    first = search_mod.load_default_index(embedder=fake_embedder)
    assert set(first.manifest["documents"]) == {"a.txt"}
    assert first.passages[0].source == "index/sources/a.txt"  # cited inside the project
    upload = Document(doc_id="uploads/b.txt", text="Beavers build dams.", source="b.txt")
    build_index([*first.documents().values(), upload], first.data.path, fake_embedder)
    again = search_mod.load_default_index(embedder=fake_embedder)
    assert set(again.manifest["documents"]) == {"a.txt", "uploads/b.txt"}
    (sources / "a.txt").write_text("Otters live in rivers and lakes.")
    rebuilt = search_mod.load_default_index(embedder=fake_embedder)
    assert set(rebuilt.manifest["documents"]) == {"a.txt", "uploads/b.txt"}
    assert "lakes" in rebuilt.search("otters", k=1, mode="bm25")[0].passage.text


def test_default_index_chunked_by_another_sentence_splitter_is_rebuilt(
    default_corpus, fake_embedder
):
    """An index chunked by another splitter is stale: its passage boundaries are not the ones
    this version's chunker draws."""
    import json

    search_mod, sources = default_corpus
    (sources / "a.txt").write_text("Otters live in rivers. They eat fish.")
    first = search_mod.load_default_index(embedder=fake_embedder)
    assert first.manifest["chunk"]["sentences"] == "sentencex"
    manifest = first.data.path / "manifest.json"
    old = json.loads(manifest.read_text())
    old["chunk"]["sentences"] = "blingfire"
    manifest.write_text(json.dumps(old))
    rebuilt = search_mod.load_default_index(embedder=fake_embedder)
    assert rebuilt.manifest["chunk"]["sentences"] == "sentencex"


def test_misspelt_names_match_in_bm25(index):
    hits = index.search("Eifel Towr", k=1, mode="bm25")  # both words one edit away
    assert hits and hits[0].passage.doc_id == "landmarks.txt"
    assert index.search("qzxv", mode="bm25") == []  # nothing close: no made-up match


# --- hostile input: bounded work, clear errors ------------------------------------------------


@pytest.mark.parametrize(
    "query, message",
    [
        ("\u200b\u200c\ufeff", "Empty query"),  # zero-width characters only
        ("\udcff", "not valid text"),  # an undecodable byte, as argv or JSON delivers it
        ("x" * (MAX_QUERY_CHARS + 1), f"the limit is {MAX_QUERY_CHARS:,}"),
    ],
)
def test_hostile_queries_are_refused(index, query, message):
    with pytest.raises(InputError, match=message):
        index.search(query)


def test_k_is_bounded(index):
    assert len(index.search("Eiffel Tower", k=MAX_K)) <= MAX_K
    for k in (MAX_K + 1, 100_000):
        with pytest.raises(InputError, match=f"from 1 to {MAX_K}"):
            index.search("Eiffel Tower", k=k)


def test_a_megabyte_query_fails_at_once(index):
    t0 = time.perf_counter()
    with pytest.raises(InputError, match="too long"):
        index.search("word " * 200_000)
    assert time.perf_counter() - t0 < 1.0


def test_a_query_at_the_limit_costs_a_few_short_ones(tmp_path, fake_embedder):
    words = [f"term{i}" for i in range(3000)]  # none in the corpus: every one is fuzzy-matched
    docs = [Document(doc_id=f"d{i}", text=" ".join(words[i::30]) + ".", source=f"d{i}")
            for i in range(30)]  # fmt: skip
    build_index(docs, tmp_path / "i", fake_embedder)
    index = load_index(tmp_path / "i", embedder=fake_embedder)
    short = "termx1 termx2 termx3"
    long_query = " ".join(f"termx{i}" for i in range(400))[:MAX_QUERY_CHARS]

    def seconds(q):
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            index.search(q, k=MAX_K)
            runs.append(time.perf_counter() - t0)
        return sorted(runs)[1]

    assert seconds(long_query) < 20 * seconds(short) + 0.05


def test_a_heading_is_not_highlighted_over_its_sentence(tmp_path, fake_embedder):
    (tmp_path / "v.md").write_text(
        "# Vitamins and colds\n\nVitamins do not prevent colds in most people, a review found."
    )
    build_index(load_documents([tmp_path / "v.md"]).documents, tmp_path / "i", fake_embedder)
    hit = load_index(tmp_path / "i", embedder=fake_embedder).search("vitamins colds", k=1)[0]
    assert "#" not in hit.passage.text
    assert hit.highlight_text == "Vitamins do not prevent colds in most people, a review found."


def test_previous_passage_is_the_one_before_in_the_same_document(tmp_path, fake_embedder):
    text = "\n\n".join(f"Paragraph {i} says something about topic {i} at length." for i in range(6))
    docs = [Document("a.txt", text, "a.txt"), Document("b.txt", "Another document.", "b.txt")]
    build_index(docs, tmp_path / "idx", fake_embedder, Settings(max_words=12, min_words=5))
    idx = load_index(tmp_path / "idx", embedder=fake_embedder)
    ps = [p for p in idx.passages if p.doc_id == "a.txt"]
    assert len(ps) > 2
    assert idx.previous_passage(ps[0]) is None
    assert [idx.previous_passage(p) for p in ps[1:]] == ps[:-1]
    other = next(p for p in idx.passages if p.doc_id == "b.txt")
    assert idx.previous_passage(other) is None
    # with first=True: the document's first passage (its lead), None for the first itself
    assert [idx.previous_passage(p, first=True) for p in ps[1:]] == [ps[0]] * (len(ps) - 1)
    assert idx.previous_passage(ps[0], first=True) is None
