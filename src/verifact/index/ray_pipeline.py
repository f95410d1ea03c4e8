"""Index stage on Ray: source paths -> Documents and passage vectors, computed by the cluster.

Two Ray Data pipelines: reading (one task per batch of files, fractional CPUs), then chunking
(tasks) and embedding (an actor pool, one actor per node, each holding the model once). The
driver only lists files, makes document ids unique, decides which documents need embedding
(new or changed ones, per shard) and builds the shard indexes from the vectors the cluster
returns, through ``shards.build_sharded_index`` with a ``PrecomputedEmbedder``: the index is
the one a single process would build from the same vectors.

Each text is embedded alone (``embed.py``), so a vector does not depend on which worker or
batch computed it. Resources are fractional (``READ_CPUS``, ``EMBED_CPUS``) so that a small
cluster (2 nodes of 1 CPU here) always has room for every stage; nodes with GPUs get one
embedding actor per GPU instead.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..config import Settings
from ..ingest.readers import IngestResult, merge_results, read_source, source_files
from ..types import Document
from .cluster import alive_nodes, connect

READ_CPUS = 0.25  # per reading or chunking task
EMBED_CPUS = 0.5  # per embedding actor: half a CPU, so tasks still fit beside it
EMBED_BATCH = 64  # texts per actor call
READ_BATCH = 8  # files per reading task


@dataclass
class PipelineReport:
    """Where the time went (seconds), for the benchmark and ``verifact index --ray``."""

    nodes: int = 0
    actors: int = 0
    gpus: int = 0
    connect_s: float = 0.0
    read_s: float = 0.0
    embed_s: float = 0.0
    texts: int = 0
    stats: dict = field(default_factory=dict)  # Ray Data's per-operator figures

    def to_dict(self) -> dict:
        return asdict(self)


def _read_batch(batch: dict) -> dict:
    """Ray task: files -> one row per document (JSON), per skipped file or per warning."""
    out = {"i": [], "j": [], "doc": [], "skip": [], "warn": []}
    for i, path, rel, named in zip(batch["i"], batch["path"], batch["rel"], batch["named"]):
        result = read_source(Path(str(path)), str(rel), bool(named))
        rows = [(json.dumps(asdict(d)), "", "") for d in result.documents]
        rows += [("", json.dumps(s), "") for s in result.skipped]
        rows += [("", "", json.dumps(w)) for w in result.warnings]
        for j, (doc, skip, warn) in enumerate(rows):
            out["i"].append(int(i))
            out["j"].append(j)
            out["doc"].append(doc)
            out["skip"].append(skip)
            out["warn"].append(warn)
    return {key: np.array(val, dtype=np.int64 if key in ("i", "j") else object)
            for key, val in out.items()}  # fmt: skip


def _to_document(text: str) -> Document:
    d = json.loads(text)
    d["pages"] = tuple(d.get("pages") or ())
    return Document(**d)


def _chunk_batch(batch: dict, settings: Settings) -> dict:
    """Ray task: documents -> the texts the embedder sees for each of their passages."""
    from .chunk import chunk_document
    from .store import embed_text

    texts = []
    for doc in batch["doc"]:
        d = _to_document(str(doc))
        s = settings
        for p in chunk_document(d, s.max_words, s.min_words, s.overlap_sentences):
            texts.append(embed_text(p, s))
    return {"text": np.array(texts, dtype=object)}


class _EmbedActor:
    """Ray actor: the model, loaded once per actor, embedding batches of texts."""

    def __init__(self, model: str, backend: str, threads: int):
        import ray

        from .embed import load_embedder

        self.embedder = None
        if backend in ("auto", "onnx") and not ray.get_gpu_ids():
            try:
                from .embed_onnx import OnnxEmbedder

                self.embedder = OnnxEmbedder(model, threads=threads)
            except Exception:  # noqa: BLE001 - same fallback as load_embedder
                if backend == "onnx":
                    raise
        if self.embedder is None:
            self.embedder = load_embedder(model, backend="torch" if ray.get_gpu_ids() else backend)
            if ray.get_gpu_ids() and hasattr(self.embedder, "model"):
                self.embedder.model.to("cuda")  # a GPU node: sentence-transformers on CUDA

    def __call__(self, batch: dict) -> dict:
        texts = [str(t) for t in batch["text"]]
        return {"text": batch["text"], "vector": self.embedder.embed_passages(texts)}


def _actor_class(model: str, backend: str, threads: int) -> type:
    """``_EmbedActor`` with its arguments built in: Ray then ships no constructor arguments
    through the object store (which it warns about for restartable actors)."""

    class EmbedActor(_EmbedActor):
        def __init__(self):
            super().__init__(model, backend, threads)

    return EmbedActor


def cluster_backend(address: str, backend: str) -> str:
    """The embedding backend the cluster's actors use: "torch" (on CUDA) when its nodes have
    GPUs, else ``backend``. The driver must record the same one in the index manifest, and
    queries must be embedded with it (an index built with int8 ONNX vectors and one built with
    fp16 GPU vectors are different indexes)."""
    ray = connect(address)
    return "torch" if sum(n["Resources"].get("GPU", 0) for n in alive_nodes(ray)) else backend


def read_documents(paths: list[str | Path], address: str, report: PipelineReport) -> IngestResult:
    """``load_documents(paths)``, with the files read by Ray tasks across the cluster."""
    ray = _connect(address, report)
    t0 = time.perf_counter()
    files = source_files(paths)
    items = [
        {"i": i, "path": str(p), "rel": rel, "named": named}
        for i, (p, rel, named) in enumerate(files)
    ]
    ds = ray.data.from_items(items).map_batches(
        _read_batch, batch_size=READ_BATCH, num_cpus=READ_CPUS, batch_format="numpy"
    )
    per_file = [IngestResult() for _ in files]
    for row in sorted(ds.take_all(), key=lambda r: (r["i"], r["j"])):
        target = per_file[int(row["i"])]
        if row["doc"]:
            target.documents.append(_to_document(str(row["doc"])))
        elif row["skip"]:
            target.skipped.append(tuple(json.loads(str(row["skip"]))))
        else:
            target.warnings.append(tuple(json.loads(str(row["warn"]))))
    report.read_s = time.perf_counter() - t0
    report.stats["read"] = _stats(ds)
    return merge_results(per_file, paths)


def embed_documents(
    documents: list[Document], model: str, backend: str, settings: Settings, address: str,
    report: PipelineReport,
) -> dict[str, np.ndarray]:  # fmt: skip
    """Chunk and embed ``documents`` on the cluster: {embedded text: float32 (dim,) vector}."""
    ray = _connect(address, report)
    t0 = time.perf_counter()
    if not documents:
        return {}
    nodes = alive_nodes(ray)
    gpus = int(sum(n["Resources"].get("GPU", 0) for n in nodes))
    cpus_per_node = min(n["Resources"].get("CPU", 1) for n in nodes)
    actors = gpus or len(nodes)
    report.nodes, report.actors, report.gpus = len(nodes), actors, gpus
    docs = ray.data.from_items([{"doc": json.dumps(asdict(d))} for d in documents])
    texts = docs.map_batches(
        _chunk_batch, fn_kwargs={"settings": settings}, batch_size=16, num_cpus=READ_CPUS,
        batch_format="numpy",
    )  # fmt: skip
    resources = {"num_gpus": 1, "num_cpus": 0} if gpus else {"num_cpus": EMBED_CPUS}
    vectors = texts.map_batches(
        _actor_class(model, backend, max(1, int(cpus_per_node))),
        batch_size=EMBED_BATCH,
        compute=ray.data.ActorPoolStrategy(size=actors),  # Ray Data spreads them over nodes
        batch_format="numpy",
        **resources,
    )  # fmt: skip
    table = {}
    for batch in vectors.iter_batches(batch_size=1024, batch_format="numpy"):
        for text, vec in zip(batch["text"], batch["vector"], strict=True):
            table[str(text)] = np.asarray(vec, dtype=np.float32)
    report.embed_s = time.perf_counter() - t0
    report.texts = len(table)
    report.stats["embed"] = _stats(vectors)
    return table


def _connect(address: str, report: PipelineReport):
    t0 = time.perf_counter()
    ray = connect(address)
    report.connect_s += time.perf_counter() - t0
    return ray


def _stats(ds) -> str:
    try:
        return ds.stats()
    except Exception:  # noqa: BLE001 - figures only; never fail a build for them
        return ""
