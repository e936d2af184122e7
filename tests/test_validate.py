"""Validation: unknown values listed by cell, the invalid-questionnaire rules in order."""
import numpy as np

from csi_core.store.ingest import validate_bytes
from csi_core.reading.validate import parse_focus
from tests.conftest import xlsx


def check(rows, **options):
    outcome = validate_bytes(xlsx(rows), "q.xlsx", **options)
    assert outcome.report is not None, outcome.messages()
    return outcome.report


def test_unknown_answers_listed_with_sheet_row_column_value():
    report = check([["期间", "质量", "服务"], ["2026Q1", "好", "很满意"], ["2026Q1", "很满意", "坏"]])
    assert not report.ok
    assert [(p.sheet, p.row, p.column, p.header, p.value) for p in report.problems] == [
        ("responses", 2, "B", "质量", "好"), ("responses", 3, "C", "服务", "坏")]
    line = report.messages("en")[0]
    assert "q.xlsx" in line and "row 2" in line and "column B (质量)" in line and "'好'" in line
    assert "第 2 行" in report.messages("zh")[0]
    assert {u.value for u in report.unknown} == {"好", "坏"}


def test_first_50_listed_and_the_rest_counted():
    rows = [["period", "q"]] + [["2026Q1", "bad"]] * 80
    report = check(rows)
    assert len(report.problems) == 50 and report.problem_count == 80
    assert "30 more" in report.messages()[-1]


def test_mapping_makes_unknown_values_known():
    report = check([["期间", "质量"], ["2026Q1", "好"]], mapping={"好": 4})
    assert report.ok and report.parsed.codes.tolist() == [[4]]


def test_invalid_rules_in_order():
    rows = [["期间", "编号", "a", "b", "c", "d"],
            ["2026Q1", "x1", "很满意", "满意", "一般", None],       # valid
            ["2026Q1", "x2", None, None, None, "不适用"],            # every item blank
            ["2026Q1", "x3", "很满意", None, None, None],           # 1 of 4 < half
            ["2026Q1", " X1 ", "满意", "满意", None, None],         # 2 of 4 answered: valid by count, duplicate id
            ["2026Q1", "x3", "满意", "满意", "满意", "满意"],       # x3 earlier was invalid: this one counts
            ["2026Q2", "x1", "满意", "满意", "满意", "满意"],       # other period: not a duplicate
            ["2026Q1", "ｘ1", "满意", "满意", "满意", "满意"]]      # full-width duplicate
    report = check(rows)
    assert report.parsed.reason.tolist() == ["", "no_answers", "too_few_answers", "duplicate_id", "", "", "duplicate_id"]
    assert report.invalid_by_reason == {"no_answers": 1, "too_few_answers": 1, "duplicate_id": 2}
    assert report.rows_read == 7 and report.valid == 3


def test_min_answered_share_is_a_setting():
    rows = [["期间", "a", "b", "c", "d"], ["2026Q1", "很满意", None, None, None], ["2026Q1", 5, 5, 5, 5]]
    assert check(rows).parsed.valid.tolist() == [False, True]
    assert check(rows, min_answered_share=0.25).parsed.valid.tolist() == [True, True]


def test_period_problems_and_form_period():
    assert [p.code for p in check([["q"], [5]]).problems] == ["missing_period"]
    assert check([["q"], [5]], period="2026年第3季度").parsed.period.tolist() == ["2026Q3"]
    report = check([["period", "q"], ["spring", 5], [None, 4]])
    assert [(p.code, p.row) for p in report.problems] == [("bad_period", 2), ("blank_period", 3)]


def test_segment_blank_is_a_problem_absent_is_all():
    assert check([["period", "q"], ["2026Q1", 5]]).parsed.segment.tolist() == ["all"]
    report = check([["period", "segment", "q"], ["2026Q1", None, 5]])
    assert [p.code for p in report.problems] == ["blank_segment"]


def test_segment_spellings_merge():
    report = check([["period", "segment", "q"], ["2026Q1", "民用户", 5], ["2026Q1", " 民用户　", 4]])
    assert report.parsed.segment.tolist() == ["民用户", "民用户"]


def test_customer_spellings_merge_by_width_case_and_spaces():
    report = check([["period", "segment", "customer", "q"], ["2026Q1", "工商业户", "ACME", 5],
                    ["2026Q1", "工商业户", "ａｃｍｅ", 3], ["2026Q1", "工商业户", " Acme ", 2],
                    ["2026Q1", "工商业户", "华为 技术", 4], ["2026Q1", "工商业户", "华为技术", 4]])
    assert report.parsed.customer.tolist() == ["ACME"] * 3 + ["华为 技术"] * 2


def test_focus_separators_names_and_letters():
    items = ("燃气质量", "服务", "价格/收费")
    letters = {"A": 0, "B": 1, "C": 2}
    for cell in ["A,B", "A，B", "A、B", "A;B", "A；B", "A/B", "A\nB", "燃气质量、服务", "a b".replace(" ", "\n"), " 燃气质量 ; b "]:
        assert parse_focus(cell, items, letters)[0] == {0, 1}, cell
    assert parse_focus("价格/收费、A", items, letters)[0] == {0, 2}
    assert parse_focus("其他", items, letters) == (set(), ["其他"])
    assert parse_focus("其他", items, letters, {"其他": None}) == (set(), [])


def test_focus_letters_from_items_sheet():
    data = xlsx([["period", "质量", "服务", "focus"], ["2026Q1", 5, 4, "Z"]],
                extra={"items": [["item", "option"], ["质量", "Y"], ["服务", "Z"]]})
    report = validate_bytes(data, "f.xlsx").report
    assert report.parsed.focus.tolist() == [[False, True]]


def test_unknown_focus_refuses_with_cell():
    report = check([["period", "q", "focus"], ["2026Q1", 5, "A、其他"]])
    assert [(p.code, p.row, p.column, p.value) for p in report.problems] == [("unknown_focus", 2, "C", "其他")]


def test_sent_sheet_parsed_and_checked():
    data = xlsx([["period", "segment", "q"], ["2026Q1", "a", 5]],
                extra={"sent": [["period", "segment", "sent"], ["2026-Q1", "a", "12"], ["2026Q1", "b", "many"]]})
    report = validate_bytes(data, "f.xlsx").report
    assert [(p.sheet, p.row, p.code) for p in report.problems] == [("sent", 3, "bad_sent")]


def test_no_valid_questionnaire_refused():
    report = check([["period", "respondent_id", "q", "r", "s"], ["2026Q1", "a", None, None, None], ["2026Q1", "b", 5, None, None],
                    ["2026Q1", "c", None, None, None]])
    assert [p.code for p in report.problems] == ["no_valid"]
    assert report.problems[0].message("zh").endswith("（全部题目未作答 2 份，作答题目不足一半 1 份，问卷编号重复 0 份）")
    assert "every item blank: 2, fewer than half of the items answered: 1" in report.problems[0].message("en")


def test_rows_read_equal_valid_plus_invalid():
    rows = [["period", "q", "r"]] + [["2026Q1", "很满意" if i % 3 else None, None if i % 4 else "满意"] for i in range(40)]
    report = check(rows)
    assert report.rows_read == report.valid + report.invalid == 40
    assert len(report.invalid_rows()) == report.invalid
    assert np.all(report.parsed.row == np.arange(2, 42))


def test_ids_compared_trimmed_not_with_inner_spaces():
    rows = [["期间", "编号", "a"], ["2026Q1", "Q 01", 5], ["2026Q1", "Q01", 5], ["2026Q1", " q01\u3000", 5]]
    assert check(rows).parsed.reason.tolist() == ["", "", "duplicate_id"]


def test_excel_error_cells_are_unknown_values_not_blanks():
    import io

    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("responses")
    sheet.write_row(0, 0, ["period", "q", "r"])
    sheet.write_row(1, 0, ["2026Q1", "很满意", "满意"])
    sheet.write(2, 0, "2026Q1")
    sheet.write_formula(2, 1, "=NA()", None, "#N/A")
    sheet.write(2, 2, "满意")
    book.close()
    report = validate_bytes(_saved_by_excel(buf.getvalue()), "e.xlsx").report
    assert [(p.code, p.row, p.column, p.value) for p in report.problems] == [("unknown_answer", 3, "B", "#N/A")]
    # as xlsxwriter leaves it ("calculate on opening"), the saved result is a placeholder: refused as such
    report = validate_bytes(buf.getvalue(), "e.xlsx")
    assert [(p.code, p.row, p.column) for p in report.problems] == [("formula_no_value", 3, "B")]


def _saved_by_excel(data: bytes) -> bytes:
    """The workbook as Excel saves it: results calculated, no "calculate on opening" flag."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                body = body.replace(b' fullCalcOnLoad="1"', b"")
            dst.writestr(info, body)
    return out.getvalue()


def test_sent_counts_that_cannot_be_right_are_noted_or_refused():
    rows = [["period", "q"], ["2026Q1", 5], ["2026Q1", 4], ["2026Q1", 3], ["2026Q2", 5]]
    data = xlsx(rows, extra={"sent": [["period", "sent"], ["2026Q1", 2], ["2025Q4", 10], ["2026Q2", 9]]})
    report = validate_bytes(data, "f.xlsx").report
    assert report.ok
    assert [(n.code, n.value) for n in report.notes] == [("sent_below_returned", "2026Q1"),
                                                          ("sent_period_not_in_file", "2025Q4")]
    assert "（2）少于回收数（3）" in report.notes[0].message("zh")
    blank = xlsx(rows, extra={"sent": [["period", "sent"], [None, 10]]})
    report = validate_bytes(blank, "f.xlsx").report
    assert [(p.code, p.row) for p in report.problems] == [("sent_blank_period", 2)]
    assert "2026Q1, 2026Q2" in report.problems[0].message("en")


def test_focus_names_with_brackets_and_separators_match_like_every_name():
    items = ("交货及时性（准时率）", "Price / Cost", "质量")
    assert parse_focus("交货及时性(准时率)、price/cost", items, {"A": 0, "B": 1, "C": 2}) == ({0, 1}, [])
    assert parse_focus("PRICE/COST；C)", items, {"A": 0, "B": 1, "C": 2}) == ({1, 2}, [])


def test_zero_width_characters_are_not_part_of_a_name():
    report = check([["period", "segment", "q"], ["2026Q1", "民用户", 5], ["2026Q1", "民用户\u200b", 4]])
    assert report.parsed.segment.tolist() == ["民用户", "民用户"]


def test_the_hint_for_an_unknown_answer_names_the_scale_in_use():
    report = check([["period", "q", "r"], ["2026Q1", "85.5", 90], ["2026Q1", 100, "很满意"]], scale="0-100")
    assert [(p.code, p.value) for p in report.problems] == [("unknown_number", "85.5"), ("unknown_number", "很满意")]
    assert "0–100 的整数" in report.problems[0].message("zh")
    assert "很满意/较满意" in check([["period", "q"], ["2026Q1", "好"]]).problems[0].message("zh")
