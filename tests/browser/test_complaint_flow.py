"""The real app: record a complaint on the 投诉 page, take it to its closed date, and find
it in the quarterly analysis (test-artifacts/complaints-*.png)."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import goto, shot, wait_idle


@pytest.fixture
def base(streamlit_server) -> str:
    return streamlit_server("app.py")


def _choose(page, scope, label: str, option: str) -> None:
    scope.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.keyboard.type(option)  # the list is virtual: filter it to the option
    page.get_by_role("option", name=option, exact=True).click()


def test_record_close_and_analyse_a_complaint(base, page):
    goto(page, base, "complaints")
    expect(page.get_by_role("heading", name="客户投诉")).to_be_visible(timeout=60000)
    # the demo loads behind the first page: record once it is shown (its period in the sidebar)
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox")).to_be_visible(timeout=60000)
    wait_idle(page)
    form = page.get_by_test_id("stForm").filter(has_text="保存投诉")
    form.get_by_label("客户", exact=True).fill("华东精密机械有限公司")
    _choose(page, form, "投诉类型", "服务质量")
    form.get_by_label("投诉内容").fill("维修人员未按约定时间上门")
    form.get_by_role("button", name="保存投诉").click()
    wait_idle(page)
    expect(page.get_by_text("已保存投诉 1。")).to_be_visible()
    shot(page, "complaints-recorded")

    page.get_by_role("tab", name="投诉台账").click()
    edit = page.get_by_test_id("stForm").filter(has_text="保存处理进度")
    _choose(page, edit, "处理步骤", "8 总结评价")
    _choose(page, edit, "是否成立", "成立")
    edit.get_by_label("责任部门").fill("客服部")
    today = dt.date.today()
    edit.get_by_role("spinbutton", name="year, 结案日期").click()
    page.keyboard.type(f"{today.year}")
    edit.get_by_role("spinbutton", name="month, 结案日期").click()
    page.keyboard.type(f"{today.month:02d}")
    edit.get_by_role("spinbutton", name="day, 结案日期").click()
    page.keyboard.type(f"{today.day:02d}")
    edit.get_by_role("button", name="保存处理进度").click()
    wait_idle(page)
    expect(page.get_by_text("已更新投诉 1。")).to_be_visible()
    page.get_by_role("tab", name="投诉台账").click()
    shot(page, "complaints-closed")

    page.get_by_role("tab", name="季度分析").click()
    quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    _choose(page, page, "季度", quarter)
    wait_idle(page)
    page.get_by_role("tab", name="季度分析").click()
    metric = page.get_by_test_id("stMetric")
    expect(metric.filter(has_text="投诉").first).to_contain_text("1")
    expect(metric.filter(has_text="未结案")).to_contain_text("0")
    expect(metric.filter(has_text="成立比例")).to_contain_text("100.0 %")
    expect(metric.filter(has_text="结案天数中位数")).to_contain_text("0.0")
    shot(page, "complaints-analysis")
