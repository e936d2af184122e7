"""The first real quarter (issue 9), as a user meets it in the app: the demo in a database
of its own with a banner on every page, the user's import never among the demo's rows,
the weights the totals use stated and settable, the what-if baseline named. Expected
numbers come from ``tests/reference.py`` (or are worked by hand), never from csi_core."""
from __future__ import annotations

import shutil

import pytest

from csi_core import i18n, settings
from csi_core.store.db import Store
from csi_core.store.ingest import ingest
from tests import reference
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    EXISTING, app, clear_caches, demo_db, demo_file, html_value, navigation_mode, new_app)
from tests.trial_workbook import PERIODS, SEGMENTS, rows, trial_bytes
from ui import state

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEMO_PERIODS = ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4"]


@pytest.fixture(scope="module")
def trial_reference(tmp_path_factory) -> dict:
    """The trial workbook's numbers by the independent reference, per period."""
    path = tmp_path_factory.mktemp("trial") / "trial.xlsx"
    path.write_bytes(trial_bytes())
    return {"path": path, "equal": reference.compute(str(path))["periods"],
            "50/30/20": reference.compute(str(path), {"民用户": 50, "工商业户": 30, "公福用户": 20})["periods"]}


def shown(x: float) -> str:
    return f"{reference.half_up(x):.1f}"


@pytest.fixture
def fresh(tmp_path, monkeypatch, demo_file):
    """The app on a new machine: an empty user database, the demo beside it (a copy of the
    one built once per test session the way the app builds it: quicker than building it
    again; ``test_app_shell`` builds it from nothing)."""
    shutil.copy(demo_file, tmp_path / "demo.duckdb")
    monkeypatch.setenv("CSI_DB", str(tmp_path / "csi.duckdb"))
    clear_caches()
    at = new_app().run()
    assert not at.exception
    assert state.demo_loader().wait(60)
    at.run()
    assert not at.exception
    yield at
    clear_caches()


def import_trial(at, data: bytes | None = None):
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value(("trial.xlsx", data or trial_bytes(), MIME)).run()
    assert not at.exception, at.exception
    return at


def banner(at) -> str | None:
    return html_value(at, "demo-banner")


def shares(weights: dict[str, float]) -> str:
    """The statement's list, in the order the app lists segments (most answers first)."""
    return i18n.join([f"{s} {weights[s]:.1f} %" for s in state.get_counts().segments])


# --- 1. demo and real data never mix ---------------------------------------------------------------
def test_every_page_says_the_demo_is_shown(fresh):
    for page in EXISTING:
        fresh.switch_page(page).run()
        assert not fresh.exception, page
        assert banner(fresh) == i18n.t("demo.banner"), page
        assert fresh.button(key="demo.leave").label == i18n.t("demo.remove")
    fresh.button_group(key="_lang_switch").set_value("en").run()
    assert banner(fresh) == i18n.t("demo.banner", "en")


def test_the_trial_import_lands_apart_from_the_demo_with_equal_weights(fresh, trial_reference):
    assert fresh.title[0].value == "总览 · 2026Q4"  # the demo first
    import_trial(fresh)
    assert banner(fresh) == i18n.t("demo.banner")
    segments = i18n.join(SEGMENTS)
    assert i18n.t("upload.weights_equal", segments=segments) in [w.value for w in fresh.warning]
    fresh.button(key="upload.import").click().run()
    assert not fresh.exception
    picker = fresh.sidebar.selectbox(key=state.PERIOD_KEY)
    assert picker.options == list(reversed(PERIODS))  # no demo period among the user's
    assert banner(fresh) is None
    fresh.switch_page("pages/overview.py").run()
    latest = trial_reference["equal"]["2024Q4"]["csi"]
    assert html_value(fresh, "csi-total") == shown(latest) == "73.1"  # the demo's 60/30/10 would give 70.3
    assert html_value(fresh, "weights-used") == i18n.t(
        "weights_used.equal", weights=shares(dict.fromkeys(SEGMENTS, 33.3)))
    # the two databases: the user's holds the upload only, the demo's is as it was
    user = state.get_store()
    assert len(user.uploads()) == 1 and "demo" not in user.uploads().who.tolist()
    assert user.periods() == list(PERIODS)
    assert user.get_setting("segment_weights") is None
    demo = state.demo_loader().store
    assert demo.periods() == DEMO_PERIODS and demo.uploads().who.tolist() == ["demo"]
    # a new session opens on the user's data, not on the demo's quarter
    again = new_app().run()
    assert again.title[0].value == "总览 · 2024Q4" and banner(again) is None


def test_every_period_of_the_trial_matches_the_reference(fresh, trial_reference):
    import_trial(fresh).button(key="upload.import").click().run()
    fresh.switch_page("pages/overview.py").run()
    for period in PERIODS:
        fresh.sidebar.selectbox(key=state.PERIOD_KEY).set_value(period).run()
        assert html_value(fresh, "csi-total") == shown(trial_reference["equal"][period]["csi"]), period


def test_remove_the_demo_and_go_back_in_one_click(fresh):
    fresh.button(key="demo.leave").click().run()
    assert banner(fresh) is None and fresh.info[0].value == i18n.t("app.no_data")
    assert new_app().run().info[0].value == i18n.t("app.no_data")  # remembered for new sessions
    fresh.sidebar.button(key="demo.show").click().run()
    assert banner(fresh) == i18n.t("demo.banner") and fresh.title[0].value == "总览 · 2026Q4"
    assert banner(new_app().run()) == i18n.t("demo.banner")
    assert state.get_store().is_empty()


def test_beside_the_users_data_the_demo_is_one_click_away_and_back(fresh):
    import_trial(fresh).button(key="upload.import").click().run()
    fresh.sidebar.button(key="demo.show").click().run()
    fresh.switch_page("pages/overview.py").run()
    assert fresh.title[0].value == "总览 · 2026Q4" and banner(fresh) == i18n.t("demo.banner")
    assert fresh.button(key="demo.leave").label == i18n.t("demo.back_to_mine")
    assert fresh.sidebar.selectbox(key=state.PERIOD_KEY).options == list(reversed(DEMO_PERIODS))
    fresh.button(key="demo.leave").click().run()
    assert fresh.title[0].value == "总览 · 2024Q4" and banner(fresh) is None


def test_the_demo_database_sits_beside_csi_db(tmp_path, monkeypatch):
    monkeypatch.setenv("CSI_DB", str(tmp_path / "mine" / "survey.duckdb"))
    assert settings.demo_db_path() == str(tmp_path / "mine" / "demo.duckdb")
    monkeypatch.delenv("CSI_DB")
    assert (settings.db_path(), settings.demo_db_path()) == ("data/csi.duckdb", "data/demo.duckdb")


# --- 3. company weights for the data they were set for ----------------------------------------------
def test_weights_set_on_the_upload_page_before_the_import(fresh, trial_reference):
    import_trial(fresh)
    for segment, weight in (("民用户", 50), ("工商业户", 30), ("公福用户", 20)):
        fresh.number_input(key=f"upload.weight.{segment}").set_value(float(weight))
    fresh.button(key="upload.save_weights").click().run()
    assert any("民用户 50.0 %" in s.value for s in fresh.success)
    assert state.get_store().get_setting("segment_weights") == {"民用户": 50.0, "工商业户": 30.0, "公福用户": 20.0}
    assert any(i.value.startswith(i18n.t("upload.weights_company", weights="")[:8]) for i in fresh.info)
    assert state.demo_loader().store.get_setting("segment_weights") == {"民用户": 60, "工商业户": 30, "公福用户": 10}
    fresh.button(key="upload.import").click().run()
    fresh.switch_page("pages/overview.py").run()
    assert html_value(fresh, "csi-total") == shown(trial_reference["50/30/20"]["2024Q4"]["csi"])
    assert html_value(fresh, "weights-used") == i18n.t(
        "weights_used.company", weights=shares({"民用户": 50, "工商业户": 30, "公福用户": 20}))


def _user_app(tmp_path, monkeypatch, setting: dict | None = None, items: dict | None = None):
    path = tmp_path / "user.duckdb"
    store = Store.open(str(path))
    assert ingest(store, trial_bytes(), "trial.xlsx").ok
    if setting:
        store.set_setting("segment_weights", setting)
    if items:
        store.set_setting("item_weights", items)
    store.close()
    monkeypatch.setenv("CSI_DB", str(path))
    clear_caches()
    at = new_app().run()
    assert not at.exception
    return at


def test_weights_that_do_not_name_a_segment_give_equal_weights_and_say_so(tmp_path, monkeypatch, trial_reference):
    at = _user_app(tmp_path, monkeypatch, {"民用户": 60, "工商业户": 40})
    assert html_value(at, "csi-total") == shown(trial_reference["equal"]["2024Q4"]["csi"])
    assert html_value(at, "weights-used") == i18n.t(
        "weights_used.unnamed", weights=shares(dict.fromkeys(SEGMENTS, 33.3)), segments="公福用户")
    assert i18n.t("calc.period_unnamed_segments", period="2024Q4", segments="公福用户") in [w.value for w in at.warning]
    clear_caches()


# --- 2. item importances as the company default -----------------------------------------------------
def _by_hand_with_importances(path, period: str, segment: str, importances: dict[str, float], equal: dict) -> float:
    """The total with ``segment``'s items weighted by ``importances`` (the reference's item
    scores), the other segments as the reference says, segments weighted equally."""
    items = equal[period]["segments"][segment]["items"]
    total = sum(importances.values())
    seg = 100 * sum(importances[i] / total * items[i]["score"] for i in items)
    others = [s["csi"] for name, s in equal[period]["segments"].items() if name != segment]
    return (seg + sum(others)) / (1 + len(others))


def test_item_importances_saved_as_the_company_default_with_a_confirmation(tmp_path, monkeypatch, trial_reference):
    at = _user_app(tmp_path, monkeypatch)
    at.switch_page("pages/weights.py").run()
    at.button_group(key="w.item_segment").set_value("民用户").run()
    slider = at.slider(key="w.item.民用户.燃气质量")
    assert slider.step == 1 and float(slider.value).is_integer()  # whole points, as a key press moves
    slider.set_value(60).run()
    importances = {s.key.split(".", 3)[3]: s.value for s in at.slider if s.key.startswith("w.item.民用户.")}
    at.button(key="w.items_default").click().run()
    assert state.get_store().get_setting("item_weights") is None  # not before the confirmation
    assert any(w.value.startswith("确认把 民用户 的公司默认题目重要度") for w in at.warning)
    at.button(key="w.items_default_yes").click().run()
    assert not at.exception
    assert state.get_store().get_setting("item_weights") == {"民用户": importances}
    at.switch_page("pages/overview.py").run()
    expected = _by_hand_with_importances(trial_reference["path"], "2024Q4", "民用户", importances,
                                         trial_reference["equal"])
    assert html_value(at, "csi-total") == shown(expected)
    assert html_value(at, "weights-used").endswith(i18n.t("weights_used.items_company", segments="民用户"))
    clear_caches()


# --- 4. what-if: the baseline named, differences as shown -------------------------------------------
def test_the_what_if_baseline_is_named_for_what_it_is(app, tmp_path, monkeypatch):
    app.switch_page("pages/weights.py").run()  # the demo data with its company weights
    app.slider(key="w.seg.民用户").set_value(20).run()
    card = next(m.value for m in app.markdown if 'id="csi-total"' in m.value)
    assert "较公司默认权重" in card
    table = app.table[-1].value
    assert list(table.columns)[1] == i18n.t("weights.baseline_company")
    # the difference in the card is that of the two numbers shown
    total = float(html_value(app, "csi-total"))
    base = float(table[table[""] == "总体 CSI"].iloc[0][i18n.t("weights.baseline_company")])
    delta = total - base
    sign = "+" if delta > 0 else "-"
    assert f"{sign}{abs(delta):.1f}" in card


def test_without_company_weights_the_baseline_is_the_survey(tmp_path, monkeypatch):
    at = _user_app(tmp_path, monkeypatch)
    at.switch_page("pages/weights.py").run()
    assert "较问卷权重（类型等权）±0.0" in next(m.value for m in at.markdown if 'id="csi-total"' in m.value)
    assert list(at.table[-1].value.columns)[1] == i18n.t("weights.baseline_survey")
    clear_caches()


# --- 5. one grading scheme beside the big number ------------------------------------------------------
def test_no_second_grade_beside_the_big_number(app):
    captions = [c.value for c in app.caption]
    assert any(c.endswith(i18n.t("overview.above_line")) for c in captions)  # the demo's 84.8: above the line
    assert not [c for c in captions if "A 级" in c]


def test_below_80_the_caption_asks_for_the_review(tmp_path, monkeypatch):
    at = _user_app(tmp_path, monkeypatch)  # the trial's 73.1
    assert any(c.value.endswith(i18n.t("overview.review")) for c in at.caption)
    clear_caches()
