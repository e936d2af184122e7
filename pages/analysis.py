"""分析 Analysis: the importance–performance map of a segment, stated vs derived
importance, sample adequacy, and what customers wrote."""
import pandas as pd
import streamlit as st

from csi_core.method import stats, terms
from csi_core.method.grades import item_needs_action
from csi_core.outputs import stat_charts
from csi_core.reading.scales import get_scale
from ui import state, statistics, widgets
from ui.state import tr


def _map(counts, res, p: int, s: int, rows) -> None:
    st.subheader(tr("analysis.map"))
    st.caption(tr("analysis.map_help"))
    derived = stats.derived_importance(counts, res, rows, s)
    table = stats.importance_table(counts, res, p, s, derived)
    if table.empty:
        return
    st.plotly_chart(stat_charts.importance_map(table.item.tolist(), table.score, table.stated, lang=state.lang()),
                    config={"displayModeBar": False}, key="a.map")
    st.subheader(tr("analysis.importance"))
    has_overall = bool((rows.overall[rows.segment == s] >= 0).any())
    if derived is not None:
        st.caption(tr("analysis.r2", r2=f"{derived.r2:.2f}", n=derived.n))
    else:
        st.caption(tr("analysis.too_few_overall") if has_overall else tr("analysis.no_overall"))
    shown = {tr("analysis.item"): table.item, tr("analysis.score"): [widgets.pct(v) for v in table.score],
             tr("analysis.stated"): [widgets.pct(v) for v in table.stated],
             tr("analysis.rank_stated"): table.stated_rank,
             tr("analysis.quadrant"): [tr(f"analysis.quadrant.{q}") for q in table.quadrant]}
    if derived is not None:
        shown[tr("analysis.derived")] = [widgets.pct(v) for v in table.derived]
        shown[tr("analysis.rank_derived")] = table.derived_rank.astype(int)
        shown[tr("analysis.rank_gap")] = ["◆" if g else "" for g in table.gap]
    st.dataframe(widgets.safe_table(pd.DataFrame(shown)), hide_index=True, width="stretch")
    if derived is not None and table.gap.any():
        st.warning(tr("analysis.gap_note", items=widgets.md_escape("、".join(table.item[table.gap]))))


def _adequacy(res, iv, p: int) -> None:
    st.subheader(tr("analysis.adequacy"))
    table = stats.adequacy_table(res, iv, p)
    st.dataframe(widgets.safe_table(pd.DataFrame({
                  tr("analysis.segment"): table.segment, tr("analysis.valid"): table.valid,
                  tr("analysis.half"): [f"±{widgets.fmt(v)}" for v in table.half],
                  tr("analysis.needed"): ["" if n is None or n != n else int(n) for n in table.needed],
                  tr("analysis.verdict"): [tr("stats.too_few") if t else tr("analysis.enough") for t in table.too_few]})),
                 hide_index=True, width="stretch")


def _terms(counts, period: str) -> None:
    st.subheader(tr("analysis.terms"))
    store = state.store()
    texts = [store.comment_texts(q, counts.branch) for q in counts.periods]
    table = terms.top_terms(counts.periods, texts, period)
    if table.empty:
        st.caption(tr("analysis.no_comments"))
        return
    st.table({tr("analysis.term"): table.term, tr("analysis.count"): table["count"],
              tr("analysis.previous"): ["—" if v != v else int(v) for v in table.previous],
              tr("analysis.change"): ["" if v != v else f"{int(v):+d}" for v in table.change]},
             hide_index=True, width="content")


def _low_comments(counts, res, p: int, period: str) -> None:
    st.subheader(tr("analysis.low_comments"))
    codes = terms.low_codes(get_scale(counts.scale))
    found = False
    for s, segment in enumerate(res.segments):
        for i, item in enumerate(res.items):
            if res.item_n[p, s, i] == 0 or not item_needs_action(float(res.item_score[p, s, i])):
                continue
            found = True
            rows = state.store().comments_rated(period, segment, item, codes, branch=counts.branch)
            label = tr("analysis.low_item", segment=segment, item=item, score=widgets.pct(res.item_score[p, s, i]),
                       n=len(rows))
            with st.expander(label):
                st.dataframe(widgets.safe_table(pd.DataFrame({
                    tr("analysis.customer"): rows.customer, tr("analysis.respondent"): rows.respondent_id,
                    tr("analysis.comment"): rows.comment})), hide_index=True, width="stretch")
    if not found:
        st.caption(tr("analysis.no_low_items"))


def main() -> None:
    counts = state.get_counts()
    period = state.current_period(counts)
    if period is None:
        st.title(tr("app.page.analysis"))
        st.info(tr("app.no_data"))
        return
    st.title(tr("analysis.title", period=period))
    widgets.branch_caption()
    res = state.results(counts=counts)
    p = res.period_index(period)
    present = [name for s, name in enumerate(res.segments) if res.valid[p, s] > 0]
    if not present:
        st.info(tr("app.no_data"))
        return
    segment = st.selectbox(tr("analysis.segment"), present, key="a.segment")
    rows = statistics.questionnaires(counts, period)
    _map(counts, res, p, res.segments.index(segment), rows)
    _adequacy(res, statistics.intervals(counts, res), p)
    _terms(counts, period)
    _low_comments(counts, res, p, period)


main()
