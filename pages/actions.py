"""纠正措施 Corrective actions: what the action rules flag in the chosen period (items
≤ 70 % per segment and per customer, CSI < 80 overall and per customer) with score,
grade and trend; the action log edited in place and kept in the database; and for
actions of earlier periods, the next period's score beside the one that raised them.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from csi_core.method import actions
from csi_core.store.db import ACTION_STATUSES
from ui import state, widgets
from ui.state import lang, tr, trn

EDITOR = "actions.editor"  # + version: a new key after each save resets the editor's edits
SHOWN = "actions.shown"  # the log exactly as handed to the editor, for its callback
FEEDBACK = "actions.feedback"  # (kind, text) shown once after a save
SCOPES = ("period", "open", "all")
VERDICT_COLORS = {"improved": "#1a7f37", "resolved": "#1a7f37", "not_improved": "#c92a2a", "not_measured": "#b7791f",
                  "pending": "#8a94a3"}


def subject(row) -> str:
    """What a flag or an action is about, in words: "题目 · 工商业户 · 维修及时"."""
    parts = [tr(f"actions.kind.{row['kind']}")] if row.get("kind") in actions.KINDS else [str(row.get("kind") or "")]
    parts += [str(row[k]) for k in ("segment", "customer", "item") if isinstance(row.get(k), str) and row.get(k)]
    return " · ".join(parts)


def _clean(values) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else round(v, 1) for v in values]


def flags_table(table: pd.DataFrame) -> pd.DataFrame:
    """The flags as shown: subject, score (% or CSI), grade, previous, change, trend, action status."""
    rows = []
    for f in table.to_dict("records"):
        unit = " %" if actions.is_percent(f["kind"]) else ""
        rows.append({
            tr("report.col.subject"): subject(f),
            tr("report.col.value"): widgets.fmt(f["value"], suffix=unit),
            tr("report.col.grade"): tr(f"grade.{f['grade']}"),
            tr("report.col.previous"): widgets.fmt(f["previous"], suffix=unit),
            tr("report.col.change"): widgets.fmt_delta(f["change"]),
            tr("report.col.trend"): _clean(f["trend"]),
            tr("report.col.status"): tr(f"actions.status.{f['status']}") if f["status"] in ACTION_STATUSES
            else tr("actions.none_yet"),
            "segment": f["segment"], "customer": f["customer"], "item": f["item"], "kind": f["kind"],
        })
    return pd.DataFrame(rows)


def show_flags(table: pd.DataFrame, kinds: tuple[str, ...], empty: str, key: str) -> None:
    part = table[table.kind.isin(kinds)] if len(table) else table
    if part.empty:
        st.success(empty, icon=":material/check_circle:")
        return
    shown = widgets.safe_table(flags_table(part))
    st.dataframe(shown, hide_index=True, width="stretch", placeholder="", key=key,
                 column_order=[c for c in shown.columns if c not in ("segment", "customer", "item", "kind")],
                 column_config={tr("report.col.trend"): st.column_config.LineChartColumn(
                     tr("report.col.trend"), width="small", y_min=None, y_max=None)})


def guarded_callback(func):
    """A widget callback runs before the page (outside app.py's guard): a bug in it
    becomes the page's friendly message, never a traceback."""
    def wrapper(*args):
        try:
            func(*args)
        except Exception as exc:  # noqa: BLE001
            widgets.log.error("action log callback failed", exc_info=exc)
            st.session_state[FEEDBACK] = ("error", tr("actions.save_failed", detail=f"{type(exc).__name__}: {exc}"))
            _reset_editor()
    return wrapper


@guarded_callback
def create_missing(flags: list[actions.Flag]) -> None:
    """Callback of "create actions for all flags without one"."""
    store = state.store()
    new = actions.missing_actions(flags, store.actions())
    store.save_actions(new, who="app")
    st.session_state[FEEDBACK] = ("success", tr("actions.created", count=len(new)))
    _reset_editor()


def _reset_editor() -> None:
    st.session_state["actions.editor_version"] = st.session_state.get("actions.editor_version", 0) + 1


@guarded_callback
def apply_edits(editor_key: str) -> None:
    """Callback of the action log editor: validate the edits, save them, report problems."""
    edits = st.session_state.get(editor_key) or {}
    shown = st.session_state.get(SHOWN)
    if shown is None:
        return
    save, delete, problems = actions.log_changes(shown, edits.get("edited_rows", {}), edits.get("deleted_rows", []))
    store = state.store()
    store.save_actions(save, who="app")
    for action_id in delete:
        store.delete_action(action_id, who="app")
    if problems:
        st.session_state[FEEDBACK] = ("error", "\n".join(p.message(lang()) for p in problems))
    elif save or delete:
        st.session_state[FEEDBACK] = ("success", tr("actions.saved", count=len(save), deleted=len(delete)))
    _reset_editor()


def log_view(log: pd.DataFrame, scope: str, period: str) -> pd.DataFrame:
    if log.empty:
        return log
    if scope == "period":
        log = log[log.period == period]
    elif scope == "open":
        log = log[~log.status.fillna("open").isin(["done", "verified"])]
    return log.reset_index(drop=True)


def show_log(log: pd.DataFrame, period: str) -> None:
    st.subheader(tr("actions.log_title"))
    scope = st.segmented_control(tr("actions.scope"), SCOPES, default="period", key="actions.scope",
                                 format_func=lambda s: tr(f"actions.scope.{s}", period=period)) or "period"
    view = log_view(log, scope, period)
    if view.empty:
        st.caption(tr("actions.log_empty"))
        return
    shown = view[["id", "period", "kind", "segment", "customer", "item", "score", "cause", "measure", "owner",
                  "due", "status"]].copy()
    shown["due"] = pd.to_datetime(shown["due"], errors="coerce").dt.date
    shown["subject"] = [subject(r) for r in shown.to_dict("records")]
    shown["raised"] = [actions.shown(k, v) for k, v in zip(shown.kind, shown.score)]
    shown["status"] = shown.status.where(shown.status.isin(ACTION_STATUSES), "open")
    for column in ("cause", "measure", "owner"):
        shown[column] = shown[column].fillna("")
    st.session_state[SHOWN] = shown
    key = f"{EDITOR}.{st.session_state.get('actions.editor_version', 0)}"
    text = st.column_config.TextColumn
    st.data_editor(
        shown, key=key, hide_index=True, width="stretch", placeholder="", num_rows="delete",
        on_change=apply_edits, args=(key,),
        column_order=["period", "subject", "raised", "cause", "measure", "owner", "due", "status"],
        disabled=["id", "period", "subject", "raised", "kind", "segment", "customer", "item", "score"],
        column_config={
            "period": text(tr("report.col.period"), width="small"),
            "subject": text(tr("report.col.subject"), width="large"),
            "raised": st.column_config.NumberColumn(tr("report.col.raised"), format="%.1f", width="small"),
            "cause": text(tr("report.col.cause"), max_chars=2000),
            "measure": text(tr("report.col.measure"), max_chars=2000),
            "owner": text(tr("report.col.owner"), max_chars=200, width="small"),
            "due": st.column_config.DateColumn(tr("report.col.due"), format="YYYY-MM-DD", width="small",
                                               min_value=actions.DUE_RANGE[0], max_value=actions.DUE_RANGE[1]),
            "status": st.column_config.SelectboxColumn(
                tr("report.col.status"), options=list(ACTION_STATUSES), required=True, width="small",
                format_func=lambda s: tr(f"actions.status.{s}")),
        })
    st.caption(tr("actions.log_help"))


def show_verification(log: pd.DataFrame, scores: actions.PeriodScores, period: str) -> None:
    st.subheader(tr("actions.verify_title"))
    st.caption(tr("actions.verify_help"))
    checked = actions.verify_actions(log, scores, before=period)
    if checked.empty:
        st.caption(tr("actions.verify_empty"))
        return
    counts = checked.verdict.value_counts()
    cols = st.columns(len(actions.VERDICTS))
    for col, verdict in zip(cols, actions.VERDICTS):
        col.metric(tr(f"actions.verdict.{verdict}"), int(counts.get(verdict, 0)))
    rows = []
    for v in checked.to_dict("records"):
        unit = " %" if actions.is_percent(v["kind"]) else ""
        rows.append({tr("report.col.period"): v["period"], tr("report.col.subject"): subject(v),
                     tr("report.col.owner"): v["owner"],
                     tr("report.col.status"): tr(f"actions.status.{v['status']}") if v["status"] in ACTION_STATUSES
                     else "", tr("report.col.raised"): widgets.fmt(v["raised"], suffix=unit),
                     tr("report.col.next_period"): v["next_period"] or "—",
                     tr("report.col.later"): widgets.fmt(v["later"], suffix=unit),
                     tr("report.col.change"): widgets.fmt_delta(v["change"]),
                     tr("report.col.verdict"): tr(f"actions.verdict.{v['verdict']}"), "_verdict": v["verdict"]})
    table = widgets.safe_table(pd.DataFrame(rows))
    verdict_col = tr("report.col.verdict")
    colors = table.pop("_verdict").map(VERDICT_COLORS)
    styled = table.style.apply(lambda _: [f"color: {c}; font-weight: 700" for c in colors], subset=[verdict_col])
    st.dataframe(styled, hide_index=True, width="stretch", placeholder="", key="actions.verification")


def main() -> None:
    counts = state.get_counts()
    period = state.current_period(counts)
    if period is None:
        st.title(tr("app.page.actions"))
        st.info(tr("app.no_data"))
        return
    st.title(tr("actions.title", period=period))
    st.caption(tr("actions.intro"))
    feedback = st.session_state.pop(FEEDBACK, None)
    if feedback:
        (st.success if feedback[0] == "success" else st.error)(widgets.md_escape(feedback[1]))
    res = state.results(counts=counts)
    p = res.period_index(period)
    scores = actions.PeriodScores(counts, res)
    flags = actions.flags(res, p, scores.customers(p))
    store = state.store()
    log = store.actions()
    table = actions.flag_table(flags, scores, p, log)
    missing = actions.missing_actions(flags, log)
    a, b, c, d = st.columns(4)
    a.metric(tr("actions.m_items"), int(table.kind.eq("item").sum()) if len(table) else 0)
    b.metric(tr("actions.m_customer_items"), int(table.kind.eq("customer_item").sum()) if len(table) else 0)
    c.metric(tr("actions.m_csi"), int(table.kind.isin(["overall", "customer"]).sum()) if len(table) else 0)
    d.metric(tr("actions.m_missing"), len(missing))
    if missing and st.button(trn("actions.create_missing", len(missing), count=len(missing)), type="primary",
                             icon=":material/playlist_add:", key="actions.create"):
        with st.spinner(trn("actions.creating", len(missing), count=len(missing))):
            create_missing(flags)  # no Streamlit call inside: a click meanwhile cannot cut it short
        st.rerun()
    tabs = st.tabs([tr("actions.tab_items"), tr("actions.tab_csi"), tr("actions.tab_customer_items")])
    with tabs[0]:
        st.caption(tr("report.rule_items"))
        show_flags(table, ("item",), tr("actions.none_items"), "actions.flags_items")
    with tabs[1]:
        st.caption(tr("report.rule_csi"))
        show_flags(table, ("overall", "customer"), tr("actions.none_csi"), "actions.flags_csi")
    with tabs[2]:
        show_flags(table, ("customer_item",), tr("actions.none_customer_items"), "actions.flags_customer_items")
    show_log(store.actions(), period)
    show_verification(store.actions(), scores, period)


main()
