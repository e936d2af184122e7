"""pages/trends.py: run charts of the total, a segment, an item and a customer; falls listed.
The expected series are the independent reference's (tests/demo_expected.py)."""
import math

import pytest

from csi_core import i18n
from tests import demo_expected as expected
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    app, demo_db, demo_file, navigation_mode, new_app, plotly_figures)


@pytest.fixture
def trends_page(app):
    app.switch_page("pages/trends.py").run()
    assert not app.exception
    return app


def _same(series, expected):
    assert len(series) == len(expected)
    for a, b in zip(series, expected):
        assert (a is None and math.isnan(b)) or a == pytest.approx(b, abs=1e-9)


def _falls_table(at):
    return at.table[0].value if at.table else None


def test_total_run_chart_with_bands_80_line_and_falls(trends_page):
    (fig,) = plotly_figures(trends_page)
    _same(fig["data"][0]["y"], expected.TOTAL)
    assert fig["data"][0]["x"] == expected.PERIODS
    shapes = fig["layout"]["shapes"]
    assert any(s.get("name") == "threshold:80" for s in shapes)
    assert any(s.get("name", "").startswith("band:") for s in shapes)
    table = _falls_table(trends_page)
    assert table["调查期"].tolist() == [p for p, _ in expected.TOTAL_FALLS]
    assert table["上期"].tolist() == [q for _, q in expected.TOTAL_FALLS]
    red = [p for p, c in zip(fig["data"][0]["x"], fig["data"][0]["marker"]["color"]) if c == "#d62828"]
    assert red == [p for p, _ in expected.TOTAL_FALLS]


def test_segment_run_chart(trends_page):
    trends_page.button_group(key="t.kind").set_value("segment").run()
    trends_page.selectbox(key="t.segment").set_value("工商业户").run()
    (fig,) = plotly_figures(trends_page)
    _same(fig["data"][0]["y"], expected.COMMERCIAL)
    assert "工商业户" in fig["layout"]["title"]["text"]


def test_item_run_chart_in_percent_with_the_70_line(trends_page):
    trends_page.button_group(key="t.kind").set_value("item").run()
    trends_page.selectbox(key="t.segment").set_value("工商业户").run()
    trends_page.selectbox(key="t.item").set_value("维修及时").run()
    (fig,) = plotly_figures(trends_page)
    _same(fig["data"][0]["y"], expected.COMMERCIAL_REPAIRS)
    assert any(s.get("name") == "threshold:70" for s in fig["layout"]["shapes"])
    table = _falls_table(trends_page)
    assert table["调查期"].tolist() == [p for p, _ in expected.COMMERCIAL_REPAIRS_FALLS]


def test_customer_run_chart_from_a_searchable_picker(trends_page):
    trends_page.button_group(key="t.kind").set_value("customer").run()
    picker = trends_page.selectbox(key="t.customer")
    k = next(i for i, label in enumerate(picker.options) if "华东精密机械有限公司" in label)
    picker.set_value(k).run()
    (fig,) = plotly_figures(trends_page)
    _same(fig["data"][0]["y"], expected.HUADONG)
    assert "华东精密机械有限公司" in fig["layout"]["title"]["text"]


def test_english(demo_db):
    at = new_app(lang="en").run()
    at.switch_page("pages/trends.py").run()
    assert at.title[0].value == "Run charts"
    assert at.button_group(key="t.kind").options == [i18n.t(f"trends.kind.{k}", "en") for k in
                                                     ("total", "segment", "item", "customer")]
    (fig,) = plotly_figures(at)
    assert "fairly satisfied" in {a.get("text") for a in fig["layout"]["annotations"]}
