"""推移图 Run charts: the overall CSI, a segment, an item or a customer across periods,
on the grade bands, with the 80 / 70 % line and every fall from the period before."""
import math

import streamlit as st

import numpy as np

from csi_core.method import complaints as cm
from csi_core.outputs import charts, stat_charts
from csi_core.method import stats, trends
from csi_core.method.grades import CSI_REVIEW_BELOW, ITEM_ACTION_MAX
from ui import state, statistics, widgets
from ui.state import tr

KINDS = ("total", "segment", "item", "customer")


def _variances(counts, res, pick: dict) -> np.ndarray:
    """The variance of every point of the series picked, in the chart's unit squared."""
    iv = statistics.intervals(counts, res)
    if pick["kind"] == "customer":
        out = np.full(len(res.periods), np.nan)
        for p, period in enumerate(res.periods):
            if (counts.customers.c[counts.customers.p == p] == pick["customer"]).any():
                rows = statistics.questionnaires(counts, period)
                out[p] = stats.customer_variance(counts, res, rows)[pick["customer"]]
        return out
    s = None if pick["kind"] == "total" else res.segments.index(pick["segment"])
    i = res.items.index(pick["item"]) if pick["kind"] == "item" else None
    return stats.series(res, iv, s, i)[1] * (100.0**2 if i is not None else 1.0)


def _pick(counts, res, chosen: dict) -> tuple[str, object, float, str]:
    """The selectors; returns (title, values, threshold, unit) and fills ``chosen`` (kind, segment, item, customer)."""
    kind_col, a, b = st.columns([4, 2, 3], vertical_alignment="bottom")
    kind = kind_col.segmented_control(tr("trends.what"), KINDS, format_func=lambda k: tr(f"trends.kind.{k}"),
                                      key="t.kind", default="total", width="stretch") or "total"
    chosen["kind"] = kind
    if kind == "total":
        return tr("trends.chart_total"), trends.total_series(res), CSI_REVIEW_BELOW, ""
    if kind in ("segment", "item"):
        segment = a.selectbox(tr("common.segment"), res.segments, key="t.segment")
        chosen["segment"] = segment
        if kind == "segment":
            return tr("trends.chart_segment", segment=segment), trends.segment_series(res, segment), CSI_REVIEW_BELOW, ""
        s = res.segments.index(segment)
        answered = [res.items[i] for i in range(len(res.items)) if (res.item_n[:, s, i] > 0).any()]
        item = b.selectbox(tr("common.item"), answered, key="t.item")
        chosen["item"] = item
        if item is None:
            return "", None, ITEM_ACTION_MAX, " %"
        return (tr("trends.chart_item", segment=segment, item=item), trends.item_series(res, segment, item),
                ITEM_ACTION_MAX, " %")
    labels = trends.customer_labels(counts)
    pick = a.selectbox(tr("trends.customer_pick"), range(len(labels)), format_func=labels.__getitem__,
                       key="t.customer", index=0 if labels else None)
    if pick is None:
        return "", None, CSI_REVIEW_BELOW, ""
    chosen["customer"] = pick
    return (tr("trends.chart_customer", customer=labels[pick]), trends.customer_series(counts, res, pick),
            CSI_REVIEW_BELOW, "")


def _signals(periods, values, limits, marks, unit: str) -> None:
    """The control limits in words and every signal listed (the chart marks them ◇)."""
    if limits is None:
        st.caption(tr("stats.no_control"))
        return
    st.caption(tr("stats.control", centre=widgets.fmt(limits.centre), lcl=widgets.fmt(limits.lcl),
                  ucl=widgets.fmt(limits.ucl)))
    found = [tr(f"stats.signal.{m}", period=p, value=widgets.fmt(v, suffix=unit))
             for p, v, m in zip(periods, values, marks) if m]
    st.markdown(f"**{tr('stats.signals')}**: " + ("；".join(found) if found else tr("stats.no_signals")))


def _falls(periods, values, unit: str, variances=None) -> None:
    st.subheader(tr("trends.falls"))
    found = trends.falls(periods, values)
    if not found:
        st.caption(tr("trends.no_falls"))
        return
    st.table([{tr("trends.col_period"): f.period, tr("trends.col_previous_period"): f.previous_period,
               tr("trends.col_previous"): widgets.fmt(f.previous, suffix=unit),
               tr("trends.col_value"): widgets.fmt(f.value, suffix=unit),
               tr("trends.col_change"): widgets.fmt_delta(f.change),
               tr("stats.fall"): statistics.mark(stats.change(values, variances, periods.index(f.period)))}
              for f in found], width="content", hide_index=True)


def main() -> None:
    st.title(tr("trends.title"))
    widgets.branch_caption()
    counts = state.get_counts()
    if not counts.periods:
        st.info(tr("app.no_data"))
        return
    res = state.results(counts=counts)
    pick: dict = {}
    title, values, threshold, unit = _pick(counts, res, pick)
    if values is None or all(math.isnan(v) for v in values):
        st.info(tr("trends.no_series"))
        return
    variances = _variances(counts, res, pick)
    half = stats.intervals_module.Z95 * np.sqrt(variances)
    last = max(k for k, v in enumerate(values) if not math.isnan(v))
    limits = stats.series_control(values, last)
    marks = stats.control_signals(values, limits) if limits else [None] * len(values)
    figure = charts.run_chart(res.periods, values, title, threshold, state.lang(), height=520, unit=unit,
                              highlight=state.current_period(counts))
    stat_charts.add_statistics(figure, res.periods, values, values - half, values + half, limits, marks, state.lang())
    complaints = state.store().complaints() if st.session_state.get("t.kind") == "item" else None
    if complaints is not None and not complaints.empty:  # the complaints naming this item, as bars
        per_period = cm.item_counts(complaints, res.periods, st.session_state.get("t.item") or "")
        if any(per_period):
            charts.with_complaints(figure, res.periods, per_period, state.lang())
    st.plotly_chart(figure, config={"displayModeBar": False}, key="t.chart")
    st.caption(tr("trends.legend"))
    if len(res.periods) < 2:
        st.caption(tr("trends.one_period"))
    _signals(res.periods, values, limits, marks, unit)
    _falls(res.periods, values, unit, variances / (100.0**2 if unit else 1.0))


main()
