"""Index stage: one writer at a time per index directory (an exclusive ``flock``).

Every write of an index (a build, a chat upload) holds ``<parent>/.<name>.lock`` for its whole
read-modify-write, so two writers never both read the old index and the last one silently wins.
The lock lives beside the directory because builds replace the directory itself. ``flock`` is
released by the kernel when its process dies, so a crashed writer never leaves a stale lock.
The lock is re-entrant within one thread (an upload holds it and calls ``build_index``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import IndexBusyError

_held: dict[str, tuple[int, int, int]] = {}  # lock path -> (thread id, fd, depth)
_guard = threading.Lock()


def lock_path(index_dir: str | Path) -> Path:
    index_dir = Path(index_dir).absolute()
    return index_dir.parent / f".{index_dir.name}.lock"


def holder(index_dir: str | Path) -> str:
    """Who holds the lock, as written by its holder ("pid 123 since 12:00:01"), or ""."""
    try:
        return lock_path(index_dir).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


@contextlib.contextmanager
def write_lock(
    index_dir: str | Path, wait: float = 0.0, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the index's writer lock; wait up to ``wait`` seconds for another writer.

    ``on_wait(holder)`` is called once if the lock is busy (to tell the user).

    Raises:
        IndexBusyError: another writer still holds it after ``wait`` seconds.
    """
    path = lock_path(index_dir)
    key, me = str(path), threading.get_ident()
    with _guard:
        if key in _held and _held[key][0] == me:  # re-entrant in this thread
            tid, fd, depth = _held[key]
            _held[key] = (tid, fd, depth + 1)
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _guard:
                tid, fd, depth = _held[key]
                _held[key] = (tid, fd, depth - 1)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, index_dir, wait, on_wait)
        stamp = f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}"
        os.ftruncate(fd, 0)
        os.pwrite(fd, stamp.encode(), 0)
        with _guard:
            _held[key] = (me, fd, 1)
        try:
            yield
        finally:
            with _guard:
                del _held[key]
    finally:
        os.close(fd)  # releases the flock


def _acquire(fd: int, index_dir, wait: float, on_wait) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        who = holder(index_dir) or "another process"
        if time.monotonic() >= deadline:
            raise IndexBusyError(
                f"Index {str(index_dir)!r} is being written by another verifact ({who}); "
                "wait for it to finish and retry, or pass --wait SECONDS"
            )
        if on_wait is not None and not told:
            on_wait(who)
            told = True
        time.sleep(0.05)
