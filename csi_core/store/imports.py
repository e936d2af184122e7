"""Imports: one upload stored in one transaction (the original file, its rows, answers,
focus ticks, comments, sent counts and the aggregates of its periods), the archive of
replaced periods, and the history of uploads.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

from csi_core.reading.parsed import Parsed
from csi_core.reading.periods import sort_periods
from csi_core.reading.problems import Problem
from csi_core.reading.scales import name_key
from csi_core.store.access import actor_of, require
from csi_core.store.connection import StoreError

_IMPORTS = threading.Lock()  # imports of all cursors of this process, one at a time


@dataclass(frozen=True)
class ImportResult:
    upload_id: int
    periods: tuple[str, ...]
    replaced: tuple[str, ...]
    rows: int
    valid: int
    competitor: int = 0  # of ``rows``: competitors' questionnaires (never in our scores)


class Imports:
    """Store methods that write uploads (mixed into :class:`csi_core.store.db.Store`)."""

    def conflicts(self, parsed: Parsed, data: bytes) -> list[Problem]:
        """What stops an import unless the user asks to replace: the same file, or a period
        that already holds rows of the upload's branches (``period_exists`` when the
        period holds no other branch, ``branch_exists`` when replacing keeps the others).
        A period holding only other branches is no conflict: the upload adds to it."""
        problems = []
        digest = hashlib.sha256(data).hexdigest()
        same = self._one(
            "SELECT id, uploaded_at FROM uploads WHERE sha256 = ? ORDER BY id DESC LIMIT 1", [digest])
        if same:
            problems.append(Problem("same_file", params=(("when", f"{same[1]:%Y-%m-%d %H:%M}"), ("upload", same[0]))))
        for period, (stored, incoming) in self.branch_plan(parsed).items():
            overlap = stored & incoming
            if overlap and stored <= incoming:
                problems.append(Problem("period_exists", value=period))
            elif overlap:
                problems.append(Problem("branch_exists", value=period, params=(("branches", tuple(sorted(overlap))),)))
        return problems

    def branch_plan(self, parsed: Parsed) -> dict[str, tuple[frozenset, frozenset]]:
        """Per period of the upload: the branches stored (in force) and the upload's
        branches ("" = headquarters)."""
        stored: dict[str, set] = {}
        for period, branch in self.con.execute(
                "SELECT DISTINCT period, coalesce(branch, '') FROM responses WHERE NOT archived").fetchall():
            stored.setdefault(period, set()).add(branch)
        incoming: dict[str, set] = {}
        for period, branch in zip(parsed.period.tolist(), parsed.branch.tolist()):
            incoming.setdefault(period, set()).add(branch)
        return {p: (frozenset(stored.get(p, ())), frozenset(incoming[p])) for p in sort_periods(incoming)}

    def branches(self) -> pd.DataFrame:
        """Per period in force and branch ("" = headquarters): our questionnaires
        returned and valid, and the competitor questionnaires."""
        return self._df("""SELECT period, coalesce(branch, '') AS branch,
                                  count(*) FILTER (WHERE competitor = '') AS returned,
                                  count(*) FILTER (WHERE competitor = '' AND valid) AS valid,
                                  count(*) FILTER (WHERE competitor <> '') AS competitor
                           FROM responses WHERE NOT archived GROUP BY ALL ORDER BY period, branch""")

    # --- import -----------------------------------------------------------------------
    def import_upload(self, parsed: Parsed, data: bytes, filename: str, replace: bool = False,
                      who=None, progress: Callable[[float, str], None] | None = None) -> ImportResult:
        """Store a validated upload in one transaction: the original file, its rows,
        answers, focus ticks, comments and sent counts, and the aggregates of its periods.

        Periods already stored are archived and replaced only with ``replace``; without
        it a :class:`StoreError` is raised and nothing changes.
        """
        actor = require(who, "upload")
        report = progress or (lambda fraction, label: None)
        with _IMPORTS:  # one import at a time in this process, whichever cursor
            periods = tuple(sort_periods(parsed.period))
            with self.transaction():
                plan = self.branch_plan(parsed)
                clash = [p for p, (stored, incoming) in plan.items() if stored & incoming]
                if clash and not replace:
                    raise StoreError(f"periods already stored: {', '.join(clash)}")
                if clash:
                    require(actor, "replace")
                upload_id = self._insert_upload(parsed, data, filename, periods, clash, actor.name)
                report(0.1, "items")
                item_ids = self._item_ids(parsed)
                for period in clash:
                    self._archive([period], branches=plan[period][1])
                # periods that keep rows of other branches: their counts come from all rows in force
                mixed = [p for p, (stored, incoming) in plan.items() if stored - incoming]
                report(0.2, "responses")
                rows = self._insert_rows(parsed, upload_id, item_ids, report)
                report(0.8, "aggregates")
                self._clear_aggregates(periods)
                self._insert_aggregates(rows, parsed, item_ids, ~np.isin(parsed.period, mixed))
                for period in mixed:
                    self._aggregate_from_rows(period)
                added = [p for p in mixed if p not in clash]
                self._audit(actor, "replace" if clash else "import",
                            f"upload {upload_id} {filename}: {len(parsed.row)} rows, periods {', '.join(periods)}"
                            + (f"; replaced {', '.join(clash)} (kept in the archive)" if clash else "")
                            + (f"; added to {', '.join(added)}" if added else ""))
                self._bump()
            report(1.0, "done")
        return ImportResult(upload_id, periods, tuple(clash), parsed.n, int(parsed.valid.sum()),
                            int((~parsed.ours).sum()))

    def _insert_upload(self, parsed: Parsed, data: bytes, filename: str, periods, clash, who: str) -> int:
        upload_id = self._one("SELECT coalesce(max(id), 0) + 1 FROM uploads")[0]
        self.con.execute(
            "INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [upload_id, filename, hashlib.sha256(data).hexdigest(), len(data), data, datetime.now(),
             parsed.n, int(parsed.valid.sum()), ",".join(periods), ",".join(clash), parsed.scale, who])
        return upload_id

    def _item_ids(self, parsed: Parsed) -> np.ndarray:
        """Ids of the upload's items, adding new ones; names matched width/case-insensitively."""
        known = {name_key(n): (i, n) for i, n in self.con.execute("SELECT id, name FROM items").fetchall()}
        info = {name_key(i.name): i for i in parsed.item_info}
        next_id = max((i for i, _ in known.values()), default=0) + 1
        ids = []
        for position, name in enumerate(parsed.items):
            key = name_key(name)
            meta = info.get(key)
            if key not in known:
                known[key] = (next_id, name)
                self.con.execute("INSERT INTO items VALUES (?, ?, ?, ?, ?)",
                                 [next_id, name, 1000 + next_id, meta.dimension if meta else "",
                                  meta.option if meta else ""])
                next_id += 1
            elif meta:
                self.con.execute("UPDATE items SET dimension = ?, option = ? WHERE id = ?",
                                 [meta.dimension, meta.option, known[key][0]])
            ids.append(known[key][0])
        if not self._one("SELECT count(*) FROM items WHERE position < 1000")[0]:
            for position, item_id in enumerate(ids):
                self.con.execute("UPDATE items SET position = ? WHERE id = ?", [position, item_id])
        return np.array(ids, dtype=np.int16)

    def _archive(self, periods, branches=None) -> None:
        """Move the rows of ``periods`` to the archive: all of them, or only those of
        ``branches``; an upload's sent counts and item list go with its last rows in force."""
        for period in periods:
            if branches is None:
                self.con.execute("UPDATE responses SET archived = true WHERE period = ?", [period])
            else:
                self.con.execute("""UPDATE responses SET archived = true
                                    WHERE period = ? AND list_contains(?::VARCHAR[], coalesce(branch, ''))""",
                                 [period, sorted(branches)])
            for table in ("sent", "period_items"):  # table: fixed names only
                self.con.execute(f"""UPDATE {table} SET archived = true WHERE period = ? AND NOT archived
                                     AND upload_id NOT IN (SELECT DISTINCT upload_id FROM responses
                                                           WHERE period = ? AND NOT archived)""", [period, period])

    def _canonical(self, column: str, values: np.ndarray) -> np.ndarray:
        """Use the stored spelling of a segment or customer written differently."""
        stored = self.con.execute(f"SELECT DISTINCT {column} FROM responses").fetchall()  # column: fixed names only
        spelling = {name_key(v): v for (v,) in stored if v}
        distinct = dict.fromkeys(values)
        lookup = {v: spelling.get(name_key(v), v) for v in distinct}
        if all(k == v for k, v in lookup.items()):
            return values
        return np.array([lookup[v] for v in values], dtype=object)

    def _insert_rows(self, parsed: Parsed, upload_id: int, item_ids: np.ndarray, report) -> dict:
        """Insert the questionnaires and their answers; returns the stored text columns."""
        first = self._one("SELECT coalesce(max(id), 0) + 1 FROM responses")[0]
        ids = np.arange(first, first + parsed.n, dtype=np.int64)
        stored = {"period": parsed.period, "segment": self._canonical("segment", parsed.segment),
                  "customer": self._canonical("customer", parsed.customer)}
        responses = pa.table({
            "id": ids, "upload_id": np.full(parsed.n, upload_id, np.int32), "row_number": parsed.row.astype(np.int32),
            "period": pa.array(parsed.period, pa.string()),
            "segment": pa.array(stored["segment"], pa.string()),
            "customer": pa.array(stored["customer"], pa.string()),
            "respondent_id": pa.array(parsed.respondent_id, pa.string()), "date": pa.array(parsed.date, pa.string()),
            "valid": parsed.valid, "invalid_reason": pa.array(parsed.reason, pa.string()),
            "archived": np.zeros(parsed.n, bool), "branch": pa.array(parsed.branch, pa.string()),
            "competitor": pa.array(parsed.competitor, pa.string())})
        self._append("responses", responses)
        report(0.4, "answers")
        rows, cols = np.nonzero(parsed.codes >= 0)
        self._append("answers", pa.table({"response_id": ids[rows], "item_id": item_ids[cols],
                                          "level": parsed.codes[rows, cols]}))
        report(0.6, "focus")
        rows, cols = np.nonzero(parsed.focus)
        self._append("focus", pa.table({"response_id": ids[rows], "item_id": item_ids[cols]}))
        self._insert_overall(parsed, ids)
        has_comment = np.flatnonzero(parsed.comment != "")
        self._append("comments", pa.table({"response_id": ids[has_comment],
                                           "text": pa.array(parsed.comment[has_comment], pa.string())}))
        for period in dict.fromkeys(parsed.period):
            for item_id in item_ids:
                self.con.execute("INSERT INTO period_items VALUES (?, ?, ?, false)", [period, int(item_id), upload_id])
        for period, segment, customer, sent in parsed.sent:
            self.con.execute("INSERT INTO sent VALUES (?, ?, ?, ?, ?, false)",
                             [upload_id, period, self._canonical("segment", np.array([segment], object))[0] if segment else "",
                              customer, sent])
        return stored

    def _append(self, table: str, data: pa.Table) -> None:
        self.con.register("_incoming", data)
        try:
            self.con.execute(f"INSERT INTO {table} SELECT * FROM _incoming")  # table: fixed names only
        finally:
            self.con.unregister("_incoming")

    def _clear_aggregates(self, periods) -> None:
        for period in periods:
            for table in ("agg_segment", "agg_customer", "agg_customer_valid", "agg_focus", "agg_responses",
                          "agg_cross"):
                self.con.execute(f"DELETE FROM {table} WHERE period = ?", [period])  # table: fixed names only

    def _insert_aggregates(self, rows: dict, parsed: Parsed, item_ids: np.ndarray, keep: np.ndarray) -> None:
        """The count arrays of the upload's periods marked in ``keep`` (those it holds
        whole: new or replaced), from our questionnaires of this upload alone;
        competitors' questionnaires are never part of our counts."""
        use = np.flatnonzero(keep & parsed.ours)
        rows = {name: np.asarray(values)[use] for name, values in rows.items()}
        valid, codes, focus = parsed.valid[use], parsed.codes[use], parsed.focus[use]
        g, groups = pd.factorize(pd.MultiIndex.from_arrays([rows["period"], rows["segment"]]))
        n_items, k = len(item_ids), int(max(parsed.codes.max(initial=0), 5)) + 1
        keys = [groups.get_level_values(0), groups.get_level_values(1)]
        self._append("agg_responses", pa.table({
            "period": _strings(keys[0]), "segment": _strings(keys[1]),
            "returned": np.bincount(g, minlength=len(groups)).astype(np.int64),
            "valid": np.bincount(g, weights=valid, minlength=len(groups)).astype(np.int64)}))
        r, j = np.nonzero((codes >= 0) & valid[:, None])
        self._append("agg_segment", _grouped(keys, g[r], item_ids, j, codes[r, j], n_items, k))
        self._insert_cross(keys, g, len(groups), codes, valid, item_ids, parsed.scale)
        r, j = np.nonzero(focus & valid[:, None])
        ticks = np.bincount(g[r] * n_items + j, minlength=len(groups) * n_items)
        nz = np.flatnonzero(ticks)
        self._append("agg_focus", pa.table({
            "period": _strings(keys[0]).take(nz // n_items), "segment": _strings(keys[1]).take(nz // n_items),
            "item_id": item_ids[nz % n_items], "n": ticks[nz].astype(np.int64)}))
        has = np.flatnonzero(valid & (rows["customer"] != ""))
        c, customers = pd.factorize(pd.MultiIndex.from_arrays(
            [rows["period"][has], rows["segment"][has], rows["customer"][has]]))
        levels = [customers.get_level_values(n) for n in range(3)]
        self._append("agg_customer_valid", pa.table({
            "period": _strings(levels[0]), "segment": _strings(levels[1]), "customer": _strings(levels[2]),
            "n": np.bincount(c, minlength=len(customers)).astype(np.int64)}))
        sub = codes[has]
        r, j = np.nonzero(sub >= 0)
        self._append("agg_customer", _grouped(levels, c[r], item_ids, j, sub[r, j], n_items, k))

    def delete_period(self, period: str, who=None) -> None:
        """Archive a period: its rows stay in the archive, its scores disappear."""
        actor = require(who, "replace")
        with self.transaction():
            self._archive([period])
            self._clear_aggregates([period])
            self._audit(actor, "archive_period", period)
            self._bump()

    def restorable(self) -> pd.DataFrame:
        """Per upload, the periods whose rows are in the archive (replaced) and can be
        brought back: upload_id, period, rows."""
        return self._df("""SELECT upload_id, period, count(*) AS rows FROM responses WHERE archived
                           GROUP BY ALL ORDER BY upload_id DESC, period""")

    def restore_period(self, upload_id: int, period: str, who=None) -> int:
        """Bring back the archived rows of ``period`` from upload ``upload_id`` in one
        transaction: the rows in force now go to the archive (they can come back the same
        way), the period's count arrays are rebuilt from the restored rows. Returns the
        number of questionnaires restored."""
        actor = require(who, "restore_period")
        upload_id = int(upload_id)
        with self.transaction():
            n = self._one("SELECT count(*) FROM responses WHERE upload_id = ? AND period = ? AND archived",
                          [upload_id, period])[0]
            if not n:
                raise StoreError(f"upload {upload_id} holds no archived rows of {period}")
            branches = {b for (b,) in self.con.execute(
                "SELECT DISTINCT coalesce(branch, '') FROM responses WHERE upload_id = ? AND period = ? AND archived",
                [upload_id, period]).fetchall()}
            self._archive([period], branches=branches)
            for table in ("responses", "sent", "period_items"):  # table: fixed names only
                self.con.execute(f"UPDATE {table} SET archived = false WHERE upload_id = ? AND period = ?",
                                 [upload_id, period])
            if not self._one("SELECT count(*) FROM period_items WHERE period = ? AND NOT archived", [period])[0]:
                # databases of schema 1 dropped these rows on replacing: the items answered then
                self.con.execute("""INSERT INTO period_items SELECT DISTINCT r.period, a.item_id, r.upload_id, false
                                    FROM answers a JOIN responses r ON r.id = a.response_id
                                    WHERE r.upload_id = ? AND r.period = ?""", [upload_id, period])
            self._clear_aggregates([period])
            self._aggregate_from_rows(period)
            self._audit(actor, "restore_period", f"{period} from upload {upload_id}: {n} rows back in force")
            self._bump()
        return int(n)

    def _aggregate_from_rows(self, period: str) -> None:
        """The count arrays of one period from its stored rows in force (what an import
        computes from the upload in numpy, here in SQL)."""
        live = "SELECT * FROM responses WHERE period = ? AND NOT archived AND competitor = ''"
        self.con.execute(f"""INSERT INTO agg_responses SELECT period, segment, count(*), count(*) FILTER (WHERE valid)
                             FROM ({live}) GROUP BY ALL""", [period])
        self.con.execute(f"""INSERT INTO agg_segment SELECT r.period, r.segment, a.item_id, a.level, count(*)
                             FROM ({live}) r JOIN answers a ON a.response_id = r.id WHERE r.valid
                             GROUP BY ALL""", [period])
        self.con.execute(f"""INSERT INTO agg_focus SELECT r.period, r.segment, f.item_id, count(*)
                             FROM ({live}) r JOIN focus f ON f.response_id = r.id WHERE r.valid
                             GROUP BY ALL""", [period])
        self.con.execute(f"""INSERT INTO agg_customer_valid SELECT period, segment, customer, count(*)
                             FROM ({live}) WHERE valid AND customer <> '' GROUP BY ALL""", [period])
        self.con.execute(f"""INSERT INTO agg_customer SELECT r.period, r.segment, r.customer, a.item_id, a.level,
                             count(*) FROM ({live}) r JOIN answers a ON a.response_id = r.id
                             WHERE r.valid AND r.customer <> '' GROUP BY ALL""", [period])

    def uploads(self) -> pd.DataFrame:
        return self._df("""SELECT id, filename, size, sha256, uploaded_at, rows_read, rows_valid, periods,
                           replaced, who FROM uploads ORDER BY id DESC""")

    def upload_file(self, upload_id: int) -> tuple[str, bytes] | None:
        """The original file of an upload, byte for byte (保存好原始问卷)."""
        row = self._one("SELECT filename, content FROM uploads WHERE id = ?", [int(upload_id)])
        return (row[0], bytes(row[1])) if row else None


def _strings(values) -> pa.Array:
    return pa.array(np.asarray(values, dtype=object), pa.string())


def _grouped(keys: list, group: np.ndarray, item_ids: np.ndarray, item: np.ndarray, level: np.ndarray,
             n_items: int, k: int) -> pa.Table:
    """Count answers per (group, item, level) as rows of the group's key columns."""
    flat = (group.astype(np.int64) * n_items + item) * k + level
    n = np.bincount(flat, minlength=len(keys[0]) * n_items * k)
    nz = np.flatnonzero(n)
    g, rest = nz // (n_items * k), nz % (n_items * k)
    columns = {name: _strings(values).take(g) for name, values in zip(("period", "segment", "customer"), keys)}
    return pa.table({**columns, "item_id": item_ids[rest // k], "level": (rest % k).astype(np.int16),
                     "n": n[nz].astype(np.int64)})
