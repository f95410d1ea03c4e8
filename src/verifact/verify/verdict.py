"""Verify stage, decision: an Analysis -> a Verdict (label, calibrated confidence, evidence,
reasons).

The label comes from a small multinomial logistic regression over claim-level features (stance
probabilities, alignment coverage, slot conflicts, retrieval strength; ``features``), fitted on
training claims only (``verifact.verify.fit``) and shipped as ``verify_params.json``. Two rules
sit on top, each an explainable reason:

- SUPPORTED needs a sentence that entails the claim *and* covers it: every salient slot of the
  claim aligned in that sentence (at most ``gate_missing`` content words unaligned; never a
  name, number or date; with ``gate_root`` never the claim's main predicate; with
  ``gate_kinds`` "verbs" only a verb), with no conflict
  and no substituted word. It entails the claim when the stance model reads it as entailing
  more than anything else, or, when it states every slot and ``covered_entails`` is
  "contradicts", more than contradicting (``_entailing``). Otherwise the best of the other two
  labels is given.
- A claim name that no retrieved passage mentions makes NOT_ENOUGH_INFO, never REFUTED.
- REFUTED needs a sentence that contradicts the claim and states at least one of its slots: a
  sentence about something else refutes nothing, whatever the stance model reads (``_about``).

The confidence is the chance that the label is right: the model's probability of the label
(renormalised where a rule overrode the model) mapped by a second logistic regression fitted on
out-of-fold verdicts of the training claims (``calibrate``).
"""

from __future__ import annotations

import json
import math
import textwrap
from dataclasses import dataclass, replace
from importlib import resources
from typing import Literal

import numpy as np

from ..types import Hit
from .evidence import Analysis, Sentence, analyse_claims

Label = Literal["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO", "CONFLICTING"]
LABELS: tuple[Label, ...] = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO", "CONFLICTING")
FITTED: tuple[Label, ...] = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
Stance = Literal["supports", "contradicts", "unrelated"]
HARD = ("date mismatch", "number mismatch", "entity mismatch", "negation")
FEATURES = (
    "entails",
    "entails_x_coverage",
    "coverage",
    "missing",
    "missing_names",
    "best_missing_sim",
    "contradicts",
    "contradicts_aligned",
    "conflicts",
    "unmentioned",
    "overlap",
    "dense",
    "neutral_best",
    "substitutions",
    "swaps",
)


PARAMS_FILE = "verify_params.json"


def load_params() -> dict:
    """The fitted parameters shipped in ``verify_params.json``."""
    text = resources.files(__package__).joinpath(PARAMS_FILE).read_text("utf-8")
    return json.loads(text)


PARAMS: dict = load_params()
EVIDENCE_THRESHOLD: float = float(PARAMS["evidence_threshold"])
QUESTION_THRESHOLD: float = float(PARAMS["question_threshold"])


def is_weak(hit: Hit, question: bool = False) -> bool:
    """True when ``hit``'s dense cosine to the claim (or question) is below its fitted threshold."""
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
    """A cited hit, its stance toward the claim, its evidence sentence and stance probabilities."""

    hit: Hit
    stance: Stance
    sentence: tuple[int, int]
    probabilities: tuple[float, float, float] = (0.0, 0.0, 1.0)  # entails, contradicts, neutral

    def to_dict(self) -> dict:
        d = replace(self.hit, highlight=self.sentence).to_dict()
        d["stance"] = self.stance
        e, c, n = self.probabilities
        d["probabilities"] = {
            "entails": round(e, 4),
            "contradicts": round(c, 4),
            "neutral": round(n, 4),
        }
        return d


@dataclass(frozen=True)
class Verdict:
    """A label with a calibrated confidence in [0, 1], the evidence it rests on, and the reasons."""

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
    doc_ids: list[str] | None = None,
    stance_model: str | None = None,
) -> list[Verdict]:
    """Label each claim SUPPORTED, REFUTED, NOT_ENOUGH_INFO or CONFLICTING from its top-k hits.

    Args:
        index: a loaded ``verifact.search.Index``.
        claims: non-empty strings.
        k: passages cited per claim (>= 1); the claim's candidates are reranked by the stance model.
        mode: retrieval mode, "hybrid", "dense" or "bm25".
        doc_ids: restrict the evidence to these documents.
        stance_model: a folder with another stance model (default: the shipped one).

    Returns:
        One Verdict per claim, in order.

    Raises:
        InputError: an empty claim, k < 1 or an unknown mode.

    Example: ``verify_claims(idx, ["Putin invited Meshaal to Moscow in 2008."])[0].label``
    ``# => "REFUTED"``
    """
    analyses = analyse_claims(
        index, claims, k=k, mode=mode, doc_ids=doc_ids, stance_model=stance_model
    )
    return [decide(a) for a in analyses]


def _aligned_conflicts(s: Sentence, min_coverage: float) -> list:
    """Conflicts of a sentence that is about the same thing: most other slots aligned, and no
    more conflicts than the names, dates and numbers it shares with the claim (one at least).
    A sentence that differs in the people *and* the date shares only a verb: another event."""
    a = s.alignment
    n = len(a.aligned) + len(a.missing) - len(a.conflicts)
    others = len(a.aligned) / n if n > 0 else 0.0
    anchors = sum(slot.kind in ("entity", "date", "number") for slot, _, _ in a.aligned)
    if others < min_coverage or len(a.conflicts) > max(1, anchors):
        return []
    return list(a.conflicts)


def _decisive_conflict(s: Sentence) -> bool:
    """The sentence states every slot of the claim but one, and has one conflict on that slot
    (or a negation of the shared predicate): "In July 2017 he joined FC Hollandsveen" for
    "Torvang joined FC Hollandsveen in July 2019"; a swap of that slot ("Budapest" / "Pécs") is
    the same finding. Such a conflict is a hard reason: REFUTED whatever the fitted model reads
    (on the re-analysis of 12e381c, 752 of the 755 claims with such a sentence were gold
    REFUTED; the model called the other 3 REFUTED without the rule)."""
    a = s.alignment
    if a is None or len(a.conflicts) != 1 or not a.aligned:
        return False
    spans = {c.claim_span for c in a.conflicts}  # a swap of that slot is the same finding
    return all(m.text in spans for m in a.missing) and all(c in spans for c, _ in a.swaps)


def _aligned_swaps(s: Sentence, min_coverage: float) -> tuple:
    """In-place swaps of a sentence that otherwise states the claim (most other slots aligned)."""
    a = s.alignment
    swaps = getattr(a, "swaps", ())
    if not swaps:
        return ()
    n = len(a.aligned) + len(a.missing) - len(swaps)
    others = len(a.aligned) / n if n > 0 else 0.0
    return swaps if others >= min_coverage else ()


def _about(s: Sentence) -> bool:
    """The sentence states at least one slot of the claim. One that shares no name, number or
    word with it is about something else and cannot contradict it, whatever the stance model
    reads ("Recognition of legitimacy was important to him." for "A man in a blue shirt is
    running.": SNLI's annotators, who took two captions to show one scene, call such pairs
    contradictions, and a model trained on them does too). One word the sentence states only by
    a looser match (a class, a synonym, the embedding) is not enough: "500 *people* were
    evacuated" is not about "The *minister* kissed a woman", though a minister is a person; a
    name, a number or a date, a word of the same lemma, or two words are."""
    aligned = s.alignment.aligned
    return len(aligned) > 1 or any(slot.kind != "word" or sim >= 1.0 for slot, _, sim in aligned)


def _support_key(s: Sentence) -> float:
    return s.entails * s.alignment.coverage


def features(a: Analysis, params: dict | None = None) -> dict[str, float]:
    """Claim-level features, computed from the claim's evidence sentences (FEATURES order)."""
    params = PARAMS if params is None else params
    need = params["conflict_coverage"]
    ss = [s for s in a.sentences if s.alignment is not None]
    if not ss:
        return dict.fromkeys(FEATURES, 0.0) | {"coverage": 0.0, "neutral_best": 1.0}
    best = max(ss, key=_support_key)
    about = [s for s in ss if _about(s)]
    contra = max(about, key=lambda s: s.contradicts) if about else None
    conflicts = max(len(_aligned_conflicts(s, need)) for s in ss)
    return {
        "entails": max(s.entails for s in ss),
        "entails_x_coverage": _support_key(best),
        "coverage": best.alignment.coverage,
        "missing": float(len(best.alignment.missing)),
        "missing_names": float(len(best.alignment.missing_names)),
        "best_missing_sim": best.alignment.best_missing_sim,
        "contradicts": contra.contradicts if contra else 0.0,
        "contradicts_aligned": contra.contradicts * contra.alignment.coverage if contra else 0.0,
        "conflicts": float(conflicts),
        "unmentioned": float(len(a.unmentioned)),
        "overlap": max(s.overlap for s in a.sentences),
        "dense": a.dense_max,
        "neutral_best": best.probs[2],
        "substitutions": float(len(best.alignment.substitutions)),
        "swaps": float(max(len(_aligned_swaps(s, need)) for s in ss)),
    }


def predict_proba(x: dict[str, float], params: dict) -> np.ndarray:
    """P(SUPPORTED, REFUTED, NOT_ENOUGH_INFO) from the fitted logistic regression."""
    m = params["model"]
    v = (np.array([x[f] for f in m["features"]]) - np.array(m["mean"])) / np.array(m["scale"])
    z = np.array(m["coef"]) @ v + np.array(m["intercept"])
    e = np.exp(z - z.max())
    return e / e.sum()


# the parts of speech an unaligned word may have under ``gate_kinds`` "verbs": the wording of
# the claim's predicate ("Macrophages *are seeded* before birth", "N348I mutations *cause*
# resistance"), which the stance model reads; a noun, adjective or adverb the sentence lacks
# ("in *mouse* beta cells", "a *tumor* enhancer", "*substantially* reduces") is a thing or a
# quality the sentence does not state
PREDICATE_POS = frozenset({"VERB", "AUX"})


def _covers(s: Sentence, params: dict) -> bool:
    a = s.alignment
    words = [m for m in a.missing if m.kind == "word"]
    if params.get("gate_kinds", "any") == "verbs" and any(
        m.label not in PREDICATE_POS for m in words
    ):
        return False
    subs = len(a.substitutions) <= params.get("gate_substitutions", 0)
    root = not (params.get("gate_root", False) and a.root_missing)
    return (
        not a.missing_names
        and len(words) <= params["gate_missing"]
        and not a.conflicts
        and subs
        and root
    )


def _entailing(s: Sentence, params: dict) -> bool:
    """The stance model reads ``s`` as entailing the claim. A sentence that leaves a claim word
    unaligned (as far as ``gate_missing`` allows) must read as entailing more than anything
    else, and at least ``gate_entails``; one that states every slot of the claim must, under
    ``covered_entails`` "contradicts", only read as entailing more than contradicting it: the
    words are all there, and the model's "neutral" then often means that the sentence says
    more, or says it differently ("Ilse Marvonen passed away in 2009." against "Ilse Marvonen (3
    February 1938 - 11 November 2009) was a Finnish novelist"), not that it leaves the claim
    open. Both are fitted (``fit.fit_params``)."""
    covered = s.alignment is not None and not s.alignment.missing
    if covered and params.get("covered_entails", "max") == "contradicts":
        return s.entails > s.contradicts
    if not covered and s.entails < params.get("gate_entails", 0.0):
        return False
    return s.entails >= max(s.contradicts, s.probs[2])


def _supports(s: Sentence, params: dict) -> bool:
    """``s`` can be the supporting sentence: it covers the claim and reads as entailing it."""
    return s.alignment is not None and _covers(s, params) and _entailing(s, params)


def _stance(s: Sentence, params: dict) -> Stance:
    if s.alignment is None:
        return "unrelated"
    need = params["conflict_coverage"]
    if (s.contradicts >= max(s.entails, s.probs[2]) and _about(s)) or _aligned_conflicts(s, need):
        return "contradicts"
    if params.get("swap_contradicts", False) and _aligned_swaps(s, need):
        return "contradicts"  # the claim's own statement, with another word in one place
    if _supports(s, params):
        return "supports"
    return "unrelated"


def _cite_key(s: Sentence, params: dict) -> tuple:
    """Which of a hit's sentences to cite: a supporting one, else a contradicting one, else the
    one the stance model finds most decisive."""
    order = {"supports": 2, "contradicts": 1, "unrelated": 0}
    return (order[_stance(s, params)], max(s.entails, s.contradicts))


def decide(a: Analysis, params: dict | None = None) -> Verdict:
    """Features -> fitted probabilities -> label under the coverage gate, with its reasons."""
    params = PARAMS if params is None else params
    ss = [s for s in a.sentences if s.alignment is not None]
    by_hit: dict[int, Sentence] = {}
    for s in a.sentences:  # each hit is cited with its most decisive sentence
        cur = by_hit.get(s.hit.rank)
        if cur is None or _cite_key(s, params) > _cite_key(cur, params):
            by_hit[s.hit.rank] = s
    evidence = tuple(
        Evidence(h, _stance(by_hit[h.rank], params), by_hit[h.rank].span, by_hit[h.rank].probs)
        if h.rank in by_hit
        else Evidence(h, "unrelated", (h.passage.start, h.passage.start))
        for h in a.hits
    )
    if not ss:
        reason = Reason("no passage retrieved", "", "", None)
        return Verdict(
            a.claim, "NOT_ENOUGH_INFO", params.get("empty_confidence", 0.9), evidence, (reason,)
        )
    probs = predict_proba(features(a, params), params)
    p = dict(zip(FITTED, (float(x) for x in probs), strict=True))
    support = [s for s in ss if _supports(s, params)]
    label = max(p, key=p.get)
    if label == "SUPPORTED" and not support:
        label = "REFUTED" if p["REFUTED"] > p["NOT_ENOUGH_INFO"] else "NOT_ENOUGH_INFO"
    if label != "REFUTED" and not support and any(_decisive_conflict(s) for s in ss):
        label = "REFUTED"  # the slot checks' hard reason
    contra = [s for s in ss if _stance(s, params) == "contradicts"]
    if label == "REFUTED" and (a.unmentioned or not contra):
        # REFUTED needs a contradicting sentence, and a name no source mentions is NEI
        label = "NOT_ENOUGH_INFO"
    reasons = _reasons(label, a, ss, support, params)
    conf = p[label] if label in p else 0.0
    if label != max(p, key=p.get):  # the gate overrode the model: confidence of the remaining mass
        rest = sum(v for k2, v in p.items() if k2 != "SUPPORTED")
        conf = p[label] / rest if rest > 0 else 0.0
    verdict = Verdict(a.claim, label, conf, evidence, tuple(reasons))
    if "calibration" in params and label in FITTED:
        verdict = replace(verdict, confidence=calibrate(verdict, a, params["calibration"]))
    return verdict


# what the confidence is calibrated on (``calibration_inputs``): the raw confidence's log-odds,
# the label, their product per label (each label's raw confidence may mean a different chance
# of being right) and retrieval strength (the best hit's dense cosine)
CALIBRATION_INPUTS = (
    "logit",
    *(f"is_{label}" for label in FITTED),
    *(f"logit_if_{label}" for label in FITTED),
    "dense",
)


def calibration_inputs(v: Verdict, a: Analysis) -> list[float]:
    """A verdict's inputs to the confidence calibration (``CALIBRATION_INPUTS`` order)."""
    c = min(max(float(v.confidence), 1e-4), 1 - 1e-4)
    logit = math.log(c / (1 - c))
    is_label = [float(v.label == label) for label in FITTED]
    return [logit, *is_label, *(logit * t for t in is_label), float(a.dense_max)]


def calibrate(v: Verdict, a: Analysis, calibration: dict) -> float:
    """The chance that ``v``'s label is right, from its raw confidence (``fit.fit_calibration``)."""
    z = float(np.dot(calibration["coef"], calibration_inputs(v, a))) + calibration["intercept"]
    return 1.0 / (1.0 + math.exp(-min(max(z, -50.0), 50.0)))


def where_lost(analysis, gold: str, label: str, params: dict) -> str:
    """The stage of the verifier that a claim's wrong verdict comes from ("right" when right).

    A gold-SUPPORTED claim is lost to the stance model when no aligned sentence reads as
    entailing it (``"no sentence entails"``), to the coverage gate when one does but none
    covers it, else to the fitted model. A gold-REFUTED claim called SUPPORTED had a covering
    sentence that entails it; otherwise it is lost when no sentence contradicts it, to a name no
    passage mentions, or to the fitted model. A gold-NOT_ENOUGH_INFO claim is wrongly REFUTED by
    a conflict span (date, number, name, negation, swap) or by the stance model alone."""
    if gold == label:
        return "right"
    ss = [s for s in analysis.sentences if s.alignment is not None]
    if label == "SUPPORTED":
        return "a covering sentence entails it"
    if not ss:
        return "no passage retrieved"
    if gold == "SUPPORTED":
        # the stance model's reading alone: a sentence that ``gate_entails`` turns down reads
        # as entailing, and is lost to the gate
        ungated = dict(params, gate_entails=0.0)
        entailing = [s for s in ss if _entailing(s, ungated)]
        if not entailing:
            return "no sentence entails"
        if not any(_supports(s, params) for s in entailing):
            return "an entailing sentence, none covers it"
        return "fitted model"
    if gold == "REFUTED":
        if not any(_stance(s, params) == "contradicts" for s in ss):
            return "no sentence contradicts"
        if analysis.unmentioned:
            return "a name no passage mentions"
        return "fitted model"
    if label == "REFUTED":  # gold NOT_ENOUGH_INFO
        need = params["conflict_coverage"]
        hard = any(_aligned_conflicts(s, need) or _aligned_swaps(s, need) for s in ss)
        return "a conflict span" if hard else "the stance model contradicts"
    return "fitted model"


def _reasons(
    label: str, a: Analysis, ss: list[Sentence], support: list[Sentence], params: dict
) -> list[Reason]:
    """Reasons from the sentences that decide the verdict, quoting both sides."""
    out: list[Reason] = []
    if label == "SUPPORTED":
        s = max(support, key=_support_key)
        out.append(Reason("supporting sentence", a.claim, s.text, s.hit.rank))
        return out
    if label == "REFUTED":
        contra = [s for s in ss if _stance(s, params) == "contradicts"]
        # the sentence most about the same statement speaks first (coverage, then stance)
        for s in sorted(contra, key=lambda s: (-s.alignment.coverage, -s.contradicts)):
            for c in _aligned_conflicts(s, params["conflict_coverage"]):
                out.append(Reason(c.kind, c.claim_span, c.source_span, s.hit.rank))
            if out:
                return out
        s = max(contra, key=lambda s: (s.alignment.coverage, s.contradicts))
        for claim_word, source_word in s.alignment.substitutions:
            out.append(Reason("word mismatch", claim_word, source_word, s.hit.rank))
        out.append(Reason("contradicting sentence", a.claim, s.text, s.hit.rank))
        return out
    for slot in a.unmentioned:
        out.append(Reason("no source mentions", slot.text, "", None))
    best = max(ss, key=_support_key)
    # a closest sentence that states no slot of the claim is about something else: listing each
    # word as "not stated" against it would quote that other thing
    about = _about(best)
    subs = dict(best.alignment.substitutions)
    hedged = dict(best.alignment.hedged)
    for slot in best.alignment.missing if about else ():
        if slot in a.unmentioned:
            continue  # "no source mentions" already says it
        if slot.text in hedged:
            out.append(Reason("not stated as fact", slot.text, hedged[slot.text], best.hit.rank))
        elif slot.text in subs:
            out.append(Reason("word mismatch", slot.text, subs[slot.text], best.hit.rank))
        else:
            out.append(Reason("not stated", slot.text, best.text, best.hit.rank))
    if not about or not out:
        out.append(Reason("no sentence states the claim", a.claim, best.text, best.hit.rank))
    return list(dict.fromkeys(out))  # one line per finding


def format_reason(r: Reason) -> str:
    """``date mismatch: claim "February 2008" vs source "February 2006" [1]``."""
    if r.claim_span and r.source_span:
        text = f'{r.kind}: claim "{r.claim_span}" vs source "{r.source_span}"'
    elif r.source_span:
        text = f'{r.kind}: source says "{r.source_span}"'
    elif r.claim_span:
        text = f'{r.kind}: "{r.claim_span}"'
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
        pe, pc, pn = e.probabilities
        lines.append(
            f"{citation(hit)} — {e.stance}{weak} "
            f"(entails {pe:.2f}, contradicts {pc:.2f}, neutral {pn:.2f})"
        )
        quote = " ".join(marked_quote(hit).split())
        lines += textwrap.wrap(quote, width=width, initial_indent="    ", subsequent_indent="    ")
    return "\n".join(lines)


def expected_calibration_error(confidences, correct, bins: int = 10) -> float:
    """ECE (Guo et al. 2017): the share-weighted gap between confidence and accuracy per bin."""
    conf, ok = np.asarray(confidences, dtype=float), np.asarray(correct, dtype=float)
    if conf.size == 0:
        return math.nan
    idx = np.minimum((conf * bins).astype(int), bins - 1)
    return float(
        sum(
            abs(conf[idx == b].mean() - ok[idx == b].mean()) * (idx == b).mean()
            for b in range(bins)
            if (idx == b).any()
        )
    )
