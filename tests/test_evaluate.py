"""Pure metric functions against hand-computed values, IO round-trips, and ranx as a reference."""

from __future__ import annotations

import copy
import math
import random

import pytest

from verifact.errors import InputError
from verifact.eval.metrics import (
    evaluate_run,
    first_relevant_rank,
    format_trec_run,
    label_metrics,
    locate_quote,
    mrr_at_k,
    ndcg_at_k,
    paired_gain,
    parse_metric,
    quote_level,
    ranked,
    read_beir_queries,
    read_qrels,
    recall_at_k,
    rollup_to_documents,
    scifact_label,
    span_matches,
    success_at_k,
)

# q1 has two relevant ids (found at ranks 1 and 3), q2 one (rank 2), q3 none judged relevant
# (so it is not counted), q4 one that the run never retrieves (scores 0).
QRELS = {"q1": {"a": 1, "b": 1}, "q2": {"c": 1, "n": 0}, "q3": {"x": 0}, "q4": {"d": 1}}
RUN = {"q1": {"a": 0.9, "z": 0.8, "b": 0.7}, "q2": {"y": 0.5, "c": 0.4}, "q3": {"x": 1.0}}


def test_recall_per_query_and_mean():
    assert recall_at_k(QRELS, RUN, 1) == {"q1": 1 / 2, "q2": 0.0, "q4": 0.0}
    assert recall_at_k(QRELS, RUN, 3) == {"q1": 2 / 2, "q2": 1 / 1, "q4": 0.0}
    assert evaluate_run(QRELS, RUN, ["recall@1"])["recall@1"] == pytest.approx((1 / 2) / 3)


def test_success_counts_any_relevant_hit():
    assert success_at_k(QRELS, RUN, 1) == {"q1": 1.0, "q2": 0.0, "q4": 0.0}
    assert success_at_k(QRELS, RUN, 2) == {"q1": 1.0, "q2": 1.0, "q4": 0.0}


def test_mrr():
    assert evaluate_run(QRELS, RUN, ["mrr@10"])["mrr@10"] == pytest.approx((1 / 1 + 1 / 2 + 0) / 3)
    assert mrr_at_k(QRELS, RUN, 1) == {"q1": 1.0, "q2": 0.0, "q4": 0.0}


def test_ndcg_binary():
    got = ndcg_at_k(QRELS, RUN, 3)
    assert got["q1"] == pytest.approx((1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3)))
    assert got["q2"] == pytest.approx((1 / math.log2(3)) / 1)
    assert got["q4"] == 0.0
    # cut at 1: the second relevant id of q1 is not in the top 1, but the ideal list still has 1
    assert ndcg_at_k(QRELS, RUN, 1)["q1"] == pytest.approx(1 / 1)


def test_ndcg_graded_uses_linear_gains():
    qrels = {"q": {"a": 2, "b": 1}}
    run = {"q": {"b": 2.0, "a": 1.0}}
    expected = (1 / 1 + 2 / math.log2(3)) / (2 / 1 + 1 / math.log2(3))
    assert ndcg_at_k(qrels, run, 10)["q"] == pytest.approx(expected)


def test_query_without_hits_scores_zero_everywhere():
    qrels = {"q": {"a": 1}}
    for run in ({}, {"q": {}}, {"q": {"b": 1.0}}):
        scores = evaluate_run(qrels, run, ["recall@10", "mrr@10", "ndcg@10", "success@10"])
        assert scores == {"recall@10": 0.0, "mrr@10": 0.0, "ndcg@10": 0.0, "success@10": 0.0}


def test_no_judged_queries_gives_zero_not_an_error():
    assert evaluate_run({"q": {"a": 0}}, {"q": {"a": 1.0}}, ["ndcg@10"]) == {"ndcg@10": 0.0}


def test_metrics_never_mutate_inputs():
    qrels, run = copy.deepcopy(QRELS), copy.deepcopy(RUN)
    evaluate_run(qrels, run, ["recall@1", "success@3", "mrr@10", "ndcg@10"])
    rollup_to_documents(run)
    format_trec_run(run)
    assert (qrels, run) == (QRELS, RUN)


def test_ties_break_by_id_trec_style():
    assert ranked({"b": 1.0, "a": 1.0, "c": 2.0}) == ["c", "a", "b"]
    assert ranked({"b": 1.0, "a": 1.0, "c": 2.0}, k=2) == ["c", "a"]
    # the relevant "b" ties with "a" and loses the tie, so it is at rank 2 not rank 1
    qrels, run = {"q": {"b": 1}}, {"q": {"a": 0.5, "b": 0.5}}
    assert first_relevant_rank(qrels["q"], run["q"]) == 2
    assert evaluate_run(qrels, run, ["mrr@10"])["mrr@10"] == 1 / 2


def test_rollup_takes_the_best_passage_of_each_document():
    run = {"q": {"d#0000": 0.2, "d#0001": 0.9, "e#0000": 0.5, "f#x#0003": 0.1}}
    assert rollup_to_documents(run) == {"q": {"d": 0.9, "e": 0.5, "f#x": 0.1}}
    qrels = {"q": {"e": 1}}
    assert evaluate_run(qrels, rollup_to_documents(run), ["mrr@10"])["mrr@10"] == 1 / 2


def test_paired_gain_hand_computed():
    a = {"q1": 1.0, "q2": 0.5, "q3": 0.0}
    b = {"q1": 0.5, "q2": 0.5, "q3": 0.5}
    diffs = [0.5, 0.0, -0.5]
    mean_diff = sum(diffs) / 3
    se = math.sqrt(sum((d - mean_diff) ** 2 for d in diffs) / (3 - 1) / 3)
    assert paired_gain(a, b) == pytest.approx((0.0, se))
    assert paired_gain({"q": 1.0}, {"q": 0.25}) == (0.75, 0.0)


def test_parse_metric_and_unknown_names():
    assert parse_metric("ndcg@10") == ("ndcg", 10)
    for bad in ("ndcg", "map@10", "recall@0", "recall@x"):
        with pytest.raises(InputError, match="Unknown metric"):
            parse_metric(bad)


# --- seed-set spans ------------------------------------------------------------------------


def test_locate_quote_finds_every_document_and_errors_when_absent():
    texts = {"a": "one two three", "b": "zero two three four"}
    assert locate_quote("two three", texts) == [("a", 4, 13), ("b", 5, 14)]
    with pytest.raises(InputError, match="not in any indexed document"):
        locate_quote("five", texts)


@pytest.mark.parametrize(
    "passage, expected",
    [
        (("d", 0, 100), True),  # covers the quote
        (("d", 10, 20), True),  # exactly the quote
        (("d", 15, 40), True),  # overlaps 5 of 10 characters: half
        (("d", 16, 40), False),  # overlaps 4 of 10
        (("d", 12, 18), True),  # inside the quote, 6 of 10
        (("d", 20, 30), False),  # touches the end only
        (("e", 0, 100), False),  # another document
    ],
)
def test_span_matches_cover_or_half_overlap(passage, expected):
    assert span_matches(passage, ("d", 10, 20)) is expected


def test_quote_level_counts_each_quote_once():
    gold = {"q": [[("d", 10, 20)], [("d", 50, 60), ("e", 0, 10)]]}
    hits = {
        "q": [
            ("d#0", "d", 0, 9),  # rank 1: nothing
            ("e#0", "e", 0, 30),  # rank 2: quote 1 (its copy in e)
            ("d#1", "d", 0, 70),  # rank 3: quote 0 (quote 1 already found)
            ("d#2", "d", 40, 80),  # rank 4: quote 1 again: not relevant any more
        ]
    }
    qrels, run = quote_level(gold, hits)
    assert qrels == {"q": {"q/gold0": 1, "q/gold1": 1}}
    assert ranked(run["q"]) == ["d#0", "q/gold1", "q/gold0", "d#2"]
    got = evaluate_run(qrels, run, ["success@1", "success@2", "mrr@10", "ndcg@10", "recall@3"])
    assert got["success@1"] == 0.0
    assert got["success@2"] == 1.0
    assert got["mrr@10"] == 1 / 2
    assert got["recall@3"] == 2 / 2
    idcg = 1 / math.log2(2) + 1 / math.log2(3)
    assert got["ndcg@10"] == pytest.approx((1 / math.log2(3) + 1 / math.log2(4)) / idcg)


def test_quote_level_passage_with_two_quotes_takes_two_ranks():
    gold = {"q": [[("d", 0, 10)], [("d", 20, 30)]]}
    qrels, run = quote_level(gold, {"q": [("d#0", "d", 0, 40), ("d#1", "d", 40, 80)]})
    assert ranked(run["q"]) == ["q/gold0", "q/gold1", "d#1"]
    assert evaluate_run(qrels, run, ["ndcg@10"])["ndcg@10"] == pytest.approx(1.0)


def test_quote_level_no_hits():
    qrels, run = quote_level({"q": [[("d", 0, 10)]]}, {"q": []})
    assert evaluate_run(qrels, run, ["success@10", "ndcg@10"]) == {
        "success@10": 0.0,
        "ndcg@10": 0.0,
    }


# --- verdict labels --------------------------------------------------------------------------


def test_label_metrics_hand_computed():
    gold = ["SUPPORTED", "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"]
    pred = ["SUPPORTED", "REFUTED", "REFUTED", "SUPPORTED"]
    m = label_metrics(gold, pred)
    assert m["n"] == 4
    assert m["accuracy"] == 2 / 4
    f1_supported = 2 * (1 / 2) * (1 / 2) / (1 / 2 + 1 / 2)  # tp 1 of 2 predicted, 1 of 2 gold
    f1_refuted = 2 * (1 / 2) * (1 / 1) / (1 / 2 + 1 / 1)  # tp 1 of 2 predicted, 1 of 1 gold
    f1_nei = 0.0
    assert m["macro_f1"] == pytest.approx((f1_supported + f1_refuted + f1_nei) / 3)
    assert m["confusion"]["SUPPORTED"] == {"SUPPORTED": 1, "REFUTED": 1, "NOT_ENOUGH_INFO": 0}
    assert m["confusion"]["NOT_ENOUGH_INFO"]["SUPPORTED"] == 1
    assert m["per_label"]["REFUTED"]["support"] == 1


def test_label_metrics_counts_a_label_only_predicted():
    m = label_metrics(["SUPPORTED", "REFUTED"], ["SUPPORTED", "CONFLICTING"])
    assert set(m["confusion"]) == {"SUPPORTED", "REFUTED", "CONFLICTING"}
    assert m["macro_f1"] == pytest.approx((1 + 0 + 0) / 3)


def test_label_metrics_length_mismatch():
    with pytest.raises(InputError):
        label_metrics(["SUPPORTED"], [])


def test_scifact_label_mapping():
    assert scifact_label({}) == "NOT_ENOUGH_INFO"
    assert scifact_label({"1": [{"sentences": [0], "label": "SUPPORT"}]}) == "SUPPORTED"
    assert scifact_label({"1": [{"sentences": [0], "label": "CONTRADICT"}]}) == "REFUTED"
    mixed = {"1": [{"label": "SUPPORT"}], "2": [{"label": "CONTRADICT"}]}
    assert scifact_label(mixed) == "CONFLICTING"


# --- files ---------------------------------------------------------------------------------


def test_read_qrels_and_queries(tmp_path):
    (tmp_path / "test.tsv").write_text("query-id\tcorpus-id\tscore\n1\t10\t1\n1\t11\t2\n3\t12\t0\n")
    assert read_qrels(tmp_path / "test.tsv") == {"1": {"10": 1, "11": 2}, "3": {"12": 0}}
    (tmp_path / "q.jsonl").write_text('{"_id": "1", "text": "a claim", "metadata": {}}\n\n')
    assert read_beir_queries(tmp_path / "q.jsonl") == {"1": "a claim"}


@pytest.mark.parametrize(
    "content, message",
    [(None, "does not exist"), ("query-id\tcorpus-id\tscore\n1\t10\n", "Row 2")],
)
def test_read_qrels_errors(tmp_path, content, message):
    path = tmp_path / "qrels.tsv"
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputError, match=message):
        read_qrels(path)


def test_trec_run_format_is_reproducible():
    text = format_trec_run({"q2": {"b": 1.0, "a": 1.0}, "q1": {"c": 0.25}}, tag="t")
    assert text == "q1 Q0 c 1 0.250000 t\nq2 Q0 a 1 1.000000 t\nq2 Q0 b 2 1.000000 t\n"


# --- reference implementation ----------------------------------------------------------------


def to_ranx(run):
    """Scores that encode our (-score, id) order, so ranx's own tie-breaking never matters."""
    return {q: {i: float(len(s) - r) for r, i in enumerate(ranked(s))} for q, s in run.items()}


def ranx_scores(qrels, run, metrics):
    ranx = pytest.importorskip("ranx", reason='needs ranx: pip install "verifact[eval]"')
    names = [m.replace("success@", "hit_rate@") for m in metrics]
    ranked_run = {q: s for q, s in to_ranx(run).items() if s}
    judged = {q: r for q, r in qrels.items() if any(v > 0 for v in r.values())}
    got = ranx.evaluate(ranx.Qrels(judged), ranx.Run(ranked_run), names, make_comparable=True)
    return {m: float(got[n]) for m, n in zip(metrics, names, strict=True)}


def test_metrics_match_ranx_on_random_runs():
    rng = random.Random(7)
    qrels, run = {}, {}
    for q in range(60):
        docs = [f"d{i}" for i in range(40)]
        qrels[f"q{q}"] = {d: rng.choice([1, 1, 2]) for d in rng.sample(docs, rng.randint(1, 4))}
        if q % 10:  # every tenth query retrieves nothing
            run[f"q{q}"] = {d: round(rng.random(), 2) for d in rng.sample(docs, 25)}  # with ties
    metrics = ["recall@1", "recall@5", "recall@20", "success@3", "mrr@10", "ndcg@10", "ndcg@3"]
    ours = evaluate_run(qrels, run, metrics)
    reference = ranx_scores(qrels, run, metrics)
    assert ours == pytest.approx(reference, abs=1e-9)


def test_evidence_doc_metrics():
    from verifact.eval.metrics import evidence_doc_metrics

    gold = [{"a"}, set(), {"b", "c"}]
    cited = [{"a", "x"}, {"y"}, {"b"}]
    m = evidence_doc_metrics(gold, cited)
    assert m["precision"] == 2 / 4 and m["recall"] == 2 / 3
    assert m["f1"] == 2 * (2 / 4) * (2 / 3) / (2 / 4 + 2 / 3)
    assert evidence_doc_metrics([set()], [set()])["precision"] == 0.0
