"""Kill an importing process at random moments, 20 times: the database is never half
imported, and the next import works (issue 10: imports are atomic)."""
import random
import subprocess
import sys
import time
from pathlib import Path

from csi_core.store.db import Store
from tests.conftest import xlsx

ROOT = Path(__file__).resolve().parent.parent
KILLS = 20
CHILD = """
import sys
from csi_core.store.db import Store
from csi_core.store.ingest import ingest
data = open(sys.argv[2], "rb").read()
print("ready", flush=True)
sys.stdin.readline()
store = Store.open(sys.argv[1])
outcome = ingest(store, data, sys.argv[2], replace=True, who="kill-loop")
store.close()
print("done" if outcome.ok else "refused", flush=True)
"""
ITEMS = [f"题{k}" for k in range(8)]
LABELS = ["很满意", "较满意", "一般", "不满意", "很不满意"]


def workbook(seed: int, n: int = 1000) -> bytes:
    rng = random.Random(seed)
    rows = [["period", "segment", "customer", *ITEMS, "focus", "comment"]]
    for k in range(n):
        rows.append([("2026Q1", "2026Q2")[k % 2], ("民用户", "工商业户")[k % 3 == 0], f"客户{k % 40}",
                     *[rng.choice(LABELS) for _ in ITEMS], "A、C", f"意见{k}" if k % 5 == 0 else None])
    return xlsx(rows)


def spawn(db: Path, book: Path) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(book)], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return child


def go(child: subprocess.Popen) -> float:
    assert child.stdout.readline().strip() == "ready", child.stderr.read()
    child.stdin.write("go\n")
    child.stdin.flush()
    return time.perf_counter()


def check_whole(db: Path) -> int:
    """Every invariant a half import would break; returns the number of imports stored."""
    s = Store.open(str(db))
    try:
        one = lambda sql: s.con.execute(sql).fetchall()[0][0]  # noqa: E731
        uploads = one("SELECT count(*) FROM uploads")
        assert one("SELECT count(*) FROM answers WHERE response_id NOT IN (SELECT id FROM responses)") == 0
        assert one("SELECT count(*) FROM focus WHERE response_id NOT IN (SELECT id FROM responses)") == 0
        assert one("SELECT count(*) FROM comments WHERE response_id NOT IN (SELECT id FROM responses)") == 0
        assert one("SELECT count(*) FROM responses WHERE upload_id NOT IN (SELECT id FROM uploads)") == 0
        assert one("SELECT count(*) FROM uploads WHERE id NOT IN (SELECT upload_id FROM responses)") == 0
        assert one("SELECT count(*) FROM responses") == 1000 * uploads
        assert one("SELECT count(*) FROM responses WHERE NOT archived") == (1000 if uploads else 0)
        assert one("SELECT count(DISTINCT upload_id) FROM responses WHERE NOT archived") == min(uploads, 1)
        in_force = s.con.execute("""SELECT r.period, count(*), (SELECT sum(returned) FROM agg_responses a
                                    WHERE a.period = r.period) FROM responses r WHERE NOT archived
                                    GROUP BY ALL""").fetchall()
        assert all(n == agg for _, n, agg in in_force), in_force
        assert s.data_version() == uploads == one("SELECT count(*) FROM audit WHERE what IN ('import', 'replace')")
        return uploads
    finally:
        s.close()


def test_twenty_kills_at_random_moments_never_leave_half_an_import(tmp_path):
    books = []
    for seed in (1, 2):
        path = tmp_path / f"book{seed}.xlsx"
        path.write_bytes(workbook(seed))
        books.append(path)
    db = tmp_path / "csi.duckdb"
    rng = random.Random(10)
    first = spawn(db, books[0])
    started = go(first)
    assert first.wait(timeout=120) == 0 and first.stdout.readline().strip() == "done", first.stderr.read()
    duration = time.perf_counter() - started
    stored = check_whole(db)
    killed = 0
    # the next children load Python while the current one runs (a child waits for "go"
    # before it opens the database)
    waiting = [spawn(db, books[k % 2]) for k in range(1, 4)]
    for k in range(KILLS):
        child = waiting.pop(0)
        waiting.append(spawn(db, books[k % 2]))
        started = go(child)
        time.sleep(max(0.0, rng.uniform(0.0, 1.2 * duration) - (time.perf_counter() - started)))
        child.kill()
        child.wait(timeout=60)
        killed += child.returncode == -9 and child.stdout.read().strip() != "done"
        now = check_whole(db)
        assert now in (stored, stored + 1)
        stored = now
    upcoming = waiting.pop(0)
    for spare in waiting:
        spare.kill()
        spare.wait(timeout=60)
    go(upcoming)  # the next import works
    assert upcoming.wait(timeout=120) == 0 and upcoming.stdout.readline().strip() == "done", upcoming.stderr.read()
    assert check_whole(db) == stored + 1
    assert killed >= KILLS // 2  # most kills landed inside an import, not after it
