"""Benchmark 5 — the meeting report's PDF, from the stored responses to the PDF's bytes.

Ours: ``report.build`` (the store → the report's tables) and ``report_pdf.write`` (fpdf2,
the Noto Sans CJK font embedded, charts drawn as vectors), for the management summary and
with the appendix. The peer: the common way to get a PDF of a report page — the same
report as HTML (``report_html.write``: matplotlib PNG charts, a Jinja2 template) printed to
PDF by headless Chromium (Playwright's ``page.pdf``, A4; the browser started before the
clock). Both start from the same store and must show the same total CSI (the PDFs' text,
read back with pypdf).

Target (issue 9), at 26 000 questionnaires — an airline's survey: the summary PDF in ≤ 3 s.
Run it with ``python -m bench --only report --sizes 26000``.
"""

from __future__ import annotations

import io
import re
import shutil
import time

from bench.data import Workload
from bench.results import Row, median

TARGET_ROWS = 26_000
TARGET_S = 3.0
REPEATS = 3
LANG = "zh"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def _store(workload: Workload):
    from csi_core.store import ingest
    from csi_core.store.db import Store

    store = Store.open(":memory:")
    outcome = ingest.ingest(store, workload.path().read_bytes(), workload.path().name)
    if not outcome.ok:
        raise RuntimeError(f"the workload was refused: {outcome.messages('en')[:3]}")
    return store


def _timed(make) -> tuple[float, bytes]:
    """Median seconds of ``make()`` over :data:`REPEATS` calls after one warm-up (imports,
    the font file in the OS cache), and the last result; with ``REPEATS = 0`` the one
    call itself."""
    start = time.perf_counter()
    result = make()
    seconds = [time.perf_counter() - start] if not REPEATS else []
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = make()
        seconds.append(time.perf_counter() - start)
    return median(seconds), result


def _total_shown(pdf: bytes) -> str | None:
    """The total CSI as the first finding says it ("总体 CSI 为 84.8")."""
    from pypdf import PdfReader

    text = re.sub(r"[\s\x00]+", "", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    found = re.search(r"总体CSI为(\d+\.\d)", text)
    return found.group(1) if found else None


def ours(store, appendix: bool) -> tuple[float, bytes]:
    from csi_core.outputs import report, report_pdf

    return _timed(lambda: report_pdf.write(report.build(store, lang=LANG), appendix=appendix))


def peer(store) -> tuple[float | None, bytes, str]:
    """The HTML report printed by Chromium; (None, b"", why) when it cannot run."""
    if shutil.which("chromium") is None:
        return None, b"", "chromium not found on PATH"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, b"", "playwright is not installed"
    from csi_core.outputs import report, report_html

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()

            def make() -> bytes:
                page.set_content(report_html.write(report.build(store, lang=LANG)), wait_until="load")
                return page.pdf(format="A4", print_background=True)
            seconds, pdf = _timed(make)
        finally:
            browser.close()
    return seconds, pdf, ""


def run(workload: Workload) -> list[Row]:
    """Two rows: the summary PDF and the PDF with its appendix, each against the peer."""
    store = _store(workload)
    try:
        summary_s, summary = ours(store, appendix=False)
        appendix_s, full = ours(store, appendix=True)
        peer_s, printed, why = peer(store)
    finally:
        store.close()
    at_target = workload.n_rows == TARGET_ROWS
    shown = _total_shown(summary)
    agree = None if peer_s is None else shown is not None and shown == _total_shown(printed)
    name = "HTML report printed by Chromium"
    detail = {"total_shown": shown, "peer_not_run": why, "pages": {"summary": _pages(summary), "appendix": _pages(full),
                                                                    "peer": _pages(printed) if printed else None}}
    return [Row("report PDF, management summary", workload.n_rows, summary_s, peer_s, name, "s",
                target=f"ours <= {TARGET_S:g} s" if at_target else "",
                met=summary_s <= TARGET_S if at_target else None, agree=agree, detail=detail),
            Row("report PDF with appendix", workload.n_rows, appendix_s, peer_s, name, "s", agree=agree)]


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
