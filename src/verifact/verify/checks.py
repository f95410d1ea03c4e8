"""Verify-stage checks: (claim, evidence sentence, passage) -> raw Findings (rules only).

A Finding records a difference (date, number, name, negation, antonym) or a claim item the
passage never states; verdict.py applies the fitted thresholds to decide which ones count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .claims import (
    TIME_UNITS,
    Token,
    content_stems,
    dates_agree,
    entity_in,
    find_dates,
    find_entities,
    find_quantities,
    quantities_agree,
    stem,
    tokens,
)

NEGATIONS = set(
    "not no never without neither nor none cannot nothing nobody lack lacks lacked lacking "
    "absence absent unable fail fails failed failure".split()
)
_NEG_SCOPE_END = {"until", "till"}  # "no X until T" dates the onset of X, it does not deny it
ANTONYMS = [
    tuple(p.split("/"))
    for p in (
        "increas/decreas increas/reduc increas/lower increas/declin rais/lower higher/lower "
        "more/less more/fewer greater/smaller greater/lower support/oppos accept/reject "
        "approv/reject win/lose won/lost allow/ban allow/prohibit open/close rise/fall gain/loss "
        "posit/negat benefit/harm improv/worsen promot/inhibit promot/suppress activ/inhibit "
        "activ/suppress induc/inhibit induc/prevent stimul/inhibit enhanc/impair enhanc/reduc "
        "upregul/downregul agonist/antagonist presenc/absenc present/absent befor/after "
        "maximum/minimum strong/weak larg/small high/low long/short earli/late alli/enemi "
        "friend/enemi legal/illeg same/differ includ/exclud success/failur safe/danger "
        "common/rare frequent/rare sensit/resist elev/reduc acceler/slow major/minor"
    ).split()
]
_ANTONYM: dict[str, set[str]] = {}
for _a, _b in ANTONYMS:
    _ANTONYM.setdefault(_a, set()).add(_b)
    _ANTONYM.setdefault(_b, set()).add(_a)

# ---- negation, antonyms and alignment -------------------------------------------------------


def negations(text: str, other: str) -> list[tuple[int, int]]:
    """Spans of negation cues in ``text``; "un-X" counts when ``other`` uses X itself.

    A cue followed by "until"/"till" in the same clause is skipped ("no relations until 1991").
    """
    other_stems = set(content_stems(other))
    toks = tokens(text)
    out = []
    for t in toks:
        w = t.text.lower().replace("’", "'")
        cue = w in NEGATIONS or w.endswith("n't")
        if not cue and w.startswith("un") and len(w) > 5:
            cue = stem(w[2:]) in other_stems and stem(w) not in other_stems
        if not cue:
            continue
        rest = re.split(r"[;.!?](?:\s|$)", text[t.end :], maxsplit=1)[0].lower().split()
        if _NEG_SCOPE_END & set(rest):
            continue
        out.append((t.start, t.end))
    return out


def phrase_around(text: str, start: int, end: int, before: int = 1, after: int = 6) -> str:
    """The words around ``text[start:end]``, cut at clause punctuation."""
    left = re.split(r"[,;:()\"]", text[:start])[-1].split()[-before:] if before else []
    right = re.split(r"[,;:()\"]|\.(?:\s|$)", text[end:])[0].split()[:after]
    return " ".join([*left, text[start:end], *right]).strip()


def context(toks: list[Token], start: int, end: int, width: int = 2) -> tuple[set, set]:
    """Stems of the ``width`` words left and right of a span (the span itself excluded)."""
    left = [t.stem for t in toks if t.end <= start][-width:]
    right = [t.stem for t in toks if t.start >= end][:width]
    return set(left), set(right)


def shared_context(a: tuple[set, set], b: tuple[set, set]) -> int:
    """Words shared on the same side of two spans: how well two mentions align."""
    return len(a[0] & b[0]) + len(a[1] & b[1])


def antonym_pairs(claim: str, source: str) -> list[tuple[Token, Token, int]]:
    """(claim word, source word, shared context) for each antonym pair across the texts."""
    ct, st = tokens(claim), tokens(source)
    claim_stems = {t.stem for t in ct}
    out = []
    for a in ct:
        for b in st:
            if b.stem in _ANTONYM.get(a.stem, ()) and b.stem not in claim_stems:
                ctx = shared_context(context(ct, a.start, a.end), context(st, b.start, b.end))
                out.append((a, b, ctx))
    return out


@dataclass(frozen=True)
class Finding:
    """A raw check result between a claim and an evidence sentence (thresholds come later).

    ``context`` counts the words the two spans share around them (or, for a negation, the
    content words its clause shares with the other text): how sure we are they speak of the same
    thing. ``alternatives`` lists, for an "entity not found", the sentence's unmatched names with
    their shared context; verdict.py turns the best of them into an "entity mismatch".
    """

    kind: str
    claim_span: str
    source_span: str
    context: int = 0
    alternatives: tuple[tuple[str, int], ...] = ()


def coverage(claim: str, sentence: str) -> float:
    """Share of the claim's content words (stemmed, numbers excluded) found in ``sentence``."""
    want = {w for w in content_stems(claim) if not w.isdigit()}
    if not want:
        return 0.0
    return len(want & set(content_stems(sentence))) / len(want)


def _clause(text: str, start: int, end: int) -> str:
    bounds = [0, *[m.end() for m in _CLAUSE.finditer(text)], len(text)]
    a = max(b for b in bounds if b <= start)
    z = min(b for b in bounds if b >= end)
    return text[a:z]


_CLAUSE = re.compile(r"[,;:()]|\b(?:but|although|though|whereas|while)\b", re.IGNORECASE)


def compare(claim: str, sentence: str, passage: str) -> list[Finding]:
    """Every date, number, name, negation and antonym difference between claim and sentence.

    ``passage`` (the sentence's whole passage, title included) decides what counts as found:
    a claim's date that the passage states anywhere is not a mismatch.
    """
    ct, st = tokens(claim), tokens(sentence)
    out = []
    c_dates, s_dates, p_dates = find_dates(claim), find_dates(sentence), find_dates(passage)
    for d in c_dates:
        if any(dates_agree(d, x) for x in p_dates):
            continue
        rivals = [x for x in s_dates if dates_agree(d, x) is False]
        if not rivals:
            out.append(Finding("date not found", d.text, ""))
            continue
        ctx = [
            shared_context(context(ct, d.start, d.end), context(st, x.start, x.end)) for x in rivals
        ]
        same = [
            (x.year is None) == (d.year is None) and (x.month is None) == (d.month is None)
            for x in rivals
        ]
        best = max(range(len(rivals)), key=lambda i: (same[i], ctx[i], -i))
        out.append(Finding("date mismatch", d.text, rivals[best].text, ctx[best]))
    out += _compare_quantities(claim, sentence, passage, c_dates, s_dates, p_dates, ct, st)
    out += _compare_entities(claim, sentence, passage, c_dates, s_dates, ct, st)
    out += _compare_negation(claim, sentence)
    for a, b, ctx in antonym_pairs(claim, sentence):
        out.append(
            Finding(
                "antonym",
                phrase_around(claim, a.start, a.end, 1, 3),
                phrase_around(sentence, b.start, b.end, 1, 3),
                ctx,
            )
        )
    return out


def _spans(dates) -> list[tuple[int, int]]:
    return [(d.start, d.end) for d in dates]


def _compare_quantities(claim, sentence, passage, c_dates, s_dates, p_dates, ct, st):
    out = []
    in_passage = find_quantities(passage, _spans(p_dates))
    in_sentence = find_quantities(sentence, _spans(s_dates))
    for q in find_quantities(claim, _spans(c_dates)):
        if any(quantities_agree(q, x) for x in in_passage):
            continue
        rivals = [x for x in in_sentence if not quantities_agree(q, x)]
        if not rivals:
            out.append(Finding("number not found", q.text, ""))
            continue
        ctx = [
            shared_context(context(ct, q.start, q.end), context(st, x.start, x.end))
            + (x.unit == q.unit)
            for x in rivals
        ]
        best = max(range(len(rivals)), key=lambda i: (ctx[i], -i))
        x = rivals[best]
        source = x.text if x.unit != q.unit or not x.unit else f"{x.text} {x.unit}"
        claim_span = q.text if x.unit != q.unit or not q.unit else f"{q.text} {q.unit}"
        if x.unit in TIME_UNITS and x.value == q.value:  # "two years" vs "two months"
            claim_span = phrase_around(claim, q.start, q.end, 0, 1)
            source = phrase_around(sentence, x.start, x.end, 0, 1)
        out.append(Finding("number mismatch", claim_span, source, ctx[best]))
    return out


def _compare_entities(claim, sentence, passage, c_dates, s_dates, ct, st):
    out = []
    rivals = [e for e in find_entities(sentence, s_dates) if not entity_in(e, claim)]
    for e in find_entities(claim, c_dates):
        if entity_in(e, passage):
            continue
        alts = []
        for x in rivals:
            ctx = shared_context(context(ct, e.start, e.end), context(st, x.start, x.end))
            alts.append((x.text, ctx))
        out.append(Finding("entity not found", e.text, "", 0, tuple(alts)))
    return out


def _compare_negation(claim: str, sentence: str) -> list[Finding]:
    c_neg, s_neg = negations(claim, sentence), negations(sentence, claim)
    if bool(c_neg) == bool(s_neg):
        return []
    text, other, (a, b) = (sentence, claim, s_neg[0]) if s_neg else (claim, sentence, c_neg[0])
    ctx = len(set(content_stems(_clause(text, a, b))) & set(content_stems(other)))
    span = phrase_around(text, a, b, 1, 6)
    if s_neg:
        return [Finding("negation", "", span, ctx)]
    return [Finding("negation", span, "", ctx)]
