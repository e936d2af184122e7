"""Benchmark 4 — the browser: Playwright + Chromium against the running app.

With ``workload.n_rows`` stored responses (target at 1 000 000):

- first render of the overview: a fresh browser context opens ``/`` right after the server
  started (cold: the script's imports, opening the store and reading the count arrays are
  in it), then ``WARM_RELOADS`` reloads of the same page (warm: the server's caches are
  filled; median shown). Timed in the page, from the navigation's start
  (``performance.timeOrigin``) to the first animation frame at which ``#csi-total`` holds
  the total and the script is idle
  (``[data-testid="stApp"][data-test-script-state="notRunning"]``). Target ≤ 3 s.
- slider: ``/weights?sw=<segment>:1,...`` in a fresh context, the segment's slider focused,
  ``ArrowRight`` / ``ArrowLeft`` pressed alternately ``MOVES`` times (weight 1 → 2 → 1 …);
  each time from the ``keydown`` (in the page, capture phase) to the first animation frame
  after ``#csi-total`` shows the new total; before the next press, until the script is idle
  and no message has arrived for ``QUIET_MS``. Median (target ≤ 300 ms) and p95.

- item slider: ``/weights?iw.<segment>=<item>:1,...`` (every item of the first segment at
  importance 1), one item's slider moved 1 → 2 → 1 … ``MOVES`` times, timed as above.
  Median target ≤ 300 ms at 100 000 responses.
- page switch: ``SWITCHES`` clicks on the sidebar's links round the seven pages, each from
  the click to the first frame showing the new page's title with the script idle. p95
  target ≤ 1 s at 100 000 responses.
- first start on an empty database: a second server on an empty ``CSI_DB``; from the
  navigation's start to the first frame with the page's title and the script idle (the
  demo is built behind it; when its banner appeared is in ``detail``). Target ≤ 3 s.

Why the link: at the default 33 : 33 : 33 one key press changes the total by ~0.02, less
than the 0.1 it is shown with, so "until the total changes" could not be observed. At
1 : 1 : 1, one press moves the segment's share from 33 % to 50 %. The server's work on a
move (``csi.compute`` on the count arrays, the fragment redrawn) does not depend on the
weights.

Every shown total is checked against ``csi_core`` on the same database (``agree?``). There is
no natural peer; the "peer" column is the same measurement at ``PEER_ROWS`` stored
responses, to show whether the time grows with the data. Each run starts its own
``streamlit run app.py`` on a copy of a cached database (``bench/data/csi_<workbook>_schema<N>.duckdb``,
built once with ``python -m csi_core import``) and Debian's ``chromium``.

The in-page timings also break each step down (WebSocket send / first and last message
received / DOM change), in ``detail`` of the JSON.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from bench.data import CACHE_DIR, Workload
from bench.results import Row, median, p95

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = Path(__file__).resolve().parent / "out"
MOVES = 20
WARM_RELOADS = 5
TARGET_ROWS = 1_000_000
PEER_ROWS = 10_000
NEW_TARGET_ROWS = 100_000  # where the page switch, item slider and empty-start targets apply
#: Smaller workloads are not measured (the test suite's 2 000-row run stays cheap).
MIN_ROWS = 10_000
FIRST_RENDER_TARGET_S = 3.0
SLIDER_TARGET_MS = 300.0
VIEWPORT = {"width": 1600, "height": 1000}
LOCALE = "zh-CN"
HEALTH_TIMEOUT_S = 120
LOAD_TIMEOUT_MS = 180_000
MOVE_TIMEOUT_MS = 30_000
QUIET_MS = 250
# the same as tests/browser/helpers.CHROMIUM_ARGS
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

SWITCHES = 21  # three rounds of the seven pages
PAGE_SWITCH_TARGET_S = 1.0
ITEM_SLIDER_TARGET_MS = 300.0
EMPTY_START_TARGET_S = 3.0
REPORT_READY_TARGET_S = 1.5
# the sidebar's links in the order of the round; none's title holds the next one's label
ROUND = ("app.page.upload", "app.page.weights", "app.page.trends", "app.page.actions", "app.page.data",
         "app.page.report", "app.page.overview")

NAMES = {
    "cold": "browser: first render of overview, cold",
    "warm": f"browser: first render of overview, warm (median of {WARM_RELOADS})",
    "median": f"browser: slider move -> new total (median of {MOVES})",
    "p95": f"browser: slider move -> new total (p95 of {MOVES})",
    "switch": f"browser: page switch (p95 of {SWITCHES})",
    "item": f"browser: item slider -> new total (median of {MOVES})",
    "empty": "browser: first start on an empty database",
    "report": f"browser: report page ready (slowest of {SWITCHES // len(ROUND)} switches to it)",
}

# Installed in every page before its own scripts: timestamps (performance.now(), ms from
# the navigation's start) of WebSocket traffic, script-state changes, key presses, and
# the first moment the overview's total is shown with the script idle.
INSTRUMENT_JS = r"""
(() => {
  if (window.__bench) return;
  const B = window.__bench = {sends: [], recvs: [], states: [], keys: [], ws: [],
                              first: {}, move: null, lastRecv: 0};
  const Orig = window.WebSocket;
  window.WebSocket = class extends Orig {
    constructor(...args) {
      super(...args);
      const rec = {created: performance.now(), open: null};
      B.ws.push(rec);
      this.addEventListener('open', () => { rec.open = performance.now(); });
      this.addEventListener('message', (ev) => {
        const d = ev.data;
        B.lastRecv = performance.now();
        B.recvs.push([performance.now(), d.byteLength ?? d.size ?? d.length ?? 0]);
      });
    }
    send(data) {
      B.sends.push([performance.now(), data.byteLength ?? data.size ?? data.length ?? 0]);
      return super.send(data);
    }
  };
  window.addEventListener('click', (ev) => {
    if (B.sw && B.sw.click === null) B.sw.click = performance.now();
  }, true);
  window.addEventListener('keydown', (ev) => {
    const now = performance.now();
    B.keys.push([now, ev.key]);
    if (B.move && B.move.keydown === null) { B.move.keydown = now; B.move.keyStamp = ev.timeStamp; }
  }, true);
  const scriptState = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app ? app.getAttribute('data-test-script-state') : null;
  };
  const total = () => {
    const el = document.querySelector('#csi-total');
    return el ? el.textContent : null;
  };
  let lastState = null;
  const check = () => {
    const now = performance.now();
    const state = scriptState();
    if (state !== lastState) { B.states.push([now, state]); lastState = state; }
    const text = total();
    const f = B.first;
    if (f.total === undefined && text && text.trim()) f.total = now;
    if (f.idle === undefined && state === 'notRunning') f.idle = now;
    if (f.shown === undefined && text && text.trim() && state === 'notRunning') {
      f.shown = now; f.text = text;
      requestAnimationFrame(() => { f.frame = performance.now(); });
    }
    const sw = B.sw;
    if (sw && sw.shown === null && state === 'notRunning') {
      const h1 = document.querySelector('h1');
      if (h1 && h1.textContent.includes(sw.want)) {
        sw.shown = now; requestAnimationFrame(() => { sw.frame = performance.now(); });
      }
    }
    const m = B.move;
    if (m && m.keydown !== null) {
      if (m.changed === null && text !== null && text !== m.before) {
        m.changed = now; m.shown = text;
        requestAnimationFrame(() => { m.frame = performance.now(); });
      }
      if (state !== 'notRunning' && m.ran === null) m.ran = now;
      if (state === 'notRunning' && m.ran !== null) m.idle = now;
    }
  };
  const start = () => new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ['data-test-script-state']});
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
"""

_SWITCH_ARM_JS = """(want) => { window.__bench.sw = {want, click: null, shown: null, frame: null}; }"""
_SWITCH_DONE_JS = """(quiet) => { const B = window.__bench, sw = B.sw;
  return sw.frame !== null && performance.now() - B.lastRecv >= quiet; }"""
_SWITCH_READ_JS = "() => window.__bench.sw"
# a page on an empty database is usable once it has its title and the script is idle
_USABLE_JS = """() => { const app = document.querySelector('[data-testid="stApp"]');
  const h1 = document.querySelector('h1');
  if (!(h1 && h1.textContent.trim() && app && app.getAttribute('data-test-script-state') === 'notRunning')) return null;
  return performance.now(); }"""
_BANNER_JS = "() => document.querySelector('#demo-banner') ? performance.now() : null"

_FIRST_DONE_JS = "() => window.__bench && window.__bench.first.frame !== undefined"

_QUIET_JS = """(quiet) => performance.now() - window.__bench.lastRecv >= quiet"""

_FIRST_READ_JS = """() => {
  const B = window.__bench, nav = performance.getEntriesByType('navigation')[0] || {};
  return {first: B.first, ws: B.ws, states: B.states, recvs: B.recvs.length, firstRecv: B.recvs.length ? B.recvs[0][0] : null,
          lastRecv: B.lastRecv, responseEnd: nav.responseEnd ?? null, domContentLoaded: nav.domContentLoadedEventEnd ?? null,
          load: nav.loadEventEnd ?? null};
}"""

_ARM_JS = """() => {
  const B = window.__bench, el = document.querySelector('#csi-total');
  B.sends.length = 0; B.recvs.length = 0; B.states.length = 0; B.keys.length = 0;
  B.move = {before: el ? el.textContent : null, keydown: null, keyStamp: null, changed: null,
            shown: null, frame: null, ran: null, idle: null};
  return B.move.before;
}"""

# Done: the new total is on screen, the script is idle and nothing has arrived for QUIET_MS.
# (The script-state attribute cannot be relied on to show "running": React sometimes
# commits a whole fragment run in one render, and the attribute never changes.)
_MOVE_DONE_JS = """(quiet) => {
  const B = window.__bench, m = B.move;
  const app = document.querySelector('[data-testid="stApp"]');
  return m.frame !== null && app && app.getAttribute('data-test-script-state') === 'notRunning'
    && performance.now() - B.lastRecv >= quiet;
}"""

_MOVE_READ_JS = """() => {
  const B = window.__bench;
  return {move: B.move, sends: B.sends.slice(), recvs: B.recvs.slice(), states: B.states.slice()};
}"""

_STUCK_JS = """() => {
  const B = window.__bench, a = document.activeElement;
  const app = document.querySelector('[data-testid="stApp"]');
  return JSON.stringify({move: B.move, states: B.states, sends: B.sends.length, recvs: B.recvs.length,
    keys: B.keys, state: app && app.getAttribute('data-test-script-state'),
    total: (document.querySelector('#csi-total') || {}).textContent,
    active: a ? a.tagName + ' ' + (a.getAttribute('aria-label') || '') + ' ' + (a.value || '') : null});
}"""

#: Measurements by (rows, seed, periods), so a peer measured in this process is not redone.
_MEASURED: dict[tuple[int, int, int], dict] = {}


# --- the database ------------------------------------------------------------------------------
def database(workload: Workload) -> Path:
    """The cached database of ``workload`` (built with ``python -m csi_core import`` once).

    Named by the workbook (generator version, size, periods, customers, seed) and by
    ``csi_core.store.db.SCHEMA_VERSION``, so a new schema gets a new file.
    """
    from csi_core.store.db import SCHEMA_VERSION

    book = workload.path()
    path = CACHE_DIR / f"csi_{book.stem}_schema{SCHEMA_VERSION}.duckdb"
    if path.exists():
        return path
    partial = path.with_name(path.stem + f".partial{os.getpid()}.duckdb")
    for stale in (partial, partial.with_name(partial.name + ".wal")):
        stale.unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "csi_core", "import", str(book), "--db", str(partial)],
                          cwd=REPO_ROOT, capture_output=True, text=True)
    if done.returncode != 0 or partial.with_name(partial.name + ".wal").exists():
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"python -m csi_core import {book.name} failed ({done.returncode}): "
                           f"{(done.stderr or done.stdout).strip()[-2000:]}")
    os.replace(partial, path)
    print(f"browser: database {path.name} built ({time.perf_counter() - start:.1f} s)",
          file=sys.stderr, flush=True)
    return path


def _expected(db: Path) -> dict:
    """What the pages must show, from csi_core on the same database: the overview's total
    (company weights, latest period) and the slider plan with the total after each move."""
    from csi_core.method import csi
    from csi_core.method.grades import round_half_up
    from csi_core.store.db import Store

    store = Store.open(str(db))
    try:
        counts = store.counts()
        company = store.get_setting("segment_weights")
    finally:
        store.close()
    p = len(counts.periods) - 1
    shown = lambda weights: f"{round_half_up(float(csi.compute(counts, csi.Weights(weights)).total[p]), 1):.1f}"
    overview = shown(company)
    for segment in counts.segments:                   # the first whose one step shows a change
        start = {s: 1 for s in counts.segments}
        moved = {**start, segment: 2}
        if shown(start) != shown(moved):
            totals = [shown(moved if k % 2 == 0 else start) for k in range(MOVES)]
            link = "weights?sw=" + quote(",".join(f"{s}:{w}" for s, w in start.items()), safe=":,")
            return {"overview": overview, "period": counts.periods[p], "segment": segment,
                    "link": link, "start_total": shown(start), "totals": totals,
                    "positions": [2 if k % 2 == 0 else 1 for k in range(MOVES)]}
    raise RuntimeError("no segment weight changes the shown total by 0.1 with one key press (1 -> 2)")


def _expected_items(db: Path) -> dict:
    """The item slider plan: the what-if page opened with every item of its first segment at
    importance 1 (``iw.<segment>=…``); one item moved 1 → 2 → 1 … (one point a key press)
    and the total after each move, from csi_core on the same database."""
    from csi_core.method import csi, inforce, whatif
    from csi_core.method.grades import round_half_up
    from csi_core.outputs import share
    from csi_core.store.db import Store

    store = Store.open(str(db))
    try:
        counts = store.counts()
        force = inforce.company(counts, store.get_setting("segment_weights"), store.get_setting("item_weights"))
    finally:
        store.close()
    p = len(counts.periods) - 1
    base = csi.compute(counts, force.weights)
    segment = next(counts.segments[s] for s in range(len(counts.segments)) if (base.item_n[p, s] > 0).any())
    s = counts.segments.index(segment)
    items = [counts.items[i] for i in range(len(counts.items)) if base.item_n[p, s, i] > 0]
    shown = lambda imp: f"{round_half_up(float(whatif.compute(counts, force.weights, None, {segment: imp}).results.total[p]), 1):.1f}"
    start = dict.fromkeys(items, 1)
    for item in items:
        moved = {**start, item: 2}
        if shown(start) != shown(moved):
            link = "weights?" + "&".join(f"{k}={quote(v, safe=':,')}" for k, v in
                                         share.encode({"segments": None, "items": {segment: start}}).items())
            return {"segment": segment, "item": item, "link": link, "start_total": shown(start),
                    "totals": [shown(moved if k % 2 == 0 else start) for k in range(MOVES)],
                    "positions": [2 if k % 2 == 0 else 1 for k in range(MOVES)]}
    raise RuntimeError("no item importance changes the shown total by 0.1 with one key press (1 -> 2)")


# --- the server ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


class Server:
    """``streamlit run app.py`` on a free port with ``CSI_DB=db``; its own process group."""

    def __init__(self, db: Path, log_path: Path):
        self.db, self.log_path = db, log_path
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self.start_s = None

    def __enter__(self) -> "Server":
        for _attempt in range(3):                     # the free port can be taken meanwhile
            port = _free_port()
            self.url = f"http://127.0.0.1:{port}"
            env = {**os.environ, "CSI_DB": str(self.db), "PYTHONUNBUFFERED": "1",
                   "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
            cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                   "--server.port", str(port), "--server.address", "127.0.0.1",
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
            start = time.perf_counter()
            with open(self.log_path, "wb") as log:
                self.proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            deadline = time.monotonic() + HEALTH_TIMEOUT_S
            while time.monotonic() < deadline and self.proc.poll() is None:
                if _healthy(self.url):
                    self.start_s = time.perf_counter() - start
                    return self
                time.sleep(0.1)
            self.stop()
            if "already in use" not in self.log():
                break
        raise RuntimeError(f"streamlit did not become healthy; its log:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None:
            stop_process_group(self.proc)

    def __exit__(self, *exc) -> None:
        self.stop()


def stop_process_group(proc: subprocess.Popen) -> None:
    """End a process started with ``start_new_session=True`` and all it started:
    SIGTERM, then SIGKILL. (tests/browser/conftest.py stops its servers with it too.)"""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


# --- the measurements ------------------------------------------------------------------------
def _context(browser):
    context = browser.new_context(viewport=VIEWPORT, locale=LOCALE)
    context.add_init_script(INSTRUMENT_JS)
    return context


def _first_render(page, go) -> dict:
    """Call ``go()`` (a navigation) and wait until the total is shown with the script idle."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    go()
    page.wait_for_function(_FIRST_DONE_JS, polling=20, timeout=LOAD_TIMEOUT_MS)
    wall = time.perf_counter() - start
    page.wait_for_function(_QUIET_JS, arg=QUIET_MS, polling=20, timeout=LOAD_TIMEOUT_MS)
    info = page.evaluate(_FIRST_READ_JS)
    first = info["first"]
    ws = info["ws"][0] if info["ws"] else {}
    return {"s": first["frame"] / 1000, "wall_s": round(wall, 4), "shown": first["text"],
            "load_average": round(load, 2),
            "ms": {"html_received": info["responseEnd"], "dom_content_loaded": info["domContentLoaded"],
                   "websocket_created": ws.get("created"), "websocket_open": ws.get("open"),
                   "first_message": info["firstRecv"], "total_in_dom": first.get("total"),
                   "total_and_idle": first.get("shown"), "last_message": info["lastRecv"],
                   "next_frame": first.get("frame")},
            "messages": info["recvs"],
            "script_states_ms": [[round(t, 1), state] for t, state in info["states"]]}


def _move(page, key: str) -> dict:
    load = os.getloadavg()[0]
    page.evaluate(_ARM_JS)
    page.keyboard.press(key)
    try:
        page.wait_for_function(_MOVE_DONE_JS, arg=QUIET_MS, polling=20, timeout=MOVE_TIMEOUT_MS)
    except Exception as error:                        # say what the page was doing
        raise RuntimeError(f"{key}: no new total with the script idle within {MOVE_TIMEOUT_MS} ms; "
                           f"page: {page.evaluate(_STUCK_JS)}") from error
    got = page.evaluate(_MOVE_READ_JS)
    m = got["move"]
    k = m["keydown"]
    after = lambda pairs: [t for t, *_ in pairs if t >= k]
    sends, recvs = after(got["sends"]), after(got["recvs"])
    rel = lambda t: None if t is None else round(t - k, 2)
    return {"ms": m["frame"] - k, "shown": m["shown"], "load_average": round(load, 2),
            "steps_ms": {"websocket_send": rel(sends[0] if sends else None),
                         "first_message": rel(next((t for t in recvs if not sends or t >= sends[0]), None)),
                         "total_in_dom": rel(m["changed"]), "next_frame": rel(m["frame"]),
                         "last_message": rel(recvs[-1] if recvs else None), "script_idle": rel(m["idle"])},
            "messages": len(recvs), "bytes_received": sum(b for _, b in got["recvs"] if _ >= k)}


def _slider_moves(page, thumb) -> tuple[list[dict], list[int], list[int]]:
    """``MOVES`` alternate ArrowRight / ArrowLeft presses on ``thumb``, each timed by ``_move``."""
    thumb.focus(timeout=MOVE_TIMEOUT_MS)              # its chunk may still be loading
    moves, positions, refocused = [], [], []
    for k in range(MOVES):
        if not thumb.evaluate("e => e === document.activeElement"):
            refocused.append(k)                       # a redraw took the focus away
            thumb.focus()
        moves.append(_move(page, "ArrowRight" if k % 2 == 0 else "ArrowLeft"))
        positions.append(int(thumb.input_value()))
    return moves, positions, refocused


def _page_switches(page, base_url: str) -> list[dict]:
    """``SWITCHES`` clicks on the sidebar's page links, round the pages: each from the click
    to the first frame showing the new page's title with the script idle."""
    from csi_core import i18n

    _first_render(page, lambda: page.goto(base_url + "/", wait_until="commit"))
    nav = page.get_by_test_id("stSidebarNav")
    out = []
    for k in range(SWITCHES):
        label = i18n.t(ROUND[k % len(ROUND)], "zh")
        page.evaluate(_SWITCH_ARM_JS, label)
        load = os.getloadavg()[0]
        nav.get_by_role("link", name=label, exact=True).click()
        page.wait_for_function(_SWITCH_DONE_JS, arg=QUIET_MS, polling=20, timeout=LOAD_TIMEOUT_MS)
        sw = page.evaluate(_SWITCH_READ_JS)
        out.append({"page": label, "s": (sw["frame"] - sw["click"]) / 1000, "load_average": round(load, 2)})
    return out


def measure_empty_start(browser, tmp: Path) -> dict:
    """First start on an empty database: a new server, a fresh context; from the navigation's
    start to the first moment the page has its title with the script idle (usable: the
    upload page is one click away); when the demo's banner appeared is kept for the record."""
    folder = tmp / "empty"
    folder.mkdir()
    with Server(folder / "csi.duckdb", tmp / "server-empty.log") as server:
        context = _context(browser)
        page = context.new_page()
        page.set_default_timeout(LOAD_TIMEOUT_MS)
        load = os.getloadavg()[0]
        page.goto(server.url + "/", wait_until="commit")
        usable = page.wait_for_function(_USABLE_JS, polling=20, timeout=LOAD_TIMEOUT_MS).json_value()
        banner = page.wait_for_function(_BANNER_JS, polling=50, timeout=LOAD_TIMEOUT_MS).json_value()
        title = page.locator("h1").first.text_content()
        context.close()
        return {"s": usable / 1000, "demo_banner_s": banner / 1000, "title": title,
                "server_start_s": round(server.start_s, 3), "load_average": round(load, 2)}


def measure(workload: Workload) -> dict:
    """Start the app on a copy of the workload's database and measure it in Chromium."""
    from playwright.sync_api import sync_playwright

    from csi_core import i18n

    db = database(workload)
    with tempfile.TemporaryDirectory(prefix="csi-bench-browser-") as tmp:
        copy = Path(tmp) / "csi.duckdb"
        shutil.copyfile(db, copy)
        expected = _expected(copy)
        with Server(copy, Path(tmp) / "server.log") as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS,
                                         headless=True)
            try:
                context = _context(browser)
                page = context.new_page()
                page.set_default_timeout(LOAD_TIMEOUT_MS)
                cold = _first_render(page, lambda: page.goto(server.url + "/", wait_until="commit"))
                warm = [_first_render(page, lambda: page.reload(wait_until="commit"))
                        for _ in range(WARM_RELOADS)]
                context.close()

                context = _context(browser)
                page = context.new_page()
                page.set_default_timeout(LOAD_TIMEOUT_MS)
                opened = _first_render(page, lambda: page.goto(f"{server.url}/{expected['link']}",
                                                               wait_until="commit"))
                # React Aria names the <input type="range"> "<label> <label>": take the group's
                thumb = page.get_by_role("group", name=expected["segment"], exact=True).get_by_role("slider")
                moves, positions, refocused = _slider_moves(page, thumb)
                OUT_DIR.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(OUT_DIR / f"browser-weights-n{workload.n_rows}.png"))
                context.close()

                context = _context(browser)                # the item sliders (one point a key press)
                page = context.new_page()
                page.set_default_timeout(LOAD_TIMEOUT_MS)
                items = _expected_items(copy)
                items_opened = _first_render(page, lambda: page.goto(f"{server.url}/{items['link']}",
                                                                     wait_until="commit"))
                thumb = page.get_by_role("group", name=items["item"], exact=True).get_by_role("slider")
                item_moves, item_positions, _ = _slider_moves(page, thumb)
                context.close()

                context = _context(browser)                # page switches through the sidebar
                page = context.new_page()
                page.set_default_timeout(LOAD_TIMEOUT_MS)
                switches = _page_switches(page, server.url)
                context.close()
                empty = measure_empty_start(browser, Path(tmp))
            finally:
                browser.close()
            chromium = browser.version
            log = server.log()
            server_start_s = server.start_s
    ms = [m["ms"] for m in moves]
    shown = [m["shown"] for m in moves]
    return {
        "rows": workload.n_rows, "chromium": chromium, "server_start_s": round(server_start_s, 3), "expected": expected,
        "cold": cold, "warm": warm, "weights_opened": opened, "moves": moves,
        "slider_positions": positions, "refocused_before_moves": refocused,
        "overview_agrees": cold["shown"] == expected["overview"] and all(w["shown"] == expected["overview"] for w in warm),
        "slider_agrees": (opened["shown"] == expected["start_total"] and shown == expected["totals"]
                          and positions == expected["positions"]),
        "slider_ms": ms, "median_ms": median(ms), "p95_ms": p95(ms),
        "warm_s": median([w["s"] for w in warm]),
        "items": items, "items_opened": items_opened, "item_moves": item_moves,
        "item_ms": [m["ms"] for m in item_moves], "item_median_ms": median([m["ms"] for m in item_moves]),
        "item_agrees": (items_opened["shown"] == items["start_total"] and item_positions == items["positions"]
                        and [m["shown"] for m in item_moves] == items["totals"]),
        "switches": switches, "switch_p95_s": p95([w["s"] for w in switches]),
        "report_ready_s": max(w["s"] for w in switches if w["page"] == i18n.t("app.page.report", "zh")),
        "empty_start": empty,
        "server_errors": [line for line in log.splitlines() if "Traceback" in line or "Error" in line][:20],
    }


def _measured(workload: Workload) -> dict:
    key = (workload.n_rows, workload.seed, workload.n_periods)
    if key not in _MEASURED:
        _MEASURED[key] = measure(workload)
    return _MEASURED[key]


def _why_not(workload: Workload, min_rows: int) -> str:
    if workload.n_rows < min_rows:
        return f"browser benchmark runs at >= {min_rows:,} responses"
    if shutil.which("chromium") is None:
        return "chromium not found on PATH (apt-get install -y chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return ""


def run_browser_benchmark(workload: Workload, min_rows: int = MIN_ROWS) -> list[Row]:
    """The four browser rows at ``workload.n_rows`` (with the same at ``PEER_ROWS`` as the peer).

    Below ``min_rows`` responses, or without chromium / playwright, nothing is started:
    two "not run" rows (first render, slider median), with the reason in ``detail``.
    """
    n = workload.n_rows
    at_target = n == TARGET_ROWS
    at_new = n == NEW_TARGET_ROWS                     # issue 9's targets hold at 100 000 responses
    targets = {"cold": f"ours <= {FIRST_RENDER_TARGET_S:g} s", "warm": f"ours <= {FIRST_RENDER_TARGET_S:g} s",
               "median": f"median <= {SLIDER_TARGET_MS:g} ms", "p95": "",
               "switch": f"p95 <= {PAGE_SWITCH_TARGET_S:g} s", "item": f"median <= {ITEM_SLIDER_TARGET_MS:g} ms",
               "empty": f"ours <= {EMPTY_START_TARGET_S:g} s", "report": f"ours <= {REPORT_READY_TARGET_S:g} s"}
    units = {"cold": "s", "warm": "s", "median": "ms", "p95": "ms", "switch": "s", "item": "ms", "empty": "s",
             "report": "s"}
    new_rows = ("switch", "item", "empty", "report")
    why = _why_not(workload, min_rows)
    if why:                                           # one row per target, as the stub had
        return [Row(NAMES[k], n, None, None, "", units[k], target=targets[k] if at_target else "",
                    status="not run", detail={"reason": why}) for k in ("cold", "median")]
    ours = _measured(workload)
    peer = None
    if n != PEER_ROWS and min_rows <= PEER_ROWS:
        peer = _measured(Workload(PEER_ROWS, workload.seed, n_periods=workload.n_periods,
                                  n_customers=workload.n_customers))
    values = lambda m: {"cold": m["cold"]["s"], "warm": m["warm_s"], "median": m["median_ms"],
                        "p95": m["p95_ms"], "switch": m["switch_p95_s"], "item": m["item_median_ms"],
                        "empty": m["empty_start"]["s"], "report": m["report_ready_s"]}
    mine, theirs = values(ours), values(peer) if peer else {}
    met = {"cold": mine["cold"] <= FIRST_RENDER_TARGET_S, "warm": mine["warm"] <= FIRST_RENDER_TARGET_S,
           "median": mine["median"] <= SLIDER_TARGET_MS, "p95": None,
           "switch": mine["switch"] <= PAGE_SWITCH_TARGET_S, "item": mine["item"] <= ITEM_SLIDER_TARGET_MS,
           "empty": mine["empty"] <= EMPTY_START_TARGET_S, "report": mine["report"] <= REPORT_READY_TARGET_S}
    agree = {"cold": ours["overview_agrees"], "warm": ours["overview_agrees"],
             "median": ours["slider_agrees"], "p95": ours["slider_agrees"], "switch": True,
             "item": ours["item_agrees"], "empty": True, "report": True}
    if peer:
        agree = {k: v and (peer["overview_agrees"] if k in ("cold", "warm") else peer["slider_agrees"]
                           if k in ("median", "p95") else peer["item_agrees"] if k == "item" else True)
                 for k, v in agree.items()}
    peer_name = f"same, {PEER_ROWS:,} responses" if peer else ""
    rows = []
    for k in NAMES:
        detail = {"ours": ours} if k == "cold" else {}
        if peer and k == "cold":
            detail["peer"] = peer
        shown_target = at_new if k in new_rows else at_target
        rows.append(Row(NAMES[k], n, mine[k], theirs.get(k), peer_name, units[k],
                        target=targets[k] if shown_target and targets[k] else "",
                        met=met[k] if shown_target else None, agree=agree[k], detail=detail))
    return rows
