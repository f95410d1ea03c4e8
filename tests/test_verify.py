"""Verify stage: claim analysis, alignment, perturbations, stance model, verdicts, CLI."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from verifact.app.cli import main
from verifact.config import default_sources_dir
from verifact.errors import IndexCorruptError, InputError
from verifact.verify import analysis, lexicon
from verifact.verify import verdict as verify
from verifact.verify.align import WordVectors, _stem_match, abbreviations, align
from verifact.verify.analysis import parse, slots_of
from verifact.verify.reference import label_names, resolve, resolved, resolved_text
from verifact.verify.stance import StanceModel, load_stance_model, model_dir

from conftest import ROOT, SHARED, needs_shared

SEED = ROOT / "eval" / "seed"
SEED_CLAIMS = [json.loads(x) for x in (SEED / "claims.jsonl").read_text().splitlines()]
HELDOUT = [json.loads(x) for x in (SEED / "claims_heldout.jsonl").read_text().splitlines()]
# measured (eval/results/verdicts.json): seed test 24/36, held-out 31/36 (2026-12-06, sixth
# session, dev machine: names conflict only with a name in the same role; 24/36 and 29/36
# before); floors two claims lower
SEED_TEST_ACCURACY = 22 / 36
HELDOUT_ACCURACY = 29 / 36
# refuted claims called SUPPORTED, measured: none of 24 (the reversals "opposed" for "supported",
# "before" for "after", "terrorist" for "humanitarian" are now swaps seen in place); one claim
# of slack for float differences of the int8 models across CPUs
MAX_REFUTED_SUPPORTED = 1


def _align(claim: str, source: str, wv=None):
    cdoc, sdoc = parse([claim, source])
    return align(slots_of(cdoc), cdoc, sdoc, wv)


def _conflict_spans(a) -> list[tuple[str, str]]:
    return [(c.claim_span, c.source_span) for c in a.conflicts]


def _conflict_triples(a) -> set[tuple[str, str, str]]:
    return {(c.kind, c.claim_span, c.source_span) for c in a.conflicts}


# ---- claim analysis and alignment (spaCy) ---------------------------------------------------


def test_slots_are_names_dates_numbers_and_content_words():
    (doc,) = parse(["Putin invited Meshaal to Moscow in 2008 with 3 aides."])
    slots = {(s.kind, s.text) for s in slots_of(doc)}
    assert {("entity", "Putin"), ("entity", "Moscow"), ("date", "2008"), ("number", "3")} <= slots
    assert ("word", "invited") in slots and ("word", "aides") in slots
    assert not any(s.text in {"to", "in", "with"} for s in slots_of(doc))


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        # a headline: its capitals are read as the passage writes the words
        (
            "Low Vitamin D Levels Tied to Odds for Severe COVID",
            "Low vitamin D levels tied to odds for severe COVID",
        ),
        ("The CORONAVIRUS did not emerge in Wuhan", "The coronavirus did not emerge in Wuhan"),
        ("CORONAVIRUS came from Wuhan", "Coronavirus came from Wuhan"),
        # names are capitalised in the passage too; short capitals are acronyms
        ("Putin invited Meshaal to Moscow in 2006.", "Putin invited Meshaal to Moscow in 2006."),
        ("WHO Says Vitamin D Levels Matter", "WHO says vitamin D levels matter"),
        # a headline word the passage lacks ("Smith") keeps the whole headline as written, so
        # a name the source does not mention is still a name
        ("Mayor Smith Tied Levels of Vitamin D", "Mayor Smith Tied Levels of Vitamin D"),
        ("Vitamin-D and COVID-19 Levels", "Vitamin-D and COVID-19 Levels"),  # joined: as written
        # a claim typed in no case: each word as the passages write it, a capital to start;
        # a word they lack keeps its case, or in capitals is capitalised (mostly a name)
        ("putin invited meshaal to moscow in 2006", "Putin invited Meshaal to Moscow in 2006"),
        ("smith met the mayor in wuhan", "Smith met the mayor in Wuhan"),
        ("who says vitamin d levels matter", "WHO says vitamin D levels matter"),
        ("THE CORONAVIRUS DID NOT EMERGE IN WUHAN", "The coronavirus did not emerge in Wuhan"),
        ("MAYOR SMITH SAYS LEVELS MATTER", "Mayor Smith says levels matter"),
    ],
)
def test_a_headline_is_read_in_the_case_its_evidence_uses(claim, expected):
    from verifact.verify.analysis import truecase

    context = [
        "A low level of vitamin D is tied to higher odds of severe illness in patients with "
        "COVID. Levels were measured by WHO staff; the mayor says levels matter.",
        "The coronavirus did not emerge in a laboratory in Wuhan, the study says. Putin "
        "invited Meshaal to Moscow.",
    ]
    out = truecase(claim, context)
    assert out == expected and len(out) == len(claim)  # offsets stay the claim's own
    assert truecase(claim, []) == claim


@pytest.mark.parametrize(
    ("claim", "read"),
    [
        ("Sergey Lavrov met Hamas officials", "Sergey Lavrov met Hamas officials."),
        ("Emissions rose by 30%", "Emissions rose by 30%."),
        ('The minister said "no"', 'The minister said "no".'),
        ("Russia hosted Hamas (in 2006)  ", "Russia hosted Hamas (in 2006)."),
        ("Did Russia ban Hamas?", "Did Russia ban Hamas?"),
        ("Russia banned Hamas!", "Russia banned Hamas!"),
        ("Russia banned Hamas.", "Russia banned Hamas."),
    ],
)
def test_a_claim_is_read_as_a_sentence_that_closes(claim, read):
    from verifact.verify.analysis import as_statement

    assert as_statement(claim) == read and read.startswith(claim.rstrip())


def test_a_verdict_does_not_depend_on_how_the_claim_is_typed(seed_index):
    # before, "russia ..." had no name for the NER, "CHINA" none either, and a claim with no
    # closing stop parsed and scored otherwise: of the 36 seed held-out claims 3 changed their
    # verdict typed in lower case, 5 in capitals and 1 with no full stop
    claims = [
        "In February 2006, Putin invited Khaled Meshaal to come to Kazan.",
        "Iranian officials were in Moscow on 26 October, after the Hamas attack on Israel.",
        "China considers Hamas a terrorist organisation.",
        "Sergey Lavrov met Hamas officials in Moscow in October 2023.",
    ]
    typed = [f(c) for c in claims for f in (str.lower, str.upper, lambda c: c.rstrip("."))]
    got = verify.verify_claims(seed_index, claims + typed)
    for i, v in enumerate(got[len(claims) :]):
        as_typed = got[i // 3]
        assert v.claim == typed[i]  # shown as typed
        assert v.label == as_typed.label, (v.claim, v.reasons, as_typed.reasons)
        assert [r.source_span for r in v.reasons] == [r.source_span for r in as_typed.reasons]


def test_a_truecased_headline_names_only_what_is_a_name():
    from verifact.verify.analysis import truecase

    claim = "Low Vitamin D Levels Tied to Odds for Severe COVID"
    context = ["A low level of vitamin D is tied to higher odds of severe COVID."]
    as_written, read = parse([claim, truecase(claim, context)])
    assert any("Levels" in e.text for e in as_written.ents)  # the small NER's headline reading
    assert not any("level" in e.text.lower() for e in read.ents)
    words = {s.lemma for s in slots_of(read) if s.kind == "word"}
    assert {"level", "tie", "odd"} <= words


@pytest.mark.parametrize(
    "claim, source, kind, claim_span, source_span",
    [
        (
            "Putin invited Meshaal to Moscow in 2008.",
            "In February 2006, Putin invited Khaled Meshaal to come to Moscow.",
            "date mismatch",
            "2008",
            "February 2006",
        ),
        (
            "Emissions rose by 30% in India.",
            "Emissions rose by 20% in India last year.",
            "number mismatch",
            "30%",
            "20%",
        ),
        (
            "Mayor Smith opened the bridge.",
            "Mayor Jones opened the bridge on Monday.",
            "entity mismatch",
            "Smith",
            "Jones",
        ),
        (  # a name said of the same word through a preposition
            "Meshaal met Medvedev in 2010.",
            "In 2010, Meshaal met with Putin in Moscow.",
            "entity mismatch",
            "Medvedev",
            "Putin",
        ),
        (
            "Russia considers Hamas a terrorist organisation.",
            "Russia does not consider Hamas a terrorist organisation.",
            "negation",
            "considers",
            "does not consider",
        ),
    ],
)
def test_alignment_reports_the_conflicting_span_pair(claim, source, kind, claim_span, source_span):
    a = _align(claim, source)
    assert (kind, claim_span, source_span) in _conflict_triples(a)


def test_a_name_said_of_another_word_is_another_participant_not_a_rival():
    # Lavrov is who welcomes Meshaal; the claim's newspaper is whom Meshaal spoke to
    a = _align(
        "Meshaal spoke to Rossiyskaya Gazeta during his visit to Moscow.",
        "Sergey Lavrov welcomed Meshaal during his visit to Moscow.",
    )
    assert not [c for c in a.conflicts if c.kind == "entity mismatch"]
    # and a claim name whose word the sentence lacks has no rival there
    a = _align("John Smith founded Acme Corp in 1990.", "Mary Jones joined Acme Corp in 1990.")
    assert not [c for c in a.conflicts if c.kind == "entity mismatch"]


def test_the_day_of_a_date_written_the_other_way_round_is_aligned():
    a = _align(
        "Hamas officials met Mikhail Bogdanov in Moscow on 26 October 2023.",
        "Hamas officials and Mikhail Bogdanov meet in Moscow, October 26, 2023.",
    )
    assert not a.missing and not a.conflicts
    other = _align("Bogdanov met them on 27 October 2023.", "Bogdanov met them October 26, 2023.")
    assert other.missing or other.conflicts
    month = _align("Meshaal visited Moscow in May 2006.", "Meshaal visited Moscow in March 2006.")
    assert [(c.claim_span, c.source_span) for c in month.conflicts] == [("May 2006", "March 2006")]
    year = _align("Meshaal visited Moscow in 2006.", "Meshaal visited Moscow in March 2006.")
    assert not year.missing


def test_a_date_range_needs_both_its_years():
    a = _align(
        "We estimated numbers on ART from 2015 to 2017.",
        "We estimated numbers on ART from 2015 to 2020.",
    )
    assert [c.kind for c in a.conflicts] == ["date mismatch"]


def test_an_identifier_the_ner_missed_counts_as_a_name():
    a = _align(
        "NMDAR-derived neurotrophic factor (BDNF) is crucial for neuronal plasticity.",
        "Brain-derived neurotrophic factor (BDNF) is crucial for neuronal plasticity.",
    )
    assert [s.text for s in a.missing_names] == ["NMDAR"]


def test_an_identifier_with_digits_is_a_name_compared_whole():
    # spaCy tags "IL-9" X and "IL-10" CARDINAL: neither may vanish or pass for the number 10
    source = "Monocytes induced IL-10 production and led to CD4+ T cell dysfunction in 12 mice."
    for claim in (
        "IL-9 production by monocytes impairs T cells.",
        "IL-1 production impairs T cells.",
    ):
        a = _align(claim, source)
        assert [s.text for s in a.missing_names] == [claim.split()[0]], claim
    same = _align("IL-10 production by monocytes impairs CD4+ T cells.", source)
    assert "IL-10" in {s.text for s, _, _ in same.aligned} and not same.missing_names
    ten = _align("Monocytes induced production in 10 mice.", source)  # "IL-10" states no 10
    assert [c.kind for c in ten.conflicts] == ["number mismatch"]
    assert ("IL-12", "word") in {(s.text, s.kind) for s in slots_of(parse(["IL-12 rises."])[0])}


def test_two_identifiers_are_never_equivalent_by_embedding(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    other = _align("CX3CL1 signaling promoted survival.", "CX3CR1 signaling promoted survival.", wv)
    assert [s.text for s in other.missing_names] == ["CX3CL1"]
    same = _align("CO2 emissions rose.", "Carbon dioxide emissions rose.", wv)  # not two names
    assert not same.missing


def test_a_word_negated_by_its_prefix_is_a_negation_not_an_equivalent(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    a = _align(
        "Patients in unstable partnerships progress more slowly to AIDS.",
        "Patients in stable partnerships progress more slowly to AIDS.",
        wv,
    )
    assert ("negation", "unstable", "stable") in _conflict_triples(a)
    assert "unstable" not in {s.text for s, _, _ in a.aligned}
    assert not _align("The drug is effective.", "The drug is effective.", wv).conflicts


def test_a_nationality_is_no_rival_of_a_place():
    a = _align(
        "The KGB trained militant groups in the Middle East.",
        "The KGB, the Soviet security agency, trained militant groups in the region.",
    )
    assert not a.conflicts
    assert _align("Soviet agents trained them.", "Chinese agents trained them.").conflicts


def test_a_date_or_number_that_states_another_of_the_claim_is_no_rival():
    # "Six" is the claim's own "six", and 1987 its own founding year: neither contradicts the
    # claim's other number or date, which the sentence does not state (seen on SNLI dev: "Kids
    # are sitting in six of the eight chairs." was REFUTED by "eight" vs "Six")
    a = _align("Kids sit in six of the eight chairs.", "Six kids sit in chairs.")
    assert not a.conflicts and [m.text for m in a.missing] == ["eight"]
    assert _conflict_spans(
        _align("Kids sit in six of the eight chairs.", "Six kids sit in ten chairs.")
    ) == [("eight", "ten")]
    # one source occurrence per claim slot: the second "95%" is free to meet the claim's "94%"
    claim_ci = "Adults gained 30 (95% CI 26 to 33) and children 2 (94% CI 1 to 3) points."
    source_ci = "Adults gained 30 (95% CI 26 to 33) and children 2 (95% CI 1 to 3) points."
    assert ("94%", "95%") in _conflict_spans(_align(claim_ci, source_ci))
    claim = "Hamas, founded in 1987, won the elections in 2006."
    assert not _align(claim, "Hamas, founded in 1987, won the elections.").conflicts
    assert _conflict_spans(_align(claim, "Hamas, founded in 1987, won the elections in 2007.")) == [
        ("2006", "2007")
    ]


def test_a_superlative_of_another_rank_is_a_swap():
    # "the highest-grossing film" was SUPPORTED by "the third highest-grossing film", and "the
    # second deepest lake" was NOT_ENOUGH_INFO against "the deepest lake"
    film = "It grossed $120 million, making it the third highest-grossing film of 2015."
    a = _align("It was the highest-grossing film of 2015.", film)
    assert ("the highest", "third") in a.swaps
    assert not _align("It was the third highest-grossing film of 2015.", film).swaps
    lake = "Lake Baikal is the deepest lake in the world."
    assert ("second", "the deepest") in _align(
        "Lake Baikal is the second deepest lake.", lake
    ).swaps
    assert not _align("Lake Baikal is the deepest lake.", lake).swaps
    city = "It is the second most populous city in the country."
    assert ("the most populous", "second") in _align("It is the most populous city.", city).swaps


def test_a_date_without_a_year_is_stated_by_the_same_day_with_one():
    # the shipped article's caption: it REFUTED "Hamas officials were in Moscow on 26 October."
    source = "Hamas officials meet for talks in Moscow on October 26, 2023."
    assert not _align("Hamas officials were in Moscow on 26 October.", source).conflicts
    assert ("27 October", "October 26, 2023") in _conflict_spans(
        _align("Hamas officials were in Moscow on 27 October.", source)
    )


def test_a_date_of_another_event_is_a_date_mismatch():
    # the claim's year is in the sentence, but of the repeal: it was NOT_ENOUGH_INFO
    source = "The law was passed in 2015 and repealed in 2018."
    assert ("2018", "2015") in _conflict_spans(_align("The law was passed in 2018.", source))
    assert not _align("The law was repealed in 2018.", source).conflicts
    assert not _align("The law was passed in 2015.", source).conflicts
    # a sentence that dates no event of the claim's verb is no conflict
    assert not _align(
        "The law was passed in 2018.", "The law, repealed in 2018, was passed."
    ).conflicts


def _sentence(claim: str, source: str):
    from verifact.verify.evidence import Sentence

    return Sentence(None, (0, len(source)), source, 1.0, (0.1, 0.8, 0.1), _align(claim, source))


def test_a_claim_no_sentence_is_about_gets_one_reason_not_a_list_of_its_words():
    from dataclasses import replace as dc_replace
    from types import SimpleNamespace

    from verifact.verify.evidence import Analysis

    claim = "A man in a blue shirt is running."
    source = "Still, it did not label Hamas a terrorist organisation."
    s = dc_replace(_sentence(claim, source), hit=SimpleNamespace(rank=1), probs=(0.1, 0.1, 0.8))
    assert not s.alignment.aligned  # about something else
    v = verify.decide(Analysis(claim, (), (s,), (), (), 0.3))
    assert v.label == "NOT_ENOUGH_INFO"
    assert [(r.kind, r.claim_span) for r in v.reasons] == [("no sentence states the claim", claim)]
    # a sentence about the claim still says which of its words it does not state
    about = "The man bought a newspaper at the station."
    s = dc_replace(_sentence(claim, about), hit=SimpleNamespace(rank=1), probs=(0.1, 0.1, 0.8))
    v = verify.decide(Analysis(claim, (), (s,), (), (), 0.3))
    assert v.label == "NOT_ENOUGH_INFO"
    assert {"not stated", "word mismatch"} & {r.kind for r in v.reasons}


def test_a_sentence_stating_all_but_one_slot_with_a_conflict_on_it_refutes():
    """A slot conflict on a sentence that states every other slot of the claim is a hard
    reason: on ff45307 the fitted model read 0.46 REFUTED / 0.49 NOT_ENOUGH_INFO here (the
    stance model reads the date change as neutral) and the claim came out NOT_ENOUGH_INFO."""
    from dataclasses import replace as dc_replace
    from types import SimpleNamespace

    from verifact.verify.evidence import Analysis

    claim = "Torvang joined FC Hollandsveen in July 2019."
    probs = (0.28, 0.03, 0.69)
    s = dc_replace(
        _sentence(claim, "In July 2017 Torvang joined FC Hollandsveen, whom he captained."),
        hit=SimpleNamespace(rank=1),
        probs=probs,
    )
    assert verify._decisive_conflict(s)
    v = verify.decide(Analysis(claim, (), (s,), (), (), 0.71))
    assert v.label == "REFUTED"
    assert [(r.kind, r.claim_span, r.source_span) for r in v.reasons] == [
        ("date mismatch", "July 2019", "July 2017")
    ]
    # another slot unstated as well: a sentence about another joining, not a hard reason
    other = dc_replace(
        _sentence(claim, "In July 2017 Torvang joined the national team."),
        hit=SimpleNamespace(rank=1),
        probs=probs,
    )
    assert other.alignment.conflicts and not verify._decisive_conflict(other)
    # a swap of the same slot is the same finding ("Budapest" / "Pécs" is both)
    swapped = dc_replace(s.alignment, swaps=(("July 2019", "July 2017"),))
    assert verify._decisive_conflict(dc_replace(s, alignment=swapped))
    swapped = dc_replace(s.alignment, swaps=(("joined", "left"),))
    assert not verify._decisive_conflict(dc_replace(s, alignment=swapped))
    # nor is a sentence with two conflicts
    twice = dc_replace(s.alignment, conflicts=s.alignment.conflicts * 2)
    assert not verify._decisive_conflict(dc_replace(s, alignment=twice))


def test_a_name_that_states_another_claim_name_is_not_a_rival():
    # on ff45307 "Kidrova" was in conflict with the FDA's own long name
    got = _align(
        "The FDA approved Kidrova in 2022.",
        "The United States Food and Drug Administration approved the drug on 18 April 2022.",
    )
    assert "FDA" in [slot.text for slot, _, _ in got.aligned]
    assert not got.conflicts
    # the sentence's capital "The" is no initial of the name: "FDA" was in conflict with "The
    # Food and Drug Administration" on ff45307 (found by the review of 5cb6391)
    got = _align("The FDA approved Kidrova.", "The Food and Drug Administration approved Kidrova.")
    assert not got.missing and not got.conflicts
    # another agency in the subject's place still is
    got = _align("The FDA approved Kidrova in 2022.", "Health Canada approved Kidrova in 2022.")
    assert ("FDA", "Health Canada") in _conflict_spans(got)


def test_a_relative_clause_subject_is_the_noun_it_modifies():
    # on ff45307 the role reversal was SUPPORTED (a held-out probe2 counter-claim, h027):
    # "who" was a pronoun subject, so the verb had no other actor
    source = (
        "The band consists of singer Tess Marlowe and drummer Callum Webb, who replaced "
        "founding drummer Liam O'Shea in 2012."
    )
    got = _align("Liam O'Shea replaced Callum Webb as the band's drummer.", source)
    assert [c for c, _ in got.swaps] == ["Liam O'Shea"]
    got = _align("Callum Webb replaced Liam O'Shea as the band's drummer.", source)
    assert not got.missing and not got.swaps
    # a passive relative clause: "who" is the patient, the "by" phrase the agent
    source = "Liam O'Shea, who was replaced by Callum Webb in 2012, founded the band."
    assert [c for c, _ in _align("Liam O'Shea replaced Callum Webb.", source).swaps] == [
        "Liam O'Shea"
    ]
    assert not _align("Callum Webb replaced Liam O'Shea.", source).swaps
    # only a relative clause's own words are left out of what its noun is: the first version
    # left out the verb's whole clause for every subject, and "woman" became a swap here
    got = _align(
        "A woman wearing yellow is running a race.", "A runner in a yellow shirt is running a race."
    )
    assert not got.swaps
    # a name only: spaCy hangs "which rises" on "68 kilometres" here (a probe3 dev claim came
    # out REFUTED on "The Skelda" vs "about 68 kilometres" in the first version)
    got = _align(
        "The Skelda flows into the River Tamsey.",
        "The River Skelda is a river in northern England, about 68 kilometres (42 mi) long, "
        "which rises on the slopes of Harrow Fell and flows south-east to join the River Tamsey.",
    )
    assert not got.swaps and not got.missing


def test_a_comparison_made_the_other_way_round_is_a_swap():
    # on 23008a9 this was SUPPORTED (a probe4 dev counter-claim, q072): every word of the
    # claim is in the sentence, with the things compared on the other sides of "more than"
    source = (
        "The institute estimated that the tax cut would cost about 4.5 billion marks a year, "
        "far more than the bank levy would raise."
    )
    got = _align("The bank levy would raise more than the tax cut would cost.", source)
    assert got.swaps == (
        ("more than the tax cut would cost", "more than the bank levy would raise"),
    )
    assert (
        "more than the tax cut would cost",
        "more than the bank levy would raise",
    ) in got.substitutions
    # the same comparison, and the reverse said with the opposite comparative, are no swap
    assert not _align("The tax cut would cost more than the bank levy would raise.", source).swaps
    assert not _align("The bank levy would raise less than the tax cut would cost.", source).swaps
    # a figure's bound is no comparison of two things
    assert not _align(
        "More than 4,000 residents left.", "More than 4,000 residents were ordered to leave."
    ).swaps
    # nor a sentence that makes the claim's comparison its way round as well as another
    assert not _align(
        "Norway has more islands than Sweden.",
        "Finland has more islands than Norway, and Norway has more islands than Sweden.",
    ).swaps
    # nor are two comparisons that share the "than" side
    assert not _align(
        "The new drug lowered blood pressure more than placebo.",
        "Blood pressure fell more with the new drug than with placebo.",
    ).swaps


def test_a_comparison_with_the_opposite_word_states_the_converse_and_contradicts_the_same(
    real_embedder,
):
    # on 23008a9 the converse ("fewer ... than Finland" for "more ... than Sweden") was REFUTED
    # on "fewer" / "more" and "Sweden" / "Finland", and the opposite word with the sides where
    # they were ("would cost *less* than") was SUPPORTED (found by the review of 5b9afa6)
    wv = WordVectors(real_embedder.embed_queries)
    source = "Finland has more lakes than Sweden."
    got = _align("Sweden has fewer lakes than Finland.", source, wv)
    assert not got.missing and not got.swaps
    assert [c for c, _ in _align("Finland has fewer lakes than Sweden.", source, wv).swaps] == [
        "fewer"
    ]
    assert _align("Sweden has more lakes than Finland.", source, wv).swaps
    source = "Exports to China grew faster than imports from China in 2023."
    got = _align("Imports from China grew slower than exports to China in 2023.", source, wv)
    assert not got.missing and not got.swaps
    source = (
        "The institute estimated that the tax cut would cost about 4.5 billion marks a year, "
        "far more than the bank levy would raise."
    )
    got = _align("The tax cut would cost less than the bank levy would raise.", source, wv)
    assert got.swaps == (
        ("less than the bank levy would raise", "more than the bank levy would raise"),
    )
    assert not _align(
        "The bank levy would raise less than the tax cut would cost.", source, wv
    ).swaps


def test_a_claim_word_said_as_another_part_of_speech_is_no_swap():
    # on 23008a9 "roof" was swapped for "collapse" in "the collapse at St Aldric's" (the
    # claim's own verb as a noun), and the true claim came out REFUTED (a probe3 dev claim, p094)
    got = _align(
        "The roof at St Aldric's Primary School collapsed on February 3, 2022.",
        "The firm admitted two breaches in relation to the collapse at St Aldric's Primary "
        "School on 3 February 2022.",
    )
    assert not got.swaps
    assert [m.text for m in got.missing] == ["roof"]  # not stated, not contradicted
    # a word of the same part of speech in the other's place still is a swap
    got = _align("The Amazon is longer than the Nile.", "The Nile is longer than the Amazon.")
    assert [c for c, _ in got.swaps] == ["Amazon", "Nile"]


def test_a_score_and_a_deadline_meet_only_their_own_kind():
    # on 23008a9 a true probe4 dev claim (q022) came out REFUTED on "more than 60" vs "2–0" and
    # "June 2024" vs "9 October 2015", both from the sentence about the first cap
    source = (
        "Valo won his first senior cap for Veldania on 9 October 2015 in a qualifier against "
        "Ostmark, which Veldania won 2–0."
    )
    got = _align("Kestrin Valo had won more than 60 caps for Veldania by June 2024.", source)
    assert not got.conflicts, got.conflicts
    # a score still meets a score, and a deadline a deadline
    got = _align("Harrowgate won the final 3–1.", "Harrowgate won the final 2–1 on Saturday.")
    assert ("3–1", "2–1") in _conflict_spans(got)
    got = _align(
        "The city will cut emissions by half by 2030.",
        "The city will cut emissions by half by 2040.",
    )
    assert ("2030", "2040") in _conflict_spans(got)


def test_what_a_sentence_sets_aside_is_negated():
    # on 23008a9 "The Salt Orchard was shot digitally" was NOT_ENOUGH_INFO against "shooting on
    # 35 mm film rather than digitally" (a probe4 dev counter-claim, q039): the word was stated
    source = "Harrowen shot The Salt Orchard on 35 mm film rather than digitally."
    got = _align("The Salt Orchard was shot digitally.", source)
    assert _conflict_triples(got) == {("negation", "digitally", "rather than digitally")}
    # what the sentence does state, and the same setting aside, are no conflict
    assert not _align("The Salt Orchard was shot on 35 mm film.", source).conflicts
    assert not _align("Harrowen shot on 35 mm film rather than digitally.", source).conflicts
    got = _align("The commuters took the bus.", "The commuters took the train instead of the bus.")
    assert _conflict_triples(got) == {("negation", "bus", "instead of the bus")}
    # an action set aside denies that action only: the first version refuted "cut taxes" here
    # (found by the review of 5b9afa6)
    source = "Rather than raising taxes, the government cut spending on defence."
    assert not _align("The government cut taxes.", source).conflicts
    got = _align("The government raised taxes.", source)
    assert ("negation", "taxes", "Rather than raising taxes") in _conflict_triples(got)


def test_people_is_the_class_of_its_kinds_and_one_noun_states_one_noun(real_embedder):
    # on 23008a9 "Three people are standing in a room." was REFUTED by "Three woman are standing
    # in a room." (an SNLI train pair): WordNet's "people" is a noun of its own, below which no
    # kind of person is, so "woman" was a swap for it
    assert lexicon.is_kind_of("woman", "people") and lexicon.is_kind_of("resident", "people")
    assert not lexicon.is_kind_of("people", "woman") and not lexicon.is_kind_of("dog", "people")
    wv = WordVectors(real_embedder.embed_queries)
    got = _align("Three people are standing in a room.", "Three woman are standing in a room.", wv)
    assert not got.missing and not got.swaps
    # and once "people" met "villagers", the object "person" met them too: a counter-claim of
    # an SNLI test pair came out SUPPORTED while this was being written
    got = _align("There are people pulling a person.", "Villagers pulling in the fish boat.", wv)
    assert [m.text for m in got.missing] == ["person"]
    assert not _align("A man hands a man a cup.", "A man hands another man a cup.", wv).missing
    # a claim noun that another noun of the sentence states keeps its place: the first version
    # left the second "person" unstated here (found by the review of 5b9afa6)
    got = _align("A person is talking to a person.", "A man is talking to a woman on a bench.", wv)
    assert not got.missing
    got = _align("An animal is chasing an animal.", "A dog is chasing a cat across the yard.", wv)
    assert not got.missing


def test_a_phrasal_verb_meets_its_one_word_synonym_either_way(real_embedder):
    # on ff45307 "passed away" was NOT_ENOUGH_INFO against "died" (a probe2 dev claim, d075)
    wv = WordVectors(real_embedder.embed_queries)
    for claim, source in [
        ("Ilse Marvonen passed away in 2009.", "Ilse Marvonen died in Porvoo in 2009."),
        ("Ilse Marvonen died in 2009.", "Ilse Marvonen passed away in 2009."),
        ("The chief executive resigned in 2019.", "The chief executive stepped down in 2019."),
        ("The company was set up in 2006.", "The company was founded in 2006."),
    ]:
        got = _align(claim, source, wv)
        assert not got.missing, (claim, [m.text for m in got.missing])
    # a phrasal synonym plays the same roles as the verb: the company is what was founded, not
    # what set up a factory (STATED in the review of 5cb6391)
    got = _align(
        "The company was founded in 1984.", "The company set up a new factory in 1984.", wv
    )
    assert got.missing or got.swaps
    # the verb alone is not the phrasal verb: "passed" an exam is no death
    got = _align("Ilse Marvonen passed away in 2009.", "Ilse Marvonen passed the exam in 2009.", wv)
    assert [m.text for m in got.missing] == ["away"]


def test_a_date_that_ends_a_span_is_rivalled_only_by_one_that_ends_a_span():
    # on ff45307 "until 2013" was REFUTED by the year the post began (a probe3 dev claim, p006)
    started = (
        "In 2007 she became the first woman to head the university's department of fine arts, "
        "a post she held for six years."
    )
    assert not _align("Varga was head of the department until 2013.", started).conflicts
    ended = "Varga was head of the department until 2011."
    assert ("2013", "2011") in _conflict_spans(_align("Varga was head until 2013.", ended))
    since = "Varga has lived in Toronto since 2009."
    assert ("2013", "2009") in _conflict_spans(
        _align("Varga has lived in Toronto since 2013.", since)
    )
    # a date of no bound still meets any year of the sentence
    assert ("2019", "2017") in _conflict_spans(
        _align("Torvang joined the club in 2019.", "In 2017 he joined the club.")
    )


def test_a_bounded_length_is_stated_by_the_length_the_sentence_gives():
    # on ff45307 "more than 60 kilometres long" was NOT_ENOUGH_INFO (a probe3 dev claim)
    source = "The River Skelda is a river in northern England, about 68 kilometres (42 mi) long."
    got = _align("The Skelda is more than 60 kilometres long.", source)
    assert not got.missing
    # where the parse hangs "long" on "kilometres" (an appositive), as in the probe's text
    got = _align(
        "The Skelda is more than 60 kilometres long.",
        source[:-1] + ", which rises on the slopes of Harrow Fell and flows south-east.",
    )
    assert not got.missing
    got = _align("The Skelda is more than 70 kilometres long.", source)
    assert ("more than 70 kilometres", "about 68 kilometres") in _conflict_spans(got)
    # another measure is not this one
    got = _align("The Skelda is more than 60 kilometres long.", "The Skelda is 68 kilometres wide.")
    assert "more than 60 kilometres" in [m.text for m in got.missing]


def test_born_in_a_country_is_stated_by_its_nationality_born():
    # on ff45307 "born in Hungary" was NOT_ENOUGH_INFO against "a Hungarian-born sculptor"
    source = "Elsa Varga (born 14 March 1961) is a Hungarian-born Canadian sculptor."
    assert not _align("Elsa Varga is a sculptor who was born in Hungary.", source).missing
    assert "Canada" in [m.text for m in _align("Elsa Varga was born in Canada.", source).missing]
    got = _align("Elsa Varga is a Hungarian-born sculptor.", "Elsa Varga was born in Hungary.")
    assert "Hungarian" not in [m.text for m in got.missing]
    # only a birth said of what the sentence is about (the review of 5cb6391 found this STATED)
    got = _align(
        "Miklos Kovacs was born in Hungary.",
        "Miklos Kovacs married a Hungarian-born pianist in 1950.",
    )
    assert "Hungary" in [m.text for m in got.missing]


def test_a_year_before_1500_and_a_span_in_another_unit_meet_their_rivals():
    # on ff45307 both were NOT_ENOUGH_INFO (probe3 dev claims): 1354 was read as no year, and
    # "one month" had no rival in "one week", a span in another unit
    got = _align(
        "A bridge at Hallowby was first recorded in 1781.",
        "A bridge at Hallowby was first recorded in 1354.",
    )
    assert ("1781", "1354") in _conflict_spans(got)
    got = _align("Trackers were worn for one month.", "Trackers were worn for one week.")
    assert ("one month", "one week") in _conflict_spans(got)
    # the same span written in another unit, or one a bound allows, is no rival
    assert not _align(
        "Trackers were worn for 12 months.", "Trackers were worn for one year."
    ).conflicts
    got = _align(
        "Trackers were worn for more than six months.", "Trackers were worn for two years."
    )
    assert not got.conflicts
    # a four-figure count outside a date is still no year
    assert analysis.years("1200 patients in 2010", in_date=False) == {"2010"}


def test_every_unit_conflicts_with_every_n_units():
    # on ff45307 "every year" was SUPPORTED by "every two years" (probe3 dev p136): the claim's
    # word "year" was stated by "years"
    source = "Participants filled in questionnaires every two years."
    got = _align("Participants filled in questionnaires every year.", source)
    assert ("every year", "every two years") in _conflict_spans(got)
    assert not _align("Participants filled in questionnaires every two years.", source).conflicts
    got = _align(
        "Patients took the drug every day.", "Patients took the drug every day for a year."
    )
    assert not got.conflicts


def test_a_count_the_ner_took_for_a_year_is_a_number():
    # spaCy tags "1300" of "enrolled 1300 patients" DATE: on ff45307 "1200 patients" had no
    # rival in it, and the claim's own figure was a date slot
    got = _align(
        "The trial enrolled 1200 patients in 2010.", "The trial enrolled 1300 patients in 2010."
    )
    assert ("1200", "1300") in _conflict_spans(got)
    cdoc = parse(["In 1998, 1300 patients were enrolled."])[0]
    assert [(s.kind, s.text) for s in slots_of(cdoc) if s.kind != "word"] == [
        ("date", "1998"),
        ("number", "1300"),
    ]
    # a year that says which report is still a year
    got = _align("The report was published in 2019.", "The 2019 report was published in 2020.")
    assert ("2019", "2020") in _conflict_spans(got)


def test_a_sentence_that_differs_in_the_names_and_the_date_is_another_event():
    # it shares the verb only: a conflict with another event is not a refutation
    other = _sentence(
        "Khaled Meshaal met Dmitry Medvedev in 2010.",
        "Moussa Abu Marzouk met Mikhail Bogdanov on October 26, 2023.",
    )
    assert len(other.alignment.conflicts) >= 2
    assert verify._aligned_conflicts(other, 0.7) == []
    same = _sentence("Khaled Meshaal met Dmitry Medvedev in 2010.", "Meshaal met Medvedev in 2012.")
    assert [c.kind for c in verify._aligned_conflicts(same, 0.7)] == ["date mismatch"]


def test_abbreviations_a_passage_defines():
    text = (
        "Remarkably, pyridostatin (PDS) reduces growth. Latent human cytomegalovirus (HCMV) "
        "infection raises interleukin-2 (IL-2); the International Atomic Energy Agency (IAEA) "
        "said so (see below) in 40 patients (n = 40; 95% CI 1.2-3.4; P<0.001)."
    )
    assert abbreviations(text) == {
        "PDS": "pyridostatin",
        "HCMV": "human cytomegalovirus",
        "IL-2": "interleukin-2",
        "IAEA": "International Atomic Energy Agency",
    }


def test_a_long_form_aligns_with_the_short_form_its_passage_defines():
    defined = abbreviations("Remarkably, human cytomegalovirus (HCMV) and pyridostatin (PDS).")

    def missing(claim, source, d=defined):
        cdoc, sdoc = parse([claim, source])
        a = align(slots_of(cdoc), cdoc, sdoc, None, defined=d)
        return [s.text for s in a.missing], a.swaps

    said = "induces checkpoint activation."
    assert missing(f"Pyridostatin {said}", f"PDS {said}") == ([], ())
    assert missing(f"PDS {said}", f"Pyridostatin {said}") == ([], ())
    assert (
        missing("Human cytomegalovirus alters gene expression.", "HCMV alters gene expression.")[0]
        == []
    )
    # another thing in the same place is still another thing, and nothing is defined unless said
    assert missing("Mouse cytomegalovirus alters gene expression.", "HCMV alters gene expression.")[
        0
    ] == ["Mouse", "cytomegalovirus"]
    assert missing(f"Aspirin {said}", f"PDS {said}")[0] == ["Aspirin"]
    assert missing(f"Pyridostatin {said}", f"PDS {said}", {})[0] == ["Pyridostatin"]


def test_a_word_written_two_ways_is_the_same_word(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # with and without its hyphen, a genus spelled out or abbreviated, an acronym with a
    # capital part: the same words, aligned, and no swap ("pro" was swapped for
    # "proinflammatory", "Escherichia" for "E.", "Nonsteroidal" negated "steroidal")
    for claim, source in [
        (
            "Transcription factor EB induces pro-inflammatory cytokines in Staphylococcus aureus "
            "infection.",
            "TFEB induces proinflammatory cytokines in S. aureus infection.",
        ),
        ("Escherichia coli causes infections.", "E. coli causes infections."),
        ("E. coli causes infections.", "Escherichia coli causes infections."),
        ("Nonsteroidal drugs reduce pain.", "Non-steroidal drugs reduce pain."),
    ]:
        a = _align(claim, source, wv)
        assert (a.missing, a.substitutions, a.swaps, a.conflicts) == ((), (), (), ()), claim
    # an acronym is no phrase of its own capitals: "RAR-RXR" is not the "RXR" of the sentence
    # (a SciFact dev-abstract perturbation came out SUPPORTED)
    a = _align(
        "Heterodimerization of RXR with constitutively active RAR-RXR creates a novel "
        "hormone-dependent complex.",
        "Heterodimerization of RXR with constitutively active NGFI-B/Nurr1 creates a novel "
        "hormone-dependent complex.",
        wv,
    )
    assert "RAR-RXR" in [s.text for s in a.missing]
    # another species, another genus, and a negating prefix are still other words
    assert [
        s.text
        for s in _align("E. faecalis causes infections.", "E. coli causes infections.", wv).missing
    ] == ["faecalis"]
    a = _align(
        "Streptococcus aureus causes infections.", "Staphylococcus aureus causes infections.", wv
    )
    assert [s.text for s in a.missing] == ["Streptococcus"]
    # "non-" negates the word it is hyphenated to (spaCy splits it off): "Significant" and
    # "Small cell lung cancer" were aligned with "Non-significant", "Non-small cell lung cancer"
    for claim, source, pair in [
        (
            "Steroidal drugs reduce pain.",
            "Non-steroidal drugs reduce pain.",
            ("Steroidal", "Non-steroidal"),
        ),
        (
            "Significant effects were seen.",
            "Non-significant effects were seen.",
            ("Significant", "Non-significant"),
        ),
        (
            "Small cell lung cancer responds to it.",
            "Non-small cell lung cancer responds to it.",
            ("Small", "Non-small"),
        ),
    ]:
        assert ("negation", *pair) in _conflict_triples(_align(claim, source, wv))
    for claim, source in [
        (
            "Non-small cell lung cancer responds to it.",
            "Non-small cell lung cancer responds to it.",
        ),
        ("Nonsignificant effects were seen.", "Non-significant effects were seen."),
    ]:
        assert _align(claim, source, wv).coverage == 1.0


def test_a_negation_the_sentence_has_nothing_for_conflicts():
    # SNLI test counter-claims that came out SUPPORTED: the claim denies a predicate ("are",
    # "is") the sentence does not share, and the sentence denies nothing
    for claim, source, pair in [
        ("There are not two people sitting down.", "Two people sitting on the sand.", "are not"),
        ("A person is not near a river.", "Person fishing in river.", "is not"),
    ]:
        spans = {(c.kind, c.claim_span) for c in _align(claim, source).conflicts}
        assert ("negation", pair) in spans, claim
    # a sentence with its own negation, or none in the claim, is no such conflict
    assert not _align(
        "Aspirin does not reduce mortality.", "Aspirin had no effect on mortality."
    ).conflicts
    assert not _align("Two men talk outdoors.", "Two men talk outdoors.").conflicts
    # a content verb the sentence lacks is a missing word, not a negation conflict: a sentence
    # may say the same without "not" (a SciFact dev claim was REFUTED that way)
    a = _align(
        "Teaching hospitals do not provide better care.", "Teaching hospitals gave similar care."
    )
    assert "provide" in [s.text for s in a.missing]
    assert not a.conflicts


def test_each_number_of_the_source_states_one_number_of_the_claim():
    # a SciFact dev-abstract perturbation that came out SUPPORTED: "28-fold" changed to the
    # "14-fold" the sentence states once
    claim = "Recipients had 14-fold and 14-fold lower diversity."
    a = _align(claim, "Recipients had 28-fold and 14-fold lower diversity.")
    assert ("number mismatch", "14-fold", "28-fold") in _conflict_triples(a)
    assert _align(claim, claim).coverage == 1.0
    a = _align(
        "Two patients had colitis, 3 had fever, and 3 had cancer.",
        "Two patients had colitis, 2 had fever, and 3 had cancer.",
    )
    assert ("number mismatch", "3", "2") in _conflict_triples(a)
    # one range the source states once is one number, however the claim's slots split it
    a = _align(
        "Febrile seizures affect 3–5%.", "Febrile seizures affect 3–5% of infants and children."
    )
    assert (a.missing, a.conflicts) == ((), ())


def test_a_name_shortened_where_its_passage_writes_it_in_full():
    passage = "Norvale Foods reported a loss. Kestrel Brands sued Norvale in 2021."

    def missing(claim, source, text=passage):
        cdoc, sdoc = parse([claim, source])
        a = align(slots_of(cdoc), cdoc, sdoc, None, passage=text.lower())
        return [s.text for s in a.missing], a.swaps

    said = "Kestrel Brands sued Norvale in 2021."
    assert missing("Kestrel Brands sued Norvale Foods in 2021.", said) == ([], ())
    # not unless the passage writes the name in full, nor against a rival of the same word
    assert missing("Kestrel Brands sued Norvale Foods in 2021.", said, said)[0] == ["Norvale Foods"]
    rival = "Kestrel Brands sued Norvale Holdings in 2021."
    assert "Norvale Foods" in missing("Kestrel Brands sued Norvale Foods in 2021.", rival)[0]
    # a word of the name that modifies something else is not the name (a perturbation of the
    # shipped article, "the Soviet Union" for "Israel", came out SUPPORTED)
    text = "The Soviet Union fell. The Soviet security agency sought the destruction of Israel."
    assert missing(
        "The Soviet security agency sought the destruction of the Soviet Union.",
        "The Soviet security agency sought the destruction of Israel.",
        text,
    )[0] == ["the Soviet Union"]


def test_a_definite_description_is_no_other_actor_of_a_name(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # "The company" may be Norvale Foods: not stated, not contradicted
    a = _align(
        "Norvale Foods blamed higher energy prices.", "The company blamed higher energy prices.", wv
    )
    assert [s.text for s in a.missing] == ["Norvale Foods"]
    assert (a.substitutions, a.swaps) == ((), ())
    # another name in its place is still another actor
    a = _align(
        "Norvale Foods blamed higher energy prices.",
        "Kestrel Brands blamed higher energy prices.",
        wv,
    )
    assert a.swaps


def test_an_actor_the_clause_names_in_another_role_is_not_another_actor(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # on a254e37 this true claim was REFUTED (a probe4 dev claim, q041): the film "won" in the
    # sentence, but Oduya is in the verb's own clause ("Best Actress for Oduya"); the award is
    # told another way, so the claim's actor is unstated there, not contradicted
    claim = "Maren Oduya won Best Actress for her role in The Salt Orchard."
    a = _align(claim, "The Salt Orchard won four awards, including Best Actress for Oduya.", wv)
    assert "Maren Oduya" in [s.text for s in a.missing]
    assert not a.swaps
    # a role reversal stays a contradiction: the sentence's actor is the claim's other party
    assert _align("Russia opposed Hamas.", "Hamas opposed Russia.", wv).swaps
    assert _align("Russia was criticised by Hamas.", "Russia criticised Hamas.", wv).swaps
    # the other party of a verb continued by another, or of a verb's own preposition
    for claim, source in (
        ("Russia continued to oppose Hamas.", "In 2019 Hamas continued to oppose Russia."),
        ("Russia lobbied against Hamas.", "Last year Hamas lobbied hard against Russia at the UN."),
    ):
        assert _align(claim, source, wv).swaps, claim
    # and an actor the clause does not name is another actor, as before
    assert _align(
        "Ilse Harrowen won Best Actress for her role in The Salt Orchard.",
        "The Salt Orchard won four awards, including Best Actress for Oduya.",
        wv,
    ).swaps


def test_another_actor_of_a_name_slot_is_that_slot_missing_once(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # the sentence says "considers" of Russia: the claim's name "China" is swapped, and it is the
    # claim's name slot that is missing (once), not a second word slot of the same word
    a = _align(
        "China considers Hamas a terrorist organisation.",
        "Russia does not consider Hamas a terrorist organisation.",
        wv,
    )
    assert ("China", "Russia") in a.substitutions
    assert [(s.kind, s.text) for s in a.missing] == [("entity", "China")]


def test_a_modifier_the_sentence_says_of_another_noun_is_not_stated(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # "terrorist" is in the sentence, but of "acts"; the organisation is "humanitarian" there
    claim = "Russia considers Hamas a terrorist organisation."
    source = (
        "Primakov said that Russia considers Hamas a humanitarian organisation but that it has "
        "a wing that commits terrorist acts."
    )
    a = _align(claim, source, wv)
    assert ("terrorist", "humanitarian") in a.substitutions
    assert "terrorist" in [s.text for s in a.missing]
    a = _align(
        "A man in a blue shirt is running.", "A man in a red shirt and a blue hat is running.", wv
    )
    assert ("blue", "red") in a.substitutions
    # said of its own noun, or with no rival on the claim's noun, it stays aligned
    for source in (
        "A man in a blue and red shirt is running.",
        "A man in a shirt that is blue is running.",
        "A man in a shirt and a blue hat is running.",
    ):
        assert "blue" not in [
            s.text for s in _align("A man in a blue shirt is running.", source, wv).missing
        ], source
    # the word said another way (an adverb of the verb) is no misplaced modifier
    a = _align(
        "The children wear warm clothing.", "The children dress warmly in colorful jackets.", wv
    )
    assert ("warm", "colorful") not in a.substitutions


def test_a_clause_said_of_a_noun_is_one_slot_as_participle_or_relative_clause(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # the claim's participle ("playing", acl) and the sentence's relative clause ("who are
    # running", relcl) say one thing of "uniforms": another verb in that place is a
    # substitution, as it is when both write a participle
    claim = "There are two guys wearing uniforms playing in the grass."
    for source in (
        "There are two guys wearing uniforms who are running in the grass.",
        "There are two guys wearing uniforms running in the grass.",
    ):
        a = _align(claim, source, wv)
        assert ("playing", "running") in a.substitutions, source
        assert "playing" in [s.text for s in a.missing], source
    # the same verb in a relative clause is stated, not substituted
    a = _align(claim, "There are two guys wearing uniforms who are playing in the grass.", wv)
    assert not a.missing and not a.substitutions
    # a relative clause that adds to what is said of the noun (set off by commas), or in which
    # the noun is the object, replaces no participle of the claim
    claim = "A man wearing a red hat sits on a bench."
    for source in (
        "A man, who is eating a sandwich, sits on a bench.",
        "There is a man whom the crowd is watching on a bench.",
    ):
        a = _align(claim, source, wv)
        assert "wearing" in [s.text for s in a.missing], source
        assert not [x for x in a.substitutions if x[0] == "wearing"], source


def test_a_verb_phrase_the_sentence_says_of_another_predicate_is_not_stated(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # on a254e37 this counter-claim was SUPPORTED (a probe3 dev claim, p089): "during morning
    # assembly" is in the sentence, but of the children who would have been in the hall; the
    # roof "fell in at about 6.30am"
    claim = "The roof collapsed during morning assembly."
    source = (
        "Nobody was injured because the roof fell in at about 6.30am, before staff and pupils "
        "had arrived, but the court heard that up to 60 children would normally have been in "
        "the hall below during morning assembly."
    )
    a = _align(claim, source, wv)
    assert ("assembly", "6.30am") in a.substitutions
    assert "assembly" in [s.text for s in a.missing]
    # within the verb's own clause the phrase is the verb's, wherever the parse hangs it
    a = _align(claim, "The roof fell in during morning assembly, before the pupils arrived.", wv)
    assert "assembly" not in [s.text for s in a.missing]
    # and a verb with no phrase of its own proves nothing
    a = _align(
        claim,
        "Nobody was hurt when the roof fell in, but the court heard that up to 60 children "
        "would normally have been in the hall during morning assembly.",
        wv,
    )
    assert not [x for x in a.substitutions if x[0] == "assembly"]


def test_a_comparison_the_sentence_makes_in_no_words_is_not_stated():
    # on 1803f21 this counter-claim was SUPPORTED (eval/probe, p101): the stance model read the
    # two figures as entailing "less than placebo did" (0.56), where batched it had read them
    # as contradicting it; no word of the sentence compares
    source = (
        "Velonitide reduced monthly migraine days by 5.1 days, compared with 2.3 days for placebo."
    )
    for claim in (
        "Velonitide reduced monthly migraine days less than placebo did.",
        "Velonitide reduced monthly migraine days more than placebo did.",
    ):
        assert claim.split()[5] in [s.text for s in _align(claim, source).missing], claim
    # a comparative in the sentence is compared as before, and a bound on a figure is no
    # comparison
    a = _align(
        "Velonitide reduced migraine days more than placebo did.",
        "Velonitide reduced migraine days more than placebo did.",
    )
    assert not a.missing
    a = _align("Valo won more than 60 caps.", "Valo won 64 caps.")
    assert "more" not in [s.text for s in a.missing]
    # a bound beside a comparison leaves the comparison to be stated, and only it
    a = _align(
        "More than 60 patients improved faster than placebo patients.",
        "More than 60 patients improved, against 20 on placebo.",
    )
    assert "faster" in [s.text for s in a.missing] and "More" not in [s.text for s in a.missing]


def test_a_sentence_that_states_nothing_of_the_claim_never_contradicts_it():
    # a stance model trained on SNLI reads an unrelated caption as a contradiction
    off = _sentence("A man in a blue shirt is running.", "Recognition of legitimacy was important.")
    assert not off.alignment.aligned and off.contradicts == 0.8
    assert verify._stance(off, verify.PARAMS) == "unrelated"
    on = _sentence("A man in a blue shirt is running.", "A man in a blue shirt is sitting.")
    assert verify._stance(on, verify.PARAMS) == "contradicts"
    from dataclasses import replace as dc_replace
    from types import SimpleNamespace

    from verifact.verify.evidence import Analysis

    off = dc_replace(off, hit=SimpleNamespace(rank=1))
    analysis = Analysis("A man in a blue shirt is running.", (), (off,), (), (), 0.1)
    assert verify.decide(analysis).label != "REFUTED"
    assert verify.features(analysis)["contradicts"] == 0.0


def test_the_verbs_gate_lets_only_the_predicates_wording_go_unaligned():
    from dataclasses import replace as dc_replace

    # "is involved" is how the claim words what the sentence states (the stance model reads it);
    # "yeast" is a thing and "key" a quality the sentence does not state: with "verbs", only the
    # first may be left unaligned
    source = "RAD52 has a role in break-induced replication."
    verb = _sentence("RAD52 is involved in break-induced replication.", source)
    noun = _sentence("RAD52 has a role in yeast break-induced replication.", source)
    adj = _sentence("RAD52 has a key role in break-induced replication.", source)
    assert [(m.text, m.label) for m in verb.alignment.missing] == [("involved", "VERB")]
    assert [(m.text, m.label) for m in noun.alignment.missing] == [("yeast", "NOUN")]
    assert [(m.text, m.label) for m in adj.alignment.missing] == [("key", "ADJ")]
    any_kind = dict(verify.PARAMS, gate_missing=1, gate_kinds="any")
    verbs = dict(any_kind, gate_kinds="verbs")
    assert all(verify._covers(s, any_kind) for s in (verb, noun, adj))
    assert verify._covers(verb, verbs)
    assert not verify._covers(noun, verbs) and not verify._covers(adj, verbs)
    assert not verify._covers(verb, dict(verbs, gate_missing=0))
    entails = (0.8, 0.1, 0.1)
    assert verify._stance(dc_replace(verb, probs=entails), verbs) == "supports"
    assert verify._stance(dc_replace(noun, probs=entails), verbs) == "unrelated"


def test_a_sentence_stating_every_slot_need_only_entail_more_than_it_contradicts():
    from dataclasses import replace as dc_replace

    # every word of the claim is in the sentence; the stance model reads "neutral" first (the
    # sentence says more than the claim), which the fitted "covered_entails" may accept
    source = "Ilse Marvonen was a Finnish novelist and translator, best known for her trilogy."
    covered = _sentence("Ilse Marvonen was a Finnish novelist.", source)
    assert not covered.alignment.missing and verify._covers(covered, verify.PARAMS)
    strict = dict(verify.PARAMS, covered_entails="max")
    loose = dict(verify.PARAMS, covered_entails="contradicts")
    neutral_first = dc_replace(covered, probs=(0.3, 0.05, 0.65))
    assert not verify._supports(neutral_first, strict)
    assert verify._stance(neutral_first, strict) == "unrelated"
    assert verify._supports(neutral_first, loose)
    assert verify._stance(neutral_first, loose) == "supports"
    # "gate_entails" is about sentences that leave a word unaligned, not this one
    assert verify._supports(neutral_first, dict(loose, gate_entails=0.75))
    # a tie is no entailment
    assert not verify._supports(dc_replace(covered, probs=(0.4, 0.4, 0.2)), loose)
    # a sentence read as contradicting more than entailing supports under neither
    contra = dc_replace(covered, probs=(0.3, 0.4, 0.3))
    assert not verify._supports(contra, strict) and not verify._supports(contra, loose)
    # a sentence that leaves a word unaligned must still read as entailing most, and at least
    # "gate_entails" when that is set
    verb = _sentence("Ilse Marvonen worked as a Finnish novelist.", source)
    assert [m.text for m in verb.alignment.missing] == ["worked"]
    gate = dict(loose, gate_missing=1, gate_kinds="verbs", gate_entails=0.0)
    assert not verify._supports(dc_replace(verb, probs=(0.3, 0.05, 0.65)), gate)
    assert verify._supports(dc_replace(verb, probs=(0.6, 0.05, 0.35)), gate)
    assert not verify._supports(
        dc_replace(verb, probs=(0.6, 0.05, 0.35)), dict(gate, gate_entails=0.75)
    )
    assert verify._supports(
        dc_replace(verb, probs=(0.8, 0.05, 0.15)), dict(gate, gate_entails=0.75)
    )
    # the decision: a fitted model that says SUPPORTED is let through by that sentence only
    # under "contradicts"; else the next label is given
    from verifact.verify.evidence import Analysis

    n = len(verify.FEATURES)
    says_supported = {
        "features": list(verify.FEATURES),
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "coef": [[0.0] * n] * 3,
        "intercept": [1.0, 0.0, 0.5],
    }
    analysis = Analysis(
        "Ilse Marvonen was a Finnish novelist.",
        (),
        (dc_replace(neutral_first, hit=SimpleNamespace(rank=1)),),
        (),
        (),
        0.7,
    )
    assert verify.decide(analysis, dict(strict, model=says_supported)).label == "NOT_ENOUGH_INFO"
    got = verify.decide(analysis, dict(loose, model=says_supported))
    assert got.label == "SUPPORTED"
    assert [r.kind for r in got.reasons] == ["supporting sentence"]


def test_negation_counts_only_on_a_shared_predicate():
    # "did not change" negates another predicate than the claim's "supported"
    a = _align(
        "Russia supported the Syrian regime.",
        "Russia's position towards Hamas did not change even though it supported the Syrian "
        "regime.",
    )
    assert not a.conflicts and not a.missing
    same = _align(
        "The Soviet Union had no relations with Israel.",
        "The Soviet Union had no relations with Israel until 1991.",
    )
    assert not same.conflicts


def test_a_subject_negated_by_no_negates_its_verb():
    a = _align(
        "Brandt said jobs would be cut at the headquarters.",
        "Brandt said no jobs would be cut at the headquarters.",
    )
    assert ("negation", "cut", "no jobs would be cut") in _conflict_triples(a)
    assert not _align("No jobs were cut.", "No jobs were cut in May.").conflicts
    # a negative pronoun, or "neither ... nor", as the subject (both claims were SUPPORTED or
    # NOT_ENOUGH_INFO)
    none = "None of the passengers survived the crash."
    for claim in (
        "All of the passengers survived the crash.",
        "Some passengers survived the crash.",
    ):
        assert ("negation", "survived", "None of the passengers survived") in _conflict_triples(
            _align(claim, none)
        )
    assert not _align("None of the passengers survived.", none).conflicts
    neither = "Neither the mayor nor the governor attended the ceremony."
    assert [c.kind for c in _align("The governor attended the ceremony.", neither).conflicts] == [
        "negation"
    ]


def test_an_object_negated_by_no_negates_its_verb():
    # "had no diplomatic relations" is "did not have diplomatic relations": the claim that drops
    # the "no" was SUPPORTED by the shipped article's own sentence
    a = _align(
        "The Soviet Union had diplomatic relations with Israel from 1967.",
        "The Soviet Union had no diplomatic relations with Israel from 1967, after the war.",
    )
    assert ("negation", "had", "had no diplomatic relations") in _conflict_triples(a)
    for claim, source in [
        ("The trial found no difference.", "The trial found no difference in mortality."),
        ("There was no effect on weight.", "There was no effect on body weight."),
    ]:
        assert not _align(claim, source).conflicts, claim
    assert _align("The trial found a difference.", "The trial found no difference.").conflicts


@pytest.mark.parametrize(
    ("source", "reading"),
    [
        (
            "The company rejected claims that its vaccine caused heart problems in children.",
            "The company rejected claims.",
        ),
        (
            "Police disputed reports that the suspect had fled to Canada.",
            "Police disputed reports.",
        ),
        ("Hamas denied it had received weapons from Iran.", "Hamas denied."),
        ("Officials denied selling weapons to the rebels.", "Officials denied."),
        # what the authors' results dispute, the source states false: it stays (negation below)
        ("These results refute the hypothesis that coffee causes liver cancer.", None),
        # a relative clause describes a thing; a denial denied states the clause
        ("The court rejected the drug that caused harm.", None),
        ("He did not deny that he took the money.", None),
        ("The mayor said that the bridge would reopen in May.", None),
        # asked or supposed, not stated
        ("It is unclear whether the factory will close next year.", "It is unclear."),
        ("We investigated whether metformin reduces tumour growth in mice.", "We investigated."),
        (
            "To determine if aspirin lowers risk, we enrolled 300 patients.",
            "To determine, we enrolled 300 patients.",
        ),
        (
            "If the vaccine proves safe, regulators will approve it in June.",
            "Regulators will approve it in June.",
        ),
        (
            "Folic acid lowers homocysteine but whether it lowers mortality is unknown.",
            "Folic acid lowers homocysteine but is unknown.",
        ),
        # intended, tried or expected, not done; what an abstract proposes is its conclusion
        ("The government hopes to cut emissions by half.", "The government hopes."),
        ("The police tried to arrest the suspect at the airport.", "The police tried."),
        ("Investors wanted the firm to sell its stake.", "Investors wanted."),
        ("The drug was expected to reduce blood pressure.", "The drug was expected."),
        ("The company announced plans to cut 500 jobs.", "The company announced plans."),
        ("We propose that KDM5B activates self-renewal genes.", None),
        ("Most experts agree that vitamin D deficiency is common.", None),
        # a condition goes; what it conditions stays, as the sentence states it
        (
            "Aspirin reduces the risk of stroke if taken daily.",
            "Aspirin reduces the risk of stroke.",
        ),
        (
            "We show that CMA activity is maintained if receptor loss is prevented.",
            "We show that CMA activity is maintained.",
        ),
        ("Unless rates fall, the firm will close.", "The firm will close."),
        (  # no empty brackets left behind
            "Officials denied reports (that the drug was unsafe) on Monday.",
            "Officials denied reports on Monday.",
        ),
        # granted, not supposed. A root "whether" (spaCy misparses the clausal subject) is left
        # alone: a known miss, the asked clause stays and could support "The drug works."
        ("Apoptosis, even if it is accompanied by ATP increases, results in ATP decrease.", None),
        ("Whether the drug works remains unknown.", None),
    ],
)
def test_a_clause_a_sentence_does_not_state_is_read_out_of_it(source, reading):
    from verifact.verify.analysis import asserted

    (doc,) = parse([source])
    assert asserted(doc) == reading


def test_what_results_dispute_is_a_negation_and_a_denial_matches_a_not():
    a = _align(
        "Coffee causes liver cancer.",
        "These results refute the hypothesis that coffee causes liver cancer.",
    )
    assert ("negation", "causes", "refute the hypothesis that coffee causes") in _conflict_triples(
        a
    )
    # "denied that Russia considers" denies what "does not consider" denies: no conflict, and
    # the value in place ("humanitarian") is no contradiction of a claim that denies
    claim = "Bogdanov denied that Russia considers Hamas a terrorist organisation."
    assert not _align(
        claim, "Bogdanov reiterated that Russia does not consider Hamas a terrorist organisation."
    ).conflicts
    assert not _align(claim, "Bogdanov considers Hamas a humanitarian organisation.").swaps
    # a denial the source does not report is no conflict with what it states
    assert not _align(
        "Officials denied that the government sold weapons.", "The government sold weapons."
    ).conflicts


@pytest.mark.parametrize(
    "source",
    [
        "The drug failed to reduce mortality in elderly patients.",
        "The drug was unable to reduce mortality in elderly patients.",
        "The drug refused to reduce mortality in elderly patients.",
    ],
)
def test_a_negative_implicative_negates_its_complement(source):
    # "failed to reduce" states that it did not: the claim without it was SUPPORTED, and the
    # claim that says "did not reduce" was REFUTED on the negation
    claim = "The drug reduced mortality in elderly patients."
    (conflict,) = _align(claim, source).conflicts
    assert conflict.kind == "negation" and conflict.claim_span == "reduced"
    assert conflict.source_span.endswith("to reduce")
    assert not _align("The drug did not reduce mortality in elderly patients.", source).conflicts
    # "did not fail to improve" states that it improved
    assert not _align(
        "Treatment improved survival.", "Treatment did not fail to improve survival."
    ).conflicts


def test_review_cases_that_state_or_deny_nothing_new():
    # each was a wrong conflict or swap in review (2026-12-06): "second-largest" is a rank
    # written with a hyphen; "no longer than" is "at most"; "nothing but", "none other than"
    # affirm; refuting a denial states the thing; a copula's dates are of other statements
    assert not _align(
        "China is the second largest economy in the world.",
        "China is the world's second-largest economy.",
    ).swaps
    assert ("the largest", "third") in _align(
        "Lyon is the largest city in France.", "Lyon is the third-largest city in France."
    ).swaps
    assert not _align(
        "China is the second largest economy.", "China is the second\u2013largest economy."
    ).swaps  # an en dash
    assert not _align(
        "Treatment lasted five days.", "Treatment lasted no longer than five days."
    ).conflicts
    assert not _align("He ate bread.", "He ate nothing but bread.").conflicts
    assert not _align("The winner was Smith.", "The winner was none other than Smith.").conflicts
    # not an idiom: "nobody else", "nothing more" still deny (second review)
    assert _align("Other passengers were injured.", "Nobody else was injured.").conflicts
    assert _align("The police said more.", "The police said nothing more.").conflicts
    # "nearly" of a number denies nothing: the sentence states the stadium filled
    assert [
        c.kind
        for c in _align(
            "The stadium is not full.", "Nearly 50,000 fans filled the stadium."
        ).conflicts
    ] == ["negation"]
    # "had its IPO in 2018" is an event's date
    assert ("2018", "2021") in _conflict_spans(
        _align(
            "The company had its IPO in 2018.",
            "The company was founded in 2018 and had its IPO in 2021.",
        )
    )
    assert not _align(
        "The drug works.", "These results refute the claim that the drug does not work."
    ).conflicts
    assert _align(
        "The drug does not work.", "These results refute the claim that the drug does not work."
    ).conflicts
    assert not _align(
        "The unemployment rate was 5 percent in 2018.",
        "The unemployment rate was 4 percent in 2017 and fell to 5 percent in 2018.",
    ).conflicts


def test_a_sentence_read_without_a_clause_keeps_the_labels_of_its_names():
    from verifact.verify.evidence import _carry_names

    (old,) = parse(["Amara Okafor denied that the trial had failed."])
    old = label_names(old, [(0, 12, "PERSON")])
    (new,) = parse(["Amara Okafor denied."])
    assert [(e.text, e.label_) for e in _carry_names(old, new).ents] == [("Amara Okafor", "PERSON")]
    # a name read out with its clause is not carried onto a word that starts like it
    (old,) = parse(["Officials denied that Russia sold weapons, a Russian spokesman said."])
    (new,) = parse(["Officials denied, a Russian spokesman said."])
    labels = {e.text: e.label_ for e in _carry_names(old, new).ents}
    assert labels.get("Russian") == "NORP" and "Russia" not in labels


def test_a_superlative_in_a_sentence_span_is_read_inside_it():
    from verifact.verify.align import _superlatives

    (doc,) = parse(
        ["Paris is a big city with many museums. Lyon is the third largest city in France."]
    )
    second = list(doc.sents)[1]
    assert [(text, rank) for _, text, _, rank in _superlatives(second)] == [("third", 3)]


def test_an_adverb_that_says_it_did_not_happen_is_a_negation():
    for claim, source, span in [
        (
            "The bridge collapsed during the storm.",
            "The bridge almost collapsed during the storm.",
            "almost collapsed",
        ),
        (
            "Smith is the chief executive of the bank.",
            "Smith is no longer the chief executive of the bank.",
            "is no longer",
        ),
    ]:
        assert ("negation", span) in {
            (c.kind, c.source_span) for c in _align(claim, source).conflicts
        }
    # of a number, "nearly" is no negation
    assert not _align(
        "About 50 people died in the fire.", "Nearly 50 people died in the fire."
    ).conflicts


def test_a_sentence_read_without_a_clause_contradicts_no_more_than_whole():
    from verifact.verify.evidence import _no_more_contradicting

    # measured: "Seven men are preparing." 0.45 contradiction against "There are men at the
    # helicopter.", the whole sentence 0.06; the SNLI test claim became REFUTED
    e, c, n = _no_more_contradicting((0.2, 0.45, 0.35), (0.8, 0.06, 0.14))
    assert (e, c) == (0.2, 0.06) and abs(e + c + n - 1.0) < 1e-9
    assert _no_more_contradicting((0.1, 0.2, 0.7), (0.5, 0.4, 0.1)) == (0.1, 0.2, 0.7)


def _text_index(tmp_path, embedder, text: str, name: str = "a.txt"):
    """An index of one text file, built and loaded as a user's folder is."""
    from verifact.index.store import build_index
    from verifact.ingest.readers import load_documents
    from verifact.search.search import load_index

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / name).write_text(text)
    build_index(load_documents([tmp_path / "docs"]).documents, tmp_path / "idx", embedder)
    return load_index(tmp_path / "idx", embedder=embedder)


def test_headings_are_no_evidence_sentences():
    from verifact.verify.evidence import lines

    text = (
        "Elsa Varga\n\nElsa Varga (born 1961) is a sculptor.\n\n"
        "Early life and education\nVarga was born in Pécs. She studied in Budapest.\n\n"
        "Personal life\nPopulation: 9,000\nShe lives in Winnipeg with her husband\n\n"
        "Key facts\nShe lives in Winnipeg\nMarried to Tom Reddick\nProfits fell sharply\n"
        "Awards and honours\nWorks cited\nBased on\nHow it works"
    )
    got = [(text[a:b], heading) for a, b, heading in lines(text)]
    # the title and the section headings are headings, a heading is cut from its paragraph,
    # and a short line with a figure, or one that closes a sentence, is a statement; so is a
    # short line with a verb, a list item or a slide's bullet (on 311d5e7 "She lives in
    # Winnipeg" with no full stop was a heading, never checked)
    assert got == [
        ("Elsa Varga", True),
        ("Elsa Varga (born 1961) is a sculptor.", False),
        ("Early life and education", True),
        ("Varga was born in Pécs.", False),
        ("She studied in Budapest.", False),
        ("Personal life", True),
        ("Population: 9,000", False),
        ("She lives in Winnipeg with her husband", False),
        ("Key facts", True),
        ("She lives in Winnipeg", False),
        ("Married to Tom Reddick", False),
        ("Profits fell sharply", False),
        ("Awards and honours", True),
        # a heading's participle, a preposition with no object, a wh-word: headings (a
        # reviewer found all three read as statements at first)
        ("Works cited", True),
        ("Based on", True),
        ("How it works", True),
    ]


def test_short_lines_are_parsed_once_per_claim_and_per_passage(monkeypatch):
    from verifact.verify import evidence

    calls = []
    real = evidence._states
    monkeypatch.setattr(evidence, "_states", lambda texts: calls.append(texts) or real(texts))
    monkeypatch.setattr(evidence, "_LINES", {})
    a, b = "Key facts\nBorn in Pécs\nVarga taught.", "Career\nProfits fell sharply"
    first = evidence.lines_of([a, b, a])
    # every passage's short lines in one parse, a passage read once, in the order asked
    assert calls == [["Key facts", "Born in Pécs", "Career", "Profits fell sharply"]]
    assert first[0] == first[2] and [h for *_, h in first[1]] == [True, False]
    assert evidence.lines_of([b, a]) == [first[1], first[0]] and calls[1:] == [[]]


def _reading(doc) -> list:
    return [(t.text, t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_) for t in doc]


def test_a_sentence_parsed_once_reads_as_parsed_afresh(monkeypatch):
    # ``parse`` keeps the Docs of texts it parsed lately: a corpus's sentences recur across
    # the claims checked against it. That is only the same as parsing afresh if a text's parse
    # does not depend on the texts batched with it
    text = (default_sources_dir() / "russia-hamas-relations.txt").read_text("utf-8")
    sents = [s.text for s in parse([text[:4000]])[0].sents if len(s) > 3][:12]
    assert len(sents) >= 8
    analysis.forget_parses()
    alone = [_reading(parse([s])[0]) for s in sents]
    analysis.forget_parses()
    together = [_reading(d) for d in parse(sents)]
    analysis.forget_parses()
    mixed = [_reading(d) for d in parse(sents[::-1] + ["Hamas is a Palestinian movement."])]
    assert together == alone and mixed[: len(sents)][::-1] == alone

    calls = []
    real = analysis.load_nlp
    monkeypatch.setattr(analysis, "load_nlp", lambda: calls.append(1) or real())
    monkeypatch.setattr(analysis, "PARSED_CACHED", 3)
    analysis.forget_parses()
    a, b, c, d = sents[:4]
    first = parse([a, b, a])
    assert first[0] is first[2] and len(calls) == 1  # one batch, a repeated text parsed once
    assert parse([b, a]) == [first[1], first[0]] and len(calls) == 1  # kept: no parse at all
    kept_c = parse([c, d])[0]  # over the bound: the oldest (a) goes
    assert parse([b, c, d])[1] is kept_c and len(calls) == 2  # the others stay
    again = parse([a])[0]
    assert again is not first[0] and _reading(again) == alone[0] and len(calls) == 3
    long = " ".join(sents)  # a passage, not a sentence: parsed each time, never kept
    assert len(long) > analysis.PARSED_CHARS and parse([long])[0] is not parse([long])[0]

    # a Doc is shared, so no caller may change it: names a resolved text substituted are
    # labelled on a copy (``label_names``; it relabelled the kept Doc at first, so a later
    # parse of the same text read "Amara Okafor" as an organisation)
    text = "Amara Okafor plans to open a clinic in Lagos."
    ents = [(e.text, e.label_) for e in parse([text])[0].ents]
    relabelled = [(e.text, e.label_) for e in label_names(parse([text])[0], [(0, 12, "ORG")]).ents]
    assert ("Amara Okafor", "ORG") in relabelled and relabelled != ents
    assert [(e.text, e.label_) for e in parse([text])[0].ents] == ents
    analysis.forget_parses()


def test_a_list_item_states_what_it_says(tmp_path, real_embedder):
    # on c7d215f a short line with no full stop was a heading whatever it said, so a fact
    # sheet's "Born in Pécs, Hungary" was never checked and the claim was NOT_ENOUGH_INFO
    text = (
        "Elsa Varga\n\nElsa Varga (born 14 March 1961) is a Hungarian-born Canadian sculptor "
        "known for large outdoor works in weathered steel.\n\nKey facts\nBorn in Pécs, Hungary\n"
        "Married to the architect Tom Reddick\n\nCareer\nVarga taught sculpture at Northgate "
        "University from 1995.\n"
    )
    index = _text_index(tmp_path, real_embedder, text, name="elsa_varga.txt")
    v = verify.verify_claims(index, ["Varga was born in Pécs."])[0]
    assert v.label == "SUPPORTED", v.reasons
    assert any(r.source_span == "Born in Pécs, Hungary" for r in v.reasons), v.reasons


def test_a_title_that_repeats_the_claim_name_does_not_crowd_out_the_sentence(
    tmp_path, real_embedder
):
    # on a254e37 "Elsa Varga was born in Budapest" was NOT_ENOUGH_INFO (a probe3 dev
    # counter-claim, p011): the title line "Elsa Varga" and the heading "Personal life" were
    # among the sentences checked, and "Varga was born in Pécs" was not
    text = (
        "Elsa Varga\n\n"
        "Elsa Varga (born 14 March 1961) is a Hungarian-born Canadian sculptor known for large "
        "outdoor works in weathered steel. She has lived in Winnipeg since 1989.\n\n"
        "Early life and education\n"
        "Varga was born in Pécs, the younger of two daughters of Ferenc Varga, a mining "
        "engineer. She studied metalwork in Budapest, from which she graduated in 1984.\n\n"
        "Personal life\n"
        "Varga taught sculpture at Northgate University from 1995 until she retired in 2018."
    )
    index = _text_index(tmp_path, real_embedder, text)
    v = verify.verify_claims(index, ["Elsa Varga was born in Budapest."])[0]
    assert v.label == "REFUTED", v.reasons
    assert any(r.claim_span == "Budapest" and "Pécs" in r.source_span for r in v.reasons)


def test_an_article_subject_is_its_title_when_its_first_sentence_opens_with_it():
    from verifact.verify.evidence import topic_of

    def topic(title, lead):
        return topic_of(title, parse([lead])[0])

    assert topic("Kestrin Valo", "Kestrin Valo (born 14 March 1994) is a footballer.") == (
        "Kestrin Valo",
        "PERSON",
    )
    # "the" before the title; a name the NER gave no label is a proper noun's
    assert topic("River Skelda", "The River Skelda is a river in northern England.") == (
        "River Skelda",
        "PROPN",
    )
    # a title written as a page name
    assert topic("Kestrin_Valo", "Kestrin Valo (born 14 March 1994) is a footballer.") == (
        "Kestrin Valo",
        "PERSON",
    )
    # a news headline, or a title the first sentence does not open with, is no subject
    assert topic("Thousands evacuated as wildfire spreads", "More than 4,000 people left.") is None
    assert topic("Longstanding relationship with Hamas", "Throughout the Cold War, ...") is None
    assert topic("A title far too long to be the name of any one thing", "A title ...") is None


def test_a_number_is_stated_only_by_one_counting_the_same_thing():
    a = _align(
        "Marvonen published eleven collections of short stories.",
        "Marvonen published eleven more novels and two collections of short stories.",
    )
    assert ("number mismatch", "eleven", "two") in _conflict_triples(a)
    # a kind of the thing counted, or a synonym, counts it
    b = _align("1,200 people were evacuated.", "1,200 residents were evacuated.")
    assert not b.conflicts and "1,200" in [t for s, t, _ in b.aligned if s.kind == "number"]
    # where no figure of the sentence counts the claim's thing, its figure is stated: the swap
    # is the noun's ("Two cats" against "Two dogs"; the full re-analysis of db97fbf lost such
    # SNLI counter-claims to NOT_ENOUGH_INFO when "Two" went unstated)
    d = _align("Two cats are playing in the yard.", "Two dogs are playing in the yard.")
    assert "Two" in [s.text for s, _, _ in d.aligned] and ("cats", "dogs") in d.swaps
    # the claim's figure there, counting another thing: a figure of a third thing is no rival
    c = _align(
        "A knee injury limited Valo to 14 league games in his first season.",
        "A knee injury limited him to 14 league matches in his first season, but he played 41 "
        "times in all competitions.",
    )
    assert not [x for x in c.conflicts if x.kind == "number mismatch"]


def test_a_claim_name_the_ner_left_unlabelled_is_resolved_too(tmp_path, real_embedder):
    """ "Marvonen" is a proper noun the NER gives no label in "Marvonen published eleven
    collections ...": the sentence that calls her "she" is read resolved all the same."""
    index = _text_index(
        tmp_path,
        real_embedder,
        "Ilse Marvonen\n\nIlse Marvonen (3 February 1938 – 11 November 2009) was a Finnish "
        "novelist and translator.\n\nHer debut novel, Winter Harbour, was published in 1967. "
        "Over the next four decades she published eleven more novels and two collections of "
        "short stories.\n",
    )
    claims = {
        "Marvonen published two collections of short stories.": "SUPPORTED",
        "Marvonen published eleven collections of short stories.": "REFUTED",
    }
    got = {v.claim: v.label for v in verify.verify_claims(index, list(claims))}
    assert got == claims


def test_an_article_states_its_subject_facts_without_naming_it(tmp_path, real_embedder):
    """ "Principal photography took place over 41 days" in an article about Marren Vale is
    about Marren Vale's photography: read as "Marren Vale: ...", a claim that names the film
    is checked against it; a sentence that names another of the subject's kind ("Dario Menck
    joined ...", in an article about a footballer) is not read as stated of the subject, and
    a news report's headline is no subject."""
    index = _text_index(
        tmp_path,
        real_embedder,
        "Marren Vale\n\nMarren Vale is a 2014 Dutch thriller film directed by Ilse Varro. It "
        "stars Tomas Brink as a lighthouse keeper.\n\nPrincipal photography took place over "
        "41 days in the spring of 2013 on the island of Terschelling.\n",
    )
    claims = {
        "Principal photography on Marren Vale took place in the spring of 2013.": "SUPPORTED",
        "Principal photography on Marren Vale took place in the spring of 2012.": "REFUTED",
        "Principal photography on Marren Vale took place over 14 days.": "REFUTED",
    }
    got = {v.claim: v.label for v in verify.verify_claims(index, list(claims))}
    assert got == claims
    (tmp_path / "b").mkdir()
    index2 = _text_index(
        tmp_path / "b",
        real_embedder,
        "Kestrin Valo\n\nKestrin Valo (born 14 March 1994) is a Veldanian footballer who "
        "plays for Harrowgate Athletic.\n\nDario Menck joined FC Dunmere in 2010, two years "
        "after the club was relegated. FC Dunmere won the cup in 2012.\n",
    )
    other = verify.verify_claims(
        index2, ["Kestrin Valo joined FC Dunmere in 2010.", "Kestrin Valo won the cup in 2012."]
    )
    assert other[0].label != "SUPPORTED"
    assert other[1].label == "NOT_ENOUGH_INFO"


def test_what_a_sentence_does_not_state_or_denies_is_read_so(tmp_path, real_embedder):
    index = _text_index(
        tmp_path,
        real_embedder,
        "Ministry officials denied that the government had sold weapons to the rebels. "
        "The company rejected claims that its vaccine caused heart problems in children.\n\n"
        "The mayor said that the bridge would reopen in May. Police disputed reports that the "
        "suspect had fled to Canada.\n\n"
        "It is unclear whether the factory will close next year. The minister refused to "
        "resign after the scandal.\n\n"
        "The drug failed to reduce mortality in elderly patients.\n\n"
        "The company plans to cut 500 jobs in Ohio. The bridge almost collapsed during the "
        "storm.\n",
    )
    claims = {
        # SUPPORTED before: the stance model reads the denial as entailment (0.94)
        "The vaccine caused heart problems in children.": {"NOT_ENOUGH_INFO"},
        "The suspect fled to Canada.": {"NOT_ENOUGH_INFO"},
        # REFUTED before, on the negation "did not sell" vs "sold"
        "The government did not sell weapons to the rebels.": {"NOT_ENOUGH_INFO"},
        "The government sold weapons to the rebels.": {"NOT_ENOUGH_INFO"},
        # the denial itself is stated; reported speech is the source's statement
        "Ministry officials denied that the government had sold weapons to the rebels.": {
            "SUPPORTED"
        },
        "The company rejected claims that its vaccine caused heart problems in children.": {
            "SUPPORTED"
        },
        "The bridge would reopen in May.": {"SUPPORTED"},
        # SUPPORTED before: asked, not stated; and "refused to", "failed to" deny
        "The factory will close next year.": {"NOT_ENOUGH_INFO"},
        "The minister resigned after the scandal.": {"REFUTED"},
        "The drug reduced mortality in elderly patients.": {"REFUTED"},
        # the denial states this, but the stance model's reading of "failed to reduce" for "did
        # not reduce" sits at a tie that moves with the machine's int8 kernels (here, on
        # 2026-12-07: entails 0.47, contradicts 0.41; the fitted model's REFUTED 0.61 is vetoed,
        # as no sentence reads as contradicting): never REFUTED
        "The drug did not reduce mortality in elderly patients.": {
            "SUPPORTED",
            "NOT_ENOUGH_INFO",
        },
        # SUPPORTED before: planned, not done; "almost collapsed" did not
        "The company cut 500 jobs in Ohio.": {"NOT_ENOUGH_INFO"},
        "The company plans to cut 500 jobs in Ohio.": {"SUPPORTED"},
        "The bridge collapsed during the storm.": {"REFUTED"},
    }
    verdicts = verify.verify_claims(index, list(claims))
    got = {v.claim: v.label for v in verdicts}
    assert all(got[c] in want for c, want in claims.items()), got


def test_alleged_possible_and_bounded_statements_are_read_so(tmp_path, real_embedder):
    index = _text_index(
        tmp_path,
        real_embedder,
        "The senator allegedly took bribes from a construction company.\n\n"
        "The factory might reopen next year, the company said.\n\n"
        "Up to 300 workers could lose their jobs at the plant.\n\n"
        "More than 500 people were evacuated from the valley on Monday.\n\n"
        "The new vaccine protects adults who care for young children, the ministry said.\n\n"
        "The company, which makes electric cars, recalled 2,000 scooters on Friday.\n\n"
        "A man wearing a grey suit spoke to reporters outside the court.\n\n"
        "The minister kissed a woman wearing a red jacket.\n",
    )
    claims = {
        # SUPPORTED before: an allegation, a possibility and a bound are not the fact
        "The senator took bribes from a construction company.": {"NOT_ENOUGH_INFO"},
        "The factory will reopen next year.": {"NOT_ENOUGH_INFO"},
        "300 workers will lose their jobs at the plant.": {"NOT_ENOUGH_INFO"},
        "500 people were evacuated from the valley on Monday.": {"NOT_ENOUGH_INFO"},
        # the same hedge, the same bound, are stated; a bound another figure breaks is not
        "The senator allegedly took bribes from a construction company.": {"SUPPORTED"},
        "The factory might reopen next year.": {"SUPPORTED"},
        "More than 500 people were evacuated from the valley on Monday.": {"SUPPORTED"},
        "400 people were evacuated from the valley on Monday.": {"REFUTED"},
        # SUPPORTED before: the claim's word is in the sentence, said of something else (not
        # stated; not contradicted: "Police seized a boat carrying cocaine")
        "The new vaccine protects young children.": {"NOT_ENOUGH_INFO"},
        "The company recalled 2,000 electric cars on Friday.": {"NOT_ENOUGH_INFO"},
        "A grey suit spoke to reporters outside the court.": {"NOT_ENOUGH_INFO"},
        "The minister kissed a red jacket.": {"NOT_ENOUGH_INFO"},
        "The new vaccine protects adults.": {"SUPPORTED"},
        "The company recalled 2,000 scooters on Friday.": {"SUPPORTED"},
        "The company makes electric cars.": {"SUPPORTED"},
        "A man spoke to reporters outside the court.": {"SUPPORTED"},
        "The minister kissed a woman.": {"SUPPORTED"},
    }
    verdicts = verify.verify_claims(index, list(claims))
    got = {v.claim: v.label for v in verdicts}
    assert all(got[c] in want for c, want in claims.items()), got
    why = {v.claim: [verify.format_reason(r) for r in v.reasons] for v in verdicts}
    assert any(
        'not stated as fact: claim "took" vs source "allegedly took"' in r
        for r in why["The senator took bribes from a construction company."]
    ), why


def test_a_word_the_sentence_says_of_something_else_is_another_argument(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # counter-claims of SNLI test that came out SUPPORTED: the claim's word is in the sentence,
    # in a clause that modifies another noun ("a woman *wearing a jacket*"). Not stated, and
    # not contradicted either: "Police seized cocaine" against "Police seized a shipment
    # containing cocaine" is the same construction
    for claim, source, swap in [
        (
            "A man is kissing a jacket.",
            "A man wearing a shirt kisses a woman wearing a light pink jacket on a street.",
            ("a jacket", "a woman"),
        ),
        (
            "A suit is speaking.",
            "A man with white hair wearing a gray suit speaks into a microphone.",
            ("A suit", "A man"),
        ),
        (
            "The new vaccine protects young children.",
            "The new vaccine protects adults who care for young children.",
            ("young children", "adults"),
        ),
        (
            "The company recalled 2,000 electric cars on Friday.",
            "The company, which makes electric cars, recalled 2,000 scooters on Friday.",
            ("2,000 electric cars", "2,000 scooters"),
        ),
    ]:
        a = _align(claim, source, wv)
        assert swap in a.substitutions and not a.swaps, (claim, a)
    # the claim's word in its own place is no swap, whatever word a modifier puts before the
    # verb ("A man wearing a *shirt* kisses"); the roles turned round are
    a = _align("A woman kisses a man.", "A man kisses a woman.", wv)
    assert ("woman", "man") in a.swaps
    for claim, source in [
        # the claim's own argument, with or without the clause
        ("A man kisses a woman.", "A man wearing a shirt kisses a woman wearing a pink jacket."),
        (
            "The company makes electric cars.",
            "The company, which makes electric cars, recalled 2,000 scooters on Friday.",
        ),
        # a word of the main clause may be stated by a verb of the same meaning there, and a
        # clause a noun introduces ("the hypothesis that ...") is no modifier
        (
            "Aspirin inhibits platelet aggregation.",
            "Aspirin, which inhibits COX-1, reduced platelet aggregation.",
        ),
        (
            "MeCP2 influences the synaptic maturation of neurons.",
            "These data support the hypothesis that MeCP2 directly regulates neuronal maturation, "
            "and provide evidence that MeCP2 may influence neuritic elongation.",
        ),
        # a subject of only a number tells no actor from another
        ("Three were killed in the attack.", "Three were killed in the attack on Monday."),
    ]:
        a = _align(claim, source, wv)
        assert not a.swaps and not a.substitutions, (claim, a)


def test_a_word_in_a_phrase_that_modifies_another_noun_is_not_the_argument(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # a phrase of "with", "in" or "on" says what a noun has or wears: the claim's subject there
    # is not the sentence's subject (not stated, not contradicted). An SNLI test counter-claim
    # ("Shirt standing in front of case") and its kind
    for claim, source, sub in [
        (
            "A shirt is standing on a truck.",
            "A man in a blue shirt is standing on a truck.",
            ("A shirt", "A man"),
        ),
        (
            "Diabetes improved after treatment.",  # spaCy lemmatises the two "diabetes" apart
            "Patients with diabetes improved after treatment.",
            ("Diabetes", "Patients"),
        ),
    ]:
        a = _align(claim, source, wv)
        assert sub in a.substitutions and not a.swaps and not a.conflicts, (claim, a)
    # the claim's own noun with its phrase; a phrase of "of" that names what a noun counts or
    # holds; a party's people, its voice or its examples ("at", "for", "such as"); an object
    for claim, source in [
        ("Patients improved after treatment.", "Patients with diabetes improved after treatment."),
        (
            "A man in a red shirt is standing.",
            "A man in a red shirt is standing in front of a display case.",
        ),
        (
            "People are standing in front of a building.",
            "A group of people is standing in front of a building.",
        ),
        ("Police seized cocaine.", "Police seized a shipment of cocaine."),
        ("NASA found water on Mars.", "Scientists at NASA found water on Mars."),
        (
            "The ministry said the talks failed.",
            "A spokesman for the ministry said the talks failed.",
        ),
        ("France banned the drug.", "Countries such as France banned the drug."),
        ("The minister visited Kyiv.", "The minister visited a hospital in Kyiv."),
        ("Tesla fell 5 percent.", "Shares in Tesla fell 5 percent."),  # a thing's phrase
    ]:
        a = _align(claim, source, wv)
        assert not a.missing and not a.substitutions and not a.swaps, (claim, a)


def test_one_source_word_states_one_claim_word(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # counter-claims of SNLI test that came out SUPPORTED: a claim word met a source word that
    # already states another claim word, by a shared stem ("rider" / "rides") or the embedding
    # ("lots" / "mountain" 0.78)
    for claim, source, word in [
        (
            "A man rides a rider.",
            "A man rides a bicycle while a young girl holds onto the back of him.",
            "rider",
        ),
        (
            "Four lots are walking along a mountain trail.",
            "Four people wearing backpacks walking in a line along a mountain trail.",
            "lots",
        ),
    ]:
        a = _align(claim, source, wv)
        assert word in [m.text for m in a.missing], (claim, a)
    # a word the sentence has twice may state two claim words; a looser match to a word no
    # other claim word takes still aligns ("clothing" / "jackets", not "wear")
    a = _align("The children wear warm clothing.", "The children wear warm jackets.", wv)
    assert ("clothing", "jackets") in [(s.text, w) for s, w, _ in a.aligned]
    a = _align(
        "Hospital staff treated the patients.",
        "The staff of the hospital treated the patients.",
        wv,
    )
    assert not a.missing, a


def test_a_person_is_not_what_the_person_does(real_embedder):
    # a shared stem of a person noun and a verb: "rider" / "rides", "player" / "playing"; of two
    # nouns, one party ("researchers" / "research", "Prosecutors" / "prosecution")
    assert not _stem_match("rider", "ride", "NOUN", "VERB")
    assert not _stem_match("rides", "rider", "VERB", "NOUN")
    assert _stem_match("researchers", "research", "NOUN", "NOUN")
    assert _stem_match("reduce", "reduction") and _stem_match("patient", "patients")
    a = _align("Tennis player is playing tennis.", "The tennis player spikes the tennis ball.")
    assert "playing" in [m.text for m in a.missing], a
    wv = WordVectors(real_embedder.embed_queries)
    for claim, source in [
        ("The research found high levels of lead.", "The researchers found high levels of lead."),
        ("The prosecution said the man lied.", "Prosecutors said the man lied."),
    ]:
        a = _align(claim, source, wv)
        assert not a.missing and not a.swaps, (claim, a)


def test_a_bounded_number_states_only_what_it_allows():
    source = "More than 500 people were evacuated on Monday."
    for claim, missing, conflict in [
        ("500 people were evacuated.", ["500"], None),  # a bound is not the figure
        ("600 people were evacuated.", ["600"], None),  # allowed, not stated
        ("400 people were evacuated.", ["400"], "More than 500"),  # ruled out
        ("More than 500 people were evacuated.", [], None),
        ("Over 500 people were evacuated.", [], None),
    ]:
        a = _align(claim, source)
        assert [m.text for m in a.missing] == missing, (claim, a)
        want = [("number mismatch", missing[0], conflict)] if conflict else []
        assert [(c.kind, c.claim_span, c.source_span) for c in a.conflicts] == want, (claim, a)
    for claim, source, missing, conflicts in [
        # a claim's bound: stated by a figure within it that counts the same thing,
        # contradicted by one outside
        ("More than 500 people were evacuated.", "512 people were evacuated.", 0, 0),
        ("More than 1,000 people died.", "1,200 homes burned and 300 people died.", 1, 1),
        ("Fewer than 20 patients responded.", "12 patients responded to the drug.", 0, 0),
        ("More than 500 people were evacuated.", "400 people were evacuated.", 1, 1),
        ("At least 3 people died.", "3 people died in the crash.", 0, 0),
        ("3 people died.", "At least 3 people died in the crash.", 1, 0),
        ("500 homes were destroyed.", "Nearly 500 homes were destroyed.", 1, 0),
        ("500 people attended.", "About 500 people attended.", 0, 0),  # a round figure
        # a maximum is not the figure, and another maximum is another figure
        ("300 workers lost their jobs.", "Up to 300 workers lost their jobs.", 1, 0),
        ("Up to 250 workers lost their jobs.", "Up to 300 workers lost their jobs.", 1, 1),
        # the same number bounded the opposite way still conflicts
        ("Fewer than 20 patients responded.", "More than 20 patients responded.", 1, None),
    ]:
        a = _align(claim, source)
        assert len([m for m in a.missing if m.kind == "number"]) == missing, (claim, a)
        if conflicts is not None:
            assert len(a.conflicts) == conflicts, (claim, a)


def test_a_figure_is_compared_with_its_unit_and_its_own_rivals():
    # claims of a blind probe (2026-12-06, thirteenth session) called SUPPORTED or wrongly
    # REFUTED: the same figure in another unit; a bounded figure whose rival was a figure of
    # something else in the sentence
    a = _align(
        "Valmora lies about 60 miles east of Porto.",
        "Valmora lies on the right bank of the river, about 60 kilometres east of Porto.",
    )
    assert ("number mismatch", "about 60 miles", "about 60 kilometres") in _conflict_triples(a)
    for claim, source in [
        ("Valmora lies 60 km east of Porto.", "Valmora lies about 60 kilometres east of Porto."),
        ("Prices rose by 8 per cent.", "Prices rose by 8%."),
        ("Valmora lies 60 kilometres east of Porto.", "Valmora lies 60 east of Porto."),
        ("The car reached 125 mph.", "The car reached 125 miles per hour."),  # a unit not named
        ("The fish weighed 5 kilos.", "The fish weighed 5 kg."),
        ("The mine produced 5 million tons.", "The mine produced 5 million tonnes."),
    ]:
        assert not _align(claim, source).conflicts, claim  # one unit written two ways, or none
    for claim, source in [
        ("Stamps cost 30 cents more.", "Stamps cost 30 per cent more."),
    ]:
        assert [c for c in _align(claim, source).conflicts if c.kind == "number mismatch"], claim
    source = (
        "The strike delayed more than 40 cargo ships and cost exporters an estimated 30 million "
        "euros."
    )
    a = _align("The strike delayed 40 cargo ships.", source)
    assert "40" in [m.text for m in a.missing] and not a.conflicts, a  # not stated, no rival
    a = _align("The strike delayed 25 cargo ships.", source)
    assert ("number mismatch", "25", "more than 40") in _conflict_triples(a)
    # a figure under a bound that counts something else is not the claim's; a rival that
    # counts the same thing in other words still is one
    a = _align(
        "40 people died in the fire.",
        "At least 40 vehicles were damaged and 12 people died in the fire.",
    )
    assert ("number mismatch", "40", "12") in _conflict_triples(a)
    a = _align("The company cut 400 jobs.", "The company cut 250 positions.")
    assert ("number mismatch", "400", "250") in _conflict_triples(a)
    assert analysis.number_unit("the 12th") is None and analysis.number_unit("20%") == "percent"


def test_a_date_or_span_of_time_without_a_year_meets_its_rival():
    # claims of a blind probe (2026-12-06) called NOT_ENOUGH_INFO: no conflict was read between
    # two dates or spans of time of no year
    for claim, source, pair in [
        (
            "Dock workers ended a twelve-day strike on Tuesday.",
            "Dock workers ended a nine-day strike on Tuesday after the operator agreed.",
            ("twelve-day", "nine-day"),
        ),
        (
            "The stoppage began on February 12.",
            "About 1,200 workers took part in the stoppage, which began on February 22.",
            ("February 12", "February 22"),
        ),
        (
            "The agreement runs for five years.",
            "The agreement, signed in 2022, runs for three years.",
            ("five years", "three years"),
        ),
        (
            "Participants received the drug for 12 weeks.",
            "Participants received the drug or placebo for 24 weeks.",
            ("12 weeks", "24 weeks"),
        ),
    ]:
        assert ("date mismatch", *pair) in _conflict_triples(_align(claim, source)), claim
    for claim, source in [
        (
            "The agreement runs for three years.",
            "The agreement, signed in 2022, runs for three years.",
        ),
        ("The strike lasted five days.", "The strike lasted more than three days."),  # allowed
        ("The stoppage began on February 12.", "The stoppage began in 2021."),  # no rival
        # a span of time said of another word, or joined by another preposition
        ("The trial will last six weeks.", "The trial will begin in two weeks."),
        ("He was sentenced to five years.", "He was sentenced three years after the crime."),
    ]:
        assert not _align(claim, source).conflicts, claim
    for claim, source, pair in [  # a figure is not inside another
        (
            "The vote was on February 1.",
            "The vote was on February 12.",
            ("February 1", "February 12"),
        ),
        (
            "It lasted five years.",
            "It lasted twenty-five years.",
            ("five years", "twenty-five years"),
        ),
        ("It lasted 3 days.", "It lasted 13 days.", ("3 days", "13 days")),
    ]:
        assert ("date mismatch", *pair) in _conflict_triples(_align(claim, source)), claim


def test_a_name_with_a_figure_is_stated_only_with_that_figure():
    source = "Riverside Athletic beat Northgate United 3-1 at Holloway Park on Saturday."
    a = _align("Riverside Athletic beat Northgate United 3-2 at Holloway Park.", source)
    assert a.conflicts and "Northgate United 3-2" in [m.text for m in a.missing], a
    assert not _align("Riverside Athletic beat Northgate United 3-1.", source).missing
    # a figure inside another is not it; a small one written as a word is
    a = _align("Apollo 1 landed on the Moon.", "Apollo 11 landed on the Moon.")
    assert "Apollo 1" in [m.text for m in a.missing], a
    a = _align("Hamilton won the Formula 1 title.", "Hamilton won the Formula One title.")
    assert not a.missing and not a.conflicts, a


def test_a_place_word_spacy_lists_as_a_stop_word_is_compared(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    source = (
        "Riverside Athletic beat Northgate United on Saturday to move to the top of the league."
    )
    a = _align("Riverside Athletic moved to the bottom of the league.", source, wv)
    assert ("bottom", "top") in a.swaps, a
    assert not _align("Riverside Athletic moved to the top of the league.", source, wv).missing
    # only an opposite is a swap there: "top" / "summit", "back" / "rear" say the same
    house = "The car was parked at the {} of the house."
    for claim, source in [
        ("They reached the top of the mountain.", "They reached the summit of the mountain."),
        (house.format("back"), house.format("rear")),
    ]:
        assert not _align(claim, source, wv).swaps, claim
    a = _align(house.format("back"), house.format("front"), wv)
    assert ("back", "front") in a.swaps


def test_a_denial_by_no_is_of_its_noun():
    # "has no airport" was REFUTED by "The University of Valmora ... has about 9,000 students"
    for claim, source in [
        ("Valmora has no airport.", "The University of Valmora has about 9,000 students."),
        ("Valmora has an airport.", "Valmora has no trams."),
    ]:
        assert not [c for c in _align(claim, source).conflicts if c.kind == "negation"], claim
    for claim, source in [
        ("Valmora has an airport.", "Valmora has no airport."),
        ("Valmora has no airport.", "Valmora has an airport."),
        ("No jobs were cut.", "Jobs were cut at the plant."),
        # "no one" is whoever it is; a kind of the denied thing is that thing; a figure too
        ("No one was injured in the crash.", "Three people were injured in the crash."),
        ("Police arrested no one.", "Police arrested two men."),
        ("Police found no weapons in the house.", "Police found a gun in the house."),
        ("The patient had no symptoms.", "The patient had a fever."),
        ("The family received no compensation.", "The family received $5,000."),
    ]:
        assert [c for c in _align(claim, source).conflicts if c.kind == "negation"], claim


def test_a_predicate_stated_as_possible_or_alleged_is_not_stated():
    for claim, source, hedged in [
        (
            "The senator took bribes.",
            "The senator allegedly took bribes from a company.",
            ("took", "allegedly took"),
        ),
        (
            "The factory will reopen next year.",
            "The factory might reopen next year.",
            ("reopen", "might reopen"),
        ),
        (
            "The drug reduces mortality.",
            "The drug may reduce mortality in elderly patients.",
            ("reduces", "may reduce"),
        ),
        (
            "The senator took bribes.",
            "It is alleged that the senator took bribes.",
            ("took", "alleged that the senator took"),
        ),
        (
            "The senator took bribes.",
            "The senator is said to have taken bribes.",
            ("took", "said to have taken"),
        ),
        (
            "The senator took bribes.",
            "The senator, who allegedly took bribes, resigned.",
            ("took", "allegedly took"),
        ),
    ]:
        a = _align(claim, source)
        assert hedged in a.hedged and hedged[0] in [m.text for m in a.missing], (claim, a)
        assert not a.conflicts
    for claim, source in [
        ("The senator allegedly took bribes.", "The senator allegedly took bribes."),
        ("The drug may reduce mortality.", "The drug might reduce mortality."),
        ("The drug can reduce mortality.", "The drug can reduce mortality in mice."),
        ("The senator took bribes.", "Police said that the senator took bribes."),  # reported
        ("The senator resigned.", "The senator, who allegedly took bribes, resigned."),
    ]:
        a = _align(claim, source)
        assert not a.hedged and not a.missing, (claim, a)


def test_any_verb_that_reports_a_clause_states_that_it_was_said(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # the seed claim "In 2015 Mikhail Bogdanov said Russia does not consider Hezbollah ..." was
    # NOT_ENOUGH_INFO on 'word mismatch: claim "said" vs source "reiterated"'
    bogdanov = (
        "In November 2015, Mikhail Bogdanov reiterated that Russia does not consider Hamas as a "
        "terrorist organisation."
    )
    a = _align("Bogdanov said Russia does not consider Hamas a terrorist organisation.", bogdanov)
    assert not a.missing and not a.substitutions
    # who said it is still compared
    a = _align("Lavrov said Russia does not consider Hamas a terrorist organisation.", bogdanov, wv)
    assert ("Lavrov", "Mikhail Bogdanov") in a.substitutions
    claim = "The mayor said the bridge would reopen in May."
    for source, stated in [
        ("The mayor told reporters that the bridge would reopen in May.", True),
        ("The mayor warned that the bridge would reopen in May.", True),
        ("The mayor denied that the bridge would reopen in May.", False),  # disputes it
        ("The mayor asked whether the bridge would reopen in May.", False),  # asks it
    ]:
        a = _align(claim, source)
        assert ("said" not in [m.text for m in a.missing]) == stated, source


def test_review_of_hedges_bounds_and_reported_speech(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    # a helper's review of this session's rules: each case was wrong on the first version
    for claim, source in [  # a hedge reaches a coordinated verb, an active allegation, "accused of"
        ("The senator laundered money.", "The senator allegedly took bribes and laundered money."),
        ("The drug improves survival.", "The drug may reduce inflammation and improve survival."),
        ("The senator took bribes.", "Prosecutors allege that the senator took bribes."),
        ("The senator took bribes.", "Police believe that the senator took bribes."),
        ("The senator took bribes.", "The senator is accused of taking bribes."),
    ]:
        a = _align(claim, source)
        assert a.hedged and not a.conflicts, (claim, a)
    for claim, source in [  # no hedge: a sentence adverb, "could not", "tend to"
        ("The drug reduced mortality.", "Perhaps most importantly, the drug reduced mortality."),
        ("The company did not pay its debts.", "The company could not pay its debts."),
        ("Women live longer than men.", "Women tend to live longer than men."),
    ]:
        a = _align(claim, source)
        assert not a.hedged and not a.missing and not a.conflicts, (claim, a)
    # a hedged denial leaves the claim possible: not stated, not contradicted
    a = _align("The drug reduces pain.", "The drug may not reduce pain.")
    assert a.hedged and not a.conflicts
    # an order, a request or a proposal does not say that its clause is so
    a = _align(
        "The judge said the documents were released.",
        "The judge ordered that the documents be released.",
    )
    assert "said" in [m.text for m in a.missing]
    # a bound spaCy leaves outside the number, and a comparison sign, are read
    for claim, source, conflict in [
        ("Over 2 million people were displaced.", "2.3 million people were displaced.", False),
        ("The company employs over 10,000 people.", "The company employs 10,500 people.", False),
        ("The effect was significant (p < 0.05).", "It was significant (p = 0.001).", False),
        ("The effect was significant (p < 0.01).", "It was significant (p = 0.03).", True),
    ]:
        a = _align(claim, source)
        assert bool(a.conflicts) == conflict, (claim, a)
    # in place, the claim's word in its own relation up to the verb: the woman's red shirt is
    # not the man's
    a = _align(
        "A man in a red shirt kisses a woman.",
        "A man in a blue shirt kisses a woman in a red shirt.",
        wv,
    )
    assert ("red", "blue") in a.swaps
    # nouns only: a verb in the same relation may say something else of other things (the
    # article's counter-claim was SUPPORTED on the first version of this guard)
    a = _align(
        "Although Hamas supported Assad during the civil war, Russia's position did not change "
        "even though it supported the Syrian regime.",
        "Although Hamas opposed Assad during the civil war, Russia's position did not change "
        "even though it supported the Syrian regime.",
        wv,
    )
    assert ("supported", "opposed") in a.swaps


def test_a_negation_conflicts_only_on_a_predicate_said_of_the_same_things():
    # the shipped article: "Russia does not consider Hamas a terrorist organisation." was
    # REFUTED by Primakov's "considers Hamas a humanitarian organisation", whose "terrorist"
    # belongs to another statement joined to it ("but acknowledges ... terrorist acts")
    primakov = (
        "Russia's then-foreign minister Evgeniy Primakov reportedly said that he considers Hamas "
        "a humanitarian organisation but acknowledges it has a militant wing that commits "
        "terrorist acts."
    )
    a = _align("Russia does not consider Hamas a terrorist organisation.", primakov)
    assert not [c for c in a.conflicts if c.kind == "negation"]
    # the same predicate said of the same things still conflicts, a pronoun standing for the name
    b = _align("Primakov does not consider Hamas a humanitarian organisation.", primakov)
    assert ("negation", "does not consider", "considers") in _conflict_triples(b)
    c = _align(
        "Russia considers Hamas a terrorist organisation.",
        "Bogdanov reiterated that Russia does not consider Hamas as a terrorist organisation.",
    )
    assert [x.kind for x in c.conflicts] == ["negation"]


def test_another_value_in_place_does_not_contradict_a_denial(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    source = "Primakov said that he considers Hamas a humanitarian organisation."
    denied = _align("Russia did not label Hamas a terrorist organisation.", source, wv)
    assert not denied.swaps  # not labelling it terrorist is no contradiction of "humanitarian"
    assert "terrorist" in [s.text for s in denied.missing]  # nor does it state the claim
    stated = _align("Primakov considers Hamas a terrorist organisation.", source, wv)
    assert ("terrorist", "humanitarian") in stated.swaps
    # but the word in place is still unstated: counter-claims of the probe lists came out
    # SUPPORTED while the swap was dropped whole ("opened *down*", "*before* the Six-Day War")
    for claim, src, word in [
        (
            '"The regime has not opened down," said Sen. Menendez.',
            '"The regime has not opened up," said Sen. Menendez.',
            "down",
        ),
        (
            "The Soviet Union had no relations with Israel from 1967, before the Six-Day War.",
            "The Soviet Union had no relations with Israel from 1967, after the Six-Day War.",
            "before",
        ),
    ]:
        a = _align(claim, src, wv)
        assert word in [m.text for m in a.missing] and not a.swaps, claim


def test_anti_makes_another_word(real_embedder):
    # "inflammatory" was aligned with "anti-inflammatory" (the token after the hyphen, and
    # 0.8 by embedding): a one-word counter-claim came out SUPPORTED
    wv = WordVectors(real_embedder.embed_queries)
    source = "Curcumin has anti-inflammatory effects in mice."
    a = _align("Curcumin has inflammatory effects in mice.", source, wv)
    assert "inflammatory" in [s.text for s in a.missing]
    assert _align("Curcumin has anti-inflammatory effects in mice.", source, wv).coverage == 1.0
    b = _align("The drug has viral activity.", "The drug has antiviral activity.", wv)
    assert "viral" in [s.text for s in b.missing]


# ---- referring expressions resolved from the text before the sentence ------------------------


def _resolve(context: str, sentence: str):
    c, d = parse([context, sentence])
    refs = resolve(c, d)
    return [(r.words, r.name) for r in refs], resolved_text(sentence, refs)


def _align_resolved(claim: str, context: str, sentence: str):
    """The claim aligned with the sentence as read with its context (as ``evidence`` does)."""
    c, d, cdoc = parse([context, sentence, claim])
    text, spans = resolved(sentence, resolve(c, d))
    sdoc = label_names(parse([text])[0], spans)
    return align(slots_of(cdoc), cdoc, sdoc, None)


def test_a_pronoun_takes_the_most_salient_name_of_its_kind():
    # "her husband Pierre" is the latest person named, but "She", the subject, carries Marie Curie
    refs, text = _resolve(
        "Marie Curie was a Polish physicist. She discovered radium with her husband Pierre.",
        "In 1903 she shared the Nobel Prize in Physics.",
    )
    assert refs == [("she", "Marie Curie")]
    assert text == "In 1903 Marie Curie shared the Nobel Prize in Physics."
    # "they" is a group: the rival company just named, not the person who is the subject
    refs, text = _resolve(
        "Norvale Foods reported a loss. Tomas Brandt joined the firm in 2019 from a rival, "
        "Kestrel Brands.",
        "They had sued Norvale in 2021.",
    )
    assert text == "Kestrel Brands had sued Norvale in 2021."
    _, text = _resolve("Acme Corp was founded in 1990.", "Its profits rose and it hired staff.")
    assert text == "Acme Corp's profits rose and Acme Corp hired staff."


def test_a_definite_noun_phrase_takes_the_name_it_repeats():
    refs, text = _resolve(
        "Mayor Elena Varga opened the Millbrook Harbour Bridge on 14 May 2024.",
        "The bridge cost 48 million euros.",
    )
    assert text == "The Millbrook Harbour Bridge cost 48 million euros."
    assert _resolve("Mayor Elena Varga opened the bridge.", "The city paid for it.")[0] == []


def test_a_class_noun_takes_a_name_of_its_class_and_a_pronoun_not_its_own_sentence_name():
    # "the company" is an organisation (WordNet), "the minister" a person; a place is neither
    context = "Norvale Foods reported a loss in Ohio."
    assert _resolve(context, "The company blamed energy prices.")[1] == (
        "Norvale Foods blamed energy prices."
    )
    context = "Speaking in Kazan, Evgeniy Primakov met Hamas leaders."
    assert _resolve(context, "The minister praised the talks.")[1] == (
        "Evgeniy Primakov praised the talks."
    )
    assert _resolve("Voters in Ohio were angry.", "The company cut jobs.")[0] == []
    # "He" is not the Putin its own sentence names (binding theory's principle C)
    _, text = _resolve("Vladimir Putin met Khaled Meshaal in Moscow.", "He praised Putin.")
    assert text == "Khaled Meshaal praised Putin."


def test_a_noun_phrase_a_name_modifies_takes_up_no_other_name():
    # the shipped article: "the Russian government" had been resolved to the title's "Hamas"
    # (an organisation), so the "it" of "it did not label Hamas a terrorist organisation" went
    # to "the Quartet", and "Russia did not label Hamas ..." was REFUTED on "Russia" vs "Quartet"
    context = (
        "Longstanding relationship with Hamas.\nThroughout the 1990s and 2000s, the Russian "
        "government took a more flexible approach. It pursued good ties with Israel, styled "
        "itself as a mediator, joined the Quartet, and condemned acts of terrorism by Hamas."
    )
    assert _resolve(context, "Still, it did not label Hamas a terrorist organisation.")[0] == []
    assert _resolve("Norvale Foods ran a study.", "The Velorin trial ended.")[0] == []
    assert _resolve("Norvale Foods reported a loss.", "The company cut jobs.")[0] != []


def test_a_definite_noun_takes_the_name_the_text_says_it_is():
    # Wikipedia's lead: "Valmora is a city" says what "the city" is, whatever the NER guessed
    # (it called Valmora a person, so "the city" went to Porto, the only place it knew)
    context = (
        "Valmora is a city in the north of Portugal and the capital of the Valmora District. "
        "Valmora lies on the right bank of the Tamega River, about 60 kilometres east of Porto."
    )
    assert _resolve(context, "The city was granted a royal charter in 1289.")[1] == (
        "Valmora was granted a royal charter in 1289."
    )
    context = "Valmora is a city in the north of Portugal. Valmora lies east of Porto."
    assert _resolve(context, "Its economy was based on cork.")[1] == (
        "Valmora's economy was based on cork."
    )
    # a superlative or an ordinal picks its thing out itself: "the largest employer" is no
    # earlier name (it had been "Valmora")
    assert _resolve(
        context, "Since the 1990s, the service sector has become the largest employer in the city."
    )[0] == [("the city", "Valmora")]
    # a work the text lists as one of its books; a quote the NER keeps is not the name's
    refs, text = _resolve(
        'Halvorsen has written four books, including the bestselling "The Cold Current" (2011).',
        "The book was translated into eleven languages.",
    )
    assert text == "The Cold Current was translated into eleven languages."
    # a name's own word says what it is, not a word inside it ("Food and Drug Administration")
    context = (
        "Veltrane Therapeutics makes kidney drugs. The United States Food and Drug "
        "Administration approved lumarisertib in 2022."
    )
    assert _resolve(context, "The drug is taken once a day.")[0] == []
    # or its first word ("Lake Geneva", "Hurricane Katrina")
    refs, text = _resolve("Hurricane Katrina struck New Orleans.", "The hurricane killed 1,800.")
    assert text == "Hurricane Katrina killed 1,800."
    # what the text says a name is counts half as much again, not over a newer mention
    context = "Valmora is a city in northern Portugal. In 1809 French troops captured Porto."
    assert _resolve(context, "The city was sacked for three days.")[1] == (
        "Porto was sacked for three days."
    )
    # "only" with a phrase may still take a name up; a superlative with one does not
    assert _resolve(
        "The Golden Gate Bridge opened in 1937.", "The only bridge across the strait has six lanes."
    )[0] == [("The only bridge", "The Golden Gate Bridge")]


def test_a_pronoun_takes_a_proper_noun_the_ner_missed_and_agrees_in_gender():
    # "The Salt Orchard" has no NER label: a proper noun subject is a name "it" may take up
    assert (
        _resolve(
            "The Salt Orchard is a 2016 Canadian drama film directed by Nadia Ferrante.",
            "It premiered at a festival in Halifax.",
        )[1]
        == "The Salt Orchard premiered at a festival in Halifax."
    )
    # "His" took up Tom Hale: "She" is not him (it was: the most salient person)
    context = "Anna Berg ran the lab. Tom Hale joined it in 2001. His work on cod made it famous."
    assert _resolve(context, "She retired in 2010.")[1] == "Anna Berg retired in 2010."
    # "it" has no gender: a name "its" took up is not for that the next "it"
    context = (
        "Nokia sold its phone business to Microsoft in 2014. Microsoft later wrote off the "
        "purchase."
    )
    assert _resolve(context, "It reported a profit in 2016.")[1] == (
        "Microsoft reported a profit in 2016."
    )
    # a subject named before the pronoun in its own sentence is what it takes up: no other
    # woman is put in its place ("where Eero Laaksonen died")
    context = (
        "Ilse Marvonen was a Finnish novelist. She was married to the painter Eero Laaksonen "
        "until his death in 1990."
    )
    sentence = "Marvonen spent her final years in Porvoo, where she died at the age of 71."
    assert _resolve(context, sentence) == ([], sentence)
    # a subject of another kind is no sign: "his" is not Congress's
    assert _resolve("Barack Obama vetoed the bill in 2015.", "Congress overrode his veto.")[1] == (
        "Congress overrode Barack Obama's veto."
    )


def test_no_reference_is_guessed():
    # two people equally salient, an expletive "it", a pronoun with no name before it
    assert _resolve("Tom Smith and Ann Jones met.", "He spoke first.")[0] == []
    assert _resolve("Acme Corp opened a plant.", "It is known that sales rose.")[0] == []
    assert _resolve("The weather was fine.", "She arrived at noon.")[0] == []
    # a common noun is the likelier antecedent, and it is not a name to put in its place
    sentence = "Palestinian politicians, on their part, saw Moscow as a counterweight to the US."
    assert _resolve("Russia saw Hamas as a partner. Russian officials met them.", sentence)[0] == []
    assert (
        _resolve("Acme Corp ran a trial. The trial enrolled 40 people.", "It found no effect.")[0]
        == []
    )
    # a pronoun that took up the common noun keeps it salient: the last "it" is the government
    # still, not the country named after the earlier "It"
    assert (
        _resolve(
            "The regional government changed course in 2010. It sought good ties with Norway "
            "and cut taxes.",
            "Still, it did not join the union.",
        )[0]
        == []
    )


def test_a_claim_aligns_through_a_resolved_pronoun_and_conflicts_with_its_value():
    context, sentence = "Dr. Amara Okafor led the trial in Dublin.", "She plans a study in Spain."
    assert not _align_resolved("Amara Okafor plans a study in Spain.", context, sentence).missing
    # the NER, reading "Amara Okafor plans a study in Spain." alone, calls her a place (GPE)
    other = _align_resolved("Tomas Brandt plans a study in Spain.", context, sentence)
    assert ("entity mismatch", "Tomas Brandt", "Amara Okafor") in _conflict_triples(other)


def test_a_restatement_is_fully_aligned_and_an_added_fact_is_missing():
    source = "Vitamin D supplementation reduced mortality in elderly patients."
    assert _align("Vitamin D supplementation reduced mortality.", source).coverage == 1.0
    a = _align("Vitamin D supplementation reduced mortality in children.", source)
    assert [s.text for s in a.missing] == ["children"]


@pytest.mark.parametrize(
    "claim,source,words",
    [  # the source abbreviates the claim's words, or spells out the claim's acronym
        (
            "The kidney paired donation program saves money.",
            "An optimized national KPD program saves money.",
            ["kidney", "paired", "donation"],
        ),
        (
            "Angiotensin-converting enzyme inhibitors raise the risk.",
            "ACE inhibitors raise the risk.",
            ["Angiotensin", "converting", "enzyme"],
        ),
        (
            "Neurons derived from iPSCs degenerate.",
            "Neurons derived from induced pluripotent stem cells degenerate.",
            ["iPSCs"],
        ),
    ],
)
def test_acronyms_align_with_the_words_they_stand_for(claim, source, words):
    a = _align(claim, source)
    assert not a.missing
    assert {s.text for s, _, _ in a.aligned} >= set(words)


def test_an_acronym_of_other_words_is_not_a_counterpart():
    # "CI" is two letters (too ambiguous), "KPD" is not "kidney transplant donation"
    assert {s.text for s in _align("Cell injury rose.", "The CI rose.").missing} == {
        "Cell",
        "injury",
    }
    a = _align("The kidney transplant donation program grew.", "The KPD program grew.")
    assert {"kidney", "transplant", "donation"} <= {s.text for s in a.missing}


def test_initials_of_a_name_skip_its_articles_and_small_words():
    from verifact.verify.align import _acronym

    a = _align("Moscow was a counterweight to the United States.", "It opposed the US.")
    assert ("the United States", "US") in {(s.text, t) for s, t, _ in a.aligned}
    assert _acronym("USA", "United States of America") and _acronym("U.S.", "the United States")
    assert not _acronym("UN", "the United States") and not _acronym("us", "United States")
    # two letters are the initials of many names: only a name of the same kind counts
    a = _align("He studied at the University of Sydney.", "He studied in the US.")
    assert "US" not in {t for _, t, _ in a.aligned}


def test_word_vectors_align_equivalents(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    a = _align("Carbon dioxide emissions rose.", "CO2 emissions rose sharply.", wv)
    assert not a.missing_names and a.coverage == 1.0


@pytest.mark.parametrize(
    "claim,source,swap",
    [
        (  # the claim word occurs nowhere in the source
            "Mutations binding fork reversal also induced fork progression.",
            "Mutations affecting fork reversal also induced fork progression.",
            ("binding", "affecting"),
        ),
        (  # the claim word occurs later in the source, but not in this place
            "We show that inhibition of Scribble disrupts polarity and inhibits apoptosis.",
            "We show that depletion of Scribble disrupts polarity and inhibits apoptosis.",
            ("inhibition", "depletion"),
        ),
        (  # an identifier with another number is another thing
            "In Fgf5 supplemented culture conditions, the cells activate Elf5.",
            "In Fgf4 supplemented culture conditions, the cells activate Elf5.",
            ("Fgf5", "Fgf4"),
        ),
        (  # a quantifier in place
            "Sequential administration indicated that few HSCs segregate their chromosomes.",
            "Sequential administration indicated that all HSCs segregate their chromosomes.",
            ("few", "all"),
        ),
        (  # a degree word in place
            "The Russian government took a less flexible approach to the group.",
            "The Russian government took a more flexible approach to the group.",
            ("less", "more"),
        ),
        (  # the claim's first word, the sentence's first too
            "Few errors occurred when giving bolus doses.",
            "Most errors occurred when giving bolus doses.",
            ("Few", "Most"),
        ),
        (  # the claim's second word, after the sentence's own first word
            "The few sought after pieces were bronze busts of Spencer Tracy.",
            "The most sought after pieces were bronze busts of Spencer Tracy.",
            ("few", "most"),
        ),
        (  # the same, one word into a prepositional opening
            "In most patients the drug reduced mortality within a year.",
            "In all patients the drug reduced mortality within a year.",
            ("most", "all"),
        ),
        (  # a graded adjective whose antonym is close by embedding (cosine 0.81)
            "A study over shorter periods will reveal whether this translates.",
            "A study over longer periods will reveal whether this translates.",
            ("shorter", "longer"),
        ),
        (  # a content adverb where the sentence has a frequency word
            "Meshaal told the newspaper that we rarely knew the day would come.",
            "Meshaal told the newspaper that we always knew the day would come.",
            ("rarely", "always"),
        ),
        (  # a quantity that heads its phrase, in place
            "Few of the defendants were poor and lived on benefits.",
            "Many of the defendants were poor and lived on benefits.",
            ("Few", "Many"),
        ),
        (
            "Microsoft lost less than an estimated 500 million dollars last year.",
            "Microsoft lost more than an estimated 500 million dollars last year.",
            ("less", "more"),
        ),
        (  # a paraphrase, not in place: the same noun with another quantifier
            "In adult tissue, few T cells are memory T cells.",
            "Most T cells in adult tissue are memory T cells.",
            ("few", "Most"),
        ),
        # antonyms (WordNet, ``lexicon``): in place though close by embedding ("husband" /
        # "wife" 0.86), a particle with one word after it, and anywhere in a paraphrase
        (
            "The husband was arrested by police on Monday.",
            "The wife was arrested by police on Monday.",
            ("husband", "wife"),
        ),
        (
            "Authorities canceled flights and ferry service and shut up schools.",
            "Authorities canceled flights and ferry service and shut down schools.",
            ("up", "down"),
        ),
        (
            "The drug decreases blood pressure in adults.",
            "Blood pressure in adults was increased by the drug.",
            ("decreases", "increased"),
        ),
        ("The tumours in these patients were benign.", "Patients had malignant tumours.", None),
        (  # opposite prefixes, which WordNet lacks
            "Expression of p53 is upregulated in tumour cells.",
            "In tumour cells, p53 expression was downregulated.",
            ("upregulated", "downregulated"),
        ),
        (  # the claim's last word, where the sentence ends with another (2026-12-05 probe)
            "Aire is required for the timely onset of skin tumorigenesis in humans.",
            "Aire is expressed in human and mouse keratinocytes and is required for the timely "
            "onset of skin tumorigenesis in mice.",
            ("humans", "mice"),
        ),
        (  # a noun's modifier said by a noun in the claim and an adjective in the source
            "The extracellular domain of TMEM27 is cleaved in mouse beta cells.",
            "Here we show that the extracellular domain of Tmem27 is cleaved and shed from the "
            "plasma membrane of human beta cells.",
            ("mouse", "human"),
        ),
        (  # opposed prepositions, which WordNet lacks, where they open the sentence
            "Before adjusting for statin use in the prior 3 years, current use was associated "
            "with a 71% reduction in risk.",
            "After adjusting for statin use in the prior 3 years, current use was associated "
            "with a 71% reduction in risk.",
            ("Before", "After"),
        ),
        (  # ... and share a stem ("with" / "without")
            "Without treatment, survival improved in most patients.",
            "With treatment, survival improved in most patients.",
            ("Without", "With"),
        ),
        (  # a quantifier where the source's is a pronoun (spaCy: "all" PRON)
            "The demand was that Italy withdraw few of its troops from Iraq.",
            "The demand was that Italy withdraw all of its troops from Iraq.",
            ("few", "all"),
        ),
        (  # a quantifier pronoun of the claim (it was no slot and not compared: SUPPORTED)
            "All of the volunteers developed a rash after the trial.",
            "Some of the volunteers developed a rash after the trial.",
            ("All", "Some"),
        ),
    ],
)
def test_a_word_swapped_in_place_is_a_substitution(real_embedder, claim, source, swap):
    a = _align(claim, source, WordVectors(real_embedder.embed_queries))
    swap = swap or ("benign", "malignant")
    assert swap in a.substitutions
    assert swap[0] in [s.text for s in a.missing]


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("Some patients recovered within two weeks.", "All patients recovered within two weeks."),
        ("Some of the volunteers developed a rash.", "Many of the volunteers developed a rash."),
        (
            "In adult tissue, some T cells are memory T cells.",
            "Most T cells in adult tissue are memory T cells.",
        ),
    ],
)
def test_a_stronger_quantifier_states_the_weaker_one(real_embedder, claim, source):
    # "Some patients recovered" was REFUTED by "All patients recovered" as a swap
    a = _align(claim, source, WordVectors(real_embedder.embed_queries))
    assert not a.substitutions and not a.swaps, a.substitutions


def test_in_place_swaps_spare_equivalents_and_restatements(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    source = "Carbon dioxide emissions rose sharply in China in 2019."
    assert not _align("CO2 emissions rose sharply in China in 2019.", source, wv).substitutions
    assert not _align("Emissions rose sharply in China.", source, wv).substitutions
    # the head of a compound is itself, not its modifier: "function" is not "podosome"
    a = _align(
        "We studied the molecular mechanisms of podosome function.",
        "We studied the molecular mechanisms of podosome formation.",
        wv,
    )
    assert "function" in [s.text for s in a.missing]
    # a quantity or degree word the source lacks or shares is no substitution
    source = "The drug was much more effective than placebo in all patients."
    assert not _align("The drug was more effective than placebo in patients.", source, wv).missing
    assert not _align("The drug was much more effective than placebo.", source, wv).substitutions
    # a relation word that opens the claim is no swap ("In" / "Throughout" say the same)
    a = _align(
        "In the 1990s and 2000s, the Russian government took a more flexible approach.",
        "Throughout the 1990s and 2000s, the Russian government took a more flexible approach.",
        wv,
    )
    assert not a.substitutions
    # the same opening preposition, and a claim's quantifier pronoun, are no swap
    for claim, source in [
        ("After adjusting for age, risk fell.", "After adjusting for age, risk fell."),
        ("They said that all of them agreed.", "They said that each of them agreed."),
        ("What they found was a large increase.", "What they found was a large increase."),
    ]:
        assert not _align(claim, source, wv).substitutions, claim
    # a synonym noun in place stays aligned (only graded words need the stricter cosine)
    a = _align(
        "Doctors in the clinic prescribe the drug daily.",
        "Physicians in the clinic prescribe the drug daily.",
        wv,
    )
    assert not a.substitutions and not a.missing
    # WordNet synonyms the embedding puts apart are no swap, in place or as another subject
    for claim, source in [
        ("Doctors prescribe the drug daily.", "Physicians prescribe the drug daily."),
        ("About 40 people died in the fire.", "Roughly 40 people died in the fire."),
    ]:
        a = _align(claim, source, wv)
        assert not a.substitutions and not a.missing, claim
    # the same roles in the other voice: "the drought" is the agent, not the people's rival
    a = _align(
        "1.5 million people were killed during the drought in 1974.",
        "The drought in 1974 killed 1.5 million people.",
        wv,
    )
    assert not a.substitutions and not a.swaps
    a = _align(  # an antonym of a negated word is no swap ("did not increase" / "decreased")
        "The drug did not increase blood pressure.", "The drug decreased blood pressure.", wv
    )
    assert not a.swaps
    # an appositive parsed as a second subject is no rival of the subject the claim shares
    # (SciFact dev, 2026-12-05: REFUTED for 'a kinesin-5 family member')
    a = _align(
        "The sliding activity of Kip3 promotes bipolar spindle assembly.",
        "In conjunction with Cin8, a kinesin-5 family member, the sliding activity of Kip3 "
        "promotes bipolar spindle assembly and the maintenance of genome stability.",
        wv,
    )
    assert not a.swaps
    # a rival subject is quoted as its noun phrase, not through an appositive to the clause's end
    a = _align(
        "The locus rs647161 is associated with colorectal carcinoma.",
        "Regular use was associated with a lower risk of colorectal cancer among individuals "
        "with rs16973225-AA genotype (prevalence, 28% vs 38%; OR, 0.66 [95% CI, 0.62-0.71]; "
        "P = 1.9 × 10(-30)).",
        wv,
    )
    assert [s for _, s in a.swaps] == ["Regular use"]


def test_the_same_number_bounded_the_opposite_way_is_a_number_mismatch(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    a = _align(
        "Microsoft lost more than 500 million dollars.",
        "Microsoft lost less than 500 million dollars.",
        wv,
    )
    assert ("more than 500 million dollars", "less than 500 million dollars") in _conflict_spans(a)
    a = _align(
        "Operating income would drop as little as 42 percent.",
        "Operating income would drop as much as 42 percent.",
        wv,
    )
    assert "as little as 42 percent" in [m.text for m in a.missing]
    a = _align("Income fell by about 42 percent.", "Income fell by 42 percent.", wv)
    assert not a.missing  # a bound the source leaves out is no opposite


def test_wordnet_table_reads_antonym_pointers_and_frequent_senses(tmp_path):
    from verifact.verify import lexicon

    header = "  1 This software and database is being provided to you\n"
    files = {
        "data.adj": header
        + "00000001 00 a 01 high 0 001 ! 00000002 a 0101 | greater than normal\n"
        + "00000002 00 a 01 low(a) 0 001 ! 00000001 a 0101 | less than normal\n"
        # a pertainym of a capitalised adjective to a proper noun: a nationality
        + "00000004 01 a 01 Canadian 0 001 \\ 00000005 n 0101 | of or relating to Canada\n",
        "data.noun": header
        + "00000003 05 n 02 doctor 0 physician 0 000 | a practitioner\n"
        + "00000005 15 n 01 Canada 0 000 | a nation in northern North America\n",
        # "reduce" is a kind of decrease: opposed to "increase" (an indirect antonym)
        "data.verb": header
        + "00000010 30 v 01 increase 0 001 ! 00000011 v 0101 01 + 01 00 | become more\n"
        + "00000011 30 v 01 decrease 0 001 ! 00000010 v 0101 01 + 01 00 | become less\n"
        + "00000012 30 v 01 reduce 0 001 @ 00000011 v 0000 01 + 01 00 | make less\n"
        # a phrasal verb is a synonym; an idiom of several words is not
        + "00000013 30 v 03 die 0 pass_away 0 kick_the_bucket 0 000 | stop living\n",
        "data.adv": header,
        "index.adj": header + "high a 1 1 ! 1 0 00000001  \nlow a 1 1 ! 1 0 00000002  \n",
        # "doctor"'s third sense is no synonym: only the two most frequent count
        "index.noun": header
        + "doctor n 3 0 3 0 00000009 00000003 00000004  \n"
        + "physician n 1 0 1 0 00000003  \n"
        + "medico n 3 0 3 0 00000007 00000008 00000004  \n",
        "index.verb": header
        + "decrease v 1 1 ! 1 0 00000011  \nincrease v 1 1 ! 1 0 00000010  \n"
        + "reduce v 1 1 @ 1 0 00000012  \n"
        + "die v 1 0 1 0 00000013  \npass_away v 1 0 1 0 00000013  \n"
        + "kick_the_bucket v 1 0 1 0 00000013  \n",
        "index.adv": header,
        "LICENSE": "WordNet 3.0 Copyright 2006 by Princeton University.",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="latin-1")
    table = lexicon.build_table(tmp_path)
    assert table["antonyms"] == [("decrease", "increase"), ("high", "low")]
    assert table["indirect_antonyms"] == [("increase", "reduce")]
    assert table["synonyms"] == [["die", "pass_away"], ["doctor", "physician"]]
    # verbs of change in amount: at or below "increase" / "decrease"
    assert table["change_verbs"] == {"decrease": "down", "increase": "up", "reduce": "down"}
    assert table["nationalities"] == {"canadian": ["canada"]}
    assert table["licence"].startswith("WordNet 3.0 Copyright") and len(table["sha256"]) == 8
    # the file: a JSON header, then sorted lookup lines, each antonym pair both ways round
    header, *lines = lexicon.table_text(table).splitlines()
    assert json.loads(header.removeprefix("# "))["licence"] == table["licence"]
    assert lines == sorted(lines) and "A\treduce\tincrease" in lines
    assert {"S\tdoctor\t1", "S\tphysician\t1", "A\tlow\thigh", "D\treduce\tdown"} <= set(lines)
    assert {"S\tdie\t0", "S\tpass_away\t0"} <= set(lines)
    assert {"G\tcanadian\tcanada", "H\tcanada\tcanadian"} <= set(lines)
    # the shipped table: nationalities and the places they are of, either way round
    assert lexicon.same_place("Canadian", "Canada") and lexicon.same_place("Finland", "Finnish")
    assert lexicon.same_place("Dutch", "the Netherlands") and lexicon.is_nationality("Swiss")
    assert not lexicon.same_place("Swedish", "Norway") and not lexicon.is_nationality("company")
    # the shipped table
    assert lexicon.are_antonyms("Increase", "decrease") and lexicon.are_antonyms("west", "east")
    assert not lexicon.are_antonyms("increase", "rise")
    assert lexicon.are_antonyms("reduces", "increase") is False  # lemmas, not inflections
    assert lexicon.are_antonyms("reduce", "increase")  # indirect
    assert lexicon.are_synonyms("doctor", "physician") and not lexicon.are_synonyms("mouse", "rat")
    assert lexicon.are_opposites("hyperglycemia", "hypoglycemia")
    assert lexicon.table_header()["licence"].startswith("WordNet Release 3.0")
    assert lexicon.are_synonyms("zyrian", "komi")  # the last line is found (binary search)
    assert lexicon.are_synonyms("pass_away", "die") and lexicon.are_synonyms("step_down", "resign")
    assert not lexicon.are_synonyms("pass", "die")
    assert lexicon.are_opposites("raised", "lowered", "raise", "lower")
    assert not lexicon.are_opposites("prevent", "postvent")  # a stem of five letters at least
    # prepositions, which WordNet does not have
    assert lexicon.are_opposites("Before", "after") and lexicon.are_opposites("with", "without")
    assert not lexicon.are_opposites("before", "until")


def test_an_amount_going_the_same_way_in_its_place_is_no_swap(real_embedder):
    # a blind probe's claims (2026-12-06) REFUTED on "increased" / "rose", "fell" / "declined":
    # two verbs of change in amount the same way (``lexicon.change_direction``). Not aligned
    # ("doubled" goes up too): NOT_ENOUGH_INFO
    from verifact.verify import lexicon

    wv = WordVectors(real_embedder.embed_queries)
    for claim, source in [
        (
            "Solar output increased by 31 percent compared with the previous year.",
            "Solar output rose by 31 percent compared with the previous year.",
        ),
        (
            "Emissions from the power sector fell by 12 percent.",
            "Emissions from the power sector declined by 12 percent.",
        ),
    ]:
        a = _align(claim, source, wv)
        assert not a.swaps and len(a.missing) == 1, (claim, a)
    a = _align("Solar output fell by 31 percent.", "Solar output rose by 31 percent.", wv)
    assert ("fell", "rose") in a.swaps  # the other way still is a swap
    a = _align("Solar output dropped by 31 percent.", "Solar output climbed by 31 percent.", wv)
    assert ("dropped", "climbed") in a.swaps
    way = lexicon.change_direction
    assert way("rise") == way("increase") == way("climb") == "up"
    assert way("fall") == way("decline") == way("drop") == "down"
    assert way("say") is None and way("unheardofword") is None


def test_wordnet_verb_classes_make_a_way_to_do_something_no_swap(real_embedder):
    from verifact.verify import lexicon

    way = lexicon.is_way_to
    assert way("raise", "increase") and way("reduce", "decrease") and way("label", "designate")
    assert not way("increase", "raise")  # one way
    assert not way("walk", "run") and not way("sit", "stand")  # two ways of one thing
    assert not way("reduce", "increase") and not way("run", "move")  # "move": too wide
    wv = WordVectors(real_embedder.embed_queries)
    # in place, a way to do it is no contradiction (it was: "raises" / "increases" REFUTED)...
    a = _align(
        "Smoking raises the risk of lung cancer.", "Smoking increases the risk of lung cancer.", wv
    )
    assert not a.swaps
    # ... but not aligned either: the claim's verb is more than the source says
    assert "raises" in [s.text for s in a.missing]
    b = _align(
        "Smoking reduces the risk of lung cancer.", "Smoking increases the risk of lung cancer.", wv
    )
    assert ("reduces", "increases") in b.swaps


def test_two_names_of_one_actor_are_no_other_actor(real_embedder):
    # the shipped article: "The Soviet Union ceased to exist in 1991." was REFUTED on "The
    # Soviet Union" vs "the USSR" (0.92 by embedding; no initials of each other)
    wv = WordVectors(real_embedder.embed_queries)
    source = (
        "The Soviet Union had no relations with Israel until 1991, before the USSR ceased to exist."
    )
    a = _align("The Soviet Union ceased to exist in 1991.", source, wv)
    assert not a.swaps and not a.missing
    b = _align("Russia ceased to exist in 1991.", source, wv)  # 0.68: another actor
    assert b.missing or b.swaps or b.conflicts
    c = _align("Pfizer developed the vaccine.", "Moderna developed the vaccine.", wv)
    assert ("Pfizer", "Moderna") in c.swaps


def test_which_verb_reports_a_clause_is_no_contradiction_of_it(real_embedder):
    # the shipped article: "Bogdanov said that Russia does not consider Hezbollah a terrorist
    # organisation." was REFUTED on "said" / "reiterated" in place
    from verifact.verify.lexicon import is_reporting_verb

    assert is_reporting_verb("say") and is_reporting_verb("reiterate")
    assert not is_reporting_verb("increase") and not is_reporting_verb("consider")
    wv = WordVectors(real_embedder.embed_queries)
    source = "Bogdanov reiterated that Russia does not consider Hamas a terrorist organisation."
    a = _align(
        "Bogdanov said that Russia does not consider Hamas a terrorist organisation.", source, wv
    )
    assert not a.swaps and not a.conflicts
    # a verb with no clause to report is compared as any other
    b = _align("Bogdanov praised Russia.", "Bogdanov criticised Russia.", wv)
    assert b.swaps


def test_a_relation_word_in_place_is_a_swap_only_with_its_opposite(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    same = "The vaccine was tested in mice before the human trial began."
    a = _align("The vaccine was tested on mice before the human trial began.", same, wv)
    assert not a.swaps and a.coverage == 1.0  # "on" / "in": SNLI and SciFact claims REFUTED
    b = _align("The vaccine was tested in mice after the human trial began.", same, wv)
    assert ("after", "before") in b.swaps
    c = _align("Most voters voted against the bridge.", "Most voters voted for the bridge.", wv)
    assert ("against", "for") in c.swaps
    # "rose by 7 percent" is a change, "rose to 7 percent" a level (it was SUPPORTED)
    d = _align(
        "Unemployment rose by 7 percent in March.", "Unemployment rose to 7 percent in March.", wv
    )
    assert ("by", "to") in d.swaps
    e = _align(
        "The letter was written by hand in 1990.", "The letter was written to him in 1990.", wv
    )
    assert ("by", "to") not in e.swaps  # not of a quantity: no opposites


def test_wordnet_noun_classes_go_one_way_from_a_first_sense_two_steps_up(tmp_path):
    from verifact.verify import lexicon

    header = "  1 This software and database is being provided to you\n"
    # thing > animal > canine > dog; animal > cat; "dog" sense 2 is a person (a rarer sense)
    nouns = [
        ("00000001", "thing", ""),
        ("00000002", "animal", "@ 00000001 n 0000"),
        ("00000003", "canine", "@ 00000002 n 0000"),
        ("00000004", "dog", "@ 00000003 n 0000"),
        ("00000005", "cat", "@ 00000002 n 0000"),
        ("00000006", "person", "@ 00000001 n 0000"),
        ("00000007", "dog", "@ 00000006 n 0000"),
    ]
    data = "".join(
        f"{o} 05 n 01 {w} 0 {'001 ' + ptr if ptr else '000'} | gloss\n" for o, w, ptr in nouns
    )
    index = (
        "animal n 1 1 @ 1 0 00000002  \ncanine n 1 1 @ 1 0 00000003  \n"
        "cat n 1 1 @ 1 0 00000005  \ndog n 2 1 @ 2 0 00000004 00000007  \n"
        "person n 1 1 @ 1 0 00000006  \nthing n 1 0 1 0 00000001  \n"
    )
    files = {"data.noun": header + data, "index.noun": header + index}
    for name in ("data.adj", "data.verb", "data.adv", "index.adj", "index.verb", "index.adv"):
        files[name] = header
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="latin-1")
    # with 7 noun synsets, "thing" (6 below it) is too wide at 0.5 and left out
    senses, classes = lexicon.read_wordnet_hypernyms(tmp_path, too_general=0.5)
    assert senses["dog"] == [3, 6] and "thing" not in senses  # the most frequent sense first
    assert classes[3] == [2] and classes[2] == [1] and classes[1] == []  # dog > canine > animal
    assert 6 not in classes  # "dog" as a person is no first sense: not walked up
    # the shipped table
    kind = lexicon.is_kind_of
    assert kind("man", "person") and kind("dog", "animal") and kind("jacket", "clothing")
    assert kind("aspirin", "drug") and kind("mouse", "mammal")
    assert not kind("animal", "dog")  # one way: the class does not state the kind
    assert not kind("cat", "dog") and not kind("mouse", "rat")  # two kinds of one class
    assert not kind("dog", "person")  # a rarer sense of the source's word
    assert not kind("girl", "woman") and not kind("mouse", "rodent")  # the direct parent
    assert not kind("dog", "entity") and not kind("dog", "object")  # too wide to say anything
    assert not kind("unheardofword", "person") and not kind("man", "unheardofword")


def test_a_claim_noun_is_aligned_with_a_kind_of_it_not_the_other_way(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    a = _align("A person is playing a sport outside.", "A man is playing baseball outside.", wv)
    assert not a.missing and not a.substitutions
    a = _align("The children wear warm clothing.", "The children wear warm jackets.", wv)
    assert not a.missing and not a.substitutions  # in place, a kind is no swap
    a = _align("A man is playing baseball outside.", "A person is playing a sport outside.", wv)
    assert {m.text for m in a.missing} >= {"man", "baseball"}  # the class does not say the kind
    a = _align("A cat sleeps on the sofa.", "A dog sleeps on the sofa.", wv)
    assert ("cat", "dog") in a.substitutions  # another kind of the same class is a swap


def test_a_quantifier_pronoun_says_how_many_not_who():
    from verifact.verify.analysis import is_quantifier_pronoun

    (doc,) = parse(["They said that all of them and each of those who knew what this was agreed."])
    says = {t.lower_: is_quantifier_pronoun(t) for t in doc if t.pos_ == "PRON"}
    assert says["all"] and says["each"]
    assert not any(says[w] for w in ("they", "them", "who", "what", "this") if w in says)
    assert {"they", "who", "what"} <= set(says)  # spaCy tags them PRON: the test bites


def test_a_name_that_shares_a_word_with_another_is_its_rival_not_its_equal(real_embedder):
    wv = WordVectors(real_embedder.embed_queries)
    a = _align(
        "A plane crashed in South Carolina last year.",
        "A plane crashed in North Carolina last year.",
        wv,
    )
    assert ("South Carolina", "North Carolina") in _conflict_spans(a)
    # a name and a part of it are the same name
    a = _align("Khaled Meshaal visited Moscow.", "Hamas leader Meshaal visited Moscow.", wv)
    assert not a.missing_names and not a.conflicts


def test_a_century_or_decade_is_stated_by_a_year_in_it_and_contradicted_by_one_outside():
    # a second blind probe (2026-12-07): "constructed in the 19th century" / "built in 1897"
    a = _align("The weir was built in the 19th century.", "The weir was built in 1897.")
    assert not a.missing and not a.conflicts
    a = _align("The weir was built in the 1890s.", "The weir was built in 1897.")
    assert not a.missing and not a.conflicts  # was a date mismatch: "1890" against "1897"
    a = _align("The weir was built in the 1880s.", "The weir was built in 1897.")
    assert ("date mismatch", "the 1880s", "1897") in _conflict_triples(a)
    a = _align("The weir was built in the 18th century.", "The weir was built in 1897.")
    assert [m.text for m in a.missing] == ["the 18th century"]
    # a period against the same period, and "the 1800s" is a hundred years (a review's cases)
    for claim, source in (
        ("The weir was built in the 1890s.", "The weir was built in the 1890s."),
        ("The weir was built in the 19th century.", "The weir was built in the 19th century."),
        ("The weir was built in the 1800s.", "The weir was built in 1850."),
    ):
        a = _align(claim, source)
        assert not a.missing and not a.conflicts, claim


def test_a_figure_with_a_currency_prefix_is_one_number():
    # "CA$21.3" was one token, a word: the slot "million" alone compared 1,000,000 with
    # 1,000,000, so "NZ$1.3 billion" was SUPPORTED by "NZ$1.12 billion"
    a = _align("The bridge cost NZ$1.3 billion.", "The bridge cost NZ$1.12 billion.")
    assert ("number mismatch", "NZ$1.3 billion", "NZ$1.12 billion") in _conflict_triples(a)
    # a bounded amount of money is stated by a figure it allows said of the same verb, and its
    # rival is that figure, not the budget
    source = "Made on a budget of CA$6.5 million, the film grossed CA$21.3 million worldwide."
    a = _align("The film grossed more than CA$20 million worldwide.", source)
    assert not a.missing and not a.conflicts
    a = _align("The film grossed more than CA$25 million worldwide.", source)
    assert _conflict_triples(a) == {
        ("number mismatch", "more than CA$25 million", "CA$21.3 million")
    }
    # a country's dollar is its own unit
    a = _align("The film grossed US$21.3 million.", "The film grossed CA$21.3 million.")
    assert ("number mismatch", "US$21.3 million", "CA$21.3 million") in _conflict_triples(a)
    # not stated by a figure of the verb where it has two, or where the sentence has the verb
    # twice or another does it: a review found these SUPPORTED (each a counter-claim)
    for claim, source, rival in (
        (
            "The film grossed more than $100 million in the US.",
            "The film grossed $150 million worldwide, including $40 million in the US.",
            "$40 million",
        ),
        (
            "The company raised more than $50 million.",
            "Its rival raised $80 million, while the company raised $20 million.",
            "$20 million",
        ),
        (
            "The project cost less than $2 billion.",
            "The project was expected to cost $1.5 billion but eventually cost $2.7 billion.",
            "$2.7 billion",
        ),
    ):
        a = _align(claim, source)
        assert [c.source_span for c in a.conflicts] == [rival], claim


def test_nationalities_state_their_countries_and_rival_each_other():
    # WordNet's pertainyms: "Canadian" is of Canada, "Norwegian" of Norway
    a = _align(
        "The Salt Orchard is a film from Canada.", "The Salt Orchard is a 2016 Canadian film."
    )
    assert not a.missing
    a = _align("Halvorsen is a biologist from Norway.", "Halvorsen is a Norwegian biologist.")
    assert not a.missing
    a = _align("Veltrane is a German company.", "Veltrane is a Swiss company.")
    assert ("entity mismatch", "German", "Swiss") in _conflict_triples(a)
    # only where the place says where the thing is from, and the nationality is of the thing
    a = _align("The film was shot in Canada.", "The Canadian director shot the film in France.")
    assert ("entity mismatch", "Canada", "France") in _conflict_triples(a)


def test_a_name_of_the_same_pattern_is_not_stated_by_its_words_about_the_sentence():
    # "the University of Turku" had been stated by "Turku" and "University" apart
    a = _align(
        "Marvonen studied languages at the University of Turku.",
        "Born in Turku, Marvonen studied languages at the University of Helsinki.",
    )
    assert ("entity mismatch", "the University of Turku", "the University of Helsinki") in (
        _conflict_triples(a)
    )
    a = _align(
        "Marvonen studied at the University of Helsinki.",
        "Born in Turku, Marvonen studied at the University of Helsinki.",
    )
    assert not a.missing


def test_the_one_thing_a_superlative_singles_out_is_one_name():
    source = "The largest town on the Drewnica is Wierzbnow, followed by Radzyn and Stary Mlyn."
    a = _align("Radzyn is the largest town on the Drewnica.", source)
    assert ("Radzyn", "Wierzbnow") in a.swaps  # was SUPPORTED: every word is in the sentence
    assert not _align("Wierzbnow is the largest town on the Drewnica.", source).swaps
    source = "Since the 1990s, the largest employer in the city has been the service sector."
    assert not _align("Services are the largest employer in the city.", source).swaps
    # a review's cases: the claim's own pair stated, another set, another name for it
    for claim, source in (
        (
            "Kano is the largest city in northern Nigeria.",
            "Kano is the largest city in northern Nigeria, while the largest city in the "
            "country is Lagos.",
        ),
        ("The Nile is the longest river in Africa.", "The longest river in Europe is the Volga."),
        (
            "The NHS is the largest employer in Britain.",
            "The largest employer in Britain is the National Health Service.",
        ),
        (
            "Tourism is the largest employer in the city.",
            "The largest employer in the city is the tourist trade.",
        ),
    ):
        assert not _align(claim, source).swaps, claim


def test_a_short_word_is_not_stated_by_another_that_starts_alike():
    # the held-out half of eval/probe2: "the *shortest* cable-stayed bridge" was SUPPORTED by
    # "... linking Port Ardley on the northern *shore*": "short" and "shore" share four letters
    a = _align(
        "The Waiora Harbour Bridge is the shortest cable-stayed bridge in New Zealand.",
        "The Waiora Harbour Bridge is a cable-stayed road bridge across Waiora Harbour in New "
        "Zealand, linking Port Ardley on the northern shore with Kereru Bay.",
    )
    assert "shortest" in [m.text for m in a.missing]
    # a spelling with one letter more is the same word; a derivation still aligns
    assert not _align("The tumor grew.", "The tumour grew.").missing
    assert not _align("Aspirin reduces pain.", "Aspirin led to a reduction of pain.").missing


def test_a_persons_dates_of_birth_and_death_say_born_and_died():
    from verifact.verify.evidence import life_dates

    (doc,) = parse(["Ilse Marvonen (3 February 1938 – 11 November 2009) was a Finnish novelist."])
    text = life_dates(doc)
    assert text == (
        "Ilse Marvonen (born 3 February 1938 – died 11 November 2009) was a Finnish novelist."
    )
    assert not _align("Ilse Marvonen died in 2009.", text).missing
    a = _align("Ilse Marvonen died in 2008.", text)  # the rival is the date she died
    assert ("date mismatch", "2008", "11 November 2009") in _conflict_triples(a)
    a = _align("Ilse Marvonen was born in 2009.", text)
    assert ("date mismatch", "2009", "3 February 1938") in _conflict_triples(a)
    # not a war's years, nor a range already worded, nor a span no life has
    for sentence in (
        "The Hundred Years War (1337–1453) was a series of conflicts.",
        "Mikkel Torvang (born 14 March 1991) is a Danish footballer.",
        "Prices rose (1998-2004) sharply.",
    ):
        assert life_dates(parse([sentence])[0]) is None


def test_an_acronym_may_leave_out_the_country_before_a_name():
    a = _align(
        "The FDA approved Kidrova in 2022.",
        "The United States Food and Drug Administration approved Kidrova on 18 April 2022.",
    )
    assert not a.missing
    a = _align(
        "The FBI arrested him.", "The United States Food and Drug Administration arrested him."
    )
    assert a.missing


def test_a_claims_last_word_meets_another_where_a_phrase_of_the_sentence_ends():
    # FEVER-style occupation swaps: the sentence goes on after the word ("... for Dutch club")
    a = _align(
        "Mikkel Torvang plays as a central defender.",
        "Mikkel Torvang is a Danish footballer who plays as a central midfielder for Dutch club "
        "FC Hollandsveen.",
    )
    assert ("defender", "midfielder") in a.swaps
    a = _align(
        "Ingrid Maren Halvorsen is a Norwegian marine geologist.",
        "Ingrid Maren Halvorsen (born 14 March 1961) is a Norwegian marine biologist and author.",
    )
    assert ("geologist", "biologist") in a.swaps
    # nor another word's phrase, another part of speech, or where the claim's word is there
    # too (a re-analysis found these REFUTED on SNLI test: "sky" / "wind", "happy" /
    # "jumping", "digging" / "working")
    for claim, source in (
        (
            "A plane flies in the sky.",
            "A plane flies overhead as a flag blows in the wind as well.",
        ),
        ("The boy is happy", "A young boy is jumping down an inflatable water ride."),
        ("Women are digging.", "Women are working and digging in a field."),
    ):
        assert not _align(claim, source).swaps, claim
    # not inside a phrase that goes on: "a local *hospital* charity" is not a hospital
    a = _align(
        "The fund was set up to help a local school.",
        "The fund was set up to help a local hospital charity in 2010.",
    )
    assert not a.swaps


def test_a_date_in_another_part_of_its_period_is_a_date_mismatch():
    a = _align(
        "The incidence of cervical carcinoma in the late 1960s was 15.4 per 10,000.",
        "The incidence of cervical carcinoma in the early 1960s was 15.4 per 10,000.",
    )
    assert ("the late 1960s", "the early 1960s") in _conflict_spans(a)
    # a source that only names the decade does not contradict a part of it
    assert not _align(
        "Incidence of carcinoma rose in the late 1960s.",
        "Incidence of carcinoma rose in the 1960s.",
    ).conflicts


def test_a_passage_sentence_is_chosen_by_the_claim_words_only_it_has():
    from verifact.types import Hit, Passage
    from verifact.verify.evidence import _top_sentences

    text = (
        "Mayor Elena Varga opened the Millbrook Harbour Bridge on 14 May 2024. "
        "She cut the ribbon. The Millbrook bridge cost 48 million euros. "
        "It was designed by the engineering firm Halden & Roos."
    )
    hit = Hit(Passage("a#0", "a", text, "a", 0, len(text)), 1.0, 1)
    top = _top_sentences("The Millbrook Harbour Bridge was designed by Halden & Roos.", [hit])
    first = top["a#0"][0]
    assert first[2] == "It was designed by the engineering firm Halden & Roos."
    assert text[first[0] : first[1]] == first[2]
    assert first[3] == pytest.approx(3 / 6)  # the share of claim words stays unweighted


def _context_in_one_passage(text: str, sentence: str) -> str:
    """``evidence._context`` of ``sentence`` in a document that is one passage, ``text``."""
    from verifact.types import Hit, Passage
    from verifact.verify.evidence import _context

    return _context(Hit(Passage("d#0", "d", text, "d", 0, len(text)), 1.0, 1), text.index(sentence))


def test_a_sentence_is_read_with_its_documents_lead_however_far_before():
    from verifact.types import Hit, Passage
    from verifact.verify.evidence import _context

    lead = "Valmora is a city in the north of Portugal."
    middle = " ".join(f"In {1900 + i} the mayor opened school number {i}." for i in range(6))
    text = f"{lead} {middle} The city has no airport."
    context = _context_in_one_passage(text, "The city has")
    assert context.startswith(lead) and "school number 0" not in context  # five sentences back
    # a later passage: the lead is read from the document's first one
    first = Passage("v#0", "v", f"{lead} {middle}", "v", 0, len(lead) + 1 + len(middle))
    later = Passage("v#1", "v", "The city has no airport.", "v", first.end + 2, first.end + 26)

    def previous(p, first=False):  # as Index.previous_passage: the passage before is far
        return first_passage if first else None

    first_passage = first
    context = _context(Hit(later, 1.0, 1), later.start, previous)
    assert context == lead


def test_a_documents_lead_is_its_first_sentence_after_a_heading():
    # on ff45307 the lead of a text that opens with its title line was the title alone, so
    # "the river" five sentences later had no river to be (a probe3 dev claim)
    lead = "The River Skelda is a river in northern England."
    middle = " ".join(f"In {1900 + i} a mill opened at weir number {i}." for i in range(6))
    text = f"River Skelda\n\n{lead} {middle} Otters returned to the river in 2004."
    context = _context_in_one_passage(text, "Otters")
    assert lead in context and "weir number 0" not in context
    # a document of headings only has no lead
    text = "River Skelda\n\nCourse\n\nHistory\n\nOtters returned in 2004."
    assert "Course" in _context_in_one_passage(text, "Otters")


# ---- perturbations --------------------------------------------------------------------------


def _perturber(texts, seed=3):
    from verifact.verify.perturb import Perturber, Vocabulary, doc_entities

    docs = parse(texts)
    pool = {}
    for d in docs:
        for label, ents in doc_entities(d).items():
            pool.setdefault(label, []).extend(ents)
    words = {"VBD": ["increased", "decreased"], "NNS": ["mice", "rats"]}
    vecs = {t: np.eye(2, dtype=np.float32) for t in words}
    coordinated = {("VBD", "increased"): {"decreased"}, ("VBD", "decreased"): {"increased"}}
    return docs, Perturber(Vocabulary(words, vecs, coordinated), pool, seed=seed)


TEXTS = [
    "In 2015, Smith reported that the drug increased survival in 40 mice. "
    "Jones later reviewed the trial in London. The results were published in March.",
]


def test_auxiliaries_are_never_swapped():
    """ "was" -> "were" is grammar, not a counter-claim (a copula root is tagged VBD too)."""
    from verifact.verify.perturb import Perturber, Vocabulary

    words = {"VBD": ["was", "were"]}
    coordinated = {("VBD", "was"): {"were"}, ("VBD", "were"): {"was"}}
    vocab = Vocabulary(words, {"VBD": np.eye(2, dtype=np.float32)}, coordinated)
    sent = next(parse(["Follow up was in the spring."])[0].sents)
    assert [t.tag_ for t in sent if t.text == "was"] == ["VBD"]
    kinds = [kind for _, kind in Perturber(vocab, {}, seed=1).contradictions(sent, {})]
    assert "word" not in kinds


def test_perturbations_change_one_slot_and_are_deterministic():
    from verifact.verify.perturb import perturb_docs

    docs, p = _perturber(TEXTS)
    sent = next(docs[0].sents)
    kinds = dict((kind, claim) for claim, kind in p.contradictions(sent, {"PERSON": ["Jones"]}))
    assert {"year", "number", "entity", "negation", "word"} <= set(kinds)
    assert "decreased" in kinds["word"] and "Jones" in kinds["entity"]
    assert "did not increase" in kinds["negation"] or "not" in kinds["negation"]
    assert "2015" not in kinds["year"] and "40" not in kinds["number"]
    first = perturb_docs(docs, _perturber(TEXTS)[1])
    again = perturb_docs(docs, _perturber(TEXTS)[1])
    assert first == again and {x.label for x in first} <= {"entailment", "contradiction", "neutral"}


def test_a_word_swap_never_puts_a_synonym_or_a_class_of_the_word_in_its_place():
    from verifact.verify.perturb import Vocabulary, build_vocabulary

    words = ["ministers", "leaders", "officials", "doctors", "physicians", "nurses"]
    vocab = Vocabulary(
        {"NNS": words},
        {"NNS": np.eye(len(words), dtype=np.float32)},
        {
            ("NNS", "ministers"): {"leaders", "officials"},  # "ministers and other leaders"
            ("NNS", "doctors"): {"physicians", "nurses"},
        },
        {w: w[:-1] for w in words},
    )
    assert vocab.neighbours("ministers", "NNS") == ["officials"]  # a minister is a leader
    assert vocab.neighbours("doctors", "NNS") == ["nurses"]  # a synonym says the same

    # the vocabulary built from a corpus knows each word's lemma
    def embed(texts):
        return np.eye(len(texts), 4, dtype=np.float32)

    built = build_vocabulary(parse(["The ministers and the leaders met."] * 3), embed)
    assert built.lemmas["ministers"] == "minister" and built.neighbours("ministers", "NNS") == []


def test_paraphrases_swap_one_word_for_a_synonym_or_a_class_in_the_corpus_form():
    """The entailed side of a one-word change: "examined" -> "analyzed" (a WordNet synonym with
    the same most frequent sense, near in the embedding, in the form the corpus writes for VBD),
    "mice" -> "animals" (a class of an animal); never an opposite or a co-hyponym, never a
    synonym the embedding puts far off, never a word the corpus lacks; none at all at rate 0,
    so the recipes before it make the same pairs draw for draw."""
    from verifact.verify.perturb import Perturber, Vocabulary, perturb_docs

    words = {
        "VBD": ["analyzed", "examined", "studied", "ignored"],
        "NNS": ["animals", "mice", "rats"],
    }
    lemmas = {"analyzed": "analyze", "examined": "examine", "studied": "study"}
    lemmas |= {"ignored": "ignore", "animals": "animal", "mice": "mouse", "rats": "rat"}
    # analyzed ~ examined; studied far from both
    near = np.array([[1, 0], [0.8, 0.6], [-0.6, 0.8], [0, 1]], dtype=np.float32)
    vecs = {"VBD": near, "NNS": np.eye(3, dtype=np.float32)}
    vocab = Vocabulary(words, vecs, {}, lemmas)
    assert vocab.form("examine", "VBD") == "examined" and vocab.form("examine", "NN") is None
    sent = next(parse(["The team examined the blood of 40 mice."])[0].sents)
    got = dict(Perturber(vocab, {}, seed=1).paraphrases(sent))
    assert got.get("The team analyzed the blood of 40 mice.") == "synonym"
    assert got.get("The team examined the blood of 40 animals.") == "class"
    # "studied" is a synonym of "examined" the embedding puts far off; "ignored", "rats": no
    assert not any(w in c for c in got for w in ("studied", "ignored", "rats"))
    # rate 0 draws nothing more: the pairs are those of a perturber without the option
    docs = parse(TEXTS)
    plain = perturb_docs(docs, Perturber(vocab, {}, seed=5))
    assert perturb_docs(docs, Perturber(vocab, {}, seed=5, paraphrase_rate=0.0)) == plain
    every = perturb_docs(
        parse(["The team examined the blood of 40 mice."]),
        Perturber(vocab, {}, seed=5, paraphrase_rate=1.0),
    )
    assert [p.kind for p in every if p.label == "entailment"] in (["synonym"], ["class"])


# ---- the shipped stance model ---------------------------------------------------------------


def test_shipped_stance_model_is_small_checked_and_sane():
    spec = json.loads((model_dir() / "stance.json").read_text())
    assert (model_dir() / spec["file"]).stat().st_size <= 30 * 2**20
    model = load_stance_model()
    probs = model.predict(
        [
            ("A man is playing a guitar on stage.", "A man is playing a guitar on stage."),
            ("A man is playing a guitar on stage.", "Nobody is playing a guitar."),
        ]
    )
    assert probs.shape == (2, 3) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert probs[0].argmax() == 0  # entails
    assert probs[1][1] > probs[0][1]  # the negated claim contradicts more


def test_a_pairs_stance_does_not_depend_on_the_pairs_beside_it():
    # batched, the int8 model's activation scale was shared by the batch: on 7595291 one
    # sentence of the shipped article read entailment 0.55 in one analysis and 0.45 in another,
    # with only other sentences changed, and a true seed claim went from SUPPORTED to
    # NOT_ENOUGH_INFO
    model = load_stance_model()
    claim = "Syria's civil war erupted in 2011."
    pair = (
        "Although Hamas opposed Bashar al-Assad during Syria's long civil war that erupted in "
        "2011, Russia's position towards Hamas did not change even though it supported the "
        "Syrian regime.",
        claim,
    )
    alone = model.predict([pair])[0]
    for others in (
        [("Longstanding relationship with Hamas", claim)],
        [("Read more: Russia performs delicate balancing act as Israel wages war on Gaza", claim)]
        * 3,
    ):
        assert np.array_equal(model.predict([*others, pair])[-1], alone)
        assert np.array_equal(model.predict([pair, *others])[0], alone)


def test_pairs_run_side_by_side_read_as_they_do_one_by_one():
    # predict spreads pairs over threads; each pair still runs alone, so nothing may change,
    # order included
    article = (ROOT / "src/verifact/sources/russia-hamas-relations.txt").read_text("utf-8")
    sentences = [line for line in article.splitlines() if len(line.split()) > 5][:12]
    pairs = [(s, "Russia designated Hamas a terrorist organisation in 2015.") for s in sentences]
    serial = StanceModel(model_dir(), workers=1).predict(pairs)
    model = StanceModel(model_dir(), check=False, workers=4)
    threads, run = set(), model.session.run

    def counted(*args, **kwargs):
        threads.add(threading.get_ident())
        return run(*args, **kwargs)

    model.session = SimpleNamespace(run=counted)
    side_by_side = model.predict(pairs)
    assert len(threads) > 1  # the pairs did run side by side
    assert len(pairs) == 12 and serial.shape == (12, 3)
    assert np.array_equal(side_by_side, serial)
    assert not np.array_equal(serial[0], serial[1])  # the rows are the pairs', not one repeated


def test_a_tampered_stance_model_is_refused(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(model_dir(), folder)
    data = bytearray((folder / "model.onnx").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "model.onnx").write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match="does not match its recorded sha256"):
        StanceModel(folder)


# ---- verdicts on the shipped corpus (real model) --------------------------------------------


@pytest.fixture(scope="module")
def seed_verdicts(seed_index):
    rows = [c for c in SEED_CLAIMS if c["split"] == "test"] + HELDOUT
    return rows, verify.verify_claims(seed_index, [r["claim"] for r in rows])


def _by_cid(seed_verdicts, cid):
    rows, verdicts = seed_verdicts
    return verdicts[[r["cid"] for r in rows].index(cid)]


def test_verdict_json_contract_shows_stance_probabilities(seed_verdicts):
    obj = _by_cid(seed_verdicts, "c013").to_dict()
    assert set(obj) == {"claim", "verdict", "confidence", "reasons", "evidence"}
    assert obj["verdict"] in verify.LABELS and 0.0 <= obj["confidence"] <= 1.0
    for r in obj["reasons"]:
        assert set(r) == {"kind", "claim_span", "source_span", "hit"}
    for e in obj["evidence"]:
        assert e["stance"] in {"supports", "contradicts", "unrelated"}
        p = e["probabilities"]
        assert set(p) == {"entails", "contradicts", "neutral"}
        assert abs(sum(p.values()) - 1) < 1e-3
        assert e["start"] <= e["highlight"]["start"] < e["highlight"]["end"] <= e["end"]
    json.dumps(obj)


def test_seed_date_swap_is_refuted_with_both_spans(seed_verdicts):
    v = _by_cid(seed_verdicts, "c013")  # February 2008 for February 2006
    assert v.label == "REFUTED"
    assert ("date mismatch", "February 2008", "February 2006") in {
        (r.kind, r.claim_span, r.source_span) for r in v.reasons
    }


def test_a_name_no_source_mentions_is_not_enough_info(seed_verdicts):
    v = _by_cid(seed_verdicts, "h025")  # China considers Hamas a terrorist organisation
    assert v.label == "NOT_ENOUGH_INFO"
    assert ("no source mentions", "China") in {(r.kind, r.claim_span) for r in v.reasons}
    # said once: no "word mismatch" pairs the absent name with a source name, no line twice
    assert not any(r.claim_span == "China" and r.kind != "no source mentions" for r in v.reasons)
    assert len(set(v.reasons)) == len(v.reasons)


def test_seed_accuracy_and_no_refuted_claim_supported(seed_verdicts):
    rows, verdicts = seed_verdicts
    for split, floor in (("test", SEED_TEST_ACCURACY), ("heldout", HELDOUT_ACCURACY)):
        pairs = [(r, v) for r, v in zip(rows, verdicts, strict=True) if r["split"] == split]
        accuracy = sum(r["label"] == v.label for r, v in pairs) / len(pairs)
        assert accuracy >= floor, (split, accuracy)
    need = {"SUPPORTED": "supports", "REFUTED": "contradicts"}
    wrong = [
        r["cid"]
        for r, v in zip(rows, verdicts)
        if r["label"] == "REFUTED" and v.label == "SUPPORTED"
    ]
    assert len(wrong) <= MAX_REFUTED_SUPPORTED, wrong
    for r, v in zip(rows, verdicts, strict=True):
        if v.label in need:  # no verdict without a cited sentence that justifies it
            assert any(e.stance == need[v.label] for e in v.evidence), r["cid"]
        if r["change"] in {"date", "number"}:  # a changed date or number is never SUPPORTED
            assert v.label != "SUPPORTED", r["cid"]
        for reason in v.reasons:  # reasons quote the claim's and the source's own words
            assert not reason.claim_span or reason.claim_span in r["claim"], r["cid"]


@pytest.mark.parametrize(
    "claim,pair",
    [
        # paraphrases: the antonym is not in the source word's place (both SUPPORTED before
        # WordNet's antonyms, 2026-12-05)
        (
            "In 2006 Putin invited Meshaal to Moscow after the defeat of Hamas in the "
            "legislative election.",
            ("defeat", "victory"),
        ),
        (
            "Putin invited Meshaal to Moscow after Hamas was defeated by Fatah in the "
            "legislative election.",
            ("defeated", "victory"),
        ),
        ("A large number of Russian citizens lived in Gaza.", ("large", "small")),  # in place
    ],
)
def test_an_antonym_of_the_source_word_is_never_supported(seed_index, claim, pair):
    v = verify.verify_claim(seed_index, claim)
    assert v.label != "SUPPORTED"
    assert ("word mismatch", *pair) in {(r.kind, r.claim_span, r.source_span) for r in v.reasons}


REFERENCE = ROOT / "eval" / "reference"
# measured (eval/results/verdicts.json, reference-test): 18/35 (2026-12-05); floor 2 claims lower
REFERENCE_ACCURACY = 16 / 35


@pytest.fixture(scope="module")
def reference_verdicts(tmp_path_factory, real_embedder):
    """The claims of eval/reference against its own news texts (pronouns, "the bridge")."""
    from verifact.index.store import build_index
    from verifact.ingest.readers import load_documents
    from verifact.search.search import load_index

    path = tmp_path_factory.mktemp("reference") / "index"
    build_index(load_documents([REFERENCE / "sources"]).documents, path, real_embedder)
    index = load_index(path, embedder=real_embedder)
    rows = [json.loads(x) for x in (REFERENCE / "claims.jsonl").read_text().splitlines()]
    return rows, verify.verify_claims(index, [r["claim"] for r in rows])


def test_a_claim_about_what_a_sentence_calls_she_is_checked(reference_verdicts):
    rows, verdicts = reference_verdicts
    by = {r["cid"]: v for r, v in zip(rows, verdicts, strict=True)}
    v = by["r001"]  # "She cut the ribbon in front of about 3,000 residents."
    assert v.label == "SUPPORTED"
    # the reason quotes the source as written, not as resolved
    assert v.reasons[0].source_span == "She cut the ribbon in front of about 3,000 residents."
    date = by["r022"]  # Kestrel Brands sued Norvale Foods in 2018 ("They had sued ... in 2021")
    assert date.label != "SUPPORTED"
    assert by["r017"].label != "SUPPORTED"  # "said jobs would be cut" vs "no jobs would be cut"


def test_reference_accuracy_and_changed_values_are_never_supported(reference_verdicts):
    rows, verdicts = reference_verdicts
    accuracy = sum(r["label"] == v.label for r, v in zip(rows, verdicts, strict=True)) / len(rows)
    assert accuracy >= REFERENCE_ACCURACY, accuracy
    wrong = [
        r["cid"]
        for r, v in zip(rows, verdicts, strict=True)
        if r["label"] == "REFUTED" and v.label == "SUPPORTED"
    ]
    assert len(wrong) <= 1, wrong  # measured: r028, "by half" where the source says "a third"


def test_cli_check_human_and_json(seed_index, capsys, tmp_path):
    idx = str(seed_index.data.path)
    claim = "Putin invited Khaled Meshaal to Moscow in February 2008."
    assert main(["check", claim, "--index", idx, "-k", "3"]) == 0
    out = capsys.readouterr().out
    assert "Verdict: REFUTED" in out
    assert 'date mismatch: claim "February 2008" vs source "February 2006"' in out
    assert "entails" in out and "contradicts" in out
    batch = tmp_path / "claims.txt"
    batch.write_text(f"{claim}\n" + '{"text": "Meshaal visited Beijing in 1999."}\n')
    assert main(["check", "--batch", str(batch), "--index", idx, "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["verdict"] for x in lines] == ["REFUTED", "NOT_ENOUGH_INFO"]


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["check", "   "], 1, "Empty query"),
        (["check", "A claim.", "-k", "0"], 1, "Invalid k"),
        (["check"], 1, "No query given"),
        (["check", "A claim.", "--batch", "x.txt"], 1, "not both"),
        (["check", "--batch", "/nonexistent/claims.txt"], 1, "does not exist"),
        (["check", "A claim.", "--mode", "magic"], 2, "invalid choice"),
        (["check", "A claim.", "--stance-model", "/nonexistent"], 1, "has no stance.json"),
        (["train-stance", "--data", "/nonexistent", "--out", "/tmp/x"], 1, "is missing"),
        (["train-stance", "--data", "d", "--out", "o", "--recipe", "big"], 1, "Unknown --recipe"),
        (["train-stance", "--data", "d", "--out", "o", "--epochs", "0"], 1, "Invalid --epochs"),
    ],
)
def test_cli_check_errors(argv, code, message, capsys):
    if code == 2:
        with pytest.raises(SystemExit) as e:
            main(argv)
        assert e.value.code == 2
    else:
        assert main(argv) == code
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, recipe, epochs",
    [([], "shipped", 2), (["--recipe", "base"], "base", 1), (["--epochs", "3"], "shipped", 3)],
)
def test_train_stance_takes_the_recipes_epochs_unless_told(argv, recipe, epochs, monkeypatch):
    from verifact.verify import train, training_data

    seen = {}

    def fake_train(data, out, rec, settings, log=print):
        seen.update(recipe=rec, epochs=settings.epochs)
        return {"pairs": 0}

    monkeypatch.setattr(train, "train_and_export", fake_train)
    monkeypatch.setattr(training_data, "check_data_dir", lambda d: d)
    assert main(["train-stance", "--data", "d", "--out", "o", *argv]) == 0
    assert seen == {"recipe": training_data.RECIPES[recipe], "epochs": epochs}


def test_params_file_is_complete():
    params = json.loads((Path(verify.__file__).with_name("verify_params.json")).read_text())
    assert {"evidence_threshold", "question_threshold", "gate_missing", "model"} <= set(params)
    assert params["model"]["features"] == list(verify.FEATURES)
    assert np.array(params["model"]["coef"]).shape == (3, len(verify.FEATURES))


def test_question_threshold_separates_answerable_from_off_topic(seed_index):
    from verifact.verify.verdict import QUESTION_THRESHOLD, is_weak

    assert 0 < QUESTION_THRESHOLD < 1
    good = seed_index.search("When did Putin invite Meshaal to Moscow?", k=1)[0]
    off = seed_index.search("What is the capital of Australia?", k=1)[0]
    assert not is_weak(good, question=True)
    assert is_weak(off, question=True)


def test_bad_input_raises(seed_index):
    with pytest.raises(InputError, match="Empty query"):
        verify.verify_claims(seed_index, ["  "])
    with pytest.raises(InputError, match="Invalid k"):
        verify.verify_claims(seed_index, ["A claim."], k=0)


def test_expected_calibration_error_by_hand():
    # two bins: confidence 0.9 right once of two (gap 0.4), 0.3 right never (gap 0.3)
    ece = verify.expected_calibration_error([0.9, 0.9, 0.3, 0.3], [1, 0, 0, 0])
    assert ece == pytest.approx(0.5 * 0.4 + 0.5 * 0.3)


# ---- training (torch: the train extra) --------------------------------------------------------


def test_training_a_stance_model_exports_an_onnx_model_that_loads(tmp_path):
    pytest.importorskip("torch", reason="training needs torch: pip install 'verifact[train]'")
    from verifact.index.model import bundled_model_path
    from verifact.verify.perturb import Pair
    from verifact.verify.train import TrainSettings, train_stance_model, write_stance_folder

    pairs = [
        Pair("A dog runs in the park.", "A dog runs.", "entailment", "copy"),
        Pair("A dog runs in the park.", "A cat sleeps.", "neutral", "other"),
        Pair("A dog runs in the park.", "No dog runs.", "contradiction", "negation"),
    ] * 4
    settings = TrainSettings(batch_size=4, max_length=32)
    info = train_stance_model(
        pairs, bundled_model_path(), tmp_path / "ckpt", settings, log=lambda m: None
    )
    assert info["steps"] == 3 and info["labels"] == ["entailment", "contradiction", "neutral"]
    write_stance_folder(tmp_path / "ckpt", tmp_path / "model", settings.max_length)
    probs = StanceModel(tmp_path / "model").predict([("A dog runs in the park.", "A dog runs.")])
    assert probs.shape == (1, 3) and abs(float(probs.sum()) - 1) < 1e-5


def test_spacy_loads_without_its_command_line_which_still_works_after():
    # spaCy's __init__ imports its whole command line (typer, weasel, httpx) for spacy.info:
    # 0.15-0.2 s of a cold check on 2 cores
    import os
    import subprocess
    import sys

    code = (
        "import sys; from verifact.verify.analysis import load_nlp; "
        "nlp = load_nlp(); import spacy; "
        "print(len(nlp('Otters returned to the Skelda in 2004.').ents) > 0, "
        "'spacy.cli' in sys.modules, 'typer' in sys.modules, hasattr(spacy, 'cli')); "
        "print('spacy_version' in spacy.info()); "
        "import spacy.cli; print(callable(spacy.cli.download))"
    )
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["True", "False", "False", "False", "True", "True"], out.stderr


def test_spacy_preloads_once_in_the_background_where_torch_cannot_race():
    import importlib.util
    import subprocess
    import sys

    from verifact.verify.analysis import load_nlp, preload_nlp

    load_nlp()
    assert preload_nlp() is False  # loaded already: nothing to start
    code = (
        "import sys, threading\n"
        "sys.modules['torch'] = None  # as where torch is not installed\n"
        "from verifact.verify import analysis\n"
        "assert analysis.preload_nlp() is True\n"
        "assert 'verifact-spacy' in [t.name for t in threading.enumerate()]\n"
        "nlp = analysis.load_nlp()  # waits for the preload, never loads twice\n"
        "print(analysis._load_nlp.cache_info().misses, nlp is analysis.load_nlp(), "
        "[t.text for t in nlp('Otters swim.')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split(" ", 2)[:2] == ["1", "True"]
    # torch installed but not imported (this dev environment): no preload, spaCy loads in line
    code = "from verifact.verify import analysis; print(analysis.preload_nlp())"
    if importlib.util.find_spec("torch") is not None:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stdout.strip() == "False"


def _eval_script(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "eval" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _stance_sweep():
    return _eval_script("stance_sweep")


def test_counter_probe_swaps_one_word_per_counter_claim_from_two_disjoint_lists():
    probe = _eval_script("counter_probe")
    dev, heldout = probe.TABLES["dev"], probe.TABLES["heldout"]
    assert not set(dev) & set(heldout)  # the held-out list shares no word with the dev list
    got = probe.counters("Most mice gained weight, and all rats kept it.", dev)
    assert [(c, k) for c, k, _ in got] == [
        ("Few mice gained weight, and all rats kept it.", "quantifier"),
        ("Most humans gained weight, and all rats kept it.", "organism"),
        ("Most mice gained weight, and few rats kept it.", "quantifier"),
        ("Most mice gained weight, and all mice kept it.", "organism"),
    ]
    assert [s for _, _, s in probe.counters("Prices rose.", heldout)] == ["rose -> fell"]
    assert probe.counters("Nothing to swap here.", heldout) == []


def test_counter_probe_rte_hypotheses_are_the_entailed_ones_against_their_premises(tmp_path):
    probe = _eval_script("counter_probe")
    (tmp_path / "nli").mkdir()
    rows = [
        ("The army said 14 soldiers died in the attack near the border.", "Soldiers died.", "e"),
        ("The army said 14 soldiers died in the attack near the border.", "Nobody died.", "n"),
        ("Prices of wheat rose sharply across Europe in the spring.", "Wheat got dearer.", "e"),
    ]
    label = {"e": "entailment", "n": "not_entailment"}
    (tmp_path / "nli" / "rte_dev.jsonl").write_text(
        "".join(
            json.dumps({"premise": p, "hypothesis": h, "label": label[x]}) + "\n"
            for p, h, x in rows
        )
    )
    docs, sentences, hypotheses = probe.rte_documents(tmp_path)
    assert [d.text for d in docs] == [rows[0][0], rows[2][0]]  # each premise once
    assert sentences == [rows[0][0], rows[2][0]]
    assert hypotheses == ["Soldiers died.", "Wheat got dearer."]


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--sets", "artcle"], "--sets: unknown set 'artcle'; choose from article"),
        (["--limit", "0"], "--limit 0: give at least 1"),
        (["--data", "/nowhere", "--sets", "rte-dev"], "needs nli/rte_dev.jsonl, which is not"),
    ],
)
def test_counter_probe_names_a_bad_argument_in_one_line(argv, message, capsys):
    probe = _eval_script("counter_probe")
    with pytest.raises(SystemExit):
        probe.main(argv)
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert message in err


def test_stance_sweep_scores_and_parses_each_text_once():
    sweep = _stance_sweep()
    labels = ["entailment", "contradiction", "neutral"]
    rows = [{"label": x} for x in ("entailment", "entailment", "contradiction", "neutral")]
    probs = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]])
    got = sweep._scores(probs, rows, labels)
    # entailment P 1 R 1/2 -> F1 2/3; contradiction P 1/2 R 1 -> 2/3; neutral 1
    assert got["accuracy"] == 0.75 and got["macro_f1"] == pytest.approx(
        (2 / 3 + 2 / 3 + 1) / 3, abs=1e-4
    )
    assert got["recall"] == {"entailment": 0.5, "contradiction": 1.0, "neutral": 1.0}

    calls = []

    class CountingNLP:
        def pipe(self, texts, batch_size=32):
            calls.append(list(texts))
            return (t.upper() for t in calls[-1])

    memo = sweep._MemoNLP(CountingNLP())
    assert list(memo.pipe(["a", "b", "a"])) == ["A", "B", "A"]
    assert list(memo.pipe(["b", "c"])) == ["B", "C"]
    assert calls == [["a", "b"], ["c"]]
    assert set(sweep.VARIANTS.values()) >= {("base", 1), ("shipped", 3), ("all", 3)}


def test_training_on_a_device_that_is_not_there_is_a_clear_error(tmp_path):
    pytest.importorskip("torch", reason="training needs torch: pip install 'verifact[train]'")
    from verifact.verify.perturb import Pair
    from verifact.verify.train import TrainSettings, train_stance_model

    pairs = [Pair("A dog runs.", "A dog runs.", "entailment", "copy")]
    with pytest.raises(InputError, match="Device 'nowhere' cannot be used here"):
        train_stance_model(pairs, "unused", tmp_path, TrainSettings(device="nowhere"))


def test_rationale_sentence_rows_by_hand():
    import random

    from verifact.eval.verdicts import rationale_sentence_rows

    corpus = {1: {"abstract": ["S0.", "S1.", "S2."]}, 2: {"abstract": ["T0."]}}
    claims = [
        {"claim": "C1", "evidence": {"1": [{"sentences": [1], "label": "CONTRADICT"}]}},
        {"claim": "C2", "evidence": {}, "cited_doc_ids": [2]},
    ]
    rows = rationale_sentence_rows(claims, corpus, random.Random(0))
    assert rows[0] == {"premise": "S1.", "hypothesis": "C1", "label": "contradiction"}
    assert sorted(r["premise"] for r in rows[1:]) == ["S0.", "S2."]
    assert {r["label"] for r in rows[1:]} == {"neutral"}
    more = rationale_sentence_rows(claims, corpus, random.Random(0), unsupported=True)
    assert more[:3] == rows and more[3:] == [
        {"premise": "T0.", "hypothesis": "C2", "label": "neutral"}
    ]


@needs_shared
def test_the_all_data_recipe_reads_every_nli_row():
    import random
    from dataclasses import replace

    from verifact.verify.training_data import ALL_DATA, NLI_FILES, RECIPES, nli_pairs

    data = SHARED / "data"
    every = nli_pairs(data, random.Random(1), every_row=True)
    rows = sum(len((data / "nli" / n).read_text("utf-8").splitlines()) for n in NLI_FILES)
    assert len(every) == rows
    assert len(nli_pairs(data, random.Random(1))) == sum(n for n, _ in NLI_FILES.values())
    assert RECIPES["all"] is ALL_DATA and ALL_DATA.nli_all and ALL_DATA.caps == ()
    assert RECIPES["base"] == type(ALL_DATA)()
    shipped = RECIPES["shipped"]
    assert (shipped.selection_fold, shipped.epochs, shipped.claim_cap) == (5, 2, 500)
    assert shipped.paraphrases == 0 and RECIPES["paraphrase"] == replace(shipped, paraphrases=0.4)


def test_the_statements_recipe_trains_on_claims_as_check_reads_them():
    """``check`` closes a claim with a full stop before the stance model reads it; the
    ``statements`` recipe trains on hypotheses closed the same way and changes nothing else."""
    from dataclasses import replace

    from verifact.verify.perturb import Pair
    from verifact.verify.training_data import RECIPES, SHIPPED, as_statements

    assert RECIPES["statements"] == replace(SHIPPED, statements=True) and not SHIPPED.statements
    pairs = [
        Pair("Masks cut spread.", "masks cut spread", "entailment", "nli", "healthver_dev.jsonl"),
        Pair("A man sleeps", "A man sleeps.", "entailment", "nli", "snli_dev.jsonl"),
        Pair("It rained.", "Did it rain?", "neutral", "copy", "x"),
        Pair("Cats purr.", "Cats purr  ", "contradiction", "word", "y"),
    ]
    read = as_statements(pairs)
    assert [p.hypothesis for p in read] == [
        "masks cut spread.",
        "A man sleeps.",
        "Did it rain?",
        "Cats purr.",
    ]
    assert [replace(p, hypothesis="") for p in read] == [replace(p, hypothesis="") for p in pairs]


@needs_shared
def test_the_nli_heavy_recipe_never_trains_on_the_verdict_fits_snli_claims():
    """The verdict fit takes SNLI dev pairs the shipped model never saw (``nli_rows_unseen``); a
    recipe that reads more SNLI dev must leave those same rows out (its first try took every row,
    so the fit would have scored claims the stance model had learned)."""
    import random

    from verifact.verify.training_data import NLI_HEAVY, RECIPES, _cap, nli_pairs, nli_rows_unseen

    data = SHARED / "data"
    assert RECIPES["nli-heavy"] is NLI_HEAVY and not NLI_HEAVY.nli_all
    pairs = _cap(nli_pairs(data, random.Random(NLI_HEAVY.seed), NLI_HEAVY.nli_all), NLI_HEAVY)
    snli = {(p.premise, p.hypothesis) for p in pairs if p.source == "snli_dev.jsonl"}
    unseen = {(r["premise"], r["hypothesis"]) for r in nli_rows_unseen(data, "snli_dev.jsonl")}
    assert len(snli) > 5900 and len(unseen) > 3000  # twice the shipped 3,000; the rest unseen
    assert not snli & unseen
    assert sum(p.source == "med.jsonl" for p in pairs) == 1200


def test_label_report_by_hand():
    from types import SimpleNamespace

    from verifact.eval.verdicts import label_report
    from verifact.verify.fit import LabelledClaim, macro_f1

    gold = ["SUPPORTED", "REFUTED"]
    pred = ["SUPPORTED", "SUPPORTED"]
    # F1: SUPPORTED 2*1 / (2*1 + 1 + 0), REFUTED 0, NOT_ENOUGH_INFO 0
    assert macro_f1(gold, pred) == pytest.approx((2 / 3) / 3)
    claims = [LabelledClaim("a", "SUPPORTED", "x"), LabelledClaim("b", "REFUTED", "y")]
    verdicts = [SimpleNamespace(label=p, confidence=0.8) for p in pred]
    r = label_report(claims, verdicts)
    assert r["accuracy"] == 0.5 and r["supported_precision"] == 0.5 and r["called_supported"] == 2
    assert r["by_group"]["y"]["SUPPORTED"] == 1.0
    assert r["refuted_precision"] is None and r["called_refuted"] == 0


def test_where_a_wrong_verdict_is_lost():
    from dataclasses import replace as dc_replace
    from types import SimpleNamespace

    from verifact.eval.verdicts import loss_report, where_lost
    from verifact.verify.evidence import Analysis
    from verifact.verify.fit import LabelledClaim

    claim = "Meshaal met Medvedev in 2010."
    same = _sentence(claim, "Meshaal met Medvedev in 2010.")
    other = _sentence(claim, "Meshaal met Medvedev in Moscow.")  # covers all but the date

    def analysis(*sentences, unmentioned=()):
        return Analysis(claim, (), tuple(sentences), (), unmentioned, 0.7)

    contradicting = analysis(same)  # _sentence scores contradicts 0.8
    entailing = analysis(dc_replace(same, probs=(0.8, 0.1, 0.1)))
    p = verify.PARAMS
    assert where_lost(contradicting, "SUPPORTED", "SUPPORTED", p) == "right"
    assert where_lost(contradicting, "SUPPORTED", "REFUTED", p) == "no sentence entails"
    assert where_lost(entailing, "SUPPORTED", "NOT_ENOUGH_INFO", p) == "fitted model"
    dated = analysis(
        dc_replace(_sentence(claim, "Meshaal met Medvedev in 2012."), probs=(0.8, 0, 0.2))
    )
    assert where_lost(dated, "SUPPORTED", "REFUTED", p) == "an entailing sentence, none covers it"
    assert where_lost(entailing, "REFUTED", "SUPPORTED", p) == "a covering sentence entails it"
    assert where_lost(analysis(other), "REFUTED", "NOT_ENOUGH_INFO", p) == "fitted model"
    neutral = analysis(dc_replace(other, probs=(0.1, 0.1, 0.8)))
    assert where_lost(neutral, "REFUTED", "NOT_ENOUGH_INFO", p) == "no sentence contradicts"
    assert where_lost(dated, "NOT_ENOUGH_INFO", "REFUTED", p) == "a conflict span"
    assert where_lost(contradicting, "NOT_ENOUGH_INFO", "REFUTED", p) == (
        "the stance model contradicts"
    )
    assert where_lost(analysis(), "SUPPORTED", "NOT_ENOUGH_INFO", p) == "no passage retrieved"
    claims = [LabelledClaim(claim, "SUPPORTED", "x"), LabelledClaim(claim, "SUPPORTED", "x")]
    verdicts = [SimpleNamespace(label=x) for x in ("REFUTED", "SUPPORTED")]
    report = loss_report([contradicting, entailing], claims, verdicts, p)
    assert report == {"SUPPORTED": {"no sentence entails": 1, "right": 1}}


def test_recipe_rationale_sentences_and_counter_claim_cap():
    import random

    from verifact.verify.perturb import Pair
    from verifact.verify.training_data import REAL_HEAVY, Recipe, _cap, rationale_pairs

    corpus = {1: {"abstract": ["S0 says x.", "S1 says y.", "S2 is other.", "S3 is other."]}}
    train = [
        {
            "claim": "X and y.",
            "evidence": {"1": [{"sentences": [0, 1], "label": "SUPPORT"}]},
            "cited_doc_ids": [1],
        }
    ]
    plain = rationale_pairs(train, corpus, random.Random(0))
    both = rationale_pairs(train, corpus, random.Random(0), sentences=True)
    assert [p.premise for p in plain if p.label == "entailment"] == ["S0 says x. S1 says y."]
    # the same pairs first, then each rationale sentence on its own
    assert both[: len(plain)] == plain
    assert [(p.premise, p.label) for p in both[len(plain) :]] == [
        ("S0 says x.", "entailment"),
        ("S1 says y.", "entailment"),
    ]
    claims = [Pair("p", f"c{i}", "contradiction", "claim-word") for i in range(10)]
    synth = [Pair("p", f"s{i}", "neutral", "added") for i in range(10)]
    assert len(_cap(claims + synth, Recipe())) == 20  # the shipped recipe caps no counter-claim
    kept = _cap(claims + synth, Recipe(claim_cap=3, synthetic_cap=4))
    kinds = [p.kind for p in kept]
    assert kinds.count("claim-word") == 3 and kinds.count("added") == 4
    assert REAL_HEAVY.rationale_sentences and REAL_HEAVY.claim_cap == 500
    # a paraphrase of a claim is an entailment: the counter-claim cap leaves it to the synthetic
    paras = [Pair("p", f"q{i}", "entailment", "claim-synonym") for i in range(5)]
    kept = [p.kind for p in _cap(claims + paras, Recipe(claim_cap=3, synthetic_cap=2))]
    assert kept.count("claim-word") == 3 and kept.count("claim-synonym") == 2


def test_selection_fold_holds_out_every_nth_claim_by_id_with_the_abstracts_it_cites():
    from verifact.verify.training_data import selection_split

    claims = [
        {"id": i, "claim": f"c{i}", "evidence": {str(100 + i): []}, "cited_doc_ids": [200 + i]}
        for i in (9, 0, 2, 4, 6)  # file order need not be id order
    ]
    kept, held, docs = selection_split(claims, 2)
    assert [c["id"] for c in held] == [0, 4, 9]  # ids 0 2 4 6 9: every second from the first
    assert [c["id"] for c in kept] == [2, 6]
    assert docs == {100, 104, 109, 200, 204, 209}
    kept, held, docs = selection_split(claims, 0)
    assert (kept, held, docs) == (claims, [], set())


def test_topical_neutrals_come_from_other_abstracts_and_never_from_held_out_ones():
    from verifact.verify.perturb import Pair
    from verifact.verify.training_data import TOPICAL, Recipe, _cap, topical_neutral_pairs

    corpus = {
        1: {"abstract": ["Vitamin D lowers blood pressure in adults.", "Methods were standard."]},
        2: {"abstract": ["Vitamin D levels in adults vary by season.", "Samples were frozen."]},
        3: {"abstract": ["Vitamin D deficiency in adults is common.", "Nothing else."]},
        4: {"abstract": ["Bone density of mice.", "Mice were fed."]},
    }
    train = [
        {
            "claim": "Vitamin D lowers blood pressure in adults.",
            "evidence": {},
            "cited_doc_ids": [1],
        },
        {"claim": "Mice bones grow.", "evidence": {"4": []}, "cited_doc_ids": [4, 2]},
    ]
    pairs = topical_neutral_pairs(train, corpus, excluded={3}, per_claim=1)
    first = [p for p in pairs if p.hypothesis.startswith("Vitamin")]
    # the most similar sentence outside the claim's own abstract and outside abstract 3
    assert [(p.premise, p.label, p.source) for p in first] == [
        ("Vitamin D levels in adults vary by season.", "neutral", "2")
    ]
    # the second claim cites 4 and 2; only abstract 1 is left and shares no word: nothing
    assert [p for p in pairs if p.hypothesis.startswith("Mice")] == []
    assert topical_neutral_pairs(train, corpus, excluded=set(), per_claim=0) == []
    assert TOPICAL.topical_neutrals == 2 and Recipe().topical_neutrals == 0
    # never capped as generated pairs
    topical = [Pair("p", f"t{i}", "neutral", "scifact-topical", "2") for i in range(5)]
    assert len(_cap(topical, Recipe(synthetic_cap=1))) == 5


@needs_shared
def test_scifact_dev_rationale_pairs_are_held_out_sentences():
    from verifact.eval.verdicts import scifact_dev_rationale_pairs
    from verifact.verify.training_data import scifact_split

    rows = scifact_dev_rationale_pairs(SHARED / "data")
    assert rows == scifact_dev_rationale_pairs(SHARED / "data")  # seeded
    labels = {r["label"] for r in rows}
    assert labels == {"entailment", "contradiction", "neutral"}
    train, corpus, dev_docs = scifact_split(SHARED / "data")
    train_claims = {c["claim"] for c in train}
    assert not any(r["hypothesis"] in train_claims for r in rows)
    dev_sentences = {s for d in dev_docs for s in corpus[d]["abstract"]}
    assert all(r["premise"] in dev_sentences for r in rows)  # only abstracts dev claims cite


def test_claim_evidence_pairs_are_checked_against_their_own_document(tmp_path, real_embedder):
    from verifact.eval.verdicts import analyse_all
    from verifact.index.store import build_index
    from verifact.search.search import load_index
    from verifact.types import Document
    from verifact.verify.fit import LabelledClaim

    docs = [
        Document("a", "The Harbour Bridge opened in 1932. It carries eight lanes.", "a.txt"),
        Document("b", "The Harbour Bridge opened in 1936. It carries two lanes.", "b.txt"),
    ]
    build_index(docs, tmp_path / "index", real_embedder)
    index = load_index(tmp_path / "index", embedder=real_embedder)
    claims = [
        LabelledClaim("The Harbour Bridge opened in 1936.", "REFUTED", "pair", "a"),
        LabelledClaim("The Harbour Bridge opened in 1936.", "SUPPORTED", "pair", "b"),
        LabelledClaim("The Harbour Bridge opened in 1932.", "SUPPORTED", "pair", "a"),
        LabelledClaim("The Harbour Bridge carries two lanes.", "SUPPORTED", "open", None),
    ]
    got = analyse_all(index, claims, k=2)
    assert [a.claim for a in got] == [c.claim for c in claims]  # in the claims' order
    for c, a in zip(claims[:3], got[:3], strict=True):
        assert a.hits and {h.passage.doc_id for h in a.hits} == {c.doc_id}
    assert {h.passage.doc_id for h in got[3].hits} == {"a", "b"}  # no pin: the whole index
    labels = [verify.decide(a).label for a in got[:3]]
    assert labels == ["REFUTED", "SUPPORTED", "SUPPORTED"]


@needs_shared
def test_claim_evidence_pair_sets_each_name_their_evidence_passage():
    from collections import Counter

    from verifact.eval.verdicts import counter_set, pair_claims, pair_documents

    data = SHARED / "data"
    docs = pair_documents(data, "healthver-test")
    claims = pair_claims(data, "healthver-test")
    assert len(claims) == 1823 and len(docs) == 463
    assert Counter(c.label for c in claims) == {
        "NOT_ENOUGH_INFO": 727,
        "SUPPORTED": 671,
        "REFUTED": 425,
    }
    text = {d.doc_id: d.text for d in docs}
    rows = [json.loads(x) for x in (data / "nli" / "healthver_test.jsonl").open()]
    assert [(text[c.doc_id], c.claim) for c in claims] == [
        (r["premise"], r["hypothesis"]) for r in rows
    ]
    few = [c for c in claims if c.label == "SUPPORTED"][:5]
    counters = counter_set(few, [text[c.doc_id] for c in few], 23, True)
    assert counters and all(c.label == "REFUTED" for c in counters)
    assert {c.doc_id for c in counters} <= {c.doc_id for c in few}  # against the same evidence
    # SNLI test, sampled (seeded): the same pairs on every run, each against its own premise
    snli, again = pair_claims(data, "snli-test"), pair_claims(data, "snli-test")
    assert len(snli) == 2000 and snli == again
    assert set(Counter(c.label for c in snli)) == {"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"}
    premise = {d.doc_id: d.text for d in pair_documents(data, "snli-test")}
    rows = {
        (r["premise"], r["hypothesis"])
        for r in map(json.loads, (data / "nli" / "snli_test.jsonl").open())
    }
    assert all((premise[c.doc_id], c.claim) in rows for c in snli)
    # the training pairs: SNLI dev rows that the shipped stance model never saw
    import random

    from verifact.verify.training_data import nli_pairs, nli_rows_unseen

    unseen = nli_rows_unseen(data, "snli_dev.jsonl")
    seen = [x for x in nli_pairs(data, random.Random(13)) if x.source == "snli_dev.jsonl"]
    assert 3800 < len(unseen) <= 9842 - len(seen)
    key = {(x.premise, x.hypothesis) for x in seen}
    assert not [r for r in unseen if (r["premise"], r["hypothesis"]) in key]
    fit = pair_claims(data, "train-snli")
    dev = {(r["premise"], r["hypothesis"]) for r in unseen}
    text = {d.doc_id: d.text for d in pair_documents(data, "train-snli")}
    assert len(fit) == 800 and all((text[c.doc_id], c.claim) in dev for c in fit)


def test_a_quote_of_the_source_is_supported_never_contradicted(seed_index):
    from verifact.verify.evidence import stance_probabilities

    quote = (
        "It pursued good ties with Israel, styled itself as a mediator, joined the Quartet, "
        "and condemned acts of terrorism by Hamas."
    )
    model = load_stance_model()
    changed = quote.replace("condemned", "praised")
    pairs = [(quote, quote.upper().rstrip(".")), (quote, changed)]
    probs = stance_probabilities(model, pairs)
    assert probs[0].tolist() == [1.0, 0.0, 0.0]  # the same words: entailment by identity
    assert probs[1].tolist() == model.predict(pairs)[1].tolist()  # another word: the model's
    v = verify.verify_claim(seed_index, quote)
    assert v.label == "SUPPORTED", v.reasons  # was REFUTED: contradiction 0.64 for the identity
    assert v.evidence[0].probabilities == (1.0, 0.0, 0.0)


def test_the_fit_holds_every_perturbation_type_under_its_leak_limit(monkeypatch):
    # a gate that leaves two claim words unaligned wins on macro-F1 (half the supported claims
    # need it) but lets 2 of 20 word-swap counter-claims through: 10% of that type, 2.5% of
    # all generated REFUTED claims. The limit is per type, so a stricter gate is chosen.
    from dataclasses import replace as dc_replace
    from types import SimpleNamespace

    from verifact.verify.evidence import Analysis
    from verifact.verify.fit import fit_params, refuted_supported

    hit = SimpleNamespace(rank=1)

    def analysis(claim, source, probs):
        s = dc_replace(_sentence(claim, source), hit=hit, probs=probs)
        return Analysis(claim, (), (s,), (), (), 0.7)

    entails, contradicts, neutral = (0.8, 0.1, 0.1), (0.1, 0.8, 0.1), (0.1, 0.1, 0.8)
    source = "Meshaal met Medvedev in Moscow."
    kinds = [
        (analysis(source, source, entails), "SUPPORTED", "scifact", 20),
        (
            analysis("Meshaal warmly met Medvedev in rainy Moscow.", source, entails),
            "SUPPORTED",
            "scifact",
            20,
        ),
        (analysis(source, "The weather was cold.", neutral), "NOT_ENOUGH_INFO", "scifact", 20),
        (
            analysis("Meshaal angrily met Medvedev in snowy Moscow.", source, entails),
            "REFUTED",
            "counter:word",
            2,
        ),
        (
            analysis(source, "Meshaal met Putin in Moscow.", contradicts),
            "REFUTED",
            "counter:word",
            18,
        ),
        (
            analysis("Meshaal did not meet Medvedev in Moscow.", source, contradicts),
            "REFUTED",
            "perturb:negation",
            60,
        ),
    ]
    assert len(kinds[1][0].sentences[0].alignment.missing) == 2  # what the gate is about
    analyses = [a for a, _, _, n in kinds for _ in range(n)]
    gold = [g for _, g, _, n in kinds for _ in range(n)]
    groups = [grp for _, _, grp, n in kinds for _ in range(n)]

    # the fit decides on raw confidences: the shipped calibration (in the base params) is unused
    def no_calibration(*_):
        raise AssertionError("a previous fit's calibration was used inside the fit")

    monkeypatch.setattr("verifact.verify.verdict.calibrate", no_calibration)
    assert "calibration" in verify.PARAMS
    params, report = fit_params(analyses, gold, dict(verify.PARAMS), groups=groups)
    assert params["calibration"]["training_cv"]["claims"] == 120  # the claims fitted on
    # the gate that lets any two words through is not chosen ("verbs" would not pass the
    # adverb and adjective of the leaking claims)
    assert params["gate_missing"] < 2 or params["gate_kinds"] == "verbs"
    best = max(report.values(), key=lambda r: r["macro_f1"])
    assert best["perturbation_refuted_supported"] == 0.1  # what the limit turned down
    loose = [r for k, r in report.items() if " gate 2 root False " in k]
    assert loose and all(r["refuted_supported_by_group"]["counter:word"] == 0.1 for r in loose)
    assert all(r["perturbation_refuted_supported"] == 0.1 for r in loose)  # the worst type
    # types too small to judge alone are pooled; generated SUPPORTED claims never count
    pred = ["SUPPORTED"] * 3 + ["REFUTED"] * 18 + ["SUPPORTED"]
    grp = ["counter:year"] * 2 + ["counter:number"] + ["counter:number"] * 18 + ["perturb:x"]
    leaks = refuted_supported(["REFUTED"] * 21 + ["SUPPORTED"], pred, grp)
    assert leaks == {"small groups": 3 / 21}
    assert refuted_supported(["REFUTED"], ["SUPPORTED"], None) == {}


def test_the_confidence_is_calibrated_on_out_of_fold_training_verdicts():
    # raw confidences that overstate SUPPORTED (0.9 said, 60% right) and understate
    # NOT_ENOUGH_INFO (0.6 said, 90% right) map to how often each label is right
    from types import SimpleNamespace

    from verifact.verify.fit import fit_calibration

    def v(label, conf):
        return SimpleNamespace(label=label, confidence=conf)

    verdicts = [v("SUPPORTED", 0.9)] * 400 + [v("NOT_ENOUGH_INFO", 0.6)] * 400
    gold = ["SUPPORTED"] * 240 + ["REFUTED"] * 160 + ["NOT_ENOUGH_INFO"] * 360 + ["REFUTED"] * 40
    analyses = [SimpleNamespace(dense_max=0.6)] * 800
    cal = fit_calibration(verdicts, analyses, gold)
    assert cal["inputs"] == list(verify.CALIBRATION_INPUTS)
    a = analyses[0]
    assert abs(verify.calibrate(v("SUPPORTED", 0.9), a, cal) - 0.6) < 0.03
    assert abs(verify.calibrate(v("NOT_ENOUGH_INFO", 0.6), a, cal) - 0.9) < 0.03
    cv = cal["training_cv"]
    assert cv["claims"] == 800 and cv["ece_calibrated_cv"] < 0.1 < 0.25 < cv["ece_raw"]
    # the shipped verdicts use the shipped calibration on top of the fitted model's probability
    assert verify.PARAMS["calibration"]["inputs"] == list(verify.CALIBRATION_INPUTS)
    claim = "Meshaal met Medvedev in Moscow."
    from dataclasses import replace as dc_replace

    from verifact.verify.evidence import Analysis

    s = dc_replace(_sentence(claim, claim), hit=SimpleNamespace(rank=1), probs=(0.8, 0.1, 0.1))
    an = Analysis(claim, (), (s,), (), (), 0.7)
    raw = verify.decide(an, {k: x for k, x in verify.PARAMS.items() if k != "calibration"})
    shipped = verify.decide(an)
    assert shipped.label == raw.label == "SUPPORTED"
    cal = verify.PARAMS["calibration"]
    assert shipped.confidence == verify.calibrate(raw, an, cal) != raw.confidence


def test_stance_readings_by_gold_label():
    from dataclasses import replace as dc_replace
    from types import SimpleNamespace

    from verifact.eval.verdicts import stance_readings
    from verifact.verify.evidence import Analysis

    def hit(doc):
        return SimpleNamespace(rank=1, passage=SimpleNamespace(doc_id=doc))

    base = _sentence("Meshaal met Medvedev.", "Meshaal met Medvedev.")

    def analysis(*read):  # (doc, probs) per sentence
        sents = tuple(dc_replace(base, hit=hit(d), probs=p) for d, p in read)
        return Analysis("c", tuple(s.hit for s in sents), sents, (), (), 0.7)

    ent, con, neu = (0.7, 0.2, 0.1), (0.2, 0.7, 0.1), (0.1, 0.2, 0.7)
    support = {"evidence": {"7": [{"label": "SUPPORT", "sentences": [0]}]}}
    contradict = {"evidence": {"7": [{"label": "CONTRADICT", "sentences": [0]}]}}
    rows = [support, support, support, contradict, {"evidence": {}}]
    analyses = [
        analysis(("7", con), ("9", ent)),  # the entailing sentence is of another abstract
        analysis(("7", ent), ("7", neu)),
        analysis(("9", ent)),  # gold abstract not retrieved
        analysis(("7", neu)),
        analysis(("3", con), ("4", neu)),
    ]
    r = stance_readings(analyses, rows)
    assert r["SUPPORT"] == {
        "claims": 3,
        "gold abstract retrieved": 2,
        "a sentence reads as entailing": 0.5,
        "a sentence reads as contradicting": 0.5,
        "only neutral readings": 0.0,
    }
    assert r["CONTRADICT"]["only neutral readings"] == 1.0
    assert r["NOT ENOUGH INFO"] == {
        "claims": 1,
        "a sentence reads as entailing": 0.0,
        "a sentence reads as contradicting": 1.0,
        "only neutral readings": 0.0,
    }


def test_the_fit_takes_the_safest_setting_within_one_standard_error():
    from verifact.verify.fit import _choose

    def cand(key, score, se, leak, overall=0.0):
        return (key, score, se, leak, overall, {"key": key}, None)

    tied = [cand("best", 0.650, 0.010, 0.04), cand("safer", 0.645, 0.008, 0.02)]
    worse = [cand("far", 0.600, 0.010, 0.00), cand("leaky", 0.700, 0.010, 0.06)]
    assert _choose(tied + worse, 0.05)[0] == "safer"  # "leaky" is over the limit
    assert _choose([cand("best", 0.650, 0.001, 0.04), *tied[1:]], 0.05)[0] == "best"
    # none within the limit: the least leaky ones, best macro-F1 among them
    assert _choose([cand("a", 0.7, 0.01, 0.2), cand("b", 0.6, 0.01, 0.1)], 0.05)[0] == "b"
    # the same worst type (one no gate moves): the setting that leaks less overall wins, even
    # with a lower macro-F1 within the standard error
    same_worst = [
        cand("loose", 0.665, 0.006, 0.048, 0.02),
        cand("strict", 0.661, 0.006, 0.048, 0.01),
    ]
    assert _choose(same_worst, 0.05)[0] == "strict"
    assert _choose([*same_worst[:1], cand("strict", 0.65, 0.006, 0.048, 0.01)], 0.05)[0] == "loose"


def test_a_claim_that_denies_what_its_source_denies_is_not_read_as_contradicted(
    tmp_path, real_embedder
):
    # the stance model reads a "not" in the claim as contradiction (0.63 for the sentence's own
    # words): where the alignment finds the same words denied of the same things, the pair
    # is read affirmed on both sides
    from verifact.index.store import build_index
    from verifact.search.search import load_index
    from verifact.types import Document
    from verifact.verify.evidence import analyse_claims

    text = (
        "Lithium is not an effective treatment for acute mania in children, the review "
        "concluded. The mayor said the bridge would reopen in March."
    )
    build_index([Document("a", text, "a.txt")], tmp_path / "index", real_embedder)
    index = load_index(tmp_path / "index", embedder=real_embedder)
    denied = "Lithium is not an effective treatment for acute mania in children."
    model = load_stance_model()
    raw = model.predict([(text.split(", the review")[0] + ", the review concluded.", denied)])[0]
    assert raw[1] > raw[0]  # the artefact this works around
    a = analyse_claims(index, [denied], k=1)[0]
    best = max(a.sentences, key=lambda s: s.entails)
    assert best.entails > max(best.contradicts, best.probs[2])
    assert verify.decide(a).label == "SUPPORTED"
    # the same denial said of the same things, not a denial elsewhere in the sentence
    from verifact.verify.align import denies_alike

    for source, same in [
        ("Lithium is not an effective treatment for mania, the review concluded.", True),
        ("Lithium, which is not cheap, is an effective treatment for mania.", False),
    ]:
        c, d = parse(["Lithium is not an effective treatment for mania.", source])
        al = _align("Lithium is not an effective treatment for mania.", source)
        assert denies_alike(c, d, al.aligned) is same, source
    # the claim that affirms it, or denies it of others, is not read that way
    for claim, label in [
        ("Lithium is an effective treatment for acute mania in children.", "REFUTED"),
        ("Lithium is not an effective treatment for acute mania in adults.", None),
    ]:
        v = verify.decide(analyse_claims(index, [claim], k=1)[0])
        assert v.label != "SUPPORTED" and (label is None or v.label == label), claim


def test_shipped_article_negated_statements(seed_index):
    # verdicts that were wrong on the shipped article's own negated sentences
    for claim, label in [
        ("Russia does not consider Hamas a terrorist organisation.", "SUPPORTED"),  # REFUTED
        ("Russia considers Hamas a terrorist organisation.", "REFUTED"),
        # the "no" of "had no diplomatic relations" dropped: was SUPPORTED
        ("The Soviet Union had diplomatic relations with Israel from 1967 until 1991.", "REFUTED"),
    ]:
        v = verify.verify_claim(seed_index, claim)
        assert v.label == label, (claim, v.reasons)


def test_cached_analyses_are_realigned_by_the_current_code(tmp_path, real_embedder):
    from dataclasses import replace as dc_replace

    from verifact.eval.verdicts import analyse_all, label_changes, realign
    from verifact.index.store import build_index
    from verifact.search.search import load_index
    from verifact.types import Document
    from verifact.verify.fit import LabelledClaim

    # no "it": a realignment reads each sentence as written, with no reference resolved
    text = "The Harbour Bridge opened in 1932. Eight lanes cross the Harbour Bridge."
    build_index([Document("a", text, "a.txt")], tmp_path / "index", real_embedder)
    index = load_index(tmp_path / "index", embedder=real_embedder)
    claims = [
        LabelledClaim("The Harbour Bridge opened in 1932.", "SUPPORTED", "pair", "a"),
        LabelledClaim("The Harbour Bridge opened in 1936.", "REFUTED", "pair", "a"),
    ]
    before = analyse_all(index, claims, k=1)
    after = realign(before, real_embedder)
    same = [(s.alignment, s.probs) for a in before for s in a.sentences]
    assert [(s.alignment, s.probs) for a in after for s in a.sentences] == same
    assert label_changes(before, after, claims)[0] == []
    # an alignment that lost its date: the change is reported with both labels
    stale = [
        dc_replace(
            a,
            sentences=tuple(
                dc_replace(s, alignment=dc_replace(s.alignment, conflicts=())) if s.alignment else s
                for s in a.sentences
            ),
        )
        for a in after
    ]
    changed, counts = label_changes(after, stale, claims)
    assert [c.claim for c, *_ in changed] == ["The Harbour Bridge opened in 1936."]
    assert counts == {("REFUTED", "REFUTED", verify.decide(stale[1]).label): 1}
    # and realigning the stale analyses brings the date conflict back
    again = realign(stale, real_embedder)
    assert [(s.alignment, s.probs) for a in again for s in a.sentences] == same


PROBE = ROOT / "eval" / "probe"
# measured on d474e99 (dev machine): 122/166, no counter-claim SUPPORTED; floor 2 claims lower
PROBE_ACCURACY = 120 / 166


def _probe(sources, rows, tmp_path, embedder) -> tuple[int, list[str]]:
    """A blind probe's ``rows`` checked against an index of its ``sources``: how many came
    out right, and the counter-claims (gold REFUTED) called SUPPORTED."""
    from verifact.index.store import build_index
    from verifact.ingest.readers import load_documents
    from verifact.search.search import load_index

    path = tmp_path / "index"
    build_index(load_documents([sources]).documents, path, embedder)
    index = load_index(path, embedder=embedder)
    verdicts = verify.verify_claims(index, [r["claim"] for r in rows])
    pairs = list(zip(rows, verdicts, strict=True))
    right = sum(r["label"] == v.label for r, v in pairs)
    leaked = [r["cid"] for r, v in pairs if r["label"] == "REFUTED" and v.label == "SUPPORTED"]
    return right, leaked


def test_blind_probe_accuracy_and_no_counter_claim_supported(tmp_path, real_embedder):
    """The claims of eval/probe (a development set a helper wrote blind) against its texts."""
    rows = [json.loads(x) for x in (PROBE / "claims.jsonl").read_text().splitlines()]
    right, leaked = _probe(PROBE / "sources", rows, tmp_path, real_embedder)
    assert right / len(rows) >= PROBE_ACCURACY, right
    # on 95fd409 three were: "60 miles" for "60 kilometres", "3-2" for "3-1", "bottom" for "top"
    assert not leaked, leaked


PROBE2 = ROOT / "eval" / "probe2"
# measured on the dev machine against the dev half's own texts: 46/90 on 82eddd4, 55/90 on
# 2576564, 57/90 on 4f5dfe3 (re-run on 2026-12-07) and 60/90 with the seventeenth session's rules
# (an article's subject, names the NER left unlabelled, what a figure counts); floor 2 lower
PROBE2_ACCURACY = 58 / 90


def test_second_blind_probe_dev_half(tmp_path, real_embedder):
    """The dev half of eval/probe2 (encyclopedia-style texts a helper wrote blind: pronouns
    for the subject, nationalities, dates of birth and death) against its own texts."""
    rows = [json.loads(x) for x in (PROBE2 / "claims.jsonl").read_text().splitlines()]
    rows = [r for r in rows if r["split"] == "dev"]
    right, leaked = _probe(PROBE2 / "sources" / "dev", rows, tmp_path, real_embedder)
    assert right / len(rows) >= PROBE2_ACCURACY, right
    # while "the river" came to be read as the Drewnica, "Radzyń Drewnicki is the largest town
    # on the Drewnica" was (every word is in "The largest town on the river is Wierzbnów")
    assert not leaked, leaked


PROBE3 = ROOT / "eval" / "probe3"
# measured on the dev machine: 37/88 on ff45307, 42/88 with the fifteenth session's rules, 44/88
# with the seventeenth's (an article's subject: "The Skelda's principal tributary is the Mossbeck"
# against "Below the gorge it is joined by its main tributary, the Mossbeck"), 45/88 with the
# eighteenth's (headings: "Elsa Varga was born in Budapest" against "Varga was born in Pécs",
# not the title "Elsa Varga"); floor 2 lower
PROBE3_ACCURACY = 43 / 88


def test_third_blind_probe_dev_half(tmp_path, real_embedder):
    """The dev half of eval/probe3 (news reports and encyclopedia articles a helper wrote
    blind) against its own texts."""
    rows = [json.loads(x) for x in (PROBE3 / "claims.jsonl").read_text().splitlines()]
    rows = [r for r in rows if r["split"] == "dev"]
    right, leaked = _probe(PROBE3 / "sources" / "dev", rows, tmp_path, real_embedder)
    assert right / len(rows) >= PROBE3_ACCURACY, right
    # on ff45307 one was: "filled in questionnaires every year" against "every two years"
    assert not leaked, leaked


PROBE4 = ROOT / "eval" / "probe4"
# measured on the dev machine: 40/88 on 23008a9, 41/88 with the sixteenth session's rules (the
# one counter-claim SUPPORTED on 23008a9, q072, is REFUTED); floor 2 claims lower
PROBE4_ACCURACY = 39 / 88


def test_fourth_blind_probe_dev_half(tmp_path, real_embedder):
    """The dev half of eval/probe4 (FEVER/VitaminC-style articles and news reports a helper
    wrote blind) against its own texts."""
    rows = [json.loads(x) for x in (PROBE4 / "claims.jsonl").read_text().splitlines()]
    rows = [r for r in rows if r["split"] == "dev"]
    right, leaked = _probe(PROBE4 / "sources" / "dev", rows, tmp_path, real_embedder)
    assert right / len(rows) >= PROBE4_ACCURACY, right
    # on 23008a9 one was: "the bank levy would raise more than the tax cut would cost" against
    # "the tax cut would cost far more than the bank levy would raise"
    assert not leaked, leaked


def test_one_word_met_by_its_class_does_not_make_a_sentence_about_the_claim(real_embedder):
    # with "people" read as "person" (lexicon.PLURAL_OF), "The minister kissed a woman wearing a
    # red jacket" shared one word with "500 people were evacuated ..." (a minister is a person),
    # and the stance model's contradiction refuted the claim (caught by the full suite on
    # 0f5ed97, in test_alleged_possible_and_bounded_statements_are_read_so)
    from verifact.verify.evidence import Sentence

    wv = WordVectors(real_embedder.embed_queries)

    def about(claim, source):
        got = _align(claim, source, wv)
        return verify._about(Sentence(None, (0, 0), source, 0.0, (0.0, 1.0, 0.0), got))

    claim = "500 people were evacuated from the valley on Monday."
    assert not about(claim, "The minister kissed a woman wearing a red jacket.")
    assert about(claim, "Dozens of people were flooded out of their homes.")  # the same lemma
    assert about(claim, "Residents left on Monday.")  # a date
    assert about("A person is sleeping.", "A man is sleeping on a bench.")  # two words
