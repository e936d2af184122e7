"""The meeting report in each format holds the right numbers: read back from the PDF's text
(pdftotext), the HTML's tables and the workbook's cells, and compared with FIXED expected
values — those of ``tests/data/golden_basic.json`` (computed by ``tests/reference.py``, an
independent implementation) and counts taken by hand from ``tests/data/basic.xlsx``.
"""
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from csi_core import i18n
from csi_core.outputs import report, report_files, report_html, report_pdf, report_tables, report_xlsx
from csi_core.store import ingest
from tests import pdftext

DATA = Path(__file__).parent / "data"
GOLDEN = json.loads((DATA / "golden_basic.json").read_text(encoding="utf-8"))["expected"]["periods"]
Q1, Q2 = GOLDEN["2026Q1"], GOLDEN["2026Q2"]
# counted by hand in basic.xlsx: 2026Q2 comments ("2026Q2", "2026-Q2", "2026年第二季度" rows)
Q2_COMMENTS = {"燃气有异味": 4, "空白问卷": 1}


def r1(value: float) -> str:
    """Half-up to one decimal, independently of csi_core (Decimal of the float's repr)."""
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def pct(score: float) -> str:
    return r1(100 * score) + "%"


def squeeze(text: str) -> str:
    return re.sub(r"[\s\x00]+", "", text)


def pdf_text(data: bytes) -> str:
    """The PDF's text with all white space removed (pdftotext)."""
    return pdftext.squeezed(data)


class Sections(HTMLParser):
    """The table rows (cell texts) and the text of each ``<section id=...>`` of the page."""

    def __init__(self, page: str):
        super().__init__()
        self.rows: dict[str, list[list[str]]] = {}
        self.text: dict[str, str] = {}
        self.section = self.row = self.cell = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.section = dict(attrs)["id"]
            self.rows[self.section], self.text[self.section] = [], ""
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.section:
            self.rows[self.section].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.section:
            self.text[self.section] += data


@pytest.fixture(scope="module")
def golden_store():
    from csi_core.store.db import Store

    s = Store.open(":memory:")
    assert ingest.ingest(s, (DATA / "basic.xlsx").read_bytes(), "basic.xlsx").ok
    q1 = Q1["segments"]["工商业户"]["items"]["燃气质量"]["score"]
    s.save_action({"period": "2026Q1", "kind": "item", "segment": "工商业户", "item": "燃气质量", "score": q1,
                   "cause": "<b>阀门老化</b>", "owner": "质量部", "status": "in_progress"})
    yield s
    s.close()


@pytest.fixture(scope="module")
def rep_zh(golden_store):
    return report.build(golden_store, "2026Q2", "zh")


@pytest.fixture(scope="module")
def pdf_zh(rep_zh):
    return report_pdf.write(rep_zh, appendix=True)


def test_pdf_summary_holds_the_golden_numbers(rep_zh):
    text = pdf_text(report_pdf.write(rep_zh))
    assert Q2["grade"] == "dissatisfied"  # 60.6: 60–75 不满意
    assert f"2026Q2总体CSI为{r1(Q2['csi'])}，等级“不满意”" in text
    assert f"较上期（2026Q1）变化+{r1(Q2['csi'] - Q1['csi'])}" in text
    # the segments table: segment, weight, returned, valid, …, CSI
    for name, seg in Q2["segments"].items():
        assert re.search(rf"{name}50\.0%\d+{seg['valid']}—{re.escape(r1(seg['csi']))}", text), name
    # every item ≤ 70 % is listed with its score among the items needing action
    flagged = [(s, i, v["score"]) for s, seg in Q2["segments"].items() for i, v in seg["items"].items()
               if Decimal(r1(100 * v["score"])) <= 70]
    assert len(flagged) == sum(a["kind"] == "item" for a in Q2["actions"]) == 6
    assert f"总体CSI{r1(Q2['csi'])}" in text  # the overall CSI < 80 is flagged too
    for segment, item, score in flagged:
        assert f"题目·{segment}·{item}{pct(score)}" in text, item


def test_pdf_verifies_last_periods_action(rep_zh):
    text = pdf_text(report_pdf.write(rep_zh))
    raised = Q1["segments"]["工商业户"]["items"]["燃气质量"]["score"]
    later = Q2["segments"]["工商业户"]["items"]["燃气质量"]["score"]
    assert "上期（2026Q1）措施的效果验证" in text
    verdict = "有改善" if Decimal(r1(100 * later)) > Decimal(r1(100 * raised)) else "未改善"
    assert f"2026Q1题目·工商业户·燃气质量{pct(raised)}{pct(later)}进行中{verdict}" in text


def test_pdf_appendix_holds_items_customers_and_grouped_comments(rep_zh, pdf_zh):
    text = pdf_text(pdf_zh)
    assert "附录以下为明细" in text and "以下为明细" not in pdf_text(report_pdf.write(rep_zh))
    for name, seg in Q2["segments"].items():
        for item, v in seg["items"].items():
            assert f"{name}{item}{v['n']}{pct(v['score'])}{pct(v['weight'])}" in text, item
    for name, c in Q2["customers"].items():
        assert f"{squeeze(name)}{c['segment']}{c['valid']}{r1(c['csi'])}很不满意" in text.replace("ＡＣＭＥ", "ACME")
    for phrase, n in Q2_COMMENTS.items():
        assert re.search(rf"{phrase}{n}(工商业户|民用户)", text), phrase


def test_html_sections_hold_the_golden_numbers(rep_zh):
    page = Sections(report_html.write(rep_zh, charts=False))
    segments = {r[0]: r for r in page.rows["segments"][1:]}
    assert set(segments) == set(Q2["segments"])
    for name, seg in Q2["segments"].items():
        assert segments[name][5] == r1(seg["csi"]) and segments[name][3] == str(seg["valid"])
    items = {(r[0], r[1]): r for r in page.rows["items"][1:]}
    for name, seg in Q2["segments"].items():
        for item, v in seg["items"].items():
            assert items[(name, item)][2:5] == [str(v["n"]), f"{r1(100 * v['score'])} %", f"{r1(100 * v['weight'])} %"]
    checked = page.rows["verification"][1:]
    raised = Q1["segments"]["工商业户"]["items"]["燃气质量"]["score"]
    assert [r[:4] for r in checked] == [["2026Q1", "题目 · 工商业户 · 燃气质量", f"{r1(100 * raised)} %",
                                         f"{r1(100 * Q2['segments']['工商业户']['items']['燃气质量']['score'])} %"]]
    groups = {r[0]: r[1] for r in page.rows["comments"][1:] if len(r) == 3}
    assert groups == {k: str(v) for k, v in Q2_COMMENTS.items()}
    assert f"{r1(Q2['csi'])}" in page.text["findings"]


def test_xlsx_cells_hold_the_golden_numbers(rep_zh):
    wb = openpyxl.load_workbook(io.BytesIO(report_xlsx.write(rep_zh)))
    figures = {r[0]: r[1] for r in wb["概要"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert figures["总体 CSI"] == pytest.approx(Q2["csi"], rel=1e-12)
    assert figures["上期 CSI"] == pytest.approx(Q1["csi"], rel=1e-12)
    assert (figures["回收问卷"], figures["有效问卷"], figures["无效问卷"]) == (63, 60, 3)
    seg_rows = {r[0]: r for r in wb["客户类型"].iter_rows(min_row=4, values_only=True) if r[0]}
    for name, seg in Q2["segments"].items():
        assert seg_rows[name][6] == pytest.approx(seg["csi"], rel=1e-12)
    item_rows = {(r[0], r[1]): r for r in wb["题目得分"].iter_rows(min_row=4, values_only=True) if r[1]}
    for name, seg in Q2["segments"].items():
        for item, v in seg["items"].items():
            assert item_rows[(name, item)][4] == pytest.approx(v["score"], rel=1e-12)
            assert item_rows[(name, item)][5] == pytest.approx(v["weight"], rel=1e-12)
    groups = {r[0]: r[1] for r in wb["意见建议"].iter_rows(min_row=4, max_row=5, values_only=True)}
    assert groups == Q2_COMMENTS


def test_no_raw_keys_in_any_format(rep_zh, pdf_zh):
    raw = re.compile(r"\b(report|actions|grade|reason|calc)\.[a-z_]+|（default）|\(default\)")
    xlsx = openpyxl.load_workbook(io.BytesIO(report_xlsx.write(rep_zh)))
    cells = " ".join(str(c.value) for ws in xlsx for row in ws.iter_rows() for c in row if c.value is not None)
    for name, text in (("pdf", pdf_text(pdf_zh)), ("html", report_html.write(rep_zh, charts=False)), ("xlsx", cells)):
        assert not raw.search(text), (name, raw.search(text))
    assert "系数（标准五级）：1/0.8/0.5/0.2/0" in pdf_text(pdf_zh)


def test_excel_summary_counts_the_log_after_one_action_is_done(store, make_xlsx):
    rows = [["期间", "客户类型", "问卷编号", "质量", "服务"],
            ["2026Q1", "a", "1", "不满意", "很满意"], ["2026Q1", "a", "2", "一般", "很满意"],
            ["2026Q2", "a", "3", "不满意", "很满意"], ["2026Q2", "a", "4", "不满意", "很满意"]]
    assert ingest.ingest(store, make_xlsx(rows), "f.xlsx").ok
    ids = [store.save_action({"period": "2026Q1", "kind": "item", "segment": "a", "item": "质量", "score": 0.35,
                              "status": "open"}),
           store.save_action({"period": "2026Q1", "kind": "overall", "score": 67.5, "owner": "质量部",
                              "status": "open"})]
    store.save_action({"id": ids[0], "period": "2026Q1", "kind": "item", "segment": "a", "item": "质量", "score": 0.35,
                       "status": "done"})

    def figures():
        wb = openpyxl.load_workbook(io.BytesIO(report_xlsx.write(report.build(store, "2026Q2", "en"))))
        found = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=5, values_only=True) if r[0]}
        log = [r for r in wb["Actions"].iter_rows(values_only=True) if r[0] == "2026Q1"]
        return found, log
    found, log = figures()
    assert (found["actions done"], found["actions open"], found["actions in progress"]) == (1, 1, 0)
    assert len(log) == 2 + 2  # two in the log, the same two in the verification table


def test_placeholders_are_counted_apart_not_listed_nor_verified(store, make_xlsx):
    rows = [["期间", "客户类型", "问卷编号", "质量", "服务"],
            ["2026Q1", "a", "1", "不满意", "很满意"], ["2026Q1", "a", "2", "一般", "很满意"],
            ["2026Q2", "a", "3", "不满意", "很满意"], ["2026Q2", "a", "4", "不满意", "很满意"]]
    assert ingest.ingest(store, make_xlsx(rows), "f.xlsx").ok
    store.save_actions([{"period": "2026Q1", "kind": "item", "segment": "a", "item": "质量", "score": 0.35,
                         "status": "open"},  # a placeholder (nothing recorded)
                        {"period": "2026Q1", "kind": "overall", "score": 67.5, "status": "open"},  # another
                        {"period": "2026Q1", "kind": "item", "segment": "a", "item": "服务", "score": 1.0,
                         "measure": "回访", "status": "open"}])
    rep = report.build(store, "2026Q2", "en")
    assert list(rep.log["item"].fillna("")) == ["服务"]
    assert list(rep.verification["item"]) == ["服务"]
    figures = dict(zip(rep.key_figures.figure, rep.key_figures.value))
    assert figures["actions placeholders (nothing recorded)"] == 2
    assert figures["actions open"] == 1
    # the flags still show that the placeholders' things have an action
    q2 = report.build(store, "2026Q1", "en").flags
    assert q2.action_id.notna().sum() == 2  # 质量 (35 %) and the overall CSI (67.5) flagged, both with one


def test_html_escapes_user_text(store, make_xlsx):
    rows = [["期间", "问卷编号", "质量", "服务", "意见建议"],
            ["2026Q1", "a1", "很满意", "满意", "<script>alert(1)</script>"],
            ["2026Q1", "a2", "一般", "不满意", "ok"]]
    assert ingest.ingest(store, make_xlsx(rows), "f.xlsx").ok
    store.save_action({"period": "2026Q1", "kind": "item", "segment": "all", "item": "服务", "score": 0.5,
                       "cause": "<img src=x onerror=alert(2)>", "status": "open"})
    page = report_html.write(report.build(store, lang="en"), charts=False)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert page.startswith("<!DOCTYPE html>")
    for tag in re.findall(r"<[a-zA-Z][^>]*>", page):  # every attribute quoted
        assert not re.search(r"=[^\"]", re.sub(r'"[^"]*"', '""', tag)), tag


def test_html_is_self_contained(rep_zh):
    page = report_html.write(rep_zh)
    assert page.count("data:image/png;base64,") >= 2  # the run chart and the item bars (and more)
    assert not re.search(r'(src|href)="https?://', page)
    assert "客户满意度调查汇总分析报告 · 2026Q2" in page


def test_text_is_never_a_formula(store, make_xlsx):
    rows = [["期间", "问卷编号", "质量", "服务", "意见建议"],
            ["2026Q1", "a1", "很满意", "满意", "=HYPERLINK(\"http://x\",\"y\")"],
            ["2026Q1", "a2", "一般", "满意", "<script>alert(1)</script>"]]
    assert ingest.ingest(store, make_xlsx(rows), "f.xlsx").ok
    wb = openpyxl.load_workbook(io.BytesIO(report_xlsx.write(report.build(store))))
    texts = [c for row in wb["Comments"].iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert texts and all(c.data_type == "s" for c in texts)


def test_sheets(rep_zh):
    wb = openpyxl.load_workbook(io.BytesIO(report_xlsx.write(rep_zh)))
    mine = ["概要", "客户类型", "题目得分", "客户", "纠正措施", "推移图", "计算说明", "意见建议"]
    assert [n for n in wb.sheetnames if n in mine] == mine


def test_english_pdf(store, make_xlsx):
    rows = [["period", "segment", "quality", "delivery"], ["2026Q1", "a", "very satisfied", "neutral"],
            ["2026Q1", "b", "satisfied", "dissatisfied"]]
    assert ingest.ingest(store, make_xlsx(rows), "e.xlsx").ok
    text = pdf_text(report_pdf.write(report.build(store, lang="en"), appendix=True))
    # a: (1.0 + 0.5) / 2 = 75.0; b: (0.8 + 0.2) / 2 = 50.0; total (equal weights) 62.5
    assert "ThetotalCSIof2026Q1is62.5" in text and "a50.0%" in text and "75.0" in text and "b50.0%" in text
    assert "Appendix" in text and "coefficients(standardfivelevels)" in text


def test_default_period_is_the_latest(golden_store):
    assert report.build(golden_store).period == "2026Q2"


def test_bad_period_and_empty_store(store, golden_store):
    with pytest.raises(report.ReportError, match="not stored"):
        report.build(golden_store, "1999Q1", "en")
    with pytest.raises(report.ReportError, match="no questionnaires"):
        report.build(store)


def test_long_tables_are_cut_in_html_not_in_excel(golden_store, monkeypatch):
    rep = report.build(golden_store, "2026Q2", "en")
    n_items = int(rep.flags.kind.eq("customer_item").sum())
    assert n_items > 5
    monkeypatch.setitem(report_tables.MAX_ROWS, "customer_items", 5)
    table = report_tables.flags_table(rep)
    assert sum("customer item" in row[0] for row in table.rows) == 5
    assert f"… {n_items - 5} more rows in the Excel report" in report_html.write(rep, charts=False)
    wb = openpyxl.load_workbook(io.BytesIO(report_xlsx.write(rep)))
    subjects = [c.value for c in wb["Actions"]["A"] if isinstance(c.value, str) and c.value.startswith("customer item")]
    assert len(subjects) == n_items


def test_format_of_file_names():
    assert [report_files.format_of(n) for n in ("a.xlsx", "a.PDF", "a.html", "a.htm", "a.csv", "a")] == \
        ["xlsx", "pdf", "html", None, None, None]


def test_findings_and_headline_say_the_golden_numbers(rep_zh):
    """The sentences the meeting reads first and the cards above them, each number from the
    independent reference (golden_basic.json) or counted by hand."""
    grade = i18n.t(f"grade.{Q2['grade']}", "zh")
    delta = Q2["csi"] - Q1["csi"]
    change = r1(delta) if delta < 0 else "+" + r1(delta)
    flagged = sorted((a for a in Q2["actions"] if a["kind"] == "item"), key=lambda a: a["score"])
    worst = "、".join(f"{a['segment']} · {a['item']} {r1(100 * a['score'])} %" for a in flagged[:5])
    low = sorted(((c["csi"], n) for n, c in Q2["customers"].items() if float(r1(c["csi"])) < 80))
    before = Q1["segments"]["工商业户"]["items"]["燃气质量"]["score"]
    after = Q2["segments"]["工商业户"]["items"]["燃气质量"]["score"]
    ok = int(after > before or float(r1(100 * after)) > 70)
    assert report_tables.findings(rep_zh) == [
        f"2026Q2 总体 CSI 为 {r1(Q2['csi'])}，等级“{grade}”。",
        f"较上期（2026Q1）变化 {change}。",
        f"{len(flagged)} 个题目 ≤70 %，需纠正：{worst}。",
        f"{len(low)} 个客户 CSI 低于 80：{'、'.join(n for _, n in low)}。",
        f"{len(Q2['actions'])} 项尚未制定纠正措施。",
        f"上期 1 项措施中 {ok} 项本期得分改善或达标。",
        f"共 {sum(Q2_COMMENTS.values())} 条意见建议；最常见的是“燃气有异味”（{Q2_COMMENTS['燃气有异味']} 条）。",
    ]
    r = Q2["responses"]
    assert report_tables.headline(rep_zh) == [
        ("CSI", r1(Q2["csi"]), "#d9480f"), ("等级", grade, "#d9480f"), ("较上期", change, None),
        ("回收问卷", str(r["returned"]), None), ("有效问卷", str(r["valid"]), None), ("回收率", "—", None),
        ("有效率", f"{r1(100 * r['valid'] / r['returned'])} %", None), ("≤70 % 的题目", str(len(flagged)), None)]
