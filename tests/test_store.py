"""The store: atomic imports, replace with archive, originals kept, count arrays."""
import hashlib

import numpy as np
import duckdb
import pytest

from csi_core.method import csi
from csi_core.store import ingest
from csi_core.store import db as store_module
from csi_core.store.db import Store, StoreError
from tests.conftest import xlsx

Q1 = xlsx([["period", "segment", "customer", "质量", "服务", "focus"],
           ["2026Q1", "民用户", None, "很满意", "满意", "A"],
           ["2026Q1", "工商业户", "ACME", "一般", "很满意", "A、B"],
           ["2026Q1", "工商业户", "ACME", None, None, None]])
Q1_AGAIN = xlsx([["period", "segment", "质量", "服务"], ["2026-Q1", "民用户", "很不满意", "不满意"]])


def snapshot(s: Store) -> dict:
    tables = ["uploads", "items", "responses", "answers", "focus", "comments", "sent", "agg_segment",
              "agg_customer", "agg_focus", "agg_responses", "period_items", "meta", "audit"]
    return {t: s.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def test_import_keeps_the_original_bytes(store):
    outcome = ingest.ingest(store, Q1, "q1.xlsx")
    assert outcome.ok
    name, data = store.upload_file(outcome.imported.upload_id)
    assert name == "q1.xlsx" and data == Q1
    assert store.uploads().sha256[0] == hashlib.sha256(Q1).hexdigest()


def test_counts_from_the_store(store):
    ingest.ingest(store, Q1, "q1.xlsx")
    counts = store.counts()
    assert counts.periods == ("2026Q1",) and set(counts.segments) == {"民用户", "工商业户"}
    res = csi.compute(counts)
    s = counts.segments.index("工商业户")
    assert res.valid[0, s] == 1 and res.returned[0, s] == 2
    assert res.item_score[0, s].tolist() == pytest.approx([0.5, 1.0])
    assert counts.ticks[0, s].tolist() == [1, 1]


def test_same_file_and_existing_period_need_replace(store):
    ingest.ingest(store, Q1, "q1.xlsx")
    before = snapshot(store)
    again = ingest.ingest(store, Q1, "q1.xlsx")
    assert not again.ok and {p.code for p in again.conflicts} == {"same_file", "period_exists"}
    other = ingest.ingest(store, Q1_AGAIN, "q1b.xlsx")
    assert not other.ok and [p.code for p in other.conflicts] == ["period_exists"]
    assert snapshot(store) == before
    with pytest.raises(StoreError):
        store.import_upload(other.report.parsed, Q1_AGAIN, "q1b.xlsx")


def test_replace_archives_the_old_rows(store):
    ingest.ingest(store, Q1, "q1.xlsx")
    outcome = ingest.ingest(store, Q1_AGAIN, "q1b.xlsx", replace=True)
    assert outcome.ok and outcome.imported.replaced == ("2026Q1",)
    assert store.con.execute("SELECT count(*) FROM responses WHERE archived").fetchall()[0][0] == 3
    res = csi.compute(store.counts())
    assert res.total[0] == pytest.approx(100 * (0.0 + 0.2) / 2)
    assert store.upload_file(1)[1] == Q1  # the first original is still there


def test_failed_import_leaves_the_database_exactly_as_it_was(store, monkeypatch):
    ingest.ingest(store, Q1, "q1.xlsx")
    before = snapshot(store)
    q2 = xlsx([["period", "segment", "质量", "服务"], ["2026Q2", "民用户", "很满意", "满意"]])

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_insert_aggregates", boom)
    with pytest.raises(RuntimeError):
        ingest.ingest(store, q2, "q2.xlsx")
    assert snapshot(store) == before
    monkeypatch.undo()
    assert ingest.ingest(store, q2, "q2.xlsx").ok  # and the next import works
    assert store.periods() == ["2026Q1", "2026Q2"]


def test_a_committed_import_survives_reopening(tmp_path):
    path = str(tmp_path / "csi.duckdb")
    s = Store.open(path)
    ingest.ingest(s, Q1, "q1.xlsx")
    version = s.data_version()
    s.close()
    s = Store.open(path)
    assert s.periods() == ["2026Q1"] and s.data_version() == version
    s.close()


def test_second_writer_gets_a_clear_error(tmp_path):
    import subprocess
    import sys

    path = str(tmp_path / "csi.duckdb")
    s = Store.open(path)
    code = f"from csi_core.store.db import Store, StoreError\ntry:\n Store.open({path!r})\nexcept StoreError as e:\n print('LOCKED', e)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    s.close()
    assert "LOCKED" in out.stdout and "another program" in out.stdout
    code = code.replace("except StoreError", "except StoreLocked").replace("import Store, StoreError", "import Store, StoreLocked")
    s = Store.open(path)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    s.close()
    assert "LOCKED" in out.stdout


def test_data_version_grows_with_each_import(store):
    v0 = store.data_version()
    ingest.ingest(store, Q1, "q1.xlsx")
    assert store.data_version() == v0 + 1


def test_segment_spelling_follows_the_store(store):
    ingest.ingest(store, Q1, "q1.xlsx")
    q2 = xlsx([["period", "segment", "质量", "服务"], ["2026Q2", "民用户 ", "很满意", "满意"], ["2026Q2", "ＡＢＣ", 5, 5]])
    ingest.ingest(store, q2, "q2.xlsx")
    assert set(store.counts().segments) == {"民用户", "工商业户", "ABC"}


def test_actions_and_settings_round_trip(store):
    store.set_setting("segment_weights", {"民用户": 70, "工商业户": 30})
    assert store.get_setting("segment_weights") == {"民用户": 70, "工商业户": 30}
    action_id = store.save_action({"period": "2026Q1", "kind": "item", "item": "质量", "score": 0.6,
                                   "cause": "阀门老化", "owner": "客服部", "status": "open"})
    store.save_action({"id": action_id, "period": "2026Q1", "kind": "item", "item": "质量", "score": 0.6,
                       "cause": "阀门老化", "owner": "客服部", "status": "done"})
    assert store.actions().status.tolist() == ["done"]
    assert store_module.ACTION_STATUSES[0] == "open"
    assert np.isin(["action"], store.audit().what).all()


def test_scenarios_by_name_as_typed(store):
    store.save_scenario(" 方案Ａ ", {"segments": {"民用户": 70}})
    assert list(store.scenarios()) == ["方案A"]
    store.delete_scenario(" 方案Ａ ")
    assert store.scenarios() == {}


def test_bulk_actions_in_one_transaction(store):
    ids = store.save_actions([{"period": "2026Q1", "kind": "item", "item": f"q{i}", "status": "open"} for i in range(3)])
    assert ids == [1, 2, 3] and len(store.actions()) == 3
    with pytest.raises(duckdb.ConversionException, match="not a date"):
        store.save_actions([{"period": "2026Q1", "kind": "item", "status": "open"}, {"id": 2, "due": "not a date"}])
    assert len(store.actions()) == 3  # the failing batch left nothing behind


def test_comments_kept_as_written(store):
    data = xlsx([["period", "q", "意见建议"], ["2026Q1", 5, "  抄表不准，请核查！ "]])
    ingest.ingest(store, data, "c.xlsx")
    assert store.comments().comment.tolist() == ["抄表不准，请核查！"]


def test_import_reuses_a_validation_already_done(store, monkeypatch):
    checked = ingest.validate_bytes(Q1, "q1.xlsx")
    monkeypatch.setattr(ingest, "validate_bytes", lambda *a, **k: pytest.fail("validated twice"))
    assert ingest.ingest(store, Q1, "q1.xlsx", validated=checked).ok


def test_killed_mid_import_leaves_nothing_and_a_committed_import_survives(tmp_path):
    """A process killed inside the import transaction: on reopening, none of it is there."""
    import subprocess
    import sys

    path = str(tmp_path / "csi.duckdb")
    s = Store.open(path)
    ingest.ingest(s, Q1, "q1.xlsx")
    before = snapshot(s)
    s.close()
    q2 = tmp_path / "q2.xlsx"
    q2.write_bytes(xlsx([["period", "segment", "质量", "服务"], ["2026Q2", "民用户", "很满意", "满意"]]))
    child = f"""
import os, signal
from csi_core.store.db import Store
from csi_core.store import ingest
s = Store.open({path!r})
def progress(fraction, step):
    if step == "aggregates":
        os.kill(os.getpid(), signal.SIGKILL)
ingest.ingest(s, open({str(q2)!r}, "rb").read(), "q2.xlsx", progress=progress)
"""
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=120)
    assert out.returncode == -9, out.stderr
    s = Store.open(path)
    try:
        assert snapshot(s) == before
        assert ingest.ingest(s, q2.read_bytes(), "q2.xlsx").ok
    finally:
        s.close()


def test_one_transaction_all_or_nothing_and_blocks_nest(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.save_scenario("内", {"segments": {"民用户": 1}})  # its own block joins the outer one
            store.con.execute("INSERT INTO settings VALUES ('x', '1')")
            raise RuntimeError("stop")
    assert store.scenarios() == {} and store.get_setting("x") is None
    with store.transaction():
        store.save_scenario("内", {"segments": {"民用户": 1}})
        store.con.execute("INSERT INTO settings VALUES ('x', '1')")
    assert list(store.scenarios()) == ["内"] and store.get_setting("x") == 1
