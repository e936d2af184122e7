"""The real app in Chromium: the overview's CSI is csi_core's, a slider move changes the
total at once, the run charts draw; screenshots of every page in Chinese and English
(test-artifacts/dashboard-*.png, 1600×1000)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from csi_core.method import csi
from csi_core.method.grades import round_half_up
from csi_core.store.db import Store
from tests.browser.helpers import IDLE, goto, shot, slider, wait_idle

ROOT = Path(__file__).resolve().parents[2]
PAGES = [("overview", ""), ("upload", "upload"), ("weights", "weights"), ("trends", "trends"),
         ("actions", "actions"), ("data", "data"), ("report", "report")]


@pytest.fixture(scope="module")
def base(streamlit_server) -> str:
    """One server for the module; it fills its empty database with the demo on first start."""
    return streamlit_server("app.py")


@pytest.fixture(scope="module")
def demo():
    """csi_core on the demo data with the demo's weights, as the app stores them."""
    from csi_core.workspaces import install_demo

    store = Store.open(":memory:")
    install_demo(store)
    counts = store.counts()
    weights = store.get_setting("segment_weights")
    store.close()
    return counts, weights


def _total(counts, weights, period="2026Q4") -> str:
    res = csi.compute(counts, csi.Weights(weights))
    return f"{round_half_up(res.total[res.period_index(period)]):.1f}"


def _switch_language(page, label: str) -> None:
    page.get_by_role("radio", name=label, exact=True).click()
    wait_idle(page)


def test_overview_shows_the_csi_of_csi_core(base, page, demo):
    counts, weights = demo
    goto(page, base)
    expect(page.locator("#csi-total")).to_have_text(_total(counts, weights))
    expect(page.get_by_role("heading", name="总览 · 2026Q4")).to_be_visible()
    shot(page, "dashboard-overview-zh")
    _switch_language(page, "English")
    expect(page.get_by_role("heading", name="Overview · 2026Q4")).to_be_visible()
    expect(page.locator("#csi-total")).to_have_text(_total(counts, weights))
    shot(page, "dashboard-overview-en")


_SHOWN_JS = """([want, t0]) => {
  const el = document.querySelector('#csi-total');
  if (el && el.textContent === want) { window.__shownAt = window.__shownAt || performance.now(); return true; }
  return false;
}"""


def test_weights_slider_moves_the_total_at_once(base, page, demo):
    """Each key press on a segment slider shows the new total. The time from the press to
    the new number on screen is printed for the record, not asserted: speed is measured
    in bench/browser.py, never in a timed test."""
    counts, weights = demo
    goto(page, base, "weights")
    total = page.locator("#csi-total")
    expect(total).to_have_text(_total(counts, weights))
    shot(page, "dashboard-weights-zh")
    thumb = slider(page, "公福用户")
    thumb.focus()
    moved = dict(weights)
    timings = []
    for key, change in [("PageUp", +10)] * 4 + [("PageDown", -10)] * 3:
        moved["公福用户"] += change
        want = _total(counts, moved)
        assert want != total.text_content()  # every step changes the shown total
        page.evaluate("() => { window.__shownAt = 0; window.__pressedAt = performance.now(); }")
        page.keyboard.press(key)
        page.wait_for_function(_SHOWN_JS, arg=[want, 0], polling="raf", timeout=5000)
        timings.append(page.evaluate("() => window.__shownAt - window.__pressedAt"))
        expect(thumb).to_have_value(str(moved["公福用户"]))
        wait_idle(page, grace_ms=200)
    timings.sort()
    median = timings[len(timings) // 2]
    print(f"slider move → new total on screen: median {median:.0f} ms, max {timings[-1]:.0f} ms "
          f"({', '.join(f'{t:.0f}' for t in timings)})")
    assert "sw=" in page.url  # the link follows every move: it can be shared as it is
    shot(page, "dashboard-weights-moved-zh")


def test_weights_share_link_opens_the_same_numbers(base, page, demo):
    counts, weights = demo
    goto(page, base, "weights?sw=民用户:20,工商业户:70,公福用户:10&lang=en")
    expect(page.locator("#csi-total")).to_have_text(_total(counts, {"民用户": 20, "工商业户": 70, "公福用户": 10}))
    expect(slider(page, "工商业户")).to_have_value("70")
    shot(page, "dashboard-weights-en")


def test_run_charts_draw(base, page):
    goto(page, base, "trends")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart).to_be_visible()
    expect(chart.locator(".scatterlayer .trace").first).to_be_attached()
    shot(page, "dashboard-trends-zh")
    page.get_by_role("radio", name="客户", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("客户（可输入搜索）")).to_be_visible()
    shot(page, "dashboard-trends-customer-zh")
    goto(page, base, "trends?lang=en")
    expect(page.get_by_role("heading", name="Run charts")).to_be_visible()
    shot(page, "dashboard-trends-en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_screenshot(base, page, lang):
    for name, path in PAGES:
        if not (ROOT / "pages" / f"{name}.py").exists():
            continue
        goto(page, base, f"{path}?lang={lang}")
        page.wait_for_selector(IDLE)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        shot(page, f"dashboard-page-{name}-{lang}")
