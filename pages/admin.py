"""管理 Admin: users and their roles, the audit trail with filters, a backup of the whole
database to download, and the sign-in idle time. Only admins see this page; the store
refuses these changes to anyone else anyway."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from csi_core.outputs import csv_export
from csi_core.store import backup
from csi_core.store.access import ROLES
from csi_core.store.audit import AUDIT_KINDS
from csi_core.store.db import UserError
from ui import auth, state, widgets
from ui.state import lang, tr

MSG = "admin.msg"


@widgets.guarded_callback
def _save_user() -> None:
    name = (st.session_state.get("admin.user_name") or "").strip()
    password = st.session_state.get("admin.user_password") or None
    try:
        state.store().add_user(name, st.session_state.get("admin.user_role", "viewer"), password, who=auth.actor())
    except UserError as exc:
        st.session_state[MSG] = ("error", tr(f"cli.{exc.code}", **exc.params))
        return
    st.session_state[MSG] = ("success", tr("admin.user_saved", name=widgets.md_escape(name)))
    st.session_state["admin.user_password"] = ""


@widgets.guarded_callback
def _remove_user(name: str) -> None:
    st.session_state.pop("admin.remove_pending", None)
    try:
        state.store().remove_user(name, who=auth.actor())
    except UserError as exc:
        st.session_state[MSG] = ("error", tr(f"cli.{exc.code}", **exc.params))
        return
    st.session_state[MSG] = ("success", tr("admin.user_removed", name=widgets.md_escape(name)))


def users_section() -> None:
    store = state.store()
    st.subheader(tr("admin.users"))
    table = store.users()
    if table.empty:
        st.caption(tr("admin.no_users"))
    else:
        shown = table.assign(role=table.role.map(lambda r: tr(f"role.{r}")))
        st.dataframe(widgets.safe_table(shown.rename(columns=lambda c: tr(f"admin.col.{c}"))), hide_index=True,
                     width="stretch")
    with st.form("admin.user_form", border=True):
        a, b, c = st.columns(3)
        a.text_input(tr("auth.name"), key="admin.user_name", max_chars=200)
        b.selectbox(tr("admin.role"), ROLES, key="admin.user_role", format_func=lambda r: tr(f"role.{r}"))
        c.text_input(tr("auth.password"), type="password", key="admin.user_password", help=tr("admin.password_help"))
        st.form_submit_button(tr("admin.save_user"), on_click=_save_user, icon=":material/person_add:")
    if not table.empty:
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        name = left.selectbox(tr("admin.remove_pick"), table.name.tolist(), key="admin.remove_pick")
        if st.session_state.get("admin.remove_pending") == name:
            st.warning(tr("admin.confirm_remove", name=widgets.md_escape(name)))
            yes, no, _ = st.columns([1, 1, 3])
            yes.button(tr("admin.remove_yes"), type="primary", on_click=_remove_user, args=(name,),
                       key="admin.remove_yes")
            no.button(tr("weights.cancel"), key="admin.remove_no",
                      on_click=lambda: st.session_state.pop("admin.remove_pending", None))
        else:
            right.button(tr("admin.remove"), icon=":material/person_remove:", key="admin.remove",
                         on_click=lambda: st.session_state.update({"admin.remove_pending": name}))


def audit_section() -> None:
    store = state.store()
    st.subheader(tr("admin.audit"))
    a, b, c, d = st.columns(4)
    who = a.selectbox(tr("admin.audit_who"), ["", *store.audit_people()], key="admin.audit_who",
                      format_func=lambda w: w or tr("admin.everyone"))
    what = b.selectbox(tr("admin.audit_what"), ["", *AUDIT_KINDS], key="admin.audit_what",
                       format_func=lambda w: tr(f"audit.{w}") if w else tr("admin.everything"))
    today = dt.date.today()
    days = c.date_input(tr("admin.audit_days"), (today - dt.timedelta(days=90), today), key="admin.audit_days",
                        format="YYYY-MM-DD")
    text = d.text_input(tr("admin.audit_text"), key="admin.audit_text", max_chars=200)
    since = until = None
    if isinstance(days, (tuple, list)) and days:
        since = dt.datetime.combine(days[0], dt.time())
        until = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time())
    log = store.audit(limit=5000, who=who or None, what=what or None, since=since, until=until, text=text or None,
                      reader=auth.actor())
    if log.empty:
        st.caption(tr("admin.audit_empty"))
        return
    log = log.assign(what=log.what.map(lambda w: tr(f"audit.{w}") if w in AUDIT_KINDS else w))
    shown = log.rename(columns=lambda col: tr(f"admin.col.{col}"))
    st.dataframe(widgets.safe_table(shown), hide_index=True, width="stretch",
                 column_config={tr("admin.col.ts"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")})
    st.download_button(tr("data.download_csv"), csv_export.csv_bytes(shown), file_name="audit.csv", mime="text/csv",
                       on_click="ignore", icon=":material/download:", key="admin.audit_csv")


def backup_section() -> None:
    st.subheader(tr("admin.backup"))
    st.caption(tr("admin.backup_help"))
    who, main = auth.actor(), state.get_store()

    def make() -> bytes:  # runs on a thread of its own when clicked: its own cursor, the user captured
        cursor = main.cursor()
        try:
            return backup.backup_bytes(cursor, who=who)
        finally:
            cursor.close()

    st.download_button(tr("admin.backup_button"), make, file_name=f"csi-backup-{dt.date.today():%Y%m%d}.zip",
                       mime="application/zip", icon=":material/backup:", key="admin.backup_button", on_click="ignore")


def session_section() -> None:
    st.subheader(tr("admin.session"))
    minutes = int(state.setting("session_idle_minutes"))
    chosen = st.number_input(tr("admin.idle_minutes"), min_value=1, max_value=24 * 60, value=minutes, step=5,
                             key="admin.idle_minutes")
    if chosen != minutes and st.button(tr("admin.save_idle"), key="admin.save_idle"):
        state.store().set_setting("session_idle_minutes", int(chosen), who=auth.actor())
        st.rerun()


def main() -> None:
    st.title(tr("app.page.admin"))
    kind, text = st.session_state.pop(MSG, (None, None))
    if kind:
        getattr(st, kind)(text)
    if not auth.may("users"):
        st.warning(tr("admin.only_admins"), icon=":material/lock:")
        return
    tabs = st.tabs([tr("admin.users"), tr("admin.audit"), tr("admin.backup"), tr("admin.session")])
    with tabs[0]:
        users_section()
    with tabs[1]:
        audit_section()
    with tabs[2]:
        backup_section()
    with tabs[3]:
        session_section()


main()
