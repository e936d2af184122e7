"""Competitors scored with our yardstick (csi_core/method/competitors.py) and read from the
store (csi_core/store/competitors.py); numbers worked out by hand."""
import math

import numpy as np
import pytest

from csi_core.method import competitors as comp
from csi_core.method import csi
from csi_core.method.counts import Counts
from csi_core.store import ingest
from tests.conftest import xlsx

COEF = {5: 1.0, 4: 0.8, 3: 0.5, 2: 0.2, 1: 0.0}


def _counts(answers, ticks, valid) -> Counts:
    P, S = valid.shape
    return Counts(tuple(f"2026Q{p + 1}" for p in range(P)), ("民用户", "工商业户")[:S], ("质量", "服务"),
                  answers, ticks, valid, valid, np.ones((P, 2), bool), np.full(P, np.nan), np.full((P, S), np.nan),
                  None)


def _levels(*codes) -> np.ndarray:
    row = np.zeros(6, np.int64)
    for code in codes:
        row[code] += 1
    return row


def two_segments():
    """Ours: 民用户 items (5, 4) and (4, 3), ticks 质量 3 / 服务 1; 工商业户 (3, 4), ticks 1 / 1."""
    ours = np.zeros((1, 2, 2, 6), np.int64)
    ours[0, 0, 0], ours[0, 0, 1] = _levels(5, 4), _levels(4, 3)
    ours[0, 1, 0], ours[0, 1, 1] = _levels(3), _levels(4)
    counts = _counts(ours, np.array([[[3, 1], [1, 1]]]), np.array([[2, 1]]))
    return counts


def test_item_scores_and_csi_use_our_weights():
    counts = two_segments()
    theirs = np.zeros((1, 1, 2, 2, 6), np.int64)
    theirs[0, 0, 0, 0], theirs[0, 0, 0, 1] = _levels(4, 3), _levels(3, 2)  # 0.65, 0.35
    theirs[0, 0, 1, 0], theirs[0, 0, 1, 1] = _levels(5), _levels(4)  # 1.0, 0.8
    found = comp.compute(counts, csi.compute(counts, csi.Weights({"民用户": 70, "工商业户": 30})),
                         comp.CompetitorCounts(("华润",), theirs, np.array([[[2, 1]]])))
    # 100·(0.75·0.65 + 0.25·0.35) = 57.5; 100·(0.5·1.0 + 0.5·0.8) = 90; 0.7·57.5 + 0.3·90 = 67.25
    assert found.segment_csi[0, 0].tolist() == pytest.approx([57.5, 90.0])
    assert found.total[0, 0] == pytest.approx(67.25)
    # the same competitor under what-if item importances 服务 only: 100·0.35 = 35, 100·0.8 = 80
    whatif = csi.Weights({"民用户": 70, "工商业户": 30}, {"*": {"质量": 0, "服务": 1}})
    moved = comp.compute(counts, csi.compute(counts, whatif), comp.CompetitorCounts(("华润",), theirs,
                                                                                   np.array([[[2, 1]]])))
    assert moved.segment_csi[0, 0].tolist() == pytest.approx([35.0, 80.0])
    assert moved.total[0, 0] == pytest.approx(0.7 * 35 + 0.3 * 80)


def test_a_missing_segment_and_a_missing_item_are_renormalised():
    counts = two_segments()
    theirs = np.zeros((1, 1, 2, 2, 6), np.int64)
    theirs[0, 0, 0, 1] = _levels(3, 3)  # 民用户, 服务 only: weight 0.25 → 1.0, CSI 50
    found = comp.compute(counts, csi.compute(counts, csi.Weights({"民用户": 70, "工商业户": 30})),
                         comp.CompetitorCounts(("港华",), theirs, np.array([[[2, 0]]])))
    assert found.item_weight[0, 0, 0].tolist() == [0.0, 1.0]
    assert found.segment_csi[0, 0, 0] == pytest.approx(50.0) and math.isnan(found.segment_csi[0, 0, 1])
    assert found.segment_weight[0, 0].tolist() == [1.0, 0.0]  # 70 : 30 over 民用户 alone
    assert found.total[0, 0] == pytest.approx(50.0)


def test_gap_significance_by_hand():
    # ours: 20 answers 很满意 → score 1.0, variance 0; theirs: 10 一般 + 10 满意 → 0.65,
    # Var = 20 · 0.15² / (20 · 19) = 0.00118421; half = 1.959964 · √0.00118421 = 0.06745
    ours = np.zeros((1, 1, 2, 6), np.int64)
    ours[0, 0, :, 5] = 20
    counts = _counts(ours, np.zeros((1, 1, 2)), np.array([[20]]))
    theirs = np.zeros((1, 1, 1, 2, 6), np.int64)
    theirs[0, 0, 0, 0, 3] = theirs[0, 0, 0, 0, 4] = 10  # 质量 0.65
    theirs[0, 0, 0, 1, 5] = 19
    theirs[0, 0, 0, 1, 4] = 1  # 服务 (19 + 0.8) / 20 = 0.99
    found = comp.compute(counts, csi.compute(counts), comp.CompetitorCounts(("华润",), theirs, np.array([[[20]]])))
    gaps = {g.item: g for g in comp.gaps(found, 0, 0)}
    assert gaps["质量"].gap == pytest.approx(0.35)
    assert gaps["质量"].half == pytest.approx(1.959964 * math.sqrt(20 * 0.15 ** 2 / (20 * 19)))
    assert gaps["质量"].significant is True
    # 服务: gap 0.01; Var = (19·0.01² + 0.19²) / (20·19) = 0.0001; half 0.0196 > 0.01: noise
    assert gaps["服务"].gap == pytest.approx(0.01)
    assert gaps["服务"].half == pytest.approx(1.959964 * math.sqrt((19 * 0.01 ** 2 + 0.19 ** 2) / 380))
    assert gaps["服务"].significant is False
    assert not found.few(0, 0)  # 20 ≥ 10


def test_ten_questionnaires_is_the_minimum():
    counts = two_segments()
    theirs = np.zeros((1, 1, 2, 2, 6), np.int64)
    theirs[0, 0, 0, :, 5] = 9
    found = comp.compute(counts, csi.compute(counts), comp.CompetitorCounts(("x",), theirs, np.array([[[9, 0]]])))
    assert found.few(0, 0)
    theirs[0, 0, 1, :, 5] = 1
    found = comp.compute(counts, csi.compute(counts), comp.CompetitorCounts(("x",), theirs, np.array([[[9, 1]]])))
    assert not found.few(0, 0)


HEADER = ["period", "segment", "respondent_id", "competitor", "质量", "服务"]


def test_store_reads_only_valid_competitor_rows_in_force(store):
    rows = [["2026Q1", "民用户", "a", None, "很满意", "满意"],
            ["2026Q1", "民用户", "b", "华润燃气", "满意", "一般"],
            ["2026Q1", "民用户", "c", "华润燃气", "一般", None],
            ["2026Q1", "民用户", "d", "华润燃气", None, None],  # invalid: every item blank
            ["2026Q1", "工商业户", "e", "华润燃气", "很满意", "很满意"],  # a segment we have none of
            ["2026Q1", "民用户", "f", "港华燃气", "不满意", "很不满意"]]
    assert ingest.ingest(store, xlsx([HEADER] + rows), "q1.xlsx").ok
    counts = store.counts()
    found = store.competitor_counts(counts)
    assert found.names == ("华润燃气", "港华燃气")
    assert found.valid[0, :, 0].tolist() == [2, 1]
    assert found.left_out == 1  # the 工商业户 questionnaire: no segment of ours to weigh it with
    assert found.answers[0, 0, 0, 0].tolist() == [0, 0, 0, 1, 1, 0]  # 质量: 一般, 满意
    assert found.answers[0, 0, 0, 1].tolist() == [0, 0, 0, 1, 0, 0]  # 服务: 一般 (the other blank)
    assert found.answers[0, 1, 0, :, :].sum() == 2
    # a replaced period: its competitor rows are archived with it
    again = [["2026Q1", "民用户", "a", None, "满意", "满意"]]
    assert ingest.ingest(store, xlsx([HEADER] + again), "q1b.xlsx", replace=True).ok
    assert store.competitor_counts(store.counts()).empty


def test_no_competitor_rows_give_empty_arrays(store):
    assert ingest.ingest(store, xlsx([HEADER, ["2026Q1", "民用户", "a", None, "很满意", "满意"]]), "q.xlsx").ok
    counts = store.counts()
    found = store.competitor_counts(counts)
    assert found.empty and found.names == () and found.answers.shape[:2] == (1, 0)
    res = comp.compute(counts, csi.compute(counts), found)
    assert res.total.shape == (1, 0)


def test_a_branch_view_scores_only_that_branchs_competitor_questionnaires(store):
    from csi_core.store import ingest as ingest_module
    from tests.conftest import xlsx
    header = ["period", "segment", "branch", "competitor", "质量"]
    rows = [["2026Q1", "民用户", None, None, "很满意"], ["2026Q1", "民用户", "北区", None, "满意"],
            ["2026Q1", "民用户", None, "华润燃气", "很满意"], ["2026Q1", "民用户", "北区", "华润燃气", "一般"],
            ["2026Q1", "民用户", "北区", "华润燃气", "一般"]]
    assert ingest_module.ingest(store, xlsx([header] + rows), "b.xlsx").ok
    whole = store.competitor_counts(store.counts())
    north = store.competitor_counts(store.counts(branch="北区"))
    hq = store.competitor_counts(store.counts(branch=""))
    assert whole.valid.sum() == 3 and north.valid.sum() == 2 and hq.valid.sum() == 1
