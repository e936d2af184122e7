"""The 年度考核 Annual assessment tab of the 投诉 page (第二十八、二十九条): a year, the
table per department and branch, the entries of the year, a form to add one and a way to
delete one. The rule is :mod:`csi_core.method.assessment`; this only lays it out."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from csi_core import i18n
from csi_core.method import assessment as am
from csi_core.outputs import assessment_view as view
from csi_core.store.access import PermissionDenied
from ui import auth, state, widgets
from ui.state import lang, tr

FEEDBACK = "assessment.feedback"  # (kind, text) shown once after the rerun


def kind_name(kind: str, language: str | None = None) -> str:
    return i18n.t(f"assessment.kind.{kind}", language or lang())


def _form(year: int, known: list[str]) -> None:
    """Add one entry; a refused entry is said in the user's language and nothing is stored."""
    with st.form("assessment.new", clear_on_submit=False):
        st.markdown(f"**{tr('assessment.form_title', year=year)}**")
        a, b, c = st.columns([2, 2, 1])
        unit = a.text_input(tr("assessment.unit"), key="assessment.new.unit", max_chars=200,
                            help=tr("assessment.units_known", units=i18n.join(known, lang())) if known else None)
        kind = b.selectbox(tr("assessment.kind"), am.KINDS, key="assessment.new.kind",
                           format_func=lambda k, language=lang(): kind_name(k, language))
        value = c.text_input(tr("assessment.points"), key="assessment.new.points", help=tr("assessment.points_help"),
                             max_chars=20)
        note = st.text_input(tr("assessment.note"), key="assessment.new.note", max_chars=1000)
        if not st.form_submit_button(tr("assessment.save"), type="primary", icon=":material/save:",
                                     key="assessment.new.save"):
            return
    entry, problems = am.check_entry(year, unit, kind, value, note)
    if problems:
        st.error("\n".join([tr("assessment.refused")] + [
            f"- {widgets.md_escape(tr(f'assessment.problem.{p}', value=str(value).strip()))}" for p in problems]))
        return
    try:
        new_id = state.store().add_assessment_entry(entry, who=auth.actor())
    except PermissionDenied as exc:
        st.error(exc.message(lang()))
        return
    st.session_state[FEEDBACK] = ("success", tr("assessment.saved", id=new_id, unit=entry["unit"],
                                                kind=kind_name(kind)))
    for key in ("assessment.new.unit", "assessment.new.points", "assessment.new.note"):
        st.session_state.pop(key, None)
    st.rerun()


def _entries(year: int, entries: pd.DataFrame, editor: bool) -> None:
    st.markdown(f"**{tr('assessment.entries', year=year)}**")
    if entries.empty:
        st.caption(tr("assessment.entries_empty", year=year))
        return
    st.dataframe(widgets.safe_table(view.entries_display(entries, lang())), hide_index=True,
                 key="assessment.entries")
    if not editor:
        return
    records = {int(e["id"]): e for e in entries.to_dict("records")}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    language = lang()  # bound: AppTest formats the options after the run, outside the session
    chosen = left.selectbox(tr("assessment.delete_pick"), list(reversed(records)), key="assessment.delete_pick",
                            format_func=lambda i: f"#{i} · {records[i]['unit']} · "
                                                  f"{kind_name(records[i]['kind'], language)}")
    if right.button(tr("assessment.delete"), icon=":material/delete:", key="assessment.delete") and chosen:
        try:
            state.store().delete_assessment_entry(chosen, who=auth.actor())
        except PermissionDenied as exc:
            st.error(exc.message(lang()))
            return
        st.session_state[FEEDBACK] = ("success", tr("assessment.deleted", id=chosen))
        st.rerun()


def section(complaints: pd.DataFrame) -> None:
    """The tab: choose a year, see each unit's aspects and points, record entries."""
    st.subheader(tr("assessment.title"))
    st.caption(tr("assessment.intro"))
    kind, text = st.session_state.pop(FEEDBACK, (None, None))
    if kind:
        getattr(st, kind)(text)
    store = state.store()
    every = store.assessment_entries()
    choices = am.years(complaints, every, dt.date.today())
    year = st.selectbox(tr("assessment.year"), choices, key="assessment.year")
    table = am.assessment(complaints, every, year)
    if table.empty:
        st.info(tr("assessment.empty", year=year))
    else:
        st.dataframe(widgets.safe_table(view.display(table, lang())), hide_index=True, key="assessment.table")
        st.caption(view.rule_text(lang()))
        st.caption(tr("assessment.rating_note"))
    editor = auth.may("assessment")  # a viewer reads; the store refuses a write anyway
    _entries(year, every[every.year == year] if len(every) else every, editor)
    if editor:
        _form(year, am.units(complaints, every))
    else:
        st.caption(tr("assessment.read_only"))
