"""Soak test: 20 chat clients ask and check while uploads and CLI re-indexes change the index.

    python eval/soak.py [--seconds 60] [--clients 20] [--out eval/results/soak.json]

Builds the shipped corpus plus tests/data/chat into a temp index with the bundled model, serves
the chat on 127.0.0.1 (a free port, in this process), and for ``--seconds``:
  - ``--clients`` gradio_client clients each loop over /ask and /check with known questions,
    checking that every reply is for its own question;
  - an uploader adds a new file every few seconds through the chat service's upload queue
    (the path the UI's "Add to index" button takes, minus Gradio's file transfer);
  - a writer runs ``python -m verifact index SOURCES --index DIR --wait 300`` every few seconds,
    each time with one more source file.
Then it waits for the last upload and checks that every uploaded and every indexed source
document is in the final index (nothing lost), and reports errors and latency percentiles.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from verifact.config import default_sources_dir

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "Where is the Eiffel Tower?",
    "How long is the Great Wall of China?",
    "What is the largest planet in the solar system?",
    "When did Putin invite Meshaal to Moscow?",
    "Which Soviet agency funded anti-Western militant groups?",
    "When did Meshaal meet Dmitry Medvedev?",
]
CLAIMS = [
    "Putin invited Meshaal to Moscow in 2008.",
    "The Eiffel Tower was completed in 1889.",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--out", default=str(ROOT / "eval" / "results" / "soak.json"))
    args = ap.parse_args(argv)

    from gradio_client import Client

    from verifact.app.ui import launch
    from verifact.index.embed import load_embedder
    from verifact.index.store import build_index
    from verifact.ingest.readers import load_documents
    from verifact.search.search import load_index

    work = Path(tempfile.mkdtemp(prefix="verifact-soak-"))
    sources = work / "sources"
    shutil.copytree(default_sources_dir(), sources)
    for p in (ROOT / "tests" / "data" / "chat").iterdir():
        if p.is_file():
            shutil.copy(p, sources / p.name)
    index_dir = work / "index"
    embedder = load_embedder("default")
    build_index(load_documents([sources]).documents, index_dir, embedder)
    port = free_port()
    demo = launch(load_index(index_dir, embedder=embedder), port=port, block=False)
    service, url = demo.service, f"http://127.0.0.1:{port}/"

    stop = threading.Event()
    lock = threading.Lock()
    latency: dict[str, list[float]] = {"ask": [], "check": []}
    errors: list[str] = []
    uploaded: list[str] = []  # document ids the uploader added
    jobs: list[int] = []
    cli_runs: list[tuple[int, str]] = []  # (exit code, stderr tail)

    def client(w: int) -> None:
        try:
            c = Client(url, verbose=False)
        except Exception as e:  # noqa: BLE001 - counted and reported
            with lock:
                errors.append(f"client {w} connect: {type(e).__name__}: {e}")
            return
        i = w
        while not stop.is_set():
            i += 1
            kind = "check" if i % 4 == 0 else "ask"
            text = CLAIMS[i % len(CLAIMS)] if kind == "check" else QUESTIONS[i % len(QUESTIONS)]
            t0 = time.perf_counter()
            try:
                reply = c.predict(text, 3, "hybrid", api_name=f"/{kind}")
                ok = reply.get("query" if kind == "ask" else "claim") == text
                with lock:
                    latency[kind].append(time.perf_counter() - t0)
                    if not ok:
                        errors.append(f"client {w}: reply for another {kind}: {text!r}")
            except Exception as e:  # noqa: BLE001
                with lock:
                    errors.append(f"client {w} {kind}: {type(e).__name__}: {str(e)[:200]}")

    def uploader() -> None:
        n = 0
        while not stop.wait(4.0):
            n += 1
            f = work / "incoming" / f"soak-note-{n}.txt"
            f.parent.mkdir(exist_ok=True)
            f.write_text(
                f"Soak note {n}. Field notes number {n} describe herons, kelp and tides. " * 20
            )
            with lock:
                jobs.append(service.submit_upload([f]))
                uploaded.append(f"uploads/{f.name}")

    def cli_writer() -> None:
        n = 0
        while not stop.wait(7.0):
            n += 1
            (sources / f"cli-source-{n}.txt").write_text(
                f"CLI source {n}. Beavers build dams number {n} across small rivers. " * 20
            )
            proc = subprocess.run(
                [sys.executable, "-m", "verifact", "index", str(sources), "--index",
                 str(index_dir), "--wait", "300", "--quiet"],
                capture_output=True, text=True, cwd=ROOT,
            )  # fmt: skip
            with lock:
                cli_runs.append((proc.returncode, proc.stderr.strip()[-300:]))

    threads = [threading.Thread(target=client, args=(w,)) for w in range(args.clients)]
    threads += [threading.Thread(target=uploader), threading.Thread(target=cli_writer)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join(timeout=600)
    elapsed = time.perf_counter() - t0
    for job_id in jobs:
        job = service.wait_for(job_id, timeout=600)
        if job.state != "done" or "Added 1 document" not in job.message:
            errors.append(f"upload job {job_id}: {job.state}: {job.message[:200]}")
    service.reload()
    final = set(service.index.manifest["documents"])
    expected_sources = {p.name for p in sources.iterdir() if p.is_file()}
    lost = sorted((set(uploaded) | expected_sources) - final)
    missing_files = [d for d in uploaded if not (index_dir / d).is_file()]
    demo.close()

    result = {
        "seconds": round(elapsed, 1),
        "clients": args.clients,
        "requests": {k: len(v) for k, v in latency.items()},
        "latency_s": {
            k: {
                "p50": round(statistics.median(v), 3) if v else None,
                "p95": round(percentile(v, 0.95), 3) if v else None,
                "max": round(max(v), 3) if v else None,
            }
            for k, v in latency.items()
        },
        "errors": errors,
        "uploads": len(uploaded),
        "cli_reindexes": len(cli_runs),
        "cli_failures": [r for r in cli_runs if r[0] != 0],
        "documents_in_final_index": len(final),
        "documents_lost": lost,
        "upload_files_missing": missing_files,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(
        f"{elapsed:.0f} s, {args.clients} clients: {result['requests']['ask']} asks "
        f"(p50 {result['latency_s']['ask']['p50']} s, p95 {result['latency_s']['ask']['p95']} s), "
        f"{result['requests']['check']} checks (p50 {result['latency_s']['check']['p50']} s, "
        f"p95 {result['latency_s']['check']['p95']} s); {len(uploaded)} uploads, "
        f"{len(cli_runs)} CLI re-indexes ({len(result['cli_failures'])} failed); "
        f"{len(errors)} errors; documents lost: {lost or 'none'}"
    )
    print(f"Wrote {out}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if not errors and not lost and not missing_files and not result["cli_failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
