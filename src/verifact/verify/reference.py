"""Referring expressions: an evidence sentence made to stand on its own (decontextualised).

"He was born in Concord in 1956." states nothing about Tom Hanks by itself; the passage's
earlier sentences say who "he" is. A sentence's third-person pronouns ("he", "its", "they") and
definite noun phrases that repeat a name's head noun ("the bridge" for "the Golden Gate Bridge")
are resolved to a name of the text before it, read from spaCy's NER and parse:

- an expression takes the most salient name of a compatible kind (Lappin & Leass 1994: recent,
  subject, not embedded in another phrase, mentioned often; a pronoun resolved earlier is a
  mention too); common nouns compete, and when one is more salient ("Palestinian politicians,
  on their part, ..."), or two candidates tie, nothing is resolved; a pronoun that takes up a
  common noun is a mention of that noun ("the Russian government ... It pursued ties with
  Israel ... it did not label ...": the last "it" is still the government, not Israel);
- "he" / "she" need a PERSON; "it" a non-person name (organisation, place, work, event ...);
  "they" an organisation, group or place; "the bridge" a non-person name whose words include
  "bridge"; "the company" an organisation, "the minister" a person, "the city" a place: a noun
  that WordNet's most frequent sense makes a kind of the name's class (``NAME_CLASSES``).

The resolved text replaces each resolved expression by its name ("Tom Hanks was born in Concord
in 1956.", "Tom Hanks's film ..."), so the stance model and the alignment read what the sentence
states; citations and the "supporting sentence" reason still quote the source as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import DEFINITE, NAME_LABELS
from .lexicon import is_kind_of

CONTEXT_SENTENCES = 5  # the sentences before the evidence sentence that may name its referents
CONTEXT_CHARS = 1200  # and at most this much text: every input's cost is bounded
LEAD_CHARS = 400  # a document's lead sentence, read as context when at most this long
PERSON = {"PERSON"}
UNNAMED = "PROPN"  # a proper noun the NER gave no label
THING = (NAME_LABELS - {"PERSON", "NORP"}) | {UNNAMED}
GROUP = {"ORG", "NORP", "GPE"}
NAME_MODIFIERS = ("amod", "compound", "nmod", "poss")  # a name's place before a noun
SINGLING = {"only", "next", "last", "previous", "following"}
SUBJECTS = ("nsubj", "nsubjpass")
GENDERS = {"Masc", "Fem"}
QUOTES = "\"'\u201c\u201d\u2018\u2019 "


@dataclass(frozen=True)
class Referent:
    """A referring expression of the sentence, the name it stands for and that name's label."""

    start: int  # character offsets of the expression in the sentence
    end: int
    words: str  # as written: "He", "the bridge"
    name: str  # "Tom Hanks"
    label: str
    possessive: bool = False


def _kinds(tok) -> set[str] | None:
    """The name labels a third-person pronoun can stand for, or None for any other token."""
    if tok.pos_ != "PRON" or "3" not in tok.morph.get("Person") or tok.dep_ == "expl":
        return None
    if _extraposed(tok):
        return None
    gender, number = tok.morph.get("Gender"), tok.morph.get("Number")
    if "Masc" in gender or "Fem" in gender:
        return PERSON
    if "Neut" in gender:
        return THING
    if "Plur" in number:
        return GROUP
    return None


def _extraposed(tok) -> bool:
    """An "it" that stands for a clause after it, not a name: "It is known that sales rose",
    "It was decided to close" (a passive or copular verb with a clausal complement)."""
    head = tok.head
    if tok.lower_ != "it" or tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    clause = any(c.dep_ in ("ccomp", "csubj", "xcomp") and c.i > tok.i for c in head.children)
    return clause and (tok.dep_ == "nsubjpass" or head.pos_ == "ADJ" or head.lemma_ == "be")


def _definite_noun(tok) -> str | None:
    """The head noun's lemma of a definite noun phrase outside any name ("the bridge"). One
    that a name modifies says which thing it is itself ("the *Russian* government", "the
    *Velorin* trial"): it takes up no other name ("Hamas" of the title, for "the Russian
    government"), and stays a common noun's mention."""
    if tok.pos_ != "NOUN" or tok.ent_type_:
        return None
    if any(
        c.ent_type_ or c.pos_ == "PROPN"
        for c in tok.children
        if c.dep_ in (*NAME_MODIFIERS, "appos")
    ):
        return None  # nor one with its name beside it: "the painter *John Brown*"
    ranked = any(singles_out(c) and c.lower_ != "only" for c in tok.children)
    if ranked and any(c.dep_ in RESTRICTIVE for c in tok.children):
        return None
    if any(c.dep_ == "det" and c.lower_ in DEFINITE for c in tok.children):
        return tok.lemma_.lower()
    return None


# what a noun phrase that a superlative or an ordinal picks out says its set is: "in the city",
# "to hold the post", "that opened in 1990"
RESTRICTIVE = ("prep", "acl", "relcl")


def singles_out(mod) -> bool:
    """A superlative or an ordinal modifier ("the *largest* employer", "the *first* woman",
    "the *only* bridge"). With a phrase that says what set it is picked from, such a noun
    phrase picks its thing out itself, not one named before ("the *largest* employer *in the
    city*", "the *first* woman *to hold the post*"); without one it may ("The only bridge",
    "The eldest daughter")."""
    if mod.dep_ not in ("amod", "advmod", "nummod", "npadvmod"):
        return False
    return mod.tag_ in ("JJS", "RBS") or mod.ent_type_ == "ORDINAL" or mod.lower_ in SINGLING


def referring(doc) -> bool:
    """True when the sentence ``doc`` has a pronoun or definite noun phrase to resolve."""
    return any(_kinds(t) is not None or _definite_noun(t) is not None for t in doc)


def _names(span) -> list:
    """The names of ``span`` that can be antecedents ("Palestinian" in "Palestinian
    politicians" modifies a noun: the noun is what "their" takes up), and a proper noun the
    NER left out as a subject ("*The Salt Orchard* is a 2016 Canadian drama film"), labelled
    ``UNNAMED``: "it" may take it up, "he" or "she" not."""
    from spacy.tokens import Span  # spaCy is loaded by then: the span was parsed

    out = [e for e in span.ents if e.label_ in NAME_LABELS and e.root.dep_ != "amod"]
    for t in span:
        if t.pos_ == "PROPN" and t.dep_ in SUBJECTS and not t.ent_type_:
            parts = [c for c in t.children if c.dep_ in ("compound", "flat", "det") and c.i < t.i]
            if all(c.pos_ in ("PROPN", "DET") for c in parts):
                start = min((c.i for c in parts), default=t.i)
                out.append(Span(t.doc, start, t.i + 1, label=UNNAMED))
    return out


# Lappin & Leass (1994), "An algorithm for pronominal anaphora resolution": the salience of a
# name is the sum, over its mentions, of these weights, halved for every sentence back
RECENCY, SUBJECT, OBJECT, OBLIQUE, HEAD_NOUN, NON_ADVERBIAL = 100, 80, 50, 40, 80, 50
# a name that "the institute" names by its own words ("the Arctic Sea Institute") or that the
# text said is one ("Valmora is a city"), against one whose label's class it is (a place the
# NER took for an organisation): half as salient again, not a trump over a newer mention
NAMED_WEIGHT = 1.5


def _weight(root) -> int:
    """The salience factors of a mention whose syntactic head is ``root`` (a conjunct has the
    role of the phrase it is joined to: "Tom Smith and Ann Jones met" has two subjects)."""
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    dep = root.dep_
    w = RECENCY
    w += SUBJECT if dep in ("nsubj", "nsubjpass") else OBJECT if dep == "dobj" else 0
    w += OBLIQUE if dep in ("dative", "pobj") and root.head.head.pos_ in ("VERB", "AUX") else 0
    w += HEAD_NOUN if dep not in ("poss", "compound", "appos", "nmod", "amod") else 0
    w += NON_ADVERBIAL if dep != "pobj" else 0
    return w


NOUN_SING, NOUN_PLUR = "noun", "nouns"  # common nouns compete with names, never substituted


def _key(name: str, label: str) -> str:
    """Mentions of one name: a person by surname ("Okafor" is "Dr. Amara Okafor")."""
    words = name.lower().replace("-", " ").split()
    if label in (NOUN_SING, NOUN_PLUR):
        return f"{label}:{name}"
    return words[-1] if label == "PERSON" and words else " ".join(words)


class _Salience:
    """Names seen so far, with their salience, the fullest form they were written in and the
    nouns the text says they are ("Valmora is a *city*")."""

    def __init__(self):
        self.score: dict[str, float] = {}
        self.form: dict[str, tuple[str, str]] = {}
        self.nouns: dict[str, set[str]] = {}
        self.said: dict[str, str] = {}  # a name's label as the nouns said of it give it
        self.gender: dict[str, set[str]] = {}  # "Fem" of a name that "she" took up

    def add(
        self,
        name: str,
        label: str,
        weight: float,
        nouns: set[str] | None = None,
        gender: list[str] | tuple = (),
    ) -> None:
        # the NER's "The Cold Current" may keep a quote, or run a title line into the text
        name = name.strip().split("\n")[-1].strip(QUOTES) or name.strip()
        if nouns:
            self.said[name.lower()] = _said_label(label, nouns)
        label = self.said.get(name.lower(), label)
        k = _key(name, label)
        self.score[k] = self.score.get(k, 0.0) + weight
        self.nouns.setdefault(k, set()).update(nouns or ())
        self.gender.setdefault(k, set()).update(gender)
        if len(name) > len(self.form.get(k, ("", ""))[0]):
            self.form[k] = (name, label)

    def best(self, fits) -> tuple[str, str] | None:
        """The most salient mention that ``fits`` (a name or a common noun; one that fits by
        its own words counts ``NAMED_WEIGHT`` times its salience), or None when two are tied
        or none fits."""
        ranked = []
        for k, v in self.score.items():
            tier = fits(self.form[k], self.nouns[k], self.gender[k])
            if tier:
                ranked.append((v * (NAMED_WEIGHT if tier > 1 else 1), k))
        ranked.sort(reverse=True)
        if not ranked or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
            return None
        return self.form[ranked[0][1]]


# the WordNet class a name's label says it is: a definite noun phrase whose noun is a kind of it
# ("the company", "the firm", "the government" / an organisation; "the minister", "the doctor"
# / a person; "the city", "the town" / a place) can stand for such a name
NAME_CLASSES = {"ORG": "organization", "PERSON": "person", "GPE": "location"}


def _said_label(label: str, nouns: set[str]) -> str:
    """The name label that the nouns a text says a name is give it, else ``label``: the
    text's own "Valmora is a *city*" over the NER's guess that Valmora is a person."""
    for lab, cls in NAME_CLASSES.items():
        if any(is_kind_of(n, cls) for n in nouns):
            return lab
    return label


def _described(sent) -> tuple[dict[int, set[str]], set[int]]:
    """The nouns ``sent`` says its names are, by the name's root token, and those nouns' token
    indices: "*Valmora* is a *city* ... and the *capital* of ...", "*Okafor*, a *surgeon*,",
    "four *books*, including *The Cold Current*". Such a noun is the name, not another thing
    to compete with it; and "the city" after it is Valmora, whatever the NER guessed."""
    said, used = {}, set()
    for e in _names(sent):
        r, head = e.root, e.root.head
        nouns = [c for c in r.children if c.dep_ == "appos"]
        if r.dep_ in ("nsubj", "nsubjpass") and head.lemma_ == "be":
            nouns += [c for c in head.children if c.dep_ == "attr"]
        if r.dep_ == "appos" and head.pos_ == "NOUN":
            nouns.append(head)
        if r.dep_ == "pobj" and head.lower_ in ("including", "like") and head.head.pos_ == "NOUN":
            nouns.append(head.head)
        nouns = [x for n in nouns for x in (n, *n.conjuncts) if x.pos_ == "NOUN"]
        nouns = [x for x in nouns if not x.ent_type_]
        if nouns:
            said[r.i] = {x.lemma_.lower() for x in nouns}
            used |= {x.i for x in nouns}
    return said, used


def _fits_pronoun(kinds, gender=()):
    """A pronoun fits a name of its kinds, but one that only pronouns of the other gender took
    up ("she" is not the Eero Laaksonen of "until *his* death"), or a common noun of its
    number. "It" has no gender here: spaCy marks it neuter, and a name "its" took up is not
    for that more likely to be the next "it"."""
    noun = NOUN_SING if kinds is THING else NOUN_PLUR if kinds is GROUP else None
    want = set(gender) & GENDERS
    return lambda form, said, genders: int(
        form[1] == noun or (form[1] in kinds and not (want and genders and not genders & want))
    )


def _fits_noun(noun):
    """How well a mention fits "the <noun>": 2 for a common noun that is ``noun``, a name that
    has ``noun`` among its words ("the bridge" / "the Millbrook Harbour Bridge") or that the
    text says is one ("Valmora is a city" / "the city"); 1 for a name whose label's class
    ``noun`` is a kind of ("the company" / an organisation); 0 for none."""

    def fits(form, said, genders=()) -> int:
        if form[1] in (NOUN_SING, NOUN_PLUR):
            return 2 * (form[0] == noun)
        if noun in said or (form[1] in THING and noun in _heads(form[0])):
            return 2
        return int(form[1] in NAME_CLASSES and is_kind_of(noun, NAME_CLASSES[form[1]]))

    return fits


def _heads(name: str) -> set[str]:
    """The words of ``name`` that say what it is: its last, its first and the one before its
    "of" ("the Millbrook Harbour *Bridge*", "*Lake* Geneva", "the *University* of Basel"; not
    "drug" of "the Food and Drug Administration")."""
    words = [w for w in name.lower().replace("-", " ").split() if w != "the"]
    if not words:
        return set()
    return {words[0], words[-1], *(w for w, nxt in zip(words, words[1:]) if nxt == "of")}


def _expression(tok):
    """(first token, fits) of a referring expression at ``tok``, or None."""
    kinds = _kinds(tok)
    if kinds is not None:
        return tok, _fits_pronoun(kinds, tok.morph.get("Gender"))
    noun = _definite_noun(tok)
    if noun is None:
        return None
    first = min(c.i for c in tok.children if c.dep_ == "det" and c.lower_ in DEFINITE)
    return tok.doc[first], _fits_noun(noun)


def resolve(context_doc, doc) -> list[Referent]:
    """The referring expressions of ``doc`` (an evidence sentence) that the names of
    ``context_doc`` (the text before it) resolve, in text order (Lappin & Leass salience)."""
    sal = _Salience()
    sents = list(context_doc.sents) + [doc]
    out = []
    for n, sent in enumerate(sents):
        decay = 0.5 ** (len(sents) - 1 - n)  # the evidence sentence counts in full
        names = {e.root.i: e for e in _names(sent)}
        said, describing = _described(sent)
        for tok in sent:
            if tok.i in names:
                e = names[tok.i]
                sal.add(e.text, e.label_, decay * _weight(e.root), said.get(tok.i))
                continue
            exp = _expression(tok)
            pronoun = _kinds(tok) is not None and "Yes" not in tok.morph.get("Poss")
            if (
                exp is not None
                and sent is doc
                and _kinds(tok) is not None
                and _named_before(tok, doc)
            ):
                continue  # "Marvonen spent her final years in Porvoo, where she died"
            if exp is not None and sent is doc and pronoun:
                exp = exp[0], _not_named_in(exp[1], doc)
            got = sal.best(exp[1]) if exp is not None else None
            if got is not None:
                # a resolved expression is a mention of what it stands for, a common noun too:
                # "the Russian government ... It pursued ties with Israel ... it did not label"
                # keeps "it" on the government, not on the newer name
                noun = _definite_noun(tok) if got[1] not in (NOUN_SING, NOUN_PLUR) else None
                gender = set(tok.morph.get("Gender")) & GENDERS if tok.pos_ == "PRON" else ()
                sal.add(got[0], got[1], decay * _weight(tok), {noun} if noun else None, gender)
                if sent is doc and got[1] not in (NOUN_SING, NOUN_PLUR):  # only names replace
                    out.append(_referent(exp[0], tok, got, "Yes" in tok.morph.get("Poss")))
            elif tok.pos_ == "NOUN" and not tok.ent_type_ and tok.dep_ != "compound":
                if tok.i in describing:
                    continue  # "a city" of "Valmora is a city" is Valmora
                plural = "Plur" in tok.morph.get("Number")
                sal.add(
                    tok.lemma_.lower(), NOUN_PLUR if plural else NOUN_SING, decay * _weight(tok)
                )
    return out


def _not_named_in(fits, doc):
    """``fits``, less the names ``doc`` itself states: a pronoun is not the name its own
    sentence states ("They had sued Norvale" is not Norvale Foods suing itself; binding
    theory's principle C), a possessive apart ("Its chief praised Norvale")."""
    named = {t.lower_ for t in doc if t.pos_ == "PROPN" and len(t.text) > 2}

    def fits_here(form, said, genders) -> int:
        words = set(form[0].lower().replace("-", " ").split())
        return fits(form, said, genders) * (form[1] in (NOUN_SING, NOUN_PLUR) or not words & named)

    return fits_here


def _named_before(tok, doc) -> bool:
    """True when ``doc`` has a name as a subject before the pronoun ``tok``, of a kind it can
    stand for or of none the NER gave: the pronoun most likely takes that name up, and the
    sentence states it already ("*Marvonen* spent her final years in Porvoo, where *she*
    died" is not about another woman; "In four seasons with *Wierdum* he scored" and
    "*Congress* overrode his veto" are no sign)."""
    kinds = _kinds(tok)
    return any(
        t.i < tok.i and t.pos_ == "PROPN" and t.dep_ in SUBJECTS and t.ent_type_ in {"", *kinds}
        for t in doc
    )


def _referent(first, last, name: tuple[str, str], possessive: bool) -> Referent:
    base = first.doc[0].idx
    start, end = first.idx - base, last.idx + len(last.text) - base
    return Referent(start, end, first.doc.text[start:end], name[0], name[1], possessive)


def resolved(text: str, refs: list[Referent]) -> tuple[str, list[tuple[int, int, str]]]:
    """``text`` with each referring expression replaced by its name, and where each name now
    stands (character offsets, label)."""
    out, at, pos, spans = [], 0, 0, []
    for r in sorted(refs, key=lambda r: r.start):
        if r.start < at:
            continue
        name = r.name
        if r.start == 0 and name[:1].islower():
            name = name[:1].upper() + name[1:]
        out.append(text[at : r.start])
        pos += r.start - at
        if r.label != UNNAMED:  # no NER label to give it
            spans.append((pos, pos + len(name), r.label))
        out.append(name + ("'s" if r.possessive else ""))
        pos += len(out[-1])
        at = r.end
    return "".join(out) + text[at:], spans


def resolved_text(text: str, refs: list[Referent]) -> str:
    """``text`` with each referring expression replaced by its name."""
    return resolved(text, refs)[0]


def label_names(doc, spans: list[tuple[int, int, str]]):
    """``doc`` (the parsed resolved text) with the substituted names as entities of the label
    their context gave them (the NER, reading "Amara Okafor plans ..." alone, may call it a
    place). A copy: ``analysis.parse`` hands the same Doc to every caller that parses the
    text."""
    if not spans:
        return doc
    doc = doc.copy()
    new = [doc.char_span(a, b, label=label, alignment_mode="expand") for a, b, label in spans]
    new = [e for e in new if e is not None]
    if not new:
        return doc
    taken = {i for e in new for i in range(e.start, e.end)}
    kept = [e for e in doc.ents if not taken & set(range(e.start, e.end))]
    doc.ents = sorted(kept + new, key=lambda e: e.start)
    return doc
