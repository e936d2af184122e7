"""The connection: opening a database file, the schema and its migrations, and the one
transaction every write goes through.

DuckDB allows one read-write process per file; within a process each thread works on its
own cursor (:meth:`Connection.cursor`).
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import Iterator

import duckdb
import pandas as pd

from csi_core.store.faults import fault_of

SCHEMA_VERSION = 3

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
    invalid_reason VARCHAR, archived BOOLEAN, branch VARCHAR DEFAULT '', competitor VARCHAR DEFAULT '');
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
CREATE TABLE IF NOT EXISTS complaints (
    id INTEGER PRIMARY KEY, received DATE, customer VARCHAR, segment VARCHAR, branch VARCHAR,
    complainant VARCHAR, channel VARCHAR, content VARCHAR, request VARCHAR, valid BOOLEAN,
    validity_reason VARCHAR, type VARCHAR, class VARCHAR, loss DOUBLE, department VARCHAR, person VARCHAR,
    cause VARCHAR, solution VARCHAR, instruction VARCHAR, status VARCHAR, closed DATE, satisfaction VARCHAR,
    items VARCHAR, created_at TIMESTAMP, updated_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY, period VARCHAR, status VARCHAR, attendees VARCHAR,
    opened_at TIMESTAMP, opened_by VARCHAR, closed_at TIMESTAMP, closed_by VARCHAR,
    upload_ids VARCHAR, weights VARCHAR, scale VARCHAR, settings VARCHAR, agenda VARCHAR);
CREATE TABLE IF NOT EXISTS review_decisions (
    id INTEGER PRIMARY KEY, review_id INTEGER, point VARCHAR, text VARCHAR, action_id INTEGER,
    who VARCHAR, created_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS overall (response_id BIGINT, level SMALLINT);
CREATE TABLE IF NOT EXISTS agg_cross (
    period VARCHAR, segment VARCHAR, item_i SMALLINT, item_j SMALLINT, aa DOUBLE, xa DOUBLE, xx DOUBLE,
    scale VARCHAR);
CREATE TABLE IF NOT EXISTS users (
    name VARCHAR PRIMARY KEY, role VARCHAR, password VARCHAR, created_at TIMESTAMP, updated_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS assessment_entries (
    id INTEGER PRIMARY KEY, year INTEGER, unit VARCHAR, kind VARCHAR, points DOUBLE, note VARCHAR, who VARCHAR,
    created_at TIMESTAMP);
"""
# Changes of tables that exist already, by the schema version that brought them; each is
# safe to run again.
MIGRATIONS = (
    (2, "ALTER TABLE period_items ADD COLUMN IF NOT EXISTS archived BOOLEAN DEFAULT false"),
    (2, "UPDATE period_items SET archived = false WHERE archived IS NULL"),
    # branches (blank = headquarters) and competitor questionnaires (blank = ours)
    (3, "ALTER TABLE responses ADD COLUMN IF NOT EXISTS branch VARCHAR DEFAULT ''"),
    (3, "ALTER TABLE responses ADD COLUMN IF NOT EXISTS competitor VARCHAR DEFAULT ''"),
    (3, "UPDATE responses SET branch = '' WHERE branch IS NULL"),
    (3, "UPDATE responses SET competitor = '' WHERE competitor IS NULL"),
)


log = logging.getLogger("csi.store")


class StoreError(Exception):
    """The database cannot be used or changed (locked by another process, damaged,
    disk full or read-only, newer schema…); ``kind`` is one of ``faults.FAULT_KINDS``."""

    def __init__(self, message: str, kind: str | None = None):
        super().__init__(message)
        self.kind = kind or fault_of(Exception(message))


class StoreLocked(StoreError):
    """Another process holds the database file read-write (DuckDB allows one)."""

    def __init__(self, message: str):
        super().__init__(message, "locked")


class Connection:
    """One DuckDB database: a file (``data/csi.duckdb``) or ``:memory:``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str):
        self.con = con
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0  # open transaction() blocks on this cursor

    @classmethod
    def open(cls, path: str = ":memory:"):
        """Open (and create or migrate) a database; ``StoreError`` if it is locked."""
        try:
            con = duckdb.connect(path)
        except (duckdb.Error, OSError) as exc:
            if fault_of(exc) == "locked":
                raise StoreLocked(f"the database {path} is open in another program (the app?): {exc}") from None
            raise StoreError(f"cannot open the database {path}: {exc}", fault_of(exc)) from None
        store = cls(con, path)
        try:
            store._migrate()
        except duckdb.Error as exc:
            con.close()
            raise StoreError(f"cannot open the database {path}: {exc}", fault_of(exc)) from None
        return store

    def close(self) -> None:
        self.con.close()

    def cursor(self):
        """A store on a new cursor of the same connection, for another thread."""
        return type(self)(self.con.cursor(), self.path)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements of the block or none of them. Blocks nest: only the outermost
        one begins and commits. A fault of the file or its disk (full, read-only,
        damaged) becomes a :class:`StoreError` naming it, never the failed rollback's
        "no transaction is active"."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self.con.execute("BEGIN")
            self._depth = 1
            try:
                yield
            except BaseException as exc:
                self._depth = 0
                self._rollback_after(exc)
                if isinstance(exc, duckdb.Error) and fault_of(exc) != "other":
                    raise StoreError(f"the change was not saved: {exc}", fault_of(exc)) from exc
                raise
            self._depth = 0
            try:
                self.con.execute("COMMIT")
            except duckdb.Error as exc:
                self._rollback_after(exc)
                raise StoreError(f"the change was not saved: {exc}", fault_of(exc)) from exc

    def _rollback_after(self, exc: BaseException) -> None:
        """Undo an open transaction; DuckDB may have ended it already on a fatal error."""
        try:
            self.con.execute("ROLLBACK")
        except duckdb.Error as failed:
            log.warning("rollback after %s: %s", type(exc).__name__, failed)

    # --- schema -------------------------------------------------------------------
    def _migrate(self) -> None:
        with self.transaction():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.con.execute(statement)
            version = self._meta("schema_version")
            if version is not None and int(version) > SCHEMA_VERSION:
                raise StoreError(f"the database has schema {version}, newer than this program ({SCHEMA_VERSION})",
                                 "newer")
            for since, statement in MIGRATIONS:
                if version is None or int(version) < since:
                    self.con.execute(statement)
            self._set_meta("schema_version", str(SCHEMA_VERSION))
            if self._meta("data_version") is None:
                self._set_meta("data_version", "0")

    # --- small helpers every part uses -----------------------------------------------
    def _one(self, sql: str, params: list | None = None):
        """The first row of a query, or None; the result is read to the end (DuckDB 2.x
        keeps a connection busy while a result is unfinished)."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0] if rows else None

    def _df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).fetch_df()

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
