"""Claim analysis for the verify stage: text -> dates, quantities and named entities (rules only).

Everything here is deterministic and offline: regular expressions, a Snowball stemmer and small
word lists. Named entities are capitalised spans (no statistical model); their type is judged
later, in verdict.py, by embedding similarity, so no gazetteer is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"\w+(?:[-'’.,/]\w+)*")
_WORD = re.compile(r"[a-z0-9]+")

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES.split())}
MONTHS.update({m[:3]: n for m, n in MONTHS.items()} | {"sept": 9})
_FULL_MONTH = "|".join(m.title() for m in _MONTH_NAMES.split())
_MONTH = rf"(?:{_FULL_MONTH}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_DATE_PATTERNS = [  # most specific first; a later pattern never re-reads consumed characters
    re.compile(rf"\b(?P<d>{_DAY})\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})\b"),
    re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b"),
    re.compile(rf"\b(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})\b"),
    re.compile(rf"\b(?P<d>{_DAY})\s+(?P<m>{_MONTH})(?!\w)"),
    re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>{_DAY})\b(?![.,]?\d)"),
    re.compile(rf"(?<![\w$.,])(?P<dec>{_YEAR})s\b"),
    re.compile(rf"(?<![\w$.,])(?P<y>{_YEAR})\b(?![.,]?\d|\s*%|\s*percent)"),
    re.compile(rf"\b(?P<m>{_FULL_MONTH.replace('May|', '')})\b"),  # "may" is mostly a verb
]

_COUNTS = "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
NUMBER_WORDS = {w: i + 2 for i, w in enumerate(_COUNTS.split())}
NUMBER_WORDS |= dict(sixteen=16, seventeen=17, eighteen=18, nineteen=19, twenty=20, thirty=30)
NUMBER_WORDS |= dict(forty=40, fifty=50, sixty=60, seventy=70, eighty=80, ninety=90, dozen=12)
SCALES = {"hundred": 100, "thousand": 1_000, "million": 10**6, "billion": 10**9}
VAGUE = {"several", "few", "many", "dozens", "hundreds", "thousands", "millions", "billions"}
TIME_UNITS = {"second", "minut", "hour", "day", "week", "month", "year", "decad", "centuri"}

_NOT_ENTITY = set(  # capitalised sentence starters that are not names
    "speaking according although however still first second third finally subsequently "
    "recently senior several many most some while since during despite because after "
    "throughout among across within upon amid instead therefore thus yet also even next last "
    "later earlier meanwhile today read see note here there overall together".split()
)
# Endings of English words that are rarely names; used for capitalised sentence starters only.
_COMMON_SUFFIXES = tuple(
    "ing ly tion sion ment ness ity ed ive ous ful ic ar ss ise ize ism ce cy ent ant ary ory "
    "ible able".split()
)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    import bm25s.stopwords

    return frozenset(bm25s.stopwords.STOPWORDS_EN_PLUS)


def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower())


def content_stems(text: str) -> list[str]:
    """Stemmed, stopword-free words, e.g. ``content_stems("Hamas opposed Assad")``."""
    stop = _stopwords()
    return [stem(w) for w in _WORD.findall(text.lower().replace("’", "'")) if w not in stop]


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def stem(self) -> str:
        return stem(self.text)


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


# ---- dates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    decade: int | None = None


def find_dates(text: str) -> list[DateMention]:
    """Dates and years in ``text``: "03 March 2006", "October 26, 2023", "2010", "1970s"."""
    taken = [False] * len(text)
    out = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            g = m.groupdict()
            day = int(re.sub(r"\D", "", g["d"])) if g.get("d") else None
            if day is not None and not 1 <= day <= 31:
                continue
            month = MONTHS[g["m"].lower().rstrip(".")] if g.get("m") else None
            out.append(
                DateMention(
                    m.group(),
                    m.start(),
                    m.end(),
                    year=int(g["y"]) if g.get("y") else None,
                    month=month,
                    day=day,
                    decade=int(g["dec"]) if g.get("dec") else None,
                )
            )
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    return sorted(out, key=lambda d: d.start)


def dates_agree(a: DateMention, b: DateMention) -> bool | None:
    """True/False when the two dates can be compared, None when they share no field."""
    if a.decade is not None or b.decade is not None:
        if a.decade is not None and b.decade is not None:
            return a.decade == b.decade
        year, decade = (b.year, a.decade) if a.decade is not None else (a.year, b.decade)
        return True if year is not None and decade <= year < decade + 10 else None
    compared = False
    for x, y in ((a.year, b.year), (a.month, b.month), (a.day, b.day)):
        if x is not None and y is not None:
            if x != y:
                return False
            compared = True
    return True if compared else None


# ---- quantities ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    text: str
    start: int
    end: int
    value: float | None  # None for a vague amount ("several hundred")
    scale: int  # 1, 100, 1000, ...
    unit: str  # stem of the word after it, or "%"


def _number(word: str) -> float | None:
    w = word.lower().replace(",", "")
    if w in NUMBER_WORDS:
        return float(NUMBER_WORDS[w])
    try:
        return float(w)
    except ValueError:
        return None


def find_quantities(text: str, skip: list[tuple[int, int]] = ()) -> list[Quantity]:
    """Amounts other than dates: "two reasons", "several hundred", "3.5%", "two months"."""
    toks = [t for t in tokens(text) if not any(a < t.end and t.start < b for a, b in skip)]
    out, i = [], 0
    while i < len(toks):
        word = toks[i].text.lower()
        value = _number(toks[i].text)
        vague = word in VAGUE or (word == "a" and i + 1 < len(toks) and toks[i + 1].text == "few")
        if value is None and not vague:
            i += 1
            continue
        j = i + 1 if word != "a" else i + 2
        scale = SCALES.get(word.rstrip("s"), 1)
        while j < len(toks) and toks[j].text.lower().rstrip("s") in SCALES:
            scale *= SCALES[toks[j].text.lower().rstrip("s")]
            j += 1
        if vague and scale == 1 and word not in {"hundreds", "thousands", "millions", "billions"}:
            i = j  # "several" alone is no amount
            continue
        end = toks[j - 1].end
        rest = text[end : end + 9].lstrip().lower()
        unit = "%" if rest.startswith(("%", "percent")) else (toks[j].stem if j < len(toks) else "")
        out.append(
            Quantity(
                text[toks[i].start : end], toks[i].start, end, None if vague else value, scale, unit
            )
        )
        i = j
    return out


def quantities_agree(a: Quantity, b: Quantity) -> bool:
    if a.value is None or b.value is None:  # vague: compare orders of magnitude only
        x = a.value * a.scale if a.value is not None else None
        y = b.value * b.scale if b.value is not None else None
        if x is None and y is None:
            return a.scale == b.scale
        exact, scale = (x, b.scale) if x is not None else (y, a.scale)
        return scale <= exact < 10 * scale
    if a.value * a.scale != b.value * b.scale:
        return False
    return not (a.unit in TIME_UNITS and b.unit in TIME_UNITS and a.unit != b.unit)


# ---- entities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return self.text.lower()

    @property
    def words(self) -> list[str]:
        return self.key.split()


def _is_cap(tok: str) -> bool:
    return len(tok) > 1 and any(c.isupper() for c in tok) and not tok.isdigit()


def _name_part(token: str) -> str:
    """The capitalised part of a token: "Russia's" -> "Russia", "then-Hamas" -> "Hamas",
    "HIV-positive" -> "HIV" (lower-case hyphen segments are not part of a name)."""
    token = re.sub(r"['’]s?$", "", token)
    parts = token.split("-")
    if len(parts) > 1 and any(any(c.isupper() for c in p) for p in parts):
        parts = [p for p in parts if any(c.isupper() for c in p)]
        # keep a contiguous run: "Six-Day" stays whole, "al-Assad" becomes "Assad"
        token = "-".join(parts) if "-".join(parts) in token else parts[-1]
    return token


def _common_starter(word: str) -> bool:
    """A capitalised sentence-initial word that is most likely not a name."""
    w = word.lower()
    return w in _stopwords() or w in _NOT_ENTITY or w.endswith(_COMMON_SUFFIXES)


def find_entities(text: str, dates: list[DateMention] = ()) -> list[Entity]:
    """Capitalised spans (people, places, organisations), minus dates and sentence starters."""
    toks = tokens(text)
    spans, run = [], []
    for i, t in enumerate(toks):
        word = _name_part(t.text)
        gap = text[toks[i - 1].end : t.start] if i else ""
        if run and not re.fullmatch(r" ?", gap):
            spans.append(run)  # a name never spans punctuation or a line break
            run = []
        starts_sentence = i == 0 or re.search(r"[.!?:\"\n]\s*$", gap)
        ok = (
            _is_cap(word)
            and word.lower() not in MONTHS
            and not any(d.start <= t.start < d.end for d in dates)
        )
        if ok and starts_sentence and _common_starter(word):
            ok = False
        if ok:
            a = t.start + t.text.find(word)
            run.append((a, a + len(word)))
            if re.search(r"['’]s?$", t.text):  # "Russia's Lavrov" names two things
                spans.append(run)
                run = []
        elif run and word.lower() == "of" and i + 1 < len(toks) and _is_cap(toks[i + 1].text):
            continue  # "Bank of England"
        else:
            spans.append(run)
            run = []
    spans.append(run)
    out = []
    for run in spans:
        if run:
            a, b = run[0][0], run[-1][1]
            out.append(Entity(text[a:b], a, b))
    return out


def _word_match(a: str, b: str) -> bool:
    """Same word, or one a short derivation of the other ("Syria"/"Syrian", "Israel"/"Israeli")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 2


def entity_in(entity: Entity, text: str) -> bool:
    """Whether ``text`` names ``entity``: the whole name, its last word, or its acronym."""
    low = text.lower().replace("’", "'")
    if re.search(rf"(?<!\w){re.escape(entity.key)}(?!\w)", low):
        return True
    words = [w for w in _WORD.findall(low)]
    last = re.sub(r"\W", "", entity.words[-1])
    if len(last) >= 3 and any(_word_match(last, w) for w in words):
        return True
    initials = "".join(w[0] for w in entity.words if w not in {"of", "the"})
    return len(initials) >= 2 and initials in words
