"""Index stage: a built temp directory -> the index directory, by two renames, and recovery.

A build writes ``.<name>.tmp-<pid>`` beside the index and swaps it in (writer lock held): the
old directory moves to ``.<name>.old-<pid>``, the new one into place, the old one is removed.
A crash between the two renames leaves no index directory; ``recover`` (run by readers) puts
back the newest complete leftover once no writer is alive, and a reader arriving while a live
writer is between its renames waits for it instead.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from ..config import MANIFEST
from ..errors import IndexBusyError
from .lock import write_lock


def swap(tmp: Path, index_dir: Path) -> None:
    """Replace ``index_dir`` by ``tmp`` (writer lock held); a crash between the two renames
    leaves ``.old-*`` and the complete ``tmp`` for ``recover``."""
    if index_dir.exists():
        old = index_dir.parent / f".{index_dir.name}.old-{os.getpid()}"
        shutil.rmtree(old, ignore_errors=True)
        os.rename(index_dir, old)
        os.rename(tmp, index_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, index_dir)


def _leftovers(index_dir: Path) -> list[Path]:
    name = index_dir.name
    return [
        p
        for pattern in (f".{name}.tmp-*", f".{name}.old-*")
        for p in index_dir.parent.glob(pattern)
        if p.is_dir()
    ]


def clean_stale(index_dir: Path) -> None:
    """Remove temp and ``.old`` directories left by builds that died (writer lock held, so
    no other build is running)."""
    for p in _leftovers(index_dir):
        shutil.rmtree(p, ignore_errors=True)


SWAP_WAIT = 10.0  # seconds a reader waits for a writer caught between its two renames


def recover(index_dir: Path) -> None:
    """If ``index_dir`` is missing, wait for a live writer to finish its swap, or, when none
    is running, put back the newest complete leftover of a build that died mid-swap."""
    if index_dir.exists() or not _leftovers(index_dir):
        return  # nothing to wait for or to restore: a reader never creates a lock file
    deadline = time.monotonic() + SWAP_WAIT
    while True:
        try:
            with write_lock(index_dir):
                if not index_dir.exists():
                    _restore_newest(index_dir)
                return
        except IndexBusyError:  # a writer is alive: the directory is back in a moment
            if index_dir.exists() or time.monotonic() > deadline:
                return
            time.sleep(0.02)
        except OSError:  # a read-only folder: leave recovery to someone who can write
            return


def _restore_newest(index_dir: Path) -> None:
    complete = [p for p in _leftovers(index_dir) if (p / MANIFEST).is_file()]
    if not complete:
        return
    # the newest complete build wins (its manifest is written last), not the highest PID
    newest = max(complete, key=lambda p: (p / MANIFEST).stat().st_mtime_ns)
    os.rename(newest, index_dir)
    clean_stale(index_dir)
