"""Stance training data: public NLI sets, SciFact train rationales and generated perturbations ->
Pairs.

Everything is read from a data folder laid out as ``shared/data`` (``nli/*.jsonl``,
``scifact/original/``); nothing is downloaded. Held out from training, so they can measure the
model:
SNLI test, HealthVer test, RTE dev, SciFact dev claims and every abstract a dev claim cites.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..errors import InputError
from .analysis import as_statement
from .perturb import Pair, Perturber, build_vocabulary, doc_entities, perturb_docs

NLI_FILES = {  # file -> (pairs to sample, label map)
    "snli_dev.jsonl": (6000, {}),
    "med.jsonl": (2000, {}),
    "rte_train.jsonl": (2490, {"not_entailment": "neutral"}),
    "healthver_dev.jsonl": (1917, {}),
}
HELD_OUT_FILES = ("snli_test.jsonl", "healthver_test.jsonl", "rte_dev.jsonl")
# pair kinds read from public data (never capped as generated pairs)
REAL_KINDS = ("nli", "scifact", "scifact-topical")


@dataclass(frozen=True)
class Recipe:
    """What goes into one training set (defaults: the ``base`` mix; ``SHIPPED`` is the shipped
    model's)."""

    seed: int = 13
    synthetic_docs: int = 1500  # SciFact abstracts (none cited by a dev claim) to perturb
    synthetic_pairs: int = 14000
    claim_perturbations: int = 2  # counter-claims made from each supported training claim
    # each rationale sentence also paired with the claim on its own (the verdict scores single
    # sentences); for a one-sentence rationale that repeats the pair
    rationale_sentences: bool = False
    # caps applied last, after one more seeded shuffle (pairs per NLI file; synthetic pairs;
    # counter-claims, None: no cap)
    caps: tuple[tuple[str, int], ...] = (
        ("snli_dev.jsonl", 3000),
        ("med.jsonl", 1200),
        ("rte_train.jsonl", 1500),
    )
    synthetic_cap: int = 9000
    claim_cap: int | None = None
    # per training claim, this many topical sentences of *other* abstracts (the most BM25-similar
    # ones, from abstracts no dev claim cites) as neutral: "about the same subject" is not a
    # contradiction (``topical_neutral_pairs``)
    topical_neutrals: int = 0
    # every row of each NLI file rather than the NLI_FILES sample (the caps still apply)
    nli_all: bool = False
    # > 0: every n-th SciFact train claim (by id) is left out, with every abstract it cites, so
    # that those claims can choose among models that never saw them (``selection_split``)
    selection_fold: int = 0
    # passes over the pairs that ``verifact train-stance`` makes unless --epochs says otherwise
    epochs: int = 1
    # the share of generated entailments, and of supported claims, that a one-word paraphrase
    # makes (``Perturber.paraphrases``; 0: none, as in the recipes before it)
    paraphrases: float = 0.0
    # every hypothesis read as the verifier reads a claim (``analysis.as_statement``: a closing
    # full stop where it has none), so that the model trains on the form it is asked about. The
    # same pairs in the same order; only hypotheses without a closing stop change
    statements: bool = False


# The mix measured on 2026-12-01 against the shipped one (MODEL_CARD.md, "A second mix"): real
# SciFact counted twice, generated pairs cut to 3,000 + 500; trained for two epochs. A better
# stance model on every held-out set, but no better verdicts, so not shipped.
REAL_HEAVY = Recipe(rationale_sentences=True, synthetic_cap=3000, claim_cap=500)
# The shipped mix plus two topical neutrals per SciFact train claim (measured 2026-12-03; see
# MODEL_CARD.md, "Topical neutrals")
TOPICAL = Recipe(topical_neutrals=2)
# Everything the data folder offers: every NLI training row, no caps on the public pairs, all
# 14,000 generated pairs, each rationale sentence on its own, two topical neutrals per claim.
# 41,924 pairs: one epoch is 25-45 min on 2 cores; several are for a GPU
# (``TrainSettings(device="cuda")``).
ALL_DATA = Recipe(
    nli_all=True, caps=(), synthetic_cap=14000, rationale_sentences=True, topical_neutrals=2
)
# The shipped model (2026-12-04): REAL_HEAVY for two epochs, every fifth SciFact train claim
# held out so that it could be chosen on claims it never saw (MODEL_CARD.md)
SHIPPED = replace(REAL_HEAVY, selection_fold=5, epochs=2)
# The shipped mix with one-word paraphrases among the entailments (synonyms, classes): a one-word
# change is then no sign of a contradiction by itself (measured 2026-12-07, MODEL_CARD.md)
PARAPHRASE = replace(SHIPPED, paraphrases=0.4)
# The shipped mix with twice the SNLI dev pairs (the 6,000 of NLI_FILES' sample, uncapped), every
# RTE train pair, MED still at 1,200: 17,821 pairs. The SNLI dev rows it leaves out are the
# shipped model's (``nli_rows_unseen``), so the verdict fit's SNLI claims stay unseen. A better
# reader of SNLI, no better of SciFact (measured 2026-12-07, MODEL_CARD.md): not shipped.
NLI_HEAVY = replace(SHIPPED, caps=(("med.jsonl", 1200),))
# The shipped mix with every hypothesis closed by a full stop, as ``check`` reads a claim (nearly
# half of HealthVer dev's claims have none, and the model read a claim otherwise with one than
# without). Measured and not shipped (2026-12-08, MODEL_CARD.md)
STATEMENTS = replace(SHIPPED, statements=True)
RECIPES = {
    "shipped": SHIPPED,
    "statements": STATEMENTS,
    "nli-heavy": NLI_HEAVY,
    "paraphrase": PARAPHRASE,
    "base": Recipe(),  # the model shipped from 2026-12-01 to 2026-12-04
    "real-heavy": REAL_HEAVY,
    "topical": TOPICAL,
    "all": ALL_DATA,
}


def check_data_dir(data: Path) -> Path:
    """``data`` if it holds every file the recipe reads, else an InputError naming one missing."""
    need = [data / "nli" / n for n in NLI_FILES] + [
        data / "scifact" / "original" / n
        for n in ("claims_train.jsonl", "claims_dev.jsonl", "corpus.jsonl")
    ]
    for f in need:
        if not f.is_file():
            raise InputError(
                f"Training data file {str(f)!r} is missing; --data must be a folder with "
                "nli/*.jsonl "
                "and scifact/original/ (the layout of the project's shared data; see MODEL_CARD.md)"
            )
    return data


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def nli_pairs(data: Path, rng: random.Random, every_row: bool = False) -> list[Pair]:
    out = []
    for name, (n, mapping) in NLI_FILES.items():
        rows = _jsonl(data / "nli" / name)
        rng.shuffle(rows)
        for r in rows if every_row else rows[:n]:
            label = mapping.get(r["label"], r["label"])
            out.append(Pair(r["premise"], r["hypothesis"], label, "nli", name))
    return out


def nli_rows_unseen(data: Path, name: str, recipe: Recipe | None = None) -> list[dict]:
    """The rows of ``nli/<name>`` that ``recipe``'s stance model (the shipped one by default)
    could not have trained on: ``nli_pairs`` shuffles each file in turn with the recipe's seed
    and takes its first rows, so the rest were never among its pairs (a row that repeats the
    text of a taken one is left out too)."""
    recipe = SHIPPED if recipe is None else recipe
    if recipe.nli_all:
        return []
    rng = random.Random(recipe.seed)
    for file, (n, _) in NLI_FILES.items():
        rows = _jsonl(data / "nli" / file)
        rng.shuffle(rows)
        if file == name:  # and not a row that repeats a seen pair (SNLI dev has a few)
            seen = {(r["premise"], r["hypothesis"]) for r in rows[:n]}
            return [r for r in rows[n:] if (r["premise"], r["hypothesis"]) not in seen]
    raise ValueError(f"{name!r} is no stance training file; one of {sorted(NLI_FILES)}")


def scifact_split(data: Path) -> tuple[list[dict], dict[int, dict], set[int]]:
    """(train claims, corpus by doc id, doc ids cited by any dev claim)."""
    root = data / "scifact" / "original"
    train = _jsonl(root / "claims_train.jsonl")
    dev = _jsonl(root / "claims_dev.jsonl")
    corpus = {int(d["doc_id"]): d for d in _jsonl(root / "corpus.jsonl")}
    dev_docs = {int(d) for c in dev for d in c["cited_doc_ids"]} | {
        int(d) for c in dev for d in c["evidence"]
    }
    return train, corpus, dev_docs


def selection_split(train: list[dict], fold: int) -> tuple[list[dict], list[dict], set[int]]:
    """(claims kept for training, every ``fold``-th claim by id, the abstracts those cite)."""
    if fold < 1:
        return list(train), [], set()
    ordered = sorted(train, key=lambda c: int(c["id"]))
    held = ordered[::fold]
    ids = {c["id"] for c in held}
    docs = {int(d) for c in held for d in c["cited_doc_ids"]} | {
        int(d) for c in held for d in c["evidence"]
    }
    return [c for c in ordered if c["id"] not in ids], held, docs


def rationale_pairs(
    train: list[dict], corpus: dict[int, dict], rng: random.Random, sentences: bool = False
) -> list[Pair]:
    """SciFact train: rationale -> claim (entails / contradicts); other sentences: neutral.
    With ``sentences`` each rationale sentence is also a pair of its own, after the others."""
    out, single = [], []
    for c in train:
        for doc_id, sets in c["evidence"].items():
            sents = corpus[int(doc_id)]["abstract"]
            used = set()
            for ev in sets:
                label = "entailment" if ev["label"] == "SUPPORT" else "contradiction"
                premise = " ".join(sents[i] for i in ev["sentences"])
                out.append(Pair(premise, c["claim"], label, "scifact", str(doc_id)))
                used |= set(ev["sentences"])
                if sentences:
                    single += [
                        Pair(sents[i], c["claim"], label, "scifact", str(doc_id))
                        for i in ev["sentences"]
                    ]
            rest = [s for i, s in enumerate(sents) if i not in used]
            for s in rng.sample(rest, min(2, len(rest))):
                out.append(Pair(s, c["claim"], "neutral", "scifact", str(doc_id)))
        if not c["evidence"]:
            for doc_id in c["cited_doc_ids"][:1]:
                sents = corpus[int(doc_id)]["abstract"]
                out.append(Pair(rng.choice(sents), c["claim"], "neutral", "scifact", str(doc_id)))
    return out + single


def topical_neutral_pairs(
    train: list[dict], corpus: dict[int, dict], excluded: set[int], per_claim: int
) -> list[Pair]:
    """Each training claim against the ``per_claim`` sentences of other abstracts that share
    the most words with it (BM25 over the sentences of abstracts cited by training claims, none
    in ``excluded``), labelled neutral. SciFact's annotators judged only the cited abstracts, so
    a topical sentence elsewhere is taken as not bearing on the claim."""
    from ..index.bm25 import BM25Index

    if per_claim < 1:
        return []
    cited = {int(d) for c in train for d in c["cited_doc_ids"]}
    docs = sorted((cited - set(excluded)) & set(corpus))
    sents = [(d, x) for d in docs for x in corpus[d]["abstract"]]
    if not sents:
        return []
    bm25 = BM25Index.build([x for _, x in sents])
    out = []
    for c in train:
        own = {int(d) for d in c["cited_doc_ids"]} | {int(d) for d in c["evidence"]}
        scores = bm25.scores(c["claim"])
        taken = 0
        for i in np.argsort(-scores, kind="stable"):
            if scores[i] <= 0 or taken >= per_claim:
                break
            d, x = sents[i]
            if d not in own:
                out.append(Pair(x, c["claim"], "neutral", "scifact-topical", str(d)))
                taken += 1
    return out


def claim_side_pairs(pairs: list[Pair], nlp, perturber: Perturber, per_claim: int) -> list[Pair]:
    """Counter-claims of supported claims against their own evidence: one claim slot changed;
    and, at the perturber's ``paraphrase_rate``, a paraphrase of the claim that the evidence
    still entails (one word swapped for a synonym or a class)."""
    entailed = [p for p in pairs if p.label == "entailment"]
    out = []
    docs = nlp.pipe([p.hypothesis for p in entailed], batch_size=64)
    rng, rate = perturber.rng, perturber.paraphrase_rate
    for p, doc in zip(entailed, docs):
        sents = list(doc.sents)
        if len(sents) != 1:
            continue
        cons = perturber.contradictions(sents[0], doc_entities(doc))
        rng.shuffle(cons)
        for claim, kind in cons[:per_claim]:
            out.append(Pair(p.premise, claim, "contradiction", f"claim-{kind}", p.source))
        if rate > 0 and rng.random() < rate and (para := perturber.paraphrases(sents[0])):
            claim, kind = rng.choice(para)
            out.append(Pair(p.premise, claim, "entailment", f"claim-{kind}", p.source))
    return out


def _cap(pairs: list[Pair], recipe: Recipe) -> list[Pair]:
    """Keep at most the recipe's number of pairs per NLI file and of synthetic pairs."""
    pairs = list(pairs)
    random.Random(recipe.seed).shuffle(pairs)
    caps, seen, synthetic, claims, out = dict(recipe.caps), {}, 0, 0, []
    for p in pairs:
        if p.kind == "nli" and p.source in caps:
            seen[p.source] = seen.get(p.source, 0) + 1
            if seen[p.source] > caps[p.source]:
                continue
        if p.kind.startswith("claim-") and p.label == "contradiction":
            claims += 1
            if recipe.claim_cap is not None and claims > recipe.claim_cap:
                continue
        elif p.kind not in REAL_KINDS:
            synthetic += 1
            if synthetic > recipe.synthetic_cap:
                continue
        out.append(p)
    return out


def as_statements(pairs: list[Pair]) -> list[Pair]:
    """``pairs`` with each hypothesis read as ``verifact check`` reads a claim
    (``analysis.as_statement``): a closing full stop where it ends without one. Premises, labels
    and order stay."""
    return [replace(p, hypothesis=as_statement(p.hypothesis)) for p in pairs]


def build_training_pairs(
    data: Path, nlp, embed: Callable[[list[str]], object], recipe: Recipe = Recipe(), log=print
) -> tuple[list[Pair], dict]:
    """All training pairs (shuffled, deterministic) and a record of what went in."""
    rng = random.Random(recipe.seed)
    train, corpus, dev_docs = scifact_split(data)
    train, _, held_docs = selection_split(train, recipe.selection_fold)
    dev_docs = dev_docs | held_docs
    pairs = nli_pairs(data, rng, recipe.nli_all)
    log(f"NLI pairs: {len(pairs)}")
    rat = rationale_pairs(train, corpus, rng, recipe.rationale_sentences)
    log(f"SciFact train rationale pairs: {len(rat)}")
    topical = topical_neutral_pairs(train, corpus, dev_docs, recipe.topical_neutrals)
    if topical:
        log(f"SciFact train topical neutral pairs: {len(topical)}")
    # text to perturb: SciFact abstracts no dev claim cites, RTE train and HealthVer dev premises
    ids = sorted(d for d in corpus if d not in dev_docs)
    rng.shuffle(ids)
    ids = ids[: recipe.synthetic_docs]
    texts = [" ".join(corpus[d]["abstract"]) for d in ids]
    sources = [f"scifact:{d}" for d in ids]
    for name in ("rte_train.jsonl", "healthver_dev.jsonl"):
        prem = sorted({r["premise"] for r in _jsonl(data / "nli" / name)})
        texts += prem
        sources += [name] * len(prem)
    docs = list(nlp.pipe(texts, batch_size=32))
    log(f"parsed {len(docs)} texts for perturbation")
    vocab = build_vocabulary(docs, embed)
    pool: dict[str, list[str]] = {}
    for d in docs:
        for label, ents in doc_entities(d).items():
            pool.setdefault(label, []).extend(ents)
    perturber = Perturber(vocab, pool, seed=recipe.seed, paraphrase_rate=recipe.paraphrases)
    synth = perturb_docs(docs, perturber, sources)
    rng.shuffle(synth)
    synth = synth[: recipe.synthetic_pairs]
    log(f"synthetic pairs: {len(synth)}")
    healthver = [p for p in pairs if p.source == "healthver_dev.jsonl"]
    claims = claim_side_pairs(rat + healthver, nlp, perturber, recipe.claim_perturbations)
    log(f"claim-side counter-claims: {len(claims)}")
    allp = pairs + rat + topical + synth + claims
    rng.shuffle(allp)
    allp = _cap(allp, recipe)
    if recipe.statements:
        allp = as_statements(allp)
    counts: dict[str, dict[str, int]] = {}
    for p in allp:
        group = p.kind if p.kind in REAL_KINDS and p.source else "synthetic"
        key = (
            p.source if p.kind == "nli" else group if group != "synthetic" else f"perturb:{p.kind}"
        )
        counts.setdefault(key, {}).setdefault(p.label, 0)
        counts[key][p.label] += 1
    files = [data / "nli" / n for n in NLI_FILES] + [
        data / "scifact" / "original" / n
        for n in ("claims_train.jsonl", "claims_dev.jsonl", "corpus.jsonl")
    ]
    held = ["scifact claims_dev.jsonl and every abstract it cites"]
    if recipe.selection_fold:
        n = recipe.selection_fold
        held.append(f"scifact claims_train.jsonl: every {n}th claim by id, every abstract it cites")
    record = {
        "recipe": recipe.__dict__,
        "pairs": len(allp),
        "composition": counts,
        "files": {str(f.relative_to(data)): sha256(f) for f in files},
        "held_out": list(HELD_OUT_FILES) + held,
    }
    return allp, record
