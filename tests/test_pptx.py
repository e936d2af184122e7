"""The meeting pack (csi_core/outputs/pptx.py and ``report --out pack.pptx``) read back with
python-pptx: one slide per agenda point after the title, native charts, the CJK font set
as the East Asian font, the period and weights in every footer, and a kept review's
minutes as the last slides. Numbers are the hand-computed ones of tests/test_meeting.py."""
from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from csi_core.__main__ import main
from csi_core.outputs import meeting, pptx
from csi_core.store import reviews
from csi_core.store.db import Store
from tests.conftest import xlsx
from tests.test_meeting import Q1, Q2, load


@pytest.fixture
def kept(store, make_xlsx):
    """2026Q2 reviewed (total 83.0), a decision with an action, two attendees, closed."""
    load(store, make_xlsx, Q1 + Q2)
    store.set_setting("segment_weights", {"民用户": 60, "工商业户": 40})
    review_id = store.open_review("2026Q2")
    store.set_attendees(review_id, "张三、李四")
    store.add_decision(review_id, "items", "交期：增加夜班配送",
                         {"kind": "item", "segment": "工商业户", "item": "交期", "score": 0.65, "owner": "李工",
                          "due": "2027-03-31"})
    store.close_review(review_id, meeting.build_agenda(store, "2026Q2"))
    return store, store.review(review_id)


def texts(slide) -> list[str]:
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [cell.text for row in shape.table.rows for cell in row.cells]
    return out


def read(data: bytes) -> Presentation:
    return Presentation(io.BytesIO(data))


def test_one_slide_a_point_then_the_minutes(kept):
    _, review = kept
    deck = read(pptx.meeting_pptx(review.agenda, "zh"))
    points = review.agenda["points"]  # total, segments, items, customers, decisions
    assert len(points) == 5
    assert len(deck.slides) == 1 + 5 + 1  # title, the points, one slide of minutes
    headings = [texts(s)[0] for s in list(deck.slides)[1:6]]
    assert headings == ["议程 1 / 5 · 总体 CSI、等级与变化", "议程 2 / 5 · 各客户类型", "议程 3 / 5 · 得分 ≤ 70 % 的题目",
                        "议程 4 / 5 · CSI 低于 80 的客户", "议程 5 / 5 · 决定与新的纠正措施"]
    total = "\n".join(texts(deck.slides[1]))
    assert "83.0" in total and "一般满意" in total and "+6.0" in total
    minutes = "\n".join(texts(deck.slides[-1]))
    assert "会议纪要" in minutes and "交期：增加夜班配送" in minutes and "李工" in minutes and "2027-03-31" in minutes
    assert "张三、李四" in minutes
    assert "交期：增加夜班配送" in "\n".join(texts(deck.slides[5]))


def test_native_charts_with_the_numbers(kept):
    _, review = kept
    deck = read(pptx.meeting_pptx(review.agenda, "en"))
    run = [s.chart for s in deck.slides[1].shapes if s.has_chart][0]
    assert list(run.plots[0].categories) == ["2026Q1", "2026Q2"]
    assert list(run.series[0].values) == pytest.approx([77.0, 83.0])
    bars = [s.chart for s in deck.slides[2].shapes if s.has_chart][0]
    assert dict(zip(bars.plots[0].categories, bars.series[0].values)) == pytest.approx({"民用户": 90.0, "工商业户": 72.5})
    items = [s.chart for s in deck.slides[3].shapes if s.has_chart][0]
    assert list(items.series[0].values) == pytest.approx([65.0])


def test_every_slide_has_the_footer_and_cjk_font(kept):
    _, review = kept
    deck = read(pptx.meeting_pptx(review.agenda, "zh"))
    footer = meeting.footer(review.agenda, "zh")
    assert "民用户 60.0 %" in footer
    for slide in list(deck.slides)[1:]:
        assert footer in texts(slide)
    runs = [r for s in deck.slides for shape in s.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for r in p.runs]
    assert runs and all(r.font._rPr.find(qn("a:ea")).get("typeface") == pptx.FONT_EA for r in runs)


def test_an_open_meeting_has_no_minutes(kept):
    store, _ = kept
    agenda = meeting.build_agenda(store, "2026Q2")
    deck = read(pptx.meeting_pptx(agenda, "en"))
    assert len(deck.slides) == 1 + len(agenda["points"])


def test_cli_writes_the_pack_of_a_kept_review(tmp_path, capsys):
    """A review kept on a database file, its quarter replaced since: the pack shows the old numbers."""
    db = tmp_path / "csi.duckdb"
    disk = Store.open(str(db))
    load(disk, xlsx, Q1 + Q2)
    disk.set_setting("segment_weights", {"民用户": 60, "工商业户": 40})
    review_id = disk.open_review("2026Q2")
    disk.add_decision(review_id, "total", "保持")
    disk.close_review(review_id, meeting.build_agenda(disk, "2026Q2"))
    load(disk, xlsx, [[p, s, c, r + "x", a, b] for p, s, c, r, a, b in Q2[:2]], "replaced.xlsx", replace=True)
    disk.close()
    out = tmp_path / "pack.pptx"
    assert main(["report", "--db", str(db), "--out", str(out), "--review", str(review_id), "--lang", "zh"]) == 0
    deck = Presentation(str(out))
    assert len(deck.slides) == 1 + 5 + 1
    assert "83.0" in "\n".join(texts(deck.slides[1]))  # the kept number, not the replaced quarter's
    assert "保持" in "\n".join(texts(deck.slides[-1]))
    live = tmp_path / "live.pptx"
    assert main(["report", "--db", str(db), "--out", str(live), "--period", "2026年第2季度"]) == 0
    assert "90.0" in "\n".join(texts(Presentation(str(live)).slides[1]))  # 民用户 alone now
    assert main(["report", "--db", str(db), "--out", str(live), "--review", "99"]) == 2
    assert "no review 99" in capsys.readouterr().err
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "r.xlsx"), "--review", "1"]) == 2
