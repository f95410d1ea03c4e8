"""Fit the verdict model on training claims and report every held-out set
(eval/results/verdicts.json).

    .venv/bin/python eval/fit_verify.py --data ../shared/data            # report with shipped
    params
    .venv/bin/python eval/fit_verify.py --data ../shared/data --fit      # refit, save, then report

Fits on SciFact claims_train, the seed train split and perturbation claims from SciFact abstracts
no dev claim cites (``verifact.verify.fit``); reports SciFact dev, perturbations of SciFact dev
abstracts and of the shipped article (per type), the seed test and held-out splits, the stance
model alone on SNLI test and HealthVer test, and evidence reranking on SciFact test nDCG@10
(``verifact.eval.verdicts``). About 20-30 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from verifact.config import Settings, default_sources_dir, write_json_atomic
from verifact.eval.beir import beir_index
from verifact.eval.verdicts import analyse_all, claim_sets, report_sets, stance_accuracy
from verifact.search.search import load_index
from verifact.verify.fit import fit_params, save_params
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
    args = ap.parse_args(argv)
    data = Path(args.data)
    t0 = time.time()
    sci = beir_index(data / "scifact" / "beir", Settings(), progress=True)
    seed = load_index()
    article = (default_sources_dir() / "russia-hamas-relations.txt").read_text("utf-8")
    sets = claim_sets(data, article)
    index_of = {
        name: seed if name.startswith(("seed", "article", "train-seed")) else sci for name in sets
    }
    analyses = {}
    for name, claims in sets.items():
        t = time.time()
        analyses[name] = analyse_all(index_of[name], claims)
        ms = (time.time() - t) / max(1, len(claims)) * 1000
        print(f"{name}: {len(claims)} claims analysed ({ms:.0f} ms/claim)", file=sys.stderr)
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
        "seconds": round(time.time() - t0, 1),
        "note": "train-* sets were used for fitting; every other set is held out",
    }
    write_json_atomic(Path(args.out), result)
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


if __name__ == "__main__":
    sys.exit(main())
