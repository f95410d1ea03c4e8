"""A real two-node Ray cluster on 127.0.0.1: sharded builds on the cluster, shards served by
named actors, answers equal to one index, and a shard actor killed mid-run.

The cluster (``ray_cluster``) is two ``ray start`` processes with their own ports and temp dir,
stopped by PID at the end. The corpus is the first ``SUBSET`` SciFact abstracts (the tiny test
corpus where SciFact is absent); the slow test does all 5,183.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

from verifact.app.cli import main
from verifact.errors import ShardUnavailableError
from verifact.index.chunk import chunk_document
from verifact.index.shards import PrecomputedEmbedder, build_sharded_index
from verifact.index.store import build_index, embed_text, load_index_data
from verifact.ingest.readers import load_documents
from verifact.search import load_index

from conftest import BASE_DOCS, SCIFACT, needs_shared
from ray_cluster import ray_cluster
from sharding import (
    assert_same_answers,
    assert_same_verdicts,
    scifact_docs,
    scifact_queries,
    write_jsonl,
)

ray = pytest.importorskip("ray", reason='needs the cluster extra: pip install "verifact[cluster]"')

SUBSET = 300
QUERIES = 100


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with ray_cluster(tmp_path_factory.mktemp("ray")) as address:
        yield address
        ray.shutdown()  # this process disconnects before its nodes stop


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    if SCIFACT.is_dir():
        return write_jsonl(scifact_docs(SUBSET), root / "scifact.jsonl"), scifact_queries(QUERIES)
    for p in BASE_DOCS:
        shutil.copy(p, root / p.name)
    return root, ["Where is the Eiffel Tower?", "moons of Mars", "vitamin C colds"]


def _vectors_of(index_dir, settings=None):
    """{embedded text: vector} of every shard of a sharded index."""
    from verifact.config import Settings

    settings = settings or Settings()
    top = json.loads((index_dir / "manifest.json").read_text())
    table = {}
    for s in top["shards"]:
        if s["path"]:
            data = load_index_data(index_dir / s["path"])
            vecs = data.vectors.reconstruct_n(0, data.vectors.ntotal)
            table.update(zip((embed_text(p, settings) for p in data.passages), vecs))
    return table


@pytest.fixture(scope="module")
def built(cluster, corpus, tmp_path_factory, real_embedder, capsys_module=None):
    """A 2-shard index built on the cluster, then a single index and a 3-shard index of the
    same corpus from the same vectors (embedding once keeps the test short)."""
    root = tmp_path_factory.mktemp("built")
    source, queries = corpus
    sh2 = root / "sh2"
    argv = ["index", str(source), "--index", str(sh2), "--shards", "2", "--ray", cluster]
    assert main([*argv, "--quiet"]) == 0
    docs = load_documents([source]).documents
    table = _vectors_of(sh2)
    emb = PrecomputedEmbedder(real_embedder, table)
    build_index(docs, root / "one", emb)
    build_sharded_index(docs, root / "sh3", emb, shards=3)
    assert emb.missed == 0  # every passage got its vector from the cluster
    return {"root": root, "docs": docs, "queries": queries, "table": table}


def test_cluster_vectors_equal_one_process(built, real_embedder):
    from verifact.config import Settings

    doc = built["docs"][0]
    texts = [embed_text(p, Settings()) for p in chunk_document(doc, 100, 30, 1)]
    local = real_embedder.embed_passages(texts)
    assert np.allclose(np.stack([built["table"][t] for t in texts]), local, atol=1e-6)


def test_the_read_pipeline_gives_what_load_documents_gives(cluster, tmp_path):
    """Documents, skipped files and read warnings (bad bytes, another encoding), in order."""
    from verifact.index.ray_pipeline import PipelineReport, read_documents

    for p in BASE_DOCS:
        shutil.copy(p, tmp_path / p.name)
    text = "Привет, мир. Это обычный текст о реках и озёрах. " * 20
    data = text.encode("utf-8")
    (tmp_path / "damaged.txt").write_bytes(data[:100] + b"\xff\xfe" + data[100:])
    (tmp_path / "cp1251.txt").write_bytes(text.encode("cp1251"))
    (tmp_path / "empty.md").write_text("   \n")
    (tmp_path / "lines.jsonl").write_text('{"id": "a", "text": "Otters float."}\nnot json\n')
    expected = load_documents([tmp_path])
    assert len(expected.warnings) == 2 and len(expected.skipped) == 2  # the cases are real
    assert read_documents([tmp_path], cluster, PipelineReport()) == expected


@pytest.mark.parametrize("name", ["sh2", "sh3"])
def test_ray_served_shards_answer_exactly_as_one_index(built, cluster, real_embedder, name):
    single = load_index(built["root"] / "one", embedder=real_embedder)
    sharded = load_index(built["root"] / name, embedder=real_embedder, ray=cluster)
    assert_same_answers(single, sharded, built["queries"])
    assert_same_verdicts(single, sharded, built["queries"][:25])
    in_process = load_index(built["root"] / name, embedder=real_embedder)
    assert_same_answers(single, in_process, built["queries"][:20], ks=(5,))


def _cli(*argv, timeout=240) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "verifact", *argv]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def test_cli_serve_then_ask_reuses_the_actors(built, cluster):
    sh2 = str(built["root"] / "sh2")
    first = _cli("serve", "--index", sh2, "--ray", cluster)
    assert first.returncode == 0, first.stderr
    names = sorted(line.strip() for line in first.stdout.splitlines() if "verifact:" in line)
    assert len(names) == 2
    q = built["queries"][0]
    remote = _cli("ask", q, "--index", sh2, "--ray", cluster, "--json", "-k", "3")
    local = _cli("ask", q, "--index", str(built["root"] / "one"), "--json", "-k", "3")
    assert remote.returncode == 0, remote.stderr
    a, b = json.loads(remote.stdout), json.loads(local.stdout)
    assert [h["passage_id"] for h in a["hits"]] == [h["passage_id"] for h in b["hits"]]
    assert "partial" not in a
    listed = ray.util.list_named_actors(all_namespaces=True)
    assert sorted(x["name"] for x in listed if x["name"] in names) == names  # reused, not new


def test_a_killed_shard_actor_is_restarted_and_answers_again(built, cluster, real_embedder):
    index = load_index(built["root"] / "sh2", embedder=real_embedder, ray=cluster)
    queries = built["queries"][:10]
    before = index.search_many(queries, k=5)
    handle = index.shards.handles["s01"]
    ray.kill(handle, no_restart=False)  # the actor process dies; Ray starts it again
    deadline, after = time.time() + 120, None
    while after is None:
        try:
            after = index.search_many(queries, k=5)
        except ShardUnavailableError as e:  # the call that met the dead actor names it
            assert "Shard 's01'" in str(e) and "\n" not in str(e)
            assert time.time() < deadline, "the shard actor did not come back"
            time.sleep(1)
    assert after == before


def _kill_for_good(handle, timeout: float = 60) -> None:
    """``ray.kill`` returns before the actor is gone (a call right after it can still be
    answered): wait until a call to it fails."""
    ray.kill(handle, no_restart=True)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            ray.get(handle.call.remote("ping"), timeout=10)
        except ray.exceptions.RayActorError:
            return
        except ray.exceptions.GetTimeoutError:
            continue
        time.sleep(0.2)
    raise AssertionError("the killed shard actor still answers")


def test_a_shard_that_stays_down_fails_by_name_or_answers_partial(built, cluster, real_embedder):
    index = load_index(built["root"] / "sh2", embedder=real_embedder, ray=cluster)
    q = built["queries"][:5]
    _kill_for_good(index.shards.handles["s00"])
    with pytest.raises(ShardUnavailableError, match="Shard 's00' .*unreachable") as e:
        index.search_many(q, k=5)
    assert "\n" not in str(e.value)
    index.allow_partial = True
    hits = index.search_many(q, k=5)
    assert index.last_missing == ("s00",)
    assert all(h.passage.doc_id in _doc_ids(built, "s01") for hs in hits for h in hs)
    load_index(built["root"] / "sh2", embedder=real_embedder, ray=cluster)  # starts it again


def _doc_ids(built, shard: str) -> set[str]:
    top = json.loads((built["root"] / "sh2" / "manifest.json").read_text())
    path = next(s["path"] for s in top["shards"] if s["name"] == shard)
    return set(
        json.loads((built["root"] / "sh2" / path / "manifest.json").read_text())["documents"]
    )


def test_cli_partial_answer_names_the_missing_shard(built, cluster, tmp_path):
    """A shard whose files cannot be loaded (a lost disk): its actor never starts."""
    broken = tmp_path / "broken"
    shutil.copytree(built["root"] / "sh2", broken)
    top = json.loads((broken / "manifest.json").read_text())
    (broken / (top["shards"][1]["path"] + ".extra") / "tf.npy").unlink()
    q = built["queries"][1]
    fail = _cli("ask", q, "--index", str(broken), "--ray", cluster, "--json")
    assert fail.returncode == 1
    assert fail.stderr.strip().splitlines()[-1].startswith("Error: Shard 's01'")
    ok = _cli("ask", q, "--index", str(broken), "--ray", cluster, "--json", "--allow-partial")
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert out["partial"] is True and out["missing_shards"] == ["s01"] and out["hits"]
    check = _cli("check", q, "--index", str(broken), "--ray", cluster, "--json", "--allow-partial")
    assert json.loads(check.stdout)["missing_shards"] == ["s01"]
    _cli("serve", "--index", str(broken), "--ray", cluster, "--stop")


def test_a_cluster_without_room_for_the_actors_fails_at_once(built, cluster, tmp_path, monkeypatch):
    import verifact.search.ray_serve as rs

    copy = tmp_path / "copy"  # another index: its actors do not exist yet
    shutil.copytree(built["root"] / "sh2", copy)
    monkeypatch.setattr(rs, "SHARD_CPUS", 64.0)  # more than the 2-CPU test cluster has
    t0 = time.monotonic()
    with pytest.raises(ShardUnavailableError, match="CPUs free and the 2 shard actors"):
        load_index(copy, ray=cluster)
    assert time.monotonic() - t0 < 30  # not START_TIMEOUT
    assert not [n for n in rs._named_actors(ray) if n.startswith(f"verifact:{rs.index_key(copy)}")]


def test_ray_local_starts_a_throwaway_instance(built):
    q = built["queries"][2]
    out = _cli("ask", q, "--index", str(built["root"] / "sh3"), "--ray", "local", "--json")
    assert out.returncode == 0, out.stderr
    single = _cli("ask", q, "--index", str(built["root"] / "one"), "--json")
    ids = [[h["passage_id"] for h in json.loads(r.stdout)["hits"]] for r in (out, single)]
    assert ids[0] == ids[1]


def test_reindex_on_the_cluster_is_incremental(built, cluster, corpus, tmp_path):
    source, _ = corpus
    sh2 = built["root"] / "sh2"
    out = subprocess.run(
        [sys.executable, "-m", "verifact", "index", str(source), "--index", str(sh2), "--ray",
         cluster, "--quiet"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert " 0 embedded" in out.stdout and "2 shards" in out.stdout  # --shards kept from before


def _stop_shard_actors(address: str) -> None:
    """Kill every verifact shard actor on the test cluster."""
    from verifact.index.cluster import NAMESPACE, connect

    connect(address)
    for entry in ray.util.list_named_actors(all_namespaces=True):
        if entry["namespace"] == NAMESPACE and entry["name"].startswith("verifact:"):
            ray.kill(ray.get_actor(entry["name"], namespace=NAMESPACE), no_restart=True)


@pytest.fixture
def emptied_cluster(cluster):
    """The cluster without the detached shard actors the other tests leave running (they
    reuse them from test to test). Each holds 0.25 CPU: with five still there, the 2 CPUs
    have room for only three of the five a test of two more indexes starts, and an actor that
    cannot be placed leaves its first call waiting until ray_serve.START_TIMEOUT."""
    _stop_shard_actors(cluster)
    yield cluster
    _stop_shard_actors(cluster)


@pytest.mark.slow
@needs_shared
def test_full_scifact_on_the_cluster_equals_one_index(emptied_cluster, tmp_path, real_embedder):
    """All 5,183 abstracts: 2 and 3 shards built on the cluster vs one index, 300 claims."""
    cluster = emptied_cluster
    source = write_jsonl(scifact_docs(), tmp_path / "scifact.jsonl")
    assert main(["index", str(source), "--index", str(tmp_path / "sh2"), "--shards", "2",
                 "--ray", cluster, "--quiet"]) == 0  # fmt: skip
    docs = load_documents([source]).documents
    emb = PrecomputedEmbedder(real_embedder, _vectors_of(tmp_path / "sh2"))
    build_index(docs, tmp_path / "one", emb)
    build_sharded_index(docs, tmp_path / "sh3", emb, shards=3)
    single = load_index(tmp_path / "one", embedder=real_embedder)
    queries = scifact_queries(300)
    for name in ("sh2", "sh3"):
        sharded = load_index(tmp_path / name, embedder=real_embedder, ray=cluster)
        assert_same_answers(single, sharded, queries, ks=(10,))
        assert_same_verdicts(single, sharded, queries[:50])
