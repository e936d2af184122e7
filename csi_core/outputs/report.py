"""The management-review report (管理评审 · 客户满意度调查汇总分析报告).

What the meeting needs, after the source procedures (000 §6, 001 §5.5–5.7): the
period, the sample and response rate against their targets, the CSI with its grade
and trend, the segment and item tables, every item at or below 70 % and every CSI
below 80 with its corrective action and status, the verification of last period's
actions by this period's score, and a summary of the customers' comments.

:func:`build` gathers it once into a :class:`MeetingReport` (plain tables); three
writers render that same content:

* :func:`report_xlsx` — Excel (xlsxwriter, native line charts, text never a formula)
* :func:`report_html` — one self-contained HTML page (escaped; charts as inline PNG)
* :func:`report_pdf`  — PDF (fpdf2 with the Noto Sans CJK font of ``mplfonts``
  embedded; charts drawn by matplotlib, no browser needed)
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import io
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import xlsxwriter

from csi_core.method import actions as act
from csi_core.method import csi
from csi_core import i18n
from csi_core import settings
from csi_core.method.counts import Counts
from csi_core.method.grades import CSI_REVIEW_BELOW, GRADE_BY_KEY, ITEM_ACTION_MAX, grade_of, round_half_up
from csi_core.reading.scales import get_scale, name_key
from csi_core.method.actions import ACTION_STATUSES
from csi_core.store.db import Store
from csi_core.outputs.summary import period_summary
from csi_core.reading.validate import REASONS

FONT_FILE = "fonts/NotoSansCJKsc-Regular.otf"  # inside the mplfonts package
RED, GREEN, AMBER, GREY = "#c92a2a", "#1a7f37", "#b58900", "#8a94a3"
MAX_COMMENTS = 200  # comments listed in the PDF/HTML (all of them go into the workbook)
# Rows the PDF/HTML list of the long tables (the workbook has every row): a utility with
# thousands of commercial customers has thousands of customer items at or below 70 %.
MAX_ROWS = {"customer_items": 60, "customers": 60, "log": 200, "verification": 200}


class ReportError(ValueError):
    """A report that cannot be made from what is stored (e.g. an unknown period)."""


@dataclass(frozen=True)
class MeetingReport:
    """Everything one period's management-review report shows, as plain tables.

    Scores of items are 0–1 (``score``); CSIs 0–100. ``runs`` has one row per period
    up to the report's, with the total and each segment's CSI; ``item_runs`` one row
    per (period, segment, item).
    """

    lang: str
    period: str
    previous: str | None
    created: dt.datetime
    summary: dict
    key_figures: pd.DataFrame  # figure, value, target, remark
    segments: pd.DataFrame
    items: pd.DataFrame
    customers: pd.DataFrame
    flags: pd.DataFrame
    log: pd.DataFrame
    verification: pd.DataFrame
    runs: pd.DataFrame
    item_runs: pd.DataFrame
    comments: pd.DataFrame
    comment_items: pd.DataFrame
    comment_top: pd.DataFrame
    method: tuple[str, ...]
    notes: tuple[str, ...]
    segment_weights: dict[str, float] = field(default_factory=dict)

    def t(self, key: str, **params) -> str:
        return i18n.t(key, self.lang, **params)


# --- gathering ---------------------------------------------------------------------------------
def stored_weights(store: Store, counts: Counts) -> csi.Weights:
    """The company's segment weights (setting ``segment_weights``) over stored segments."""
    return csi.Weights(csi.stored_segment_weights(counts, store.get_setting("segment_weights")))


def build(store: Store, period: str | None = None, lang: str = "en", weights: csi.Weights | None = None,
          counts: Counts | None = None) -> MeetingReport:
    """Gather one period's report (default: the latest stored period).

    ``ReportError`` when nothing is stored or the period is not stored.
    """
    counts = counts if counts is not None else store.counts()
    if counts.empty:
        raise ReportError(i18n.t("report.error_empty", lang))
    period = period or counts.periods[-1]
    if period not in counts.periods:
        raise ReportError(i18n.t("report.error_period", lang, period=period, periods=", ".join(counts.periods)))
    weights = weights if weights is not None else stored_weights(store, counts)
    results = csi.compute(counts, weights)
    p = results.period_index(period)
    scores = act.PeriodScores(counts, results)
    customers = scores.customers(p)
    summary = period_summary(counts, results, p, customers)
    flag_list = act.flags(results, p, customers)
    log = store.actions()
    if not log.empty:
        log = log[log.period.map(lambda x: x in counts.periods[:p + 1])]
    verification = act.verify_actions(log, scores, before=period)
    if p > 0:
        verification = verification[verification.next_period == period]
    flags = act.flag_table(flag_list, scores, p, log)
    if not log.empty:  # the log shown: this period's actions and earlier ones not yet done
        log = log[(log.period == period) | ~log.status.fillna("open").isin(["done", "verified"])]
    comments = store.comments(period)
    return MeetingReport(
        lang=lang, period=period, previous=counts.periods[p - 1] if p else None, created=dt.datetime.now(),
        summary=summary, key_figures=_key_figures(store, summary, results, p, flags, log, verification, lang),
        segments=_segments(counts, results, p), items=_items(store, results, p),
        customers=_customers(scores, p), flags=flags, log=log.reset_index(drop=True),
        verification=verification.reset_index(drop=True), runs=_runs(results, p), item_runs=_item_runs(results, p),
        comments=comments, comment_items=comment_summary(comments, results.items),
        comment_top=frequent_comments(comments),
        method=_method(counts, lang), notes=_notes(results, period, lang),
        segment_weights=summary["segment_weights"])


def _invalid_by_reason(store: Store, period: str) -> dict[str, int]:
    invalid = store.responses(period, valid=False, limit=10**7)
    found = invalid.invalid_reason.value_counts().to_dict() if not invalid.empty else {}
    return {r: int(found.get(r, 0)) for r in REASONS}


def _target(store: Store, name: str) -> float:
    value = store.get_setting(name, settings.default(name))
    try:
        return float(value)
    except (TypeError, ValueError):
        return float(settings.default(name))


def _key_figures(store: Store, summary: dict, results: csi.Results, p: int, flags: pd.DataFrame,
                 log: pd.DataFrame, verification: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The summary sheet: one row per figure with its target and a remark."""
    def t(key, **kw):
        return i18n.t(key, lang, **kw)
    r = summary["responses"]
    previous = results.total[p - 1] if p else np.nan
    rows = [(t("report.fig.period"), results.periods[p], None, ""),
            (t("report.fig.sent"), summary["sent"], None, "" if summary["sent"] else t("report.no_sent"))]
    rows += [(t("report.fig.returned"), r["returned"], None, ""), (t("report.fig.valid"), r["valid"], None, ""),
             (t("report.fig.invalid"), r["invalid"], None, "")]
    rows += [("  " + t(f"reason.{k}"), n, None, "") for k, n in _invalid_by_reason(store, results.periods[p]).items()]
    for key, value, target in (("response_rate", summary["response_rate"], _target(store, "response_rate_target")),
                               ("valid_rate", summary["valid_rate"], _target(store, "valid_rate_target"))):
        remark = "" if value is None else t("report.target_met" if round_half_up(value) >= target else "report.target_missed")
        rows.append((t(f"report.fig.{key}"), None if value is None else value / 100, target / 100, remark))
    total = summary["csi"]
    rows += [(t("report.fig.csi"), total, CSI_REVIEW_BELOW, t("report.review_needed") if total is not None and
              round_half_up(total) < CSI_REVIEW_BELOW else t("report.grade_a") if total is not None else ""),
             (t("report.fig.grade"), t(f"grade.{summary['grade']}") if summary["grade"] else "—", None, ""),
             (t("report.fig.previous"), None if np.isnan(previous) else float(previous), None,
              results.periods[p - 1] if p else ""),
             (t("report.fig.change"), None if np.isnan(previous) or total is None else total - previous, None, ""),
             (t("report.fig.satisfaction"), summary["satisfaction_rate"], None, ""),
             (t("report.fig.items_flagged"), int(flags.kind.eq("item").sum()), None, t("report.rule_items")),
             (t("report.fig.customers_flagged"), int(flags.kind.eq("customer").sum()), None, t("report.rule_csi"))]
    statuses = log.status.fillna("open").value_counts().to_dict() if not log.empty else {}
    rows += [(t("report.fig.actions_status", status=t(f"actions.status.{s}")), int(statuses.get(s, 0)), None, "")
             for s in ACTION_STATUSES]
    verdicts = verification.verdict.value_counts().to_dict() if not verification.empty else {}
    rows += [(t("report.fig.verdict", verdict=t(f"actions.verdict.{v}")), int(verdicts.get(v, 0)), None, "")
             for v in act.VERDICTS]
    return pd.DataFrame(rows, columns=["figure", "value", "target", "remark"])


def _segments(counts: Counts, results: csi.Results, p: int) -> pd.DataFrame:
    rows = []
    for s, segment in enumerate(results.segments):
        if not results.returned[p, s]:
            continue
        sent = counts.sent_segment[p, s]
        value = results.segment_csi[p, s]
        prev = results.segment_csi[p - 1, s] if p else np.nan
        rows.append({"segment": segment, "weight": float(results.segment_weight[p, s]),
                     "sent": None if np.isnan(sent) else int(sent), "returned": int(results.returned[p, s]),
                     "valid": int(results.valid[p, s]),
                     "response_rate": None if np.isnan(sent) or not sent else results.returned[p, s] / sent,
                     "csi": value, "grade": None if np.isnan(value) else grade_of(value).key,
                     "previous": prev, "change": value - prev,
                     "satisfaction": results.segment_satisfied[p, s]})
    return pd.DataFrame(rows, columns=["segment", "weight", "sent", "returned", "valid", "response_rate", "csi",
                                       "grade", "previous", "change", "satisfaction"])


def _items(store: Store, results: csi.Results, p: int) -> pd.DataFrame:
    dims = {name_key(r.item): r.dimension for r in store.item_table().itertuples()}
    rows = []
    for s, segment in enumerate(results.segments):
        for i in np.flatnonzero(results.item_n[p, s] > 0):
            score = float(results.item_score[p, s, i])
            prev = results.item_score[p - 1, s, i] if p and results.item_n[p - 1, s, i] else np.nan
            rows.append({"segment": segment, "item": results.items[i], "dimension": dims.get(name_key(results.items[i]), ""),
                         "n": int(results.item_n[p, s, i]), "score": score,
                         "weight": float(results.item_weight[p, s, i]),
                         "satisfaction": float(results.item_satisfied[p, s, i]),
                         "grade": grade_of(100 * score).key, "previous": prev, "change": score - prev,
                         "action": round_half_up(100 * score) <= ITEM_ACTION_MAX})
    return pd.DataFrame(rows, columns=["segment", "item", "dimension", "n", "score", "weight", "satisfaction",
                                       "grade", "previous", "change", "action"])


def _customers(scores: act.PeriodScores, p: int) -> pd.DataFrame:
    cr = scores.customers(p)
    rows = []
    for k, (name, segment) in enumerate(zip(cr.names, cr.segments)):
        value = float(cr.csi[k])
        prev = scores.value(p - 1, ("customer", name_key(segment), name_key(name), "")) if p else np.nan
        rows.append({"customer": name, "segment": segment, "valid": int(cr.valid[k]), "csi": value,
                     "grade": None if np.isnan(value) else grade_of(value).key, "previous": prev,
                     "change": value - prev, "review": not np.isnan(value) and round_half_up(value) < CSI_REVIEW_BELOW})
    table = pd.DataFrame(rows, columns=["customer", "segment", "valid", "csi", "grade", "previous", "change", "review"])
    return table.sort_values(["csi", "customer"], na_position="last").reset_index(drop=True)


def _runs(results: csi.Results, p: int) -> pd.DataFrame:
    data = {"period": list(results.periods[:p + 1]), "total": results.total[:p + 1].tolist()}
    for s, segment in enumerate(results.segments):
        data[segment] = results.segment_csi[:p + 1, s].tolist()
    return pd.DataFrame(data)


def _item_runs(results: csi.Results, p: int) -> pd.DataFrame:
    rows = []
    for q in range(p + 1):
        for s, segment in enumerate(results.segments):
            for i, item in enumerate(results.items):
                if results.item_n[q, s, i]:
                    rows.append((results.periods[q], segment, item, float(results.item_score[q, s, i])))
    return pd.DataFrame(rows, columns=["period", "segment", "item", "score"])


def comment_summary(comments: pd.DataFrame, items: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """How many comments mention each item by name (width/case-insensitively), most first.

    Examples
    --------
    >>> c = pd.DataFrame({"comment": ["热线服务总是占线", "热线 服务太慢；收费不透明", "很好"]})
    >>> comment_summary(c, ["热线服务", "收费透明", "燃气质量"]).to_dict("records")
    [{'item': '热线服务', 'comments': 2, 'share': 0.6666666666666666}]
    """
    texts = [name_key(t) for t in comments["comment"]] if len(comments) else []
    rows = []
    for item in items:
        key = name_key(item)
        hits = sum(1 for t in texts if key and key in t)
        if hits:
            rows.append({"item": item, "comments": hits, "share": hits / len(texts)})
    table = pd.DataFrame(rows, columns=["item", "comments", "share"])
    return table.sort_values("comments", ascending=False, kind="stable").reset_index(drop=True)


def frequent_comments(comments: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The comments written most often (same text, width/case/space-insensitively), with
    how many wrote them and in which segments; only texts written more than once.

    Examples
    --------
    >>> c = pd.DataFrame({"segment": ["a", "b", "a"], "comment": ["太贵", "太 贵", "很好"]})
    >>> frequent_comments(c).to_dict("records")
    [{'comment': '太贵', 'comments': 2, 'segments': 'a, b'}]
    """
    if comments.empty:
        return pd.DataFrame(columns=["comment", "comments", "segments"])
    keyed = comments.assign(key=[name_key(t) for t in comments["comment"]])
    rows = []
    for _, group in keyed.groupby("key", sort=False):
        if len(group) > 1:
            rows.append({"comment": group["comment"].iloc[0], "comments": len(group),
                         "segments": ", ".join(dict.fromkeys(group["segment"].astype(str)))})
    table = pd.DataFrame(rows, columns=["comment", "comments", "segments"])
    return table.sort_values("comments", ascending=False, kind="stable").head(top).reset_index(drop=True)


def _method(counts: Counts, lang: str) -> tuple[str, ...]:
    scale = get_scale(counts.scale)
    coefficients = " / ".join(f"{scale.coefficients[c]:g}" for c in sorted(scale.codes, reverse=True))
    return tuple(i18n.t(f"report.method.{k}", lang, scale=scale.name, coefficients=coefficients,
                        item_max=f"{ITEM_ACTION_MAX:g}", csi_min=f"{CSI_REVIEW_BELOW:g}")
                 for k in ("score", "weight", "segment", "total", "customer", "invalid", "grades", "rules"))


def _notes(results: csi.Results, period: str, lang: str) -> tuple[str, ...]:
    lines = [i18n.t(f"calc.{n.key}", lang, **dict(n.params)) for n in results.notes
             if dict(n.params).get("period", period) == period]
    return tuple(dict.fromkeys(lines))


# --- shared formatting -----------------------------------------------------------------------------
def _missing(value) -> bool:
    """None, NaN, NaT, pd.NA — but not text, flags or lists."""
    if value is None:
        return True
    if isinstance(value, (str, bool, list, tuple, np.bool_)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _num(value, digits: int = 1, suffix: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{round_half_up(float(value), digits):.{digits}f}{suffix}"


def _pct(value) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else _num(100 * value, 1, " %")


def _delta(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    rounded = round_half_up(float(value))
    return "±0.0" if rounded == 0 else f"{rounded:+.1f}"


def _grade(rep: MeetingReport, key) -> str:
    return rep.t(f"grade.{key}") if isinstance(key, str) and key else "—"


def _what(rep: MeetingReport, row) -> str:
    """A flag's or action's subject in words: "工商业户 · 维修及时"."""
    parts = [rep.t(f"actions.kind.{row['kind']}")] if row.get("kind") in act.KINDS else []
    parts += [str(row[k]) for k in ("segment", "customer", "item") if isinstance(row.get(k), str) and row.get(k)]
    return " · ".join(parts)


def _value(kind: str, value) -> str:
    return _num(value, 1, " %" if act.is_percent(kind) else "")


def _status(rep: MeetingReport, status) -> str:
    return rep.t(f"actions.status.{status}") if status in ACTION_STATUSES else rep.t("report.no_action")


def _date(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)[:10]


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _verdict_color(verdict: str) -> str:
    return {"resolved": GREEN, "improved": GREEN, "not_improved": RED}.get(verdict, GREY)


# --- tables as rows of text (HTML and PDF) ----------------------------------------------------------
def text_tables(rep: MeetingReport) -> dict[str, tuple[list[str], list[list[str]], list[str | None]]]:
    """Each table as (header, rows of text, colour per row or None): one source for HTML and PDF.

    Long tables are cut (:data:`MAX_ROWS`); :func:`left_out` tells how many rows were.
    """
    t = rep.t
    out: dict = {}
    more: dict[str, int] = {}
    out["segments"] = ([t("report.col.segment"), t("report.col.weight"), t("report.col.returned"),
                        t("report.col.valid"), t("report.col.response_rate"), "CSI", t("report.col.grade"),
                        t("report.col.change")],
                       [[r.segment, _pct(r.weight), str(r.returned), str(r.valid), _pct(r.response_rate),
                         _num(r.csi), _grade(rep, r.grade), _delta(r.change)] for r in rep.segments.itertuples()],
                       [None] * len(rep.segments))
    items = rep.items
    out["items"] = ([t("report.col.segment"), t("report.col.item"), "n", t("report.col.score"),
                     t("report.col.weight"), t("report.col.satisfaction"), t("report.col.change")],
                    [[r.segment, r.item, str(r.n), _pct(r.score), _pct(r.weight), _pct(r.satisfaction),
                      _delta(100 * r.change)] for r in items.itertuples()],
                    [RED if r.action else None for r in items.itertuples()])
    owner_due = {int(a["id"]): [_text(a["owner"]), _date(a["due"])] for a in rep.log.to_dict("records")}
    parts, more["flags"] = [], 0
    for kind in act.KINDS:  # overall and segment items in full; the customers' lowest first, cut
        part = rep.flags[rep.flags.kind == kind]
        if kind.startswith("customer"):
            part, left = _cut(part.sort_values("value", kind="stable"),
                              MAX_ROWS["customer_items" if kind == "customer_item" else "customers"])
            more["flags"] += left
        parts.append(part)
    flags = pd.concat(parts).to_dict("records") if len(rep.flags) else []
    out["flags"] = ([t("report.col.subject"), t("report.col.value"), t("report.col.previous"),
                     t("report.col.trend"), t("report.col.status"), t("report.col.owner"), t("report.col.due")],
                    [[_what(rep, f), _value(f["kind"], f["value"]), _value(f["kind"], f["previous"]),
                      "→".join(_num(v) for v in f["trend"][-4:]), _status(rep, f["status"]),
                      *owner_due.get(_id(f["action_id"]), ["", ""])] for f in flags],
                    [RED] * len(flags))
    ver, more["verification"] = _cut(rep.verification, MAX_ROWS["verification"])
    ver = ver.to_dict("records")
    out["verification"] = ([t("report.col.period"), t("report.col.subject"), t("report.col.raised"),
                            t("report.col.later"), t("report.col.status"), t("report.col.verdict")],
                           [[v["period"], _what(rep, v), _value(v["kind"], v["raised"]), _value(v["kind"], v["later"]),
                             _status(rep, v["status"]), t(f"actions.verdict.{v['verdict']}")] for v in ver],
                           [_verdict_color(v["verdict"]) for v in ver])
    log, more["log"] = _cut(rep.log, MAX_ROWS["log"])
    log = log.to_dict("records")
    out["log"] = ([t("report.col.period"), t("report.col.subject"), t("report.col.cause"), t("report.col.measure"),
                   t("report.col.owner"), t("report.col.due"), t("report.col.status")],
                  [[_text(a["period"]), _what(rep, a), _text(a["cause"]), _text(a["measure"]), _text(a["owner"]),
                    _date(a["due"]), _status(rep, a["status"])] for a in log],
                  [None] * len(log))
    cust, more["customers"] = _cut(rep.customers, MAX_ROWS["customers"])
    out["customers"] = ([t("report.col.customer"), t("report.col.segment"), t("report.col.valid"), "CSI",
                         t("report.col.grade"), t("report.col.change")],
                        [[r.customer, r.segment, str(r.valid), _num(r.csi), _grade(rep, r.grade), _delta(r.change)]
                         for r in cust.itertuples()],
                        [RED if r.review else None for r in cust.itertuples()])
    out["comment_items"] = ([t("report.col.item"), t("report.col.comments"), t("report.col.share")],
                            [[r.item, str(r.comments), _pct(r.share)] for r in rep.comment_items.itertuples()],
                            [None] * len(rep.comment_items))
    out["comment_top"] = ([t("report.col.comment"), t("report.col.comments"), t("report.col.segment")],
                          [[r.comment, str(r.comments), r.segments] for r in rep.comment_top.itertuples()],
                          [None] * len(rep.comment_top))
    com, more["comments"] = _cut(rep.comments, MAX_COMMENTS)
    out["comments"] = ([t("report.col.segment"), t("report.col.customer"), t("report.col.comment")],
                       [[_text(r.segment), _text(r.customer), _text(r.comment)] for r in com.itertuples()],
                       [None] * len(com))
    out["_more"] = more
    return out


def _cut(frame: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, int]:
    """The first ``limit`` rows, and how many were left out."""
    return frame.head(limit), max(0, len(frame) - limit)


def left_out(tables: dict, name: str, rep: MeetingReport) -> str:
    """"… 120 more rows in the Excel report" for a cut table, else ""."""
    count = tables["_more"].get(name, 0)
    return i18n.tn("report.more_rows", count, rep.lang, count=count) if count else ""


def _id(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def headline(rep: MeetingReport) -> list[tuple[str, str, str | None]]:
    """The figures at the top of the HTML/PDF report: (label, value, colour)."""
    s, t = rep.summary, rep.t
    r = s["responses"]
    total = s["csi"]
    color = grade_of(total).color if total is not None else GREY
    previous = rep.runs.total.iloc[-2] if len(rep.runs) > 1 else np.nan
    return [("CSI", _num(total), color),
            (t("report.col.grade"), _grade(rep, s["grade"]), color),
            (t("report.fig.change"), _delta(None if total is None else total - previous), None),
            (t("report.fig.returned"), f"{r['returned']}", None),
            (t("report.fig.valid"), f"{r['valid']}", None),
            (t("report.fig.response_rate"), _num(s["response_rate"], 1, " %") if s["response_rate"] is not None else "—", None),
            (t("report.fig.valid_rate"), _num(s["valid_rate"], 1, " %") if s["valid_rate"] is not None else "—", None),
            (t("report.fig.items_flagged"), str(int(rep.flags.kind.eq("item").sum())), None)]


def findings(rep: MeetingReport) -> list[str]:
    """A few sentences the meeting reads first (结论与改进建议)."""
    t, s = rep.t, rep.summary
    lines = []
    if s["csi"] is not None:
        lines.append(t("report.find.csi", period=rep.period, csi=_num(s["csi"]), grade=_grade(rep, s["grade"])))
        if rep.previous and len(rep.runs) > 1 and not np.isnan(rep.runs.total.iloc[-2]):
            change = s["csi"] - rep.runs.total.iloc[-2]
            lines.append(t("report.find.change", previous=rep.previous, change=_delta(change)))
    flagged = rep.items[rep.items.action]
    if len(flagged):
        worst = flagged.sort_values("score").head(5)
        lines.append(t("report.find.items", count=len(flagged),
                       items=i18n.join((f"{r.segment} · {r.item} {_pct(r.score)}" for r in worst.itertuples()),
                                       rep.lang)))
    else:
        lines.append(t("report.find.no_items"))
    low = rep.customers[rep.customers.review]
    if len(low):
        lines.append(t("report.find.customers", count=len(low), customers=i18n.join(low.customer.head(5), rep.lang)))
    rate, target = s["response_rate"], rep.key_figures.target.iloc[
        rep.key_figures.figure.tolist().index(t("report.fig.response_rate"))]
    if rate is not None and round_half_up(rate) < 100 * target:
        lines.append(t("report.find.rate_low", rate=_num(rate, 1, " %"), target=_num(100 * target, 1, " %")))
    missing = rep.flags.status.isna().sum() if len(rep.flags) else 0
    if missing:
        lines.append(t("report.find.without_action", count=int(missing)))
    if len(rep.verification):
        ok = rep.verification.verdict.isin(["improved", "resolved"]).sum()
        lines.append(i18n.tn("report.find.verified", len(rep.verification), rep.lang, count=len(rep.verification),
                             ok=int(ok)))
    if len(rep.comment_top):
        top = rep.comment_top.iloc[0]
        lines.append(i18n.tn("report.find.comments", len(rep.comments), rep.lang, count=len(rep.comments),
                             comment=top["comment"], n=int(top["comments"])))
    elif len(rep.comments):
        lines.append(i18n.tn("report.find.comments_any", len(rep.comments), rep.lang, count=len(rep.comments)))
    return lines


# --- charts (matplotlib, Agg; no pyplot state shared between threads) -----------------------------------
@lru_cache(maxsize=1)
def font_path() -> str:
    """The Noto Sans CJK SC font file that pip installs with ``mplfonts``."""
    return str(resources.files("mplfonts").joinpath(FONT_FILE))


def _figure(width: float, height: float):
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font_manager.fontManager.addfont(font_path())
    family = font_manager.FontProperties(fname=font_path()).get_name()
    fig = Figure(figsize=(width, height), dpi=150)
    FigureCanvasAgg(fig)
    return fig, family


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _style(ax, family: str) -> None:
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontfamily(family)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e3e7ed", linewidth=0.8)
    ax.set_axisbelow(True)


def run_chart_png(rep: MeetingReport) -> bytes:
    """推移图: the total CSI and each segment's across periods; falls marked red, the
    review line at 80."""
    fig, family = _figure(7.2, 3.2)
    ax = fig.add_subplot()
    runs = rep.runs
    x = np.arange(len(runs))
    palette = ["#1f3a5f", "#4c78a8", "#f58518", "#54a24b", "#b279a2", "#9d755d"]
    for k, column in enumerate(runs.columns[1:]):
        y = runs[column].to_numpy(dtype=float)
        total = column == "total"
        label = rep.t("report.col.total") if total else column
        ax.plot(x, y, marker="o", linewidth=2.6 if total else 1.4, markersize=5 if total else 3,
                color=palette[k % len(palette)], label=label, zorder=3 if total else 2)
        if total:
            falls = np.flatnonzero(np.diff(y) < 0) + 1
            ax.scatter(x[falls], y[falls], s=70, facecolors="none", edgecolors=RED, linewidths=1.8, zorder=4)
            for xi, yi in zip(x, y):
                if not np.isnan(yi):
                    ax.annotate(_num(yi), (xi, yi), textcoords="offset points", xytext=(0, 7), ha="center",
                                fontsize=7, fontfamily=family, color="#1f3a5f")
    ax.axhline(CSI_REVIEW_BELOW, color=RED, linestyle="--", linewidth=1)
    ax.set_xticks(x, runs.period)
    values = runs.iloc[:, 1:].to_numpy(dtype=float)
    low = np.nanmin(values) if np.isfinite(values).any() else 60
    ax.set_ylim(max(0, min(low, CSI_REVIEW_BELOW) - 5), 100)
    ax.legend(prop={"family": family, "size": 7}, ncol=min(4, len(runs.columns) - 1), loc="lower left", frameon=False)
    _style(ax, family)
    return _png(fig)


def items_chart_png(rep: MeetingReport, segments: list[str] | None = None) -> bytes:
    """This period's item scores as bars, one panel per segment; ≤ 70 % in red, with the 70 % line."""
    segments = list(rep.segments.segment) if segments is None else segments
    n_items = max([int((rep.items.segment == s).sum()) for s in segments] + [3])
    fig, family = _figure(2.45 * max(len(segments), 1) + 0.3, 0.24 * n_items + 0.8)
    low = min(50.0, 100 * rep.items.score.min() - 5) if len(rep.items) else 50.0
    for k, segment in enumerate(segments):
        ax = fig.add_subplot(1, max(len(segments), 1), k + 1)
        items = rep.items[rep.items.segment == segment].sort_values("score")
        y = np.arange(len(items))
        ax.barh(y, 100 * items.score, color=[RED if a else "#4c78a8" for a in items.action], height=0.65)
        for yi, v in zip(y, items.score):
            ax.text(100 * v + 0.8, yi, _num(100 * v), va="center", fontsize=6.5, fontfamily=family)
        ax.axvline(ITEM_ACTION_MAX, color=RED, linestyle="--", linewidth=1)
        ax.set_yticks(y, items["item"], fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlim(max(0.0, low), 104)
        ax.set_title(segment, fontfamily=family, fontsize=9, loc="left")
        _style(ax, family)
        ax.grid(axis="x", color="#e3e7ed", linewidth=0.8)
        ax.grid(axis="y", visible=False)
    fig.tight_layout(w_pad=1.2)
    return _png(fig)


# --- Excel ---------------------------------------------------------------------------------------------
def report_xlsx(store: Store, period: str | None = None, lang: str = "en", weights: csi.Weights | None = None,
                report: MeetingReport | None = None) -> bytes:
    """The meeting report as an Excel workbook (the command line's ``report``).

    Sheets: summary, segments, items (≤ 70 % in red), customers, actions (flags, the
    action log, verification), run charts (data + native line charts), notes, comments.
    """
    rep = report or build(store, period, lang, weights)
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"strings_to_formulas": False, "strings_to_numbers": False,
                                     "strings_to_urls": False, "in_memory": True})
    f = _formats(book)
    _sheet_summary(book, f, rep)
    _sheet_table(book, f, rep, "segments", rep.segments, _SEGMENT_COLUMNS)
    _sheet_table(book, f, rep, "items", rep.items, _ITEM_COLUMNS, red=rep.items.action.tolist())
    _sheet_table(book, f, rep, "customers", rep.customers, _CUSTOMER_COLUMNS, red=rep.customers.review.tolist())
    _sheet_actions(book, f, rep)
    _sheet_runs(book, f, rep)
    _sheet_notes(book, f, rep)
    _sheet_comments(book, f, rep)
    book.close()
    return buf.getvalue()


SHEETS = ("summary", "segments", "items", "customers", "actions", "runs", "notes", "comments")


def sheet_name(key: str, lang: str) -> str:
    """The localized sheet name (≤ 31 characters, no characters Excel forbids)."""
    name = i18n.t(f"report.sheet.{key}", lang)
    return "".join(ch for ch in name if ch not in "[]:*?/\\")[:31]


def _formats(book) -> dict:
    base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "top"}
    add = lambda **kw: book.add_format({**base, **kw})  # noqa: E731
    return {
        "title": add(bold=True, font_size=14), "head": add(bold=True, bg_color="#1f3a5f", font_color="#ffffff",
                                                          text_wrap=True, border=1),
        "text": add(), "wrap": add(text_wrap=True), "int": add(num_format="0"), "num": add(num_format="0.0"),
        "pct": add(num_format="0.0%"), "date": add(num_format="yyyy-mm-dd"),
        "red": add(font_color=RED, bold=True), "red_pct": add(font_color=RED, bold=True, num_format="0.0%"),
        "red_num": add(font_color=RED, bold=True, num_format="0.0"), "green": add(font_color=GREEN, bold=True),
        "section": add(bold=True, font_size=11, font_color="#1f3a5f"), "muted": add(font_color="#5b6573", italic=True),
    }


# (column of the table, header key, format, width)
_SEGMENT_COLUMNS = (("segment", "segment", "text", 14), ("weight", "weight", "pct", 9), ("sent", "sent", "int", 9),
                    ("returned", "returned", "int", 9), ("valid", "valid", "int", 9),
                    ("response_rate", "response_rate", "pct", 10), ("csi", "csi", "num", 9),
                    ("grade", "grade", "grade", 12), ("previous", "previous", "num", 10),
                    ("change", "change", "num", 9), ("satisfaction", "satisfaction", "pct", 10))
_ITEM_COLUMNS = (("segment", "segment", "text", 14), ("item", "item", "text", 16), ("dimension", "dimension", "text", 10),
                 ("n", "n", "int", 7), ("score", "score", "pct", 9), ("weight", "weight", "pct", 9),
                 ("satisfaction", "satisfaction", "pct", 10), ("grade", "grade", "grade", 12),
                 ("previous", "previous", "pct", 10), ("change", "change_pts", "pts", 10), ("action", "action", "flag", 12))
_CUSTOMER_COLUMNS = (("customer", "customer", "text", 26), ("segment", "segment", "text", 12), ("valid", "valid", "int", 8),
                     ("csi", "csi", "num", 9), ("grade", "grade", "grade", 12), ("previous", "previous", "num", 10),
                     ("change", "change", "num", 9), ("review", "review", "flag", 12))


def _cell(sheet, row: int, col: int, value, kind: str, f: dict, rep: MeetingReport, red: bool = False) -> None:
    """Numbers stay numbers (with a display format); text is written as text."""
    if _missing(value):
        sheet.write_blank(row, col, None, f["text"])
    elif kind == "grade":
        sheet.write_string(row, col, _grade(rep, value), f["red"] if red else f["text"])
    elif kind == "flag":
        if value:
            sheet.write_string(row, col, rep.t("report.yes"), f["red"])
        else:
            sheet.write_blank(row, col, None, f["text"])
    elif kind == "pts":
        sheet.write_number(row, col, 100 * float(value), f["red_num" if red else "num"])
    elif kind in ("int", "num", "pct"):
        sheet.write_number(row, col, float(value), f[f"red_{kind}"] if red and kind != "int" else f[kind])
    elif isinstance(value, (dt.date, pd.Timestamp)):
        sheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), f["date"])
    else:
        sheet.write_string(row, col, str(value), f["red"] if red else f["text"])


def _write_table(sheet, f, rep: MeetingReport, top: int, table: pd.DataFrame, columns, red=None) -> int:
    """A table with a header row at ``top``; returns the next free row."""
    for c, (_, key, _, width) in enumerate(columns):
        sheet.write_string(top, c, rep.t(f"report.col.{key}"), f["head"])
    for r, row in enumerate(table.to_dict("records")):
        for c, (column, _, kind, _) in enumerate(columns):
            _cell(sheet, top + 1 + r, c, row.get(column), kind, f, rep, red=bool(red and red[r]))
    return top + 2 + len(table)


def _sheet_table(book, f, rep, key: str, table: pd.DataFrame, columns, red=None) -> None:
    sheet = book.add_worksheet(sheet_name(key, rep.lang))
    sheet.write_string(0, 0, f"{rep.t(f'report.title.{key}')} · {rep.period}", f["title"])
    for c, (*_, width) in enumerate(columns):
        sheet.set_column(c, c, width)
    end = _write_table(sheet, f, rep, 2, table, columns, red)
    sheet.freeze_panes(3, 1)
    if len(table):
        sheet.autofilter(2, 0, end - 2, len(columns) - 1)
    if key == "items":
        sheet.write_string(end, 0, rep.t("report.rule_items"), f["muted"])
    if key == "customers":
        sheet.write_string(end, 0, rep.t("report.rule_csi"), f["muted"])


def _sheet_summary(book, f, rep: MeetingReport) -> None:
    sheet = book.add_worksheet(sheet_name("summary", rep.lang))
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 2, 14)
    sheet.set_column(3, 3, 40)
    sheet.write_string(0, 0, rep.t("report.title", period=rep.period), f["title"])
    sheet.write_string(1, 0, rep.t("report.created", when=f"{rep.created:%Y-%m-%d %H:%M}"), f["muted"])
    for c, key in enumerate(("figure", "value", "target", "remark")):
        sheet.write_string(3, c, rep.t(f"report.col.{key}"), f["head"])
    row = 4
    for fig in rep.key_figures.to_dict("records"):
        rate = fig["target"] is not None and not (isinstance(fig["target"], float) and math.isnan(fig["target"])) \
            and fig["target"] <= 1
        kind = "pct" if rate else ("int" if isinstance(fig["value"], (int, np.integer)) else "num")
        sheet.write_string(row, 0, fig["figure"], f["text"])
        red = fig["remark"] in (rep.t("report.target_missed"), rep.t("report.review_needed"))
        _cell(sheet, row, 1, fig["value"], kind if not isinstance(fig["value"], str) else "text", f, rep, red)
        _cell(sheet, row, 2, fig["target"], "pct" if rate else "num", f, rep)
        _cell(sheet, row, 3, fig["remark"], "text", f, rep, red)
        row += 1
    row += 1
    sheet.write_string(row, 0, rep.t("report.section.findings"), f["section"])
    for line in findings(rep):
        row += 1
        sheet.write_string(row, 0, "• " + line, f["text"])
    row += 2
    sheet.write_string(row, 0, rep.t("report.section.weights"), f["section"])
    for segment, w in rep.segment_weights.items():
        row += 1
        sheet.write_string(row, 0, segment, f["text"])
        sheet.write_number(row, 1, w, f["pct"])


def _sheet_actions(book, f, rep: MeetingReport) -> None:
    sheet = book.add_worksheet(sheet_name("actions", rep.lang))
    widths = (26, 12, 12, 22, 12, 26, 26, 12, 12)
    for c, w in enumerate(widths):
        sheet.set_column(c, c, w)
    sheet.write_string(0, 0, f"{rep.t('report.title.actions')} · {rep.period}", f["title"])
    row = 2
    sheet.write_string(row, 0, rep.t("report.section.flags"), f["section"])
    sheet.write_string(row + 1, 0, f"{rep.t('report.rule_items')} {rep.t('report.rule_csi')}", f["muted"])
    flags = rep.flags.assign(subject=[_what(rep, r) for r in rep.flags.to_dict("records")],
                             shown=rep.flags.value, status_text=[_status(rep, s) for s in rep.flags.status])
    columns = (("subject", "subject", "text", 26), ("shown", "value", "num", 12), ("previous", "previous", "num", 12),
               ("grade", "grade", "grade", 12), ("status_text", "status", "text", 12))
    row = _write_table(sheet, f, rep, row + 2, flags, columns, red=[True] * len(flags))
    row += 1
    sheet.write_string(row, 0, rep.t("report.section.log"), f["section"])
    log = rep.log.assign(subject=[_what(rep, r) for r in rep.log.to_dict("records")],
                         shown=[act.shown(k, v) for k, v in zip(rep.log.kind, rep.log.score)] if len(rep.log) else [],
                         status_text=[_status(rep, s) for s in rep.log.status] if len(rep.log) else [])
    columns = (("period", "period", "text", 12), ("subject", "subject", "text", 26), ("shown", "raised", "num", 12),
               ("cause", "cause", "text", 22), ("owner", "owner", "text", 12), ("measure", "measure", "text", 26),
               ("status_text", "status", "text", 12), ("due", "due", "date", 12))
    row = _write_table(sheet, f, rep, row + 1, log, columns)
    row += 1
    sheet.write_string(row, 0, rep.t("report.section.verification", previous=rep.previous or "—"), f["section"])
    ver = rep.verification.assign(subject=[_what(rep, r) for r in rep.verification.to_dict("records")],
                                  verdict_text=[rep.t(f"actions.verdict.{v}") for v in rep.verification.verdict])
    columns = (("period", "period", "text", 12), ("subject", "subject", "text", 26), ("raised", "raised", "num", 12),
               ("next_period", "next_period", "text", 12), ("later", "later", "num", 12),
               ("change", "change", "num", 12), ("verdict_text", "verdict", "text", 12))
    _write_table(sheet, f, rep, row + 1, ver, columns, red=[v == "not_improved" for v in rep.verification.verdict])


def _sheet_runs(book, f, rep: MeetingReport) -> None:
    """Run-chart data (推移图) with native Excel line charts; falls in red."""
    sheet = book.add_worksheet(sheet_name("runs", rep.lang))
    name = sheet_name("runs", rep.lang)
    runs = rep.runs
    sheet.write_string(0, 0, rep.t("report.title.runs"), f["title"])
    headers = [rep.t("report.col.period"), rep.t("report.col.total"), *runs.columns[2:]]
    for c, h in enumerate(headers):
        sheet.write_string(2, c, h, f["head"])
        sheet.set_column(c, c, 12)
    for r, row in enumerate(runs.itertuples(index=False)):
        sheet.write_string(3 + r, 0, row[0], f["text"])
        for c, value in enumerate(row[1:], start=1):
            fell = r > 0 and not np.isnan(value) and value < runs.iloc[r - 1, c]
            _cell(sheet, 3 + r, c, value, "num", f, rep, red=fell)
    last = 3 + len(runs) - 1
    chart = book.add_chart({"type": "line"})
    for c in range(1, len(headers)):
        chart.add_series({"name": [name, 2, c], "categories": [name, 3, 0, last, 0], "values": [name, 3, c, last, c],
                          "marker": {"type": "circle"}, "line": {"width": 2.5 if c == 1 else 1.25}})
    chart.set_title({"name": rep.t("report.chart.csi")})
    chart.set_y_axis({"name": "CSI", "min": 50, "max": 100})
    chart.set_size({"width": 720, "height": 320})
    sheet.insert_chart(2, len(headers) + 1, chart)
    sheet.write_string(last + 2, 0, rep.t("report.falls_red"), f["muted"])
    # items: one block and one chart per segment
    row = last + 5
    chart_row = 20
    for segment in runs.columns[2:]:
        block = rep.item_runs[rep.item_runs.segment == segment].pivot(index="period", columns="item", values="score")
        block = block.reindex(index=[p for p in runs.period if p in block.index])
        block = block[[i for i in dict.fromkeys(rep.item_runs["item"]) if i in block.columns]]
        sheet.write_string(row, 0, f"{segment} · {rep.t('report.chart.items')}", f["section"])
        sheet.write_string(row + 1, 0, rep.t("report.col.period"), f["head"])
        for c, item in enumerate(block.columns, start=1):
            sheet.write_string(row + 1, c, item, f["head"])
        for r, (period, values) in enumerate(block.iterrows()):
            sheet.write_string(row + 2 + r, 0, period, f["text"])
            for c, value in enumerate(values, start=1):
                fell = r > 0 and not np.isnan(value) and value < block.iloc[r - 1, c - 1]
                _cell(sheet, row + 2 + r, c, value, "pct", f, rep, red=fell or (not np.isnan(value) and
                                                                                 round_half_up(100 * value) <= ITEM_ACTION_MAX))
        end = row + 2 + len(block) - 1
        if len(block):
            chart = book.add_chart({"type": "line"})
            for c in range(1, len(block.columns) + 1):
                chart.add_series({"name": [name, row + 1, c], "categories": [name, row + 2, 0, end, 0],
                                  "values": [name, row + 2, c, end, c], "marker": {"type": "circle", "size": 4}})
            chart.set_title({"name": f"{segment} · {rep.t('report.chart.items')}"})
            chart.set_y_axis({"num_format": "0%", "min": 0.5, "max": 1})
            chart.set_size({"width": 720, "height": 320})
            sheet.insert_chart(chart_row, len(headers) + 1, chart)
            chart_row += 17
        row = end + 3


def _sheet_notes(book, f, rep: MeetingReport) -> None:
    sheet = book.add_worksheet(sheet_name("notes", rep.lang))
    sheet.set_column(0, 0, 120, f["wrap"])
    sheet.write_string(0, 0, rep.t("report.title.notes"), f["title"])
    row = 2
    sheet.write_string(row, 0, rep.t("report.section.method"), f["section"])
    for line in rep.method:
        row += 1
        sheet.write_string(row, 0, line, f["wrap"])
    row += 2
    sheet.write_string(row, 0, rep.t("report.section.notes"), f["section"])
    for line in rep.notes or (rep.t("report.no_notes"),):
        row += 1
        sheet.write_string(row, 0, line, f["wrap"])


def _sheet_comments(book, f, rep: MeetingReport) -> None:
    sheet = book.add_worksheet(sheet_name("comments", rep.lang))
    for c, width in enumerate((16, 26, 16, 80)):
        sheet.set_column(c, c, width)
    sheet.write_string(0, 0, f"{rep.t('report.title.comments')} · {rep.period}", f["title"])
    row = _write_table(sheet, f, rep, 2, rep.comment_top, (("comment", "comment", "text", 0),
                                                           ("comments", "comments", "int", 0),
                                                           ("segments", "segment", "text", 0)))
    if len(rep.comment_items):
        columns = (("item", "item", "text", 16), ("comments", "comments", "int", 10), ("share", "share", "pct", 10))
        row = _write_table(sheet, f, rep, row, rep.comment_items, columns)
    columns = (("segment", "segment", "text", 16), ("customer", "customer", "text", 26),
               ("respondent_id", "respondent_id", "text", 16), ("comment", "comment", "text", 80))
    _write_table(sheet, f, rep, row + 1, rep.comments, columns)


# --- HTML -----------------------------------------------------------------------------------------------
_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;color:#1b2430;max-width:1100px;
margin:24px auto;padding:0 18px;line-height:1.45}
h1{font-size:26px;margin:0 0 4px} h2{font-size:19px;margin:28px 0 8px;color:#1f3a5f;border-bottom:2px solid #1f3a5f}
.muted{color:#5b6573;font-size:13px} .cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.card{border:1px solid #d5dbe3;border-radius:8px;padding:8px 14px;min-width:110px}
.card .v{font-size:26px;font-weight:700} .card .l{font-size:12px;color:#5b6573}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 12px}
th{background:#1f3a5f;color:#fff;text-align:left;padding:4px 6px} td{border-bottom:1px solid #e3e7ed;padding:3px 6px}
tr.flag td{color:#c92a2a;font-weight:600} img{max-width:100%} ul{margin:4px 0}
@media print{body{margin:0} h2{page-break-after:avoid} table{page-break-inside:auto}}
"""


def _html_table(header: list[str], rows: list[list[str]], colors: list[str | None]) -> str:
    e = html.escape
    if not rows:
        return ""
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body = []
    for row, color in zip(rows, colors):
        style = f' style="color:{e(color)};font-weight:600"' if color else ""
        body.append(f"<tr{style}>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def report_html(store: Store, period: str | None = None, lang: str = "en", weights: csi.Weights | None = None,
                report: MeetingReport | None = None, charts: bool = True) -> str:
    """The meeting report as one self-contained HTML page (every text escaped)."""
    rep = report or build(store, period, lang, weights)
    t, e = rep.t, html.escape
    tables = text_tables(rep)

    def section(title: str, body: str, empty: str = "") -> str:
        return f"<h2>{e(title)}</h2>{body or f'<p class=muted>{e(empty)}</p>'}"

    cards = "".join(f'<div class="card"><div class="v"{f" style=color:{e(c)}" if c else ""}>{e(v)}</div>'
                    f'<div class="l">{e(lab)}</div></div>' for lab, v, c in headline(rep))
    parts = [f"<h1>{e(t('report.title', period=rep.period))}</h1>",
             f"<p class=muted>{e(t('report.created', when=f'{rep.created:%Y-%m-%d %H:%M}'))}</p>",
             f'<div class="cards">{cards}</div>',
             section(t("report.section.findings"), "<ul>" + "".join(f"<li>{e(x)}</li>" for x in findings(rep)) + "</ul>")]
    if charts:
        parts.append(section(t("report.chart.csi"), _img(run_chart_png(rep), t("report.chart.csi"))))
    parts.append(section(t("report.title.segments"), _html_table(*tables["segments"])))
    body = _html_table(*tables["items"]) + f"<p class=muted>{e(t('report.rule_items'))}</p>"
    if charts:
        body += _img(items_chart_png(rep), t("report.title.items"))
    parts.append(section(t("report.title.items"), body))
    def table(name: str) -> str:
        cut = left_out(tables, name, rep)
        return _html_table(*tables[name]) + (f"<p class=muted>{e(cut)}</p>" if cut else "")

    parts.append(section(t("report.section.flags"), table("flags"), t("report.none_flagged")))
    parts.append(section(t("report.section.verification", previous=rep.previous or "—"),
                         table("verification"), t("report.none_to_verify")))
    parts.append(section(t("report.section.log"), table("log"), t("report.no_actions")))
    parts.append(section(t("report.title.customers"), table("customers"), t("report.no_customers")))
    body = _html_table(*tables["comment_top"]) + _html_table(*tables["comment_items"]) + table("comments")
    parts.append(section(t("report.title.comments"), body, t("report.no_comments")))
    notes = "<ul>" + "".join(f"<li>{e(x)}</li>" for x in (*rep.method, *rep.notes)) + "</ul>"
    parts.append(section(t("report.title.notes"), notes))
    title = e(t("report.title", period=rep.period))
    return (f'<!DOCTYPE html><html lang="{e(rep.lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>")


# --- PDF ------------------------------------------------------------------------------------------------
def report_pdf(store: Store, period: str | None = None, lang: str = "en", weights: csi.Weights | None = None,
               report: MeetingReport | None = None) -> bytes:
    """The meeting report as a PDF (A4; Noto Sans CJK embedded; charts from matplotlib)."""
    rep = report or build(store, period, lang, weights)
    pdf = _Pdf(rep)
    pdf.cover()
    tables = text_tables(rep)
    pdf.heading(rep.t("report.chart.csi"))
    pdf.image_png(run_chart_png(rep))
    pdf.heading(rep.t("report.title.segments"), len(rep.segments))
    pdf.table_of(*tables["segments"], widths=(18, 11, 11, 11, 13, 10, 14, 12))
    pdf.heading(rep.t("report.title.items"))
    pdf.note(rep.t("report.rule_items"))
    pdf.table_of(*tables["items"], widths=(16, 22, 8, 12, 12, 14, 12))
    pdf.image_png(items_chart_png(rep))
    pdf.heading(rep.t("report.section.flags"))
    pdf.note(f"{rep.t('report.rule_items')} {rep.t('report.rule_csi')}")
    pdf.table_of(*tables["flags"], widths=(32, 10, 10, 30, 10, 11, 13), empty=rep.t("report.none_flagged"))
    pdf.note(left_out(tables, "flags", rep))
    pdf.heading(rep.t("report.section.verification", previous=rep.previous or "—"), len(rep.verification))
    pdf.table_of(*tables["verification"], widths=(12, 36, 12, 12, 12, 16), empty=rep.t("report.none_to_verify"))
    pdf.note(left_out(tables, "verification", rep))
    pdf.heading(rep.t("report.section.log"))
    pdf.table_of(*tables["log"], widths=(11, 24, 20, 20, 11, 12, 11), empty=rep.t("report.no_actions"))
    pdf.note(left_out(tables, "log", rep))
    pdf.heading(rep.t("report.title.customers"))
    pdf.note(rep.t("report.rule_csi"))
    pdf.table_of(*tables["customers"], widths=(36, 14, 9, 10, 16, 11), empty=rep.t("report.no_customers"))
    pdf.note(left_out(tables, "customers", rep))
    pdf.heading(rep.t("report.title.comments"))
    if rep.comments.empty:
        pdf.note(rep.t("report.no_comments"))
    pdf.table_of(*tables["comment_top"], widths=(60, 12, 28))
    pdf.table_of(*tables["comment_items"], widths=(30, 15, 15))
    pdf.table_of(*tables["comments"], widths=(14, 26, 60))
    pdf.note(left_out(tables, "comments", rep))
    pdf.heading(rep.t("report.title.notes"))
    for line in (*rep.method, *rep.notes):
        pdf.paragraph("• " + line, size=8.5)
    return bytes(pdf.output())


def _pdf_class():
    from fpdf import FPDF

    class Pdf(FPDF):
        def __init__(self, rep: MeetingReport):
            super().__init__(orientation="P", unit="mm", format="A4")
            self.rep = rep
            self.set_auto_page_break(True, margin=15)
            self.set_margins(15, 15, 15)
            for style in ("", "B"):  # one weight only: headings are set apart by size and colour
                self.add_font("noto", style, font_path())
            self.set_title(rep.t("report.title", period=rep.period))
            self.set_creator("csi-dashboard")
            self.add_page()

        def header(self):
            if self.page_no() > 1:
                self.set_font("noto", size=8)
                self.set_text_color(120, 128, 140)
                self.cell(0, 6, self.rep.t("report.title", period=self.rep.period), align="L")
                self.ln(8)

        def footer(self):
            self.set_y(-12)
            self.set_font("noto", size=8)
            self.set_text_color(120, 128, 140)
            self.cell(0, 6, f"{self.page_no()} / {{nb}}", align="C")

        def cover(self):
            rep = self.rep
            self.set_font("noto", size=20)
            self.set_text_color(31, 58, 95)
            self.multi_cell(0, 10, rep.t("report.title", period=rep.period), new_x="LMARGIN", new_y="NEXT")
            self.set_font("noto", size=9)
            self.set_text_color(91, 101, 115)
            self.cell(0, 6, rep.t("report.created", when=f"{rep.created:%Y-%m-%d %H:%M}"))
            self.ln(10)
            self.cards(headline(rep))
            self.heading(rep.t("report.section.findings"))
            for line in findings(rep):
                self.paragraph("• " + line)

        def cards(self, figures):
            width = (self.epw - 3 * 3) / 4
            x0, y = self.l_margin, self.get_y()
            for k, (label, value, color) in enumerate(figures):
                x = x0 + (k % 4) * (width + 3)
                if k and k % 4 == 0:
                    y += 20
                self.set_draw_color(213, 219, 227)
                self.rect(x, y, width, 17)
                self.set_xy(x + 2, y + 1.5)
                self.set_font("noto", size=15)
                self.set_text_color(*_rgb(color or "#1b2430"))
                self.cell(width - 4, 8, value)
                self.set_xy(x + 2, y + 10)
                self.set_font("noto", size=8)
                self.set_text_color(91, 101, 115)
                self.cell(width - 4, 5, label)
            self.set_xy(x0, y + 22)

        def heading(self, text: str, rows: int = 4):
            """A section title, on a new page unless it and ``rows`` table rows fit here."""
            if self.get_y() + 14 + 6.5 * min(rows + 1, 13) > self.h - self.b_margin:
                self.add_page()
            self.ln(3)
            self.set_font("noto", size=13)
            self.set_text_color(31, 58, 95)
            self.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(31, 58, 95)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(2)

        def paragraph(self, text: str, size: float = 10):
            self.set_font("noto", size=size)
            self.set_text_color(27, 36, 48)
            self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT", wrapmode=_char_wrap())
            self.ln(1)

        def note(self, text: str):
            if not text:
                return
            self.set_font("noto", size=8)
            self.set_text_color(91, 101, 115)
            self.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT", wrapmode=_char_wrap())

        def image_png(self, png: bytes, keep: bool = False):
            from PIL import Image

            with Image.open(io.BytesIO(png)) as im:
                w_px, h_px = im.size
            height = self.epw * h_px / w_px
            if self.get_y() + height > self.h - self.b_margin:
                self.add_page()
            self.image(io.BytesIO(png), x=self.l_margin, w=self.epw)
            self.ln(2)

        def table_of(self, header, rows, colors, widths, empty: str = ""):
            from fpdf.fonts import FontFace

            if not rows:
                if empty:
                    self.note(empty)
                return
            self.set_font("noto", size=8)
            self.set_text_color(27, 36, 48)
            heading = FontFace(family="noto", emphasis="", color=(255, 255, 255), fill_color=(31, 58, 95))
            with self.table(col_widths=widths, headings_style=heading, line_height=4.6, text_align="LEFT",
                            wrapmode=_char_wrap(), borders_layout="HORIZONTAL_LINES", padding=1,
                            width=self.epw) as table:
                table.row(header)
                for row, color in zip(rows, colors):
                    style = FontFace(color=_rgb(color)) if color else None
                    cells = table.row()
                    for value in row:
                        cells.cell(value, style=style)
            self.ln(3)

    return Pdf


def _char_wrap():
    from fpdf.enums import WrapMode

    return WrapMode.CHAR


def _Pdf(rep: MeetingReport):
    pdf = _pdf_class()(rep)
    pdf.alias_nb_pages()
    return pdf


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[k:k + 2], 16) for k in (0, 2, 4))  # type: ignore[return-value]


def grade_colors() -> dict[str, str]:
    """Grade key → colour, for screens that show the report's tables."""
    return {k: g.color for k, g in GRADE_BY_KEY.items()}


# --- CSV exports ------------------------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """A cell as written to CSV: text that a spreadsheet would run as a formula gets a
    leading ``'`` (formula injection); everything else unchanged.

    Examples
    --------
    >>> defuse("=HYPERLINK(\\"http://x\\")"), defuse("-1+2"), defuse("很好"), defuse(-3)
    ('\\'=HYPERLINK("http://x")', "'-1+2", '很好', -3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with a byte-order mark (Excel then reads Chinese right), every
    text cell and header defused."""
    safe = table.rename(columns=lambda c: defuse(str(c)))
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(defuse)
    # CRLF line ends (RFC 4180): a cell holding a bare CR or LF is then quoted, never split
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
