"""Stored settings (JSON values by name, see :mod:`csi_core.settings`) and named what-if
scenarios."""
from __future__ import annotations

import json
from datetime import datetime

from csi_core.reading.scales import clean_text


class Settings:
    """Store methods on settings and scenarios (mixed into :class:`csi_core.store.db.Store`)."""

    def get_setting(self, key: str, default=None):
        row = self._one("SELECT value FROM settings WHERE key = ?", [key])
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value, who: str = "") -> None:
        with self.transaction():
            self.con.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, json.dumps(value, ensure_ascii=False)])
            self._audit(who, "setting", f"{key} = {json.dumps(value, ensure_ascii=False)}")

    def save_scenario(self, name: str, weights: dict) -> None:
        with self.transaction():
            self.con.execute("INSERT OR REPLACE INTO scenarios VALUES (?, ?, ?)",
                             [clean_text(name), json.dumps(weights, ensure_ascii=False), datetime.now()])

    def scenarios(self) -> dict[str, dict]:
        rows = self.con.execute("SELECT name, weights FROM scenarios ORDER BY created_at").fetchall()
        return {name: json.loads(w) for name, w in rows}

    def delete_scenario(self, name: str) -> None:
        with self.transaction():
            self.con.execute("DELETE FROM scenarios WHERE name = ?", [clean_text(name)])
