"""csi_core/trends.py: run-chart series and the falls they flag, on fixed numbers."""
import math

import numpy as np
import pytest

from csi_core.method import csi
from csi_core.method import trends
from csi_core.method.counts import Counts, CustomerCounts

NAN = float("nan")


def _counts() -> Counts:
    """Two periods, two segments, two items; one customer in each segment, same name.

    Codes 1..5 (index 0 unused). Period 0, segment A: item x 10 answers all level 5
    (score 1.0), item y 10 answers all level 3 (0.5); focus ticks x 3, y 1.
    Period 1, segment A: x all level 4 (0.8), y nobody answered. Segment B answers
    only in period 1: x all level 5.
    """
    answers = np.zeros((2, 2, 2, 6), np.int64)
    answers[0, 0, 0, 5] = 10
    answers[0, 0, 1, 3] = 10
    answers[1, 0, 0, 4] = 10
    answers[1, 1, 0, 5] = 4
    ticks = np.zeros((2, 2, 2), np.int64)
    ticks[0, 0] = [3, 1]
    ticks[1, 0] = [3, 1]
    valid = np.array([[10, 0], [10, 4]])
    customers = CustomerCounts(
        names=("ACME", "ACME"), segment=np.array([0, 1]),
        p=np.array([0, 0, 1]), c=np.array([0, 0, 0]), i=np.array([0, 1, 0]),
        counts=np.array([[0, 0, 0, 0, 0, 2], [0, 0, 0, 2, 0, 0], [0, 0, 0, 0, 1, 0]]),
        valid=np.array([[0, 0, 2], [1, 0, 1]]))
    return Counts(("2026Q1", "2026Q2"), ("A", "B"), ("x", "y"), answers, ticks, valid, valid,
                  np.ones((2, 2), bool), np.full(2, np.nan), np.full((2, 2), np.nan), customers)


@pytest.fixture
def res():
    return csi.compute(_counts(), csi.Weights({"A": 3, "B": 1}))


def test_total_series_is_the_total(res):
    # Q1: only A: 100·(0.75·1.0 + 0.25·0.5) = 87.5; Q2: A = 80 (y dropped), B = 100, 3:1
    assert trends.total_series(res).tolist() == pytest.approx([87.5, 0.75 * 80 + 0.25 * 100])


def test_segment_series_by_name_or_index(res):
    assert trends.segment_series(res, "A").tolist() == pytest.approx([87.5, 80.0])
    b = trends.segment_series(res, 1)
    assert math.isnan(b[0]) and b[1] == pytest.approx(100.0)


def test_item_series_in_percent_nan_where_unanswered(res):
    assert trends.item_series(res, "A", "x").tolist() == pytest.approx([100.0, 80.0])
    y = trends.item_series(res, "A", "y")
    assert y[0] == pytest.approx(50.0) and math.isnan(y[1])


def test_customer_series_uses_the_segment_item_weights(res):
    counts = _counts()
    # customer 0 (ACME in A): Q1 x = 1.0, y = 0.5 with weights .75/.25 → 87.5; Q2 x = 0.8 alone → 80
    assert trends.customer_series(counts, res, 0).tolist() == pytest.approx([87.5, 80.0])
    assert np.isnan(trends.customer_series(counts, res, 1)).all()


def test_customer_labels_name_the_segment_of_a_shared_name():
    assert trends.customer_labels(_counts()) == ["ACME (A)", "ACME (B)"]


def test_falls_lists_every_drop_with_its_change():
    found = trends.falls(["Q1", "Q2", "Q3", "Q4"], [84.94, 85.2, 82.6, 83.7])
    assert found == [trends.Fall("Q3", 85.2, 82.6, -2.6, "Q2")]
    period, previous, value, change = found[0][:4]
    assert (period, previous, value, change) == ("Q3", 85.2, 82.6, -2.6)


def test_float_noise_is_not_a_fall():
    # 80.04999999 and 80.0 both show as 80.0 (half-up to one decimal)
    assert trends.falls(["Q1", "Q2"], [80.04999999, 80.0]) == []
    # 75.05 shows as 75.1 (half-up): 75.1 → 75.0 is a fall of 0.1
    assert trends.falls(["Q1", "Q2"], [75.05, 75.04]) == [trends.Fall("Q2", 75.1, 75.0, -0.1, "Q1")]


def test_gaps_compare_with_the_last_available_period():
    found = trends.falls(["Q1", "Q2", "Q3", "Q4"], [90.0, NAN, 88.0, 88.0])
    assert found == [trends.Fall("Q3", 90.0, 88.0, -2.0, "Q1")]
    assert trends.falls(["Q1", "Q2"], [NAN, 70.0]) == []
    assert trends.falls([], []) == []


def test_rises_and_flat_are_not_falls():
    assert trends.falls(["Q1", "Q2", "Q3"], [70.0, 70.0, 71.0]) == []


def test_change_from_previous_is_the_change_as_shown():
    assert trends.change_from_previous([83.14, NAN, 84.25], 2) == (0, 1.2)
    assert trends.change_from_previous([83.14, 84.25], 0)[0] is None
    q, change = trends.change_from_previous([83.14, NAN], 1)
    assert q is None and math.isnan(change)
