"""Core value types that cross module boundaries: Document, Passage, Hit."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Document:
    """One source document as ingested.

    ``pages`` holds the character offset at which each page starts (PDFs only), so a
    passage's page is recoverable from its ``start``.
    """

    doc_id: str
    text: str
    source: str  # path or URL, used for citations
    title: str = ""
    date: str = ""
    url: str = ""
    pages: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """1-based page holding character ``offset``, or None when the document has no pages."""
        if not self.pages:
            return None
        page = 1
        for i, start in enumerate(self.pages):
            if start <= offset:
                page = i + 1
            else:
                break
        return page


@dataclass(frozen=True)
class Passage:
    """A span of a document: ``document.text[start:end] == text`` always holds."""

    id: str  # "<doc_id>#<n>", e.g. "report.pdf#0007"
    doc_id: str
    text: str
    source: str
    start: int
    end: int
    title: str = ""
    page: int | None = None
    date: str = ""
    url: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Passage:
        return cls(**d)


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its scores and the best-matching sentence (document offsets)."""

    passage: Passage
    score: float  # higher = better; equals scores["fused"] in hybrid mode
    rank: int  # 1-based
    scores: dict[str, float | None] = field(default_factory=dict)  # dense / bm25 / fused
    highlight: tuple[int, int] | None = None  # best sentence, document offsets

    def to_dict(self) -> dict:
        """The JSON contract of ``verifact ask --json``, one entry of ``hits``."""
        p = self.passage
        hs, he = self.highlight if self.highlight else (p.start, p.end)
        return {
            "rank": self.rank,
            "score": round(float(self.score), 6),
            "scores": {
                key: (None if self.scores.get(key) is None else round(float(self.scores[key]), 6))
                for key in ("dense", "bm25", "fused")
            },
            "passage_id": p.id,
            "doc_id": p.doc_id,
            "title": p.title,
            "source": p.source,
            "url": p.url,
            "page": p.page,
            "start": p.start,
            "end": p.end,
            "text": p.text,
            "highlight": {"start": hs, "end": he},
        }

    @property
    def highlight_text(self) -> str:
        """The best-matching sentence itself."""
        p = self.passage
        if not self.highlight:
            return p.text
        hs, he = self.highlight
        return p.text[hs - p.start : he - p.start]
