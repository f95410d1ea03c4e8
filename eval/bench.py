"""Speed benchmark: indexing throughput, query latency per mode, cold start, size, peak memory.

    python eval/bench.py --scifact ../shared/data/scifact/beir            # SciFact (5,183 docs)
    python eval/bench.py --synthetic 100000 --scifact ../shared/data/scifact/beir

Each phase runs in its own process so peak memory (max RSS) is measured per phase. Results
go to eval/results/bench.json (merged per corpus) and a table on stdout. Latency is the median
(p50) and p95 of single queries with the index loaded, embedding of the query included.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from verifact.config import cache_dir

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "bench.json"
CACHE = cache_dir() / "bench"  # $VERIFACT_CACHE/bench, else the user's cache folder
BUILD_KEYS = ("documents", "passages_per_s", "build_s", "build_peak_mib", "backend")


def make_synthetic(beir: Path, n: int, out: Path, seed: int = 13) -> Path:
    """``n`` passages of ~100 words made of real SciFact sentences, shuffled (JSONL docs)."""
    from verifact.index.chunk import sentences

    rng = random.Random(seed)
    pool = []
    with open(beir / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            pool.extend(text[a:b] for a, b in sentences(text))
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            words, parts = 0, []
            while words < 80:  # ~100-word passages that the chunker keeps whole
                s = rng.choice(pool)
                if words + len(s.split()) > 100:
                    continue
                parts.append(s)
                words += len(s.split())
            f.write(json.dumps({"id": f"syn-{i:06d}", "title": "", "text": " ".join(parts)}) + "\n")
    return out


def phase_build(source: str, index_dir: str, backend: str) -> dict:
    from verifact.config import Settings
    from verifact.index.embed import load_embedder
    from verifact.index.store import build_index
    from verifact.ingest.readers import load_documents

    docs = load_documents([source]).documents
    embedder = load_embedder("default", backend=backend)
    t0 = time.perf_counter()
    report = build_index(
        docs, index_dir, embedder, Settings(backend=backend), progress=True, incremental=False
    )
    seconds = time.perf_counter() - t0
    return {
        "documents": report.documents,
        "passages": report.passages,
        "index_type": report.index_type,
        "build_s": round(seconds, 1),
        "passages_per_s": round(report.passages / seconds, 1),
        "backend": embedder.backend,
    }


def phase_query(index_dir: str, queries: list[str], backend: str, k: int) -> dict:
    import faiss

    from verifact.config import Settings
    from verifact.search.search import load_index

    faiss.omp_set_num_threads(1)  # single queries: threads only add overhead (NOTES.md)
    t0 = time.perf_counter()
    index = load_index(index_dir, settings=Settings(backend=backend))
    index.search(queries[0], k=k, mode="dense")  # loads the embedder
    load_s = time.perf_counter() - t0
    out = {"load_s": round(load_s, 2)}
    for mode in ("hybrid", "dense", "bm25"):
        times = []
        for q in queries:
            t = time.perf_counter()
            index.search(q, k=k, mode=mode)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        out[f"{mode}_p50_ms"] = round(statistics.median(times), 2)
        out[f"{mode}_p95_ms"] = round(times[int(0.95 * (len(times) - 1))], 2)
    if index.manifest["index_type"] == "hnsw":
        out.update(hnsw_vs_exact(index, queries, k))
    return out


def hnsw_vs_exact(index, queries: list[str], k: int) -> dict:
    """Recall@k of the HNSW index against exact search on the same vectors, and exact latency."""
    import numpy as np

    from verifact.index.store import make_faiss

    hnsw = index.data.vectors
    exact = make_faiss(hnsw.reconstruct_n(0, hnsw.ntotal), "flat")
    qvecs = index.embedder.embed_queries(queries)
    overlap, times = [], []
    for q in qvecs:
        _, approx_ids = hnsw.search(q[None, :], k)
        t = time.perf_counter()
        _, exact_ids = exact.search(q[None, :], k)
        times.append((time.perf_counter() - t) * 1000)
        overlap.append(len(set(approx_ids[0]) & set(exact_ids[0])) / k)
    return {
        f"hnsw_recall@{k}_vs_exact": round(float(np.mean(overlap)), 4),
        "exact_faiss_p50_ms": round(statistics.median(times), 2),
    }


def run_phase(args: list[str]) -> tuple[dict, float]:
    """Run this script's phase in a child; return its JSON result and its peak RSS in MiB."""
    proc = subprocess.run([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    if proc.returncode:
        raise SystemExit(f"phase {args[:2]} failed with exit code {proc.returncode}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out, out.pop("peak_rss_kib") / 1024


def cold_start(index_dir: str, query: str, backend: str, runs: int = 5) -> float:
    """Median seconds from process start to printed answer of ``verifact ask``."""
    exe = str(Path(sys.executable).with_name("verifact"))
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [exe, "ask", query, "--index", index_dir, "-k", "5", "--backend", backend],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - t)
    return round(statistics.median(times), 2)


def dir_mib(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def load_queries(beir: Path, n: int) -> list[str]:
    with open(beir / "queries.jsonl", encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f][:n]


def bench(name: str, source: Path, beir: Path, backend: str, queries: int, rebuild: bool) -> dict:
    index_dir = CACHE / f"bench-{name}-{backend}"
    result: dict = {"corpus": name, "cpus": os.cpu_count()}
    if rebuild or not (index_dir / "manifest.json").exists():
        if index_dir.exists():
            shutil.rmtree(index_dir)
        build, rss = run_phase(["--phase", "build", str(source), str(index_dir), backend])
        result.update(build, build_peak_mib=round(rss))
    else:
        manifest = json.loads((index_dir / "manifest.json").read_text())
        result.update(
            backend=manifest.get("backend"),
            passages=manifest["passage_count"],
            index_type=manifest["index_type"],
            note="index reused from cache; pass --rebuild to time indexing",
        )
    qs = load_queries(beir, queries)
    qfile = CACHE / "bench-queries.json"
    qfile.write_text(json.dumps(qs))
    query, rss = run_phase(["--phase", "query", str(index_dir), str(qfile), backend])
    result.update(query, query_peak_mib=round(rss))
    result["cold_start_s"] = cold_start(str(index_dir), qs[0], backend)
    result["index_mib"] = dir_mib(index_dir)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--phase", nargs=4, metavar=("PHASE", "A", "B", "BACKEND"), help=argparse.SUPPRESS
    )
    ap.add_argument(
        "--scifact",
        type=Path,
        default=ROOT.parent / "shared/data/scifact/beir",
        help="BEIR SciFact folder (corpus and queries)",
    )
    ap.add_argument(
        "--synthetic",
        type=int,
        default=0,
        help="also benchmark a synthetic corpus of this many passages",
    )
    ap.add_argument("--skip-scifact", action="store_true")
    ap.add_argument("--backend", default="auto", choices=("auto", "onnx", "torch"))
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--rebuild", action="store_true", help="re-time indexing even if cached")
    args = ap.parse_args()
    if args.phase:
        phase, a, b, backend = args.phase
        if phase == "build":
            out = phase_build(a, b, backend)
        else:
            out = phase_query(a, json.loads(Path(b).read_text()), backend, k=10)
        out["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(out))
        return 0
    if not (args.scifact / "corpus.jsonl").is_file():
        print(
            f"Error: SciFact not found at {str(args.scifact)!r}; pass --scifact DIR",
            file=sys.stderr,
        )
        return 1
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    CACHE.mkdir(parents=True, exist_ok=True)
    runs = []
    if not args.skip_scifact:
        runs.append(("scifact", args.scifact / "corpus.jsonl"))
    if args.synthetic:
        src = CACHE / f"synthetic-{args.synthetic}.jsonl"
        if not src.exists():
            make_synthetic(args.scifact, args.synthetic, src)
        runs.append((f"synthetic-{args.synthetic}", src))
    for name, source in runs:
        r = bench(name, source, args.scifact, args.backend, args.queries, args.rebuild)
        r["measured_at"] = time.strftime("%Y-%m-%d %H:%M")
        key = f"{name}/{r.get('backend', args.backend)}"
        if "build_s" not in r and "build_s" in results.get(key, {}):
            # index reused: keep the indexing figures measured when it was built
            old = results[key]
            r = {**{k: old[k] for k in BUILD_KEYS if k in old}, **r}
            r["build_measured_at"] = old.get("build_measured_at", old.get("measured_at"))
        results[key] = r
        print(json.dumps(r, indent=1))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
