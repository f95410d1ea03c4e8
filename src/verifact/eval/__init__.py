"""Evaluation stage: the seed set or a BEIR dataset + an index -> metrics, reports, fitted settings.

``metrics`` (pure metric functions, qrels / run / TREC file IO), ``seed`` (``run_seed``: the
seed questions and claims), ``beir`` (``run_beir``, ``fit_hybrid``), ``report``
(``write_outputs``: results.json, per_query.jsonl, the plot; ``format_table``), ``verdicts``
(claim sets and held-out reports of the verdict fit), ``weak`` (``fit_question_threshold``).
"""

from .beir import fit_hybrid, run_beir
from .metrics import evaluate_run, evidence_doc_metrics, label_metrics
from .report import format_table, write_outputs
from .seed import EvalResult, open_seed_index, run_seed
from .weak import fit_question_threshold

__all__ = [
    "EvalResult",
    "evaluate_run",
    "evidence_doc_metrics",
    "fit_hybrid",
    "fit_question_threshold",
    "format_table",
    "label_metrics",
    "open_seed_index",
    "run_beir",
    "run_seed",
    "write_outputs",
]
