"""Evaluation runs: seed set or BEIR dataset + index -> metrics, per-query ranks, files, plot.

``verifact eval`` calls :func:`run_seed` (or ``beir.run_beir``), then ``report.write_outputs``;
the metric arithmetic lives in ``metrics.py`` (pure functions), this module only orchestrates.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from .. import config
from ..config import MODES, VERSION, Settings
from ..errors import InputError
from ..search.search import Index, load_index
from .metrics import (
    evaluate_run,
    evidence_doc_metrics,
    first_relevant_rank,
    label_metrics,
    locate_quote,
    quote_level,
    read_jsonl,
    scifact_label,
)

# The seed set and eval/results/ live in the source checkout (development conveniences); an
# installed package has neither, and writes results and caches to the user's folders.
_ROOT = config.project_root()
SEED_DIR = (_ROOT or config.PACKAGE_DIR.parent) / "eval" / "seed"


def results_dir() -> Path:
    """Default parent of eval outputs: ``eval/results`` in a checkout, else ``<data_dir>/eval``."""
    return _ROOT / "eval" / "results" if _ROOT else config.data_dir() / "eval"


def eval_cache_dir() -> Path:
    """Where evaluation indexes are cached (``--cache`` overrides): ``<cache_dir>/eval``."""
    return config.cache_dir() / "eval"


SEED_METRICS = ("recall@1", "recall@3", "recall@5", "recall@10", "mrr@10", "ndcg@10")
BEIR_METRICS = (*SEED_METRICS, "recall@100")
SEED_K = 10  # hits per seed question: every seed metric stops at 10
FIT_ALPHAS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
FIT_CANDIDATES = (50, 100, 200)
FIT_Z = 2.0  # a fitted setting replaces the default only if better by > 2 paired std errors
BEIR_DOCS = 100  # documents per BEIR query after the roll-up (Recall@100)
TOP_SHOWN = 3  # ids listed per query and mode in per_query.jsonl
QUERY_BATCH = 32  # queries embedded per call (batched: ~10x faster than one by one)
DEFINITIONS = {
    "seed": "passage level: a hit finds a gold quote when its span covers the quote or overlaps "
    "at least half of it; recall@k = share of questions with a gold hit in the top k (success); "
    "mrr@10 = 1/rank of the first gold hit; ndcg@10 counts each gold quote as one relevant item",
    "beir": "document level: passages rolled up to their document by max score, ties by "
    "(-score, id); recall@k = share of the query's relevant documents in the top k; "
    "mrr@10, ndcg@10 as trec_eval (linear gains)",
}
# SciFact BEIR test, nDCG@10 (../shared/data/README.md)
PUBLISHED = {
    "scifact": {
        "bm25 (Anserini flat)": 0.679,
        "bm25 (BEIR paper)": 0.665,
        "all-MiniLM-L6-v2 dense (MTEB)": 0.645,
        "bm25 + cross-encoder rerank (BEIR paper)": 0.688,
        "bge-small-en-v1.5 dense (MTEB)": 0.713,
    }
}


@dataclass
class EvalResult:
    """Everything one ``verifact eval`` run measured: ``results`` goes to results.json."""

    name: str
    results: dict
    per_query: list[dict] = field(default_factory=list)


def modes_of(mode: str) -> tuple[str, ...]:
    """``"all"`` -> every mode; otherwise the one mode."""
    return MODES if mode == "all" else (mode,)


def model_slug(name: str) -> str:
    """A folder-safe name for a model: ``"all-MiniLM-L6-v2"`` -> ``"all-minilm-l6-v2"``."""
    slug = re.sub(r"[^a-z0-9.]+", "-", Path(name).name.lower()).strip("-")
    return slug or hashlib.sha256(name.encode()).hexdigest()[:12]


def _bar(total: int, mode: str, progress: bool, unit: str = "query"):
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc=f"{mode:>6}", leave=False)


def search_all(
    index: Index, queries: dict[str, str], mode: str, k: int, progress: bool = False
) -> dict[str, list]:
    """Hits for every query in batches (dense queries are embedded per batch)."""
    bar = _bar(len(queries), mode, progress)
    qids = list(queries)
    out: dict[str, list] = {}
    for i in range(0, len(qids), QUERY_BATCH):
        batch = qids[i : i + QUERY_BATCH]
        for qid, hits in zip(
            batch, index.search_many([queries[q] for q in batch], k, mode), strict=True
        ):
            out[qid] = hits
        if bar:
            bar.update(len(batch))
    if bar:
        bar.close()
    return out


def index_summary(index: Index) -> dict:
    """The manifest without its per-document table (replaced by a digest of it)."""
    manifest = dict(index.manifest)
    docs = manifest.pop("documents", {})
    digest = hashlib.sha256(json.dumps(docs, sort_keys=True).encode()).hexdigest()
    return {"path": str(index.data.path), "manifest": manifest, "documents_sha256": digest}


def _header(name: str, split: str, index: Index, n: int) -> dict:
    return {
        "verifact_version": VERSION,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "dataset": name,
        "split": split,
        "queries": n,
        "model": index.manifest["model"],
        "backend": index.manifest.get("backend"),
        "settings": index.settings.to_dict(),
        "index": index_summary(index),
    }


# --- the seed set ------------------------------------------------------------------------


def seed_gold(index: Index, questions: list[dict]) -> dict[str, list[list[tuple[str, int, int]]]]:
    """qid -> spans of each gold quote in the indexed documents (InputError if one is absent)."""
    texts = {doc_id: doc.text for doc_id, doc in index.documents().items()}
    return {q["qid"]: [locate_quote(quote, texts) for quote in q["gold"]] for q in questions}


def run_seed(
    index: Index,
    modes: tuple[str, ...],
    settings: Settings,
    seed_dir: Path = SEED_DIR,
    claims: bool = True,
    progress: bool = False,
) -> EvalResult:
    """Evaluate the seed questions (and the seed test claims) on ``index``."""
    if not (seed_dir / "questions.jsonl").is_file():
        raise InputError(
            f"The seed set {str(seed_dir)!r} is not there: it ships with the source checkout, "
            "not the package; run from a checkout, or pass --beir DIR (any BEIR folder)"
        )
    t0 = time.perf_counter()
    questions = read_jsonl(seed_dir / "questions.jsonl")
    gold = seed_gold(index, questions)
    texts = {q["qid"]: q["text"] for q in questions}
    results = _header("seed", "all", index, len(questions))
    results["definitions"] = DEFINITIONS["seed"]
    measured = _per_mode(modes, lambda mode: _seed_mode(index, texts, gold, mode, progress))
    results["metrics"] = measured["metrics"]
    if claims:
        rows = [c for c in read_jsonl(seed_dir / "claims.jsonl") if c.get("split") == "test"]
        results["claims"] = evaluate_claims(index, rows, settings, modes, progress)
    results["timing_s"] = {"search": measured["timing"], "total": _since(t0)}
    rows = [
        {"qid": q["qid"], "kind": q.get("kind"), "query": q["text"], "gold": q["gold"]}
        for q in questions
    ]
    return EvalResult("seed", results, _per_query(rows, measured))


def _seed_mode(index: Index, texts: dict, gold: dict, mode: str, progress: bool) -> tuple:
    """(metrics, first gold rank by qid, top passage ids by qid) of one mode on the seed set."""
    hits = search_all(index, texts, mode, SEED_K, progress)
    spans = {
        qid: [(h.passage.id, h.passage.doc_id, h.passage.start, h.passage.end) for h in hs]
        for qid, hs in hits.items()
    }
    qrels, run = quote_level(gold, spans)
    # seed recall@k is success@k: the question is answered once any gold quote is found
    names = {m: m.replace("recall@", "success@") for m in SEED_METRICS}
    scores = evaluate_run(qrels, run, names.values())
    return (
        {m: scores[names[m]] for m in SEED_METRICS},
        {qid: first_relevant_rank(qrels[qid], run[qid]) for qid in qrels},
        {qid: [h.passage.id for h in hs[:TOP_SHOWN]] for qid, hs in hits.items()},
    )


def _per_mode(modes: tuple[str, ...], evaluate_mode) -> dict:
    """Run ``evaluate_mode(mode) -> (metrics, ranks, tops)`` for each mode, timing each."""
    out: dict[str, dict] = {"metrics": {}, "ranks": {}, "tops": {}, "timing": {}}
    for mode in modes:
        t = time.perf_counter()
        out["metrics"][mode], out["ranks"][mode], out["tops"][mode] = evaluate_mode(mode)
        out["timing"][mode] = _since(t)
    return out


def _per_query(rows: list[dict], measured: dict) -> list[dict]:
    """Each row plus the rank of its first gold hit and its top ids, per mode."""
    return [
        {
            **row,
            "first_gold_rank": {m: r[row["qid"]] for m, r in measured["ranks"].items()},
            "top": {m: t[row["qid"]] for m, t in measured["tops"].items()},
        }
        for row in rows
    ]


def _since(t0: float) -> float:
    return round(time.perf_counter() - t0, 2)


# --- claims --------------------------------------------------------------------------------


def claim_mode(modes: tuple[str, ...], settings: Settings) -> str:
    """Verdicts are evaluated once, in the product's mode when it is among those asked for."""
    return settings.mode if settings.mode in modes else modes[0]


def evaluate_claims(
    index: Index, rows: list[dict], settings: Settings, modes: tuple[str, ...], progress: bool
) -> dict:
    """Label accuracy, macro-F1 and confusion of ``verify_claims`` on rows with "claim"/"label"."""
    from ..verify.verdict import expected_calibration_error, verify_claims

    mode = claim_mode(modes, settings)
    texts = [r["claim"] for r in rows]
    predicted: list[str] = []
    confidence: list[float] = []
    cited: list[set[str]] = []
    bar = _bar(len(texts), "claims", progress)
    for i in range(0, len(texts), QUERY_BATCH):
        verdicts = verify_claims(index, texts[i : i + QUERY_BATCH], k=settings.k, mode=mode)
        predicted.extend(str(v.label) for v in verdicts)
        confidence.extend(float(v.confidence) for v in verdicts)
        cited.extend(
            {e.hit.passage.doc_id for e in v.evidence if e.stance != "unrelated"} for v in verdicts
        )
        if bar:
            bar.update(len(verdicts))
    if bar:
        bar.close()
    gold = [r["label"] for r in rows]
    out = label_metrics(gold, predicted)
    called = [g for g, p in zip(gold, predicted) if p == "SUPPORTED"]
    out["supported_precision"] = (
        sum(g == "SUPPORTED" for g in called) / len(called) if called else None
    )
    out["ece"] = expected_calibration_error(confidence, [g == p for g, p in zip(gold, predicted)])
    if all("docs" in r for r in rows):  # SciFact: gold evidence documents are known
        out["evidence_doc_level"] = evidence_doc_metrics([set(r["docs"]) for r in rows], cited)
    out["mode"], out["k"] = mode, settings.k
    return out


def read_scifact_claims(path: str | Path) -> list[dict]:
    """SciFact ``claims_*.jsonl`` -> rows ``{"id", "claim", "label"}`` in verifact labels."""
    return [
        {
            "id": row["id"],
            "claim": row["claim"],
            "label": scifact_label(row.get("evidence", {})),
            "docs": [str(d) for d in row.get("evidence", {})],
        }
        for row in read_jsonl(path)
    ]


def open_seed_index(
    index_dir: str | None, settings: Settings, progress: bool, cache_dir: Path | None = None
) -> Index:
    """The index for the seed set: ``--index DIR``, the default index, or (with another model)
    a cached index of the default corpus under ``<eval_cache_dir>/seed-<model>``."""
    from ..index.model import model_name

    if index_dir:
        return load_index(index_dir, settings=settings)
    if model_name(settings.model) == model_name(Settings().model):
        return load_index(None, settings=settings)
    from ..config import default_sources_dir
    from ..index.embed import load_embedder
    from ..index.store import build_index
    from ..ingest.readers import load_documents

    embedder = load_embedder(settings.model, backend=settings.backend)
    backend = getattr(embedder, "backend", "torch")
    path = (cache_dir or eval_cache_dir()) / f"seed-{model_slug(embedder.name)}-{backend}"
    docs = load_documents([default_sources_dir()]).documents
    build_index(docs, path, embedder, settings, progress=progress)  # incremental: cheap if built
    return load_index(path, embedder=embedder, settings=settings)


def with_overrides(settings: Settings, **overrides) -> Settings:
    """``settings`` with the overrides that are not None."""
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
