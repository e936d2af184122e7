"""The store's part of the statistics: per-questionnaire sums kept beside the count
arrays, the overall-satisfaction answers, and questionnaires read on demand.

The sums (:class:`~csi_core.method.counts.CrossSums`) are built in numpy at import, one
(period, segment) at a time, and stored in ``agg_cross``; an older database without
them gets them from its stored answers the first time the count arrays are read.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from csi_core.method.counts import Counts, CrossSums, Questionnaires
from csi_core.reading.scales import get_scale


def cross_sums(codes: np.ndarray, group: np.ndarray, n_groups: int, coefficients: np.ndarray):
    """``aa``, ``xa``, ``xx`` [group, item, item] over the rows of each group (-1: none).

    Examples
    --------
    >>> codes = np.array([[5, 4], [3, -1], [5, 5]])
    >>> aa, xa, xx = cross_sums(codes, np.array([0, 0, -1]), 1, np.array([0, 0, .2, .5, .8, 1.]))
    >>> aa[0].tolist(), xa[0].tolist(), float(xx[0, 0, 0])
    ([[2.0, 1.0], [1.0, 1.0]], [[1.5, 1.0], [0.8, 0.8]], 1.25)
    """
    n_items = codes.shape[1]
    out = np.zeros((3, n_groups, n_items, n_items))
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(n_groups + 1))
    for g in range(n_groups):
        rows = codes[order[bounds[g]:bounds[g + 1]]]
        a = (rows >= 0).astype(np.float64)
        x = np.where(rows >= 0, coefficients[np.clip(rows, 0, len(coefficients) - 1)], 0.0)
        out[0, g], out[1, g], out[2, g] = a.T @ a, x.T @ a, x.T @ x
    return out[0], out[1], out[2]


def _coefficients(scale_name: str, codes: np.ndarray) -> np.ndarray:
    scale = get_scale(scale_name)
    coef = np.zeros(max(int(codes.max(initial=0)) + 1, len(scale.coef)))
    coef[: len(scale.coef)] = scale.coef
    return coef


class StatsStore:
    """Mixed into :class:`~csi_core.store.db.Store` (uses its ``con`` and ``_append``)."""

    def _insert_overall(self, parsed, ids: np.ndarray) -> None:
        if parsed.overall is None:
            return
        rows = np.flatnonzero(parsed.overall >= 0)
        self._append("overall", pa.table({"response_id": ids[rows], "level": parsed.overall[rows].astype(np.int16)}))

    def _insert_cross(self, keys: list, g: np.ndarray, n_groups: int, codes: np.ndarray, valid: np.ndarray,
                      item_ids: np.ndarray, scale: str) -> None:
        """The sums of each (period, segment) group ``g`` of the upload's valid rows."""
        aa, xa, xx = cross_sums(codes, np.where(valid, g, -1), n_groups, _coefficients(scale, codes))
        grp, i, j = np.nonzero(aa)
        self._append("agg_cross", pa.table({
            "period": pa.array(np.asarray(keys[0], object)[grp], pa.string()),
            "segment": pa.array(np.asarray(keys[1], object)[grp], pa.string()),
            "item_i": item_ids[i], "item_j": item_ids[j], "aa": aa[grp, i, j], "xa": xa[grp, i, j],
            "xx": xx[grp, i, j], "scale": pa.array([scale] * len(grp), pa.string())}))

    def _cross(self, counts: Counts) -> CrossSums:
        """The stored sums laid out like the count arrays; missing ones are rebuilt once."""
        have = {r[0] for r in self.con.execute("SELECT DISTINCT period FROM agg_cross").fetchall()}
        missing = [p for k, p in enumerate(counts.periods) if p not in have and counts.valid[k].sum() > 0]
        if missing:
            self._rebuild_cross(counts, missing)
        ids = dict(self.con.execute("SELECT name, id FROM items").fetchall())
        frame = self.con.execute("SELECT * FROM agg_cross WHERE scale = ?", [counts.scale]).fetch_df()
        shape = (len(counts.periods), len(counts.segments), len(counts.items), len(counts.items))
        sums = np.zeros((3, *shape))
        known = np.zeros(shape[:2], bool)
        if len(frame):
            p = frame.period.map({v: k for k, v in enumerate(counts.periods)})
            s = frame.segment.map({v: k for k, v in enumerate(counts.segments)})
            item = {ids[name]: k for k, name in enumerate(counts.items)}
            i, j = frame.item_i.map(item), frame.item_j.map(item)
            ok = (p.notna() & s.notna() & i.notna() & j.notna()).to_numpy()
            at = tuple(v.to_numpy()[ok].astype(np.int64) for v in (p, s, i, j))
            for k, column in enumerate(("aa", "xa", "xx")):
                sums[k][at] = frame[column].to_numpy()[ok]
            known[at[0], at[1]] = True
        return CrossSums(sums[0], sums[1], sums[2], known & (counts.valid > 0), counts.scale)

    def _rebuild_cross(self, counts: Counts, periods: list[str]) -> None:
        """Sums for periods stored before they existed, from their valid answers."""
        item_ids = np.array([r[0] for r in self.con.execute("SELECT id FROM items ORDER BY position, id").fetchall()],
                            np.int16)
        for period in periods:
            rows = self.questionnaires(counts, period)
            keys = [[period] * len(counts.segments), list(counts.segments)]
            codes = rows.codes
            self._insert_cross(keys, rows.segment, len(counts.segments), codes, rows.segment >= 0,
                               item_ids, counts.scale)

    def questionnaires(self, counts: Counts, period: str) -> Questionnaires:
        """The period's valid questionnaires as a dense matrix in the order of ``counts``
        (of ``counts.branch`` only when the arrays are a branch's)."""
        mine, params = ("", [period]) if counts.branch is None else (" AND coalesce(r.branch, '') = ?",
                                                                    [period, counts.branch])
        base = self.con.execute(f"""
            SELECT id, segment, coalesce(customer, '') AS customer FROM responses r
            WHERE period = ? AND valid AND NOT archived AND competitor = ''{mine} ORDER BY id""", params).fetch_df()
        answers = self.con.execute(f"""
            SELECT a.response_id, a.item_id, a.level FROM answers a JOIN responses r ON r.id = a.response_id
            WHERE r.period = ? AND r.valid AND NOT r.archived AND r.competitor = ''{mine}""", params).fetch_df()
        items = self.con.execute("SELECT id, name FROM items").fetchall()
        overall = self.con.execute(f"""
            SELECT o.response_id, o.level FROM overall o JOIN responses r ON r.id = o.response_id
            WHERE r.period = ? AND r.valid AND NOT r.archived AND r.competitor = ''{mine}""", params).fetch_df()
        ids = base.id.to_numpy(np.int64)
        row_of = pd.Series(np.arange(len(ids)), index=ids)
        codes = np.full((len(ids), len(counts.items)), -1, np.int16)
        if len(answers):
            # item id → column of ``counts`` (by name, as the arrays are laid out); a name
            # the arrays lack is a broken invariant (KeyError, as a lookup by name gives)
            column = {name: k for k, name in enumerate(counts.items)}
            of_id = np.full(max(i for i, _ in items) + 1, -1, np.int64)
            for item_id, name in items:
                of_id[item_id] = column.get(name, -1)
            cols = of_id[answers.item_id.to_numpy(np.int64)]
            if (cols < 0).any():
                missing = {name for item_id, name in items if of_id[item_id] < 0}
                raise KeyError(f"items not in the count arrays: {sorted(missing)}")
            codes[row_of[answers.response_id].to_numpy(), cols] = answers.level.to_numpy()
        over = np.full(len(ids), -1, np.int16)
        if len(overall):
            over[row_of[overall.response_id].to_numpy()] = overall.level.to_numpy()
        segment = base.segment.map({s: k for k, s in enumerate(counts.segments)}).fillna(-1).to_numpy(np.int64)
        cc = counts.customers
        c_ix = {(int(cc.segment[c]), name): c for c, name in enumerate(cc.names)}
        customer = np.array([c_ix.get((int(s), name), -1) for s, name in zip(segment, base.customer)], np.int64)
        return Questionnaires(period, codes, segment, customer, over, ids)

    def comments_rated(self, period: str, segment: str, item: str, codes: list[int],
                       branch: str | None = None) -> pd.DataFrame:
        """Comments of the period's valid questionnaires of a segment that gave ``item`` one
        of ``codes`` (columns customer, respondent_id, answer, comment); of one branch if given."""
        return self.con.execute("""
            SELECT r.customer, r.respondent_id, a.level AS answer, c.text AS comment
            FROM answers a JOIN responses r ON r.id = a.response_id JOIN items i ON i.id = a.item_id
            JOIN comments c ON c.response_id = r.id
            WHERE r.period = ? AND r.segment = ? AND i.name = ? AND r.valid AND NOT r.archived AND r.competitor = ''
              AND list_contains(?, a.level) AND (?::VARCHAR IS NULL OR coalesce(r.branch, '') = ?)
            ORDER BY r.id""", [period, segment, item, codes, branch, branch]).fetch_df()

    def comment_texts(self, period: str, branch: str | None = None) -> list[str]:
        """Every comment of the period's valid questionnaires (of one branch if given)."""
        rows = self.con.execute("""
            SELECT c.text FROM comments c JOIN responses r ON r.id = c.response_id
            WHERE r.period = ? AND r.valid AND NOT r.archived AND r.competitor = ''
              AND (?::VARCHAR IS NULL OR coalesce(r.branch, '') = ?) ORDER BY r.id""",
                                [period, branch, branch]).fetchall()
        return [r[0] for r in rows]
