"""Evaluation stage, fitting: seed questions + an index -> the chat's "no good match" threshold.

The top hit's dense cosine separates questions the corpus answers (``questions.jsonl``) from
questions it does not (``unanswerable.jsonl``). The threshold is fitted on the train half
(odd-numbered answerable questions + unanswerable split=train) and reported on the other half;
``eval/fit_weak.py`` writes it to ``verify_params.json`` as "question_threshold".
"""

from __future__ import annotations

from pathlib import Path

from ..search.search import Index
from .metrics import read_jsonl
from .seed import SEED_DIR


def accuracy(pos: list[float], neg: list[float], t: float) -> float:
    """Share of questions called right: answerable at or above ``t``, unanswerable below."""
    return (sum(s >= t for s in pos) + sum(s < t for s in neg)) / (len(pos) + len(neg))


def top_dense(index: Index, texts: list[str]) -> list[float]:
    """The dense cosine of each question's top hit (0.0 when there is none)."""
    hits = index.search_many(texts, k=1, mode="dense")
    return [h[0].scores["dense"] if h else 0.0 for h in hits]


def fit_question_threshold(index: Index, seed_dir: Path = SEED_DIR) -> dict:
    """Fit the threshold on the train half; returns it with its train and test figures."""
    answerable = read_jsonl(seed_dir / "questions.jsonl")
    unanswerable = read_jsonl(seed_dir / "unanswerable.jsonl")
    pos = top_dense(index, [q["text"] for q in answerable])
    neg = top_dense(index, [q["text"] for q in unanswerable])
    train_pos = [s for q, s in zip(answerable, pos) if int(q["qid"][1:]) % 2 == 1]
    test_pos = [s for q, s in zip(answerable, pos) if int(q["qid"][1:]) % 2 == 0]
    train_neg = [s for q, s in zip(unanswerable, neg) if q["split"] == "train"]
    test_neg = [s for q, s in zip(unanswerable, neg) if q["split"] == "test"]
    candidates = sorted({round(s, 3) for s in train_pos + train_neg})
    # plain accuracy (answerable questions are the common case); among ties the lowest
    # threshold, so a real answer is never hidden
    best = max(candidates, key=lambda t: (accuracy(train_pos, train_neg, t), -t))
    return {
        "question_threshold": best,
        "train_accuracy": round(accuracy(train_pos, train_neg, best), 3),
        "test_accuracy": round(accuracy(test_pos, test_neg, best), 3),
        "test_answerable_marked_weak": sum(s < best for s in test_pos),
        "test_answerable": len(test_pos),
        "test_unanswerable_marked_good": sum(s >= best for s in test_neg),
        "test_unanswerable": len(test_neg),
        "model": index.manifest["model"],
        "backend": index.manifest.get("backend"),
    }
