"""pages/report.py: the meeting report of the chosen period (numbers are the reference's),
its Excel/HTML/PDF downloads, and the sample-size tools (1068 / 1056 / 1099)."""
import io

import pytest
from pypdf import PdfReader

from csi_core import i18n
from csi_core.outputs import report
from tests import demo_expected as E
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    app, clear_caches, demo_db, demo_file, navigation_mode, new_app)
from ui import state


@pytest.fixture
def page(app):
    app.switch_page("pages/report.py").run()
    assert not app.exception
    return app


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_headline_is_the_references(page):
    """2026Q4's total and returned questionnaires of the independent reference (tests/demo_expected.py)."""
    assert page.title[0].value == i18n.t("report_page.title", period="2026Q4")
    assert metrics(page)["CSI"] == E.Q4_TOTAL
    assert metrics(page)[i18n.t("report.fig.returned")] == str(E.Q4_RETURNED)
    assert metrics(page)[i18n.t("report.fig.valid_rate")] == f"{E.Q4_VALID_RATE} %"


def test_files_made_on_demand(page):
    """No file is made by opening the page (each takes seconds at 100 000 responses):
    a button makes it, then its download button is there."""
    assert [b.label for b in page.get("download_button")] == []
    assert "report.built" not in page.session_state
    for kind in ("xlsx", "html"):
        page.button(key=f"report.make_{kind}").click().run()
        assert not page.exception
        assert i18n.t(f"report_page.{kind}") in [b.label for b in page.get("download_button")]
    built = page.session_state["report.built"]
    assert next(v for (k, kind), v in built.items() if kind == "xlsx").startswith(b"PK")
    assert next(v for (k, kind), v in built.items() if kind == "html").startswith(b"<!DOCTYPE html>")
    assert i18n.t("report_page.pdf") not in [b.label for b in page.get("download_button")]
    page.button(key="report.make_pdf").click().run()
    assert not page.exception
    assert i18n.t("report_page.pdf") in [b.label for b in page.get("download_button")]
    pdfs = [v for (k, kind), v in page.session_state["report.built"].items() if kind == "pdf"]
    assert pdfs and pdfs[0].startswith(b"%PDF")


def test_pdf_appendix_is_a_choice(page):
    page.button(key="report.make_pdf").click().run()
    page.checkbox(key="report.appendix").check().run()
    assert not page.exception
    assert i18n.t("report_page.pdf") not in [b.label for b in page.get("download_button")]  # not made yet
    page.button(key="report.make_pdf").click().run()
    built = page.session_state["report.built"]
    summary = next(v for (k, kind), v in built.items() if kind == "pdf")
    appendix = next(v for (k, kind), v in built.items() if kind == "pdf+appendix")
    assert len(PdfReader(io.BytesIO(summary)).pages) < len(PdfReader(io.BytesIO(appendix)).pages)


def test_key_figures_show_rates_as_percentages(page):
    figures = next(d.value for d in page.dataframe if i18n.t("report.col.figure") in d.value.columns)
    rate = figures[figures[i18n.t("report.col.figure")] == i18n.t("report.fig.response_rate")].iloc[0]
    assert rate[i18n.t("report.col.target")] == "95.0 %"
    assert rate[i18n.t("report.col.value")].endswith(" %")


def test_the_files_are_the_period_chosen(page):
    page.sidebar.selectbox(key=state.PERIOD_KEY).set_value("2026Q1").run()
    assert not page.exception
    page.button(key="report.make_html").click().run()
    built = page.session_state["report.built"]
    html = next(v.decode() for (k, kind), v in built.items() if kind == "html" and b"2026Q1" in v)
    assert i18n.t("report.title", "zh", period="2026Q1") in html


def test_report_language(page):
    page.button_group(key="report.lang.zh").set_value("en").run()
    labels = [m.label for m in page.metric]
    # the report's headline in English; the sample-size tools below stay in the screen's language
    assert i18n.t("report.col.grade", "en") in labels and i18n.t("report.col.grade", "zh") not in labels
    assert page.title[0].value == i18n.t("report_page.title", "zh", period="2026Q4")  # the screen stays Chinese


def test_sample_size_defaults_give_method_numbers(page):
    # the population defaults to what the demo's sent sheet says for 2026Q4: 196 + 83 + 61 = 340
    assert page.number_input(key="report.population.2026Q4").value == 340
    m = metrics(page)
    assert m[i18n.t("report_page.cochran")] == "1068"
    assert m[i18n.t("report_page.fpc")] == "259"  # 1067.07 / (1 + 1066.07 / 340) = 258.03
    assert m[i18n.t("report_page.yamane")] == "261"  # 340 / (1 + 340 · 0.0009) = 260.34
    page.number_input(key="report.population.2026Q4").set_value(100_000).run()
    m = metrics(page)
    assert m[i18n.t("report_page.fpc")] == "1056"
    assert m[i18n.t("report_page.yamane")] == "1099"
    page.number_input(key="report.population.2026Q4").set_value(2000).run()
    m = metrics(page)
    assert m[i18n.t("report_page.fpc")] == "697"  # 1067.07 / (1 + 1066.07 / 2000) = 696.05
    assert m[i18n.t("report_page.yamane")] == "715"  # 2000 / (1 + 2000 · 0.0009) = 714.29


def test_response_rate_of_the_period(page):
    assert metrics(page)[i18n.t("report.fig.response_rate")] == f"{E.Q4_RESPONSE_RATE} %"  # 316 of 340


def test_allocation_adds_up_to_the_sample(page):
    split = next(d.value for d in page.dataframe if i18n.t("report_page.sample") in d.value.columns)
    # 259 over 196 / 83 / 61: 149.30, 63.23, 46.47 → 149, 63, 46 and the one left to the largest remainder
    assert list(split[i18n.t("report_page.sample")]) == [149, 63, 47]


def test_report_error_is_a_message(page, monkeypatch):
    def refuse(*args, **kwargs):
        raise report.ReportError("no questionnaires stored yet")
    monkeypatch.setattr(report, "build", refuse)
    page.run()
    assert not page.exception
    assert any("no questionnaires" in e.value for e in page.error)


def test_report_language_follows_the_screen(page):
    page.button_group(key="_lang_switch").set_value("en").run()
    assert page.button_group(key="report.lang.en").value == "en"
    assert i18n.t("report.col.grade", "en") in [m.label for m in page.metric]


def _small(make_xlsx, tmp_path, monkeypatch, rows, extra=None):
    from csi_core.store.db import Store
    from csi_core.store.ingest import ingest
    path = tmp_path / "small.duckdb"
    store = Store.open(str(path))
    assert ingest(store, make_xlsx(rows, extra=extra), "small.xlsx").ok
    store.close()
    monkeypatch.setenv("CSI_DB", str(path))
    clear_caches()
    at = new_app().run()
    at.switch_page("pages/report.py").run()
    assert not at.exception
    return at


def test_population_from_the_sent_sheet_and_a_capped_allocation(make_xlsx, tmp_path, monkeypatch):
    rows = [["期间", "客户类型", "质量"], *[["2026Q1", "A", "很满意"]] * 3, *[["2026Q1", "B", "满意"]] * 2]
    sent = [["期间", "客户类型", "发放数"], ["2026Q1", "A", 300], ["2026Q1", "B", 100]]
    at = _small(make_xlsx, tmp_path, monkeypatch, rows, {"sent": sent})
    assert at.number_input(key="report.population.2026Q1").value == 400
    assert i18n.t("report_page.population_from", parts="A 发放 300 份、B 发放 100 份") in [c.value for c in at.caption]
    m = metrics(at)
    assert m[i18n.t("report_page.fpc")] == "292"  # 1067.07 / (1 + 1066.07 / 400) = 291.14
    split = next(d.value for d in at.dataframe if i18n.t("report_page.sample") in d.value.columns)
    assert list(split[i18n.t("report_page.sample")]) == [219, 73]  # 292 · 3/4, 292 · 1/4
    at.number_input(key="report.population.2026Q1").set_value(100_000).run()  # 1056 > 400
    split = next(d.value for d in at.dataframe if i18n.t("report_page.sample") in d.value.columns)
    assert list(split[i18n.t("report_page.sample")]) == [300, 100]
    assert at.warning[0].value == i18n.t("report_page.allocation_capped", n=1056, total=400)
    clear_caches()


def test_population_from_customers_without_a_sent_sheet(make_xlsx, tmp_path, monkeypatch):
    rows = [["期间", "客户类型", "客户名称", "质量"],
            ["2026Q1", "A", "甲", "很满意"], ["2026Q1", "A", "甲", "满意"], ["2026Q1", "A", "乙", "满意"],
            ["2026Q1", "A", "丙", "满意"], ["2026Q1", "B", "", "满意"], ["2026Q1", "B", "", "一般"]]
    at = _small(make_xlsx, tmp_path, monkeypatch, rows)
    assert at.number_input(key="report.population.2026Q1").value == 5  # 3 customers of A, 2 returned of B
    assert i18n.t("report_page.population_from", parts="A 3 个客户、B 回收 2 份") in [c.value for c in at.caption]
    split = next(d.value for d in at.dataframe if i18n.t("report_page.sample") in d.value.columns)
    assert list(split[i18n.t("report_page.sample")]) == [3, 2]  # n = 5 (everyone): never above a segment
    clear_caches()


def _key_figures(at) -> list[list[str]]:
    figure = i18n.t("report.col.figure")
    return next(d.value for d in at.dataframe if figure in d.value.columns).values.tolist()


def test_kept_figures_give_the_fresh_report_and_the_log_is_read_each_run(page):
    """The page keeps the period's figures (ui.state.report_figures) and reads the action
    log on every run: what it shows is what a report built afresh shows, before and
    after actions are opened."""
    from csi_core.method import actions, csi
    from csi_core.outputs import report_tables
    from tests.test_app_shell import core_results

    store = state.get_store()
    fresh = lambda: report_tables.key_figures_text(report.build(store, "2026Q4", "zh", counts=store.counts()))
    shown = _key_figures(page)
    assert shown == fresh().values.tolist()
    counts, res = core_results()
    p = res.period_index("2026Q4")
    flags = actions.flags(res, p, csi.customer_csi(counts, res, p))
    store.save_actions([{**a, "cause": "x"} for a in actions.missing_actions(flags, store.actions())], who="test")
    page.run()
    assert not page.exception
    assert _key_figures(page) == fresh().values.tolist() != shown
