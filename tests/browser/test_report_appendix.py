"""The report page in Chromium: a manager ticks "PDF with appendix", makes the PDF and
downloads it; the file is the longer PDF, the summary stays a tick away
(test-artifacts/report-appendix.png, 1280×720)."""
from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.helpers import goto, shot, wait_idle


@pytest.fixture
def base(streamlit_server) -> str:
    return streamlit_server("app.py")


def download_pdf(page) -> bytes:
    page.get_by_role("button", name="生成 PDF 报告").click()
    wait_idle(page, timeout=90000)
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 PDF 报告").click()
    assert info.value.suggested_filename == "csi_report_2026Q4_zh.pdf"
    return open(info.value.path(), "rb").read()


def test_the_appendix_is_a_tick_on_the_report_page(base, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    goto(page, base, "report")
    summary = download_pdf(page)
    tick = page.get_by_text("PDF 含附录")
    expect(tick).to_be_visible()
    tick.click()
    wait_idle(page)
    shot(page, "report-appendix", full_page=False)
    full = download_pdf(page)
    assert 2 <= len(PdfReader(io.BytesIO(summary)).pages) <= 6
    assert len(PdfReader(io.BytesIO(full)).pages) > len(PdfReader(io.BytesIO(summary)).pages)
