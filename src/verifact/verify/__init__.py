"""Verify stage: claims + an Index -> Verdicts with cited, stance-labelled evidence.

``claims`` (dates, numbers and names found in text), ``checks`` (claim vs sentence
comparisons), ``evidence`` (retrieval + checks -> Analyses, no thresholds), ``verdict``
(fitted thresholds -> ``Verdict``; ``verify_claims``, ``format_verdict``), ``fit`` (training
claims -> those thresholds: ``fit_params``, ``save_params``).
"""

from .evidence import Analysis, analyse_claims
from .fit import fit_params, save_params
from .verdict import LABELS, Verdict, format_verdict, is_weak, verify_claim, verify_claims

__all__ = [
    "LABELS",
    "Analysis",
    "Verdict",
    "analyse_claims",
    "fit_params",
    "format_verdict",
    "is_weak",
    "save_params",
    "verify_claim",
    "verify_claims",
]
