#!/usr/bin/env python3
"""Screenshot a page with headless Debian chromium, for humans checking pages.

    python scripts/screenshot.py URL OUT.png [--width 1600 --height 1000] [--wait-ms 0]

e.g. with `streamlit run app.py` running:
    python scripts/screenshot.py http://localhost:8501/weights test-artifacts/weights.png

On a Streamlit page it waits until the script run is over (the app's idle marker);
the capture is full-page, including what scrolls inside Streamlit's main area.
Needs chromium on PATH (apt-get install -y chromium; never `playwright install`).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.browser.helpers import (  # noqa: E402  (the one set of launch args)
    APP,
    IDLE,
    chromium_path,
    full_height_screenshot,
    launch_chromium,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url")
    ap.add_argument("out", help="PNG file to write")
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--height", type=int, default=1000)
    ap.add_argument("--wait-ms", type=int, default=0, help="extra wait before the capture")
    ap.add_argument("--timeout-ms", type=int, default=60000)
    ap.add_argument("--locale", default="zh-CN")
    args = ap.parse_args(argv)

    if chromium_path() is None:
        print("screenshot.py: chromium not found on PATH (apt-get install -y chromium)",
              file=sys.stderr)
        return 2
    from playwright.sync_api import TimeoutError as PWTimeout
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            ctx = browser.new_context(
                viewport={"width": args.width, "height": args.height}, locale=args.locale
            )
            page = ctx.new_page()
            page.goto(args.url, wait_until="load", timeout=args.timeout_ms)
            is_streamlit = page.evaluate(
                "() => !!document.querySelector('[data-testid=\"stApp\"]')"
                " || /streamlit/i.test(document.documentElement.innerHTML.slice(0, 20000))"
            )
            if is_streamlit:
                try:
                    page.wait_for_selector(APP, state="attached", timeout=args.timeout_ms)
                    # "initial" until the first run has an id: notRunning = first run done
                    page.wait_for_selector(IDLE, timeout=args.timeout_ms)
                    page.wait_for_timeout(300)  # a rerun the page itself triggers
                    page.wait_for_selector(IDLE, timeout=args.timeout_ms)
                except PWTimeout:
                    print("screenshot.py: the app did not become idle; capturing anyway",
                          file=sys.stderr)
            if args.wait_ms:
                page.wait_for_timeout(args.wait_ms)
            full_height_screenshot(page, out)
        finally:
            browser.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
