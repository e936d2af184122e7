"""pages/upload.py: a bad workbook shows its problems and stores nothing; a good one
imports (after a confirmation when it replaces a period); unknown values and column
mappings are chosen on screen; the original file is kept byte for byte."""
import hashlib
import re

import pytest

from csi_core import i18n
from csi_core.reading.scales import name_key
from tests.conftest import xlsx
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    app, clear_caches, demo_db, demo_file, navigation_mode, new_app)
from ui import state

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["期间", "客户类型", "问卷编号", "燃气质量", "服务态度", "收费透明"]


@pytest.fixture
def upload(app):
    app.switch_page("pages/upload.py").run()
    assert not app.exception
    return app


def stored():
    s = state.get_store()
    return s.data_version(), len(s.uploads()), tuple(s.periods())


def send(at, name: str, data: bytes):
    at.file_uploader[0].set_value((name, data, MIME)).run()
    assert not at.exception, at.exception
    return at


def errors(at) -> str:
    """The error messages as a reader sees them (markdown escapes of user text removed)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(e.value for e in at.error))


def problems_table(at):
    return next(d.value for d in [*at.table, *at.dataframe] if i18n.t("upload.col.reason") in d.value.columns)


def new_period(period: str = "2027Q1", rows: int = 4) -> bytes:
    body = [[period, "民用户", f"n{k}", "很满意", "较满意", "一般"] for k in range(rows)]
    body.append([period, "工商业户", "n99", "不满意", "满意", "很不满意"])
    return xlsx([HEADER, *body])


def test_the_page_has_an_uploader_template_and_history(upload):
    assert upload.title[0].value == i18n.t("upload.title")
    assert len(upload.file_uploader) == 1
    labels = [b.label for b in upload.get("download_button")]
    assert i18n.t("upload.template") in labels and i18n.t("upload.download_original") in labels


def test_reading_notes_are_shown_in_the_users_language(upload):
    """A title row above the header and an items-sheet item without a column: the file
    is read, and the page says what the reader did."""
    data = xlsx([["2027年第一季度客户满意度调查"], HEADER, ["2027Q1", "民用户", "n1", "很满意", "较满意", "一般"]],
                extra={"items": [["题目", "选项"], ["燃气质量", "A"], ["抄表准确", "B"]]})
    send(upload, "2027Q1.xlsx", data)
    infos = "\n".join(i.value for i in upload.info)
    assert i18n.t("note.title_row_skipped", row=2) in infos
    assert i18n.t("note.item_not_in_sheet", value="抄表准确") in infos
    assert not upload.error


def test_a_rerun_reuses_the_report_of_the_same_file(upload, monkeypatch):
    """Any click re-runs the page; the workbook is checked once per file and options."""
    from csi_core.store import ingest

    calls = []
    real = ingest.validate_bytes
    monkeypatch.setattr(ingest, "validate_bytes", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    send(upload, "2027Q1.xlsx", new_period())
    upload.run()
    upload.run()
    assert calls == ["2027Q1.xlsx"]
    send(upload, "2027Q2.xlsx", new_period("2027Q2"))
    assert calls == ["2027Q1.xlsx", "2027Q2.xlsx"]


@pytest.mark.parametrize("data, reason", [
    (b"this is not a workbook at all", "problem.not_xlsx"),
    (b"\xd0\xcf\x11\xe0" + b"\0" * 600, "problem.ole_file"),
    (b"", "problem.empty_file"),
])
def test_a_bad_file_shows_its_problem_and_stores_nothing(upload, data, reason):
    before = stored()
    send(upload, "bad.xlsx", data)
    assert "bad.xlsx" in errors(upload)
    reasons = problems_table(upload)[i18n.t("upload.col.reason")].tolist()
    assert reasons == [i18n.t(reason)]
    assert not [b for b in upload.button if b.key == "upload.import"]
    assert stored() == before


def test_bad_cells_are_listed_with_row_column_and_value(upload):
    before = stored()
    rows = [HEADER, ["2027Q1", "民用户", "a1", "很满意", "棒", "一般"], ["2027Q1", "民用户", "a2", "较满意", "满意", "一般"],
            ["2027Q5", "民用户", "a3", "较满意", "满意", "一般"]]
    send(upload, "cells.xlsx", xlsx(rows))
    table = problems_table(upload)
    cells = set(zip(table[i18n.t("upload.col.row")], table[i18n.t("upload.col.column")],
                    table[i18n.t("upload.col.value")]))
    assert ("2", "E (服务态度)", "棒") in cells
    assert ("4", "A (期间)", "2027Q5") in cells
    assert stored() == before


def test_a_good_workbook_imports_with_a_progress_and_its_original_is_kept(upload):
    before = stored()
    data = new_period()
    send(upload, "q.xlsx", data)
    metrics = {m.label: m.value for m in upload.metric}
    assert metrics[i18n.t("upload.rows_read")] == "5" and metrics[i18n.t("upload.valid")] == "5"
    assert any("2027Q1" in s.value for s in upload.success)
    upload.button(key="upload.import").click().run()
    assert not upload.exception
    assert any(i18n.tn("upload.imported", 5, rows=5, valid=5, periods="2027Q1", upload=before[1] + 1) == s.value
               for s in upload.success)
    version, n_uploads, periods = stored()
    assert version > before[0] and n_uploads == before[1] + 1 and periods[-1] == "2027Q1"
    store = state.get_store()
    assert store.upload_file(int(store.uploads().id.iloc[0])) == ("q.xlsx", data)
    # the uploader was emptied: no report of the imported file any more
    assert not upload.file_uploader[0].value
    assert upload.sidebar.selectbox(key=state.PERIOD_KEY).options[0] == "2027Q1"


def test_after_an_import_the_sidebar_shows_the_period_that_came_in(upload):
    upload.sidebar.selectbox(key=state.PERIOD_KEY).set_value("2026Q1").run()
    send(upload, "old.xlsx", new_period("2024Q4"))  # a late quarter, before everything stored
    upload.button(key="upload.import").click().run()
    assert not upload.exception
    assert upload.sidebar.selectbox(key=state.PERIOD_KEY).value == "2024Q4"
    upload.switch_page("pages/overview.py").run()
    assert upload.title[0].value.endswith("2024Q4")


def test_replacing_a_period_needs_a_confirmation(upload):
    before = stored()
    send(upload, "again.xlsx", new_period("2026Q4"))
    assert any("2026Q4" in w.value for w in upload.warning)
    button = upload.button(key="upload.import")
    assert button.disabled
    confirm = next(c for c in upload.checkbox if c.key.startswith("upload.confirm."))
    assert "2026Q4" in confirm.label
    assert stored() == before
    confirm.check().run()
    assert not upload.button(key="upload.import").disabled
    upload.button(key="upload.import").click().run()
    assert not upload.exception
    store = state.get_store()
    assert store.uploads().replaced.iloc[0] == "2026Q4"
    assert int(store.counts().returned[store.counts().period_index("2026Q4")].sum()) == 5


def test_an_unknown_answer_is_mapped_on_screen(upload):
    rows = [HEADER, ["2027Q2", "民用户", "a1", "很满意", "棒", "一般"], ["2027Q2", "民用户", "a2", "较满意", "满意", "棒"]]
    send(upload, "map.xlsx", xlsx(rows))
    assert errors(upload)
    choice = next(s for s in upload.selectbox if s.key and ".answer." in s.key)
    assert "棒" in choice.key
    choice.set_value(5).run()
    assert not errors(upload)
    upload.button(key="upload.import").click().run()
    store = state.get_store()
    counts = store.counts()
    p, s = counts.period_index("2027Q2"), counts.segments.index("民用户")
    j = counts.items.index("服务态度")
    assert counts.answers[p, s, j, 5] == 1  # 棒 counted as level 5


def test_unknown_headers_get_a_column_mapping_remembered_for_the_layout(upload):
    header = ["Quarter", "Kind", "Form no", "燃气质量", "服务态度"]
    rows = [header, ["2027Q3", "民用户", "x1", "很满意", "满意"], ["2027Q3", "工商业户", "x2", "一般", "满意"]]
    before = stored()
    send(upload, "odd.xlsx", xlsx(rows))
    assert errors(upload) and stored() == before
    # the columns first: no list of "unknown answers" made of periods, kinds and form numbers
    assert problems_table(upload)[i18n.t("upload.col.reason")].tolist() == [i18n.t("problem.missing_period")]
    assert i18n.t("upload.columns_first") in [c.value for c in upload.caption]
    assert not [s for s in upload.selectbox if s.key and s.key.startswith("upload.map.")]
    roles = {s.key.rsplit(".", 1)[-1]: s for s in upload.selectbox if s.key and s.key.startswith("upload.role.")}
    assert set(roles) == {"period", "segment", "customer", "respondent_id", "date", "focus", "comment", "overall",
                          "branch", "competitor"}
    assert "Quarter" in roles["period"].options
    roles["period"].set_value("Quarter")
    roles["segment"].set_value("Kind")
    roles["respondent_id"].set_value("Form no").run()
    assert not errors(upload), errors(upload)
    upload.button(key="upload.import").click().run()
    assert "2027Q3" in state.get_store().periods()
    assert state.get_store().get_setting("column_mapping:" + layout_key(header)) == {
        "period": "Quarter", "segment": "Kind", "respondent_id": "Form no"}
    # the next file of that layout is read with the remembered mapping at once
    rows = [header, ["2027Q4", "民用户", "y1", "满意", "满意"]]
    send(upload, "odd2.xlsx", xlsx(rows))
    assert not errors(upload)
    assert any(i18n.t("upload.mapping_remembered") == i.value for i in upload.info)


def layout_key(headers):
    """As the page keys a layout: the sorted header names (name_key), hashed."""
    return hashlib.sha256("\n".join(sorted(name_key(h) for h in headers)).encode()).hexdigest()[:16]


def test_a_file_without_period_takes_the_one_given(upload):
    rows = [["客户类型", "燃气质量", "服务态度"], ["民用户", "很满意", "满意"], ["民用户", "一般", "满意"]]
    send(upload, "noperiod.xlsx", xlsx(rows))
    assert i18n.t("problem.missing_period") in problems_table(upload)[i18n.t("upload.col.reason")].tolist()
    upload.text_input(key="upload.period").input("2028年第1季度").run()
    assert not errors(upload)
    assert any("2028Q1" in s.value for s in upload.success)


def test_the_file_survives_a_page_switch_and_can_be_discarded(upload):
    send(upload, "kept.xlsx", new_period("2027Q1"))
    upload.switch_page("pages/overview.py").run()
    upload.switch_page("pages/upload.py").run()
    assert any("kept" in m.value and "xlsx" in m.value for m in upload.markdown)
    upload.button(key="upload.discard").click().run()
    assert not any("kept" in m.value for m in upload.markdown)


def test_english(demo_db):
    at = new_app(lang="en").run()
    at.switch_page("pages/upload.py").run()
    send(at, "bad.xlsx", b"junk")
    assert at.title[0].value == "Upload survey data"
    assert "cannot be imported" in errors(at)


def test_the_template_as_downloaded_is_refused_at_its_example_row(upload):
    from csi_core import demo, template

    before = stored()
    send(upload, "template.xlsx", template.template_bytes())
    assert i18n.t("problem.example_row") in problems_table(upload)[i18n.t("upload.col.reason")].tolist()
    assert not [b for b in upload.button if b.key == "upload.import"]
    assert stored() == before


# --- the workbook's complaints sheet ------------------------------------------------------------
COMPLAINT_HEADER = ["受理日期", "客户", "投诉类型", "是否成立", "责任部门", "结案日期"]


def with_complaints(rows: list[list], period: str = "2027Q1") -> bytes:
    body = [[period, "民用户", f"c{k}", "很满意", "较满意", "一般"] for k in range(3)]
    return xlsx([HEADER, *body], extra={"complaints": [COMPLAINT_HEADER, *rows]})


def test_the_complaints_sheet_is_shown_and_stored_on_confirmation(upload):
    before = len(state.get_store().complaints())
    data = with_complaints([["2027-01-05", "甲", "服务质量", "是", "客服部", "2027-01-09"],
                            ["2027-02-01", "乙", "合同", "否", "工程部", ""]])
    send(upload, "with_complaints.xlsx", data)
    assert i18n.t("upload.complaints_found", sheet="complaints", n=2) in [i.value for i in upload.info]
    assert len(state.get_store().complaints()) == before  # nothing stored before the confirmation
    upload.button(key="upload.import").click().run()
    assert not upload.exception
    stored_now = state.get_store().complaints()
    assert len(stored_now) == before + 2
    assert list(stored_now.customer.tail(2)) == ["甲", "乙"] and list(stored_now.department.tail(2)) == ["客服部", "工程部"]
    message = next(s.value for s in upload.success if i18n.t("upload.complaints_imported", n=2) in s.value)
    assert message.startswith(i18n.tn("upload.imported", 3, rows=3, valid=3, periods="2027Q1",
                                      upload=int(state.get_store().uploads().id.max())))


def test_a_complaints_sheet_with_problems_does_not_block_the_survey(upload):
    before = len(state.get_store().complaints())
    data = with_complaints([["2027-01-05", "甲", "投诉", "是", "客服部", ""],
                            ["2027-13-01", "乙", "合同", "也许", "", ""]], period="2027Q2")
    send(upload, "bad_complaints.xlsx", data)
    warning = next(w.value for w in upload.warning if "complaints" in w.value)
    assert warning == i18n.t("upload.complaints_problems", sheet="complaints", n=2, count=3)
    table = next(d.value for d in [*upload.table, *upload.dataframe]
                 if i18n.t("upload.col.reason") in d.value.columns and "complaints" in set(d.value[i18n.t("upload.col.sheet")]))
    cells = set(zip(table[i18n.t("upload.col.row")], table[i18n.t("upload.col.column")], table[i18n.t("upload.col.value")]))
    assert cells == {("2", "C (投诉类型)", "投诉"), ("3", "A (受理日期)", "2027-13-01"), ("3", "D (是否成立)", "也许")}
    upload.button(key="upload.import").click().run()
    assert not upload.exception
    assert "2027Q2" in state.get_store().periods()  # the questionnaires came in
    assert len(state.get_store().complaints()) == before  # the complaints did not
    assert not [s for s in upload.success if i18n.t("upload.complaints_imported", n=2) in s.value]


def test_a_survey_without_a_complaints_sheet_says_nothing_of_complaints(upload):
    send(upload, "plain.xlsx", new_period("2027Q3"))
    texts = [m.value for m in [*upload.info, *upload.warning]]
    assert not [t for t in texts if "complaints" in t.lower() or "投诉" in t]


def test_the_complaints_sheet_in_english(demo_db):
    at = new_app(lang="en").run()
    at.switch_page("pages/upload.py").run()
    send(at, "with_complaints.xlsx", with_complaints([["2027-01-05", "甲", "服务质量", "是", "客服部", ""]]))
    assert i18n.t("upload.complaints_found", "en", sheet="complaints", n=1) in [i.value for i in at.info]


def test_the_same_complaints_are_not_stored_twice(upload):
    before = len(state.get_store().complaints())
    rows = [["2027-01-05", "甲", "服务质量", "是", "客服部", "2027-01-09"]]
    send(upload, "first.xlsx", with_complaints(rows, period="2027Q4"))
    upload.button(key="upload.import").click().run()
    assert len(state.get_store().complaints()) == before + 1
    # the quarter again, with one more complaint: replaced on confirmation, the known one left out
    send(upload, "again.xlsx", with_complaints([*rows, ["2027-02-01", "乙", "合同", "否", "工程部", ""]],
                                               period="2027Q4"))
    upload.checkbox(key=next(c.key for c in upload.checkbox if c.key.startswith("upload.confirm."))).check().run()
    upload.button(key="upload.import").click().run()
    assert not upload.exception
    assert list(state.get_store().complaints().customer.tail(2)) == ["甲", "乙"]
    assert len(state.get_store().complaints()) == before + 2
    assert any(i18n.t("upload.complaints_known", n=1) in s.value for s in upload.success)


def test_the_check_names_the_competitor_questionnaires_and_the_minimum(upload):
    header = ["period", "segment", "competitor", "燃气质量", "服务态度"]
    rows = [header, ["2027Q1", "民用户", None, "很满意", "满意"]]
    rows += [["2027Q1", "民用户", "华润燃气", "满意", "一般"]] * 10 + [["2027Q1", "民用户", "港华燃气", "一般", "一般"]] * 3
    send(upload, "rivals.xlsx", xlsx(rows))
    assert not errors(upload)
    text = "\n".join(m.value for m in upload.markdown)
    assert "竞争对手问卷" in text and "2027Q1 华润燃气 10 份" in text and "2027Q1 港华燃气 3 份" in text
    warnings = [w.value for w in upload.warning]
    assert any("港华燃气" in w and "少于" in w for w in warnings)
    assert not any("华润燃气" in w for w in warnings)  # ten is the minimum, not below it
