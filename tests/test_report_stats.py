"""The meeting report's statistics in each format: intervals, significance and the map,
read back from the PDF's text, the HTML's tables and the workbook's cells, and compared
with tests/data/golden_basic.json (intervals from tests/reference.py, the slow way)."""
import io

import openpyxl
import pytest

from csi_core.outputs import report_html, report_xlsx
from tests.test_report import (  # noqa: F401 (fixtures)
    Q1, Q2, Sections, golden_store, r1, rep_zh)


@pytest.fixture(scope="module")
def html(rep_zh):
    return report_html.write(rep_zh, charts=True)


@pytest.fixture(scope="module")
def page(html):
    return Sections(html)


def _delta(value: float) -> str:
    text = r1(value)
    return text if text.startswith("-") else "+" + text


def test_html_lists_intervals_and_significance(page):
    rows = page.rows["statistics"]
    assert rows[0][:3] == ["对象", "得分", "95% 区间"]
    total = rows[1]
    lo, hi = Q2["ci95"]
    change = Q2["change"]
    assert total[:3] == ["总体 CSI", r1(Q2["csi"]), f"{r1(lo)} – {r1(hi)}"]
    assert total[4] == f"{_delta(change['ci95'][0])} – {_delta(change['ci95'][1])}"
    assert total[5] == ("◆ 显著" if change["significant"] else "○ 在抽样误差内")
    for row in rows[2:]:
        seg = Q2["segments"][row[0]]
        assert row[1:3] == [r1(seg["csi"]), f"{r1(seg['ci95'][0])} – {r1(seg['ci95'][1])}"]
    assert "控制限" in page.text["statistics"] and "不足 5 期" in page.text["statistics"]  # two periods only


def test_html_says_whether_each_flagged_item_fell_significantly(page):
    fell = {row[0]: row for row in page.rows["falls"][1:]}
    # 工商业户 · 维修及时 fell from Q1 to Q2 by far more than its interval: the golden file says significant
    change = Q2["segments"]["工商业户"]["items"]["维修及时"]["change"]
    assert change["significant"] is True
    row = fell["题目 · 工商业户 · 维修及时"]
    assert row[2] == _delta(100 * change["delta"]) and row[4] == "◆ 显著"


def test_html_has_the_importance_map(page, html):
    rows = page.rows["importance"]
    items = Q2["segments"]["民用户"]["items"]
    mine = {row[1].rstrip(" ◆"): row for row in rows[1:] if row[0] == "民用户"}
    assert set(mine) == set(items)
    for name, row in mine.items():
        assert row[3] == r1(100 * items[name]["importance"]["stated"]) + " %"
    assert 'alt="重要性–表现矩阵"' in html


def test_workbook_statistics_sheet_holds_numbers(rep_zh):
    wb = openpyxl.load_workbook(io.BytesIO(report_xlsx.write(rep_zh)))
    sheet = wb["统计"]
    total = [c.value for c in sheet[5]]
    assert total[0] == "总体 CSI"
    assert total[1:4] == [pytest.approx(Q2["csi"]), pytest.approx(Q2["ci95"][0]), pytest.approx(Q2["ci95"][1])]
    assert total[4] == pytest.approx(Q2["csi"] - Q1["csi"])
    assert total[5:7] == [pytest.approx(Q2["change"]["ci95"][0]), pytest.approx(Q2["change"]["ci95"][1])]
    assert len(sheet._images) == 1  # the map


def test_pdf_appendix_lists_intervals_and_significance(rep_zh):
    import re

    from csi_core.outputs import report_pdf
    from tests import pdftext
    text = re.sub(r"\s+", " ", " ".join(pdftext.pages(report_pdf.write(rep_zh, appendix=True))))
    lo, hi = Q2["ci95"]
    assert "95% 区间" in text and f"{r1(lo)} – {r1(hi)}" in text
    change = Q2["segments"]["工商业户"]["items"]["维修及时"]["change"]
    assert _delta(100 * change["delta"]) in text and "◆ 显著" in text
    # the summary (the pre-read) stays short: no statistics there
    assert "95% 区间" not in " ".join(pdftext.pages(report_pdf.write(rep_zh)))
