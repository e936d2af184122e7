"""The meeting in Chromium: presented with the keyboard (→ / PageDown forward, ← / PageUp
back, what a presentation clicker sends) from the first point to the last, a decision
recorded on the last point (arrow keys inside the text box stay in the text box), the
meeting closed; screenshots at 1920×1080 and 1280×720 (test-artifacts/meeting-*.png)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from csi_core import i18n
from tests.browser.helpers import goto, shot, wait_idle

TITLES = [i18n.t(f"meeting.point.{k}", "zh") for k in ("total", "segments", "items", "customers", "decisions")]


def label(n: int) -> str:
    return f"{i18n.t('meeting.point_of', 'zh', n=n, total=len(TITLES))} · {TITLES[n - 1]}"


@pytest.fixture(scope="module")
def base(streamlit_server) -> str:
    return streamlit_server("app.py")  # a fresh database: the demo's eight quarters


def charts_drawn(page) -> None:
    """Wait until the point's plotly charts have drawn (for the screenshots)."""
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(state="visible")
    page.wait_for_timeout(300)


def press(page, key: str) -> None:
    page.locator("body").press(key)
    wait_idle(page)


def test_present_with_the_keyboard_and_record_a_decision(base, page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    goto(page, base, "meeting")
    page.get_by_role("button", name=i18n.t("meeting.start", "zh", period="2026Q4")).click()
    wait_idle(page)
    point = page.locator("#meeting-point")
    expect(point).to_have_text(label(1))
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator("#meeting-footer")).to_contain_text("2026Q4 · 客户类型权重：民用户 60.0 %")
    charts_drawn(page)  # the run chart
    shot(page, "meeting-1920-point1", full_page=False)
    for n, key in zip(range(2, len(TITLES) + 1), ("ArrowRight", "PageDown", "ArrowRight", "PageDown")):
        press(page, key)
        expect(point).to_have_text(label(n))
        expect(page.locator("#meeting-footer")).to_contain_text("2026Q4")
        if n == 2:
            charts_drawn(page)
            shot(page, "meeting-1920-point2", full_page=False)
    press(page, "ArrowRight")  # past the last point: stays there
    expect(point).to_have_text(label(len(TITLES)))
    press(page, "PageUp")
    expect(point).to_have_text(label(len(TITLES) - 1))
    press(page, "ArrowRight")
    expect(point).to_have_text(label(len(TITLES)))

    page.get_by_text(i18n.t("meeting.record", "zh")).click()
    box = page.get_by_role("textbox", name=i18n.t("meeting.decision", "zh"), exact=True)
    box.fill("下季度对工商业户开展满意度回访")
    box.press("ArrowLeft")  # moves the caret, not the meeting
    page.get_by_role("button", name=i18n.t("meeting.save_decision", "zh")).click()
    wait_idle(page)
    expect(point).to_have_text(label(len(TITLES)))
    expect(page.get_by_role("table").first).to_contain_text("下季度对工商业户开展满意度回访")
    shot(page, "meeting-1920-decisions")

    page.get_by_role("button", name=i18n.t("meeting.close", "zh")).click()
    wait_idle(page)
    expect(page.get_by_text(i18n.t("meeting.closed", "zh", id=1))).to_be_visible()
    expect(point).to_have_text(label(1))  # the kept review, from its first point

    page.set_viewport_size({"width": 1280, "height": 720})
    charts_drawn(page)
    shot(page, "meeting-1280-point1", full_page=False)
    press(page, "ArrowRight")
    charts_drawn(page)
    shot(page, "meeting-1280-point2", full_page=False)
    expect(point).to_have_text(label(2))


def test_the_pack_downloads_from_the_page(base, page, tmp_path):
    goto(page, base, "meeting")
    page.get_by_role("button", name=i18n.t("meeting.start", "zh", period="2026Q4")).click()
    wait_idle(page)
    with page.expect_download() as got:
        page.get_by_role("button", name=i18n.t("meeting.pack", "zh")).click()
    path = tmp_path / "pack.pptx"
    got.value.save_as(path)
    from pptx import Presentation

    deck = Presentation(str(path))
    assert len(deck.slides) == 1 + len(TITLES)
