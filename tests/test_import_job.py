"""The import job and the layout key, moved out of pages/upload.py into csi_core (issue 8)."""
from csi_core.reading.workbook import header_names, layout_key
from csi_core.store import ingest, jobs
from tests.conftest import xlsx

ROWS = [["期间", "客户类型", "燃气质量", "服务态度"], ["2026Q1", "民用户", "很满意", "满意"],
        ["2026Q1", "民用户", "一般", "不满意"]]


def test_a_job_runs_to_its_end_and_reports_its_outcome(store):
    data = xlsx(ROWS)
    job = jobs.start(store, data, "sha", "q1.xlsx", replace=False, who="tester", options={})
    job.wait(60)
    assert not job.running and job.fraction == 1.0
    assert job.outcome.ok and job.outcome.imported.rows == 2 and job.outcome.imported.periods == ("2026Q1",)
    assert store.periods() == ["2026Q1"]
    assert store.uploads().who.tolist() == ["tester"]


def test_a_job_reuses_the_report_it_was_given_and_drops_it_after(store):
    data = xlsx(ROWS)
    validated = ingest.validate_bytes(data, "q1.xlsx")
    job = jobs.start(store, data, "sha", "q1.xlsx", replace=False, who="app", options={}, validated=validated)
    job.wait(60)
    assert job.outcome.report is validated.report and job.validated is None


def test_a_stored_period_stops_the_job_without_replace(store):
    data = xlsx(ROWS)
    assert ingest.ingest(store, data, "a.xlsx").ok
    job = jobs.start(store, xlsx(ROWS[:2]), "sha2", "b.xlsx", replace=False, who="app", options={})
    job.wait(60)
    assert not job.outcome.ok and {c.code for c in job.outcome.conflicts} == {"period_exists"}
    assert job.failed is None and job.error == ""


def test_a_bug_in_the_import_is_kept_for_the_page_not_raised(store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ingest, "ingest", broken)
    job = jobs.start(store, xlsx(ROWS), "sha", "f.xlsx", replace=False, who="app", options={})
    job.wait(60)
    assert isinstance(job.failed, RuntimeError) and job.outcome is None and job.fraction == 1.0
    assert store.periods() == []


def test_the_layout_key_ignores_order_case_width_and_spaces():
    assert layout_key(["期间", "Quality ", "ＳＥＲＶＩＣＥ"]) == layout_key(["service", "quality", "期间"])
    assert layout_key(["期间", "quality"]) != layout_key(["期间", "quality", "service"])
    assert len(layout_key(["a"])) == 16


def test_header_names_are_the_written_headers_or_none():
    assert header_names(xlsx([["说明"], ["period", " Quality ", None, "service"], ["2026Q1", 5, None, 4]])) == \
        ["period", "Quality", "service"]
    assert header_names(b"junk") is None
