"""The CSI dashboard: ``streamlit run app.py``.

Page config, the language switch, the branch and the period pickers (sidebar), the store, and
``st.navigation`` over the files in ``pages/``. A page file that does not exist yet is
left out; an unexpected error on a page becomes a friendly message, never a traceback.
"""
from pathlib import Path

import streamlit as st

from csi_core import i18n
from csi_core.reading.periods import normalize_period
from csi_core.store.db import StoreError
from ui import auth, logs, sessions, state, widgets

HERE = Path(__file__).parent
# (file, title key, icon) in the order of the navigation
PAGES = (
    ("pages/overview.py", "app.page.overview", ":material/dashboard:"),
    ("pages/upload.py", "app.page.upload", ":material/upload_file:"),
    ("pages/weights.py", "app.page.weights", ":material/tune:"),
    ("pages/trends.py", "app.page.trends", ":material/show_chart:"),
    ("pages/actions.py", "app.page.actions", ":material/build:"),
    ("pages/complaints.py", "app.page.complaints", ":material/report:"),
    ("pages/analysis.py", "app.page.analysis", ":material/insights:"),
    ("pages/competitors.py", "app.page.competitors", ":material/compare_arrows:"),
    ("pages/data.py", "app.page.data", ":material/table_view:"),
    ("pages/report.py", "app.page.report", ":material/description:"),
    ("pages/meeting.py", "app.page.meeting", ":material/co_present:"),
    ("pages/admin.py", "app.page.admin", ":material/admin_panel_settings:"),
)
# pages only some roles see (the store refuses their changes to anyone else anyway)
NEEDS = {"pages/upload.py": "upload", "pages/admin.py": "users"}

logs.configure()
st.set_page_config(page_title="CSI", page_icon=":material/monitoring:", layout="wide")


@st.cache_resource(show_spinner=False)
def _server_started() -> bool:
    """Once per server: the sweeper that frees closed sessions' uploads, and a reader
    process made ready for the first upload (README "Hostile files")."""
    import threading

    from csi_core.reading import worker

    sessions.start()
    threading.Thread(target=worker.prestart, name="csi-reader-prestart", daemon=True).start()
    return True


_server_started()
state.init_lang()
widgets.inject_css()


def _language_switch() -> None:
    """中文 / English, kept in ``st.session_state["lang"]`` and ``?lang=`` of the link."""
    def chosen() -> None:
        if st.session_state.get("_lang_switch") in i18n.LANGS:  # None: the chosen one clicked again
            st.session_state[state.LANG_KEY] = st.session_state["_lang_switch"]

    st.session_state["_lang_switch"] = state.lang()
    st.sidebar.segmented_control(
        state.tr("app.language"), list(i18n.LANGS), key="_lang_switch", on_change=chosen,
        format_func=i18n.language_name, width="stretch")
    st.query_params[state.LANG_KEY] = state.lang()


_COMPANY = "\x00company"  # the picker's option for the whole company (no branch name holds a NUL)


def _branch_picker() -> None:
    """分公司 Branch: the whole company, headquarters or one branch, kept in
    ``st.session_state["branch"]``; shown only when the stored data has two or more."""
    names = state.branches()
    if len(names) < 2:
        return

    def picked() -> None:
        value = st.session_state.get("_branch_pick")
        st.session_state[state.BRANCH_KEY] = None if value == _COMPANY else value

    shown = state.current_branch()
    st.session_state["_branch_pick"] = _COMPANY if shown is None else shown
    st.sidebar.selectbox(state.tr("branch.picker"), [_COMPANY, *names], key="_branch_pick", on_change=picked,
                         format_func=lambda b: state.branch_label(None if b == _COMPANY else b))


def _period_picker() -> None:
    counts = state.get_counts()
    if not counts.periods:
        return
    shown_next = st.session_state.pop(state.PERIOD_NEXT_KEY, None)  # set by an import: show what came in
    if shown_next in counts.periods:
        st.session_state[state.PERIOD_KEY] = shown_next
    elif not st.session_state.get("_period_link_read"):  # ?period= of a link, once per session
        st.session_state["_period_link_read"] = True
        asked = st.query_params.get(state.PERIOD_KEY)
        if asked:
            wanted = normalize_period(asked) or asked
            if wanted in counts.periods:
                st.session_state[state.PERIOD_KEY] = wanted
            else:
                st.sidebar.warning(state.tr("app.period_not_stored", period=widgets.md_escape(asked)))
    if st.session_state.get(state.PERIOD_KEY) not in counts.periods:
        st.session_state[state.PERIOD_KEY] = counts.periods[-1]
    st.sidebar.selectbox(state.tr("app.period"), list(reversed(counts.periods)), key=state.PERIOD_KEY)
    st.query_params[state.PERIOD_KEY] = st.session_state[state.PERIOD_KEY]  # a reload or a copied link keeps it


def _pages(who=None) -> list:
    """The pages ``who`` may open (all of them while the database cannot be opened)."""
    return [st.Page(str(HERE / path), title=state.tr(title), icon=icon, default=(n == 0))
            for n, (path, title, icon) in enumerate(PAGES)
            if (HERE / path).exists() and (who is None or path not in NEEDS or who.may(NEEDS[path]))]


_language_switch()
try:
    state.get_store()
except StoreError as exc:  # damaged, locked, unreadable: the cause, what to do; navigation stays
    st.navigation(_pages())
    widgets.show_fault(exc)
    st.stop()
try:
    who = auth.gate()
except Exception as exc:  # noqa: BLE001 — a fault of the file shows as one
    st.navigation(_pages())
    widgets.show_error(exc)
    st.stop()
if who is None:  # the sign-in form is shown; no page until signed in
    st.navigation(_pages()[:1], position="hidden")
    st.stop()
pg = st.navigation(_pages(who))
try:
    _branch_picker()
    _period_picker()
    widgets.workspace_banner()
    widgets.show_callback_error()
    pg.run()
except Exception as exc:  # noqa: BLE001 — st.stop/st.rerun are BaseExceptions and pass
    widgets.show_error(exc)
