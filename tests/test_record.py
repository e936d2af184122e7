"""The system of record in the store: roles refused in the write functions, users with
argon2 hashes, an audit row for every change (old → new), backup and restore, a replaced
period brought back, faults named."""
import io
import re
import zipfile

import duckdb
import openpyxl
import pytest

from csi_core.method import csi
from csi_core.store import backup, ingest
from csi_core.store.access import Actor, PermissionDenied, role_for_email
from csi_core.store.db import Store, StoreError, UserError
from csi_core.store.faults import fault_message, fault_of
from tests.conftest import xlsx

Q1 = xlsx([["period", "segment", "customer", "质量", "服务", "focus", "comment"],
           ["2026Q1", "民用户", "甲", "很满意", "较满意", "A", "好"],
           ["2026Q1", "工商业户", "ACME", "一般", "很满意", "A、B", None],
           ["2026Q1", "工商业户", "ACME", "不满意", None, None, None]])
Q1_NEW = xlsx([["period", "segment", "质量", "服务"], ["2026Q1", "民用户", "很不满意", "不满意"]])
VIEWER, EDITOR, ADMIN = Actor("vera", "viewer"), Actor("ed", "editor"), Actor("ada", "admin")
TABLES = ["uploads", "items", "responses", "answers", "focus", "comments", "sent", "agg_segment", "agg_customer",
          "agg_customer_valid", "agg_focus", "agg_responses", "period_items", "settings", "scenarios", "actions",
          "users", "meta"]


def rows(s: Store, table: str) -> list:
    return s.con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


# --- roles --------------------------------------------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda s, who: ingest.ingest(s, Q1, "q1.xlsx", who=who),
    lambda s, who: s.set_setting("segment_weights", {"民用户": 70}, who=who),
    lambda s, who: s.save_scenario("半半", {"segments": {"民用户": 50}}, who=who),
    lambda s, who: s.delete_scenario("半半", who=who),
    lambda s, who: s.save_action({"period": "2026Q1", "item": "质量", "status": "open"}, who=who),
    lambda s, who: s.delete_action(1, who=who),
    lambda s, who: s.add_user("x", "viewer", "long enough", who=who),
])
def test_a_viewer_changes_nothing(store, call):
    before = {t: rows(store, t) for t in TABLES + ["audit"]}
    with pytest.raises(PermissionDenied) as denied:
        call(store, VIEWER)
    assert denied.value.actor == VIEWER
    assert {t: rows(store, t) for t in TABLES + ["audit"]} == before


def test_an_editor_imports_and_edits_but_sets_no_weights_or_users(store):
    assert ingest.ingest(store, Q1, "q1.xlsx", who=EDITOR).ok
    assert ingest.ingest(store, Q1_NEW, "q1b.xlsx", who=EDITOR, replace=True).ok
    store.save_scenario("甲", {"segments": {"民用户": 1}}, who=EDITOR)
    store.save_action({"period": "2026Q1", "item": "质量", "status": "open"}, who=EDITOR)
    for call in (lambda: store.set_setting("segment_weights", {"民用户": 1}, who=EDITOR),
                 lambda: store.set_setting("min_answered_share", 0.6, who=EDITOR),
                 lambda: store.add_user("x", "admin", "long enough", who=EDITOR),
                 lambda: store.audit(reader=EDITOR),
                 lambda: backup.backup_bytes(store, who=EDITOR)):
        with pytest.raises(PermissionDenied):
            call()
    store.set_setting("segment_weights", {"民用户": 1}, who=ADMIN)
    assert PermissionDenied(VIEWER, "weights").message("en") == \
        "vera (viewer) may not set the company weights; nothing was changed."


def test_role_for_email_takes_the_highest_matching_role():
    mapping = {"admin": ["qm@example.com"], "editor": ["*@quality.example.com"], "viewer": "*@example.com"}
    assert role_for_email("QM@Example.com", mapping) == "admin"
    assert role_for_email("li@quality.example.com", mapping) == "editor"
    assert role_for_email("wang@example.com", mapping) == "viewer"
    assert role_for_email("wang@example.org", mapping) is None
    assert role_for_email("not-an-address", {"viewer": ["*"]}) is None
    assert role_for_email("a@b.c", {}) is None


# --- users --------------------------------------------------------------------------------------
def test_users_are_stored_hashed_and_verified(store):
    assert not store.has_users()
    store.add_user(" ada ", "admin", "correct horse", who=ADMIN)
    stored = store.con.execute("SELECT password FROM users").fetchall()[0][0]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert store.verify("ada", "correct horse") == Actor("ada", "admin")
    assert store.verify("ada", "wrong horse") is None and store.verify("nobody", "correct horse") is None
    with pytest.raises(UserError) as short:
        store.add_user("bo", "viewer", "short", who=ADMIN)
    assert short.value.code == "user_password"
    with pytest.raises(UserError):
        store.add_user("bo", "root", "long enough", who=ADMIN)
    store.add_user("bo", "viewer", "long enough", who=ADMIN)
    with pytest.raises(UserError) as last:
        store.remove_user("ada", who=ADMIN)  # bo could not be managed any more
    assert last.value.code == "user_last_admin"
    store.add_user("bo", "editor", None, who=ADMIN)  # a new role, the password kept
    assert store.verify("bo", "long enough") == Actor("bo", "editor")
    assert store.remove_user("bo", who=ADMIN) and not store.remove_user("bo", who=ADMIN)
    assert list(store.audit(what="user_changed").detail) == ["bo: viewer → editor"]


# --- audit --------------------------------------------------------------------------------------
def test_every_change_is_audited_with_old_and_new_values(store):
    ingest.ingest(store, Q1, "q1.xlsx", who=EDITOR)
    ingest.ingest(store, Q1_NEW, "q1b.xlsx", who=EDITOR, replace=True)
    store.set_setting("segment_weights", {"民用户": 70}, who=ADMIN)
    store.set_setting("segment_weights", {"民用户": 60}, who=ADMIN)
    aid = store.save_action({"period": "2026Q1", "item": "质量", "status": "open", "owner": ""}, who=EDITOR)
    store.save_action({"id": aid, "period": "2026Q1", "item": "质量", "status": "done", "owner": "王"}, who=EDITOR)
    store.delete_action(aid, who=EDITOR)
    store.save_scenario("甲", {"segments": {"民用户": 1}}, who=EDITOR)
    store.delete_scenario("甲", who=EDITOR)
    store.restore_period(1, "2026Q1", who=EDITOR)
    log = store.audit(reader=ADMIN).iloc[::-1]
    got = list(zip(log.who, log.what))
    assert got == [("ed", "import"), ("ed", "replace"), ("ada", "weights"), ("ada", "weights"), ("ed", "action"),
                   ("ed", "action"), ("ed", "action_deleted"), ("ed", "scenario_saved"), ("ed", "scenario_deleted"),
                   ("ed", "restore_period")]
    details = list(log.detail)
    assert details[3] == 'segment_weights: {"民用户": 70} → {"民用户": 60}'
    assert details[5] == f"#{aid}: owner — → '王'; status 'open' → 'done'"
    assert "replaced 2026Q1" in details[1] and details[6].startswith(f"#{aid}: period='2026Q1'")
    assert details[9] == "2026Q1 from upload 1: 3 rows back in force"
    assert list(store.audit(who="ada", reader=ADMIN).what) == ["weights", "weights"]
    assert list(store.audit(text="王", reader=ADMIN).what) == ["action_deleted", "action"]
    assert store.audit(text="%", reader=ADMIN).empty  # the text is a text, not a pattern


# --- a replaced period brought back -----------------------------------------------------------
def test_a_replaced_period_comes_back_with_the_same_count_arrays(store):
    ingest.ingest(store, Q1, "q1.xlsx")
    aggregates = ["agg_segment", "agg_customer", "agg_customer_valid", "agg_focus", "agg_responses"]
    first = {t: rows(store, t) for t in aggregates}
    total = csi.compute(store.counts()).total[0]
    ingest.ingest(store, Q1_NEW, "q1b.xlsx", replace=True)
    assert csi.compute(store.counts()).total[0] == pytest.approx(10.0)  # (0 + 0.2) / 2
    assert list(store.restorable().itertuples(index=False)) == [(1, "2026Q1", 3)]
    assert store.restore_period(1, "2026Q1") == 3
    assert {t: rows(store, t) for t in aggregates} == first
    assert csi.compute(store.counts()).total[0] == pytest.approx(total)
    assert list(store.restorable().itertuples(index=False)) == [(2, "2026Q1", 1)]  # and back again
    with pytest.raises(StoreError):
        store.restore_period(1, "2026Q1")


# --- backup and restore -----------------------------------------------------------------------
def _report_cells(s: Store) -> list:
    from csi_core.outputs import report, report_files

    book = openpyxl.load_workbook(io.BytesIO(report_files.make(report.build(s, lang="en"), "xlsx")), read_only=True)
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
    return [[c for c in row if not (isinstance(c, str) and stamp.search(c))]
            for ws in book.worksheets for row in ws.iter_rows(values_only=True)]


def test_backup_round_trip_gives_every_table_and_the_report(store, tmp_path):
    ingest.ingest(store, Q1, "q1.xlsx")
    ingest.ingest(store, Q1_NEW, "q1b.xlsx", replace=True)
    store.set_setting("segment_weights", {"民用户": 70, "工商业户": 30})
    store.save_action({"period": "2026Q1", "item": "质量", "status": "open", "due": "2026-05-01"})
    store.save_scenario("甲", {"segments": {"民用户": 1}})
    store.add_user("ada", "admin", "correct horse")
    data = backup.backup_bytes(store)
    target = tmp_path / "restored.duckdb"
    manifest = backup.restore_backup(io.BytesIO(data), str(target))
    assert {e["table"] for e in manifest["entries"].values() if "table" in e} >= set(TABLES) | {"audit"}
    restored = Store.open(str(target))
    try:
        for table in TABLES:
            assert rows(restored, table) == rows(store, table), table
        assert rows(restored, "audit")[:-1] == rows(store, "audit")  # plus the restore itself
        assert restored.upload_file(1) == ("q1.xlsx", Q1) and restored.upload_file(2) == ("q1b.xlsx", Q1_NEW)
        assert restored.verify("ada", "correct horse") == Actor("ada", "admin")
        assert _report_cells(restored) == _report_cells(store)
    finally:
        restored.close()
    with pytest.raises(backup.BackupError) as exists:
        backup.restore_backup(io.BytesIO(data), str(target))
    assert exists.value.code == "restore_exists"


def test_a_damaged_backup_is_refused_and_writes_nothing(store, tmp_path):
    ingest.ingest(store, Q1, "q1.xlsx")
    data = backup.backup_bytes(store)
    source = zipfile.ZipFile(io.BytesIO(data))
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as out:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("uploads/"):
                content = content[:-1] + bytes([content[-1] ^ 1])
            out.writestr(info, content)
    target = tmp_path / "new.duckdb"
    with pytest.raises(backup.BackupError) as damaged:
        backup.restore_backup(io.BytesIO(tampered.getvalue()), str(target))
    assert damaged.value.code == "backup_damaged" and "checksum" in damaged.value.detail
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(backup.BackupError) as foreign:
        backup.restore_backup(io.BytesIO(Q1), str(target))  # an xlsx is a zip, but not ours
    assert foreign.value.code == "backup_not_ours" and not target.exists()


# --- faults -----------------------------------------------------------------------------------
def test_faults_are_named_from_duckdb_and_os_errors():
    assert fault_of(duckdb.Error("Corrupt database file: computed checksum 1 does not match stored checksum 2")) \
        == "corrupt"
    assert fault_of(duckdb.IOException('Could not write file "x.wal": No space left on device')) == "disk_full"
    assert fault_of(OSError(30, "Read-only file system")) == "read_only"
    assert fault_of(ValueError("a bug")) == "other"
    assert fault_message(OSError(28, "No space left on device"), "en", "d.duckdb").startswith(
        "The disk holding the database file d.duckdb is full")


def test_a_damaged_file_is_a_store_error_naming_it(tmp_path):
    path = tmp_path / "bad.duckdb"
    path.write_bytes(b"not a database " * 200)
    with pytest.raises(StoreError) as bad:
        Store.open(str(path))
    assert bad.value.kind == "corrupt"


def test_a_failed_commit_names_its_cause_not_the_rollback(store, monkeypatch):
    """What DuckDB does when the disk goes read-only under a commit: the commit fails
    and the transaction is gone, so a ROLLBACK would say "no transaction is active"."""
    real = store.con

    class Failing:
        def __getattr__(self, name):
            return getattr(real, name)

        def execute(self, sql, *args):
            if sql == "COMMIT":
                real.execute("ROLLBACK")
                raise duckdb.TransactionException(
                    'Failed to commit: Could not write file "x.wal": Read-only file system')
            return real.execute(sql, *args)

    monkeypatch.setattr(store, "con", Failing())
    with pytest.raises(StoreError) as failed:
        ingest.ingest(store, Q1, "q1.xlsx")
    assert failed.value.kind == "read_only" and "no transaction is active" not in str(failed.value)
    monkeypatch.undo()
    assert store.is_empty() and ingest.ingest(store, Q1, "q1.xlsx").ok


FILL_DISK = """
import os, resource, signal, sys
from csi_core.store.db import Store
from csi_core.store.ingest import ingest
from csi_core.store.faults import fault_message
from csi_core.demo import demo_bytes

store = Store.open(sys.argv[1])
data = demo_bytes()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (os.path.getsize(sys.argv[1]) + 1000, resource.RLIM_INFINITY))
try:
    ingest(store, data, "demo.xlsx")
except Exception as exc:
    print(fault_message(exc, "en", "DB"))
    print(exc)
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
print("next import", ingest(store, data, "demo.xlsx").ok)
"""


def test_a_real_write_failure_mid_import_names_the_disk(tmp_path):
    """The file may not grow (as on a full disk) while an import commits: the message
    says the disk is full, the database keeps what it had, the next import works."""
    import subprocess
    import sys

    db = tmp_path / "x.duckdb"
    Store.open(str(db)).close()
    out = subprocess.run([sys.executable, "-c", FILL_DISK, str(db)], capture_output=True, text=True, timeout=120,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    lines = out.stdout.splitlines()
    assert lines[0].startswith("The disk holding the database file DB is full"), out.stdout + out.stderr
    assert "no transaction is active" not in out.stdout and lines[-1] == "next import True"


# --- the command line ---------------------------------------------------------------------------
def test_cli_users_audit_backup_restore_and_a_damaged_file(tmp_path, capsys, monkeypatch):
    """In process (``main(argv)``), the same code the ``python -m csi_core`` process runs."""
    from csi_core.__main__ import main

    def cli(*args, stdin: str = ""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out.strip(), out.err.strip()

    db, zipped, restored = tmp_path / "x.duckdb", tmp_path / "b.zip", tmp_path / "y.duckdb"
    (tmp_path / "q1.xlsx").write_bytes(Q1)
    assert cli("import", tmp_path / "q1.xlsx", "--db", db)[0] == 0
    assert cli("users", "add", "ada", "--role", "admin", "--db", db, "--password-stdin",
               stdin="correct horse\n") == (0, "added ada (admin)", "")
    assert cli("users", "add", "bo", "--role", "viewer", "--db", db, "--password-stdin", stdin="short\n") == \
        (2, "", "the password needs at least 8 characters; nothing changed")
    assert cli("users", "list", "--db", db)[1].split("\t")[:2] == ["ada", "admin"]
    tables = len(backup._tables(Store.open(":memory:")))  # every table of the schema
    assert cli("backup", "--db", db, "--out", zipped) == (0, f"wrote {zipped}: {tables} tables, 1 uploaded files", "")
    assert cli("restore", zipped, "--db", restored)[0] == 0
    code, _, err = cli("restore", zipped, "--db", restored)
    assert code == 2 and err == f"{restored} exists: name a new file, or add --overwrite to replace it"
    log = cli("audit", "--db", restored)[1].splitlines()
    assert [line.split("\t")[1:3] for line in log] == [["cli", "import"], ["cli", "user_added"], ["cli", "backup"],
                                                       ["cli", "restore"]]
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"not a database " * 300)
    code, _, err = cli("report", "--db", damaged, "--out", tmp_path / "r.xlsx")
    assert code == 1 and len(err.splitlines()) == 1
    assert err.startswith(f"The database file {damaged} is damaged") and "internal error" not in err
