"""The statistics of issue 11 on a tiny workbook, every expected number worked by hand.

Tiny workbook (no focus column: item weights ½ ½; segment weights equal):

2026Q1 segment A: K (X 很满意 1.0, Y 较满意 0.8), L (X 较满意 0.8, Y blank), K (X 一般 0.5, Y 很满意 1.0)
    s_X = 2.3/3, s_Y = 0.9, CSI_A = 83⅓; z_r = 100·(½(x_X − s_X)/3 + ½·a_Y(x_Y − 0.9)/2)
    = 25/18, 10/18, −35/18; Σz² = 1950/324; Var_A = 3/2 · 1950/324 = 2925/324.
2026Q1 segment B: (X 不满意 0.2, Y 不满意 0.2), (X 较满意 0.8, Y 较满意 0.8)
    CSI_B = 50; z = −15, +15; Var_B = 2 · 450 = 900.
    total = 66⅔, Var = ¼·2925/324 + ¼·900.
    item X of A: Σ(x − s)² = (0.7² + 0.1² + 0.8²)/9 = 1.14/9; Var = 1.14/9 / (3·2) = 0.019/0.9.
    customer K (rows 1 and 3): s_X = 0.75, s_Y = 0.9, CSI 82.5, z = ±3.75, Var = 2 · 28.125 = 56.25.
2026Q2 segment A only: (1.0, 1.0), (1.0, 1.0), (0.8, 0.8): CSI 93⅓, z = 20/9, 20/9, −40/9,
    Var = 3/2 · 2400/81 = 400/9; the total is segment A's.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from csi_core.method import csi, stats
from csi_core.method.control import control, signals
from csi_core.method.importance import quadrants, rank_gaps, relative_weights
from csi_core.method.intervals import Z95, change
from csi_core.method.margin import grade_margin
from csi_core.method.terms import terms, top_terms
from csi_core.outputs.summary import to_contract
from csi_core.store.ingest import ingest
from tests.conftest import xlsx

ROWS = [["period", "segment", "customer", "X", "Y", "comment"],
        ["2026Q1", "A", "K", "很满意", "较满意", "抄表不准确"],
        ["2026Q1", "A", "L", "较满意", None, None],
        ["2026Q1", "A", "K", "一般", "很满意", "服务很好"],
        ["2026Q1", "B", None, "不满意", "不满意", "抄表太慢，价格高"],
        ["2026Q1", "B", None, "较满意", "较满意", None],
        ["2026Q2", "A", None, "很满意", "很满意", None],
        ["2026Q2", "A", None, "很满意", "很满意", None],
        ["2026Q2", "A", None, "较满意", "较满意", None]]


@pytest.fixture
def tiny(store):
    assert ingest(store, xlsx(ROWS), "tiny.xlsx").ok
    counts = store.counts()
    results = csi.compute(counts)
    return store, counts, results, stats.intervals(counts, results)


def test_segment_total_and_item_variances_by_hand(tiny):
    _, counts, res, iv = tiny
    a, b = counts.segments.index("A"), counts.segments.index("B")
    assert res.segment_csi[0, a] == pytest.approx(250 / 3)
    assert iv.segment[0, a] == pytest.approx(2925 / 324, rel=1e-12)
    assert iv.segment[0, b] == pytest.approx(900, rel=1e-12)
    assert iv.total[0] == pytest.approx(0.25 * 2925 / 324 + 0.25 * 900, rel=1e-12)
    assert iv.segment[1, a] == pytest.approx(400 / 9, rel=1e-12)
    assert iv.total[1] == pytest.approx(400 / 9, rel=1e-12)  # B absent: the total is A's
    assert iv.item[0, a, counts.items.index("X")] == pytest.approx(0.019 / 0.9, rel=1e-12)
    assert iv.item[0, a, counts.items.index("Y")] == pytest.approx(0.01, rel=1e-12)  # (0.1² + 0.1²) / (2·1)
    assert iv.total_half()[1] == pytest.approx(1.959964 * 20 / 3, rel=1e-12)


def test_change_interval_and_significance_by_hand(tiny):
    _, counts, res, iv = tiny
    found = stats.total_change(res, iv, 1)
    half = 1.959964 * math.sqrt(400 / 9 + 0.25 * 2925 / 324 + 225)
    assert (found.previous, found.delta) == (0, pytest.approx(80 / 3))
    assert (found.low, found.high) == (pytest.approx(80 / 3 - half), pytest.approx(80 / 3 + half))
    assert found.significant is False  # 26.7 ± 32.3 holds 0
    assert stats.total_change(res, iv, 0) is None
    assert change([80.0, 70.0], [1.0, 1.0], 1).significant is True  # −10 ± 2.77


def test_customer_interval_by_hand_and_none_for_one_questionnaire(tiny):
    store, counts, res, _ = tiny
    var = stats.customer_variance(counts, res, store.questionnaires(counts, "2026Q1"))
    k, l_ = counts.customers.names.index("K"), counts.customers.names.index("L")
    assert var[k] == pytest.approx(56.25, rel=1e-12)
    assert math.isnan(var[l_])


def test_json_fields_by_hand(tiny):
    store, counts, res, _ = tiny
    out = to_contract(counts, res, questionnaires=lambda p: store.questionnaires(counts, p))["periods"]
    q1 = out["2026Q1"]
    assert q1["segments"]["A"]["ci95"] == [pytest.approx(250 / 3 - Z95 * math.sqrt(2925 / 324)),
                                           pytest.approx(250 / 3 + Z95 * math.sqrt(2925 / 324))]
    assert q1["customers"]["K"]["ci95"] == [pytest.approx(82.5 - 7.5 * 1.959964), pytest.approx(82.5 + 7.5 * 1.959964)]
    assert q1["customers"]["L"]["ci95"] is None
    assert q1["change"] is None and q1["control"] is None
    item = out["2026Q2"]["segments"]["A"]["items"]["X"]
    assert item["change"]["from"] == "2026Q1" and item["change"]["delta"] == pytest.approx(2.8 / 3 - 2.3 / 3)
    assert item["importance"] == {"stated": 0.5, "derived": None}
    # 66.7 one-half each of 83.3 and 50: 0.1 point from A to B gives 66.63 (still 66.6, dissatisfied);
    # the band edges are 75.05 (+8.38 → 25.2 points) and 59.95 (−6.72 → 20.2 points)
    assert q1["grade_margin"] == {"points": 20.2, "from": "A", "to": "B"}


def test_interval_needs_two_questionnaires(store):
    rows = [["period", "X"], ["2026Q1", "很满意"]]
    assert ingest(store, xlsx(rows), "one.xlsx").ok
    counts = store.counts()
    iv = stats.intervals(counts, csi.compute(counts))
    assert np.isnan(iv.total).all() and np.isnan(iv.item).all()


# --- XmR ----------------------------------------------------------------------------------
def test_xmr_limits_by_hand():
    # mean 81, moving ranges 2 1 2 4 → 2.25, limits 81 ± 5.985
    c = control([80, 82, 81, 79, 83], 4)
    assert (c.centre, c.mr_bar) == (81.0, 2.25)
    assert (c.lcl, c.ucl) == (pytest.approx(75.015), pytest.approx(86.985))
    assert c.signal is None
    assert control([80, 82, 81, 79], 3) is None  # fewer than 5 periods
    assert control([80, 82, float("nan"), 81, 79, 83], 5).periods == 5  # a gap is skipped
    # 80 80 80 80 70: mean 78, MR̄ 2.5, LCL 71.35 → 70 is outside
    assert control([80, 80, 80, 80, 70], 4).signal == "outside"


def test_run_of_eight_on_one_side():
    # 9 points: mean of 10 + 8×11 … centre 10.9; the last 8 (all 11…) sit above it
    values = [1.0, 11, 11.2, 11.1, 11.3, 11.2, 11.1, 11.2, 11.3]
    c = control(values, 8)
    assert c.centre == pytest.approx(sum(values) / 9)
    assert c.signal == "run"
    assert control(values[:8], 7).signal is None  # only 7 above the centre
    marks = signals(values, c)
    assert marks.count("run") == 1 and marks[-1] == "run" and marks[0] == "outside"


# --- grade margin ------------------------------------------------------------------------------
def test_grade_margin_boundary_75_05():
    # 80 and 70 at ½ ½: 75.0 (不满意); 0.5 point to the 80: 75.05 → 75.1 (一般满意)
    m = grade_margin(["a", "b"], [80.0, 70.0], [0.5, 0.5])
    assert (m.points, m.source, m.target, m.grade) == (0.5, "b", "a", "fairly_satisfied")
    # at 50.5 : 49.5 the total is 75.05 exactly (一般满意): the smallest step down changes it
    m = grade_margin(["a", "b"], [80.0, 70.0], [0.505, 0.495])
    assert (m.points, m.source, m.target, m.grade) == (0.1, "a", "b", "dissatisfied")
    assert grade_margin(["a", "b"], [80.0, 80.0], [0.5, 0.5]) is None  # no move changes it
    assert grade_margin(["a", "b"], [80.0, 79.0], [1.0, 0.0]) is None  # 79.0 is the lowest it reaches


# --- importance ----------------------------------------------------------------------------------
def test_relative_weights_equal_squared_correlations_when_uncorrelated():
    x = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]] * 5, float)
    y = 3 * x[:, 0] + x[:, 1] + np.array([1, -1, -1, 1] * 5)  # noise orthogonal to both
    rw = relative_weights(x, y)
    # var(y) = 9 + 1 + 1 = 11; r² = 9/11 and 1/11; R² = 10/11
    assert rw.r2 == pytest.approx(10 / 11)
    assert (rw.share * rw.r2).tolist() == [pytest.approx(9 / 11), pytest.approx(1 / 11)]


def test_quadrants_and_rank_gaps():
    assert quadrants(np.array([0.9, 0.6, 0.7, 0.95]), np.array([0.4, 0.3, 0.1, 0.2])) == [
        "keep_up", "concentrate", "low_priority", "overkill"]
    stated, derived = np.array([0.4, 0.3, 0.2, 0.1]), np.array([0.1, 0.2, 0.3, 0.4])
    assert rank_gaps(stated, derived).tolist() == [True, False, False, True]


def test_needed_n_for_half_width_three():
    assert stats.needed_n(100, 6.0) == 400  # half-width ∝ 1/√n: (6/3)² × 100
    assert stats.needed_n(50, 3.0) == 50


# --- comment terms -------------------------------------------------------------------------------
def test_jieba_terms_on_a_fixed_sample():
    assert terms("燃气价格太高，服务态度很好，抄表不准确") == ["燃气", "价格", "太高", "服务态度", "抄表", "准确"]
    assert terms("The meter reading is late; LATE again!") == ["meter", "reading", "late", "late", "again"]
    # Q1: 抄表 准确 | 价格; Q2: 抄表 太慢 | 抄表员 态度 | 燃气 异味 | 抄表 准确
    table = top_terms(["Q1", "Q2"], [["抄表不准确", "价格高"], ["抄表太慢", "抄表员态度好", "燃气有异味", "抄表不准确"]], "Q2")
    assert table.iloc[0].tolist() == ["抄表", 2, 1.0, 1.0]
    assert dict(zip(table.term, table["count"])) == {"抄表": 2, "准确": 1, "太慢": 1, "异味": 1, "态度": 1,
                                                      "抄表员": 1, "燃气": 1}
    assert dict(zip(table.term, table.change))["准确"] == 0.0
