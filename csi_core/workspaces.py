"""The two workspaces: the user's data and the demo, each in a database of its own.

The user's database (``settings.db_path()``, ``CSI_DB``) holds only what the user
imported and set; the demo lives in ``settings.demo_db_path()`` (``demo.duckdb`` beside
it) with its own periods, segments, company weights, actions and scenarios. Nothing
crosses between the two: an import always goes to the user's database.

The demo is built once, behind the first page: :class:`DemoLoader` fills an empty demo
database in a thread of its own (about a second) while the app already answers.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from csi_core.store.db import Store

log = logging.getLogger("csi.demo")

DATA, DEMO = "data", "demo"
# The demo utility's segment weights (market shares), stored in the demo's database only.
DEMO_SEGMENT_WEIGHTS = {"民用户": 60, "工商业户": 30, "公福用户": 10}
DEMO_HIDDEN = "demo_hidden"  # a setting of the user's database: the user removed the demo from view


def install_demo(store: Store) -> str:
    """Import the demo workbook and the demo's segment weights into ``store`` (meant to be
    the demo's own database); ``""`` on success, else why it failed (never raises)."""
    from csi_core.demo import demo_bytes
    from csi_core.store.ingest import ingest

    try:
        outcome = ingest(store, demo_bytes(), "demo.xlsx", who="demo")
    except Exception as exc:  # noqa: BLE001 — the app must still start, without the demo
        log.exception("demo import failed")
        return str(exc) or type(exc).__name__
    if not outcome.ok:
        lines = outcome.messages("en")
        return f"{lines[0] if lines else 'refused'} (+{max(len(lines) - 1, 0)})"
    present = set(store.counts().segments)
    chosen = {s: w for s, w in DEMO_SEGMENT_WEIGHTS.items() if s in present}
    if chosen and store.get_setting("segment_weights") is None:
        store.set_setting("segment_weights", chosen, who="demo")
    return ""


class DemoLoader:
    """The demo's database, opened (and filled when empty) in a thread of its own.

    ``start()`` is cheap and idempotent; ``store`` is ``None`` until ``ready``;
    ``error`` says why the demo could not be made.
    """

    def __init__(self, path: str):
        self.path = path
        self.store: Store | None = None
        self.error = ""
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self.store is not None

    @property
    def loading(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> "DemoLoader":
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._load, name="csi-demo", daemon=True)
                self._thread.start()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the loader (started if need be); True when the demo is ready."""
        self.start()._thread.join(timeout)
        return self.ready

    def _load(self) -> None:
        store = None
        try:
            if not self.path.startswith(":memory:"):
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            store = Store.open(self.path)
            if store.is_empty():
                self.error = install_demo(store)
            if not self.error:
                self.store = store
        except Exception as exc:  # noqa: BLE001 — a locked or broken demo file: the app runs without it
            log.exception("demo database failed")
            self.error = str(exc) or type(exc).__name__
        if self.store is None and store is not None:
            store.close()

    def close(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self.store is not None:
            self.store.close()
            self.store = None
