"""纠正措施 Corrective actions: what the action rules flag in the chosen period (items
≤ 70 % per segment and per customer, CSI < 80 overall and per customer) with score,
grade and trend; the action log edited in place and kept in the database; and for
actions of earlier periods, the next period's score beside the one that raised them.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from csi_core import i18n
from csi_core.i18n.dates import DATE_FORMATS
from csi_core.method import actions, stats
from csi_core.method.actions import ACTION_STATUSES
from csi_core.outputs import formats
from csi_core.outputs.csv_export import defuse, undefused_edits
from csi_core.outputs.report_stats import significance_text
from csi_core import settings
from csi_core.store.access import PermissionDenied
from csi_core.store.faults import fault_message, is_fault
from ui import auth, state, widgets
from ui.state import lang, tr, trn

EDITOR = "actions.editor"  # + part + version: a new key after each save resets the editor's edits
SHOWN = "actions.shown"  # + part: the log exactly as handed to that editor, for its callback
PARTS = ("log", "placeholders")  # the two editors: actions worked on, and placeholders
OPENED = "actions.open_version"  # a new one after an opening clears the ticks and the form
FLAG_TABLES = {"item": "actions.flags_items", "csi": "actions.flags_csi", "customer_item": "actions.flags_customer_items"}
FEEDBACK = "actions.feedback"  # (kind, text) shown once after a save
SCOPES = ("period", "open", "all")
DEFUSED = ("cause", "measure", "owner")  # editable text, shown defused, saved as meant


def subject(row, kinds: dict[str, str] | None = None) -> str:
    """What a flag or an action is about, in words: "题目 · 工商业户 · 维修及时"
    (``kinds``: the kinds' names, when already looked up)."""
    kind = row.get("kind")
    if kind in actions.KINDS:
        parts = [kinds[kind] if kinds else tr(f"actions.kind.{kind}")]
    else:
        parts = [str(kind or "")]
    parts += [str(row[k]) for k in ("segment", "customer", "item") if isinstance(row.get(k), str) and row.get(k)]
    return " · ".join(parts)


def _clean(values) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else round(v, 1) for v in values]


def _fall(found, words: dict) -> str:
    """◆ significant / ○ within noise for a fall; "no fall" otherwise (``words``: the
    texts by verdict, looked up once for thousands of rows: :func:`fall_words`)."""
    if found is None or not found.delta < 0:
        return words["no_fall"]
    return words[found.significant]


def fall_words() -> dict:
    """The texts :func:`_fall` shows: "no fall", and each verdict's as the report says it."""
    return {"no_fall": tr("stats.no_fall"), **{v: significance_text(v, tr) for v in (None, True, False)}}


def shown_flags(view: state.FlagView, table: pd.DataFrame) -> pd.DataFrame:
    """:func:`flags_table` of every flag of ``view``, safe for the table's CSV download:
    made once per language (thousands of rows) and kept with the view; the action
    status of ``table`` (:func:`actions.with_actions`) filled in on each run."""
    made = view.shown.get(lang())
    if made is None:
        made = view.shown[lang()] = widgets.safe_table(flags_table(
            view.flags.table.assign(status=None, significance=list(view.changes))))
    statuses = {s: defuse(tr(f"actions.status.{s}")) for s in ACTION_STATUSES}
    none_yet = defuse(tr("actions.none_yet"))
    return made.assign(**{tr("report.col.status"): [statuses.get(s, none_yet) for s in table.status]})


def significant_only(view: state.FlagView) -> list[bool]:
    """The flags whose fall is significant (the page's filter)."""
    return [stats.is_significant_fall(f) for f in view.changes]


def flags_table(table: pd.DataFrame) -> pd.DataFrame:
    """The flags as shown: subject, score (% or CSI), grade, previous, change, trend, action status."""
    kinds = {k: tr(f"actions.kind.{k}") for k in actions.KINDS}  # looked up once: thousands of rows
    grades = {g: tr(f"grade.{g}") for g in set(table["grade"])}
    statuses = {s: tr(f"actions.status.{s}") for s in ACTION_STATUSES}
    none_yet = tr("actions.none_yet")
    words = fall_words()
    value_col, grade_col, previous_col = tr("report.col.value"), tr("report.col.grade"), tr("report.col.previous")
    subject_col, change_col, trend_col = tr("report.col.subject"), tr("report.col.change"), tr("report.col.trend")
    status_col, fall_col = tr("report.col.status"), tr("stats.fall")
    rows = []
    columns = list(table.columns)  # the rows as dicts, column by column (to_dict is slow on thousands)
    for f in (dict(zip(columns, row)) for row in zip(*(table[c].tolist() for c in columns))):
        unit = " %" if actions.is_percent(f["kind"]) else ""
        rows.append({
            subject_col: subject(f, kinds),
            value_col: widgets.fmt(f["value"], suffix=unit),
            grade_col: grades[f["grade"]],
            previous_col: widgets.fmt(f["previous"], suffix=unit),
            change_col: widgets.fmt_delta(f["change"]),
            trend_col: _clean(f["trend"]),
            status_col: statuses[f["status"]] if f["status"] in ACTION_STATUSES else none_yet,
            fall_col: _fall(f.get("significance"), words),
            "segment": f["segment"], "customer": f["customer"], "item": f["item"], "kind": f["kind"],
        })
    return pd.DataFrame(rows)


def flag_key(which: str) -> str:
    """The key of a flags table: its name and the opening's version (ticks cleared after one)."""
    return f"{FLAG_TABLES[which]}.{st.session_state.get(OPENED, 0)}"


def show_flags(table: pd.DataFrame, shown: pd.DataFrame, kinds: tuple[str, ...], empty: str, which: str) -> list[int]:
    """A flags table (``shown``: ``table`` as text) with a tick box on each row; returns
    the ticked rows (positions in ``table``)."""
    pick = table.kind.isin(kinds).to_numpy() if len(table) else np.zeros(0, dtype=bool)
    part = table[pick]
    if part.empty:
        st.success(empty, icon=":material/check_circle:")
        return []
    shown = shown[pick]
    event = st.dataframe(
        shown, hide_index=True, width="stretch", placeholder="", key=flag_key(which),
        on_select="rerun", selection_mode="multi-row",
        column_order=[c for c in shown.columns if c not in ("segment", "customer", "item", "kind")],
        column_config={tr("report.col.trend"): st.column_config.LineChartColumn(
            tr("report.col.trend"), width="small", y_min=None, y_max=None)})
    return [int(part.index[r]) for r in event.selection.rows if 0 <= r < len(part)]


def guarded_callback(func):
    """A widget callback runs before the page (outside app.py's guard): a bug in it
    becomes the page's friendly message, never a traceback."""
    def wrapper(*args):
        try:
            func(*args)
        except PermissionDenied as exc:  # the role may not edit: said, nothing changed
            st.session_state[FEEDBACK] = ("warning", exc.message(lang()))
            _reset_editor()
        except Exception as exc:  # noqa: BLE001
            widgets.log.error("action log callback failed", exc_info=exc)
            detail = fault_message(exc, lang(), settings.db_path()) if is_fault(exc) else f"{type(exc).__name__}: {exc}"
            st.session_state[FEEDBACK] = ("error", tr("actions.save_failed", detail=detail))
            _reset_editor()
    return wrapper


@guarded_callback
def create_missing(flags: list[actions.Flag], keys=None) -> None:
    """Callback of "create placeholders for all flags without an action"."""
    store = state.store()
    new = actions.missing_actions(flags, store.actions(), keys)
    store.save_actions(new, who=auth.actor())
    st.session_state[FEEDBACK] = ("success", tr("actions.created", count=len(new)))
    _reset_editor()


@guarded_callback
def open_chosen(chosen: list[actions.Flag], form: str) -> None:
    """Callback of the opening form: an action for each ticked flag, with what was typed."""
    fields = {f: st.session_state.get(f"{form}.{f}") for f in ("cause", "measure", "owner", "due")}
    store = state.store()
    new, _ = actions.open_actions_for(chosen, store.actions(), fields)
    store.save_actions(new, who=auth.actor())
    st.session_state[FEEDBACK] = ("success", tr("actions.opened", n=len(new)))
    st.session_state[OPENED] = st.session_state.get(OPENED, 0) + 1
    _reset_editor()


def open_form(rows: list[int], flags: list[actions.Flag], table: pd.DataFrame, log: pd.DataFrame) -> None:
    """Cause, measure, owner and due date for the ticked flags (``rows`` of ``table``, one
    per flag), and the button that opens their actions."""
    st.subheader(tr("actions.open_title"))
    chosen = [flags[k] for k in rows]
    new, had = actions.open_actions_for(chosen, log)
    if not chosen:
        st.caption(tr("actions.open_hint"))
    else:
        names = [subject(r) for r in table.loc[rows].to_dict("records")]
        more = [tr("actions.open_more", n=len(names) - 4)] if len(names) > 4 else []
        st.markdown(widgets.md_escape(tr("actions.open_chosen", n=len(names), subjects=i18n.join(names[:4] + more, lang()))))
        if had:
            st.caption(tr("actions.open_had", n=len(had)))
    form = f"actions.open.{st.session_state.get(OPENED, 0)}"
    with st.form(form, border=True):
        a, b = st.columns(2)
        a.text_area(tr("actions.field.cause"), key=f"{form}.cause", height=80, max_chars=2000)
        b.text_area(tr("actions.field.measure"), key=f"{form}.measure", height=80, max_chars=2000)
        c, d, e = st.columns([2, 1, 1], vertical_alignment="bottom")
        c.text_input(tr("actions.field.owner"), key=f"{form}.owner", max_chars=200)
        d.date_input(tr("actions.field.due"), value=None, key=f"{form}.due", format="YYYY-MM-DD",
                     min_value=actions.DUE_RANGE[0], max_value=actions.DUE_RANGE[1])
        e.form_submit_button(tr("actions.open_button", n=len(new)), type="primary", icon=":material/add_task:",
                             disabled=not new, on_click=open_chosen, args=(chosen, form), width="stretch",
                             key="actions.open_submit")


def _reset_editor() -> None:
    st.session_state["actions.editor_version"] = st.session_state.get("actions.editor_version", 0) + 1


@guarded_callback
def apply_edits(editor_key: str, part: str) -> None:
    """Callback of an action log editor: validate the edits, save them, report problems."""
    edits = st.session_state.get(editor_key) or {}
    shown = st.session_state.get(f"{SHOWN}.{part}")
    if shown is None:
        return
    # the editor shows text defused (its toolbar's CSV download writes no live formula):
    # the store gets the text as meant
    shown, edited = undefused_edits(shown, edits.get("edited_rows", {}), DEFUSED)
    save, delete, problems = actions.log_changes(shown, edited, edits.get("deleted_rows", []))
    store = state.store()
    store.save_actions(save, who=auth.actor())
    for action_id in delete:
        store.delete_action(action_id, who=auth.actor())
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
        log = log[actions.open_mask(log)]
    return log.reset_index(drop=True)


def editor(view: pd.DataFrame, part: str, with_period: bool) -> None:
    """The action log editor, sized for 1280 px wide (no sideways scrolling): the subject
    (with its period when several are shown), cause, measure, owner, due date (in the
    reader's language) and status; the score that raised it is in the flags table."""
    shown = view[["id", "period", "kind", "segment", "customer", "item", "score", "cause", "measure", "owner",
                  "due", "status"]].copy()
    shown["due"] = pd.to_datetime(shown["due"], errors="coerce").dt.date
    shown["subject"] = [defuse((f"{r['period']} · " if with_period else "") + subject(r))
                        for r in shown.to_dict("records")]
    shown["status"] = shown.status.where(shown.status.isin(ACTION_STATUSES), "open")
    for column in DEFUSED:
        shown[column] = shown[column].fillna("").map(defuse)
    st.session_state[f"{SHOWN}.{part}"] = shown
    key = f"{EDITOR}.{part}.{st.session_state.get('actions.editor_version', 0)}"
    text = st.column_config.TextColumn
    st.data_editor(
        shown, key=key, hide_index=True, width="stretch", placeholder="",
        num_rows="delete" if auth.may("actions") else "fixed", on_change=apply_edits, args=(key, part),
        column_order=["subject", "cause", "measure", "owner", "due", "status"],
        disabled=(["id", "period", "subject", "kind", "segment", "customer", "item", "score"]
                  if auth.may("actions") else True),  # a viewer reads; the store refuses edits anyway
        column_config={
            "subject": text(tr("report.col.subject"), width=170),
            "cause": text(tr("report.col.cause"), max_chars=2000, width=125),
            "measure": text(tr("report.col.measure"), max_chars=2000, width=125),
            "owner": text(tr("report.col.owner"), max_chars=200, width=122),
            "due": st.column_config.DateColumn(tr("report.col.due"), format=DATE_FORMATS[lang()], width=118,
                                               min_value=actions.DUE_RANGE[0], max_value=actions.DUE_RANGE[1]),
            "status": st.column_config.SelectboxColumn(
                tr("report.col.status"), options=list(ACTION_STATUSES), required=True, width=86,
                format_func=lambda s: tr(f"actions.status.{s}")),
        })


def show_log(log: pd.DataFrame, period: str) -> None:
    st.subheader(tr("actions.log_title"))
    scope = st.segmented_control(tr("actions.scope"), SCOPES, default="period", key="actions.scope",
                                 format_func=lambda s: tr(f"actions.scope.{s}", period=period)) or "period"
    view = log_view(log, scope, period)
    if view.empty:
        st.caption(tr("actions.log_empty"))
        return
    blank = actions.placeholders(view)
    worked, empty = view[~blank].reset_index(drop=True), view[blank].reset_index(drop=True)
    if worked.empty:
        st.caption(tr("actions.log_none_worked"))
    else:
        editor(worked, "log", scope != "period")
        st.caption(tr("actions.log_help"))
    if not empty.empty:
        with st.expander(tr("actions.placeholders", n=len(empty)), expanded=worked.empty):
            st.caption(tr("actions.placeholders_help"))
            editor(empty, "placeholders", scope != "period")


def show_verification(log: pd.DataFrame, scores: actions.PeriodScores, period: str) -> None:
    st.subheader(tr("actions.verify_title"))
    st.caption(tr("actions.verify_help"))
    blank = actions.placeholders(log)
    checked = actions.verify_actions(log[~blank] if len(log) else log, scores, before=period)
    skipped = len(actions.verify_actions(log[blank], scores, before=period)) if blank.any() else 0
    if skipped:
        st.caption(tr("actions.verify_placeholders", n=skipped))
    if checked.empty:
        st.caption(tr("actions.verify_empty"))
        return
    counts = checked.verdict.value_counts()
    cols = st.columns(len(actions.VERDICTS))
    for col, verdict in zip(cols, actions.VERDICTS):
        col.metric(tr(f"actions.verdict.{verdict}"), int(counts.get(verdict, 0)))
    rows = []
    for v in checked.to_dict("records"):  # the verdict next to the subject: seen without scrolling
        unit = " %" if actions.is_percent(v["kind"]) else ""
        rows.append({tr("report.col.subject"): subject(v),
                     tr("report.col.verdict"): tr(f"actions.verdict.{v['verdict']}"),
                     tr("report.col.raised"): f"{widgets.fmt(v['raised'], suffix=unit)} ({v['period']})",
                     tr("report.col.later"): widgets.fmt(v["later"], suffix=unit) + (
                         f" ({v['next_period']})" if v["next_period"] else ""),
                     tr("report.col.change"): widgets.fmt_delta(v["change"]),
                     tr("report.col.owner"): v["owner"],
                     tr("report.col.status"): tr(f"actions.status.{v['status']}") if v["status"] in ACTION_STATUSES
                     else "", "_verdict": v["verdict"]})
    table = widgets.safe_table(pd.DataFrame(rows))
    verdict_col = tr("report.col.verdict")
    colors = table.pop("_verdict").map(formats.verdict_color)
    styled = table.style.apply(lambda _: [f"color: {c}; font-weight: 700" for c in colors], subset=[verdict_col])
    st.dataframe(styled, hide_index=True, width="stretch", placeholder="", key="actions.verification",
                 column_config={tr("report.col.subject"): st.column_config.TextColumn(width=230)})


def main() -> None:
    counts = state.get_counts()
    period = state.current_period(counts)
    if period is None:
        st.title(tr("app.page.actions"))
        st.info(tr("app.no_data"))
        return
    st.title(tr("actions.title", period=period))
    widgets.branch_caption()
    st.caption(tr("actions.intro"))
    feedback = st.session_state.pop(FEEDBACK, None)
    if feedback:
        {"success": st.success, "warning": st.warning}.get(feedback[0], st.error)(widgets.md_escape(feedback[1]))
    view = state.period_flags(period, counts)  # computed once per period and weights
    scores, found = view.scores, view.flags
    flags = list(found.flags)
    store = state.store()
    log = store.actions()
    st.toggle(tr("stats.only_significant"), key="actions.only_significant", help=tr("stats.only_significant_help"))
    table = actions.with_actions(found.table, found.keys, log, period)
    shown = shown_flags(view, table)
    if st.session_state.get("actions.only_significant") and len(table):
        keep = significant_only(view)
        table, shown = table[keep], shown[keep]
    missing = actions.missing_actions(flags, log, found.keys)
    a, b, c, d = st.columns(4)
    a.metric(tr("actions.m_items"), int(table.kind.eq("item").sum()) if len(table) else 0)
    b.metric(tr("actions.m_customer_items"), int(table.kind.eq("customer_item").sum()) if len(table) else 0)
    c.metric(tr("actions.m_csi"), int(table.kind.isin(["overall", "customer"]).sum()) if len(table) else 0)
    d.metric(tr("actions.m_missing"), len(missing))
    tabs = st.tabs([tr("actions.tab_items"), tr("actions.tab_csi"), tr("actions.tab_customer_items")])
    ticked = []
    with tabs[0]:
        st.caption(tr("report.rule_items"))
        ticked += show_flags(table, shown, ("item",), tr("actions.none_items"), "item")
    with tabs[1]:
        st.caption(tr("report.rule_csi"))
        ticked += show_flags(table, shown, ("overall", "customer"), tr("actions.none_csi"), "csi")
    with tabs[2]:
        ticked += show_flags(table, shown, ("customer_item",), tr("actions.none_customer_items"), "customer_item")
    if flags and auth.may("actions"):
        open_form(sorted(ticked), flags, table, log)
    if missing and auth.may("actions"):
        st.button(tr("actions.create_all", count=len(missing)), icon=":material/playlist_add:", key="actions.create",
                  on_click=create_missing, args=(flags, found.keys), help=tr("actions.create_all_help"))
    log = store.actions()
    show_log(log, period)
    show_verification(log, scores, period)


main()
