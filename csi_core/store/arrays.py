"""The count arrays: the small (period × segment × item × answer) arrays and per-customer
rows every score is computed from, read from the aggregate tables an import writes.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa

from csi_core.method.counts import Counts, CustomerCounts
from csi_core.reading.periods import sort_periods
from csi_core.reading.scales import name_key


class Arrays:
    """Store methods that read the count arrays (mixed into :class:`csi_core.store.db.Store`)."""

    def counts(self, branch: str | None = None) -> Counts:
        """The small arrays every score is computed from (see :class:`Counts`): the whole
        company (``None``, from the aggregate tables) or one branch ("" = headquarters,
        from its rows in force: :mod:`csi_core.store.branch_counts`)."""
        if branch is not None:
            return self._branch_counts(branch)
        with self._lock:
            seg = self.con.sql("SELECT period, segment, item_id, level, n FROM agg_segment").to_arrow_table()
            cus_valid = self.con.execute("SELECT period, segment, customer, n FROM agg_customer_valid").fetchall()
            foc = self.con.execute("SELECT period, segment, item_id, n FROM agg_focus").fetchall()
            resp = self.con.execute("SELECT period, segment, returned, valid FROM agg_responses").fetchall()
            items = self.con.execute("SELECT id, name FROM items ORDER BY position, id").fetchall()
            present = self.con.execute(
                "SELECT DISTINCT period, item_id FROM period_items WHERE NOT archived").fetchall()
            sent = self.con.execute(
                "SELECT period, segment, sum(sent) FROM sent WHERE NOT archived GROUP BY ALL").fetchall()
            scale = self._one(
                "SELECT scale FROM uploads ORDER BY id DESC LIMIT 1")
            counts = _build_counts(seg, self._customer_rows, cus_valid, foc, resp, items, present, sent,
                                   scale[0] if scale else "default")
            return replace(counts, cross=self._cross(counts))

    def _customer_rows(self, p_ix: dict, keys: list, i_ix: dict, k: int, source: str = "agg_customer",
                       params: list | None = None):
        """Per (period, customer, item): integer codes and one count column per answer
        code, grouped by DuckDB (no text keys reach numpy). ``source``: a fixed table or
        subquery shaped like ``agg_customer`` (never user text), with its ``params``."""
        self.con.register("_periods", pa.table({"period": list(p_ix), "p": list(p_ix.values())}))
        self.con.register("_customers", pa.table({"segment": [s for s, _ in keys], "customer": [c for _, c in keys],
                                                  "c": np.arange(len(keys), dtype=np.int64)}))
        self.con.register("_items", pa.table({"item_id": list(i_ix), "i": list(i_ix.values())}))
        levels = ", ".join(f"sum(n) FILTER (WHERE a.level = {int(code)}) AS l{int(code)}" for code in range(k))
        try:
            got = self.con.execute(f"""
                SELECT p.p, c.c, i.i, {levels} FROM {source} a
                JOIN _periods p USING (period) JOIN _customers c USING (segment, customer) JOIN _items i USING (item_id)
                GROUP BY ALL ORDER BY 1, 2, 3""", params or []).fetchnumpy()
        finally:
            for name in ("_periods", "_customers", "_items"):
                self.con.unregister(name)
        counts = np.stack([np.asarray(got[f"l{code}"]).astype(np.float64) for code in range(k)], axis=1) if k else None
        counts = np.nan_to_num(counts).astype(np.int64)
        return (np.asarray(got["p"], np.int64), np.asarray(got["c"], np.int64), np.asarray(got["i"], np.int64), counts)


def _build_counts(seg: pa.Table, customer_rows, cus_valid, foc, resp, items, present, sent, scale: str) -> Counts:
    """Dense (period, segment, item, code) arrays and sparse per-customer rows."""
    periods = sort_periods([r[0] for r in resp])
    segments = list(dict.fromkeys(sorted({r[1] for r in resp}, key=lambda s: -sum(x[2] for x in resp if x[1] == s))))
    item_ids = [i for i, _ in items]
    names = [n for _, n in items]
    p_ix = {p: k for k, p in enumerate(periods)}
    s_ix = {s: k for k, s in enumerate(segments)}
    i_ix = {i: k for k, i in enumerate(item_ids)}
    levels = seg.column("level").to_numpy() if seg.num_rows else np.zeros(0, np.int16)
    k = max(6, int(levels.max()) + 1 if len(levels) else 6)
    shape = (len(periods), len(segments), len(names))
    answers = np.zeros(shape + (k,), dtype=np.int64)
    if seg.num_rows:
        sp = _index(seg.column("period"), p_ix)
        ss = _index(seg.column("segment"), s_ix)
        si = _index(seg.column("item_id"), i_ix)
        np.add.at(answers, (sp, ss, si, levels.astype(np.int64)), seg.column("n").to_numpy())
    ticks = np.zeros(shape, dtype=np.int64)
    for period, segment, item_id, n in foc:
        if period in p_ix and segment in s_ix:
            ticks[p_ix[period], s_ix[segment], i_ix[item_id]] += n
    returned = np.zeros(shape[:2], dtype=np.int64)
    valid = np.zeros(shape[:2], dtype=np.int64)
    for period, segment, r, v in resp:
        returned[p_ix[period], s_ix[segment]] = r
        valid[p_ix[period], s_ix[segment]] = v
    in_period = np.zeros((len(periods), len(names)), dtype=bool)
    for period, item_id in present:
        if period in p_ix and item_id in i_ix:
            in_period[p_ix[period], i_ix[item_id]] = True
    sent_ps = np.full(shape[:2], np.nan)
    sent_p = np.full(len(periods), np.nan)
    seg_key = {name_key(s): s for s in segments}
    for period, segment, n in sent:
        if period not in p_ix:
            continue
        p = p_ix[period]
        sent_p[p] = np.nansum([sent_p[p], n])
        if segment and name_key(segment) in seg_key:
            s = s_ix[seg_key[name_key(segment)]]
            sent_ps[p, s] = np.nansum([sent_ps[p, s], n])
    customers = _customer_counts(customer_rows, cus_valid, p_ix, s_ix, i_ix, k)
    return Counts(tuple(periods), tuple(segments), tuple(names), answers, ticks, returned, valid, in_period,
                  sent_p, sent_ps, customers, scale)


def _index(column: pa.ChunkedArray, lookup: dict) -> np.ndarray:
    """Positions of a column's values in ``lookup`` (each distinct value looked up once)."""
    encoded = column.combine_chunks().dictionary_encode()
    table = np.array([lookup[v] for v in encoded.dictionary.to_pylist()], dtype=np.int64)
    return table[encoded.indices.to_numpy(zero_copy_only=False)] if len(table) else np.zeros(0, np.int64)


def _customer_counts(customer_rows, cus_valid, p_ix, s_ix, i_ix, k: int) -> CustomerCounts:
    """One row per (period, customer, item) with the counts per code; a customer is a
    (segment, name) pair, in segment order then by name."""
    keys = sorted({(s, c) for _, s, c, _ in cus_valid if s in s_ix}, key=lambda sc: (s_ix[sc[0]], sc[1]))
    c_ix = {key: n for n, key in enumerate(keys)}
    names = tuple(c for _, c in keys)
    segment = np.array([s_ix[s] for s, _ in keys], np.int64)
    valid_rows = np.array([(p_ix[p], c_ix[(s, c)], n) for p, s, c, n in cus_valid if p in p_ix and (s, c) in c_ix],
                          dtype=np.int64).reshape(-1, 3)
    if not keys:
        empty = np.zeros(0, np.int64)
        return CustomerCounts(names, segment, empty, empty, empty, np.zeros((0, k), np.int64), valid_rows)
    p, c, i, counts = customer_rows(p_ix, keys, i_ix, k)
    return CustomerCounts(names, segment, p, c, i, counts, valid_rows)
