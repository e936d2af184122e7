"""竞争对手 Competitors: each competitor's CSI with our weights beside ours, and per item
the gap (ours − theirs) marked significant or within noise."""
import pandas as pd
import streamlit as st

from csi_core.method import competitors as comp
from csi_core.outputs import competitor_view as view
from csi_core.outputs.summary import competitor_summary
from ui import state, widgets
from ui.state import tr


def _table(shown: view.View) -> None:
    st.dataframe(widgets.safe_table(pd.DataFrame(shown.rows, columns=shown.header)), hide_index=True,
                 width="stretch")


def _cards(ours: float, competitors: dict) -> None:
    columns = st.columns(min(4, len(competitors) + 1))
    with columns[0]:
        widgets.segment_card(tr("competitors.ours"), ours, [], element_id="comp-ours", compact=len(columns) > 2)
    for k, (name, entry) in enumerate(competitors.items(), start=1):
        with columns[k % len(columns)]:
            lines = [f"{tr('competitors.col.valid')}: {entry['valid']}" + (" ⚠" if entry["below_minimum"] else "")]
            widgets.segment_card(name, entry["csi"], lines, element_id=f"comp-{k}", compact=len(columns) > 2)


def _competitor(name: str, entry: dict, ours_segments: dict, k: int) -> None:
    st.subheader(name)
    st.plotly_chart(view.gap_chart(name, entry, state.lang()), config={"displayModeBar": False}, key=f"c.chart.{k}")
    _table(view.gap_table(entry, state.lang()))
    with st.expander(tr("competitors.segments")):
        _table(view.segment_table(ours_segments, entry, state.lang()))


def main() -> None:
    st.title(tr("competitors.title"))
    widgets.branch_caption()
    counts = state.get_counts()
    period = state.current_period(counts)
    if period is None:
        st.info(tr("app.no_data"))
        return
    found_counts = state.competitor_counts(counts)
    if found_counts.empty:
        st.info(tr("competitors.none"))
        return
    res = state.results(counts=counts)  # the weights in force, as every page
    p = res.period_index(period)
    competitors = competitor_summary(comp.compute(counts, res, found_counts), p)
    if not competitors:
        st.info(tr("competitors.none_period", period=period))
        return
    st.caption(tr("competitors.caption"))
    ours = float(res.total[p])
    _cards(ours, competitors)
    for line in view.notes(competitors, period, state.lang()):
        st.warning(line)
    if found_counts.left_out:
        st.caption(tr("competitors.left_out", n=found_counts.left_out))
    _table(view.csi_table(ours, competitors, state.lang()))
    ours_segments = {name: float(res.segment_csi[p, s]) for s, name in enumerate(res.segments)}
    for k, (name, entry) in enumerate(competitors.items()):
        _competitor(name, entry, ours_segments, k)


main()
