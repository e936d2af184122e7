#!/usr/bin/env python3
"""CPU time of one page's script runs (AppTest, no browser) on the bench workload's database.

    python scripts/page_cpu.py pages/report.py [--rows 100000] [--runs 3]

Opens the app on a copy of ``bench/data/csi_<workbook>_schema<N>.duckdb`` (built once by
``bench.browser.database``, ``python -m csi_core import``), runs the overview as a
browser's first load does, then switches to the page ``--runs`` times: the first run is
the page's first visit in this process (its caches empty), the others are warm. Prints
the process CPU time and the wall time of each run, and the load average. What the
browser adds (sending the elements, drawing them) is not in these figures: the
browser's are ``python -m bench --only browser``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="e.g. pages/report.py")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from bench.browser import database
    from bench.data import Workload

    with tempfile.TemporaryDirectory(prefix="csi-page-cpu-") as tmp:
        copy = Path(tmp) / "csi.duckdb"
        shutil.copyfile(database(Workload(args.rows)), copy)
        os.environ["CSI_DB"] = str(copy)
        at = _app()
        at.run()
        for k in range(args.runs):
            cpu, wall = time.process_time(), time.perf_counter()
            at.switch_page(args.page).run()
            if at.exception:
                raise SystemExit(f"{args.page}: {at.exception}")
            print(f"{args.page} run {k + 1} ({'first visit' if k == 0 else 'warm'}): "
                  f"cpu {time.process_time() - cpu:.2f} s, wall {time.perf_counter() - wall:.2f} s")
            at.switch_page("pages/overview.py").run()
        print("load average", " ".join(f"{v:.2f}" for v in os.getloadavg()))


def _app():
    """AppTest of app.py, left in st.navigation's mode as the server leaves it
    (tests/test_app_shell.py's ``navigation_mode`` fixture)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self, *a, **k):
        original(self, *a, **k)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)


if __name__ == "__main__":
    main()
