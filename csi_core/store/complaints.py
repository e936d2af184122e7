"""The complaint log (《客户投诉记录表》): one row per complaint, every field of
:data:`csi_core.method.complaints.FIELDS`."""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from csi_core.method.complaints import FIELDS
from csi_core.store.access import require
from csi_core.store.action_log import _plain

_COLUMNS = ", ".join(f'"{f}"' for f in FIELDS)  # "class" is a word of SQL


class ComplaintLog:
    """Store methods on the complaint log (mixed into :class:`csi_core.store.db.Store`)."""

    def complaints(self) -> pd.DataFrame:
        """Every complaint, oldest received first (then by id)."""
        return self._df("SELECT * FROM complaints ORDER BY received, id")

    def save_complaints(self, records: list[dict], who=None) -> list[int]:
        """Insert (no ``id``) or update complaints in one transaction; returns their ids.
        Needs the editor role (``PermissionDenied``: nothing changed)."""
        who = require(who, "complaints")
        ids = []
        with self.transaction():
            next_id = self._one("SELECT coalesce(max(id), 0) + 1 FROM complaints")[0]
            for record in records:
                values = [_plain(record.get(f)) for f in FIELDS]
                now = datetime.now()
                if record.get("id") is None or pd.isna(record.get("id")):
                    self.con.execute(f"INSERT INTO complaints (id, {_COLUMNS}, created_at, updated_at) "
                                     f"VALUES (?, {', '.join('?' * len(FIELDS))}, ?, ?)", [next_id, *values, now, now])
                    ids.append(int(next_id))
                    next_id += 1
                else:
                    sets = ", ".join(f'"{f}" = ?' for f in FIELDS)
                    self.con.execute(f"UPDATE complaints SET {sets}, updated_at = ? WHERE id = ?",
                                     [*values, now, int(record["id"])])
                    ids.append(int(record["id"]))
            if ids:
                self._audit(who, "complaint", ", ".join(str(i) for i in ids[:20]) + (" …" if len(ids) > 20 else ""))
        return ids

    def delete_complaint(self, complaint_id: int, who=None) -> None:
        who = require(who, "complaints")
        with self.transaction():
            self.con.execute("DELETE FROM complaints WHERE id = ?", [int(complaint_id)])
            self._audit(who, "complaint_deleted", str(complaint_id))
