"""Competitor questionnaires as count arrays: the stored rows in force (not archived,
valid, ``competitor <> ''``) grouped by DuckDB into (period, competitor, segment, item,
answer) counts and valid questionnaires per (period, competitor, segment). They never
enter our aggregate tables (``agg_*``); this is the only place that reads them for scores.
"""
from __future__ import annotations

import numpy as np

from csi_core.method.competitors import CompetitorCounts
from csi_core.method.counts import Counts


class Competitors:
    """Store methods for competitor questionnaires (mixed into :class:`csi_core.store.db.Store`)."""

    def competitor_counts(self, counts: Counts) -> CompetitorCounts:
        """The competitors' count arrays laid out like ``counts`` (its periods, segments,
        items, answer codes) and of its branch (``counts.branch``: None the whole company);
        questionnaires of a period or segment ``counts`` lacks are left out and counted."""
        with self._lock:
            # one grouped query: the answer counts, and (item and level rolled up) the
            # valid questionnaires of each (period, competitor, segment)
            rows = self.con.execute("""
                SELECT r.period, r.competitor, r.segment, i.name, a.level,
                       count(a.response_id) AS n, count(DISTINCT r.id) AS q, grouping(i.name, a.level) AS whole
                FROM responses r
                LEFT JOIN answers a ON a.response_id = r.id
                LEFT JOIN items i ON i.id = a.item_id
                WHERE NOT r.archived AND r.valid AND r.competitor <> ''
                  AND (?::VARCHAR IS NULL OR coalesce(r.branch, '') = ?::VARCHAR)
                GROUP BY GROUPING SETS ((r.period, r.competitor, r.segment, i.name, a.level),
                                        (r.period, r.competitor, r.segment))""",
                                    [counts.branch, counts.branch]).fetchall()
        return _build(counts, rows)


def _build(counts: Counts, rows: list[tuple]) -> CompetitorCounts:
    """Dense arrays from the grouped rows (period, competitor, segment, item, level, n, q, whole)."""
    names = tuple(sorted({r[1] for r in rows if r[7]}))
    p_ix = {p: k for k, p in enumerate(counts.periods)}
    c_ix = {c: k for k, c in enumerate(names)}
    s_ix = {s: k for k, s in enumerate(counts.segments)}
    i_ix = {i: k for k, i in enumerate(counts.items)}
    P, S, I, K = counts.answers.shape
    K = max([K] + [int(r[4]) + 1 for r in rows if not r[7] and r[4] is not None])
    answers = np.zeros((P, len(names), S, I, K), np.int64)
    valid = np.zeros((P, len(names), S), np.int64)
    left_out = 0
    for period, competitor, segment, item, level, n, q, whole in rows:
        comparable = period in p_ix and segment in s_ix
        if whole:
            if comparable:
                valid[p_ix[period], c_ix[competitor], s_ix[segment]] = q
            else:
                left_out += q
        elif comparable and item in i_ix and level is not None:
            answers[p_ix[period], c_ix[competitor], s_ix[segment], i_ix[item], int(level)] += n
    return CompetitorCounts(names, answers, valid, left_out)
