"""Benchmark `verifact check`: per-claim latency with the index loaded, and cold start.

    .venv/bin/python eval/bench_check.py [--data ../shared/data] [--runs 5]

Per-claim latency: each claim checked alone (k=5, hybrid, the shipped stance model), the index
and the models loaded and every claim checked once untimed first; then timed with every claim
parsing its own sentences afresh, and timed as a session checks them (a sentence an earlier
claim parsed is not parsed again). Claims: the seed test and held-out splits on the shipped
corpus and, when the data folder holds SciFact, the first 100 SciFact dev claims on a SciFact
index. Cold start: `verifact check CLAIM` from process start to printed verdict (median of
``--runs``; with ``--runtime-venv DIR`` also from a venv holding verifact alone, as a user's
install without extras has it). Results in eval/results/bench_check.json, with the load average
during the run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from verifact.config import Settings, write_json_atomic
from verifact.search.search import load_index
from verifact.verify.analysis import forget_parses
from verifact.verify.verdict import verify_claims

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "eval" / "seed"


def per_claim(index, claims: list[str], k: int = 5) -> dict:
    """Each claim checked alone, as the chat does, timed twice after an untimed pass over them
    all (models loaded, word vectors and passages' lines cached for every claim, so both timed
    passes start alike): first with every claim parsing its own sentences afresh, as the first
    claim against a corpus does, then as a session checks them, where a sentence an earlier
    claim parsed is not parsed again (``analysis.parse`` keeps their Docs)."""
    for claim in claims:
        verify_claims(index, [claim], k=k)
    out = {}
    for name, afresh in (("each parsed afresh", True), ("in one session", False)):
        forget_parses()
        times = []
        for claim in claims:
            if afresh:
                forget_parses()
            t = time.perf_counter()
            verify_claims(index, [claim], k=k)
            times.append((time.perf_counter() - t) * 1000)
        out[name] = {
            "claims": len(claims),
            "p50_ms": round(float(np.percentile(times, 50)), 1),
            "p95_ms": round(float(np.percentile(times, 95)), 1),
        }
    return out


def cold_check(claim: str, runs: int, exe: Path | None = None) -> dict:
    exe = exe or Path(sys.executable).with_name("verifact")
    subprocess.run([str(exe), "check", claim], check=True, capture_output=True)  # index built
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(exe), "check", claim], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return {"runs": runs, "median_s": round(statistics.median(times), 2), "all_s": times}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--runtime-venv",
        metavar="DIR",
        help="also time the cold check with DIR/bin/verifact: a venv holding verifact without "
        "extras (no torch, no eval packages), as the README's run command installs it",
    )
    ap.add_argument("--out", default=str(ROOT / "eval" / "results" / "bench_check.json"))
    args = ap.parse_args(argv)
    runtime_exe = Path(args.runtime_venv) / "bin" / "verifact" if args.runtime_venv else None
    if runtime_exe and not runtime_exe.is_file():  # before minutes of timing, not after
        raise SystemExit(
            f"--runtime-venv {args.runtime_venv!r} has no bin/verifact; make one with "
            "`make install VENV=DIR`"
        )
    load0 = os.getloadavg()[0]
    rows = [json.loads(x) for x in (SEED / "claims.jsonl").read_text("utf-8").splitlines()]
    rows = [r for r in rows if r["split"] == "test"]
    rows += [json.loads(x) for x in (SEED / "claims_heldout.jsonl").read_text("utf-8").splitlines()]
    seed = load_index()
    claims = [r["claim"] for r in rows]
    out = {f"shipped corpus, seed claims, {n}": r for n, r in per_claim(seed, claims).items()}
    beir = Path(args.data) / "scifact" / "beir"
    if beir.is_dir():
        from verifact.eval.beir import beir_index

        dev = Path(args.data) / "scifact" / "original" / "claims_dev.jsonl"
        claims = [json.loads(x)["claim"] for x in dev.read_text("utf-8").splitlines()][:100]
        for name, r in per_claim(beir_index(beir, Settings()), claims).items():
            out[f"SciFact corpus, dev claims, {name}"] = r
    out["cold check"] = cold_check(rows[0]["claim"], args.runs)
    if runtime_exe:
        out["cold check, runtime-only install"] = cold_check(
            rows[0]["claim"], args.runs, runtime_exe
        )
    out["load_average"] = [round(load0, 1), round(os.getloadavg()[0], 1)]
    write_json_atomic(Path(args.out), out)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
