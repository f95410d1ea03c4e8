"""Verify stage: claims + an Index -> Verdicts with cited, stance-labelled evidence.

``analysis`` (spaCy: a claim's slots: names, dates, numbers, content words), ``stance`` (the
shipped cross-encoder: entails / contradicts / neutral), ``align`` (slots vs an evidence sentence:
aligned, missing, conflicts), ``evidence`` (retrieval + stance rerank + alignment -> Analyses),
``verdict`` (fitted logistic regression + coverage gate -> ``Verdict``), ``fit`` (training claims
-> ``verify_params.json``); training the stance model: ``perturb`` (claim perturbations),
``training_data`` (the training pairs), ``train`` (fine-tune and export; the train extra).
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
