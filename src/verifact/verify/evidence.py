"""Verify stage, part 1: claims -> each hit's best sentence with its check findings (no thresholds).

verdict.py applies the fitted thresholds to these Analyses; fit.py fits the thresholds on them
(eval/fit_verify.py computes them once for the training claims).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from ..errors import InputError, MissingDependencyError
from ..index.chunk import sentences
from ..types import Hit
from .checks import Finding, compare, coverage

NEAR_DUPLICATE = 0.8  # word-trigram Jaccard at which two passages are one source


@dataclass(frozen=True)
class Candidate:
    """One hit's best sentence with everything the decision needs (thresholds not applied)."""

    hit: Hit
    sentence: tuple[int, int]  # document offsets
    dense: float  # claim-passage cosine
    similarity: float  # claim-sentence cosine
    coverage: float  # share of the claim's content words in the sentence
    findings: tuple[Finding, ...]
    duplicate_of: int | None  # rank of an earlier hit with the same text, if any
    nli: tuple[float, float] | None = None  # (entailment, contradiction) probabilities

    @property
    def strength(self) -> float:
        """Absolute evidence strength: the better of the passage and sentence cosines (a long
        passage dilutes the one sentence that matters)."""
        return max(self.dense, self.similarity)


@dataclass(frozen=True)
class Analysis:
    claim: str
    candidates: tuple[Candidate, ...]
    entity_similarity: dict  # (claim name, source name) -> cosine of their embeddings


def analyse_claims(
    index, claims, k=5, mode="hybrid", nli_model=None, doc_ids=None
) -> list[Analysis]:
    """Retrieve, pick each hit's best sentence and run the checks (no thresholds applied).

    Arguments as for ``verdict.verify_claims``; raises InputError for bad input.
    """
    from ..search.search import validate_k, validate_query

    claims = [validate_query(c) for c in claims]
    k = validate_k(k)
    results = index.search_many(claims, k=k, mode=mode, doc_ids=doc_ids)
    emb = index.embedder
    claim_vecs = emb.embed_queries(claims)
    spans = {}  # passage id -> sentence spans (passage offsets)
    for hits in results:
        for h in hits:
            spans.setdefault(h.passage.id, sentences(h.passage.text) or [(0, 0)])
    texts = sorted(
        {h.passage.text[a:b] for hits in results for h in hits for a, b in spans[h.passage.id]}
    )
    vec = dict(zip(texts, emb.embed_passages(texts), strict=True)) if texts else {}
    missing = sorted(
        {h.passage.text for hits in results for h in hits if h.scores.get("dense") is None}
    )
    if missing:  # bm25 mode: compute the dense cosine the thresholds are fitted on
        vec.update(zip(missing, emb.embed_passages(missing), strict=True))
    nli = _load_nli(nli_model) if nli_model else None
    out = []
    for claim, qvec, hits in zip(claims, claim_vecs, results, strict=True):
        cands = _candidates(claim, qvec, hits, spans, vec)
        if nli is not None:
            cands = _add_nli(nli, claim, cands)
        out.append(Analysis(claim, tuple(cands), _entity_similarity(emb, cands)))
    return out


def _candidates(claim, qvec, hits, spans, vec) -> list[Candidate]:
    out: list[Candidate] = []
    for h in hits:
        p = h.passage
        best = None
        for a, b in spans[p.id]:
            text = p.text[a:b]
            sim, cov = float(vec[text] @ qvec), coverage(claim, text)
            if best is None or sim + cov > best[0]:
                best = (sim + cov, a, b, sim, cov)
        _, a, b, sim, cov = best
        dense = h.scores.get("dense")
        dense = float(vec[p.text] @ qvec) if dense is None else float(dense)
        context = f"{p.title}\n{p.text}" if p.title else p.text
        dup = next((c.hit.rank for c in out if _near_duplicate(c, h, p.text[a:b])), None)
        out.append(
            Candidate(
                h,
                (p.start + a, p.start + b),
                dense,
                sim,
                cov,
                tuple(compare(claim, p.text[a:b], context)),
                dup,
            )
        )
    return out


def _shingles(text: str) -> set:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def _near_duplicate(c: Candidate, hit: Hit, sentence: str) -> bool:
    """Same source text: overlapping windows of one document, the same passage text in two
    files (word-trigram Jaccard >= NEAR_DUPLICATE), or the same evidence sentence quoted."""
    a, b = c.hit.passage, hit.passage
    if a.doc_id == b.doc_id and a.start < b.end and b.start < a.end:
        return True
    x, y = _shingles(a.text), _shingles(b.text)
    if len(x & y) >= NEAR_DUPLICATE * len(x | y):
        return True
    s, e = c.sentence
    mine = " ".join(a.text[s - a.start : e - a.start].lower().split())
    return len(mine.split()) >= 8 and mine == " ".join(sentence.lower().split())


def _entity_similarity(emb, cands) -> dict:
    pairs = {
        strip_common(f.claim_span, alt)
        for c in cands
        for f in c.findings
        if f.kind == "entity not found"
        for alt, _ in f.alternatives
    }
    names = sorted({n for p in pairs for n in p})
    if not names:
        return {}
    vecs = dict(zip(names, emb.embed_queries(names), strict=True))
    return {p: float(vecs[p[0]] @ vecs[p[1]]) for p in pairs}


def strip_common(a: str, b: str) -> tuple[str, str]:
    """Drop the leading words two names share: ("Foreign Minister X", "Foreign Minister Y")."""
    x, y = a.split(), b.split()
    n = 0
    while n < min(len(x), len(y)) - 1 and x[n].lower() == y[n].lower():
        n += 1
    return " ".join(x[n:]), " ".join(y[n:])


def _load_nli(name: str):
    try:
        from sentence_transformers import CrossEncoder
    except ImportError as e:  # pragma: no cover - a core dependency
        raise MissingDependencyError(
            "--nli-model needs sentence-transformers: pip install sentence-transformers"
        ) from e
    try:
        model = CrossEncoder(name, local_files_only=True)
    except (OSError, ValueError) as e:
        raise InputError(
            f"Cannot load NLI model {name!r} offline ({type(e).__name__}); pass a local folder "
            "or a cached cross-encoder name, e.g. --nli-model cross-encoder/nli-deberta-v3-small"
        ) from e
    labels = {v.lower(): int(k) for k, v in model.config.id2label.items()}
    try:
        ids = (labels["entailment"], labels["contradiction"])
    except KeyError as e:
        raise InputError(
            f"NLI model {name!r} has labels {sorted(labels)}; expected entailment and contradiction"
        ) from e
    return model, ids


def _add_nli(nli, claim: str, cands: list[Candidate]) -> list[Candidate]:
    """Attach (entailment, contradiction) probabilities: premise = sentence, hypothesis = claim."""
    model, (ent, con) = nli
    if not cands:
        return cands
    pairs = []
    for c in cands:
        p, (a, b) = c.hit.passage, c.sentence
        pairs.append((p.text[a - p.start : b - p.start], claim))
    probs = np.asarray(model.predict(pairs, apply_softmax=True, convert_to_numpy=True))
    return [
        replace(c, nli=(float(p[ent]), float(p[con]))) for c, p in zip(cands, probs, strict=True)
    ]
