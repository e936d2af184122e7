"""Survey periods (调查期): every spelling of CONTRACTS.md → one canonical name.

Canonical forms, all sorting by the date they start and then by length:
``2026Q1`` (quarter), ``2026H1`` (half-year), ``2026-03`` (month), ``2026-03-15`` (date),
``2026`` (year).
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_SEP = r"[\s\-_/.]*"

_QUARTER = [
    re.compile(rf"^(?P<y>\d{{4}}){_SEP}q(?P<n>[1-4])$"),
    re.compile(rf"^q(?P<n>[1-4]){_SEP}(?P<y>\d{{4}})$"),
    re.compile(r"^(?P<y>\d{4})年?第?(?P<n>[1-4一二三四])季度?$"),
    re.compile(rf"^(?P<y>\d{{4}}){_SEP}(?P<n>[1-4])q$"),
]
_HALF = [
    re.compile(rf"^(?P<y>\d{{4}}){_SEP}h(?P<n>[12])$"),
    re.compile(rf"^h(?P<n>[12]){_SEP}(?P<y>\d{{4}})$"),
    re.compile(r"^(?P<y>\d{4})年?(?P<n>[上下])半年度?$"),
]
_DATE = re.compile(r"^(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?(?:[t\s]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_MONTH = re.compile(r"^(?P<y>\d{4})[-/.年](?P<m>\d{1,2})月?$")
_YEAR = re.compile(r"^(?P<y>\d{4})年?(度)?$")


def normalize_period(value: object) -> str | None:
    """The canonical name of a period cell, or ``None`` if it is not one.

    Examples
    --------
    >>> [normalize_period(v) for v in ["2026Q1", "2026-Q1", "2026年第1季度", "2026年一季度", " q3 2026 "]]
    ['2026Q1', '2026Q1', '2026Q1', '2026Q1', '2026Q3']
    >>> [normalize_period(v) for v in ["2026H1", "2026年下半年", "2026-03-01 00:00:00", "2026年3月", "2026"]]
    ['2026H1', '2026H2', '2026-03-01', '2026-03', '2026']
    >>> normalize_period("spring") is None
    True
    """
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # a year typed as a number cell
    if m := _DATE.match(text):
        return _valid_date(int(m["y"]), int(m["m"]), int(m["d"]))
    text = re.sub(r"\s+", "", text)
    for pattern in _QUARTER:
        if m := pattern.match(text):
            return f"{m['y']}Q{_CN_DIGIT[m['n']]}"
    for pattern in _HALF:
        if m := pattern.match(text):
            return f"{m['y']}H{1 if m['n'] in ('1', '上') else 2}"
    if (m := _MONTH.match(text)) and 1 <= int(m["m"]) <= 12:
        return f"{m['y']}-{int(m['m']):02d}"
    if m := _YEAR.match(text):
        return m["y"]
    return None


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a canonical period.

    Examples
    --------
    >>> period_bounds("2026Q2")
    (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    """
    year = int(period[:4])
    rest = period[4:]
    if rest.startswith("Q"):
        first_month, months = 3 * int(rest[1]) - 2, 3
    elif rest.startswith("H"):
        first_month, months = 6 * int(rest[1]) - 5, 6
    elif len(rest) == 3:
        first_month, months = int(rest[1:]), 1
    elif len(rest) == 6:
        day = date.fromisoformat(period)
        return day, day
    else:
        first_month, months = 1, 12
    start = date(year, first_month, 1)
    end_month = first_month + months
    end = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def period_sort_key(period: str) -> tuple[date, date, str]:
    """Sort periods by their start, then their end (2026 after 2026H1 after 2026Q1).

    Examples
    --------
    >>> sorted(["2026Q2", "2025Q4", "2026H1", "2026Q1", "2026"], key=period_sort_key)
    ['2025Q4', '2026Q1', '2026H1', '2026', '2026Q2']
    """
    try:
        start, end = period_bounds(period)
    except (ValueError, IndexError):
        return date.max, date.max, period
    return start, end, period


def sort_periods(periods) -> list[str]:
    """Distinct periods in time order."""
    return sorted(set(periods), key=period_sort_key)
