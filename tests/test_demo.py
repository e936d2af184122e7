"""Tests of csi_core/demo.py: the demo workbook and the empty template.

Scores are recomputed here from the raw labels with METHOD.md's coefficients,
independently of the scoring modules.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pytest

from csi_core import demo
from csi_core import template as tpl

COEFFICIENT = {  # METHOD.md: the five levels and their coefficients (权重3)
    **dict.fromkeys(["很满意", "非常满意", "very satisfied", "5"], 1.0),
    **dict.fromkeys(["较满意", "比较满意", "满意", "satisfied", "4"], 0.8),
    **dict.fromkeys(["一般", "基本满意", "neutral", "3"], 0.5),
    **dict.fromkeys(["不满意", "较不满意", "不太满意", "dissatisfied", "2"], 0.2),
    **dict.fromkeys(["很不满意", "非常不满意", "very dissatisfied", "1"], 0.0),
}
NOT_ANSWERED = {"", "不适用", "n/a", "na"}
ITEM_NAMES = [name for name, _ in demo.ITEMS]
HEADERS = ["期间", "客户类型", "客户名称", "问卷编号", "填写日期", *ITEM_NAMES, "最关注的项目", "意见建议"]
FOCUS_SPLIT = re.compile(r"[,，、;；/\n]")


def norm(value) -> str:
    """A cell as METHOD.md compares it: NFKC, trimmed, lower case; 4.0 -> '4'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip().lower()


def coefficient(value) -> float | None:
    """Coefficient of an answer cell, None when not answered; KeyError if unknown."""
    text = norm(value)
    return None if text in NOT_ANSWERED else COEFFICIENT[text]


def answered(row: dict) -> int:
    return sum(coefficient(row[name]) is not None for name in ITEM_NAMES)


def classify(rows: list[dict]) -> list[str]:
    """METHOD.md validity, in rule order: valid | all_blank | too_few | duplicate."""
    seen: set[tuple[str, str]] = set()
    kinds = []
    for row in rows:
        n = answered(row)
        key = (row["期间"], norm(row["问卷编号"]))
        if n == 0:
            kinds.append("all_blank")
        elif n < 0.5 * len(ITEM_NAMES):
            kinds.append("too_few")
        elif key in seen:
            kinds.append("duplicate")
        else:
            seen.add(key)
            kinds.append("valid")
    return kinds


def focus_items(cell) -> list[str]:
    """Items ticked in a 最关注的项目 cell (names or option letters)."""
    letters = {demo.option_letter(j): name for j, name in enumerate(ITEM_NAMES)}
    parts = [norm(p).upper() if len(norm(p)) <= 2 else norm(p) for p in FOCUS_SPLIT.split(str(cell or ""))]
    return [letters.get(p, p) for p in parts if p]


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return demo.demo_rows()


@pytest.fixture(scope="module")
def valid(rows) -> list[dict]:
    return [row for row, kind in zip(rows, classify(rows)) if kind == "valid"]


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(demo.demo_bytes()))


def item_means(rows, key) -> dict:
    """Mean coefficient per (key(row), item) over answered cells."""
    sums, counts = defaultdict(float), Counter()
    for row in rows:
        for name in ITEM_NAMES:
            c = coefficient(row[name])
            if c is not None:
                sums[key(row), name] += c
                counts[key(row), name] += 1
    return {k: sums[k] / counts[k] for k in counts}


def focus_weights(rows) -> dict[str, float]:
    ticks = Counter(name for row in rows for name in focus_items(row["最关注的项目"]))
    return {name: ticks[name] / sum(ticks.values()) for name in ITEM_NAMES}


def weighted_csi(rows, weights) -> float:
    """100 · Σ w_i s_i, weights renormalised over the items answered (METHOD.md 3, 5)."""
    means = item_means(rows, key=lambda row: None)
    used = {name: weights[name] for name in ITEM_NAMES if (None, name) in means}
    return 100 * sum(w * means[None, name] for name, w in used.items()) / sum(used.values())


# ---------------------------------------------------------------- determinism and shape


def test_same_seed_same_rows_and_bytes():
    assert demo.demo_rows(seed=7) == demo.demo_rows(seed=7)
    assert demo.demo_bytes(seed=7) == demo.demo_bytes(seed=7)
    assert tpl.template_bytes() == tpl.template_bytes()


def test_other_seed_other_rows():
    assert demo.demo_rows(seed=1) != demo.demo_rows(seed=2)


def test_sheets_and_headers_follow_contract(book):
    assert book.sheetnames == ["responses", "items", "sent"]
    header = [c.value for c in book["responses"][1]]
    assert header == HEADERS
    assert [c.value for c in book["items"][1]] == ["item", "dimension", "option"]
    assert [c.value for c in book["sent"][1]] == ["period", "segment", "sent"]
    items = [tuple(r) for r in book["items"].iter_rows(min_row=2, values_only=True)]
    assert items == [(n, d, "ABCDEFGHIJ"[j]) for j, (n, d) in enumerate(demo.ITEMS)]
    assert book["responses"].freeze_panes == "A2"


def test_workbook_holds_exactly_the_rows(book, rows):
    def cell(v):
        return v.date() if isinstance(v, dt.datetime) else v

    read = [dict(zip(HEADERS, map(cell, r)))
            for r in book["responses"].iter_rows(min_row=2, values_only=True)]
    assert read == rows


def test_dates_are_excel_dates_inside_the_quarter(book, rows):
    assert book["responses"]["E2"].is_date
    for row in rows:
        first, last = demo.quarter_dates(row["期间"])
        assert first <= row["填写日期"] <= last


def test_periods_segments_and_sizes(rows):
    per_period = Counter(row["期间"] for row in rows)
    assert list(per_period) == list(demo.PERIODS) == [f"{y}Q{q}" for y in (2025, 2026) for q in range(1, 5)]
    assert all(250 <= n <= 350 for n in per_period.values()), per_period
    segments = Counter(row["客户类型"] for row in rows)
    assert set(segments) == {"民用户", "工商业户", "公福用户"}
    assert 0.55 <= segments["民用户"] / len(rows) <= 0.65


def test_named_customers_return_one_to_four_per_quarter(rows):
    named = Counter((row["期间"], row["客户名称"]) for row in rows
                    if row["客户类型"] != "民用户" and row["客户名称"])
    names = {name for _, name in named}
    assert 20 <= len(names) <= 30
    assert {"华东精密机械有限公司", "市第一人民医院"} <= names
    # a duplicate re-entry may add one copy to a customer's 4 forms
    assert all(1 <= n <= 5 for n in named.values())
    assert max(named.values()) >= 4
    # households are anonymous, so each is not a "customer" of its own
    assert all(row["客户名称"] is None for row in rows if row["客户类型"] == "民用户")


def test_respondent_ids_look_like_period_and_number(rows):
    for row in rows:
        assert re.fullmatch(rf"Q{row['期间']}-\d{{4}}", norm(row["问卷编号"]).upper())


# ---------------------------------------------------------------- answers


def test_every_answer_is_a_recognised_label(rows):
    for row in rows:
        for name in ITEM_NAMES:
            coefficient(row[name])  # raises KeyError on an unknown label


def test_answer_variants_present(rows):
    cells = [row[name] for row in rows for name in ITEM_NAMES]
    texts = Counter(c for c in cells if isinstance(c, str))
    assert {"非常满意", "满意", "基本满意", "不适用"} <= set(texts)
    assert any(isinstance(c, int) and c in (4, 5) for c in cells)
    assert any(c.strip() != c or "\u3000" in c for c in texts)
    assert cells.count(None) > 0


def test_invalid_questionnaires_of_each_kind_every_quarter(rows):
    kinds = Counter((row["期间"], kind) for row, kind in zip(rows, classify(rows)))
    for period in demo.PERIODS:
        for kind in ("all_blank", "too_few", "duplicate"):
            assert kinds[period, kind] >= 2, (period, kind)
        assert kinds[period, "valid"] > 240


def test_all_blank_rows_keep_period_and_segment(rows):
    blanks = [row for row, kind in zip(rows, classify(rows)) if kind == "all_blank"]
    assert blanks and all(row["期间"] and row["客户类型"] for row in blanks)


def test_comments_present_and_varied(rows):
    comments = [row["意见建议"] for row in rows if row["意见建议"]]
    assert 0.10 <= len(comments) / len(rows) <= 0.20
    assert len(set(comments)) >= 25
    assert all(re.search(r"[\u4e00-\u9fff]", c) for c in comments)


# ---------------------------------------------------------------- focus


def test_focus_cells_tick_one_to_three_known_items(valid):
    for row in valid:
        ticked = focus_items(row["最关注的项目"])
        assert 1 <= len(ticked) <= 3 and set(ticked) <= set(ITEM_NAMES), row["最关注的项目"]


def test_focus_uses_names_letters_and_mixed_separators(valid):
    cells = [row["最关注的项目"] for row in valid]
    used = {sep for cell in cells for sep in ",，、;；/\n" if sep in cell}
    assert len(used) == 7
    assert any(re.fullmatch(r"[A-J]([^A-Za-z\u4e00-\u9fff]+[A-J])*", c) for c in cells)
    assert any("燃气质量" in c for c in cells)


def test_focus_weights_differ_visibly(valid):
    weights = focus_weights(valid)
    top_two = sorted(weights, key=weights.get, reverse=True)[:2]
    assert set(top_two) == {"燃气质量", "安全检查"}
    assert max(weights.values()) > 3 * min(weights.values())


# ---------------------------------------------------------------- scores


def test_most_item_scores_between_80_and_92(valid):
    means = item_means(valid, key=lambda row: row["期间"])
    inside = [0.80 <= m <= 0.92 for m in means.values()]
    assert sum(inside) / len(inside) >= 0.75


def test_some_item_segment_period_at_or_below_70(valid):
    means = item_means(valid, key=lambda row: (row["期间"], row["客户类型"]))
    low = {(p, s, item) for ((p, s), item), m in means.items() if m <= 0.70}
    assert sum((s, item) == ("工商业户", "维修及时") for _, s, item in low) >= 2
    assert any(item == "收费透明" for _, _, item in low)
    assert len(low) < 0.05 * len(means)


def test_hotline_falls_two_quarters_running_then_recovers(valid):
    means = item_means(valid, key=lambda row: row["期间"])
    q1, q2, q3, q4 = (means[p, "热线服务"] for p in ("2026Q1", "2026Q2", "2026Q3", "2026Q4"))
    assert q1 > q2 > q3 < q4
    assert q3 <= 0.72 and q4 >= 0.80


def test_overall_csi_between_80_and_88(valid):
    for period in demo.PERIODS:
        in_period = [row for row in valid if row["期间"] == period]
        by_segment = [[row for row in in_period if row["客户类型"] == s] for s in demo.SEGMENTS]
        csi = sum(weighted_csi(g, focus_weights(g)) for g in by_segment) / len(by_segment)
        assert 80 <= csi <= 88, (period, csi)


def test_a_customer_dips_below_80(valid):
    dips = []
    for period in demo.PERIODS:
        for segment in demo.SEGMENTS[1:]:
            group = [r for r in valid if r["期间"] == period and r["客户类型"] == segment]
            weights = focus_weights(group)
            for name in {r["客户名称"] for r in group if r["客户名称"]}:
                mine = [r for r in group if r["客户名称"] == name]
                if weighted_csi(mine, weights) < 80:
                    dips.append((period, name))
    assert ("2025Q3", "华东精密机械有限公司") in dips


def test_sent_gives_response_rates_85_to_98(book, rows):
    returned = Counter((row["期间"], row["客户类型"]) for row in rows)
    sent = {(p, s): n for p, s, n in book["sent"].iter_rows(min_row=2, values_only=True)}
    assert set(sent) == set(returned)
    for key, n in sent.items():
        assert 0.84 <= returned[key] / n <= 0.99, key


# ---------------------------------------------------------------- template


@pytest.fixture(scope="module")
def template() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(tpl.template_bytes()))


def test_template_sheets_and_headers(template):
    assert template.sheetnames == ["responses", "items", "sent", "说明 readme"]
    assert [c.value for c in template["responses"][1]] == HEADERS
    assert [c.value for c in template["sent"][1]] == ["period", "segment", "customer", "sent"]
    assert template["responses"].freeze_panes == "A2"


def test_template_has_one_marked_example_row(template):
    data = list(template["responses"].iter_rows(min_row=2, values_only=True))
    assert len(data) == 1
    example = dict(zip(HEADERS, data[0]))
    assert example["期间"] == "2026Q1" and example["客户类型"] == "民用户"
    assert example["最关注的项目"] == "A、C"
    assert "示例" in example["客户名称"] and "example" in example["意见建议"]
    assert all(coefficient(example[name]) is not None for name in ITEM_NAMES)
    assert len(list(template["sent"].iter_rows(min_row=2))) == 1


def test_template_answer_dropdowns(template):
    validations = template["responses"].data_validations.dataValidation
    lists = [v for v in validations if v.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == '"很满意,较满意,一般,不满意,很不满意"'
    assert str(lists[0].sqref) == "F2:O1001"


def test_template_for_other_items():
    items = [("交期", "交付"), ("质量", "质量")]
    book = openpyxl.load_workbook(io.BytesIO(tpl.template_bytes(items)))
    assert [c.value for c in book["responses"][1]][5:7] == ["交期", "质量"]
    assert [tuple(r) for r in book["items"].iter_rows(min_row=2, values_only=True)] == [
        ("交期", "交付", "A"), ("质量", "质量", "B")]
    readme = " ".join(str(v) for r in book["说明 readme"].iter_rows(values_only=True) for v in r)
    assert "2026年第1季度" in readme and "不适用" in readme and "、" in readme


# ---------------------------------------------------------------- files and imports


def test_command_line_writes_both_files(tmp_path: Path):
    assert demo.main(["--out-dir", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "demo.xlsx").read_bytes() == demo.demo_bytes()
    assert (tmp_path / "out" / "template.xlsx").read_bytes() == tpl.template_bytes()


def test_write_functions_match_bytes(tmp_path: Path):
    assert demo.write_demo(tmp_path / "d.xlsx", seed=3).read_bytes() == demo.demo_bytes(seed=3)
    items = [("交期", "交付")]
    assert tpl.write_template(tmp_path / "t.xlsx", items).read_bytes() == tpl.template_bytes(items)


def test_imports_only_stdlib_numpy_xlsxwriter():
    tree = ast.parse(Path(demo.__file__).read_text(encoding="utf-8"))
    modules = {alias.name.split(".")[0] for node in ast.walk(tree)
               if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module if node.module.startswith("csi_core") else node.module.split(".")[0]
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module}
    # the demo's data stay independent of the engine; only main() writes the template too
    assert modules <= {"__future__", "argparse", "datetime", "io", "math", "collections",
                       "pathlib", "numpy", "xlsxwriter", "csi_core.template"}
