"""The app side of the dashboard: session state, caching and drawing helpers.

``ui.state`` is the glue between Streamlit and ``csi_core`` (the store, the count arrays,
the language, the weights in force); ``ui.widgets`` draws the pieces pages share. Pages
in ``pages/`` only lay out widgets and call these two and ``csi_core``.
"""


def _leave_pages_directory_mode() -> None:
    """Streamlit runs a file of ``pages/`` on its own (its old multipage mode) until the
    process has seen ``st.navigation`` once: a deep link (``/weights``) as the first request
    after a start would show a page without the app around it (no language, no layout).
    Leave that mode for good and rerun through ``app.py``.
    """
    try:
        import streamlit as st
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    except ImportError:  # another Streamlit: nothing to do
        return
    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_pages_directory_mode()
