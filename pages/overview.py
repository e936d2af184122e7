"""总览 Overview: the period's CSI on its grade band, the change, segments, returns,
open corrective actions and the trend — readable from the back of a room."""
import html

import pandas as pd
import streamlit as st

from csi_core import i18n
from csi_core.method import actions
from csi_core.outputs import charts
from csi_core.method import grades
from csi_core.method import trends
from csi_core.method import stats
from ui import state, statistics, widgets
from ui.state import lang, tr, trn


def _big_number(res, p: int, force, iv) -> None:
    total = trends.total_series(res)
    q, change = trends.change_from_previous(total, p)
    delta = tr("common.no_previous") if q is None else \
        tr("common.vs_previous", period=res.periods[q], delta=widgets.fmt_delta(change))
    delta += f" · {statistics.mark(stats.total_change(res, iv, p))}" if q is not None else ""
    widgets.csi_card(total[p], tr("common.total_csi"), delta, element_id="csi-total")
    st.caption(statistics.half_text(iv.total[p]) + " · "
               + (tr("overview.review") if grades.csi_needs_review(total[p]) else tr("overview.above_line")))
    st.caption(statistics.margin_text(stats.margin_of(res, p)))
    st.markdown(f'<p id="weights-used" class="weights-used">{html.escape(widgets.weights_statement(force, res, p))}</p>',
                unsafe_allow_html=True)


def _rate(column, label: str, rate: float | None, target: float) -> None:
    if rate is None:
        column.metric(label, "—", help=tr("overview.no_sent"))
        column.caption(tr("overview.no_sent"))
        return
    column.metric(label, widgets.fmt(rate, suffix=" %"),
                  delta=tr("overview.vs_target", diff=widgets.fmt_delta(rate - target),
                           target=f"{target:g} %"))


def _actions_card(column, summary: dict, period: str) -> None:
    """Open actions (all periods) and, under them, what this period flags: how many items,
    customers, customer-items, and how many of those have an action."""
    column.metric(tr("overview.open_actions"), state.open_actions(), help=tr("overview.open_actions_help"))
    b = actions.flag_breakdown(summary["actions"], state.store().actions(), period)
    if not b["total"]:
        column.caption(tr("overview.flags_none", period=period))
        return
    parts = [tr(f"overview.flag_part.{k}", n=b[k]) for k in actions.KINDS if b[k]]
    text = tr("overview.flags_breakdown", period=period, n=b["total"], parts=i18n.join(parts, lang()),
              with_action=b["with_action"])
    if b["with_action"] > b["worked_on"]:
        text += tr("overview.flags_placeholders", n=b["with_action"] - b["worked_on"])
    column.caption(text)


def _side(res, summary: dict, p: int) -> None:
    (a, b), (c, d) = st.columns(2), st.columns(2)  # two by two: whole numbers on a 1280-wide projector too
    _rate(a, tr("overview.response_rate"), summary["response_rate"], state.rate_target("response_rate_target"))
    _rate(b, tr("overview.valid_rate"), summary["valid_rate"], state.rate_target("valid_rate_target"))
    c.metric(tr("overview.satisfaction"), widgets.pct(summary["satisfaction_rate"]))
    _actions_card(d, summary, res.periods[p])
    r = summary["responses"]
    st.caption(tr("overview.returned", returned=r["returned"], valid=r["valid"], invalid=r["invalid"]))
    st.markdown(f"**{tr('overview.trend')}**")
    st.plotly_chart(charts.sparkline(res.periods[: p + 1], trends.total_series(res)[: p + 1]),
                    config={"displayModeBar": False}, key="overview_sparkline")


def _segments(res, summary: dict, p: int, iv) -> None:
    st.subheader(tr("overview.segments"))
    present = [s for s, name in enumerate(res.segments) if name in summary["segments"]]
    columns = st.columns(max(len(present), 1))
    for column, s in zip(columns, present):
        name = res.segments[s]
        seg = summary["segments"][name]
        q, change = trends.change_from_previous(trends.segment_series(res, s), p)
        lines = [trn("common.valid_n", seg["valid"], n=seg["valid"]) + " · " + statistics.half_text(iv.segment[p, s]),
                 tr("common.weight_pct", pct=widgets.pct(seg["weight"]))]
        if q is not None:
            lines.append(tr("common.vs_previous", period=res.periods[q], delta=widgets.fmt_delta(change))
                         + " · " + statistics.mark(stats.segment_change(res, iv, p, s)))
        too_few = statistics.adequacy(seg["valid"], iv.segment[p, s])
        if too_few:
            lines.append(too_few)
        with column:
            widgets.segment_card(name, res.segment_csi[p, s], lines, element_id=f"csi-segment-{s}")


def _branches(period: str) -> None:
    """The branches of the period ranked by CSI (n valid, grade), when there are two or more."""
    table = state.branch_ranking(period)
    if len(table) < 2:
        return
    st.subheader(tr("branch.ranking_title", period=period))
    shown = state.current_branch()
    st.dataframe(widgets.safe_table(pd.DataFrame({
        tr("branch.rank"): range(1, len(table) + 1),
        tr("branch.column"): [("▶ " if b == shown else "") + state.branch_label(b) for b in table.branch],
        tr("common.total_csi"): [widgets.fmt(v) for v in table.csi],
        tr("branch.grade"): [widgets.grade_name(v) for v in table.csi],
        tr("branch.valid"): table.valid})), hide_index=True, width="stretch", key="overview.branches")
    st.caption(tr("branch.ranking_help"))


def main() -> None:
    counts = state.get_counts()
    period = state.current_period(counts)
    if period is None:
        st.title(tr("app.page.overview"))
        st.info(tr("app.no_data"))
        return
    force = state.in_force(counts)
    res = state.results(force.weights, counts)
    p = res.period_index(period)
    summary = state.summary(period, counts)
    iv = statistics.intervals(counts, res)
    st.title(tr("overview.title", period=period))
    widgets.branch_caption()
    widgets.loud_notes(res, period)
    left, right = st.columns([5, 7], gap="large")
    with left:
        _big_number(res, p, force, iv)
    with right:
        _side(res, summary, p)
    _segments(res, summary, p, iv)
    _branches(period)
    widgets.notes_expander(res, period)


main()
