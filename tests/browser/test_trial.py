"""The trial of issue 9 in Chromium, as a new user does it: a fresh database opens on the
demo (a banner says so), the user imports 8 quarters of their own whose segments carry the
demo's names, and the overview shows their total with equal weights and says so; no demo
period is left in the period picker. Then the what-if item slider, moved by keyboard,
loses no key press. Screenshots at 1600×1000 and 1280×720 (test-artifacts/firstquarter-*.png).
Expected numbers come from tests/reference.py."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import reference
from tests.browser.helpers import goto, shot, slider, wait_idle
from tests.trial_workbook import PERIODS, trial_bytes


SHOWN_JS = """(inner) => {
  const el = document.querySelector('[data-testid="stFileUploaderDropzone"] ' + inner);
  return [getComputedStyle(el).fontSize, getComputedStyle(el, '::after').content];
}"""


@pytest.fixture(scope="module")
def expected_total(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("trial") / "trial.xlsx"
    path.write_bytes(trial_bytes())
    latest = reference.compute(str(path))["periods"][PERIODS[-1]]["csi"]  # equal segment weights
    return f"{reference.half_up(latest):.1f}"


def test_fresh_database_demo_then_the_users_own_quarters(streamlit_server, page, expected_total):
    base = streamlit_server("app.py")
    goto(page, base)
    banner = page.locator("#demo-banner")
    expect(banner).to_be_visible(timeout=60000)  # the demo loads behind the first page
    expect(page.get_by_role("heading", name="总览 · 2026Q4")).to_be_visible()
    shot(page, "firstquarter-demo-1600")

    goto(page, base, "upload")
    expect(banner).to_be_visible()  # every page says so
    # what the uploader shows: the page's words drawn over Streamlit's English ones (CSS)
    assert page.evaluate(SHOWN_JS, 'button [data-testid="stMarkdownContainer"] p') == ["0px", '"选择文件"']
    assert page.evaluate(SHOWN_JS, '[data-testid="stFileUploaderDropzoneInstructions"] span') == [
        "0px", '"可把 .xlsx 文件拖到这里 · 单个文件不超过 300 MB"']
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "our-8-quarters.xlsx", "mimeType": "application/octet-stream", "buffer": trial_bytes()}])
    wait_idle(page, timeout=60000)
    expect(page.get_by_text("没有公司权重：总体 CSI 将按类型等权计算")).to_be_visible()
    shot(page, "firstquarter-upload-1600")
    page.get_by_role("button", name="导入", exact=True).click()
    wait_idle(page, timeout=60000)
    expect(page.get_by_text("已导入 288 份问卷")).to_be_visible()
    expect(banner).to_have_count(0)

    goto(page, base)
    expect(page.get_by_role("heading", name=f"总览 · {PERIODS[-1]}")).to_be_visible()
    expect(page.locator("#csi-total")).to_have_text(expected_total)  # 73.1; the demo's 60/30/10 gave 70.3
    expect(page.locator("#weights-used")).to_contain_text("（等权：未设定公司权重）")
    picker = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox")
    picker.click()
    options = page.get_by_role("option")
    expect(options).to_have_count(len(PERIODS))
    assert sorted(options.all_inner_texts()) == list(PERIODS)  # no demo period among them
    page.keyboard.press("Escape")
    wait_idle(page)
    shot(page, "firstquarter-overview-1600")
    page.set_viewport_size({"width": 1280, "height": 720})
    shot(page, "firstquarter-overview-1280")

    # the what-if page: an item slider moves one point a key press, and no press is lost
    goto(page, base, "weights")
    page.get_by_test_id("stButtonGroup").get_by_text("民用户", exact=True).click()
    wait_idle(page)
    thumb = slider(page, "燃气质量")
    start = int(thumb.input_value())
    thumb.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")  # quickly, without waiting for the reruns
    wait_idle(page, timeout=30000)
    page.wait_for_timeout(1500)
    wait_idle(page)
    expect(thumb).to_have_value(str(start + 5))
    shot(page, "firstquarter-weights-1280")
