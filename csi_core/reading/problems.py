"""What is wrong with an upload, as values: a cell, a reason, a message in two languages."""
from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.utility import xl_col_to_name

from csi_core import i18n


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, a row or a cell.

    ``code`` names the reason (an i18n key ``problem.<code>``); ``row`` is the Excel row
    number (1 = the header row); ``column`` is the Excel letter; ``header`` the column's
    header as written; ``params`` fills the message.
    """

    code: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    header: str = ""
    value: str = ""
    params: tuple[tuple[str, object], ...] = field(default=())

    def where(self, lang: str = "en") -> str:
        """Sheet, row and column as a reader says them."""
        parts = []
        if self.sheet:
            parts.append(i18n.t("where.sheet", lang, sheet=self.sheet))
        if self.row is not None:
            parts.append(i18n.t("where.row", lang, row=self.row))
        if self.column:
            col = f"{self.column} ({self.header})" if self.header else self.column
            parts.append(i18n.t("where.column", lang, column=col))
        return ", ".join(parts)

    def reason(self, lang: str = "en") -> str:
        """What is wrong (or, for a note, what was done), without the place."""
        params = dict(self.params)
        if "role" in params:  # a column's role by its name in the reader's language
            params["role"] = i18n.t(f"upload.role.{params['role']}", lang)
        if "branches" in params:  # branch names; blank is headquarters
            params["branches"] = i18n.join([b or i18n.t("branch.headquarters", lang) for b in params["branches"]], lang)
        key = f"problem.{self.code}" if i18n.has(f"problem.{self.code}") else f"note.{self.code}"
        if i18n.is_plural(key):
            return i18n.tn(key, params["count"], lang, value=self.value, **params)
        return i18n.t(key, lang, value=self.value, **params)

    def message(self, lang: str = "en", filename: str = "") -> str:
        """The whole sentence: file, place, reason and value."""
        reason = self.reason(lang)
        where = self.where(lang)
        prefix = ": ".join(p for p in (filename, where) if p)
        return f"{prefix}: {reason}" if prefix else reason


class WorkbookRefused(Exception):
    """A file that cannot be read as a survey workbook; ``problems`` say why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message() for p in problems))
        self.problems = problems


def column_letter(index: int) -> str:
    """Excel column letters of a 0-based column index (xlsxwriter's own conversion).

    Examples
    --------
    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701), column_letter(16383)
    ('A', 'Z', 'AA', 'ZZ', 'XFD')
    """
    return xl_col_to_name(index)
