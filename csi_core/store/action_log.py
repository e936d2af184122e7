"""The corrective-action log: cause, measure, owner, due date and status per flagged item."""
from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

ACTION_FIELDS = ("period", "kind", "segment", "customer", "item", "score", "cause", "measure", "owner", "due", "status")


class ActionLog:
    """Store methods on the action log (mixed into :class:`csi_core.store.db.Store`)."""

    def actions(self, period: str | None = None) -> pd.DataFrame:
        if period:
            return self._df("SELECT * FROM actions WHERE period = ? ORDER BY id", [period])
        return self._df("SELECT * FROM actions ORDER BY id")

    def save_action(self, action: dict, who: str = "") -> int:
        """Insert (no ``id``) or update an action; returns its id."""
        return self.save_actions([action], who)[0]

    def save_actions(self, records: list[dict], who: str = "") -> list[int]:
        """Insert or update many actions in one transaction; returns their ids."""
        ids = []
        with self.transaction():
            next_id = self._one("SELECT coalesce(max(id), 0) + 1 FROM actions")[0]
            for action in records:
                values = [_plain(action.get(f)) for f in ACTION_FIELDS]
                if action.get("id") is None or pd.isna(action.get("id")):
                    self.con.execute(f"INSERT INTO actions VALUES (?, {', '.join('?' * len(ACTION_FIELDS))}, ?, ?)",
                                     [next_id, *values, datetime.now(), datetime.now()])
                    ids.append(int(next_id))
                    next_id += 1
                else:
                    sets = ", ".join(f"{f} = ?" for f in ACTION_FIELDS)
                    self.con.execute(f"UPDATE actions SET {sets}, updated_at = ? WHERE id = ?",
                                     [*values, datetime.now(), int(action["id"])])
                    ids.append(int(action["id"]))
            if ids:
                self._audit(who, "action", ", ".join(str(i) for i in ids[:20]) + (" …" if len(ids) > 20 else ""))
        return ids

    def delete_action(self, action_id: int, who: str = "") -> None:
        with self.transaction():
            self.con.execute("DELETE FROM actions WHERE id = ?", [int(action_id)])
            self._audit(who, "action_deleted", str(action_id))


def _plain(value):
    """A value DuckDB takes as a parameter: NaN/NaT → None, Timestamps → dates."""
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, (datetime, date)):
        return value
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value
