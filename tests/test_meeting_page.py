"""pages/meeting.py in both languages: start the meeting on the demo's 2026Q4, move from
point to point, record a decision with an action and the attendees, close it, reopen the
kept review from the past reviews (its numbers are csi_core's of that day)."""
import pytest

from csi_core import i18n
from csi_core.outputs import meeting_view as view
from csi_core.store import reviews
from tests import demo_expected as expected
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    app, clear_caches, core_results, demo_db, demo_file, html_value, navigation_mode, new_app, shown)
from ui import meeting as mui
from ui import state


@pytest.fixture(params=["zh", "en"])
def page(request, demo_db):
    at = new_app(lang=request.param).run()
    at.switch_page("pages/meeting.py").run()
    assert not at.exception
    return at, request.param


def start(at):
    at.button(key="meeting.start").click().run()
    assert not at.exception
    return at


def point_label(at) -> str:
    return html_value(at, "meeting-point")


def test_choose_then_present_with_every_point_in_order(page):
    at, lang = page
    assert at.title[0].value == i18n.t("meeting.title", lang)
    assert at.button(key="meeting.start").label == i18n.t("meeting.start", lang, period="2026Q4")
    start(at)
    titles = [i18n.t(f"meeting.point.{k}", lang) for k in ("total", "segments", "items", "customers", "decisions")]
    assert html_value(at, "meeting-total") == expected.Q4_TOTAL  # the independent reference's number
    footer = html_value(at, "meeting-footer")
    assert footer.startswith("2026Q4 · ") and "民用户 60.0 %" in footer
    seen = []
    for k in range(len(titles)):
        seen.append(point_label(at))
        assert html_value(at, "meeting-footer") == footer  # period and weights on every screen
        if k < len(titles) - 1:
            at.button(key=mui.NEXT).click().run()
            assert not at.exception
    assert seen == [f"{i18n.t('meeting.point_of', lang, n=k + 1, total=5)} · {t}" for k, t in enumerate(titles)]
    assert at.button(key=mui.NEXT).disabled
    at.button(key=mui.PREV).click().run()
    assert point_label(at).endswith(titles[3])


def test_record_a_decision_with_an_action_and_close(page):
    at, lang = page
    start(at)
    for _ in range(3):  # to the customers below 80
        at.button(key=mui.NEXT).click().run()
    at.text_area(key="meeting.text.customers").set_value("回访恒达纺织，逐项整改")
    at.checkbox(key="meeting.act.customers").check()
    at.text_input(key="meeting.owner.customers").set_value("王工")
    import datetime as dt

    at.date_input(key="meeting.due.customers").set_value(dt.date(2027, 3, 31))
    at.button[[b.label for b in at.button].index(i18n.t("meeting.save_decision", lang))].click().run()
    assert not at.exception
    assert any(i18n.t("meeting.saved", lang, text="回访恒达纺织，逐项整改") == s.value for s in at.success)
    store = state.get_store()
    log = store.actions()
    assert log[["kind", "customer", "owner", "period"]].values.tolist() == [["customer", "恒达纺织有限公司", "王工",
                                                                               "2026Q4"]]
    at.button(key=mui.NEXT).click().run()  # the decisions point lists it
    table = at.table[0].value
    assert "回访恒达纺织，逐项整改" in table.to_string()
    at.text_area(key="meeting.attendees_text").set_value("张三\n李四")
    at.button[[b.label for b in at.button].index(i18n.t("meeting.save_attendees", lang))].click().run()
    at.button(key="meeting.close").click().run()
    assert not at.exception
    (kept,) = store.reviews(status="closed").id.tolist()
    review = store.review(kept)
    assert review.attendees == ("张三", "李四")
    assert [d["text"] for d in review.agenda["decisions"]] == ["回访恒达纺织，逐项整改"]
    # the kept review is shown, read-only: no secretary's form any more
    assert at.caption[0].value.startswith(i18n.t("meeting.frozen", lang, id=kept, when=review.agenda["closed_at"]))
    assert not [t for t in at.text_area if t.key and t.key.startswith("meeting.text")]


def test_a_kept_review_reopens_with_its_own_numbers(page):
    at, lang = page
    store = state.get_store()
    from csi_core.outputs import meeting

    agenda = meeting.build_agenda(store, "2026Q3")
    review_id = store.open_review("2026Q3")
    store.close_review(review_id, agenda)
    store.set_setting("segment_weights", {"民用户": 10, "工商业户": 10, "公福用户": 80})  # weights changed since
    at.run()
    assert at.dataframe[0].value.shape[0] == 1
    at.selectbox(key="meeting.pick").set_value(review_id)
    at.button(key="meeting.reopen").click().run()
    assert not at.exception
    assert html_value(at, "meeting-total") == shown(expected.TOTAL[expected.PERIODS.index("2026Q3")]) == "84.1"
    counts, now = core_results()  # what the changed weights give today: not what the review shows
    assert shown(now.total[now.period_index("2026Q3")]) != "84.1"
    assert "民用户 60.0 %" in html_value(at, "meeting-footer")
    assert point_label(at).endswith(view.title("total", lang))
    at.button(key="meeting.leave").click().run()
    assert at.title[0].value == i18n.t("meeting.title", lang)
