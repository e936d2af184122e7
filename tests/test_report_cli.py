"""``python -m csi_core report --out FILE``: the format is the one the extension names
(.xlsx, .pdf, .html; .pptx is the meeting pack); any other is refused with exit 2 before anything is read or written;
``--appendix`` adds the PDF's detail. Numbers checked against tests/data/golden_basic.json."""
import json
import re
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from csi_core.__main__ import main
from tests import pdftext

DATA = Path(__file__).parent / "data"
GOLDEN = json.loads((DATA / "golden_basic.json").read_text(encoding="utf-8"))["expected"]["periods"]["2026Q2"]
TOTAL = "60.6"  # GOLDEN["csi"] = 60.58… half-up to one decimal


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "r.duckdb"
    assert main(["import", str(DATA / "basic.xlsx"), "--db", str(path)]) == 0
    return str(path)


def pdf_text(data: bytes) -> str:
    return pdftext.squeezed(data)


def test_golden_total_is_what_the_check_expects():
    assert f"{GOLDEN['csi']:.2f}" == "60.58"


def test_xlsx(db, tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    assert main(["report", "--db", db, "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    wb = openpyxl.load_workbook(out)
    figures = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert figures["total CSI"] == pytest.approx(GOLDEN["csi"], rel=1e-12)


def test_pdf_with_and_without_appendix(db, tmp_path):
    short, full = tmp_path / "r.pdf", tmp_path / "full.PDF"
    assert main(["report", "--db", db, "--out", str(short), "--lang", "zh"]) == 0
    assert main(["report", "--db", db, "--out", str(full), "--lang", "zh", "--appendix"]) == 0
    data = short.read_bytes()
    assert data.startswith(b"%PDF") and f"总体CSI为{TOTAL}" in pdf_text(data)
    assert "附录" not in pdf_text(data).replace("含附录", "") and "附录以下为明细" in pdf_text(full.read_bytes())
    assert len(PdfReader(full).pages) > len(PdfReader(short).pages)


def test_html(db, tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", "--db", db, "--out", str(out), "--period", "2026Q2"]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and f'<div class="v" style="color: ' in page
    assert re.search(rf">{TOTAL}</div><div class=\"l\">CSI<", page)


@pytest.mark.parametrize("name", ["r.csv", "r.pdf.txt", "report", "r.htm"])
def test_any_other_extension_is_refused(db, tmp_path, capsys, name):
    out = tmp_path / name
    assert main(["report", "--db", db, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--out must end in .xlsx, .pdf, .html (the report) or .pptx" in err and "Traceback" not in err
    assert not out.exists()


def test_refused_in_chinese_too(db, tmp_path, capsys):
    assert main(["report", "--db", db, "--out", str(tmp_path / "r.docx"), "--lang", "zh"]) == 2
    assert "扩展名 .docx 不支持" in capsys.readouterr().err
