"""Uploads leave the server's memory when their session ends (README "Hostile files").

A closed tab's session is kept by Streamlit for a reconnect (two minutes), with its
``session_state`` (the held upload, its validation report) and the uploader's own copy
of the file. An expired session is then dropped without being shut down, and its
uploaded files stay in Streamlit's file manager for good. So a sweeper thread, started
once per server, shuts down every session that has been disconnected for longer than a
grace period (its uploads, state and caches go with it) and removes the uploaded files
of sessions that no longer exist. This uses Streamlit's runtime objects; every access
is guarded, so a Streamlit without them only loses the sweep, never the page.
"""
from __future__ import annotations

import ctypes
import gc
import logging
import os
import threading
import time

log = logging.getLogger(__name__)

GRACE_SECONDS = float(os.environ.get("CSI_SESSION_GRACE_SECONDS", 30))  # a shorter blip keeps the session
INTERVAL_SECONDS = float(os.environ.get("CSI_SESSION_SWEEP_SECONDS", 10))

_seen_closed: dict[str, float] = {}
_started = threading.Event()


def _runtime():
    try:
        from streamlit.runtime import Runtime

        return Runtime.instance() if Runtime.exists() else None
    except Exception:  # noqa: BLE001 — no runtime (bare mode, tests)
        return None


def sweep(runtime=None, now: float | None = None, grace: float = GRACE_SECONDS) -> list[str]:
    """One sweep; returns the ids of the sessions shut down."""
    runtime = runtime or _runtime()
    if runtime is None:
        return []
    manager = getattr(runtime, "_session_mgr", None)  # noqa: SLF001 — no public API for this
    if manager is None:  # not a server's runtime (AppTest's stand-in)
        return []
    now = time.monotonic() if now is None else now
    active = {info.session.id for info in manager.list_active_sessions()}
    stored = {info.session.id for info in manager.list_sessions()} - active

    closed = []
    for session_id in stored:
        since = _seen_closed.setdefault(session_id, now)
        if now - since >= grace:
            _close(runtime, manager, session_id)  # shutdown(): its uploaded files and state go
            closed.append(session_id)
    for session_id in [s for s in _seen_closed if s not in stored or s in closed]:
        _seen_closed.pop(session_id, None)
    files = getattr(runtime, "uploaded_file_mgr", None)
    storage = getattr(files, "file_storage", None)
    if storage is not None:
        for session_id in [s for s in list(storage) if s not in active and s not in stored]:
            files.remove_session_files(session_id)  # a session dropped without a shutdown
    cache = getattr(getattr(manager, "_session_storage", None), "_cache", None)
    if hasattr(cache, "expire"):
        cache.expire()  # expired sessions are otherwise only dropped on the next write
    return closed


def _close(runtime, manager, session_id: str) -> None:
    """Close a session on the runtime's event loop (Streamlit: "must be called on the
    eventloop thread"; directly where there is no loop: tests), then empty its state:
    Streamlit's runtime loop can keep the last session it served referenced for a while,
    and with it every value of its state."""
    info = manager.get_session_info(session_id) if hasattr(manager, "get_session_info") else None
    state = getattr(getattr(info, "session", None), "_session_state", None)

    def close() -> None:
        (getattr(runtime, "close_session", None) or manager.close_session)(session_id)
        if state is not None and hasattr(state, "clear"):
            state.clear()

    loop = getattr(getattr(runtime, "_async_objs", None), "eventloop", None)
    if loop is not None and loop.is_running():
        loop.call_soon_threadsafe(close)
    else:
        manager.close_session(session_id)
        if state is not None and hasattr(state, "clear"):
            state.clear()


def release_memory() -> None:
    """Collect the closed sessions' reference cycles now, and hand the freed memory back
    to the system (glibc keeps freed heap pages otherwise; the process's size would not
    go down)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _loop(interval: float, grace: float) -> None:
    pending = False
    told = False
    while True:
        time.sleep(interval)
        try:
            if pending:  # the sessions were closed on the event loop since the last sweep
                release_memory()
            closed = sweep(grace=grace)
            pending = bool(closed)
            if closed:
                log.info("released %d closed session(s) and their uploads", len(closed))
        except Exception:  # noqa: BLE001 — the sweep must never take the server down
            # the traceback once: formatting one parses source (Python 3.11's carets),
            # and a parse in this thread beside a page's parse can fail that page
            # ("AST constructor recursion depth mismatch", fixed in CPython 3.11.8)
            log.warning("session sweep failed", exc_info=not told)
            told = True


def start(interval: float = INTERVAL_SECONDS, grace: float = GRACE_SECONDS) -> None:
    """Start the sweeper once per server process."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_loop, args=(interval, grace), name="csi-session-sweeper", daemon=True).start()
