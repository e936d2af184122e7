"""The review's agenda (csi_core/outputs/meeting.py) and the kept reviews (store/reviews.py).

The workbook is small enough to score by hand (equal item weights, no focus column,
segment weights 民用户 60 / 工商业户 40, coefficients 1 / 0.8 / 0.5 / 0.2 / 0):

2026Q1  民用户   [5,4] [5,4]   质量 1.0  交期 0.8   CSI 90.0
        工商业户 ACME [4,3] [4,2]  质量 0.8  交期 0.35  CSI 57.5      total 0.6·90 + 0.4·57.5 = 77.0
2026Q2  民用户   [5,5] [4,4]   质量 0.9  交期 0.9   CSI 90.0
        工商业户 ACME [4,4] [4,3]  质量 0.8  交期 0.65  CSI 72.5      total 54 + 29 = 83.0 (+6.0)
"""
from __future__ import annotations

import json

import pytest

from csi_core import i18n
from csi_core.outputs import meeting
from csi_core.store import ingest, reviews

HEADER = ["期间", "客户类型", "客户名称", "问卷编号", "质量", "交期"]
Q1 = [["2026Q1", "民用户", "", "a1", 5, 4], ["2026Q1", "民用户", "", "a2", 5, 4],
      ["2026Q1", "工商业户", "ACME", "b1", 4, 3], ["2026Q1", "工商业户", "ACME", "b2", 4, 2]]
Q2 = [["2026Q2", "民用户", "", "c1", 5, 5], ["2026Q2", "民用户", "", "c2", 4, 4],
      ["2026Q2", "工商业户", "ACME", "d1", 4, 4], ["2026Q2", "工商业户", "ACME", "d2", 4, 3]]
Q2_NEW = [["2026Q2", "民用户", "", "e1", 5, 5], ["2026Q2", "民用户", "", "e2", 4, 4],
          ["2026Q2", "工商业户", "ACME", "f1", 5, 5], ["2026Q2", "工商业户", "ACME", "f2", 5, 5]]


def load(store, make_xlsx, rows, name="two.xlsx", replace=False):
    outcome = ingest.ingest(store, make_xlsx([HEADER, *rows]), name, replace=replace)
    assert outcome.ok, outcome.messages()
    return outcome


@pytest.fixture
def two(store, make_xlsx):
    load(store, make_xlsx, Q1 + Q2)
    store.set_setting("segment_weights", {"民用户": 60, "工商业户": 40})
    return store


def point(agenda, key):
    found = [p for p in agenda["points"] if p["key"] == key]
    return found[0] if found else None


def test_total_grade_and_change_by_hand(two):
    agenda = meeting.build_agenda(two, "2026Q2")
    total = point(agenda, "total")
    assert total["csi"] == pytest.approx(83.0)
    assert total["grade"] == "fairly_satisfied"
    assert total["previous_period"] == "2026Q1" and total["previous"] == pytest.approx(77.0)
    assert total["change"] == pytest.approx(6.0)
    assert total["returned"] == 4 and total["valid"] == 4
    assert total["run"]["values"] == pytest.approx([77.0, 83.0])
    assert total["needs_review"] is False
    assert agenda["weights"]["segments"] == pytest.approx({"民用户": 0.6, "工商业户": 0.4})
    assert agenda["weights"]["source"] == "company"


def test_segments_items_customers_by_hand(two):
    agenda = meeting.build_agenda(two, "2026Q2")
    rows = {r["segment"]: r for r in point(agenda, "segments")["rows"]}
    assert rows["民用户"]["csi"] == pytest.approx(90.0) and rows["民用户"]["change"] == pytest.approx(0.0)
    assert rows["工商业户"]["csi"] == pytest.approx(72.5) and rows["工商业户"]["change"] == pytest.approx(15.0)
    assert rows["工商业户"]["grade"] == "dissatisfied"
    items = point(agenda, "items")
    assert [(r["segment"], r["item"]) for r in items["rows"]] == [("工商业户", "交期")]
    assert items["rows"][0]["score"] == pytest.approx(65.0) and items["rows"][0]["previous"] == pytest.approx(35.0)
    assert [(r["customer"], r["item"]) for r in items["customer_items"]] == [("ACME", "交期")]
    customers = point(agenda, "customers")["rows"]
    assert [(c["customer"], c["csi"], c["previous"]) for c in customers] == [("ACME", pytest.approx(72.5),
                                                                              pytest.approx(57.5))]


def test_agenda_order_and_points_without_content_skipped(store, make_xlsx):
    load(store, make_xlsx, [["2026Q1", "民用户", "", "a1", 5, 4], ["2026Q1", "民用户", "", "a2", 5, 5]])
    agenda = meeting.build_agenda(store)
    # one segment (the total again), no item ≤ 70 %, no customer, no earlier action, no complaints
    assert [p["key"] for p in agenda["points"]] == ["total", "decisions"]
    assert point(agenda, "total")["previous_period"] is None


def test_last_periods_actions_are_verified(two):
    two.save_action({"period": "2026Q1", "kind": "item", "segment": "工商业户", "item": "交期", "score": 0.35,
                     "owner": "王工", "status": "done"})
    agenda = meeting.build_agenda(two, "2026Q2")
    assert [p["key"] for p in agenda["points"]] == ["total", "segments", "items", "customers", "verification",
                                                    "decisions"]
    (row,) = point(agenda, "verification")["rows"]
    assert (row["raised"], row["later"], row["verdict"]) == (pytest.approx(35.0), pytest.approx(65.0), "improved")
    assert point(meeting.build_agenda(two, "2026Q1"), "verification") is None


def test_unknown_period_and_empty_store(store, two):
    with pytest.raises(meeting.AgendaError, match="2030Q1"):
        meeting.build_agenda(two, "2030Q1")
    with pytest.raises(meeting.AgendaError):
        meeting.build_agenda(store.__class__.open(":memory:"))


def test_footer_names_period_and_weights(two):
    agenda = meeting.build_agenda(two, "2026Q2")
    text = meeting.footer(agenda, "en")
    assert text.startswith("2026Q2 · segment weights: ")
    assert "民用户 60.0 %" in text and "工商业户 40.0 %" in text
    assert "民用户 60.0 %" in meeting.footer(agenda, "zh") and "、" in meeting.footer(agenda, "zh")


def test_a_decision_with_an_action_goes_into_the_action_log_and_the_audit(two):
    review_id = two.open_review("2026Q2", who="秘书")
    assert two.open_review("2026Q2") == review_id  # resumed, not a second one
    two.add_decision(review_id, "items", "交期：增加夜班配送",
                         {"kind": "item", "segment": "工商业户", "item": "交期", "score": 0.65, "owner": "李工",
                          "due": "2027-03-31"}, who="秘书")
    log = two.actions()
    assert len(log) == 1
    row = log.iloc[0]
    assert (row["period"], row["kind"], row["segment"], row["item"], row["owner"], row["status"], row["measure"]) == \
        ("2026Q2", "item", "工商业户", "交期", "李工", "open", "交期：增加夜班配送")
    assert str(row["due"])[:10] == "2027-03-31"
    (decision,) = two.review_decisions(review_id)
    assert decision["action"]["id"] == int(row.id) and decision["text"] == "交期：增加夜班配送"
    audit = two.audit()
    assert {"review_opened", "review_decision", "action"} <= set(audit.what)
    assert (audit[audit.what == "review_decision"].who == "秘书").all()


def test_empty_decision_and_closed_review_are_refused(two):
    review_id = two.open_review("2026Q2")
    with pytest.raises(reviews.ReviewError):
        two.add_decision(review_id, "total", "   ")
    two.close_review(review_id, meeting.build_agenda(two, "2026Q2"))
    with pytest.raises(reviews.ReviewError, match="closed"):
        two.add_decision(review_id, "total", "too late")
    with pytest.raises(reviews.ReviewError):
        two.set_attendees(review_id, "x")
    assert len(two.actions()) == 0


def test_a_kept_review_shows_its_old_numbers_after_the_quarter_is_replaced(two, make_xlsx):
    review_id = two.open_review("2026Q2")
    two.set_attendees(review_id, "张三，李四\n王五、张三")
    two.add_decision(review_id, "total", "保持现有服务水平")
    two.close_review(review_id, meeting.build_agenda(two, "2026Q2"), who="秘书")
    # the quarter replaced (ACME now all 很满意) and the company weights changed
    load(two, make_xlsx, Q2_NEW, "q2-corrected.xlsx", replace=True)
    two.set_setting("segment_weights", {"民用户": 50, "工商业户": 50})
    now = meeting.build_agenda(two, "2026Q2")
    assert point(now, "total")["csi"] == pytest.approx(95.0)  # 0.5·90 + 0.5·100
    kept = two.review(review_id)
    assert kept.closed and kept.period == "2026Q2"
    assert point(kept.agenda, "total")["csi"] == pytest.approx(83.0)
    assert point(kept.agenda, "total")["change"] == pytest.approx(6.0)
    assert kept.agenda["weights"]["segments"] == pytest.approx({"民用户": 0.6, "工商业户": 0.4})
    assert [p["key"] for p in kept.agenda["points"]] == ["total", "segments", "items", "customers", "decisions"]
    assert kept.upload_ids == (1,) and now["upload_ids"] == [2]
    assert kept.weights["segments"] == pytest.approx({"民用户": 0.6, "工商业户": 0.4})
    assert kept.settings["segment_weights"] == {"民用户": 60, "工商业户": 40}
    assert kept.scale == "default"
    assert kept.attendees == ("张三", "李四", "王五")
    assert [d["text"] for d in kept.agenda["decisions"]] == ["保持现有服务水平"]
    assert kept.agenda["attendees"] == ["张三", "李四", "王五"]
    listed = two.reviews(status="closed")
    assert listed[["id", "period", "attendees", "decisions"]].values.tolist() == [[review_id, "2026Q2", 3, 1]]


def test_the_frozen_agenda_is_plain_json(two):
    agenda = meeting.build_agenda(two, "2026Q2")
    assert json.loads(json.dumps(agenda, allow_nan=False)) == agenda


def test_a_decision_and_its_action_are_stored_together_or_not_at_all(two):
    review_id = two.open_review("2026Q2")
    with pytest.raises(Exception):
        two.add_decision(review_id, "items", "交期", {"kind": "item", "segment": "工商业户", "item": "交期",
                                                     "owner": "李工", "due": "not a date"})
    assert two.review_decisions(review_id) == [] and len(two.actions()) == 0


def test_the_change_gains_its_significance_once_the_statistics_exist(two):
    stats = pytest.importorskip("csi_core.method.stats")
    from csi_core.method import csi
    from csi_core.outputs import meeting_view

    agenda = meeting.build_agenda(two, "2026Q2")
    total = point(agenda, "total")
    counts = two.counts()
    results = csi.compute(counts, csi.Weights({"民用户": 60, "工商业户": 40}))
    found = stats.total_change(results, stats.intervals(counts, results), 1)
    assert total["significance"]["ci95"] == pytest.approx([found.low, found.high])
    assert total["significance"]["significant"] is bool(found.significant)
    word = "meeting.significant" if found.significant else "meeting.within_noise"
    assert meeting_view.change_text(total, "en").endswith(
        i18n.t(word, "en", lo=meeting_view.fmt_delta(found.low), hi=meeting_view.fmt_delta(found.high)))


def test_the_agenda_keeps_the_computations_notes(store, make_xlsx):
    load(store, make_xlsx, Q1)  # no company weights: the segments count equally, and the agenda says so
    agenda = meeting.build_agenda(store)
    assert {"key": "equal_segment_weights", "params": {}} in agenda["notes"]
    assert agenda["weights"]["source"] == "equal"
    assert point(agenda, "total")["csi"] == pytest.approx(0.5 * 90.0 + 0.5 * 57.5)


def test_each_segments_change_gains_its_significance(two):
    stats = pytest.importorskip("csi_core.method.stats")
    from csi_core.method import csi
    from csi_core.outputs import meeting_view

    agenda = meeting.build_agenda(two, "2026Q2")
    counts = two.counts()
    results = csi.compute(counts, csi.Weights({"民用户": 60, "工商业户": 40}))
    iv = stats.intervals(counts, results)
    for row in point(agenda, "segments")["rows"]:
        found = stats.segment_change(results, iv, 1, results.segments.index(row["segment"]))
        if found is None or found.low is None:
            assert row["significance"] is None
            continue
        assert row["significance"]["ci95"] == pytest.approx([found.low, found.high])
    _, body, _, _ = meeting_view.table(point(agenda, "segments"), "en")
    words = {meeting_view._significance_word(r["significance"], "en") for r in point(agenda, "segments")["rows"]}
    assert all(any(cell.endswith(w) for cell in (row[-1] for row in body)) for w in words)
