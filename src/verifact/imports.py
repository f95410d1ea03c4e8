"""Imports kept out of a library's import, where it would load them only to offer a feature
verifact does not use (cold start: each costs tenths of a second)."""

from __future__ import annotations

import sys
import types
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


@contextmanager
def without_spacy_cli() -> Iterator[None]:
    """Within the block, ``import spacy`` does not load spaCy's command line.

    spaCy's ``__init__`` imports ``spacy.cli.info`` only to offer ``spacy.info``, and with it the
    whole command line (typer, weasel, httpx: about 360 modules, 0.15-0.2 s of a cold ``check``
    here). Within the block ``spacy.cli`` is a stand-in whose ``info`` imports the real one when
    called; after it, ``import spacy.cli`` (or ``python -m spacy``) gets the real package. No
    other spaCy module imports ``spacy.cli`` (spaCy 3.8)."""
    names = ("spacy.cli", "spacy.cli.info")
    if "spacy" in sys.modules or any(n in sys.modules for n in names):
        yield
        return
    cli, info = types.ModuleType(names[0]), types.ModuleType(names[1])
    cli.__path__ = []  # a package, so that ``from .cli.info import info`` finds the stand-in
    info.info = _spacy_info
    sys.modules.update(dict(zip(names, (cli, info), strict=True)))
    try:
        yield
    finally:
        for n in names:
            if sys.modules.get(n) in (cli, info):
                del sys.modules[n]
        spacy = sys.modules.get("spacy")
        if spacy is not None and getattr(spacy, "cli", None) is cli:
            del spacy.cli  # an attribute access then fails as for any subpackage not imported


def _spacy_info(*args, **kwargs):
    """``spacy.info``, importing spaCy's command line when it is first called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)
