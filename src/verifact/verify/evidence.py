"""Verify stage, evidence: claims -> retrieved sentences with stance probabilities and alignments.

For each claim: retrieve ``RERANK_POOL`` passages (at least k), take each passage's two sentences
closest to the claim, score every (sentence, claim) pair with the stance model, rerank the passages
by how much their best sentence bears on the claim (entails or contradicts), keep the top k, and
align the claim's slots (spaCy) with the kept sentences. No decision is taken here: verdict.py
turns the features into a label with the fitted model.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from ..index.bm25 import tokenize
from ..index.chunk import sentences
from ..index.termfreq import idf
from ..types import Hit
from .align import Alignment, WordVectors, abbreviations, align, denies_alike
from .analysis import (
    Slot,
    as_statement,
    asserted,
    is_negated,
    load_nlp,
    parse,
    predicates,
    slots_of,
    truecase,
    unasserted,
)
from .lexicon import is_nationality
from .reference import (
    CONTEXT_CHARS,
    CONTEXT_SENTENCES,
    LEAD_CHARS,
    label_names,
    referring,
    resolve,
    resolved,
)
from .stance import LABELS, load_stance_model

RERANK_POOL = 10  # passages retrieved per claim before the stance rerank (at least k)
SENTENCES_PER_PASSAGE = 2  # chosen by stemmed-word overlap with the claim, then stance-scored
ALIGNED_SENTENCES = 4  # the most decisive sentences (entail or contradict) get aligned
NEAR_DUPLICATE = 0.8  # word-trigram Jaccard at which two passages are one source
# weight of stance relevance against the retrieval score; not fitted. Measured on SciFact test
# (eval/results/scifact-test/rerank.json): nDCG@10 0.733 -> 0.720 (-0.013, paired SE 0.006)
RERANK_WEIGHT = 0.5


@dataclass(frozen=True)
class Sentence:
    """One evidence sentence of a hit, with its stance and alignment to the claim."""

    hit: Hit
    span: tuple[int, int]  # document offsets
    text: str
    overlap: float  # share of the claim's stemmed words found in the sentence
    probs: tuple[float, float, float]  # entails, contradicts, neutral
    alignment: Alignment | None = None

    @property
    def entails(self) -> float:
        return self.probs[0]

    @property
    def contradicts(self) -> float:
        return self.probs[1]


@dataclass(frozen=True)
class Analysis:
    """Everything the decision needs for one claim."""

    claim: str
    hits: tuple[Hit, ...]  # reranked, near-duplicates removed, at most k
    sentences: tuple[Sentence, ...]  # the kept hits' scored sentences, aligned
    slots: tuple[Slot, ...]
    unmentioned: tuple[Slot, ...]  # names of the claim that no retrieved passage mentions
    dense_max: float


def _shingles(text: str) -> set:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def _near_duplicate(a: Hit, b: Hit) -> bool:
    """Same source text: overlapping windows of one document or one text in two files."""
    p, q = a.passage, b.passage
    if p.doc_id == q.doc_id and p.start < q.end and q.start < p.end:
        return True
    x, y = _shingles(p.text), _shingles(q.text)
    return len(x & y) >= NEAR_DUPLICATE * len(x | y)


def analyse_claims(
    index,
    claims: list[str],
    k: int = 5,
    mode: str = "hybrid",
    doc_ids=None,
    stance_model: str | None = None,
    rerank: bool = True,
) -> list[Analysis]:
    """Retrieve, score and align evidence for each claim (no thresholds applied).

    Arguments as for ``verify.verify_claims``; raises InputError for bad input.
    """
    from ..search.search import validate_k, validate_query

    claims = [validate_query(c) for c in claims]
    k = validate_k(k)
    pool = max(k, RERANK_POOL) if rerank else k
    # the claim as read: with a closing full stop (``as_statement``), and a headline's capitals,
    # or a claim typed in no case at all, written as its passages write those words
    # (``truecase``); searched, parsed and scored so, and shown as typed
    stated = [as_statement(c) for c in claims]
    results = index.search_many(stated, k=pool, mode=mode, doc_ids=doc_ids)
    model = load_stance_model(stance_model)
    reads = [truecase(c, [h.passage.text for h in hits]) for c, hits in zip(stated, results)]
    claim_docs = parse(reads)
    wv = word_vectors(index.embedder)
    out = []
    previous = getattr(index, "previous_passage", None)
    for claim, read, cdoc, hits in zip(claims, reads, claim_docs, results, strict=True):
        a = _analyse(read, cdoc, hits, k, model, wv, rerank, previous)
        out.append(a if read == claim else replace(a, claim=claim))
    return out


@lru_cache(maxsize=2)
def word_vectors(embedder) -> WordVectors:
    """One word-vector cache per embedder, kept across calls (words recur across claims)."""
    return WordVectors(embedder.embed_queries)


# a line this short with no closing punctuation (nor figure) that states nothing (``_states``)
# is a heading: "Personal life", "Early life and education", a page's title "Elsa Varga"
HEADING_WORDS = 4
CLOSING = ".!?;:\"'\u201d\u2019)]"


def _heading_shape(line: str) -> bool:
    """A short line with no closing punctuation and no figure ("Population: 9,000" is data)."""
    return (
        len(line.split()) <= HEADING_WORDS
        and line[-1] not in CLOSING
        and not any(c.isdigit() for c in line)
    )


def _states(texts: list[str]) -> list[bool]:
    """Whether each short line states something by spaCy's parse (names and lemmas left out): a
    verb with a subject ("She lives in Winnipeg", "Profits fell sharply") or a participle with
    its complement ("Married to Tom Reddick", "Moved to London"), as a list item or a slide's
    bullet writes it. A heading names a part ("Early life and education", "Selected works",
    "Release", "Playing career"); out of context the tagger calls a noun a verb in one heading of
    five ("honours", "Causes"), so a verb alone is not enough. Nor is a bare noun and a last
    word in -ed ("Works cited", "Methods used", "Awards received": the heading's participle), a
    preposition with no object ("Based on", "Known as"), or a line that opens with a wh-word
    ("How it works", "What we do"): a question would end with "?"."""
    if not texts:
        return []
    return [_says(d) for d in load_nlp().pipe(texts, disable=["ner", "lemmatizer"])]


COMPLEMENTS = frozenset({"prep", "agent", "dobj", "attr", "oprd"})
FINITE_OR_PARTICIPLE = frozenset({"VBN", "VBD", "VBZ", "VBP"})


def _is_verb(t) -> bool:
    return t.tag_.startswith("VB") or t.tag_ == "MD"


def _complete(t) -> bool:
    """A complement with what it needs: a preposition with its object ("to London", not "on")."""
    return t.dep_ != "prep" or any(c.dep_ in ("pobj", "pcomp") for c in t.children)


def _says(doc) -> bool:
    if doc[0].tag_ in ("WRB", "WP", "WDT"):
        return False
    last = doc[-1]
    for t in doc:
        if t.dep_ not in ("nsubj", "nsubjpass") or not _is_verb(t.head):
            continue
        bare = not any(c.dep_ in ("det", "poss", "nummod") for c in t.children) and t.tag_ != "PRP"
        if not (bare and t.head.i == last.i and last.lower_.endswith("ed")):
            return True
    return any(
        t.tag_ in FINITE_OR_PARTICIPLE
        and any(c.dep_ in COMPLEMENTS and _complete(c) for c in t.children)
        for t in doc
    )


def lines(text: str) -> tuple[tuple[int, int, bool], ...]:
    """The sentence spans of ``text``, a line break ending one too (a heading above its
    paragraph: "Early life and education\nVarga was born in Pécs ..."), each with whether it is
    a heading (``_heading_shape``, and no statement by ``_states``), which states nothing: the
    title "Elsa Varga" was chosen over "Varga was born in Pécs" for "Elsa Varga was born in
    Budapest"."""
    return lines_of([text])[0]


_LINES: dict[str, tuple[tuple[int, int, bool], ...]] = {}
LINES_CACHED = 4096  # passage texts whose lines are kept (a passage recurs across claims)
_LINES_LOCK = threading.Lock()


def lines_of(texts: list[str]) -> list[tuple[tuple[int, int, bool], ...]]:
    """``lines`` of each text, the short lines of all of them parsed in one call, each text's
    reading cached (``LINES_CACHED``)."""
    with _LINES_LOCK:
        known = {t: _LINES[t] for t in dict.fromkeys(texts) if t in _LINES}
    todo = {t: _shapes(t) for t in dict.fromkeys(texts) if t not in known}
    short = [(t, i) for t, out in todo.items() for i, (_, _, shape) in enumerate(out) if shape]
    said = _states([t[todo[t][i][0] : todo[t][i][1]] for t, i in short])
    for (t, i), yes in zip(short, said, strict=True):
        if yes:
            a, b, _ = todo[t][i]
            todo[t][i] = (a, b, False)
    fresh = {t: tuple(out) or ((0, len(t), False),) for t, out in todo.items()}
    with _LINES_LOCK:
        for t, read in fresh.items():
            if len(_LINES) >= LINES_CACHED:
                _LINES.pop(next(iter(_LINES)))  # the oldest first
            _LINES[t] = read
    got = known | fresh
    return [got[t] for t in texts]


def _shapes(text: str) -> list[tuple[int, int, bool]]:
    """The line-broken sentence spans of ``text``, each with ``_heading_shape``."""
    out = []
    for a, b in sentences(text):
        for m in re.finditer(r"[^\n]+", text[a:b]):
            line = m.group().strip()
            if line:
                start = a + m.start() + (len(m.group()) - len(m.group().lstrip()))
                out.append((start, start + len(line), _heading_shape(line)))
    return out


def _top_sentences(claim: str, hits: list[Hit]) -> dict[str, list[tuple[int, int, str, float]]]:
    """Each passage's sentences that share the most stemmed words with the claim, a word
    weighted by its BM25 idf among the passage's sentences: a name that every sentence of the
    passage repeats says less about which one states the claim than a word only one has ("It
    was designed by Halden & Roos" for "The bridge was designed by Halden & Roos"). Headings
    (``lines``) count among the sentences for the idf, but are not chosen."""
    read = lines_of([h.passage.text for h in hits])
    spans = {h.passage.id: r for h, r in zip(hits, read, strict=True)}
    texts = [h.passage.text[a:b] for h in hits for a, b, _ in spans[h.passage.id]]
    claim_tokens, *tokens = tokenize([claim, *texts])
    want = set(claim_tokens)
    i, out = 0, {}
    for h in hits:
        p, scored = h.passage, []
        n = len(spans[p.id])
        found = [want & set(t) for t in tokens[i : i + n]]
        df = {w: sum(w in f for f in found) for w in want}
        weights = {w: float(idf(d, n)) for w, d in df.items()}
        for (a, b, heading), f in zip(spans[p.id], found, strict=True):
            share = len(f) / len(want) if want else 0.0
            weight = math.fsum(weights[w] for w in f)  # exact: the same words tie in any order
            scored.append((p.start + a, p.start + b, p.text[a:b], share, weight, heading))
        i += n
        scored.sort(key=lambda s: -s[4])  # stable: ties keep text order
        # a heading counts in the words' idf (it is text), but is no sentence to check
        scored = [s for s in scored if not s[5]] or scored
        out[p.id] = [s[:4] for s in scored[:SENTENCES_PER_PASSAGE]]
    return out


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w%]+", " ", text.lower()).split())


def stance_probabilities(model, pairs: list[tuple[str, str]]) -> np.ndarray:
    """The stance model's (entails, contradicts, neutral) for each (sentence, claim) pair, except
    that a sentence which *is* the claim (case, spacing and punctuation aside) entails it: a
    quote of the source is never contradicted by it. The small cross-encoder does not always
    get the identity right (a verbatim sentence of the shipped article scored contradiction 0.64
    on one machine's int8 kernels)."""
    probs = np.array(model.predict(pairs) if pairs else np.zeros((0, len(LABELS))), np.float32)
    for i, (sentence, claim) in enumerate(pairs):
        if _plain(sentence) == _plain(claim):
            probs[i] = (1.0, 0.0, 0.0)
    return probs


def _score(claim: str, hits: list[Hit], model) -> tuple[list[Hit], dict]:
    """Near-duplicates dropped; each hit's top sentences with their stance probabilities."""
    kept: list[Hit] = []
    for h in hits:
        if not any(_near_duplicate(o, h) for o in kept):
            kept.append(h)
    tops = _top_sentences(claim, kept)
    pairs = [(t[2], claim) for h in kept for t in tops[h.passage.id]]
    probs = stance_probabilities(model, pairs)
    scored, i = {}, 0
    for h in kept:
        scored[h.passage.id] = []
        for start, end, text, share in tops[h.passage.id]:
            scored[h.passage.id].append(
                (start, end, text, share, tuple(float(x) for x in probs[i]))
            )
            i += 1
    return kept, scored


def rerank_hits(claim: str, hits: list[Hit], model) -> list[Hit]:
    """``hits`` (near-duplicates dropped) in the order the verifier weighs them for ``claim``."""
    kept, scored = _score(claim, hits, model)
    return _rerank(kept, scored)


def _analyse(claim, cdoc, hits, k, model, wv, rerank, previous=None) -> Analysis:
    kept, scored = _score(claim, hits, model)
    if rerank:
        kept = _rerank(kept, scored)
    kept = kept[:k]
    kept = [Hit(h.passage, h.score, r, h.scores, h.highlight) for r, h in enumerate(kept, 1)]
    sents = [(h, s) for h in kept for s in scored[h.passage.id]]
    return align_sentences(claim, cdoc, kept, sents, wv, model, previous)


def align_sentences(claim, cdoc, kept, sents, wv, model=None, previous=None) -> Analysis:
    """The analysis of ``claim`` from its kept hits and their stance-scored sentences
    ``(hit, (start, end, text, share, probs))``: the most decisive ones parsed and aligned.

    A decisive sentence that calls one of the claim's names "he" or "the bridge" is read
    resolved (``reference``): aligned as resolved and, when ``model`` is given, stance-scored
    again on the resolved text. ``previous(passage)`` gives the passage before one in its
    document (``Index.previous_passage``), for a sentence that opens its passage."""
    # only the most decisive sentences are parsed and aligned: parsing is the costly part
    decisive = sorted(range(len(sents)), key=lambda j: -max(sents[j][1][4][:2]))[:ALIGNED_SENTENCES]
    sdocs = dict(zip(decisive, parse([sents[j][1][2] for j in decisive]), strict=True))
    slots = tuple(slots_of(cdoc))
    probs = {j: sents[j][1][4] for j in range(len(sents))}
    _resolve_references(claim, slots, sents, sdocs, probs, model, previous)
    _read_in_topic(claim, slots, sents, sdocs, probs, model, previous)
    read_life_dates(claim, sdocs, probs, model)
    read_asserted(claim, cdoc, sdocs, probs, model)
    out = []
    # per passage: the abbreviations it defines, and its text in lower case (``align``)
    defined: dict[str, tuple[dict[str, str], str]] = {}
    for j, (h, (start, end, text, share, _)) in enumerate(sents):
        a = None
        if j in sdocs:
            pid = h.passage.id
            if pid not in defined:
                whole = f"{h.passage.title}\n{h.passage.text}"
                defined[pid] = (abbreviations(whole), whole.lower())
            abbrevs, lowered = defined[pid]
            a = align(slots, cdoc, sdocs[j], wv, defined=abbrevs, passage=lowered)
        out.append(Sentence(h, (start, end), text, share, probs[j], a))
    if model is not None:
        out = _denied_alike(cdoc, out, sdocs, model)
    passages = " ".join(h.passage.text.lower() for h in kept)
    named = {x for o in out if o.alignment for x, _, _ in o.alignment.aligned if x.kind == "entity"}
    # a nationality against another said of the same thing is a value of one slot ("a *German*
    # company" / "a *Swiss* company"), not a name no source mentions
    rivalled = {
        c.claim_span
        for o in out
        if o.alignment
        for c in o.alignment.conflicts
        if is_nationality(c.claim_span) and is_nationality(c.source_span)
    }
    unmentioned = tuple(
        s
        for s in slots
        if s.kind == "entity"
        and s not in named
        and s.text not in rivalled
        and s.text.lower() not in passages
        and not all(w in passages for w in s.text.lower().split() if len(w) > 2)
    )
    if unmentioned:  # a name no source mentions makes NOT_ENOUGH_INFO, never a conflict
        gone = {s.text for s in unmentioned}
        out = [
            replace(
                o,
                alignment=replace(
                    o.alignment,
                    conflicts=tuple(c for c in o.alignment.conflicts if c.claim_span not in gone),
                ),
            )
            if o.alignment
            else o
            for o in out
        ]
    dense = [float(h.scores["dense"]) for h in kept if h.scores.get("dense") is not None]
    return Analysis(claim, tuple(kept), tuple(out), slots, unmentioned, max(dense, default=0.0))


def _restates(a: Alignment | None) -> bool:
    return (
        a is not None
        and not a.missing
        and not a.conflicts
        and not a.substitutions
        and not a.swaps
        and bool(a.aligned)
    )


def _affirmed(doc) -> str:
    """``doc``'s text with its negations left out: "Lithium is not an effective treatment" ->
    "Lithium is an effective treatment", "had no relations" -> "had relations"."""
    return "".join(
        t.text_with_ws
        for t in doc
        if not (t.dep_ == "neg" or (t.lower_ == "no" and t.dep_ == "det"))
    ).strip()


def _denied_alike(cdoc, out: list[Sentence], sdocs: dict, model) -> list[Sentence]:
    """Stance for a claim that denies what a sentence denies, in the same words.

    An NLI model reads a "not" in the hypothesis as a sign of contradiction (SNLI's annotators
    wrote most contradictions with one), so a claim that restates a negated sentence ("Lithium
    is *not* an effective treatment for acute mania." against "Lithium is *not* an effective
    treatment for acute mania, the review concluded.") reads as contradicted (0.63). Where the
    alignment finds the sentence states every slot of the claim, with no conflict, and both
    deny (the negation conflicts found none, so the denials match), the stance model reads the
    pair affirmed on both sides ("Lithium is an effective treatment ..."), and that reading
    replaces the artefact when it is entailment: the same words denied of the same things."""
    if not any(is_negated(p) for p in predicates(cdoc)):
        return out
    todo = [
        i
        for i, s in enumerate(out)
        if _restates(s.alignment)
        and s.contradicts >= max(s.entails, s.probs[2])
        and i in sdocs
        and denies_alike(cdoc, sdocs[i], s.alignment.aligned)
    ]
    if not todo:
        return out
    claim = _affirmed(cdoc)
    probs = stance_probabilities(model, [(_affirmed(sdocs[i]), claim) for i in todo])
    out = list(out)
    for i, p in zip(todo, probs, strict=True):
        if p[0] >= max(p[1], p[2]):
            out[i] = replace(out[i], probs=tuple(float(x) for x in p))
    return out


def _context(hit: Hit, start: int, previous=None) -> str:
    """The text before a sentence that may name its referents: at most ``CONTEXT_SENTENCES``
    sentences (``CONTEXT_CHARS``) before it in its passage, or in the passage before that one
    in its document, the document's title, and its lead sentence (at most ``LEAD_CHARS``): an
    article's first sentence says what its subject is ("Valmora is a city in the north of
    Portugal"), which "the city" takes up however far after it."""
    p = hit.passage
    before = p.text[: max(0, start - p.start)]
    spans = sentences(before)
    lead = _lead(before, spans) if p.start == 0 else ""
    if len(spans) < CONTEXT_SENTENCES and previous is not None:
        q = previous(p)
        if q is not None and q.end <= p.start:
            before = q.text + "\n\n" + before
            spans = sentences(before)
    if not lead and p.start > 0 and previous is not None:
        q = previous(p, first=True)  # passages may overlap: the lead may be in ``before``
        if q is not None and q.start == 0:
            lead = _lead(q.text, sentences(q.text))
    text = "\n".join(before[a:b] for a, b in spans[-CONTEXT_SENTENCES:])[-CONTEXT_CHARS:]
    if lead and len(lead) <= LEAD_CHARS and lead not in text:
        text = f"{lead}\n{text}" if text else lead
    title = p.title.strip()
    if title and title not in before:
        text = f"{title}.\n{text}" if title[-1:].isalnum() else f"{title}\n{text}"
    return text


# how a sentence ends; a heading ("River Skelda", "Early life") does not
SENTENCE_ENDS = (".", "!", "?", '"', "\u201d", "\u2019", ")")


def _lead(text: str, spans: list[tuple[int, int]]) -> str:
    """A document's first sentence, after any heading lines before it (at most two: a title
    and a section heading)."""
    for a, b in spans[:3]:
        if text[a:b].rstrip().endswith(SENTENCE_ENDS):
            return text[a:b]
    return ""


def read_asserted(claim, cdoc, sdocs: dict, probs: dict, model) -> None:
    """Replace, in ``sdocs`` (and ``probs``), each decisive sentence with a clause it does not
    state ("The company rejected claims that its vaccine caused heart problems.", "It is
    unclear whether the factory will close.") with its reading less that clause
    (``analysis.asserted``), unless the claim has such a clause too ("The company denied
    that ..."): the clause's words would align with a claim that states it, and the stance
    model reads the pair as entailment (0.94 and 0.97 for those two sentences against "The
    vaccine caused heart problems in children." and "The factory will close next year.")."""
    if unasserted(cdoc):
        return
    gone = {j: unasserted(d, evidence=False) for j, d in sdocs.items()}
    changed = {j: t for j, d in sdocs.items() if (t := asserted(d, gone[j])) is not None}
    _read_as(claim, changed, sdocs, probs, model, gone, capped=True)


def _read_as(
    claim, changed: dict, sdocs: dict, probs: dict, model, gone: dict, capped: bool = False
) -> None:
    """Replace each sentence ``j`` of ``changed`` (index -> its new text) in ``sdocs``, parsed
    and keeping the names of the old reading but those among the tokens ``gone[j]``
    (``_carry_names``), and its stance in ``probs`` when ``model`` is given (with ``capped``,
    contradicting no more than the old reading: ``_no_more_contradicting``)."""
    order = list(changed)
    if not order:
        return
    for j, d in zip(order, parse([changed[j] for j in order]), strict=True):
        sdocs[j] = _carry_names(sdocs[j], d, gone.get(j, set()))
    if model is not None:
        scores = stance_probabilities(model, [(changed[j], claim) for j in order])
        for j, p in zip(order, scores, strict=True):
            probs[j] = _no_more_contradicting(p, probs[j]) if capped else tuple(map(float, p))


# "(3 February 1938 – 11 November 2009)" after a person's name: an encyclopedia's dates of
# birth and death, in a form that states neither verb
_LIFE_DATES = re.compile(
    r"\((?!born\b)([^()\u2013\u2014]*?\b(\d{4}))\s*(?:\u2013|\u2014|\s-\s|-)\s*"
    r"(?!died\b)([^()\u2013\u2014]*?\b(\d{4}))\s*\)"
)
NOT_LIVES = ("EVENT", "DATE", "ORG", "FAC", "WORK_OF_ART", "LAW", "PRODUCT", "LOC", "NORP")


def life_dates(doc) -> str | None:
    """``doc``'s text with a person's dates of birth and death spelled out, or None where it
    has none: "Ilse Marvonen (3 February 1938 – 11 November 2009) was a Finnish novelist" ->
    "Ilse Marvonen (born 3 February 1938 – died 11 November 2009) was ...", so that "Marvonen
    died in 2009" and "was born in 1938" align with a verb. Only after a proper name that is
    no event, organisation or work ("the Hundred Years' War (1337–1453)"), and for a span a
    life can have (10 to 120 years)."""
    text = doc.text
    for m in _LIFE_DATES.finditer(text):
        born, died = int(m.group(2)), int(m.group(4))
        before = doc.char_span(0, m.start(), alignment_mode="contract")
        name = before[-1] if before is not None and len(before) else None
        if (
            name is None
            or name.pos_ != "PROPN"
            or name.ent_type_ in NOT_LIVES
            or not 10 <= died - born <= 120
        ):
            continue
        return f"{text[: m.start()]}(born {m.group(1)} \u2013 died {m.group(3)}){text[m.end() :]}"
    return None


def read_life_dates(claim, sdocs: dict, probs: dict, model) -> None:
    """Replace, in ``sdocs`` (and ``probs``), each decisive sentence that gives a person's
    dates of birth and death as a bare range with its reading that says "born" and "died"
    (``life_dates``); citations still quote the sentence as written."""
    changed = {j: t for j, d in sdocs.items() if (t := life_dates(d)) is not None}
    _read_as(claim, changed, sdocs, probs, model, {})


def _carry_names(old, new, gone: set[int] | None = None):
    """``new`` (a sentence read without a clause) with the names of ``old`` that it keeps (not
    among the tokens ``gone``, ``unasserted(old, evidence=False)`` when not given), as ``old``
    labelled them: a name reference resolution put in its sentence keeps the label its context
    gave it (``reference.label_names``), which a fresh parse may not."""
    gone = unasserted(old, evidence=False) if gone is None else gone
    spans, pos, text = [], 0, new.text
    for e in old.ents:
        if any(t.i in gone for t in e):
            continue  # read out with its clause ("Russia" of "denied that Russia sold ...")
        m = re.compile(rf"(?<!\w){re.escape(e.text)}(?!\w)").search(text, pos)
        if m is not None:  # a whole word: "Russia" is not the start of "Russian"
            spans.append((m.start(), m.end(), e.label_))
            pos = m.end()
    return label_names(new, spans)


def _no_more_contradicting(new, old) -> tuple[float, float, float]:
    """The stance of a sentence read without a clause it does not state (``new``), whose
    contradiction is no more than the whole sentence's (``old``), the excess read as neutral
    (entailment is not capped: it falls where the clause held the claim's words, which is the
    point, and the coverage gate still needs every word stated).
    What is left can read as a contradiction it is not ("Seven men are preparing." 0.45
    against "There are men at the helicopter.", 0.06 for the whole "Seven men are preparing to
    operate a helicopter"): leaving a clause out takes evidence away; it gives no ground to
    contradict."""
    e, c, n = (float(x) for x in new)
    capped = min(c, float(old[1]))
    return (e, capped, n + c - capped)


def _is_name(slot: Slot) -> bool:
    """A name of the claim: an entity, or a proper noun the NER gave no label ("Marvonen
    published eleven collections ...")."""
    return slot.kind == "entity" or (slot.kind == "word" and slot.label == "PROPN")


def _resolve_references(claim, slots, sents, sdocs: dict, probs: dict, model, previous) -> None:
    """Replace, in ``sdocs`` (and ``probs``), each decisive sentence that lacks a claim name
    but refers to it by a pronoun or a definite noun phrase with its resolved reading."""
    names = [s.text.lower() for s in slots if _is_name(s)]
    todo = [
        j for j, d in sdocs.items() if any(n not in d.text.lower() for n in names) and referring(d)
    ]
    texts = {j: _context(sents[j][0], sents[j][1][0], previous) for j in todo}
    todo = [j for j in todo if texts[j].strip()]
    if not todo:
        return
    contexts = parse([texts[j] for j in todo])
    changed = {}
    for j, ctx in zip(todo, contexts, strict=True):
        refs = resolve(ctx, sdocs[j])
        if refs:
            changed[j] = resolved(sdocs[j].text, refs)
    if not changed:
        return
    order = list(changed)
    for j, d in zip(order, parse([changed[j][0] for j in order]), strict=True):
        sdocs[j] = label_names(d, changed[j][1])
    if model is not None:
        scores = stance_probabilities(model, [(changed[j][0], claim) for j in order])
        for j, p in zip(order, scores, strict=True):
            probs[j] = tuple(float(x) for x in p)


# the longest title read as an article's subject ("Kestrin Valo", "The Salt Orchard")
TOPIC_WORDS = 6
SUBJECTS = ("nsubj", "nsubjpass")


def _lead_of(p, previous) -> str:
    """The first sentence of the document of passage ``p`` (after its heading lines)."""
    if p.start == 0:
        return _lead(p.text, sentences(p.text))
    q = previous(p, first=True) if previous is not None else None
    return _lead(q.text, sentences(q.text)) if q is not None and q.start == 0 else ""


def _topic_title(title: str) -> str | None:
    """A document title as a subject's name ("Kestrin_Valo", a file or page name, read with
    spaces), or None when it is empty or longer than ``TOPIC_WORDS``."""
    title = title.replace("_", " ").strip()
    return title if title and len(title.split()) <= TOPIC_WORDS else None


def _opens_with(lead: str, title: str) -> bool:
    """True when the first sentence ``lead`` opens with ``title``, "the" before it or not."""
    low, t = lead.lower().lstrip(), title.lower()
    return low.startswith(t) or low.startswith(f"the {t}")


def topic_of(title: str, lead_doc) -> tuple[str, str] | None:
    """(name, label) of an article's subject: its title, when its first sentence (``lead_doc``,
    parsed) opens with it ("Kestrin Valo" / "Kestrin Valo (born 14 March 1994) is a ...";
    "River Skelda" / "The River Skelda is a river ..."); the label is the NER's for that
    mention, "PROPN" when it gave none. A news headline is no subject, nor a long title. A
    title written as a file or page name ("Kestrin_Valo") is read with spaces."""
    title = _topic_title(title)
    if title is None or not _opens_with(lead_doc.text, title):
        return None
    at = next(i for i, tok in enumerate(lead_doc) if not tok.is_space)
    at += int(not lead_doc.text.lower().lstrip().startswith(title.lower()))  # "The River Skelda"
    named = next((e for e in lead_doc.ents if e.start <= at < e.end), None)
    return title, named.label_ if named is not None else "PROPN"


@lru_cache(maxsize=1024)
def _topic(title: str, lead: str) -> tuple[str, str] | None:
    """``topic_of`` a title and its document's first sentence, parsing the sentence only when it
    opens with the title (once per document: every claim checked against it asks again)."""
    name = _topic_title(title)
    if name is None or not _opens_with(lead, name):
        return None
    return topic_of(title, parse([lead])[0])


def _states_another(doc, label: str, topic: str) -> bool:
    """True when the sentence ``doc`` names something of the subject's kind (another person in
    an article about a person), or has a name of its own as a subject ("FC Dunmere won the cup
    in 2012" in an article about a footballer): its statement is about that, not the
    article's subject."""
    words = set(topic.lower().split())
    if label != "PROPN" and any(e.label_ == label for e in doc.ents):
        return True
    return any(
        (t.pos_ == "PROPN" or t.ent_type_) and t.dep_ in SUBJECTS and t.lower_ not in words
        for t in doc
    )


def _read_in_topic(claim, slots, sents, sdocs: dict, probs: dict, model, previous) -> None:
    """Read each decisive sentence of an article that does not name the claim's name, when that
    name is the article's subject (``topic_of``) and the sentence names nothing else of its
    kind, as stated of the subject: "The Salt Orchard: Principal photography took place over
    41 days ...". An article states its subject's facts without repeating its name (FEVER's
    claims are checked against such sentences with the page's title before them); the
    citation still quotes the sentence as written."""
    low = claim.lower()
    names = [s.text.lower().removeprefix("the ") for s in slots if _is_name(s)]
    leads: dict[str, object] = {}
    todo = {}
    for j, d in sdocs.items():
        p = sents[j][0].passage
        if _topic_title(p.title) is None:
            continue
        if p.doc_id not in leads:
            leads[p.doc_id] = _topic(p.title, _lead_of(p, previous))
        topic = leads[p.doc_id]
        if topic is None:
            continue
        name = topic[0].lower().removeprefix("the ")
        said = [n for n in names if n and (n == name or name.endswith(f" {n}"))]
        if name in low and name not in said:
            said.append(name)
        text = d.text.lower()
        if not said or any(n in text for n in said) or _states_another(d, topic[1], name):
            continue
        todo[j] = f"{topic[0]}: {d.text}"
    _read_as(claim, todo, sdocs, probs, model, {})


def _rerank(hits: list[Hit], scored: dict) -> list[Hit]:
    """Order passages by retrieval score (min-max within the pool) plus stance relevance."""
    if len(hits) < 2:
        return hits
    raw = np.array([h.score for h in hits], dtype=float)
    span = raw.max() - raw.min()
    norm = (raw - raw.min()) / span if span > 0 else np.ones_like(raw)
    rel = np.array(
        [max((s[4][0] + s[4][1] for s in scored[h.passage.id]), default=0.0) for h in hits]
    )
    total = (1 - RERANK_WEIGHT) * norm + RERANK_WEIGHT * rel
    order = sorted(range(len(hits)), key=lambda i: (-total[i], hits[i].rank))
    return [hits[i] for i in order]
