"""Browsing what is stored: periods, items, questionnaires with their answers, comments."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from csi_core.reading.periods import sort_periods


class Browse:
    """Store methods that read responses (mixed into :class:`csi_core.store.db.Store`)."""

    def periods(self) -> list[str]:
        """Stored periods (not archived), in time order."""
        rows = self.con.execute("SELECT DISTINCT period FROM responses WHERE NOT archived").fetchall()
        return sort_periods(r[0] for r in rows)

    def is_empty(self) -> bool:
        return self._one("SELECT count(*) FROM responses")[0] == 0

    def item_names(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT name FROM items ORDER BY position, id").fetchall()]

    def item_table(self) -> pd.DataFrame:
        return self._df("SELECT name AS item, dimension, option FROM items ORDER BY position, id")

    def responses(self, period: str | None = None, segment: str | None = None, valid: bool | None = None,
                  limit: int = 5000, branch: str | None = None) -> pd.DataFrame:
        """Stored questionnaires (current, not archived) with their answers as labels' levels;
        of one branch ("" = headquarters) when given."""
        where, params = ["NOT archived"], []
        if branch is not None:
            where.append("coalesce(branch, '') = ?")
            params.append(branch)
        for column, value in (("period", period), ("segment", segment)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if valid is not None:
            where.append("valid = ?")
            params.append(valid)
        params.append(int(limit))
        base = self._df(f"""
            SELECT id, period, segment, customer, branch, competitor, respondent_id, date, valid, invalid_reason, row_number, upload_id
            FROM responses WHERE {' AND '.join(where)} ORDER BY id LIMIT ?""", params)
        if base.empty:
            return base
        self.con.register("_chosen", pa.table({"id": base.id.to_numpy(np.int64)}))
        try:
            answers = self._df("""
                SELECT a.response_id AS id, i.name, a.level FROM answers a
                JOIN _chosen c ON c.id = a.response_id JOIN items i ON i.id = a.item_id""")
        finally:
            self.con.unregister("_chosen")
        wide = answers.pivot_table(index="id", columns="name", values="level", aggfunc="first")
        order = [n for n in self.item_names() if n in wide.columns]
        return base.merge(wide[order], left_on="id", right_index=True, how="left")

    def invalid_reasons(self, period: str) -> dict[str, int]:
        """How many current invalid questionnaires of ``period`` have each reason."""
        rows = self.con.execute("""
            SELECT invalid_reason, count(*) FROM responses
            WHERE NOT archived AND NOT valid AND period = ? AND competitor = '' GROUP BY invalid_reason""", [period]).fetchall()
        return {str(reason): int(n) for reason, n in rows if reason is not None}

    def comments(self, period: str | None = None, segment: str | None = None,
                 branch: str | None = None) -> pd.DataFrame:
        where, params = ["NOT r.archived", "r.competitor = ''"], []
        if branch is not None:
            where.append("coalesce(r.branch, '') = ?")
            params.append(branch)
        for column, value in (("period", period), ("segment", segment)):
            if value:
                where.append(f"r.{column} = ?")
                params.append(value)
        return self._df(f"""
            SELECT r.period, r.segment, r.customer, r.respondent_id, c.text AS comment, r.valid
            FROM comments c JOIN responses r ON r.id = c.response_id
            WHERE {' AND '.join(where)} ORDER BY r.id""", params)
