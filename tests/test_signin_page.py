"""Sign-in, roles in the app, the admin page, a replaced period brought back, faults on a
page (AppTest)."""
from __future__ import annotations

import logging
import re
import time

import pytest

from csi_core import i18n
from csi_core.store.db import Store
from tests.test_app_shell import ROOT, clear_caches, demo_db, demo_file, navigation_mode, new_app  # noqa: F401
from ui import auth, state

PASSWORD = "correct horse"


def add_users(path, **roles) -> None:
    s = Store.open(str(path))
    try:
        for name, role in roles.items():
            s.add_user(name, role, PASSWORD)
    finally:
        s.close()


def sign_in(at, name: str, password: str = PASSWORD):
    at.text_input(key="auth.name").input(name)
    at.text_input(key="auth.password").input(password)
    next(b for b in at.button if b.label in (i18n.t("auth.sign_in", "zh"), i18n.t("auth.sign_in", "en"))).click()
    return at.run()


def can_open(at, page: str) -> bool:
    try:
        at.switch_page(str(ROOT / "pages" / page)).run()
    except ValueError:  # not among the pages this user has
        return False
    return not at.exception


def test_without_users_the_app_is_open_and_says_so(demo_db):
    at = new_app(lang="en").run()
    assert not at.exception
    assert any(i18n.t("auth.open_note", "en") in c.value for c in at.sidebar.caption)
    assert can_open(at, "admin.py") and at.title[0].value == "Admin"


def test_with_users_every_page_needs_sign_in(demo_db):
    add_users(demo_db, ada="admin", vera="viewer")
    at = new_app(lang="en").run()
    assert at.title[0].value == "Sign in" and not at.metric  # no numbers before signing in
    assert not can_open(at, "weights.py")
    at = sign_in(at, "vera", "wrong password")
    assert at.error[0].value == i18n.t("auth.wrong", "en") and at.title[0].value == "Sign in"
    at = sign_in(at, "vera")
    assert not at.exception and at.title[0].value != "Sign in"
    assert any(c.value == i18n.t("auth.signed_in", "en", name="vera", role="viewer") for c in at.sidebar.caption)
    assert not can_open(at, "upload.py") and not can_open(at, "admin.py")
    assert can_open(at, "weights.py")
    keys = {b.key for b in at.button}
    assert "w.save" not in keys and "w.default" not in keys and "w.delete" not in keys
    assert any(i18n.t("weights.default_admin_only", "en") == c.value for c in at.caption)
    log = state.get_store().audit()
    assert list(log.what[:2]) == ["sign_in", "sign_in_failed"] and list(log.who[:2]) == ["vera", "local"]


def test_an_idle_session_ends_and_a_removed_user_is_out_at_once(demo_db):
    add_users(demo_db, ada="admin", ed="editor")
    at = sign_in(new_app(lang="en").run(), "ed")
    assert can_open(at, "upload.py")
    at.session_state[auth.SESSION] = {**at.session_state[auth.SESSION], "seen": time.time() - 31 * 60}
    at.run()
    assert at.title[0].value == "Sign in"
    assert at.info[0].value == i18n.t("auth.expired", "en", minutes=30)
    at = sign_in(at, "ed")
    assert at.title[0].value != "Sign in"
    state.get_store().remove_user("ed", who=auth.LOCAL)
    at.run()
    assert at.title[0].value == "Sign in"


def test_the_admin_page_adds_users_and_filters_the_audit_trail(demo_db):
    add_users(demo_db, ada="admin")
    at = sign_in(new_app().run(), "ada")
    at.switch_page(str(ROOT / "pages" / "admin.py")).run()
    assert not at.exception and not at.error
    at.text_input(key="admin.user_name").input("bo")
    at.selectbox(key="admin.user_role").set_value("editor")
    at.text_input(key="admin.user_password").input("short")
    next(b for b in at.button if b.label == i18n.t("admin.save_user")).click()
    at.run()
    assert at.error[0].value == i18n.t("cli.user_password", n=8)
    at.text_input(key="admin.user_password").input("long enough")
    next(b for b in at.button if b.label == i18n.t("admin.save_user")).click()
    at.run()
    assert state.get_store().verify("bo", "long enough").role == "editor"
    at.selectbox(key="admin.audit_what").set_value("user_added").run()
    table = at.dataframe[-1].value
    assert list(zip(table["用户"], table["操作"], table["内容"])) == [("ada", "新增用户", "bo: editor"),
                                                                 ("local", "新增用户", "ada: admin")]
    at.selectbox(key="admin.audit_who").set_value("ada").run()
    assert list(at.dataframe[-1].value["内容"]) == ["bo: editor"]
    at.selectbox(key="admin.remove_pick").set_value("bo").run()
    at.button(key="admin.remove").click().run()
    assert state.get_store().role_of("bo") == "editor"  # asked first
    at.button(key="admin.remove_yes").click().run()
    assert state.get_store().role_of("bo") is None


def test_an_editor_brings_back_a_replaced_period(demo_db, make_xlsx):
    from csi_core.store import ingest

    store = Store.open(str(demo_db))
    before = store.counts()
    q4 = make_xlsx([["period", "segment", "燃气质量"], ["2026Q4", "民用户", "很不满意"]])
    assert ingest.ingest(store, q4, "q4.xlsx", replace=True).ok
    store.add_user("ed", "editor", PASSWORD)
    store.close()
    at = sign_in(new_app().run(), "ed")
    at.switch_page(str(ROOT / "pages" / "upload.py")).run()
    assert not at.exception
    at.button(key="upload.back").click().run()
    assert state.get_store().restorable().upload_id.tolist() == [1]  # asked first, nothing changed
    at.button(key="upload.back_yes").click().run()
    assert not at.exception
    after = state.get_store().counts()
    assert (after.answers == before.answers).all() and after.segments == before.segments
    assert at.success[0].value.startswith("已恢复 2026Q4")
    assert state.get_store().audit(what="restore_period").who.tolist() == ["ed"]


def test_a_damaged_database_is_a_clear_page_with_an_error_id(demo_db, caplog):
    demo_db.write_bytes(b"this is not a database " * 500)
    clear_caches()
    with caplog.at_level(logging.ERROR):
        at = new_app(lang="en").run()
    assert not at.exception
    text = at.error[0].value
    assert "The database cannot be used right now" in text and "is damaged" in text and "restore" in text
    eid = re.search(r"Error id (\w+)", at.caption[0].value).group(1)
    assert any(eid in r.getMessage() and r.exc_info for r in caplog.records)
    assert can_open(at, "trends.py")  # the navigation is still there
    assert "is damaged" in at.error[0].value
