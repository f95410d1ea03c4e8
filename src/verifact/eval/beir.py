"""BEIR evaluation: a BEIR dataset -> cached index -> document-level run -> metrics, fitting."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from ..config import Settings
from ..errors import InputError, VerifactError
from ..search.search import Index, load_index
from .metrics import (
    evaluate_run,
    first_relevant_rank,
    ndcg_at_k,
    paired_gain,
    ranked,
    read_beir_queries,
    read_qrels,
    rollup_to_documents,
)
from .seed import (
    BEIR_DOCS,
    BEIR_METRICS,
    DEFINITIONS,
    FIT_ALPHAS,
    FIT_CANDIDATES,
    FIT_Z,
    PUBLISHED,
    QUERY_BATCH,
    TOP_SHOWN,
    EvalResult,
    _bar,
    _header,
    _per_mode,
    _per_query,
    _since,
    eval_cache_dir,
    evaluate_claims,
    model_slug,
    read_scifact_claims,
)


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
    cache_dir: Path | None = None,
    progress: bool = False,
    embedder=None,
) -> Index:
    """The cached index of a BEIR corpus, (re)built only when missing or out of date.

    The cache lives in ``<cache_dir>/<dataset>-<model slug>-<backend>`` (default cache_dir:
    ``seed.eval_cache_dir()``, in the user's cache folder); it is reused when its
    manifest records the same model, backend, chunking and document hashes.
    """
    from ..index.store import build_index, doc_hash, load_index_data
    from ..ingest.readers import load_documents

    # resolved, so the documents' sources (and hashes) do not depend on the working directory
    docs = load_documents([(beir_dir / "corpus.jsonl").resolve()]).documents
    if embedder is None:
        from ..index.embed import load_embedder

        embedder = load_embedder(settings.model, backend=settings.backend)
    backend = getattr(embedder, "backend", "torch")
    chunking = "" if settings.max_words == Settings.max_words else f"-w{settings.max_words}"
    cache_dir = cache_dir or eval_cache_dir()
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
    from ..search.search import validate_query

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


def open_beir(beir_dir, split, settings, cache_dir=None, progress=False, embedder=None):
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
    cache_dir: Path | None = None,
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
    cache_dir: Path | None = None,
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
