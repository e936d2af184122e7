"""Parts of the upload page about what a file brings besides our answers: competitor
questionnaires (never in our scores) and branches (what an import adds or replaces per
period, and which branches each stored period holds)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from csi_core import i18n
from csi_core.method import competitors
from csi_core.outputs import branches as branch_view
from ui import state, widgets
from ui.state import lang, tr


def competitor_lines(parsed) -> None:
    """The competitor questionnaires of the file: never in our scores; fewer than the
    procedure's minimum per period and competitor is said."""
    found = competitors.tally(parsed.period, parsed.competitor, parsed.valid)
    if not found:
        return
    listed = [tr("upload.competitor_count", period=p, name=c, n=n) for p, c, n in found]
    st.markdown(f"**{tr('upload.competitors')}** ({len(found)}): " + widgets.md_escape(i18n.join(listed, lang())))
    st.caption(tr("upload.competitors_help"))
    for p, c, n in found:
        if n < competitors.MIN_QUESTIONNAIRES:
            st.warning(widgets.md_escape(tr("competitors.few", name=c, period=p, n=n,
                                            minimum=competitors.MIN_QUESTIONNAIRES)), icon=":material/warning:")


def names_text(names) -> str:
    """Branch names for a table cell, headquarters by its name; a dash for none."""
    return i18n.join([state.branch_label(b) for b in names], lang()) if len(names) else "—"


def branch_plan_section(store, parsed) -> None:
    """Per period of the file: the branches it brings, those stored, what the import does;
    shown when the file or the stored data name a branch."""
    plan = branch_view.import_plan(store.branch_plan(parsed))
    named = any(b for names in plan.brings for b in names) or len(state.branches(store)) > 1
    if plan.empty or not named:
        return
    st.markdown(f"**{tr('upload.branches_title')}**")
    widgets.wrapped_table(pd.DataFrame({
        widgets.column_label("period"): plan.period,
        tr("upload.branches_brings"): [names_text(b) for b in plan.brings],
        tr("upload.branches_stored"): [names_text(b) for b in plan.stored],
        tr("upload.branches_action"): [tr(f"upload.branch_action.{a}", branches=names_text(r))
                                       for a, r in zip(plan.action, plan.replaced)]}))


def branch_coverage(store) -> None:
    """Per stored period: the branches in it and those missing (seen in another period)."""
    table = branch_view.coverage(store.branches())
    if table.empty or len(state.branches(store)) < 2:
        return
    st.markdown(f"**{tr('upload.coverage_title')}**")
    widgets.wrapped_table(pd.DataFrame({
        widgets.column_label("period"): table.period,
        tr("upload.coverage_in"): [names_text(b) for b in table.present],
        tr("upload.coverage_missing"): [names_text(b) for b in table.missing]}))
    st.caption(tr("upload.coverage_help"))
