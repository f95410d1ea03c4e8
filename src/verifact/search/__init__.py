"""Search stage: an index directory + queries -> ranked Hits (dense | bm25 | hybrid).

``load`` (``load_index``: one index or a sharded one), ``search`` (``Index.search`` /
``Index.search_many``, the ``--json`` shape, input validation), ``sharded`` and ``shard`` (a
sharded index: the coordinator and one shard), ``ray_serve`` (shards held by Ray actors),
``render`` (hits as text for the terminal).
"""

from .load import load_index
from .render import format_hits
from .search import Index, results_json, validate_k, validate_mode, validate_query
from .sharded import ShardedIndex

__all__ = [
    "Index",
    "ShardedIndex",
    "format_hits",
    "load_index",
    "results_json",
    "validate_k",
    "validate_mode",
    "validate_query",
]
