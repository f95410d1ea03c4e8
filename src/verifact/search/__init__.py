"""Search stage: an index directory + queries -> ranked Hits (dense | bm25 | hybrid).

``search`` (``load_index`` -> ``Index.search`` / ``Index.search_many``, the ``--json`` shape,
input validation), ``render`` (hits as text for the terminal).
"""

from .render import format_hits
from .search import Index, load_index, results_json, validate_k, validate_mode, validate_query

__all__ = [
    "Index",
    "format_hits",
    "load_index",
    "results_json",
    "validate_k",
    "validate_mode",
    "validate_query",
]
