"""csi_core/charts.py: the figures' data — x, y, marker colours, shapes, texts."""
import pytest

from csi_core.outputs import charts
from csi_core.method.grades import GRADE_BY_KEY

PERIODS = ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
NAN = float("nan")


def _shapes(fig, prefix):
    return [s for s in fig.layout.shapes if (s.name or "").startswith(prefix)]


def test_run_chart_series_and_falls_in_red():
    fig = charts.run_chart(PERIODS, [84.9, 85.2, 82.6, 83.7], "CSI", threshold=80, lang="en")
    trace = fig.data[0]
    assert list(trace.x) == PERIODS
    assert list(trace.y) == [84.9, 85.2, 82.6, 83.7]
    assert list(trace.marker.color) == [charts.LINE, charts.LINE, charts.FALL, charts.LINE]
    assert list(trace.text) == ["84.9", "85.2", "82.6", "83.7"]
    falls = [a for a in fig.layout.annotations if a.name == "fall"]
    assert [(a.x, a.y, a.text) for a in falls] == [("2025Q3", 82.6, "▼ -2.6")]


def test_run_chart_threshold_line_80_for_csi_and_70_for_items():
    csi = charts.run_chart(PERIODS, [84.0, 85.0, 86.0, 87.0], threshold=80)
    (line,) = _shapes(csi, "threshold")
    assert (line.y0, line.y1, line.line.dash) == (80, 80, "dash")
    item = charts.run_chart(PERIODS, [72.0, 69.5, 71.0, 75.0], threshold=70, unit=" %")
    (line,) = _shapes(item, "threshold")
    assert line.y0 == 70
    assert list(item.data[0].marker.color) == [charts.LINE, charts.FALL, charts.LINE, charts.LINE]
    assert not _shapes(charts.run_chart(PERIODS, [1, 2, 3, 4]), "threshold")


def test_run_chart_grade_bands_in_the_grade_colours_behind_the_line():
    fig = charts.run_chart(PERIODS, [70.0, 80.0, 92.0, 99.0], threshold=80)
    bands = {s.name.split(":")[1]: s for s in _shapes(fig, "band:")}
    assert set(bands) == {"very_satisfied", "satisfied", "fairly_satisfied", "dissatisfied"}
    for key, shape in bands.items():
        r, g, b = (int(GRADE_BY_KEY[key].color[k:k + 2], 16) for k in (1, 3, 5))
        assert shape.fillcolor.startswith(f"rgba({r},{g},{b},")
        assert shape.layer == "below"
    assert (bands["satisfied"].y0, bands["satisfied"].y1) == (90.05, 97.95)
    assert (bands["fairly_satisfied"].y0, bands["fairly_satisfied"].y1) == (75.05, 90.05)


def test_run_chart_shows_only_bands_in_view():
    fig = charts.run_chart(PERIODS, [84.0, 85.0, 86.0, 87.0], threshold=80)
    low, high = fig.layout.yaxis.range
    assert low <= 80 <= high
    names = {s.name for s in _shapes(fig, "band:")}
    assert "band:fairly_satisfied" in names and "band:very_satisfied" not in names


def test_run_chart_gaps_stay_gaps_and_do_not_hide_falls():
    fig = charts.run_chart(PERIODS, [90.0, NAN, 88.0, 89.0], threshold=80)
    y = list(fig.data[0].y)
    assert y[1] is None  # a gap, not a zero
    assert list(fig.data[0].marker.color)[2] == charts.FALL
    assert fig.data[0].text[1] == ""


def test_band_edges_follow_half_up_rounding():
    edges = {k: (lo, hi) for k, lo, hi, _ in charts.band_edges()}
    assert edges["very_satisfied"] == (97.95, 100.0)
    assert edges["dissatisfied"] == (59.95, 75.05)
    assert edges["very_dissatisfied"] == (0.0, 59.95)


def test_contribution_chart_bars_are_weight_times_score():
    fig = charts.contribution_chart(["民用户", "工商业户"], [0.6, 0.4], [85.0, 70.0], lang="en")
    bar = fig.data[0]
    assert list(bar.y) == ["民用户", "工商业户"]
    assert list(bar.x) == pytest.approx([51.0, 28.0])
    assert sum(bar.x) == pytest.approx(79.0)  # the bars add up to the total
    assert list(bar.marker.color) == [GRADE_BY_KEY["fairly_satisfied"].color, GRADE_BY_KEY["dissatisfied"].color]
    assert bar.text[0] == "60.0 % × 85.0 = 51.0"


def test_contribution_chart_missing_score_adds_nothing():
    fig = charts.contribution_chart(["a", "b"], [0.5, 0.5], [80.0, NAN])
    assert list(fig.data[0].x) == [40.0, 0.0]
    assert fig.data[0].marker.color[1] == charts.MISSING


def test_sparkline_markers_in_grade_colours():
    fig = charts.sparkline(PERIODS[:3], [99.0, 85.0, 55.0])
    assert list(fig.data[0].y) == [99.0, 85.0, 55.0]
    assert list(fig.data[0].marker.color) == [GRADE_BY_KEY["very_satisfied"].color,
                                             GRADE_BY_KEY["fairly_satisfied"].color,
                                             GRADE_BY_KEY["very_dissatisfied"].color]


def test_segment_bars_with_grades_and_the_80_line():
    fig = charts.segment_bars(["A", "B"], [91.0, 79.94])
    assert list(fig.data[0].text) == ["91.0", "79.9"]
    assert list(fig.data[0].marker.color) == [GRADE_BY_KEY["satisfied"].color, GRADE_BY_KEY["fairly_satisfied"].color]
    (line,) = _shapes(fig, "threshold")
    assert line.y0 == 80


def test_chinese_labels_by_default():
    fig = charts.run_chart(PERIODS, [84.0, 85.0, 86.0, 87.0], threshold=80)
    texts = {a.text for a in fig.layout.annotations if (a.name or "").startswith("band:")}
    assert "一般满意" in texts


def test_run_chart_shades_the_picked_period():
    fig = charts.run_chart(PERIODS, [84.0, 85.0, 86.0, 87.0], highlight="2025Q3")
    (shade,) = _shapes(fig, "highlight")
    assert (shade.x0, shade.x1, shade.xref) == (1.55, 2.45, "x")
    assert not _shapes(charts.run_chart(PERIODS, [84.0, 85.0, 86.0, 87.0], highlight="2030Q1"), "highlight")


def test_grade_bars_read_without_colour():
    """Each bar's band as a pattern and as its mark and name beside the label; user text escaped."""
    from csi_core.outputs.charts import GRADE_PATTERNS, grade_bars

    fig = grade_bars(["民用户", "<b>x</b>"], [84.25, 59.9], ["fairly_satisfied", "very_dissatisfied"], lang="en")
    bar = fig.data[0]
    assert list(bar.marker.pattern.shape) == [GRADE_PATTERNS["fairly_satisfied"], GRADE_PATTERNS["very_dissatisfied"]]
    assert len(set(GRADE_PATTERNS.values())) == 5  # five bands, five patterns
    assert list(bar.text) == ["84.3", "59.9"]  # half-up, as shown everywhere
    assert "●●●○○ fairly satisfied" in bar.y[0] and bar.y[1].startswith("&lt;b&gt;x&lt;/b&gt;<br>")
