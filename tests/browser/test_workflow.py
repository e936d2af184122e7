"""The real app in Chromium, the quality manager's workflow: upload a workbook through the
file input, read the validation report, import, see the new period; create and edit a
corrective action and find it again after a reload; download the template and the
meeting report (test-artifacts/workflow-*.png, 1600×1000)."""
from __future__ import annotations

import io
import time

import openpyxl
import pytest
from playwright.sync_api import expect

from csi_core.method import csi
from csi_core import demo
from csi_core.method.grades import round_half_up
from csi_core.store.db import Store
from tests.browser.helpers import IDLE, goto, shot, stored_database, wait_idle
from tests.conftest import xlsx

HEADER = ["期间", "客户类型", "客户名称", "问卷编号", "燃气质量", "服务态度", "收费透明", "意见建议"]


@pytest.fixture
def base(streamlit_server) -> str:
    """A server of its own (imports change the data), filled with the demo on first start."""
    return streamlit_server("app.py")


@pytest.fixture
def stored(streamlit_server, tmp_path) -> str:
    """A server whose own database already holds a quarter's upload (the demo's file, #1)."""
    return streamlit_server("app.py", env={"CSI_DB": stored_database(tmp_path)})


def workbook(period: str, rows: int = 6) -> bytes:
    body = [[period, "民用户", "", f"{period}-{k}", "很满意", "较满意", "一般", "希望<b>加快</b>维修"] for k in range(rows)]
    body += [[period, "工商业户", "华东精密机械有限公司", f"{period}-x", "不满意", "满意", "很不满意", "=1+1"],
             [period, "民用户", "", f"{period}-0", "很满意", "较满意", "一般", "重复编号"]]  # a repeated id: invalid
    return xlsx([HEADER, *body])


def choose_file(page, name: str, data: bytes) -> None:
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
    wait_idle(page, timeout=60000)


def test_upload_report_import_and_the_new_period(stored, page):
    base = stored
    goto(page, base, "upload")
    expect(page.get_by_role("heading", name="上传调查数据")).to_be_visible()

    choose_file(page, "not-a-workbook.xlsx", b"just some text")
    expect(page.get_by_text("不能导入").first).to_be_visible()
    expect(page.get_by_role("button", name="导入", exact=True)).to_have_count(0)
    shot(page, "workflow-upload-refused")

    choose_file(page, "2027Q1.xlsx", workbook("2027Q1"))
    report = page.get_by_test_id("stMetric")
    expect(report.filter(has_text="读取问卷")).to_contain_text("8")
    expect(report.filter(has_text="有效问卷")).to_contain_text("7")
    expect(report.filter(has_text="无效问卷")).to_contain_text("1")
    expect(page.get_by_text("问卷编号重复: 1")).to_be_visible()
    expect(page.get_by_text("可以导入：7 份有效问卷，期间 2027Q1。")).to_be_visible()
    shot(page, "workflow-upload-report")

    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("已导入 8 份问卷（有效 7 份），期间 2027Q1")).to_be_visible(timeout=60000)
    wait_idle(page)
    shot(page, "workflow-upload-imported")
    # the new period is stored: the sidebar offers it, the history lists the file
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    expect(page.get_by_role("option", name="2027Q1")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("combobox", name="原始文件")).to_have_value("#2 · 2027Q1.xlsx")


def test_replacing_a_period_asks_first(stored, page):
    base = stored
    goto(page, base, "upload")
    choose_file(page, "2026Q4-again.xlsx", workbook("2026Q4"))
    expect(page.get_by_text("期间 2026Q4 已经导入过：导入本文件将替换它们")).to_be_visible()
    button = page.get_by_role("button", name="导入", exact=True)
    expect(button).to_be_disabled()
    shot(page, "workflow-upload-replace")
    page.get_by_text("我确认用本文件替换已导入的期间 2026Q4").click()
    wait_idle(page)
    expect(button).to_be_enabled()
    button.click()
    expect(page.get_by_text("已替换期间 2026Q4")).to_be_visible(timeout=60000)


def _editor_cell(page, grid, column: int, row: int):
    return grid.get_by_test_id(f"glide-cell-{column}-{row}")


def _select_cell(page, grid, column: int, row: int) -> None:
    """Click the grid's first column in `row`, then arrow to `column`, checking after
    every key which cell the grid reports as selected (aria-selected of its
    accessibility table): a key the busy browser drops cannot send the edit elsewhere."""
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 70, box["y"] + 35 + 17 + 35 * row)
    selected = grid.locator('[role="gridcell"][aria-selected="true"]')
    for _ in range(2 * column + 4):
        expect(selected).to_have_count(1)
        at = int(selected.get_attribute("aria-colindex"))
        if at == column:
            break
        page.keyboard.press("ArrowRight" if at < column else "ArrowLeft")
        expect(selected.and_(page.locator(f'[aria-colindex="{at}"]'))).to_have_count(0)
    expect(_editor_cell(page, grid, column, row)).to_have_attribute("aria-selected", "true")


def test_edit_an_action_and_find_it_after_a_reload(base, page):
    goto(page, base, "actions")
    page.get_by_role("button", name="创建占位措施").click()
    wait_idle(page)
    expect(page.get_by_text("已创建")).to_be_visible()
    # placeholders only: their editor is the expanded one, the last table on the page
    grid = page.get_by_test_id("stDataFrame").last
    grid.wait_for(state="visible")
    page.wait_for_timeout(500)
    grid.scroll_into_view_if_needed()
    # first data row, owner column (row marker, subject, cause, measure, owner)
    _select_cell(page, grid, 4, 0)
    page.keyboard.press("Enter")
    editor = page.locator("textarea.gdg-input").first
    editor.wait_for(state="visible", timeout=5000)
    editor.fill("质量部 王工")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("已保存 1 项修改")).to_be_visible()
    # no longer a placeholder: it moved up into the log
    log = page.get_by_test_id("stDataFrame").filter(has_text="质量部 王工")
    expect(_editor_cell(page, log, 4, 0)).to_have_text("质量部 王工")
    shot(page, "workflow-actions-edited")

    page.reload()
    page.wait_for_selector(IDLE)
    wait_idle(page)
    log = page.get_by_test_id("stDataFrame").filter(has_text="质量部 王工")
    expect(_editor_cell(page, log, 4, 0)).to_have_text("质量部 王工")
    expect(page.get_by_test_id("stMetric").filter(has_text="尚无措施")).to_contain_text("0")
    shot(page, "workflow-actions-after-reload")


def test_download_the_template_and_the_meeting_report(base, page, tmp_path):
    goto(page, base, "upload")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载问卷模板").click()
    template = openpyxl.load_workbook(io.BytesIO(_read(info.value)))
    headers = [c.value for c in template["responses"][1]]
    assert [name for name, _ in demo.ITEMS] == [h for h in headers if h in dict(demo.ITEMS)]

    goto(page, base, "report")
    expect(page.get_by_role("heading", name="管理评审报告 · 2026Q4")).to_be_visible()
    shot(page, "workflow-report")
    page.get_by_role("button", name="生成 Excel 报告").click()  # files are made when asked for
    wait_idle(page, timeout=60000)
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 Excel 报告").click()
    assert info.value.suggested_filename == "csi_report_2026Q4_zh.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(_read(info.value)))
    assert book.sheetnames[:2] == ["概要", "客户类型"]
    figures = {r[0]: r[1] for r in book["概要"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert f"{round_half_up(figures['总体 CSI']):.1f}" == _demo_total()

    page.get_by_role("button", name="生成 HTML 报告").click()
    wait_idle(page, timeout=60000)
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 HTML 报告").click()
    html = _read(info.value).decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "data:image/png;base64," in html

    page.get_by_role("button", name="生成 PDF 报告").click()
    wait_idle(page, timeout=60000)
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 PDF 报告").click()
    assert _read(info.value).startswith(b"%PDF")


def test_data_page_lists_invalid_questionnaires(base, page):
    goto(page, base, "data")
    expect(page.get_by_role("heading", name="问卷数据")).to_be_visible()
    page.get_by_role("tab", name="无效问卷及原因").click()
    wait_idle(page)
    expect(page.get_by_text("问卷编号重复:").first).to_be_visible()
    shot(page, "workflow-data-invalid")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 CSV").filter(visible=True).click()
    assert _read(info.value).decode("utf-8-sig").splitlines()[0].startswith("期间,客户类型")


@pytest.mark.parametrize("path", ["upload", "actions", "data", "report"])
def test_screens_in_english(base, page, path):
    goto(page, base, path)
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English", exact=True).click()
    wait_idle(page)
    expect(page.locator(".stException")).to_have_count(0)
    shot(page, f"workflow-{path}-en")


@pytest.mark.slow
def test_a_100_000_row_workbook_is_checked_and_its_report_survives_a_rerun(base, page):
    """The times are printed for the record; speed is asserted only in bench/."""
    from bench.data import cached_workbook

    data = cached_workbook(100_000).read_bytes()
    goto(page, base, "upload")
    started = time.perf_counter()
    choose_file(page, "big.xlsx", data)
    report = page.get_by_test_id("stMetric").filter(has_text="读取问卷")
    expect(report).to_contain_text("100000", timeout=120000)
    first = time.perf_counter() - started
    # a click elsewhere on the page re-runs it: the report is still there (from the session's cache)
    started = time.perf_counter()
    page.get_by_text("导入选项").click()
    wait_idle(page)
    again = time.perf_counter() - started
    expect(report).to_contain_text("100000")
    expect(page.locator(".stException")).to_have_count(0)
    shot(page, "workflow-upload-100k")
    print(f"100k workbook: report after {first:.1f} s, rerun {again:.1f} s")


def _read(download) -> bytes:
    with open(download.path(), "rb") as f:
        return f.read()


def _demo_total() -> str:
    from csi_core.workspaces import install_demo

    store = Store.open(":memory:")
    install_demo(store)
    counts = store.counts()
    weights = store.get_setting("segment_weights")
    store.close()
    res = csi.compute(counts, csi.Weights(weights))
    return f"{round_half_up(res.total[res.period_index('2026Q4')]):.1f}"


def _select(page, combobox, option: str) -> None:
    """Choose an option of an st.selectbox (the list opens on click or, failing that, ArrowDown)."""
    wait_idle(page)
    combobox.click()
    listed = page.get_by_role("option", name=option, exact=True)
    try:
        listed.wait_for(state="visible", timeout=3000)
    except Exception:  # noqa: BLE001 — the popup closed again during a rerun
        combobox.focus()
        page.keyboard.press("ArrowDown")
    listed.click()
    wait_idle(page)


def _pick_period(page, period: str) -> None:
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=period, exact=True).click()
    wait_idle(page)


def test_flags_with_trends_and_next_period_verification(base, page):
    goto(page, base, "actions")
    _pick_period(page, "2026Q1")
    expect(page.get_by_role("heading", name="纠正措施 · 2026Q1")).to_be_visible()
    expect(page.get_by_test_id("stMetric").filter(has_text="≤70 % 的题目").first).to_contain_text("3")
    shot(page, "workflow-actions-flags")
    page.get_by_role("button", name="创建占位措施").click()
    wait_idle(page)
    _pick_period(page, "2026Q2")
    expect(page.get_by_role("heading", name="效果验证（下期得分对比）")).to_be_visible()
    # placeholders (nothing recorded) are counted, not verified
    expect(page.get_by_text("项往期占位措施（什么都没有记录）未列入验证")).to_be_visible()
    shot(page, "workflow-actions-verification")


def test_an_unknown_value_is_mapped_and_odd_headers_are_assigned(base, page):
    goto(page, base, "upload")
    rows = [["Quarter", "Kind", "燃气质量", "服务态度"], ["2027Q2", "民用户", "很满意", "棒"],
            ["2027Q2", "工商业户", "一般", "满意"]]
    choose_file(page, "odd.xlsx", xlsx(rows))
    expect(page.get_by_text("不能导入").first).to_be_visible()
    shot(page, "workflow-upload-odd-headers")
    _select(page, page.get_by_role("combobox", name="期间"), "Quarter")
    _select(page, page.get_by_role("combobox", name="客户类型"), "Kind")
    expect(page.get_by_text("“棒” 出现 1 次")).to_be_visible()
    _select(page, page.get_by_role("combobox", name="含义"), "很满意 (5)")
    wait_idle(page)
    expect(page.get_by_text("可以导入：2 份有效问卷，期间 2027Q2。")).to_be_visible()
    shot(page, "workflow-upload-mapped")


@pytest.mark.slow
def test_a_click_during_the_import_does_not_cut_it_short(stored, page):
    base = stored
    from bench.data import cached_workbook

    goto(page, base, "upload")
    choose_file(page, "big.xlsx", cached_workbook(100_000).read_bytes())
    expect(page.get_by_test_id("stMetric").filter(has_text="读取问卷")).to_contain_text("100000", timeout=120000)
    page.get_by_text("我确认用本文件替换已导入的期间").click()
    wait_idle(page)
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_test_id("stProgress")).to_be_visible(timeout=30000)
    shot(page, "workflow-upload-progress", full_page=False)
    # a click that re-runs the page while the import runs: the import goes on to its end
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English", exact=True).click()
    expect(page.get_by_text("Imported 100000 questionnaires")).to_be_visible(timeout=180000)
    wait_idle(page)
    shot(page, "workflow-upload-after-click")
    expect(page.get_by_role("combobox", name="Original file")).to_have_value("#2 · big.xlsx")
    goto(page, base, "data?lang=en")  # a new session: the language from the link
    page.get_by_role("tab", name="Counts").click()
    wait_idle(page)
    _select(page, page.get_by_role("combobox", name="Period", exact=True), "all periods")
    shot(page, "workflow-data-after-big-import")
