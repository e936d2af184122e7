"""The PDF a managing director reads: the 8-quarter, 3-segment demo survey gives a
management summary of at most 6 pages; the appendix adds the detail; no heading is left
at the foot of a page and no page holds a line or two alone."""
import re

import pytest

from csi_core import demo, i18n
from csi_core.method import actions, csi
from csi_core.outputs import report, report_pdf, report_tables
from csi_core.store import ingest
from csi_core.store.db import Store
from tests import pdftext


@pytest.fixture(scope="module")
def demo_store():
    """The demo with every flag of its last three quarters given an action (the log a team
    has after "create for all")."""
    s = Store.open(":memory:")
    assert ingest.ingest(s, demo.demo_bytes(), "demo.xlsx").ok
    counts = s.counts()
    assert (len(counts.periods), len(counts.segments)) == (8, 3)
    results = csi.compute(counts, report.stored_weights(s, counts))
    for period in counts.periods[-3:]:
        p = results.period_index(period)
        for a in actions.missing_actions(actions.flags(results, p, csi.customer_csi(counts, results, p)), s.actions()):
            s.save_action({**a, "owner": "客服部", "cause": "高峰期热线占线", "measure": "增加坐席，错峰排班",
                           "due": "2026-06-30", "status": "in_progress"})
    yield s
    s.close()


@pytest.fixture(scope="module")
def pdfs(demo_store):
    rep = {lang: report.build(demo_store, None, lang) for lang in ("zh", "en")}
    return {("zh", False): report_pdf.write(rep["zh"]), ("zh", True): report_pdf.write(rep["zh"], appendix=True),
            ("en", True): report_pdf.write(rep["en"], appendix=True)}


def pages(data: bytes) -> list[list[str]]:
    """Each page's text lines, without the running title and the page number."""
    out = []
    for page in pdftext.pages(data):
        lines = [re.sub(r"\s+", " ", line).strip() for line in page.splitlines()]
        lines = [line for line in lines if line and not re.fullmatch(r"\d+ / \d+", line)]
        out.append(lines)
    return out


def headings(lang: str) -> set[str]:
    keys = [k for k in i18n.STRINGS if k.startswith(("report.section.", "report.title."))]
    found = {i18n.t(k, lang, previous="2026Q3") for k in keys if "{previous}" in i18n.STRINGS[k][lang]}
    found |= {i18n.t(k, lang) for k in [*keys, "report.chart.csi", "report.appendix"] if "{" not in i18n.STRINGS[k][lang]}
    return {re.sub(r"\s+", " ", h) for h in found}


def test_the_summary_has_at_most_six_pages_and_the_appendix_more(pdfs):
    summary, appendix = len(pages(pdfs[("zh", False)])), len(pages(pdfs[("zh", True)]))
    assert 2 <= summary <= 6
    assert appendix > summary + 3


@pytest.mark.parametrize("key", [("zh", False), ("zh", True), ("en", True)])
def test_no_heading_or_line_is_left_alone(pdfs, key):
    titles = headings(key[0])
    for n, lines in enumerate(pages(pdfs[key]), start=1):
        body = lines[1:] if n > 1 else lines  # the running title of pages after the first
        assert len(body) >= 5, (n, body)  # a section, never a line or two
        assert body[-1] not in titles, (n, body[-1])


def test_the_summary_leaves_customer_detail_to_the_appendix(pdfs, demo_store):
    text = "".join("".join(p) for p in pages(pdfs[("zh", False)])).replace(" ", "")
    full = "".join("".join(p) for p in pages(pdfs[("zh", True)])).replace(" ", "")
    assert "客户题目·" not in text and "客户题目·" in full
    assert i18n.t("report.section.log", "zh") not in text and i18n.t("report.section.log", "zh") in full
    assert "明细见Excel报告或含附录的PDF" in text


def recorded(rep):
    """A report PDF whose table pieces are recorded as (page, first row, rows)."""
    pdf = report_pdf._pdf_class()(rep)
    pieces = []
    draw = pdf.draw

    def logged(table, widths, start, stop):
        pieces.append((pdf.page_no(), start, stop - start))
        return draw(table, widths, start, stop)
    pdf.draw = logged
    return pdf, pieces


@pytest.mark.parametrize("room", [2, 28, 29])
def test_a_table_never_leaves_one_or_two_rows_alone(demo_store, room):
    """30 rows with room for ``room`` of them on this page: 28 or 29 would leave one or two
    alone, so the break moves up and three go over together; with room for two only, the
    whole table starts on the next page."""
    pdf, pieces = recorded(report.build(demo_store, None, "en"))
    table = report_tables.Table(["a", "b"], [["x", str(k)] for k in range(30)], [None] * 30)
    widths = (50, 50)
    row, head = pdf.row_height(table.rows[0], widths), pdf.row_height(table.header, widths)
    pdf.set_y(pdf.page_break_trigger - head - room * row - 0.01)
    pdf.rows(table, widths, head, [row] * 30)
    assert sum(n for _, _, n in pieces) == 30
    assert pieces == ([(2, 0, 30)] if room == 2 else [(1, 0, 27), (2, 27, 3)])


def test_a_heading_goes_over_with_its_first_rows(demo_store):
    rep = report.build(demo_store, None, "en")
    pdf, pieces = recorded(rep)
    table = report_tables.segments_table(rep)
    pdf.set_y(pdf.page_break_trigger - 20)  # room for the heading, not for its table
    pdf.table_section("Segments", table, report_pdf.WIDTHS["segments"])
    assert pieces == [(2, 0, len(table))]
    assert "Segments" in pages(bytes(pdf.output()))[1][1]
