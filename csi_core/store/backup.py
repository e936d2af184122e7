"""Backup and restore of the whole database: one zip with every table as Parquet, the
original uploaded files byte for byte, and a manifest with a sha256 of every entry.

A restore writes a NEW database file (never over an existing one unless told), checks
every checksum before anything is written, and leaves nothing behind when it fails.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path, PurePosixPath

import pyarrow as pa
import pyarrow.parquet as pq

from csi_core.store.access import require
from csi_core.store.connection import SCHEMA_VERSION, StoreError

FORMAT = "csi-backup-1"
MANIFEST = "manifest.json"
BACKUP_ERRORS = ("restore_exists", "backup_not_ours", "backup_newer", "backup_damaged")  # codes of BackupError
MAX_ENTRY = 4 << 30  # bytes: a backup entry larger than this is not ours


class BackupError(StoreError):
    """A backup file that cannot be restored (damaged, not ours, checksum wrong) or a
    target that exists."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code, "other")
        self.code, self.detail = code, detail


def _tables(store) -> list[str]:
    rows = store.con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                             "AND schema_name = 'main' ORDER BY table_name").fetchall()
    return [r[0] for r in rows]


def _parquet(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def write_backup(store, out, who=None) -> dict:
    """Write the backup zip to ``out`` (a path or a binary file); returns the manifest.
    Read in one transaction, so the backup is one consistent moment."""
    actor = require(who, "backup")
    entries: dict[str, dict] = {}
    with store.transaction():
        store._audit(actor, "backup", f"{len(_tables(store))} tables, {store.data_version()} data version")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            def put(name: str, data: bytes, **extra) -> None:
                zf.writestr(name, data)
                entries[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), **extra}

            for name in _tables(store):
                columns = "* EXCLUDE (content)" if name == "uploads" else "*"  # the files go apart, as they were
                table = store.con.sql(f"SELECT {columns} FROM {name}").to_arrow_table()  # name: from the catalog
                put(f"tables/{name}.parquet", _parquet(table), table=name, rows=table.num_rows)
            for upload_id, filename, content in store.con.execute(
                    "SELECT id, filename, content FROM uploads ORDER BY id").fetchall():
                put(f"uploads/{upload_id}/{PurePosixPath(filename or 'upload.xlsx').name}", bytes(content),
                    upload=upload_id)
            manifest = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "created_at": datetime.now().isoformat(),
                        "created_by": actor.name, "entries": entries}
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def backup_bytes(store, who=None) -> bytes:
    sink = io.BytesIO()
    write_backup(store, sink, who)
    return sink.getvalue()


def read_manifest(zf: zipfile.ZipFile) -> dict:
    """The manifest, after checking that it is ours and every entry matches its checksum."""
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError("backup_not_ours", str(exc)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("backup_not_ours", str(manifest.get("format") if isinstance(manifest, dict) else ""))
    if int(manifest.get("schema_version", 0)) > SCHEMA_VERSION:
        raise BackupError("backup_newer", str(manifest.get("schema_version")))
    names = set(zf.namelist())
    for name, entry in manifest.get("entries", {}).items():
        if name not in names:
            raise BackupError("backup_damaged", f"{name} missing")
        info = zf.getinfo(name)
        if info.file_size > MAX_ENTRY or info.file_size != entry.get("size"):
            raise BackupError("backup_damaged", f"{name} size")
        if hashlib.sha256(zf.read(name)).hexdigest() != entry.get("sha256"):
            raise BackupError("backup_damaged", f"{name} checksum")
    return manifest


def restore_backup(source, db_path: str, overwrite: bool = False, who=None) -> dict:
    """Restore the backup ``source`` (a path or binary file) into a new database file
    ``db_path``; returns the manifest. Nothing is written unless every checksum matches;
    the file appears only when the restore is complete."""
    from csi_core.store.db import Store

    actor = require(who, "restore")
    target = Path(db_path)
    if target.exists() and not overwrite:
        raise BackupError("restore_exists", str(target))
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError("backup_not_ours", str(exc)) from None
    with zf:
        manifest = read_manifest(zf)
        entries = manifest["entries"]
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".restore-", suffix=".duckdb", dir=target.parent)
        os.close(fd)
        os.unlink(tmp)  # DuckDB creates it
        try:
            store = Store.open(tmp)
            try:
                with store.transaction():
                    _fill(store, zf, entries)
                    store._audit(actor, "restore", f"from a backup of {manifest.get('created_at')} "
                                                   f"by {manifest.get('created_by')}")
                store.con.execute("CHECKPOINT")
            finally:
                store.close()
            os.replace(tmp, target)
        finally:
            for leftover in (tmp, tmp + ".wal"):
                if os.path.exists(leftover):
                    os.unlink(leftover)
    return manifest


def _fill(store, zf: zipfile.ZipFile, entries: dict) -> None:
    known = set(_tables(store))
    files = {e["upload"]: name for name, e in entries.items() if "upload" in e}
    for name, entry in entries.items():
        table = entry.get("table")
        if table is None:
            continue
        if table not in known:
            raise BackupError("backup_not_ours", f"table {table}")
        data = pq.read_table(io.BytesIO(zf.read(name)))
        if table == "uploads":
            contents = []
            for upload_id, digest in zip(data.column("id").to_pylist(), data.column("sha256").to_pylist()):
                content = zf.read(files[upload_id]) if upload_id in files else b""
                if hashlib.sha256(content).hexdigest() != digest:
                    raise BackupError("backup_damaged", f"upload {upload_id}")
                contents.append(content)
            position = data.column_names.index("content") if "content" in data.column_names else 4
            data = data.add_column(position, "content", pa.array(contents, pa.binary()))
        store.con.execute(f"DELETE FROM {table}")  # the new file's own meta rows give way to the backup's
        store.con.register("_restored", data)
        try:
            columns = ", ".join(f'"{c}"' for c in data.column_names)
            store.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _restored")
        finally:
            store.con.unregister("_restored")
