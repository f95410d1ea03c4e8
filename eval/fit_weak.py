"""Fit the chat's "no good match" threshold for questions on the seed set.

The top hit's dense cosine separates questions the corpus answers (eval/seed/questions.jsonl)
from questions it does not (eval/seed/unanswerable.jsonl). The threshold is fitted on the
train half (odd-numbered answerable questions + unanswerable split=train) and reported on the
other half; it is written to src/verifact/verify/verify_params.json as "question_threshold".
The fitting is ``verifact.eval.weak``.

    python eval/fit_weak.py [--index DIR] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", help="index directory (default: the shipped corpus)")
    ap.add_argument("--no-write", action="store_true", help="report only")
    args = ap.parse_args()
    from verifact.eval.weak import fit_question_threshold
    from verifact.search.search import load_index
    from verifact.verify.fit import save_params

    report = fit_question_threshold(load_index(args.index))
    print(json.dumps(report, indent=1))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "weak_threshold.json").write_text(json.dumps(report, indent=1) + "\n")
    if not args.no_write:
        save_params({"question_threshold": report["question_threshold"]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
