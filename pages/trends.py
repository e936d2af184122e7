"""推移图 Run charts: the overall CSI, a segment, an item or a customer across periods,
on the grade bands, with the 80 / 70 % line and every fall from the period before."""
import math

import streamlit as st

from csi_core.method import complaints as cm
from csi_core.outputs import charts
from csi_core.method import trends
from csi_core.method.grades import CSI_REVIEW_BELOW, ITEM_ACTION_MAX
from ui import state, widgets
from ui.state import tr

KINDS = ("total", "segment", "item", "customer")


def _pick(counts, res) -> tuple[str, object, float, str]:
    """The selectors; returns (title, values, threshold, unit)."""
    kind_col, a, b = st.columns([4, 2, 3], vertical_alignment="bottom")
    kind = kind_col.segmented_control(tr("trends.what"), KINDS, format_func=lambda k: tr(f"trends.kind.{k}"),
                                      key="t.kind", default="total", width="stretch") or "total"
    if kind == "total":
        return tr("trends.chart_total"), trends.total_series(res), CSI_REVIEW_BELOW, ""
    if kind in ("segment", "item"):
        segment = a.selectbox(tr("common.segment"), res.segments, key="t.segment")
        if kind == "segment":
            return tr("trends.chart_segment", segment=segment), trends.segment_series(res, segment), CSI_REVIEW_BELOW, ""
        s = res.segments.index(segment)
        answered = [res.items[i] for i in range(len(res.items)) if (res.item_n[:, s, i] > 0).any()]
        item = b.selectbox(tr("common.item"), answered, key="t.item")
        if item is None:
            return "", None, ITEM_ACTION_MAX, " %"
        return (tr("trends.chart_item", segment=segment, item=item), trends.item_series(res, segment, item),
                ITEM_ACTION_MAX, " %")
    labels = trends.customer_labels(counts)
    pick = a.selectbox(tr("trends.customer_pick"), range(len(labels)), format_func=labels.__getitem__,
                       key="t.customer", index=0 if labels else None)
    if pick is None:
        return "", None, CSI_REVIEW_BELOW, ""
    return (tr("trends.chart_customer", customer=labels[pick]), trends.customer_series(counts, res, pick),
            CSI_REVIEW_BELOW, "")


def _falls(periods, values, unit: str) -> None:
    st.subheader(tr("trends.falls"))
    found = trends.falls(periods, values)
    if not found:
        st.caption(tr("trends.no_falls"))
        return
    st.table([{tr("trends.col_period"): f.period, tr("trends.col_previous_period"): f.previous_period,
               tr("trends.col_previous"): widgets.fmt(f.previous, suffix=unit),
               tr("trends.col_value"): widgets.fmt(f.value, suffix=unit),
               tr("trends.col_change"): widgets.fmt_delta(f.change)} for f in found], width="content", hide_index=True)


def main() -> None:
    st.title(tr("trends.title"))
    counts = state.get_counts()
    if not counts.periods:
        st.info(tr("app.no_data"))
        return
    res = state.results(counts=counts)
    title, values, threshold, unit = _pick(counts, res)
    if values is None or all(math.isnan(v) for v in values):
        st.info(tr("trends.no_series"))
        return
    figure = charts.run_chart(res.periods, values, title, threshold, state.lang(), height=520, unit=unit,
                              highlight=state.current_period(counts))
    complaints = state.store().complaints() if st.session_state.get("t.kind") == "item" else None
    if complaints is not None and not complaints.empty:  # the complaints naming this item, as bars
        per_period = cm.item_counts(complaints, res.periods, st.session_state.get("t.item") or "")
        if any(per_period):
            charts.with_complaints(figure, res.periods, per_period, state.lang())
    st.plotly_chart(figure, config={"displayModeBar": False}, key="t.chart")
    st.caption(tr("trends.legend"))
    if len(res.periods) < 2:
        st.caption(tr("trends.one_period"))
    _falls(res.periods, values, unit)


main()
