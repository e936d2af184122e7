"""A department's day in Chromium: the sign-in page, a viewer who cannot upload, an admin
who reads the audit trail and downloads a backup; a damaged database shown as a clear
page (test-artifacts/record-*.png, 1600×1000 and 1280×720)."""
from __future__ import annotations

import io
import zipfile

from playwright.sync_api import expect

from tests.browser.helpers import goto, shot, stored_database, wait_idle

PASSWORD = "correct horse"


def sign_in(page, name: str, password: str = PASSWORD) -> None:
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    wait_idle(page, timeout=60000)


def test_sign_in_roles_audit_and_backup(streamlit_server, page, tmp_path):
    base = streamlit_server("app.py", env={"CSI_DB": stored_database(tmp_path, PASSWORD, ada="admin", vera="viewer")})
    goto(page, base)
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # no pages before signing in
    shot(page, "record-sign-in")
    sign_in(page, "vera", "wrong password")
    expect(page.get_by_text("用户名或密码不对。")).to_be_visible()
    sign_in(page, "vera")
    expect(page.get_by_text("已登录：vera（查看者）")).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("总览")).to_be_visible()
    expect(nav.get_by_text("上传")).to_have_count(0)
    expect(nav.get_by_text("管理")).to_have_count(0)
    page.get_by_role("button", name="退出登录").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

    sign_in(page, "ada")
    page.get_by_test_id("stSidebarNav").get_by_text("管理").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="管理")).to_be_visible()
    page.get_by_role("tab", name="审计记录").click()
    wait_idle(page)
    expect(page.get_by_role("tabpanel", name="审计记录").get_by_test_id("stDataFrame")).to_be_visible()
    shot(page, "record-admin-audit")
    page.get_by_role("tab", name="备份").click()
    with page.expect_download(timeout=120000) as download:
        page.get_by_role("button", name="下载备份").click()
    names = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())).namelist()
    assert "manifest.json" in names and "tables/responses.parquet" in names and "uploads/1/demo.xlsx" in names
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_role("tab", name="用户").click()
    wait_idle(page)
    shot(page, "record-admin-1280", full_page=False)


def test_a_damaged_database_is_a_page_that_says_what_to_do(streamlit_server, page, tmp_path):
    path = tmp_path / "damaged.duckdb"
    path.write_bytes(b"this is not a database " * 500)
    base = streamlit_server("app.py", env={"CSI_DB": str(path)})
    goto(page, base)
    expect(page.get_by_text("数据库暂时无法使用")).to_be_visible()
    expect(page.get_by_text("已损坏")).to_be_visible()
    expect(page.get_by_text("错误编号")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_text("推移图")).to_be_visible()  # navigation intact
    shot(page, "record-damaged-db")
    page.get_by_test_id("stSidebarNav").get_by_text("推移图").click()
    wait_idle(page)
    expect(page.get_by_text("数据库暂时无法使用")).to_be_visible()
