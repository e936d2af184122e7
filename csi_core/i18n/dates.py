"""Dates as the reader's language writes them: 2026年3月1日 in Chinese, 1 Mar 2026 in
English (no month/day order to guess in either). ``DATE_FORMATS`` holds the same
patterns for Streamlit's date columns (moment.js tokens).
"""
from __future__ import annotations

import datetime as dt

DATE_FORMATS = {"zh": "YYYY年M月D日", "en": "D MMM YYYY"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(day: dt.date | None, lang: str = "zh") -> str:
    """A date in words of ``lang``; "" for none.

    Examples
    --------
    >>> date_text(dt.date(2026, 3, 1)), date_text(dt.date(2026, 3, 1), "en"), date_text(None)
    ('2026年3月1日', '1 Mar 2026', '')
    """
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    if lang == "en":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"
