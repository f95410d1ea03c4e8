"""Evaluate stage: qrels + runs -> retrieval and verdict metrics; BEIR / TREC file IO (pure).

In memory, evaluation data has three shapes (STYLE.md)::

    queries: dict[str, str]              # qid -> text
    qrels:   dict[str, dict[str, int]]   # qid -> id -> relevance grade (> 0 is relevant)
    run:     dict[str, dict[str, float]] # qid -> id -> score (higher is better)

A run is ranked by ``(-score, id)``, TREC-style, so ties always resolve the same way. Every
metric averages over the queries of ``qrels`` that have at least one relevant id; a query
missing from the run (or with no hits) scores 0. No function here mutates its arguments.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..errors import InputError

Qrels = Mapping[str, Mapping[str, int]]
Run = Mapping[str, Mapping[str, float]]

LABELS = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO", "CONFLICTING")  # verify.LABELS, in order
SCIFACT_LABELS = {"SUPPORT": "SUPPORTED", "CONTRADICT": "REFUTED"}


# --- ranking -----------------------------------------------------------------------------


def ranked(scores: Mapping[str, float], k: int | None = None) -> list[str]:
    """Ids best first, ties broken by id (TREC convention), cut at ``k``.

    Example: ``ranked({"b": 1.0, "a": 1.0, "c": 2.0})  # => ["c", "a", "b"]``
    """
    order = sorted(scores, key=lambda i: (-scores[i], i))
    return order if k is None else order[:k]


def passage_doc_id(passage_id: str) -> str:
    """The document of a passage id ``<doc_id>#<n>`` (a doc id may itself hold ``#``)."""
    return passage_id.rsplit("#", 1)[0]


def rollup_to_documents(run: Run, doc_id_of: Callable[[str], str] = passage_doc_id) -> dict:
    """Passage-level run -> document-level run, each document scored by its best passage.

    Example: ``rollup_to_documents({"q": {"d#0": 0.2, "d#1": 0.9, "e#0": 0.5}})``
    ``# => {"q": {"d": 0.9, "e": 0.5}}``
    """
    out: dict[str, dict[str, float]] = {}
    for qid, scores in run.items():
        docs: dict[str, float] = {}
        for pid, score in scores.items():
            doc = doc_id_of(pid)
            if doc not in docs or score > docs[doc]:
                docs[doc] = float(score)
        out[qid] = docs
    return out


# --- retrieval metrics (per query) ---------------------------------------------------------


def _relevant(qrels_q: Mapping[str, int]) -> set[str]:
    return {i for i, rel in qrels_q.items() if rel > 0}


def _judged(qrels: Qrels) -> list[str]:
    """The qids that count: those with at least one relevant id."""
    return sorted(q for q, rels in qrels.items() if _relevant(rels))


def first_relevant_rank(qrels_q: Mapping[str, int], scores: Mapping[str, float]) -> int | None:
    """1-based rank of the first relevant id in ``scores``, or None when none is retrieved."""
    relevant = _relevant(qrels_q)
    for rank, i in enumerate(ranked(scores), start=1):
        if i in relevant:
            return rank
    return None


def recall_at_k(qrels: Qrels, run: Run, k: int) -> dict[str, float]:
    """Per query: the fraction of its relevant ids found in the top ``k``."""
    out = {}
    for qid in _judged(qrels):
        relevant = _relevant(qrels[qid])
        top = ranked(run.get(qid, {}), k)
        out[qid] = len(relevant.intersection(top)) / len(relevant)
    return out


def success_at_k(qrels: Qrels, run: Run, k: int) -> dict[str, float]:
    """Per query: 1.0 when at least one relevant id is in the top ``k``, else 0.0."""
    out = {}
    for qid in _judged(qrels):
        rank = first_relevant_rank(qrels[qid], run.get(qid, {}))
        out[qid] = 1.0 if rank is not None and rank <= k else 0.0
    return out


def mrr_at_k(qrels: Qrels, run: Run, k: int) -> dict[str, float]:
    """Per query: 1 / rank of the first relevant id within the top ``k`` (0 if none)."""
    out = {}
    for qid in _judged(qrels):
        rank = first_relevant_rank(qrels[qid], run.get(qid, {}))
        out[qid] = 1.0 / rank if rank is not None and rank <= k else 0.0
    return out


def ndcg_at_k(qrels: Qrels, run: Run, k: int) -> dict[str, float]:
    """Per query: nDCG@k with linear gains (gain = grade) and log2(rank + 1) discounts.

    This is trec_eval's ``ndcg_cut`` (and BEIR's, via pytrec_eval): the ideal DCG sorts the
    query's judged grades, so an unretrieved relevant id still costs.
    """
    out = {}
    for qid in _judged(qrels):
        grades = qrels[qid]
        top = ranked(run.get(qid, {}), k)
        dcg = sum(max(grades.get(i, 0), 0) / math.log2(r + 1) for r, i in enumerate(top, 1))
        ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
        idcg = sum(g / math.log2(r + 1) for r, g in enumerate(ideal, 1))
        out[qid] = dcg / idcg
    return out


METRICS: dict[str, Callable[[Qrels, Run, int], dict[str, float]]] = {
    "recall": recall_at_k,
    "success": success_at_k,
    "mrr": mrr_at_k,
    "ndcg": ndcg_at_k,
}


def parse_metric(name: str) -> tuple[str, int]:
    """``"ndcg@10"`` -> ``("ndcg", 10)``; raises InputError for an unknown name."""
    base, _, k = name.partition("@")
    if base not in METRICS or not k.isdigit() or int(k) < 1:
        raise InputError(
            f"Unknown metric {name!r}; expected NAME@K with NAME one of {', '.join(METRICS)}"
        )
    return base, int(k)


def mean(per_query: Mapping[str, float]) -> float:
    """Average of per-query values; 0.0 for no queries."""
    return sum(per_query.values()) / len(per_query) if per_query else 0.0


def paired_gain(a: Mapping[str, float], b: Mapping[str, float]) -> tuple[float, float]:
    """Mean per-query gain of ``a`` over ``b`` and its standard error (paired, n - 1).

    Both map the same qids to a per-query metric, e.g. from ``ndcg_at_k``.

    Example: ``paired_gain({"q1": 1.0, "q2": 0.5}, {"q1": 0.5, "q2": 0.5})  # => (0.25, 0.25)``
    """
    diffs = [a[q] - b[q] for q in sorted(b)]
    n = len(diffs)
    if n < 2:
        return (diffs[0] if diffs else 0.0), 0.0
    gain = sum(diffs) / n
    variance = sum((d - gain) ** 2 for d in diffs) / (n - 1)
    return gain, math.sqrt(variance / n)


def evaluate_run(qrels: Qrels, run: Run, metrics: Iterable[str]) -> dict[str, float]:
    """Mean of each metric over the judged queries.

    Example: ``evaluate_run({"q": {"a": 1}}, {"q": {"b": 2.0, "a": 1.0}}, ["mrr@10"])``
    ``# => {"mrr@10": 0.5}``
    """
    out = {}
    for name in metrics:
        base, k = parse_metric(name)
        out[name] = mean(METRICS[base](qrels, run, k))
    return out


# --- passage spans (seed set: gold evidence is quoted text) -------------------------------


def locate_quote(quote: str, texts: Mapping[str, str]) -> list[tuple[str, int, int]]:
    """Every document holding ``quote`` verbatim, as ``(doc_id, start, end)`` of its first match.

    Raises:
        InputError: the quote is in no document (the set and the corpus disagree).
    """
    spans = []
    for doc_id, text in texts.items():
        start = text.find(quote)
        if start >= 0:
            spans.append((doc_id, start, start + len(quote)))
    if not spans:
        raise InputError(
            f"Gold quote {quote[:80]!r} is not in any indexed document; fix the quote or index "
            "the document it comes from"
        )
    return spans


def span_matches(passage: tuple[str, int, int], quote: tuple[str, int, int]) -> bool:
    """A passage ``(doc_id, start, end)`` finds a quote span when it covers the quote or
    overlaps at least half of it (so the set survives a change of chunker)."""
    pdoc, ps, pe = passage
    qdoc, qs, qe = quote
    if pdoc != qdoc:
        return False
    overlap = min(pe, qe) - max(ps, qs)
    return (ps <= qs and pe >= qe) or 2 * overlap >= qe - qs


def quote_level(
    gold: Mapping[str, list[list[tuple[str, int, int]]]],
    hits: Mapping[str, list[tuple[str, str, int, int]]],
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, float]]]:
    """Turn ranked passages into a run over gold quotes, so each quote is one relevant item.

    Args:
        gold: qid -> one list of spans per gold quote (a quote may occur in several documents).
        hits: qid -> ranked passages as ``(passage_id, doc_id, start, end)``, best first.

    Returns:
        ``(qrels, run)``: quote ``j`` of ``qid`` is the item ``"<qid>/gold<j>"``. Each passage
        contributes, at its rank, the quotes it finds for the first time (several quotes in one
        passage take consecutive ranks); a passage finding none stays as itself (not relevant).
        Scores are ``-(item rank)``, so ``ranked`` reproduces the order.
    """
    qrels = {qid: {f"{qid}/gold{j}": 1 for j in range(len(quotes))} for qid, quotes in gold.items()}
    run: dict[str, dict[str, float]] = {}
    for qid, passages in hits.items():
        items: list[str] = []
        found: set[int] = set()
        for pid, doc_id, start, end in passages:
            new = [
                j
                for j, spans in enumerate(gold.get(qid, []))
                if j not in found and any(span_matches((doc_id, start, end), s) for s in spans)
            ]
            found.update(new)
            if new:
                items.extend(f"{qid}/gold{j}" for j in new)
            else:
                items.append(pid)
        run[qid] = {item: -float(rank) for rank, item in enumerate(items, start=1)}
    return qrels, run


# --- verdict metrics -------------------------------------------------------------------------


def label_metrics(gold: list[str], predicted: list[str]) -> dict:
    """Accuracy, macro-F1 and the confusion matrix of predicted labels.

    Macro-F1 averages per-label F1 over every label seen in ``gold`` or ``predicted`` (as
    scikit-learn does); a label never predicted has precision 0.

    Returns:
        ``{"n", "accuracy", "macro_f1", "per_label": {label: {precision, recall, f1, support}},
        "confusion": {gold label: {predicted label: count}}}``.
    """
    if len(gold) != len(predicted):
        raise InputError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    labels = [lab for lab in LABELS if lab in gold or lab in predicted]
    labels += sorted((set(gold) | set(predicted)) - set(labels))
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    per_label = {}
    for lab in labels:
        tp = confusion[lab][lab]
        n_pred = sum(confusion[g][lab] for g in labels)
        n_gold = sum(confusion[lab].values())
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[lab] = {"precision": precision, "recall": recall, "f1": f1, "support": n_gold}
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    return {
        "n": len(gold),
        "accuracy": correct / len(gold) if gold else 0.0,
        "macro_f1": mean({lab: v["f1"] for lab, v in per_label.items()}),
        "per_label": per_label,
        "confusion": confusion,
    }


def scifact_label(evidence: Mapping[str, list[dict]]) -> str:
    """A SciFact claim's label: SUPPORT -> SUPPORTED, CONTRADICT -> REFUTED, none -> NEI.

    A claim whose evidence both supports and contradicts it is CONFLICTING.
    """
    found = {SCIFACT_LABELS[s["label"]] for sets in evidence.values() for s in sets}
    if not found:
        return "NOT_ENOUGH_INFO"
    return found.pop() if len(found) == 1 else "CONFLICTING"


# --- files ---------------------------------------------------------------------------------


def read_jsonl(path: str | Path) -> list[dict]:
    """Objects of a JSON-lines file (blank lines skipped); InputError names a bad line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"File {str(path)!r} does not exist; pass a .jsonl file")
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError as e:
                    raise InputError(f"Line {n} of {str(path)!r} is not valid JSON") from e
    return rows


def read_beir_queries(path: str | Path) -> dict[str, str]:
    """BEIR ``queries.jsonl`` (``{"_id", "text"}`` a line) -> ``{qid: text}``."""
    return {str(row["_id"]): row["text"] for row in read_jsonl(path)}


def read_qrels(path: str | Path) -> dict[str, dict[str, int]]:
    """BEIR qrels TSV (``query-id corpus-id score``, one header line) -> qrels.

    Raises:
        InputError: the file is missing or a row does not have three fields.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Qrels file {str(path)!r} does not exist; expected DIR/qrels/<split>.tsv")
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.reader(f, delimiter="\t"), start=1):
            if n == 1 and row and not row[-1].lstrip("-").isdigit():
                continue  # header
            if not row:
                continue
            if len(row) != 3 or not row[2].lstrip("-").isdigit():
                raise InputError(f"Row {n} of {str(path)!r} is not 'query-id corpus-id score'")
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    return qrels


def format_trec_run(run: Run, tag: str = "verifact", k: int | None = None) -> str:
    """A run in TREC format, ``qid Q0 id rank score tag`` a line, ranked by ``(-score, id)``."""
    lines = []
    for qid in sorted(run):
        for rank, i in enumerate(ranked(run[qid], k), start=1):
            lines.append(f"{qid} Q0 {i} {rank} {run[qid][i]:.6f} {tag}")
    return "\n".join(lines) + ("\n" if lines else "")


def evidence_doc_metrics(gold: list[set[str]], cited: list[set[str]]) -> dict:
    """Document-level evidence precision/recall, micro-averaged over claims.

    ``gold[i]`` holds claim i's evidence documents (empty for NOT_ENOUGH_INFO), ``cited[i]``
    the documents its verdict cites as supporting or contradicting.

    Example: ``evidence_doc_metrics([{"a"}, set()], [{"a", "b"}, {"c"}])["precision"]  # => 1/3``
    """
    tp = sum(len(g & c) for g, c in zip(gold, cited, strict=True))
    n_cited, n_gold = sum(map(len, cited)), sum(map(len, gold))
    p = tp / n_cited if n_cited else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "cited_docs": n_cited,
        "gold_docs": n_gold,
    }
