"""The corrective-action log: cause, measure, owner, due date and status per flagged item."""
from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from csi_core.store.access import require

ACTION_FIELDS = ("period", "kind", "segment", "customer", "item", "score", "cause", "measure", "owner", "due", "status")


class ActionLog:
    """Store methods on the action log (mixed into :class:`csi_core.store.db.Store`)."""

    def actions(self, period: str | None = None) -> pd.DataFrame:
        if period:
            return self._df("SELECT * FROM actions WHERE period = ? ORDER BY id", [period])
        return self._df("SELECT * FROM actions ORDER BY id")

    def save_action(self, action: dict, who=None) -> int:
        """Insert (no ``id``) or update an action; returns its id."""
        return self.save_actions([action], who)[0]

    def save_actions(self, records: list[dict], who=None) -> list[int]:
        """Insert or update many actions in one transaction; returns their ids. The audit
        trail gets each change as old → new values."""
        actor = require(who, "actions")
        ids, changes = [], []
        with self.transaction():
            next_id = self._one("SELECT coalesce(max(id), 0) + 1 FROM actions")[0]
            for action in records:
                values = [_plain(action.get(f)) for f in ACTION_FIELDS]
                if action.get("id") is None or pd.isna(action.get("id")):
                    self.con.execute(f"INSERT INTO actions VALUES (?, {', '.join('?' * len(ACTION_FIELDS))}, ?, ?)",
                                     [next_id, *values, datetime.now(), datetime.now()])
                    changes.append(f"#{next_id} added: " + _describe(dict(zip(ACTION_FIELDS, values))))
                    ids.append(int(next_id))
                    next_id += 1
                else:
                    old = self._one(f"SELECT {', '.join(ACTION_FIELDS)} FROM actions WHERE id = ?",  # fixed names
                                    [int(action["id"])])
                    diff = _diff(dict(zip(ACTION_FIELDS, old)) if old else {}, dict(zip(ACTION_FIELDS, values)))
                    if diff:
                        changes.append(f"#{int(action['id'])}: {diff}")
                    sets = ", ".join(f"{f} = ?" for f in ACTION_FIELDS)
                    self.con.execute(f"UPDATE actions SET {sets}, updated_at = ? WHERE id = ?",
                                     [*values, datetime.now(), int(action["id"])])
                    ids.append(int(action["id"]))
            for change in changes:
                self._audit(actor, "action", change)
        return ids

    def delete_action(self, action_id: int, who=None) -> None:
        actor = require(who, "actions")
        with self.transaction():
            old = self._one(f"SELECT {', '.join(ACTION_FIELDS)} FROM actions WHERE id = ?", [int(action_id)])
            self.con.execute("DELETE FROM actions WHERE id = ?", [int(action_id)])
            if old:
                self._audit(actor, "action_deleted", f"#{int(action_id)}: " + _describe(dict(zip(ACTION_FIELDS, old))))


def _shown(value) -> str:
    return "—" if value is None or value == "" else repr(value.isoformat() if isinstance(value, date) else value)


def _describe(record: dict) -> str:
    """``period='2026Q1', item='服务', …`` — the fields that hold something."""
    return ", ".join(f"{f}={_shown(v)}" for f, v in record.items() if v not in (None, ""))


def _diff(old: dict, new: dict) -> str:
    """``status 'open' → 'done'; owner — → '王'`` — only the fields that changed."""
    changed = []
    for field, value in new.items():
        before = old.get(field)
        if isinstance(before, float) and isinstance(value, (int, float)) and abs(before - value) < 1e-9:
            continue
        if before != value and not (before in (None, "") and value in (None, "")):
            changed.append(f"{field} {_shown(before)} → {_shown(value)}")
    return "; ".join(changed)


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
