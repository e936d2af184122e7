"""The agenda's points in words and tables, in one language: what the meeting page and the
PowerPoint pack both show. Every number goes through :func:`fmt` (half-up, one decimal),
so a screen, a slide and a reopened review show the same digits.
"""
from __future__ import annotations

import math

from csi_core import i18n
from csi_core.method.actions import KINDS
from csi_core.method.grades import GRADE_BY_KEY, round_half_up
from csi_core.outputs.charts import GRADE_MARKS

TABLE_ROWS = 12  # rows of a list on one screen or slide; the rest is counted
# the columns of the points' tables (strings ``meeting.col.<name>``)
COLUMNS = ("segment", "csi", "grade", "weight", "valid", "change", "item", "score", "previous", "n", "customer",
           "subject", "raised_in", "owner", "raised", "later", "verdict", "count", "point", "decision", "action", "due",
           "id", "period", "status", "opened_at", "closed_at", "attendees", "decisions")


def fmt(value, suffix: str = "") -> str:
    """A number as shown: half-up to one decimal; a dash for none.

    Examples
    --------
    >>> fmt(84.25), fmt(None), fmt(68.75, " %")
    ('84.3', '—', '68.8 %')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{round_half_up(float(value)):.1f}{suffix}"


def fmt_delta(value) -> str:
    """A change with its sign: +1.2, −0.4, ±0.0.

    Examples
    --------
    >>> fmt_delta(1.25), fmt_delta(-0.4), fmt_delta(0.01), fmt_delta(None)
    ('+1.3', '−0.4', '±0.0', '—')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    rounded = round_half_up(float(value))
    if rounded == 0:
        return "±0.0"
    return f"+{rounded:.1f}" if rounded > 0 else f"−{abs(rounded):.1f}"


def grade_text(key: str | None, lang: str) -> str:
    """A band's name with its mark (●●●○○), readable without colour."""
    if not key:
        return "—"
    return f"{GRADE_MARKS[key]} {i18n.t(f'grade.{key}', lang)}"


def grade_color(key: str | None) -> str:
    return GRADE_BY_KEY[key].color if key else "#5b6573"


def title(key: str, lang: str) -> str:
    """The point's title: ``总体 CSI、等级与变化``."""
    return i18n.t(f"meeting.point.{key}", lang)


def change_text(point: dict, lang: str) -> str:
    """``较上期（2026Q3）−0.8`` and, with the statistics, whether it is real."""
    if point.get("previous_period") is None:
        return i18n.t("common.no_previous", lang)
    text = i18n.t("common.vs_previous", lang, period=point["previous_period"], delta=fmt_delta(point["change"]))
    found = point.get("significance")
    if found:
        word = "meeting.significant" if found["significant"] else "meeting.within_noise"
        text += " · " + i18n.t(word, lang, lo=fmt_delta(found["ci95"][0]), hi=fmt_delta(found["ci95"][1]))
    return text


def _significance_word(found: dict | None, lang: str) -> str:
    """`` · 显著`` / `` · 噪声内`` after a change, once the statistics give it an interval."""
    if not found:
        return ""
    return " · " + i18n.t("meeting.sig_short" if found["significant"] else "meeting.noise_short", lang)


def subject(row: dict, lang: str) -> str:
    """What an action or flag is about: ``题目 · 工商业户 · 维修及时``."""
    kind = row.get("kind") or ""
    parts = [i18n.t(f"actions.kind.{kind}", lang) if kind in KINDS else kind]
    parts += [str(row[k]) for k in ("segment", "customer", "item") if row.get(k)]
    return " · ".join(p for p in parts if p)


def total_lines(point: dict, lang: str) -> list[str]:
    """The small lines under the big total: change, sample, satisfaction rate, review rule."""
    lines = [change_text(point, lang),
             i18n.t("meeting.sample", lang, returned=point["returned"], valid=point["valid"])]
    band = (point.get("significance") or {}).get("total_ci95")
    if band:
        lines.insert(1, i18n.t("meeting.total_ci95", lang, lo=fmt(band[0]), hi=fmt(band[1])))
    if point.get("satisfaction_rate") is not None:
        lines.append(i18n.t("meeting.satisfaction", lang, rate=fmt(100 * point["satisfaction_rate"], " %")))
    if point.get("response_rate") is not None:
        lines.append(i18n.t("meeting.response_rate", lang, rate=fmt(point["response_rate"], " %")))
    lines.append(i18n.t("meeting.needs_review" if point["needs_review"] else "meeting.grade_a", lang))
    return lines


def table(point: dict, lang: str, limit: int = TABLE_ROWS) -> tuple[list[str], list[list[str]], list[str | None], int]:
    """A point's list as text: header, rows, each row's grade key (or None), rows left out."""
    key = point["key"]
    col = (lambda name: i18n.t(f"meeting.col.{name}", lang))
    rows = point.get("rows", [])
    if key == "segments":
        header = [col("segment"), col("csi"), col("grade"), col("weight"), col("valid"), col("change")]
        body = [[r["segment"], fmt(r["csi"]), grade_text(r["grade"], lang), fmt(100 * r["weight"], " %"),
                 str(r["valid"]), fmt_delta(r["change"]) + _significance_word(r.get("significance"), lang)]
                for r in rows]
        grades = [r["grade"] for r in rows]
    elif key == "items":
        header = [col("segment"), col("item"), col("score"), col("previous"), col("change"), col("n")]
        body = [[r["segment"], r["item"], fmt(r["score"], " %"), fmt(r["previous"], " %"), fmt_delta(r["change"]),
                 str(r["n"])] for r in rows]
        grades = ["very_dissatisfied"] * len(rows)
    elif key == "customers":
        header = [col("customer"), col("segment"), col("csi"), col("grade"), col("previous"), col("valid")]
        body = [[r["customer"], r["segment"], fmt(r["csi"]), grade_text(r["grade"], lang), fmt(r["previous"]),
                 str(r["valid"])] for r in rows]
        grades = [r["grade"] for r in rows]
    elif key == "verification":
        header = [col("subject"), col("raised_in"), col("owner"), col("raised"), col("later"), col("verdict")]
        body = []
        for r in rows:
            unit = " %" if r["kind"] in ("item", "customer_item") else ""
            body.append([subject(r, lang), r["period"], r["owner"] or "—", fmt(r["raised"], unit),
                         fmt(r["later"], unit), i18n.t(f"actions.verdict.{r['verdict']}", lang)])
        grades = [None] * len(rows)
    elif key == "complaints":
        header = [col("subject"), col("count")]
        body = [[str(r.get("subject", "")), str(r.get("count", ""))] for r in rows]
        grades = [None] * len(rows)
    else:
        return [], [], [], 0
    total = point.get("all", len(body))
    return header, body[:limit], grades[:limit], max(0, total - min(limit, len(body)))


def competitor_table(point: dict, lang: str, limit: int = TABLE_ROWS):
    """Point 6's competitors (CSI with our weights): name, CSI, grade, valid questionnaires
    (⚠ under the minimum of 10), gap to our total, the items with a significant gap."""
    t = (lambda k: i18n.t(k, lang))
    header = [t("competitors.col.name"), t("competitors.col.csi"), t("competitors.col.grade"),
              t("competitors.col.valid"), t("competitors.col.csi_gap"), t("competitors.col.significant_items")]
    rows = point.get("competitors") or []
    body = []
    for r in rows[:limit]:
        marked = [f"{g['item']} {fmt_delta(100 * g['gap'])}" for g in r["items"] if g["significant"]]
        body.append([r["name"], fmt(r["csi"]), grade_text(r["grade"], lang),
                     str(r["valid"]) + (" ⚠" if r["below_minimum"] else ""), fmt_delta(r["gap"]),
                     i18n.join(marked, lang) if marked else "—"])
    return header, body, [r["grade"] for r in rows[:limit]], max(0, len(rows) - limit)


def competitor_notes(point: dict, period: str, lang: str) -> list[str]:
    """The competitors under the procedure's minimum of questionnaires."""
    from csi_core.method.competitors import MIN_QUESTIONNAIRES

    return [i18n.t("competitors.few", lang, name=r["name"], n=r["valid"], period=period, minimum=MIN_QUESTIONNAIRES)
            for r in point.get("competitors") or [] if r["below_minimum"]]


def customer_items_table(point: dict, lang: str, limit: int = TABLE_ROWS):
    """The items ≤ 70 % of single customers (point 3), worst first."""
    col = (lambda name: i18n.t(f"meeting.col.{name}", lang))
    rows = point.get("customer_items", [])
    header = [col("customer"), col("segment"), col("item"), col("score")]
    body = [[r["customer"], r["segment"], r["item"], fmt(r["score"], " %")] for r in rows[:limit]]
    return header, body, max(0, point.get("customer_items_all", len(rows)) - len(body))


def decision_table(decisions: list[dict], lang: str, points: list[dict] | None = None):
    """The decisions as rows: point, decision, action subject, owner, due."""
    number = {p["key"]: n for n, p in enumerate(points or [], start=1)}
    col = (lambda name: i18n.t(f"meeting.col.{name}", lang))
    header = [col("point"), col("decision"), col("action"), col("owner"), col("due")]
    body = []
    for d in decisions:
        action = d.get("action") or {}
        where = f"{number[d['point']]} " if d["point"] in number else ""
        body.append([where + title(d["point"], lang) if d["point"] in POINT_KEYS else d["point"], d["text"],
                     subject(action, lang) if action else "—", action.get("owner") or "—", action.get("due") or "—"])
    return header, body


POINT_KEYS = ("total", "segments", "items", "customers", "verification", "complaints", "decisions")


def point_label(agenda: dict, index: int, lang: str) -> str:
    """``议程 2 / 6 · 客户类型``: the point's place in the agenda shown, and its title."""
    points = agenda["points"]
    return i18n.t("meeting.point_of", lang, n=index + 1, total=len(points)) + " · " + title(points[index]["key"], lang)
