"""Every setting, declared once: name and default (the help text is the i18n string
``setting.<name>``) — used by the app, the command line and the README.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DB = "data/csi.duckdb"
DEMO_DB_NAME = "demo.duckdb"  # the demo's own database, beside the user's


@dataclass(frozen=True)
class Setting:
    """A setting's name and default; its help text is the string ``setting.<name>``."""

    name: str
    default: object


SETTINGS: tuple[Setting, ...] = (
    Setting("segment_weights", None),
    Setting("item_weights", None),
    Setting("scale", "default"),
    Setting("min_answered_share", 0.5),
    Setting("response_rate_target", 95.0),
    Setting("valid_rate_target", 95.0),
    Setting("max_upload_mb", 300),
    Setting("complaint_due_days", 30),
    Setting("session_idle_minutes", 30),
)
SETTING_BY_NAME = {s.name: s for s in SETTINGS}


def default(name: str):
    """The default value of a setting."""
    return SETTING_BY_NAME[name].default


def rate_target(name: str, stored=None) -> float:
    """A rate target (``response_rate_target``, ``valid_rate_target``) in percent, the one
    unit it is declared and stored in; the default when ``stored`` is not a number from 0
    to 100.

    Examples
    --------
    >>> rate_target("response_rate_target", "90"), rate_target("valid_rate_target", None)
    (90.0, 95.0)
    """
    try:
        value = float(stored)
    except (TypeError, ValueError):
        return float(default(name))
    return value if 0 <= value <= 100 else float(default(name))


def db_path() -> str:
    """The user's database file: ``CSI_DB`` or ``data/csi.duckdb``. Uploads land here only."""
    return os.environ.get("CSI_DB", DEFAULT_DB)


def demo_db_path(path: str | None = None) -> str:
    """The demo's database: ``demo.duckdb`` in the folder of the user's database (a named
    in-memory database beside ``:memory:``), never the user's file itself.

    Examples
    --------
    >>> demo_db_path("data/csi.duckdb"), demo_db_path(":memory:"), demo_db_path("x/demo.duckdb")
    ('data/demo.duckdb', ':memory:demo', 'x/demo-demo.duckdb')
    """
    path = path or db_path()
    if path.startswith(":memory:"):
        return ":memory:demo"
    folder, _, name = path.replace("\\", "/").rpartition("/")
    own = DEMO_DB_NAME if name != DEMO_DB_NAME else "demo-" + DEMO_DB_NAME
    return f"{folder}/{own}" if folder else own
