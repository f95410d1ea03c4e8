"""Sharded indexes in one process: routing, layout, exact equality with one index, incremental
builds, crash safety, corpus-wide BM25, approximate shards, partial answers. (Ray: test_cluster.)"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import numpy as np
import pytest

import verifact
from verifact.config import Settings
from verifact.errors import IndexCorruptError, InputError, ShardUnavailableError
from verifact.index import shards as shards_mod
from verifact.index.bm25 import BM25Index, closest_term, tokenize
from verifact.index.shards import build_sharded_index, is_sharded, route, shard_of
from verifact.index.store import build_index
from verifact.index.termfreq import build_term_freqs, document_frequencies, global_scores, idf
from verifact.ingest.readers import load_documents
from verifact.search import ShardedIndex, load_index
from verifact.types import Document

from conftest import BASE_DOCS, needs_shared
from helpers import lock_held_elsewhere
from sharding import assert_same_answers, scifact_docs, scifact_queries

QUERIES = [
    "Where is the Eiffel Tower?",
    "moons of Mars Phobos",
    "vitamin C and colds",
    "Primakof Kazaan",  # misspellings: corrected against the whole corpus's vocabulary
    "the",
]


def test_shard_of_is_stable_and_covers_every_shard():
    assert [shard_of(f"doc-{i}", 4) for i in range(8)] == [
        shard_of(f"doc-{i}", 4) for i in range(8)
    ]
    assert shard_of("report.pdf", 4) == 3  # pinned: a changed hash would re-route every index
    groups = route([Document(f"d{i}", "x.", "s") for i in range(200)], 3)
    assert all(groups) and sum(len(g) for g in groups) == 200
    assert [d.doc_id for g in groups for d in g if d.doc_id == "d7"] == ["d7"]


def test_closest_term_breaks_ties_alphabetically_whatever_the_order():
    vocab = ["primakofs", "primakov", "primakoff"]
    assert closest_term("primakof", vocab) == closest_term("primakof", vocab[::-1]) == "primakoff"
    assert closest_term("xyz", vocab) is None and closest_term("zzzzzzzz", vocab) is None


def test_bm25_with_corpus_wide_statistics_equals_one_index_bit_for_bit():
    texts = [d.text for d in load_documents(BASE_DOCS).documents] * 3 + ["Eiffel Eiffel tower."]
    full = BM25Index.build(texts)
    parts = [texts[s::3] for s in range(3)]
    shards = [BM25Index.build(p) for p in parts]
    tfs = [build_term_freqs(p, b) for p, b in zip(parts, shards)]
    n = sum(b.n for b in shards)
    avg = np.float64(sum(t.total_len for t in tfs)) / n
    df: dict[str, int] = {}
    for b in shards:
        for term, c in document_frequencies(b).items():
            df[term] = df.get(term, 0) + c
    for query in ["eiffel tower", "tower tower paris", "mars"]:
        terms = [t for t in tokenize([query])[0] if t in df]
        weights = [(t, idf(df[t], n)) for t in terms]
        merged = np.zeros(n, dtype=np.float32)
        for s, (b, tf) in enumerate(zip(shards, tfs)):
            merged[s::3] = global_scores(b, tf, weights, avg)
        assert np.array_equal(full.scores(query), merged)  # exact, not approximately


@pytest.fixture
def base_docs():
    return load_documents(BASE_DOCS).documents


@pytest.mark.parametrize("n_shards", [1, 2, 3, 7])
def test_sharded_index_answers_exactly_as_one_index(tmp_path, fake_embedder, base_docs, n_shards):
    build_index(base_docs, tmp_path / "one", fake_embedder)
    report = build_sharded_index(base_docs, tmp_path / "sh", fake_embedder, shards=n_shards)
    assert report.passages == len(load_index(tmp_path / "one").passages)
    single = load_index(tmp_path / "one", embedder=fake_embedder)
    sharded = load_index(tmp_path / "sh", embedder=fake_embedder)
    assert isinstance(sharded, ShardedIndex) and is_sharded(tmp_path / "sh")
    assert_same_answers(single, sharded, QUERIES)
    ids = ["landmarks.txt", "space.html"]
    for mode in ("hybrid", "dense", "bm25"):
        assert single.search("tower", k=3, mode=mode, doc_ids=ids) == sharded.search(
            "tower", k=3, mode=mode, doc_ids=ids
        )
    assert list(sharded.manifest["documents"]) == list(single.manifest["documents"])
    assert sharded.documents() == single.documents()
    assert [sharded.passages[i] for i in range(len(sharded.passages))] == single.passages


def test_layout_each_shard_is_an_ordinary_index(tmp_path, fake_embedder, base_docs):
    build_sharded_index(base_docs, tmp_path / "sh", fake_embedder, shards=2)
    top = json.loads((tmp_path / "sh" / "manifest.json").read_text())
    assert top["kind"] == "sharded" and len(top["shards"]) == 2
    for s in top["shards"]:
        one = load_index(tmp_path / "sh" / s["path"], embedder=fake_embedder)
        assert set(one.manifest["documents"]) == {
            d.doc_id for d in base_docs if shard_of(d.doc_id, 2) == int(s["name"][1:])
        }


@needs_shared
@pytest.mark.parametrize("n_shards", [2, 3])
def test_scifact_subset_sharded_equals_one_index(tmp_path, fake_embedder, n_shards):
    """Bag-of-words vectors tie often: this checks tie-breaking across shards too."""
    docs = scifact_docs(400)
    build_index(docs, tmp_path / "one", fake_embedder)
    build_sharded_index(docs, tmp_path / "sh", fake_embedder, shards=n_shards)
    single = load_index(tmp_path / "one", embedder=fake_embedder)
    sharded = load_index(tmp_path / "sh", embedder=fake_embedder)
    assert_same_answers(single, sharded, scifact_queries(120) + ["Primakof cells"])


def test_incremental_rebuilds_only_changed_shards(tmp_path, fake_embedder, base_docs):
    path = tmp_path / "sh"
    build_sharded_index(base_docs, path, fake_embedder, shards=3)
    again = build_sharded_index(base_docs, path, fake_embedder, shards=3)
    assert again.embedded == 0 and all(r is None for r in again.shards)
    changed = [replace(base_docs[0], text=base_docs[0].text + "\n\nThe Louvre is in Paris.")]
    docs = changed + base_docs[1:-1] + [Document("new.txt", "Saturn has rings of ice.", "new")]
    report = build_sharded_index(docs, path, fake_embedder, shards=3)
    touched = {shard_of(d.doc_id, 3) for d in (changed[0], docs[-1], base_docs[-1])}
    assert {i for i, r in enumerate(report.shards) if r is not None} == touched
    assert report.removed_documents == 1
    build_index(docs, tmp_path / "one", fake_embedder)
    single = load_index(tmp_path / "one", embedder=fake_embedder)
    assert_same_answers(single, load_index(path, embedder=fake_embedder), QUERIES + ["Louvre"])
    names = sorted(p.name for p in (path / "shards").iterdir() if not p.name.startswith("."))
    assert len(names) == 6  # 3 shards, each one version + its .extra: old versions removed
    locks = sorted(p.name for p in (path / "shards").glob(".*.lock"))
    assert locks == sorted(f".{n}.lock" for n in names if not n.endswith(".extra"))


def test_crash_mid_build_leaves_every_shard_answering(
    tmp_path, fake_embedder, base_docs, monkeypatch
):
    path = tmp_path / "sh"
    build_sharded_index(base_docs, path, fake_embedder, shards=3)
    before = load_index(path, embedder=fake_embedder).search_many(QUERIES, k=3)
    calls = []
    real = shards_mod.build_index

    def dies_on_second_shard(*a, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C (or a crash) in the middle of the build
        return real(*a, **kw)

    monkeypatch.setattr(shards_mod, "build_index", dies_on_second_shard)
    docs = [replace(d, text=d.text + "\n\nAppendix: more text.") for d in base_docs]
    with pytest.raises(KeyboardInterrupt):
        build_sharded_index(docs, path, fake_embedder, shards=3)
    assert load_index(path, embedder=fake_embedder).search_many(QUERIES, k=3) == before
    monkeypatch.setattr(shards_mod, "build_index", real)
    build_sharded_index(docs, path, fake_embedder, shards=3)  # the next build succeeds
    assert (
        "Appendix"
        in load_index(path, embedder=fake_embedder).search("appendix", k=1)[0].passage.text
    )


def test_a_second_writer_of_a_sharded_index_fails_with_one_line_or_waits(
    tmp_path, fake_embedder, base_docs
):
    """The lock a plain build of the directory takes: a chat upload or another ``verifact
    index`` of the same directory cannot interleave with a sharded build."""
    import threading

    from verifact.errors import IndexBusyError

    path = tmp_path / "sh"
    build_sharded_index(base_docs, path, fake_embedder, shards=2)
    with lock_held_elsewhere(path) as release:
        with pytest.raises(IndexBusyError, match="is being written by another verifact"):
            build_sharded_index(base_docs, path, fake_embedder, shards=2)
        told = []
        threading.Timer(0.3, release.set).start()
        build_sharded_index(base_docs[:1], path, fake_embedder, shards=2, wait=10,
                            on_wait=told.append)  # fmt: skip
        assert told and "pid" in told[0]
    assert set(load_index(path, embedder=fake_embedder).manifest["documents"]) == {
        base_docs[0].doc_id
    }


def test_index_shards_prints_read_warnings_as_a_plain_index_does(
    tmp_path, fake_embedder, monkeypatch, capsys
):
    import verifact.index.embed as embed
    from verifact.app.cli import main

    monkeypatch.setattr(embed, "load_embedder", lambda *a, **k: fake_embedder)
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(BASE_DOCS[0], src / "landmarks.txt")
    data = ("Привет, мир. Это обычный текст о реках и озёрах. " * 20).encode("utf-8")
    (src / "ru.txt").write_bytes(data[:100] + b"\xff\xfe" + data[100:])
    assert main(["index", str(src), "--index", str(tmp_path / "sh"), "--shards", "2"]) == 0
    out, err = capsys.readouterr()
    assert f"Warning: {src / 'ru.txt'}: 2 invalid UTF-8 byte sequence(s) replaced" in err
    assert "Indexed 2 documents (0 skipped, 1 with warnings) into" in out


def test_more_shards_than_documents_and_changing_the_count(tmp_path, fake_embedder, base_docs):
    path = tmp_path / "sh"
    build_sharded_index(base_docs[:2], path, fake_embedder, shards=5)  # some shards empty
    assert (
        sum(1 for s in json.loads((path / "manifest.json").read_text())["shards"] if s["path"]) <= 2
    )
    assert load_index(path, embedder=fake_embedder).search("tower", k=2)
    report = build_sharded_index(base_docs, path, fake_embedder, shards=2)  # re-routes all
    assert len(report.shards) == 2 and report.embedded == report.passages


def test_a_missing_shard_is_named(tmp_path, fake_embedder, base_docs):
    path = tmp_path / "sh"
    build_sharded_index(base_docs, path, fake_embedder, shards=2)
    top = json.loads((path / "manifest.json").read_text())
    shutil.rmtree(path / top["shards"][1]["path"])
    with pytest.raises(IndexCorruptError, match="Shard 's01'"):
        load_index(path, embedder=fake_embedder)


class _Flaky:
    """A shard backend whose shard ``down`` does not answer."""

    def __init__(self, inner, down):
        self.inner, self.down = inner, down
        self.names = inner.names

    def call(self, method, args):
        out = self.inner.call(method, {n: a for n, a in args.items() if n != self.down})
        if self.down in args:
            out[self.down] = ConnectionError("its actor died")
        return out


def test_unreachable_shard_fails_with_one_line_or_answers_partial(
    tmp_path, fake_embedder, base_docs
):
    path = tmp_path / "sh"
    build_sharded_index(base_docs, path, fake_embedder, shards=2)
    index = load_index(path, embedder=fake_embedder)
    index.shards = _Flaky(index.shards, "s01")
    with pytest.raises(ShardUnavailableError, match="Shard 's01' .* unreachable") as e:
        index.search("tower", k=3)
    assert "\n" not in str(e.value)
    index.allow_partial = True
    hits = index.search("Where is the Eiffel Tower?", k=5)
    assert index.last_missing == ("s01",)
    assert all(shard_of(h.passage.doc_id, 2) == 0 for h in hits)
    from verifact.app.chat import ChatService

    chat = ChatService(index)
    chat.index.shards = index.shards
    reply = chat.ask("Where is the Eiffel Tower?", 3)
    assert reply["partial"] is True and reply["missing_shards"] == ["s01"]
    assert "Partial answer" in chat.reply("Where is the Eiffel Tower?", 3)


def test_each_thread_sees_the_shards_its_own_last_search_missed(tmp_path, fake_embedder, base_docs):
    """The chat answers requests on several threads: a complete answer on one must not clear
    the "partial" mark of an answer another thread is about to send."""
    import threading

    path = tmp_path / "sh"
    build_sharded_index(base_docs, path, fake_embedder, shards=2)
    index = load_index(path, embedder=fake_embedder, allow_partial=True)
    flaky, whole = _Flaky(index.shards, "s01"), index.shards
    index.shards = flaky
    index.search("tower", k=3)
    assert index.last_missing == ("s01",)
    seen = []

    def other():
        seen.append(index.last_missing)  # nothing searched on this thread yet
        index.shards = whole
        index.search("tower", k=3)
        seen.append(index.last_missing)

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen == [(), ()] and index.last_missing == ("s01",)


def test_the_chat_reloads_a_sharded_index_rebuilt_by_another_writer(
    tmp_path, fake_embedder, base_docs
):
    from verifact.app.chat import ChatService

    path, added = tmp_path / "sh", base_docs[0].doc_id
    build_sharded_index(base_docs[1:], path, fake_embedder, shards=2)
    chat = ChatService(load_index(path, embedder=fake_embedder, allow_partial=True))
    locked = chat.index.embedder
    assert added not in chat.index.manifest["documents"]
    build_sharded_index(base_docs, path, fake_embedder, shards=2)  # e.g. verifact index
    chat._checked = 0  # noqa: SLF001 - skip the half-second between two looks
    fresh = chat.current()
    assert added in fresh.manifest["documents"] and added in fresh.documents()
    assert fresh.embedder is locked and fresh.allow_partial  # opened as before
    build_index(base_docs, tmp_path / "one", fake_embedder)
    assert_same_answers(load_index(tmp_path / "one", embedder=fake_embedder), fresh, QUERIES)
    assert added in chat.ask("Where is the Eiffel Tower?", 1)["hits"][0]["passage_id"]


def test_approximate_shards_report_recall_and_search(tmp_path, fake_embedder, base_docs):
    many = [
        replace(d, doc_id=f"{d.doc_id}-{i}", text=f"{d.text} copy {i}.")
        for i in range(40)
        for d in base_docs
    ]
    lines = []
    report = build_sharded_index(
        many,
        tmp_path / "ivf",
        fake_embedder,
        Settings(index_type="ivf-sq8"),
        shards=2,
        log=lines.append,
    )
    assert set(report.recall) == {"s00", "s01"} and all(
        0 < r["recall@10"] <= 1 for r in report.recall.values()
    )
    assert any("recall@10 vs exact" in line for line in lines)
    build_sharded_index(many, tmp_path / "flat", fake_embedder, shards=2)
    approx = load_index(tmp_path / "ivf", embedder=fake_embedder)
    exact = load_index(tmp_path / "flat", embedder=fake_embedder)
    q = "Where is the Eiffel Tower?"
    a, b = approx.search(q, k=3, mode="dense"), exact.search(q, k=3, mode="dense")
    assert a[0].passage.doc_id.startswith("landmarks.txt")
    dense = {h.passage.id: h.scores["dense"] for h in b}
    for h in a:  # exact re-ranking: every score an approximate shard gives is exact
        if h.passage.id in dense:
            assert h.scores["dense"] == pytest.approx(dense[h.passage.id], abs=1e-6)
    with pytest.raises(InputError, match="too small for ivf-pq"):
        build_sharded_index(
            many[:50], tmp_path / "pq", fake_embedder, Settings(index_type="ivf-pq"), shards=1
        )


def test_public_api_opens_sharded_indexes(tmp_path, fake_embedder, base_docs):
    build_sharded_index(base_docs, tmp_path / "sh", fake_embedder, shards=2)
    index = verifact.load_index(tmp_path / "sh", embedder=fake_embedder)
    assert index.search("Eiffel Tower", k=1)[0].passage.doc_id == "landmarks.txt"
    with pytest.raises(InputError, match="--ray needs a sharded index"):
        verifact.load_index(tmp_path / "missing", ray="local")


def test_without_ray_the_cluster_flags_say_how_to_install_it(tmp_path, monkeypatch, capsys):
    import sys

    from verifact.app.cli import main
    from verifact.errors import MissingDependencyError
    from verifact.index.cluster import connect

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with pytest.raises(MissingDependencyError, match=r'pip install "verifact\[cluster\]"'):
        connect("local")
    src = str(BASE_DOCS[0])
    assert (
        main(["index", src, "--index", str(tmp_path / "i"), "--shards", "2", "--ray", "local"]) == 1
    )
    assert 'pip install "verifact[cluster]"' in capsys.readouterr().err


def test_sharded_search_in_one_process_never_imports_ray(tmp_path):
    import subprocess
    import sys

    code = f"""
import sys
from verifact.app.cli import main
assert main(["index", {str(BASE_DOCS[0])!r}, "--index", {str(tmp_path / "sh")!r}, "--shards", "2",
             "--quiet"]) == 0
assert main(["ask", "Eiffel Tower", "--index", {str(tmp_path / "sh")!r}, "--json"]) == 0
assert "ray" not in sys.modules, "ray was imported"
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert '"passage_id": "landmarks.txt#0000"' in out.stdout


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--ray", "local"], "--ray needs a sharded index: add --shards N"),
        (["--index-type", "ivf-pq"], "--index-type ivf-pq needs a sharded index"),
        (["--shards", "0"], "Invalid --shards 0"),
    ],
)
def test_index_flag_errors(tmp_path, capsys, argv, message):
    from verifact.app.cli import main

    assert main(["index", str(BASE_DOCS[0]), "--index", str(tmp_path / "i"), *argv]) == 1
    assert message in capsys.readouterr().err


def test_serve_and_ray_on_a_plain_index_are_refused(tmp_path, fake_embedder, base_docs, capsys):
    from verifact.app.cli import main

    build_index(base_docs, tmp_path / "one", fake_embedder)
    assert main(["serve", "--index", str(tmp_path / "one")]) == 1
    assert "is not a sharded index" in capsys.readouterr().err
    assert main(["ask", "tower", "--index", str(tmp_path / "one"), "--ray", "local"]) == 1
    assert "--ray needs a sharded index" in capsys.readouterr().err


def test_seed_evaluation_on_a_sharded_index_equals_one_index(seed_index, real_embedder, tmp_path):
    """The seed questions and claims, the real model: the same figures, shard or not."""
    from verifact.eval.seed import run_seed

    from conftest import SEED_SOURCES

    docs = load_documents([SEED_SOURCES]).documents
    build_sharded_index(docs, tmp_path / "sh", real_embedder, shards=3)
    sharded = load_index(tmp_path / "sh", embedder=real_embedder)
    modes = ("hybrid", "dense", "bm25")
    a = run_seed(seed_index, modes, Settings(), claims=True).results
    b = run_seed(sharded, modes, Settings(), claims=True).results
    assert a["metrics"] == b["metrics"] and a["metrics"]["hybrid"]
    assert a["claims"] == b["claims"]  # "she" / "the bridge" read with the passage before, too
    before = [seed_index.previous_passage(p) for p in seed_index.passages]
    assert sum(p is not None for p in before) > 0
    assert [sharded.previous_passage(p) for p in seed_index.passages] == before
    leads = [seed_index.previous_passage(p, first=True) for p in seed_index.passages]
    assert [sharded.previous_passage(p, first=True) for p in seed_index.passages] == leads
    assert_same_answers(
        seed_index, sharded, ["Primakof visited Kazaan", "When did Putin invite Meshaal?"]
    )


def test_eval_and_chat_open_a_sharded_index(tmp_path, fake_embedder, base_docs, capsys):
    from verifact.app.chat import ChatService

    build_sharded_index(base_docs, tmp_path / "sh", fake_embedder, shards=2)
    chat = ChatService(load_index(tmp_path / "sh", embedder=fake_embedder))
    assert "landmarks.txt" in chat.ask("Where is the Eiffel Tower?", 1)["hits"][0]["passage_id"]
    assert "Eiffel" in chat.reply("Where is the Eiffel Tower?", 1)
    assert dict(chat.document_choices()).values()
    assert chat.examples() and "6** passages" in chat.info_markdown()
    with pytest.raises(InputError, match="Uploads go into a single index"):
        chat.add_files([str(BASE_DOCS[0])])
