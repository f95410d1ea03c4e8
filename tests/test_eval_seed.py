"""`verifact eval`: pinned seed-set metrics (real model), output files, BEIR runs, CLI errors."""

from __future__ import annotations

import json

import pytest

from verifact.app.cli import main
from verifact.config import MODES, Settings
from verifact.eval.beir import document_run, fit_hybrid, open_beir, run_beir
from verifact.eval.metrics import evaluate_run, quote_level, ranked, read_jsonl
from verifact.eval.report import write_outputs
from verifact.eval.seed import (
    FIT_ALPHAS,
    FIT_CANDIDATES,
    FIT_Z,
    SEED_DIR,
    evaluate_claims,
    run_seed,
    search_all,
    seed_gold,
)

from conftest import DATA, SCIFACT, needs_shared

# Measured with the bundled all-MiniLM-L6-v2 on the shipped corpus (eval/results/seed). A change
# that moves a figure by more than TOLERANCE fails here: re-measure, and update the figures and
# the README table only when the change is intended.
# Recall@k counts questions out of 70 whose gold evidence is in the top k.
PINNED = {
    "hybrid": {
        "recall@1": 61 / 70,
        "recall@3": 66 / 70,
        "recall@5": 67 / 70,
        "recall@10": 70 / 70,
        "mrr@10": 0.9106,
        "ndcg@10": 0.9325,
    },
    "dense": {
        "recall@1": 52 / 70,
        "recall@3": 64 / 70,
        "recall@5": 67 / 70,
        "recall@10": 70 / 70,
        "mrr@10": 0.8360,
        "ndcg@10": 0.8760,
    },
    "bm25": {
        "recall@1": 58 / 70,
        "recall@3": 64 / 70,
        "recall@5": 66 / 70,
        "recall@10": 67 / 70,
        "mrr@10": 0.8735,
        "ndcg@10": 0.8928,
    },
}
TOLERANCE = 0.015  # one question of 70 is 0.0143: a single flip passes, two fail
# The int8 embedder's ranks depend on the machine (most likely its CPU's int8 kernel paths),
# not only on the package versions: this machine and CI give the dense figures above under
# onnxruntime 1.31.1 and 1.32.0 alike (measured 2026-12-03), while one earlier machine gave R@1
# 49, R@3 63 of 70, MRR@10 0.806, nDCG@10 0.853 from the same files. Dense-only figures may
# move by that much (3 of 70) and no more; hybrid and BM25, which the product uses, hold to
# TOLERANCE.
DENSE_TOLERANCE = 0.045


@pytest.fixture(scope="module")
def seed_result(seed_index):
    return run_seed(seed_index, MODES, Settings(), claims=False)


@pytest.mark.parametrize("mode", MODES)
def test_seed_metrics_are_pinned(seed_result, mode):
    got = seed_result.results["metrics"][mode]
    tolerance = DENSE_TOLERANCE if mode == "dense" else TOLERANCE
    assert got == pytest.approx(PINNED[mode], abs=tolerance)


def test_seed_hybrid_beats_each_retriever(seed_result):
    metrics = seed_result.results["metrics"]
    for name in ("recall@1", "recall@3", "mrr@10", "ndcg@10"):
        assert metrics["hybrid"][name] >= max(metrics["dense"][name], metrics["bm25"][name])


@pytest.mark.xfail(
    strict=True,
    reason="issue 5 target not met yet: hybrid Recall@3 is 66/70 = 0.943; the misses (q029, "
    "q030, q032, q033: paraphrases sharing almost no words with the source) have their gold "
    "passage 3rd-10th of 11 in dense and 5th or lower in bm25: beyond what fusion can fix "
    "(eval/results/README.md). "
    "Remove this mark once the target is reached.",
)
def test_seed_hybrid_finds_the_answer_in_the_top_3(seed_result):
    assert seed_result.results["metrics"]["hybrid"]["recall@3"] >= 0.95


def test_seed_per_query_lists_gold_and_first_rank(seed_result):
    rows = seed_result.per_query
    questions = read_jsonl(SEED_DIR / "questions.jsonl")
    assert [r["qid"] for r in rows] == [q["qid"] for q in questions]
    assert all(set(r["first_gold_rank"]) == set(MODES) and r["gold"] for r in rows)
    ranks = [r["first_gold_rank"]["hybrid"] for r in rows]
    recall_at_1 = sum(r == 1 for r in ranks) / len(ranks)
    assert recall_at_1 == pytest.approx(seed_result.results["metrics"]["hybrid"]["recall@1"])


def test_seed_metrics_match_ranx(seed_index):
    """Our metric code against a reference implementation on a real run."""
    ranx = pytest.importorskip("ranx", reason='needs ranx: pip install "verifact[eval]"')
    questions = read_jsonl(SEED_DIR / "questions.jsonl")
    gold = seed_gold(seed_index, questions)
    hits = search_all(seed_index, {q["qid"]: q["text"] for q in questions}, "hybrid", 10)
    spans = {
        qid: [(h.passage.id, h.passage.doc_id, h.passage.start, h.passage.end) for h in hs]
        for qid, hs in hits.items()
    }
    qrels, run = quote_level(gold, spans)
    ours = evaluate_run(qrels, run, ["success@1", "success@3", "recall@5", "mrr@10", "ndcg@10"])
    names = ["hit_rate@1", "hit_rate@3", "recall@5", "mrr@10", "ndcg@10"]
    ref = ranx.evaluate(ranx.Qrels(qrels), ranx.Run(run), names, make_comparable=True)
    assert list(ours.values()) == pytest.approx([float(ref[n]) for n in names], abs=1e-9)


def test_seed_claims_are_evaluated(seed_index):
    pytest.importorskip("verifact.verify.verdict", reason="verify.py not written yet")
    rows = [c for c in read_jsonl(SEED_DIR / "claims.jsonl") if c["split"] == "test"]
    got = evaluate_claims(seed_index, rows, Settings(), MODES, progress=False)
    assert got["n"] == 36
    assert sum(sum(row.values()) for row in got["confusion"].values()) == 36
    assert 0.0 <= got["macro_f1"] <= got["accuracy"] + 1.0
    assert got["mode"] == "hybrid"


def test_eval_cli_writes_the_three_files(seed_index, tmp_path, capsys):
    out = tmp_path / "results"
    argv = ["eval", "--index", str(seed_index.data.path), "--out", str(out), "--quiet"]
    assert main([*argv, "--mode", "hybrid", "--no-claims"]) == 0
    printed = capsys.readouterr().out
    assert "hybrid" in printed and "recall@3" in printed
    results = json.loads((out / "results.json").read_text())
    assert results["metrics"] == {"hybrid": pytest.approx(PINNED["hybrid"], abs=TOLERANCE)}
    assert results["model"] == "all-MiniLM-L6-v2"
    assert results["verifact_version"] and results["index"]["manifest"]["passage_count"] > 0
    rows = [json.loads(line) for line in (out / "per_query.jsonl").read_text().splitlines()]
    assert len(rows) == results["queries"] == 70
    assert (out / "recall_at_k.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_eval_cli_json_prints_the_results(seed_index, tmp_path, capsys):
    argv = ["eval", "--index", str(seed_index.data.path), "--out", str(tmp_path), "--quiet"]
    assert main([*argv, "--mode", "bm25", "--no-claims", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((tmp_path / "results.json").read_text())


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--claims", "x.jsonl"], "--claims needs --beir"),
        (["--alpha", "1.5"], "Invalid --alpha 1.5"),
        (["--candidates", "0"], "Invalid --candidates 0"),
        (["--beir", "no/such/dir"], "is not a BEIR dataset (no corpus.jsonl)"),
    ],
)
def test_eval_cli_errors(extra, message, capsys):
    assert main(["eval", "--quiet", *extra]) == 1
    assert message in capsys.readouterr().err


# --- BEIR ------------------------------------------------------------------------------------


def write_beir(root, docs, queries, qrels):
    root.mkdir()
    with open(root / "corpus.jsonl", "w") as f:
        for doc_id, (title, text) in docs.items():
            f.write(json.dumps({"_id": doc_id, "title": title, "text": text}) + "\n")
    with open(root / "queries.jsonl", "w") as f:
        for qid, text in queries.items():
            f.write(json.dumps({"_id": qid, "text": text, "metadata": {}}) + "\n")
    (root / "qrels").mkdir()
    rows = "".join(f"{q}\t{d}\t1\n" for q, ds in qrels.items() for d in ds)
    (root / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n" + rows)


@pytest.fixture
def tiny_beir(tmp_path):
    docs = {
        "10": ("Eiffel Tower", "The Eiffel Tower stands in Paris, on the Champ de Mars."),
        "11": ("Colosseum", "The Colosseum is an amphitheatre in the centre of Rome."),
        "12": ("Big Ben", "Big Ben is the nickname of the great bell in London."),
        "13": ("Vitamin C", "Vitamin C does not prevent the common cold in most people."),
    }
    queries = {"1": "where is the eiffel tower", "2": "rome amphitheatre", "3": "unjudged"}
    write_beir(tmp_path / "tiny", docs, queries, {"1": ["10"], "2": ["11", "12"]})
    return tmp_path / "tiny"


def test_beir_run_rolls_up_and_caches(tiny_beir, tmp_path, fake_embedder):
    cache = tmp_path / "cache"
    result = run_beir(tiny_beir, "test", MODES, Settings(), cache_dir=cache, embedder=fake_embedder)
    assert result.name == "tiny-test"
    assert result.results["queries"] == 2  # the unjudged query is left out
    hybrid = result.results["metrics"]["hybrid"]
    assert hybrid["recall@1"] == pytest.approx((1 / 1 + 1 / 2) / 2)
    assert hybrid["recall@100"] == 1.0
    rows = {r["qid"]: r for r in result.per_query}
    assert rows["2"]["gold"] == ["11", "12"] and rows["1"]["first_gold_rank"]["bm25"] == 1
    (cached,) = [p for p in cache.iterdir() if not p.name.startswith(".")]  # .lock beside
    assert cached.name == "tiny-fake-bow-fake"
    stamp = (cached / "manifest.json").stat().st_mtime_ns
    run_beir(tiny_beir, "test", ("bm25",), Settings(), cache_dir=cache, embedder=fake_embedder)
    assert (cached / "manifest.json").stat().st_mtime_ns == stamp  # reused, not rebuilt
    paths = write_outputs(result, tmp_path / "out")
    assert all(p.exists() for p in paths.values())


def test_fit_hybrid_grid_and_choice(tiny_beir, tmp_path, fake_embedder):
    result = fit_hybrid(
        tiny_beir, "test", Settings(), cache_dir=tmp_path / "cache", embedder=fake_embedder
    )
    fit = result.results["fit"]
    assert len(fit["grid"]) == len(FIT_ALPHAS) * len(FIT_CANDIDATES)
    cells = {(r["alpha"], r["candidates"]): r for r in fit["grid"]}
    best = cells[fit["best"]["alpha"], fit["best"]["candidates"]]
    assert best["ndcg@10"] == max(r["ndcg@10"] for r in fit["grid"])
    # on this tiny set the best cell is not significantly better, so the defaults stay
    assert fit["chosen"] == {"alpha": Settings.alpha, "candidates": Settings.candidates}
    assert fit["gain_over_current"] <= FIT_Z * fit["paired_std_error"]
    chosen = cells[Settings.alpha, Settings.candidates]
    assert result.results["metrics"]["hybrid"]["ndcg@10"] == chosen["ndcg@10"]


def test_beir_unknown_split_lists_the_available_ones(tiny_beir, capsys):
    assert main(["eval", "--beir", str(tiny_beir), "--split", "dev", "--quiet"]) == 1
    assert "available splits: test" in capsys.readouterr().err


@needs_shared
@pytest.mark.slow
def test_scifact_test_split_against_the_published_figures():
    """Full SciFact test eval, 300 queries in 3 modes, checked against ranx (the index is cached
    in the user's cache folder: ~15 s when cached, ~4 min on 2 cores when it must be built)."""
    ranx = pytest.importorskip("ranx", reason='needs ranx: pip install "verifact[eval]"')
    index, queries, qrels = open_beir(SCIFACT / "beir", "test", Settings())
    ndcg = {}
    for mode in MODES:
        run = document_run(index, queries, mode, progress=False)
        ours = evaluate_run(qrels, run, ["ndcg@10", "recall@100", "mrr@10", "recall@10"])
        ref = ranx.evaluate(
            ranx.Qrels(qrels), ranx.Run(to_ranx(run)), list(ours), make_comparable=True
        )
        assert list(ours.values()) == pytest.approx([float(ref[m]) for m in ours], abs=1e-9)
        ndcg[mode] = ours["ndcg@10"]
    # passages of <= 100 words rolled up to abstracts; whole abstracts (--max-words 1000) give
    # dense 0.648 vs the published 0.645 (eval/results/scifact-test-whole-abstracts)
    assert 0.645 <= ndcg["dense"] <= 0.645 + 0.03
    assert 0.665 <= ndcg["bm25"] <= 0.679 + 0.01
    assert ndcg["hybrid"] >= 0.73
    assert ndcg["hybrid"] >= max(ndcg["dense"], ndcg["bm25"]) + 0.05


def to_ranx(run):
    """Scores that encode our (-score, id) order, so ranx's own tie-breaking never matters."""
    return {q: {i: float(len(s) - r) for r, i in enumerate(ranked(s))} for q, s in run.items()}


def test_hybrid_scores_do_not_depend_on_k(fake_embedder, tmp_path):
    """The BEIR eval ranks with k=100 what a user asks for with k=5: same scores either way."""
    from verifact.index.store import build_index
    from verifact.ingest.readers import load_documents
    from verifact.search.search import load_index

    build_index(load_documents([DATA]).documents, tmp_path / "idx", fake_embedder)
    index = load_index(tmp_path / "idx", embedder=fake_embedder, settings=Settings(candidates=4))
    for query in ("eiffel tower location", "the common cold", "city"):
        few = index.search(query, k=1, mode="hybrid")
        many = index.search(query, k=20, mode="hybrid")  # ranks 80 candidates, not 4
        assert [(h.passage.id, h.score) for h in few] == [
            (h.passage.id, h.score) for h in many[: len(few)]
        ]
