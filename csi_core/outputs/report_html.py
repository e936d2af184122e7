"""The meeting report as one self-contained HTML page, from the Jinja2 template
``templates/report.html.j2`` with autoescape (every text escaped; charts inline PNG).

The page holds the whole report: the management summary and what the PDF keeps for
its appendix (all items, customers, the action log, comments grouped, the method).
"""
from __future__ import annotations

import base64
from functools import lru_cache

import jinja2

from csi_core import i18n
from csi_core.outputs import report_stats as rs
from csi_core.outputs import report_tables as tab
from csi_core.outputs.report import MeetingReport
from csi_core.outputs.report_charts import items_chart_png, run_chart_png


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("csi_core.outputs", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False)
    return env.get_template("report.html.j2")


def _image(png: bytes, alt: str) -> dict:
    return {"alt": alt, "data": base64.b64encode(png).decode("ascii")}


def _section(key: str, title: str, tables=(), lines=(), notes=(), images=(), empty: str = "") -> dict:
    """One ``<section>``; ``empty`` is shown only when it has no table rows and no lines."""
    has_content = any(len(t) for t in tables) or bool(lines)
    return {"id": key, "title": title, "tables": [t for t in tables if len(t)], "lines": list(lines),
            "notes": [n for n in notes if n], "images": list(images), "empty": "" if has_content else empty}


def sections(rep: MeetingReport, charts: bool = True) -> list[dict]:
    """The page's sections in reading order."""
    t = rep.t
    items_image = [_image(items_chart_png(rep), t("report.title.items"))] if charts else []
    return [
        _section("findings", t("report.section.findings"), lines=tab.findings(rep)),
        *([_section("run-chart", t("report.chart.csi"), images=[_image(run_chart_png(rep), t("report.chart.csi"))])]
          if charts else []),
        _section("segments", t("report.title.segments"), tables=[tab.segments_table(rep)]),
        *stats_sections(rep, charts),
        _section("items", t("report.title.items"), tables=[tab.items_table(rep)], notes=[t("report.rule_items")],
                 images=items_image),
        _section("flags", t("report.section.flags"), tables=[tab.flags_table(rep)], empty=t("report.none_flagged")),
        _section("verification", t("report.section.verification", previous=rep.previous or "—"),
                 tables=[tab.verification_table(rep)], empty=t("report.none_to_verify")),
        _section("log", t("report.section.log"), tables=[tab.log_table(rep)], empty=t("report.no_actions")),
        _section("customers", t("report.title.customers"), tables=[tab.customers_table(rep)],
                 empty=t("report.no_customers")),
        _section("comments", t("report.title.comments"),
                 tables=[tab.comment_groups_table(rep), tab.comment_items_table(rep)], empty=t("report.no_comments")),
        *([_section("complaints", t("report.title.complaints"), lines=tab.complaint_lines(rep),
                    tables=[tab.complaint_breakdown_table(rep), tab.complaint_items_table(rep),
                            tab.complaint_repeat_table(rep)])] if rep.complaints else []),
        *([_section("assessment", t("report.title.assessment"), lines=tab.assessment_lines(rep)[:1],
                    tables=[tab.assessment_table(rep)], notes=tab.assessment_lines(rep)[1:])]
          if rep.assessment is not None else []),
        *branch_sections(rep),
        *([_section("competitors", t("report.title.competitors"), lines=tab.competitor_lines(rep),
                    tables=[tab.competitor_csi_table(rep), tab.competitor_gap_table(rep)],
                    notes=[t("competitors.caption")])] if rep.competitors else []),
        _section("notes", t("report.title.notes"), lines=[*rep.method, *rep.notes]),
    ]


def branch_sections(rep: MeetingReport) -> list[dict]:
    """The ranking of the branches, then a section per branch (when asked for)."""
    if not rep.branches:
        return []
    from csi_core.outputs import report_branches as rb

    return [_section("branches", rep.t("report.title.branches"), tables=[rb.ranking_table(rep)]),
            *[_section(f"branch-{k + 1}", rb.title(rep, b), lines=[rb.headline(rep, b)],
                       tables=[rb.segments_table(rep, b), rb.items_table(rep, b)],
                       notes=[] if len(b.items) else [rep.t("report.branch.no_weak_items")])
              for k, b in enumerate(rep.branches)]]


def stats_sections(rep: MeetingReport, charts: bool = True) -> list[dict]:
    """Intervals and significance, the falls, the importance–performance map."""
    if rep.stats is None:
        return []
    t = rep.t
    intervals = tab.Table(*rs.intervals_rows(rep), [None] * len(rep.stats.intervals))
    falls_header, falls = rs.falls_rows(rep, tab.subject)
    imp_header, imp = rs.importance_rows(rep)
    image = [_image(rs.importance_png(rep), t("report.section.importance"))] if charts and len(imp) else []
    return [
        _section("statistics", t("report.section.statistics"), tables=[intervals],
                 notes=[t("report.stats.intro"), rs.control_line(rep)]),
        _section("falls", t("report.section.falls"), tables=[tab.Table(falls_header, falls, [None] * len(falls))],
                 empty=t("report.none_flagged")),
        _section("importance", t("report.section.importance"), tables=[tab.Table(imp_header, imp, [None] * len(imp))],
                 notes=[t("analysis.map_help"), t("report.stats.rank_gap")], images=image),
    ]


def write(rep: MeetingReport, charts: bool = True) -> str:
    """The meeting report as one self-contained HTML page (every text escaped)."""
    return _template().render(
        lang=rep.lang, title=rep.t("report.title", period=rep.period),
        created=rep.t("report.created", when=f"{rep.created:%Y-%m-%d %H:%M}"),
        cards=tab.headline(rep), sections=sections(rep, charts),
        more=lambda n: i18n.tn("report.more_rows", n, rep.lang, count=n))
