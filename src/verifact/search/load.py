"""Search stage, entry point: an index directory (one index or a sharded one) -> an open index.

``verifact.load_index`` is this ``load_index``: it opens a sharded index directory as a
``sharded.ShardedIndex`` (shards in this process, or held by Ray actors with ``ray=``) and any
other as a ``search.Index``; both answer ``search_many`` the same way.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..index.model import Embedder
from ..index.shards import is_sharded
from .search import Index
from .search import load_index as load_single_index
from .sharded import ShardedIndex, load_sharded_index


def load_index(
    path: str | Path | None = None,
    model: str | None = None,
    settings: Settings = Settings(),
    embedder: Embedder | None = None,
    ray: str | None = None,
    allow_partial: bool = False,
) -> Index | ShardedIndex:
    """Open the index at ``path`` (default: the shipped corpus, built on first use).

    Args:
        ray: for a sharded index, a Ray address ("auto" for a running cluster, "local" to
            start a throwaway one in this process): its shards are then held by named actors.
        allow_partial: a sharded index answers from the shards it can reach, and names the
            others in ``index.last_missing``, instead of failing.

    Raises:
        InputError: ``ray`` or ``allow_partial`` given for an index that is not sharded.
        IndexNotFoundError, IndexCorruptError, IndexMismatchError: as ``search.load_index``.
    """
    if path is not None and is_sharded(path):
        return load_sharded_index(
            path, model, settings, embedder, ray=ray, allow_partial=allow_partial
        )
    if ray:
        from ..errors import InputError

        raise InputError(
            f"--ray needs a sharded index; {str(path or 'the default index')!r} is not one "
            f"(build one with verifact index SOURCES --index DIR --shards N)"
        )
    return load_single_index(path, model=model, settings=settings, embedder=embedder)
