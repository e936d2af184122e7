"""The competitor section of the meeting report (Excel sheet, HTML section, PDF section)
on the workbook of tests/test_competitors_golden.py, with the company weights 70 : 30;
and no such section when the period has no competitor questionnaire."""
import io
from pathlib import Path

import openpyxl
import pytest

from csi_core.outputs import report, report_html, report_pdf, report_xlsx
from csi_core.store import ingest
from tests import pdftext

DATA = Path(__file__).parent / "data"


@pytest.fixture
def seeded(store):
    assert ingest.ingest(store, (DATA / "competitors.xlsx").read_bytes(), "competitors.xlsx").ok
    store.set_setting("segment_weights", {"民用户": 70, "工商业户": 30}, who="test")
    return store


def test_report_gathers_the_competitors_with_the_company_weights(seeded):
    rep = report.build(seeded, "2026Q1", lang="zh")
    assert rep.competitors["华润燃气"]["csi"] == pytest.approx(67.25)  # 0.7·57.5 + 0.3·90
    assert rep.competitors["港华燃气"]["csi"] == pytest.approx(100.0)
    assert report.build(seeded, "2026Q2", lang="zh").competitors == {}


def test_xlsx_has_a_competitor_sheet_with_numbers(seeded):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx.write(report.build(seeded, "2026Q1", lang="zh"))))
    assert "竞争对手" in book.sheetnames
    cells = [[c.value for c in row] for row in book["竞争对手"].iter_rows()]
    by_name = {row[0]: row for row in cells if row and row[0] in ("我们", "华润燃气", "港华燃气") and
               isinstance(row[1], float)}
    assert by_name["我们"][1] == pytest.approx(84.1666666667)
    assert by_name["华润燃气"][1] == pytest.approx(67.25) and by_name["华润燃气"][3] == 3
    assert by_name["华润燃气"][4] == pytest.approx(84.1666666667 - 67.25)
    items = [row for row in cells if row[0] == "华润燃气" and row[1] == "质量"]
    assert items[0][2] == pytest.approx(0.82) and items[0][4] == pytest.approx(100 * (0.82 - 2.3 / 3))
    later = openpyxl.load_workbook(io.BytesIO(report_xlsx.write(report.build(seeded, "2026Q2", lang="zh"))))
    assert "竞争对手" not in later.sheetnames


@pytest.mark.parametrize("lang,title", [("zh", "竞争对手比较"), ("en", "Competitor comparison")])
def test_html_has_the_competitor_section(seeded, lang, title):
    page = report_html.write(report.build(seeded, "2026Q1", lang=lang), charts=False)
    assert 'id="competitors"' in page and title in page
    assert "华润燃气" in page and "67.3" in page and "+5.3" in page
    assert ("少于程序要求的每次至少 10 份" if lang == "zh" else "minimum of 10") in page
    assert 'id="competitors"' not in report_html.write(report.build(seeded, "2026Q2", lang=lang), charts=False)


def test_pdf_summary_has_the_competitor_section(seeded):
    text = pdftext.squeezed(report_pdf.write(report.build(seeded, "2026Q1", lang="zh")))
    assert "竞争对手比较" in text and "华润燃气67.3" in text and "港华燃气100.0" in text
    assert "竞争对手比较" not in pdftext.squeezed(report_pdf.write(report.build(seeded, "2026Q2", lang="zh")))
