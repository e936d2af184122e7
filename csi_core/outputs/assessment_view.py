"""The annual assessment (第二十八、二十九条) as display text, the same on the 投诉 page,
in the HTML and the PDF report: one row per unit — the four aspects, then where the
points come from and the points. The Excel sheet writes the same columns as numbers."""
from __future__ import annotations

import pandas as pd

from csi_core import i18n
from csi_core.method import assessment as am
from csi_core.outputs import formats as fm

# (column of method.assessment.assessment, how it is shown)
COLUMNS = (("unit", "text"), ("work", "num"), ("effect", "num"), ("rating", "num"), ("complaints", "int"),
           ("valid", "int"), ("closed_share", "pct"), ("days_median", "num"), ("achievement", "points"),
           ("awards", "int"), ("award", "points"), ("bonus", "points"), ("major_logged", "int"),
           ("major_entered", "int"), ("deduction", "minus"), ("net", "points"))


def signed(value) -> str:
    """Points with their sign: +1.5, -0.5, 0; a dash when missing.

    >>> signed(1.5), signed(-2.0), signed(0.0), signed(0.25), signed(None)
    ('+1.5', '-2', '0', '+0.25', '—')
    """
    if fm.missing(value):
        return fm.DASH
    value = round(float(value), 2)
    return "0" if value == 0 else f"{value:+g}"


def cell(value, kind: str) -> str:
    """One cell of the table as text."""
    if kind == "text":
        return fm.text(value)
    if kind == "int":
        return fm.count(value)
    if kind == "pct":
        return fm.pct(value)
    if kind == "points":
        return signed(value)
    if kind == "minus":
        return signed(-float(value)) if not fm.missing(value) else fm.DASH
    return fm.num(value)


def header(lang: str) -> list[str]:
    return [i18n.t(f"assessment.col.{name}", lang) for name, _ in COLUMNS]


def rows(table: pd.DataFrame) -> list[list[str]]:
    """The assessment of :func:`csi_core.method.assessment.assessment` as rows of text."""
    return [[cell(row[name], kind) for name, kind in COLUMNS] for row in table.to_dict("records")]


def display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The assessment as the page shows it (headers in the language)."""
    return pd.DataFrame(rows(table), columns=header(lang))


def entries_display(entries: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The recorded entries as shown: id, unit, kind in words, points, note, who, when."""
    names = ("id", "unit", "kind", "points", "note", "who", "created_at")
    out = [[str(int(e["id"])), fm.text(e["unit"]), i18n.t(f"assessment.kind.{e['kind']}", lang)
            if e["kind"] in am.KINDS else fm.text(e["kind"]),
            fm.num(e["points"]) if e["kind"] in am.SCORED else signed(-e["points"] if e["kind"] == "deduction"
                                                                       else e["points"]),
            fm.text(e["note"]), fm.text(e["who"]), fm.text(e["created_at"])[:16]]
           for e in entries.to_dict("records")]
    return pd.DataFrame(out, columns=[i18n.t(f"assessment.entry.{n}", lang) for n in names])


def rule_text(lang: str) -> str:
    """第二十九条 in one sentence (under the table, in the reports)."""
    return i18n.t("assessment.rule", lang)
