"""pages/weights.py: every move recomputes the total as the formula says (worked out here
from the independent reference's segment CSIs and item scores, tests/demo_expected.py);
scenarios, links, the company default."""
import re

import pytest

from csi_core import i18n
from tests import demo_expected as E
from tests.reference import half_up
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    DEMO_WEIGHTS, app, core_results, demo_db, demo_file, html_value, navigation_mode, new_app)
from ui import state, widgets

SEG = "w.seg.{}"
ITEM = "w.item.{}.{}"


@pytest.fixture
def weights_page(app):
    app.switch_page("pages/weights.py").run()
    assert not app.exception
    return app


def expected(segments=None, items=None) -> str:
    """2026Q4's total as shown: Σ W_s·CSI_s / Σ W_s, a segment's CSI 100·Σ w_i s_i / Σ w_i
    when its item importances are given."""
    seg_w = segments or DEMO_WEIGHTS
    seg_csi = dict(E.Q4_SEGMENT_CSI)
    for segment, importances in (items or {}).items():
        if not any(importances.values()):
            continue  # all at 0: the segment keeps the survey's item weights (README)
        scores = {"工商业户": E.Q4_COMMERCIAL_ITEM_SCORES, "公福用户": E.Q4_PUBLIC_ITEM_SCORES}[segment]
        seg_csi[segment] = 100 * sum(importances[i] * score for i, score in scores.items()) / sum(importances.values())
    return f"{half_up(sum(seg_w[s] * seg_csi[s] for s in seg_w) / sum(seg_w.values())):.1f}"


def test_starts_with_the_overview_numbers_exactly(app):
    overview = html_value(app, "csi-total")
    app.switch_page("pages/weights.py").run()
    assert html_value(app, "csi-total") == overview == expected() == E.Q4_TOTAL
    assert [app.slider(key=SEG.format(s)).value for s in DEMO_WEIGHTS] == list(DEMO_WEIGHTS.values())
    assert app.session_state[state.WHATIF_KEY] == {"segments": None, "items": {}}


def test_item_sliders_start_from_the_focus_weights(weights_page):
    shown_values = {item: weights_page.slider(key=ITEM.format("民用户", item)).value
                    for item in E.Q4_HOUSEHOLD_FOCUS_POINTS}
    assert shown_values == E.Q4_HOUSEHOLD_FOCUS_POINTS  # whole points: a key press moves one


def test_segment_slider_moves_the_total_as_the_formula_says(weights_page):
    weights_page.slider(key=SEG.format("民用户")).set_value(20).run()
    moved = {"民用户": 20, "工商业户": 30, "公福用户": 10}
    assert html_value(weights_page, "csi-total") == expected(moved)
    assert html_value(weights_page, "csi-total") != expected()
    # the normalised weights beside the sliders: 20/60, 30/60, 10/60
    texts = [m.value for m in weights_page.markdown if m.value.startswith("### ")]
    assert texts[:3] == ["### 33.3\u00a0%", "### 50.0\u00a0%", "### 16.7\u00a0%"]
    weights_page.slider(key=SEG.format("工商业户")).set_value(0).run()
    assert html_value(weights_page, "csi-total") == expected({"民用户": 20, "工商业户": 0, "公福用户": 10})


def test_item_slider_moves_the_total_with_the_segments_other_items_as_shown(weights_page):
    weights_page.button_group(key="w.item_segment").set_value("工商业户").run()
    before = {k.split(".", 3)[3]: weights_page.slider(key=k).value
              for k in (s.key for s in weights_page.slider) if k.startswith("w.item.工商业户.")}
    weights_page.slider(key=ITEM.format("工商业户", "维修及时")).set_value(60.0).run()
    items = {"工商业户": {**before, "维修及时": 60.0}}
    assert html_value(weights_page, "csi-total") == expected(items=items)
    assert weights_page.session_state[state.WHATIF_KEY]["items"] == items


def test_reset_to_survey_weights(weights_page):
    weights_page.slider(key=SEG.format("民用户")).set_value(5).run()
    weights_page.slider(key=ITEM.format("民用户", "燃气质量")).set_value(90.0).run()
    assert html_value(weights_page, "csi-total") != expected()
    weights_page.button(key="w.reset").click().run()
    assert html_value(weights_page, "csi-total") == expected()
    assert weights_page.slider(key=SEG.format("民用户")).value == 60


def test_moving_back_uses_the_exact_survey_weights_again(weights_page):
    slider = weights_page.slider(key=ITEM.format("民用户", "燃气质量"))
    start = slider.value
    slider.set_value(start + 10).run()
    weights_page.slider(key=ITEM.format("民用户", "燃气质量")).set_value(start).run()
    assert weights_page.session_state[state.WHATIF_KEY]["items"] == {}
    assert html_value(weights_page, "csi-total") == expected()


def test_all_segment_weights_zero_is_a_message(weights_page):
    for segment in DEMO_WEIGHTS:
        weights_page.slider(key=SEG.format(segment)).set_value(0).run()
    assert not weights_page.exception
    assert i18n.t("weights.all_zero") in [e.value for e in weights_page.error]


def test_all_item_importances_zero_keeps_the_survey_weights_and_says_so(weights_page):
    weights_page.button_group(key="w.item_segment").set_value("公福用户").run()
    keys = [s.key for s in weights_page.slider if s.key.startswith("w.item.公福用户.")]
    for key in keys:
        weights_page.slider(key=key).set_value(0.0).run()
    assert not weights_page.exception
    assert i18n.t("weights.items_all_zero", segment="公福用户") in [w.value for w in weights_page.warning]
    assert html_value(weights_page, "csi-total") == expected()
    assert [weights_page.slider(key=k).value for k in keys] == [0.0] * len(keys)
    weights_page.text_input(key="w.scenario_name").input("全零").run()  # saved as it is: compared as it is shown
    weights_page.button(key="w.save").click().run()
    table = weights_page.table[-1].value
    total_row = table[table[""] == "总体 CSI"].iloc[0]
    assert total_row["全零"] == total_row["当前滑块"] == expected()
    weights_page.slider(key=keys[0]).set_value(50.0).run()  # one above 0: that item alone
    assert not weights_page.warning
    assert html_value(weights_page, "csi-total") == expected(items={"公福用户": {k.split(".", 3)[3]: 0.0 for k in keys}
                                                                    | {keys[0].split(".", 3)[3]: 50.0}})


def test_save_compare_load_and_delete_a_scenario(weights_page):
    weights_page.slider(key=SEG.format("民用户")).set_value(90).run()
    weights_page.text_input(key="w.scenario_name").input("高民用").run()
    weights_page.button(key="w.save").click().run()
    stored = state.get_store().scenarios()
    assert stored == {"高民用": {"segments": {"民用户": 90, "工商业户": 30, "公福用户": 10}, "items": None}}
    table = weights_page.table[-1].value
    assert list(table.columns) == ["", "公司默认权重", "当前滑块", "高民用"]  # the baseline named for what it is
    total_row = table[table[""] == "总体 CSI"].iloc[0]
    assert total_row["公司默认权重"] == expected()
    assert total_row["高民用"] == total_row["当前滑块"] == expected({"民用户": 90, "工商业户": 30, "公福用户": 10})
    weights_page.button(key="w.reset").click().run()
    assert html_value(weights_page, "csi-total") == expected()
    weights_page.button(key="w.load").click().run()
    assert weights_page.slider(key=SEG.format("民用户")).value == 90
    assert html_value(weights_page, "csi-total") == expected({"民用户": 90, "工商业户": 30, "公福用户": 10})
    weights_page.button(key="w.delete").click().run()
    assert list(state.get_store().scenarios()) == ["高民用"]  # asked first
    weights_page.button(key="w.delete_no").click().run()
    assert list(state.get_store().scenarios()) == ["高民用"]
    weights_page.button(key="w.delete").click().run()
    weights_page.button(key="w.delete_yes").click().run()
    assert state.get_store().scenarios() == {}
    assert list(state.get_store().audit(what="scenario_deleted").detail)[0].startswith("高民用: ")


def test_a_scenario_needs_a_name(weights_page):
    weights_page.button(key="w.save").click().run()
    assert i18n.t("weights.need_name") in [w.value for w in weights_page.warning]
    assert state.get_store().scenarios() == {}


def test_share_link_written_and_read_back(weights_page, demo_db):
    weights_page.slider(key=SEG.format("公福用户")).set_value(40).run()
    weights_page.slider(key=ITEM.format("民用户", "热线服务")).set_value(50.0).run()
    params = {k: v[0] if isinstance(v, list) else v for k, v in weights_page.query_params.items()}
    assert params["sw"] == "民用户:60,工商业户:30,公福用户:40"
    assert "热线服务:50" in params["iw.民用户"]
    link = weights_page.code[-1].value
    assert "sw=" in link and "lang=zh" in link
    shown_here = html_value(weights_page, "csi-total")

    opened = new_app(**params).run()  # someone opens the link
    opened.switch_page("pages/weights.py").run()
    assert not opened.exception
    assert html_value(opened, "csi-total") == shown_here
    assert opened.slider(key=SEG.format("公福用户")).value == 40
    assert opened.slider(key=ITEM.format("民用户", "热线服务")).value == 50.0


def test_bad_parts_of_a_link_are_ignored_and_named(demo_db):
    at = new_app(sw="民用户:50,火星户:10,工商业户:abc").run()
    at.switch_page("pages/weights.py").run()
    assert not at.exception
    assert at.slider(key=SEG.format("民用户")).value == 50
    assert any("火星户" in w.value and "abc" in w.value for w in at.warning)


@pytest.mark.parametrize("sw", ["民用户:1e308", "民用户:1e308,工商业户:1e308", "民用户:inf", "民用户:-5"])
def test_a_link_with_an_impossible_weight_names_it_and_shows_numbers(demo_db, sw):
    at = new_app(sw=sw).run()
    at.switch_page("pages/weights.py").run()
    assert not at.exception and not at.error
    assert any(sw.split(",")[0] in plain(w.value) for w in at.warning)
    assert html_value(at, "csi-total") == expected()


def test_all_segment_weights_zero_keeps_the_sliders_and_shows_no_weights(weights_page):
    for segment in DEMO_WEIGHTS:
        weights_page.slider(key=SEG.format(segment)).set_value(0).run()
    assert [weights_page.slider(key=SEG.format(s)).value for s in DEMO_WEIGHTS] == [0, 0, 0]
    shown_weights = [m.value for m in weights_page.markdown if m.value.startswith("### ")]
    assert shown_weights == ["### —"] * len(DEMO_WEIGHTS)
    weights_page.slider(key=SEG.format("工商业户")).set_value(10).run()
    assert not weights_page.error
    assert html_value(weights_page, "csi-total") == expected({"民用户": 0, "工商业户": 10, "公福用户": 0})


def test_company_default_needs_a_confirmation(weights_page):
    weights_page.slider(key=SEG.format("民用户")).set_value(70).run()
    weights_page.button(key="w.default").click().run()
    assert state.get_store().get_setting("segment_weights") == DEMO_WEIGHTS  # not yet
    weights_page.button(key="w.default_no").click().run()
    assert state.get_store().get_setting("segment_weights") == DEMO_WEIGHTS
    weights_page.button(key="w.default").click().run()
    weights_page.button(key="w.default_yes").click().run()
    new = {"民用户": 70, "工商业户": 30, "公福用户": 10}
    assert state.get_store().get_setting("segment_weights") == new
    assert i18n.t("weights.default_saved") in [s.value for s in weights_page.success]
    weights_page.switch_page("pages/overview.py").run()
    assert html_value(weights_page, "csi-total") == expected(new)


def plain(markdown: str) -> str:
    """A message as shown: the markdown escapes of user text (names, numbers) removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_a_slider_moved_under_the_default_question_asks_again(weights_page):
    weights_page.slider(key=SEG.format("民用户")).set_value(70).run()
    weights_page.button(key="w.default").click().run()
    assert any("63.6 %" in plain(w.value) for w in weights_page.warning)  # 70 of 70 + 30 + 10
    weights_page.slider(key=SEG.format("工商业户")).set_value(0).run()
    assert not [b for b in weights_page.button if b.key == "w.default_yes"]  # the old question is gone
    weights_page.button(key="w.default").click().run()
    assert any("87.5 %" in plain(w.value) for w in weights_page.warning)  # 70 of 70 + 0 + 10
    weights_page.button(key="w.default_yes").click().run()
    assert state.get_store().get_setting("segment_weights") == {"民用户": 70, "工商业户": 0, "公福用户": 10}


def test_a_scenario_name_is_shown_as_written_and_not_taken_twice(weights_page):
    name = ":red[红色] $x^2$ **md**"
    weights_page.text_input(key="w.scenario_name").input(name).run()
    weights_page.button(key="w.save").click().run()
    assert weights_page.success[0].value == i18n.t("weights.saved", name=widgets.md_escape(name))
    assert widgets.md_escape(name) in list(weights_page.table[-1].value.columns)
    weights_page.slider(key=SEG.format("民用户")).set_value(5).run()
    weights_page.text_input(key="w.scenario_name").input(" :RED[红色] $x^2$ **md** ").run()
    weights_page.button(key="w.save").click().run()
    assert weights_page.warning and not weights_page.success
    assert state.get_store().scenarios()[name]["segments"] == DEMO_WEIGHTS  # the first one kept


def test_english_labels(demo_db):
    at = new_app(lang="en").run()
    at.switch_page("pages/weights.py").run()
    assert at.title[0].value == "What-if weights · 2026Q4"
    assert at.button(key="w.reset").label == "Reset to survey weights"


# --- the link format (ui/state.py) ---------------------------------------------------------------
def test_encode_decode_round_trip(app):
    counts, _ = core_results()
    wi = {"segments": {"民用户": 60, "工商业户": 40}, "items": {"民用户": {"燃气质量": 38.5, "服务态度": 1}}}
    params = state.encode_share(wi)
    assert params == {"sw": "民用户:60,工商业户:40", "iw.民用户": "燃气质量:38.5,服务态度:1"}
    assert state.decode_share(params, counts) == (wi, [])


def test_decode_matches_names_loosely_and_reports_the_rest(app):
    counts, _ = core_results()
    wi, problems = state.decode_share({"sw": "民用户 :1, 工商业户:-2", "iw.火星户": "燃气质量:1",
                                       "iw.公福用户": "燃气质量:2,不存在:3"}, counts)
    assert wi == {"segments": {"民用户": 1.0}, "items": {"公福用户": {"燃气质量": 2.0}}}
    assert problems == ["工商业户:-2", "火星户", "不存在:3"]


def test_names_with_separators_survive_the_link(app):
    counts, _ = core_results()
    params = state.encode_share({"segments": {"a,b:c%": 1}, "items": {}})
    assert params == {"sw": "a%2Cb%3Ac%25:1"}
    from csi_core.outputs import share

    assert share._parse_pairs(params["sw"], {"a,b:c%": "a,b:c%"}, []) == {"a,b:c%": 1.0}


def test_slider_positions_of_weights():
    assert state.segment_slider_values({"a": 70, "b": 30}, ["a", "b"]) == {"a": 70, "b": 30}
    assert state.segment_slider_values({"a": 0.7, "b": 0.3}, ["a", "b"]) == {"a": 70, "b": 30}
    assert state.segment_slider_values(None, ["a", "b"]) == {"a": 50, "b": 50}
    assert state.segment_slider_values({"a": 250, "b": 750}, ["a", "b"]) == {"a": 25, "b": 75}


def test_a_bug_in_the_live_part_is_a_friendly_message(weights_page, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("chart broke")

    monkeypatch.setattr("csi_core.outputs.charts.contribution_chart", broken)
    weights_page.slider(key=SEG.format("民用户")).set_value(50).run()
    assert not weights_page.exception
    assert i18n.t("app.error") in [e.value for e in weights_page.error]


def test_a_failing_button_is_a_friendly_message(weights_page, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(state.store()), "save_scenario", broken)
    weights_page.text_input(key="w.scenario_name").input("x").run()
    weights_page.button(key="w.save").click().run()
    assert not weights_page.exception
    assert i18n.t("app.error") in [e.value for e in weights_page.error]
    assert any("disk full" in c.value for c in weights_page.code)


def test_a_saved_scenario_has_its_own_link(weights_page):
    state.get_store().save_scenario("半半", {"segments": {"民用户": 50, "工商业户": 50}, "items": None})
    weights_page.run()
    link = next(c.value for c in weights_page.code if "sw=" in c.value)
    from urllib.parse import parse_qs, urlsplit

    assert parse_qs(urlsplit(link).query)["sw"] == ["民用户:50,工商业户:50"]
