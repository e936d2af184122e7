"""App-side glue of the meeting page: the projector style, the keyboard, and the drawing
of one agenda point from its JSON (the same for a live meeting and a kept review).
"""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from csi_core import i18n
from csi_core.method.grades import GRADES
from csi_core.outputs import charts
from csi_core.outputs import meeting_view as view
from ui.state import lang, tr

REVIEW_KEY = "meeting.review"  # the review shown (open or kept); None: the choice of meetings
POINT_KEY = "meeting.point"  # the index of the point shown
PREV, NEXT = "meeting_prev", "meeting_next"  # button keys: the keyboard clicks them

# A band's pattern in CSS, after charts.GRADE_PATTERNS: solid, lines, dots, cross, stripes.
_PATTERN_CSS = {
    "very_satisfied": "background: {c};",
    "satisfied": "background: repeating-linear-gradient(45deg, {c} 0 9px, #fff 9px 14px);",
    "fairly_satisfied": "background: radial-gradient({c} 45%, #fff 47%) 0 0 / 12px 12px;",
    "dissatisfied": "background: repeating-linear-gradient(45deg, {c} 0 5px, transparent 5px 12px),"
                    " repeating-linear-gradient(-45deg, {c} 0 5px, #fff 5px 12px);",
    "very_dissatisfied": "background: repeating-linear-gradient(0deg, {c} 0 7px, #fff 7px 12px);",
}
CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] {display: none !important;}
[data-testid="stMainBlockContainer"] {max-width: 100% !important; padding: 1.2rem 2.4rem 2rem !important;}
[data-testid="stMain"] p, [data-testid="stMain"] li {font-size: clamp(1.15rem, 1.45vw, 1.7rem); color: #111822;}
[data-testid="stTable"] td, [data-testid="stTable"] th {font-size: clamp(1.1rem, 1.4vw, 1.6rem) !important;
    color: #111822 !important; padding: .35rem .7rem !important;}
[data-testid="stTable"] th {background: #e9edf2 !important; font-weight: 700 !important;}
.mt-strip {display: flex; justify-content: space-between; align-items: baseline; gap: 1.5rem; flex-wrap: wrap;
    border-bottom: 4px solid #111822; padding-bottom: .35rem; margin-bottom: .8rem;}
.mt-point {font-size: clamp(1.9rem, 2.7vw, 3.2rem); font-weight: 800; color: #111822; line-height: 1.15;}
.mt-foot {font-size: clamp(1rem, 1.25vw, 1.45rem); color: #111822; font-weight: 600;}
.mt-card {display: flex; border: 4px solid #111822; border-radius: 14px; overflow: hidden; background: #fff;}
.mt-band {flex: 0 0 clamp(46px, 4vw, 80px);}
.mt-body {padding: 14px 26px 18px; color: #111822; line-height: 1.1;}
.mt-label {font-size: clamp(1.3rem, 1.8vw, 2.1rem); font-weight: 700;}
.mt-value {font-size: clamp(88px, 9.5vw, 170px); font-weight: 900; letter-spacing: -2px;
    font-variant-numeric: tabular-nums; white-space: nowrap;}
.mt-grade {font-size: clamp(1.6rem, 2.4vw, 2.8rem); font-weight: 800;}
.mt-lines {font-size: clamp(1.1rem, 1.5vw, 1.75rem); margin-top: .8rem; color: #111822;}
.mt-legend {display: flex; gap: 1.2rem; flex-wrap: wrap; font-size: clamp(.95rem, 1.1vw, 1.3rem); color: #111822;
    margin: .4rem 0;}
.mt-legend span.sw {display: inline-block; width: 1.6em; height: 1em; border: 2px solid #111822;
    vertical-align: middle; margin-right: .35em;}
</style>
"""
KEYS_JS = """
<script>
(function () {
  if (window.__csiMeetingKeys) return;
  window.__csiMeetingKeys = true;
  document.addEventListener('keydown', function (e) {
    const t = e.target;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    let key = null;
    if (e.key === 'ArrowRight' || e.key === 'PageDown') key = 'NEXT';
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') key = 'PREV';
    if (!key) return;
    const button = document.querySelector('.st-key-' + key + ' button');
    if (!button || button.disabled) return;
    e.preventDefault();
    button.click();
  }, true);
})();
</script>
""".replace("'NEXT'", f"'{NEXT}'").replace("'PREV'", f"'{PREV}'")


def projector_style() -> None:
    """Hide the sidebar and the header; large, high-contrast type; the keys that move."""
    st.html(CSS)
    st.html(KEYS_JS, unsafe_allow_javascript=True)  # a fixed script, no user text in it


def band(key: str | None) -> str:
    """The CSS of a band's swatch: its colour in its pattern."""
    if not key:
        return "background: #8a94a3;"
    return _PATTERN_CSS[key].format(c=view.grade_color(key))


def legend() -> None:
    """The bands with their patterns and marks, so a chart reads without colour."""
    e = html.escape
    parts = [f'<span><span class="sw" style="{band(g.key)}"></span>{e(view.grade_text(g.key, lang()))}</span>'
             for g in GRADES]
    st.markdown(f'<div class="mt-legend">{"".join(parts)}</div>', unsafe_allow_html=True)


def strip(agenda: dict, index: int) -> None:
    """Point number and title at the left; period and weights at the right: every screen."""
    e = html.escape
    from csi_core.outputs.meeting import footer

    st.markdown(f'<div class="mt-strip"><div class="mt-point" id="meeting-point">'
                f'{e(view.point_label(agenda, index, lang()))}</div>'
                f'<div class="mt-foot" id="meeting-footer">{e(footer(agenda, lang()))}</div></div>',
                unsafe_allow_html=True)


def total_card(point: dict) -> None:
    e = html.escape
    lines = "".join(f"<div>{e(line)}</div>" for line in view.total_lines(point, lang()))
    st.markdown(
        f'<div class="mt-card"><div class="mt-band" style="{band(point["grade"])}"></div><div class="mt-body">'
        f'<div class="mt-label">{e(tr("common.total_csi"))}</div>'
        f'<div class="mt-value" id="meeting-total">{e(view.fmt(point["csi"]))}</div>'
        f'<div class="mt-grade">{e(view.grade_text(point["grade"], lang()))}</div>'
        f'<div class="mt-lines">{lines}</div></div></div>', unsafe_allow_html=True)


def table(header: list[str], rows: list[list[str]], more: int = 0) -> None:
    if rows:
        st.table(pd.DataFrame(rows, columns=header).set_index(header[0]))
    if more:
        st.caption(tr("meeting.more_rows", n=more))


def draw_point(point: dict, decisions: list[dict], agenda: dict, key: str) -> None:
    """One agenda point as the room sees it."""
    kind = point["key"]
    if kind == "total":
        left, right = st.columns([4, 6], gap="large")
        with left:
            total_card(point)
            for note in agenda.get("notes", []):  # what the computation did that period (dropped items…)
                st.caption(i18n.t(f"calc.{note['key']}", lang(), **note["params"]))
        with right:
            run = point["run"]
            fig = charts.run_chart(run["periods"], [v if v is not None else float("nan") for v in run["values"]],
                                   threshold=80.0, lang=lang(), height=470)
            st.plotly_chart(charts.projector(fig), config={"displayModeBar": False}, key=f"{key}.run")
        return
    if kind == "decisions":
        header, rows = view.decision_table(decisions, lang(), agenda["points"])
        if rows:
            st.table(pd.DataFrame(rows, columns=header))
        else:
            st.info(tr("meeting.no_decisions"))
        return
    header, rows, grades, more = view.table(point, lang())
    if kind in ("segments", "customers", "items") and point.get("rows"):
        value = "score" if kind == "items" else "csi"
        shown = point["rows"][:view.TABLE_ROWS]
        names = [r["item"] if kind == "items" and len({x["segment"] for x in shown}) == 1 else
                 " · ".join(str(r[k]) for k in ("segment", "customer", "item") if r.get(k)
                            and (k != "segment" or kind != "customers")) for r in shown]
        grade_keys = [r.get("grade") or "very_dissatisfied" for r in shown]
        fig = charts.grade_bars(names, [r[value] for r in shown], grade_keys, lang(), " %" if kind == "items" else "",
                                threshold=70.0 if kind == "items" else 80.0)
        left, right = st.columns([4, 6], gap="large")
        with left:
            st.plotly_chart(fig, config={"displayModeBar": False}, key=f"{key}.bars")
            legend()
        with right:
            table(header, rows, more)
    else:
        table(header, rows, more)
    if kind == "complaints" and point.get("competitors"):
        st.markdown(f"**{tr('competitors.title')}**")
        header, rows, _, more = view.competitor_table(point, lang())
        table(header, rows, more)
        for line in view.competitor_notes(point, agenda["period"], lang()):
            st.caption(line)
    if kind == "items" and point.get("customer_items"):
        st.markdown(f"**{tr('meeting.customer_items_title')}**")
        header, rows, more = view.customer_items_table(point, lang(), limit=8)
        table(header, rows, more)
