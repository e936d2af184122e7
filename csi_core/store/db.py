"""The DuckDB store: schema, atomic imports, and the small count arrays pages compute on.

This is the only module with SQL. Every statement is parameterised; user text never
becomes SQL. An import is one explicit transaction: all of it or none of it.
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Callable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from csi_core.method.counts import Counts, CustomerCounts
from csi_core.reading.periods import sort_periods
from csi_core.reading.problems import Problem
from csi_core.reading.scales import clean_text, name_key
from csi_core.method.actions import ACTION_STATUSES
from csi_core.reading.parsed import Parsed
from csi_core.store.stats import SCHEMA as STATS_SCHEMA, StatsStore

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY, filename VARCHAR, sha256 VARCHAR, size BIGINT, content BLOB,
    uploaded_at TIMESTAMP, rows_read INTEGER, rows_valid INTEGER, periods VARCHAR,
    replaced VARCHAR, scale VARCHAR, who VARCHAR);
CREATE TABLE IF NOT EXISTS items (
    id SMALLINT PRIMARY KEY, name VARCHAR, position INTEGER, dimension VARCHAR, option VARCHAR);
CREATE TABLE IF NOT EXISTS responses (
    id BIGINT, upload_id INTEGER, row_number INTEGER, period VARCHAR, segment VARCHAR,
    customer VARCHAR, respondent_id VARCHAR, date VARCHAR, valid BOOLEAN,
    invalid_reason VARCHAR, archived BOOLEAN);
CREATE TABLE IF NOT EXISTS answers (response_id BIGINT, item_id SMALLINT, level SMALLINT);
CREATE TABLE IF NOT EXISTS focus (response_id BIGINT, item_id SMALLINT);
CREATE TABLE IF NOT EXISTS comments (response_id BIGINT, text VARCHAR);
CREATE TABLE IF NOT EXISTS period_items (period VARCHAR, item_id SMALLINT, upload_id INTEGER);
CREATE TABLE IF NOT EXISTS sent (
    upload_id INTEGER, period VARCHAR, segment VARCHAR, customer VARCHAR, sent INTEGER, archived BOOLEAN);
CREATE TABLE IF NOT EXISTS settings (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS scenarios (name VARCHAR PRIMARY KEY, weights VARCHAR, created_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS actions (
    id INTEGER PRIMARY KEY, period VARCHAR, kind VARCHAR, segment VARCHAR, customer VARCHAR,
    item VARCHAR, score DOUBLE, cause VARCHAR, measure VARCHAR, owner VARCHAR, due DATE,
    status VARCHAR, created_at TIMESTAMP, updated_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS audit (ts TIMESTAMP, who VARCHAR, what VARCHAR, detail VARCHAR);
CREATE TABLE IF NOT EXISTS agg_segment (period VARCHAR, segment VARCHAR, item_id SMALLINT, level SMALLINT, n BIGINT);
CREATE TABLE IF NOT EXISTS agg_customer (
    period VARCHAR, segment VARCHAR, customer VARCHAR, item_id SMALLINT, level SMALLINT, n BIGINT);
CREATE TABLE IF NOT EXISTS agg_customer_valid (period VARCHAR, segment VARCHAR, customer VARCHAR, n BIGINT);
CREATE TABLE IF NOT EXISTS agg_focus (period VARCHAR, segment VARCHAR, item_id SMALLINT, n BIGINT);
CREATE TABLE IF NOT EXISTS agg_responses (period VARCHAR, segment VARCHAR, returned BIGINT, valid BIGINT);
""" + STATS_SCHEMA

ACTION_FIELDS = ("period", "kind", "segment", "customer", "item", "score", "cause", "measure", "owner", "due", "status")
_IMPORTS = threading.Lock()  # imports of all cursors of this process, one at a time


class StoreError(Exception):
    """The database cannot be used (locked by another process, newer schema…)."""


class StoreLocked(StoreError):
    """Another process holds the database file read-write (DuckDB allows one)."""


@dataclass(frozen=True)
class ImportResult:
    upload_id: int
    periods: tuple[str, ...]
    replaced: tuple[str, ...]
    rows: int
    valid: int


class Store(StatsStore):
    """One DuckDB database: a file (``data/csi.duckdb``) or ``:memory:``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str):
        self.con = con
        self.path = path
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: str = ":memory:") -> "Store":
        """Open (and create or migrate) a database; ``StoreError`` if it is locked."""
        try:
            con = duckdb.connect(path)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(f"the database {path} is open in another program (the app?): {exc}") from None
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        store = cls(con, path)
        store._migrate()
        return store

    def close(self) -> None:
        self.con.close()

    def cursor(self) -> "Store":
        """A store on a new cursor of the same connection, for another thread."""
        other = Store(self.con.cursor(), self.path)
        return other

    # --- schema -------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._lock:
            self.con.execute("BEGIN")
            try:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self.con.execute(statement)
                version = self._meta("schema_version")
                if version is not None and int(version) > SCHEMA_VERSION:
                    raise StoreError(f"the database has schema {version}, newer than this program ({SCHEMA_VERSION})")
                self._set_meta("schema_version", str(SCHEMA_VERSION))
                if self._meta("data_version") is None:
                    self._set_meta("data_version", "0")
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise

    def _one(self, sql: str, params: list | None = None):
        """The first row of a query, or None; the result is read to the end (DuckDB 2.x
        keeps a connection busy while a result is unfinished)."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0] if rows else None

    def _meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def data_version(self) -> int:
        """Grows by one with every change of stored responses: the cache key."""
        return int(self._meta("data_version") or 0)

    def _bump(self) -> None:
        self._set_meta("data_version", str(self.data_version() + 1))

    # --- reading --------------------------------------------------------------------
    def _df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).fetch_df()

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

    def conflicts(self, parsed: Parsed, data: bytes) -> list[Problem]:
        """What stops an import unless the user asks to replace: same file, existing periods."""
        problems = []
        digest = hashlib.sha256(data).hexdigest()
        same = self._one(
            "SELECT id, uploaded_at FROM uploads WHERE sha256 = ? ORDER BY id DESC LIMIT 1", [digest])
        if same:
            problems.append(Problem("same_file", params=(("when", f"{same[1]:%Y-%m-%d %H:%M}"), ("upload", same[0]))))
        stored = set(self.periods())
        problems += [Problem("period_exists", value=p) for p in sort_periods(parsed.period) if p in stored]
        return problems

    # --- import -----------------------------------------------------------------------
    def import_upload(self, parsed: Parsed, data: bytes, filename: str, replace: bool = False,
                      who: str = "", progress: Callable[[float, str], None] | None = None) -> ImportResult:
        """Store a validated upload in one transaction: the original file, its rows,
        answers, focus ticks, comments and sent counts, and the aggregates of its periods.

        Periods already stored are archived and replaced only with ``replace``; without
        it a :class:`StoreError` is raised and nothing changes.
        """
        report = progress or (lambda fraction, label: None)
        with _IMPORTS:  # one import at a time in this process, whichever cursor
            periods = tuple(sort_periods(parsed.period))
            self.con.execute("BEGIN")
            try:
                clash = [p for p in periods if p in set(self.periods())]
                if clash and not replace:
                    raise StoreError(f"periods already stored: {', '.join(clash)}")
                upload_id = self._insert_upload(parsed, data, filename, periods, clash, who)
                report(0.1, "items")
                item_ids = self._item_ids(parsed)
                self._archive(clash)
                report(0.2, "responses")
                rows = self._insert_rows(parsed, upload_id, item_ids, report)
                report(0.8, "aggregates")
                self._clear_aggregates(periods)
                self._insert_aggregates(rows, parsed, item_ids)
                self._audit(who, "import", f"{filename}: {len(parsed.row)} rows, periods {', '.join(periods)}")
                self._bump()
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            report(1.0, "done")
        return ImportResult(upload_id, periods, tuple(clash), parsed.n, int(parsed.valid.sum()))

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

    def _archive(self, periods) -> None:
        for period in periods:
            self.con.execute("UPDATE responses SET archived = true WHERE period = ?", [period])
            self.con.execute("UPDATE sent SET archived = true WHERE period = ?", [period])
            self.con.execute("DELETE FROM period_items WHERE period = ?", [period])

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
            "archived": np.zeros(parsed.n, bool)})
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
                self.con.execute("INSERT INTO period_items VALUES (?, ?, ?)", [period, int(item_id), upload_id])
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

    def _insert_aggregates(self, rows: dict, parsed: Parsed, item_ids: np.ndarray) -> None:
        """The count arrays of the upload's periods. A period is always imported whole
        (new or replacing), so its counts are this upload's valid rows alone."""
        valid = parsed.valid
        g, groups = pd.factorize(pd.MultiIndex.from_arrays([rows["period"], rows["segment"]]))
        n_items, k = len(item_ids), int(max(parsed.codes.max(initial=0), 5)) + 1
        keys = [groups.get_level_values(0), groups.get_level_values(1)]
        self._append("agg_responses", pa.table({
            "period": _strings(keys[0]), "segment": _strings(keys[1]),
            "returned": np.bincount(g, minlength=len(groups)).astype(np.int64),
            "valid": np.bincount(g, weights=valid, minlength=len(groups)).astype(np.int64)}))
        r, j = np.nonzero((parsed.codes >= 0) & valid[:, None])
        self._append("agg_segment", _grouped(keys, g[r], item_ids, j, parsed.codes[r, j], n_items, k))
        self._insert_cross(keys, g, len(groups), parsed.codes, valid, item_ids, parsed.scale)
        r, j = np.nonzero(parsed.focus & valid[:, None])
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
        sub = parsed.codes[has]
        r, j = np.nonzero(sub >= 0)
        self._append("agg_customer", _grouped(levels, c[r], item_ids, j, sub[r, j], n_items, k))

    def delete_period(self, period: str, who: str = "") -> None:
        """Archive a period: its rows stay in the archive, its scores disappear."""
        with self._lock:
            self.con.execute("BEGIN")
            try:
                self._archive([period])
                self._clear_aggregates([period])
                self._audit(who, "archive_period", period)
                self._bump()
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise

    # --- count arrays -------------------------------------------------------------------
    def counts(self) -> Counts:
        """The small arrays every score is computed from (see :class:`Counts`)."""
        with self._lock:
            seg = self.con.sql("SELECT period, segment, item_id, level, n FROM agg_segment").to_arrow_table()
            cus_valid = self.con.execute("SELECT period, segment, customer, n FROM agg_customer_valid").fetchall()
            foc = self.con.execute("SELECT period, segment, item_id, n FROM agg_focus").fetchall()
            resp = self.con.execute("SELECT period, segment, returned, valid FROM agg_responses").fetchall()
            items = self.con.execute("SELECT id, name FROM items ORDER BY position, id").fetchall()
            present = self.con.execute("SELECT DISTINCT period, item_id FROM period_items").fetchall()
            sent = self.con.execute(
                "SELECT period, segment, sum(sent) FROM sent WHERE NOT archived GROUP BY ALL").fetchall()
            scale = self._one(
                "SELECT scale FROM uploads ORDER BY id DESC LIMIT 1")
            counts = _build_counts(seg, self._customer_rows, cus_valid, foc, resp, items, present, sent,
                                   scale[0] if scale else "default")
            return replace(counts, cross=self._cross(counts))

    def _customer_rows(self, p_ix: dict, keys: list, i_ix: dict, k: int):
        """Per (period, customer, item): integer codes and one count column per answer
        code, grouped by DuckDB (no text keys reach numpy)."""
        self.con.register("_periods", pa.table({"period": list(p_ix), "p": list(p_ix.values())}))
        self.con.register("_customers", pa.table({"segment": [s for s, _ in keys], "customer": [c for _, c in keys],
                                                  "c": np.arange(len(keys), dtype=np.int64)}))
        self.con.register("_items", pa.table({"item_id": list(i_ix), "i": list(i_ix.values())}))
        levels = ", ".join(f"sum(n) FILTER (WHERE a.level = {int(code)}) AS l{int(code)}" for code in range(k))
        try:
            got = self.con.execute(f"""
                SELECT p.p, c.c, i.i, {levels} FROM agg_customer a
                JOIN _periods p USING (period) JOIN _customers c USING (segment, customer) JOIN _items i USING (item_id)
                GROUP BY ALL ORDER BY 1, 2, 3""").fetchnumpy()
        finally:
            for name in ("_periods", "_customers", "_items"):
                self.con.unregister(name)
        counts = np.stack([np.asarray(got[f"l{code}"]).astype(np.float64) for code in range(k)], axis=1) if k else None
        counts = np.nan_to_num(counts).astype(np.int64)
        return (np.asarray(got["p"], np.int64), np.asarray(got["c"], np.int64), np.asarray(got["i"], np.int64), counts)

    # --- browsing ---------------------------------------------------------------------
    def responses(self, period: str | None = None, segment: str | None = None, valid: bool | None = None,
                  limit: int = 5000) -> pd.DataFrame:
        """Stored questionnaires (current, not archived) with their answers as labels' levels."""
        where, params = ["NOT archived"], []
        for column, value in (("period", period), ("segment", segment)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if valid is not None:
            where.append("valid = ?")
            params.append(valid)
        params.append(int(limit))
        base = self._df(f"""
            SELECT id, period, segment, customer, respondent_id, date, valid, invalid_reason, row_number, upload_id
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

    def comments(self, period: str | None = None, segment: str | None = None) -> pd.DataFrame:
        where, params = ["NOT r.archived"], []
        for column, value in (("period", period), ("segment", segment)):
            if value:
                where.append(f"r.{column} = ?")
                params.append(value)
        return self._df(f"""
            SELECT r.period, r.segment, r.customer, r.respondent_id, c.text AS comment, r.valid
            FROM comments c JOIN responses r ON r.id = c.response_id
            WHERE {' AND '.join(where)} ORDER BY r.id""", params)

    def uploads(self) -> pd.DataFrame:
        return self._df("""SELECT id, filename, size, sha256, uploaded_at, rows_read, rows_valid, periods,
                           replaced, who FROM uploads ORDER BY id DESC""")

    def upload_file(self, upload_id: int) -> tuple[str, bytes] | None:
        """The original file of an upload, byte for byte (保存好原始问卷)."""
        row = self._one("SELECT filename, content FROM uploads WHERE id = ?", [int(upload_id)])
        return (row[0], bytes(row[1])) if row else None

    # --- settings, scenarios, audit --------------------------------------------------------
    def get_setting(self, key: str, default=None):
        row = self._one("SELECT value FROM settings WHERE key = ?", [key])
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value, who: str = "") -> None:
        with self._lock:
            self.con.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, json.dumps(value, ensure_ascii=False)])
            self._audit(who, "setting", f"{key} = {json.dumps(value, ensure_ascii=False)}")

    def save_scenario(self, name: str, weights: dict) -> None:
        with self._lock:
            self.con.execute("INSERT OR REPLACE INTO scenarios VALUES (?, ?, ?)",
                             [clean_text(name), json.dumps(weights, ensure_ascii=False), datetime.now()])

    def scenarios(self) -> dict[str, dict]:
        rows = self.con.execute("SELECT name, weights FROM scenarios ORDER BY created_at").fetchall()
        return {name: json.loads(w) for name, w in rows}

    def delete_scenario(self, name: str) -> None:
        with self._lock:
            self.con.execute("DELETE FROM scenarios WHERE name = ?", [clean_text(name)])

    def _audit(self, who: str, what: str, detail: str) -> None:
        self.con.execute("INSERT INTO audit VALUES (?, ?, ?, ?)", [datetime.now(), who, what, detail])

    def audit(self, limit: int = 200) -> pd.DataFrame:
        return self._df("SELECT * FROM audit ORDER BY ts DESC LIMIT ?", [int(limit)])

    # --- corrective actions -------------------------------------------------------------------
    def actions(self, period: str | None = None) -> pd.DataFrame:
        if period:
            return self._df("SELECT * FROM actions WHERE period = ? ORDER BY id", [period])
        return self._df("SELECT * FROM actions ORDER BY id")

    def save_action(self, action: dict, who: str = "") -> int:
        """Insert (no ``id``) or update an action; returns its id."""
        return self.save_actions([action], who)[0]

    def save_actions(self, records: list[dict], who: str = "") -> list[int]:
        """Insert or update many actions in one transaction; returns their ids."""
        ids = []
        with self._lock:
            self.con.execute("BEGIN")
            try:
                next_id = self._one("SELECT coalesce(max(id), 0) + 1 FROM actions")[0]
                for action in records:
                    values = [_plain(action.get(f)) for f in ACTION_FIELDS]
                    if action.get("id") is None or pd.isna(action.get("id")):
                        self.con.execute(f"INSERT INTO actions VALUES (?, {', '.join('?' * len(ACTION_FIELDS))}, ?, ?)",
                                         [next_id, *values, datetime.now(), datetime.now()])
                        ids.append(int(next_id))
                        next_id += 1
                    else:
                        sets = ", ".join(f"{f} = ?" for f in ACTION_FIELDS)
                        self.con.execute(f"UPDATE actions SET {sets}, updated_at = ? WHERE id = ?",
                                         [*values, datetime.now(), int(action["id"])])
                        ids.append(int(action["id"]))
                if ids:
                    self._audit(who, "action", ", ".join(str(i) for i in ids[:20]) + (" …" if len(ids) > 20 else ""))
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
        return ids

    def delete_action(self, action_id: int, who: str = "") -> None:
        with self._lock:
            self.con.execute("DELETE FROM actions WHERE id = ?", [int(action_id)])
            self._audit(who, "action_deleted", str(action_id))


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
