"""A branch's count arrays (分公司): the same :class:`~csi_core.method.counts.Counts` as the
company's, built from the stored rows in force of one branch by grouped SQL.

The company's arrays come from the aggregate tables an import writes (fast, unchanged);
a branch is a view of the same rows, not a new weight: its numbers are exactly those of
its questionnaires imported alone. The branch name is always a bound parameter.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from csi_core.method.counts import Counts, CrossSums
from csi_core.store.arrays import _build_counts
from csi_core.store.stats import _coefficients, cross_sums

# our questionnaires in force of one branch ("" = headquarters); one parameter: the branch
LIVE = "SELECT * FROM responses WHERE NOT archived AND competitor = '' AND coalesce(branch, '') = ?"
# the branch's answers per customer, shaped like agg_customer (for Arrays._customer_rows)
_CUSTOMER_SOURCE = f"""(SELECT r.period, r.segment, r.customer, a.item_id, a.level, count(*) AS n
                        FROM ({LIVE}) r JOIN answers a ON a.response_id = r.id
                        WHERE r.valid AND r.customer <> '' GROUP BY ALL)"""


class BranchCounts:
    """Mixed into :class:`~csi_core.store.db.Store` (uses ``con``, ``_lock``, ``questionnaires``)."""

    def branch_names(self) -> list[str]:
        """The branches of our questionnaires in force, any period ("" = headquarters first)."""
        rows = self.con.execute("""SELECT DISTINCT coalesce(branch, '') FROM responses
                                   WHERE NOT archived AND competitor = '' ORDER BY 1""").fetchall()
        return [r[0] for r in rows]

    def _branch_counts(self, branch: str) -> Counts:
        """:meth:`counts` of one branch: its valid answers, ticks and customers; sent counts
        from the uploads whose rows in force of a period are all this branch's (else NaN);
        interval sums from its questionnaires, known where their uploads used the scale."""
        p = [branch]
        with self._lock:
            seg = self.con.sql(f"""
                SELECT r.period, r.segment, a.item_id, a.level, count(*) AS n
                FROM ({LIVE}) r JOIN answers a ON a.response_id = r.id WHERE r.valid GROUP BY ALL""",
                               params=p).to_arrow_table()
            cus_valid = self.con.execute(f"""SELECT period, segment, customer, count(*) FROM ({LIVE})
                                             WHERE valid AND customer <> '' GROUP BY ALL""", p).fetchall()
            foc = self.con.execute(f"""SELECT r.period, r.segment, f.item_id, count(*)
                                       FROM ({LIVE}) r JOIN focus f ON f.response_id = r.id WHERE r.valid
                                       GROUP BY ALL""", p).fetchall()
            resp = self.con.execute(f"""SELECT period, segment, count(*), count(*) FILTER (WHERE valid)
                                        FROM ({LIVE}) GROUP BY ALL""", p).fetchall()
            items = self.con.execute("SELECT id, name FROM items ORDER BY position, id").fetchall()
            present = self.con.execute(f"""
                SELECT DISTINCT i.period, i.item_id FROM period_items i
                JOIN (SELECT DISTINCT upload_id, period FROM ({LIVE})) u USING (upload_id, period)
                WHERE NOT i.archived""", p).fetchall()
            sent = self.con.execute("""
                WITH mine AS (SELECT upload_id, period FROM responses WHERE NOT archived AND competitor = ''
                              GROUP BY ALL HAVING bool_and(coalesce(branch, '') = ?))
                SELECT s.period, s.segment, sum(s.sent) FROM sent s JOIN mine USING (upload_id, period)
                WHERE NOT s.archived GROUP BY ALL""", p).fetchall()
            latest = self._one("SELECT scale FROM uploads ORDER BY id DESC LIMIT 1")
            scale = latest[0] if latest else "default"
            other_scale = {r[0] for r in self.con.execute(f"""
                SELECT DISTINCT r.period FROM ({LIVE}) r JOIN uploads u ON u.id = r.upload_id
                WHERE u.scale <> ?""", [branch, scale]).fetchall()}

            def customer_rows(p_ix, keys, i_ix, k):
                return self._customer_rows(p_ix, keys, i_ix, k, source=_CUSTOMER_SOURCE, params=p)

            counts = _build_counts(seg, customer_rows, cus_valid, foc, resp, items, present, sent, scale)
            counts = replace(counts, branch=branch)
            return replace(counts, cross=self._branch_cross(counts, other_scale))

    def _branch_cross(self, counts: Counts, other_scale: set) -> CrossSums:
        """The interval sums of a branch, from its questionnaires period by period."""
        n_items = len(counts.items)
        shape = (len(counts.periods), len(counts.segments), n_items, n_items)
        sums = np.zeros((3, *shape))
        known = np.zeros(shape[:2], bool)
        for k, period in enumerate(counts.periods):
            if period in other_scale or not counts.valid[k].sum():
                continue
            rows = self.questionnaires(counts, period)
            sums[:, k] = cross_sums(rows.codes, rows.segment, len(counts.segments),
                                    _coefficients(counts.scale, rows.codes))
            known[k] = counts.valid[k] > 0
        return CrossSums(sums[0], sums[1], sums[2], known, counts.scale)
