"""Chat rendering: Hits and Verdicts -> inert HTML for the chat (pure string functions).

Every piece of source text goes through ``esc``: HTML-escaped, markdown and LaTeX syntax turned
into character references and newlines into ``<br>``. The chat renders markdown, so a source
holding ``<script>``, ``<img onerror=...>`` or ``[x](javascript:...)`` must reach the browser as
plain characters; a reply also never holds a blank line, which would end the HTML block and let
the markdown parser read what follows.
"""

from __future__ import annotations

from ..index.chunk import paragraphs
from ..types import Document, Hit

# HTML, markdown, GFM and LaTeX ($$) syntax characters, written as numeric character references
_ESCAPE = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-!|~$:="}
CONTEXT_CHARS = 1500  # at most this much context on each side of the passage

LABEL_TEXT = {
    "SUPPORTED": "Supported by the sources",
    "REFUTED": "Refuted by the sources",
    "NOT_ENOUGH_INFO": "Not enough information in the sources",
    "CONFLICTING": "The sources conflict",
}
STANCE_TEXT = {"supports": "supports", "contradicts": "contradicts", "unrelated": "unrelated"}

CSS = """
.vf-cite {margin-bottom: .9em}
.vf-reply blockquote {margin: .3em 0 .4em 0; padding-left: .8em; border-left: 3px solid #bbb}
.vf-reply mark {background: #fde68a; color: inherit; padding: 0 .1em}
.vf-weak {color: #92400e}
.vf-probs {font-size: .8em; color: #4b5563}
.vf-badge {font-size: .8em; padding: 0 .4em; border-radius: .4em; border: 1px solid currentColor}
.vf-context {font-size: .92em; padding: .4em .6em; background: rgba(127,127,127,.08)}
.vf-passage {text-decoration: underline dotted}
.vf-label {font-size: 1.1em}
.vf-SUPPORTED {color: #166534} .vf-REFUTED {color: #991b1b}
.vf-CONFLICTING {color: #9a3412} .vf-NOT_ENOUGH_INFO {color: #374151}
"""


def esc(text: str) -> str:
    """``text`` as inert HTML that markdown leaves alone; newlines become ``<br>``.

    Example: ``esc("[x](javascript:y)")  # => "&#91;x&#93;&#40;javascript&#58;y&#41;"``
    """
    out = "".join(_ESCAPE.get(c, c) for c in text.replace("\r\n", "\n"))
    return out.replace("\r", "").replace("\n", "<br>")


def _marked(text: str, offset: int, span: tuple[int, int] | None) -> str:
    """``text`` (starting at document ``offset``) escaped, with ``span`` inside ``<mark>``."""
    if not span:
        return esc(text)
    a = min(max(span[0] - offset, 0), len(text))
    b = min(max(span[1] - offset, a), len(text))
    return f"{esc(text[:a])}<mark>{esc(text[a:b])}</mark>{esc(text[b:])}"


def citation_line(hit: Hit, weak: bool = False) -> str:
    """``[n] Title — source, p. 3 · score 0.812 (dense 0.61, bm25 7.2)`` as HTML."""
    p = hit.passage
    where = esc(p.url or p.source)
    if p.page is not None:
        where += f", p. {p.page}"
    parts = [f"{k} {v:.3f}" for k, v in hit.scores.items() if v is not None]
    score = f"score {hit.score:.3f}" + (f" ({', '.join(parts)})" if len(parts) > 1 else "")
    badge = ' <span class="vf-badge vf-weak">weak match</span>' if weak else ""
    return (
        f"<b>[{hit.rank}]</b> <b>{esc(p.title or p.doc_id)}</b> — <code>{where}</code>, "
        f"chars {p.start}–{p.end} · {score}{badge}"
    )


def context_span(doc: Document, start: int, end: int) -> tuple[int, int]:
    """Document offsets of the paragraphs around ``[start, end)``: one before, one after."""
    spans = paragraphs(doc.text)
    inside = [i for i, (a, b) in enumerate(spans) if a < end and start < b]
    if not inside:
        return start, end
    first, last = max(inside[0] - 1, 0), min(inside[-1] + 1, len(spans) - 1)
    a = max(min(spans[first][0], start), start - CONTEXT_CHARS)
    b = min(max(spans[last][1], end), end + CONTEXT_CHARS)
    return a, b


def context_html(hit: Hit, doc: Document | None, highlight: tuple[int, int] | None) -> str:
    """The passage inside its surrounding paragraphs; the passage underlined, its best
    sentence marked. Falls back to the passage alone when the document is unavailable."""
    p = hit.passage
    if doc is None or doc.text[p.start : p.end] != p.text:
        return f'<div class="vf-context">{_marked(p.text, p.start, highlight)}</div>'
    a, b = context_span(doc, p.start, p.end)
    before = ("… " if a > 0 else "") + esc(doc.text[a : p.start])
    after = esc(doc.text[p.end : b]) + (" …" if b < len(doc.text) else "")
    inner = _marked(p.text, p.start, highlight)
    return f'<div class="vf-context">{before}<span class="vf-passage">{inner}</span>{after}</div>'


def hit_html(
    hit: Hit,
    doc: Document | None,
    weak: bool = False,
    highlight: tuple[int, int] | None = None,
    stance: str = "",
    probabilities: tuple[float, float, float] | None = None,
) -> str:
    """One citation: the citation line, the verbatim quote with its best sentence marked,
    and a collapsed "context" block showing the surrounding paragraphs. A verdict's evidence
    also shows its stance and the stance model's probabilities for the marked sentence."""
    p = hit.passage
    span = highlight or hit.highlight
    line = citation_line(hit, weak)
    if stance:
        line += f' <span class="vf-badge">{esc(STANCE_TEXT.get(stance, stance))}</span>'
    if probabilities is not None:
        e, c, n = probabilities
        probs = f"entails {e:.2f} · contradicts {c:.2f} · neutral {n:.2f}"
        line += f' <span class="vf-probs">{probs}</span>'
    return (
        f'<div class="vf-cite" data-passage-id="{esc(p.id)}">{line}'
        f"<blockquote>{_marked(p.text, p.start, span)}</blockquote>"
        f'<details class="vf-ctx"><summary>Show [{hit.rank}] in context</summary>'
        f"{context_html(hit, doc, span)}</details></div>"
    )


def answer_html(query: str, hits: list[Hit], weak: list[bool], docs: dict[str, Document]) -> str:
    """The reply to a question: a one-line summary, then every hit as a citation.

    When the best hit is weak, the reply says plainly that nothing matches well and lists the
    closest passages marked weak instead of presenting them as answers.
    """
    if not hits:
        head = f"No passage matches <q>{esc(query)}</q>."
    elif weak and weak[0]:
        head = (
            '<b class="vf-weak">No passage is a good match for this question.</b> '
            "The closest passages follow, marked weak: they probably do not answer it."
        )
    else:
        n = len(hits)
        head = f"{n} passage{'s' if n != 1 else ''} from the sources for <q>{esc(query)}</q>:"
    body = "".join(
        hit_html(h, docs.get(h.passage.doc_id), weak=bool(weak and weak[i]))
        for i, h in enumerate(hits)
    )
    return f'<div class="vf-reply"><p>{head}</p>{body}</div>'


def verdict_html(verdict, docs: dict[str, Document], weak: list[bool] | None = None) -> str:
    """The verdict view of a claim: label, confidence, reasons, then the cited evidence
    (``weak[i]`` marks evidence ``i`` as a weak match)."""
    label = str(verdict.label)
    lines = [
        f'<p class="vf-label vf-{esc(label)}"><b>{esc(LABEL_TEXT.get(label, label))}</b> '
        f"· {esc(label)} · confidence {float(verdict.confidence):.2f}</p>",
        f"<p>Claim: <q>{esc(verdict.claim)}</q></p>",
    ]
    reasons = [_reason_html(r) for r in verdict.reasons]
    if reasons:
        lines.append(f"<ul>{''.join(reasons)}</ul>")
    if not verdict.evidence:
        lines.append("<p>No passage in the sources bears on this claim.</p>")
    for i, ev in enumerate(verdict.evidence):
        doc = docs.get(ev.hit.passage.doc_id)
        is_weak = bool(weak and weak[i])
        probs = getattr(ev, "probabilities", None)
        lines.append(hit_html(ev.hit, doc, is_weak, ev.sentence, ev.stance, probs))
    return f'<div class="vf-reply">{"".join(lines)}</div>'


def _reason_html(r) -> str:
    """One reason, quoting both sides where it has both (the claim's and the source's words)."""
    cite = f" [{r.hit}]" if r.hit is not None else ""
    if r.claim_span and r.source_span:
        body = f"claim <q>{esc(r.claim_span)}</q> vs source <q>{esc(r.source_span)}</q>"
    elif r.claim_span:
        body = f"<q>{esc(r.claim_span)}</q>"
    elif r.source_span:
        body = f"source says <q>{esc(r.source_span)}</q>"
    else:
        body = ""
    return f"<li>{esc(r.kind)}{': ' + body if body else ''}{cite}</li>"


def error_html(message: str) -> str:
    return f'<div class="vf-reply"><p><b>Error:</b> {esc(message)}</p></div>'


def info_markdown(path: str, manifest: dict) -> str:
    """Which index and model are loaded, and how many documents and passages it holds."""
    return (
        f"**Index** <code>{esc(path)}</code> · "
        f"**model** <code>{esc(str(manifest.get('model', '?')))}</code> · "
        f"**{manifest.get('document_count', 0)}** documents · "
        f"**{manifest.get('passage_count', 0)}** passages"
    )
