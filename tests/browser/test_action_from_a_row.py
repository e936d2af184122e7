"""The real app at 1280×720 (a laptop on a projector): tick one flagged row, give the
action an owner and a due date, open it, and find it in the action log after a reload
(test-artifacts/actions-open-*.png)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import IDLE, goto, shot, wait_idle

SMALL = {"width": 1280, "height": 720}


@pytest.fixture
def base(streamlit_server) -> str:
    """A server of its own (the test writes actions), filled with the demo on first start."""
    return streamlit_server("app.py")


def test_open_an_action_for_one_flagged_row_and_find_it_after_a_reload(base, page):
    page.set_viewport_size(SMALL)
    goto(page, base, "actions")
    # the demo loads behind the first page: its periods appear in the sidebar when it is ready
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox")).to_be_visible(timeout=60000)
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.keyboard.type("2026Q1")
    page.get_by_role("option", name="2026Q1", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="纠正措施 · 2026Q1")).to_be_visible()
    shot(page, "actions-open-1280-before")
    grid = page.get_by_test_id("stDataFrame").first  # the items tab's flags
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the tick box of the first row
    wait_idle(page)
    expect(page.get_by_text("已选 1 项：题目 · ")).to_be_visible()
    page.get_by_label("责任人/部门").fill("质量部 王工")
    page.get_by_role("spinbutton", name="year, 完成期限").click()  # a date field: year, month, day
    page.keyboard.type("2026")
    page.get_by_role("spinbutton", name="month, 完成期限").click()
    page.keyboard.type("06")
    page.get_by_role("spinbutton", name="day, 完成期限").click()
    page.keyboard.type("30")
    button = page.get_by_role("button", name="建立措施（1 项）")
    button.scroll_into_view_if_needed()
    button.click()
    wait_idle(page)
    expect(page.get_by_text("已为 1 项建立措施")).to_be_visible()
    shot(page, "actions-open-1280-opened")

    page.reload()
    page.wait_for_selector(IDLE)
    wait_idle(page)
    expect(page.get_by_role("heading", name="纠正措施 · 2026Q1")).to_be_visible()
    log = page.get_by_test_id("stDataFrame").filter(has_text="质量部 王工")
    log.scroll_into_view_if_needed()
    # columns: row marker, subject, cause, measure, owner, due, status
    expect(log.get_by_test_id("glide-cell-1-0")).to_contain_text("题目 · ")
    expect(log.get_by_test_id("glide-cell-4-0")).to_have_text("质量部 王工")
    expect(log.get_by_test_id("glide-cell-5-0")).to_have_text("2026-06-30")  # drawn 2026年6月30日
    expect(log.get_by_test_id("glide-cell-6-0")).to_have_text("open")  # drawn 待处理
    # every column of the log is inside the 1280-wide window: nothing to scroll sideways
    right = page.evaluate("""(el) => {
        const scroller = el.querySelector('.dvn-scroller');
        return scroller ? scroller.scrollWidth - scroller.clientWidth : 0; }""", log.element_handle())
    assert right <= 2, f"the action log scrolls sideways by {right}px at 1280 wide"
    shot(page, "actions-open-1280-after-reload")

    # next period: the action is verified, its verdict beside the subject, no sideways scrolling
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.keyboard.type("2026Q2")  # the list is virtual: filter it to the option
    page.get_by_role("option", name="2026Q2", exact=True).click()
    wait_idle(page)
    verification = page.get_by_test_id("stDataFrame").filter(has_text="质量部 王工")
    verification.scroll_into_view_if_needed()
    expect(verification.get_by_test_id("glide-cell-1-0")).to_have_text(
        re.compile("^(已达标|有改善|未改善|下期无此数据)$"))
    right = page.evaluate("""(el) => {
        const scroller = el.querySelector('.dvn-scroller');
        return scroller ? scroller.scrollWidth - scroller.clientWidth : 0; }""", verification.element_handle())
    assert right <= 2, f"the verification scrolls sideways by {right}px at 1280 wide"
    shot(page, "actions-open-1280-verified")
