"""One-word counter-claims made by a swap list that nothing in verifact was built or fitted with.

    .venv/bin/python eval/counter_probe.py --data ../shared/data [--swaps dev|heldout] [--limit N]

About 10 minutes a list on 2 cores.

The verdict fit constrains the counter-claims of verifact's own generator (``verify.perturb``:
embedding neighbours, entity pools, negation of the main verb), so its leak figures can flatter it:
a verifier can learn its own generator's tells. This probe swaps one word for its opposite or
for a rival of its kind from a fixed list written for the probe alone (``SWAPS``: antonyms,
quantifiers, organisms, sexes and ages, directions), the kinds of counter-claim that public
fact-checking sets write, and is used for measuring only: no fit, rule or training set reads it.

Two swap lists: ``dev`` (``SWAPS``; its leaks on SciFact dev rationales were read to write the
alignment rules of 2026-12-05, so it no longer measures them untouched) and ``heldout``
(``HELDOUT_SWAPS``, written after those rules and before any run with it, with other words).

Sets (each counter-claim is REFUTED by construction, each original SUPPORTED):

- ``scifact-dev-rationales``: the gold rationale sentences of SciFact dev's SUPPORT claims,
  checked as claims against the SciFact index (held out from the verdict fit and from the stance
  model's training), with one counter-claim per swappable word;
- ``scifact-dev-claims``: SciFact dev's SUPPORT claims and their counter-claims;
- ``article``: the sentences of the shipped article (never trained on);
- ``rte-dev``: the sentences of GLUE RTE dev's premises (news and encyclopedia text, held out
  from the stance model and the verdict fit), checked against an index of those premises;
- ``rte-dev-hypotheses``: GLUE RTE dev's hypotheses labelled entailment, checked against the same
  index. People wrote them as paraphrases and abstractions of their premises, so a swapped word
  seldom sits in the place of the word it contradicts, as in the counter-claims of public
  fact-checking sets.

Reported per set: how many originals are SUPPORTED, how many counter-claims are SUPPORTED (all, and
among those whose original is SUPPORTED: the leak that matters), per swap kind.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# kind -> pairs (a, b): a swapped for b and b for a, matched as whole lower-case words
SWAPS: dict[str, list[tuple[str, str]]] = {
    "antonym": [
        ("increase", "decrease"),
        ("increases", "decreases"),
        ("increased", "decreased"),
        ("increasing", "decreasing"),
        ("higher", "lower"),
        ("high", "low"),
        ("more", "less"),
        ("greater", "smaller"),
        ("larger", "smaller"),
        ("longer", "shorter"),
        ("positive", "negative"),
        ("positively", "negatively"),
        ("improves", "worsens"),
        ("improved", "worsened"),
        ("enhances", "impairs"),
        ("enhanced", "impaired"),
        ("promotes", "inhibits"),
        ("activates", "represses"),
        ("induces", "prevents"),
        ("upregulates", "downregulates"),
        ("upregulated", "downregulated"),
        ("up-regulated", "down-regulated"),
        ("reduces", "raises"),
        ("reduced", "elevated"),
        ("benefit", "harm"),
        ("beneficial", "harmful"),
        ("protects", "predisposes"),
        ("protective", "detrimental"),
        ("early", "late"),
        ("before", "after"),
        ("strong", "weak"),
        ("stronger", "weaker"),
        ("better", "worse"),
        ("present", "absent"),
        ("required", "dispensable"),
        ("common", "rare"),
        ("safe", "dangerous"),
        ("rises", "falls"),
        ("gain", "loss"),
        ("accelerates", "slows"),
        ("faster", "slower"),
        ("stable", "volatile"),
        ("support", "oppose"),
        ("supported", "opposed"),
        ("allies", "enemies"),
        ("won", "lost"),
        ("rejected", "accepted"),
        ("welcomed", "condemned"),
    ],
    "quantifier": [
        ("all", "few"),
        ("most", "few"),
        ("many", "few"),
        ("always", "rarely"),
        ("every", "no"),
        ("majority", "minority"),
        ("often", "seldom"),
    ],
    "organism": [
        ("mice", "humans"),
        ("mouse", "human"),
        ("rats", "mice"),
        ("patients", "mice"),
        ("children", "adults"),
        ("men", "women"),
        ("male", "female"),
        ("bacteria", "viruses"),
        ("yeast", "bacteria"),
    ],
}


# A second list, written after the alignment rules of 2026-12-05 were fixed and before any run
# with it, with other words than SWAPS: ``--swaps heldout`` measures those rules on swaps their
# author did not look at (SWAPS's leaks on SciFact dev rationales were read to write them).
HELDOUT_SWAPS: dict[str, list[tuple[str, str]]] = {
    "antonym": [
        ("rise", "fall"),
        ("rose", "fell"),
        ("gained", "lost"),
        ("maximum", "minimum"),
        ("wider", "narrower"),
        ("older", "younger"),
        ("success", "failure"),
        ("agreed", "refused"),
        ("approved", "rejected"),
        ("allowed", "banned"),
        ("growth", "decline"),
        ("richer", "poorer"),
        ("open", "closed"),
        ("opened", "closed"),
        ("north", "south"),
        ("east", "west"),
        ("win", "lose"),
        ("bought", "sold"),
        ("imports", "exports"),
        ("lowest", "highest"),
        ("largest", "smallest"),
        ("cheap", "expensive"),
        ("increasingly", "decreasingly"),
        ("elevated", "diminished"),
        ("up", "down"),
        ("first", "last"),
        ("new", "old"),
        ("good", "bad"),
        ("significant", "negligible"),
        ("effective", "useless"),
        ("killed", "spared"),
        ("arrested", "released"),
        ("began", "ended"),
    ],
    "quantifier": [
        ("some", "no"),
        ("several", "no"),
        ("both", "neither"),
        ("never", "always"),
        ("usually", "rarely"),
        ("sometimes", "never"),
        ("least", "most"),
        ("much", "little"),
    ],
    "organism": [
        ("girls", "boys"),
        ("women", "men"),
        ("students", "teachers"),
        ("soldiers", "civilians"),
        ("doctors", "nurses"),
        ("animals", "plants"),
        ("adults", "infants"),
        ("people", "animals"),
        ("cats", "dogs"),
    ],
}
# ten of its words were in SWAPS too ("most", "no", "always", "men", ...): those pairs are left
# out, so that no held-out counter-claim swaps a word of the dev list
_DEV_WORDS = {w for pairs in SWAPS.values() for pair in pairs for w in pair}
HELDOUT_SWAPS = {
    kind: [p for p in pairs if not set(p) & _DEV_WORDS] for kind, pairs in HELDOUT_SWAPS.items()
}
LISTS = {"dev": SWAPS, "heldout": HELDOUT_SWAPS}


def _table(swaps: dict[str, list[tuple[str, str]]]) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for kind, pairs in swaps.items():
        for a, b in pairs:
            out.setdefault(a, (b, kind))
            out.setdefault(b, (a, kind))
    return out


TABLES = {name: _table(swaps) for name, swaps in LISTS.items()}
SETS = {  # name -> what it reads under --data
    "article": (),
    "scifact-dev-rationales": ("scifact/original", "scifact/beir"),
    "scifact-dev-claims": ("scifact/original", "scifact/beir"),
    "rte-dev": ("nli/rte_dev.jsonl",),
    "rte-dev-hypotheses": ("nli/rte_dev.jsonl",),
}
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


def counters(text: str, table: dict[str, tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(counter-claim, kind, "old -> new"): one per swappable word of ``text``, its case kept."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group()
        hit = table.get(w.lower())
        if hit is None:
            continue
        new, kind = hit
        if w[0].isupper():
            new = new[0].upper() + new[1:]
        out.append((text[: m.start()] + new + text[m.end() :], kind, f"{w} -> {new}"))
    return out


def scifact_sets(data: Path) -> dict[str, list[str]]:
    from verifact.eval.metrics import read_jsonl

    root = data / "scifact" / "original"
    corpus = {d["doc_id"]: d for d in read_jsonl(root / "corpus.jsonl")}
    rationales, claims = [], []
    for c in read_jsonl(root / "claims_dev.jsonl"):
        support = [
            (int(doc_id), ev["sentences"])
            for doc_id, evs in c["evidence"].items()
            for ev in evs
            if ev["label"] == "SUPPORT"
        ]
        rationales += [corpus[d]["abstract"][i].strip() for d, ids in support for i in ids]
        if support:
            claims.append(c["claim"])
    return {"scifact-dev-rationales": _claim_sized(rationales), "scifact-dev-claims": claims}


def _claim_sized(sentences: list[str]) -> list[str]:
    """The distinct sentences of 6 to 50 words (a claim's size), in order."""
    return [s for s in dict.fromkeys(sentences) if 6 <= len(s.split()) <= 50]


def _sentences(texts: list[str]) -> list[str]:
    from sentencex import segment

    return _claim_sized([s.strip() for text in texts for s in segment("en", text)])


def article_sentences() -> list[str]:
    from verifact.config import default_sources_dir

    text = (default_sources_dir() / "russia-hamas-relations.txt").read_text("utf-8")
    return _sentences(text.split("\n"))


def rte_documents(data: Path) -> tuple[list, list[str], list[str]]:
    """GLUE RTE dev's premises (news and encyclopedia text; never trained or fitted on), one
    document each, their sentences, and the hypotheses that their premises entail."""
    from verifact.eval.metrics import read_jsonl
    from verifact.types import Document

    rows = list(read_jsonl(data / "nli" / "rte_dev.jsonl"))
    premises = list(dict.fromkeys(r["premise"] for r in rows))
    docs = [Document(f"rte-dev-{i}", p, f"rte-dev-{i}.txt") for i, p in enumerate(premises)]
    entailed = [r["hypothesis"].strip() for r in rows if r["label"] == "entailment"]
    return docs, _sentences(premises), list(dict.fromkeys(entailed))


def probe(index, originals: list[str], limit: int | None, table) -> dict:
    from verifact.verify.verdict import verify_claims

    pairs = [(o, c, kind, swap) for o in originals for c, kind, swap in counters(o, table)]
    if limit:
        pairs = pairs[:limit]
    origs = list(dict.fromkeys(p[0] for p in pairs))
    v_orig = dict(zip(origs, (v.label for v in verify_claims(index, origs)), strict=True))
    v_cnt = [v.label for v in verify_claims(index, [p[1] for p in pairs])]
    by_kind: dict[str, Counter] = defaultdict(Counter)
    examples = []
    for (o, c, kind, swap), label in zip(pairs, v_cnt, strict=True):
        sup_orig = v_orig[o] == "SUPPORTED"
        for key in (kind, "all"):
            by_kind[key]["counter"] += 1
            by_kind[key][f"counter {label}"] += 1
            if sup_orig:
                by_kind[key]["original SUPPORTED"] += 1
                by_kind[key]["leak"] += label == "SUPPORTED"
        if label == "SUPPORTED" and len(examples) < 100:
            examples.append({"original": o, "counter": c, "kind": kind, "swap": swap})
    out = {
        "originals": len(origs),
        "originals SUPPORTED": sum(v == "SUPPORTED" for v in v_orig.values()),
        "by_kind": {},
        "supported_counter_examples": examples,
    }
    for kind, cnt in sorted(by_kind.items()):
        n, ns = cnt["counter"], cnt["original SUPPORTED"]
        out["by_kind"][kind] = {
            "counter-claims": n,
            "SUPPORTED": cnt["counter SUPPORTED"],
            "REFUTED": cnt["counter REFUTED"],
            "NOT_ENOUGH_INFO": cnt["counter NOT_ENOUGH_INFO"],
            "SUPPORTED rate": round(cnt["counter SUPPORTED"] / n, 4) if n else None,
            "of originals SUPPORTED": ns,
            "leak (SUPPORTED | original SUPPORTED)": round(cnt["leak"] / ns, 4) if ns else None,
        }
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", help="default: eval/results/counter_probe-<swaps>.json")
    ap.add_argument("--limit", type=int, help="at most N counter-claims per set (a quick look)")
    ap.add_argument(
        "--sets", default=",".join(SETS), help="comma-separated, of: " + ", ".join(SETS)
    )
    ap.add_argument("--swaps", choices=sorted(LISTS), default="dev", help="which swap list")
    args = ap.parse_args(argv)
    wanted = args.sets.split(",")
    unknown = [w for w in wanted if w not in SETS]
    if unknown:
        ap.error(f"--sets: unknown set {unknown[0]!r}; choose from {', '.join(SETS)}")
    if args.limit is not None and args.limit < 1:
        ap.error(f"--limit {args.limit}: give at least 1, or leave it out for every counter-claim")
    for name in wanted:
        for need in SETS[name]:
            if not (Path(args.data) / need).exists():
                ap.error(
                    f"--data {args.data!r}: set {name!r} needs {need}, which is not there; "
                    "pass the shared data folder (see its README)"
                )
    table = TABLES[args.swaps]
    out = Path(args.out or ROOT / "eval" / "results" / f"counter_probe-{args.swaps}.json")
    from verifact.config import Settings, write_json_atomic
    from verifact.eval.beir import open_beir
    from verifact.search.search import load_index

    data = Path(args.data)
    result = {}
    if "article" in wanted:
        result["article"] = probe(load_index(), article_sentences(), args.limit, table)
    sci_sets = {k: v for k, v in scifact_sets(data).items() if k in wanted}
    if sci_sets:
        sci, _, _ = open_beir(data / "scifact" / "beir", "test", Settings())
        for name, originals in sci_sets.items():
            result[name] = probe(sci, originals, args.limit, table)
    rte_sets = [w for w in ("rte-dev", "rte-dev-hypotheses") if w in wanted]
    if rte_sets:
        from fit_verify import _temp_index

        from verifact.index.embed import load_embedder

        docs, sents, hypotheses = rte_documents(data)
        rte = _temp_index(docs, load_embedder(), "rte")
        originals = {"rte-dev": sents, "rte-dev-hypotheses": hypotheses}
        for name in rte_sets:
            result[name] = probe(rte, originals[name], args.limit, table)
    result = {"swaps": args.swaps, "sets": result}
    for name, r in result["sets"].items():
        a = r["by_kind"].get("all", {})
        print(
            f"{name}: originals {r['originals']} ({r['originals SUPPORTED']} SUPPORTED); "
            f"counter-claims {a.get('counter-claims')}, SUPPORTED {a.get('SUPPORTED')}, "
            f"leak {a.get('leak (SUPPORTED | original SUPPORTED)')}",
            file=sys.stderr,
        )
    write_json_atomic(out, result)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
