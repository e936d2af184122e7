"""The complaint procedure (第五章 客户投诉处理) as rules: types, complainant classes,
severity by direct loss, the eight handling steps, escalation, and the quarterly
complaint analysis (《季度客户投诉分析报告》, 第二十七条).

A complaint is a dict (or a row of the store's ``complaints`` table) with the fields of
:data:`FIELDS`; dates are ``datetime.date``. Nothing here reads files or the store.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from csi_core.reading.periods import normalize_period
from csi_core.reading.scales import name_key
from csi_core.method.actions import plain_text

# 《客户投诉记录表》: what is recorded of a complaint (the store's columns, in this order)
FIELDS = ("received", "customer", "segment", "branch", "complainant", "channel", "content", "request",
          "valid", "validity_reason", "type", "class", "loss", "department", "person", "cause", "solution",
          "instruction", "status", "closed", "satisfaction", "items")
TEXT_FIELDS = ("customer", "segment", "branch", "complainant", "channel", "content", "request", "validity_reason",
               "department", "person", "cause", "solution", "instruction", "items")
TYPES = ("product", "quality", "contract")  # 第十七条: 服务产品 / 服务质量 / 合同
CLASSES = ("A", "B", "C")  # 第十九条
# 第十八条: severity by the company's direct loss (yuan), the lower bound of each class
SEVERITY_FLOORS = (("especially_serious", 1_000_000), ("serious", 500_000), ("major", 100_000),
                   ("general", 50_000), ("minor", 10_000), ("slight", 1_000))
SEVERITIES = tuple(s for s, _ in SEVERITY_FLOORS) + ("below",)  # below: less than 1 000, no quality accident
ESCALATING = ("especially_serious", "serious", "major", "general")  # 第二十三条: 一般 or worse
# 第二十一条: the eight steps of handling a complaint, in order
STEPS = ("recorded", "validity", "assigned", "cause", "solution", "instruction", "implemented", "evaluated")
SATISFACTION = ("very_satisfied", "satisfied", "neutral", "dissatisfied", "very_dissatisfied")
ITEM_SEPARATORS = "、,，;；/\n"


def severity(loss) -> str | None:
    """The severity class of a direct loss in yuan (第十八条); None when the loss is unknown.

    Examples
    --------
    >>> severity(999), severity(1_000), severity(49_999.99), severity(50_000), severity(1_000_000)
    ('below', 'slight', 'minor', 'general', 'especially_serious')
    >>> severity(None) is None
    True
    """
    if loss is None or (isinstance(loss, float) and math.isnan(loss)):
        return None
    for name, floor in SEVERITY_FLOORS:
        if loss >= floor:
            return name
    return "below"


def quarter(day: dt.date | None) -> str | None:
    """The quarter a complaint was received in: 2026-02-10 → 2026Q1.

    >>> quarter(dt.date(2026, 2, 10)), quarter(None)
    ('2026Q1', None)
    """
    if day is None or (not isinstance(day, dt.date) and pd.isna(day)):
        return None
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def in_period(day: dt.date | None, period: str) -> bool:
    """Was ``day`` inside ``period`` (a quarter, half, year or month as the survey names it)?

    >>> in_period(dt.date(2026, 3, 31), "2026Q1"), in_period(dt.date(2026, 4, 1), "2026Q1")
    (True, False)
    >>> in_period(dt.date(2026, 5, 1), "2026H1"), in_period(dt.date(2026, 5, 1), "2026")
    (True, True)
    """
    if day is None:
        return False
    p = normalize_period(period) or period
    if len(p) == 6 and p[4] == "Q":
        return quarter(day) == p
    if len(p) == 6 and p[4] == "H":
        return day.year == int(p[:4]) and (day.month <= 6) == (p[5] == "1")
    if len(p) == 4 and p.isdigit():
        return day.year == int(p)
    if len(p) == 7 and p[4] == "-":
        return f"{day.year:04d}-{day.month:02d}" == p
    return day.isoformat() == p


def is_open(c) -> bool:
    """A complaint is open until its closed date is recorded."""
    return _day(c.get("closed")) is None


def days_to_close(c) -> int | None:
    """Calendar days from received to closed (None while open)."""
    received, closed = _day(c.get("received")), _day(c.get("closed"))
    if received is None or closed is None:
        return None
    return (closed - received).days


def escalated(c, today: dt.date, due_days: int) -> bool:
    """Marked for the marketing department (第二十三条): severity 一般 or worse, or still
    open more than ``due_days`` days after it was received.

    Examples
    --------
    >>> today = dt.date(2026, 3, 31)
    >>> escalated({"loss": 50_000, "received": today}, today, 30)
    True
    >>> escalated({"loss": 49_999, "received": dt.date(2026, 3, 1)}, today, 30)  # 30 days: not past
    False
    >>> escalated({"loss": 49_999, "received": dt.date(2026, 2, 28)}, today, 30)  # 31 days
    True
    >>> escalated({"loss": 0, "received": dt.date(2026, 3, 1), "closed": today}, today, 30)
    False
    """
    if severity(_number(c.get("loss"))) in ESCALATING:
        return True
    received = _day(c.get("received"))
    return is_open(c) and received is not None and (today - received).days > due_days


def of_branch(complaints: pd.DataFrame, branch: str | None) -> pd.DataFrame:
    """The complaints of one branch ("" = headquarters: no branch written), names compared
    width- and case-insensitively; all of them for ``None`` (the whole company).

    >>> t = pd.DataFrame({"id": [1, 2, 3], "branch": ["北区分公司", None, "ＮＯＲＴＨ"]})
    >>> of_branch(t, "北区分公司").id.tolist(), of_branch(t, "").id.tolist(), of_branch(t, "north").id.tolist()
    ([1], [2], [3])
    """
    if branch is None or complaints.empty:
        return complaints
    keys = complaints["branch"].map(lambda b: name_key(plain_text(b)))
    return complaints[keys == name_key(branch)]


def item_names(text) -> list[str]:
    """The survey items a complaint concerns, from the text of its ``items`` field.

    >>> item_names("燃气质量、 服务态度;;"), item_names(None)
    (['燃气质量', '服务态度'], [])
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return []
    out = [str(text)]
    for sep in ITEM_SEPARATORS:
        out = [part for piece in out for part in piece.split(sep)]
    return [p.strip() for p in out if p.strip()]


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile by linear interpolation between closest ranks (numpy's default,
    Excel's PERCENTILE.INC); None for no values.

    >>> percentile([1, 2, 3, 4], 50), round(percentile([1, 2, 3, 4, 10], 90), 6), percentile([], 50)
    (2.5, 7.6, None)
    """
    if not values:
        return None
    return float(np.percentile(np.asarray(values, dtype=float), q))


def analysis(complaints: pd.DataFrame, period: str, today: dt.date, due_days: int,
             item_scores: dict[str, float] | None = None) -> dict:
    """The quarterly complaint analysis of the complaints received in ``period``.

    Counts by type, class, severity, department and branch; how many were valid (and
    their share of those judged), open, escalated; median and p90 days to close (closed
    ones); repeat complaints (customers with two or more); complaints per survey item
    beside the item's score (``item_scores``: item → 0–1). Keys are plain so the JSON
    can carry the dict as is.
    """
    rows = [] if complaints is None or complaints.empty else \
        [c for c in complaints.to_dict("records") if in_period(_day(c.get("received")), period)]
    judged = [c for c in rows if _bool(c.get("valid")) is not None]
    valid = [c for c in judged if _bool(c.get("valid"))]
    days = [d for d in (days_to_close(c) for c in rows) if d is not None]

    def count(field, known=None, blank=""):
        found: dict[str, int] = {}
        for c in rows:
            value = plain_text(c.get(field)) or blank
            found[value] = found.get(value, 0) + 1
        if known is None:
            return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))
        return {k: found.get(k, 0) for k in known} | ({blank: found[blank]} if found.get(blank) else {})

    customers: dict[str, list[str]] = {}
    for c in rows:
        name = plain_text(c.get("customer"))
        if name:
            customers.setdefault(name_key(name), []).append(name)
    repeat = {names[0]: len(names) for names in customers.values() if len(names) > 1}
    per_item: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for c in rows:
        for name in dict.fromkeys(name_key(n) for n in item_names(c.get("items"))):
            per_item[name] = per_item.get(name, 0) + 1
    for name in (item_scores or {}):
        spelled[name_key(name)] = name
    items = {spelled.get(k, k): {"complaints": n, "score": (item_scores or {}).get(spelled.get(k, k))}
             for k, n in sorted(per_item.items(), key=lambda kv: -kv[1])}
    return {
        "count": len(rows), "valid": len(valid), "invalid": len(judged) - len(valid),
        "undecided": len(rows) - len(judged),
        "valid_share": len(valid) / len(judged) if judged else None,
        "open": sum(is_open(c) for c in rows),
        "escalated": sum(escalated(c, today, due_days) for c in rows),
        "by_type": count("type", TYPES), "by_class": count("class", CLASSES),
        "by_severity": _by_severity(rows),
        "by_department": count("department"), "by_branch": count("branch"),
        "days_to_close_median": percentile(days, 50), "days_to_close_p90": percentile(days, 90),
        "closed": len(days), "repeat_customers": repeat, "items": items,
    }


def record_key(c) -> tuple:
    """A complaint's fields as comparable values (blank, None and NaN alike; dates as
    dates; text trimmed): two records with the same key are the same complaint record —
    a workbook imported again does not store its complaints twice.

    >>> a = record_key({"received": pd.Timestamp("2026-01-05"), "customer": " 甲", "loss": 1000})
    >>> a == record_key({"received": dt.date(2026, 1, 5), "customer": "甲", "loss": 1000.0, "content": float("nan")})
    True
    """
    out = []
    for f in FIELDS:
        value = c.get(f)
        if f in ("received", "closed"):
            out.append(_day(value))
        elif f == "valid":
            out.append(_bool(value))
        elif f == "loss":
            out.append(_number(value))
        else:
            out.append(plain_text(value) or None)
    return tuple(out)


def item_counts(complaints: pd.DataFrame, periods, item: str) -> list[int]:
    """Complaints naming ``item`` (any segment) received in each of ``periods``: the bars
    under an item's run chart.

    >>> t = pd.DataFrame({"received": [dt.date(2026, 1, 5), dt.date(2026, 5, 1)], "items": ["维修及时", "维修及时、服务"]})
    >>> item_counts(t, ["2026Q1", "2026Q2", "2026Q3"], "维修及时")
    [1, 1, 0]
    """
    if complaints is None or complaints.empty:
        return [0] * len(periods)
    wanted = name_key(item)
    days = [_day(c.get("received")) for c in complaints.to_dict("records")
            if wanted in {name_key(n) for n in item_names(c.get("items"))}]
    return [sum(in_period(d, p) for d in days) for p in periods]


def _by_severity(rows: list) -> dict[str, int]:
    """Complaints per severity class; those without a recorded loss under "" (when any)."""
    found = [severity(_number(c.get("loss"))) for c in rows]
    out = {s: found.count(s) for s in SEVERITIES}
    return out | ({"": found.count(None)} if None in found else {})


def pooled_item_scores(results, p: int) -> dict[str, float]:
    """Each item's score over all segments of period ``p`` (answers pooled: the segments'
    scores weighted by their answer counts) — the score a complaint's item is shown
    beside. ``results`` is a :class:`csi_core.method.csi.Results`."""
    out = {}
    for i, item in enumerate(results.items):
        n = np.asarray(results.item_n[p, :, i], dtype=float)
        score = np.asarray(results.item_score[p, :, i], dtype=float)
        used = (n > 0) & ~np.isnan(score)
        if used.any():
            out[item] = float((n[used] * score[used]).sum() / n[used].sum())
    return out


def _number(value) -> float | None:
    if value is None or plain_text(value) == "":
        return None
    return float(value)


def _bool(value) -> bool | None:
    if value is None or plain_text(value) == "":
        return None
    return bool(value)


def _day(value) -> dt.date | None:
    if value is None or plain_text(value) == "":
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
