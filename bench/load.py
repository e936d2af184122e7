"""Load: many sessions on one server while an editor imports a new quarter.

``python -m bench.load [--sessions 50] [--seconds 60] [--rows 3000]`` starts
``streamlit run app.py`` on 127.0.0.1 (a free port) over a copy of a demo database,
then runs, for ``--seconds``:

- ``--sessions`` concurrent *page loads*, each a new WebSocket session on
  ``/_stcore/stream`` that asks for the overview (``BackMsg.rerun_script``) exactly as a
  browser tab does, reads every ``ForwardMsg`` until ``script_finished`` and closes —
  then the next load. The server does all of its work (a session, a script run, the
  store, the count arrays, every element sent); only the browser's drawing is left out,
  which is what 2 cores can bear: 50 Chromium contexts would measure Chromium.
- one editor in headless Chromium (Playwright) who, after ``--warmup`` seconds, uploads
  a workbook of a new quarter (2027Q1, ``--rows`` questionnaires) on the upload page and
  imports it.

It checks that no load fails (no exception or error element, every run finished, no
refused connection) and that each load shows either the old latest quarter with its
total or the new quarter with its total (computed by ``csi_core`` beforehand on copies of
the database); it reports the page time (p50, p95, max), the loads per second and the
server's memory (resident, sampled every 0.2 s from ``/proc``). Results go to
``bench/out/load.json``. Exit 1 when a load failed or showed anything else.

Open mode (no users): a sign-in is one more script run per session and would not change
the shape of the load.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "out"
NEW_PERIOD = "2027Q1"
TOTAL = re.compile(r'id="csi-total"[^>]*>([^<]*)<')
TITLE = re.compile(r"Overview · (\d{4}Q\d)")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def new_quarter(rows: int, items: list[str]) -> bytes:
    """A workbook of the new quarter with the demo's segments and items."""
    import random

    import xlsxwriter

    rng = random.Random(7)
    labels = ["很满意", "较满意", "一般", "不满意", "很不满意"]
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = book.add_worksheet("responses")
    ws.write_row(0, 0, ["期间", "客户类型", "客户", *items])
    for r in range(rows):
        segment = rng.choices(["民用户", "工商业户", "公福用户"], [6, 3, 1])[0]
        ws.write_row(r + 1, 0, [NEW_PERIOD, segment, f"客户{r % 200}" if segment != "民用户" else "",
                                *[rng.choice(labels) for _ in items]])
    book.close()
    data = path.read_bytes()
    path.unlink()
    return data


def expected_totals(db: Path, workbook: bytes, scratch: Path) -> dict[str, str]:
    """The latest period's total as the overview shows it, before and after the import."""
    from csi_core.method import csi
    from csi_core.method.grades import round_half_up
    from csi_core.store.db import Store
    from csi_core.store.ingest import ingest

    after = scratch / "after.duckdb"
    shutil.copy(db, after)
    shown = {}
    for path, data in ((db, None), (after, workbook)):
        store = Store.open(str(path))
        if data is not None:
            assert ingest(store, data, "new.xlsx").ok
        counts = store.counts()
        weights = csi.Weights(csi.stored_segment_weights(counts, store.get_setting("segment_weights")))
        res = csi.compute(counts, weights)
        shown[counts.periods[-1]] = f"{round_half_up(res.total[-1]):.1f}"
        store.close()
    return shown


class Server:
    def __init__(self, db: Path, log: Path):
        from tests.browser.helpers import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "CSI_DB": str(db)}
        self.log = open(log, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(self.port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false"], cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


async def one_load(url: str, timeout: float) -> dict:
    """A browser tab's first visit to the overview, without the drawing."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = time.perf_counter()
    text, problems = [], []
    async with websockets.connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=timeout) as ws:
        back = BackMsg()
        back.rerun_script.query_string = "lang=en"
        back.rerun_script.page_script_hash = ""
        await ws.send(back.SerializeToString())
        while True:
            raw = await asyncio.wait_for(ws.recv(), timeout)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    problems.append(f"exception: {element.exception.message}")
                elif which == "alert" and element.alert.format == 1:  # ERROR
                    problems.append(f"error: {element.alert.body[:120]}")
                elif which == "markdown":
                    text.append(element.markdown.body)
                elif which == "heading":
                    text.append(element.heading.body)
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # st.rerun: the next run follows
                    text.clear()
                    continue
                if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    problems.append(f"script finished with {msg.script_finished}")
                break
    joined = "\n".join(text)
    total, title = TOTAL.search(joined), TITLE.search(joined)
    return {"seconds": time.perf_counter() - started, "problems": problems,
            "period": title.group(1) if title else None, "total": total.group(1) if total else None,
            "ended": time.time()}


async def sessions(url: str, n: int, seconds: float, timeout: float, editor: dict, tail: float) -> list[dict]:
    """Loads until ``seconds`` are over and the editor's import has been over for ``tail``
    seconds (bounded: at most ``seconds`` + 300)."""
    started = time.time()

    def going() -> bool:
        now = time.time()
        if now > started + seconds + 300:
            return False
        if now < started + seconds:
            return True
        over = editor.get("imported") or (editor.get("error") and now)
        return not over or now < over + tail

    results: list[dict] = []

    async def worker() -> None:
        while going():
            try:
                results.append(await one_load(url, timeout))
            except Exception as exc:  # noqa: BLE001 — every failure counts, none stops the others
                results.append({"seconds": float("nan"), "problems": [f"{type(exc).__name__}: {exc}"],
                                "period": None, "total": None, "ended": time.time()})

    await asyncio.gather(*(worker() for _ in range(n)))
    return results


def editor_import(url: str, data: bytes, delay: float, out: dict) -> None:
    """The editor, in Chromium: upload the new quarter and import it."""
    from playwright.sync_api import expect, sync_playwright

    from tests.browser.helpers import goto, launch_chromium, wait_idle

    time.sleep(delay)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            goto(page, url, "upload?lang=en", timeout=120000)
            page.locator('input[type="file"]').set_input_files(
                files=[{"name": f"{NEW_PERIOD}.xlsx", "mimeType": "application/octet-stream", "buffer": data}])
            wait_idle(page, timeout=120000)
            out["clicked"] = time.time()
            page.get_by_role("button", name="Import", exact=True).click(timeout=300000)
            expect(page.get_by_text(re.compile(rf"^Imported \d+ questionnaires .* for {NEW_PERIOD}"))).to_be_visible(
                timeout=180000)
            out["imported"] = time.time()
        except Exception as exc:  # noqa: BLE001
            out["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            browser.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds before the editor starts")
    parser.add_argument("--rows", type=int, default=3000, help="questionnaires in the imported quarter")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one load may take")
    parser.add_argument("--tail", type=float, default=20.0, help="seconds of loads after the import")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 200 or not 1 <= args.seconds <= 600:
        parser.error("bounded: 1–200 sessions, 1–600 seconds")
    from csi_core.store.db import Store
    from csi_core.demo import demo_bytes
    from csi_core.store.ingest import ingest

    scratch = Path(tempfile.mkdtemp(prefix="csi-load-"))
    try:
        db = scratch / "csi.duckdb"
        store = Store.open(str(db))
        assert ingest(store, demo_bytes(), "demo.xlsx", who="demo").ok
        items = store.item_names()
        store.close()
        workbook = new_quarter(args.rows, items)
        expected = expected_totals(db, workbook, scratch)
        server = Server(db, scratch / "server.log")
        memory: list[float] = []
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                memory.append(rss_mb(server.proc.pid))
                time.sleep(0.2)

        editor: dict = {}
        threads = [threading.Thread(target=sample, daemon=True),
                   threading.Thread(target=editor_import, args=(server.url, workbook, args.warmup, editor),
                                    daemon=True)]
        try:
            before = rss_mb(server.proc.pid)
            for t in threads:
                t.start()
            started = time.time()
            loads = asyncio.run(sessions(server.url, args.sessions, args.seconds, args.timeout, editor, args.tail))
            elapsed = time.time() - started
            threads[1].join(timeout=300)
        finally:
            done.set()
            server.stop()
        times = [r["seconds"] for r in loads if not r["problems"]]
        seen = {}
        wrong = []
        for r in loads:
            if r["problems"]:
                continue
            key = (r["period"], r["total"])
            seen[key] = seen.get(key, 0) + 1
            if r["period"] not in expected or expected[r["period"]] != r["total"]:
                wrong.append(key)
        failed = [p for r in loads for p in r["problems"]]
        # a load that began after the import was committed (it ends at least a page time later)
        after_import = [r for r in loads if "imported" in editor and not r["problems"]
                        and r["ended"] - r["seconds"] > editor["imported"]]
        report = {
            "sessions": args.sessions, "seconds": round(elapsed, 1), "loads": len(loads),
            "loads_per_s": round(len(loads) / elapsed, 2), "errors": len(failed), "error_examples": failed[:5],
            "shown": {f"{p} {t}": n for (p, t), n in seen.items()}, "expected": expected,
            "wrong": wrong[:5], "loads_begun_after_import": len(after_import),
            "new_quarter_seen_after_import": bool(after_import) and all(r["period"] == NEW_PERIOD
                                                                        for r in after_import),
            "page_s_p50": round(percentile(times, 0.5), 3), "page_s_p95": round(percentile(times, 0.95), 3),
            "page_s_max": round(max(times), 3) if times else None,
            "server_rss_mb_start": round(before, 1), "server_rss_mb_max": round(max(memory), 1) if memory else None,
            "server_rss_mb_end": round(memory[-1], 1) if memory else None,
            "import_s": round(editor["imported"] - editor["clicked"], 2) if "imported" in editor else None,
            "editor_error": editor.get("error"), "rows_imported": args.rows,
            "machine": {"cores": os.cpu_count(), "load": os.getloadavg()},
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    ok = not failed and not wrong and report["import_s"] is not None and report["new_quarter_seen_after_import"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
