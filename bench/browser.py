"""Benchmark 4 — the browser: Playwright + Chromium against the running app.

With 1 000 000 stored responses: the overview's first render (target ≤ 3 s), and the
segment-weight slider moved with the keyboard 20 times, each time until the new total is
shown (median and p95; target median ≤ 300 ms).

NOT WIRED YET: the app does not exist when this was written. ``run_browser_benchmark`` is
the stub the lead replaces; until then it reports the rows as "not run".
"""

from __future__ import annotations

from bench.data import Workload
from bench.results import Row

MOVES = 20
TARGET_ROWS = 1_000_000


def run_browser_benchmark(workload: Workload) -> list[Row]:
    """STUB — to be wired by the lead once the app exists: reports "not run".

    The real version should: import ``workload.path()`` into a fresh database file
    (``CSI_DB``), start ``streamlit run app.py`` headless on a free port, open it in
    Debian's Chromium (``executable_path="/usr/bin/chromium"``, ``--no-sandbox``), time
    the first render of the overview (until
    ``[data-testid="stApp"][data-test-script-state="notRunning"]`` and the CSI is shown),
    then on the weights page focus the residential slider and press ArrowRight ``MOVES``
    times, timing each press until the shown total changes; report the median and p95.
    """
    n = workload.n_rows
    return [
        Row("browser: first render of overview", n, None, None, "", "s",
            target="ours <= 3 s" if n == TARGET_ROWS else "", status="not run"),
        Row(f"browser: slider move -> new total (median of {MOVES})", n, None, None, "", "ms",
            target="median <= 300 ms" if n == TARGET_ROWS else "", status="not run"),
    ]
