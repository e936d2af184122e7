"""app.py and ui/: navigation, language, period, the store on first start, friendly errors.

The fixtures here are shared by the page tests (``from tests.test_app_shell import ...``):
``demo_db`` points ``CSI_DB`` at a fresh copy of a database holding the demo data (built
once per session the way the app builds it), ``app`` is an AppTest that has run once.
"""
from __future__ import annotations

import ast
import base64
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from csi_core import i18n, workspaces
from tests import demo_expected as expected
from csi_core.store.db import Store
from ui import state

ROOT = Path(__file__).resolve().parent.parent
DEMO_WEIGHTS = {"民用户": 60, "工商业户": 30, "公福用户": 10}


# --- fixtures and helpers (shared) -------------------------------------------------------------
def clear_caches() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()
    state.forget_demos()


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch):
    """AppTest resets Streamlit's "pages/ folder" flag before every run, so each run would
    execute a page file alone (the old multipage mode); the real server leaves that mode
    at the first run (``ui._leave_pages_directory_mode``). Do the same here."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    """A database with the demo data and the demo's segment weights, as on first start."""
    path = tmp_path_factory.mktemp("demo-db") / "demo.duckdb"
    store = Store.open(str(path))
    assert workspaces.install_demo(store) == ""
    store.close()
    return path


@pytest.fixture
def demo_db(demo_file, tmp_path, monkeypatch) -> Path:
    target = tmp_path / "csi.duckdb"
    shutil.copy(demo_file, target)
    monkeypatch.setenv("CSI_DB", str(target))
    clear_caches()
    yield target
    clear_caches()


def new_app(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at


@pytest.fixture
def app(demo_db) -> AppTest:
    at = new_app().run()
    assert not at.exception
    return at


def html_value(at: AppTest, element_id: str) -> str | None:
    """The text inside the element with ``id=element_id`` in the page's custom HTML."""
    for md in at.markdown:
        found = re.search(rf'id="{re.escape(element_id)}"[^>]*>([^<]*)<', md.value)
        if found:
            return found.group(1)
    return None


def core_results(weights=None):
    """csi_core on the store the app has open (the same process): counts → compute."""
    from csi_core.method import csi

    store = state.get_store()
    counts = store.counts()
    given = store.get_setting("segment_weights") if weights is None else weights
    return counts, csi.compute(counts, csi.Weights(given))


def shown(value: float) -> str:
    from csi_core.method.grades import round_half_up

    return f"{round_half_up(value):.1f}"


def plotly_figures(at: AppTest) -> list[dict]:
    """The plotly figures on the page as JSON, typed arrays decoded to lists."""
    def decode(node):
        if isinstance(node, dict):
            if set(node) >= {"dtype", "bdata"}:
                return np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"]).tolist()
            return {k: decode(v) for k, v in node.items()}
        if isinstance(node, list):
            return [decode(v) for v in node]
        return node
    return [decode(json.loads(el.proto.spec)) for el in at.get("plotly_chart")]


def page_files() -> list[tuple[str, str]]:
    """(file, title key) of app.PAGES, read from app.py's source."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES":
            return [(f, k) for f, k, _ in ast.literal_eval(node.value)]
    raise AssertionError("app.py has no PAGES")


EXISTING = [f for f, _ in page_files() if (ROOT / f).exists()]


# --- the shell -----------------------------------------------------------------------------------
def test_pages_in_the_issue_order_with_chinese_titles():
    titles = [i18n.t(key) for _, key in page_files()]
    assert titles == ["总览", "上传", "权重模拟", "推移图", "纠正措施", "投诉", "分析", "竞争对手", "数据", "报告", "会议", "管理"]
    assert [f for f, _ in page_files()] == [f"pages/{n}.py" for n in ("overview", "upload", "weights", "trends",
                                                                      "actions", "complaints", "analysis", "competitors", "data", "report",
                                                                      "meeting", "admin")]


@pytest.mark.parametrize("page", EXISTING)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_without_exception(demo_db, page, lang):
    at = new_app(lang=lang).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, f"{page} shows no title"
    # the shell is around every page
    assert at.sidebar.selectbox(key=state.PERIOD_KEY).value == "2026Q4"


def test_missing_page_files_are_left_out(demo_db, tmp_path):
    # a copy of the app with only the overview page: it runs and shows it
    root = tmp_path / "app"
    (root / "pages").mkdir(parents=True)
    shutil.copy(ROOT / "app.py", root / "app.py")
    shutil.copy(ROOT / "pages" / "overview.py", root / "pages" / "overview.py")
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value.startswith("总览")


def test_first_start_shows_the_demo_from_a_database_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("CSI_DB", str(tmp_path / "new" / "csi.duckdb"))  # the folder does not exist yet
    clear_caches()
    at = new_app().run()
    assert not at.exception
    assert state.demo_loader().wait(60)  # built behind the first page
    at.run()
    assert state.get_store().is_empty()  # the user's database holds nothing of the demo
    demo = state.demo_loader().store
    assert state.demo_loader().path == str(tmp_path / "new" / "demo.duckdb")
    assert demo.periods()[-1] == "2026Q4"
    assert demo.get_setting("segment_weights") == DEMO_WEIGHTS
    assert state.get_store().get_setting("segment_weights") is None
    assert html_value(at, "demo-banner") == i18n.t("demo.banner")
    assert html_value(at, "csi-total") is not None
    clear_caches()


def test_demo_that_fails_leaves_an_empty_app_that_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("CSI_DB", str(tmp_path / "csi.duckdb"))
    monkeypatch.setattr("csi_core.demo.demo_bytes", lambda: b"not a workbook")
    clear_caches()
    at = new_app().run()
    state.demo_loader().wait(60)
    at.run()
    assert not at.exception
    assert any("演示数据" in w.value for w in at.warning)
    assert at.info[0].value == i18n.t("app.no_data")
    for page in EXISTING:
        at.switch_page(page).run()
        assert not at.exception, page
    clear_caches()


def test_language_switch_changes_labels_and_the_link(app):
    assert app.title[0].value == "总览 · 2026Q4"
    assert app.query_params["lang"] == ["zh"] or app.query_params["lang"] == "zh"
    app.button_group(key="_lang_switch").set_value("en").run()
    assert app.title[0].value == "Overview · 2026Q4"
    assert app.sidebar.selectbox(key=state.PERIOD_KEY).label == "Survey period"
    assert app.session_state[state.LANG_KEY] == "en"
    assert "en" in str(app.query_params["lang"])
    app.switch_page("pages/trends.py").run()
    assert app.title[0].value == "Run charts"  # the language stays across pages


def test_language_from_the_link(demo_db):
    at = new_app(lang="en").run()
    assert at.title[0].value == "Overview · 2026Q4"
    at = new_app(lang="xx").run()  # unknown: Chinese
    assert at.title[0].value == "总览 · 2026Q4"


def test_period_picker_defaults_to_the_latest_and_drives_the_page(app):
    picker = app.sidebar.selectbox(key=state.PERIOD_KEY)
    assert picker.value == "2026Q4"
    assert picker.options[0] == "2026Q4" and picker.options[-1] == "2025Q1"
    picker.set_value("2025Q3").run()
    assert app.title[0].value == "总览 · 2025Q3"
    assert html_value(app, "csi-total") == "82.6"  # the independent reference's (tests/demo_expected.py)


def test_an_unexpected_error_is_a_friendly_message_not_a_traceback(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom in summary")

    monkeypatch.setattr(state, "summary", broken)
    app.run()
    assert not app.exception
    assert app.error[0].value == i18n.t("app.error")
    assert "boom in summary" in app.code[0].value  # in the folded details
    app.button_group(key="_lang_switch").set_value("en").run()
    assert app.error[0].value == i18n.t("app.error", "en")


def test_a_locked_database_is_a_clear_message(tmp_path, monkeypatch):
    path = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(60)", str(path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        monkeypatch.setenv("CSI_DB", str(path))
        clear_caches()
        at = new_app().run()
        assert not at.exception
        assert i18n.t("fault.locked", path=str(path)) in at.error[0].value
        assert i18n.t("fault.locked.todo") in at.error[0].value
        at.button_group(key="_lang_switch").set_value("en").run()
        assert "in use by another program" in at.error[0].value
    finally:
        holder.kill()
        holder.wait()
        clear_caches()


def test_counts_are_cached_by_data_version(app):
    store = state.get_store()
    first = state._counts(store.path, store.data_version(), store)
    assert state._counts(store.path, store.data_version(), store) is first
    store.delete_period("2025Q1")  # bumps the data version, as an import does
    app.run()
    assert "2025Q1" not in app.sidebar.selectbox(key=state.PERIOD_KEY).options


def test_company_weights_ignore_segments_no_longer_stored(app):
    """Weights set for 民用户 and a segment since retired do not name 工商业户 and 公福用户:
    they were not set for this data, so its periods are weighted equally (and the page says so)."""
    state.get_store().set_setting("segment_weights", {"民用户": 70, "已停用": 30})
    app.run()
    assert not app.exception
    # weights that name only 民用户 of the stored segments: equal weights (the mean of the
    # reference's three segment CSIs, tests/demo_expected.py), and the overview says so
    assert html_value(app, "csi-total") == expected.Q4_TOTAL_EQUAL
    assert "工商业户、公福用户" in html_value(app, "weights-used")


def test_config_reads_on_a_projector_and_takes_big_uploads():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == 300
    assert config["theme"]["base"] == "light"
    assert config["theme"]["baseFontSize"] >= 16


def test_the_period_is_in_the_link_and_read_back(demo_db):
    at = new_app().run()
    at.sidebar.selectbox(key=state.PERIOD_KEY).set_value("2026Q1").run()
    assert at.query_params["period"] in ("2026Q1", ["2026Q1"])  # AppTest keeps lists
    opened = new_app(period="2026年第1季度").run()  # any spelling of a period
    assert opened.sidebar.selectbox(key=state.PERIOD_KEY).value == "2026Q1"
    assert opened.title[0].value.endswith("2026Q1") and not opened.sidebar.warning


def test_a_link_to_a_period_without_data_says_so(demo_db):
    at = new_app(period="1999Q1").run()
    assert not at.exception
    assert at.sidebar.selectbox(key=state.PERIOD_KEY).value == "2026Q4"
    assert at.sidebar.warning[0].value == i18n.t("app.period_not_stored", period="1999Q1")
