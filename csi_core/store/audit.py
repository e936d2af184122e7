"""The audit trail: who changed what, when."""
from __future__ import annotations

from datetime import datetime

import pandas as pd


class Audit:
    """Store methods on the audit trail (mixed into :class:`csi_core.store.db.Store`)."""

    def _audit(self, who: str, what: str, detail: str) -> None:
        self.con.execute("INSERT INTO audit VALUES (?, ?, ?, ?)", [datetime.now(), who, what, detail])

    def audit(self, limit: int = 200) -> pd.DataFrame:
        return self._df("SELECT * FROM audit ORDER BY ts DESC LIMIT ?", [int(limit)])
