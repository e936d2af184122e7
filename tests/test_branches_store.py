"""Branches and competitor rows in the store: competitors never reach our counts; a
branch's workbook adds to a period; replacing replaces only that branch's rows."""
import numpy as np
import pytest

from csi_core.method import csi
from csi_core.store import ingest
from tests.conftest import xlsx

HEADER = ["period", "segment", "customer", "branch", "competitor", "质量", "服务", "focus"]
OURS = [["2026Q1", "民用户", "甲", None, None, "很满意", "满意", "A"],
        ["2026Q1", "民用户", "乙", None, None, "一般", "很满意", "B"],
        ["2026Q1", "工商业户", "ACME", None, None, "满意", "不满意", "A"]]
RIVAL = [["2026Q1", "民用户", "甲", None, "华润燃气", "很不满意", "不满意", "A"],
         ["2026Q1", "工商业户", "ACME", None, "华润燃气", "满意", "满意", None]]


def scores(store):
    counts = store.counts()
    res = csi.compute(counts)
    return counts, res


def test_competitor_rows_leave_our_scores_exactly_as_without_them(store, tmp_path):
    from csi_core.store.db import Store
    alone = Store.open(":memory:")
    ingest.ingest(alone, xlsx([HEADER] + OURS), "ours.xlsx")
    ingest.ingest(store, xlsx([HEADER] + OURS + RIVAL), "with_rivals.xlsx")
    (c1, r1), (c2, r2) = scores(alone), scores(store)
    assert c1.segments == c2.segments and c1.periods == c2.periods
    np.testing.assert_array_equal(c1.answers, c2.answers)
    np.testing.assert_array_equal(c1.ticks, c2.ticks)
    np.testing.assert_array_equal(c1.returned, c2.returned)
    np.testing.assert_array_equal(c1.valid, c2.valid)
    assert r1.total.tolist() == r2.total.tolist()
    assert c1.customers.names == c2.customers.names
    np.testing.assert_array_equal(c1.customers.counts, c2.customers.counts)
    q1, q2 = alone.questionnaires(c1, "2026Q1"), store.questionnaires(c2, "2026Q1")
    np.testing.assert_array_equal(q1.codes, q2.codes)
    # the competitor rows are stored, named
    table = store.branches()
    assert table.competitor.sum() == 2 and table.returned.sum() == 3


def _branch_rows(branch, answer, n=2, period="2026Q1"):
    return [[period, "民用户", f"{branch}客户{k}", branch, None, answer, answer, "A"] for k in range(n)]


def test_a_branch_workbook_adds_to_the_period(store):
    hq = ingest.ingest(store, xlsx([HEADER] + _branch_rows(None, "很满意")), "hq.xlsx")
    assert hq.ok
    north = ingest.ingest(store, xlsx([HEADER] + _branch_rows("北区分公司", "一般")), "north.xlsx")
    assert north.ok and not north.conflicts, north.conflicts
    counts, res = scores(store)
    assert counts.valid.sum() == 4
    s = counts.segments.index("民用户")
    # two at 1.0, two at 0.5 → item score 0.75 for both items
    assert res.item_score[0, s].tolist() == pytest.approx([0.75, 0.75])
    table = store.branches()
    assert dict(zip(table.branch, table.returned)) == {"": 2, "北区分公司": 2}


def test_replacing_a_branch_replaces_only_its_rows(store):
    ingest.ingest(store, xlsx([HEADER] + _branch_rows(None, "很满意")), "hq.xlsx")
    ingest.ingest(store, xlsx([HEADER] + _branch_rows("北区分公司", "一般")), "north.xlsx")
    again = xlsx([HEADER] + _branch_rows("北区分公司", "满意", n=3))
    refused = ingest.ingest(store, again, "north2.xlsx")
    assert not refused.ok and [p.code for p in refused.conflicts] == ["branch_exists"]
    assert "北区分公司" in refused.conflicts[0].message("zh")
    done = ingest.ingest(store, again, "north2.xlsx", replace=True)
    assert done.ok
    counts, res = scores(store)
    s = counts.segments.index("民用户")
    assert counts.valid[0, s] == 5  # 2 headquarters + 3 new north
    assert res.item_score[0, s].tolist() == pytest.approx([(2 * 1.0 + 3 * 0.8) / 5] * 2)
    table = store.branches()
    assert dict(zip(table.branch, table.returned)) == {"": 2, "北区分公司": 3}
    # the old north rows are in the archive and come back on restore, headquarters untouched
    restorable = store.restorable()
    north_upload = int(restorable.upload_id.iloc[0])
    assert store.restore_period(north_upload, "2026Q1") == 2
    counts, res = scores(store)
    assert counts.valid[0, s] == 4
    assert res.item_score[0, s].tolist() == pytest.approx([0.75, 0.75])


def test_a_workbook_of_every_branch_replaces_the_whole_period(store):
    ingest.ingest(store, xlsx([HEADER] + _branch_rows(None, "很满意")), "hq.xlsx")
    whole = xlsx([HEADER] + _branch_rows(None, "一般"))
    refused = ingest.ingest(store, whole, "hq2.xlsx")
    assert [p.code for p in refused.conflicts] == ["period_exists"]
    assert ingest.ingest(store, whole, "hq2.xlsx", replace=True).ok
    counts, res = scores(store)
    assert counts.valid.sum() == 2 and res.item_score[0, 0].tolist() == pytest.approx([0.5, 0.5])


def test_intervals_after_an_append_are_rebuilt_from_all_rows(store):
    ingest.ingest(store, xlsx([HEADER] + _branch_rows(None, "很满意")), "hq.xlsx")
    ingest.ingest(store, xlsx([HEADER] + _branch_rows("北区分公司", "一般")), "north.xlsx")
    counts = store.counts()
    s = counts.segments.index("民用户")
    assert counts.cross.known[0, s]
    assert counts.cross.aa[0, s, 0, 0] == 4  # four questionnaires answered item 1
