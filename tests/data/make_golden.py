"""Write the golden workbooks of tests/data and the JSON they must give.

The expected JSON comes from tests/reference.py (an independent, naive
implementation of METHOD.md), never from csi_core. Run from the repo root:

    python tests/data/make_golden.py
"""
from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))

from tests import reference  # noqa: E402

LABELS = {5: ["很满意", "非常满意", "很 满意", "ＶＥＲＹ satisfied", 5], 4: ["较满意", "满意", " 比较满意 ", "satisfied", 4.0],
          3: ["一般", "基本满意", "neutral", "3"], 2: ["不满意", "不太满意", "较不满意", 2], 1: ["很不满意", "非常不满意", 1]}


def write(path: Path, header: list, rows: list[list], extra: dict | None = None) -> None:
    book = xlsxwriter.Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = book.add_worksheet("responses")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            else:
                sheet.write(r, c, value)
    for name, table in (extra or {}).items():
        other = book.add_worksheet(name)
        for r, row in enumerate(table):
            other.write_row(r, 0, row)
    book.close()


def pick(rng: random.Random, probs: list[float]) -> int:
    return rng.choices([5, 4, 3, 2, 1], probs)[0]


def basic(rng: random.Random) -> tuple[list, list]:
    """Chinese headers, two quarters spelt differently, two segments, customers, focus."""
    items = ["燃气质量", "供气稳定", "抄表准确", "维修及时", "服务态度", "价格/收费"]
    header = ["问卷编号", "期间", "客户类型", "客户名称", "填写日期", *items, "最关注的项目", "意见建议"]
    rows = []
    spellings = {"2026Q1": ["2026Q1", "2026-Q1", "2026年第1季度", "2026 q1"], "2026Q2": ["2026Q2", "2026年第二季度", "2026-Q2"]}
    customers = ["华东机械", "市一医院", "ＡＣＭＥ公司", "明光小学"]
    for period, names in spellings.items():
        for n in range(60):
            seg = "民用户" if n % 3 else "工商业户"
            probs = [0.3, 0.4, 0.2, 0.07, 0.03] if seg == "民用户" else [0.1, 0.3, 0.3, 0.2, 0.1]
            levels = [pick(rng, probs) for _ in items]
            if seg == "工商业户" and period == "2026Q2":
                levels[3] = rng.choice([2, 3, 1])  # 维修及时 falls
            cells = [rng.choice(LABELS[lv]) for lv in levels]
            for j in range(len(items)):
                if rng.random() < 0.06:
                    cells[j] = rng.choice([None, "不适用", "N/A", " ", "ｎａ"])
            ticks = rng.sample(range(len(items)), rng.randint(0, 3))
            tokens = [items[j] if rng.random() < 0.5 else "ABCDEF"[j].lower() if rng.random() < 0.3 else "ABCDEF"[j]
                      for j in ticks]
            focus = rng.choice(["、", ",", "，", ";", "；", "\n", " / "]).join(tokens) if tokens else None
            customer = customers[n % 4] if seg == "工商业户" else None
            rid = f"{period}-{n:03d}"
            rows.append([rid, rng.choice(names), seg, customer, dt.date(2026, 3 if period == "2026Q1" else 6, 1 + n % 28),
                         *cells, focus, "燃气有异味" if n % 17 == 0 else None])
        rows.append([f"{period}-001", names[0], "民用户", None, None, *["很满意"] * len(items), "A", None])  # duplicate id
        rows.append([f"{period}-900", names[0], "民用户", None, None, *[None] * len(items), None, "空白问卷"])
        rows.append([f"{period}-901", names[0], "工商业户", customers[0], None, "一般", "较满意", *[None] * (len(items) - 2),
                     None, None])  # 2 of 6 answered: too few
        rows.append([None] * len(header))  # an empty row: not a questionnaire
    return header, rows


def english(rng: random.Random) -> tuple[list, list]:
    """English headers, one half-year, no segment column, no focus: equal weights."""
    items = ["Delivery", "Quality", "Service", "Price"]
    header = ["Period", "Customer", "respondent_id", *items, "comment"]
    rows = []
    for n in range(40):
        levels = [pick(rng, [0.2, 0.3, 0.3, 0.15, 0.05]) for _ in items]
        cells = [rng.choice(["very satisfied", "Very Satisfied", 5]) if lv == 5 else
                 rng.choice(["satisfied", 4]) if lv == 4 else rng.choice(["neutral", 3]) if lv == 3 else
                 rng.choice(["dissatisfied", 2]) if lv == 2 else rng.choice(["very dissatisfied", 1]) for lv in levels]
        rows.append(["2026H1", f"Customer {n % 5}", f"R{n}", *cells, None])
    return header, rows


def worked_example() -> tuple[list, list]:
    """METHOD.md's worked examples: 18/56/23/2/1 → 0.747; focus ticks 38/22/10/2/3/15/2/3/5."""
    items = [f"指标{c}" for c in "ABCDEFGHI"]
    header = ["期间", *items, "最关注"]
    a_levels = [5] * 18 + [4] * 56 + [3] * 23 + [2] * 2 + [1]
    focus = [c for c, n in zip("ABCDEFGHI", [38, 22, 10, 2, 3, 15, 2, 3, 5]) for _ in range(n)]
    rows = [["2026Q1", {5: "很满意", 4: "较满意", 3: "一般", 2: "不满意", 1: "很不满意"}[lv], *["满意"] * 8, f]
            for lv, f in zip(a_levels, focus)]
    return header, rows


def dropped(rng: random.Random) -> tuple[list, list]:
    """An item nobody in a segment answered; a segment with invalid rows only; three segments."""
    items = ["质量", "交期", "服务"]
    header = ["period", "segment", "customer", *items, "focus"]
    rows = []
    for n in range(30):
        seg = ["residential", "commercial"][n % 2]
        cells = [rng.choice(["很满意", "较满意", "一般", "不满意"]) for _ in items]
        if seg == "commercial":
            cells[1] = None  # nobody in commercial answers 交期
        rows.append(["2026Q3", seg, f"C{n % 3}" if seg == "commercial" else None, *cells, rng.choice(["A", "B,C", "质量", None])])
    rows.append(["2026Q3", "public", None, None, None, None, None])  # public: only an empty questionnaire
    return header, rows


def overall(rng: random.Random) -> tuple[list, list]:
    """Six quarters, two segments, customers, focus and an overall-satisfaction column:
    intervals, changes, control limits and derived importance (issue 11)."""
    items = ["Delivery", "Quality", "Service", "Price", "Docs"]
    header = ["period", "segment", "customer", *items, "focus", "总体满意度"]
    labels = {5: "很满意", 4: "较满意", 3: "一般", 2: "不满意", 1: "很不满意"}
    rows = []
    for q in range(6):
        period = f"{2025 + q // 4}Q{q % 4 + 1}"
        for n in range(36 + 4 * q):
            seg = "retail" if n % 3 else "industry"
            lean = 0.1 * q if seg == "retail" else -0.05 * q
            levels = [pick(rng, [0.25 + lean / 2, 0.35, 0.2, 0.12 - lean / 4, 0.08 - lean / 4]) for _ in items]
            noise = rng.choice([-1, 0, 0, 1])
            over = max(1, min(5, round(0.5 * levels[0] + 0.3 * levels[1] + 0.2 * levels[3] + noise)))
            cells = [labels[lv] if rng.random() > 0.05 else None for lv in levels]
            ticks = rng.sample("ABCDE", rng.randint(0, 2))
            rows.append([period, seg, f"C{n % 4}" if seg == "industry" else None, *cells, ",".join(ticks) or None,
                         labels[over] if rng.random() > 0.05 else None])
    return header, rows


CASES = {
    "golden_overall": (overall, []),
    "golden_basic": (basic, []),
    "golden_basic_weights": (basic, ["--segment-weights", "民用户=70,工商业户=30"]),
    "golden_english": (english, []),
    "golden_worked_example": (worked_example, []),
    "golden_dropped": (dropped, ["--segment-weights", "residential=60,commercial=30,public=10"]),
}


def main() -> None:
    for name, (make, args) in CASES.items():
        rng = random.Random(name.split("_weights")[0])
        header, rows = make(rng) if make.__code__.co_argcount else make()
        path = HERE / f"{make.__name__}.xlsx"
        write(path, header, rows)
        weights = None
        if args:
            weights = {k: float(v) for k, v in (p.split("=") for p in args[1].split(","))}
        expected = reference.compute(str(path), weights)
        (HERE / f"{name}.json").write_text(json.dumps({"workbook": path.name, "args": args, "expected": expected},
                                                      ensure_ascii=False, indent=1))
        print("wrote", name)


if __name__ == "__main__":
    main()
