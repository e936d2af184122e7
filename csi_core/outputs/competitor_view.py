"""Competitors in words, tables and one chart, in one language: what the competitors page,
the report (workbook, HTML, PDF) and the meeting all show, from the JSON form of a period's
competitors (:func:`csi_core.outputs.summary.competitor_summary`).

Item scores are shown in %, gaps in percentage points (``ours − theirs``), each gap with
◆ significant (larger than the 95 % noise) or ○ within noise.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass

import plotly.graph_objects as go

from csi_core import i18n
from csi_core.method.competitors import MIN_QUESTIONNAIRES
from csi_core.outputs import formats as fm
from csi_core.method.grades import grade_of
from csi_core.outputs.charts import _figure

LEAD, BEHIND = fm.GREEN, fm.RED  # a significant gap in our favour / against us; noise is grey


@dataclass(frozen=True)
class View:
    """A table as shown: header, rows of text, a colour per row (None: plain)."""

    header: list[str]
    rows: list[list[str]]
    colors: list[str | None]

    def __len__(self) -> int:
        return len(self.rows)


def verdict(gap: dict, lang: str) -> str:
    """``◆ 显著`` / ``○ 噪声内`` / ``— 样本太少`` for one item's gap."""
    if gap.get("significant") is None:
        return i18n.t("competitors.no_interval", lang)
    return i18n.t("competitors.significant" if gap["significant"] else "competitors.noise", lang)


def gap_color(gap: dict) -> str:
    """Green when we lead beyond the noise, red when we trail beyond it, grey otherwise.

    Examples
    --------
    >>> gap_color({"gap": 0.2, "significant": True}), gap_color({"gap": -0.2, "significant": None})
    ('#1a7f37', '#8a94a3')
    """
    if not gap.get("significant"):
        return fm.GREY
    return LEAD if gap["gap"] > 0 else BEHIND


def csi_table(ours: float | None, competitors: dict, lang: str) -> View:
    """Our CSI and each competitor's (with our weights) side by side: name, CSI, grade,
    valid questionnaires, gap (ours − theirs, points)."""
    t = (lambda k: i18n.t(k, lang))
    header = [t("competitors.col.name"), t("competitors.col.csi"), t("competitors.col.grade"),
              t("competitors.col.valid"), t("competitors.col.csi_gap")]
    rows = [[i18n.t("competitors.ours", lang), fm.num(ours), _grade(ours, lang), "", ""]]
    colors = [fm.grade_color(ours)]
    for name, entry in competitors.items():
        gap = None if ours is None or entry["csi"] is None else ours - entry["csi"]
        valid = str(entry["valid"]) + (" ⚠" if entry["below_minimum"] else "")
        rows.append([name, fm.num(entry["csi"]), _grade(entry["csi"], lang), valid, fm.delta(gap)])
        colors.append(fm.grade_color(entry["csi"]))
    return View(header, rows, colors)


def _grade(value, lang: str) -> str:
    return fm.DASH if fm.missing(value) else i18n.t(f"grade.{grade_of(float(value)).key}", lang)


def gap_table(entry: dict, lang: str) -> View:
    """One competitor's items: item, ours %, theirs %, gap (points), significant?"""
    t = (lambda k: i18n.t(k, lang))
    header = [t("competitors.col.item"), t("competitors.col.ours"), t("competitors.col.theirs"),
              t("competitors.col.gap"), t("competitors.col.significant")]
    rows, colors = [], []
    for item, gap in entry["gaps"].items():
        rows.append([item, fm.pct(gap["ours"]), fm.pct(entry["items"][item]), fm.delta(100 * gap["gap"]),
                     verdict(gap, lang)])
        colors.append(gap_color(gap))
    return View(header, rows, colors)


def segment_table(ours: dict, entry: dict, lang: str) -> View:
    """One competitor's segments: segment, our CSI there, theirs, the weight it used
    (ours, renormalised over its segments), its valid questionnaires. ``ours`` maps
    segment → our CSI."""
    t = (lambda k: i18n.t(k, lang))
    header = [t("competitors.col.segment"), t("competitors.col.ours_csi"), t("competitors.col.csi"),
              t("competitors.col.weight"), t("competitors.col.valid")]
    rows = [[name, fm.num(ours.get(name)), fm.num(seg["csi"]), fm.pct(seg["weight"]), str(seg["valid"])]
            for name, seg in entry["segments"].items()]
    return View(header, rows, [fm.grade_color(seg["csi"]) for seg in entry["segments"].values()])


def notes(competitors: dict, period: str, lang: str) -> list[str]:
    """The competitors under the procedure's minimum of questionnaires in the period."""
    return [i18n.t("competitors.few", lang, name=name, n=entry["valid"], period=period, minimum=MIN_QUESTIONNAIRES)
            for name, entry in competitors.items() if entry["below_minimum"]]


def summary_line(ours: float | None, competitors: dict, lang: str) -> str:
    """One sentence: our CSI against each competitor's, for the report's and meeting's lists."""
    parts = [f"{name} {fm.num(e['csi'])}" for name, e in competitors.items()]
    return i18n.t("competitors.line", lang, ours=fm.num(ours), theirs=i18n.join(parts, lang))


def gap_chart(name: str, entry: dict, lang: str = "zh", height: int | None = None) -> go.Figure:
    """One competitor's gap per item (ours − theirs, percentage points) as horizontal bars
    with their 95 % noise as error bars: green where we lead beyond the noise, red where
    we trail beyond it, grey within it. Each item's label gives both scores; the gap and
    its mark (◆ / ○ / —) stand beyond the end of its error bar.

    Trace 0 holds the bars: ``x`` the gaps in points, ``marker.color`` the colours.
    """
    gaps = entry["gaps"]
    x = [100 * g["gap"] for g in gaps.values()]
    half = [100 * g["half"] if g.get("half") is not None else 0.0 for g in gaps.values()]
    labels = [f"{html.escape(str(item), quote=False)}<br><span style='font-size:13px'>"
              + i18n.t("competitors.bar_text", lang, ours=fm.pct(g["ours"]), theirs=fm.pct(entry["items"][item]))
              + "</span>" for item, g in gaps.items()]  # names are user text: never markup
    reach = max([abs(a) + b for a, b in zip(x, half)] + [5.0])
    span = min(math.ceil(reach * 1.6) + 4, 110)
    data = [dict(type="bar", y=labels, x=x, orientation="h", textposition="none",
                 marker=dict(color=[gap_color(g) for g in gaps.values()], line=dict(color="#111822", width=1)),
                 error_x=dict(type="data", array=half, visible=True, color="#5b6573", thickness=1.5),
                 hovertemplate="%{x:+.1f}<extra></extra>")]
    notes = [dict(x=a + (b if a >= 0 else -b), y=label, xref="x", yref="y", showarrow=False,
                  xanchor="left" if a >= 0 else "right", xshift=6 if a >= 0 else -6,
                  text=f"{fm.delta(a)} {verdict(g, lang).split(' ')[0]}", font=dict(size=15, color="#111822"),
                  name="gap")
             for a, b, label, g in zip(x, half, labels, gaps.values())]
    zero = dict(type="line", xref="x", yref="paper", x0=0, x1=0, y0=0, y1=1, line=dict(color="#111822", width=2),
                name="zero")
    title = i18n.t("competitors.chart_title", lang, name=html.escape(str(name), quote=False))
    return _figure(data, title, height or max(220, 70 * len(x) + 120),
                   xaxis=dict(type="linear", range=[-span, span], showgrid=True, gridcolor="#eef1f5",
                              tickfont=dict(size=14), zeroline=False,
                              title=dict(text=i18n.t("competitors.axis", lang), font=dict(size=13))),
                   yaxis=dict(type="category", autorange="reversed", tickfont=dict(size=16), gridcolor="#ffffff"),
                   shapes=[zero], annotations=notes, margin=dict(l=10, r=20, t=60, b=80))


__all__ = ["View", "csi_table", "gap_chart", "gap_table", "gap_color", "notes", "segment_table", "summary_line",
           "verdict"]
