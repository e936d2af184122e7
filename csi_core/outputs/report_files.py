"""The report's files by format: which formats there are, the format a file name asks
for, and the bytes of each (the command line's ``report --out`` and the report page).
"""
from __future__ import annotations

from pathlib import PurePath

from csi_core.outputs import report_html, report_pdf, report_xlsx
from csi_core.outputs.report import MeetingReport

FORMATS = ("xlsx", "pdf", "html")
MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf",
        "html": "text/html"}


def format_of(path: str) -> str | None:
    """The format a file name's extension names (case-insensitively), None for any other.

    Examples
    --------
    >>> format_of("r.PDF"), format_of("out/report.xlsx"), format_of("r.htm"), format_of("r.csv")
    ('pdf', 'xlsx', None, None)
    """
    ext = PurePath(path).suffix.lower().lstrip(".")
    return ext if ext in FORMATS else None


def make(rep: MeetingReport, fmt: str, appendix: bool = False) -> bytes:
    """The report as ``fmt`` (one of :data:`FORMATS`); ``appendix`` is the PDF's (Excel and
    HTML always hold everything)."""
    if fmt == "xlsx":
        return report_xlsx.write(rep)
    if fmt == "pdf":
        return report_pdf.write(rep, appendix=appendix)
    if fmt == "html":
        return report_html.write(rep).encode("utf-8")
    raise ValueError(f"unknown report format {fmt!r}; known: {', '.join(FORMATS)}")
