"""The statistics on the pages (AppTest): overview, run charts, actions, what-if and the
分析 Analysis page. Expected numbers are worked by hand (see tests/test_stats.py for the
tiny workbook) or come from tests/reference.py through the golden file."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from csi_core.store.db import Store
from csi_core.store.ingest import ingest
from tests.conftest import xlsx
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    app, clear_caches, demo_db, demo_file, navigation_mode, new_app, plotly_figures)
from tests.test_stats import ROWS

DATA = Path(__file__).parent / "data"
Z = 1.959964
# 2026Q1 total: 66⅔ ± 1.959964·√(¼·2925/324 + ¼·900); 2026Q2: 93⅓ ± 1.959964·20/3 = ±13.1
HALF_Q1 = Z * math.sqrt(0.25 * 2925 / 324 + 225)
HALF_Q2 = Z * 20 / 3


def _app_on(tmp_path, monkeypatch, data: bytes, name: str = "tiny.xlsx", lang: str = "zh"):
    path = tmp_path / "stats.duckdb"
    store = Store.open(str(path))
    assert ingest(store, data, name).ok
    store.close()
    monkeypatch.setenv("CSI_DB", str(path))
    clear_caches()
    at = new_app(lang=lang).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def tiny_app(tmp_path, monkeypatch):
    return _app_on(tmp_path, monkeypatch, xlsx(ROWS))


def _text(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_overview_shows_the_interval_the_change_marker_and_the_margin(tiny_app):
    text = _text(tiny_app)
    assert "95% 区间 ±13.1" in text  # 2026Q2, segment A alone
    assert "+26.6 · ○ 在抽样误差内" in text  # 93.3 − 66.7 as shown; 26.7 ± 32.3 holds 0
    assert "任何客户类型间的权重调整都不会改变等级" in text  # one segment: no move
    assert "问卷太少，无法比较" in text and "约需 57 份" in text  # ±13.1 from 3: 3·(13.07/3)² = 56.9


def test_overview_margin_of_two_segments(tiny_app):
    tiny_app.sidebar.selectbox(key="period").set_value("2026Q1").run()
    # 66.7 of 83.3 and 50 at ½ ½: 20.2 points from A to B reach 59.95 (很不满意)
    assert "把 20.2 个百分点的权重从“A”移到“B”" in _text(tiny_app)
    assert f"95% 区间 ±{HALF_Q1:.1f}" in _text(tiny_app)


def test_run_chart_has_the_band_and_says_there_are_no_limits(tiny_app):
    tiny_app.switch_page("pages/trends.py").run()
    (fig,) = plotly_figures(tiny_app)
    band = next(t for t in fig["data"] if t.get("name") == "ci95")
    low = next(t for t in fig["data"] if t.get("name") == "ci95-low")
    assert band["y"] == [pytest.approx(200 / 3 + HALF_Q1), pytest.approx(280 / 3 + HALF_Q2)]
    assert low["y"] == [pytest.approx(200 / 3 - HALF_Q1), pytest.approx(280 / 3 - HALF_Q2)]
    assert any(a.get("name") == "control:none" for a in fig["layout"]["annotations"])
    assert "不足 5 期，未画控制限" in _text(tiny_app)


def test_run_chart_of_the_demo_has_control_limits_and_lists_signals(app):
    app.switch_page("pages/trends.py").run()
    (fig,) = plotly_figures(app)
    names = {s.get("name") for s in fig["layout"]["shapes"]}
    assert {"control:centre", "control:lcl", "control:ucl"} <= names
    assert any("控制限（XmR）" in c.value for c in app.caption)
    assert any("控制图信号" in m.value for m in app.markdown)
    falls = app.table[0].value
    assert set(falls["下降显著性"]) <= {"◆ 显著", "○ 在抽样误差内"}


def test_run_chart_of_a_customer_has_its_interval(tiny_app):
    tiny_app.switch_page("pages/trends.py").run()
    tiny_app.segmented_control(key="t.kind").set_value("customer").run()
    labels = [o for o in tiny_app.selectbox(key="t.customer").options]
    tiny_app.selectbox(key="t.customer").set_value(labels.index("K")).run()
    (fig,) = plotly_figures(tiny_app)
    band = next(t for t in fig["data"] if t.get("name") == "ci95")
    assert band["y"][0] == pytest.approx(82.5 + 7.5 * Z)  # K in 2026Q1: 82.5, Var 56.25


def test_analysis_page_map_table_adequacy_terms_and_low_comments(tiny_app):
    tiny_app.sidebar.selectbox(key="period").set_value("2026Q1").run()
    tiny_app.switch_page("pages/analysis.py").run()
    assert not tiny_app.exception
    (fig,) = plotly_figures(tiny_app)
    assert {a.get("name") for a in fig["layout"]["annotations"]} >= {
        "quadrant:concentrate", "quadrant:keep_up", "quadrant:low_priority", "quadrant:overkill"}
    assert any("没有“总体满意度”列" in c.value for c in tiny_app.caption)
    adequacy = tiny_app.dataframe[1].value
    assert adequacy["有效问卷"].tolist() == [3, 2]
    assert adequacy["区间半宽"].tolist() == [f"±{Z * math.sqrt(2925 / 324):.1f}", f"±{Z * 30:.1f}"]
    assert adequacy["判断"].tolist() == ["问卷太少，无法比较"] * 2
    terms = tiny_app.table[0].value
    assert terms["词"].tolist()[0] == "抄表" and terms["提及的意见数"].tolist()[0] == 2
    labels = [e.label for e in tiny_app.expander]
    # B: X and Y at 50 %; the questionnaire that rated them 不满意 wrote "抄表太慢，价格高"
    assert "B · X（50.0 %）：1 条评分为不满意或更差的意见" in labels
    shown = tiny_app.dataframe[2].value
    assert shown["意见建议"].tolist() == ["抄表太慢，价格高"]


def test_analysis_page_derived_importance_is_the_reference(tmp_path, monkeypatch):
    at = _app_on(tmp_path, monkeypatch, (DATA / "overall.xlsx").read_bytes(), "overall.xlsx", lang="en")
    at.sidebar.selectbox(key="period").set_value("2026Q2").run()
    at.switch_page("pages/analysis.py").run()
    at.selectbox(key="a.segment").set_value("retail").run()
    assert not at.exception
    expected = json.loads((DATA / "golden_overall.json").read_text(encoding="utf-8"))
    items = expected["expected"]["periods"]["2026Q2"]["segments"]["retail"]["items"]
    table = at.dataframe[0].value
    derived = dict(zip(table["Item"], table["Derived importance (%)"]))
    assert derived == {k: f"{round(100 * v['importance']['derived'] + 1e-9, 1):.1f} %" for k, v in items.items()}
    assert any(c.value.startswith("Derived importance: Johnson") for c in at.caption)


def test_actions_say_whether_a_fall_is_significant_and_filter(app):
    def flagged():
        tables = [d.value for d in app.dataframe if "下降显著性" in d.value.columns]
        return tables[-1] if tables else None  # the customers' items

    app.switch_page("pages/actions.py").run()
    table = flagged()
    assert set(table["下降显著性"]) <= {"◆ 显著", "○ 在抽样误差内", "未下降", "– 无法判断（无区间）"}
    assert "○ 在抽样误差内" in set(table["下降显著性"])
    app.toggle(key="actions.only_significant").set_value(True).run()
    assert not app.exception
    after = flagged()
    assert after is None or (set(after["下降显著性"]) == {"◆ 显著"} and len(after) < len(table))


def test_what_if_margin_follows_the_sliders(tiny_app):
    tiny_app.sidebar.selectbox(key="period").set_value("2026Q1").run()
    tiny_app.switch_page("pages/weights.py").run()
    margin = lambda: next(m.value for m in tiny_app.markdown if 'id="grade-margin"' in m.value)  # noqa: E731
    assert "20.2" in margin()
    tiny_app.slider(key="w.seg.B").set_value(0).run()
    # A alone: 83.3; 24.9 points to B (50) take it to 75.03 → 75.0 (不满意)
    assert "把 24.9 个百分点的权重从“A”移到“B”" in margin()


def test_sample_size_tool_proposes_the_n_for_three_points(tiny_app):
    tiny_app.switch_page("pages/report.py").run()
    assert not tiny_app.exception
    table = next(d.value for d in tiny_app.dataframe if "达到 ±3 所需问卷" in d.value.columns)
    # 2026Q2: A alone, 3 questionnaires, ±13.1 → 3·(13.07/3)² = 56.9 → 57
    assert table.to_dict("list") == {"客户类型": ["A"], "有效问卷": [3], "区间半宽": ["±13.1"],
                                     "达到 ±3 所需问卷": [57], "判断": ["问卷太少，无法比较"]}
