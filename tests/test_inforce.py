"""method/inforce.py and the company-weights rule of csi.segment_weights: company weights
apply only to the segments they name; fixed numbers worked by hand."""
import pytest

from csi_core.method import csi, inforce
from csi_core.store.ingest import ingest

HEADER = ["期间", "客户类型", "质量", "服务", "最关注的项目"]
# segment CSI by hand: A answers 很满意 (1.0) to both items → 100; B 一般 (0.5) → 50; C 很不满意 → 0
ROWS = [HEADER,
        ["2026Q1", "A", "很满意", "很满意", "质量"], ["2026Q1", "B", "一般", "一般", "质量"],
        ["2026Q2", "A", "很满意", "很满意", "质量"], ["2026Q2", "B", "一般", "一般", "质量"],
        ["2026Q2", "C", "很不满意", "很不满意", "质量"]]


@pytest.fixture
def counts(store, make_xlsx):
    assert ingest(store, make_xlsx(ROWS), "w.xlsx").ok
    return store.counts()


def test_company_weights_weight_the_periods_whose_segments_they_name(counts):
    force = inforce.company(counts, {"A": 3, "B": 1}, None)
    res = csi.compute(counts, force.weights)
    assert res.total[0] == pytest.approx(0.75 * 100 + 0.25 * 50)  # 87.5
    assert res.total[1] == pytest.approx((100 + 50 + 0) / 3)  # C is not named: equal, 50.0
    keys = [(n.key, dict(n.params)) for n in res.notes]
    assert ("period_unnamed_segments", {"period": "2026Q2", "segments": "C"}) in keys
    assert not [k for k, _ in keys if k == "segment_without_weight"]  # C never counts 0


def test_explicit_weights_keep_counting_an_unnamed_segment_as_zero(counts):
    """The command line's --segment-weights are the user's own: unchanged (C counts 0, noted)."""
    res = csi.compute(counts, csi.Weights({"A": 3, "B": 1}))
    assert res.total[1] == pytest.approx(87.5)
    assert ("segment_without_weight", "C") in [(n.key, dict(n.params).get("segment")) for n in res.notes]


def test_used_in_period_says_where_the_weights_come_from(counts):
    force = inforce.company(counts, {"A": 3, "B": 1}, {"A": {"质量": 1, "服务": 1}})
    res = csi.compute(counts, force.weights)
    first, second = inforce.used_in_period(force, res, 0), inforce.used_in_period(force, res, 1)
    assert (first.source, first.used, first.unnamed) == (inforce.COMPANY, {"A": 0.75, "B": 0.25}, ())
    assert (second.source, second.unnamed) == (inforce.UNNAMED, ("C",))
    assert second.used == pytest.approx({"A": 1 / 3, "B": 1 / 3, "C": 1 / 3})
    assert first.item_segments == ("A",)
    assert inforce.applies_in_period(force, res, 0) == {"A": 3.0, "B": 1.0}
    assert inforce.applies_in_period(force, res, 1) is None
    none = inforce.company(counts, None, None)
    assert inforce.used_in_period(none, csi.compute(counts, none.weights), 0).source == inforce.EQUAL


def test_weights_of_another_data_set_are_not_used(counts):
    """The demo's weights (60/30/10 for 民用户/工商业户/公福用户) name none of these segments."""
    force = inforce.company(counts, {"民用户": 60, "工商业户": 30, "公福用户": 10}, {"民用户": {"质量": 1}})
    assert force.segments is None and force.items == {}
    assert csi.compute(counts, force.weights).total[0] == pytest.approx(75.0)  # (100 + 50) / 2


def test_company_item_importances_replace_the_focus_weights(counts):
    """B answered 一般 (0.5) to both items: any importances give 50; A's focus ticks say 质量
    only, importances 1:3 give the same 100 — so use a segment whose items differ."""
    rows = [HEADER, ["2026Q1", "A", "很满意", "很不满意", "质量"], ["2026Q1", "A", "很满意", "很不满意", "质量"]]
    from csi_core.store.db import Store
    from tests.conftest import xlsx

    s = Store.open(":memory:")
    assert ingest(s, xlsx(rows), "i.xlsx").ok
    c = s.counts()
    focus = csi.compute(c, inforce.company(c, None, None).weights)
    assert focus.total[0] == pytest.approx(100.0)  # every tick on 质量 (score 1.0)
    force = inforce.company(c, None, {"A": {"质量": 1, "服务": 3}})
    assert csi.compute(c, force.weights).total[0] == pytest.approx(25.0)  # (1 × 1.0 + 3 × 0) / 4
    s.close()


def test_for_segments_before_an_import():
    w = inforce.for_segments({"民用户": 3, "工商业户": 1}, ["民用户", "工商业户"])
    assert (w.source, w.used) == (inforce.COMPANY, {"民用户": 0.75, "工商业户": 0.25})
    w = inforce.for_segments({"民用户": 3}, ["民用户", "工商业户", "公福用户"])
    assert (w.source, w.unnamed) == (inforce.UNNAMED, ("工商业户", "公福用户"))
    assert inforce.for_segments({}, ["a"]).source == inforce.EQUAL
    assert inforce.for_segments({"a": 0, "b": 0}, ["a", "b"]).source == inforce.EQUAL
