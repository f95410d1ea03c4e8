"""Index: FAISS oracle, round trip, incremental == full rebuild, atomic writes, clear errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from verifact.errors import IndexCorruptError, IndexMismatchError, IndexNotFoundError
from verifact.index.store import build_index, load_index_data, make_faiss
from verifact.ingest.readers import load_documents
from verifact.search.search import load_index
from verifact.types import Document

from conftest import BASE_DOCS, DATA
from helpers import lock_held_elsewhere


def docs_from(*paths):
    return load_documents(list(paths)).documents


@pytest.mark.parametrize("index_type", ["flat", "hnsw"])
def test_faiss_matches_numpy_brute_force(index_type):
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(500, 32)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    queries = vecs[:20] + 0.1 * rng.normal(size=(20, 32)).astype(np.float32)
    index = make_faiss(vecs, index_type)
    _, ids = index.search(queries, 5)
    expected = np.argsort(-(queries @ vecs.T), axis=1)[:, :5]
    if index_type == "flat":
        assert (ids == expected).all()
    else:  # approximate: top-1 must agree on this easy set
        assert (ids[:, 0] == expected[:, 0]).mean() >= 0.95


def test_round_trip_same_hits(tmp_path, fake_embedder):
    docs = docs_from(*BASE_DOCS)
    report = build_index(docs, tmp_path / "idx", fake_embedder)
    assert report.documents == len(docs) and report.embedded == report.passages
    files = sorted(p.name for p in (tmp_path / "idx").iterdir())
    assert files == ["bm25", "documents.jsonl", "manifest.json", "passages.jsonl", "vectors.faiss"]
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    assert manifest["model"] == "fake-bow" and manifest["dim"] == 64
    assert manifest["passage_count"] == report.passages and manifest["normalized"] is True
    a = load_index(tmp_path / "idx", embedder=fake_embedder)
    b = load_index(tmp_path / "idx", embedder=fake_embedder)
    for mode in ("dense", "bm25", "hybrid"):
        ha = a.search("Where is the Eiffel Tower?", k=3, mode=mode)
        hb = b.search("Where is the Eiffel Tower?", k=3, mode=mode)
        assert [h.passage.id for h in ha] == [h.passage.id for h in hb]
        assert ha[0].passage.doc_id == "landmarks.txt"


def _snapshot(path: Path):
    data = load_index_data(path)
    vecs = data.vectors.reconstruct_n(0, data.vectors.ntotal)
    manifest = dict(data.manifest)
    manifest.pop("created_at")
    return data.passages, vecs, manifest, (path / "documents.jsonl").read_text()


def test_incremental_update_equals_full_rebuild(tmp_path, fake_embedder):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("landmarks.txt", "health.md", "space.html"):
        (src / name).write_text((DATA / name).read_text())
    build_index(docs_from(src), tmp_path / "inc", fake_embedder)
    kept = load_index_data(tmp_path / "inc").manifest["documents"]["landmarks.txt"]["passages"]
    # change one file, delete one, add one
    (src / "health.md").write_text("# Vitamins\n\nVitamin D helps bones. It is made in skin.")
    (src / "space.html").unlink()
    (src / "new.txt").write_text("Otters hold hands while sleeping. They live in rivers.")
    report = build_index(docs_from(src), tmp_path / "inc", fake_embedder)
    assert report.removed_documents == 1
    assert report.reused == kept >= 2  # landmarks.txt kept its passages and vectors
    assert report.embedded == report.passages - kept
    build_index(docs_from(src), tmp_path / "full", fake_embedder, incremental=False)
    inc, full = _snapshot(tmp_path / "inc"), _snapshot(tmp_path / "full")
    assert inc[0] == full[0]
    np.testing.assert_array_equal(inc[1], full[1])
    assert inc[2] == full[2] and inc[3] == full[3]


def test_a_changed_embedder_reembeds_everything_and_says_why(tmp_path, fake_embedder):
    first = build_index(docs_from(DATA / "landmarks.txt"), tmp_path / "idx", fake_embedder)
    assert first.reembed_reason == ""
    again = build_index(docs_from(DATA / "landmarks.txt"), tmp_path / "idx", fake_embedder)
    assert again.reused == again.passages and again.reembed_reason == ""
    fake_embedder.version = "fake/2"  # e.g. another ONNX export recipe: other vectors
    changed = build_index(docs_from(DATA / "landmarks.txt"), tmp_path / "idx", fake_embedder)
    assert changed.reused == 0 and changed.embedded == changed.passages
    assert changed.reembed_reason == "the embedder changed ('' -> 'fake/2')"


def test_bm25s_debug_lines_stay_quiet(caplog):
    import logging

    from verifact.index.bm25 import BM25Index

    with caplog.at_level(logging.DEBUG):  # as where an app configures logging (the chat)
        BM25Index.build(["Otters live in rivers.", "Beavers build dams."])
    assert not [r for r in caplog.records if r.name.startswith("bm25s")]


def test_hidden_imports_take_the_fallback_then_come_back():
    from verifact.imports import hidden

    sys.modules.pop("colorsys", None)
    with hidden("colorsys", "json"):  # json is imported already: never hidden
        with pytest.raises(ImportError):
            import colorsys  # noqa: F401
        import json as again
    assert again is json
    import colorsys  # noqa: F401, F811


def test_bm25s_is_imported_without_numba_or_scipy():
    # the eval extra installs both; bm25s would import them for backends verifact never uses
    code = (
        "import sys; from verifact.index.bm25 import BM25Index; "
        "i = BM25Index.build(['Otters live in rivers.', 'Beavers build dams.']); "
        "print(float(i.scores('otters')[0]) > 0, 'numba' in sys.modules, "
        "'scipy.sparse' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "False"]


def test_incremental_with_real_model_matches_rebuild(tmp_path, real_embedder):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text((DATA / "landmarks.txt").read_text())
    build_index(docs_from(src), tmp_path / "inc", real_embedder)
    (src / "b.md").write_text((DATA / "health.md").read_text())
    build_index(docs_from(src), tmp_path / "inc", real_embedder)
    build_index(docs_from(src), tmp_path / "full", real_embedder, incremental=False)
    inc, full = _snapshot(tmp_path / "inc"), _snapshot(tmp_path / "full")
    assert inc[0] == full[0] and inc[2] == full[2]
    np.testing.assert_array_equal(inc[1], full[1])  # int8 embeds each text alone: exact


def test_mismatched_model_is_refused(tmp_path, fake_embedder):
    build_index(docs_from(*BASE_DOCS), tmp_path / "idx", fake_embedder)
    with pytest.raises(IndexMismatchError, match="built with model 'fake-bow'"):
        load_index_data(tmp_path / "idx", embedder_name="all-MiniLM-L6-v2")


@pytest.mark.parametrize(
    "damage, error, message",
    [
        (lambda p: (p / "manifest.json").write_text("{not json"), IndexCorruptError, "manifest"),
        (lambda p: (p / "vectors.faiss").unlink(), IndexCorruptError, "missing"),
        (
            lambda p: (p / "passages.jsonl").write_text(
                (p / "passages.jsonl").read_text().split("\n", 1)[1]
            ),
            IndexCorruptError,
            "passages.jsonl does not match the SHA-256",
        ),
        (lambda p: (p / "vectors.faiss").write_bytes(b"garbage"), IndexCorruptError, "damaged"),
        (lambda p: (p / "manifest.json").unlink(), IndexNotFoundError, "no verifact index"),
    ],
)
def test_damaged_index_fails_with_rebuild_hint(tmp_path, fake_embedder, damage, error, message):
    path = tmp_path / "idx"
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    damage(path)
    with pytest.raises(error, match=message) as e:
        load_index_data(path)
    assert "verifact index" in str(e.value) and str(path) in str(e.value)


def test_missing_index_dir(tmp_path):
    with pytest.raises(IndexNotFoundError, match="does not exist"):
        load_index_data(tmp_path / "nope")
    assert list(tmp_path.iterdir()) == []  # a reader leaves nothing behind, not even a lock


def test_recovers_from_crash_between_renames(tmp_path, fake_embedder):
    path = tmp_path / "idx"
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    os.rename(path, tmp_path / ".idx.old-99999")  # the state a crash mid-swap leaves
    assert load_index_data(path).manifest["model"] == "fake-bow"


SLOW_BUILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {tests!r})
    from conftest import FakeEmbedder
    from verifact.index.store import build_index
    from verifact.types import Document

    class Slow(FakeEmbedder):
        def embed_passages(self, texts, progress=False):
            print("embedding", flush=True)
            time.sleep(0.2)
            return super().embed_passages(texts)

    docs = [Document(doc_id=f"d{{i}}", text=" ".join(["word"] * 300), source="x")
            for i in range(400)]
    build_index(docs, {path!r}, Slow())
    """
)


def test_killed_build_leaves_previous_index_intact(tmp_path, fake_embedder):
    path = tmp_path / "idx"
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    before = load_index(path, embedder=fake_embedder).search("Eiffel Tower", k=1)[0].passage.id
    code = SLOW_BUILD.format(tests=str(Path(__file__).parent), path=str(path))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "embedding"  # mid-build
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    index = load_index(path, embedder=fake_embedder)
    assert index.manifest["document_count"] == len(docs_from(*BASE_DOCS))
    assert index.search("Eiffel Tower", k=1)[0].passage.id == before
    # the next build cleans the dead build's temp directory
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    assert not list(tmp_path.glob(".idx.tmp-*"))


def test_duplicate_ids_and_empty_input_are_input_errors(tmp_path, fake_embedder):
    from verifact.errors import InputError

    d = Document(doc_id="same", text="x y z.", source="s")
    with pytest.raises(InputError, match="Duplicate document id 'same'"):
        build_index([d, d], tmp_path / "i", fake_embedder)
    with pytest.raises(InputError, match="No documents"):
        build_index([], tmp_path / "i", fake_embedder)


# --- integrity: checksums, manifest checks, verify-index ---------------------------------------


def _flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x40
    path.write_bytes(bytes(data))


def test_a_flipped_byte_in_the_vectors_is_caught_at_load(tmp_path, fake_embedder):
    path = tmp_path / "idx"
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    size = (path / "vectors.faiss").stat().st_size
    _flip_byte(path / "vectors.faiss", size - 1)  # the last float's exponent: FAISS loads it
    with pytest.raises(IndexCorruptError, match="vectors.faiss does not match the SHA-256"):
        load_index(path, embedder=fake_embedder)


def test_an_edited_number_in_passages_is_caught(tmp_path, fake_embedder):
    path = tmp_path / "idx"
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    text = (path / "passages.jsonl").read_text()
    assert "1889" in text
    (path / "passages.jsonl").write_text(text.replace("1889", "1899"))  # same length
    with pytest.raises(IndexCorruptError, match="passages.jsonl does not match") as e:
        load_index(path, embedder=fake_embedder)
    assert "\n" not in str(e.value)


def _without_checksums(path: Path) -> None:
    manifest = json.loads((path / "manifest.json").read_text())
    del manifest["files"]  # as an index written before checksums were recorded
    (path / "manifest.json").write_text(json.dumps(manifest))


def test_verify_index_checks_what_checksums_cannot(tmp_path, fake_embedder):
    from verifact.index.store import verify_index

    path = tmp_path / "idx"
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    report = verify_index(path)
    assert report.checksums and report.files >= 5 and "is consistent" in report.message()
    _without_checksums(path)
    assert "no checksums recorded" in verify_index(path).message()
    size = (path / "vectors.faiss").stat().st_size
    _flip_byte(path / "vectors.faiss", size - 1)
    load_index_data(path)  # no checksums: loads, but verify-index finds the bad vector
    with pytest.raises(IndexCorruptError, match="vectors.faiss row .* has length"):
        verify_index(path)


def test_verify_index_finds_an_edited_passage_without_checksums(tmp_path, fake_embedder):
    from verifact.index.store import verify_index

    path = tmp_path / "idx"
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    _without_checksums(path)
    text = (path / "passages.jsonl").read_text()
    (path / "passages.jsonl").write_text(text.replace("1889", "1899"))
    with pytest.raises(IndexCorruptError, match="passages.jsonl line .* is not the text"):
        verify_index(path)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda m: m.update(documents=[]), "manifest has documents of type list"),
        (lambda m: m.update(dim=65), "manifest.json says dimension 65, vectors.faiss holds 64"),
        (lambda m: m.update(dim="x"), "bad dim 'x'"),
        (lambda m: next(iter(m["documents"].values())).update(first=3), "starting at passage 3"),
        (lambda m: m.update(passage_count=m["passage_count"] + 1), "documents covering"),
    ],
)
def test_bad_manifests_are_one_line_errors(tmp_path, fake_embedder, edit, message):
    path = tmp_path / "idx"
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    manifest = json.loads((path / "manifest.json").read_text())
    edit(manifest)
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexCorruptError, match=message) as e:
        load_index_data(path, embedder_name="fake-bow", dim=64)
    assert "verifact index" in str(e.value)
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)  # re-indexing repairs it
    assert load_index_data(path).manifest["passage_count"] > 0


def test_a_bad_documents_line_is_one_line_error(tmp_path, fake_embedder):
    path = tmp_path / "idx"
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    _without_checksums(path)
    with open(path / "documents.jsonl", "a") as f:
        f.write("{broken\n")
    data = load_index_data(path)
    with pytest.raises(IndexCorruptError, match="documents.jsonl line 6 is not a JSON object"):
        data.documents()


# --- concurrency: one writer, recovery, readers during a swap ----------------------------------


def test_a_second_writer_fails_with_one_line_or_waits(tmp_path, fake_embedder):
    import threading

    from verifact.errors import IndexBusyError

    path = tmp_path / "idx"
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    with lock_held_elsewhere(path) as release:
        with pytest.raises(IndexBusyError, match="is being written by another verifact"):
            build_index(docs_from(*BASE_DOCS), path, fake_embedder)
        told = []
        threading.Timer(0.3, release.set).start()
        build_index(docs_from(DATA / "landmarks.txt"), path, fake_embedder, wait=10,
                    on_wait=told.append)  # fmt: skip
        assert told and "pid" in told[0]
    assert set(load_index_data(path).manifest["documents"]) == {"landmarks.txt"}


def test_two_cli_writers_never_both_succeed_silently(tmp_path):
    from verifact.index.lock import write_lock

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Otters live in rivers.")
    code = (
        "import sys; sys.path.insert(0, {tests!r}); from conftest import FakeEmbedder; "
        "import verifact.index.embed as e; e.load_embedder = lambda *a, **k: FakeEmbedder(); "
        "from verifact.app.cli import main; sys.exit(main(['index', {src!r}, '--index', "
        "{idx!r}, '--quiet']))"
    ).format(tests=str(Path(__file__).parent), src=str(src), idx=str(tmp_path / "idx"))
    with write_lock(tmp_path / "idx"):  # a writer at work
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "is being written by another verifact" in proc.stderr
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_recovery_restores_the_newest_leftover_and_cleans_the_rest(tmp_path, fake_embedder):
    path = tmp_path / "idx"
    build_index(docs_from(DATA / "landmarks.txt"), path, fake_embedder)
    os.rename(path, tmp_path / ".idx.old-99999")  # older build, high PID
    time.sleep(0.01)
    build_index(docs_from(*BASE_DOCS), path, fake_embedder)
    os.rename(path, tmp_path / ".idx.tmp-11111")  # newer complete build, low PID
    (tmp_path / ".idx.tmp-22222").mkdir()  # an incomplete one
    data = load_index_data(path)
    assert data.manifest["document_count"] == len(docs_from(*BASE_DOCS))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".idx.")) == [".idx.lock"]


def test_a_reader_during_a_swap_waits_and_the_writer_finishes(tmp_path, fake_embedder):
    import threading

    from verifact.index.lock import write_lock

    path = tmp_path / "idx"
    build_index(docs_from(DATA / "landmarks.txt"), path, fake_embedder)
    build_index(docs_from(*BASE_DOCS), tmp_path / "new", fake_embedder)
    got, in_swap = [], threading.Event()

    def writer():  # the two renames of a swap, with a reader arriving between them
        with write_lock(path):
            os.rename(path, tmp_path / ".idx.old-1")
            in_swap.set()
            time.sleep(0.5)
            os.rename(tmp_path / "new", path)  # must not find the old index put back

    t = threading.Thread(target=writer)
    t.start()
    in_swap.wait(5)
    got.append(load_index_data(path))
    t.join()
    assert got[0].manifest["document_count"] == len(docs_from(*BASE_DOCS))
