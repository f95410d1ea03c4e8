"""Verify stage: claims -> Verdicts with cited, stance-labelled Hits (retrieval only).

A verdict is drawn only from retrieved sentences: each hit's best sentence is compared with the
claim by deterministic checks (checks.py: dates, numbers, names, negation, antonyms) and by
sentence similarity; thresholds come from ``verify_params.json``, fitted by ``fit.py`` (run by
eval/fit_verify.py) on training claims only (SciFact train and the seed set's train split).
"""

from __future__ import annotations

import json
import math
import textwrap
from dataclasses import dataclass, replace
from importlib import resources
from typing import Literal

from ..types import Hit
from .checks import Finding
from .evidence import Analysis, Candidate, analyse_claims, strip_common

Label = Literal["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO", "CONFLICTING"]
LABELS: tuple[Label, ...] = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO", "CONFLICTING")
Stance = Literal["supports", "contradicts", "unrelated"]
MISMATCHES = ("date mismatch", "number mismatch", "entity mismatch", "negation", "antonym")
HARD = ("date mismatch", "number mismatch", "entity mismatch")  # never SUPPORTED past these


PARAMS_FILE = "verify_params.json"  # beside this module; written by fit.save_params


def load_params() -> dict:
    """The fitted parameters shipped in ``verify_params.json``."""
    text = resources.files(__package__).joinpath(PARAMS_FILE).read_text("utf-8")
    return json.loads(text)


PARAMS: dict = load_params()
# Cosine (claim vs passage, or vs the passage's best sentence) under which a hit is weak
# evidence: it never decides a verdict. Fitted on training claims by fit.py.
EVIDENCE_THRESHOLD: float = float(PARAMS["evidence_threshold"])


# Dense cosine (question vs passage) under which the best hit does not answer a question;
# fitted by eval/weak.py on the seed set's answerable and unanswerable questions.
QUESTION_THRESHOLD: float = float(PARAMS["question_threshold"])


def is_weak(hit: Hit, question: bool = False) -> bool:
    """True when ``hit``'s dense cosine to the claim (or question) is below its threshold.

    The fused hybrid score is min-max normalised per query, so only the dense cosine is an
    absolute strength. Verdicts also accept a hit whose best sentence clears the threshold, so
    this passage-level test is the stricter of the two. A bm25-only hit (no dense score) is never
    called weak here.
    """
    dense = hit.scores.get("dense")
    threshold = QUESTION_THRESHOLD if question else EVIDENCE_THRESHOLD
    return dense is not None and float(dense) < threshold


@dataclass(frozen=True)
class Reason:
    """One structured finding, e.g. kind "date mismatch", claim "2008" vs source "2006"."""

    kind: str
    claim_span: str
    source_span: str
    hit: int | None  # rank of the cited hit

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("kind", "claim_span", "source_span", "hit")}


@dataclass(frozen=True)
class Evidence:
    """A cited hit, its stance toward the claim and its evidence sentence (document offsets)."""

    hit: Hit
    stance: Stance
    sentence: tuple[int, int]

    def to_dict(self) -> dict:
        d = replace(self.hit, highlight=self.sentence).to_dict()
        d["stance"] = self.stance
        return d


@dataclass(frozen=True)
class Verdict:
    """A label with confidence in [0, 1], the evidence it rests on, and the findings behind it."""

    claim: str
    label: Label
    confidence: float
    evidence: tuple[Evidence, ...]
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict:
        """The JSON contract of ``verifact check --json``."""
        return {
            "claim": self.claim,
            "verdict": self.label,
            "confidence": round(float(self.confidence), 4),
            "reasons": [r.to_dict() for r in self.reasons],
            "evidence": [e.to_dict() for e in self.evidence],
        }


def verify_claim(index, claim: str, **kw) -> Verdict:
    """Verify one claim; see ``verify_claims``."""
    return verify_claims(index, [claim], **kw)[0]


def verify_claims(
    index,
    claims: list[str],
    k: int = 5,
    mode: str = "hybrid",
    nli_model: str | None = None,
    doc_ids: list[str] | None = None,
) -> list[Verdict]:
    """Label each claim SUPPORTED, REFUTED, NOT_ENOUGH_INFO or CONFLICTING from its top-k hits.

    Args:
        index: a loaded ``verifact.search.Index``.
        claims: non-empty strings.
        k: passages retrieved per claim (>= 1).
        mode: retrieval mode, "hybrid", "dense" or "bm25".
        nli_model: optional local NLI cross-encoder (name or folder) used as one more signal.
        doc_ids: restrict the evidence to these documents.

    Returns:
        One Verdict per claim, in order.

    Raises:
        InputError: an empty claim, k < 1, an unknown mode or NLI model.

    Example: ``verify_claims(idx, ["Putin invited Meshaal to Moscow in 2008."])[0].label``
    ``# => "REFUTED"``
    """
    analyses = analyse_claims(index, claims, k=k, mode=mode, nli_model=nli_model, doc_ids=doc_ids)
    return [decide(a, PARAMS) for a in analyses]


@dataclass(frozen=True)
class _Judged:
    cand: Candidate
    stance: Stance
    counted: tuple[Finding, ...]  # mismatches that make this sentence contradict the claim
    blocking: tuple[Finding, ...]  # what keeps this sentence from supporting the claim

    @property
    def rank(self) -> int:
        return self.cand.hit.rank

    @property
    def sentence_text(self) -> str:
        p, (a, b) = self.cand.hit.passage, self.cand.sentence
        return p.text[a - p.start : b - p.start]


def _entity_finding(f: Finding, a: Analysis, params: dict) -> Finding:
    """Turn an "entity not found" into an "entity mismatch" when a rival name aligns with it."""
    best = None
    for alt, ctx in f.alternatives:
        pair = strip_common(f.claim_span, alt)
        sim = a.entity_similarity.get(pair, 0.0)
        if (best is None or (ctx, sim) > best[:2]) and sim >= params["entity_similarity"]:
            best = (ctx, sim, pair)
    need = params["context_min"].get("entity mismatch")
    if best is None or need is None or best[0] < need:
        return f
    return Finding("entity mismatch", best[2][0], best[2][1], best[0])


def _judge(c: Candidate, a: Analysis, params: dict) -> _Judged:
    """One sentence's stance: contradicts (an aligned mismatch), supports (nothing blocks it and
    it is close enough to the claim) or unrelated."""
    need = params["context_min"]
    findings = [
        _entity_finding(f, a, params) if f.kind == "entity not found" else f for f in c.findings
    ]
    counted = tuple(
        f
        for f in findings
        if f.kind in MISMATCHES and need.get(f.kind) is not None and f.context >= need[f.kind]
    )
    missing = ["date not found", "number not found"]
    if params["missing_entity_blocks"]:
        missing.append("entity not found")
    blocking = tuple(f for f in findings if f in counted or f.kind in HARD or f.kind in missing)
    strong = c.strength >= params["evidence_threshold"]

    def clears(gate: dict) -> bool:
        return strong and c.similarity >= gate["similarity"] and c.coverage >= gate["coverage"]

    stance: Stance = "unrelated"
    if counted and clears(params["contradict"]):
        stance = "contradicts"
    elif not blocking and clears(params["support"]):
        stance = "supports"
    if strong and c.nli is not None:  # an NLI model, when given, overrides the similarity gates
        entail, contra = c.nli
        if contra >= params["nli"]["contradiction"] and contra > entail:
            counted = (*counted, Finding("nli contradiction", "", "", 0))
            stance = "contradicts"
        elif not blocking and entail >= params["nli"]["entailment"]:
            stance = "supports"
    return _Judged(c, stance, counted, blocking)


def _reasons(j: _Judged, findings) -> list[Reason]:
    out = []
    for f in findings:
        source = j.sentence_text if f.kind == "nli contradiction" else f.source_span
        out.append(Reason(f.kind, f.claim_span, source, j.rank))
    return out


def _confidence(label: str, strength: float, params: dict) -> float:
    a, b = params["confidence"].get(label, (0.0, 0.0))
    return 1.0 / (1.0 + math.exp(-(a * strength + b)))


def decide(analysis: Analysis, params: dict | None = None) -> Verdict:
    """Apply the thresholds to an Analysis: stances per sentence, then one label for the claim.

    Near-duplicate hits count once (only the first is cited). CONFLICTING needs a supporting and
    a contradicting sentence from two different documents; otherwise the better-aligned side wins,
    and a claim whose best sentence disagrees on a date, number or name is never SUPPORTED.
    """
    params = PARAMS if params is None else params
    judged = [_judge(c, analysis, params) for c in analysis.candidates if c.duplicate_of is None]
    evidence = tuple(Evidence(j.cand.hit, j.stance, j.cand.sentence) for j in judged)
    strong = [j for j in judged if j.cand.strength >= params["evidence_threshold"]]
    if not strong:
        top = max((j.cand.strength for j in judged), default=0.0)
        reason = Reason("no passage above threshold", "", "", judged[0].rank if judged else None)
        conf = _confidence("NOT_ENOUGH_INFO", top, params)
        return Verdict(analysis.claim, "NOT_ENOUGH_INFO", conf, evidence, (reason,))
    sup = [j for j in strong if j.stance == "supports"]
    con = [j for j in strong if j.stance == "contradicts"]
    best = max(strong, key=lambda j: (j.cand.similarity + j.cand.coverage, -j.rank))
    s_top = max((j.cand.similarity for j in sup), default=0.0)
    c_top = max((j.cand.similarity for j in con), default=0.0)
    reasons: list[Reason] = []
    if (
        sup
        and con
        and params["conflicting"]
        and any(s.cand.hit.passage.doc_id != c.cand.hit.passage.doc_id for s in sup for c in con)
    ):
        label, strength = "CONFLICTING", min(s_top, c_top)
    elif con and (not sup or best in con or c_top >= s_top):
        label, strength, sup = "REFUTED", c_top, []
    elif sup and any(f.kind in HARD for f in best.blocking):
        label, strength, sup = "NOT_ENOUGH_INFO", best.cand.similarity, []
        reasons = _reasons(best, [f for f in best.blocking if f.kind in HARD])
    elif sup:
        label, strength, con = "SUPPORTED", s_top, []
    else:
        label, strength = "NOT_ENOUGH_INFO", best.cand.similarity
        reasons = _reasons(best, best.blocking) or [
            Reason("no sentence states the claim", "", best.sentence_text, best.rank)
        ]
    for j in con:
        reasons += _reasons(j, j.counted)
    for j in sup:
        reasons.append(Reason("supporting sentence", "", j.sentence_text, j.rank))
    conf = _confidence(label, strength, params)
    return Verdict(analysis.claim, label, conf, evidence, tuple(reasons))


def format_reason(r: Reason) -> str:
    """``date mismatch: claim "February 2008" vs source "February 2006" [1]``."""
    if r.claim_span and r.source_span:
        text = f'{r.kind}: claim "{r.claim_span}" vs source "{r.source_span}"'
    elif r.source_span:
        text = f'{r.kind}: source says "{r.source_span}"'
    elif r.claim_span:
        text = f'{r.kind}: claim says "{r.claim_span}"'
    else:
        text = r.kind
    return text if r.hit is None else f"{text} [{r.hit}]"


def format_verdict(v: Verdict, width: int = 100) -> str:
    """The default output of ``verifact check``: verdict line, reasons, then cited passages."""
    from ..search.render import citation, marked_quote

    lines = [f"Claim: {v.claim}", f"Verdict: {v.label} (confidence {v.confidence:.2f})"]
    lines += ["Reasons:", *(f"  {format_reason(r)}" for r in v.reasons)]
    lines.append("Evidence:" if v.evidence else "Evidence: none retrieved")
    for e in v.evidence:
        hit = replace(e.hit, highlight=e.sentence)
        weak = ", weak" if e.stance == "unrelated" and is_weak(hit) else ""
        lines.append(f"{citation(hit)} — {e.stance}{weak}")
        quote = " ".join(marked_quote(hit).split())
        lines += textwrap.wrap(quote, width=width, initial_indent="    ", subsequent_indent="    ")
    return "\n".join(lines)
