"""pages/trends.py: run charts of the total, a segment, an item and a customer; falls listed."""
import math

import pytest

from csi_core import i18n
from csi_core.method import trends
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    app, core_results, demo_db, demo_file, navigation_mode, new_app, plotly_figures)


@pytest.fixture
def trends_page(app):
    app.switch_page("pages/trends.py").run()
    assert not app.exception
    return app


def _same(series, expected):
    assert len(series) == len(expected)
    for a, b in zip(series, expected):
        assert (a is None and math.isnan(b)) or a == pytest.approx(b)


def _falls_table(at):
    return at.table[0].value if at.table else None


def test_total_run_chart_with_bands_80_line_and_falls(trends_page):
    _, res = core_results()
    (fig,) = plotly_figures(trends_page)
    _same(fig["data"][0]["y"], trends.total_series(res))
    assert fig["data"][0]["x"] == list(res.periods)
    shapes = fig["layout"]["shapes"]
    assert any(s.get("name") == "threshold:80" for s in shapes)
    assert any(s.get("name", "").startswith("band:") for s in shapes)
    found = trends.falls(res.periods, trends.total_series(res))
    assert found, "the demo has falls in the total"
    table = _falls_table(trends_page)
    assert table["调查期"].tolist() == [f.period for f in found]
    assert table["上期"].tolist() == [f.previous_period for f in found]
    red = [p for p, c in zip(fig["data"][0]["x"], fig["data"][0]["marker"]["color"]) if c == "#d62828"]
    assert red == [f.period for f in found]


def test_segment_run_chart(trends_page):
    _, res = core_results()
    trends_page.button_group(key="t.kind").set_value("segment").run()
    trends_page.selectbox(key="t.segment").set_value("工商业户").run()
    (fig,) = plotly_figures(trends_page)
    _same(fig["data"][0]["y"], trends.segment_series(res, "工商业户"))
    assert "工商业户" in fig["layout"]["title"]["text"]


def test_item_run_chart_in_percent_with_the_70_line(trends_page):
    _, res = core_results()
    trends_page.button_group(key="t.kind").set_value("item").run()
    trends_page.selectbox(key="t.segment").set_value("工商业户").run()
    trends_page.selectbox(key="t.item").set_value("维修及时").run()
    (fig,) = plotly_figures(trends_page)
    series = trends.item_series(res, "工商业户", "维修及时")
    _same(fig["data"][0]["y"], series)
    assert any(s.get("name") == "threshold:70" for s in fig["layout"]["shapes"])
    assert min(series) <= 70.0  # the demo's story: repairs for commercial customers at or below 70 %
    found = trends.falls(res.periods, series)
    table = _falls_table(trends_page)
    assert (table is None and not found) or table["调查期"].tolist() == [f.period for f in found]


def test_customer_run_chart_from_a_searchable_picker(trends_page):
    counts, res = core_results()
    trends_page.button_group(key="t.kind").set_value("customer").run()
    picker = trends_page.selectbox(key="t.customer")
    labels = trends.customer_labels(counts)
    assert picker.options == labels
    k = labels.index("华东精密机械有限公司")
    picker.set_value(k).run()
    (fig,) = plotly_figures(trends_page)
    _same(fig["data"][0]["y"], trends.customer_series(counts, res, k))
    assert "华东精密机械有限公司" in fig["layout"]["title"]["text"]


def test_english(demo_db):
    at = new_app(lang="en").run()
    at.switch_page("pages/trends.py").run()
    assert at.title[0].value == "Run charts"
    assert at.button_group(key="t.kind").options == [i18n.t(f"trends.kind.{k}", "en") for k in
                                                     ("total", "segment", "item", "customer")]
    (fig,) = plotly_figures(at)
    assert "fairly satisfied" in {a.get("text") for a in fig["layout"]["annotations"]}
