"""Evaluation runs: seed set or BEIR dataset + index -> metrics, per-query ranks, files, plot.

``verifact eval`` calls :func:`run_seed` or :func:`run_beir`, then :func:`write_outputs`; the
metric arithmetic lives in ``evaluate.py`` (pure functions), this module only orchestrates.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from .config import MODES, VERSION, Settings, project_root, write_json_atomic
from .errors import InputError, MissingDependencyError, VerifactError
from .evaluate import (
    evaluate_run,
    first_relevant_rank,
    label_metrics,
    locate_quote,
    ndcg_at_k,
    paired_gain,
    quote_level,
    ranked,
    read_beir_queries,
    read_jsonl,
    read_qrels,
    rollup_to_documents,
    scifact_label,
)
from .search import Index, load_index

SEED_DIR = project_root() / "eval" / "seed"
RESULTS_DIR = project_root() / "eval" / "results"
CACHE_DIR = project_root() / "eval" / "cache"
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
    from .verify import verify_claims

    mode = claim_mode(modes, settings)
    texts = [r["claim"] for r in rows]
    predicted: list[str] = []
    bar = _bar(len(texts), "claims", progress)
    for i in range(0, len(texts), QUERY_BATCH):
        verdicts = verify_claims(index, texts[i : i + QUERY_BATCH], k=settings.k, mode=mode)
        predicted.extend(str(v.label) for v in verdicts)
        if bar:
            bar.update(len(verdicts))
    if bar:
        bar.close()
    out = label_metrics([r["label"] for r in rows], predicted)
    out["mode"], out["k"] = mode, settings.k
    return out


def read_scifact_claims(path: str | Path) -> list[dict]:
    """SciFact ``claims_*.jsonl`` -> rows ``{"id", "claim", "label"}`` in verifact labels."""
    return [
        {"id": row["id"], "claim": row["claim"], "label": scifact_label(row.get("evidence", {}))}
        for row in read_jsonl(path)
    ]


# --- BEIR datasets -------------------------------------------------------------------------


def dataset_name(beir_dir: Path) -> str:
    """``../shared/data/scifact/beir`` -> ``"scifact"`` (the folder, or its parent if "beir")."""
    beir_dir = beir_dir.resolve()
    return (beir_dir.parent.name if beir_dir.name.lower() == "beir" else beir_dir.name).lower()


def check_beir_dir(beir_dir: Path, split: str) -> None:
    """Raise InputError unless ``beir_dir`` holds a BEIR dataset with qrels for ``split``."""
    layout = "corpus.jsonl, queries.jsonl and qrels/<split>.tsv"
    for name in ("corpus.jsonl", "queries.jsonl"):
        if not (beir_dir / name).is_file():
            raise InputError(
                f"{str(beir_dir)!r} is not a BEIR dataset (no {name}); it needs {layout}"
            )
    if not (beir_dir / "qrels" / f"{split}.tsv").is_file():
        splits = sorted(p.stem for p in (beir_dir / "qrels").glob("*.tsv"))
        raise InputError(
            f"No qrels for split {split!r} in {str(beir_dir)!r}; available splits: "
            f"{', '.join(splits) or 'none'}; pass one with --split"
        )


def beir_index(
    beir_dir: Path,
    settings: Settings,
    cache_dir: Path = CACHE_DIR,
    progress: bool = False,
    embedder=None,
) -> Index:
    """The cached index of a BEIR corpus, (re)built only when missing or out of date.

    The cache lives in ``<cache_dir>/<dataset>-<model slug>-<backend>``; it is reused when its
    manifest records the same model, backend, chunking and document hashes.
    """
    from .index import build_index, doc_hash, load_index_data
    from .ingest import load_documents

    # resolved, so the documents' sources (and hashes) do not depend on the working directory
    docs = load_documents([(beir_dir / "corpus.jsonl").resolve()]).documents
    if embedder is None:
        from .embed import load_embedder

        embedder = load_embedder(settings.model, backend=settings.backend)
    backend = getattr(embedder, "backend", "torch")
    chunking = "" if settings.max_words == Settings.max_words else f"-w{settings.max_words}"
    path = cache_dir / f"{dataset_name(beir_dir)}-{model_slug(embedder.name)}-{backend}{chunking}"
    try:
        data = load_index_data(path, embedder.name, embedder.dim)
        m = data.manifest
        stored = {d: v["sha256"] for d, v in m["documents"].items()}
        if (
            m.get("backend") == backend
            and m.get("chunk") == settings.chunk_settings()
            and stored == {d.doc_id: doc_hash(d) for d in docs}
        ):
            return load_index(path, embedder=embedder, settings=settings)
    except VerifactError:  # missing or damaged: rebuilt below
        pass
    build_index(docs, path, embedder, settings, progress=progress)
    return load_index(path, embedder=embedder, settings=settings)


def passage_run(
    index: Index,
    queries: dict[str, str],
    mode: str,
    k: int,
    progress: bool = False,
    qvecs: dict | None = None,
) -> dict[str, dict[str, float]]:
    """Every candidate passage's score per query, exactly as ``search_many(k=k)`` ranks them.

    Calls ``Index.rank`` (the ranking step of ``search_many``) directly: ``search_many`` also
    finds each hit's best
    sentence (~0.4 ms a hit, minutes on a BEIR run) and drops overlapping windows of a better
    hit, neither of which changes a document's best passage score. ``qvecs`` (qid -> query
    vector) skips the query embedding, for runs that repeat the same queries.
    """
    from .search import validate_query

    bar = _bar(len(queries), mode, progress)
    qids = list(queries)
    run: dict[str, dict[str, float]] = {}
    for i in range(0, len(qids), QUERY_BATCH):
        batch = qids[i : i + QUERY_BATCH]
        texts = [validate_query(queries[q]) for q in batch]
        if mode == "bm25":
            vecs = [None] * len(batch)
        elif qvecs is not None:
            vecs = [qvecs[q] for q in batch]
        else:
            vecs = index.embedder.embed_queries(texts)
        for qid, text, qvec in zip(batch, texts, vecs, strict=True):
            rows, parts = index.rank(text, qvec, mode, k, index.settings.alpha)
            scores = parts.get("fused", parts.get("dense", parts.get("bm25")))
            run[qid] = {index.passages[r].id: float(x) for r, x in zip(rows, scores, strict=True)}
        if bar:
            bar.update(len(batch))
    if bar:
        bar.close()
    return run


def document_run(
    index: Index, queries: dict[str, str], mode: str, progress: bool, qvecs: dict | None = None
) -> dict:
    """Document-level run: passages rolled up to documents by their best score, top BEIR_DOCS.

    ``k=BEIR_DOCS`` makes each retriever return ``4 * BEIR_DOCS`` passages (about 3 per
    document on SciFact), enough to fill the top ``BEIR_DOCS`` documents.
    """
    run = rollup_to_documents(passage_run(index, queries, mode, BEIR_DOCS, progress, qvecs))
    return {qid: {d: docs[d] for d in ranked(docs, BEIR_DOCS)} for qid, docs in run.items()}


def open_beir(beir_dir, split, settings, cache_dir=CACHE_DIR, progress=False, embedder=None):
    """``(index, queries, qrels)`` of a BEIR split: only the queries its qrels judge."""
    beir_dir = Path(beir_dir)
    check_beir_dir(beir_dir, split)
    qrels = read_qrels(beir_dir / "qrels" / f"{split}.tsv")
    all_queries = read_beir_queries(beir_dir / "queries.jsonl")
    queries = {q: all_queries[q] for q in sorted(qrels) if q in all_queries}
    return beir_index(beir_dir, settings, cache_dir, progress, embedder), queries, qrels


def fit_hybrid(
    beir_dir: str | Path,
    split: str,
    settings: Settings,
    cache_dir: Path = CACHE_DIR,
    progress: bool = False,
    embedder=None,
) -> EvalResult:
    """Grid-search the hybrid weight (``alpha``) and fusion depth (``candidates``) on a split.

    Fit on a training split only (SciFact: train), then report the test split with the chosen
    values. The best cell is the highest nDCG@10 (on a tie, the smaller depth); it replaces
    the current settings only when its gain exceeds ``FIT_Z`` paired standard errors.
    """
    index, queries, qrels = open_beir(beir_dir, split, settings, cache_dir, progress, embedder)
    qvecs = dict(zip(queries, index.embedder.embed_queries(list(queries.values())), strict=True))
    bar = _bar(len(FIT_CANDIDATES) * len(FIT_ALPHAS), "fit", progress, unit="setting")
    cells = {}  # (alpha, candidates) -> (metrics, per-query nDCG@10)
    for candidates in FIT_CANDIDATES:
        for alpha in FIT_ALPHAS:
            index.settings = replace(settings, alpha=alpha, candidates=candidates)
            run = document_run(index, queries, "hybrid", False, qvecs)
            cells[alpha, candidates] = (
                evaluate_run(qrels, run, BEIR_METRICS),
                ndcg_at_k(qrels, run, 10),
            )
            if bar:
                bar.update(1)
    if bar:
        bar.close()
    index.settings = settings
    name = dataset_name(Path(beir_dir))
    results = _header(name, split, index, len(queries))
    results["definitions"] = DEFINITIONS["beir"]
    fit = _choose(cells, (settings.alpha, settings.candidates))
    results["metrics"] = {"hybrid": cells[fit["chosen"]["alpha"], fit["chosen"]["candidates"]][0]}
    grid = [{"alpha": a, "candidates": c, **m} for (a, c), (m, _) in cells.items()]
    results["fit"] = {**fit, "grid": grid}
    return EvalResult(f"{name}-{split}-fit", results)


def _choose(cells: dict, current: tuple[float, int]) -> dict:
    """The best grid cell by nDCG@10 (ties: smaller depth), unless ``current`` is as good
    within noise: the best must gain more than ``FIT_Z`` paired standard errors over it."""
    best = max(cells, key=lambda key: (cells[key][0]["ndcg@10"], -key[1]))
    out = {
        "best": {"alpha": best[0], "candidates": best[1]},
        "rule": f"keep the current settings unless the best gains > {FIT_Z} paired std errors",
    }
    if current not in cells:
        return {**out, "chosen": out["best"], "current_in_grid": False}
    gain, se = paired_gain(cells[best][1], cells[current][1])
    chosen = current if gain <= FIT_Z * se else best
    return {
        **out,
        "gain_over_current": gain,
        "paired_std_error": se,
        "chosen": {"alpha": chosen[0], "candidates": chosen[1]},
    }


def run_beir(
    beir_dir: str | Path,
    split: str,
    modes: tuple[str, ...],
    settings: Settings,
    claims_file: str | Path | None = None,
    cache_dir: Path = CACHE_DIR,
    progress: bool = False,
    embedder=None,
) -> EvalResult:
    """Evaluate a BEIR dataset's ``split`` (queries judged in its qrels only).

    ``embedder`` replaces the one ``settings.model`` names (tests pass a fake one).
    """
    t0 = time.perf_counter()
    index, queries, qrels = open_beir(beir_dir, split, settings, cache_dir, progress, embedder)
    t_index = _since(t0)
    name = dataset_name(Path(beir_dir))
    results = _header(name, split, index, len(queries))
    results["definitions"] = DEFINITIONS["beir"]
    measured = _per_mode(modes, lambda mode: _beir_mode(index, queries, qrels, mode, progress))
    results["metrics"] = measured["metrics"]
    if name in PUBLISHED:
        results["published_ndcg@10"] = PUBLISHED[name]
    if claims_file:
        rows = read_scifact_claims(claims_file)
        results["claims"] = evaluate_claims(index, rows, settings, modes, progress)
        results["claims"]["file"] = str(claims_file)
    results["timing_s"] = {"index": t_index, "search": measured["timing"], "total": _since(t0)}
    rows = [
        {"qid": q, "query": text, "gold": sorted(d for d, rel in qrels[q].items() if rel > 0)}
        for q, text in queries.items()
    ]
    return EvalResult(f"{name}-{split}", results, _per_query(rows, measured))


def _beir_mode(index: Index, queries: dict, qrels: dict, mode: str, progress: bool) -> tuple:
    """(metrics, first relevant rank by qid, top document ids by qid) of one mode."""
    run = document_run(index, queries, mode, progress)
    return (
        evaluate_run(qrels, run, BEIR_METRICS),
        {q: first_relevant_rank(qrels[q], run.get(q, {})) for q in queries},
        {q: ranked(run.get(q, {}), TOP_SHOWN) for q in queries},
    )


# --- outputs -------------------------------------------------------------------------------


def write_outputs(result: EvalResult, out_dir: str | Path | None = None) -> dict[str, Path]:
    """Write results.json, per_query.jsonl (when there are rows) and recall_at_k.png.

    Default ``out_dir``: ``eval/results/<name>`` (``seed`` or ``<dataset>-<split>``).
    """
    out = Path(out_dir) if out_dir else RESULTS_DIR / result.name
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "results": out / "results.json",
        "per_query": out / "per_query.jsonl",
        "plot": out / "recall_at_k.png",
    }
    write_json_atomic(paths["results"], result.results)
    if result.per_query:
        with open(paths["per_query"], "w", encoding="utf-8") as f:
            for row in result.per_query:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        del paths["per_query"]
    plot_recall(result.results, paths["plot"])
    return paths


def plot_recall(results: dict, path: Path) -> None:
    """Recall@k against k, one line per mode (matplotlib, Agg backend: no display needed)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise MissingDependencyError(
            'The Recall@k plot needs "matplotlib": pip install "verifact[eval]"'
        ) from e
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    for mode, metrics in results["metrics"].items():
        ks = sorted(int(m.split("@")[1]) for m in metrics if m.startswith("recall@"))
        ax.plot(ks, [metrics[f"recall@{k}"] for k in ks], marker="o", label=mode)
    ax.set_xscale("log")
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("k")
    ax.set_ylabel("Recall@k")
    ax.set_title(f"{results['dataset']} {results['split']}: Recall@k by mode ({results['model']})")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def format_table(results: dict) -> str:
    """The terminal summary: one row per mode, then the published figures and the claims."""
    metrics = results["metrics"]
    names = list(next(iter(metrics.values())))
    lines = [
        f"{results['dataset']} {results['split']}: {results['queries']} queries, model "
        f"{results['model']} ({results['backend']}), verifact {results['verifact_version']}",
        f"{'mode':<8}" + "".join(f"{n:>11}" for n in names),
    ]
    for mode, values in metrics.items():
        lines.append(f"{mode:<8}" + "".join(f"{values[n]:>11.4f}" for n in names))
    for system, value in results.get("published_ndcg@10", {}).items():
        lines.append(f"  published nDCG@10 {value:.3f}  {system}")
    claims = results.get("claims")
    if claims:
        lines.append(
            f"claims ({claims['n']}, {claims['mode']}): accuracy {claims['accuracy']:.4f}, "
            f"macro-F1 {claims['macro_f1']:.4f}"
        )
        labels = list(claims["confusion"])
        corner = "gold / predicted"
        lines.append(f"  {corner:<18}" + "".join(f"{lab:>16}" for lab in labels))
        for g in labels:
            row = "".join(f"{claims['confusion'][g][p]:>16}" for p in labels)
            lines.append(f"  {g:<18}{row}")
    return "\n".join(lines)


def open_seed_index(index_dir: str | None, settings: Settings, progress: bool) -> Index:
    """The index for the seed set: ``--index DIR``, the default index, or (with another model)
    a cached index of the default corpus under ``eval/cache/seed-<model>``."""
    from .embed import resolve_model

    if index_dir:
        return load_index(index_dir, settings=settings)
    if resolve_model(settings.model)[0] == resolve_model(Settings().model)[0]:
        return load_index(None, settings=settings)
    from .config import default_sources_dir
    from .embed import load_embedder
    from .index import build_index
    from .ingest import load_documents

    embedder = load_embedder(settings.model, backend=settings.backend)
    path = CACHE_DIR / f"seed-{model_slug(embedder.name)}-{getattr(embedder, 'backend', 'torch')}"
    docs = load_documents([default_sources_dir()]).documents
    build_index(docs, path, embedder, settings, progress=progress)  # incremental: cheap if built
    return load_index(path, embedder=embedder, settings=settings)


def with_overrides(settings: Settings, **overrides) -> Settings:
    """``settings`` with the overrides that are not None."""
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
