"""pages/data.py: the stored questionnaires, the invalid ones with their reasons and the
comments, per period and segment; CSV downloads are safe from formula injection."""
import io

import pandas as pd
import pytest

from csi_core import i18n
from csi_core.store import ingest
from csi_core.outputs import csv_export
from tests.conftest import xlsx
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    app, clear_caches, demo_db, demo_file, navigation_mode, new_app)
from ui import state

REASON = i18n.t("report.col.reason")


@pytest.fixture
def page(app):
    app.switch_page("pages/data.py").run()
    assert not app.exception
    return app


def tab_table(at, n: int) -> pd.DataFrame:
    return at.tabs[n].dataframe[0].value


def test_responses_of_the_period_are_the_stored_ones(page):
    store = state.get_store()
    counts = store.counts()
    p = counts.period_index("2026Q4")
    shown = tab_table(page, 0)
    assert len(shown) == int(counts.returned[p].sum())
    assert set(shown[i18n.t("report.col.period")]) == {"2026Q4"}
    assert set(counts.items) <= set(shown.columns)


def test_invalid_questionnaires_with_their_reasons(page):
    store = state.get_store()
    counts = store.counts()
    p = counts.period_index("2026Q4")
    invalid = tab_table(page, 1)
    assert len(invalid) == int(counts.returned[p].sum() - counts.valid[p].sum())
    assert set(invalid[REASON]) <= {i18n.t(f"reason.{r}") for r in ("no_answers", "too_few_answers", "duplicate_id")}
    assert (invalid[i18n.t("report.col.valid")] == False).all()  # noqa: E712


def test_filters_by_segment_and_validity(page):
    page.selectbox(key="data.segment").set_value("工商业户").run()
    page.button_group(key="data.validity").set_value("valid").run()
    shown = tab_table(page, 0)
    assert set(shown[i18n.t("report.col.segment")]) == {"工商业户"}
    assert shown[i18n.t("report.col.valid")].all()
    counts = state.get_store().counts()
    p, s = counts.period_index("2026Q4"), counts.segments.index("工商业户")
    assert len(shown) == int(counts.valid[p, s])
    totals = tab_table(page, 3)
    assert totals[i18n.t("report.col.returned")].tolist() == [int(counts.returned[p, s])]


def test_comments_and_search(page):
    comments = tab_table(page, 2)
    assert len(comments) == len(state.get_store().comments("2026Q4"))
    word = comments[i18n.t("report.col.comment")].iloc[0][:2]
    page.text_input(key="data.search").input(word).run()
    found = tab_table(page, 2)
    assert 0 < len(found) <= len(comments)
    assert found[i18n.t("report.col.comment")].str.contains(word, regex=False).all()


def test_all_periods(page):
    page.selectbox(key="data.period").set_value("").run()
    assert set(tab_table(page, 3)[i18n.t("report.col.period")]) == set(state.get_store().periods())


def test_csv_cells_that_look_like_formulas_are_defused():
    table = pd.DataFrame({"comment": ["=1+2", "+cmd", "-x", "@SUM(A1)", "\tx", "\rx", "好", None], "n": range(8)})
    text = csv_export.csv_bytes(table).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert back.comment.tolist()[:6] == ["'=1+2", "'+cmd", "'-x", "'@SUM(A1)", "'\tx", "'\rx"]
    assert back.comment.tolist()[6] == "好" and back.n.tolist() == list(range(8))


def test_a_formula_comment_is_shown_as_text_and_exported_defused(page, make_xlsx):
    rows = [["期间", "客户类型", "燃气质量", "服务态度", "意见建议"],
            ["2027Q1", "民用户", "很满意", "满意", "=HYPERLINK(\"http://evil\",\"x\")"],
            ["2027Q1", "民用户", "一般", "满意", "ok"]]
    assert ingest.ingest(state.get_store(), make_xlsx(rows), "f.xlsx").ok
    page.run()
    page.selectbox(key="data.period").set_value("2027Q1").run()
    comments = tab_table(page, 2)
    # shown with a leading ' : the table toolbar's own "Download as CSV" writes what is shown
    assert comments[i18n.t("report.col.comment")].iloc[0] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert csv_export.csv_bytes(comments).decode("utf-8-sig").splitlines()[1].count("'=HYPERLINK") == 1


LIVE = ("=", "+", "-", "@", "\t", "\r")


def test_no_table_on_the_data_page_shows_a_live_formula(page, make_xlsx):
    """Every cell a table shows (and so its toolbar download writes) is defused; plain
    numbers, and texts that are plain numbers, stay as they are."""
    evil = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=y"]
    rows = [["期间", "客户类型", "客户", "燃气质量", "意见建议"]]
    rows += [["2027Q2", "民用户", text, "很满意", text] for text in evil]
    assert ingest.ingest(state.get_store(), make_xlsx(rows), "evil.xlsx").ok
    page.run()
    page.selectbox(key="data.period").set_value("2027Q2").run()
    shown = 0
    for tab in range(4):
        for frame in page.tabs[tab].dataframe:
            table = frame.value
            for column in table.columns:
                assert not str(column).startswith(LIVE)
                for value in table[column]:
                    if isinstance(value, str):
                        shown += value.lstrip("'") in evil
                        assert not value.startswith(LIVE), (column, value)
    assert shown >= 2 * len(evil)  # the customer and the comment of each, in the responses tab at least


def test_english(demo_db):
    at = new_app(lang="en").run()
    at.switch_page("pages/data.py").run()
    assert not at.exception and at.title[0].value == "Survey data"
    reasons = set(at.tabs[1].dataframe[0].value["reason"])
    assert reasons and reasons <= {"every item blank", "fewer than half of the items answered", "duplicate respondent id"}
