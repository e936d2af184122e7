import pytest

from csi_core.reading.periods import normalize_period, sort_periods


@pytest.mark.parametrize("text,period", [
    ("2026Q1", "2026Q1"), ("2026-Q1", "2026Q1"), ("2026年第1季度", "2026Q1"), ("2026q1", "2026Q1"),
    ("2026 Q1", "2026Q1"), ("２０２６Ｑ１", "2026Q1"), ("2026年一季度", "2026Q1"), ("2026年第四季度", "2026Q4"),
    ("2026 年 第 2 季度", "2026Q2"), ("Q3 2026", "2026Q3"), ("2026/Q3", "2026Q3"), ("2026.Q4", "2026Q4"),
    ("2026H1", "2026H1"), ("2026-H2", "2026H2"), ("2026年上半年", "2026H1"), ("2026年下半年", "2026H2"),
    ("2026-03-01", "2026-03-01"), ("2026-03-01 00:00:00", "2026-03-01"), ("2026/3/5", "2026-03-05"),
    ("2026年3月5日", "2026-03-05"), ("2026-03", "2026-03"), ("2026年3月", "2026-03"), ("2026", "2026"),
])
def test_spellings(text, period):
    assert normalize_period(text) == period


@pytest.mark.parametrize("text", ["", None, "spring", "2026Q5", "2026-13", "2026-02-30", "Q1"])
def test_not_periods(text):
    assert normalize_period(text) is None


def test_sorting_by_time_not_text():
    assert sort_periods(["2026Q1", "2025Q4", "2026-02-15", "2026H1", "2025Q4", "2026Q2"]) == [
        "2025Q4", "2026Q1", "2026H1", "2026-02-15", "2026Q2"]
