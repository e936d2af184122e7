"""Stored settings (JSON values by name, see :mod:`csi_core.settings`) and named what-if
scenarios."""
from __future__ import annotations

import json
from datetime import datetime

from csi_core import settings as declared
from csi_core.reading.scales import clean_text
from csi_core.store.access import require

WEIGHTS_KEY = "segment_weights"
COMPANY_WEIGHTS = (WEIGHTS_KEY, "item_weights")


def permission_for(key: str) -> str:
    """Company weights and declared settings are the admin's; anything else stored by
    name (the column mapping an upload remembers) goes with uploading."""
    if key in COMPANY_WEIGHTS:
        return "weights"
    return "settings" if key in declared.SETTING_BY_NAME else "upload"


def _text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


class Settings:
    """Store methods on settings and scenarios (mixed into :class:`csi_core.store.db.Store`)."""

    def get_setting(self, key: str, default=None):
        row = self._one("SELECT value FROM settings WHERE key = ?", [key])
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value, who=None) -> None:
        actor = require(who, permission_for(key))
        with self.transaction():
            old = self._one("SELECT value FROM settings WHERE key = ?", [key])
            self.con.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, _text(value)])
            what = "weights" if key in COMPANY_WEIGHTS else "setting"
            self._audit(actor, what, f"{key}: {old[0] if old else '—'} → {_text(value)}")

    def save_scenario(self, name: str, weights: dict, who=None) -> None:
        actor = require(who, "scenarios")
        name = clean_text(name)
        with self.transaction():
            old = self._one("SELECT weights FROM scenarios WHERE name = ?", [name])
            self.con.execute("INSERT OR REPLACE INTO scenarios VALUES (?, ?, ?)",
                             [name, _text(weights), datetime.now()])
            self._audit(actor, "scenario_saved", f"{name}: {old[0] + ' → ' if old else ''}{_text(weights)}")

    def scenarios(self) -> dict[str, dict]:
        rows = self.con.execute("SELECT name, weights FROM scenarios ORDER BY created_at").fetchall()
        return {name: json.loads(w) for name, w in rows}

    def delete_scenario(self, name: str, who=None) -> None:
        actor = require(who, "scenarios")
        name = clean_text(name)
        with self.transaction():
            old = self._one("SELECT weights FROM scenarios WHERE name = ?", [name])
            self.con.execute("DELETE FROM scenarios WHERE name = ?", [name])
            if old:
                self._audit(actor, "scenario_deleted", f"{name}: {old[0]}")
