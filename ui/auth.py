"""Sign-in for the app: open on this computer while no user exists, otherwise a password
(argon2, checked by the store) or the organisation's single sign-on (``st.login``), a
role per user, and sessions that end after an idle time.

Every page and every callback asks :func:`actor` who is acting; the store's write
functions refuse what the role does not allow (``csi_core.store.access``), so a hidden
button is never the only guard.
"""
from __future__ import annotations

import logging
import time

import streamlit as st

from csi_core import settings
from csi_core.store.access import LOCAL, Actor, role_for_email
from ui import state
from ui.state import tr

log = logging.getLogger("csi.auth")

SESSION = "_auth"  # {"name", "role", "seen", "sso"}
NOBODY = Actor("—", "none")  # no permission at all: not signed in, or the session ended
LOOPBACK = {None, "", "127.0.0.1", "::1", "localhost"}


def sso_roles() -> dict | None:
    """The e-mail → role patterns of ``[csi_roles]`` when ``[auth]`` (OIDC) is configured
    in ``.streamlit/secrets.toml``; None without single sign-on."""
    try:
        if "auth" not in st.secrets:
            return None
        return {k: list(v) if not isinstance(v, str) else [v] for k, v in dict(st.secrets.get("csi_roles", {})).items()}
    except Exception:  # noqa: BLE001 — no secrets file, or an unreadable one: passwords only
        return None


def idle_seconds() -> float:
    try:
        return max(1.0, float(state.setting("session_idle_minutes"))) * 60
    except (TypeError, ValueError):  # a stored value that is not a number
        return float(settings.default("session_idle_minutes")) * 60


def is_local() -> bool:
    """The browser runs on the server's own computer (Streamlit gives no address then)."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 — outside a browser session
        return True
    return not isinstance(address, str) or address in LOOPBACK  # AppTest: no address at all


def actor() -> Actor:
    """Who acts in this session: the signed-in user with the role the store holds now
    (a removed user is nobody at once), :data:`LOCAL` while no user exists and the
    browser is local, else :data:`NOBODY`."""
    store = state.data_store()
    if not store.has_users():
        return LOCAL if is_local() else NOBODY
    held = st.session_state.get(SESSION)
    if not held or time.time() - held["seen"] > idle_seconds():
        return NOBODY
    if held.get("sso"):
        return Actor(held["name"], held["role"])
    role = store.role_of(held["name"])
    return Actor(held["name"], role) if role else NOBODY


def may(permission: str) -> bool:
    return actor().may(permission)


def _begin(name: str, role: str, sso: bool = False) -> None:
    st.session_state[SESSION] = {"name": name, "role": role, "seen": time.time(), "sso": sso}


def sign_out() -> None:
    held = st.session_state.pop(SESSION, None)
    if held and held.get("sso"):
        st.logout()


def _sign_in_form() -> None:
    st.title(tr("auth.title"))
    message = st.session_state.pop("_auth_msg", None)
    if message:
        st.info(message, icon=":material/schedule:")
    roles = sso_roles()
    if roles is not None:
        st.button(tr("auth.sso"), on_click=st.login, icon=":material/login:", key="auth.sso", type="primary")
        st.caption(tr("auth.or_password"))
    with st.form("auth.form", border=True):
        name = st.text_input(tr("auth.name"), key="auth.name", max_chars=200)
        password = st.text_input(tr("auth.password"), type="password", key="auth.password", max_chars=500)
        submitted = st.form_submit_button(tr("auth.sign_in"), type="primary", icon=":material/login:")
    if submitted:
        store = state.data_store()
        user = store.verify(name, password)
        if user is None:
            store.record(LOCAL, "sign_in_failed", (name or "").strip()[:200])
            time.sleep(0.5)  # a slower guess
            st.error(tr("auth.wrong"), icon=":material/lock:")
            return
        store.record(user, "sign_in", user.role)
        _begin(user.name, user.role)
        st.rerun()


def _sso_session(roles: dict) -> bool:
    """A single-sign-on user with a role becomes this session's user."""
    try:
        if not st.user.is_logged_in:
            return False
        email = str(st.user.get("email") or "")
    except Exception:  # noqa: BLE001
        return False
    role = role_for_email(email, roles) or state.data_store().role_of(email)
    if role is None:
        st.error(tr("auth.sso_no_role", email=email), icon=":material/lock:")
        st.button(tr("auth.sign_out"), on_click=st.logout, key="auth.sso_out")
        st.stop()
    state.data_store().record(Actor(email, role), "sign_in", f"{role} (single sign-on)")
    _begin(email, role, sso=True)
    return True


def gate() -> Actor | None:
    """Run before any page: the open-mode note, or the sign-in form until a user is
    signed in (then None: the caller shows no page)."""
    store = state.data_store()
    if not store.has_users():
        if not is_local():
            st.error(tr("auth.open_remote"), icon=":material/lock:")
            return None
        st.sidebar.caption(":material/lock_open: " + tr("auth.open_note"))
        return LOCAL
    held = st.session_state.get(SESSION)
    if held and time.time() - held["seen"] > idle_seconds():
        st.session_state.pop(SESSION, None)
        st.session_state["_auth_msg"] = tr("auth.expired", minutes=round(idle_seconds() / 60))
        held = None
    roles = sso_roles()
    if held is None and not (roles is not None and _sso_session(roles)):
        _sign_in_form()
        return None
    who = actor()
    if who == NOBODY:  # removed meanwhile
        st.session_state.pop(SESSION, None)
        st.rerun()
    st.session_state[SESSION]["seen"] = time.time()
    st.sidebar.caption(tr("auth.signed_in", name=who.name, role=tr(f"role.{who.role}")))
    st.sidebar.button(tr("auth.sign_out"), on_click=sign_out, icon=":material/logout:", key="auth.sign_out")
    return who
