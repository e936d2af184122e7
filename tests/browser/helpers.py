"""Helpers for the browser tests (Playwright sync API + Debian's chromium).

    from tests.browser.helpers import goto, wait_idle, shot

    def test_x(streamlit_server, page):
        base = streamlit_server("app.py")
        goto(page, base)                     # loads and waits for the first run
        page.get_by_role("slider").first.focus()
        page.keyboard.press("ArrowRight")
        wait_idle(page)                      # after every action that reruns the script
        shot(page, "x-after")                # test-artifacts/x-after.png
"""
from __future__ import annotations

import re
import shutil
import socket
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"

APP = '[data-testid="stApp"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# The one way every test (and scripts/screenshot.py) launches Chromium.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def stored_database(tmp_path, password: str = "correct horse", **users) -> str:
    """A database file that holds the demo's quarters as the user's own first upload
    (#1, periods 2025Q1–2026Q4), with the given users (name=role); its path."""
    from csi_core.demo import demo_bytes
    from csi_core.store.db import Store
    from csi_core.store.ingest import ingest

    path = tmp_path / "csi.duckdb"
    store = Store.open(str(path))
    try:
        assert ingest(store, demo_bytes(), "demo.xlsx", who="demo").ok
        for name, role in users.items():
            store.add_user(name, role, password)
    finally:
        store.close()
    return str(path)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_path() -> str | None:
    return shutil.which("chromium")


def launch_chromium(playwright, **kw):
    """Headless Debian chromium with the project's launch args."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True, **kw
    )


# Installed in every page of the `page` fixture (context.add_init_script).
# Counts the times the app leaves the idle state, so wait_idle can tell
# "the rerun my click caused has finished" from "the rerun has not started yet".
WATCH_SCRIPT_STATE_JS = """
(() => {
  if (window.__stWatch) return;
  window.__stWatch = true;
  window.__stRuns = 0;          // transitions into running / rerunRequested / ...
  window.__stIdleSeen = 0;      // __stRuns when wait_idle last returned
  window.__stChangedAt = Date.now();
  const start = () => {
    new MutationObserver((muts) => {
      for (const m of muts) {
        const now = m.target.getAttribute('data-test-script-state');
        if (now === m.oldValue) continue;
        window.__stChangedAt = Date.now();
        if (now !== 'notRunning' && now !== 'initial') window.__stRuns++;
      }
    }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                          attributeFilter: ['data-test-script-state']});
  };
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
"""

_IDLE_CONDITION_JS = """
([graceUntil, quietMs]) => {
  const el = document.querySelector('[data-testid="stApp"]');
  if (!el || el.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const now = Date.now();
  if (window.__stRuns === undefined) return now >= graceUntil;   // page without the watcher
  if (now - window.__stChangedAt < quietMs) return false;
  if (window.__stRuns > window.__stIdleSeen || now >= graceUntil) {
    window.__stIdleSeen = window.__stRuns;
    return true;
  }
  return false;
}
"""


def wait_idle(page, timeout: float = 30000, grace_ms: float = 1000, quiet_ms: float = 100) -> None:
    """Wait until the Streamlit script has finished the run the last action caused.

    Right after a click the app can still show "notRunning" for a moment before the
    rerun starts. With the `page` fixture's watcher this returns as soon as a run that
    started since the previous wait_idle is over (and the state has been quiet for
    `quiet_ms`); if no run starts it returns after `grace_ms`. Without the watcher it
    waits `grace_ms` and then for the idle selector.
    """
    import time

    deadline = time.monotonic() + timeout / 1000
    page.wait_for_selector(APP, state="attached", timeout=timeout)
    left = max(1, (deadline - time.monotonic()) * 1000)
    grace_until = page.evaluate("() => Date.now()") + grace_ms
    page.wait_for_function(
        _IDLE_CONDITION_JS, arg=[grace_until, quiet_ms], timeout=left, polling=50
    )


def goto(page, base_url: str, path: str = "", timeout: float = 60000) -> None:
    """Open base_url/path and wait until the first script run is over."""
    url = base_url.rstrip("/") + "/" + path.lstrip("/") if path else base_url.rstrip("/") + "/"
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    # the state is "initial" until the first run has an id, so the idle selector means
    # the first run has finished
    page.wait_for_selector(IDLE, timeout=timeout)
    wait_idle(page, timeout=timeout, grace_ms=300)


def slider(page, label: str):
    """The keyboard-focusable thumb of st.slider `label`.

    Streamlit 1.67 draws sliders with React Aria: there is no element with
    role="slider"; each thumb is a visually hidden <input type="range"> whose implicit
    role is slider. Focus it and press ArrowRight/ArrowLeft/Home/End/PageUp/PageDown;
    read the value with expect(loc).to_have_value("55"). A range slider has two thumbs
    (.first / .last).
    """
    return page.get_by_role("slider", name=label)


# Streamlit scrolls inside [data-testid="stMain"], not the document, so Playwright's
# full_page alone captures one viewport. The content height is the viewport plus what
# the tallest scroll container hides.
_CONTENT_HEIGHT_JS = """
() => {
  let h = document.scrollingElement ? document.scrollingElement.scrollHeight : 0;
  const vh = window.innerHeight;
  for (const el of document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"], main, section')) {
    const extra = el.scrollHeight - el.clientHeight;
    if (extra > 0) h = Math.max(h, vh + extra);
  }
  return Math.ceil(h);
}
"""
MAX_SHOT_HEIGHT = 16000  # Chromium refuses bigger captures


def full_height_screenshot(page, path: str | Path, settle_ms: int = 300) -> None:
    """Screenshot of the whole page, also when the app scrolls inside stMain:
    the viewport is made as tall as the content for the capture, then restored."""
    vp = page.viewport_size or {"width": 1600, "height": 1000}
    height = page.evaluate(_CONTENT_HEIGHT_JS)
    if height > vp["height"]:
        page.set_viewport_size({"width": vp["width"], "height": min(height, MAX_SHOT_HEIGHT)})
        try:
            page.wait_for_timeout(settle_ms)  # charts re-layout to the new size
            page.screenshot(path=str(path), full_page=True, animations="disabled")
        finally:
            page.set_viewport_size(vp)
    else:
        page.screenshot(path=str(path), full_page=True, animations="disabled")


def shot(page, name: str, full_page: bool = True) -> Path:
    """Screenshot to test-artifacts/<name>.png (repo root); returns the path.
    full_page=True captures the whole app, also what scrolls inside stMain."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.\-]+", "_", name).strip("_") or "shot"
    path = ARTIFACTS / (safe if safe.endswith(".png") else safe + ".png")
    if full_page:
        full_height_screenshot(page, path)
    else:
        page.screenshot(path=str(path), animations="disabled")
    return path
