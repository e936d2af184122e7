"""Opening corrective actions one by one or for a chosen group, placeholders kept apart,
and the overview's actions card — on a small store whose flags are computed by hand.

The workbook (no focus column: items weigh equally; no company weights: segments too):

    2026Q1  民用户  甲  质量 很满意 1.0  服务 不满意 0.2   → 甲 CSI 60
            民用户  乙  质量 很满意 1.0  服务 一般   0.5   → 乙 CSI 75
            工商业户 丙 质量 较满意 0.8  服务 较满意 0.8   → 丙 CSI 80
    民用户 服务 = (0.2 + 0.5) / 2 = 35 % (≤ 70 %), 民用户 CSI 67.5, 工商业户 80,
    total (67.5 + 80) / 2 = 73.75 → 73.8 (< 80).
    Flags of 2026Q1: overall 1, item 1 (民用户 服务), customer 2 (甲, 乙), customer-item 2
    (甲 服务 20 %, 乙 服务 50 %) — 6 in all.
    2026Q2: 民用户 服务 (0.8 + 1.0) / 2 = 90 %, total (95 + 80) / 2 = 87.5: nothing flagged.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from csi_core import i18n
from csi_core.store.db import Store
from csi_core.store.ingest import ingest
from tests.test_app_shell import clear_caches, navigation_mode, new_app  # noqa: F401  (fixture)
from ui import state

ROWS = [["期间", "客户类型", "客户名称", "质量", "服务"],
        ["2026Q1", "民用户", "甲", "很满意", "不满意"], ["2026Q1", "民用户", "乙", "很满意", "一般"],
        ["2026Q1", "工商业户", "丙", "较满意", "较满意"],
        ["2026Q2", "民用户", "甲", "很满意", "较满意"], ["2026Q2", "民用户", "乙", "很满意", "很满意"],
        ["2026Q2", "工商业户", "丙", "较满意", "较满意"]]


@pytest.fixture
def small(make_xlsx, tmp_path, monkeypatch):
    path = tmp_path / "small.duckdb"
    store = Store.open(str(path))
    assert ingest(store, make_xlsx(ROWS), "small.xlsx").ok
    store.close()
    monkeypatch.setenv("CSI_DB", str(path))
    clear_caches()
    yield path
    clear_caches()


def actions_page(period: str = "2026Q1", lang: str = "zh"):
    at = new_app(lang=lang).run()
    at.switch_page("pages/actions.py").run()
    at.sidebar.selectbox(key=state.PERIOD_KEY).set_value(period).run()
    assert not at.exception
    return at


def flags_table(at, name: str):
    return next(d for d in at.dataframe if d.key and d.key.startswith(name + "."))


def tick(at, name: str, rows: list[int]):
    at.session_state[flags_table(at, name).key] = {"selection": {"rows": rows, "columns": []}}
    return at.run()


def form_prefix(at) -> str:
    """The opening form's widget keys (versioned: a new form after each opening)."""
    return next(w.key for w in at.text_input if w.key.startswith("actions.open."))[: -len(".owner")]


def stored() -> list[tuple]:
    log = state.get_store().actions()
    return sorted((r.kind, r.segment or "", r.customer or "", r.item or "", r.owner or "", "" if pd.isna(r.due) else str(r.due)[:10])
                  for r in log.itertuples())


def test_the_hand_computed_flags(small):
    at = actions_page()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[i18n.t("actions.m_items")] == "1"
    assert metrics[i18n.t("actions.m_customer_items")] == "2"
    assert metrics[i18n.t("actions.m_csi")] == "3"  # overall + 甲 + 乙
    assert metrics[i18n.t("actions.m_missing")] == "6"
    items = flags_table(at, "actions.flags_items").value
    assert list(items[i18n.t("report.col.value")]) == ["35.0 %"]


def test_one_flagged_row_gets_one_action_with_owner_and_due(small):
    at = actions_page()
    assert at.button(key="actions.open_submit").disabled  # nothing ticked yet
    tick(at, "actions.flags_items", [0])
    assert "已选 1 项：题目 · 民用户 · 服务" in [m.value for m in at.markdown]
    prefix = form_prefix(at)
    at.text_input(key=f"{prefix}.owner").set_value("客服部 李工")
    at.date_input(key=f"{prefix}.due").set_value(dt.date(2026, 6, 30))
    at.button(key="actions.open_submit").click().run()
    assert not at.exception
    assert stored() == [("item", "民用户", "", "服务", "客服部 李工", "2026-06-30")]
    assert at.success[0].value == i18n.t("actions.opened", n=1)
    # the action is in the log (not a placeholder), the flags table says it has one, the tick is gone
    log = next(d for d in at.dataframe if d.key and d.key.startswith("actions.editor.log")).value
    assert list(log.owner) == ["客服部 李工"]
    assert str(log.due.iloc[0])[:10] == "2026-06-30"
    items = flags_table(at, "actions.flags_items").value
    assert list(items[i18n.t("report.col.status")]) == [i18n.t("actions.status.open")]
    assert {m.label: m.value for m in at.metric}[i18n.t("actions.m_missing")] == "5"
    assert not at.expander  # no placeholders


def test_a_chosen_group_across_tables(small):
    at = actions_page()
    csi_rows = flags_table(at, "actions.flags_csi").value
    customers = list(csi_rows.customer)
    assert set(customers) == {"", "甲", "乙"}
    tick(at, "actions.flags_csi", [customers.index("甲"), customers.index("乙")])
    tick(at, "actions.flags_customer_items", [0, 1])
    assert at.button(key="actions.open_submit").label == i18n.t("actions.open_button", n=4)
    prefix = form_prefix(at)
    at.text_area(key=f"{prefix}.measure").set_value("上门回访")
    at.button(key="actions.open_submit").click().run()
    assert stored() == sorted([("customer", "民用户", "甲", "", "", ""), ("customer", "民用户", "乙", "", "", ""),
                               ("customer_item", "民用户", "甲", "服务", "", ""),
                               ("customer_item", "民用户", "乙", "服务", "", "")])
    assert set(state.get_store().actions().measure) == {"上门回访"}
    # ticking one that has an action already opens nothing twice
    tick(at, "actions.flags_csi", [customers.index("甲")])
    assert at.button(key="actions.open_submit").disabled
    assert i18n.t("actions.open_had", n=1) in [c.value for c in at.caption]


def test_bulk_placeholders_stay_apart_in_log_and_verification(small):
    at = actions_page()
    at.button(key="actions.create").click().run()
    assert len(state.get_store().actions()) == 6
    assert not [d for d in at.dataframe if d.key and d.key.startswith("actions.editor.log")]
    assert at.expander[0].label == i18n.t("actions.placeholders", n=6)
    # next period: placeholders are counted, not verified
    at.sidebar.selectbox(key=state.PERIOD_KEY).set_value("2026Q2").run()
    captions = [c.value for c in at.caption]
    assert i18n.t("actions.verify_placeholders", n=6) in captions
    assert i18n.t("actions.verify_empty") in captions
    # one filled in: verified (民用户 服务 35 % → 90 %: resolved), the other five still apart
    store = state.get_store()
    item = next(a for a in store.actions().to_dict("records") if a["kind"] == "item")
    store.save_action({**item, "owner": "客服部"}, who="test")
    at.run()
    verification = next(d.value for d in at.dataframe if i18n.t("report.col.verdict") in d.value.columns)
    assert list(verification.columns[:2]) == [i18n.t("report.col.subject"), i18n.t("report.col.verdict")]
    assert list(verification[i18n.t("report.col.verdict")]) == [i18n.t("actions.verdict.resolved")]
    assert list(verification[i18n.t("report.col.raised")]) == ["35.0 % (2026Q1)"]
    assert list(verification[i18n.t("report.col.later")]) == ["90.0 % (2026Q2)"]
    assert i18n.t("actions.verify_placeholders", n=5) in [c.value for c in at.caption]


def test_overview_card_explains_the_flags(small):
    at = new_app().run()
    at.sidebar.selectbox(key=state.PERIOD_KEY).set_value("2026Q1").run()
    assert not at.exception

    def card() -> str:
        return next(c.value for c in at.caption if c.value.startswith("本期 2026Q1"))
    assert card() == "本期 2026Q1 需要纠正 6 项：总体 CSI 1 项、题目 1 项、客户 CSI 2 项、客户题目 2 项；其中 0 项已有措施。"
    store = state.get_store()
    store.save_action({"period": "2026Q1", "kind": "item", "segment": "民用户", "item": "服务", "owner": "王工",
                       "status": "open"}, who="test")
    store.save_action({"period": "2026Q1", "kind": "overall", "status": "open"}, who="test")  # a placeholder
    store.save_action({"period": "2026Q1", "kind": "customer", "segment": "民用户", "customer": "丙",
                       "status": "open"}, who="test")  # 丙 is not flagged: does not count
    at.run()
    assert card() == ("本期 2026Q1 需要纠正 6 项：总体 CSI 1 项、题目 1 项、客户 CSI 2 项、客户题目 2 项；"
                      "其中 2 项已有措施。（1 项只是占位，尚未填写）")
    assert {m.label: m.value for m in at.metric}[i18n.t("overview.open_actions")] == "3"
    at.sidebar.selectbox(key=state.PERIOD_KEY).set_value("2026Q2").run()
    assert i18n.t("overview.flags_none", period="2026Q2") in [c.value for c in at.caption]


def test_overview_card_in_english(small):
    at = new_app(lang="en").run()
    at.sidebar.selectbox(key=state.PERIOD_KEY).set_value("2026Q1").run()
    assert "2026Q1: 6 flagged — overall CSI 1, items 1, customers 2, customer-items 2; with an action: 0." \
        in [c.value for c in at.caption]
