"""The survey template (问卷模板) of CONTRACTS.md §1: the workbook users fill in.

Written with the demo's writer so the two look alike; the example row carries
:data:`~csi_core.reading.contract.EXAMPLE_COMMENT`, by which validation refuses a file
that still holds it.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from csi_core.demo import (ANSWER_LABELS, COMMENT_HEADER, FOCUS_HEADER, ITEMS, LEAD_HEADERS, _formats,
                           _items_rows, _new_workbook, _write_table, item_headers, response_headers)
from csi_core.reading.contract import EXAMPLE_COMMENT



def example_row(items: Sequence[tuple[str, str]] = ITEMS) -> dict:
    """The template's example row (示例行), clearly marked as such."""
    cycle = ("很满意", "较满意", "一般", "较满意")
    row = {"期间": "2026Q1", "客户类型": "民用户", "客户名称": "示例客户 example",
           "问卷编号": "Q2026Q1-0001", "填写日期": dt.date(2026, 2, 15),
           FOCUS_HEADER: "A、C" if len(items) >= 3 else "A",
           COMMENT_HEADER: EXAMPLE_COMMENT}
    row.update({name: cycle[j % len(cycle)] for j, name in enumerate(item_headers(items))})
    return row


_README = (
    ("期间 period", "调查期，如 2026Q1、2026-Q1、2026年第1季度；也可填日期或半年 2026H1。",
     "Survey period, e.g. 2026Q1, 2026-Q1, 2026年第1季度; a date or 2026H1 also works."),
    ("客户类型 segment", "客户类别，如 民用户、工商业户、公福用户；可不填。",
     "Customer segment, e.g. residential / commercial; optional."),
    ("客户名称 customer", "客户名称或户号；同一客户可交多份问卷。",
     "Customer name or account number; one customer may return several forms."),
    ("问卷编号 respondent id", "每份问卷唯一；同期重复编号的后一份视为无效。",
     "Unique per questionnaire; a repeated id in the same period is invalid."),
    ("填写日期 date", "填写问卷的日期。", "Date the form was filled in."),
    ("各题目列 item columns", "每列一个综合题，表头即题目名称；可增删列。",
     "One column per rated item; the header is the item name; add or remove columns."),
    ("答案 answers", "很满意 / 较满意 / 一般 / 不满意 / 很不满意，也可填 5~1 或 非常满意、满意、基本满意等。",
     "5 levels; numbers 5..1 and variants (非常满意, 满意, 基本满意, very satisfied...) are accepted."),
    ("未答 not answered", "留空或填 不适用、N/A：不计入该题。",
     "Leave blank or write 不适用 / N/A: left out of that item's score."),
    ("最关注的项目 focus", "多选：题目名称或选项字母（A=第一题列），用 , ， 、 ; ； / 或换行分隔。",
     "Multi-select: item names or option letters (A = first item column), separated by "
     ", ， 、 ; ； / or a line break."),
    ("意见建议 comment", "意见和建议，可不填。", "Free-text comment; optional."),
    ("分公司 branch（可选列）", "可加一列“分公司”：空 = 总部。各分公司可分别上传同一季度的文件，导入时按分公司追加。",
     "Optional column 分公司 / branch: blank = headquarters. Each branch may upload its own file for "
     "the same quarter; an import adds its branch to the period."),
    ("竞争对手 competitor（可选列）", "可加一列“竞争对手”：空 = 本公司的问卷；填写对手名称 = 竞争对手满意度调查表，"
     "不计入本公司得分，用本公司的权重打分（每期至少 10 份）。",
     "Optional column 竞争对手 / competitor: blank = our questionnaires; a name = a competitor "
     "questionnaire, never in our scores, scored with our weights (at least 10 per period)."),
    ("无效问卷 invalid", "全部题目为空、答题少于一半或编号重复的问卷不计分。",
     "Forms with all items blank, fewer than half answered, or a repeated id are not scored."),
    ("items 表", "题目、维度（质量/服务/价格/交付…）与选项字母。",
     "Sheet items: item, dimension, option letter."),
    ("sent 表", "各期各类客户的发放问卷数，用于计算回收率；customer 可不填。",
     "Sheet sent: questionnaires sent per period and segment (customer optional), for the response rate."),
    ("示例行 example row", "灰色斜体的第一行为示例，上传前请删除。",
     "The grey italic first row is an example; delete it before uploading."),
)


def _write_readme(book, fmt: dict) -> None:
    """Sheet `说明 readme`: what each column means, in Chinese and English."""
    rows = [dict(zip(("列 column", "说明", "description"), line)) for line in _README]
    sheet = _write_table(book, "说明 readme", ["列 column", "说明", "description"], rows, fmt)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 2, 60, fmt["wrap"])


def _add_answer_dropdowns(sheet, n_items: int, last_row: int = 1000) -> None:
    """Drop-down lists of the five answer labels on the item columns."""
    first = len(LEAD_HEADERS)
    sheet.data_validation(1, first, last_row, first + n_items - 1, {
        "validate": "list", "source": list(ANSWER_LABELS), "error_type": "warning",
        "input_title": "满意度 rating", "input_message": "很满意…很不满意；留空=未答",
        "error_title": "非标准答案", "error_message": "建议从下拉列表选择；不适用、5~1 也可接受。",
    })


def _write_template(target: io.BytesIO, items: Sequence[tuple[str, str]]) -> None:
    """Write the empty template into ``target``."""
    book = _new_workbook(target)
    fmt = _formats(book)
    sheet = _write_table(book, "responses", response_headers(items), [example_row(items)],
                         fmt, example=True)
    _add_answer_dropdowns(sheet, len(items))
    _write_table(book, "items", ["item", "dimension", "option"], _items_rows(items), fmt)
    sent_example = [{"period": "2026Q1", "segment": "民用户", "sent": 300}]
    _write_table(book, "sent", ["period", "segment", "customer", "sent"], sent_example, fmt,
                 example=True)
    _write_readme(book, fmt)
    book.close()


def template_bytes(items: Sequence[tuple[str, str]] = ITEMS) -> bytes:
    """The empty survey template (问卷模板) for ``items`` as .xlsx bytes.

    Parameters
    ----------
    items : (name, dimension) pairs in column order; dimension may be empty.
    """
    target = io.BytesIO()
    _write_template(target, items)
    return target.getvalue()


def write_template(path: str | Path, items: Sequence[tuple[str, str]] = ITEMS) -> Path:
    """Write the empty template to ``path`` and return the path."""
    path = Path(path)
    path.write_bytes(template_bytes(items))
    return path


# --- the complaints template (《客户投诉记录表》) --------------------------------------------
COMPLAINT_HEADERS = ("受理日期", "客户", "客户类型", "分公司", "投诉人", "投诉渠道", "投诉内容", "投诉要求",
                     "是否成立", "判定理由", "投诉类型", "投诉方类别", "直接损失（元）", "责任部门", "责任人",
                     "原因分析", "处理方案", "领导批示", "处理步骤", "结案日期", "客户满意度", "相关题目")
COMPLAINT_CHOICES = {"是否成立": ("是", "否"), "投诉类型": ("服务产品", "服务质量", "合同"),
                     "投诉方类别": ("A", "B", "C"),
                     "处理步骤": ("记录投诉内容", "判定是否成立", "确定责任部门", "分析原因", "提出处理方案",
                              "领导批示", "实施处理方案", "总结评价"),
                     "客户满意度": ("很满意", "较满意", "一般", "不满意", "很不满意")}


def complaints_template_bytes() -> bytes:
    """The complaints workbook to fill in: sheet ``complaints`` with the record's columns
    (drop-down lists where the procedure names the values), and a sheet of explanations.
    No example row: a row is a complaint."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("complaints")
    for c, header in enumerate(COMPLAINT_HEADERS):
        sheet.write_string(0, c, header, head)
        sheet.set_column(c, c, 24 if header in ("投诉内容", "投诉要求", "原因分析", "处理方案") else 13,
                         day if header in ("受理日期", "结案日期") else None)
        if header in COMPLAINT_CHOICES:
            sheet.data_validation(1, c, 1000, c, {"validate": "list", "source": list(COMPLAINT_CHOICES[header]),
                                                  "error_type": "warning"})
    sheet.freeze_panes(1, 0)
    notes = book.add_worksheet("说明 notes")
    lines = ("一行一项投诉；受理日期必填（2026-01-05）。", "是否成立：是 / 否；投诉类型：服务产品 / 服务质量 / 合同（第十七条）。",
             "投诉方类别：A / B / C（第十九条）；直接损失（元）决定严重程度（第十八条）：≥ 1000 轻微 … ≥ 1 000 000 特别重大。",
             "处理步骤：第二十一条的八个步骤之一，或 1–8；结案日期填写后投诉即结案。",
             "相关题目：调查题目名称，用 、 分隔。",
             "One complaint a row; the received date is required. Headers may also be written in English "
             "(received, customer, type, class, loss, status, closed …).")
    for r, line in enumerate(lines):
        notes.write_string(r, 0, line)
    notes.set_column(0, 0, 110)
    book.close()
    return buf.getvalue()
