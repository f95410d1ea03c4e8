"""Chunk stage: Document -> sentence-aware, paragraph-aligned Passages (pure functions)."""

from __future__ import annotations

import re

from ..types import Document, Passage

_WORD = re.compile(r"\S+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


# A candidate sentence end: a token ending in . ! ? or … (closing quotes or brackets may follow),
# the whitespace after it, and the next token (looked at, not consumed).
_CANDIDATE = re.compile(r"""(?<!\S)(\S*?[.!?…]+["'’”)\]]*)\s+(?=(\S+))""")
_CLOSERS = "\"'’”)]"
# after these a period never ends a sentence ("Dr. Smith", "Fig. 2", "vs. placebo")
_TITLES = frozenset(
    "Mr Mrs Ms Dr Drs Prof Sr Jr St Mt Gen Col Lt Sgt Capt Gov Sen Rep Rev vs cf Fig fig Figs "
    "figs Eq Eqs eq Ref Refs ref refs Vol vol No Nos no pp".split()
)
# after these, and after dotted forms (e.g. i.e. U.S. R.P.), only before a sentence opener
_ABBREVIATIONS = frozenset(
    "ca viz approx resp Ch Sec sec Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Inc Ltd Co "
    "Corp Proc Natl Acad Sci Biol Chem Physiol Mol Med Res Soc Am J var ssp spp syn al mg Eds eds "
    "Ed ed Univ Dept Assoc Bros".split()
)
# words that open a sentence: they end one after a single capital ("in hosts. S. Typhimurium"
# stays together as an initial, "vitamin D. This" splits) or an abbreviation ("et al. The")
_OPENERS = frozenset(
    "The This These Those That Thus There Therefore However In We Our It Its A An As At For "
    "Further Furthermore Among Here Moreover Also Although After Both By Since To When While "
    "With Of On Using Finally Together Taken Such They He She His Her Their Then If No Not Only "
    "All Each".split()
)
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_LIST_ITEM = re.compile(r"\(?\d{1,2}[.)]")  # "2. Uptake", "(3) P0", "4) Apart": numbered points
_NEXT_WORD = re.compile(r"[\"'“‘(]*([\w-]+)")


def _sentence_ends(segment: str) -> list[int]:
    """Offsets in ``segment`` just past each sentence-ending token but the last.

    Rules in the spirit of blingfire's breaker, which this replaced (its wheel is 99 MB of
    tokenizer models around a 1.5 MB library): a sentence ends at . ! ? or … before a capital,
    an opening quote or bracket before a capital, a dash, or a numbered point; never inside dot
    leaders, after a title, a URL or an initial; after an abbreviation only before an opener.
    On SciFact's 5,183 abstracts it breaks like blingfire in 97.7% of them (README).
    """
    ends = []
    for m in _CANDIDATE.finditer(segment):
        token, nxt = m.group(1), m.group(2)
        c = nxt[0]
        if not (c.isupper() or c in "—–#*•" or _LIST_ITEM.fullmatch(nxt)):
            if not (c in "\"'“‘([" and len(nxt) > 1 and nxt[1].isupper()):
                continue
        body = token.rstrip(_CLOSERS)
        mark = body[len(body.rstrip(".!?…")) :]
        body = body[: len(body) - len(mark)].lstrip("([\"'‘“")
        if mark.startswith(".") and "!" not in mark and "?" not in mark:
            word = _NEXT_WORD.match(nxt)
            opener = bool(word) and word.group(1) in _OPENERS
            before = segment[: m.start(1)].rstrip()
            if not body:  # " . " ends a sentence, dot leaders (". . . .", "....") do not
                if len(mark) > 1 or before.endswith("."):
                    continue
            elif body in _TITLES:
                continue
            elif (
                body in _ABBREVIATIONS
                or _DOTTED.fullmatch(body)
                or "://" in body
                or body.startswith("www.")
            ):
                if not opener and (body != "al" or before.endswith("et")):
                    continue
            elif len(body) == 1 and body.isupper() and not opener:
                continue
        ends.append(m.end(1))
    return ends


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` as absolute (start, end) offsets, whitespace trimmed.

    Rule-based (``_sentence_ends``): pure Python, about 5x faster than blingfire was here.

    Example: ``split_sentences("A cat. A dog.")  # => [(0, 6), (7, 13)]``
    """
    end = len(text) if end is None else end
    segment = text[start:end]
    if not segment.strip():
        return []
    spans, prev = [], 0
    for b in [*_sentence_ends(segment), len(segment)]:
        a, b2 = _trim(segment, prev, b)
        if b2 > a:
            spans.append((start + a, start + b2))
        prev = b
    return spans


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blocks between blank lines, or lines when the text has no blank lines."""
    splitter = _BLANK_LINES if _BLANK_LINES.search(text) else re.compile(r"\n")
    spans, pos = [], 0
    for match in splitter.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    out = []
    for a, b in spans:
        a, b = _trim(text, a, b)
        if b > a:
            out.append((a, b))
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, never crossing a paragraph (or line, see ``paragraphs``)."""
    return [span for pa, pb in paragraphs(text) for span in split_sentences(text, pa, pb)]


def _word_windows(text: str, a: int, b: int, max_words: int) -> list[tuple[int, int]]:
    """Split one over-long sentence into windows of at most ``max_words`` words."""
    words = [(a + m.start(), a + m.end()) for m in _WORD.finditer(text[a:b])]
    return [
        (words[i][0], words[min(i + max_words, len(words)) - 1][1])
        for i in range(0, len(words), max_words)
    ]


def _units(doc_text: str, max_words: int) -> list[tuple[int, int, int, int]]:
    """(start, end, words, paragraph number) for every sentence, long ones pre-split."""
    units = []
    for p, (pa, pb) in enumerate(paragraphs(doc_text)):
        for sa, sb in split_sentences(doc_text, pa, pb):
            n = len(_WORD.findall(doc_text[sa:sb]))
            if n > max_words:
                for wa, wb in _word_windows(doc_text, sa, sb, max_words):
                    units.append((wa, wb, len(_WORD.findall(doc_text[wa:wb])), p))
            else:
                units.append((sa, sb, n, p))
    return units


def chunk_spans(
    text: str, max_words: int = 100, min_words: int = 30, overlap_sentences: int = 1
) -> list[tuple[int, int]]:
    """Character spans of passages: whole sentences packed up to ``max_words`` words.

    A passage ends at a paragraph break once it holds ``min_words`` words; a paragraph cut
    mid-way because of ``max_words`` repeats its last ``overlap_sentences`` sentences in the
    next passage, so no sentence loses its context.
    """
    if max_words < 1 or min_words < 0 or overlap_sentences < 0:
        raise ValueError("max_words must be >= 1, min_words and overlap_sentences >= 0")
    units = _units(text, max_words)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        j, words = i, 0
        while j < len(units):
            if j > i and words + units[j][2] > max_words:
                break
            if j > i and units[j][3] != units[j - 1][3] and words >= min_words:
                break
            words += units[j][2]
            j += 1
        spans.append((units[i][0], units[j - 1][1]))
        if j >= len(units):
            break
        cut_mid_paragraph = units[j][3] == units[j - 1][3]
        overlap = min(overlap_sentences, j - i - 1) if cut_mid_paragraph else 0
        i = j - overlap
    return spans


def chunk_document(
    doc: Document, max_words: int = 100, min_words: int = 30, overlap_sentences: int = 1
) -> list[Passage]:
    """Split a Document into Passages with ids ``<doc_id>#<n:04d>`` (stable for the same text).

    Every passage satisfies ``doc.text[p.start:p.end] == p.text``.
    """
    return [
        Passage(
            id=f"{doc.doc_id}#{n:04d}",
            doc_id=doc.doc_id,
            text=doc.text[a:b],
            source=doc.source,
            start=a,
            end=b,
            title=doc.title,
            page=doc.page_at(a),
            date=doc.date,
            url=doc.url,
        )
        for n, (a, b) in enumerate(chunk_spans(doc.text, max_words, min_words, overlap_sentences))
    ]
