"""Settings (one frozen dataclass of defaults) and the index manifest's read/write."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import IndexCorruptError

VERSION = "0.1.0"
MANIFEST = "manifest.json"
FORMAT_VERSION = 1
SENTENCE_SPLITTER = "sentencex"  # index.chunk.split_sentences; recorded in each manifest
MODES = ("hybrid", "dense", "bm25")
INDEX_TYPES = ("auto", "flat", "hnsw")


@dataclass(frozen=True)
class Settings:
    """Defaults for every stage; CLI flags override them with dataclasses.replace."""

    model: str = "default"
    backend: str = "auto"  # auto | onnx | torch
    max_words: int = 100  # passage length cap, in words
    min_words: int = 30  # a passage may end at a paragraph break once this long
    overlap_sentences: int = 1  # sentences repeated when a paragraph is cut mid-way
    embed_title: bool = True  # embed "title. text" (the passage text itself is unchanged)
    index_type: str = "auto"  # auto | flat | hnsw
    hnsw_threshold: int = (
        50_000  # auto switches to HNSW at this many passages (eval/bench_search.py)
    )
    k: int = 5
    mode: str = "hybrid"
    alpha: float = 0.5  # dense weight of the convex fusion, fitted on SciFact train
    candidates: int = 100  # per-retriever depth before fusion
    batch_size: int = 32

    def chunk_settings(self) -> dict:
        return {
            "max_words": self.max_words,
            "min_words": self.min_words,
            "overlap_sentences": self.overlap_sentences,
            "embed_title": self.embed_title,
            # the sentence splitter moves chunk boundaries: an index chunked by another is rebuilt
            "sentences": SENTENCE_SPLITTER,
        }

    def to_dict(self) -> dict:
        return asdict(self)


PACKAGE_DIR = Path(__file__).resolve().parent
HOME_ENV = "VERIFACT_HOME"  # built indexes (default: the user's data folder)
CACHE_ENV = "VERIFACT_CACHE"  # ONNX exports, evaluation indexes (default: the user's cache folder)


def project_root() -> Path | None:
    """The source checkout holding this package (``src/`` layout), or None when installed.

    Only development conveniences use it (the seed set, ``eval/results/``); nothing writes into
    the installed package.
    """
    root = PACKAGE_DIR.parents[1]
    if (root / "pyproject.toml").is_file() and PACKAGE_DIR.parent.name == "src":
        return root
    return None


def default_sources_dir() -> Path:
    """The shipped corpus's source files (package data: ``verifact/sources``)."""
    return PACKAGE_DIR / "sources"


def data_dir() -> Path:
    """Where indexes are built: ``$VERIFACT_HOME``, else the user's data folder.

    Example (Linux): ``data_dir()  # => PosixPath('/home/me/.local/share/verifact')``
    """
    root = os.environ.get(HOME_ENV)
    if root:
        return Path(root).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("verifact", appauthor=False))


def cache_dir() -> Path:
    """Where re-creatable files go: ``$VERIFACT_CACHE``, else the user's cache folder.

    Example (Linux): ``cache_dir()  # => PosixPath('/home/me/.cache/verifact')``
    """
    root = os.environ.get(CACHE_ENV)
    if root:
        return Path(root).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("verifact", appauthor=False))


def default_index_dir() -> Path:
    """Where the shipped corpus's index is built: ``<data_dir>/index/default``."""
    return data_dir() / "index" / "default"


CGROUP = Path("/sys/fs/cgroup")


def cpu_quota(root: Path | None = None) -> int | None:
    """The cores a container's CPU limit allows, rounded up: cgroup v2's ``cpu.max`` ("200000
    100000" is 2), else cgroup v1's ``cpu/cpu.cfs_quota_us`` over ``cpu.cfs_period_us``. None
    where there is no limit ("max", -1) or no such file (not Linux, no cgroup mounted). The
    same reading as joblib's ``cpu_count`` (loky's ``_cpu_count_cgroup``), whose import takes
    0.4 s, a fifth of a cold ``check``. Like joblib's, it reads the cgroup mounted at ``root``,
    which in a container is the container's own; a limit set deeper in the tree without a
    cgroup namespace (a systemd unit's ``CPUQuota=`` on a host) is not seen."""
    root = CGROUP if root is None else root
    try:
        quota, period = (root / "cpu.max").read_text().split()
    except (OSError, ValueError):
        try:
            quota = (root / "cpu" / "cpu.cfs_quota_us").read_text().strip()
            period = (root / "cpu" / "cpu.cfs_period_us").read_text().strip()
        except OSError:
            return None
    try:
        q, p = int(quota), int(period)
    except ValueError:  # "max": no limit
        return None
    return -(-q // p) if q > 0 and p > 0 else None


def usable_cpus() -> int:
    """CPU cores this process may run on: its affinity where the OS has one, and no more than
    a container's CPU limit allows (``cpu_quota``). A container limited to 2 cores on a 64-core
    host sees 64 in its affinity; 64 threads there would take turns on 2 cores."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS/Windows
        n = os.cpu_count() or 1
    quota = cpu_quota()
    return max(1, min(n, quota) if quota else n)


def run_each(one: Callable[[int], None], n: int, workers: int, done=None) -> None:
    """``one(i)`` for each i in range(n), on up to ``workers`` threads (in order on this thread
    when ``workers`` is 1), then ``done()`` for each, in order; an error in a call is raised
    here. For calls that release the GIL, such as an onnxruntime session's ``run``."""
    if workers > 1 and n > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(workers, n)) as pool:
            for _ in pool.map(one, range(n)):
                if done is not None:
                    done()
        return
    for i in range(n):
        one(i)
        if done is not None:
            done()


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temp file and os.replace, so readers never see half."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_json_atomic(path: Path, data: dict) -> None:
    """Write JSON to ``path`` atomically (``write_text_atomic``)."""
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))


def read_manifest(index_dir: Path) -> dict:
    """Read and minimally validate ``manifest.json``; raises IndexCorruptError if unusable."""
    path = index_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise IndexCorruptError(
            f"Index {str(index_dir)!r} has an unreadable manifest ({type(e).__name__}); "
            f"rebuild it: verifact index SOURCES --index {index_dir}"
        ) from e
    required = ("model", "dim", "passage_count", "documents", "format")
    missing = [key for key in required if key not in manifest]
    if missing:
        raise IndexCorruptError(
            f"Index {str(index_dir)!r} manifest lacks {missing}; "
            f"rebuild it: verifact index SOURCES --index {index_dir}"
        )
    return manifest
