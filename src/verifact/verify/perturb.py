"""Claim perturbations: real sentences -> (premise, hypothesis, label) pairs for stance training and
tests.

In the manner of FactCC (Kryscinski et al., 2020) and COVID-Fact (Saakyan et al., 2021): a claim is
made
from a real sentence, then one slot of it is changed. Every pair records the kind of change, so test
sets can be reported per perturbation type.

- ``entails``: the sentence itself, or a shorter clause of it (a parenthesis, an opening adverbial,
a
  prepositional or relative modifier dropped).
- ``contradicts``: one slot changed: a year, a number, a named entity (swapped for another of the
same
  label, from the same text where possible), a negation added to or removed from the main verb, or
  one
  content word swapped for a *plausible* alternative of the same tag (a near neighbour in embedding
  space with another stem, e.g. "increased" -> "decreased", "mice" -> "rats").
- ``neutral``: a claim that adds a fact the premise lacks (the premise is the shortened sentence,
the
  claim the full one), or another sentence of the same text.

The generator is seeded and deterministic: the same sentences, seed and vocabulary give the same
pairs.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .lexicon import (
    are_antonyms,
    are_synonyms,
    classes_of,
    is_kind_of,
    same_first_sense,
    synonyms_of,
)

LABELS = ("entailment", "contradiction", "neutral")
CONTENT_TAGS = {
    "NN",
    "NNS",
    "JJ",
    "JJR",
    "JJS",
    "VB",
    "VBD",
    "VBG",
    "VBN",
    "VBP",
    "VBZ",
    "RB",
    "RBR",
}
SWAP_ENTS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT"}
NUMBER_ENTS = {"CARDINAL", "PERCENT", "QUANTITY", "MONEY"}
DROPPABLE_DEPS = {"prep", "advcl", "acl", "relcl", "appos", "npadvmod", "advmod"}
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_NUM = re.compile(r"\d+(?:[.,]\d+)?")
MIN_WORDS, MAX_WORDS = 5, 60


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: str  # one of LABELS
    # "copy", "clause", "synonym", "class", "year", "number", "entity", "negation", "word", "added",
    # "other"
    kind: str
    source: str = ""  # where the premise came from (doc id), for held-out bookkeeping


class Vocabulary:
    """Words of a corpus by Penn tag, with their embeddings, to find plausible substitutes.

    Args:
        words_by_tag: tag -> list of lower-case surface forms (each seen at least a few times).
        vectors_by_tag: tag -> float32 array (len(words), dim), L2-normalised.
    """

    def __init__(
        self,
        words_by_tag: dict[str, list[str]],
        vectors_by_tag: dict[str, np.ndarray],
        coordinated: dict[tuple[str, str], set[str]] | None = None,
        lemmas: dict[str, str] | None = None,
    ):
        self.words = words_by_tag
        self.vectors = vectors_by_tag
        self.coordinated = coordinated or {}
        self.lemmas = lemmas or {}  # surface form -> lemma (lower case)
        self.index = {tag: {w: i for i, w in enumerate(ws)} for tag, ws in words_by_tag.items()}
        self.forms: dict[tuple[str, str], str] = {}  # (lemma, tag) -> the corpus's word
        for tag, ws in words_by_tag.items():
            for w in ws:
                self.forms.setdefault((self.lemmas.get(w, w), tag), w)

    def neighbours(self, word: str, tag: str, k: int = 8) -> list[str]:
        """Up to k plausible alternatives to ``word`` (same tag, another stem), closest first.

        An alternative is a word the corpus coordinates with ``word`` ("mice and rats", "higher or
        lower": co-hyponyms and antonyms, rarely synonyms) or its un-/in-/non- antonym. Embedding
        neighbours alone are not used: half of them are synonyms ("reduced" -> "diminished"), which
        would label a paraphrase a contradiction; for the same reason a coordinated word that is a
        WordNet synonym or a class of ``word`` is left out (``says_the_same``).
        """
        idx = self.index.get(tag, {})
        cands = {
            c
            for c in self.coordinated.get((tag, word), set())
            if not _same_stem(c, word) and not self.says_the_same(word, c)
        }
        cands |= {a for a in _prefix_antonyms(word) if a in idx}
        if word not in idx or not cands:
            return sorted(cands)[:k]
        ranked = sorted((-self.similarity(word, c, tag), c) for c in cands)
        return [c for _, c in ranked[:k]]

    def says_the_same(self, word: str, other: str) -> bool:
        """True when ``other`` in place of ``word`` states nothing false: a WordNet synonym
        ("physicians" for "doctors") or a class of it ("leaders" for "ministers", "animals" for
        "mice"; ``lexicon.is_kind_of``), which the corpus also coordinates ("ministers and other
        leaders"). Such a word is no counter-claim."""
        a, b = self.lemmas.get(word, word), self.lemmas.get(other, other)
        return are_synonyms(a, b) or is_kind_of(a, b)

    def similarity(self, word: str, other: str, tag: str) -> float:
        """Cosine of two words of one tag in the embedding space (0 when either is unknown)."""
        idx = self.index.get(tag, {})
        if word not in idx or other not in idx:
            return 0.0
        vecs = self.vectors[tag]
        return float(vecs[idx[word]] @ vecs[idx[other]])

    def form(self, lemma: str, tag: str) -> str | None:
        """How the corpus writes ``lemma`` under ``tag`` ("decrease", VBD -> "decreased"), or None
        when it never does among its frequent words."""
        return self.forms.get((lemma, tag))


def build_vocabulary(
    docs: Iterable,
    embed: Callable[[list[str]], np.ndarray],
    min_count: int = 3,
    max_per_tag: int = 3000,
) -> Vocabulary:
    """Count content words by tag in parsed spaCy docs and embed the frequent ones."""
    counts: dict[str, dict[str, int]] = {}
    coordinated: dict[tuple[str, str], set[str]] = {}
    lemmas: dict[str, str] = {}
    for doc in docs:
        for tok in doc:
            if (
                tok.tag_ in CONTENT_TAGS
                and tok.is_alpha
                and len(tok.text) > 2
                and not tok.ent_type_
                and tok.pos_ != "AUX"
                and not tok.is_stop
            ):
                bucket = counts.setdefault(tok.tag_, {})
                w = tok.text.lower()
                bucket[w] = bucket.get(w, 0) + 1
                lemmas.setdefault(w, tok.lemma_.lower())
                head = tok.head
                if (
                    tok.dep_ == "conj"
                    and head.tag_ == tok.tag_
                    and head.is_alpha
                    and not head.ent_type_
                ):
                    h = head.text.lower()
                    if h != w:
                        coordinated.setdefault((tok.tag_, w), set()).add(h)
                        coordinated.setdefault((tok.tag_, h), set()).add(w)
    words, vectors = {}, {}
    for tag, bucket in sorted(counts.items()):
        frequent = sorted(
            (w for w, c in bucket.items() if c >= min_count), key=lambda w: (-bucket[w], w)
        )
        frequent = sorted(frequent[:max_per_tag])
        if len(frequent) < 2:
            continue
        words[tag] = frequent
        vectors[tag] = np.asarray(embed(frequent), dtype=np.float32)
    known = {(tag, w) for tag, ws in words.items() for w in ws}
    coordinated = {
        key: {c for c in alts if (key[0], c) in known}
        for key, alts in coordinated.items()
        if key in known
    }
    known_words = {w for ws in words.values() for w in ws}
    return Vocabulary(
        words,
        vectors,
        {k: v for k, v in coordinated.items() if v},
        {w: lem for w, lem in lemmas.items() if w in known_words},
    )


_NEG_PREFIXES = ("un", "in", "im", "il", "ir", "non", "non-", "dis")


def _prefix_antonyms(word: str) -> list[str]:
    """Morphological antonyms: "effective" -> "ineffective", "unable" -> "able"."""
    out = [p + word for p in _NEG_PREFIXES]
    for p in _NEG_PREFIXES:
        if word.startswith(p) and len(word) - len(p) > 3:
            out.append(word[len(p) :])
    return out


def _same_stem(a: str, b: str) -> bool:
    """Inflections of one word ("increase", "increased"); prefix antonyms are not."""
    a, b = a.lower(), b.lower()
    if b in _prefix_antonyms(a) or a in _prefix_antonyms(b):
        return False
    n = min(len(a), len(b), 5)
    return a[:n] == b[:n] or a in b or b in a


def _detok(tokens: Sequence) -> str:
    """Join spaCy tokens (or (text, whitespace) pairs) back into text."""
    out = "".join(t.text_with_ws if hasattr(t, "text_with_ws") else t[0] + t[1] for t in tokens)
    out = re.sub(r"\s+", " ", out).strip()
    out = re.sub(r"\s+([,.;:)])", r"\1", out)
    out = re.sub(r"\(\s*\)", "", out)
    out = re.sub(r",\s*,", ",", out).strip(" ,;:")
    if out and out[-1] not in ".!?":
        out += "."
    return out[:1].upper() + out[1:]


def _replace(sent, start: int, end: int, new: str) -> str:
    """The sentence with tokens [start, end) replaced by ``new`` (trailing space kept)."""
    toks = list(sent)
    base = sent[0].i
    parts = [(t.text, t.whitespace_) for t in toks[: start - base]]
    parts.append((new, toks[end - 1 - base].whitespace_))
    parts += [(t.text, t.whitespace_) for t in toks[end - base :]]
    return _detok(parts)


def _match_case(new: str, old: str) -> str:
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _shorten(sent, rng: random.Random) -> tuple[str, bool] | None:
    """A shorter clause the sentence entails: drop one modifier subtree or a parenthesis.

    Returns (shorter text, whether the dropped part states a fact of its own: a noun, name or number
    not elsewhere in the sentence, and not an opening discourse phrase).
    """
    root = sent.root
    options = []
    for tok in sent:
        if tok.dep_ not in DROPPABLE_DEPS or tok.i == root.i:
            continue
        sub = list(tok.subtree)
        lo, hi = sub[0].i, sub[-1].i + 1
        # never drop a negation, most of the sentence, or a one-word non-adverb
        if any(t.dep_ == "neg" for t in sub) or hi - lo > 0.6 * len(sent):
            continue
        if hi - lo < 2 and tok.dep_ != "advmod":
            continue
        options.append((lo, hi))
    text = sent.text
    if "(" in text and ")" in text:
        options.append(("paren", 0))
    if not options:
        return None
    lo, hi = rng.choice(options)
    if lo == "paren":
        out = re.sub(r"\s*\([^()]*\)", "", text)
        return (_detok([(out, "")]), False) if out != text else None
    keep = [t for t in sent if not lo <= t.i < hi]
    if len(keep) < MIN_WORDS or not any(t.i == root.i for t in keep):
        return None
    rest = {t.lemma_.lower() for t in keep}
    factual = lo > sent.start and any(
        t.pos_ in ("NOUN", "PROPN", "NUM") and t.lemma_.lower() not in rest
        for t in sent[lo - sent.start : hi - sent.start]
    )
    return _detok(keep), factual


def _negate(sent) -> tuple[str, str] | None:
    """Add or remove a negation on the main verb; returns (claim, what changed)."""
    root = sent.root
    negs = [c for c in root.children if c.dep_ == "neg"]
    if negs:
        n = negs[0]
        return _replace(sent, n.i, n.i + 1, "").replace("  ", " "), f"removed {n.text!r}"
    auxes = [c for c in root.children if c.dep_ in ("aux", "auxpass") and c.i < root.i]
    if auxes:
        a = auxes[0]
        return _replace(sent, a.i, a.i + 1, a.text + " not"), f"added not after {a.text!r}"
    if root.lemma_ == "be" and root.tag_ in ("VBZ", "VBD", "VBP"):
        return _replace(sent, root.i, root.i + 1, root.text + " not"), "added not"
    do = {"VBZ": "does", "VBD": "did", "VBP": "do"}.get(root.tag_)
    if do and root.pos_ == "VERB":
        return _replace(sent, root.i, root.i + 1, f"{do} not {root.lemma_}"), f"added {do} not"
    return None


def _change_number(text: str, value: str, rng: random.Random) -> str | None:
    """Another plausible value for a number: scaled, shifted or with other digits."""
    digits = value.replace(",", "")
    try:
        x = float(digits)
    except ValueError:
        return None
    if _YEAR.fullmatch(digits):
        y = int(x) + rng.choice([-5, -3, -2, -1, 1, 2, 3, 4, 7, 10])
        return str(y)
    choices = [x * f for f in (0.5, 2, 3, 0.25, 10, 1.5)] + [x + d for d in (1, 2, -1, 5)]
    new = rng.choice([c for c in choices if c >= 1 and round(c, 2) != x] or [x + 1])
    if "." in digits:
        places = len(digits.split(".")[1])
        out = f"{new:.{places}f}"
    else:
        out = str(int(round(new)))
        if out == digits:
            out = str(int(x) + 1)
    if "," in value and len(out) > 3:
        out = f"{int(out):,}"
    return out


class Perturber:
    """Makes labelled pairs from parsed sentences.

    Args:
        vocab: substitutes for content words (see :func:`build_vocabulary`).
        entity_pool: label -> entity texts seen in the corpus, for swaps when a text has no other.
        seed: all choices come from ``random.Random(seed)``.
        paraphrase_rate: the share of sentences whose entailed claim is a paraphrase (one word
            swapped for a synonym or a class, ``paraphrases``) rather than a clause or a copy; 0
            makes the pairs of the recipes before it, draw for draw.
    """

    def __init__(
        self,
        vocab: Vocabulary,
        entity_pool: dict[str, list[str]],
        seed: int = 0,
        paraphrase_rate: float = 0.0,
    ):
        self.vocab = vocab
        self.entity_pool = {k: sorted(set(v)) for k, v in entity_pool.items()}
        self.rng = random.Random(seed)
        self.paraphrase_rate = paraphrase_rate

    def paraphrases(self, sent) -> list[tuple[str, str]]:
        """Single-word swaps of ``sent`` that state the same thing: (claim, kind). "synonym": a
        noun or verb whose most frequent WordNet sense is the token's most frequent sense too,
        that the embedding also puts near it, in the form the corpus writes for the token's
        tag ("examined" -> "analyzed", "risk" -> "hazard"; not "expression" -> "look", whose
        shared first sense is a face's); "class": a class of a person or an animal ("patients"
        -> "persons", "mice" -> "animals"). A counter-claim swaps one word too
        (``contradictions``), so a model trained on both must read which word came in, not
        only that one changed."""
        out, vocab = [], self.vocab
        for tok in _content_words(sent):
            lemma, tag = tok.lemma_.lower(), tok.tag_
            if len(tok.text) < 3 or tag[:2] not in ("NN", "VB"):
                continue
            cands = [(w, "synonym") for w in synonyms_of(lemma)]
            if tag in ("NN", "NNS") and any(is_kind_of(lemma, c) for c in CONCRETE):
                cands += [(w, "class") for w in classes_of(lemma)]
            seen = set()
            for other, kind in cands:
                new = vocab.form(other, tag)
                if new is None or new in seen or _same_stem(new, tok.text):
                    continue
                if are_antonyms(lemma, other) or new in sent.text.lower():
                    continue
                if kind == "synonym" and not (
                    same_first_sense(lemma, other, tag[:2])
                    and vocab.similarity(tok.text.lower(), new, tag) >= PARAPHRASE_SIMILARITY
                ):
                    continue
                seen.add(new)
                out.append((_replace(sent, tok.i, tok.i + 1, _match_case(new, tok.text)), kind))
        return out

    def contradictions(self, sent, doc_ents: dict[str, list[str]]) -> list[tuple[str, str]]:
        """Every single-slot contradiction of ``sent`` that could be made: (claim, kind)."""
        rng, out = self.rng, []
        for ent in sent.ents:
            if ent.label_ == "DATE" and _YEAR.search(ent.text):
                m = _YEAR.search(ent.text)
                new = _change_number(ent.text, m.group(0), rng)
                out.append(
                    (_replace(sent, ent.start, ent.end, ent.text.replace(m.group(0), new)), "year")
                )
            elif ent.label_ in NUMBER_ENTS:
                m = _NUM.search(ent.text)
                if m:
                    new = _change_number(ent.text, m.group(0), rng)
                    if new:
                        newtext = ent.text[: m.start()] + new + ent.text[m.end() :]
                        out.append((_replace(sent, ent.start, ent.end, newtext), "number"))
            elif ent.label_ in SWAP_ENTS:
                low = sent.text.lower()
                same = [
                    e
                    for e in doc_ents.get(ent.label_, [])
                    if not _overlaps(e, ent.text) and e.lower() not in low
                ]
                pool = same or [
                    e
                    for e in self.entity_pool.get(ent.label_, [])
                    if not _overlaps(e, ent.text) and e.lower() not in low
                ]
                if pool:
                    out.append((_replace(sent, ent.start, ent.end, rng.choice(pool)), "entity"))
        neg = _negate(sent)
        if neg:
            out.append((neg[0], "negation"))
        words = _content_words(sent)
        rng.shuffle(words)
        for tok in words:
            subs = self.vocab.neighbours(tok.text.lower(), tok.tag_)
            subs = [s for s in subs if s not in sent.text.lower()]
            if subs:
                new = _match_case(rng.choice(subs[:5]), tok.text)
                out.append((_replace(sent, tok.i, tok.i + 1, new), "word"))
                break
        return out

    def pairs(
        self, sent, other_sents: Sequence, doc_ents: dict[str, list[str]], source: str = ""
    ) -> list[Pair]:
        """About one entails, one contradicts and one neutral pair for one sentence."""
        rng = self.rng
        n = len([t for t in sent if not t.is_punct])
        if not MIN_WORDS <= n <= MAX_WORDS:
            return []
        premise = _detok(list(sent))
        shortened = _shorten(sent, rng)
        short, factual = shortened or (None, False)
        out = []
        paraphrase = None
        if self.paraphrase_rate > 0 and rng.random() < self.paraphrase_rate:
            paraphrase = self.paraphrases(sent)
        # entails: a paraphrase (at ``paraphrase_rate``), the sentence itself (a fifth of the
        # time) or a shorter clause of it
        if paraphrase:
            claim, kind = rng.choice(paraphrase)
            out.append(Pair(premise, claim, "entailment", kind, source))
        elif short and rng.random() < 0.8:
            out.append(Pair(premise, short, "entailment", "clause", source))
        else:
            out.append(Pair(premise, premise, "entailment", "copy", source))
        cons = self.contradictions(sent, doc_ents)
        if cons:
            claim, kind = rng.choice(cons)
            if claim != premise:
                out.append(Pair(premise, claim, "contradiction", kind, source))
        # neutral: the claim adds what the premise lacks, or another sentence of the same text
        if short and factual and rng.random() < 0.7:
            out.append(Pair(short, premise, "neutral", "added", source))
        elif other_sents:
            other = rng.choice(list(other_sents))
            out.append(Pair(_detok(list(other)), short or premise, "neutral", "other", source))
        return out


# the classes whose kinds a paraphrase may name by the class ("mice" -> "animals"): abstract
# nouns' classes say little ("increase" -> "quantity", "cell" -> "location")
CONCRETE = ("person", "animal")
# how near the embedding must put a synonym (WordNet's most frequent sense is no sure guide in a
# paper: "expression" of a gene is not a face's "look")
PARAPHRASE_SIMILARITY = 0.6


def _content_words(sent) -> list:
    """The tokens of ``sent`` whose swap changes what it states: content words outside names,
    never an auxiliary ("was" -> "were" is grammar) or a stop word."""
    return [
        t
        for t in sent
        if t.tag_ in CONTENT_TAGS
        and t.is_alpha
        and not t.ent_type_
        and t.dep_ not in ("aux", "auxpass")
        and t.pos_ != "AUX"
        and not t.is_stop
    ]


def _overlaps(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a in b or b in a


def doc_entities(doc) -> dict[str, list[str]]:
    """label -> distinct entity texts of one parsed doc."""
    ents: dict[str, list[str]] = {}
    for e in doc.ents:
        if e.text not in ents.setdefault(e.label_, []):
            ents[e.label_].append(e.text)
    return ents


def perturb_docs(
    docs: Sequence, perturber: Perturber, sources: Sequence[str] | None = None
) -> list[Pair]:
    """Pairs for every usable sentence of each parsed doc, in order."""
    out = []
    for i, doc in enumerate(docs):
        ents = doc_entities(doc)
        sents = list(doc.sents)
        for j, sent in enumerate(sents):
            others = sents[:j] + sents[j + 1 :]
            out += perturber.pairs(sent, others, ents, sources[i] if sources else "")
    return out
