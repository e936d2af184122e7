"""Fixtures for the browser tests: a real `streamlit run` server + headless Chromium.

    streamlit_server(script="app.py", env=None) -> base_url   (session-scoped factory)
    browser                                                    (session-scoped)
    page       1600x1000, locale zh-CN, watcher for wait_idle  (function-scoped)

Every test in tests/browser/ gets the `browser` marker.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.browser import stop_process_group
from tests.browser.helpers import (
    REPO_ROOT,
    WATCH_SCRIPT_STATE_JS,
    chromium_path,
    free_port,
    launch_chromium,
    shot,
)

HEALTH_TIMEOUT_S = 60
VIEWPORT = {"width": 1600, "height": 1000}  # a projector
LOCALE = "zh-CN"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent.resolve()
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _get(url: str, timeout: float = 2.0) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


class StreamlitServers:
    """Callable factory: servers(script="app.py", env=None) -> "http://127.0.0.1:PORT".

    Each call starts its own `streamlit run` from the repo root with a fresh, empty
    CSI_DB (tmp dir) unless `env` sets CSI_DB; `env` values of None remove a variable.
    All servers are killed (process group) at the end of the session; `stop(url)` ends
    one earlier, `log(url)` returns what it printed so far.
    """

    def __init__(self, tmp_root: Path):
        self._tmp = tmp_root
        self._procs: dict[str, tuple[subprocess.Popen, Path]] = {}
        self._n = 0

    def __call__(self, script: str = "app.py", env: dict | None = None) -> str:
        script_path = Path(script)
        if not script_path.is_absolute():
            script_path = REPO_ROOT / script_path
        if not script_path.exists():
            pytest.fail(f"streamlit_server: no such script {script_path}")
        last_log = ""
        for _attempt in range(3):  # a free port can be taken before streamlit binds it
            url, proc, log_path = self._spawn(script_path, env)
            ok, why = self._wait_healthy(url, proc)
            if ok:
                self._procs[url] = (proc, log_path)
                return url
            last_log = log_path.read_text(errors="replace")
            stop_process_group(proc)
            if "already in use" not in last_log:
                break
        pytest.fail(
            f"streamlit server for {script} not healthy ({why}); its log:\n{last_log}",
            pytrace=False,
        )

    start = __call__

    def _spawn(self, script_path: Path, env: dict | None):
        self._n += 1
        run_dir = self._tmp / f"server{self._n}"
        run_dir.mkdir(parents=True, exist_ok=True)
        port = free_port()
        full_env = dict(os.environ)
        full_env.update(
            CSI_DB=str(run_dir / "csi.duckdb"),
            PYTHONUNBUFFERED="1",
            STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        )
        for k, v in (env or {}).items():
            if v is None:
                full_env.pop(k, None)
            else:
                full_env[k] = str(v)
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(script_path),
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ]
        log_path = run_dir / "server.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                cmd, cwd=REPO_ROOT, env=full_env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        return f"http://127.0.0.1:{port}", proc, log_path

    @staticmethod
    def _wait_healthy(url: str, proc: subprocess.Popen) -> tuple[bool, str]:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False, f"exited with code {proc.returncode}"
            if (_get(url + "/_stcore/health") or "").strip() == "ok":
                return True, ""
            time.sleep(0.2)
        return False, f"no 'ok' from /_stcore/health within {HEALTH_TIMEOUT_S} s"

    def log(self, url: str) -> str:
        return self._procs[url][1].read_text(errors="replace")

    def stop(self, url: str) -> None:
        proc, _ = self._procs.pop(url)
        stop_process_group(proc)

    def stop_all(self) -> None:
        for url in list(self._procs):
            self.stop(url)


@pytest.fixture(scope="session")
def streamlit_server():
    with tempfile.TemporaryDirectory(prefix="csi-browser-") as tmp:
        servers = StreamlitServers(Path(tmp))
        try:
            yield servers
        finally:
            servers.stop_all()


@pytest.fixture(scope="session")
def browser():
    if chromium_path() is None:
        msg = ("chromium not found on PATH: `apt-get install -y chromium` "
               "(bash scripts/test.sh does this); never `playwright install`")
        if os.environ.get("CI") == "true":
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_chromium(pw)
        try:
            yield b
        finally:
            b.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


def _server_errors(servers: StreamlitServers, lines: int = 80) -> str:
    """The end of each running server's log from its first traceback or error on."""
    out = []
    for url in list(servers._procs):
        text = servers.log(url)
        start = min((i for i in (text.find("Traceback"), text.find("ERROR"), text.find("error")) if i >= 0),
                    default=-1)
        if start >= 0:
            out.append(f"--- {url} ---\n" + "\n".join(text[start:].splitlines()[-lines:]))
    return "\n".join(out)


@pytest.fixture
def page(browser, request, streamlit_server):
    context = browser.new_context(viewport=VIEWPORT, locale=LOCALE)
    context.add_init_script(WATCH_SCRIPT_STATE_JS)
    context.set_default_timeout(30000)
    pg = context.new_page()
    try:
        yield pg
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            try:
                shot(pg, "FAILED-" + request.node.nodeid)
            except Exception:
                pass
            errors = _server_errors(streamlit_server)  # what the app logged: the error behind a red box
            if errors:
                print("server log after the failure:\n" + errors)
        context.close()
