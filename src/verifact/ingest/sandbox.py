"""Ingest stage, untrusted files: one file -> Documents, read in a child process with limits.

A file uploaded by a stranger may be built to exhaust the reader (a zip or PDF bomb, a
pathological HTML page). ``load_file_limited`` reads it in a fresh Python process whose address
space and CPU time are capped with ``setrlimit`` and whose wall time is capped by the parent, so
the worst a file can do is be skipped with a reason; the server's own memory never sees it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ..types import Document
from .readers import IngestResult

CHILD = "from verifact.ingest.sandbox import _child; _child()"


@dataclass(frozen=True)
class ReadLimits:
    """What reading one untrusted file may cost."""

    memory_mb: int = 1024  # address space of the reader process
    cpu_seconds: int = 60
    wall_seconds: float = 90.0


def load_file_limited(path: str | Path, limits: ReadLimits | None = None) -> IngestResult:
    """``readers.read_file(path)`` in a child process under ``limits``.

    A file the child cannot read within the limits, or that kills it, comes back as skipped
    with the reason; a file with no readable text too (no exception for bad files).
    """
    path, limits = Path(path), limits or ReadLimits()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1"}
    request = json.dumps({"path": str(path), "memory_mb": limits.memory_mb,
                          "cpu_seconds": limits.cpu_seconds})  # fmt: skip
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD],
            input=request,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=limits.wall_seconds,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return _skipped(path, f"took over {limits.wall_seconds:.0f} s to read; not indexed")
    if proc.returncode != 0:
        return _skipped(path, _why(proc, limits))
    try:
        out = json.loads(proc.stdout)
    except ValueError:
        return _skipped(path, "the reader gave no result; not indexed")
    docs = [Document(**{**d, "pages": tuple(d["pages"])}) for d in out["documents"]]
    return IngestResult(
        docs, [tuple(s) for s in out["skipped"]], [tuple(w) for w in out["warnings"]]
    )


def _skipped(path: Path, reason: str) -> IngestResult:
    return IngestResult([], [(str(path), reason)])


def _why(proc: subprocess.CompletedProcess, limits: ReadLimits) -> str:
    err = proc.stderr or ""
    if "MemoryError" in err or proc.returncode in (-9, 137):
        return f"needs over {limits.memory_mb} MB of memory to read; not indexed"
    if proc.returncode in (-24, 152) or "CPU time" in err:  # SIGXCPU
        return f"needs over {limits.cpu_seconds} s of CPU to read; not indexed"
    last = err.strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
    return f"the reader failed ({last[0][:120]}); not indexed"


def _child() -> None:  # pragma: no cover - runs in the child process
    import resource

    from .readers import read_file

    req = json.loads(sys.stdin.read())
    mem = req["memory_mb"] * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    cpu = req["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    result = read_file(req["path"])
    out = {
        "documents": [asdict(d) for d in result.documents],
        "skipped": result.skipped,
        "warnings": result.warnings,
    }
    sys.stdout.write(json.dumps(out))
