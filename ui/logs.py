"""Where the app's log goes: the server's standard error (with Streamlit's own lines), and
also the file named by ``CSI_LOG`` when set. Errors a user sees carry an error id that
is in the log line with the full traceback."""
from __future__ import annotations

import logging
import os

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure() -> None:
    """Once per process: the ``csi`` loggers write to stderr and to ``$CSI_LOG``."""
    root = logging.getLogger("csi")
    if getattr(root, "_csi_configured", False):
        return
    root._csi_configured = True
    root.setLevel(logging.INFO)
    handlers = [logging.StreamHandler()]
    path = os.environ.get("CSI_LOG")
    if path:
        try:
            handlers.append(logging.FileHandler(path, encoding="utf-8"))
        except OSError as exc:  # the app still runs; the problem is in the stderr log
            logging.getLogger("csi.app").warning("cannot write the log file %s: %s", path, exc)
    for handler in handlers:
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
