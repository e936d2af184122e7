"""The annual assessment (第六章 第二十八、二十九条): the points rule at its caps, entries as
typed, each unit's aspects against numbers worked out by hand, the store's entries
(roles, audit), the 年度考核 tab in both languages (AppTest) and the report's sheet."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from csi_core import i18n
from csi_core.method import assessment as am
from csi_core.store.access import Actor, PermissionDenied
from csi_core.store.db import Store
from tests.conftest import xlsx
from tests.test_app_shell import clear_caches, navigation_mode, new_app  # noqa: F401  (fixture)
from ui import state

D = dt.date


# --- the rule (第二十九条) -------------------------------------------------------------------
@pytest.mark.parametrize("achievements, expected", [
    ([], 0.0), ([0.5], 0.5), ([1.0], 1.0), ([0.5, 0.5], 1.0), ([1.0, 0.5], 1.0), ([0.5, 0.5, 0.5], 1.0)])
def test_achievements_add_at_most_one(achievements, expected):
    got = am.points(achievements, 0, 0)
    assert (got.achievement, got.bonus, got.net) == (expected, expected, expected)


@pytest.mark.parametrize("awards, expected", [(0, 0.0), (1, 0.5), (2, 1.0), (3, 1.0), (10, 1.0)])
def test_awards_add_half_a_point_each_at_most_one(awards, expected):
    got = am.points([], awards, 0)
    assert (got.award, got.bonus) == (expected, expected)


def test_the_two_bonuses_together_at_most_two():
    assert am.points([1.0], 2, 0).bonus == 2.0
    assert am.points([1.0, 0.5], 3, 0).bonus == 2.0  # 1.5 achievement points and 3 awards: still +2
    assert am.points([0.5], 1, 0).bonus == 1.0


@pytest.mark.parametrize("major, expected", [(0, 0.0), (1, 0.5), (3, 1.5), (4, 2.0), (5, 2.0), (9, 2.0)])
def test_major_complaints_take_half_a_point_each_at_most_two(major, expected):
    got = am.points([], 0, major)
    assert (got.deduction, got.net) == (expected, -expected if expected else 0.0)


def test_net_is_bonus_minus_deduction():
    assert am.points([1.0, 0.5], 3, 5).net == 0.0  # +2 − 2
    assert am.points([0.5], 1, 3).net == -0.5  # +1 − 1.5


def test_entries_as_typed():
    assert am.check_entry(2026, "客服部", "work", "85", "按期完成")[0] == {
        "year": 2026, "unit": "客服部", "kind": "work", "points": 85.0, "note": "按期完成"}
    assert am.check_entry(2026, "北区", "achievement", "0.5")[0]["points"] == 0.5
    assert am.check_entry(2026, "北区", "deduction", "")[0]["points"] == 0.5
    assert am.check_entry(2026, "   ", "work", "85")[1] == ("unit_empty",)
    assert am.check_entry(2026, "北区", "work", "八十五")[1] == ("not_number",)
    assert am.check_entry(2026, "北区", "work", "")[1] == ("not_number",)
    assert am.check_entry(2026, "北区", "work", "100.5")[1] == ("score_range",)
    assert am.check_entry(2026, "北区", "achievement", "1.5")[1] == ("achievement_range",)
    assert am.check_entry(2026, "北区", "achievement", "0")[1] == ("achievement_range",)
    assert am.check_entry(2026, "北区", "award", "1")[1] == ("fixed_points",)
    assert am.check_entry("26x", "北区", "work", "1")[1] == ("year",)


# --- each unit's year, by hand -----------------------------------------------------------------
#   received    closed      loss       valid dept   branch
#   2026-01-05  2026-01-09  600 000    yes   客服部  北区     4 days; 重大 → major for both units
#   2026-02-01  —           1 000 000  no    客服部  —        特别重大 but not valid: not major
#   2026-03-01  2026-03-11  1 500 000  yes   工程部  北区     10 days; 特别重大 → major
#   2026-05-01  2026-05-03  100 000    yes   客服部  —        2 days; 较大: not major
#   2025-12-31  —           900 000    yes   客服部  —        another year
# 客服部 2026: 3 complaints, 2 valid, 2 closed (4, 2 days) → 2/3, median 3, 1 major
# 北区 2026: 2 complaints, 2 valid, 2 closed (4, 10) → 1, median 7, 2 major
# 工程部 2026: 1, 1 valid, closed in 10, 1 major
LOG = pd.DataFrame([
    {"received": D(2026, 1, 5), "closed": D(2026, 1, 9), "loss": 600_000, "valid": True, "department": "客服部",
     "branch": "北区"},
    {"received": D(2026, 2, 1), "closed": None, "loss": 1_000_000, "valid": False, "department": "客服部",
     "branch": None},
    {"received": D(2026, 3, 1), "closed": D(2026, 3, 11), "loss": 1_500_000, "valid": True, "department": "工程部",
     "branch": "北区"},
    {"received": D(2026, 5, 1), "closed": D(2026, 5, 3), "loss": 100_000, "valid": True, "department": "客服部 ",
     "branch": None},
    {"received": D(2025, 12, 31), "closed": None, "loss": 900_000, "valid": True, "department": "客服部",
     "branch": None},
])


def entries(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(("year", "unit", "kind", "points", "note"), r)) for r in rows])


def test_each_units_year_by_hand():
    typed = entries((2026, "客服部", "work", 80.0, "旧"), (2026, "客服部", "work", 88.0, "复核"),
                    (2026, "客服部", "achievement", 0.5, None), (2026, "客服部", "achievement", 0.75, None),
                    (2026, "客服部", "award", 0.5, None), (2026, "北区", "deduction", 0.5, None),
                    (2026, "北区", "deduction", 0.5, None), (2026, "北区", "deduction", 0.5, None),
                    (2025, "北区", "award", 0.5, None), (2026, "市场部", "rating", 91.0, "抽样"))
    table = am.assessment(LOG, typed, 2026).set_index("unit")
    assert list(table.index) == ["北区", "客服部", "工程部", "市场部"]
    kf = table.loc["客服部"]
    assert (kf.work, kf.work_note, kf.complaints, kf.valid, kf.closed_share, kf.days_median, kf.major_logged) == (
        88.0, "复核", 3, 2, pytest.approx(2 / 3), 3.0, 1)
    assert (kf.achievements, kf.achievement, kf.awards, kf.award, kf.bonus, kf.deduction, kf.net) == (
        1.25, 1.0, 1, 0.5, 1.5, 0.5, 1.0)
    north = table.loc["北区"]
    assert (north.complaints, north.closed_share, north.days_median, north.major_logged, north.major_entered) == (
        2, 1.0, 7.0, 2, 3)
    assert (north.bonus, north.deduction, north.net) == (0.0, 2.0, -2.0)  # 5 major: −2.5 capped at −2
    assert (table.loc["工程部"].major_logged, table.loc["工程部"].net) == (1, -0.5)
    shop = table.loc["市场部"]
    assert (shop.rating, shop.rating_note, shop.complaints, pd.isna(shop.closed_share), shop.net) == (
        91.0, "抽样", 0, True, 0.0)
    assert am.assessment(LOG, typed, 2025).set_index("unit").loc["北区"].award == 0.5


def test_no_unit_no_rows():
    assert am.assessment(pd.DataFrame(), None, 2026).empty


# --- the store ----------------------------------------------------------------------------------
def test_store_round_trip_roles_and_audit(store):
    editor, viewer = Actor("王", "editor"), Actor("李", "viewer")
    first = store.add_assessment_entry({"year": 2026, "unit": "客服部", "kind": "award", "points": None,
                                        "note": "市公司合作奖"}, who=editor)
    second = store.add_assessment_entry({"year": 2026, "unit": "北区", "kind": "work", "points": "90"}, who=editor)
    store.add_assessment_entry({"year": 2025, "unit": "北区", "kind": "deduction"}, who=editor)
    got = store.assessment_entries(2026).astype(object)
    got = got.where(got.notna(), None)
    assert got[["id", "year", "unit", "kind", "points", "note", "who"]].values.tolist() == [
        [first, 2026, "客服部", "award", 0.5, "市公司合作奖", "王"], [second, 2026, "北区", "work", 90.0, None, "王"]]
    assert len(store.assessment_entries()) == 3
    with pytest.raises(PermissionDenied):
        store.add_assessment_entry({"year": 2026, "unit": "北区", "kind": "award"}, who=viewer)
    with pytest.raises(PermissionDenied):
        store.delete_assessment_entry(first, who=viewer)
    with pytest.raises(ValueError, match="unit_empty"):
        store.add_assessment_entry({"year": 2026, "unit": "", "kind": "award"}, who=editor)
    assert len(store.assessment_entries()) == 3  # nothing changed by the refusals
    store.delete_assessment_entry(first, who=editor)
    assert store.assessment_entries(2026).id.tolist() == [second]
    trail = store.audit(reader=Actor("admin", "admin"))
    assert trail[trail.what.isin(["assessment", "assessment_deleted"])].detail.tolist()[::-1] == [
        f"#{first}: 2026 客服部 award 0.5 (市公司合作奖)", f"#{second}: 2026 北区 work 90",
        "#3: 2025 北区 deduction 0.5", f"#{first}: 2026 客服部 award 0.5 (市公司合作奖)"]


# --- the report's sheet ---------------------------------------------------------------------------
def test_the_report_has_the_years_assessment(store):
    import openpyxl

    from csi_core.outputs import report, report_html, report_xlsx
    from csi_core.store.ingest import ingest
    assert ingest(store, xlsx([["期间", "客户类型", "服务态度"], ["2026Q2", "民用户", "很满意"]]), "s.xlsx").ok
    store.save_complaints(LOG.to_dict("records"))
    for entry in ({"unit": "客服部", "kind": "work", "points": 88}, {"unit": "客服部", "kind": "achievement",
                                                                     "points": 0.5},
                  {"unit": "客服部", "kind": "award"}, {"unit": "北区", "kind": "deduction"},
                  {"unit": "北区", "kind": "deduction"}, {"unit": "北区", "kind": "deduction"}):
        store.add_assessment_entry({"year": 2026, **entry})
    rep = report.build(store, "2026Q2", "zh")
    assert rep.assessment_year == 2026
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx.write(rep)))
    sheet = book["年度考核"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "年度客户满意度工作考核 · 2026"
    header = rows[5]
    assert header[:5] == ["部门 / 分公司", "（1）落实情况", "（2）日常工作效果", "（3）客户满意度评价", "（4）投诉"]
    body = {r[0]: dict(zip(header, r)) for r in rows[6:] if r[0]}
    assert list(body) == ["北区", "客服部", "工程部"]
    kf, north = body["客服部"], body["北区"]
    assert (kf["（1）落实情况"], kf["（4）投诉"], kf["成立"], kf["结案天数中位数"], kf["加分合计"], kf["扣分"],
            kf["净分"]) == (88, 3, 2, 3, 1, -0.5, 0.5)
    assert kf["已结案比例"] == pytest.approx(2 / 3)
    assert (north["重大投诉（记录）"], north["扣分（录入）"], north["扣分"], north["净分"]) == (2, 3, -2, -2)
    assert body["工程部"]["净分"] == -0.5
    html = report_html.write(rep, charts=False)
    assert 'id="assessment"' in html and "第二十九条" in html

    from csi_core.outputs import report_pdf
    from tests import pdftext
    assert "年度客户满意度工作考核" in pdftext.squeezed(report_pdf.write(rep, appendix=True))
    # a 2025 report assesses 2025: 客服部's complaint of 2025-12-31 is major
    assert ingest(store, xlsx([["期间", "客户类型", "服务态度"], ["2025Q4", "民用户", "很满意"]]), "t.xlsx").ok
    old = report.build(store, "2025Q4", "zh")
    assert old.assessment.set_index("unit").loc["客服部"].deduction == 0.5


def test_no_unit_no_sheet(store):
    import openpyxl

    from csi_core.outputs import report, report_xlsx
    from csi_core.store.ingest import ingest
    assert ingest(store, xlsx([["期间", "客户类型", "服务态度"], ["2026Q2", "民用户", "很满意"]]), "s.xlsx").ok
    rep = report.build(store, "2026Q2", "zh")
    assert rep.assessment is None
    assert "年度考核" not in openpyxl.load_workbook(io.BytesIO(report_xlsx.write(rep))).sheetnames


# --- the tab (AppTest) ------------------------------------------------------------------------------
def open_page(tmp_path, monkeypatch, lang: str):
    path = tmp_path / f"{lang}.duckdb"
    store = Store.open(str(path))
    from csi_core.store.ingest import ingest
    assert ingest(store, xlsx([["期间", "客户类型", "服务态度"], ["2026Q1", "民用户", "很满意"]]), "s.xlsx").ok
    store.save_complaints(LOG.to_dict("records"))
    store.close()
    monkeypatch.setenv("CSI_DB", str(path))
    clear_caches()
    at = new_app(lang=lang).run()
    at.switch_page("pages/complaints.py").run()
    assert not at.exception
    at.selectbox(key="assessment.year").set_value(2026).run()
    return at


def table_of(at, lang: str) -> pd.DataFrame:
    frame = next(d.value for d in at.dataframe if i18n.t("assessment.col.net", lang) in d.value.columns)
    return frame.set_index(i18n.t("assessment.col.unit", lang))


def add(at, unit: str, kind: str, points: str = "", note: str = ""):
    at.text_input(key="assessment.new.unit").set_value(unit)
    at.selectbox(key="assessment.new.kind").set_value(kind)
    at.text_input(key="assessment.new.points").set_value(points)
    at.text_input(key="assessment.new.note").set_value(note)
    at.button(key="assessment.new.save").click().run()
    assert not at.exception
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_tab_in_both_languages(tmp_path, monkeypatch, lang):
    at = open_page(tmp_path, monkeypatch, lang)
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    shown = table_of(at, lang)
    assert list(shown.index) == ["北区", "客服部", "工程部"]
    assert shown.loc["北区", t("assessment.col.major_logged")] == "2"
    assert shown.loc["北区", t("assessment.col.deduction")] == "-1"
    assert shown.loc["客服部", t("assessment.col.closed_share")] == "66.7 %"
    # bad input: said in the user's language, nothing stored
    add(at, "  ", "work", "85")
    assert t("assessment.problem.unit_empty") in at.error[0].value
    add(at, "客服部", "work", "abc")
    assert t("assessment.problem.not_number", value="abc") in at.error[0].value
    add(at, "客服部", "achievement", "2")
    assert t("assessment.refused") in at.error[0].value
    assert state.get_store().assessment_entries().empty
    # entries: a score, two achievements (1.5 → +1), three awards (→ +1), two entered deductions
    add(at, "客服部", "work", "88", "按期")
    assert at.success[0].value == t("assessment.saved", id=1, unit="客服部", kind=t("assessment.kind.work"))
    for kind, points in (("achievement", "1"), ("achievement", "0.5"), ("award", ""), ("award", ""), ("award", ""),
                         ("deduction", ""), ("deduction", "")):
        add(at, "客服部", kind, points)
    assert not at.error
    add(at, "新分公司", "rating", "92")
    row = table_of(at, lang).loc["客服部"]
    assert (row[t("assessment.col.work")], row[t("assessment.col.achievement")], row[t("assessment.col.award")],
            row[t("assessment.col.bonus")], row[t("assessment.col.deduction")], row[t("assessment.col.net")]) == (
        "88.0", "+1", "+1", "+2", "-1.5", "+0.5")  # 1 major in the log + 2 entered
    assert table_of(at, lang).loc["新分公司", t("assessment.col.rating")] == "92.0"
    assert len(state.get_store().assessment_entries(2026)) == 9
    # delete the score: the aspect is empty again
    at.selectbox(key="assessment.delete_pick").set_value(1)
    at.button(key="assessment.delete").click().run()
    assert not at.exception and at.success[0].value == t("assessment.deleted", id=1)
    assert table_of(at, lang).loc["客服部", t("assessment.col.work")] == "—"
    clear_caches()
