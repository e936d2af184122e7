"""method/whatif.py and outputs/share.py: the what-if rules and the link, with numbers
worked by hand."""
import pytest

from csi_core.method import csi, whatif
from csi_core.outputs import share
from csi_core.store.ingest import ingest

HEADER = ["期间", "客户类型", "质量", "服务", "最关注的项目"]
# A: 质量 很满意 (1.0), 服务 一般 (0.5), focus ticks 质量 3 : 服务 1 → weights 0.75 / 0.25,
#    CSI 100 × (0.75 × 1.0 + 0.25 × 0.5) = 87.5; B: both 较满意 (0.8) → 80
ROWS = [HEADER, *[["2026Q1", "A", "很满意", "一般", "质量"]] * 3, ["2026Q1", "A", "很满意", "一般", "服务"],
        ["2026Q1", "B", "较满意", "较满意", "质量"]]


@pytest.fixture
def counts(store, make_xlsx):
    assert ingest(store, make_xlsx(ROWS), "w.xlsx").ok
    return store.counts()


def test_item_rows_weights_scores_and_contributions(counts):
    res = csi.compute(counts)
    rows = whatif.item_rows(res, 0, res.segments.index("A"))
    assert [(r.item, r.weight, r.score, r.contribution, r.needs_action) for r in rows] == pytest.approx(
        [("质量", 75.0, 100.0, 75.0, False), ("服务", 25.0, 50.0, 12.5, True)])
    assert res.segment_csi[0, res.segments.index("A")] == pytest.approx(87.5)


def test_user_weights_over_the_baseline(counts):
    base = csi.Weights({"A": 1, "B": 1}, None, only_where_named=True)
    moved = whatif.compute(counts, base, {"A": 3, "B": 1}, {"A": {"质量": 1, "服务": 1}})
    # A with importances 1:1 → 75; total 0.75 × 75 + 0.25 × 80 = 76.25
    assert moved.results.total[0] == pytest.approx(76.25)
    assert (moved.kept, moved.all_zero) == ((), False)


def test_importances_all_zero_keep_the_baseline_for_that_segment(counts):
    base = csi.Weights(None)
    out = whatif.compute(counts, base, None, {"A": {"质量": 0, "服务": 0}})
    assert out.kept == ("A",)
    assert out.results.total[0] == pytest.approx((87.5 + 80) / 2)


def test_segment_weights_all_zero_give_the_baseline(counts):
    out = whatif.compute(counts, csi.Weights(None), {"A": 0, "B": 0})
    assert out.all_zero and out.results.total[0] == pytest.approx(83.75)


def test_unknown_names_are_refused(counts):
    with pytest.raises(ValueError, match="unknown segment"):
        whatif.compute(counts, csi.Weights(None), None, {"火星户": {"质量": 1}})


@pytest.mark.parametrize("value, baseline, shown", [
    (75.64, 75.36, 0.2),   # 75.6 − 75.4 on the screen (the raw difference 0.28 would round to 0.3)
    (75.56, 75.45, 0.1),   # 75.6 − 75.5 (raw 0.11)
    (75.449, 75.35, 0.0),  # 75.4 − 75.4 (75.35 rounds half-up), though the raw difference is 0.099
])
def test_a_difference_is_that_of_the_numbers_shown(value, baseline, shown):
    assert whatif.shown_difference(value, baseline) == pytest.approx(shown)


def test_item_sliders_start_in_whole_points(counts):
    res = csi.compute(counts)
    a = res.segments.index("A")
    assert whatif.start_importances(res, 0, a) == {"质量": 75, "服务": 25}
    assert whatif.start_importances(res, 0, a, {"质量": 1, "服务": 3}) == {"质量": 25, "服务": 75}


def test_the_link_round_trips_and_reads_old_links(counts):
    wi = {"segments": {"A": 60.0, "B": 40.0}, "items": {"A": {"质量": 38.5, "服务": 1.0}}}
    params = share.encode(wi)
    assert params == {"sw": "A:60,B:40", "iw.A": "质量:38.5,服务:1"}
    assert share.decode(params, counts) == (wi, [])
    # a name holding the pair syntax's characters
    assert share.encode({"segments": {"a,b:c%": 1}}) == {"sw": "a%2Cb%3Ac%25:1"}
    wi, problems = share.decode({"sw": "a:1,b:-2,zz:3", "iw.火星户": "质量:1"}, counts)
    assert wi == {"segments": {"A": 1.0}, "items": {}} and problems == ["b:-2", "zz:3", "火星户"]
