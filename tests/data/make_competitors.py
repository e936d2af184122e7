"""Write tests/data/competitors.xlsx: our questionnaires and competitor questionnaires
(竞争对手满意度调查表) of two segments and two items; the JSON it must give is
tests/data/competitors_expected.json, worked out by hand in tests/test_competitors_golden.py.

    python tests/data/make_competitors.py
"""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

HERE = Path(__file__).parent
HEADER = ["期间", "客户类型", "竞争对手", "质量", "服务", "最关注的项目"]
ROWS = [
    # ours, 2026Q1: 民用户 ticks 质量 3, 服务 1; 工商业户 质量 1, 服务 1
    ["2026Q1", "民用户", None, "很满意", "满意", "质量"],
    ["2026Q1", "民用户", None, "满意", "一般", "质量,服务"],
    ["2026Q1", "民用户", None, "很满意", "很满意", "质量"],
    ["2026Q1", "工商业户", None, "一般", "满意", "服务"],
    ["2026Q1", "工商业户", None, "满意", "满意", "质量"],
    # competitors, 2026Q1: their focus ticks (服务) must not change any weight
    ["2026Q1", "民用户", "华润燃气", "满意", "一般", "服务"],
    ["2026Q1", "民用户", "华润燃气", "一般", "不满意", "服务"],
    ["2026Q1", "工商业户", "华润燃气", "很满意", "满意", "服务"],
    ["2026Q1", "民用户", "港华燃气", "很满意", "很满意", "服务"],
    ["2026Q1", "民用户", "港华燃气", None, None, None],  # invalid: every item blank
    # ours, 2026Q2: no competitor rows
    ["2026Q2", "民用户", None, "满意", "满意", "质量"],
    ["2026Q2", "工商业户", None, "很满意", "一般", "服务"],
]


def write(path: Path, rows: list[list]) -> None:
    book = xlsxwriter.Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = book.add_worksheet("responses")
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()


if __name__ == "__main__":
    write(HERE / "competitors.xlsx", ROWS)
