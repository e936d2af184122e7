"""The meeting report as a PDF (A4, fpdf2, the Noto Sans CJK font of ``mplfonts``
embedded, charts from matplotlib; no browser needed).

By default the PDF is the management summary a managing director reads: key figures,
findings, the run chart, segments, the items needing action, the state of the actions.
``appendix=True`` adds the detail: all items, customers, customers' flags and their
verification, every score's interval and the significance of its change, the falls judged
significant or noise, the importance–performance map, the full action log, the comments
grouped, the method.

Nothing is left alone on a page: a heading moves to the next page with the first rows
of its table, a table never leaves fewer than :data:`MIN_ROWS` rows on either side of a
page break, and a short list is kept on one page.
"""
from __future__ import annotations

import io

from csi_core.outputs import formats as fm
from csi_core.outputs import report_stats as rs
from csi_core.outputs import report_tables as tab
from csi_core.outputs.report import MeetingReport
from csi_core.outputs import report_pdf_charts as charts
from csi_core.outputs.report_charts import font_path

MIN_ROWS = 3  # table rows kept together at the top and the bottom of a page
LINE = 4.6  # table line height (mm)
PAD = 1.0  # table cell padding (mm)
CUSTOMER_KINDS = ("customer", "customer_item")
WIDTHS = {
    "segments": (18, 11, 11, 11, 13, 10, 14, 12), "items": (16, 22, 8, 12, 12, 14, 12),
    "flags": (34, 10, 10, 22, 14, 12, 13), "verification": (12, 36, 12, 12, 12, 16),
    "log": (11, 24, 20, 20, 11, 12, 11), "customers": (36, 14, 9, 10, 16, 11),
    "comment_groups": (60, 12, 28), "comment_items": (30, 15, 15), "state": (70, 15),
    "intervals": (22, 10, 18, 10, 18, 12, 12), "falls": (40, 12, 12, 20, 14),
    "importance": (16, 22, 10, 10, 10, 16), "assessment": (24, 11, 11, 11, 11, 11, 10, 11),
    "competitors": (30, 12, 20, 14, 18), "competitor_items": (22, 22, 12, 12, 14, 18),
}


def write(rep: MeetingReport, appendix: bool = False) -> bytes:
    """The report as PDF bytes: the management summary, and the appendix if asked."""
    pdf = _pdf_class()(rep)
    pdf.alias_nb_pages()
    summary(pdf, rep, appendix)
    if rep.branches:
        branch_pages(pdf, rep)
    if appendix:
        detail(pdf, rep)
    return bytes(pdf.output())


def branch_pages(pdf, rep: MeetingReport) -> None:
    """From a new page: the ranking of the branches, then a section per branch."""
    from csi_core.outputs import report_branches as rb

    pdf.add_page()
    pdf.table_section(rep.t("report.title.branches"), rb.ranking_table(rep), (14, 50, 24, 40, 26, 26))
    for section in rep.branches:
        pdf.table_section(rb.title(rep, section), rb.segments_table(rep, section), (50, 30, 25, 25, 50),
                          notes=[rb.headline(rep, section)])
        pdf.table_section(rep.t("report.section.items_action"), rb.items_table(rep, section), (50, 80, 20, 30),
                          empty=rep.t("report.branch.no_weak_items"))


def summary(pdf, rep: MeetingReport, appendix: bool) -> None:
    """The management summary: figures, findings, run chart, segments, items, actions."""
    t = rep.t
    pdf.cover()
    pdf.chart(t("report.chart.csi"), charts.RUN_HEIGHT, charts.run_chart)
    pdf.table_section(t("report.title.segments"), tab.segments_table(rep), WIDTHS["segments"])
    pdf.chart(t("report.title.items"), charts.items_height(rep), charts.item_bars)
    pdf.table_section(t("report.section.items_action"), tab.flags_table(rep, tab.SUMMARY_KINDS), WIDTHS["flags"],
                      notes=[f"{t('report.rule_items')} {t('report.rule_csi')}"], empty=t("report.none_flagged"))
    customers = int(rep.flags.kind.eq("customer").sum())
    items = int(rep.flags.kind.eq("customer_item").sum())
    if customers or items:
        pdf.note(t("report.customers_note" if appendix else "report.customers_note_excel",
                   customers=customers, items=items))
    pdf.table_section(t("report.section.verification", previous=rep.previous or "—"),
                      tab.verification_table(rep, tab.SUMMARY_KINDS), WIDTHS["verification"],
                      notes=_state_lines(rep), empty=t("report.none_to_verify"))
    if rep.complaints and rep.complaints["count"]:
        pdf.bullets(t("report.title.complaints"), tab.complaint_lines(rep))
    if rep.competitors:
        pdf.table_section(t("report.title.competitors"), tab.competitor_csi_table(rep), WIDTHS["competitors"],
                          notes=tab.competitor_lines(rep))
        pdf.table_section(t("report.title.competitors") + " · " + t("competitors.items"), tab.competitor_gap_table(rep),
                          WIDTHS["competitor_items"], notes=[t("competitors.caption")])
    if rep.notes:
        pdf.bullets(t("report.section.notes"), rep.notes)


def _state_lines(rep: MeetingReport) -> list[str]:
    """Two lines: the report's actions by status, last period's by verdict."""
    statuses, verdicts = tab.action_state(rep)
    sep = "；" if rep.lang == "zh" else "; "
    return [rep.t("report.status_counts", counts=sep.join(f"{label} {n}" for label, n in statuses)),
            rep.t("report.verdict_counts", counts=sep.join(f"{label} {n}" for label, n in verdicts))]


def detail(pdf, rep: MeetingReport) -> None:
    """The appendix, from a new page."""
    t = rep.t
    pdf.add_page()
    pdf.title_line(t("report.appendix"))
    pdf.note(t("report.appendix_intro"))
    pdf.table_section(t("report.title.items"), tab.items_table(rep), WIDTHS["items"], notes=[t("report.rule_items")])
    pdf.table_section(t("report.title.customers"), tab.customers_table(rep), WIDTHS["customers"],
                      notes=[t("report.rule_csi")], empty=t("report.no_customers"))
    pdf.table_section(t("report.section.customer_flags"), tab.flags_table(rep, CUSTOMER_KINDS), WIDTHS["flags"],
                      empty=t("report.none_flagged"))
    customer_checks = tab.verification_table(rep, CUSTOMER_KINDS)
    if len(customer_checks):
        pdf.table_section(t("report.section.customer_verification", previous=rep.previous or "—"), customer_checks,
                          WIDTHS["verification"])
    statistics(pdf, rep)
    pdf.table_section(t("report.section.log"), tab.log_table(rep), WIDTHS["log"], empty=t("report.no_actions"))
    pdf.table_section(t("report.title.comments"), tab.comment_groups_table(rep), WIDTHS["comment_groups"],
                      empty=t("report.no_comments"))
    pdf.table_section(t("report.title.comments") + " · " + t("report.col.item"), tab.comment_items_table(rep),
                      WIDTHS["comment_items"])
    if rep.complaints and rep.complaints["count"]:
        pdf.table_section(t("report.title.complaints"), tab.complaint_breakdown_table(rep), (30, 50, 20))
        pdf.table_section(t("complaints.per_item"), tab.complaint_items_table(rep), (50, 25, 25))
    if rep.assessment is not None:
        pdf.table_section(t("report.title.assessment"), tab.assessment_table(rep, compact=True), WIDTHS["assessment"],
                          notes=tab.assessment_lines(rep))
    pdf.bullets(t("report.title.notes"), (*rep.method, *rep.notes))


def statistics(pdf, rep: MeetingReport) -> None:
    """Every score with its interval and its change judged significant or noise, then
    the flagged things that fell (the HTML report's statistics sections)."""
    if rep.stats is None:
        return
    t = rep.t
    header, rows = rs.intervals_rows(rep)
    pdf.table_section(t("report.section.statistics"), tab.Table(header, rows, [None] * len(rows)), WIDTHS["intervals"],
                      notes=[t("report.stats.intro"), rs.control_line(rep)])
    header, rows = rs.falls_rows(rep, tab.subject)
    pdf.table_section(t("report.section.falls"), tab.Table(header, rows, [None] * len(rows)), WIDTHS["falls"],
                      empty=t("report.none_flagged"))
    header, rows = rs.importance_rows(rep)
    if rows:
        pdf.table_section(t("report.section.importance"), tab.Table(header, rows, [None] * len(rows)),
                          WIDTHS["importance"], notes=[t("analysis.map_help"), t("report.stats.rank_gap")])
        pdf.image_png(rs.importance_png(rep))


def _pdf_class():
    from fpdf import FPDF

    class Pdf(FPDF):
        def __init__(self, rep: MeetingReport):
            super().__init__(orientation="P", unit="mm", format="A4")
            self.rep = rep
            self.set_auto_page_break(True, margin=15)
            self.set_margins(15, 15, 15)
            self.add_font("noto", "", font_path())  # one weight: headings are set apart by size and colour
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

        def room(self) -> float:
            """Height left on this page (mm)."""
            return self.page_break_trigger - self.get_y()

        def cover(self):
            rep = self.rep
            self.title_line(rep.t("report.title", period=rep.period))
            self.set_font("noto", size=9)
            self.set_text_color(91, 101, 115)
            self.cell(0, 6, rep.t("report.created", when=f"{rep.created:%Y-%m-%d %H:%M}"))
            self.ln(10)
            self.cards(tab.headline(rep))
            self.bullets(rep.t("report.section.findings"), tab.findings(rep), size=10)

        def title_line(self, text: str):
            self.set_font("noto", size=20)
            self.set_text_color(31, 58, 95)
            self.multi_cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")

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
                self.set_text_color(*fm.rgb(color or "#1b2430"))
                self.cell(width - 4, 8, value)
                self.set_xy(x + 2, y + 10)
                self.set_font("noto", size=8)
                self.set_text_color(91, 101, 115)
                self.cell(width - 4, 5, label)
            self.set_xy(x0, y + 22)

        HEADING = 13.0  # height of a heading with its rule and spacing (mm)

        def heading(self, text: str, then: float = 0.0):
            """A section title, on a new page unless it and ``then`` mm of what follows fit here."""
            if self.HEADING + then > self.room():
                self.add_page()
            self.ln(3)
            self.set_font("noto", size=13)
            self.set_text_color(31, 58, 95)
            self.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(31, 58, 95)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(2)

        def _text_height(self, text: str, size: float, line: float) -> float:
            self.set_font("noto", size=size)
            return self.multi_cell(0, line, text, dry_run=True, output="HEIGHT", wrapmode=_wrap())

        def bullets(self, title: str, lines, size: float = 8.5):
            """A heading and a list; a list that fits on one page is kept on one page."""
            lines = ["• " + line for line in lines]
            heights = [self._text_height(line, size, size * 0.55) + 1 for line in lines]
            total = sum(heights)
            whole = total <= self.page_break_trigger - self.t_margin - 10 - self.HEADING
            self.heading(title, then=total if whole else sum(heights[:2]))
            for line, height in zip(lines, heights):
                if height > self.room():
                    self.add_page()
                self.paragraph(line, size)

        def paragraph(self, text: str, size: float = 10):
            self.set_font("noto", size=size)
            self.set_text_color(27, 36, 48)
            self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT", wrapmode=_wrap())
            self.ln(1)

        def note(self, text: str):
            if not text:
                return
            if self._text_height(text, 8, 4.5) > self.room():
                self.add_page()
            self.set_font("noto", size=8)
            self.set_text_color(91, 101, 115)
            self.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT", wrapmode=_wrap())

        def image_height(self, png: bytes) -> float:
            from PIL import Image

            with Image.open(io.BytesIO(png)) as im:
                w_px, h_px = im.size
            return self.epw * h_px / w_px + 2

        def image_png(self, png: bytes):
            """A PNG the page's width, on the next page unless it fits here."""
            if self.image_height(png) > self.room():
                self.add_page()
            self.image(io.BytesIO(png), x=self.l_margin, w=self.epw)
            self.ln(2)

        def chart(self, title: str, height: float, draw):
            """A heading and a chart drawn by ``draw(pdf, rep, x, y, width)``, kept together."""
            self.heading(title, then=height)
            y = self.get_y()
            draw(self, self.rep, self.l_margin, y, self.epw)
            self.set_fill_color(255, 255, 255)
            self.set_draw_color(0, 0, 0)
            self.set_line_width(0.2)
            self.set_xy(self.l_margin, y + height + 2)

        def row_height(self, row, widths) -> float:
            """A table row's height (mm): its tallest cell, wrapped as the table wraps it."""
            self.set_font("noto", size=8)
            scale = self.epw / sum(widths)
            inner = 2 * (self.c_margin - PAD)  # multi_cell keeps c_margin inside w; the table PAD
            lines = max(len(self.multi_cell(w * scale + inner, LINE, str(text), dry_run=True, output="LINES",
                                            wrapmode=_wrap(), padding=0)) or 1
                        for w, text in zip(widths, row))
            return lines * LINE + 2 * PAD + 0.1

        def table_section(self, title: str, table: tab.Table, widths, notes=(), empty: str = ""):
            """A heading, its notes and its table, the heading kept with the first rows."""
            notes = [n for n in (*notes, tab.left_out(table, self.rep)) if n]
            if not len(table):
                if empty:
                    self.heading(title, then=12)
                    for line in notes[:-1] if table.more else notes:
                        self.note(line)
                    self.note(empty)
                return
            heights = [self.row_height(r, widths) for r in table.rows]
            head = self.row_height(table.header, widths)
            first = head + sum(heights[:MIN_ROWS]) + 5 * len(notes)
            self.heading(title, then=first)
            for line in notes:
                self.note(line)
            self.rows(table, widths, head, heights)
            self.ln(3)

        def rows(self, table: tab.Table, widths, head: float, heights: list[float]):
            """The table in page-sized chunks, never fewer than MIN_ROWS rows on a page
            (unless the table has fewer)."""
            start, n = 0, len(heights)
            while start < n:
                fit, used = 0, head
                while start + fit < n and used + heights[start + fit] <= self.room():
                    used += heights[start + fit]
                    fit += 1
                left = n - start - fit
                if 0 < left < MIN_ROWS:  # keep the last rows company
                    fit = max(0, fit - (MIN_ROWS - left))
                if fit < min(MIN_ROWS, n - start):
                    self.add_page()
                    continue
                self.draw(table, widths, start, start + fit)
                start += fit
                if start < n:
                    self.add_page()

        def draw(self, table: tab.Table, widths, start: int, stop: int):
            from fpdf.fonts import FontFace

            self.set_font("noto", size=8)
            self.set_text_color(27, 36, 48)
            heading = FontFace(family="noto", emphasis="", color=(255, 255, 255), fill_color=(31, 58, 95))
            with self.table(col_widths=widths, headings_style=heading, line_height=LINE, text_align="LEFT",
                            wrapmode=_wrap(), borders_layout="HORIZONTAL_LINES", padding=PAD,
                            width=self.epw) as out:
                out.row(table.header)
                for row, color in zip(table.rows[start:stop], table.colors[start:stop]):
                    style = FontFace(color=fm.rgb(color)) if color else None
                    cells = out.row()
                    for value in row:
                        cells.cell(value, style=style)

    return Pdf


def _wrap():
    from fpdf.enums import WrapMode

    return WrapMode.WORD  # at spaces; a longer run (Chinese has no spaces) breaks where the line ends
