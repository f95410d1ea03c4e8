"""Cluster benchmark: Ray indexing vs one process, query latency through the Ray fan-out at 100k
and 1M passages, memory and recall of flat / IVF-SQ8 / IVF-PQ shards.

    python eval/bench_cluster.py throughput --docs 1500      # same corpus, both ways, one run
    python eval/bench_cluster.py sentences                   # embed every SciFact sentence once
    python eval/bench_cluster.py synthetic --passages 100000 --shards 2
    python eval/bench_cluster.py synthetic --passages 1000000 --shards 4
    python eval/bench_cluster.py latency --passages 100000 --shards 2 --single
    python eval/bench_cluster.py approx --passages 1000000 --shards 4

The Ray runs use a real two-node cluster on 127.0.0.1 (tests/ray_cluster.py: 1 CPU per node).
Synthetic passages are ~100 words of real SciFact sentences drawn at random; their vectors are
NOT the model's embedding of the passage text: each is the L2-normalised sum of the real
(bundled MiniLM, int8 ONNX) embeddings of its sentences, which keeps the clustered structure of
real embeddings without embedding a million passages on 2 cores (~1.7 hours at 160/s).
Results merge into eval/results/bench_cluster.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))  # ray_cluster: the same two-node cluster as the tests
CACHE = HERE / "cache" / "cluster"
RESULTS = HERE / "results" / "bench_cluster.json"
BEIR = ROOT.parent / "shared" / "data" / "scifact" / "beir"
K = 10


def save(key: str, value: dict) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[key] = {**value, "measured_at": time.strftime("%Y-%m-%d %H:%M")}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps({key: results[key]}, indent=1))


def pct(times: list[float], p: float) -> float:
    s = sorted(times)
    return round(s[int(p * (len(s) - 1))], 2)


def queries(n: int = 200) -> list[str]:
    with open(BEIR / "queries.jsonl", encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f][:n]


# --- indexing throughput ----------------------------------------------------------------------


class _Timed:
    """An embedder wrapper that adds up the seconds spent embedding passages."""

    def __init__(self, inner):
        self.inner, self.seconds = inner, 0.0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def embed_passages(self, texts, progress=False):
        t = time.perf_counter()
        out = self.inner.embed_passages(texts, progress)
        self.seconds += time.perf_counter() - t
        return out


def throughput(n_docs: int, shards: int) -> None:
    from verifact.config import Settings
    from verifact.index.embed import load_embedder
    from verifact.index.ray_pipeline import PipelineReport, embed_documents, read_documents
    from verifact.index.shards import PrecomputedEmbedder, build_sharded_index
    from verifact.ingest.readers import load_documents

    from ray_cluster import ray_cluster

    CACHE.mkdir(parents=True, exist_ok=True)
    src = CACHE / f"scifact-{n_docs}.jsonl"
    with open(BEIR / "corpus.jsonl", encoding="utf-8") as f, open(src, "w") as out:
        for _, line in zip(range(n_docs), f):
            d = json.loads(line)
            out.write(json.dumps({"id": d["_id"], "title": d["title"], "text": d["text"]}) + "\n")
    result: dict = {"documents": n_docs, "shards": shards, "cpus": os.cpu_count()}
    # one process: documents in -> sharded index on disk, 2 ONNX threads
    t0 = time.perf_counter()
    docs = load_documents([src]).documents
    read_s = time.perf_counter() - t0
    emb = _Timed(load_embedder())
    dest = CACHE / "tp-one"
    shutil.rmtree(dest, ignore_errors=True)
    rep = build_sharded_index(docs, dest, emb, Settings(), shards=shards, incremental=False)
    total = time.perf_counter() - t0
    result["one_process"] = {
        "passages": rep.passages,
        "seconds": round(total, 1),
        "passages_per_s": round(rep.passages / total, 1),
        "read_s": round(read_s, 1),
        "embed_s": round(emb.seconds, 1),
        "build_s": round(total - read_s - emb.seconds, 1),  # chunk, FAISS, BM25, term freqs
    }
    with ray_cluster(CACHE) as address:
        import ray

        t0 = time.perf_counter()
        report = PipelineReport()
        got = read_documents([src], address, report)
        table = embed_documents(got.documents, "default", "auto", Settings(), address, report)
        t1 = time.perf_counter()
        dest = CACHE / "tp-ray"
        shutil.rmtree(dest, ignore_errors=True)
        pre = PrecomputedEmbedder(load_embedder(), table)
        rep2 = build_sharded_index(
            got.documents, dest, pre, Settings(), shards=shards, incremental=False
        )
        total = time.perf_counter() - t0
        embed_stats = report.stats.get("embed", "")
        ray.shutdown()
    assert pre.missed == 0 and rep2.passages == rep.passages
    result["ray_2_nodes"] = {
        "passages": rep2.passages,
        "seconds": round(total, 1),
        "passages_per_s": round(rep2.passages / total, 1),
        "connect_s": round(report.connect_s, 1),
        "read_s": round(report.read_s - 0, 1),
        "chunk_embed_s": round(report.embed_s, 1),
        "driver_build_s": round(total - (t1 - t0), 1),
        "nodes": report.nodes,
        "actors": report.actors,
        "ray_data_embed_stats": _embed_lines(embed_stats),
    }
    save(f"throughput/{n_docs}", result)


def _embed_lines(stats: str) -> list[str]:
    keep = ("Operator ", "Remote wall", "Remote cpu", "Tasks per node")
    return [line.strip() for line in stats.splitlines() if any(k in line for k in keep)][:24]


# --- synthetic corpora from real sentence embeddings ---------------------------------------------


def sentences() -> None:
    from verifact.index.chunk import sentences as split
    from verifact.index.embed import load_embedder

    CACHE.mkdir(parents=True, exist_ok=True)
    texts = []
    with open(BEIR / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            texts.extend(text[a:b] for a, b in split(text))
    texts = sorted(set(t for t in texts if 3 <= len(t.split()) <= 60))
    emb = load_embedder()
    t0 = time.perf_counter()
    vecs = np.concatenate(
        [emb.embed_passages(texts[i : i + 512]) for i in range(0, len(texts), 512)]
    )
    np.save(CACHE / "sentences.npy", vecs.astype(np.float32))
    (CACHE / "sentences.json").write_text(json.dumps(texts))
    save("sentences", {"sentences": len(texts), "embed_s": round(time.perf_counter() - t0, 1)})


def synthetic_docs(n: int, seed: int = 13):
    """(Documents, {text: vector}) of ``n`` ~100-word passages of random SciFact sentences."""
    from verifact.index.model import normalize
    from verifact.types import Document

    texts = json.loads((CACHE / "sentences.json").read_text())
    vecs = np.load(CACHE / "sentences.npy")
    words = np.array([len(t.split()) for t in texts])
    rng = random.Random(seed)
    docs, table = [], {}
    for i in range(n):
        picked, count = [], 0
        while count < 80:
            j = rng.randrange(len(texts))
            if count + words[j] > 100:
                continue
            picked.append(j)
            count += int(words[j])
        text = " ".join(texts[j] for j in picked)
        docs.append(Document(doc_id=f"syn-{i:07d}", text=text, source="synthetic"))
        table[text] = normalize(vecs[picked].sum(axis=0, keepdims=True))[0]
    return docs, table


def synthetic(n: int, shards: int, single: bool) -> None:
    from verifact.config import Settings
    from verifact.index.embed import load_embedder
    from verifact.index.shards import PrecomputedEmbedder, build_sharded_index
    from verifact.index.store import build_index

    t0 = time.perf_counter()
    docs, table = synthetic_docs(n)
    make_s = time.perf_counter() - t0
    emb = PrecomputedEmbedder(load_embedder(), table)
    dest = CACHE / f"syn-{n}-s{shards}"
    shutil.rmtree(dest, ignore_errors=True)
    t0 = time.perf_counter()
    rep = build_sharded_index(
        docs, dest, emb, Settings(index_type="flat"), shards=shards, log=print
    )
    out = {"passages": rep.passages, "shards": shards, "make_s": round(make_s, 1),
           "build_s": round(time.perf_counter() - t0, 1), "missed_vectors": emb.missed}  # fmt: skip
    if single:
        t0 = time.perf_counter()
        build_index(docs, CACHE / f"syn-{n}-single", emb, Settings(index_type="flat"))
        out["single_build_s"] = round(time.perf_counter() - t0, 1)
    save(f"synthetic/{n}", out)


# --- latency ------------------------------------------------------------------------------


def _latency(index, qs: list[str], mode: str = "hybrid") -> dict:
    index.search(qs[0], k=K, mode=mode)  # warm: embedder and, for Ray, the actors
    times = []
    for q in qs:
        t = time.perf_counter()
        index.search(q, k=K, mode=mode)
        times.append((time.perf_counter() - t) * 1000)
    return {f"{mode}_p50_ms": pct(times, 0.5), f"{mode}_p95_ms": pct(times, 0.95)}


def _fanout_ms(shards, rounds: int = 200) -> dict:
    """A fan-out that does nothing: one ping to every shard and back, per round."""
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        shards.call("ping", {n: () for n in shards.names})
        times.append((time.perf_counter() - t) * 1000)
    return {"noop_fanout_p50_ms": pct(times, 0.5), "noop_fanout_p95_ms": pct(times, 0.95)}


def _ray_latency(n, shards, kind, qs, emb, address) -> dict:
    from verifact.search import load_index
    from verifact.search.ray_serve import stop_index

    path = CACHE / (f"syn-{n}-s{shards}" + ("" if kind == "flat" else f"-{kind}"))
    t0 = time.perf_counter()
    remote = load_index(path, embedder=emb, ray=address)
    remote.shards.wait_ready()
    res = {"actors_start_s": round(time.perf_counter() - t0, 1)}
    for mode in ("hybrid", "dense", "bm25"):
        res.update(_latency(remote, qs, mode))
    res.update(_fanout_ms(remote.shards))
    infos = remote.shards.call("info", {s: () for s in remote.shards.names})
    for key in ("rss_mib", "rss_anon_mib", "rss_file_mib"):
        res[f"actor_{key}"] = [infos[s][key] for s in remote.shards.names]
    res["actor_nodes"] = len({infos[s].get("node") for s in remote.shards.names})
    stop_index(path, address)
    return res


def latency(n: int, shards: int, single: bool, kinds: list[str]) -> None:
    import faiss

    from verifact.index.embed import load_embedder
    from verifact.search import load_index

    from ray_cluster import ray_cluster

    faiss.omp_set_num_threads(1)
    qs = queries(200)
    emb = load_embedder()
    old = json.loads(RESULTS.read_text()).get(f"latency/{n}", {}) if RESULTS.exists() else {}
    out: dict = {**old, "passages": n, "shards": shards, "queries": len(qs), "k": K}
    out.pop("measured_at", None)  # other layouts' figures are kept, with this run's date
    for kind in kinds:
        path = CACHE / (f"syn-{n}-s{shards}" + ("" if kind == "flat" else f"-{kind}"))
        t0 = time.perf_counter()
        local = load_index(path, embedder=emb)
        res = {"load_s": round(time.perf_counter() - t0, 1)}
        for mode in ("hybrid", "dense", "bm25"):
            res.update(_latency(local, qs, mode))
        res["process_rss_mib"] = local.shards.searchers[local.shards.names[0]].info()["rss_mib"]
        out[f"in_process/{kind}"] = res
        del local
    if single:
        one = load_index(CACHE / f"syn-{n}-single", embedder=emb)
        out["single_index/flat"] = {**_latency(one, qs), **_latency(one, qs, "dense")}
        del one
    save(f"latency/{n}", out)  # kept if the Ray part fails
    with ray_cluster(CACHE) as address:
        import ray

        try:
            for kind in kinds:
                out[f"ray/{kind}"] = _ray_latency(n, shards, kind, qs, emb, address)
        finally:
            ray.shutdown()  # disconnect before the nodes stop
    save(f"latency/{n}", out)


# --- approximate shards -------------------------------------------------------------------


def approx(n: int, shards: int, reuse: bool) -> None:
    import faiss

    from verifact.config import write_json_atomic
    from verifact.index.approx import build_approx, nprobe_for, recall_at_k
    from verifact.index.embed import load_embedder
    from verifact.index.shards import EXTRA
    from verifact.index.store import load_index_data
    from verifact.search import load_index

    faiss.omp_set_num_threads(1)
    flat = CACHE / f"syn-{n}-s{shards}"
    out: dict = {"passages": n, "shards": shards}
    emb = load_embedder()
    qs = queries(300)
    exact = load_index(flat, embedder=emb)
    truth = [[h.passage.id for h in hits] for hits in exact.search_many(qs, k=K, mode="dense")]
    out["flat"] = {"vector_mib_per_shard": None}
    sizes = []
    for s in json.loads((flat / "manifest.json").read_text())["shards"]:
        sizes.append(round((flat / s["path"] / "vectors.faiss").stat().st_size / 2**20, 1))
    out["flat"]["vector_mib_per_shard"] = sizes
    del exact
    for kind in ("ivf-sq8", "ivf-pq"):
        dest = CACHE / f"syn-{n}-s{shards}-{kind}"
        if not reuse:
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(flat, dest, copy_function=os.link)  # hard links: files are read-only
        top = json.loads((dest / "manifest.json").read_text())
        res = {"train_s": [], "vector_mib_per_shard": [], "passage_vector_recall@10": []}
        for s in top["shards"]:
            data = load_index_data(dest / s["path"])
            vecs = data.vectors.reconstruct_n(0, data.vectors.ntotal)
            t0 = time.perf_counter()
            target = dest / (s["path"] + EXTRA) / "ivf.faiss"
            if reuse:  # the trained index of an earlier run, with today's nprobe rule
                ivf = faiss.read_index(str(target))
                ivf.nprobe = nprobe_for(faiss.extract_index_ivf(ivf).nlist)
            else:
                ivf = build_approx(vecs, kind)
                res["train_s"].append(round(time.perf_counter() - t0, 1))
            faiss.write_index(ivf, str(target))
            res["vector_mib_per_shard"].append(round(target.stat().st_size / 2**20, 1))
            s["approx"] = recall_at_k(ivf, data.vectors)
            s["index_type"] = s["index_type_asked"] = kind
            res["passage_vector_recall@10"].append(s["approx"]["recall@10"])
            res["nlist"], res["nprobe"] = s["approx"]["nlist"], s["approx"]["nprobe"]
            del data, vecs, ivf
        if reuse:
            old = json.loads(RESULTS.read_text()).get(f"approx/{n}", {}).get(kind, {})
            res["train_s"] = old.get("train_s", "not re-measured (--reuse)")
        write_json_atomic(dest / "manifest.json", top)  # a new file: the old one is a hard link
        index = load_index(dest, embedder=emb)
        got = [[h.passage.id for h in hits] for hits in index.search_many(qs, k=K, mode="dense")]
        hit = sum(len(set(a) & set(b)) for a, b in zip(truth, got))
        res["claim_recall@10_vs_exact"] = round(hit / sum(len(t) for t in truth), 4)
        res["process_rss_mib"] = index.shards.searchers["s00"].info()["rss_mib"]  # all 4
        out[kind] = res
        del index
    save(f"approx/{n}", out)


def nprobe_sweep(n: int, shards: int, probes: list[int]) -> None:
    """Dense recall@10 against exact search, and time, of the IVF shards at several nprobe."""
    import faiss

    from verifact.index.approx import approx_top
    from verifact.index.embed import load_embedder
    from verifact.index.shards import EXTRA
    from verifact.index.store import load_index_data

    faiss.omp_set_num_threads(1)
    qv = load_embedder().embed_queries(queries(300))
    flat = CACHE / f"syn-{n}-s{shards}"
    top = json.loads((flat / "manifest.json").read_text())["shards"]
    datas = [load_index_data(flat / s["path"], mmap_vectors=True) for s in top]
    truth = []
    for q in qv:  # exact: every shard's top 10, merged
        cand = [(float(d), i, int(r)) for i, x in enumerate(datas)
                for d, r in zip(*[a[0] for a in x.vectors.search(q[None], K)])]  # fmt: skip
        truth.append({(i, r) for _, i, r in sorted(cand, reverse=True)[:K]})
    out: dict = {"passages": n, "shards": shards, "queries": len(qv)}
    for kind in ("ivf-sq8", "ivf-pq"):
        base = CACHE / f"syn-{n}-s{shards}-{kind}"
        ivfs = [faiss.read_index(str(base / (s["path"] + EXTRA) / "ivf.faiss")) for s in top]
        for nprobe in probes:
            for ivf in ivfs:
                ivf.nprobe = nprobe
            found, t0 = 0, time.perf_counter()
            for q, gold in zip(qv, truth):
                cand = []
                for i, (ivf, x) in enumerate(zip(ivfs, datas)):
                    rows, sc = approx_top(ivf, x.vectors, q, 100)
                    cand += [(float(d), i, int(r)) for d, r in zip(sc[:K], rows[:K])]
                found += len(gold & {(i, r) for _, i, r in sorted(cand, reverse=True)[:K]})
            ms = (time.perf_counter() - t0) * 1000 / len(qv)
            out[f"{kind}/nprobe{nprobe}"] = {
                "claim_recall@10": round(found / (K * len(qv)), 4),
                "dense_ms_per_query_all_shards": round(ms, 2),
            }
    save(f"nprobe/{n}", out)


def real_vectors() -> None:
    """IVF-SQ8 / IVF-PQ recall on real model embeddings: the 44k SciFact sentence vectors
    (each the model's own embedding of that sentence), 300 SciFact claims as queries."""
    import faiss

    from verifact.index.approx import approx_top, build_approx, recall_at_k
    from verifact.index.embed import load_embedder
    from verifact.index.store import make_faiss

    faiss.omp_set_num_threads(1)
    vecs = np.load(CACHE / "sentences.npy")
    exact = make_faiss(vecs, "flat")
    qv = load_embedder().embed_queries(queries(300))
    _, truth = exact.search(qv, K)
    out: dict = {"vectors": len(vecs), "queries": len(qv)}
    for kind in ("ivf-sq8", "ivf-pq"):
        ivf = build_approx(vecs, kind)
        got = [approx_top(ivf, exact, q, 100)[0][:K] for q in qv]
        hits = sum(len(set(t) & set(g)) for t, g in zip(truth, got))
        out[kind] = {
            "claim_recall@10": round(hits / (K * len(qv)), 4),
            **recall_at_k(ivf, exact),  # the figure a build prints: passage vectors as queries
        }
    save("real_vectors", out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    phases = ("throughput", "sentences", "synthetic", "latency", "approx", "nprobe", "real")
    ap.add_argument("phase", choices=phases)
    ap.add_argument("--probes", default="16,32,64,128,256", help="nprobe: comma list")
    ap.add_argument("--reuse", action="store_true", help="approx: keep trained IVF files")
    ap.add_argument("--docs", type=int, default=1500)
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--single", action="store_true", help="also a single index, for comparison")
    ap.add_argument("--kinds", default="flat", help="latency: comma list of flat,ivf-sq8,ivf-pq")
    args = ap.parse_args()
    if args.phase == "throughput":
        throughput(args.docs, args.shards)
    elif args.phase == "sentences":
        sentences()
    elif args.phase == "synthetic":
        synthetic(args.passages, args.shards, args.single)
    elif args.phase == "latency":
        latency(args.passages, args.shards, args.single, args.kinds.split(","))
    elif args.phase == "real":
        real_vectors()
    elif args.phase == "nprobe":
        nprobe_sweep(args.passages, args.shards, [int(p) for p in args.probes.split(",")])
    else:
        approx(args.passages, args.shards, args.reuse)
    return 0


if __name__ == "__main__":
    sys.exit(main())
