"""A closed tab's upload leaves the server's memory (issue 10 point 5): upload 60 MB,
close the tab, and the server's resident memory comes back down (the sweeper's grace
period is shortened to 2 s here; it is 30 s in production)."""
import os
import time

from tests.browser.helpers import goto, wait_idle

MB = 2**20


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def test_a_closed_tabs_upload_is_released(streamlit_server, browser, tmp_path):
    base = streamlit_server(env={"CSI_SESSION_GRACE_SECONDS": "2", "CSI_SESSION_SWEEP_SECONDS": "1"})
    pid = streamlit_server._procs[base][0].pid
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = context.new_page()
    goto(page, base, "upload")
    wait_idle(page)
    before = rss_mb(pid)
    big = tmp_path / "big.xlsx"
    big.write_bytes(os.urandom(60 * MB))
    page.locator('input[type="file"]').set_input_files(str(big))
    page.get_by_text("不能导入").first.wait_for(timeout=60_000)  # the refusal (not a workbook)
    held = rss_mb(pid)
    assert held - before > 80, (before, held)  # the session's copy and the uploader's
    context.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and rss_mb(pid) - before > 40:
        time.sleep(0.5)
    assert rss_mb(pid) - before < 40, (before, held, rss_mb(pid))
