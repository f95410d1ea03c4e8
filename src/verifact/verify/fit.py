"""Verify stage, fitting: analysed training claims -> the thresholds in ``verify_params.json``.

``verdict.decide`` applies these parameters; they are fitted on training claims only (SciFact
train and the seed set's train split; ``eval/fit_verify.py`` runs the fit and reports held-out
figures). The objective is the mean macro-F1 of the training sets over the three gold labels.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from ..config import write_json_atomic
from .verdict import LABELS, PARAMS_FILE, decide, load_params

GOLD = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
# Coordinate-ascent grid: each parameter is tried at these values while the others stay fixed.
# A name, negation or antonym finding must share at least one word of context (or the reason it
# prints would not be justified), and two names must be at least loosely alike (cosine >= 0.3).
GRID = {
    ("evidence_threshold",): [0.45, 0.5, 0.52, 0.54, 0.56, 0.58, 0.6, 0.62, 0.64, 0.66, 0.68],
    ("support", "similarity"): [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8],
    ("support", "coverage"): [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    ("contradict", "similarity"): [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8],
    ("contradict", "coverage"): [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    ("context_min", "date mismatch"): [None, 0, 1, 2],
    ("context_min", "number mismatch"): [None, 0, 1, 2, 3],
    ("context_min", "entity mismatch"): [None, 1, 2, 3],
    ("context_min", "negation"): [None, 1, 2, 3, 4],
    ("context_min", "antonym"): [None, 1, 2, 3],
    ("entity_similarity",): [0.3, 0.4, 0.5, 0.6],
}
# Fixed by design, not fitted: no training claim has conflicting gold labels (so a fit could only
# switch CONFLICTING off), and a claim naming someone or somewhere its evidence never names is
# not SUPPORTED (on train this costs 0.009 of the objective; it keeps "Lavrov visited Gaza" from
# being supported by a sentence about Lavrov in Moscow).
DESIGN = {"missing_entity_blocks": True, "conflicting": True}
START = {
    "evidence_threshold": 0.45,
    "support": {"similarity": 0.6, "coverage": 0.7},
    "contradict": {"similarity": 0.5, "coverage": 0.6},
    "context_min": {
        "date mismatch": 0,
        "number mismatch": 0,
        "entity mismatch": 1,
        "negation": 2,
        "antonym": 2,
    },
    "entity_similarity": 0.3,
    **DESIGN,
    "nli": {"entailment": 0.5, "contradiction": 0.5},  # argmax; not fitted (no NLI model here)
    "confidence": {},
}


def confusion(gold: list[str], pred: list[str]) -> dict:
    """Counts by gold label (the three of ``GOLD``) and predicted label (all four)."""
    return {
        g: {p: sum(1 for x, y in zip(gold, pred, strict=True) if x == g and y == p) for p in LABELS}
        for g in GOLD
    }


def label_metrics(gold: list[str], pred: list[str]) -> dict:
    """Accuracy, macro-F1 over the three gold labels, per-label P/R/F1, confusion matrix.

    The fit's objective: a CONFLICTING verdict only counts as wrong here, whereas
    ``eval.metrics.label_metrics`` averages F1 over every label seen, CONFLICTING included.
    """
    per = {}
    for lab in GOLD:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == lab)
        npred, ngold = pred.count(lab), gold.count(lab)
        prec = tp / npred if npred else 0.0
        rec = tp / ngold if ngold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lab] = {"precision": prec, "recall": rec, "f1": f1, "gold": ngold, "predicted": npred}
    acc = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold)
    return {
        "n": len(gold),
        "accuracy": acc,
        "macro_f1": sum(v["f1"] for v in per.values()) / 3,
        "per_label": per,
        "confusion": confusion(gold, pred),
        "conflicting": pred.count("CONFLICTING"),
    }


def fit_evidence_threshold(groups) -> tuple[float, dict]:
    """Dense cosine that best separates hits from gold-evidence documents (F1), train only.

    This is the starting point; the coordinate ascent then refits it for the verdicts.
    """
    scores, relevant = [], []
    for analyses, rows, is_relevant in groups:
        for a, r in zip(analyses, rows, strict=True):
            for c in a.candidates:
                scores.append(c.strength)
                relevant.append(is_relevant(c, r))
    scores, relevant = np.array(scores), np.array(relevant)
    best = (0.0, 0.0)
    for t in np.arange(0.2, 0.8, 0.01):
        pred = scores >= t
        tp = float((pred & relevant).sum())
        f1 = 2 * tp / (pred.sum() + relevant.sum()) if tp else 0.0
        if f1 > best[0] + 1e-9:
            best = (f1, round(float(t), 2))
    return best[1], {"f1": best[0], "hits": len(scores), "relevant": int(relevant.sum())}


def _get(params, key):
    return params[key[0]] if len(key) == 1 else params[key[0]][key[1]]


def _set(params, key, value):
    new = json.loads(json.dumps(params))
    if len(key) == 1:
        new[key[0]] = value
    else:
        new[key[0]][key[1]] = value
    return new


def objective(params, sets) -> float:
    """Mean macro-F1 over the training sets (each set weighs the same)."""
    out = []
    for analyses, rows in sets:
        pred = [decide(a, params).label for a in analyses]
        out.append(label_metrics([r["label"] for r in rows], pred)["macro_f1"])
    return sum(out) / len(out)


def fit_thresholds(params, sets, rounds: int = 4) -> tuple[dict, float]:
    """Coordinate ascent over GRID (the evidence threshold held fixed); a change must improve
    the objective by > 1e-9."""
    best = objective(params, sets)
    for _ in range(rounds):
        changed = False
        for key, values in GRID.items():
            if key == ("evidence_threshold",):
                continue
            for value in values:
                if value == _get(params, key):
                    continue
                trial = _set(params, key, value)
                score = objective(trial, sets)
                if score > best + 1e-9:
                    params, best, changed = trial, score, True
        if not changed:
            break
    return params, best


def fit_with_restarts(params, sets) -> tuple[dict, float]:
    """Grid search over the evidence threshold, with a coordinate ascent of the other parameters
    at each value; ties go to the value nearest the relevance-fitted threshold."""
    start = params["evidence_threshold"]
    best = None
    for thr in sorted(GRID[("evidence_threshold",)], key=lambda t: (abs(t - start), t)):
        fitted, score = fit_thresholds(_set(params, ("evidence_threshold",), thr), sets)
        if best is None or score > best[1] + 1e-9:
            best = (fitted, score)
    return best


def fit_confidence(params, sets) -> dict:
    """Per label, a logistic map from evidence strength to P(verdict correct), fitted on train."""
    from sklearn.linear_model import LogisticRegression

    probe = _set(params, ("confidence",), {lab: [1.0, 0.0] for lab in LABELS})
    data: dict[str, tuple[list, list]] = {lab: ([], []) for lab in LABELS}
    for analyses, rows in sets:
        for a, r in zip(analyses, rows, strict=True):
            v = decide(a, probe)
            c = min(max(v.confidence, 1e-12), 1 - 1e-12)
            data[v.label][0].append([math.log(c / (1 - c))])  # sigmoid(1 * s + 0) inverted
            data[v.label][1].append(int(v.label == r["label"]))
    out = {}
    for lab, (x, y) in data.items():
        if len(set(y)) < 2:
            rate = (sum(y) + 1) / (len(y) + 2)  # Laplace: all right or all wrong (or none)
            out[lab] = [0.0, round(math.log(rate / (1 - rate)), 4)]
            continue
        model = LogisticRegression(C=10.0).fit(np.array(x), np.array(y))
        out[lab] = [round(float(model.coef_[0][0]), 4), round(float(model.intercept_[0]), 4)]
    return out


def fit_params(relevance_groups, train_sets) -> tuple[dict, float, dict]:
    """Fit every parameter from ``START``: the evidence threshold by relevance, then the rest
    (and the threshold again) by coordinate ascent, then the confidence maps.

    Args:
        relevance_groups: ``(analyses, rows, is_relevant(candidate, row))`` per training set.
        train_sets: ``(analyses, rows)`` per training set; rows carry the gold "label".

    Returns:
        ``(params, train objective, evidence-threshold fit info)``.
    """
    params = json.loads(json.dumps(START))
    thr, thr_info = fit_evidence_threshold(relevance_groups)
    params["evidence_threshold"] = thr_info["start"] = thr
    params, train_score = fit_with_restarts(params, train_sets)
    params["confidence"] = fit_confidence(params, train_sets)
    return params, train_score, thr_info


def save_params(params: dict) -> Path:
    """Write ``params`` into ``verify_params.json`` (beside ``verdict.py``), keeping the keys
    that other fits own (the chat's question threshold, ``eval/weak.py``)."""
    path = Path(__file__).with_name(PARAMS_FILE)
    write_json_atomic(path, {**load_params(), **params})
    return path
