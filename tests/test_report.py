"""csi_core.outputs.report: the meeting report's numbers are csi_core's, in Excel, HTML and PDF."""
import io
import re
import zipfile

import numpy as np
import openpyxl
import pytest

from csi_core.method import actions
from csi_core.method import csi
from csi_core import demo
from csi_core.store import ingest
from csi_core.outputs import report
from csi_core.method.grades import item_needs_action
from csi_core.store.db import Store

PERIOD = "2026Q1"


def same(value):
    """Excel keeps 15–16 significant digits (xlsxwriter writes %.16g): equal to that."""
    return pytest.approx(float(value), rel=1e-14, abs=1e-14)


@pytest.fixture(scope="module")
def demo_store():
    s = Store.open(":memory:")
    assert ingest.ingest(s, demo.demo_bytes(), "demo.xlsx").ok
    s.set_setting("segment_weights", {"民用户": 60, "工商业户": 30, "公福用户": 10})
    counts = s.counts()
    results = csi.compute(counts, report.stored_weights(s, counts))
    for period in ("2025Q4", PERIOD):
        p = results.period_index(period)
        for a in actions.missing_actions(actions.flags(results, p, csi.customer_csi(counts, results, p)), s.actions()):
            s.save_action({**a, "owner": "客服部", "cause": "<b>人手不足</b>", "status": "in_progress"})
    yield s
    s.close()


@pytest.fixture(scope="module")
def computed(demo_store):
    counts = demo_store.counts()
    results = csi.compute(counts, report.stored_weights(demo_store, counts))
    p = results.period_index(PERIOD)
    return counts, results, p, csi.customer_csi(counts, results, p)


@pytest.fixture(scope="module")
def book(demo_store):
    data = report.report_xlsx(demo_store, PERIOD, "en")
    return data, openpyxl.load_workbook(io.BytesIO(data))


def rows_of(sheet, header_row: int = 3):
    header = [c.value for c in sheet[header_row]]
    out = []
    for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if row[0] is None:
            break
        out.append(dict(zip(header, row)))
    return out


def test_sheets(book):
    _, wb = book
    assert wb.sheetnames == ["Summary", "Segments", "Items", "Customers", "Actions", "Run charts", "Notes", "Comments"]


def test_summary_numbers_are_csi_cores(book, computed):
    _, wb = book
    counts, results, p, _ = computed
    figures = {r[0]: r[1:] for r in wb["Summary"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert figures["total CSI"][0] == same(results.total[p])
    assert figures["previous period's CSI"][0] == same(results.total[p - 1])
    assert figures["returned"][0] == results.returned[p].sum()
    assert figures["valid"][0] == results.valid[p].sum()
    assert figures["response rate"][0] == pytest.approx(results.returned[p].sum() / counts.sent[p])
    assert figures["response rate"][1] == 0.95
    assert figures["grade"][0] == "fairly satisfied"


def test_segments_and_items_equal_csi_core(book, computed):
    _, wb = book
    _, results, p, _ = computed
    for row in rows_of(wb["Segments"]):
        s = results.segments.index(row["segment"])
        assert row["CSI"] == same(results.segment_csi[p, s])
        assert row["weight"] == same(results.segment_weight[p, s])
    items = rows_of(wb["Items"])
    assert len(items) == int((results.item_n[p] > 0).sum())
    for row in items:
        s, i = results.segments.index(row["segment"]), results.items.index(row["item"])
        assert row["score"] == same(results.item_score[p, s, i])
        assert row["weight"] == same(results.item_weight[p, s, i])
        assert (row["action needed"] == "yes") == item_needs_action(results.item_score[p, s, i])


def test_items_at_or_below_70_are_red(book, computed):
    _, wb = book
    sheet = wb["Items"]
    flagged = [r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 11).value == "yes"]
    assert flagged
    for r in flagged:
        assert sheet.cell(r, 5).font.color.rgb.endswith("C92A2A")


def test_customers_and_actions(book, computed):
    _, wb = book
    counts, results, p, customers = computed
    rows = rows_of(wb["Customers"])
    assert len(rows) == len(customers.names)
    by_name = {(r["customer"], r["segment"]): r["CSI"] for r in rows}
    for k, name in enumerate(customers.names):
        assert by_name[(name, customers.segments[k])] == same(customers.csi[k])
    flags = actions.flags(results, p, customers)
    values = [c.value for c in wb["Actions"]["B"] if isinstance(c.value, (int, float))]
    assert len(values) >= len(flags)


def test_native_run_charts(book):
    data, wb = book
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(n.startswith("xl/charts/chart") for n in names) >= 2
    runs = wb["Run charts"]
    assert [c.value for c in runs[3]][:2] == ["period", "total CSI"]
    assert runs["A4"].value == "2025Q1"


def test_text_is_never_a_formula(store, make_xlsx):
    rows = [["期间", "问卷编号", "质量", "服务", "意见建议"],
            ["2026Q1", "a1", "很满意", "满意", "=HYPERLINK(\"http://x\",\"y\")"],
            ["2026Q1", "a2", "一般", "满意", "<script>alert(1)</script>"]]
    assert ingest.ingest(store, make_xlsx(rows), "f.xlsx").ok
    wb = openpyxl.load_workbook(io.BytesIO(report.report_xlsx(store)))
    texts = [c for row in wb["Comments"].iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert texts and all(c.data_type == "s" for c in texts)


def test_html_escapes_user_text(store, make_xlsx):
    rows = [["期间", "问卷编号", "质量", "服务", "意见建议"],
            ["2026Q1", "a1", "很满意", "满意", "<script>alert(1)</script>"],
            ["2026Q1", "a2", "一般", "不满意", "ok"]]
    assert ingest.ingest(store, make_xlsx(rows), "f.xlsx").ok
    store.save_action({"period": "2026Q1", "kind": "item", "segment": "all", "item": "服务", "score": 0.5,
                       "cause": "<img src=x onerror=alert(2)>", "status": "open"})
    page = report.report_html(store, lang="en", charts=False)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert page.startswith("<!DOCTYPE html>")


def test_html_is_self_contained(demo_store):
    page = report.report_html(demo_store, PERIOD, "zh")
    assert "data:image/png;base64," in page
    assert not re.search(r'(src|href)="https?://', page)
    assert "客户满意度调查汇总分析报告 · 2026Q1" in page


def test_pdf_has_pages_and_the_cjk_font(demo_store):
    data = report.report_pdf(demo_store, PERIOD, "zh")
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 3
    assert b"NotoSansCJK" in data


def test_english_pdf(store, make_xlsx):
    rows = [["period", "segment", "quality", "delivery"], ["2026Q1", "a", "very satisfied", "neutral"],
            ["2026Q1", "b", "satisfied", "dissatisfied"]]
    assert ingest.ingest(store, make_xlsx(rows), "e.xlsx").ok
    assert report.report_pdf(store, lang="en").startswith(b"%PDF")


def test_one_report_for_all_writers(demo_store, computed):
    _, results, p, _ = computed
    rep = report.build(demo_store, PERIOD, "en")
    assert rep.summary["csi"] == results.total[p]
    assert set(rep.flags.kind) <= set(actions.KINDS)
    assert len(rep.verification) and set(rep.verification.period) == {"2025Q4"}
    assert rep.runs.period.tolist() == list(results.periods[:p + 1])
    np.testing.assert_array_equal(rep.runs.total.to_numpy(), results.total[:p + 1])


def test_default_period_is_the_latest(demo_store):
    assert report.build(demo_store).period == demo_store.periods()[-1]


def test_bad_period_and_empty_store(store, demo_store):
    with pytest.raises(report.ReportError, match="not stored"):
        report.build(demo_store, "1999Q1", "en")
    with pytest.raises(report.ReportError, match="no questionnaires"):
        report.report_xlsx(store)


def test_long_tables_are_cut_in_html_and_pdf_not_in_excel(demo_store, computed, monkeypatch):
    _, results, p, customers = computed
    flags = actions.flags(results, p, customers)
    n_customer_items = sum(f.kind == "customer_item" for f in flags)
    monkeypatch.setitem(report.MAX_ROWS, "customer_items", 5)
    rep = report.build(demo_store, PERIOD, "en")
    tables = report.text_tables(rep)
    assert sum("customer item" in row[0] for row in tables["flags"][1]) == 5
    assert f"… {n_customer_items - 5} more rows in the Excel report" in report.report_html(demo_store, report=rep,
                                                                                             charts=False)
    wb = openpyxl.load_workbook(io.BytesIO(report.report_xlsx(demo_store, report=rep)))
    subjects = [c.value for c in wb["Actions"]["A"] if isinstance(c.value, str) and c.value.startswith("customer item")]
    assert len(subjects) >= n_customer_items
