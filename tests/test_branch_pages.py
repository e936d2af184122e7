"""Branches on the pages (issue 12): the sidebar picker shows the whole company or one
branch and every number follows (with the company's weights); the overview ranks the
branches; the upload page shows the branches a file brings and those stored per period,
and a branch's workbook adds to its period."""
import pytest

from csi_core import i18n
from csi_core.method import csi
from csi_core.store import ingest
from csi_core.store.db import Store
from tests.conftest import xlsx
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    clear_caches, html_value, navigation_mode, new_app, shown)
from tests.test_branch_counts import BRANCHES, HEADER, cut, survey

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEIGHTS = {"民用户": 60, "工商业户": 40}
PICK = "_branch_pick"


@pytest.fixture
def branch_db(tmp_path, monkeypatch):
    """The company's database: each branch imported on its own, the company's weights set;
    2026Q3 holds headquarters only."""
    path = tmp_path / "csi.duckdb"
    store = Store.open(str(path))
    rows = survey()
    for k, branch in enumerate(BRANCHES):
        assert ingest.ingest(store, xlsx([HEADER] + cut(rows, branch)), f"b{k}.xlsx").ok
    late = [["2026Q3", *r[1:]] for r in cut(rows, None) if r[0] == "2026Q2"]
    assert ingest.ingest(store, xlsx([HEADER] + late), "q3.xlsx").ok
    store.set_setting("segment_weights", WEIGHTS, who="test")
    store.close()
    monkeypatch.setenv("CSI_DB", str(path))
    clear_caches()
    yield path, rows
    clear_caches()


def alone_csi(rows, branch, period):
    """The branch's CSI the independent way: its rows imported alone, the same weights."""
    s = Store.open(":memory:")
    try:
        assert ingest.ingest(s, xlsx([HEADER] + cut(rows, branch)), "alone.xlsx").ok
        res = csi.compute(s.counts(), csi.Weights(segments=WEIGHTS))
        return float(res.total[res.period_index(period)])
    finally:
        s.close()


def test_choosing_a_branch_shows_its_csi(branch_db):
    _, rows = branch_db
    at = new_app().run()
    assert not at.exception, at.exception
    at.sidebar.selectbox(key="period").set_value("2026Q2").run()
    picker = at.sidebar.selectbox(key=PICK)
    assert len(picker.options) == 4  # whole company, headquarters, two branches
    company = html_value(at, "csi-total")
    assert any(i18n.t("branch.showing", branch=i18n.t("branch.company")) in c.value for c in at.caption)
    ranking = next(d.value for d in at.dataframe if i18n.t("branch.rank") in d.value.columns)
    assert len(ranking) == 3 and "北区分公司" in set(ranking[i18n.t("branch.column")].str.lstrip("▶ "))
    at.sidebar.selectbox(key=PICK).set_value("北区分公司").run()
    assert not at.exception, at.exception
    north = html_value(at, "csi-total")
    assert north == shown(alone_csi(rows, "北区分公司", "2026Q2")) and north != company
    assert any("北区分公司" in c.value for c in at.caption)
    at.sidebar.selectbox(key=PICK).set_value("").run()
    assert html_value(at, "csi-total") == shown(alone_csi(rows, None, "2026Q2"))
    # the other pages follow the choice and say so
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    assert any(i18n.t("branch.headquarters") in c.value for c in at.caption)
    at.switch_page("pages/overview.py").run()
    at.sidebar.selectbox(key=PICK).set_value("\x00company").run()
    assert html_value(at, "csi-total") == company


def test_the_upload_page_shows_branches_in_and_missing_and_a_branch_adds_to_its_period(branch_db):
    _, rows = branch_db
    at = new_app().run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    coverage = next(t.value for t in at.table if i18n.t("upload.coverage_missing") in t.value.columns)
    q3 = coverage[coverage.iloc[:, 0] == "2026Q3"].iloc[0]
    assert q3[i18n.t("upload.coverage_in")] == i18n.t("branch.headquarters")
    assert "北区分公司" in q3[i18n.t("upload.coverage_missing")]
    north = [["2026Q3", *r[1:]] for r in cut(rows, "北区分公司") if r[0] == "2026Q2"]
    at.file_uploader[0].set_value(("north_q3.xlsx", xlsx([HEADER] + north), MIME)).run()
    assert not at.exception, at.exception
    plan = next(t.value for t in at.table if i18n.t("upload.branches_action") in t.value.columns)
    assert plan.iloc[0][i18n.t("upload.branches_brings")] == "北区分公司"
    assert plan.iloc[0][i18n.t("upload.branches_action")] == i18n.t("upload.branch_action.adds")
    assert not at.button(key="upload.import").disabled
    at.button(key="upload.import").click().run()
    assert not at.exception, at.exception
    from ui import state
    table = state.get_store().branches()
    assert set(table[table.period == "2026Q3"].branch) == {"", "北区分公司"}
    coverage = next(t.value for t in at.table if i18n.t("upload.coverage_missing") in t.value.columns)
    q3 = coverage[coverage.iloc[:, 0] == "2026Q3"].iloc[0]
    assert q3[i18n.t("upload.coverage_missing")] == "南区分公司"


def test_the_same_branch_again_replaces_only_its_rows_after_confirmation(branch_db):
    _, rows = branch_db
    at = new_app().run()
    at.switch_page("pages/upload.py").run()
    again = [r for r in cut(rows, "南区分公司") if r[0] == "2026Q1" and r[4] is None][:5]
    at.file_uploader[0].set_value(("south_again.xlsx", xlsx([HEADER] + again), MIME)).run()
    assert not at.exception, at.exception
    plan = next(t.value for t in at.table if i18n.t("upload.branches_action") in t.value.columns)
    assert plan.iloc[0][i18n.t("upload.branches_action")] == i18n.t("upload.branch_action.replaces_branches",
                                                                    branches="南区分公司")
    assert any("南区分公司" in w.value for w in at.warning)
    assert not any(i18n.t("upload.would_replace", periods="2026Q1") in w.value for w in at.warning)
    confirm = next(c for c in at.checkbox if c.key.startswith("upload.confirm."))
    assert "南区分公司" in confirm.label
    confirm.check().run()
    at.button(key="upload.import").click().run()
    assert not at.exception, at.exception
    from ui import state
    table = state.get_store().branches()
    q1 = table[table.period == "2026Q1"].set_index("branch").returned.to_dict()
    assert q1["南区分公司"] == 5 and q1[""] == len([r for r in cut(rows, None) if r[0] == "2026Q1" and r[4] is None])


def test_the_complaint_log_follows_the_branch_shown(branch_db):
    import datetime as dt
    path, _ = branch_db
    store = Store.open(str(path))
    store.save_complaints([{"received": dt.date(2026, 4, 2), "customer": "甲", "branch": "北区分公司"},
                           {"received": dt.date(2026, 4, 3), "customer": "乙", "branch": None, "department": "客服部"},
                           {"received": dt.date(2026, 4, 4), "customer": "丙", "branch": "北区分公司"}])
    store.close()
    clear_caches()
    at = new_app().run()
    at.switch_page("pages/complaints.py").run()
    log = lambda: next(d.value for d in at.dataframe if i18n.t("complaints.field.escalated") in d.value.columns)  # noqa: E731
    customers = i18n.t("complaints.field.customer")
    assert sorted(log()[customers]) == ["丙", "乙", "甲"]
    at.sidebar.selectbox(key=PICK).set_value("北区分公司").run()
    assert not at.exception, at.exception
    assert sorted(log()[customers]) == ["丙", "甲"]
    at.sidebar.selectbox(key=PICK).set_value("").run()
    assert log()[customers].tolist() == ["乙"]
