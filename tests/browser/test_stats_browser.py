"""The statistics in Chromium: the 95 % band, the control limits and the signals' list on
the run chart; the analysis page's map (screenshots test-artifacts/stats-*.png)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import goto, shot


@pytest.fixture(scope="module")
def base(streamlit_server) -> str:
    return streamlit_server("app.py")


def test_the_run_chart_draws_the_band_and_the_control_limits(base, page):
    goto(page, base, "trends")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart).to_be_visible(timeout=30000)  # the first chart of a fresh server loads plotly
    # the band is a filled area between the interval's bounds: plotly draws it as a fill path
    fill = chart.locator(".scatterlayer .js-fill")
    expect(fill.first).to_be_attached()
    assert fill.first.get_attribute("d"), "the band has no outline"
    expect(chart.get_by_text("中心线", exact=False).first).to_be_visible()
    expect(page.get_by_text("控制限（XmR）", exact=False)).to_be_visible()
    expect(page.get_by_text("控制图信号", exact=False)).to_be_visible()
    shot(page, "stats-trends-zh")


def test_the_analysis_page_shows_the_map(base, page):
    goto(page, base, "analysis?lang=en")
    expect(page.get_by_role("heading", name="Importance–performance map")).to_be_visible()
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart.locator(".legendtext", has_text="concentrate here")).to_be_visible()
    shot(page, "stats-analysis-en")
