"""Agenda point 6 (complaints and competitors) holds the competitors with the meeting's
weights, on the workbook of tests/test_competitors_golden.py; it is left out without
them; the page and the PowerPoint pack show them."""
import io

import pytest

from csi_core.outputs import meeting, meeting_view, pptx
from csi_core.store import ingest
from tests.test_app_shell import navigation_mode  # noqa: F401  (autouse: the app's navigation, as served)
from tests.test_competitors_report import DATA, seeded  # noqa: F401  (fixture: the workbook, weights 70 : 30)


def _point(agenda):
    found = [p for p in agenda["points"] if p["key"] == "complaints"]
    return found[0] if found else None


def test_point_six_lists_the_competitors(seeded):
    agenda = meeting.build_agenda(seeded, "2026Q1")
    keys = [p["key"] for p in agenda["points"]]
    assert keys.index("complaints") == keys.index("decisions") - 1
    rows = {r["name"]: r for r in _point(agenda)["competitors"]}
    assert rows["华润燃气"]["csi"] == pytest.approx(67.25) and rows["华润燃气"]["valid"] == 3
    assert rows["华润燃气"]["gap"] == pytest.approx(84.1666666667 - 67.25)
    assert rows["华润燃气"]["below_minimum"] is True
    assert [g["item"] for g in rows["华润燃气"]["items"]] == ["质量", "服务"]
    header, body, grades, more = meeting_view.competitor_table(_point(agenda), "zh")
    assert body[0][:5] == ["华润燃气", "67.3", meeting_view.grade_text("dissatisfied", "zh"), "3 ⚠", "+16.9"]
    assert body[0][5] == "—" and more == 0  # no gap beyond the noise
    assert len(meeting_view.competitor_notes(_point(agenda), "2026Q1", "en")) == 2


def test_point_six_is_left_out_without_competitors(seeded):
    assert _point(meeting.build_agenda(seeded, "2026Q2")) is None


def test_the_pack_has_the_competitor_slide(seeded):
    from pptx import Presentation

    data = pptx.meeting_pptx(meeting.build_agenda(seeded, "2026Q1"), "zh")
    texts = [shape.table.cell(r, 0).text for slide in Presentation(io.BytesIO(data)).slides
             for shape in slide.shapes if shape.has_table for r in range(len(shape.table.rows))]
    assert "华润燃气" in texts and "港华燃气" in texts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_meeting_page_shows_point_six(tmp_path, monkeypatch, lang):
    from csi_core import i18n
    from csi_core.store.db import Store
    from tests.test_app_shell import clear_caches, html_value, new_app
    from ui import meeting as mui

    path = tmp_path / "meeting.duckdb"
    store = Store.open(str(path))
    assert ingest.ingest(store, (DATA / "competitors.xlsx").read_bytes(), "competitors.xlsx").ok
    store.set_setting("segment_weights", {"民用户": 70, "工商业户": 30}, who="test")
    store.close()
    monkeypatch.setenv("CSI_DB", str(path))
    clear_caches()
    at = new_app(lang=lang, period="2026Q1").run()
    at.switch_page("pages/meeting.py").run()
    at.button(key="meeting.start").click().run()
    assert not at.exception, at.exception
    title = i18n.t("meeting.point.complaints", lang)
    for _ in range(6):
        if html_value(at, "meeting-point").endswith(title):
            break
        at.button(key=mui.NEXT).click().run()
        assert not at.exception, at.exception
    assert html_value(at, "meeting-point").endswith(title)
    shown = at.table[0].value
    assert "67.3" in shown.to_string() and "华润燃气" in shown.index.tolist()
    assert any("10" in c.value and "华润燃气" in c.value for c in at.caption)
