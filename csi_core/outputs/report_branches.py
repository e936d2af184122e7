"""The report's branch sections (分公司) as shown: the ranking and, per branch, its CSI,
its segments and its items at or below 70 % — for the Excel sheet, the HTML sections and
the PDF pages alike (:class:`~csi_core.outputs.report_tables.Table`)."""
from __future__ import annotations

from csi_core.method.grades import csi_needs_review
from csi_core.outputs import branches as branch_view
from csi_core.outputs import formats as fm
from csi_core.outputs.branches import BranchSection
from csi_core.outputs.report import MeetingReport
from csi_core.outputs.report_tables import Table, grade_text


def name(rep: MeetingReport, section: BranchSection) -> str:
    return branch_view.label(section.branch, rep.lang)


def ranking_table(rep: MeetingReport) -> Table:
    """The branches of the period, best CSI first; below 80 in red."""
    t = rep.t
    rows = [[str(k + 1), name(rep, b), fm.num(b.csi), grade_text(rep, b.grade), str(b.valid), str(b.returned)]
            for k, b in enumerate(rep.branches)]
    colors = [fm.RED if csi_needs_review(b.csi) else None for b in rep.branches]
    return Table([t("branch.rank"), t("branch.column"), "CSI", t("report.col.grade"), t("report.col.valid"),
                  t("report.col.returned")], rows, colors)


def title(rep: MeetingReport, section: BranchSection) -> str:
    return rep.t("report.branch.title", branch=name(rep, section), period=rep.period)


def headline(rep: MeetingReport, section: BranchSection) -> str:
    """"CSI 84.2 · 一般满意 · 40 valid questionnaires (45 returned)"."""
    return rep.t("report.branch.headline", csi=fm.num(section.csi), grade=grade_text(rep, section.grade),
                 valid=section.valid, returned=section.returned)


def segments_table(rep: MeetingReport, section: BranchSection) -> Table:
    t = rep.t
    table = section.segments
    return Table([t("report.col.segment"), t("report.col.weight"), t("report.col.valid"), "CSI", t("report.col.grade")],
                 [[r.segment, fm.pct(r.weight), str(r.valid), fm.num(r.csi), grade_text(rep, r.grade)]
                  for r in table.itertuples()], [None] * len(table))


def items_table(rep: MeetingReport, section: BranchSection) -> Table:
    """The branch's items at or below 70 %, lowest first, in red."""
    t = rep.t
    table = section.items
    return Table([t("report.col.segment"), t("report.col.item"), "n", t("report.col.score")],
                 [[r.segment, r.item, str(r.n), fm.pct(r.score)] for r in table.itertuples()], [fm.RED] * len(table))
