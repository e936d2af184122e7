"""The report's results as display text, the same for the PDF, the HTML page and the
report page: the headline figures, the findings, and each table as (header, rows of
text, colour per row) — flags, verification, the action log, subjects in words,
verdict colours. Nothing here reads the store or draws.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from csi_core import i18n
from csi_core.method import actions as act
from csi_core.method.grades import round_half_up
from csi_core.outputs import assessment_view as av
from csi_core.outputs import competitor_view as cv
from csi_core.outputs import formats as fm
from csi_core.outputs.report import MeetingReport

# Rows the PDF/HTML list of the long tables (the workbook has every row): a utility with
# thousands of commercial customers has thousands of customer items at or below 70 %.
MAX_ROWS = {"customer_items": 60, "customers": 60, "log": 200, "verification": 200, "comment_groups": 60}
# Flags of these kinds are the management summary's; customers' are the appendix's.
SUMMARY_KINDS = ("overall", "item")


@dataclass(frozen=True)
class Table:
    """A table as shown: header, rows of text, a colour per row (None: plain), and how
    many rows were left out (cut to :data:`MAX_ROWS`)."""

    header: list[str]
    rows: list[list[str]]
    colors: list[str | None]
    more: int = 0

    def __len__(self) -> int:
        return len(self.rows)


def grade_text(rep: MeetingReport, key) -> str:
    return rep.t(f"grade.{key}") if isinstance(key, str) and key else fm.DASH


def subject(row, lang: str) -> str:
    """A flag's or action's subject in words: "题目 · 工商业户 · 维修及时"."""
    parts = [i18n.t(f"actions.kind.{row['kind']}", lang)] if row.get("kind") in act.KINDS else []
    parts += [str(row[k]) for k in ("segment", "customer", "item") if isinstance(row.get(k), str) and row.get(k)]
    return " · ".join(parts)


def status_text(status, lang: str) -> str:
    """An action's status in words; "no action yet" for a flag without one."""
    return i18n.t(f"actions.status.{status}", lang) if status in act.ACTION_STATUSES else i18n.t("report.no_action", lang)


def score_text(kind: str, value) -> str:
    """A flag's score as shown: items in %, CSIs as numbers."""
    return fm.num(value, 1, " %" if act.is_percent(kind) else "")


def figure_text(value, kind: str) -> str:
    """A key figure's value (or target) as shown, by its ``kind``."""
    if fm.missing(value):
        return fm.DASH
    return {"text": str, "int": fm.count, "num": fm.num, "pct": fm.pct, "delta": fm.delta}[kind](value)


def key_figures_text(rep: MeetingReport) -> pd.DataFrame:
    """The key figures as shown: figure, value, target (blank when none), remark."""
    figures = rep.key_figures
    return pd.DataFrame({
        "figure": figures.figure,
        "value": [figure_text(v, k) for v, k in zip(figures.value, figures.kind)],
        "target": ["" if fm.missing(t) else figure_text(t, k) for t, k in zip(figures.target, figures.kind)],
        "remark": figures.remark})


def _cut(frame: pd.DataFrame, name: str) -> tuple[pd.DataFrame, int]:
    """The first rows of a long table, and how many were left out."""
    limit = MAX_ROWS[name]
    return frame.head(limit), max(0, len(frame) - limit)


def left_out(table: Table, rep: MeetingReport) -> str:
    """"… 120 more rows in the Excel report" for a cut table, else ""."""
    return i18n.tn("report.more_rows", table.more, rep.lang, count=table.more) if table.more else ""


def segments_table(rep: MeetingReport) -> Table:
    t = rep.t
    return Table([t("report.col.segment"), t("report.col.weight"), t("report.col.returned"), t("report.col.valid"),
                  t("report.col.response_rate"), "CSI", t("report.col.grade"), t("report.col.change")],
                 [[r.segment, fm.pct(r.weight), str(r.returned), str(r.valid), fm.pct(r.response_rate),
                   fm.num(r.csi), grade_text(rep, r.grade), fm.delta(r.change)] for r in rep.segments.itertuples()],
                 [None] * len(rep.segments))


def items_table(rep: MeetingReport) -> Table:
    t = rep.t
    items = rep.items
    return Table([t("report.col.segment"), t("report.col.item"), "n", t("report.col.score"), t("report.col.weight"),
                  t("report.col.satisfaction"), t("report.col.change")],
                 [[r.segment, r.item, str(r.n), fm.pct(r.score), fm.pct(r.weight), fm.pct(r.satisfaction),
                   fm.delta(100 * r.change)] for r in items.itertuples()],
                 [fm.RED if r.action else None for r in items.itertuples()])


def flags_table(rep: MeetingReport, kinds: tuple[str, ...] = act.KINDS) -> Table:
    """The flags of ``kinds``: overall and segment items in full, the customers' lowest
    first and cut; with each flag's action status, owner and due date."""
    t = rep.t
    owner_due = {int(a["id"]): [fm.text(a["owner"]), fm.day(a["due"])] for a in rep.log.to_dict("records")}
    parts, more = [], 0
    for kind in kinds:
        part = rep.flags[rep.flags.kind == kind]
        if kind.startswith("customer"):
            part, left = _cut(part.sort_values("value", kind="stable"),
                              "customer_items" if kind == "customer_item" else "customers")
            more += left
        parts.append(part)
    flags = pd.concat(parts).to_dict("records") if len(rep.flags) else []
    return Table([t("report.col.subject"), t("report.col.value"), t("report.col.previous"), t("report.col.trend"),
                  t("report.col.status"), t("report.col.owner"), t("report.col.due")],
                 [[subject(f, rep.lang), score_text(f["kind"], f["value"]), score_text(f["kind"], f["previous"]),
                   "→".join(fm.num(v) for v in f["trend"][-4:]), status_text(f["status"], rep.lang),
                   *owner_due.get(_id(f["action_id"]), ["", ""])] for f in flags],
                 [fm.RED] * len(flags), more)


def verification_table(rep: MeetingReport, kinds: tuple[str, ...] = act.KINDS) -> Table:
    """Last period's actions of ``kinds`` beside this period's score, with the verdict."""
    t = rep.t
    ver, more = _cut(rep.verification[rep.verification.kind.isin(kinds)], "verification")
    ver = ver.to_dict("records")
    return Table([t("report.col.period"), t("report.col.subject"), t("report.col.raised"), t("report.col.later"),
                  t("report.col.status"), t("report.col.verdict")],
                 [[v["period"], subject(v, rep.lang), score_text(v["kind"], v["raised"]),
                   score_text(v["kind"], v["later"]), status_text(v["status"], rep.lang),
                   t(f"actions.verdict.{v['verdict']}")] for v in ver],
                 [fm.verdict_color(v["verdict"]) for v in ver], more)


def log_table(rep: MeetingReport) -> Table:
    t = rep.t
    log, more = _cut(rep.log, "log")
    log = log.to_dict("records")
    return Table([t("report.col.period"), t("report.col.subject"), t("report.col.cause"), t("report.col.measure"),
                  t("report.col.owner"), t("report.col.due"), t("report.col.status")],
                 [[fm.text(a["period"]), subject(a, rep.lang), fm.text(a["cause"]), fm.text(a["measure"]),
                   fm.text(a["owner"]), fm.day(a["due"]), status_text(a["status"], rep.lang)] for a in log],
                 [None] * len(log), more)


def customers_table(rep: MeetingReport) -> Table:
    t = rep.t
    cust, more = _cut(rep.customers, "customers")
    return Table([t("report.col.customer"), t("report.col.segment"), t("report.col.valid"), "CSI",
                  t("report.col.grade"), t("report.col.change")],
                 [[r.customer, r.segment, str(r.valid), fm.num(r.csi), grade_text(rep, r.grade), fm.delta(r.change)]
                  for r in cust.itertuples()],
                 [fm.RED if r.review else None for r in cust.itertuples()], more)


def comment_groups_table(rep: MeetingReport) -> Table:
    """The comments grouped: a phrase, how many comments hold it, their segments."""
    t = rep.t
    groups, more = _cut(rep.comment_groups, "comment_groups")
    return Table([t("report.col.comment"), t("report.col.comments"), t("report.col.segment")],
                 [[r.comment, str(r.comments), r.segments] for r in groups.itertuples()],
                 [None] * len(groups), more)


def comment_items_table(rep: MeetingReport) -> Table:
    t = rep.t
    return Table([t("report.col.item"), t("report.col.comments"), t("report.col.share")],
                 [[r.item, str(r.comments), fm.pct(r.share)] for r in rep.comment_items.itertuples()],
                 [None] * len(rep.comment_items))


def _id(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def headline(rep: MeetingReport) -> list[tuple[str, str, str | None]]:
    """The figures at the top of the report and its page: (label, value, colour)."""
    s, t = rep.summary, rep.t
    r = s["responses"]
    total = s["csi"]
    color = fm.grade_color(total)
    previous = rep.runs.total.iloc[-2] if len(rep.runs) > 1 else np.nan
    return [("CSI", fm.num(total), color),
            (t("report.col.grade"), grade_text(rep, s["grade"]), color),
            (t("report.fig.change"), fm.delta(None if total is None else total - previous), None),
            (t("report.fig.returned"), f"{r['returned']}", None),
            (t("report.fig.valid"), f"{r['valid']}", None),
            (t("report.fig.response_rate"), fm.num(s["response_rate"], 1, " %"), None),
            (t("report.fig.valid_rate"), fm.num(s["valid_rate"], 1, " %"), None),
            (t("report.fig.items_flagged"), str(int(rep.flags.kind.eq("item").sum())), None)]


def findings(rep: MeetingReport) -> list[str]:
    """A few sentences the meeting reads first (结论与改进建议)."""
    t, s = rep.t, rep.summary
    lines = []
    if s["csi"] is not None:
        lines.append(t("report.find.csi", period=rep.period, csi=fm.num(s["csi"]), grade=grade_text(rep, s["grade"])))
        if rep.previous and len(rep.runs) > 1 and not np.isnan(rep.runs.total.iloc[-2]):
            lines.append(t("report.find.change", previous=rep.previous,
                           change=fm.delta(s["csi"] - rep.runs.total.iloc[-2])))
    lines.append(_items_finding(rep))
    low = rep.customers[rep.customers.review]
    if len(low):
        lines.append(t("report.find.customers", count=len(low), customers=i18n.join(low.customer.head(5), rep.lang)))
    figures = rep.key_figures.set_index("figure")
    rate, target = s["response_rate"], figures.target.get(t("report.fig.response_rate"))
    if rate is not None and not fm.missing(target) and round_half_up(rate) < 100 * target:
        lines.append(t("report.find.rate_low", rate=fm.num(rate, 1, " %"), target=fm.pct(target)))
    missing = int(rep.flags.status.isna().sum()) if len(rep.flags) else 0
    if missing:
        lines.append(t("report.find.without_action", count=missing))
    if len(rep.verification):
        ok = int(rep.verification.verdict.isin(["improved", "resolved"]).sum())
        lines.append(i18n.tn("report.find.verified", len(rep.verification), rep.lang, count=len(rep.verification),
                             ok=ok))
    lines += _comments_finding(rep)
    return lines


def _items_finding(rep: MeetingReport) -> str:
    flagged = rep.items[rep.items.action]
    if not len(flagged):
        return rep.t("report.find.no_items")
    worst = flagged.sort_values("score").head(5)
    return rep.t("report.find.items", count=len(flagged),
                 items=i18n.join((f"{r.segment} · {r.item} {fm.pct(r.score)}" for r in worst.itertuples()), rep.lang))


def _comments_finding(rep: MeetingReport) -> list[str]:
    groups = rep.comment_groups
    if len(groups) and int(groups.comments.iloc[0]) > 1:
        top = groups.iloc[0]
        return [i18n.tn("report.find.comments", len(rep.comments), rep.lang, count=len(rep.comments),
                        comment=top["comment"], n=int(top["comments"]))]
    return [i18n.tn("report.find.comments_any", len(rep.comments), rep.lang, count=len(rep.comments))] \
        if len(rep.comments) else []


def action_state(rep: MeetingReport) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The state of the actions in numbers: each status counted over the report's log
    (a blank status is open), each verdict over last period's actions."""
    statuses = rep.log.status.fillna("open").value_counts().to_dict() if len(rep.log) else {}
    verdicts = rep.verification.verdict.value_counts().to_dict() if len(rep.verification) else {}
    return ([(rep.t(f"actions.status.{s}"), int(statuses.get(s, 0))) for s in act.ACTION_STATUSES],
            [(rep.t(f"actions.verdict.{v}"), int(verdicts.get(v, 0))) for v in act.VERDICTS])


# --- the quarterly complaint analysis (第二十七条) ---------------------------------------------
COMPLAINT_BREAKDOWNS = (("type", "type"), ("class", None), ("severity", "severity"), ("department", None),
                        ("branch", None))


def complaint_lines(rep: MeetingReport) -> list[str]:
    """Two sentences for the summary: how many, valid share, open, escalated, days to close."""
    c = rep.complaints
    if not c or not c["count"]:
        return []
    t = rep.t
    return [t("report.complaints.counts", count=c["count"], valid=c["valid"], share=fm.pct(c["valid_share"]),
              open=c["open"], escalated=c["escalated"]),
            t("report.complaints.days", median=fm.num(c["days_to_close_median"]),
              p90=fm.num(c["days_to_close_p90"]), closed=c["closed"])]


def complaint_breakdown_table(rep: MeetingReport) -> Table:
    """Counts by type, class, severity, department and branch, one block after the other."""
    t, c = rep.t, rep.complaints
    rows = []
    for field_, kind in COMPLAINT_BREAKDOWNS:
        for key, n in (c.get(f"by_{field_}") or {}).items():
            name = t("complaints.blank") if key == "" else t(f"complaints.{kind}.{key}") if kind else key
            rows.append([t(f"complaints.by_{field_}"), name, str(n)])
    return Table([t("report.complaints.breakdown"), t("complaints.col.value"), t("complaints.col.count")],
                 rows, [None] * len(rows))


def complaint_items_table(rep: MeetingReport) -> Table:
    """Complaints per survey item beside the item's score; repeat customers below."""
    t, c = rep.t, rep.complaints
    rows = [[name, str(v["complaints"]), fm.pct(v["score"]) if v["score"] is not None else "—"]
            for name, v in (c.get("items") or {}).items()]
    return Table([t("complaints.field.items"), t("complaints.col.count"), t("complaints.col.score")],
                 rows, [None] * len(rows))


def complaint_repeat_table(rep: MeetingReport) -> Table:
    t, c = rep.t, rep.complaints
    rows = [[name, str(n)] for name, n in (c.get("repeat_customers") or {}).items()]
    return Table([t("complaints.repeat"), t("complaints.col.count")], rows, [None] * len(rows))


# --- the annual assessment (第二十八、二十九条) ------------------------------------------------
# the columns the PDF has room for (the Excel sheet and the HTML page have them all)
ASSESSMENT_COMPACT = ("unit", "work", "effect", "rating", "complaints", "bonus", "deduction", "net")


def assessment_lines(rep: MeetingReport) -> list[str]:
    """The year assessed and the rule of the points."""
    if rep.assessment is None:
        return []
    return [rep.t("report.assessment.year", year=rep.assessment_year, period=rep.period), av.rule_text(rep.lang),
            rep.t("assessment.rating_note")]


def assessment_table(rep: MeetingReport, compact: bool = False) -> Table:
    """One row per department and branch: the four aspects and the points."""
    if rep.assessment is None:
        return Table([], [], [])
    header, rows = av.header(rep.lang), av.rows(rep.assessment)
    if compact:
        keep = [i for i, (name, _) in enumerate(av.COLUMNS) if name in ASSESSMENT_COMPACT]
        header, rows = [header[i] for i in keep], [[r[i] for i in keep] for r in rows]
    return Table(header, rows, [None] * len(rows))


# --- competitors (竞争对手满意度调查表), scored with our weights ----------------------------------
def competitor_lines(rep: MeetingReport) -> list[str]:
    """Our CSI against each competitor's, and the competitors under the minimum of 10."""
    if not rep.competitors:
        return []
    return [cv.summary_line(rep.summary["csi"], rep.competitors, rep.lang),
            *cv.notes(rep.competitors, rep.period, rep.lang)]


def competitor_csi_table(rep: MeetingReport) -> Table:
    """Us and each competitor: CSI, grade, valid questionnaires, gap."""
    shown = cv.csi_table(rep.summary["csi"], rep.competitors, rep.lang)
    return Table(shown.header, shown.rows, [None] * len(shown))


def competitor_gap_table(rep: MeetingReport) -> Table:
    """Every competitor's items: competitor, item, ours, theirs, gap, significant?
    (significant gaps in green when we lead, red when we trail)."""
    rows, colors, header = [], [], []
    for name, entry in rep.competitors.items():
        shown = cv.gap_table(entry, rep.lang)
        header = [rep.t("competitors.col.name"), *shown.header]
        rows += [[name, *row] for row in shown.rows]
        colors += [None if c == fm.GREY else c for c in shown.colors]
    return Table(header, rows, colors)
