"""The annual assessment of each department and branch (年度客户满意度工作考核, 第六章):
the four aspects of 第二十八条 and the bonus and deduction points of 第二十九条.

A *unit* is a department or a branch: a name found in the complaint log's ``department``
or ``branch`` fields, or one the assessor entered. What the assessor records are
*entries* (year, unit, kind, points, note): a score of aspect (1) ``work`` 客户满意度工作的
落实情况, (2) ``effect`` 日常工作效果 or (3) ``rating`` 客户对本公司的满意度评价 (0–100), an
``achievement`` 突出成绩 (its bonus points), an ``award`` 合作奖项 from the operator client's
city company or higher, or a ``deduction`` (a major complaint 客户重大投诉 the log does not
hold). Aspect (4) ``complaints`` comes from the complaint log. Nothing here reads the store.
"""
from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from csi_core.method import complaints as cm
from csi_core.method.actions import plain_text
from csi_core.reading.scales import name_key

ASPECTS = ("work", "effect", "rating", "complaints")  # 第二十八条 (一)–(四)
SCORED = ("work", "effect", "rating")  # aspects the assessor scores
KINDS = (*SCORED, "achievement", "award", "deduction")  # what an entry records
SCORE_MIN, SCORE_MAX = 0.0, 100.0
# 第二十九条
ACHIEVEMENT_CAP = 1.0  # 突出成绩: at most +1 in all
AWARD_POINTS, AWARD_CAP = 0.5, 1.0  # 合作奖项: +0.5 each, at most +1
BONUS_CAP = 2.0  # the two bonuses together: at most +2
MAJOR_POINTS, DEDUCTION_CAP = 0.5, 2.0  # 客户重大投诉: −0.5 each, at most −2
MAJOR_SEVERITIES = ("serious", "especially_serious")  # 重大, 特别重大 (第十八条, method.complaints.severity)
# what can be wrong with an entry as typed (check_entry); each has a message assessment.problem.<code>
PROBLEMS = ("year", "unit_empty", "kind", "not_number", "score_range", "achievement_range", "fixed_points")


@dataclass(frozen=True)
class Points:
    """The bonus and deduction of one unit's year (第二十九条); ``deduction`` is the number
    of points taken off (≥ 0), ``net`` = bonus − deduction."""

    achievement: float
    award: float
    bonus: float
    deduction: float

    @property
    def net(self) -> float:
        return round(self.bonus - self.deduction, 10)


def points(achievements: Sequence[float], awards: int, major_complaints: int) -> Points:
    """Bonus and deduction by 第二十九条: achievements' points summed and capped at 1;
    awards 0.5 each, capped at 1; the two bonuses together at most 2; major complaints
    0.5 off each, at most 2 off.

    Examples
    --------
    >>> points([0.5, 0.5], 2, 0)
    Points(achievement=1.0, award=1.0, bonus=2.0, deduction=0.0)
    >>> p = points([1.0, 0.5], 3, 5)  # 1.5 achievement points, 3 awards, 5 major complaints
    >>> (p.achievement, p.award, p.bonus, p.deduction, p.net)
    (1.0, 1.0, 2.0, 2.0, 0.0)
    >>> points([0.3], 1, 1).net
    0.3
    """
    achievement = min(ACHIEVEMENT_CAP, float(sum(achievements)))
    award = min(AWARD_CAP, AWARD_POINTS * int(awards))
    bonus = min(BONUS_CAP, achievement + award)
    deduction = min(DEDUCTION_CAP, MAJOR_POINTS * int(major_complaints))
    return Points(round(achievement, 10), round(award, 10), round(bonus, 10), round(deduction, 10))


def number(text) -> float | None:
    """A number typed by a person (full-width digits too); None when it is not one.

    >>> number(" 85 "), number("０.５"), number("abc"), number(""), number("nan")
    (85.0, 0.5, None, None, None)
    """
    if text is None:
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        try:
            value = float(unicodedata.normalize("NFKC", str(text)).strip().replace(",", ""))
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def check_entry(year, unit, kind: str, value, note: str = "") -> tuple[dict | None, tuple[str, ...]]:
    """An entry as typed → (the entry to store, no problems) or (None, problem codes).

    Aspect scores are 0–100; an achievement's points more than 0 and at most 1 (the cap
    of its kind); an award and a deduction count 0.5 by the rule, so their points are
    left empty (or 0.5). The codes are :data:`PROBLEMS`.

    >>> check_entry(2026, " 客服部 ", "work", "85", "")[0]["points"]
    85.0
    >>> check_entry(2026, "", "award", "x")[1]
    ('unit_empty', 'not_number')
    >>> check_entry(2026, "北区", "award", "")[0]["points"], check_entry(2026, "北区", "award", "1")[1]
    (0.5, ('fixed_points',))
    """
    problems = []
    year_n = number(year)
    if year_n is None or year_n != int(year_n) or not 1900 <= year_n <= 2200:
        problems.append("year")
    name = plain_text(unit)
    if not name:
        problems.append("unit_empty")
    if kind not in KINDS:
        problems.append("kind")
    typed = plain_text(value) if not isinstance(value, (int, float)) else value
    amount = number(typed)
    if typed not in ("", None) and amount is None:
        problems.append("not_number")
    elif kind in SCORED and amount is None:
        problems.append("not_number")
    elif kind in SCORED and not SCORE_MIN <= amount <= SCORE_MAX:
        problems.append("score_range")
    elif kind == "achievement" and (amount is None or not 0 < amount <= ACHIEVEMENT_CAP):
        problems.append("achievement_range")
    elif kind in ("award", "deduction") and amount not in (None, AWARD_POINTS if kind == "award" else MAJOR_POINTS):
        problems.append("fixed_points")
    if problems:
        return None, tuple(problems)
    fixed = {"award": AWARD_POINTS, "deduction": MAJOR_POINTS}
    return {"year": int(year_n), "unit": name, "kind": kind, "points": fixed.get(kind, amount),
            "note": plain_text(note) or None}, ()


def units(complaints: pd.DataFrame | None, entries: pd.DataFrame | None) -> list[str]:
    """Every unit: the departments and branches the complaint log names, then those only
    entered by hand; names compared like every name (first spelling kept), sorted.

    >>> log = pd.DataFrame({"department": ["客服部", None], "branch": ["北区", "北区 "]})
    >>> units(log, pd.DataFrame({"unit": ["工程部", "客服部"]}))
    ['北区', '客服部', '工程部']
    """
    found: dict[str, str] = {}
    for table, fields in ((complaints, ("department", "branch")), (entries, ("unit",))):
        if table is None or table.empty:
            continue
        for field in fields:
            if field not in table:
                continue
            for value in table[field].tolist():
                name = plain_text(value)
                if name:
                    found.setdefault(name_key(name), name)
    return [found[k] for k in sorted(found)]


def complaint_record(complaints: pd.DataFrame | None, unit: str, year: int) -> dict:
    """Aspect (4) of one unit's year: the complaints received that year whose department
    or branch is the unit — how many, how many valid, the share closed, the median days
    to close (closed ones), and the major ones (valid, severity 重大 or 特别重大).

    >>> log = pd.DataFrame({"received": [dt.date(2026, 1, 5), dt.date(2026, 3, 1), dt.date(2025, 6, 1)],
    ...                     "closed": [dt.date(2026, 1, 9), None, None], "valid": [True, True, True],
    ...                     "loss": [600_000, 0, 2_000_000], "department": ["客服部", None, "客服部"],
    ...                     "branch": [None, "客服部", None]})
    >>> complaint_record(log, "客服部", 2026)
    {'complaints': 2, 'valid': 2, 'closed_share': 0.5, 'days_median': 4.0, 'major': 1}
    """
    key = name_key(unit)
    rows = [] if complaints is None or complaints.empty else [
        c for c in complaints.to_dict("records")
        if _year_of(c.get("received")) == int(year)
        and key in {name_key(plain_text(c.get(f))) for f in ("department", "branch") if plain_text(c.get(f))}]
    days = [d for d in (cm.days_to_close(c) for c in rows) if d is not None]
    valid = [c for c in rows if cm._bool(c.get("valid"))]
    major = [c for c in valid if cm.severity(cm._number(c.get("loss"))) in MAJOR_SEVERITIES]
    return {"complaints": len(rows), "valid": len(valid), "closed_share": len(days) / len(rows) if rows else None,
            "days_median": cm.percentile(days, 50), "major": len(major)}


def _year_of(value) -> int | None:
    day = cm._day(value)
    return day.year if day is not None else None


def _latest(entries: pd.DataFrame, kind: str) -> tuple[float | None, str | None]:
    """The score and note of the newest entry of an aspect (a later entry replaces one)."""
    found = entries[entries.kind == kind]
    if found.empty:
        return None, None
    last = found.iloc[-1]
    return float(last.points), plain_text(last.note) or None


ASSESSMENT_COLUMNS = ("unit", "work", "work_note", "effect", "effect_note", "rating", "rating_note", "complaints",
                      "valid", "closed_share", "days_median", "achievements", "awards", "major_logged",
                      "major_entered", "achievement", "award", "bonus", "deduction", "net")


def assessment(complaints: pd.DataFrame | None, entries: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """The year's assessment, one row per unit (:func:`units`): the aspect scores entered
    (the newest of each), the complaint record, what the bonus and deduction come from
    (achievement points entered, awards, major complaints in the log and entered by hand)
    and the points of :func:`points`. ``entries`` are every year's (``year``, ``unit``,
    ``kind``, ``points``, ``note``), oldest first."""
    every = entries if entries is not None and not entries.empty else \
        pd.DataFrame(columns=["year", "unit", "kind", "points", "note"])
    mine = every[every.year.astype(int) == int(year)] if len(every) else every
    keyed = mine.assign(key=[name_key(str(u)) for u in mine.unit]) if len(mine) else mine.assign(key=[])
    rows = []
    for unit in units(complaints, every):
        own = keyed[keyed.key == name_key(unit)]
        record = complaint_record(complaints, unit, year)
        achievements = [float(p) for p in own[own.kind == "achievement"].points]
        awards = int((own.kind == "award").sum())
        entered = int((own.kind == "deduction").sum())
        got = points(achievements, awards, record["major"] + entered)
        scores = {}
        for kind in SCORED:
            scores[kind], scores[f"{kind}_note"] = _latest(own, kind)
        rows.append({"unit": unit, **scores, **{k: record[k] for k in ("complaints", "valid", "closed_share",
                                                                        "days_median")},
                     "achievements": round(sum(achievements), 10), "awards": awards, "major_logged": record["major"],
                     "major_entered": entered, "achievement": got.achievement, "award": got.award,
                     "bonus": got.bonus, "deduction": got.deduction, "net": got.net})
    return pd.DataFrame(rows, columns=list(ASSESSMENT_COLUMNS))


def years(complaints: pd.DataFrame | None, entries: pd.DataFrame | None, today: dt.date) -> list[int]:
    """The years to choose from, newest first: those of complaints and entries, and this year.

    >>> years(pd.DataFrame({"received": [dt.date(2024, 5, 1)]}), None, dt.date(2026, 1, 1))
    [2026, 2024]
    """
    found = {today.year}
    if complaints is not None and not complaints.empty:
        found |= {y for y in (_year_of(d) for d in complaints.received) if y}
    if entries is not None and not entries.empty:
        found |= {int(y) for y in entries.year}
    return sorted(found, reverse=True)
