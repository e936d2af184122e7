"""Tables as CSV for a spreadsheet: UTF-8 with a byte-order mark, CRLF line ends, and
every text cell defused against formula injection.
"""
from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """A cell as written to CSV: text that a spreadsheet would run as a formula gets a
    leading ``'`` (formula injection); everything else unchanged.

    Examples
    --------
    >>> defuse("=HYPERLINK(\\"http://x\\")"), defuse("-1+2"), defuse("很好"), defuse(-3)
    ('\\'=HYPERLINK("http://x")', "'-1+2", '很好', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def undefuse(value):
    """The text a user meant in a defused cell shown for editing: the leading ``'`` that
    :func:`defuse` added comes off again (a typed ``'=x`` is read as ``=x`` too).

    >>> undefuse("'=SUM(A1)"), undefuse("'quoted"), undefuse("=x"), undefuse(None)
    ('=SUM(A1)', "'quoted", '=x', None)
    """
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def undefused_edits(shown: pd.DataFrame, edited_rows: dict, columns) -> tuple[pd.DataFrame, dict]:
    """A table editor's rows and edits as meant: ``columns`` were shown defused.

    >>> shown = pd.DataFrame({"cause": ["'=1+2", "ok"]})
    >>> rows, edits = undefused_edits(shown, {1: {"cause": "'-x"}}, ["cause"])
    >>> rows.cause.tolist(), edits
    (['=1+2', 'ok'], {1: {'cause': '-x'}})
    """
    rows = shown.assign(**{c: shown[c].map(undefuse) for c in columns})
    edits = {row: {k: undefuse(v) if k in columns else v for k, v in changes.items()}
             for row, changes in edited_rows.items()}
    return rows, edits


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with a byte-order mark (Excel then reads Chinese right), every
    text cell and header defused."""
    safe = table.rename(columns=lambda c: defuse(str(c)))
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(defuse)
    # CRLF line ends (RFC 4180): a cell holding a bare CR or LF is then quoted, never split
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
