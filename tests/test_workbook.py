"""Reading workbooks: headers and roles, sheets, rows, and files that are not workbooks."""
import io
import zipfile

import pytest

from csi_core.reading.problems import WorkbookRefused
from csi_core.reading.workbook import Limits, read, role_of_header
from tests.conftest import xlsx


@pytest.mark.parametrize("header,role", [
    ("period", "period"), ("期间", "period"), ("调查期", "period"), ("季度", "period"), (" PERIOD ", "period"),
    ("segment", "segment"), ("客户类型", "segment"), ("客户类别", "segment"), ("Segment", "segment"),
    ("customer", "customer"), ("客户", "customer"), ("客户名称", "customer"),
    ("respondent_id", "respondent_id"), ("问卷编号", "respondent_id"), ("编号", "respondent_id"),
    ("date", "date"), ("日期", "date"), ("填写日期", "date"),
    ("focus", "focus"), ("最关注", "focus"), ("最关注的项目", "focus"),
    ("comment", "comment"), ("意见建议", "comment"), ("建议", "comment"), ("ｃｏｍｍｅｎｔ", "comment"),
    ("燃气质量", None), ("Delivery", None),
])
def test_header_roles(header, role):
    assert role_of_header(header) == role


def test_sheet_named_responses_wins_over_first():
    data = xlsx([["x"], ["y"]], sheet="readme", extra={"Responses": [["period", "q"], ["2026Q1", "5"]]})
    table = read(data, "f.xlsx")
    assert table.sheet == "Responses" and [c.header for c in table.items] == ["q"]


def test_first_sheet_when_no_responses_sheet():
    table = read(xlsx([["期间", "质量"], ["2026Q1", 5]], sheet="Sheet1"))
    assert table.sheet == "Sheet1" and "period" in table.roles


def test_empty_rows_are_not_rows_and_row_numbers_are_excel_rows():
    table = read(xlsx([["period", "q"], ["2026Q1", 5], [None, None], ["", " "], ["2026Q1", 4]]))
    assert table.rows.tolist() == [2, 5] and table.empty_rows == 2


def test_title_row_above_header_is_skipped():
    table = read(xlsx([["2026年客户满意度调查"], ["period", "q", "r"], ["2026Q1", 5, 4]]))
    assert table.rows.tolist() == [3] and table.notes[0].code == "title_row_skipped"


def test_items_and_sent_sheets():
    data = xlsx([["period", "质量", "服务"], ["2026Q1", 5, 4]],
                extra={"items": [["item", "dimension", "option"], ["质量", "quality", "A"], ["服务", "service", "B"]],
                       "sent": [["period", "segment", "sent"], ["2026Q1", "all", 10]]})
    table = read(data)
    assert [(i.name, i.dimension, i.option) for i in table.item_info] == [("质量", "quality", "A"), ("服务", "service", "B")]
    assert table.sent[0][:4] == ("2026Q1", "all", None, "10")


def refused_codes(data: bytes, limits: Limits = Limits()) -> list[str]:
    with pytest.raises(WorkbookRefused) as info:
        read(data, "f.xlsx", limits=limits)
    return [p.code for p in info.value.problems]


def test_not_a_workbook():
    assert refused_codes(b"") == ["empty_file"]
    assert refused_codes(b"name,score\nA,5\n") == ["csv_file"]
    assert refused_codes(b"\x00\x01binary") == ["not_xlsx"]
    assert refused_codes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == ["ole_file"]
    assert refused_codes(b"PK\x03\x04broken") == ["zip_damaged"]


def test_a_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert refused_codes(buf.getvalue()) == ["zip_not_workbook"]


def test_zip_bomb_refused_before_parsing():
    from tests.hostile.build import Sheet, book, sheet_xml

    data = book(Sheet("responses", sheet_xml("") + " " * (60 * 2**20)))
    assert refused_codes(data) == ["zip_ratio"]
    assert refused_codes(data, Limits(max_unpacked_bytes=2**20)) == ["zip_bomb"]


def test_no_items_duplicate_roles_and_headless_values():
    assert refused_codes(xlsx([["period", "segment"], ["2026Q1", "a"]])) == ["no_items"]
    assert "duplicate_role" in refused_codes(xlsx([["period", "期间", "q"], ["2026Q1", "2026Q1", 5]]))
    assert "duplicate_item" in refused_codes(xlsx([["period", "q", "Ｑ"], ["2026Q1", 5, 5]]))
    assert "no_header" in refused_codes(xlsx([["period", "q", None], ["2026Q1", 5, 5]]))
    assert refused_codes(xlsx([["period", "q"]])) == ["no_rows"]


def test_column_mapping_for_unknown_headers():
    data = xlsx([["Quarter name", "Kind", "Q1"], ["2026Q1", "a", 5]])
    table = read(data, mapping={"period": "Quarter name", "segment": "Kind"})
    assert table.roles["period"].header == "Quarter name" and [c.header for c in table.items] == ["Q1"]
    table = read(data, mapping={"period": "Quarter name", "Kind": "ignore"})
    assert [c.header for c in table.items] == ["Q1"]


def test_mangled_workbooks_never_raise():
    """Truncated, bit-flipped or XML-mangled files give an outcome, never an exception."""
    import random
    from pathlib import Path

    from csi_core.store.ingest import validate_bytes

    data = (Path(__file__).parent / "data" / "basic.xlsx").read_bytes()
    rng = random.Random(7)
    source = zipfile.ZipFile(io.BytesIO(data))
    for k in range(30):
        if k % 2:
            mangled = bytearray(data[: rng.randint(10, len(data))])
            for _ in range(rng.randint(0, 30)):
                mangled[rng.randrange(len(mangled))] = rng.randrange(256)
        else:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
                for info in source.infolist():
                    content = bytearray(source.read(info))
                    for _ in range(rng.randint(0, 10)):
                        content[rng.randrange(len(content))] = rng.choice(b'<>"/&x\x001')
                    zf.writestr(info.filename, bytes(content))
            mangled = out.getvalue()
        outcome = validate_bytes(bytes(mangled), "m.xlsx")
        assert outcome.report is not None or outcome.problems


def test_a_sheet_read_in_chunks_equals_the_whole_read():
    """Large sheets are cut into row chunks (bounded memory); the result must not change."""
    from pathlib import Path

    from csi_core.reading.workbook import Limits

    data = (Path(__file__).parent / "data" / "basic.xlsx").read_bytes()
    whole = read(data, "b.xlsx")
    chunked = read(data, "b.xlsx", limits=Limits(chunk_bytes=4096))
    assert chunked.rows.tolist() == whole.rows.tolist()
    assert [c.header for c in chunked.items] == [c.header for c in whole.items]
    for a, b in zip([*whole.items, *whole.roles.values()], [*chunked.items, *chunked.roles.values()]):
        assert a.letter == b.letter and a.values.equals(b.values), a.header


def test_chunks_keep_row_numbers_and_columns_when_a_chunk_starts_with_blanks():
    rows = [["2026年调查"], ["period", "id", "q", "r"]]
    rows += [["2026Q1", None if i % 7 else f"x{i}", "很满意", None if i % 3 else "满意"] for i in range(400)]
    rows[150:160] = [[None, None, None, None]] * 10
    data = xlsx(rows)
    whole = read(data)
    chunked = read(data, limits=Limits(chunk_bytes=2048))
    assert chunked.rows.tolist() == whole.rows.tolist() and chunked.empty_rows == whole.empty_rows
    for a, b in zip([*whole.items, *whole.roles.values()], [*chunked.items, *chunked.roles.values()]):
        assert a.values.equals(b.values), a.header


def _openpyxl_book(rows: list[list]) -> bytes:
    """openpyxl writes formulas without a saved result (as scripts and exports do)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "responses"
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_a_formula_without_a_saved_result_is_refused_at_its_cell():
    data = _openpyxl_book([["季度", "质量", "服务"], ["2026Q1", "很满意", '="很不满意"'],
                           ["2026Q1", "满意", "满意"], ['="2026Q1"', "一般", "满意"]])
    with pytest.raises(WorkbookRefused) as info:
        read(data, "f.xlsx")
    found = [(p.code, p.row, p.column, p.header) for p in info.value.problems]
    assert found == [("formula_no_value", 2, "C", "服务"), ("formula_no_value", 4, "A", "季度")]
    assert "Excel" in info.value.problems[0].message("zh")


def test_formulas_with_saved_results_are_read_as_their_results():
    from csi_core.reading.guard import unsaved as _unsaved

    xml = (b'<c r="B2" t="str"><f>IF(A1="","","x")</f><v></v></c>'     # Excel: the result is ""
           b'<c r="C2" t="str"><f>"x"</f><v>x</v></c>'
           b'<c r="D2"><f t="shared" ref="D2:E2" si="0">A1</f><v>3</v></c>'
           b'<c r="E2"><f t="shared" si="0"/></c>'                      # no result
           b'<c r="F9" s="1"><f>A1</f><v /></c>'                        # openpyxl's empty result
           b'<c r="G9"><v>4</v></c>')
    assert _unsaved(xml) == [(2, "E"), (9, "F")]
    data = xlsx([["period", "q"], ["2026Q1", 5]])
    assert read(data).n_rows == 1


def test_items_and_sent_sheets_take_common_header_spellings():
    data = xlsx([["period", "质量", "服务"], ["2026Q1", 5, 4]],
                extra={"items": [["指标名称", "维度", "选项字母"], ["服务", "服务", "A"], ["质量", "产品", "B"]],
                       "sent": [["季度", "客户类型", "发放份数"], ["2026Q1", "all", 10]]})
    table = read(data)
    assert [(i.name, i.option) for i in table.item_info] == [("服务", "A"), ("质量", "B")]
    assert table.sent[0][3] == "10"


@pytest.mark.parametrize("sheet, rows, expected", [
    ("items", [["名称", "分类", "代号"], ["服务", "服务", "A"]], "item"),
    ("sent", [["季度", "客户类型", "份数?"], ["2026Q1", "all", 10]], "sent"),
])
def test_an_items_or_sent_sheet_without_its_key_column_is_refused(sheet, rows, expected):
    data = xlsx([["period", "质量", "服务"], ["2026Q1", 5, 4]], extra={sheet: rows})
    with pytest.raises(WorkbookRefused) as info:
        read(data)
    [problem] = info.value.problems
    assert (problem.code, problem.sheet, problem.row) == ("optional_sheet_header", sheet, 1)
    assert expected in problem.message("en")


def test_an_empty_items_sheet_is_no_items_sheet():
    data = xlsx([["period", "质量"], ["2026Q1", 5]], extra={"items": []})
    assert read(data).item_info == ()


def test_one_option_letter_for_two_items_is_refused():
    data = xlsx([["period", "质量", "服务"], ["2026Q1", 5, 4]],
                extra={"items": [["item", "option"], ["质量", "A"], ["服务", "a"]]})
    with pytest.raises(WorkbookRefused) as info:
        read(data)
    [problem] = info.value.problems
    assert (problem.code, problem.row, problem.column, problem.value) == ("duplicate_option", 3, "B", "A")
    assert "质量" in problem.message("zh") and "服务" in problem.message("zh")


def test_a_hidden_first_sheet_is_not_the_data():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["填表说明", "请勿修改"])
    book.active.sheet_state = "hidden"
    data_sheet = book.create_sheet("问卷数据")
    for row in [["季度", "质量", "服务"], ["2026Q1", "很满意", "满意"]]:
        data_sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    table = read(buf.getvalue())
    assert table.sheet == "问卷数据" and [c.header for c in table.items] == ["质量", "服务"]


def test_sheet_names_with_xml_escapes_and_a_veryhidden_sheet():
    """The sheet list is parsed as XML (defusedxml): &amp; &lt; &quot; in a name are the
    characters, a veryHidden sheet is skipped like a hidden one."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    notes = book.add_worksheet('A&B <说明> "x"')
    notes.write_row(0, 0, ["填表说明", "请勿修改"])
    notes.very_hidden()
    data_sheet = book.add_worksheet('Q&A "2026"')
    for r, row in enumerate([["季度", "质量", "服务"], ["2026Q1", "很满意", "满意"]]):
        data_sheet.write_row(r, 0, row)
    data_sheet.activate()
    book.close()
    table = read(buf.getvalue())
    assert table.sheet == 'Q&A "2026"' and [c.header for c in table.items] == ["质量", "服务"]


def test_an_entity_in_the_sheet_list_is_not_expanded():
    """A DOCTYPE with entities in workbook.xml (an XML bomb's shape) is refused before
    any parser sees it, naming the part (more in tests/hostile/)."""
    data = xlsx([["季度", "质量"], ["2026Q1", "很满意"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/workbook.xml":
                content = content.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>', 1)
            target.writestr(info, content)
    with pytest.raises(WorkbookRefused) as refused:
        read(out.getvalue())
    assert [(p.code, dict(p.params)["part"]) for p in refused.value.problems] == [("xml_dtd", "xl/workbook.xml")]


def test_a_group_header_row_above_the_header_is_skipped():
    """A row of two or more cells ("基本信息 | 满意度评价") is not taken for the header
    when the row below holds the known headers."""
    data = _openpyxl_book([["基本信息", None, None, "满意度评价", None],
                           ["季度", "客户类型", "客户", "质量", "服务"], ["2026Q1", "民用户", "王", "很满意", "满意"]])
    table = read(data)
    assert table.rows.tolist() == [3] and [c.header for c in table.items] == ["质量", "服务"]
    assert [n.code for n in table.notes] == ["title_row_skipped"]
    # without a known header the first row of two cells is still the header
    assert read(xlsx([["标题"], ["q", "r"], ["5", "4"]])).rows.tolist() == [3]


def test_a_row_number_column_is_not_an_item():
    table = read(xlsx([["序号", "季度", "质量", "服务"], [1, "2026Q1", "很满意", "满意"], [7, "2026Q1", "满意", "一般"]]))
    assert [c.header for c in table.items] == ["质量", "服务"]
    assert [(n.code, n.column) for n in table.notes] == [("row_number_column", "A")]
    # the column mapping can still give it a role
    mapped = read(xlsx([["序号", "季度", "质量"], ["a1", "2026Q1", "很满意"]]), mapping={"respondent_id": "序号"})
    assert mapped.roles["respondent_id"].header == "序号"


def test_a_stray_blank_cell_far_right_is_not_a_column_and_a_stray_value_is_named():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "responses"
    for row in [["期间", "质量"], ["2026Q1", "很满意"]]:
        sheet.append(row)
    sheet["XFD5"] = " "
    buf = io.BytesIO()
    book.save(buf)
    assert [c.header for c in read(buf.getvalue()).items] == ["质量"]
    sheet["XFD5"] = "x"
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(WorkbookRefused) as info:
        read(buf.getvalue())
    assert [(p.code, p.row, p.column) for p in info.value.problems] == [("too_many_columns", 5, "XFD")]


def test_the_header_is_the_row_with_the_most_known_headers():
    table = read(xlsx([["客户", None, "满意度", None], ["期间", "客户名称", "质量", "交期"], ["2026Q1", "A公司", 5, 4]]))
    assert table.rows.tolist() == [3] and set(table.roles) == {"period", "customer"}


def test_xlsxwriter_formulas_are_placeholders_until_excel_calculates_them():
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("responses")
    sheet.write_row(0, 0, ["period", "质量", "交期"])
    sheet.write_row(1, 0, ["2026Q1", 9, 8])
    sheet.write(2, 0, "2026Q1")
    sheet.write_formula(2, 1, "=B2+1")  # saved as 0 with "calculate on opening"
    sheet.write(2, 2, 10)
    book.close()
    with pytest.raises(WorkbookRefused) as info:
        read(buf.getvalue())
    assert [(p.code, p.row, p.column) for p in info.value.problems] == [("formula_no_value", 3, "B")]
