"""Helpers for the sharded-index tests: SciFact documents, and one-index vs sharded comparisons."""

from __future__ import annotations

import json
from pathlib import Path

from verifact.types import Document

from conftest import SCIFACT

BEIR = SCIFACT / "beir"
MODES = ("hybrid", "dense", "bm25")


def scifact_docs(n: int | None = None) -> list[Document]:
    """The first ``n`` SciFact abstracts as Documents (title + abstract), in corpus order."""
    docs = []
    with open(BEIR / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs.append(
                Document(doc_id=d["_id"], text=d["text"], source="scifact", title=d["title"])
            )
            if n is not None and len(docs) == n:
                break
    return docs


def write_jsonl(docs: list[Document], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.doc_id, "title": d.title, "text": d.text}) + "\n")
    return path


def scifact_queries(n: int | None = None) -> list[str]:
    """SciFact claims (the BEIR queries), in file order."""
    out = []
    with open(BEIR / "queries.jsonl", encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line)["text"])
            if n is not None and len(out) == n:
                break
    return out


def view(hits) -> list[tuple]:
    """What must be identical: passage, rank, highlight (scores compared with a tolerance)."""
    return [(h.passage, h.rank, h.highlight) for h in hits]


def assert_same_answers(single, sharded, queries, modes=MODES, ks=(1, 5, 20), tol=1e-5):
    """Every query's hits: same passages in the same order with the same highlights, and the
    same scores to float tolerance (dense inner products may differ in the last bits)."""
    for mode in modes:
        for k in ks:
            a = single.search_many(queries, k=k, mode=mode)
            b = sharded.search_many(queries, k=k, mode=mode)
            for q, x, y in zip(queries, a, b, strict=True):
                assert view(x) == view(y), (mode, k, q)
                for hx, hy in zip(x, y, strict=True):
                    assert hx.scores.keys() == hy.scores.keys()
                    for key, val in hx.scores.items():
                        assert abs(val - hy.scores[key]) <= tol, (mode, k, q, key)


def assert_same_verdicts(single, sharded, claims, k=5):
    import verifact

    a = verifact.verify_claims(single, claims, k=k)
    b = verifact.verify_claims(sharded, claims, k=k)
    for x, y in zip(a, b, strict=True):
        dx, dy = x.to_dict(), y.to_dict()  # the JSON contract of verifact check --json
        assert dx["verdict"] == dy["verdict"], x.claim
        assert abs(dx["confidence"] - dy["confidence"]) < 1e-4, x.claim
        cited = [[(e["passage_id"], e.get("stance")) for e in d["evidence"]] for d in (dx, dy)]
        assert cited[0] == cited[1], x.claim
        assert [r["kind"] for r in dx["reasons"]] == [r["kind"] for r in dy["reasons"]]
