"""数据 Data: the stored questionnaires with filters, the invalid ones with their reasons,
the comments — per period and segment — each downloadable as CSV (formula-safe)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from csi_core.outputs import csv_export
from ui import state, widgets
from ui.state import tr, trn

ALL = ""
LIMIT = 5000  # rows shown and downloaded per table
VALIDITY = ("all", "valid", "invalid")


def filters(counts) -> tuple[str | None, str | None, str]:
    period_now = state.current_period(counts)
    periods = [ALL, *reversed(counts.periods)]
    segments = [ALL, *counts.segments]
    a, b, c = st.columns(3)
    period = a.selectbox(tr("data.period"), periods, index=periods.index(period_now), key="data.period",
                         format_func=lambda p: tr("data.all_periods") if p == ALL else p)
    segment = b.selectbox(tr("data.segment"), segments, key="data.segment",
                          format_func=lambda s: tr("data.all_segments") if s == ALL else s)
    validity = c.segmented_control(tr("data.validity"), VALIDITY, default="all", key="data.validity",
                                   format_func=lambda v: tr(f"data.validity.{v}")) or "all"
    return period or None, segment or None, validity


def counts_table(counts, period: str | None, segment: str | None) -> pd.DataFrame:
    """Returned / valid / invalid per period and segment (from the count arrays)."""
    rows = []
    for p, name in enumerate(counts.periods):
        if period and name != period:
            continue
        for s, seg in enumerate(counts.segments):
            if (segment and seg != segment) or not counts.returned[p, s]:
                continue
            returned, valid = int(counts.returned[p, s]), int(counts.valid[p, s])
            rows.append({tr("report.col.period"): name, tr("report.col.segment"): seg,
                         tr("report.col.returned"): returned, tr("report.col.valid"): valid,
                         tr("data.invalid"): returned - valid})
    return pd.DataFrame(rows)


def localized_responses(table: pd.DataFrame) -> pd.DataFrame:
    """Headers and the invalid reason in the user's language; the database ids left out."""
    if table.empty:
        return table
    out = table.drop(columns=["id", "upload_id"], errors="ignore").copy()
    out["invalid_reason"] = [tr(f"reason.{r}") if r else "" for r in out["invalid_reason"].fillna("")]
    names = {c: tr(f"report.col.{key}") for c, key in (
        ("period", "period"), ("segment", "segment"), ("customer", "customer"), ("respondent_id", "respondent_id"),
        ("date", "date"), ("valid", "valid"), ("invalid_reason", "reason"), ("row_number", "row"))}
    return out.rename(columns=names)


def download(table: pd.DataFrame, name: str, key: str) -> None:
    st.download_button(tr("data.download_csv"), csv_export.csv_bytes(table), file_name=name, mime="text/csv",
                       icon=":material/download:", on_click="ignore", key=key, disabled=table.empty)


def shown_count(table: pd.DataFrame) -> None:
    if len(table) >= LIMIT:
        st.caption(tr("data.limited", limit=LIMIT))
    else:
        st.caption(trn("data.rows", len(table), count=len(table)))


def main() -> None:
    st.title(tr("data.title"))
    widgets.branch_caption()
    counts = state.get_counts()
    if counts.empty:
        st.info(tr("app.no_data"))
        return
    store = state.store()
    period, segment, validity = filters(counts)
    valid = {"all": None, "valid": True, "invalid": False}[validity]
    suffix = "_".join(x for x in (period, segment) if x) or "all"
    tabs = st.tabs([tr("data.tab_responses"), tr("data.tab_invalid"), tr("data.tab_comments"), tr("data.tab_counts")])
    with tabs[0]:
        responses = localized_responses(store.responses(period, segment, valid, limit=LIMIT, branch=counts.branch))
        shown_count(responses)
        st.dataframe(widgets.safe_table(responses), hide_index=True, width="stretch", placeholder="", key="data.responses")
        st.caption(tr("data.levels_help"))
        download(responses, f"responses_{suffix}.csv", "data.download_responses")
    with tabs[1]:
        invalid = localized_responses(store.responses(period, segment, False, limit=LIMIT, branch=counts.branch))
        if invalid.empty:
            st.success(tr("data.no_invalid"), icon=":material/check_circle:")
        else:
            reasons = invalid[tr("report.col.reason")].value_counts()
            st.markdown(" · ".join(f"{widgets.md_escape(r)}: **{n}**" for r, n in reasons.items()))
            shown_count(invalid)
            st.dataframe(widgets.safe_table(invalid), hide_index=True, width="stretch", placeholder="", key="data.invalid")
            download(invalid, f"invalid_{suffix}.csv", "data.download_invalid")
    with tabs[2]:
        comments = store.comments(period, segment, branch=counts.branch)
        if valid is not None and not comments.empty:
            comments = comments[comments.valid == valid]
        search = st.text_input(tr("data.search"), key="data.search", placeholder=tr("data.search_hint")).strip()
        if search and not comments.empty:
            comments = comments[comments.comment.str.contains(search, case=False, regex=False, na=False)]
        comments = comments.rename(columns={c: tr(f"report.col.{c}") for c in
                                            ("period", "segment", "customer", "respondent_id", "comment", "valid")})
        shown_count(comments)
        st.dataframe(widgets.safe_table(comments), hide_index=True, width="stretch", placeholder="", key="data.comments")
        download(comments, f"comments_{suffix}.csv", "data.download_comments")
    with tabs[3]:
        table = counts_table(counts, period, segment)
        st.dataframe(widgets.safe_table(table), hide_index=True, width="stretch", placeholder="", key="data.counts")
        download(table, f"counts_{suffix}.csv", "data.download_counts")


main()
