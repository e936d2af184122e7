"""竞争对手 Competitors page (AppTest) in both languages, on the workbook of
tests/test_competitors_golden.py (numbers worked out there by hand) with the company's
segment weights 70 : 30; and the hint when no competitor questionnaire is stored."""
from __future__ import annotations

from pathlib import Path

import pytest

from csi_core.store.db import Store
from csi_core.store.ingest import ingest
from tests.conftest import xlsx
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    clear_caches, navigation_mode, new_app, plotly_figures)

DATA = Path(__file__).parent / "data"
PAGE = "pages/competitors.py"


def _open(tmp_path, monkeypatch, data: bytes, lang: str):
    path = tmp_path / "comp.duckdb"
    store = Store.open(str(path))
    assert ingest(store, data, "competitors.xlsx").ok
    store.set_setting("segment_weights", {"民用户": 70, "工商业户": 30}, who="test")
    store.close()
    monkeypatch.setenv("CSI_DB", str(path))
    clear_caches()
    at = new_app(lang=lang, period="2026Q1").run()
    assert not at.exception, at.exception
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _cells(at) -> list[list[str]]:
    return [df.value.astype(str).values.tolist() for df in at.dataframe]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_shows_each_competitor_against_us(tmp_path, monkeypatch, lang):
    at = _open(tmp_path, monkeypatch, (DATA / "competitors.xlsx").read_bytes(), lang)
    assert at.title[0].value == ("竞争对手" if lang == "zh" else "Competitors")
    tables = _cells(at)
    us = "我们" if lang == "zh" else "Us"
    # CSI table: ours 84.2 (84.1667), 华润燃气 67.3 (67.25 half-up), 港华燃气 100.0
    csi = tables[0]
    assert csi[0][:2] == [us, "84.2"]
    assert csi[1][0] == "华润燃气" and csi[1][1] == "67.3" and csi[1][3] == "3 ⚠" and csi[1][4] == "+16.9"
    assert csi[2][:2] == ["港华燃气", "100.0"] and csi[2][4] == "-15.8"
    # items against 华润燃气: 质量 82.0 % vs 76.7 %, +5.3 points, within noise
    noise = "○ 噪声内" if lang == "zh" else "○ within noise"
    assert tables[1][0] == ["质量", "82.0 %", "76.7 %", "+5.3", noise]
    assert tables[1][1] == ["服务", "78.0 %", "50.0 %", "+28.0", noise]
    # 港华燃气 has one questionnaire: no interval
    assert tables[3][0][-1] == ("— 样本太少" if lang == "zh" else "— too few answers")
    # the <10 note for both
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 2 and all("10" in w for w in warnings)
    assert any("华润燃气" in w and "3" in w for w in warnings)
    # a gap chart per competitor: the bars are the gaps in points, grey within noise
    figures = plotly_figures(at)
    assert len(figures) == 2
    bars = figures[0]["data"][0]
    assert bars["x"] == pytest.approx([100 * (0.82 - 2.3 / 3), 28.0])
    assert bars["marker"]["color"] == ["#8a94a3", "#8a94a3"]


def test_no_competitor_rows_show_how_to_add_them(tmp_path, monkeypatch):
    ours = xlsx([["period", "segment", "质量", "服务"], ["2026Q1", "民用户", "很满意", "满意"]])
    at = _open(tmp_path, monkeypatch, ours, "zh")
    assert any("竞争对手" in i.value and "competitor" in i.value for i in at.info)
    at.button_group(key="_lang_switch").set_value("en").run()
    assert any('"competitor"' in i.value for i in at.info)
    assert not at.dataframe


def test_a_branch_view_shows_that_branchs_competitor_questionnaires(tmp_path, monkeypatch):
    header = ["period", "segment", "branch", "competitor", "质量"]
    rows = [["2026Q1", "民用户", None, None, "很满意"], ["2026Q1", "民用户", "北区", None, "满意"],
            ["2026Q1", "民用户", None, "华润燃气", "很满意"]] + [["2026Q1", "民用户", "北区", "华润燃气", "一般"]] * 2
    at = _open(tmp_path, monkeypatch, xlsx([header] + rows), "zh")
    valid = lambda: _cells(at)[0][1][3]  # noqa: E731  (华润燃气's valid questionnaires, with the <10 mark)
    assert valid() == "3 ⚠"
    at.sidebar.selectbox(key="_branch_pick").set_value("北区").run()
    assert not at.exception, at.exception
    assert valid() == "2 ⚠" and any("北区" in c.value for c in at.caption)
    at.sidebar.selectbox(key="_branch_pick").set_value("").run()
    assert valid() == "1 ⚠"
