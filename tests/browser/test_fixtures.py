"""The browser fixtures themselves: server, Chromium, idle waits, keyboard, upload."""
from playwright.sync_api import expect

from tests.browser.helpers import goto, shot, slider, wait_idle


def test_hello_app_slider_and_upload(streamlit_server, page):
    base = streamlit_server("tests/browser/hello_app.py")
    goto(page, base)
    expect(page.get_by_role("heading", name="客户满意度 CSI")).to_be_visible()
    metric = page.locator('[data-testid="stMetricValue"]')
    expect(metric).to_have_text("100")
    shot(page, "fixtures-hello-start")

    # Streamlit 1.67's slider is React Aria: no [role="slider"] element, the thumb is a
    # visually hidden <input type="range"> (implicit role slider) -> get_by_role finds it
    thumb = slider(page, "weight")
    thumb.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    expect(thumb).to_have_value("55")
    expect(metric).to_have_text("110")

    payload = b"CSI" * 400  # 1200 bytes
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "survey.xlsx", "mimeType": "application/octet-stream", "buffer": payload}]
    )
    wait_idle(page)
    expect(page.get_by_text(f"size: {len(payload)} bytes")).to_be_visible()
    shot(page, "fixtures-hello-uploaded")
