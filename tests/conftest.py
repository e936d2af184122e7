"""Shared fixtures: a fresh in-memory store, closed after; workbook builders."""
from __future__ import annotations

import io
import os

import pytest
import xlsxwriter

from csi_core.store.db import Store

# i18n.t raises on an unknown language, an unknown key or a missing placeholder (the app
# logs and falls back instead); servers the browser tests start inherit it
os.environ["CSI_STRICT_I18N"] = "1"


@pytest.fixture
def store():
    s = Store.open(":memory:")
    yield s
    s.close()


def xlsx(rows: list[list], sheet: str = "responses", extra: dict[str, list[list]] | None = None) -> bytes:
    """A workbook's bytes: ``rows`` (header first) on ``sheet``, other sheets from ``extra``."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"strings_to_numbers": False, "strings_to_formulas": False, "in_memory": True})
    for name, table in {sheet: rows, **(extra or {})}.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    book.close()
    return buf.getvalue()


@pytest.fixture
def make_xlsx():
    return xlsx
