"""Verdict evaluation for the threshold fit: claim sets -> analyses -> held-out figures.

The claim sets are SciFact (release format: ``claims_train`` / ``claims_dev``) and the seed
set's claims; ``verify.fit`` fits the thresholds on the train sets and this module reports every
set. ``eval/fit_verify.py`` runs both. Label mapping: SciFact SUPPORT -> SUPPORTED, CONTRADICT
-> REFUTED, no evidence -> NOT_ENOUGH_INFO; a CONFLICTING verdict counts as wrong.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np

from ..config import default_sources_dir
from ..index.store import build_index
from ..ingest.readers import load_documents
from ..search.search import Index, load_index
from ..verify.fit import GOLD, label_metrics
from ..verify.verdict import format_reason
from .metrics import evidence_doc_metrics
from .seed import SEED_DIR

SCIFACT_LABEL = {"SUPPORT": "SUPPORTED", "CONTRADICT": "REFUTED"}


def scifact_claims(path: str | Path) -> list[dict]:
    """SciFact claims (release format) as {"id", "claim", "label", "docs"}, docs = gold
    evidence doc ids; a claim with mixed labels is NOT_ENOUGH_INFO here (none in SciFact)."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        labels = {e["label"] for ev in r["evidence"].values() for e in ev}
        label = SCIFACT_LABEL[labels.pop()] if len(labels) == 1 else "NOT_ENOUGH_INFO"
        if not r["evidence"]:
            label = "NOT_ENOUGH_INFO"
        rows.append(
            {
                "id": r["id"],
                "claim": r["claim"],
                "label": label,
                "docs": sorted(str(d) for d in r["evidence"]),
            }
        )
    return rows


def seed_claims(split: str, seed_dir: Path = SEED_DIR) -> list[dict]:
    """The seed claims of one split, with their gold quotes and the kind of change made."""
    rows = []
    for line in (seed_dir / "claims.jsonl").read_text("utf-8").splitlines():
        r = json.loads(line)
        if r["split"] == split:
            rows.append(
                {
                    "id": r["cid"],
                    "claim": r["claim"],
                    "label": r["label"],
                    "gold": r["gold"],
                    "change": r["change"],
                }
            )
    return rows


class CachingEmbedder:
    """Wraps an embedder and memoises vectors by text, optionally persisted in an .npz file."""

    def __init__(self, inner, path: Path | None):
        self.inner, self.path = inner, path
        self.name, self.dim, self.max_tokens = inner.name, inner.dim, inner.max_tokens
        self.memo: dict[tuple[str, str], np.ndarray] = {}
        if path and path.exists():
            data = np.load(path, allow_pickle=False)
            for kind, text, v in zip(data["kinds"], data["texts"], data["vecs"], strict=True):
                self.memo[(str(kind), str(text))] = v

    def _embed(self, kind: str, texts: list[str], fn) -> np.ndarray:
        todo = sorted({t for t in texts if (kind, t) not in self.memo})
        if todo:
            for t, v in zip(todo, fn(todo), strict=True):
                self.memo[(kind, t)] = v
        return np.stack([self.memo[(kind, t)] for t in texts]) if texts else np.zeros((0, 384))

    def embed_queries(self, texts):
        return self._embed("q", list(texts), self.inner.embed_queries)

    def embed_passages(self, texts, progress=False):
        return self._embed("p", list(texts), self.inner.embed_passages)

    def count_tokens(self, text):
        return self.inner.count_tokens(text)

    def save(self):
        if self.path:
            keys = list(self.memo)
            np.savez(
                self.path,
                kinds=np.array([k for k, _ in keys]),
                texts=np.array([t for _, t in keys]),
                vecs=np.stack([self.memo[k] for k in keys]).astype(np.float32),
            )


def evidence_docs(v) -> set[str]:
    """The documents a verdict cites as supporting or contradicting."""
    return {e.hit.passage.doc_id for e in v.evidence if e.stance != "unrelated"}


def evidence_metrics(rows, verdicts) -> dict:
    """Document-level evidence P/R: docs cited as supporting or contradicting vs gold docs."""
    return evidence_doc_metrics(
        [set(r["docs"]) for r in rows], [evidence_docs(v) for v in verdicts]
    )


def retrieved_doc_recall(rows, analyses) -> float:
    """Share of gold evidence documents among the k retrieved hits: the ceiling for recall."""
    found = total = 0
    for r, a in zip(rows, analyses, strict=True):
        docs = {c.hit.passage.doc_id for c in a.candidates}
        found, total = found + len(docs & set(r["docs"])), total + len(r["docs"])
    return found / total if total else 0.0


def unjustified(verdicts) -> int:
    """SUPPORTED/REFUTED verdicts without a cited sentence of that stance (should be 0)."""
    need = {"SUPPORTED": "supports", "REFUTED": "contradicts"}
    return sum(
        1
        for v in verdicts
        if v.label in need and not any(e.stance == need[v.label] for e in v.evidence)
    )


def seed_index(embedder) -> Index:
    """The default corpus indexed afresh with ``embedder``, in a temporary directory."""
    path = Path(tempfile.mkdtemp(prefix="verifact-seed-")) / "index"
    build_index(load_documents([default_sources_dir()]).documents, path, embedder)
    return load_index(path, embedder=embedder)


def seed_relevant(c, r) -> bool:
    """A candidate holds one of the seed claim's gold quotes."""
    return any(g in c.hit.passage.text for g in r["gold"])


def scifact_relevant(c, r) -> bool:
    """A candidate comes from one of the SciFact claim's gold evidence documents."""
    return c.hit.passage.doc_id in r["docs"]


def report_seed(rows, verdicts) -> dict:
    """Label metrics of seed claims, the changed claims still SUPPORTED, and each verdict."""
    gold, pred = [r["label"] for r in rows], [v.label for v in verdicts]
    m = label_metrics(gold, pred)
    m["changed_but_supported"] = [
        r["id"]
        for r, v in zip(rows, verdicts, strict=True)
        if r["change"] in {"date", "number", "name", "place"} and v.label == "SUPPORTED"
    ]
    m["unjustified"] = unjustified(verdicts)
    m["claims"] = [
        {
            "id": r["id"],
            "gold": r["label"],
            "verdict": v.label,
            "reasons": [format_reason(x) for x in v.reasons],
        }
        for r, v in zip(rows, verdicts, strict=True)
    ]
    return m


def report_scifact(rows, verdicts, analyses) -> dict:
    """Label metrics of SciFact claims plus document-level evidence figures and the majority
    class baseline."""
    gold = [r["label"] for r in rows]
    m = label_metrics(gold, [v.label for v in verdicts])
    m["evidence_doc_level"] = evidence_metrics(rows, verdicts)
    m["evidence_doc_level"]["retrieved_recall"] = retrieved_doc_recall(rows, analyses)
    m["unjustified"] = unjustified(verdicts)
    m["majority_class_accuracy"] = max(gold.count(g) for g in GOLD) / len(rows)
    return m
