"""The complaint procedure (第五章): severity classes at their boundaries, the quarterly
analysis against numbers computed by hand, a complaints sheet checked cell by cell
(nothing stored until confirmed), and the 投诉 page (AppTest)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from csi_core import i18n
from csi_core.method import complaints as cm
from csi_core.reading import complaints as reading
from csi_core.store.db import Store
from csi_core.template import complaints_template_bytes
from tests.conftest import xlsx
from tests.test_app_shell import clear_caches, navigation_mode, new_app  # noqa: F401  (fixture)
from ui import state

D = dt.date


@pytest.mark.parametrize("loss, expected", [
    (0, "below"), (999, "below"), (999.99, "below"), (1_000, "slight"), (9_999, "slight"), (10_000, "minor"),
    (49_999, "minor"), (50_000, "general"), (99_999, "general"), (100_000, "major"), (499_999, "major"),
    (500_000, "serious"), (999_999, "serious"), (1_000_000, "especially_serious"), (None, None)])
def test_severity_by_direct_loss_at_its_boundaries(loss, expected):
    assert cm.severity(loss) == expected


def test_escalation_severity_general_or_worse_or_open_past_the_due_time():
    today = D(2026, 3, 31)
    assert cm.escalated({"loss": 50_000, "received": today, "closed": today}, today, 30)  # 一般: even closed
    assert not cm.escalated({"loss": 49_999, "received": today}, today, 30)
    assert not cm.escalated({"received": D(2026, 3, 1)}, today, 30)  # 30 days open: not past
    assert cm.escalated({"received": D(2026, 2, 28)}, today, 30)  # 31 days
    assert not cm.escalated({"received": D(2026, 1, 1), "closed": D(2026, 3, 1)}, today, 30)
    assert cm.escalated({"received": D(2026, 3, 1)}, today, 29)  # the due time is a setting


# Eight complaints received in 2026Q1 and one in 2026Q2 (not counted):
#   id received    closed      days type     class loss       valid dept  branch customer items
#   1  01-05       01-07       2    quality  C     0          yes   客服部 —      甲     服务态度
#   2  01-10       01-20       10   quality  C     999        yes   客服部 北区   乙     服务态度、维修及时
#   3  02-01       02-05       4    product  B     1 000      no    工程部 北区   甲     —
#   4  02-03       03-05       30   contract A     50 000     yes   工程部 南区   丙     收费透明
#   5  02-10       —           —    quality  C     49 999     —     客服部 —      甲     服务态度
#   6  03-01       03-09       8    product  C     1 000 000  yes   市场部 南区   丁     —
#   7  03-15       03-16       1    —        —     —          no    —      —      —      —
#   8  03-31       —           —    quality  A     10 000     —     客服部 北区   乙     维修及时
#   9  04-01 (2026Q2)
# days to close: 1, 2, 4, 8, 10, 30 → median (4 + 8) / 2 = 6; p90 at rank 0.9·5 = 4.5: 10 + 0.5·20 = 20
# valid 4 of 6 judged (2 not judged) → 2/3; repeat: 甲 3, 乙 2; items: 服务态度 3, 维修及时 2, 收费透明 1
# escalated on 2026-03-31 (30 days): 4 (50 000), 6 (1 000 000), 5 (open 49 days) → 3
ROWS = [
    (D(2026, 1, 5), D(2026, 1, 7), "quality", "C", 0, True, "客服部", None, "甲", "服务态度"),
    (D(2026, 1, 10), D(2026, 1, 20), "quality", "C", 999, True, "客服部", "北区", "乙", "服务态度、维修及时"),
    (D(2026, 2, 1), D(2026, 2, 5), "product", "B", 1_000, False, "工程部", "北区", "甲", None),
    (D(2026, 2, 3), D(2026, 3, 5), "contract", "A", 50_000, True, "工程部", "南区", "丙", "收费透明"),
    (D(2026, 2, 10), None, "quality", "C", 49_999, None, "客服部", None, "甲", "服务态度"),
    (D(2026, 3, 1), D(2026, 3, 9), "product", "C", 1_000_000, True, "市场部", "南区", "丁", None),
    (D(2026, 3, 15), D(2026, 3, 16), None, None, None, False, None, None, None, None),
    (D(2026, 3, 31), None, "quality", "A", 10_000, None, "客服部", "北区", "乙", "维修及时"),
    (D(2026, 4, 1), None, "quality", "A", 2_000_000, True, "客服部", "北区", "甲", "服务态度"),
]
COLUMNS = ["received", "closed", "type", "class", "loss", "valid", "department", "branch", "customer", "items"]


def table() -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLUMNS, r)) for r in ROWS])


def test_quarterly_analysis_by_hand():
    got = cm.analysis(table(), "2026Q1", D(2026, 3, 31), 30, {"服务态度": 0.82, "维修及时": 0.66})
    assert got["count"] == 8 and got["valid"] == 4 and got["invalid"] == 2 and got["undecided"] == 2
    assert got["valid_share"] == pytest.approx(4 / 6)
    assert got["open"] == 2 and got["closed"] == 6 and got["escalated"] == 3
    assert got["by_type"] == {"product": 2, "quality": 4, "contract": 1, "": 1}
    assert got["by_class"] == {"A": 2, "B": 1, "C": 4, "": 1}
    assert got["by_severity"] == {"especially_serious": 1, "serious": 0, "major": 0, "general": 1, "minor": 2,
                                  "slight": 1, "below": 2, "": 1}  # 7 has no loss recorded
    assert got["by_department"] == {"客服部": 4, "工程部": 2, "": 1, "市场部": 1}
    assert got["by_branch"] == {"北区": 3, "": 3, "南区": 2}
    assert got["days_to_close_median"] == 6 and got["days_to_close_p90"] == pytest.approx(20)
    assert got["repeat_customers"] == {"甲": 3, "乙": 2}
    assert got["items"] == {"服务态度": {"complaints": 3, "score": 0.82}, "维修及时": {"complaints": 2, "score": 0.66},
                            "收费透明": {"complaints": 1, "score": None}}
    assert cm.analysis(table(), "2026Q2", D(2026, 4, 30), 30)["count"] == 1
    assert cm.analysis(table(), "2026H1", D(2026, 4, 30), 30)["count"] == 9


def sheet(rows, name="complaints") -> bytes:
    header = ["受理日期", "客户", "投诉类型", "投诉方类别", "直接损失（元）", "是否成立", "处理步骤", "结案日期",
              "客户满意度", "相关题目"]
    return xlsx([header, *rows], sheet=name)


def test_a_complaints_sheet_is_read_with_its_words():
    parsed = reading.read(sheet([["2026-01-05", "甲", "服务质量", "A类", "¥12,000", "是", "8", "2026年1月9日",
                                  "较满意", "服务态度、维修及时"],
                                 ["2026/2/1", "乙", "合同", "c", "5万", "不成立", "判定是否成立", "", "", ""]]))
    assert parsed.problems == ()
    first, second = parsed.records
    assert (first["received"], first["type"], first["class"], first["loss"], first["valid"], first["status"],
            first["closed"], first["satisfaction"], first["items"]) == (
        D(2026, 1, 5), "quality", "A", 12_000.0, True, "evaluated", D(2026, 1, 9), "satisfied", "服务态度、维修及时")
    assert (second["type"], second["class"], second["loss"], second["valid"], second["status"], second["row"]) == (
        "contract", "C", 50_000.0, False, "validity", 3)


def test_bad_cells_are_named_and_nothing_is_stored():
    parsed = reading.read(sheet([["2026-13-05", "甲", "投诉", "D", "-5", "也许", "9", "2025-01-01", "好", ""],
                                 ["", "乙", "", "", "", "", "", "", "", ""]]))
    where = {(p.row, p.column, p.code) for p in parsed.problems}
    assert where == {(2, "A", "complaint_bad_date"), (2, "C", "complaint_bad_type"), (2, "D", "complaint_bad_class"),
                     (2, "E", "complaint_bad_loss"), (2, "F", "complaint_bad_valid"), (2, "G", "complaint_bad_status"),
                     (2, "I", "complaint_bad_satisfaction"), (3, "A", "complaint_no_date")}
    message = next(p for p in parsed.problems if p.code == "complaint_bad_class").message("zh")
    assert message == "工作表 complaints, 第 2 行, 列 D (投诉方类别): 投诉方类别“D”不是 A、B 或 C"
    closed_before = reading.read(sheet([["2026-02-05", "甲", "", "", "", "", "", "2026-02-01", "", ""]]))
    assert [p.code for p in closed_before.problems] == ["complaint_closed_before"]


def test_the_survey_workbooks_complaints_sheet_and_the_template():
    survey = xlsx([["期间", "客户类型", "质量"], ["2026Q1", "民用户", "很满意"]],
                  extra={"投诉": [["受理日期", "客户"], ["2026-03-01", "甲"]]})
    assert [r["customer"] for r in reading.read(survey).records] == ["甲"]
    parsed = reading.read(complaints_template_bytes())
    assert parsed.sheet == "complaints" and parsed.records == () and parsed.problems == ()


def test_the_store_keeps_every_field():
    store = Store.open(":memory:")
    record = {"received": D(2026, 1, 5), "customer": "甲", "segment": "民用户", "branch": "北区", "complainant": "张先生",
              "channel": "电话", "content": "燃气有异味", "request": "上门检查", "valid": True, "validity_reason": "属实",
              "type": "quality", "class": "C", "loss": 1200.0, "department": "客服部", "person": "李工",
              "cause": "阀门", "solution": "更换", "instruction": "尽快", "status": "evaluated",
              "closed": D(2026, 1, 9), "satisfaction": "satisfied", "items": "燃气质量"}
    (cid,) = store.save_complaints([record])
    row = store.complaints().iloc[0].to_dict()
    assert {k: (v.date() if isinstance(v, pd.Timestamp) else v) for k, v in row.items() if k in record} == record
    store.save_complaints([{**record, "id": cid, "closed": None, "status": "implemented"}])
    assert len(store.complaints()) == 1 and pd.isna(store.complaints().closed.iloc[0])
    store.delete_complaint(cid)
    assert store.complaints().empty


# --- the page ------------------------------------------------------------------------------
@pytest.fixture
def page(tmp_path, monkeypatch):
    path = tmp_path / "c.duckdb"
    store = Store.open(str(path))
    from csi_core.store.ingest import ingest
    assert ingest(store, xlsx([["期间", "客户类型", "服务态度", "维修及时"], ["2026Q1", "民用户", "很满意", "不满意"],
                               ["2026Q1", "民用户", "较满意", "一般"]]), "s.xlsx").ok
    store.close()
    monkeypatch.setenv("CSI_DB", str(path))
    clear_caches()
    at = new_app().run()
    at.switch_page("pages/complaints.py").run()
    assert not at.exception
    yield at
    clear_caches()


def test_record_a_complaint_close_it_and_find_it_in_the_analysis(page):
    page.date_input(key="complaints.new.received").set_value(D(2026, 2, 3))
    page.text_input(key="complaints.new.customer").set_value("华东精密")
    page.selectbox(key="complaints.new.type").set_value("quality")
    page.selectbox(key="complaints.new.class").set_value("A")
    page.number_input(key="complaints.new.loss").set_value(50_000)
    page.multiselect(key="complaints.new.items").set_value(["维修及时"])
    page.button(key="complaints.new.save").click().run()
    assert not page.exception
    (row,) = state.get_store().complaints().to_dict("records")
    assert (row["customer"], row["type"], row["class"], row["loss"], row["status"]) == (
        "华东精密", "quality", "A", 50_000.0, "recorded")
    assert page.success[0].value == i18n.t("complaints.saved", id=1)
    log = next(d.value for d in page.dataframe if i18n.t("complaints.field.escalated") in d.value.columns)
    assert list(log[i18n.t("complaints.field.escalated")]) == [i18n.t("complaints.escalated_yes")]  # 一般 (50 000)
    assert list(log[i18n.t("complaints.field.severity")]) == [i18n.t("complaints.severity.general")]
    # close it: valid, department, step 8, closed ten days later, the customer satisfied
    key = "complaints.edit.1"
    page.selectbox(key=f"{key}.valid").set_value(True)
    page.text_input(key=f"{key}.department").set_value("客服部")
    page.selectbox(key=f"{key}.status").set_value("evaluated")
    page.date_input(key=f"{key}.closed").set_value(D(2026, 2, 13))
    page.selectbox(key=f"{key}.satisfaction").set_value("satisfied")
    page.button(key=f"{key}.save").click().run()
    assert not page.exception
    (row,) = state.get_store().complaints().to_dict("records")
    assert (row["valid"], row["department"], row["status"], str(row["closed"])[:10], row["satisfaction"]) == (
        True, "客服部", "evaluated", "2026-02-13", "satisfied")
    # the quarterly analysis of 2026Q1 (the survey's period): 1 complaint, closed in 10 days
    page.selectbox(key="complaints.period").set_value("2026Q1").run()
    metrics = {m.label: m.value for m in page.metric}
    assert metrics[i18n.t("complaints.m_count")] == "1"
    assert metrics[i18n.t("complaints.m_valid_share")] == "100.0 %"
    assert metrics[i18n.t("complaints.m_open")] == "0"
    assert metrics[i18n.t("complaints.m_median")] == "10.0"
    items = next(d.value for d in page.dataframe if i18n.t("complaints.col.score") in d.value.columns)
    # 维修及时 in 2026Q1: 不满意 0.2 and 一般 0.5 → 35 %
    assert items.values.tolist() == [["维修及时", 1, "35.0 %"]]


def test_import_waits_for_confirmation(page):
    data = sheet([["2026-01-05", "甲", "服务质量", "A", "", "是", "", "", "", ""],
                  ["2026-01-06", "乙", "合同", "C", "", "", "", "", "", ""]])
    page.file_uploader(key="complaints.upload").set_value(("c.xlsx", data, "application/octet-stream")).run()
    assert not page.exception
    assert page.success[0].value == i18n.t("complaints.ready", sheet="complaints", n=2)
    assert state.get_store().complaints().empty  # nothing stored yet
    page.button(key="complaints.import").click().run()
    assert list(state.get_store().complaints().customer) == ["甲", "乙"]


def test_a_bad_workbook_is_refused_with_its_cells(page):
    data = sheet([["2026-01-05", "甲", "投诉", "", "", "", "", "", "", ""]])
    page.file_uploader(key="complaints.upload").set_value(("c.xlsx", data, "application/octet-stream")).run()
    assert not page.exception
    assert "第 2 行, 列 C \\(投诉类型\\)" in page.error[0].value  # markdown-escaped
    assert not [b for b in page.button if b.key == "complaints.import"]
    page.file_uploader(key="complaints.upload").set_value(("x.xlsx", b"not a workbook", "application/octet-stream"))
    page.run()
    assert not page.exception and page.error
    assert state.get_store().complaints().empty


def test_english_page(tmp_path, monkeypatch):
    monkeypatch.setenv("CSI_DB", str(tmp_path / "e.duckdb"))
    clear_caches()
    at = new_app(lang="en").run()
    at.switch_page("pages/complaints.py").run()
    assert not at.exception and at.title[0].value == "Customer complaints"
    clear_caches()


def test_every_template_header_is_read():
    from csi_core.template import COMPLAINT_HEADERS
    known = {reading.label_key(h) for hs in reading.HEADERS.values() for h in hs}
    assert [h for h in COMPLAINT_HEADERS if reading.label_key(h) not in known] == []


def test_the_json_has_the_complaints_of_each_period(tmp_path):
    import json
    import subprocess
    import sys
    survey = [["期间", "客户类型", "服务态度", "维修及时"], ["2026Q1", "民用户", "很满意", "不满意"],
              ["2026Q1", "民用户", "较满意", "一般"], ["2026Q2", "民用户", "很满意", "很满意"]]
    complaints = [["受理日期", "客户", "投诉类型", "直接损失（元）", "是否成立", "结案日期", "相关题目"],
                  ["2026-01-05", "甲", "服务质量", "999", "是", "2026-01-09", "维修及时"],
                  ["2026-02-10", "甲", "合同", "1000", "否", "2026-02-12", ""],
                  ["2026-04-02", "乙", "服务产品", "50000", "是", "", "服务态度"]]
    path = tmp_path / "with_complaints.xlsx"
    path.write_bytes(xlsx(survey, extra={"complaints": complaints}))
    out = subprocess.run([sys.executable, "-m", "csi_core", "score", str(path), "--format", "json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    periods = json.loads(out.stdout)["periods"]
    q1, q2 = periods["2026Q1"]["complaints"], periods["2026Q2"]["complaints"]
    assert (q1["count"], q1["valid"], q1["invalid"], q1["valid_share"]) == (2, 1, 1, 0.5)
    assert q1["by_severity"]["below"] == 1 and q1["by_severity"]["slight"] == 1
    assert (q1["days_to_close_median"], q1["repeat_customers"]) == (3.0, {"甲": 2})  # 4 and 2 days
    assert q1["items"] == {"维修及时": {"complaints": 1, "score": pytest.approx(0.35)}}  # (0.2 + 0.5) / 2
    assert (q2["count"], q2["open"], q2["escalated"], q2["by_type"]["product"]) == (1, 1, 1, 1)
    # a bad cell refuses the file (exit 2) with its place
    complaints[1][2] = "投诉"
    path.write_bytes(xlsx(survey, extra={"complaints": complaints}))
    out = subprocess.run([sys.executable, "-m", "csi_core", "score", str(path), "--lang", "en"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "sheet complaints, row 2, column C" in out.stderr
    # a survey workbook without a complaints sheet: the JSON as before, no field added
    path.write_bytes(xlsx(survey))
    out = subprocess.run([sys.executable, "-m", "csi_core", "score", str(path), "--format", "json"],
                         capture_output=True, text=True, timeout=120)
    assert "complaints" not in json.loads(out.stdout)["periods"]["2026Q1"]


def test_the_meeting_report_holds_the_quarters_complaints(make_xlsx):
    """Excel, HTML and PDF: the analysis of the report's period (2026Q1 of the table above)."""
    import io

    import openpyxl
    from pypdf import PdfReader

    from csi_core.outputs import report, report_html, report_pdf, report_xlsx
    from csi_core.store.ingest import ingest
    store = Store.open(":memory:")
    assert ingest(store, make_xlsx([["期间", "客户类型", "服务态度", "维修及时"],
                                    ["2026Q1", "民用户", "很满意", "不满意"]]), "s.xlsx").ok
    store.save_complaints([dict(zip(COLUMNS, r)) for r in ROWS])
    rep = report.build(store, "2026Q1", "zh")
    assert rep.complaints["count"] == 8 and rep.complaints["items"]["维修及时"] == {"complaints": 2, "score": 0.2}
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx.write(rep)))
    sheet = [[c for c in r if c is not None] for r in book["投诉分析"].iter_rows(values_only=True)]
    assert ["本期受理投诉 8 项，成立 4 项（占已判定的 66.7 %）；未结案 2 项，上报市场部 3 项。"] in sheet \
        or any(r and r[0].startswith("本期受理投诉 8 项，成立 4 项（占已判定的 66.7 %）") for r in sheet)
    assert ["按投诉类型", "服务质量", 4] in sheet and ["按投诉方类别", "A", 2] in sheet
    assert ["维修及时", 2, "20.0 %"] in sheet and ["甲", 3] in sheet
    html = report_html.write(rep, charts=False)
    assert 'id="complaints"' in html and "结案天数中位数 6.0，P90 20.0" in html
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(report_pdf.write(rep, appendix=True))).pages)
    import re
    assert "本期受理投诉8项" in re.sub(r"[\s\x00]+", "", text)
    # no complaint stored: no sheet, no section
    empty = Store.open(":memory:")
    assert ingest(empty, make_xlsx([["期间", "客户类型", "服务态度"], ["2026Q1", "民用户", "很满意"]]), "s.xlsx").ok
    plain = report.build(empty, "2026Q1", "zh")
    assert plain.complaints == {} and "投诉分析" not in openpyxl.load_workbook(
        io.BytesIO(report_xlsx.write(plain))).sheetnames


def test_the_items_run_chart_shows_its_complaints(page):
    from tests.test_app_shell import plotly_figures
    state.get_store().save_complaints([{"received": D(2026, 1, 5), "items": "维修及时"},
                                       {"received": D(2026, 2, 5), "items": "维修及时、服务态度"},
                                       {"received": D(2026, 2, 6), "items": "服务态度"}])
    page.switch_page("pages/trends.py").run()
    page.button_group(key="t.kind").set_value("item").run()
    page.selectbox(key="t.item").set_value("维修及时").run()
    assert not page.exception
    (figure,) = plotly_figures(page)
    bars = figure["data"][-1]
    assert (bars["type"], bars["x"], bars["y"]) == ("bar", ["2026Q1"], [2])


def test_a_viewer_may_not_change_the_complaint_log(store):
    from csi_core.store.access import Actor, PermissionDenied
    viewer = Actor("guest", "viewer")
    with pytest.raises(PermissionDenied) as denied:
        store.save_complaints([{"received": D(2026, 1, 5)}], who=viewer)
    assert "投诉" in denied.value.message("zh")
    assert store.complaints().empty
    (cid,) = store.save_complaints([{"received": D(2026, 1, 5)}], who=Actor("li", "editor"))
    with pytest.raises(PermissionDenied):
        store.delete_complaint(cid, who=viewer)
    assert len(store.complaints()) == 1
    assert store.audit(what="complaint").who.tolist() == ["li"]


def test_the_complaint_tables_write_no_live_formula(page):
    state.get_store().save_complaints([{"received": D(2026, 1, 5), "customer": "=cmd|' /C calc'!A0",
                                        "department": "+质量部"},
                                       {"received": D(2026, 1, 9), "customer": "=cmd|' /C calc'!A0"}])
    page.switch_page("pages/complaints.py").run()
    assert not page.exception
    shown = [d.value for d in page.dataframe]
    cells = [str(v) for table in shown for column in table.columns for v in table[column].tolist()]
    assert "'=cmd|' /C calc'!A0" in cells and "'+质量部" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
