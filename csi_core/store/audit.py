"""The audit trail: who changed what, when — imports, replacements, weights, settings,
action edits (old → new), scenarios, users, backups and restores."""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from csi_core.store.access import actor_of, require

AUDIT_KINDS = ("import", "replace", "restore_period", "archive_period", "weights", "setting", "action",
               "action_deleted", "assessment", "assessment_deleted", "scenario_saved", "scenario_deleted", "user_added", "user_changed", "user_removed",
               "sign_in", "sign_in_failed", "backup", "restore")


class Audit:
    """Store methods on the audit trail (mixed into :class:`csi_core.store.db.Store`)."""

    def _audit(self, who, what: str, detail: str) -> None:
        self.con.execute("INSERT INTO audit VALUES (?, ?, ?, ?)", [datetime.now(), actor_of(who).name, what, detail])

    def record(self, who, what: str, detail: str) -> None:
        """Write one audit row on its own (a sign-in, a backup taken in the app)."""
        with self.transaction():
            self._audit(who, what, detail)

    def audit(self, limit: int = 200, who: str | None = None, what: str | None = None, since=None, until=None,
              text: str | None = None, reader=None) -> pd.DataFrame:
        """The newest rows first, filtered by user, kind, time range and text."""
        require(reader, "audit")
        where, params = ["true"], []
        for clause, value in (("who = ?", who), ("what = ?", what), ("ts >= ?", since), ("ts < ?", until)):
            if value not in (None, ""):
                where.append(clause)
                params.append(value)
        if text:
            where.append("(detail ILIKE ? ESCAPE '\\' OR who ILIKE ? ESCAPE '\\')")
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params += [like, like]
        params.append(int(limit))
        return self._df(f"SELECT ts, who, what, detail FROM audit WHERE {' AND '.join(where)} "
                        "ORDER BY ts DESC, rowid DESC LIMIT ?", params)

    def audit_people(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT DISTINCT who FROM audit ORDER BY 1").fetchall()]
