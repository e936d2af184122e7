"""pages/actions.py: the flags are the independent reference's (tests/demo_expected.py); actions are created, edited and kept
in the database; earlier actions are verified by the next period's score."""
import pytest

from csi_core.method import actions
from csi_core.method import csi
from csi_core import i18n
from tests import demo_expected as E
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    app, clear_caches, core_results, demo_db, demo_file, navigation_mode, new_app)
from ui import state

SUBJECT = i18n.t("report.col.subject")


@pytest.fixture
def page(app):
    app.switch_page("pages/actions.py").run()
    app.sidebar.selectbox(key=state.PERIOD_KEY).set_value("2026Q1").run()
    assert not app.exception
    assert app.title[0].value == i18n.t("actions.title", period="2026Q1")
    return app


TABS = {"actions.flags_items": 0, "actions.flags_csi": 1, "actions.flags_customer_items": 2}


def table(at, key: str):
    """A table of the page: a flags tab's, or the verification's (the one with verdicts)."""
    if key in TABS:
        tab = at.tabs[TABS[key]]
        return tab.dataframe[0].value if len(tab.dataframe) else None
    verdict = i18n.t("report.col.verdict")
    return next((d.value for d in at.dataframe if verdict in getattr(d.value, "columns", [])), None)


def core_flags(period: str):
    counts, res = core_results()
    p = res.period_index(period)
    return res, p, actions.flags(res, p, csi.customer_csi(counts, res, p))


def test_items_listed_are_exactly_those_at_or_below_70(page):
    """The independent reference's flags of 2026Q1 (tests/demo_expected.py), scores in %."""
    shown = table(page, "actions.flags_items")
    assert dict(zip(zip(shown.segment, shown["item"]), shown[i18n.t("report.col.value")])) == E.Q1_ITEM_FLAGS
    assert (shown.kind == "item").all()


def test_csi_below_80_and_customer_items_are_the_references(page):
    csi_rows = table(page, "actions.flags_csi")
    assert sorted(csi_rows.customer) == E.Q1_CUSTOMER_FLAGS
    items = table(page, "actions.flags_customer_items")
    assert len(items) == E.Q1_CUSTOMER_ITEM_FLAGS
    trend = i18n.t("report.col.trend")
    assert all(len(t) == 5 for t in csi_rows[trend])  # 2025Q1..2026Q1


def test_create_actions_for_all_flags_then_none_missing(page):
    _, _, flags = core_flags("2026Q1")
    assert len(flags) == len(E.Q1_ITEM_FLAGS) + len(E.Q1_CUSTOMER_FLAGS) + E.Q1_CUSTOMER_ITEM_FLAGS
    assert state.get_store().actions().empty
    page.button(key="actions.create").click().run()
    assert not page.exception
    log = state.get_store().actions()
    assert len(log) == len(flags) and set(log.status) == {"open"}
    assert {(r.kind, r.segment or "", r.customer or "", r.item or "") for r in log.itertuples()} == \
        {(f.kind, f.segment, f.customer, f.item) for f in flags}
    metrics = {m.label: m.value for m in page.metric}
    assert metrics[i18n.t("actions.m_missing")] == "0"
    assert not [b for b in page.button if b.key == "actions.create"]
    # all of them placeholders: listed apart, in the expander, not in the log's editor
    assert not [d for d in page.dataframe if d.key and d.key.startswith("actions.editor.log")]
    editor = next(d for d in page.dataframe if d.key and d.key.startswith("actions.editor.placeholders"))
    assert len(editor.value) == len(flags)
    assert page.expander[0].label == i18n.t("actions.placeholders", n=len(flags))


def reopened():
    """The page in a new session on 2026Q1, and its action log editor."""
    again = new_app().run()
    again.switch_page("pages/actions.py").run()
    again.sidebar.selectbox(key=state.PERIOD_KEY).set_value("2026Q1").run()
    return again, next(d for d in again.dataframe if d.key and d.key.startswith("actions.editor.log"))


def test_an_edit_is_kept_in_the_database_and_shown_after_a_reload(page, demo_db):
    page.button(key="actions.create").click().run()
    shown = page.session_state["actions.shown.placeholders"]
    # what the editor's callback does with a cell edit (st.data_editor cannot be typed into by AppTest;
    # tests/browser/test_workflow.py types into the real one)
    save, delete, problems = actions.log_changes(shown, {0: {"owner": "质量部 王工", "status": "in_progress",
                                                             "due": "2026-05-31"}})
    assert problems == [] and delete == []
    for record in save:
        state.get_store().save_action(record, who="test")
    again, editor = reopened()
    assert len(editor.value) == 1  # no longer a placeholder: in the log
    first = editor.value.iloc[0]
    assert (first.owner, first.status, str(first.due)) == ("质量部 王工", "in_progress", "2026-05-31")


def test_bad_status_is_refused_with_a_message(page):
    page.button(key="actions.create").click().run()
    save, _, problems = actions.log_changes(page.session_state["actions.shown.placeholders"],
                                            {1: {"status": "closed"}})
    assert save == [] and problems[0].message("zh").endswith(i18n.t("problem.action_bad_status", value="closed"))


def test_next_period_verifies_the_actions(page):
    page.button(key="actions.create").click().run()
    store = state.get_store()  # placeholders are not verified: give each an owner
    store.save_actions([{**a, "owner": "质量部"} for a in store.actions().to_dict("records")], who="test")
    page.sidebar.selectbox(key=state.PERIOD_KEY).set_value("2026Q2").run()
    assert not page.exception
    shown = table(page, "actions.verification")
    assert shown is not None
    counts, res = core_results()
    checked = actions.verify_actions(state.get_store().actions(), actions.PeriodScores(counts, res), before="2026Q2")
    assert len(shown) == len(checked) == len(state.get_store().actions("2026Q1"))
    assert set(checked.next_period) == {"2026Q2"}
    verdicts = shown[i18n.t("report.col.verdict")].tolist()
    assert verdicts == [i18n.t(f"actions.verdict.{v}") for v in checked.verdict]
    metrics = {m.label: m.value for m in page.metric}
    for v in actions.VERDICTS:
        assert metrics[i18n.t(f"actions.verdict.{v}")] == str(int((checked.verdict == v).sum()))


def test_english(demo_db):
    at = new_app(lang="en").run()
    at.switch_page("pages/actions.py").run()
    assert not at.exception
    assert at.title[0].value.startswith("Corrective actions")


def test_a_failing_save_is_a_message_not_a_traceback(page, monkeypatch):
    from csi_core.store.db import Store

    def broken(self, action, who=""):
        raise RuntimeError("disk full")
    monkeypatch.setattr(Store, "save_actions", broken)
    page.button(key="actions.create").click().run()
    assert not page.exception
    assert any("disk full" in e.value for e in page.error)
    assert state.get_store().actions().empty


def test_the_editor_shows_formulas_defused_and_saves_the_text_as_meant(page, demo_db):
    from csi_core.outputs.csv_export import undefused_edits
    page.button(key="actions.create").click().run()
    shown = page.session_state["actions.shown.placeholders"]
    save, _, _ = actions.log_changes(shown, {0: {"cause": "=HYPERLINK(\"http://x\")", "owner": "@王工"}})
    for record in save:
        state.get_store().save_action(record, who="test")
    again, editor = reopened()
    first = editor.value.iloc[0]
    # what the toolbar's "Download as CSV" writes: no live formula
    assert first.cause == "'=HYPERLINK(\"http://x\")" and first.owner == "'@王工"
    # an edit of another cell keeps the stored text as meant
    rows, edits = undefused_edits(again.session_state["actions.shown.log"], {0: {"status": "done"}}, ["cause", "owner"])
    save, _, problems = actions.log_changes(rows, edits)
    assert not problems
    for record in save:
        state.get_store().save_action(record, who="test")
    stored = state.get_store().actions().set_index("id").loc[int(first.id)]
    assert (stored.cause, stored.owner, stored.status) == ("=HYPERLINK(\"http://x\")", "@王工", "done")
