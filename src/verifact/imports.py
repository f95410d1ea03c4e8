"""Imports kept out of a library's import, where it would load them only to offer a feature
verifact does not use (cold start: each costs tenths of a second)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def hidden(*names: str) -> Iterator[None]:
    """Within the block, ``import NAME`` raises ImportError for each of ``names`` not yet
    imported, so a library's optional ``try: import NAME`` takes its fallback.

    Example: ``with hidden("numba"): import bm25s  # bm25s.NUMBA_AVAILABLE is False``
    """
    hide = [n for n in names if n not in sys.modules]
    for n in hide:
        sys.modules[n] = None  # type: ignore[assignment]  # import n -> ImportError
    try:
        yield
    finally:
        for n in hide:
            if sys.modules.get(n, 0) is None:
                del sys.modules[n]
