"""Human-readable text for hits (pure string formatting; the CLI prints it)."""

from __future__ import annotations

import textwrap

from ..types import Hit

MARK_OPEN, MARK_CLOSE = "**", "**"


def citation(hit: Hit) -> str:
    """``[n] title (source, p. 3, chars start-end)``: leads to the exact characters quoted."""
    p = hit.passage
    where = [p.url or p.source]
    if p.page is not None:
        where.append(f"p. {p.page}")
    where.append(f"chars {p.start}-{p.end}")
    return f"[{hit.rank}] {p.title or p.doc_id} ({', '.join(where)})"


def marked_quote(hit: Hit) -> str:
    """The verbatim passage with its best-matching sentence between ``**`` marks."""
    p = hit.passage
    if not hit.highlight:
        return p.text
    a, b = hit.highlight[0] - p.start, hit.highlight[1] - p.start
    return f"{p.text[:a]}{MARK_OPEN}{p.text[a:b]}{MARK_CLOSE}{p.text[b:]}"


def score_line(hit: Hit) -> str:
    parts = [f"{k} {v:.3f}" for k, v in hit.scores.items() if v is not None]
    return f"score {hit.score:.3f}" + (f" ({', '.join(parts)})" if len(parts) > 1 else "")


def format_hits(
    query: str, hits: list[Hit], width: int = 100, weak: list[bool] | None = None
) -> str:
    """The default output of ``verifact ask``: each hit as citation, score and quote.

    ``weak[i]`` marks hit ``i`` as a weak match; when the best hit is weak the output says
    first that no passage is a good match.
    """
    weak = weak or [False] * len(hits)
    lines = [f"Q: {query}"]
    if not hits:
        lines.append("  No passage matches this query.")
    elif weak[0]:
        lines.append(
            "  No passage is a good match for this question; the closest ones follow, marked "
            "weak: they probably do not answer it."
        )
    for hit, is_weak in zip(hits, weak, strict=True):
        lines.append(citation(hit) + (" (weak match)" if is_weak else ""))
        lines.append(f"    {score_line(hit)}")
        quote = " ".join(marked_quote(hit).split())
        lines.extend(
            textwrap.wrap(quote, width=width, initial_indent="    ", subsequent_indent="    ")
        )
    return "\n".join(lines)
