"""Verdict evaluation: claim sets + indexes -> fitted verdict parameters and held-out reports.

Fitting uses training claims only: SciFact ``claims_train``, the seed set's train split,
perturbation claims made from SciFact abstracts that no dev claim cites and SNLI dev pairs the
stance model never saw (with counter-claims of SciFact train and of those pairs). Reports are on
claims never used for fitting or training: SciFact ``claims_dev``, the seed test and held-out
splits, and perturbation claims made from SciFact dev abstracts (cited by no train claim) and from
the shipped article, per perturbation type, and HealthVer test and a sample of SNLI test as claim-
evidence pairs (with one-slot counter-claims of their supported pairs). Label mapping: SciFact
SUPPORT -> SUPPORTED, CONTRADICT -> REFUTED, no evidence -> NOT_ENOUGH_INFO (the pair sets'
entailment / contradiction / neutral likewise); a CONFLICTING verdict counts as wrong."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..types import Document
from ..verify.analysis import parse
from ..verify.evidence import analyse_claims
from ..verify.fit import (
    LabelledClaim,
    counter_claims,
    macro_f1,
    perturbation_claims,
    scifact_claims,
)
from ..verify.perturb import Perturber, build_vocabulary, doc_entities
from ..verify.stance import load_stance_model
from ..verify.training_data import nli_rows_unseen, scifact_split
from ..verify.verdict import (
    FITTED,
    LABELS,
    decide,
    expected_calibration_error,
    where_lost,
)
from .metrics import read_jsonl
from .seed import SEED_DIR

BATCH = 50


def seed_claims(split: str, seed_dir: Path = SEED_DIR, group: str = "seed") -> list[LabelledClaim]:
    """The seed claims of one split ("train", "test" or "heldout")."""
    name = "claims_heldout.jsonl" if split == "heldout" else "claims.jsonl"
    rows = [json.loads(line) for line in (seed_dir / name).read_text("utf-8").splitlines() if line]
    return [LabelledClaim(r["claim"], r["label"], group) for r in rows if r["split"] == split]


REFERENCE_DIR = SEED_DIR.parent / "reference"  # news texts that refer back: "she", "the bridge"


def reference_claims(root: Path = REFERENCE_DIR) -> list[LabelledClaim]:
    """The claims about ``eval/reference/sources`` (in the seed format; a test split only)."""
    return seed_claims("test", root, "reference")


def analyse_all(index, claims: Sequence[LabelledClaim], k: int = 5, progress=None) -> list:
    """Analyses of every claim, in order, in batches (``progress(n_done)`` after each). A claim
    with a ``doc_id`` is checked against that document only (a claim-evidence pair)."""
    by_doc: dict[str | None, list[int]] = {}
    for i, c in enumerate(claims):
        by_doc.setdefault(c.doc_id, []).append(i)
    out: list = [None] * len(claims)
    done = 0
    for doc_id, rows in by_doc.items():
        for j in range(0, len(rows), BATCH):
            part = rows[j : j + BATCH]
            only = None if doc_id is None else [doc_id]
            found = analyse_claims(index, [claims[i].claim for i in part], k=k, doc_ids=only)
            for i, a in zip(part, found, strict=True):
                out[i] = a
            done += len(part)
            if progress:
                progress(done)
    return out


PAIR_LABELS = {  # a pair set's NLI label -> the verdict it stands for
    "entailment": "SUPPORTED",
    "contradiction": "REFUTED",
    "neutral": "NOT_ENOUGH_INFO",
}


# claim-evidence pair sets: name -> (file under nli/, document name prefix, pairs sampled or None)
PAIR_SETS = {
    "healthver-test": ("healthver_test.jsonl", "healthver", None),
    # SNLI test (never trained on; SNLI dev trained the stance model): everyday sentences, a
    # caption as the source and a one-clause claim, as short-claim fact-checking sets write them
    "snli-test": ("snli_test.jsonl", "snli", 2000),
    # for fitting: SNLI dev pairs the shipped stance model never saw (``nli_rows_unseen``), so
    # that the decision is fitted on everyday claims too, not on scientific ones alone
    "train-snli": ("snli_dev.jsonl", "snli-dev", 800),
}
PAIR_SEED = 31


def _pair_rows(data: Path, name: str) -> list[dict]:
    file, _, n = PAIR_SETS[name]
    if name.startswith("train-"):
        rows = nli_rows_unseen(data, file)
    else:
        rows = read_jsonl(data / "nli" / file)
    if n is not None:
        rows = random.Random(PAIR_SEED).sample(rows, min(n, len(rows)))
    return rows


def pair_documents(data: Path, name: str) -> list[Document]:
    """A pair set's evidence passages (its premises), one document each, named
    ``<prefix>-<n>`` in sorted order (``PAIR_SETS``)."""
    return _pair_documents(_pair_rows(data, name), PAIR_SETS[name][1])


def _pair_documents(rows: list[dict], prefix: str) -> list[Document]:
    texts = sorted({r["premise"] for r in rows})
    names = [f"{prefix}-{i:04d}" for i in range(len(texts))]
    return [Document(n, t, f"{n}.txt") for n, t in zip(names, texts, strict=True)]


def pair_claims(data: Path, name: str) -> list[LabelledClaim]:
    """A pair set as claim-evidence pairs: each claim (hypothesis) checked against the one
    evidence passage (premise) it is labelled with; entailment / contradiction / neutral."""
    rows = _pair_rows(data, name)
    prefix = PAIR_SETS[name][1]
    doc_of = {d.text: d.doc_id for d in _pair_documents(rows, prefix)}
    label = PAIR_LABELS
    return [
        LabelledClaim(r["hypothesis"], label[r["label"]], prefix, doc_of[r["premise"]])
        for r in rows
    ]


def perturbation_set(
    texts: Sequence[str], n: int, seed: int, every_kind: bool, vocab_texts=()
) -> list:
    """Perturbation claims from ``texts`` (substitute words drawn from them and ``vocab_texts``)."""
    docs = parse(list(texts))
    perturber = _perturber(docs + parse(list(vocab_texts)), seed)
    return perturbation_claims(docs, perturber, n, seed, every_kind)


def counter_set(
    claims: Sequence[LabelledClaim], vocab_texts: Sequence[str], seed: int, every_kind: bool
) -> list[LabelledClaim]:
    """One-slot counter-claims of the SUPPORTED ``claims`` (words, names from ``vocab_texts``)."""
    return counter_claims(claims, _perturber(parse(list(vocab_texts)), seed), seed, every_kind)


def _perturber(docs: Sequence, seed: int) -> Perturber:
    from ..index.embed import load_embedder

    vocab = build_vocabulary(docs, load_embedder().embed_queries)
    pool: dict[str, list[str]] = {}
    for d in docs:
        for label, ents in doc_entities(d).items():
            pool.setdefault(label, []).extend(ents)
    return Perturber(vocab, pool, seed=seed)


def claim_sets(data: Path, article: str) -> dict[str, list[LabelledClaim]]:
    """Every claim set, by name; ``train-*`` sets are for fitting, the rest are held out."""
    train, corpus, dev_docs = scifact_split(data)
    root = data / "scifact" / "original"
    dev = [json.loads(line) for line in (root / "claims_dev.jsonl").read_text("utf-8").splitlines()]
    train_docs = {int(d) for c in train for d in c["cited_doc_ids"]} | {
        int(d) for c in train for d in c["evidence"]
    }
    only_train = sorted(d for d in corpus if d not in dev_docs)
    random.Random(5).shuffle(only_train)
    dev_only = sorted(d for d in dev_docs if d not in train_docs)
    rte = sorted(
        {
            json.loads(x)["premise"]
            for x in (data / "nli" / "rte_train.jsonl").read_text("utf-8").splitlines()
        }
    )
    paragraphs = [p for p in article.split("\n")[1:] if len(p.split()) > 8]
    text = {d: " ".join(corpus[d]["abstract"]) for d in corpus}
    pairs = {name: pair_claims(data, name) for name in PAIR_SETS}

    def pair_counters(name: str, seed: int, every_kind: bool) -> list[LabelledClaim]:
        texts = [d.text for d in pair_documents(data, name)]  # words from the set's premises
        return counter_set(pairs[name], texts, seed, every_kind)

    snli_train_counter = [  # their own groups: each kind held under the leak limit on its own
        replace(c, group=f"{c.group} snli") for c in pair_counters("train-snli", 37, False)
    ]
    return {
        "train-scifact": scifact_claims(train),
        "train-perturb": perturbation_set([text[d] for d in only_train[:120]], 500, 5, False),
        "train-seed": seed_claims("train"),
        "train-counter": counter_set(
            scifact_claims(train), [text[d] for d in sorted(train_docs)], 17, False
        ),
        "train-snli": pairs["train-snli"],
        "train-snli-counter": snli_train_counter,
        "scifact-dev": scifact_claims(dev),
        "scifact-dev-counter": counter_set(
            scifact_claims(dev), [text[d] for d in sorted(dev_docs)], 19, True
        ),
        "scifact-dev-perturb": perturbation_set([text[d] for d in dev_only], 1000, 7, True),
        "article-perturb": perturbation_set(paragraphs, 400, 11, True, rte),
        "seed-test": seed_claims("test"),
        "seed-heldout": seed_claims("heldout"),
        "reference-test": reference_claims(),
        "healthver-test": pairs["healthver-test"],
        "healthver-test-counter": pair_counters("healthver-test", 23, True),
        "snli-test": pairs["snli-test"],
        "snli-test-counter": pair_counters("snli-test", 29, True),
    }


def loss_report(analyses: Sequence, claims: Sequence[LabelledClaim], verdicts, params) -> dict:
    """Per gold label, how many claims are right and where the others are lost (``where_lost``)."""
    out: dict[str, Counter] = {g: Counter() for g in FITTED}
    for a, c, v in zip(analyses, claims, verdicts, strict=True):
        if c.label in out:
            out[c.label][where_lost(a, c.label, v.label, params)] += 1
    return {g: dict(n.most_common()) for g, n in out.items() if n}


def label_report(claims: Sequence[LabelledClaim], verdicts: Sequence) -> dict:
    """Accuracy, macro-F1 (3 gold labels), SUPPORTED precision, ECE, confusion, per group."""
    gold = [c.label for c in claims]
    pred = [v.label for v in verdicts]
    sup = [g for g, p in zip(gold, pred) if p == "SUPPORTED"]
    ref = [g for g, p in zip(gold, pred) if p == "REFUTED"]
    ok = [g == p for g, p in zip(gold, pred)]
    conf = Counter(zip(gold, pred))
    out = {
        "claims": len(gold),
        "accuracy": round(float(np.mean(ok)), 4),
        "macro_f1": round(macro_f1(gold, pred), 4),
        "supported_precision": round(float(np.mean([g == "SUPPORTED" for g in sup])), 4)
        if sup
        else None,
        "called_supported": len(sup),
        "refuted_precision": round(float(np.mean([g == "REFUTED" for g in ref])), 4)
        if ref
        else None,
        "called_refuted": len(ref),
        "ece": round(expected_calibration_error([v.confidence for v in verdicts], ok), 4),
        "majority_class": round(max(Counter(gold).values()) / len(gold), 4),
        "confusion": {g: {p: conf[(g, p)] for p in LABELS} for g in FITTED},
    }
    groups = sorted({c.group for c in claims})
    if len(groups) > 1:
        out["by_group"] = {}
        for gr in groups:
            idx = [i for i, c in enumerate(claims) if c.group == gr]
            n = Counter(pred[i] for i in idx)
            out["by_group"][gr] = {
                "claims": len(idx),
                "gold": claims[idx[0]].label,
                **{label: round(n[label] / len(idx), 4) for label in FITTED},
            }
    return out


def scifact_dev_rationale_pairs(data: Path, seed: int = 0) -> list[dict]:
    """SciFact dev as stance pairs, as the verdict scores them (one sentence against the claim):
    each rationale sentence (entailment for SUPPORT, contradiction for CONTRADICT) and up to two
    other sentences of the same abstract (neutral). Never trained on: the training recipe holds
    out every dev claim and every abstract a dev claim cites."""
    root = data / "scifact" / "original"
    _, corpus, _ = scifact_split(data)
    claims = [json.loads(x) for x in (root / "claims_dev.jsonl").read_text("utf-8").splitlines()]
    return rationale_sentence_rows(claims, corpus, random.Random(seed))


def rationale_sentence_rows(
    claims: list[dict], corpus: dict[int, dict], rng: random.Random, unsupported: bool = False
) -> list[dict]:
    """SciFact claims against single sentences of their abstracts: each rationale sentence
    (entailment / contradiction) and up to two other sentences of the same abstract (neutral);
    with ``unsupported`` also up to two sentences of the first abstract a NOT ENOUGH INFO claim
    cites (neutral)."""
    rows = []
    for c in claims:
        for doc_id, sets in c["evidence"].items():
            sents, used = corpus[int(doc_id)]["abstract"], set()
            for ev in sets:
                label = "entailment" if ev["label"] == "SUPPORT" else "contradiction"
                for i in ev["sentences"]:
                    rows.append({"premise": sents[i], "hypothesis": c["claim"], "label": label})
                    used.add(i)
            rest = [x for i, x in enumerate(sents) if i not in used]
            for x in rng.sample(rest, min(2, len(rest))):
                rows.append({"premise": x, "hypothesis": c["claim"], "label": "neutral"})
        if unsupported and not c["evidence"]:
            for doc_id in c["cited_doc_ids"][:1]:
                sents = corpus[int(doc_id)]["abstract"]
                for x in rng.sample(sents, min(2, len(sents))):
                    rows.append({"premise": x, "hypothesis": c["claim"], "label": "neutral"})
    return rows


def stance_accuracy(
    data: Path,
    files=("snli_test.jsonl", "healthver_test.jsonl", "rte_dev.jsonl", "scifact-dev-rationales"),
    limit: int | None = None,
) -> dict:
    """The stance model alone on pairs it never trained on (accuracy, per-class recall; for
    SciFact dev rationales also how often entails > contradicts on the rationale sentences)."""
    model = load_stance_model()
    out = {}
    for name in files:
        if name == "scifact-dev-rationales":
            rows = scifact_dev_rationale_pairs(data)
        else:
            text = (data / "nli" / name).read_text("utf-8")
            rows = [json.loads(x) for x in text.splitlines() if x]
        rows = rows[:limit] if limit else rows
        probs = model.predict([(r["premise"], r["hypothesis"]) for r in rows])
        names = ("entailment", "contradiction", "neutral")
        pred = [names[i] for i in probs.argmax(axis=1)]
        gold = [r["label"] for r in rows]
        if "not_entailment" in gold:  # two-way sets (RTE): entails or not
            pred = ["entailment" if p == "entailment" else "not_entailment" for p in pred]
        labels = sorted(set(gold))
        out[name] = {
            "pairs": len(rows),
            "accuracy": round(float(np.mean([g == p for g, p in zip(gold, pred)])), 4),
            "recall": {
                lab: round(float(np.mean([p == lab for g, p in zip(gold, pred) if g == lab])), 4)
                for lab in labels
            },
        }
        if name == "scifact-dev-rationales":
            rat = [(p, g) for p, g in zip(probs, gold) if g != "neutral"]
            out[name]["supports_vs_contradicts"] = round(
                float(np.mean([(p[0] > p[1]) == (g == "entailment") for p, g in rat])), 4
            )
            out[name]["majority_supports"] = round(
                float(np.mean([g == "entailment" for _, g in rat])), 4
            )
    return out


def stance_readings(analyses: Sequence, rows: Sequence[dict]) -> dict:
    """How the stance model reads the evidence of SciFact claims (``rows`` in the release
    format, in the order of ``analyses``), per gold label: for a SUPPORT or CONTRADICT claim,
    whether its gold abstract is retrieved and, when it is, whether some sentence of that
    abstract is read (the stance model's top class) as entailing or as contradicting the claim;
    for a NOT ENOUGH INFO claim the same over every retrieved sentence. It separates the stance
    model's share of the losses from the decision's: a supported claim none of whose gold
    sentences reads as entailing (nor, where the sentence states every slot of the claim and
    ``covered_entails`` is "contradicts", as entailing more than contradicting) cannot be
    called SUPPORTED by any gate."""
    counts: dict[str, Counter] = {}
    for a, r in zip(analyses, rows, strict=True):
        labels = {e["label"] for sets in r["evidence"].values() for e in sets}
        gold = "SUPPORT" if "SUPPORT" in labels else "CONTRADICT" if labels else "NOT ENOUGH INFO"
        n = counts.setdefault(gold, Counter())
        n["claims"] += 1
        if labels:
            docs = {str(d) for d in r["evidence"]}
            sents = [s for s in a.sentences if str(s.hit.passage.doc_id) in docs]
            if not any(str(h.passage.doc_id) in docs for h in a.hits):
                continue
            n["gold abstract retrieved"] += 1
        else:
            sents = list(a.sentences)
        top = {int(np.argmax(s.probs)) for s in sents}
        n["a sentence reads as entailing"] += 0 in top
        n["a sentence reads as contradicting"] += 1 in top
        n["only neutral readings"] += top <= {2}
    out = {}
    for gold, n in counts.items():
        base = n["gold abstract retrieved"] if gold != "NOT ENOUGH INFO" else n["claims"]
        row = {"claims": n["claims"]}
        if gold != "NOT ENOUGH INFO":
            row["gold abstract retrieved"] = base
        for key in (
            "a sentence reads as entailing",
            "a sentence reads as contradicting",
            "only neutral readings",
        ):
            row[key] = round(n[key] / base, 4) if base else None
        out[gold] = row
    return out


def report_sets(
    analyses: dict[str, list], sets: dict[str, list[LabelledClaim]], params: dict
) -> dict:
    """The label report of every set (held-out and training alike, named as such), with where
    its wrong verdicts are lost (``losses``)."""
    out = {}
    for name in analyses:
        verdicts = [decide(a, params) for a in analyses[name]]
        out[name] = label_report(sets[name], verdicts)
        out[name]["losses"] = loss_report(analyses[name], sets[name], verdicts, params)
    return out


def rerank_ndcg(index, queries: dict[str, str], qrels: dict, pool: int = 20, k: int = 100) -> dict:
    """nDCG@10 of SciFact-style document runs, hybrid alone vs reranked by the stance model.

    The top ``pool`` passages of each query are reordered as ``verify`` orders a claim's
    candidates (retrieval score plus entails + contradicts of the best sentences); the rest keep
    their order. Passages roll up to documents by their best (reordered) position.
    """
    from ..verify.evidence import rerank_hits
    from .metrics import evaluate_run, paired_gain

    model = load_stance_model()
    base, reranked = {}, {}
    for qid, text in queries.items():
        hits = index.search(text, k=k)
        top = rerank_hits(text, hits[:pool], model)
        for name, order in (("base", hits), ("rerank", top + hits[pool:])):
            run = base if name == "base" else reranked
            docs: dict[str, float] = {}
            for pos, h in enumerate(order):
                docs.setdefault(h.passage.doc_id, float(len(order) - pos))
            run[qid] = docs
    metrics = ("ndcg@10", "recall@10")
    out = {
        "hybrid": evaluate_run(qrels, base, metrics),
        "hybrid+stance": evaluate_run(qrels, reranked, metrics),
        "pool": pool,
        "queries": len(queries),
    }
    from .metrics import ndcg_at_k

    gain, se = paired_gain(ndcg_at_k(qrels, reranked, 10), ndcg_at_k(qrels, base, 10))
    out["ndcg@10_gain"], out["ndcg@10_gain_se"] = round(gain, 4), round(se, 4)
    return out


def realign(analyses: Sequence, embedder) -> list:
    """``analyses`` with each aligned sentence parsed and aligned again by the current code
    (``verify.align``), retrieval and stance probabilities kept: a check of an alignment change
    in minutes (3-4 for eight sets on 2 cores) rather than a re-analysis (about 30). It does not
    redo reference resolution (a sentence is aligned as written, not with "he" or "the company"
    resolved), retrieval or the stance model's readings of a sentence re-written (a negation
    affirmed, a disputed clause read out: ``evidence``), so it is a
    filter before a re-analysis, not a figure to report."""
    from ..verify.align import abbreviations, align
    from ..verify.analysis import as_statement, slots_of, truecase
    from ..verify.evidence import read_asserted, word_vectors

    wv = word_vectors(embedder)
    # the claims as the analysis read them (its passages' case, a closing stop; ``evidence``)
    cdocs = parse(
        [as_statement(truecase(a.claim, [h.passage.text for h in a.hits])) for a in analyses]
    )
    where = [
        (i, j) for i, a in enumerate(analyses) for j, s in enumerate(a.sentences) if s.alignment
    ]
    sdocs = parse([analyses[i].sentences[j].text for i, j in where])
    # a clause a sentence does not state is read out of it, as the product reads it (its
    # stance is not scored again here: no model)
    by_claim: dict[int, dict[int, object]] = {}
    for k, (i, _) in enumerate(where):
        by_claim.setdefault(i, {})[k] = sdocs[k]
    for i, docs in by_claim.items():
        read_asserted(analyses[i].claim, cdocs[i], docs, {}, None)
        for k, d in docs.items():
            sdocs[k] = d
    out = [list(a.sentences) for a in analyses]
    passages: dict[str, tuple[dict[str, str], str]] = {}
    for (i, j), sdoc in zip(where, sdocs, strict=True):
        s = analyses[i].sentences[j]
        p = s.hit.passage
        if p.id not in passages:
            whole = f"{p.title}\n{p.text}"
            passages[p.id] = (abbreviations(whole), whole.lower())
        defined, lowered = passages[p.id]
        slots = tuple(slots_of(cdocs[i]))
        al = align(slots, cdocs[i], sdoc, wv, defined=defined, passage=lowered)
        out[i][j] = replace(s, alignment=al)
    return [replace(a, sentences=tuple(s)) for a, s in zip(analyses, out, strict=True)]


def label_changes(before: Sequence, after: Sequence, claims: Sequence[LabelledClaim], params=None):
    """The claims whose verdict label differs between two analyses of them: (claim, gold, label
    before, label after), with the count of each (gold, before, after) change."""
    changed = []
    for a, b, c in zip(before, after, claims, strict=True):
        old, new = decide(a, params).label, decide(b, params).label
        if old != new:
            changed.append((c, c.label, old, new))
    return changed, Counter((g, o, n) for _, g, o, n in changed)
