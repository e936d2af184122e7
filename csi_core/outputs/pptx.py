"""The meeting pack (会议材料) as PowerPoint, with ``python-pptx``.

One slide per agenda point after a title slide, native charts (the run of the total, the
segments, the items at or below 70 %, the customers below 80), Chinese text in a CJK font
(the East Asian font name is set on every run, so PowerPoint does not fall back to a
Latin font), the period and the weights in every footer; a closed review's minutes
(attendees, decisions and new actions) as its last slides.

It renders an agenda object (:func:`csi_core.outputs.meeting.build_agenda`, or the JSON
of a closed review) and computes nothing.
"""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_PATTERN
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from csi_core import i18n
from csi_core.outputs import meeting_view as view
from csi_core.outputs.meeting import footer

FONT_LATIN = "Microsoft YaHei"
FONT_EA = "Microsoft YaHei"  # the East Asian font; Noto Sans CJK SC where YaHei is missing
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
INK = RGBColor(0x11, 0x18, 0x22)
GREY = RGBColor(0x4A, 0x55, 0x65)
# The grade bands as PowerPoint patterns: the same idea as the screen's (solid, lines,
# dots, cross, horizontal), so a band reads on a greyscale print too.
GRADE_PATTERN = {"very_satisfied": None, "satisfied": MSO_PATTERN.WIDE_UPWARD_DIAGONAL,
                 "fairly_satisfied": MSO_PATTERN.PERCENT_50, "dissatisfied": MSO_PATTERN.DIAGONAL_CROSS,
                 "very_dissatisfied": MSO_PATTERN.HORIZONTAL}
DECISIONS_PER_SLIDE = 7


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _east_asian(rPr, typeface: str = FONT_EA) -> None:
    """Set ``<a:ea typeface=…>`` right after ``<a:latin>`` (the schema's order)."""
    latin = rPr.find(qn("a:latin"))
    ea = rPr.find(qn("a:ea"))
    if ea is None:
        ea = rPr.makeelement(qn("a:ea"), {})
        if latin is not None:
            latin.addnext(ea)
        else:
            rPr.append(ea)
    ea.set("typeface", typeface)


def _style(run, size: float, bold: bool = False, color: RGBColor = INK) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    run.font.name = FONT_LATIN
    _east_asian(run._r.get_or_add_rPr())


def _text(slide, left, top, width, height, lines, size: float = 18, bold: bool = False, color: RGBColor = INK,
          align=PP_ALIGN.LEFT):
    """A text box; ``lines`` a string or a list of strings (one paragraph each)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for k, line in enumerate([lines] if isinstance(lines, str) else lines):
        paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        paragraph.alignment = align
        _style(paragraph.add_run(), size, bold, color)
        paragraph.runs[0].text = line
    return box


def _slide(prs, agenda: dict, lang: str, heading: str, page: str):
    """A blank slide with its heading and the footer: period and weights, the page."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9), heading, 30, bold=True)
    _text(slide, Inches(0.5), Inches(6.95), Inches(10.5), Inches(0.4), _footer(agenda, lang), 12, color=GREY)
    _text(slide, Inches(11.0), Inches(6.95), Inches(1.8), Inches(0.4), page, 12, color=GREY, align=PP_ALIGN.RIGHT)
    return slide


def _footer(agenda: dict, lang: str) -> str:
    return footer(agenda, lang)


def _table(slide, left, top, width, header: list[str], rows: list[list[str]], size: float = 14,
           grades: list | None = None):
    """A native table; a row's grade (if any) marks its first cell's band colour."""
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width, Emu(int(Pt(size * 2.1)) * (len(rows) + 1)))
    grid = shape.table
    for c, name in enumerate(header):
        _cell(grid.cell(0, c), name, size, bold=True)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _cell(grid.cell(r, c), value, size)
        key = (grades or [None] * len(rows))[r - 1]
        if key:
            _fill(grid.cell(r, 0).fill, key, light=True)
    return shape


def _widths(shape, inches: list[float]) -> None:
    """Column widths of a table (in inches), so long text gets the room."""
    for column, width in zip(shape.table.columns, inches):
        column.width = Inches(width)


DECISION_WIDTHS = [2.3, 4.6, 2.4, 1.4, 1.6]  # point, decision, action on, owner, due: 12.3 in


def _cell(cell, value: str, size: float, bold: bool = False) -> None:
    cell.text = ""
    run = cell.text_frame.paragraphs[0].add_run()
    run.text = str(value)
    _style(run, size, bold)


def _fill(fill, grade: str | None, light: bool = False) -> None:
    """A band's colour, patterned (light: a pale background with the pattern in colour)."""
    color = _rgb(view.grade_color(grade))
    pattern = GRADE_PATTERN.get(grade) if grade else None
    if pattern is None and not light:
        fill.solid()
        fill.fore_color.rgb = color
        return
    fill.patterned()
    fill.pattern = pattern or MSO_PATTERN.PERCENT_10
    fill.fore_color.rgb = color
    fill.back_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _chart_font(chart, size: float = 14) -> None:
    chart.font.size = Pt(size)
    chart.font.name = FONT_LATIN
    defRPr = chart._chartSpace.get_or_add_txPr().p_lst[0].get_or_add_pPr().get_or_add_defRPr()
    _east_asian(defRPr)


def _bar_chart(slide, left, top, width, height, categories, values, grades, number_format='0.0'):
    """Horizontal bars, one a category, each filled with its band's colour and pattern,
    its value written at its end."""
    data = CategoryChartData(number_format=number_format)
    data.categories = categories
    data.add_series("CSI", values)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, left, top, width, height, data)
    chart = frame.chart
    _chart_font(chart)
    chart.has_legend = False
    chart.has_title = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = number_format
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    for point, grade in zip(plot.series[0].points, grades):
        _fill(point.format.fill, grade)
        point.format.line.color.rgb = INK
    chart.value_axis.maximum_scale = 100
    chart.value_axis.minimum_scale = 0
    chart.category_axis.reverse_order = True  # first row at the top, as in the table
    return chart


def _slide_total(prs, agenda, point, lang, page):
    slide = _slide(prs, agenda, lang, page[0], page[1])
    card = slide.shapes.add_shape(1, Inches(0.5), Inches(1.4), Inches(4.8), Inches(3.2))
    _fill(card.fill, point["grade"])
    card.line.color.rgb = INK
    frame = card.text_frame
    frame.clear()
    lines = [(i18n.t("common.total_csi", lang), 22), (view.fmt(point["csi"]), 80),
             (view.grade_text(point["grade"], lang), 26)]
    for k, (line, size) in enumerate(lines):
        paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.CENTER
        run = paragraph.add_run()
        run.text = line
        _style(run, size, bold=True, color=INK if point["grade"] in ("satisfied", "fairly_satisfied") else
               RGBColor(0xFF, 0xFF, 0xFF))
    _text(slide, Inches(0.5), Inches(4.8), Inches(4.8), Inches(2.0), view.total_lines(point, lang), 16)
    run = point["run"]
    data = CategoryChartData(number_format="0.0")
    data.categories = run["periods"]
    data.add_series(i18n.t("common.total_csi", lang), run["values"])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(5.6), Inches(1.3), Inches(7.3), Inches(5.4),
                                   data).chart
    _chart_font(chart)
    chart.has_legend = False
    chart.plots[0].has_data_labels = True
    chart.plots[0].data_labels.number_format = "0.0"
    chart.plots[0].data_labels.number_format_is_linked = False
    chart.plots[0].data_labels.position = XL_LABEL_POSITION.ABOVE
    chart.plots[0].series[0].format.line.color.rgb = INK
    chart.plots[0].series[0].format.line.width = Pt(3)
    return slide


def _slide_list(prs, agenda, point, lang, page, chart: str | None = None):
    """A point with a list: the chart (``csi`` or ``score`` column) at the left, the table."""
    slide = _slide(prs, agenda, lang, page[0], page[1])
    header, rows, grades, more = view.table(point, lang, limit=10)
    left = Inches(0.5)
    width = Inches(12.3)
    if chart and point["rows"]:
        shown = point["rows"][:10]
        names = [" · ".join(str(r[k]) for k in ("segment", "customer", "item") if r.get(k) and
                            (k != "segment" or point["key"] == "segments")) for r in shown]
        values = [r[chart] for r in shown]
        grades_of = [r.get("grade") or "very_dissatisfied" for r in shown]
        _bar_chart(slide, left, Inches(1.3), Inches(5.2), Inches(5.5), names, values, grades_of)
        left, width = Inches(5.9), Inches(6.9)
    _table(slide, left, Inches(1.4), width, header, rows, size=13 if len(header) > 5 else 14, grades=grades)
    notes = []
    if more:
        notes.append(i18n.t("meeting.more_rows", lang, n=more))
    if point["key"] == "items" and point.get("customer_items"):
        notes.append(i18n.t("meeting.customer_items", lang, n=point.get("customer_items_all", 0)))
    if notes:
        _text(slide, left, Inches(6.2), width, Inches(0.7), notes, 13, color=GREY)
    return slide


def _slide_competitors(prs, agenda, point, lang, page):
    """Point 6 without complaints: the competitors' CSIs with our weights and their gaps."""
    slide = _slide(prs, agenda, lang, page[0], page[1])
    header, rows, grades, more = view.competitor_table(point, lang, limit=10)
    _table(slide, Inches(0.5), Inches(1.4), Inches(12.3), header, rows, size=14, grades=grades)
    notes = view.competitor_notes(point, agenda["period"], lang)
    if more:
        notes.append(i18n.t("meeting.more_rows", lang, n=more))
    if notes:
        _text(slide, Inches(0.5), Inches(6.2), Inches(12.3), Inches(0.9), notes, 13, color=GREY)
    return slide


def _slide_customer_items(prs, agenda, point, lang, page):
    slide = _slide(prs, agenda, lang, page[0], page[1])
    header, rows, more = view.customer_items_table(point, lang, limit=10)
    _table(slide, Inches(0.5), Inches(1.4), Inches(12.3), header, rows, size=14)
    if more:
        _text(slide, Inches(0.5), Inches(6.5), Inches(12.3), Inches(0.5), i18n.t("meeting.more_rows", lang, n=more),
              13, color=GREY)
    return slide


def _slide_decisions(prs, agenda, decisions, lang, heading, page):
    slide = _slide(prs, agenda, lang, heading, page)
    if not decisions:
        _text(slide, Inches(0.5), Inches(1.5), Inches(12.3), Inches(1), i18n.t("meeting.no_decisions", lang), 20)
        return slide
    shown = decisions[:DECISIONS_PER_SLIDE]
    header, rows = view.decision_table(shown, lang, agenda["points"])
    _widths(_table(slide, Inches(0.5), Inches(1.4), Inches(12.3), header, rows, size=13), DECISION_WIDTHS)
    if len(decisions) > len(shown):
        _text(slide, Inches(0.5), Inches(6.5), Inches(12.3), Inches(0.4),
              i18n.t("meeting.more_decisions", lang, n=len(decisions) - len(shown)), 13, color=GREY)
    return slide


def meeting_pptx(agenda: dict, lang: str = "zh") -> bytes:
    """The pack of an agenda: title, one slide a point, and a closed review's minutes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    points = agenda["points"]
    title = prs.slides.add_slide(prs.slide_layouts[6])
    _text(title, Inches(0.8), Inches(2.2), Inches(11.7), Inches(1.4),
          i18n.t("meeting.pack_title", lang, period=agenda["period"]), 40, bold=True)
    sub = [_footer(agenda, lang)]
    if agenda.get("closed_at"):
        sub.append(i18n.t("meeting.closed_at", lang, when=agenda["closed_at"], id=agenda.get("review_id", "")))
    _text(title, Inches(0.8), Inches(3.8), Inches(11.7), Inches(1.6), sub, 18, color=GREY)
    decisions = agenda.get("decisions", [])
    for k, point in enumerate(points):
        page = (view.point_label(agenda, k, lang), f"{k + 1} / {len(points)}")
        key = point["key"]
        if key == "total":
            _slide_total(prs, agenda, point, lang, page)
        elif key in ("segments", "customers"):
            _slide_list(prs, agenda, point, lang, page, chart="csi")
        elif key == "items" and point["rows"]:
            _slide_list(prs, agenda, point, lang, page, chart="score")
        elif key == "items":
            _slide_customer_items(prs, agenda, point, lang, page)
        elif key == "complaints":  # complaints (once stored per period), then the competitors
            if point["rows"]:
                _slide_list(prs, agenda, point, lang, page)
            if point.get("competitors"):
                _slide_competitors(prs, agenda, point, lang, page)
        elif key == "decisions":
            _slide_decisions(prs, agenda, decisions, lang, page[0], page[1])
        else:
            _slide_list(prs, agenda, point, lang, page)
    if agenda.get("closed_at"):
        _minutes(prs, agenda, decisions, lang)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _minutes(prs, agenda: dict, decisions: list[dict], lang: str) -> None:
    """The minutes of a closed review: who attended, then the decisions, eight a slide."""
    heading = i18n.t("meeting.minutes", lang)
    chunks = [decisions[k:k + DECISIONS_PER_SLIDE] for k in range(0, len(decisions), DECISIONS_PER_SLIDE)] or [[]]
    for n, chunk in enumerate(chunks, start=1):
        slide = _slide(prs, agenda, lang, f"{heading} ({n}/{len(chunks)})", agenda.get("closed_at", ""))
        top = Inches(1.3)
        if n == 1:
            attendees = i18n.join(agenda.get("attendees") or ["—"], lang)
            _text(slide, Inches(0.5), top, Inches(12.3), Inches(0.9),
                  [i18n.t("meeting.closed_at", lang, when=agenda["closed_at"], id=agenda.get("review_id", "")),
                   i18n.t("meeting.attendees_are", lang, names=attendees)], 16)
            top = Inches(2.3)
        if chunk:
            header, rows = view.decision_table(chunk, lang, agenda["points"])
            _widths(_table(slide, Inches(0.5), top, Inches(12.3), header, rows, size=13), DECISION_WIDTHS)
        else:
            _text(slide, Inches(0.5), top, Inches(12.3), Inches(1), i18n.t("meeting.no_decisions", lang), 18)
