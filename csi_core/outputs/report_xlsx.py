"""The meeting report as an Excel workbook (xlsxwriter; numbers stay numbers with a display
format, text is never a formula, run charts are native Excel line charts).

Sheets: summary, segments, items (≤ 70 % in red), customers, actions (flags, the
action log, verification), run charts (data + charts), notes, comments. Every row is
there (the PDF and HTML cut long tables).
"""
from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import xlsxwriter

from csi_core import i18n
from csi_core.method import actions as act
from csi_core.method.grades import ITEM_ACTION_MAX, round_half_up
from csi_core.outputs import assessment_view as av
from csi_core.outputs import competitor_view as cv
from csi_core.outputs import formats as fm
from csi_core.outputs import report_stats as rs
from csi_core.outputs.report import MeetingReport
from csi_core.outputs import report_tables as tab
from csi_core.outputs.report_tables import findings, grade_text, status_text, subject

def write(rep: MeetingReport) -> bytes:
    """The meeting report as an Excel workbook (the command line's ``report``).

    Sheets: summary, segments, items (≤ 70 % in red), customers, actions (flags, the
    action log, verification), run charts (data + native line charts), notes, comments.
    """
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
    if rep.complaints:
        _sheet_complaints(book, f, rep)
    if rep.assessment is not None:
        _sheet_assessment(book, f, rep)
    if rep.competitors:
        _sheet_competitors(book, f, rep)
    if rep.stats is not None:
        _sheet_statistics(book, f, rep)
    if rep.branches:
        _sheet_branches(book, f, rep)
    book.close()
    return buf.getvalue()


SHEETS = ("summary", "segments", "items", "customers", "actions", "runs", "notes", "comments", "statistics")
# added when complaints are stored: "complaints"; when a unit is known: "assessment";
# with a section per branch: "branches"; when the period has competitor questionnaires: "competitors"


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
        "points": add(num_format="+0.0#;-0.0#;0"),
        "red": add(font_color=fm.RED, bold=True), "red_pct": add(font_color=fm.RED, bold=True, num_format="0.0%"),
        "red_num": add(font_color=fm.RED, bold=True, num_format="0.0"), "green": add(font_color=fm.GREEN, bold=True),
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
    if fm.missing(value):
        sheet.write_blank(row, col, None, f["text"])
    elif kind == "grade":
        sheet.write_string(row, col, grade_text(rep, value), f["red"] if red else f["text"])
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
        kind = {"delta": "num"}.get(fig["kind"], fig["kind"])
        sheet.write_string(row, 0, fig["figure"], f["text"])
        red = fig["remark"] in (rep.t("report.target_missed"), rep.t("report.review_needed"))
        _cell(sheet, row, 1, fig["value"], kind, f, rep, red)
        _cell(sheet, row, 2, fig["target"], kind, f, rep)
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
    flags = rep.flags.assign(subject=[subject(r, rep.lang) for r in rep.flags.to_dict("records")],
                             shown=rep.flags.value, status_text=[status_text(s, rep.lang) for s in rep.flags.status])
    columns = (("subject", "subject", "text", 26), ("shown", "value", "num", 12), ("previous", "previous", "num", 12),
               ("grade", "grade", "grade", 12), ("status_text", "status", "text", 12))
    row = _write_table(sheet, f, rep, row + 2, flags, columns, red=[True] * len(flags))
    row += 1
    sheet.write_string(row, 0, rep.t("report.section.log"), f["section"])
    log = rep.log.assign(subject=[subject(r, rep.lang) for r in rep.log.to_dict("records")],
                         shown=[act.shown(k, v) for k, v in zip(rep.log.kind, rep.log.score)] if len(rep.log) else [],
                         status_text=[status_text(s, rep.lang) for s in rep.log.status] if len(rep.log) else [])
    columns = (("period", "period", "text", 12), ("subject", "subject", "text", 26), ("shown", "raised", "num", 12),
               ("cause", "cause", "text", 22), ("owner", "owner", "text", 12), ("measure", "measure", "text", 26),
               ("status_text", "status", "text", 12), ("due", "due", "date", 12))
    row = _write_table(sheet, f, rep, row + 1, log, columns)
    row += 1
    sheet.write_string(row, 0, rep.t("report.section.verification", previous=rep.previous or "—"), f["section"])
    ver = rep.verification.assign(subject=[subject(r, rep.lang) for r in rep.verification.to_dict("records")],
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
    row = _write_table(sheet, f, rep, 2, rep.comment_groups, (("comment", "comment", "text", 0),
                                                           ("comments", "comments", "int", 0),
                                                           ("segments", "segment", "text", 0)))
    if len(rep.comment_items):
        columns = (("item", "item", "text", 16), ("comments", "comments", "int", 10), ("share", "share", "pct", 10))
        row = _write_table(sheet, f, rep, row, rep.comment_items, columns)
    columns = (("segment", "segment", "text", 16), ("customer", "customer", "text", 26),
               ("respondent_id", "respondent_id", "text", 16), ("comment", "comment", "text", 80))
    _write_table(sheet, f, rep, row + 1, rep.comments, columns)


def _sheet_competitors(book, f, rep: MeetingReport) -> None:
    """The period's competitors with our weights: the CSIs side by side, then every item's
    gap (numbers as numbers: CSI 0–100, scores as %, gaps in points)."""
    sheet = book.add_worksheet(sheet_name("competitors", rep.lang))
    for c, width in enumerate((18, 16, 12, 12, 14, 16)):
        sheet.set_column(c, c, width)
    sheet.write_string(0, 0, f"{rep.t('report.title.competitors')} · {rep.period}", f["title"])
    row = 2
    for line in (*tab.competitor_lines(rep), rep.t("competitors.caption")):
        sheet.write_string(row, 0, line, f["muted"] if line == rep.t("competitors.caption") else f["text"])
        row += 1
    csi_table = tab.competitor_csi_table(rep)
    row += 1
    for c, head in enumerate(csi_table.header):
        sheet.write_string(row, c, head, f["head"])
    ours = rep.summary["csi"]
    entries = [(rep.t("competitors.ours"), ours, None, None)] + [
        (name, e["csi"], e["valid"], None if ours is None or e["csi"] is None else ours - e["csi"])
        for name, e in rep.competitors.items()]
    for (name, value, valid, gap), shown in zip(entries, csi_table.rows):
        row += 1
        sheet.write_string(row, 0, name)
        _number(sheet, row, 1, value, f["num"])
        sheet.write_string(row, 2, shown[2])
        _number(sheet, row, 3, valid, f["int"])
        _number(sheet, row, 4, gap, f["num"])
    gaps = tab.competitor_gap_table(rep)
    row += 2
    for c, head in enumerate(gaps.header):
        sheet.write_string(row, c, head, f["head"])
    for name, entry in rep.competitors.items():
        for item, gap in entry["gaps"].items():
            row += 1
            red = f["red"] if gap["significant"] and gap["gap"] < 0 else f["text"]
            sheet.write_string(row, 0, name)
            sheet.write_string(row, 1, item)
            _number(sheet, row, 2, gap["ours"], f["pct"])
            _number(sheet, row, 3, entry["items"][item], f["pct"])
            _number(sheet, row, 4, 100 * gap["gap"], f["num"])
            sheet.write_string(row, 5, cv.verdict(gap, rep.lang), red)


def _number(sheet, row: int, col: int, value, fmt) -> None:
    """A number cell, or a dash for none."""
    if value is None:
        sheet.write_string(row, col, "—")
    else:
        sheet.write_number(row, col, float(value), fmt)


def _sheet_complaints(book, f, rep: MeetingReport) -> None:
    """The quarterly complaint analysis (第二十七条): the figures, then each table."""
    sheet = book.add_worksheet(sheet_name("complaints", rep.lang))
    for c, width in enumerate((22, 26, 12)):
        sheet.set_column(c, c, width)
    sheet.write_string(0, 0, f"{rep.t('report.title.complaints')} · {rep.period}", f["title"])
    row = 2
    for line in tab.complaint_lines(rep) or [rep.t("complaints.analysis_empty", period=rep.period)]:
        sheet.write_string(row, 0, line)
        row += 1
    for table in (tab.complaint_breakdown_table(rep), tab.complaint_items_table(rep), tab.complaint_repeat_table(rep)):
        if not len(table):
            continue
        row += 1
        for c, head in enumerate(table.header):
            sheet.write_string(row, c, head, f["head"])
        for cells in table.rows:
            row += 1
            for c, value in enumerate(cells):
                if value.isdigit():
                    sheet.write_number(row, c, int(value))
                else:
                    sheet.write_string(row, c, value)
        row += 1


def _sheet_assessment(book, f, rep: MeetingReport) -> None:
    """The annual assessment (第二十八、二十九条) of the report's year: one row per unit,
    numbers as numbers (points signed: the deduction negative)."""
    sheet = book.add_worksheet(sheet_name("assessment", rep.lang))
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, len(av.COLUMNS) - 1, 11)
    sheet.write_string(0, 0, f"{rep.t('report.title.assessment')} · {rep.assessment_year}", f["title"])
    for r, line in enumerate(tab.assessment_lines(rep), start=1):
        sheet.write_string(r, 0, line, f["muted"])
    top = 5
    for c, name in enumerate(av.header(rep.lang)):
        sheet.write_string(top, c, name, f["head"])
    formats = {"text": "text", "int": "int", "pct": "pct", "num": "num", "points": "points", "minus": "points"}
    for r, row in enumerate(rep.assessment.to_dict("records"), start=top + 1):
        for c, (name, kind) in enumerate(av.COLUMNS):
            value = row[name]
            if fm.missing(value):
                continue
            if kind == "text":
                sheet.write_string(r, c, str(value), f["text"])
            else:
                number = -float(value) if kind == "minus" else float(value)
                sheet.write_number(r, c, number, f[formats[kind]])


def _text_rows(sheet, f, top: int, header: list[str], rows: list[list[str]], colors=None) -> int:
    """A header and rows of text (a row with a colour in red); returns the next free row
    after a blank one."""
    for c, name in enumerate(header):
        sheet.write_string(top, c, name, f["head"])
    for r, row in enumerate(rows):
        style = f["red"] if colors and colors[r] else f["text"]
        for c, value in enumerate(row):
            sheet.write_string(top + 1 + r, c, value, style)
    return top + 2 + len(rows)


def _sheet_statistics(book, f, rep: MeetingReport) -> None:
    """Intervals and significance (numbers), the flagged falls, the importance map and table."""
    t = rep.t
    sheet = book.add_worksheet(sheet_name("statistics", rep.lang))
    for c, width in enumerate((30, 12, 10, 10, 10, 10, 10, 16, 22)):
        sheet.set_column(c, c, width)
    sheet.write_string(0, 0, f"{t('report.section.statistics')} · {rep.period}", f["title"])
    sheet.write_string(1, 0, t("report.stats.intro"), f["muted"])
    header = ["report.stats.col.subject", "report.stats.col.value", None, None, "report.stats.col.change", None, None,
              "report.stats.col.significance", "report.stats.col.adequacy"]
    names = [t(k) if k else "" for k in header]
    names[2:4] = [f"{t('report.stats.col.interval')} −", "+"]
    names[5:7] = [f"{t('report.stats.col.change_interval')} −", "+"]
    for c, name in enumerate(names):
        sheet.write_string(3, c, name, f["head"])
    for r, row in enumerate(rep.stats.intervals.to_dict("records"), start=4):
        sheet.write_string(r, 0, t("report.stats.total") if row["subject"] == "total" else row["segment"], f["text"])
        for c, key in enumerate(("value", "low", "high", "delta", "delta_low", "delta_high"), start=1):
            _cell(sheet, r, c, row[key], "num", f, rep)
        sheet.write_string(r, 7, rs.significance_text(row["significant"], t) if row["delta"] is not None else "",
                           f["text"])
        sheet.write_string(r, 8, t("stats.too_few") if row["too_few"] else t("analysis.enough"), f["text"])
    row = 5 + len(rep.stats.intervals)
    sheet.write_string(row, 0, rs.control_line(rep), f["muted"])
    sheet.write_string(row + 2, 0, t("report.section.falls"), f["section"])
    row = _text_rows(sheet, f, row + 3, *rs.falls_rows(rep, subject))
    sheet.write_string(row, 0, t("report.section.importance"), f["section"])
    row = _text_rows(sheet, f, row + 1, *rs.importance_rows(rep))
    sheet.write_string(row, 0, t("report.stats.rank_gap"), f["muted"])
    if len(rep.stats.importance):
        sheet.insert_image(row + 2, 0, "importance.png", {"image_data": io.BytesIO(rs.importance_png(rep)),
                                                          "x_scale": 0.5, "y_scale": 0.5})


def _shown_table(sheet, f, row: int, table) -> int:
    """A display table (``report_tables.Table``: red rows in red); returns the next free row."""
    return _text_rows(sheet, f, row, table.header, table.rows, table.colors)


def _sheet_branches(book, f, rep: MeetingReport) -> None:
    """分公司 Branches: the ranking, then per branch its CSI, segments and items ≤ 70 %."""
    from csi_core.outputs import report_branches as rb

    sheet = book.add_worksheet(sheet_name("branches", rep.lang))
    for c, width in enumerate((18, 24, 10, 14, 10, 10)):
        sheet.set_column(c, c, width)
    sheet.write_string(0, 0, f"{rep.t('report.title.branches')} · {rep.period}", f["title"])
    row = _shown_table(sheet, f, 2, rb.ranking_table(rep))
    for section in rep.branches:
        sheet.write_string(row, 0, rb.title(rep, section), f["section"])
        sheet.write_string(row + 1, 0, rb.headline(rep, section), f["text"])
        row = _shown_table(sheet, f, row + 3, rb.segments_table(rep, section))
        items = rb.items_table(rep, section)
        if len(items):
            row = _shown_table(sheet, f, row, items)
        else:
            sheet.write_string(row, 0, rep.t("report.branch.no_weak_items"), f["muted"])
            row += 2
