"""Alignment: (claim slots, evidence sentence) -> which slots the sentence states, and conflicts.

A claim slot is *aligned* when the sentence has its counterpart: the same lemma or stem, the same
number or year, the same name (or its acronym, the abbreviation its passage defines for it, or a
name whose embedding is close enough), or a word
whose embedding is close enough (``WordVectors``; "CO2" ~ "carbon dioxide"). A slot with no
counterpart is *missing*; a missing slot whose kind the sentence fills with another value is a
*conflict* (``claim "2019" vs source "2022"``), and so is a negation on a shared predicate that the
other side lacks. WordNet (``lexicon``) settles what the embedding cannot: an antonym is never an
equivalent and is a swap wherever the sentence says it ("defeat" against "victory"), and a
synonym the embedding puts apart is no swap ("doctors" / "physicians"). Reasons quote the
source's own words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .analysis import (
    DATE_LABELS,
    DEFINITE,
    MODIFIER_DEPS,
    NAME_LABELS,
    NEGATIVE_PRONOUNS,
    NUMBER_LABELS,
    PLACE_NOUNS,
    SAYING_VERBS,
    WORD_NUMBERS,
    Slot,
    _affirming_idiom,
    _negating_adverb,
    bounded_start,
    by_evidence,
    counts_a_noun,
    disputed_by,
    hedge,
    is_denied,
    is_identifier,
    is_maximum,
    is_modifier,
    is_negated,
    is_quantifier_pronoun,
    is_quantity_word,
    month_day,
    negated_object,
    negated_subject,
    negative_implicative,
    number_interval,
    number_unit,
    number_value,
    other_units,
    predicates,
    same_day,
    says,
    years,
)
from .lexicon import (
    PARTICLES,
    are_opposites,
    are_synonyms,
    change_direction,
    is_a,
    is_kind_of,
    is_nationality,
    is_place_name,
    is_reporting_verb,
    is_way_to,
    same_place,
    states_quantity,
)
from .reference import singles_out

WORD_SIM = 0.78  # embedding cosine at which two words are equivalent: measured, synonyms such as
# "CO2"~"carbon dioxide" 0.84, "physician"~"doctor" 0.82, "US"~"United States" 0.79 are above;
# rivals such as "mice"~"rats" 0.76, "large"~"small" 0.76, "women"~"men" 0.70 below
GRADED_SIM = 0.9  # in place, adjectives and adverbs are graded words, whose antonyms sit close:
# "larger"~"smaller" 0.86, "longer"~"shorter" 0.81, "strong"~"weak" 0.79 (measured); one put in
# another's place is the same only above this
GRADED_POS = ("ADJ", "ADV")
NOUN_POS = ("NOUN", "PROPN")  # the words a noun class aligns (``lexicon.is_kind_of``)
ENTITY_SIM = 0.85  # names are stricter: "China"~"Russia" 0.75, "USSR"~"Soviet Union" 0.90
NAME_GROUPS = (  # names that can stand in for one another; a nationality ("Soviet") is not a
    # place ("the Middle East"), so NORP rivals only NORP
    {"GPE", "LOC", "FAC"},
    {"NORP"},
    {"PERSON"},
    {"ORG", "PRODUCT", "WORK_OF_ART", "LAW", "EVENT"},
)


@dataclass(frozen=True)
class Conflict:
    kind: str  # "date mismatch" | "number mismatch" | "entity mismatch" | "negation"
    claim_span: str
    source_span: str


@dataclass(frozen=True)
class Alignment:
    aligned: tuple[
        tuple[Slot, str, float], ...
    ]  # slot, the source's words, similarity (1 = same lemma)
    missing: tuple[Slot, ...]
    conflicts: tuple[Conflict, ...]
    best_missing_sim: float = 0.0  # closest counterpart of a missing word (0 when none is missing)
    # missing claim words whose syntactic slot the source fills with another word of the same
    # part of speech (claim word, source word): "increases" where the source says "reduced"
    substitutions: tuple[tuple[str, str], ...] = ()
    # the claim's main predicate (the root of one of its sentences) has no counterpart: the
    # sentence says something else about the same words ("labelled" where it says "considers")
    root_missing: bool = False
    # the substitutions seen in place (the same words around another word, or the same verb
    # with another subject): the sentence states the claim's statement with another value
    swaps: tuple[tuple[str, str], ...] = ()
    # claim predicates the source leaves possible, alleged or reported (claim words, source
    # words): "took" where it says "allegedly took", "will reopen" where it says "might reopen"
    hedged: tuple[tuple[str, str], ...] = ()

    @property
    def coverage(self) -> float:
        n = len(self.aligned) + len(self.missing)
        return len(self.aligned) / n if n else 1.0

    @property
    def missing_names(self) -> tuple[Slot, ...]:
        """Missing names, dates and numbers, and identifiers the NER did not tag ("NMDAR",
        "H1047R"): none of them may be missing from a supporting sentence."""
        return tuple(
            s
            for s in self.missing
            if s.kind in ("entity", "date", "number") or (s.kind == "word" and _identifier(s.text))
        )


def _identifier(text: str) -> bool:
    """An acronym or a code of letters and digits: "NMDAR", "BT474", "H1047R"."""
    letters, digits = any(c.isalpha() for c in text), any(c.isdigit() for c in text)
    return bool(_as_acronym(text)) or (letters and digits and " " not in text)


class WordVectors:
    """Embeddings of single words and short phrases, cached: the embedder's own vectors."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], size: int = 20000):
        self.embed = embed
        self.cache: dict[str, np.ndarray] = {}
        self.size = size

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        todo = sorted({w for w in words if w not in self.cache})
        if todo:
            if len(self.cache) + len(todo) > self.size:  # bounded: start again, keep what is needed
                self.cache.clear()
                todo = sorted(set(words))
            for w, v in zip(todo, self.embed(todo), strict=True):
                self.cache[w] = np.asarray(v, dtype=np.float32)
        if not words:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self.cache[w] for w in words])


@dataclass
class _Side:
    """What an evidence sentence offers to align against."""

    lemmas: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)
    words: list[tuple[str, str, str]] = field(default_factory=list)  # (text, lemma, pos)
    numbers: list[tuple[float, str, str]] = field(default_factory=list)  # value, text, label
    years: list[tuple[str, str]] = field(default_factory=list)  # year, date text
    names: list[tuple[str, str]] = field(default_factory=list)  # text, label
    phrases: list[str] = field(default_factory=list)  # compound modifiers: "carbon dioxide"
    lower: str = ""
    tokens: list = field(default_factory=list)  # its tokens, punctuation and spaces left out
    acronyms: dict[str, str] = field(default_factory=dict)  # "IPSC" -> "iPSCs", as written
    counted: dict[str, str] = field(default_factory=dict)  # number text -> the noun it counts
    phrasal: dict[int, str] = field(default_factory=dict)  # index in words -> "pass_away"

    def add_number(self, doc, start: int, end: int, label: str, root) -> None:
        """The number ``doc[start:end]`` with the bound written before it ("over 2 million"),
        and the noun it counts (``_counted``)."""
        text = doc[bounded_start(doc, start) : end].text
        self.numbers.append((number_value(doc[start:end].text), text, label))
        noun = _counted(root)
        if noun is not None:
            self.counted[text] = noun


def _particle(tok):
    """The particle of a phrasal verb ("passed *away*"), else None. spaCy's small model often
    parses it as an adverb ("stepped *down*": advmod), so one of ``lexicon.PARTICLES`` right
    after the verb counts too."""
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    after = tok.i + 1
    return next(
        (
            c
            for c in tok.children
            if c.dep_ == "prt" or (c.dep_ == "advmod" and c.i == after and c.lower_ in PARTICLES)
        ),
        None,
    )


def _phrasal(tok) -> str | None:
    """A verb and its particle as WordNet writes them ("pass_away" of "passed away"), else None."""
    prt = _particle(tok)
    return f"{tok.lemma_.lower()}_{prt.lower_}" if prt is not None else None


def _lemma_forms(lemma: str, phrasal: str | None) -> tuple[str, ...]:
    return (lemma,) if phrasal is None else (lemma, phrasal)


def _side(span) -> _Side:
    s = _Side(lower=span.text.lower())
    s.tokens = [t for t in span if not t.is_punct and not t.is_space]
    s.acronyms = {_as_acronym(t.text): t.text for t in s.tokens if _as_acronym(t.text)}
    negated = _hyphen_negated(span)
    for tok in span:
        if tok.i in negated:  # "non-significant" is one word, not "significant"; "anti-viral"
            text, lemma = negated[tok.i]
            s.lemmas.add(lemma)
            s.texts |= {text.lower(), lemma.replace("-", "")}
            s.words.append((text, lemma, tok.pos_))
            continue
        s.lemmas.add(tok.lemma_.lower())
        s.texts.add(tok.lower_)
        if (
            tok.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "ADV")
            and not tok.is_stop
            and any(c.isalpha() for c in tok.text)
        ):
            s.words.append((tok.text, tok.lemma_.lower(), tok.pos_))
            if (verb := _phrasal(tok)) is not None:
                s.phrasal[len(s.words) - 1] = verb
    counts = {ent.root.i for ent in span.ents if ent.label_ in DATE_LABELS and counts_a_noun(ent)}
    for ent in span.ents:
        if ent.root.i in counts:  # "1300 patients", which the NER took for a year
            s.add_number(span.doc, ent.start, ent.end, "CARDINAL", ent.root)
        elif ent.label_ in DATE_LABELS:
            s.years += [(y, ent.text) for y in years(ent.text)]
        elif ent.label_ in NUMBER_LABELS and is_identifier(ent.text):
            continue  # "IL-10" states no number 10
        elif ent.label_ in NUMBER_LABELS and number_value(ent.text) is not None:
            s.add_number(span.doc, ent.start, ent.end, ent.label_, ent.root)  # "over 2 million"
        elif ent.label_ in NAME_LABELS:
            s.names.append((ent.text, ent.label_))
    for tok in span:
        if (
            tok.like_num
            and number_value(tok.text) is not None
            and not tok.ent_type_
            and not is_identifier(tok.text)
        ):
            s.add_number(tok.doc, tok.i, tok.i + 1, "CARDINAL", tok)  # "p < 0.05"
    # a bare year of the text, but not a count the NER took for one ("1300 patients")
    text = " ".join(t.text for t in span if t.i not in counts) if counts else span.text
    for y in years(text, in_date=False):
        if not any(y == have for have, _ in s.years):
            s.years.append((y, y))
    for tok in span:  # "Carbon dioxide" of "Carbon dioxide emissions", to meet a claim's "CO2"
        mods = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i]
        if len(mods) > 1 or (mods and any(c.dep_ == "compound" for c in mods[0].children)):
            first = min(t.i for m in mods for t in m.subtree)
            phrase = tok.doc[first : tok.i].text
            if phrase not in s.phrases:
                s.phrases.append(phrase)
    return s


# hyphenated prefixes that make another word of the word they join: "non-significant" negates
# "significant", and "anti-inflammatory" is no "inflammatory" ("pro-inflammatory" mostly is)
HYPHEN_PREFIXES = ("non", "anti")


def _hyphen_negated(span) -> dict[int, tuple[str, str]]:
    """The words a hyphenated "non-" negates or "anti-" opposes (``HYPHEN_PREFIXES``), by token
    index -> (as written, lemma): spaCy splits "non-significant" into "non", "-",
    "significant", and the last of them alone would state the claim's "significant" (or "small
    cell" of "non-small cell lung cancer", "inflammatory" of "anti-inflammatory")."""
    doc, out = span.doc, {}
    end = span[-1].i + 1 if len(span) else 0  # a Doc or a Span
    for t in span:
        if t.lower_ not in HYPHEN_PREFIXES or t.whitespace_ or t.i + 2 >= end:
            continue
        dash, word = doc[t.i + 1], doc[t.i + 2]
        if dash.text == "-" and not dash.whitespace_ and word.is_alpha:
            out[word.i] = (f"{t.text}-{word.text}", f"{t.lower_}-{word.lemma_.lower()}")
    return out


def _stem_match(a: str, b: str, pos_a: str = "", pos_b: str = "") -> bool:
    """A shared prefix of most of the shorter word: "reduce" ~ "reduction". Never between
    identifiers ("IL-1" and "IL-10", "IL-10" and "IL-12" name different molecules)."""
    if is_identifier(a) or is_identifier(b):
        return False
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    if not (n >= 4 and n >= 0.75 * min(len(a), len(b))):
        return False
    short, long = sorted((a, b), key=len)
    if len(short) <= 5 and n < len(short) and not _one_letter_more(short, long):
        return False  # "short" / "shore", "plant" / "plane"; not "tumor" / "tumour"
    # a person is not what the person does (parts of speech ``pos_a``, ``pos_b``, where known):
    # "rider" / "rides", "player" / "playing", "dancer" / "dancing"; "researchers" / "research"
    # and "Prosecutors" / "prosecution" are one party
    if "VERB" in (pos_a, pos_b):
        return _person(a) == _person(b)
    return True


def _one_letter_more(short: str, long: str) -> bool:
    """``long`` is ``short`` with one letter put in: "tumor" / "tumour", "color" / "colour"."""
    return len(long) == len(short) + 1 and any(
        long[:i] + long[i + 1 :] == short for i in range(len(long))
    )


def _person(word: str) -> bool:
    """``word`` (a lemma, or a plural form) names a kind of person in WordNet."""
    return any(is_kind_of(w, "person") for w in {word, word.removesuffix("s")})


def _hyphen_word(tok) -> str:
    """The hyphenated word ``tok`` is part of, lower case and without its hyphens ("pro" and
    "inflammatory" of "pro-inflammatory" -> "proinflammatory"), or "" when there is none or it
    holds digits (an identifier: "IL-2", "Th1-Th2", compared whole elsewhere)."""
    doc = tok.doc
    lo = hi = tok.i
    while lo > 0 and not doc[lo - 1].whitespace_ and "-" in (doc[lo - 1].text, doc[lo].text):
        lo -= 1
    while hi + 1 < len(doc) and not doc[hi].whitespace_ and "-" in (doc[hi].text, doc[hi + 1].text):
        hi += 1
    parts = [t.text for t in doc[lo : hi + 1]]
    if "-" not in parts:
        return ""
    joined = "".join(x for x in parts if x != "-").lower()
    return joined if joined.isalpha() else ""


_GENUS = re.compile(r"[A-Z]\.|[A-Z][a-z]{3,}")


def _genus_key(tok) -> tuple[str, str, bool] | None:
    """(initial, next word, abbreviated) of a two-word species name: "Escherichia coli" ->
    ("E", "coli", False), "E. coli" -> ("E", "coli", True); None for any other token."""
    doc = tok.doc
    if not _GENUS.fullmatch(tok.text) or tok.i + 1 >= len(doc):
        return None
    nxt = doc[tok.i + 1]
    if not (nxt.is_alpha and nxt.is_lower and len(nxt.text) >= 3):
        return None
    return tok.text[0], nxt.lower_, tok.text.endswith(".")


NATIONALITY_HOLDERS = ("attr", "nsubj", "nsubjpass", "appos")


def _name_head(tok):
    """The head word of the name ``tok`` is a word of: "Varga" of "Elena Varga"."""
    while tok.dep_ in ("compound", "flat") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _from_place(tok) -> bool:
    """``tok`` names where something is from: "a film *from Canada*", "is from *Norway*"."""
    tok = _name_head(tok)
    return tok.dep_ == "pobj" and tok.head.lower_ == "from"


def _of_holder(tok) -> bool:
    """``tok`` is a nationality said of what a sentence is about: "a *Canadian* film" as the
    subject or the complement of its verb, not "shot the film in *Canadian* forests"."""
    return tok.dep_ in ("amod", "compound") and tok.head.dep_ in NATIONALITY_HOLDERS


def _place_counterpart(tok, span) -> str | None:
    """The sentence's nationality for the claim's "from <place>", or its "from <place>" for
    the claim's nationality, of the same place (WordNet pertainyms): "The Salt Orchard is a
    film *from Canada*" / "is a 2016 *Canadian* drama film". Only so: "The film was shot *in
    Canada*" is not stated by "The *Canadian* director shot the film in France"."""
    if _from_place(tok):
        for t in span:
            if _of_holder(t) and is_nationality(t.text) and same_place(tok.text, t.text):
                return t.text
    elif _of_holder(tok) and is_nationality(tok.text):
        for e in span.ents:
            if _from_place(e.root) and same_place(tok.text, e.text):
                return e.text
    if _born_in(tok):  # "born in Hungary" / "a *Hungarian*-born sculptor", either way round
        for t in span:
            if _born_nationality(t) and same_place(tok.text, t.text):
                return t.text
    elif _born_nationality(tok):
        for e in span.ents:
            if _born_in(e.root) and same_place(tok.text, e.text):
                return e.text
    return None


def _born_in(tok) -> bool:
    """``tok`` names where someone was born: "born in *Hungary*"."""
    tok = _name_head(tok)
    prep = tok.head
    return tok.dep_ == "pobj" and prep.lower_ == "in" and prep.head.lower_ == "born"


def _born_nationality(tok) -> bool:
    """``tok`` is the nationality of a birth said of what the sentence is about: "Varga is a
    *Hungarian*-born sculptor", not "Kovacs married a *Hungarian*-born pianist"."""
    doc, i = tok.doc, tok.i
    if not (i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i + 2].lower_ == "born"):
        return False
    born = doc[i + 2]
    return born.dep_ in ("amod", "compound") and born.head.dep_ in NATIONALITY_HOLDERS


def _written_alike(a, b) -> bool:
    """Tokens ``a`` and ``b`` (of two texts) are one word written two ways: with and without
    its hyphen ("pro-inflammatory" / "proinflammatory", "Non-steroidal" / "nonsteroidal"), or
    a species' genus spelled out and abbreviated ("Staphylococcus aureus" / "S. aureus")."""
    ha, hb = _hyphen_word(a), _hyphen_word(b)
    if (ha or hb) and (ha or a.lower_) == (hb or b.lower_):
        return True
    ga, gb = _genus_key(a), _genus_key(b)
    return (
        ga is not None and gb is not None and ga[:2] == gb[:2] and ga[2] != gb[2]
    )  # one of the two abbreviated: "Streptococcus" is not "Staphylococcus"


def _alike_counterpart(slot: Slot, claim_doc, side: _Side) -> str | None:
    """The source's words for a slot the sentence writes another way (``_written_alike``):
    every word of the slot is in the sentence as written or written alike."""
    found = []
    for tok in claim_doc[slot.start : slot.end]:
        if not any(c.isalpha() for c in tok.text) or tok.lower_ in side.texts:
            continue
        other = next((t for t in side.tokens if _written_alike(tok, t)), None)
        if other is None:
            return None
        found.append(other.text)
    return " ".join(found) or None


def _acronym(short: str, long: str) -> bool:
    """``short`` is the initials of the name ``long``: of all its words, or of its capitalised
    words alone, so that an article or "of" does not count ("US" / "the United States", "USA" /
    "United States of America", "NATO" / "North Atlantic Treaty Organization")."""
    words = [w for w in long.replace("-", " ").split() if w[:1].isalpha()]
    # a sentence's first word is capitalised: "*The* Food and Drug Administration" is "FDA"
    caps = [w for w in words if w[0].isupper() and w.lower() != "the"]
    letters = short.replace(".", "")
    if len(letters) < 2 or not short.isupper():
        return False
    if "".join(w[0] for w in words).upper() == letters or (
        len(caps) >= 2 and "".join(w[0] for w in caps) == letters
    ):
        return True
    # a country or nationality before the name that its acronym leaves out: "FDA" / "the
    # United States Food and Drug Administration", "NHS" / "the British National Health Service"
    return len(letters) >= 3 and any(
        "".join(w[0] for w in caps[k:]) == letters and is_place_name(" ".join(caps[:k]))
        for k in range(1, min(4, len(caps) - 1))
    )


ACRONYM_WORDS = 6  # the longest phrase an acronym stands for here ("brain derived neurotrophic
# factor" ~ "BDNF", "induced pluripotent stem cells" ~ "iPSC")


def _initials(tokens) -> str:
    """Initial letters of the words of ``tokens``, hyphenated parts apart: "ACE" of
    "Angiotensin-converting enzyme"; a part in capitals counts whole ("TFEB" of
    "Transcription factor EB")."""
    parts = [p for t in tokens for p in re.split(r"[-/]", t.text) if p]
    if not all(p[0].isalpha() for p in parts):
        return ""
    if all(p.isupper() for p in parts):  # "RXR" is no phrase that "RXR" stands for
        return "".join(p[0] for p in parts).upper()
    return "".join(p if p.isupper() and p.isalpha() else p[0] for p in parts).upper()


def _as_acronym(text: str) -> str:
    """``text`` as an acronym to compare ("iPSCs" -> "IPSC"), or "" when it is not one: three
    to six letters, all capitals but at most one (two-letter ones are too ambiguous: "CI")."""
    core = text[:-1] if text.endswith("s") else text  # a plural: "iPSCs", "ACEs"
    if not 3 <= len(core) <= ACRONYM_WORDS or not core.isalpha():
        return ""
    return core.upper() if sum(c.isupper() for c in core) >= len(core) - 1 else ""


def _acronym_counterpart(tok, side: _Side) -> str | None:
    """The source words an acronym of the claim stands for, or the source acronym of the
    claim phrase ``tok`` belongs to: "KPD" for "kidney paired donation", "induced pluripotent
    stem cells" for "iPSC". Letters must match exactly, in order."""
    doc = tok.doc
    short = _as_acronym(tok.text)
    src = side.tokens
    if short:  # the claim abbreviates: look for the words it stands for
        n = len(short)
        for k in range(1, min(n, ACRONYM_WORDS) + 1):
            for i in range(len(src) - k + 1):
                window = src[i : i + k]
                if all(t.is_alpha or "-" in t.text for t in window) and _initials(window) == short:
                    return window[0].doc[window[0].i : window[-1].i + 1].text
        return None
    if not side.acronyms or not tok.is_alpha:
        return None
    for lo in range(max(0, tok.i - ACRONYM_WORDS + 1), tok.i + 1):
        for hi in range(tok.i + 1, min(len(doc), lo + ACRONYM_WORDS) + 1):
            window = list(doc[lo:hi])
            if len(window) < 2 or any(t.is_punct and t.text != "-" for t in window):
                continue
            window = [t for t in window if t.text != "-"]
            got = side.acronyms.get(_initials(window))
            if got is not None:
                return got
    return None


def _group(label: str) -> int:
    return next((i for i, g in enumerate(NAME_GROUPS) if label in g), -1)


_PARENTHESIS = re.compile(r"\(([^()]{2,12})\)")
SHORT_FORM_WORDS = 2  # "IL-2", "HER2 neu": a short form in parentheses is one or two words


def _is_short_form(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= SHORT_FORM_WORDS
        and text[0].isalnum()
        and any(c.isalpha() for c in text)
        and any(c.isupper() or c.isdigit() for c in text)  # "PDS", "IL-2", "iPSC"; not "see"
    )


def _long_form(short: str, before: str) -> str | None:
    """The words that end ``before`` and that ``short`` abbreviates (Schwartz & Hearst 2003):
    each letter or digit of the short form, from its last, is found in them from their end, and
    its first one opens a word ("PDS" in "Pyridostatin", "HCMV" in "human cytomegalovirus")."""
    words = before.split()[-min(len(short) + 5, 2 * len(short)) :]
    text = " ".join(words)
    si, li = len(short) - 1, len(text) - 1
    while si >= 0:
        c = short[si].lower()
        if not c.isalnum():
            si -= 1
            continue
        while li >= 0 and (
            text[li].lower() != c or (si == 0 and li > 0 and text[li - 1].isalnum())
        ):
            li -= 1
        if li < 0:
            return None
        li -= 1
        si -= 1
    start = text.rfind(" ", 0, li + 1) + 1
    long = text[start:].strip(" ,;:")
    if not long or short.lower() in long.lower() or len(long) <= len(short):
        return None
    return long


def abbreviations(text: str) -> dict[str, str]:
    """The abbreviations ``text`` defines, short form -> long form: "pyridostatin (PDS)",
    "human cytomegalovirus (HCMV)". A sentence that uses the short form states the long one."""
    out: dict[str, str] = {}
    for m in _PARENTHESIS.finditer(text):
        short = m.group(1).strip()
        if _is_short_form(short) and short not in out:
            long = _long_form(short, text[: m.start()])
            if long is not None:
                out[short] = long
    return out


def _defined_counterpart(slot: Slot, claim_doc, side: _Side, defined: dict[str, str]) -> str | None:
    """The source's short form of the long form the claim writes ``slot`` in ("Pyridostatin"
    where the sentence says "PDS", defined earlier in its passage), or its long form where the
    claim writes the short one."""
    if not defined:
        return None
    claim = claim_doc.text.lower()
    lo, hi = claim_doc[slot.start].idx, claim_doc[slot.end - 1].idx + len(claim_doc[slot.end - 1])
    for short, long in defined.items():
        if slot.text == short and _contains(side.lower, long.lower()):
            return long
        if short.lower() not in side.texts and not _contains(side.lower, short.lower()):
            continue
        for m in re.finditer(re.escape(long.lower()), claim):
            if m.start() <= lo and hi <= m.end():  # the slot is a word of the long form
                return short
    return None


def _names_alone(tok, word: str) -> bool:
    """``tok`` is ``word`` standing as a name of its own ("sued *Norvale* in 2021"), not a word
    of a longer name or a modifier ("the *Soviet* security agency", "*Norvale* Holdings")."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return (
        tok.text == word
        and tok.pos_ == "PROPN"
        and tok.dep_ not in ("compound", "amod", "nmod")
        and not (nxt is not None and nxt.text[:1].isupper() and nxt.pos_ == "PROPN")
    )


def _short_name(slot: Slot, side: _Side, passage: str) -> str | None:
    """The first word a sentence shortens a name of several words to, when its passage writes
    the name in full ("Norvale" for "Norvale Foods", "Kestrel" for "Kestrel Brands"; a
    person's surname is ``_exact``'s). Written with its capital, three letters or more, and
    never when the sentence names a rival that shares the word ("Norvale Holdings")."""
    words = slot.text.split()
    if slot.kind != "entity" or slot.label == "PERSON" or len(words) < 2 or not passage:
        return None
    first = words[1] if words[0].lower() == "the" and len(words) > 2 else words[0]
    if len(first) < 3 or not first[0].isupper() or not first.isalpha():
        return None
    if slot.text.lower() not in passage or not any(_names_alone(t, first) for t in side.tokens):
        return None
    if any(_rival_names(slot.text, n) for n, _ in side.names):
        return None
    return first


def align(
    slots: Sequence[Slot],
    claim_doc,
    span,
    wv: WordVectors | None,
    word_sim: float = WORD_SIM,
    defined: dict[str, str] | None = None,
    passage: str = "",
) -> Alignment:
    """Align the claim's slots with one evidence sentence (a spaCy Span or Doc); ``defined``:
    the abbreviations its passage defines (``abbreviations``); ``passage``: its passage's text,
    lower case, where a name is written in full before a sentence shortens it."""
    side = _side(span)
    aligned, missing, conflicts = [], [], []
    sim_needed: list[Slot] = []
    # stated by the abbreviation its passage defines, or by the name shortened: no swap there
    abbreviated: set[Slot] = set()
    for slot in slots:
        hit = _exact(slot, side, _counted(claim_doc[slot.head]) if slot.kind == "number" else None)
        if hit is None and slot.kind == "number":
            hit = _within_bound(slot, claim_doc, side, span)
        if hit is None and slot.kind in ("word", "entity"):
            hit = _acronym_counterpart(claim_doc[slot.head], side)
        if hit is None and slot.kind in ("word", "entity"):
            hit = _defined_counterpart(slot, claim_doc, side, defined or {})
            if hit is None:
                hit = _short_name(slot, side, passage)
            if hit is not None:
                abbreviated.add(slot)
        if hit is None and slot.kind == "entity":
            hit = _place_counterpart(claim_doc[slot.head], span)
        if hit is None and slot.kind in ("word", "entity"):
            hit = _alike_counterpart(slot, claim_doc, side)
        if hit is None and slot.kind == "word":
            hit = _saying_counterpart(claim_doc[slot.head], span)
        if hit is not None:
            aligned.append((slot, hit, 1.0))
        elif slot.kind == "word" or slot.kind == "entity":
            sim_needed.append(slot)
        else:
            missing.append(slot)
    aligned, missing = _numbers_once(aligned, missing, side)
    best_missing = 0.0
    if sim_needed and wv is not None and (side.words or side.names):
        cands = [w for w, _, _ in side.words] + [n for n, _ in side.names] + side.phrases
        cand_lemmas = [lem for _, lem, _ in side.words] + [None] * (len(cands) - len(side.words))
        phrases = [_phrase(claim_doc, s) for s in sim_needed]
        figures = [_figures(s.text) for s in sim_needed]  # "Apollo 1" is not "Apollo (11)"
        cvec = wv.vectors(phrases)
        evec = wv.vectors(cands)
        sims = cvec @ evec.T
        for i, phrase in enumerate(phrases):  # "Fgf4" is not "Fgf5", nor "IL-6" "IL-8"
            entity = sim_needed[i].kind == "entity"
            # nor "South Carolina" "North Carolina", or the rival's own word "Carolina"
            rival_words = (
                {w for n, _ in side.names if _rival_names(phrase, n) for w in n.lower().split()}
                if entity
                else set()
            )
            for j, cand in enumerate(cands):
                if (
                    _other_number(phrase, cand)
                    or _other_identifier(phrase, cand)
                    or _negated_form(phrase, cand)
                    or _prefixed_form(phrase, cand)
                    or (entity and (_rival_names(phrase, cand) or cand.lower() in rival_words))
                    or are_opposites(phrase, cand, sim_needed[i].lemma, cand_lemmas[j])
                    or (entity and not all(_has_figure(cand.lower(), f) for f in figures[i]))
                ):
                    sims[i, j] = -1.0  # "unstable" is close to "stable" by embedding
        by_phrasal: set[tuple[int, int]] = set()  # synonyms as phrasal verbs ("passed away")
        for i, slot in enumerate(sim_needed):  # WordNet synonyms the embedding puts apart
            if slot.kind == "word":  # ("rose" / "increased" 0.74) are equivalent, and a noun
                own = _phrasal(claim_doc[slot.head])  # says its class ("man" -> "person")
                for j, lemma in enumerate(cand_lemmas):
                    if lemma is None or sims[i, j] <= -1.0:
                        continue
                    theirs = side.phrasal.get(j)
                    if (own or theirs) and not are_synonyms(slot.lemma, lemma):
                        if any(
                            are_synonyms(a, b)
                            for a in _lemma_forms(slot.lemma, own)
                            for b in _lemma_forms(lemma, theirs)
                        ):
                            sims[i, j] = max(float(sims[i, j]), word_sim)
                            by_phrasal.add((i, j))
                            continue
                    if are_synonyms(slot.lemma, lemma) or (
                        slot.label in NOUN_POS
                        and side.words[j][2] in NOUN_POS
                        and is_kind_of(lemma, slot.lemma)
                    ):
                        sims[i, j] = max(float(sims[i, j]), word_sim)
        free = sims.copy()  # "mountain" states "mountain", not also "lots" (``_used_up``)
        used = _used_up(aligned, side)
        for i, slot in enumerate(sim_needed):
            if slot.kind == "word" and not _hyphen_word(claim_doc[slot.head]):
                free[i, [j for j, lemma in enumerate(cand_lemmas) if lemma in used]] = -1.0
        particles: dict[int, str] = {}  # the claim verb's particle is stated with it
        for i, slot in enumerate(sim_needed):
            j = int(np.argmax(free[i]))
            need = ENTITY_SIM if slot.kind == "entity" else word_sim
            if free[i, j] >= need:
                aligned.append((slot, cands[j], float(free[i, j])))
                if (i, j) in by_phrasal and (prt := _particle(claim_doc[slot.head])):
                    particles[prt.i] = cands[j]
            else:
                missing.append(slot)
                best_missing = max(best_missing, float(sims[i].max()))
        stated = [m for m in missing if m.kind == "word" and particles.get(m.head)]
        aligned += [(m, particles[m.head], word_sim) for m in stated]
        missing = [m for m in missing if m not in stated]
    else:
        missing += sim_needed
    taken = _taken(aligned, side, claim_doc)
    aligned = [x for x in aligned if x[0] not in taken]
    missing += taken
    conflicts = _conflicts(missing, side, claim_doc, span, aligned)
    subs = _substitutions(missing, claim_doc, span, aligned)
    swapped = {w for w, _ in subs}
    swaps = _in_place_swaps(slots, claim_doc, span, wv, word_sim)
    actors = _other_actors(claim_doc, span, aligned, wv)
    swaps += [(slot, c, s) for slot, c, s, contradicts in actors if contradicts]
    swaps += _antonym_swaps(missing, claim_doc, span, swaps)
    swaps += _rank_swaps(claim_doc, span)
    swaps += _identity_swaps(claim_doc, span)
    comparisons = _comparisons(claim_doc), _comparisons(span)  # the claim's, the sentence's
    swaps += _comparison_swaps(*comparisons, swaps)
    converse = _converse_comparisons(*comparisons)  # "fewer ... than" / "more ... than"
    swaps = [x for x in swaps if _own_slot(x[0], slots).head not in converse]
    swaps = list({slot: (slot, c, s) for slot, c, s in reversed(swaps)}.values())[::-1]
    swaps = [x for x in swaps if _own_slot(x[0], slots) not in abbreviated]
    # a claim that denies something is not contradicted by another value in its place: "did
    # not label Hamas a *terrorist* organisation" against "considers Hamas a *humanitarian*
    # organisation". The word stays unstated (missing, below), so at best NOT_ENOUGH_INFO
    in_place = tuple(
        dict.fromkeys(
            (c, s)
            for slot, c, s in swaps
            if not _under_negation(claim_doc[_own_slot(slot, slots).head])
        )
    )  # one per claim slot
    others = _modifier_substitutions(claim_doc, span, aligned)
    others += [(slot, c, s) for slot, c, s, contradicts in actors if not contradicts]
    others += _misbound_modifiers(claim_doc, span, aligned, wv, word_sim)
    others += _misplaced_circumstances(claim_doc, span, aligned)
    others = [x for x in others if _own_slot(x[0], slots).head not in converse]
    for slot, claim_word, source_word in swaps + others:
        slot = _own_slot(slot, slots)  # "China" is the claim's name slot, not a word of its own
        if claim_word in swapped or slot in abbreviated:  # "PDS" where it says "pyridostatin"
            continue
        swapped.add(claim_word)
        subs += ((claim_word, source_word),)
        if slot not in missing:  # aligned to the same word elsewhere in the sentence, but here
            aligned = [x for x in aligned if x[0] != slot]  # the source says another word
            missing.append(slot)
    for slot in [
        m for m in missing if m.head in converse and claim_doc[m.head].tag_ in COMPARATIVE
    ]:
        missing.remove(slot)  # "fewer ... than Finland" stated by "more ... than Sweden"
        aligned.append((slot, converse[slot.head], word_sim))
    for slot in _unstated_comparison(claim_doc, span):
        if all(m.head != slot.head for m in missing):
            aligned = [x for x in aligned if x[0].head != slot.head]
            missing.append(slot)
    hedged = _hedged(claim_doc, span, aligned)
    for slot, _, _ in hedged:  # stated as possible or alleged only: not stated
        aligned = [x for x in aligned if x[0] != slot]
        missing.append(slot)
    root_missing = any(s.kind == "word" and claim_doc[s.head].dep_ == "ROOT" for s in missing)
    return Alignment(
        tuple(aligned),
        tuple(sorted(missing, key=lambda s: s.start)),
        tuple(conflicts),
        best_missing,
        subs,
        root_missing,
        in_place,
        tuple((c, h) for _, c, h in hedged),
    )


def _used_up(aligned, side: _Side) -> set[str]:
    """Lemmas of the source words that claim words state as themselves (same lemma) as often as
    the sentence has them: one word of the sentence states one word of the claim, so none of
    these states another claim word by a looser match (``_taken``)."""
    count = Counter(lemma for _, lemma, _ in side.words)
    own = Counter(sl.lemma for sl, _, _ in aligned if sl.kind == "word" and sl.lemma in count)
    return {lemma for lemma, n in own.items() if n >= count[lemma]}


def _taken(aligned, side: _Side, claim_doc) -> list[Slot]:
    """Claim words aligned by a looser match (a shared stem, a synonym, a class, the embedding)
    to a source word that other claim words state as themselves (``_used_up``): "A man rides a
    *rider*" against "A man rides a bicycle" ("rides" states "rides", not also the rider);
    "Four *lots* are walking along a mountain trail" ("lots" 0.78 to "mountain", which states
    "mountain")."""
    used = _used_up(aligned, side)
    lemma_of: dict[str, str] = {}
    for text, lemma, _ in side.words:
        lemma_of.setdefault(text.lower(), lemma)
    lemmas = set(lemma_of.values())
    return [
        sl
        for sl, text, _ in aligned
        if sl.kind == "word"
        and sl.lemma not in lemmas
        and sl.text.lower() not in side.texts  # the same word, lemmatised apart: "seeking"
        and not _hyphen_word(claim_doc[sl.head])  # the parts of "Non-small" meet "Non-small"
        and lemma_of.get(text.lower()) in used
    ] + _one_counterpart(aligned, claim_doc, side)


def _one_counterpart(aligned, claim_doc, side: _Side) -> list[Slot]:
    """Claim nouns past the first that a looser match (a class, a synonym, the embedding) aligns
    to a source noun another claim noun is aligned to: "There are *people* pulling a *person*"
    against "Villagers pulling in the fish boat" (villagers are people, and persons, but are not
    also what they pull); a word the sentence has twice ("a man hands a man") is not looser. The
    noun aligned closest keeps it (the first, at a tie); one noun of a compound with the other
    ("blood *pressure*") is one thing said in two words, and keeps it; and so does a noun that
    another noun of the sentence, aligned to no claim word, states as well ("A *person* is
    talking to a *person*" against "A man is talking to a woman")."""
    by_source: dict[str, list[tuple[Slot, float]]] = {}
    for sl, text, sim in aligned:
        if sl.kind == "word" and sim < 1.0 and claim_doc[sl.head].pos_ in NOUN_POS:
            by_source.setdefault(text.lower(), []).append((sl, sim))
    used = {text.lower() for _, text, _ in aligned}
    spare = [
        lemma for text, lemma, pos in side.words if pos in NOUN_POS and text.lower() not in used
    ]

    def stated_elsewhere(sl: Slot) -> bool:
        return any(
            lemma == sl.lemma or are_synonyms(lemma, sl.lemma) or is_kind_of(lemma, sl.lemma)
            for lemma in spare
        )

    out = []
    for group in by_source.values():
        if len(group) < 2:
            continue
        keep = max(group, key=lambda x: (x[1], -x[0].start))[0]
        head = claim_doc[keep.head]
        for sl, _ in group:
            tok = claim_doc[sl.head]
            if sl is keep or tok.head.i == head.i or head.head.i == tok.i:
                continue
            if not stated_elsewhere(sl):
                out.append(sl)
    return out


def _hedged(claim_doc, span, aligned) -> list[tuple[Slot, str, str]]:
    """Claim predicates the sentence states only as possible, alleged or reported
    (``analysis.hedge``) where the claim states them as fact: "The senator took bribes" against
    "The senator *allegedly* took bribes", "will reopen" against "*might* reopen", "300 workers
    will lose their jobs" against "Up to 300 workers *could* lose their jobs". The predicate
    meets the sentence's by lemma or by the word it is aligned to; a claim that hedges too ("may
    reduce" / "might reduce") is stated."""
    out = []
    source_of = {s.head: text.lower() for s, text, _ in aligned if s.kind == "word"}
    for slot, _, _ in aligned:
        pred = claim_doc[slot.head]
        if slot.kind != "word" or pred.pos_ not in ("VERB", "AUX") or hedge(pred) is not None:
            continue
        lemma, counterpart = pred.lemma_.lower(), source_of.get(pred.i)
        matches = [
            t
            for t in span
            if t.pos_ in ("VERB", "AUX") and (t.lemma_.lower() == lemma or t.lower_ == counterpart)
        ]
        hedges = [hedge(t) for t in matches]
        if hedges and all(h is not None for h in hedges):
            t, h = matches[0], hedges[0]
            lo, hi = min(h.i, t.i), max(h.i, t.i) + 1
            out.append((slot, pred.text, t.doc[lo:hi].text))
    return out


def _under_negation(tok) -> bool:
    """The claim word ``tok`` is part of what a negated predicate denies: the nearest verb at or
    above it is negated ("did *not* label Hamas a terrorist organisation") or disputed
    ("denied that Russia considers Hamas a *terrorist* organisation")."""
    for _ in range(32):  # a parse is a tree; bounded all the same
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT":
            return is_denied(tok)
        tok = tok.head
    return False


def _numbers_once(aligned: list, missing: list, side: _Side) -> tuple[list, list]:
    """Each time the source states a number it aligns with one claim number: a claim that says
    "14-fold" twice where the source says "28-fold and 14-fold" (or "3" twice where it says "2
    had ..., and 3 had ...") has a number the source does not state, and its rival is free to
    conflict. Claim slots of different words that meet one source number ("3–5%" and "3" of a
    range) are not counted against each other."""
    said: Counter = Counter()  # (claim words, source words) -> claim slots so far
    kept = []
    for entry in aligned:
        slot, text, _ = entry
        if slot.kind == "number":
            said[(slot.text, text)] += 1
            times = len(re.findall(rf"(?<![\w.]){re.escape(text.lower())}(?![\w])", side.lower))
            if said[(slot.text, text)] > max(1, times):
                missing.append(slot)
                continue
        kept.append(entry)
    return kept, missing


def _own_slot(slot: Slot, slots: Sequence[Slot]) -> Slot:
    """The claim slot that holds ``slot``'s head word: a swap found on one word of a name or a
    date ("China" of "China considers ...") is that slot's, so it is missing once, not twice."""
    return next((s for s in slots if s.start <= slot.head < s.end), slot)


def _source_of_heads(aligned) -> dict[int, str]:
    """Claim token index of each aligned slot's head -> the source words it is aligned to (lower
    case; the first slot of a head wins)."""
    out: dict[int, str] = {}
    for slot, text, _ in aligned:
        out.setdefault(slot.head, text.lower())
    return out


def _substitutions(missing, claim_doc, span, aligned) -> tuple[tuple[str, str], ...]:
    """Missing words of the claim whose place the source fills with another word.

    A claim word is substituted when its syntactic head is aligned to a source word and that
    source word has a dependent of the same relation and part of speech that no claim slot
    aligns to; a noun's modifiers count as one relation whether a noun or an adjective says
    them ("*mouse* beta cells" against "*human* beta cells"); a missing root is substituted
    when the source's root is not aligned but its subject or object is (the same statement with
    another predicate).
    """
    used = {text.lower() for _, text, _ in aligned}
    claim_lemmas = {t.lemma_.lower() for t in claim_doc}
    src_of = _source_of_heads(aligned)
    tokens = list(span)
    out = []
    for slot in missing:
        if slot.kind != "word":
            continue
        tok = claim_doc[slot.head]

        def free(t, tok=tok) -> bool:
            return (
                _same_part(t, tok)
                and t.lower_ not in used
                and t.lemma_.lower() not in claim_lemmas
                and t.is_alpha
                and not t.is_stop
            )

        if tok.dep_ == "ROOT":
            roots = [t for t in tokens if t.pos_ in ("VERB", "ADJ") and free(t)]
            args = {
                c.lemma_.lower()
                for c in tok.children
                if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")
            }
            for r in roots:
                deps = ("nsubj", "nsubjpass", "dobj", "attr")
                if args & {c.lemma_.lower() for c in r.children if c.dep_ in deps}:
                    out.append((tok.text, r.text))
                    break
            continue
        head_src = src_of.get(tok.head.i) or (tok.head.lower_ if tok.head.lower_ in used else None)
        if head_src is None:
            head_src = tok.head.lemma_.lower()
        heads = [t for t in tokens if t.lower_ == head_src or t.lemma_.lower() == head_src]
        for h in heads:
            rivals = [c for c in h.children if _same_relation(c, tok) and free(c)]
            if rivals:
                out.append((tok.text, rivals[0].text))
                break
    return tuple(out)


NOUN_MODIFIERS = ("amod", "compound", "nmod")  # "human cells", "mouse cells": one relation
# a clause said of a noun, as a participle or as a relative clause ("guys *playing* in the grass",
# "guys *who are running* in the grass"): one relation (``_said_of_its_noun``)
CLAUSE_MODIFIERS = ("acl", "relcl")
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
NOMINAL_POS = ("NOUN", "PROPN", "ADJ")


def _same_relation(t, tok) -> bool:
    return (
        t.dep_ == tok.dep_
        or (t.dep_ in NOUN_MODIFIERS and tok.dep_ in NOUN_MODIFIERS)
        or (
            t.dep_ in CLAUSE_MODIFIERS
            and tok.dep_ in CLAUSE_MODIFIERS
            and _said_of_its_noun(t)
            and _said_of_its_noun(tok)
        )
    )


def _said_of_its_noun(t) -> bool:
    """``t`` heads a clause that says what its noun does or undergoes, in the noun's place: a
    participle ("guys *playing*", "a car *parked* outside"), or a relative clause whose subject
    is the relative pronoun, not set off by a comma ("guys *who are running*"). Not an
    infinitive or a content clause ("the plan *to leave*"), not a clause in which the noun is
    the object ("guys *whom the crowd is watching*"), and not a comma-set aside ("A man, *who
    is eating* a sandwich, sits"): that adds to what is said of the noun, it replaces nothing."""
    if t.dep_ == "acl":
        return t.tag_ in ("VBG", "VBN") and not any(c.dep_ in ("aux", "mark") for c in t.children)
    subject = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subject or subject[0].lower_ not in RELATIVE_PRONOUNS:
        return False
    before = t.doc[t.left_edge.i - 1] if t.left_edge.i > 0 else None
    return before is None or before.text != ","


def _same_part(t, tok) -> bool:
    if tok.dep_ in NOUN_MODIFIERS and t.dep_ in NOUN_MODIFIERS:
        return t.pos_ in NOMINAL_POS and tok.pos_ in NOMINAL_POS
    return t.pos_ == tok.pos_


def _misbound_modifiers(claim_doc, span, aligned, wv, word_sim) -> list[tuple[Slot, str, str]]:
    """Aligned noun modifiers of the claim that the sentence says of another noun, while the
    claim's noun has a modifier of its own there: "a *terrorist* organisation" against "a
    *humanitarian* organisation [that] has a wing that commits terrorist acts", "a man in a
    *blue* shirt" against "a man in a red shirt and a blue hat". The word is in the sentence,
    modifying another noun, not where the claim puts it: a substitution (not stated), not an
    in-place swap, for the sentence's modifier may be another quality rather than a rival one.
    A source noun with no modifier of its own proves nothing (the parse may attach one
    elsewhere), nor does the word said another way ("dressed *warmly*" for "warm clothing")."""
    src_of = _source_of_heads(aligned)
    claim_lemmas = {t.lemma_.lower() for t in claim_doc}
    used = {text.lower() for _, text, _ in aligned}
    out = []
    for slot, text, _ in aligned:
        tok = claim_doc[slot.head]
        if (
            slot.kind != "word"
            or slot.end - slot.start != 1
            or tok.dep_ not in NOUN_MODIFIERS
            or tok.pos_ not in NOMINAL_POS
            or tok.head.pos_ not in NOUN_POS
        ):
            continue
        head, head_src = tok.head, src_of.get(tok.head.i)
        heads = [t for t in span if t.lemma_.lower() == head.lemma_.lower() or t.lower_ == head_src]
        mods = [t for t in span if t.lower_ == text.lower() or t.lemma_ == tok.lemma_]
        if not heads or not mods or any(_bound(m, h) for m in mods for h in heads):
            continue
        if not all(m.dep_ in NOUN_MODIFIERS and m.head.pos_ in NOUN_POS for m in mods):
            continue  # said otherwise, not of another noun: "dressed *warmly* in jackets"
        rival = next(
            (
                c
                for h in heads
                for c in h.children
                if c.dep_ in NOUN_MODIFIERS
                and c.pos_ in NOMINAL_POS
                and c.is_alpha
                and not c.is_stop
                and c.ent_type_ not in DATE_LABELS | NUMBER_LABELS
                and c.lemma_.lower() not in claim_lemmas
                and c.lower_ not in used
                and not _equivalent(tok, c, wv, word_sim)
            ),
            None,
        )
        if rival is not None:
            out.append((slot, tok.text, rival.text))
    return out


def _misplaced_circumstances(claim_doc, span, aligned) -> list[tuple[Slot, str, str]]:
    """Aligned nouns of a prepositional phrase on the claim's verb that the sentence says of
    another predicate, while the sentence's counterpart of that verb has a prepositional phrase
    of its own: "The roof collapsed *during morning assembly*" against "the roof fell in *at about
    6.30am*, ... but the court heard that 60 children would normally have been in the hall
    *during morning assembly*". The phrase is in the sentence, but about something else; the
    verb's own phrase may say another time, place or manner, or the same said otherwise, so
    this is a substitution (not stated), as for nouns' modifiers (``_misbound_modifiers``).
    A phrase anywhere within the verb's clause is bound to it (the parse may attach it to
    another word there); a verb with no phrase of its own proves nothing, nor one whose phrase
    states a claim word ("from induced pluripotent stem cells" for "from iPSCs"), nor a claim
    word the sentence has outside any phrase (the parse took "degenerate" for a noun in
    "Neurons derived from iPSCs degenerate")."""
    src_of = _source_of_heads(aligned)
    claim_lemmas = {t.lemma_.lower() for t in claim_doc}
    used = {w for _, text, _ in aligned for w in text.lower().split()}  # "cells" of "iPSCs"
    out = []
    for slot, text, _ in aligned:
        tok = claim_doc[slot.head]
        prep = tok.head
        if (
            slot.kind != "word"
            or tok.dep_ != "pobj"
            or prep.dep_ != "prep"
            or prep.head.pos_ != "VERB"
            or prep.head.i not in src_of
        ):
            continue
        theirs = src_of[prep.head.i].split()[0]
        verbs = [t for t in span if t.lower_ == theirs and t.pos_ in ("VERB", "AUX")]
        word = text.lower().split()[-1]
        mods = [t for t in span if t.lower_ == word]
        if not verbs or not mods or any(m.dep_ != "pobj" for m in mods):
            continue  # said in a phrase there too, not as a verb of its own ("degenerate")
        if any(v.left_edge.i <= m.i <= v.right_edge.i for v in verbs for m in mods):
            continue
        rival = next(
            (
                g
                for v in verbs
                for c in v.children
                if c.dep_ == "prep"
                for g in c.children
                if g.dep_ == "pobj" and g.lemma_.lower() not in claim_lemmas | used
            ),
            None,
        )
        if rival is not None:
            out.append((slot, tok.text, rival.text))
    return out


def _bound(mod, head) -> bool:
    """``mod`` is said of ``head``: within its phrase ("terrorist and militant *groups*"), or
    predicated of it ("the *organisation* is terrorist"), or is the head itself."""
    if mod.i == head.i or head.left_edge.i <= mod.i <= head.right_edge.i:
        return True
    return (
        mod.head.i == head.head.i
        and mod.dep_ in ("acomp", "attr", "oprd")
        and head.dep_ in ("nsubj", "nsubjpass")
    )


def _equivalent(tok, other, wv, word_sim: float) -> bool:
    """Two words that say the same: WordNet synonyms, a kind of the claim's noun, or an
    embedding cosine at least ``word_sim`` (``_close``); never opposites."""
    a, b = tok.lemma_.lower(), other.lemma_.lower()
    if are_opposites(tok.text, other.text, a, b):
        return False
    if are_synonyms(a, b) or (tok.pos_ in NOUN_POS and other.pos_ in NOUN_POS and is_kind_of(b, a)):
        return True
    return wv is not None and _close(tok, other, wv, word_sim)


def _close(tok, other, wv, word_sim: float) -> bool:
    """The two words' embedding cosine is at least ``word_sim``, or ``GRADED_SIM`` when both
    are graded words (adjectives, adverbs), whose antonyms sit close."""
    va, vb = wv.vectors([tok.text, other.text])
    graded = tok.pos_ in GRADED_POS and other.pos_ in GRADED_POS
    return float(va @ vb) >= (max(word_sim, GRADED_SIM) if graded else word_sim)


def _word_slot(tok) -> Slot:
    """A one-word slot for a claim word that is no slot of its own ("before", "few")."""
    return Slot("word", tok.text, tok.lemma_.lower(), tok.pos_, tok.i, tok.i + 1, tok.i)


def _modifier_substitutions(claim_doc, span, aligned) -> list[tuple[Slot, str, str]]:
    """Quantity, degree and frequency words of the claim (``analysis.is_modifier``) that the
    source replaces with another on the same word: "*few* T cells" against "*most* T cells",
    "*less* common" against "*more* common". The modified word must occur in the sentence
    (same lemma, or the source words it is aligned to), with a modifier of the same kind
    (nominal: "all", "few"; adverbial: "more", "always") and none with the claim's lemma. A
    source that simply has no such word is no substitution ("few T cells" against "T
    cells")."""
    src_of = _source_of_heads(aligned)
    out = []
    for m in claim_doc:
        if not is_modifier(m) or m.head.i == m.i:
            continue
        head, kind = m.head, MODIFIER_DEPS[m.dep_]
        text = src_of.get(head.i)
        heads = [
            t
            for t in span
            if t.lemma_.lower() == head.lemma_.lower() or (text is not None and t.lower_ == text)
        ]
        same, rival = False, None
        for h in heads:
            for c in h.children:
                if not is_modifier(c) or MODIFIER_DEPS[c.dep_] != kind:
                    continue
                if (
                    c.lemma_.lower() == m.lemma_.lower()
                    or c.lower_ == m.lower_
                    or are_synonyms(c.lemma_, m.lemma_)
                    or states_quantity(c.lemma_, m.lemma_)  # "all T cells" says "some T cells"
                ):
                    same = True
                elif rival is None:
                    rival = c
        if rival is not None and not same:
            out.append((_word_slot(m), m.text, rival.text))
    return out


NEGATING_PREFIXES = ("non-", "non", "un", "in", "im", "il", "ir", "dis")


def _negated_form(a: str, b: str) -> bool:
    """One word is the other with a negating prefix: "unstable" / "stable", "non-significant" /
    "significant", "ineffective" / "effective" (a stem of at least four letters)."""
    a, b = a.lower(), b.lower()
    for x, y in ((a, b), (b, a)):
        for p in NEGATING_PREFIXES:
            if len(y) >= 4 and x == p + y:
                return True
    return False


def _prefixed_form(a: str, b: str) -> bool:
    """One word is the other with a hyphenated prefix of ``HYPHEN_PREFIXES``, hyphen or not:
    "anti-inflammatory" / "inflammatory", "antiviral" / "viral" (close by embedding, 0.8)."""
    a, b = a.lower(), b.lower()
    return (
        any(x in (f"{p}-{y}", f"{p}{y}") for x, y in ((a, b), (b, a)) for p in HYPHEN_PREFIXES)
        and min(len(a), len(b)) >= 4
    )


def _other_number(a: str, b: str) -> bool:
    """Identifiers that differ only in their numbers: "Fgf4" / "Fgf5", "H1N1" / "H3N2"."""
    da, db = re.findall(r"\d+", a), re.findall(r"\d+", b)
    if not da or not db or da == db:
        return False
    return re.sub(r"\d+", "#", a.lower()) == re.sub(r"\d+", "#", b.lower())


_NAME_GLUE = {"the", "of", "and", "for", "de", "la", "le", "von", "van"}


def _rival_names(a: str, b: str) -> bool:
    """Two names that share a word and each have one the other lacks: "South Carolina" /
    "North Carolina", "Old York" / "New York", "West Lothian" / "East Lothian" (their
    embeddings are close; the places are not the same). A name and a part of it ("Khaled
    Meshaal" / "Meshaal", "the United States" / "United States of America") are not rivals."""
    wa = {w for w in re.findall(r"\w+", a.lower()) if w not in _NAME_GLUE}
    wb = {w for w in re.findall(r"\w+", b.lower()) if w not in _NAME_GLUE}
    return bool(wa & wb) and bool(wa - wb) and bool(wb - wa)


def _other_identifier(a: str, b: str) -> bool:
    """Two different identifiers: "CX3CL1" / "CX3CR1", "IL-10" / "TNF-1" (their embeddings are
    close; the molecules are not the same). "CO2" may still meet "carbon dioxide"."""
    return is_identifier(a) and is_identifier(b) and a.lower() != b.lower()


def _context_key(tokens, i: int, step: int, n: int = 2) -> tuple[str, ...]:
    """Up to ``n`` lower-cased tokens next to position ``i`` (left: step -1, right: +1)."""
    out, j = [], i + step
    while 0 <= j < len(tokens) and len(out) < n:
        out.append(tokens[j].lower_)
        j += step
    return tuple(out)


RELATION_POS = ("ADP", "SCONJ")  # "before" / "after", "with" / "without": swapped only in place


def _in_place_swaps(slots, claim_doc, span, wv, word_sim: float) -> list[tuple[Slot, str, str]]:
    """Claim words the sentence replaces in the same words' context.

    A one-word slot of the claim whose neighbours (two words on each side, or the claim's edge
    on one side and two words on the other; punctuation ignored) recur around a different word
    of the sentence: "Mutations *binding* fork reversal" against "Mutations *affecting* fork
    reversal". Relation words ("before" / "after") and quantity, degree and frequency words
    ("all" / "few", "more" / "less", ``analysis.is_modifier``) count too, with two words on both
    sides; a claim's first word (but a relation word) counts with two words after it when it is
    the sentence's first too ("*Few* errors occurred" against "*Most* errors occurred"), and its
    last slot with two words before it when it is the sentence's last ("tumorigenesis in
    *humans*" against "tumorigenesis in *mice*"). The
    sentence's word must not be the claim word (same lemma or stem) nor equivalent to it
    (embedding cosine at least ``word_sim``; ``GRADED_SIM`` between adjectives and adverbs,
    whose antonyms are close), so synonyms are not swaps. This holds whether or not the claim
    word also occurs elsewhere in the sentence.
    """
    claim_toks = [t for t in claim_doc if not t.is_punct and not t.is_space]
    src = [t for t in span if not t.is_punct and not t.is_space]
    if not src:
        return []
    by_token = {s.start: s for s in slots if s.end - s.start == 1}
    found = []
    for k, claim_tok in enumerate(claim_toks):
        slot = by_token.get(claim_tok.i)
        relation = slot is None and claim_tok.pos_ in RELATION_POS and claim_tok.is_alpha
        modifier = (
            slot is None
            and not relation
            and (is_quantity_word(claim_tok) or is_quantifier_pronoun(claim_tok))
        )  # "*All* of the volunteers" against "*Some* of the volunteers"
        function = relation or modifier  # no slot of its own: compared in place only
        if slot is None and not function:
            continue
        if slot is not None and slot.kind not in ("word", "entity"):
            continue
        left, right = _context_key(claim_toks, k, -1), _context_key(claim_toks, k, 1)
        edge_left, edge_right = k == len(left), k + len(right) == len(claim_toks) - 1
        # a slot or quantity word that opens the claim: "*Few* errors occurred" (not a relation
        # word: "In the 1990s" for "Throughout the 1990s" is the same statement)
        first = k == 0 and len(right) == 2
        # a quantity word one word into the claim ("The *few* sought after pieces") is anchored
        # as a first word is when the sentence opens with the same word: it meets only the
        # sentence's second word ("The *most* sought after pieces")
        second = modifier and k == 1 and len(right) == 2
        # and a slot that ends it, with two words before it, when it ends the sentence too
        # ("skin tumorigenesis in *humans*." against "... skin tumorigenesis in *mice*.")
        last = k == len(claim_toks) - 1 and len(left) == 2 and not function
        # a relation word that opens the claim ("In the 1990s" for "Throughout the 1990s" is
        # the same statement), or a function word with one word on a side (a particle: "shut
        # *up* schools" for "shut down"), is a swap only with its antonym (``lexicon``),
        # and a relation word anywhere: "tested *in* mice" and "tested *on* mice", "a goal *at*
        # a game" and "*in* a game" say the same; "before" / "after", "for" / "against" do not
        # (SNLI test and SciFact train claims were REFUTED on "on" / "at", "of" / "at")
        # and a place noun ("top" / "summit", "back" / "rear" say the same; "top" / "bottom"
        # do not)
        antonym_only = relation or (slot is not None and claim_tok.lower_ in PLACE_NOUNS)
        if function and (len(left) < 2 or len(right) < 2) and not (first or second):
            antonym_only = True
        if (len(left) + len(right) < 3 or (len(left) < 2 and not edge_left)) and not (
            first or last
        ):
            continue
        if len(right) < 2 and not edge_right:
            continue
        for j, tok in enumerate(src):
            if not any(c.isalpha() for c in tok.text):
                continue
            if first and j != 0:  # a claim's first word meets only the sentence's first
                break
            if second and j > 1:  # and its second quantity word only the sentence's second
                break
            if last and j != len(src) - 1 and not _ends_same_phrase(claim_tok, tok, span):
                continue  # and its last word only at the sentence's end, or at the end of a
                # phrase in the same place: "as a central *midfielder* for Dutch club FC ..."
            if relation and tok.pos_ not in RELATION_POS:
                continue
            if modifier and not (
                is_quantity_word(tok)
                or tok.pos_ in ("DET", "ADJ", "ADV")
                or is_quantifier_pronoun(tok)  # "*few* of its troops" against "*all* of ..."
            ):
                continue
            if not function and (  # "rarely" where the sentence says "always" counts too
                (tok.is_stop and not is_quantity_word(tok))
                or tok.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ", "ADV")
            ):
                continue
            if _context_key(src, j, -1, len(left)) != left:
                continue
            if _context_key(src, j, 1, len(right)) != right:
                continue
            a, b = claim_tok.lemma_.lower(), tok.lemma_.lower()
            opposite = are_opposites(claim_tok.text, tok.text, a, b) or _change_and_level(
                claim_tok, tok
            )
            if not opposite and (
                a == b
                or claim_tok.lower_ == tok.lower_
                or _stem_match(a, b, claim_tok.pos_, tok.pos_)
            ):
                break  # the same word (but opposites that share a stem: "with" / "without")
            if _written_alike(claim_tok, tok):
                break  # "Escherichia" / "E." of "E. coli", "Nonsteroidal" / "Non-steroidal"
            if are_synonyms(a, b) and not opposite:
                break  # "Doctors" / "Physicians", "About" / "Roughly" (WordNet)
            if modifier and states_quantity(b, a):
                break  # "*All* patients recovered" states "*Some* patients recovered"
            if claim_tok.pos_ in NOUN_POS and tok.pos_ in NOUN_POS and is_kind_of(b, a):
                break  # the source names a kind of it: "a *person* in" / "a *man* in"
            if claim_tok.pos_ == tok.pos_ == "VERB" and (is_way_to(a, b) or is_way_to(b, a)):
                break  # one is a way to do the other: "*raises* the risk" / "*increases* it"
            if (
                not opposite
                and claim_tok.pos_ == tok.pos_ == "VERB"
                and change_direction(a) is not None
                and change_direction(a) == change_direction(b)
            ):
                break  # an amount going the same way: "output *increased*" / "output *rose*"
            if not opposite and _reports(claim_tok) and _reports(tok):
                break  # "*said* that ..." / "*reiterated* that ...": what is reported counts
            if antonym_only and not opposite:
                break
            if (
                not opposite
                and wv is not None
                and not function
                and not _other_number(claim_tok.text, tok.text)
                and not _negated_form(claim_tok.text, tok.text)
            ):
                if _close(claim_tok, tok, wv, word_sim):
                    break
            if not function and _reworded(tok, claim_toks, claim_tok):
                break  # "the *collapse* at St Aldric's" for "The *roof* at St Aldric's collapsed"
            if not function and claim_tok.pos_ in NOUN_POS and _said_in_role(claim_tok, span):
                break  # "A *man* kisses" against "A man wearing a *shirt* kisses": the man does
            if slot is None:  # a function word: a slot of its own, so that it shows as missing
                slot = _word_slot(claim_tok)
            found.append((slot, claim_tok.text, tok.text))
            break
    return found


def _reworded(tok, claim_toks, claim_tok) -> bool:
    """The sentence's ``tok`` is another word of the claim in another part of speech: the claim's
    verb as a noun ("the *collapse* at the school" where the claim says "The roof at the school
    *collapsed*"), so the two say the same thing in other words, and ``tok`` replaces nothing.
    Not a word of the same part of speech ("Norway" / "Sweden" of "Sweden has more islands
    than Norway" is a reversal)."""
    b = tok.lemma_.lower()
    return any(
        c.i != claim_tok.i
        and c.pos_ != tok.pos_
        and c.pos_ in ("NOUN", "VERB", "ADJ")
        and tok.pos_ in ("NOUN", "VERB", "ADJ")
        and (c.lemma_.lower() == b or _stem_match(c.lemma_.lower(), b, c.pos_, tok.pos_))
        for c in claim_toks
    )


def _ends_same_phrase(claim_tok, tok, span) -> bool:
    """The sentence's noun ``tok`` ends a phrase (``_phrase_end``) that is in the claim's last
    noun's place: the same relation to a word of the same lemma ("plays as a central
    *defender*" / "plays as a central *midfielder* for Dutch club"; "is a marine *geologist*"
    / "is a marine *biologist* and author"), and the claim's word is nowhere in the sentence.
    Not "A plane flies in the *sky*" / "a flag blows in the *wind* as ...", nor "Women are
    *digging*" / "Women are *working* and digging"."""
    if claim_tok.pos_ not in NOUN_POS or tok.pos_ not in NOUN_POS or not _phrase_end(tok):
        return False
    if claim_tok.lemma_.lower() in {t.lemma_.lower() for t in span}:
        return False
    a, b = _governor(claim_tok), _governor(tok)
    return (
        claim_tok.dep_ == tok.dep_
        and a is not None
        and b is not None
        and a.lemma_.lower() == b.lemma_.lower()
    )


def _phrase_end(tok) -> bool:
    """``tok`` ends its sentence or a phrase of it: the next token is punctuation, "and" /
    "or", or a preposition ("a Norwegian marine *biologist* and author", "as a central
    *midfielder* for Dutch club")."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return (
        nxt is None
        or nxt.is_punct
        or nxt.pos_ in ("CCONJ", "ADP")
        or (nxt.is_space and tok.i + 2 >= len(doc))
    )


def _said_in_role(claim_tok, span) -> bool:
    """The sentence has the claim's word in the claim's relation to the same words: the
    subject of "kisses" in "A *man* wearing a shirt kisses a woman" for "A *man* kisses a
    woman", whatever word a modifier puts in its linear place. The relations are compared up to
    the nearest verb ("*red* of the shirt *in* which *man* kisses"), so the woman's red shirt is
    not the man's. For nouns only (``_in_place_swaps``): a verb in the same relation may say
    something else of other things ("Although Hamas *opposed* Assad, ... even though it
    *supported* the Syrian regime")."""
    chain = _role_chain(claim_tok)
    return bool(chain) and any(
        t.lemma_.lower() == claim_tok.lemma_.lower() and _role_chain(t) == chain for t in span
    )


def _role_chain(tok) -> tuple:
    """(dependency, head lemma) pairs from ``tok`` up to its nearest verb (at most four)."""
    out = []
    for _ in range(4):
        head = tok.head
        if head.i == tok.i:
            break
        out.append((tok.dep_, head.lemma_.lower()))
        if head.pos_ in ("VERB", "AUX"):
            break
        tok = head
    return tuple(out)


_ORDINALS = {
    w: i
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1
    )
}
_NUMBERED = re.compile(r"(\d+)(?:st|nd|rd|th)")


def _ordinal(tok) -> int | None:
    m = _NUMBERED.fullmatch(tok.lower_)
    return int(m.group(1)) if m else _ORDINALS.get(tok.lower_)


def _superlatives(span) -> list[tuple]:
    """Each superlative of ``span`` (a Doc or a Span) with its rank: the ordinal written just
    before it, hyphenated or not ("the *third* highest-grossing", "the *second*-largest", "the
    *second* most populous"), else 1: (the claim's token for the slot, the words to report, the
    lemma, the rank). The words to report are the ordinal, or "the" and the superlative."""
    doc = span.doc if hasattr(span, "doc") else span
    lo, hi = getattr(span, "start", 0), getattr(span, "end", len(doc))

    def at(i: int):
        return doc[i] if lo <= i < hi else None

    out = []
    for t in span:
        nxt = at(t.i + 1)
        if t.tag_ in ("JJS", "RBS") and t.lower_ not in ("most", "least"):
            word, lemma, text = t, t.lemma_.lower(), t.text
        elif t.lower_ in ("most", "least") and nxt is not None and nxt.pos_ == "ADJ":
            word, lemma, text = nxt, f"{t.lower_} {nxt.lemma_.lower()}", f"{t.text} {nxt.text}"
        else:
            continue
        before = at(t.i - 1)
        if before is not None and before.text in ("-", "\u2013"):  # "second-largest", en dash
            before = at(t.i - 2)
        rank = _ordinal(before) if before is not None else None
        if rank:
            out.append((before, before.text, lemma, rank))
        else:
            out.append((word, f"the {text}", lemma, 1))
    return out


def _rank_swaps(claim_doc, span) -> list[tuple[Slot, str, str]]:
    """A superlative of another rank: "the highest-grossing film" against "the *third*
    highest-grossing film", "the *second* deepest lake" against "the deepest lake"."""
    source = _superlatives(span)
    out = []
    for tok, text, lemma, rank in _superlatives(claim_doc):
        others = [(t, r) for _, t, lem, r in source if lem == lemma]
        if others and all(r != rank for _, r in others):
            out.append((_word_slot(tok), text, others[0][0]))
    return out


COMPARATIVE = frozenset({"JJR", "RBR"})  # "more", "fewer", "longer", "faster" (Penn tags)
# the parts of speech of the words that say what a comparison compares ("the *bank* *levy*
# would *raise*"), by lemma
COMPARED_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})


def _unstated_comparison(claim_doc, span) -> list[Slot]:
    """The claim's comparative when it compares with a "than" phrase ("reduced migraine days
    *less* than placebo did") and the sentence has no comparative at all: two figures side by
    side ("by 5.1 days, compared with 2.3 days for placebo") are not read for which is larger,
    so the comparison is not stated (at best NOT_ENOUGH_INFO). A bound on a figure ("more than
    60 caps") is no comparison."""
    if any(t.tag_ in COMPARATIVE for t in span):
        return []
    if not any(
        t.lower_ == "than" and t.dep_ != "quantmod" and not t.head.like_num for t in claim_doc
    ):
        return []
    return [  # not the word of a bound ("*More* than 60 patients improved faster than ...")
        _word_slot(t)
        for t in claim_doc
        if t.tag_ in COMPARATIVE and t.is_alpha and not t.head.like_num
    ]


def _comparisons(doc) -> list[tuple]:
    """(comparative word, its "than" side, the rest) of each "X ... more than Y" of ``doc`` (a
    Doc or Span): the "than" side is the phrase "than" heads ("longer than *the Amazon*") or
    the clause it marks ("more than *the bank levy would raise*"); both sides as the lemmas of
    their content words (``COMPARED_POS``) less those both sides have, so the two sets never
    meet. Not a bound on a figure ("more than 4,000 residents", which ``_within_bound``
    reads)."""
    toks = list(doc)
    out = []
    for k, than in enumerate(toks):
        if than.lower_ != "than" or than.dep_ not in ("prep", "mark"):
            continue
        side = list(than.subtree) if than.dep_ == "prep" else list(than.head.subtree)
        comparative = next((t for t in reversed(toks[:k]) if t.tag_ in COMPARATIVE), None)
        inside = {t.i for t in side}
        if comparative is None or comparative.i in inside:
            continue

        def content(ts):
            return {t.lemma_.lower() for t in ts if t.pos_ in COMPARED_POS and not t.is_stop}

        than_side = content(side)
        rest = content(t for t in toks if t.i not in inside and t.i != comparative.i)
        # what tells the two sides apart: "exports" and "imports" of "exports *to China* grew
        # faster than imports *from China*"
        than_side, rest = than_side - rest, rest - than_side
        if than_side:
            out.append((comparative, side, than_side, rest))
    return out


def _converse_comparisons(claim: list, source: list) -> dict[int, str]:
    """Claim token indices of a comparison the sentence states the other way round with the
    opposite word: "Sweden has *fewer* lakes than Finland" against "Finland has *more* lakes
    than Sweden" says the same, so neither "fewer" / "more" nor "Sweden" / "Finland" is a swap
    there, and the sentence's comparative states the claim's. The comparative and both its
    sides count (the claim's whole comparison), each -> the sentence's comparative. ``claim``
    and ``source``: ``_comparisons`` of the claim and of the sentence."""
    out: dict[int, str] = {}
    for comparative, side, than_side, rest in claim:
        a = comparative.lemma_.lower()
        for s_comp, _, s_than, s_rest in source:
            b = s_comp.lemma_.lower()
            if (
                are_opposites(comparative.text, s_comp.text, a, b)
                and than_side & s_rest
                and rest & s_than
                and not than_side & s_than
            ):
                clause = comparative.head if comparative.dep_ != "ROOT" else comparative
                while clause.dep_ not in ("ROOT", "ccomp", "advcl") and clause.head.i != clause.i:
                    clause = clause.head
                for i in {t.i for t in clause.subtree} | {t.i for t in side}:
                    out[i] = s_comp.text
                break
    return out


def _comparison_swap(comparative, side, s_comp, s_side) -> tuple[Slot, str, str]:
    """The swap of a claim's comparison (``comparative`` and its "than" ``side``) with the
    sentence's, each quoted from its comparative: "more than the tax cut would cost"."""
    claim_words = " ".join(t.text for t in side)
    source_words = " ".join(t.text for t in s_side)
    return (
        _word_slot(comparative),
        f"{comparative.text} {claim_words}",
        f"{s_comp.text} {source_words}",
    )


def _comparison_swaps(claim: list, source: list, found=()) -> list[tuple[Slot, str, str]]:
    """A comparison the sentence makes the other way round: "the bank levy would raise more
    than the tax cut would cost" against "the tax cut would cost far more than the bank levy
    would raise". With the same comparative word (or a synonym; an opposite one, "less than",
    with the sides reversed states the same), words of the claim's "than" side are on the
    sentence's other side, and words of the claim's other side are on its "than" side, and no
    word of the claim's "than" side is on the sentence's: the things compared are swapped.
    Simple comparisons ("The Amazon is longer than the Nile") are in-place swaps too
    (``_in_place_swaps``); this reads them where the words move around the comparative, and
    leaves a comparison whose moved words have a swap ``found`` already ("Amazon" / "Nile"). The
    opposite word with the sides where they were is a swap too ("the tax cut would cost *less*
    than the bank levy would raise"). ``claim`` and ``source``: ``_comparisons`` of the claim and
    of the sentence."""
    if not claim:
        return []
    claim_doc = claim[0][0].doc
    seen = {claim_doc[slot.head].lemma_.lower() for slot, _, _ in found}
    out = []
    for comparative, side, than_side, rest in claim:
        a = comparative.lemma_.lower()
        alike = [
            (s_comp, s_side, s_than, s_rest)
            for s_comp, s_side, s_than, s_rest in source
            if (a == s_comp.lemma_.lower() or are_synonyms(a, s_comp.lemma_.lower()))
            and not are_opposites(comparative.text, s_comp.text, a, s_comp.lemma_.lower())
        ]
        if any(than_side & s_than for _, _, s_than, _ in alike):
            continue  # the sentence also makes the claim's comparison the claim's way round
        flipped = next(  # the same things compared the same way round with the opposite word
            (
                (s_comp, s_side)
                for s_comp, s_side, s_than, s_rest in source
                if are_opposites(comparative.text, s_comp.text, a, s_comp.lemma_.lower())
                and than_side & s_than
                and not than_side & s_rest
                and not rest & s_than
            ),
            None,
        )
        if flipped is not None and not alike:
            out.append(_comparison_swap(comparative, side, *flipped))
            continue
        for s_comp, s_side, s_than, s_rest in alike:
            moved_out, moved_in = than_side & s_rest, rest & s_than
            if moved_out and moved_in and not seen & (moved_out | moved_in):
                out.append(_comparison_swap(comparative, side, s_comp, s_side))
                break
    return out


def _copula_pairs(doc) -> list[tuple]:
    """(name, noun) of each "X is the N" of ``doc`` (a Doc or Span) where N has a superlative
    or an ordinal that singles it out, either way round: ("Radzyń Drewnicki", "town") of
    "Radzyń Drewnicki is the largest town" and of "The largest town is Radzyń Drewnicki"."""
    out = []
    for verb in doc:
        if verb.lemma_ != "be":
            continue
        subj = _subject(verb)
        attr = next((c for c in verb.children if c.dep_ == "attr"), None)
        if subj is None or attr is None:
            continue
        for name, noun in ((subj, attr), (attr, subj)):
            if (
                name.pos_ in ("PROPN", "NOUN")
                and noun.pos_ == "NOUN"
                and any(map(singles_out, noun.children))
            ):  # the parse may call an unknown name at a claim's start a noun ("Radzyn")
                out.append((name, noun))
    return out


def _scope(noun) -> set[str]:
    """The words that say what set a singled-out noun is of ("largest *private* employer *in*
    *the* *city*"): its subtree less the ranking words and determiners, as lemmas."""
    return _words(t for t in noun.subtree if t.i != noun.i and not singles_out(t) and not t.is_stop)


def _one_thing(a, b) -> bool:
    """Two names for one thing: shared words or stems, or one the initials of the other ("NHS"
    / "the National Health Service", "tourism" / "the tourist trade")."""
    x, y = _core(a), _core(b)
    if _words(t for t in x if not t.is_stop) & _words(y):
        return True
    if any(_stem_match(p.lemma_.lower(), q.lemma_.lower()) for p in x for q in y if p.is_alpha):
        return True
    ta, tb = (re.sub(r"(?i)^the\s+", "", _np_text(t)) for t in (a, b))
    return _acronym(ta, tb) or _acronym(tb, ta)


def _identity_swaps(claim_doc, span) -> list[tuple[Slot, str, str]]:
    """A name the claim says is the one thing a superlative or an ordinal singles out, where the
    sentence says that thing, of the same set, is another name: "Radzyń Drewnicki is the
    largest town on the Drewnica" against "The largest town on the river is Wierzbnów,
    followed by Radzyń Drewnicki" (every word of the claim is in that sentence). None where
    the sentence says it of the claim's name too ("Kano is the largest city in the north,
    while the largest city in the country is Lagos"), or of another set ("the longest river
    in *Europe*" against "in *Africa*"), or of another name for the same thing."""
    source, claimed = _copula_pairs(span), _copula_pairs(claim_doc)
    out = []
    for name, noun in claimed:
        if noun in (n for n, _ in claimed):
            continue  # "The largest town is the oldest one": two descriptions, no name
        marks = {c.lemma_.lower() for c in noun.children if singles_out(c)}
        same = [
            other
            for other, snoun in source
            if snoun.lemma_.lower() == noun.lemma_.lower()
            and marks <= {c.lemma_.lower() for c in snoun.children if singles_out(c)}
            and _scope(noun) <= _scope(snoun)
        ]
        if same and not any(_one_thing(name, other) for other in same):
            out.append((_word_slot(name), _np_text(name), _np_text(same[0])))
    return out


def _change_and_level(a, b) -> bool:
    """ "rose *by* 7 percent" (a change) and "rose *to* 7 percent" (a level) are other amounts,
    though "by" / "to" are no opposites elsewhere: each word governs a quantity."""

    def quantity(t) -> bool:
        obj = [c for c in t.children if c.dep_ == "pobj"]
        return bool(obj) and (
            obj[0].like_num
            or obj[0].ent_type_ in NUMBER_LABELS
            or any(c.like_num or c.ent_type_ in NUMBER_LABELS for c in obj[0].children)
        )

    return {a.lower_, b.lower_} == {"by", "to"} and quantity(a) and quantity(b)


def _reports(tok) -> bool:
    """A verb of communication (WordNet) that reports a clause: "*said* that Russia ...",
    "*reiterated* that ...". Which word reports it is no contradiction of what it reports (the
    clause is aligned and checked on its own)."""
    return (
        tok.pos_ == "VERB"
        and is_reporting_verb(tok.lemma_)
        and any(c.dep_ == "ccomp" for c in tok.children)
    )


def _saying_counterpart(tok, span) -> str | None:
    """The sentence's verb that reports a clause where the claim's ``tok`` says that someone
    said it: "Bogdanov *said* Russia ..." is stated by "Bogdanov *reiterated* that Russia ...",
    "*told* reporters that", "*warned* that" (``analysis.says``). What is reported is aligned
    on its own, who reports it as any subject is; a verb that disputes the clause ("denied
    that") states no saying of it."""
    if not _says_that(tok):
        return None
    return next((t.text for t in _asserting(span)), None)


def _says_that(tok) -> bool:
    """The claim's ``tok`` says no more than that someone said a clause (``SAYING_VERBS``)."""
    return tok.lemma_.lower() in SAYING_VERBS and _reports(tok)


def _asserting(span) -> list:
    """The sentence's verbs that assert the clause they report (``analysis.says``)."""
    return [t for t in span if _reports(t) and says(t) and not _asks(t)]


def _asks(verb) -> bool:
    """``verb``'s clause is a question: "asked *whether* the bridge would reopen"."""
    return any(
        g.dep_ == "mark" and g.lower_ in ("whether", "if")
        for c in verb.children
        if c.dep_ == "ccomp"
        for g in c.children
    )


def _antonym_swaps(missing, claim_doc, span, found) -> list[tuple[Slot, str, str]]:
    """Missing claim words whose antonym (``lexicon.are_opposites``) the sentence says anywhere:
    "X *decreases* Y" against "Y was *increased* by X", "*benign* tumours" against "tumours that
    were *malignant*". Neither word may be negated ("did not increase" is not "decreased"), and
    the claim must not say the antonym itself ("raises A and lowers B")."""
    done = {c for _, c, _ in found}
    claim_lemmas = {t.lemma_.lower() for t in claim_doc}
    out = []
    for slot in missing:
        if slot.kind != "word" or slot.end - slot.start != 1 or slot.text in done:
            continue
        tok = claim_doc[slot.head]
        if is_negated(tok):
            continue
        for t in span:
            if (
                t.is_alpha
                and t.lemma_.lower() not in claim_lemmas
                and are_opposites(tok.text, t.text, tok.lemma_, t.lemma_)
                and not is_negated(t)
            ):
                out.append((slot, tok.text, t.text))
                break
    return out


def _other_actors(claim_doc, span, aligned, wv=None) -> list[tuple[Slot, str, str, bool]]:
    """Claim predicates the sentence states of another subject, or of another object.

    For each claim verb aligned by lemma to a sentence verb, the subjects are compared: when both
    have one, neither is a pronoun, and no word of the claim's subject occurs in the sentence's
    ("Russia opposed the regime" against "Hamas opposed Assad"), the claim's subject is
    substituted. A verb with no subject of its own takes its coordinated head's. Roles are
    compared across voice (``_fillers``): "1.5 million people were killed" meets "the drought
    killed 1.5 million people", whose subject is the drought. Two names the embedding puts
    together (``ENTITY_SIM``: "The Soviet Union" / "the USSR") are one actor, unless they are
    rivals ("North Korea" / "South Korea").

    A word the sentence says of something else, in a clause that modifies the verb's subject
    or object, is not that subject or object (``_core``): "A *suit* is speaking" against "A man
    wearing a gray suit speaks", "The new vaccine protects young *children*" against "protects
    adults who care for young children". The claim's object is compared only where the
    sentence has its head word as the object of such a clause (``_misplaced``), and then, as a
    subject that only such a clause has, it is not stated but not contradicted either (the last
    element False): "Police seized cocaine" against "Police seized a boat carrying cocaine".
    An object the sentence words otherwise is a paraphrase as often as another thing, and stays
    unstated if it is missing.
    """
    out = []
    src_by_lemma: dict[str, list] = {}
    for t in span:
        if t.pos_ in ("VERB", "AUX"):
            src_by_lemma.setdefault(t.lemma_.lower(), []).append(t)
    for slot, text, _ in aligned:
        tok = claim_doc[slot.head]
        if slot.kind != "word" or tok.pos_ != "VERB":
            continue
        matches = src_by_lemma.get(tok.lemma_.lower(), [])
        if not matches:  # a phrasal synonym plays the same roles: "The company *was founded*"
            said = [t for t in span if t.text == text and t.pos_ == "VERB"]  # is not "The
            if _phrasal(tok) or any(_phrasal(t) for t in said):  # company *set up* a factory"
                matches = said
        if not matches and _says_that(tok):
            matches = _asserting(span)  # who "reiterated" it
        if not matches:
            continue
        cs = _subject(tok)
        obj = next((c for c in tok.children if c.dep_ == "dobj" and c.pos_ != "PRON"), None)
        for arg, role, any_other in ((cs, _role(cs), True), (obj, "patient", False)):
            if arg is None:
                continue
            other = _other_filler(arg, role, matches, span, aligned, wv, any_other)
            if other is not None:
                out.append(other)
    return out


CLAUSAL_MODIFIERS = ("acl", "relcl")  # "a man *wearing a suit*", "the mayor, *who opened ...*"


def _core(tok, preps: bool = False) -> list:
    """A noun phrase without the clauses that modify it: "A man with white hair" of "A man with
    white hair wearing a gray suit"; with ``preps``, without the phrases that say what it has
    or wears either (``_noun_modifier``): "A man"."""
    out, todo = [], [tok]
    while todo:
        t = todo.pop()
        out.append(t)
        todo += [
            c
            for c in t.children
            if c.dep_ not in CLAUSAL_MODIFIERS and not (preps and _noun_modifier(c))
        ]
    return out


# prepositions whose phrase says what a noun has, wears or is in: "A man *in a red shirt*",
# "Patients *with diabetes*". Not "of" ("a group *of men*" are men), nor "at", "for", "from",
# "such as", "including" ("Scientists *at NASA* found", "A spokesman *for the ministry* said",
# "Countries *such as France* banned it": the claim's "NASA found" is a fair reading)
HAVING_PREPOSITIONS = frozenset({"with", "in", "on"})


def _noun_modifier(prep) -> bool:
    """``prep`` heads a ``HAVING_PREPOSITIONS`` phrase that modifies a noun naming a person or
    an animal ("A man *in a red shirt*", "A dog *with a ball*"); not a thing's ("Shares *in
    Tesla* fell" for "Tesla fell")."""
    head = prep.head
    if prep.dep_ != "prep" or prep.lower_ not in HAVING_PREPOSITIONS or head.i == prep.i:
        return False
    lemma = head.lemma_.lower()
    return head.pos_ == "NOUN" and (
        lemma in ("people", "person") or _person(lemma) or is_kind_of(lemma, "animal")
    )


def _other_filler(arg, role, matches, span, aligned, wv, any_other: bool):
    """(claim slot, claim words, source words, contradicts) when the sentence's verbs
    ``matches`` give ``role`` to something other than the claim's ``arg`` (``_other_actors``),
    else None.
    ``any_other``: any filler that shares no word with the claim's is another one (subjects);
    else only one whose sentence has ``arg``'s head word in another place (objects)."""
    claim_doc = arg.doc
    arg_slot = next(  # the slot of the argument's head word (itself when unaligned)
        (sl for sl, _, _ in aligned if sl.start <= arg.i < sl.end), _word_slot(arg)
    )
    claim_side = {  # the argument's own words; a number says nothing of who it counts
        t.lemma_.lower() for t in arg.subtree if not t.is_stop and t.is_alpha and not t.like_num
    }
    # and the source words the argument's slots are aligned to ("Doctors" ~ "Physicians",
    # "The Soviet Union" ~ "the USSR": word by word, as the source side is compared)
    claim_side |= {
        w
        for sl, text, _ in aligned
        if arg.left_edge.i <= sl.head <= arg.right_edge.i and sl.kind in ("word", "entity")
        for w in text.lower().split()
        if not claim_doc.vocab[w].is_stop
    }
    if not claim_side:  # "Three were killed": nothing to tell one filler from another
        return None
    if any_other:
        pairs = [(f, m) for m in matches for f in _fillers(m, role)]
    else:  # the verb's own object (not its coordinated head's subject)
        pairs = [(f, m) for m in matches for f in _own_patients(m)]
    if _is_name(arg):  # "The company" may be the claim's "Norvale Foods": no other actor
        pairs = [(f, m) for f, m in pairs if not _description(f)]
    if not pairs:
        return None
    fillers = [f for f, _ in pairs]
    cores = [_core(f, preps=any_other) for f in fillers]  # subjects: "A *shirt* is standing"
    misplaced = _misplaced(arg, span, {t.i for core in cores for t in core}, preps=any_other)
    inside = False  # the claim's words are in a filler's modifying clause only
    for (ss, verb), core in zip(pairs, cores, strict=True):
        if claim_side & _words(core):
            return None  # one occurrence of the verb has the claim's subject or object
        # the clause of the verb itself is no modifier of a filler it is said of ("Callum
        # Webb, *who replaced Liam O'Shea*"): the words there are the verb's own
        rel = verb.head if verb.dep_ == "conj" else verb  # "who joined and *replaced* ..."
        clause = {t.i for t in rel.subtree} if rel.dep_ == "relcl" and rel.head.i == ss.i else set()
        if claim_side & _words(t for t in ss.subtree if t.i not in clause):
            if not misplaced:
                return None  # the claim's words modify it ("the company *that makes X*")
            inside = True
        if wv is not None and _same_name(arg, ss, wv):
            return None
    if any_other and not inside:
        # the claim's actor in another part of the verb's own clause, and the sentence's actor
        # not the claim's other party: who did it is told another way, not by another actor
        # ("The Salt Orchard ... won four, including Best Actress *for Oduya*" for "Maren Oduya
        # won Best Actress ... for her role in The Salt Orchard"): not stated, not contradicted
        told_otherwise = _in_own_clause(claim_side, pairs) and not _reversed(arg, fillers)
        return arg_slot, _np_text(arg), _np_text(fillers[0]), not told_otherwise
    if not misplaced:
        return None
    # another thing in the role, the claim's word said of something else: not stated, and not
    # contradicted ("Police seized *a boat* carrying cocaine" for "Police seized cocaine")
    return arg_slot, _np_text(arg), _np_text(fillers[0]), False


def _in_own_clause(claim_side: set[str], pairs) -> bool:
    """The claim argument's words (``claim_side``) are in the clause of a sentence verb of
    ``pairs`` (filler, verb), outside the filler it gives the claim argument's role."""
    for filler, verb in pairs:
        own = {t.i for t in filler.subtree}
        if claim_side & _words(t for t in verb.subtree if t.i not in own):
            return True
    return False


# the parties of a claim verb besides its subject: "Russia opposed *Hamas*", "was opposed *by
# Hamas*", "gave *Hamas* aid", "is *the leader*"
OTHER_PARTIES = ("dobj", "dative", "attr", "oprd")


def _reversed(arg, fillers) -> bool:
    """A sentence filler of the claim's ``arg`` role shares a word with another party of the
    claim's verb: the roles are swapped ("Hamas opposed Russia" for "Russia opposed Hamas").
    The verb's parties are its objects and its "by" agent, or, for a verb with no object, the
    objects of its own prepositions ("lobbied *against Hamas*"; not "won Best Actress ... *in
    The Salt Orchard*"), and those of the verbs it is joined to or continued by ("met and
    *opposed* Hamas", "continued *to oppose* Hamas")."""
    verbs = level = [arg.head]
    for _ in range(2):  # each verb once: the joined verbs of the last level only
        level = [c for v in level for c in v.children if c.dep_ in ("xcomp", "conj")]
        verbs = verbs + level
    parties = [c for v in verbs for c in v.children if c.dep_ in OTHER_PARTIES]
    parties += [
        g
        for v in verbs
        for c in v.children
        if c.dep_ == "agent"
        or (c.dep_ == "prep" and not any(o.dep_ in OTHER_PARTIES for o in v.children))
        for g in c.children
        if g.dep_ == "pobj"
    ]
    theirs = _words(t for f in fillers for t in _core(f) if t.is_alpha and not t.is_stop)
    ours = _words(t for p in parties for t in p.subtree if t.is_alpha and not t.is_stop)
    return bool(theirs & ours)


def _words(tokens) -> set[str]:
    """Lemmas and lower-case forms of ``tokens``' words."""
    tokens = list(tokens)  # a subtree is a generator, read twice here
    return {t.lemma_.lower() for t in tokens if t.is_alpha} | {t.lower_ for t in tokens}


def _own_patients(verb) -> list:
    """The patient of ``verb`` itself: its passive subject, else its direct object; none that
    is a pronoun."""
    for dep in ("nsubjpass", "dobj"):
        found = [c for c in verb.children if c.dep_ == dep]
        if found:
            return [c for c in found if c.pos_ != "PRON"]
    return []


def _misplaced(arg, span, core_ids: set[int], preps: bool = False) -> bool:
    """The sentence has the head word of the claim's ``arg`` as the object of a clause that
    modifies a noun, outside the noun phrases that fill ``arg``'s role (token indices
    ``core_ids``): "jacket" in "kisses a woman *wearing a jacket*", "suit" in "A man wearing a
    *suit* speaks". A word the sentence's main clauses have elsewhere may be stated there by
    another verb of the same meaning ("MeCP2 regulates neuronal *maturation*"), and a parse
    that attaches a word elsewhere is often wrong, so neither counts."""
    lemma = arg.lemma_.lower()
    if arg.is_stop:
        return False
    for t in span:
        if (t.lemma_.lower() != lemma and t.lower_ != arg.lower_) or t.i in core_ids:
            continue  # spaCy lemmatises "Diabetes" at the start and "diabetes" inside apart
        first = t
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head  # "wearing glasses and a *beanie*"
        verb = first.head
        if preps and first.dep_ == "pobj" and _noun_modifier(verb):
            return True  # "A man in a red *shirt* is standing"
        if first.dep_ == "pobj" and verb.dep_ == "prep":
            verb = verb.head  # "sitting on a *bench*"
        elif first.dep_ != "dobj":
            continue
        if verb.pos_ == "VERB" and _modifying_clause(verb):
            return True
    return False


def _modifying_clause(verb) -> bool:
    """``verb`` heads a clause that says something of a noun ("a woman *wearing* a jacket",
    "adults who *care* for children"), not one that a noun introduces ("the hypothesis that
    MeCP2 *regulates* maturation", "evidence that MeCP2 may *influence* elongation": spaCy's
    "acl" or "relcl" too, with a "that" and a subject of its own)."""
    if any(c.dep_ == "mark" for c in verb.children):
        return False
    if verb.dep_ == "relcl":
        return True
    return verb.dep_ == "acl" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _same_name(a, b, wv) -> bool:
    """Subjects ``a`` (claim) and ``b`` (source) are names the embedding puts at least
    ``ENTITY_SIM`` apart, and no rivals: "The Soviet Union" / "the USSR" (0.90)."""
    if not (_is_name(a) and _is_name(b)):
        return False
    x, y = _np_text(a), _np_text(b)
    if _rival_names(x, y):
        return False
    v = wv.vectors([x, y])
    return float(v[0] @ v[1]) >= ENTITY_SIM


def _is_name(tok) -> bool:
    """A noun phrase headed by a proper name ("Norvale Foods", "Putin")."""
    return tok.pos_ == "PROPN" or bool(tok.ent_type_)


def _description(tok) -> bool:
    """A definite description with no name in it ("the company", "this trial"): it refers to
    something the text named before, which may be the claim's own actor."""
    return (
        tok.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ in DEFINITE for c in tok.children)
        and not any(t.pos_ == "PROPN" or t.ent_type_ for t in tok.subtree)
    )


def _role(subject) -> str:
    """The role a claim's subject plays: "patient" of a passive verb ("the body *was found*"),
    else "agent"."""
    return "patient" if subject is not None and subject.dep_ == "nsubjpass" else "agent"


def _fillers(verb, role: str) -> list:
    """Who plays ``role`` for a sentence's verb, in either voice: the agent is the active
    subject or the passive's "by" phrase ("killed *by the drought*"), the patient the passive
    subject or the active object ("the drought killed *1.5 million people*"). Every subject
    the parse gives the verb counts: an appositive before the subject is often parsed as a
    second one ("In conjunction with Cin8, *a kinesin-5 family member*, *the sliding
    activity* of Kip3 promotes ..."). Empty when the verb has no such word, or a pronoun."""
    subjects = _subjects(verb)
    if subjects and _role(subjects[0]) == role:
        return [_antecedent(s) or s for s in subjects if s.pos_ != "PRON" or _antecedent(s)]
    for c in verb.children:
        if role == "patient" and c.dep_ == "dobj":
            return [] if c.pos_ == "PRON" else [c]
        if role == "agent" and c.dep_ == "agent":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            return [objs[0]] if objs and objs[0].pos_ != "PRON" else []
    return []


def _antecedent(subject):
    """The name a relative pronoun subject stands for ("Callum *Webb*, *who* replaced Liam
    O'Shea"), else None. Names only: the parser often hangs a relative clause on the nearest
    noun ("The River Skelda is a river, about 68 *kilometres* long, *which* rises ...")."""
    if subject.tag_ in ("WP", "WDT") and subject.head.dep_ == "relcl":
        head = subject.head.head
        return head if head.pos_ == "PROPN" or head.ent_type_ in NAME_LABELS else None
    return None


def _subjects(verb) -> list:
    """The nominal subjects of ``verb`` (or of the verb it is coordinated with)."""
    for v in (verb, verb.head if verb.dep_ == "conj" else None):
        if v is None:
            continue
        found = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if found:
            return found
    return []


def _subject(verb):
    """The nominal subject of ``verb`` (or of the verb it is coordinated with), else None."""
    subjects = _subjects(verb)
    return None if not subjects or subjects[0].pos_ == "PRON" else subjects[0]


def _np_text(tok) -> str:
    """A subject in its own words, without a trailing clause or aside: "Hamas officials"
    ("Regular use", not "Regular use was associated ... P = 1.9 ×" through an appositive)."""
    doc, hi = tok.doc, tok.i + 1
    while hi < len(doc) and doc[hi].dep_ in ("compound", "flat") and tok.i <= doc[hi].head.i:
        hi += 1  # a name's later parts ("Khaled Meshaal" parsed flat), contiguous only
    return doc[tok.left_edge.i : hi].text


def _phrase(doc, slot: Slot) -> str:
    """A word slot with the compound it belongs to ("carbon dioxide" in "carbon dioxide
    emissions"), so that it can align with a single source word ("CO2"); else as written."""
    if slot.kind != "word":
        return slot.text
    tok = doc[slot.head]
    top = tok
    while top.dep_ == "compound" and top.head.i != top.i:
        top = top.head
    chain = [t for t in top.subtree if t.i == top.i or _compound_of(t, top)]
    if tok.i == top.i:  # the head itself: "function" of "podosome function" is not "podosome"
        return slot.text
    chain = [t for t in chain if t.i != top.i]
    return " ".join(t.text for t in chain) if len(chain) > 1 else slot.text


def _compound_of(t, top) -> bool:
    while t.dep_ == "compound" and t.i != top.i:
        t = t.head
    return t.i == top.i and t is not None


def _contains(text: str, name: str) -> bool:
    """``name`` occurs in ``text``; an identifier only as a whole word ("IL-1" is not in
    "IL-10 levels"), and a figure that starts or ends it not inside another ("Apollo 1" is not
    in "Apollo 11", "3-2" not in "13-2")."""
    if is_identifier(name):
        return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w])", text) is not None
    if not name or not (name[0].isdigit() or name[-1].isdigit()):
        return name in text
    before = r"(?<![\w.,])" if name[0].isdigit() else ""
    after = r"(?![\w]|[.,]\d)" if name[-1].isdigit() else ""
    return re.search(before + re.escape(name) + after, text) is not None


def _figures(text: str) -> list[str]:
    """The words of ``text`` with digits in them, lower case: "3-2" of "Northgate United 3-2"."""
    return [w for w in text.lower().split() if any(c.isdigit() for c in w)]


SMALL_NUMBER_WORDS = {int(v): w for w, v in WORD_NUMBERS.items() if v <= 20}  # 4 -> "four"


def _has_figure(text: str, figure: str) -> bool:
    """The figure (a word with digits) is in ``text``: as written, or a whole number up to
    twenty written as a word ("Formula 1" / "Formula One", "Channel 4" / "Channel Four")."""
    if _contains(text, figure):
        return True
    word = SMALL_NUMBER_WORDS.get(int(figure)) if figure.isdigit() else None
    return word is not None and re.search(rf"\b{word}\b", text) is not None


def _opposite_bounds(a: str, b: str) -> bool:
    """The same number bounded the opposite way: "as little as 42 percent" / "as much as 42
    percent", "more than 500" / "fewer than 500", "at least 3" / "at most 3"."""
    wa = {w.lower() for w in re.findall(r"[A-Za-z]+", a)}
    wb = {w.lower() for w in re.findall(r"[A-Za-z]+", b)}
    return any(are_opposites(x, y) for x in wa - wb for y in wb - wa)


def _implies(inner: tuple, outer: tuple) -> bool:
    """Every value ``inner`` allows, ``outer`` allows (``analysis.number_interval`` tuples)."""
    (lo, hi, lo_open, hi_open), (olo, ohi, olo_open, ohi_open) = inner, outer
    low = olo < lo or (olo == lo and (not olo_open or lo_open))
    high = hi < ohi or (hi == ohi and (not ohi_open or hi_open))
    return low and high


def _compatible(a: tuple, b: tuple) -> bool:
    """Two number intervals share a value: "600" and "more than 500". A round figure meets its
    own bound ("500" and "more than 500": not contradicted, only not stated); two bounds of
    the same number the opposite way do not ("more than 500" / "less than 500")."""
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    if lo != hi:
        return lo < hi
    return a[0] == a[1] or b[0] == b[1]


def _paired(text: str) -> bool:
    """Two figures joined by a dash, a score or a range: "2–0", "10-15"."""
    return re.fullmatch(r"\d+\s*[–—-]\s*\d+", text.strip()) is not None


def _counts_alike(claim_noun: str | None, source_noun: str | None) -> bool:
    """True unless both figures count a noun and the source's is neither the claim's, a
    synonym of it nor a kind of it."""
    if claim_noun is None or source_noun is None or claim_noun == source_noun:
        return True
    return are_synonyms(claim_noun, source_noun) or is_kind_of(source_noun, claim_noun)


def _counts_same(claim_noun: str, source_noun: str | None) -> bool:
    """True when a source figure counts a noun, and it is the claim's thing or a kind of it."""
    return source_noun is not None and _counts_alike(claim_noun, source_noun)


def _counted(tok) -> str | None:
    """The lemma of the noun a number counts ("1,200 *people*"), else None."""
    if tok.dep_ in ("nummod", "quantmod") and tok.head.pos_ in ("NOUN", "PROPN"):
        return tok.head.lemma_.lower()
    return None


def _within_bound(slot: Slot, claim_doc, side: _Side, span=None) -> str | None:
    """The sentence's figure that a bounded claim figure allows, counting the same thing:
    "1,200 people died" states "*More than* 1,000 people died". Only an exact figure of the
    same noun: a sentence's other numbers ("in 2,000 homes") say nothing of the claim's. A
    figure that counts no noun (an amount of money) needs one of the same unit said of the
    same verb: "grossed CA$21.3 million" states "grossed *more than* CA$20 million", and "a
    budget of CA$6.5 million" says nothing of it."""
    value = float(slot.lemma)
    claim_values = number_interval(slot.text, value)
    noun = _counted(claim_doc[slot.head])
    if claim_values[0] == claim_values[1] or is_maximum(slot.text):
        return None
    if noun is None:
        return _bounded_amount(slot, claim_doc, span, claim_values) if span is not None else None
    for v, text, _ in side.numbers:
        source_values = number_interval(text, v)
        if (
            source_values[0] == source_values[1]
            and side.counted.get(text) == noun
            and _implies(source_values, claim_values)
        ):
            return text
    return None


CLAUSES = ("advcl", "ccomp", "xcomp", "acl", "relcl", "conj", "parataxis", "csubj")


def _own_phrases(verb) -> set[int]:
    """The token indices of ``verb``'s own phrases, not of the clauses that hang on it ("*Made
    on a budget of CA$6.5 million*, the film grossed CA$21.3 million")."""
    out, todo = set(), [verb]
    while todo:
        t = todo.pop()
        out.add(t.i)
        todo += [c for c in t.children if c.dep_ not in CLAUSES]
    return out


def _bounded_amount(slot: Slot, claim_doc, span, claim_values) -> str | None:
    """The one figure the sentence gives its verb (or the adjective it measures, "long"), where
    that verb is the claim figure's own (same lemma, and a subject that shares a word with the
    claim's) and the figure is exact, of the same unit and within the claim's bound
    (``_within_bound``). None where the verb
    has two figures ("grossed $150 million worldwide, including $40 million in the US"), or
    the sentence has the verb twice ("was expected to cost $1.5 billion but cost $2.7
    billion"), or another does it ("Its rival raised $80 million")."""
    gov = _governor(claim_doc[slot.head])
    if gov is None or gov.pos_ not in ("VERB", "ADJ"):
        return None
    # or the adjective it measures: "*more than 60 kilometres* long" / "about 68 kilometres long"
    pos = ("VERB",) if gov.pos_ == "VERB" else ("ADJ", "ADV")  # spaCy tags "long" either way
    verbs = [t for t in span if t.pos_ in pos and t.lemma_.lower() == gov.lemma_.lower()]
    if len(verbs) != 1:
        return None
    verb = verbs[0]
    below = _own_phrases(verb)
    if gov.pos_ == "ADJ":  # the parse may hang the adjective on its measure: "68 kilometres long"
        below.add(verb.head.i)
    figures = [e for e in span.ents if e.label_ in NUMBER_LABELS and e.root.i in below]
    if len(figures) != 1 or _governor(figures[0].root) is None:
        return None
    e = figures[0]
    cs, ss = _subject(gov), _subject(verb)
    if cs is not None and ss is not None and not _words(_core(cs)) & _words(_core(ss)):
        return None
    v = number_value(e.text)
    vals = number_interval(e.text, v) if v is not None else None
    if (
        vals is not None
        and vals[0] == vals[1]
        and not other_units(number_unit(slot.text), number_unit(e.text))
        and _implies(vals, claim_values)
    ):
        return e.text
    return None


def _exact(slot: Slot, side: _Side, noun: str | None = None) -> str | None:
    """The source words stating ``slot`` literally (same lemma, number, year, name), or None.
    A number that counts ``noun``, where the sentence counts that thing (or a kind of it) with
    another figure, is stated only by one counting the same thing: "eleven more *novels* and
    two *collections*" does not state "eleven *collections*". Where no figure of the sentence
    counts it, the figure is stated as before: "Two *dogs*" states the "Two" of "Two *cats*",
    whose swap is the noun's."""
    if slot.kind == "number":
        value = float(slot.lemma)
        claim_values = number_interval(slot.text, value)
        unit = number_unit(slot.text)
        counted_apart = noun is not None and any(
            abs(v - value) > 1e-9 and _counts_same(noun, side.counted.get(t))
            for v, t, _ in side.numbers
        )
        for v, text, _ in side.numbers:
            other = number_unit(text)
            if (
                abs(v - value) < 1e-9
                and not (counted_apart and not _counts_alike(noun, side.counted.get(text)))
                and not other_units(unit, other)  # not "60 kilometres"
                and not _opposite_bounds(slot.text, text)
                and _implies(number_interval(text, v), claim_values)
            ):  # "more than 500" states neither "500" nor "up to 500"; "at least 500" it does
                return text
        for _, text in side.years:  # the day of a date written the other way round:
            if slot.text in re.findall(r"\d+", text):  # "26 October 2023" ~ "October 26, 2023"
                return text
        return None
    if slot.kind == "date":
        period = _period(slot.text)  # "the 19th century", "the 1890s" of "built in 1897"
        if period is not None:  # a year in it; a period against a period is read below
            inside = [t for y, t in side.years if period[0] <= int(y) <= period[1]]
            year = next((t for t in inside if _period(t) is None), None)
            if year is not None:
                return year
        ys = years(slot.text)
        if ys:  # every year of the claim's date ("from 2015 to 2017"), on the same day
            if not ys <= {y for y, _ in side.years}:
                return None
            for y, text in side.years:
                if y in ys and same_day(slot.text, text):
                    return text
            return None
        low = re.escape(slot.text.lower())  # "February 1" is not in "February 12", nor "five
        if re.search(rf"(?<![\w-]){low}(?![\w]|[.,]\d)", side.lower):  # years" in "twenty-five"
            return slot.text
        month, day = month_day(slot.text)  # "on 26 October" of "on October 26, 2023"
        if month is not None:
            for _, text in side.years:
                if month_day(text)[0] == month and (day is None or month_day(text)[1] == day):
                    return text
        return None
    if slot.kind == "entity":
        low = slot.text.lower()
        if _contains(side.lower, low):
            return slot.text
        for name, label in side.names:
            if (_acronym(slot.text, name) or _acronym(name, slot.text)) and (
                len(min(slot.text, name, key=len).replace(".", "")) > 2
                or _group(label) == _group(slot.label)
            ):  # two letters ("US") are initials of many names: only of one of the same kind
                return name
            if slot.label == "PERSON" and low.split()[-1] in name.lower().split():
                return name
        if slot.label == "PERSON" and " " in low and low.split()[-1] in side.texts:
            return slot.text.split()[-1]  # "Khaled Meshaal" where the source says "Meshaal"
        parts = [w for w in low.replace("-", " ").split() if len(w) > 2]
        figures = _figures(low)  # "3-2" is not "3-1"
        if (
            parts
            and all(p in side.texts or p in side.lemmas for p in parts)
            and all(_has_figure(side.lower, f) for f in figures)
            and not any(_shares_words(parts, name) for name, _ in side.names)
        ):
            return slot.text
        return None
    if slot.lemma in side.lemmas or slot.text.lower() in side.texts:
        return slot.text
    for text, lemma, pos in side.words:
        if _stem_match(slot.lemma, lemma, slot.label, pos) or _stem_match(
            slot.text.lower(), text.lower(), slot.label, pos
        ):
            return text
    return None


NAME_FILLERS = {"the", "and", "for"}  # words of a name that do not say which one it is


def _shares_words(parts: list[str], name: str) -> bool:
    """True when the source's ``name`` has some of the claim name's words ``parts`` and a word
    of its own: another name of the same pattern, so the claim's words found about the
    sentence do not state it ("the University of Turku" is not in "Born in Turku, she studied
    at the University of Helsinki")."""
    words = name.lower().replace("-", " ").split()
    own = {w for w in words if len(w) > 2} - NAME_FILLERS
    shared = own & set(parts)
    # the word that says what kind of thing it is ("University" of "the University of
    # Helsinki", "Library" of "the New York Public Library") is the claim name's too
    kind = words[words.index("of") - 1] if "of" in words[1:] else (words[-1] if words else "")
    return kind in shared and bool(own - set(parts))


_CENTURY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)[\s-]+century", re.I)
_DECADE = re.compile(r"(?<!\d)(\d{3})0s\b")
_HUNDREDS = re.compile(r"(?<!\d)(\d{2})00s\b")
_PART_OF_PERIOD = re.compile(r"\b(early|mid|middle|late|first|second|last|latter)\b", re.I)


def _period(text: str) -> tuple[int, int] | None:
    """The first and last year of a century or a decade written in ``text`` ("the 19th
    century" 1801-1900, "the 1990s" 1990-1999), else None (also for a part of one: "the late
    1960s" is not every year of the decade)."""
    if _PART_OF_PERIOD.search(text):
        return None
    m = _CENTURY.search(text)
    if m:
        n = int(m.group(1))
        return (n - 1) * 100 + 1, n * 100
    m = _HUNDREDS.search(text)  # "the 1800s": the hundred years from 1800
    if m:
        return int(m.group(1)) * 100, int(m.group(1)) * 100 + 99
    m = _DECADE.search(text)
    return (int(m.group(1)) * 10, int(m.group(1)) * 10 + 9) if m else None


def _preposition(tok) -> str:
    """The preposition that joins ``tok``'s phrase to the word it is said of ("to" of "sentenced
    to five years", "after" of "three years after the crime"), else ""."""
    while tok.dep_ in ("compound", "flat", "nummod", "amod") and tok.head.i != tok.i:
        tok = tok.head
    head = tok.head
    return head.lower_ if head.i != tok.i and (head.dep_ == "prep" or head.pos_ == "ADP") else ""


# prepositions that make a date the start or the end of a span: "head of the department *until*
# 2013" says when a post ended, "In 2007 she became head" when it began, and the two do not conflict
TIME_BOUNDS = {
    "since": "start",
    "from": "start",
    "until": "end",
    "till": "end",
    "through": "end",
    "by": "end",  # a deadline: "had won more than 60 caps *by* June 2024"
}


def _of_same_bound(claim_tok, span, free_years: list) -> list:
    """The sentence's free years that can rival a claim date: all of them, but for a date that
    starts or ends a span ("*since* 2010", "*until* 2013"), only one that does the same."""
    bound = TIME_BOUNDS.get(_preposition(claim_tok))
    if bound is None:
        return free_years
    same = {e.text for e in span.ents if TIME_BOUNDS.get(_preposition(e.root)) == bound}
    return [(y, text) for y, text in free_years if text in same]


def _every(tok):
    """The "every" / "each" of a noun ("*every* year"), else None."""
    return next(
        (c for c in tok.children if c.dep_ == "det" and c.lower_ in ("every", "each")), None
    )


def _other_frequencies(aligned, claim_doc, span) -> list[Conflict]:
    """A claim's "every <unit>" where the sentence says "every <n> <units>" of another n:
    "filled in questionnaires *every year*" against "*every two years*" (its word "year" is
    stated by "years", so no slot is missing)."""
    out = []
    for slot, _, _ in aligned:
        tok = claim_doc[slot.head]
        every = _every(tok) if slot.kind == "word" else None
        if every is None or any(c.dep_ == "nummod" for c in tok.children):
            continue
        for t in span:
            n = next((c for c in t.children if c.dep_ == "nummod"), None)
            theirs = _every(t) if t.lemma_.lower() == tok.lemma_.lower() else None
            if n is not None and theirs is not None and number_value(n.text) not in (None, 1.0):
                mine = claim_doc[every.i : tok.i + 1].text
                out.append(Conflict("number mismatch", mine, span.doc[theirs.i : t.i + 1].text))
                break
    return out


def _yearless_rival(
    slot: Slot, claim_doc, span, taken: Counter, heads_src: dict[int, str]
) -> str | None:
    """The sentence's date or span of time that the claim's ``slot``, of no year, rivals: the
    same month another day ("February 12" against "February 22", "27 October" against "October
    26, 2023"), or the same unit another figure that allows none of the claim's ("five years"
    against "three years", "12 weeks" against "24 weeks", "twelve-day" against "nine-day", "the
    21st minute" against "the 12th minute"). Only one joined by the same preposition, and a span
    of time only one said of the same word (``_same_role``): "The trial will last six weeks" has
    no rival in "will begin in two weeks", "sentenced to five years" none in "sentenced three
    years after the crime". None where the sentence has none."""
    month, day = month_day(slot.text) if any(c.isdigit() for c in slot.text) else (None, None)
    value, unit = number_value(slot.text), number_unit(slot.text)
    roles = _same_role(claim_doc[slot.head], span, heads_src)
    via = _preposition(claim_doc[slot.head])  # "sentenced *to* five years" / "three years *after*"
    for e in span.ents:
        if e.label_ not in DATE_LABELS or taken[e.text.lower()] or _preposition(e.root) != via:
            continue
        if month is not None and day is not None:  # a day: of any verb ("were in Moscow *on
            # 27 October*" against "meet in Moscow *on October 26, 2023*")
            other_month, other_day = month_day(e.text)
            if other_month == month and other_day is not None and other_day != day:
                return e.text
        elif value is not None and unit is not None and e.text in roles:
            other, other_unit = number_value(e.text), number_unit(e.text)
            if other is None:
                continue
            mine = value
            if other_unit != unit:  # "for one month" against "for one week": in days
                if unit not in DAYS or other_unit not in DAYS:
                    continue
                mine, other = value * DAYS[unit], other * DAYS[other_unit]
                if abs(mine - other) <= 0.1 * max(mine, other):  # "12 months" is "a year"
                    continue
            if not _compatible(number_interval(e.text, other), number_interval(slot.text, mine)):
                return e.text
    return None


# a span of time in days, to compare one written in another unit: "for one month" is not "for
# one week"; within a tenth, two are one ("12 months" / "one year", "52 weeks" / "one year")
DAYS = {
    "hour": 1 / 24,
    "day": 1,
    "week": 7,
    "fortnight": 14,
    "month": 30.44,
    "year": 365.25,
    "decade": 3652.5,
}


# words that set what follows them aside: "shot on 35 mm film *rather than* digitally"
SET_ASIDE = frozenset({("rather", "than"), ("instead", "of")})


def _set_aside_scope(doc) -> dict[int, int]:
    """Token index -> the index of the "rather" or "instead" that sets it aside, for the words
    after "rather than" or "instead of" up to the next punctuation or conjunction: "digitally"
    of "shooting on 35 mm film rather than digitally"."""
    toks = list(doc)
    out: dict[int, int] = {}
    for k in range(len(toks) - 2):
        if (toks[k].lower_, toks[k + 1].lower_) not in SET_ASIDE:
            continue
        for tok in toks[k + 2 :]:
            if tok.is_punct or tok.pos_ in ("CCONJ", "SCONJ") or tok.dep_ == "mark":
                break
            out[tok.i] = toks[k].i
    return out


def _said_of(tok, lemma: str) -> bool:
    """``tok`` is the verb ``lemma`` or said of it: the verb it hangs from, up the parse."""
    while True:
        if tok.pos_ in ("VERB", "AUX"):
            return tok.lemma_.lower() == lemma
        if tok.head.i == tok.i:
            return False
        tok = tok.head


def _set_aside(aligned, claim_doc, span) -> list[Conflict]:
    """A claim word the sentence sets aside, "rather than" or "instead of" what it states: "The
    film was shot digitally" against "she insisted on shooting on 35 mm film *rather than*
    digitally" (a negation). Only where the sentence has the word nowhere else, and the claim
    does not set it aside too ("shot on film rather than digitally"); where what is set aside is
    an action ("Rather than *raising* taxes, the government cut spending"), only a claim word
    said of that action ("raised taxes"), not the same thing done otherwise ("cut taxes")."""
    scope = _set_aside_scope(span)
    if not scope:
        return []
    claim_scope = _set_aside_scope(claim_doc)
    out = []
    for slot, text, _ in aligned:
        if slot.kind not in ("word", "entity") or slot.head in claim_scope:
            continue
        words = set(text.lower().split())
        at = [t for t in span if t.lower_ in words and t.is_alpha]
        if not at or not all(t.i in scope for t in at):
            continue
        cue = scope[at[0].i]  # quoted from "rather": "rather than digitally"
        actions = [v for v in span.doc[cue : at[-1].i + 1] if v.pos_ == "VERB"]
        if actions and not any(_said_of(claim_doc[slot.head], v.lemma_.lower()) for v in actions):
            continue
        out.append(Conflict("negation", slot.text, span.doc[cue : at[-1].i + 1].text))
    return out


def _conflicts(missing, side: _Side, claim_doc, span, aligned) -> list[Conflict]:
    out = []
    aligned_slots = {s for s, _, _ in aligned}
    source_of = {s.start: text.lower() for s, text, _ in aligned if s.kind == "word"}
    heads_src = _source_of_heads(aligned)
    # a date or number of the source that states another date or number of the claim is that
    # one's counterpart, not a rival ("six of the eight chairs": "six" is the claim's own "six");
    # one occurrence per claim slot stating it ("95% CI ... 94% CI" against "95% CI ... 95% CI")
    taken = Counter(text.lower() for s, text, _ in aligned if s.kind in ("date", "number"))
    free_years = _untaken(side.years, taken)
    free_numbers = _untaken(side.numbers, taken)
    for slot in missing:
        if slot.kind == "date" and not years(slot.text):  # "five years", "February 12"
            rival = _yearless_rival(slot, claim_doc, span, taken, heads_src)
            if rival is not None:
                out.append(Conflict("date mismatch", slot.text, rival))
        elif slot.kind == "date" and free_years:  # the source's date of the same year, if any,
            ys = years(slot.text)  # else the one said of the claim's verb ("died in 2008"
            rivals = _of_same_bound(claim_doc[slot.head], span, free_years)
            same = [text for y, text in rivals if y in ys]  # against "died 11 November 2009")
            roles = _same_role(claim_doc[slot.head], span, heads_src)
            said = [text for _, text in rivals if text in roles]
            rival = same or said or [text for _, text in rivals[:1]]
            if rival:
                out.append(Conflict("date mismatch", slot.text, rival[0]))
        elif slot.kind == "number":
            value = float(slot.lemma)
            claim_values = number_interval(slot.text, value)
            unit, noun = number_unit(slot.text), _counted(claim_doc[slot.head])
            figure = [  # the claim's figure in the sentence, of a measure of the same kind
                (t, number_unit(t))
                for v, t, label in free_numbers  # not one another claim figure states
                if abs(v - value) < 1e-9
                and _compatible(number_interval(t, v), claim_values)  # not "less than 500"
                # of the same thing: "40 people" is not "At least 40 vehicles"
                and not (noun and side.counted.get(t) and side.counted[t] != noun)
                and (label == slot.label or "CARDINAL" in (label, slot.label))
            ]
            other_unit = [t for t, u in figure if other_units(unit, u)]
            if other_unit:  # "60 miles" against "60 kilometres"
                out.append(Conflict("number mismatch", slot.text, other_unit[0]))
                continue
            if figure:  # the claim's figure, bounded there ("more than 40"): not stated, and
                continue  # no other figure of the sentence is its rival
            # the claim's figure is there, counting another noun ("14 league *matches*" for "14
            # league *games*"): only a figure counting the claim's own thing is its rival
            # ("two *collections*" for "eleven collections", not "41 *times*")
            elsewhere = noun is not None and any(
                abs(v - value) < 1e-9 and not _counts_alike(noun, side.counted.get(t))
                for v, t, _ in free_numbers
            )
            gov = _governor(claim_doc[slot.head])
            said_of = {e.text: g.lemma_.lower() for e in span.ents if (g := _governor(e.root))}
            own = gov is not None and any(  # a figure of the claim's verb that its bound allows:
                said_of.get(t) == gov.lemma_.lower()  # figures said of other words are not
                and not other_units(unit, number_unit(t))  # its rivals ("grossed CA$21.3
                and _compatible(number_interval(t, v), claim_values)  # million" against "a
                for v, t, _ in free_numbers  # budget of CA$6.5 million")
            )
            same = [  # a rival allows none of the claim's values: "more than 500" does not
                t  # contradict "500" or "600", only "400"; another maximum is another figure
                for v, t, label in free_numbers
                if (label == slot.label or slot.label == "CARDINAL" == label)
                and not other_units(unit, number_unit(t))
                and (
                    abs(v - value) > 1e-9
                    if is_maximum(t) or is_maximum(slot.text)
                    else not _compatible(number_interval(t, v), claim_values)
                )
                and not (own and said_of.get(t) != gov.lemma_.lower())
                # a score or a range ("won 2–0") rivals only one written so, or a figure of
                # the noun it counts: not "more than 60 caps"
                and not (_paired(t) != _paired(slot.text) and side.counted.get(t) != noun)
                and not (elsewhere and not _counts_same(noun, side.counted.get(t)))
            ]
            if len(same) > 1 and gov is not None:  # the rival said of the claim's verb first:
                # "grossed CA$21.3 million", not "a budget of CA$6.5 million"
                same.sort(key=lambda t: said_of.get(t) != gov.lemma_.lower())
            if same:
                out.append(Conflict("number mismatch", slot.text, same[0]))
        elif slot.kind == "entity":
            g = _group(slot.label)
            claim_names = {s.text.lower() for s in aligned_slots if s.kind == "entity"}
            # a name that states another name of the claim is that one's counterpart: "The
            # United States Food and Drug Administration approved the drug" states "FDA" and
            # is no rival of "Kidrova"
            stated = {text.lower() for s, text, _ in aligned if s.kind == "entity"}
            roles = _same_role(claim_doc[slot.head], span, heads_src)
            rivals = [
                n
                for n, label in side.names
                if _group(label) == g
                and n.lower() not in claim_names | stated
                and not any(n.lower() in c or c in n.lower() for c in claim_names)
                and n in roles
            ]
            if rivals:
                out.append(Conflict("entity mismatch", slot.text, rivals[0]))
    out += _other_frequencies(aligned, claim_doc, span)
    for slot, _, _ in aligned:  # the claim's date, stated of another event
        if slot.kind == "date":
            other = _date_of_same_event(slot, claim_doc, span, heads_src)
            if other is not None:
                out.append(Conflict("date mismatch", slot.text, other))
    for slot in missing:  # a word negated by its prefix: "unstable" where the source says "stable"
        if slot.kind != "word":
            continue
        for text, lemma, _ in side.words:
            if _negated_form(slot.text, text) or _negated_form(slot.lemma, lemma):
                out.append(Conflict("negation", slot.text, text))
                break
    out += _set_aside(aligned, claim_doc, span)
    # a negation counts only on a predicate both sides share, said of the same things
    stated = _stated_words(aligned)
    for pred in predicates(claim_doc):
        lemma, counterpart = pred.lemma_.lower(), source_of.get(pred.i)
        for tok in span:
            if tok.pos_ not in ("VERB", "AUX", "ADJ", "NOUN"):
                continue
            if (
                tok.lemma_.lower() == lemma
                or tok.lower_ == counterpart
                or _stem_match(tok.lemma_.lower(), lemma, tok.pos_, pred.pos_)
            ):
                claim_neg, source_neg = is_negated(pred), _stated_false(tok)
                if (
                    claim_neg != source_neg
                    and not (is_denied(pred) and (source_neg or _party_denies(tok)))
                    and _said_of_same(pred, tok, stated)
                    and _denied_noun_stated(pred, tok, stated)
                    # "may not reduce pain" leaves "reduces pain" possible: not stated, no
                    # conflict (``_hedged``), unless the claim hedges too ("may reduce")
                    and (hedge(tok) is None or hedge(pred) is not None)
                ):
                    claim_span = _neg_phrase(pred) if claim_neg else pred.text
                    source_span = _neg_phrase(tok) if source_neg else tok.text
                    out.append(Conflict("negation", claim_span, source_span))
                break
    unmatched = _unmatched_negation(claim_doc, span, out)
    if unmatched is not None:
        out.append(unmatched)
    return out


# the dependents of a predicate that say what it is said of: its subject, objects, complements
# (spaCy parses "consider Hamas a terrorist organisation" as a clausal complement) and
# prepositional phrases; not its auxiliaries, negation, conjuncts or adverbial clauses
ARGUMENT_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "iobj", "dative", "attr", "oprd", "acomp", "agent", "prep"}
    | {"ccomp", "xcomp"}
)
CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "VERB"})
# a pronoun among what the source's predicate is said of may stand for a name of the claim
PERSONAL_PRONOUNS = frozenset({"he", "she", "it", "they", "him", "her", "them"})


def _stated_words(aligned) -> dict[int, set[str]]:
    """Claim token index -> the source's words (lower case) it is aligned with."""
    out: dict[int, set[str]] = {}
    for slot, text, _ in aligned:
        for i in range(slot.start, slot.end):
            out.setdefault(i, set()).update(text.lower().replace("-", " ").split())
    return out


def _argument_words(pred) -> list:
    """The content words of what the claim's predicate is said of (``ARGUMENT_DEPS`` phrases;
    for a verb of a relative or participle clause, the noun it modifies too)."""
    out = [
        t
        for c in pred.children
        if c.dep_ in ARGUMENT_DEPS
        for t in c.subtree
        if t.pos_ in CONTENT_POS and not t.is_stop
    ]
    if pred.dep_ in ("acl", "relcl") and pred.head.pos_ in ("NOUN", "PROPN"):
        out.append(pred.head)
    return out


def _region(tok) -> set[str]:
    """The words the source's predicate ``tok`` is said of, lower case, as written and as
    lemmas: its subtree less the verbs joined to it and what they say ("considers Hamas a
    humanitarian organisation *but acknowledges it has a militant wing that commits terrorist
    acts*" is another statement); for a relative or participle clause, the whole noun phrase it
    is part of ("A group of people *waiting* outside"); for a verb with no subject of its own
    ("sat and did *not eat*", "wants to *go*", "was unable to *reduce*"), the subject of the verb
    it hangs from."""
    skip = {t.i for c in tok.children if c.dep_ == "conj" for t in c.subtree}
    words = [t for t in tok.subtree if t.i not in skip]
    head = tok
    for _ in range(8):  # up a parse tree: bounded all the same
        if head.dep_ in ("acl", "relcl"):
            top = head.head
            while top.dep_ in ("pobj", "prep") and top.head.i != top.i:
                top = top.head
            words += list(top.subtree)
            break
        if head.dep_ not in ("conj", "xcomp", "acomp") or head.head.i == head.i:
            break
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
            break
        head = head.head
        words += [t for c in head.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]
    return {t.lower_ for t in words} | {t.lemma_.lower() for t in words}


def _said_of_same(pred, tok, stated: dict[int, set[str]]) -> bool:
    """The source's predicate ``tok`` is said of what the claim's ``pred`` is said of.

    Each word of the claim's arguments that the sentence states (aligned with it) is among the
    words ``tok`` is said of: "Russia does *not consider* Hamas a *terrorist* organisation" and
    "... Primakov said that he *considers* Hamas a *humanitarian* organisation but acknowledges
    it has a militant wing that commits *terrorist* acts" share "consider", but not what it is
    said of. Other claim words the sentence does not state decide nothing here (they are
    missing words), except a name of the claim's subject: "Primakov considers ..." against
    "Russia does not consider ..." is about another actor. Either way, no negation conflict."""
    subject = [c for c in pred.children if c.dep_ in ("nsubj", "nsubjpass")]
    names = [t for c in subject for t in c.subtree if t.pos_ == "PROPN" or t.ent_type_]
    if names and not any(stated.get(t.i) for t in names):
        return False
    region = _region(tok)
    pronoun = bool(region & PERSONAL_PRONOUNS)  # "Primakov said that *he* considers ..."
    for w in _argument_words(pred):
        source = stated.get(w.i)
        if not source:
            continue
        if w.lower_ in region or w.lemma_.lower() in region or source & region:
            continue
        if pronoun and (w.pos_ == "PROPN" or w.ent_type_):
            continue
        return False
    return True


def _no_noun(pred):
    """The argument of ``pred`` that "no" denies (``analysis.negated_object`` or
    ``negated_subject``: "has *no airport*", "*No jobs* were cut"), or None; not "no one" (a
    pronoun: whoever it is), nor a negative pronoun or "neither" without "no"."""
    for c in (negated_object(pred), negated_subject(pred)):
        if (
            c is not None
            and c.pos_ == "NOUN"
            and c.lower_ not in ("one", "body")
            and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
        ):
            return c
    return None


def _something_else(denied, pred) -> bool:
    """``pred`` has, in ``denied``'s role, only nouns that are not the denied thing nor a kind
    of it: "has about 9,000 *students*" for "has no *airport*"; not "found a *gun*" for "found
    no *weapons*", nor "received *$5,000*" for "received no compensation"."""
    others = [c for c in pred.children if c.dep_ == denied.dep_]
    want = denied.lemma_.lower()
    return bool(others) and all(
        o.pos_ == "NOUN" and o.lemma_.lower() != want and not is_a(o.lemma_.lower(), want)
        for o in others
    )


def _denied_noun_stated(pred, tok, stated: dict[int, set[str]]) -> bool:
    """A denial by "no" is of its noun: it meets the other side's statement unless that says
    something else in its place. "Valmora has no airport" is not contradicted by "The
    University of Valmora has about 9,000 students", nor "Valmora has an airport" by "The city
    has no trams"; "Police found no weapons" is, by "Police found a gun"."""
    mine = _no_noun(pred)
    if mine is not None and not stated.get(mine.i) and _something_else(mine, tok):
        return False
    theirs = _no_noun(tok)
    if theirs is None:
        return True
    said = set().union(*stated.values()) if stated else set()
    if theirs.lower_ in said or theirs.lemma_.lower() in said:
        return True
    return not _something_else(theirs, pred)


def denies_alike(claim_doc, span, aligned) -> bool:
    """Each predicate the claim denies, the sentence denies too, said of the same things
    (``_said_of_same``): "Lithium is *not* an effective treatment" against "Lithium is *not* an
    effective treatment ..., the review concluded", not against "Lithium, which is *not* cheap,
    is an effective treatment"."""
    stated = _stated_words(aligned)
    source_of = {s.start: text.lower() for s, text, _ in aligned if s.kind == "word"}
    denied = [p for p in predicates(claim_doc) if is_negated(p)]
    for pred in denied:
        lemma, counterpart = pred.lemma_.lower(), source_of.get(pred.i)
        if not any(
            (tok.lemma_.lower() == lemma or tok.lower_ == counterpart)
            and is_negated(tok)
            and _said_of_same(pred, tok, stated)
            for tok in span
        ):
            return False
    return bool(denied)


def _unmatched_negation(claim_doc, span, found: list) -> Conflict | None:
    """A negation of the claim that the sentence has no negation for: the claim denies that
    something is so ("There are *not* two people sitting down." against
    "Two people sitting on the sand.", "A person is *not* near a river." against "Person
    fishing in river."), and the sentence denies nothing (no "not", "never", "no", "without",
    "nor"). The sentence's main predicate is the other side of the reason."""
    if any(c.kind == "negation" for c in found):
        return None
    # the copula alone: a content verb the sentence lacks ("do not *provide*") is a missing
    # word already, and a sentence that says the same without a negation ("did no better",
    # "were small") may still mean it
    negated = [p for p in predicates(claim_doc) if is_negated(p) and p.lemma_ == "be"]
    if not negated or any(_negating(t) for t in span):
        return None
    root = span.root if hasattr(span, "root") else next(iter(span.sents)).root
    return Conflict("negation", _neg_phrase(negated[0]), root.text)


def _negating(tok) -> bool:
    """A token that denies something: spaCy's ``neg`` ("not", "n't", "never"), the determiner
    "no", or "without", "nor", "neither", "none", "nothing", "nobody", or a negative
    implicative with its complement ("failed to ..."). (Every negation
    ``is_negated`` reads off a predicate is one of these tokens of the same sentence.)"""
    return (
        tok.dep_ == "neg"
        or (tok.lower_ == "no" and tok.dep_ == "det")
        or tok.lower_ in ("without", "nor")
        or (tok.lower_ in NEGATIVE_PRONOUNS and not _affirming_idiom(tok))  # not "nothing but"
        or any(negative_implicative(c) is not None for c in tok.children)
        or (_negating_adverb(tok) and tok.head.pos_ in ("VERB", "AUX"))
    )


def _untaken(entries: list[tuple], taken: Counter) -> list[tuple]:
    """A side's ``years`` or ``numbers`` (tuples with the source text second) less one
    occurrence per count in ``taken`` (lower-cased texts)."""
    left, out = Counter(taken), []
    for e in entries:
        key = e[1].lower()
        if left[key] > 0:
            left[key] -= 1
        else:
            out.append(e)
    return out


def _governor(tok):
    """The word a name is said of: its phrase's head, past prepositions ("met *with* Putin"
    -> "met", "talks *in* Moscow" -> "talks"); None for a root."""
    tok = _name_head(tok)  # "Elena" of "Elena Varga", "Mayor" of "Mayor Varga"
    head = tok.head
    while head.i != tok.i and (head.dep_ in ("prep", "agent") or head.pos_ == "ADP"):
        tok, head = head, head.head
    return None if head.i == tok.i else head


def _date_of_same_event(slot: Slot, claim_doc, span, heads_src: dict[int, str]) -> str | None:
    """The sentence's date of the event the claim dates, where that is another date: "The law
    was *passed* in 2018" against "The law was *passed* in 2015 and repealed in 2018" (the
    claim's year is there, but of the repeal). None when the sentence dates that event with
    the claim's year too, or not at all, or when the claim's date does not hang on a verb of
    an event ("The rate was 5 *percent in 2018*" against "The rate was 4 percent in 2017 and
    fell to 5 percent in 2018": the noun and "be" meet every date of such a sentence; "had its
    IPO in 2018" is an event)."""
    gov = _governor(claim_doc[slot.head])
    if gov is None or gov.pos_ != "VERB" or gov.lemma_.lower() == "be":
        return None  # an event's date, not a noun's ("5 percent *in 2018*")
    roles = _same_role(claim_doc[slot.head], span, heads_src)
    dates = [e.text for e in span.ents if e.label_ in DATE_LABELS and e.text in roles]
    want, period = years(slot.text), _period(slot.text)
    if period is not None:  # "the 1890s": any year of it ("1897")
        want = {str(y) for y in range(period[0], period[1] + 1)}
    if not dates or not want:
        return None
    if any(years(d) & want or (period and _period(d) == period) for d in dates):
        return None  # the same year, or the same period ("the 19th century" twice)
    return dates[0]


def _same_role(claim_tok, span, heads_src: dict[int, str]) -> set[str]:
    """The names of the sentence said of the word that the claim's name is said of (its
    counterpart: the same lemma, or the source word it is aligned to): "*Mayor B* opened the
    bridge" against "Mayor A opened the bridge", "met *with Putin*" against "met Medvedev". A
    name said of another word ("*Sergey Lavrov* welcomes ... Meshaal during their talks"
    against "Meshaal spoke to *Rossiyskaya Gazeta*") is another participant, not a rival; a
    claim name whose word has no counterpart has no rival."""
    gov = _governor(claim_tok)
    if gov is None:
        return set()
    want = {gov.lemma_.lower(), heads_src.get(gov.i, gov.lower_)}
    out = set()
    for ent in span.ents:
        g = _governor(ent.root)
        if g is not None and (g.lemma_.lower() in want or g.lower_ in want):
            out.add(ent.text)
    return out


def _party_denies(tok) -> bool:
    """A party, not the authors' results, disputes ``tok``'s clause ("officials *denied* that
    ...": ``analysis.disputed_by``). With "does not", a claim's "denied that" denies alike."""
    verb = disputed_by(tok)
    return verb is not None and not by_evidence(verb)


def _stated_false(tok) -> bool:
    """The source states ``tok``'s predicate false: it is negated, or the authors' results
    dispute it ("These results *refute* the hypothesis that coffee *causes* cancer"), but not
    both; a party's denial ("officials denied that ...") states it neither way
    (``analysis.asserted``)."""
    verb = disputed_by(tok)
    # what results refute a denial of ("refute the claim that the drug does *not* work"), they
    # state true
    return is_negated(tok) != (verb is not None and by_evidence(verb))


def _neg_phrase(tok) -> str:
    """The negated predicate in its own words: "did not designate", "no jobs would be cut",
    "refute the hypothesis that coffee causes"."""
    verb = negative_implicative(tok) if is_negated(tok) else disputed_by(tok)
    if verb is not None and verb.i < tok.i:  # "failed to reduce"
        return tok.doc[verb.i : tok.i + 1].text
    parts = [c for c in tok.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < tok.i]
    parts += [tok] + [t for c in tok.children if _negating_adverb(c) for t in c.subtree]
    subject = negated_subject(tok)
    if subject is not None:
        parts += list(subject.subtree)
    obj = negated_object(tok)  # "had no diplomatic relations", up to the object's noun
    if obj is not None:
        parts += [t for t in obj.subtree if t.i <= obj.i]
    parts += [c for c in tok.children if c.dep_ == "neg" and c.i > tok.i]
    lo, hi = min(p.i for p in parts), max(p.i for p in parts) + 1
    return tok.doc[lo:hi].text
