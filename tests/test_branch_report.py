"""The report with a section per branch (issue 12): the Excel sheet, the HTML sections,
the PDF pages and ``report --branches``; without the option nothing changes."""
import io

import openpyxl
import pytest

from csi_core.__main__ import main as cli
from csi_core.method import csi
from csi_core.outputs import report, report_files
from csi_core.store import ingest
from csi_core.store.db import Store
from tests.conftest import xlsx
from tests.pdftext import squeezed
from tests.test_branch_counts import BRANCHES, HEADER, cut, survey


@pytest.fixture
def company(store):
    rows = survey()
    for k, branch in enumerate(BRANCHES):
        assert ingest.ingest(store, xlsx([HEADER] + cut(rows, branch)), f"b{k}.xlsx").ok
    return store


def test_sections_carry_each_branch_csi_with_the_company_weights(company):
    company.set_setting("segment_weights", {"民用户": 70, "工商业户": 30}, who="test")
    rep = report.build(company, "2026Q2", "zh", branches=True)
    assert {b.branch for b in rep.branches} == {"", "北区分公司", "南区分公司"}
    ranked = [b.csi for b in rep.branches]
    assert ranked == sorted(ranked, reverse=True)
    north = next(b for b in rep.branches if b.branch == "北区分公司")
    counts = company.counts("北区分公司")
    expected = csi.compute(counts, csi.Weights(segments={"民用户": 70, "工商业户": 30}))
    assert north.csi == pytest.approx(float(expected.total[expected.period_index("2026Q2")]), abs=1e-12)
    assert (north.items.score <= 0.705).all()
    assert report.build(company, "2026Q2", "zh").branches == ()


def test_the_files_have_the_branch_sections(company):
    rep = report.build(company, "2026Q2", "zh", branches=True)
    book = openpyxl.load_workbook(io.BytesIO(report_files.make(rep, "xlsx")), read_only=True)
    assert "分公司" in book.sheetnames
    cells = {str(c) for row in book["分公司"].iter_rows(values_only=True) for c in row if c is not None}
    assert {"分公司：总部 · 2026Q2", "分公司：北区分公司 · 2026Q2", "分公司：南区分公司 · 2026Q2"} <= cells
    html = report_files.make(rep, "html").decode()
    assert 'id="branches"' in html and html.count('<section id="branch-') == 3 and "北区分公司" in html
    plain = report_files.make(report.build(company, "2026Q2", "en"), "html").decode()
    assert 'id="branches"' not in plain


def test_the_command_line_adds_the_branches(tmp_path):
    db = tmp_path / "csi.duckdb"
    s = Store.open(str(db))
    rows = survey()
    for k, branch in enumerate(BRANCHES):
        assert ingest.ingest(s, xlsx([HEADER] + cut(rows, branch)), f"b{k}.xlsx").ok
    s.close()
    out = tmp_path / "r.xlsx"
    assert cli(["report", "--db", str(db), "--out", str(out), "--branches", "--lang", "en"]) == 0
    book = openpyxl.load_workbook(out, read_only=True)
    assert "Branches" in book.sheetnames
    assert cli(["report", "--db", str(db), "--out", str(tmp_path / "plain.xlsx")]) == 0
    assert "Branches" not in openpyxl.load_workbook(tmp_path / "plain.xlsx", read_only=True).sheetnames
    pdf = tmp_path / "r.pdf"
    assert cli(["report", "--db", str(db), "--out", str(pdf), "--branches"]) == 0
    text = squeezed(pdf.read_bytes())
    assert "Branch:北区分公司·2026Q2" in text and "Branch:Headquarters·2026Q2" in text
