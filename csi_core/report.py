"""Meeting report (管理评审报告): the results as an Excel workbook (and later PDF/HTML)."""
from __future__ import annotations

import io

import xlsxwriter

from . import csi
from .store import Store
from .summary import to_contract


def report_xlsx(store: Store, period: str | None = None, lang: str = "en") -> bytes:
    """A workbook of every period's results (plain for now)."""
    counts = store.counts()
    weights = csi.Weights(store.get_setting("segment_weights"))
    results = csi.compute(counts, weights)
    summary = to_contract(counts, results, [period] if period else None, lang)
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"strings_to_formulas": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("CSI")
    sheet.write_row(0, 0, ["period", "segment", "item", "csi / score", "weight", "n"])
    row = 1
    for name, res in summary["periods"].items():
        sheet.write_row(row, 0, [name, "", "", res["csi"], 1, res["responses"]["valid"]])
        row += 1
        for seg, s in res["segments"].items():
            sheet.write_row(row, 0, [name, seg, "", s["csi"], res["segment_weights"][seg], s["valid"]])
            row += 1
            for item, it in s["items"].items():
                sheet.write_row(row, 0, [name, seg, item, it["score"], it["weight"], it["n"]])
                row += 1
    book.close()
    return buf.getvalue()
