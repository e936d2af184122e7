"""The formulas of METHOD.md with its worked examples as fixed numbers."""
from dataclasses import replace

import numpy as np
import pytest

from csi_core.method import csi
from csi_core.method.counts import Counts, CustomerCounts
from csi_core.reading.scales import SCALES

COEF = SCALES["default"].coef


def test_worked_example_item_score_0747():
    counts = np.array([0, 1, 2, 23, 56, 18])  # codes 0..5; levels 5…1: 18 / 56 / 23 / 2 / 1
    score, n = csi.item_scores(counts, COEF)
    assert n == 100
    assert score == pytest.approx(0.747, abs=1e-12)


def test_worked_example_focus_weights_38_22():
    ticks = np.array([38, 22, 10, 2, 3, 15, 2, 3, 5])
    w, equal = csi.item_weights(ticks, np.ones(9, bool))
    assert w[0] == pytest.approx(0.38) and w[1] == pytest.approx(0.22) and w[5] == pytest.approx(0.15)
    assert w.sum() == pytest.approx(1.0) and not equal


def test_no_focus_gives_equal_weights():
    w, equal = csi.item_weights(np.zeros(4), np.ones(4, bool))
    assert w.tolist() == [0.25] * 4 and equal


def test_unanswered_item_dropped_and_renormalised():
    w, _ = csi.item_weights(np.array([50, 30, 20]), np.array([True, False, True]))
    assert w.tolist() == pytest.approx([50 / 70, 0, 20 / 70])


def test_user_importances_normalised():
    w, _ = csi.item_weights(np.array([1, 1, 1]), np.ones(3, bool), override=np.array([3.0, 1.0, 0.0]))
    assert w.tolist() == [0.75, 0.25, 0.0]


def make_counts(answers, ticks=None, valid=None, sent=None, customers=None) -> Counts:
    """Counts for P periods × S segments × I items from level-count lists."""
    answers = np.asarray(answers, dtype=np.int64)
    p, s, i, _ = answers.shape
    ticks = np.zeros((p, s, i), np.int64) if ticks is None else np.asarray(ticks)
    valid = answers.sum(axis=-1).max(axis=-1) if valid is None else np.asarray(valid)
    empty = CustomerCounts((), np.zeros(0, np.int64), *(np.zeros(0, np.int64),) * 3, np.zeros((0, 6), np.int64),
                           np.zeros((0, 3), np.int64))
    return Counts(tuple(f"2026Q{k + 1}" for k in range(p)), tuple(f"S{k}" for k in range(s)),
                  tuple(f"I{k}" for k in range(i)), answers, ticks, valid.copy(), valid,
                  np.ones((p, i), bool), np.full(p, np.nan), np.full((p, s), np.nan), customers or empty)


def level_counts(*levels):
    """[n at level 1, …, n at level 5] → counts indexed by code 0..5."""
    return [0, *levels]


def test_segment_and_total_csi():
    # segment 0: item scores 1.0 and 0.5, ticks 3:1 → 100·(0.75·1 + 0.25·0.5) = 87.5
    # segment 1: one item 0.8 → 80; weights 70 : 30 → 0.7·87.5 + 0.3·80 = 85.25
    answers = [[[level_counts(0, 0, 0, 0, 4), level_counts(0, 0, 4, 0, 0)],
                [level_counts(0, 0, 0, 2, 0), level_counts(0, 0, 0, 0, 0)]]]
    ticks = [[[3, 1], [0, 0]]]
    res = csi.compute(make_counts(answers, ticks), csi.Weights({"S0": 70, "S1": 30}))
    assert res.segment_csi[0].tolist() == pytest.approx([87.5, 80.0])
    assert res.total[0] == pytest.approx(85.25)
    assert res.segment_weight[0].tolist() == pytest.approx([0.7, 0.3])


def test_segment_without_valid_response_dropped_visibly():
    answers = [[[level_counts(0, 0, 0, 0, 4)], [level_counts(0, 0, 0, 0, 0)]]]
    counts = replace(make_counts(answers, valid=np.array([[4, 0]])), returned=np.array([[4, 1]]))
    res = csi.compute(counts, csi.Weights({"S0": 50, "S1": 50}))
    assert res.total[0] == pytest.approx(100.0)
    assert res.segment_weight[0].tolist() == [1.0, 0.0]
    assert any(n.key == "segment_dropped" for n in res.notes)


def test_item_nobody_answered_is_noted():
    answers = [[[level_counts(0, 0, 0, 0, 4), level_counts(0, 0, 0, 0, 0)]]]
    res = csi.compute(make_counts(answers))
    assert res.segment_csi[0, 0] == pytest.approx(100.0)
    assert ("item_dropped", (("period", "2026Q1"), ("segment", "S0"), ("item", "I1"))) in [(n.key, n.params) for n in res.notes]


def test_segment_weight_100_percent_gives_that_segment():
    answers = [[[level_counts(1, 2, 3, 4, 5)], [level_counts(5, 4, 3, 2, 1)]]]
    res = csi.compute(make_counts(answers), csi.Weights({"S0": 0, "S1": 100}))
    assert res.total[0] == pytest.approx(res.segment_csi[0, 1])


def test_unknown_names_in_weights_are_refused():
    counts = make_counts([[[level_counts(0, 0, 0, 0, 1)]]])
    with pytest.raises(ValueError, match="unknown segment"):
        csi.compute(counts, csi.Weights({"residental": 1}))
    with pytest.raises(ValueError, match="unknown item"):
        csi.compute(counts, csi.Weights(items={"*": {"nope": 1}}))
    with pytest.raises(ValueError, match="add up to 0"):
        csi.compute(counts, csi.Weights({"S0": 0}))


def test_weights_that_add_up_to_zero_are_refused_and_say_whose():
    counts = make_counts([[[level_counts(0, 0, 0, 1, 1), level_counts(1, 0, 0, 0, 1)],
                           [level_counts(0, 0, 1, 0, 1), level_counts(0, 1, 0, 0, 1)]]])
    with pytest.raises(csi.ZeroWeights) as info:
        csi.compute(counts, csi.Weights({"S0": 0, "S1": 0}))
    assert info.value.segment is None
    with pytest.raises(csi.ZeroWeights) as info:
        csi.compute(counts, csi.Weights(items={"S1": {"I0": 0, "I1": 0}}))
    assert info.value.segment == "S1" and "S1" in str(info.value)
    with pytest.raises(csi.ZeroWeights):
        csi.compute(counts, csi.Weights(items={"*": {"I0": 0}}))
    # one importance above 0 is a weighting: that item alone counts
    res = csi.compute(counts, csi.Weights(items={"S1": {"I0": 0, "I1": 2}}))
    assert res.item_weight[0, 1].tolist() == [0.0, 1.0]


def test_a_period_of_only_new_segments_is_weighted_equally_and_says_so():
    """Company weights name S0 and S1; a later period holds only S2 and S3 (new segments)."""
    none = level_counts(0, 0, 0, 0, 0)
    answers = [[[level_counts(0, 0, 0, 0, 2)], [level_counts(0, 0, 2, 0, 0)], [none], [none]],
               [[none], [none], [level_counts(0, 0, 0, 0, 2)], [level_counts(0, 0, 0, 2, 0)]]]
    res = csi.compute(make_counts(answers), csi.Weights({"S0": 70, "S1": 30}))
    assert res.segment_weight[0].tolist() == pytest.approx([0.7, 0.3, 0, 0])
    assert res.segment_weight[1].tolist() == pytest.approx([0, 0, 0.5, 0.5])
    assert res.total[1] == pytest.approx(0.5 * 100 + 0.5 * 80)
    keys = [(n.key, dict(n.params).get("period"), dict(n.params).get("segment")) for n in res.notes]
    assert ("period_equal_segment_weights", "2026Q2", None) in keys
    assert not [k for k in keys if k[0] == "segment_without_weight"]  # none in 2026Q1, and 2026Q2 is equal
    # a period with a weighted segment beside a new one: the new one counts 0, noted for that period
    answers[1][0] = [level_counts(0, 0, 0, 0, 2)]
    res = csi.compute(make_counts(answers), csi.Weights({"S0": 70, "S1": 30}))
    assert res.segment_weight[1].tolist() == pytest.approx([1, 0, 0, 0])
    keys = [(n.key, dict(n.params).get("period"), dict(n.params).get("segment")) for n in res.notes]
    assert ("segment_without_weight", "2026Q2", "S2") in keys and ("segment_without_weight", "2026Q1", "S2") not in keys


def test_satisfaction_rate_is_top_two_box():
    res = csi.compute(make_counts([[[level_counts(1, 2, 3, 4, 10)]]]))
    assert res.item_satisfied[0, 0, 0] == pytest.approx(14 / 20)
    assert res.satisfied[0] == pytest.approx(14 / 20)


def test_alternative_scale():
    res = csi.compute(make_counts([[[level_counts(0, 0, 1, 1, 0)]]]), scale="100-80-60-30-0")
    assert res.total[0] == pytest.approx(100 * (0.6 + 0.8) / 2)


def test_customer_csi_renormalises_over_items_answered():
    # segment weights from ticks 1 : 1 : 2; customer answered items 0 and 2 only
    answers = [[[level_counts(0, 0, 0, 0, 2), level_counts(0, 0, 0, 2, 0), level_counts(0, 0, 2, 0, 0)]]]
    cc = CustomerCounts(("ACME",), np.array([0]), np.array([0, 0]), np.array([0, 0]), np.array([0, 2]),
                        np.array([[0, 0, 0, 0, 0, 1], [0, 0, 0, 1, 0, 0]]), np.array([[0, 0, 1]]))
    counts = make_counts(answers, ticks=[[[1, 1, 2]]], customers=cc)
    res = csi.compute(counts)
    cust = csi.customer_csi(counts, res, 0)
    # weights 0.25 and 0.5 over answered → 1/3 and 2/3: 100·(1/3·1.0 + 2/3·0.5)
    assert cust.csi[0] == pytest.approx(100 * (1 / 3 + 2 / 3 * 0.5))
    assert cust.names == ("ACME",) and cust.valid.tolist() == [1]
    assert csi.customer_series(counts, res, 0)[0] == pytest.approx(cust.csi[0])
