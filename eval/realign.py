"""Re-align cached claim analyses with the current alignment code and print what changes.

    .venv/bin/python eval/fit_verify.py --data ../shared/data --analyses /tmp/an/analyses.pkl
    # ... change verify/align.py ...
    .venv/bin/python eval/realign.py --data ../shared/data --analyses /tmp/an/analyses.pkl \
        --sets scifact-dev,snli-test-counter -v

For each set: accuracy and SUPPORTED precision before -> after, and each (gold, before, after)
label change (``-v``: the claims too). Retrieval and stance probabilities are kept from the
cache, and reference resolution is not redone (``verifact.eval.verdicts.realign``), so this is a
filter before a re-analysis (``eval/fit_verify.py`` with a fresh ``--analyses`` file), whose
figures are the ones to report. About 3 minutes to build the claim sets, then 3-4 for eight
sets on 2 cores.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

from verifact.config import default_sources_dir
from verifact.eval.verdicts import claim_sets, label_changes, realign
from verifact.index.embed import load_embedder
from verifact.verify.verdict import decide

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--analyses", required=True, help="a pickle eval/fit_verify.py wrote")
    ap.add_argument("--sets", help="comma-separated set names (default: every cached set)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each changed claim")
    args = ap.parse_args(argv)
    path = Path(args.analyses)
    if not path.is_file():
        ap.error(f"--analyses {args.analyses!r}: no such file; run eval/fit_verify.py with it")
    try:
        cached = pickle.loads(path.read_bytes())["analyses"]  # a file fit_verify.py wrote
    except (pickle.UnpicklingError, EOFError, KeyError, TypeError, AttributeError, ImportError):
        ap.error(f"--analyses {args.analyses!r}: not an analyses file of eval/fit_verify.py")
    article = (default_sources_dir() / "russia-hamas-relations.txt").read_text("utf-8")
    sets = claim_sets(Path(args.data), article)
    names = args.sets.split(",") if args.sets else [n for n in sets if n in cached]
    unknown = [n for n in names if n not in cached or n not in sets]
    if unknown:
        ap.error(f"--sets: {unknown[0]!r} is not in the cache; cached: {', '.join(cached)}")
    embedder = load_embedder()
    for name in names:
        claims, before = sets[name], cached[name]
        if [c.claim for c in claims] != [a.claim for a in before]:
            print(f"{name}: the cache holds other claims; skipped", file=sys.stderr)
            continue
        after = realign(before, embedder)
        changed, counts = label_changes(before, after, claims)
        print(
            f"{name:24s} {_summary(before, claims)} -> {_summary(after, claims)}  changes "
            f"(gold, before, after): {sorted(counts.items())}",
            flush=True,
        )
        if args.verbose:
            for c, gold, old, new in changed:
                print(f"    {gold[:3]} {old[:3]} -> {new[:3]}  {c.claim[:150]}")
    return 0


def _summary(analyses, claims) -> str:
    labels = [decide(a).label for a in analyses]
    right = sum(lab == c.label for lab, c in zip(labels, claims, strict=True))
    sup = [
        c.label == "SUPPORTED" for lab, c in zip(labels, claims, strict=True) if lab == "SUPPORTED"
    ]
    precision = f"{sum(sup) / len(sup):.3f}" if sup else "-"
    return f"acc {right / len(claims):.3f} SUP {precision} of {len(sup)}"


if __name__ == "__main__":
    sys.exit(main())
