"""pages/overview.py: the numbers on screen are the independent reference's (fixed values
in tests/demo_expected.py) and the command line's."""
import json
import subprocess
import sys

import pytest

from csi_core import i18n
from csi_core.store.ingest import ingest
from csi_core.store.db import Store
from tests import demo_expected as expected
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    DEMO_WEIGHTS, ROOT, app, clear_caches, demo_db, demo_file, html_value, navigation_mode, new_app,
    plotly_figures, shown)


def test_total_csi_and_its_grade(app):
    assert html_value(app, "csi-total") == expected.Q4_TOTAL
    assert html_value(app, "csi-total-grade") == expected.Q4_GRADE
    card = next(m.value for m in app.markdown if 'id="csi-total"' in m.value)
    assert f"background:{expected.Q4_COLOR}" in card


def test_total_csi_is_what_the_command_line_prints(app, tmp_path):
    from csi_core.demo import demo_bytes

    workbook = tmp_path / "demo.xlsx"
    workbook.write_bytes(demo_bytes())
    weights = ",".join(f"{k}={v}" for k, v in DEMO_WEIGHTS.items())
    out = subprocess.run([sys.executable, "-m", "csi_core", "score", str(workbook), "--segment-weights", weights,
                          "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    cli = json.loads(out.stdout)["periods"]
    for period in ("2026Q4", "2025Q3"):
        app.sidebar.selectbox(key="period").set_value(period).run()
        assert html_value(app, "csi-total") == shown(cli[period]["csi"])
        for s, (name, seg) in enumerate(cli[period]["segments"].items()):
            assert html_value(app, f"csi-segment-{s}") == shown(seg["csi"]), name


def test_change_from_the_previous_period(app):
    card = next(m.value for m in app.markdown if 'id="csi-total"' in m.value)
    assert f"较上期（2026Q3）{expected.Q4_CHANGE}" in card
    app.sidebar.selectbox(key="period").set_value("2025Q1").run()
    card = next(m.value for m in app.markdown if 'id="csi-total"' in m.value)
    assert i18n.t("common.no_previous") in card


def test_one_card_per_segment_with_csi_grade_valid_and_weight(app):
    cards = [m.value for m in app.markdown if 'id="csi-segment-' in m.value]
    assert len(cards) == len(expected.Q4_SEGMENTS)
    for s, card in enumerate(cards):
        (name,) = [n for n in expected.Q4_SEGMENTS if n in card]
        csi_shown, grade, valid, weight = expected.Q4_SEGMENTS[name]
        assert html_value(app, f"csi-segment-{s}") == csi_shown
        assert grade in card
        assert f"有效问卷 {valid} 份" in card
        assert f"权重 {weight} %" in card


def test_rates_against_their_targets_and_open_actions(app):
    metrics = {m.label: m for m in app.metric}
    assert metrics["回收率"].value == f"{expected.Q4_RESPONSE_RATE} %"
    assert "目标95 %" in metrics["回收率"].delta
    assert metrics["有效率"].value == f"{expected.Q4_VALID_RATE} %"
    assert metrics["未关闭的纠正措施"].value == "0"
    store = __import__("ui.state", fromlist=["store"]).get_store()
    store.save_action({"period": "2026Q4", "kind": "overall", "status": "open"})
    store.save_action({"period": "2026Q4", "kind": "overall", "status": "verified"})
    app.run()
    assert {m.label: m for m in app.metric}["未关闭的纠正措施"].value == "1"


def test_small_run_chart_of_the_total(app):
    (spark,) = plotly_figures(app)
    assert spark["data"][0]["x"] == expected.PERIODS
    assert spark["data"][0]["y"] == pytest.approx(expected.TOTAL, abs=1e-9)


def test_english_labels(demo_db):
    at = new_app(lang="en").run()
    assert at.title[0].value == "Overview · 2026Q4"
    assert {m.label for m in at.metric} >= {"Response rate", "Valid rate", "Open actions"}
    assert at.expander[0].label == i18n.t("common.how_computed", "en")


def _app_on(rows, make_xlsx, tmp_path, monkeypatch):
    """The app, run once, on a store of ``rows`` with company weights 民用户 70 : 工商业户 30."""
    path = tmp_path / "small.duckdb"
    store = Store.open(str(path))
    assert ingest(store, make_xlsx(rows), "small.xlsx").ok
    store.set_setting("segment_weights", {"民用户": 70, "工商业户": 30})
    store.close()
    monkeypatch.setenv("CSI_DB", str(path))
    clear_caches()
    return new_app().run()


def test_dropped_segments_and_items_are_visible(make_xlsx, tmp_path, monkeypatch):
    rows = [["期间", "客户类型", "质量", "服务"],
            ["2026Q1", "民用户", "很满意", "满意"], ["2026Q1", "工商业户", "一般", "满意"],
            ["2026Q2", "民用户", "满意", None], ["2026Q2", "民用户", "很满意", None]]
    at = _app_on(rows, make_xlsx, tmp_path, monkeypatch)
    assert not at.exception
    text = "\n".join(m.value for m in at.expander[0].markdown)
    assert "工商业户" in text and "没有有效问卷" in text  # the segment dropped in 2026Q2
    assert "服务" in text and "无人作答" in text  # the item nobody answered
    assert "民用户 100\\.0 %" in text  # the weights as used after renormalising
    assert len([s for s in range(2) if html_value(at, f"csi-segment-{s}") is not None]) == 1
    clear_caches()


def test_a_period_of_new_segments_shows_a_number_and_says_why(make_xlsx, tmp_path, monkeypatch):
    """Company weights were set for 民用户/工商业户; the next quarter's file calls its segments
    Home and Business. The total is computed with equal weights, and the page says so."""
    rows = [["期间", "客户类型", "质量", "服务"],
            ["2026Q1", "民用户", "很满意", "满意"], ["2026Q1", "工商业户", "一般", "满意"],
            ["2026Q2", "Home", "满意", "满意"], ["2026Q2", "Business", "很满意", "一般"]]
    at = _app_on(rows, make_xlsx, tmp_path, monkeypatch)
    assert not at.exception and at.title[0].value.endswith("2026Q2")
    assert html_value(at, "csi-total") == shown(0.5 * 80 + 0.5 * (0.5 * 100 + 0.5 * 50))
    assert [w.value for w in at.warning] == [i18n.t("calc.period_equal_segment_weights", period="2026Q2")]
    at.sidebar.selectbox(key="period").set_value("2026Q1").run()
    assert not at.warning
