"""How numbers and states look, on the pages and in every report format: one formatter for
each kind of number, one colour table.

Scores are rounded half-up (METHOD.md) before they are shown, so a screen and a report
never show 84.25 as 84.2. A missing value is a dash. A change carries the ASCII minus
(``-0.4``): Streamlit colours a metric's delta red by that sign, and a PDF's text search
finds it.
"""
from __future__ import annotations

import math

import pandas as pd

from csi_core.method.grades import grade_of, round_half_up

DASH = "—"
RED, GREEN, AMBER, GREY, NAVY = "#c92a2a", "#1a7f37", "#b7791f", "#8a94a3", "#1f3a5f"
# A verification verdict's colour: good green, bad red, "not in the next survey" amber
# (it needs a look: the action could not be checked), still waiting grey.
VERDICT_COLORS = {"improved": GREEN, "resolved": GREEN, "not_improved": RED, "not_measured": AMBER,
                  "pending": GREY}


def missing(value) -> bool:
    """None, NaN, NaT, pd.NA — but not text, flags or lists.

    Examples
    --------
    >>> missing(None), missing(float("nan")), missing(pd.NaT), missing(""), missing(0)
    (True, True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, (str, bool, list, tuple)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def num(value, digits: int = 1, suffix: str = "") -> str:
    """A number as shown: half-up to ``digits`` decimals, a dash when missing.

    Examples
    --------
    >>> num(84.25), num(float("nan")), num(0.5, suffix=" %"), num(-0.05)
    ('84.3', '—', '0.5 %', '-0.1')
    """
    if missing(value):
        return DASH
    return f"{round_half_up(float(value), digits):.{digits}f}{suffix}"


def pct(fraction) -> str:
    """A 0–1 share as a percentage with one decimal.

    Examples
    --------
    >>> pct(0.7465), pct(None)
    ('74.7 %', '—')
    """
    return DASH if missing(fraction) else num(100 * float(fraction), 1, " %")


def delta(value) -> str:
    """A change with its sign, rounded half-up to one decimal: +1.2, -0.4, ±0.0.

    Examples
    --------
    >>> delta(1.25), delta(-0.35), delta(0.04), delta(float("nan"))
    ('+1.3', '-0.4', '±0.0', '—')
    """
    if missing(value):
        return DASH
    rounded = round_half_up(float(value))
    return "±0.0" if rounded == 0 else f"{rounded:+.1f}"


def count(value) -> str:
    """A whole number, a dash when missing."""
    return DASH if missing(value) else str(int(value))


def text(value) -> str:
    """A cell as text; empty for a missing value."""
    return "" if missing(value) else str(value)


def day(value) -> str:
    """A date as ``2026-06-30``; empty for a missing one."""
    return "" if missing(value) else str(value)[:10]


def grade_color(value) -> str:
    """The colour of the grade band of a CSI (0–100); grey when missing."""
    return GREY if missing(value) else grade_of(float(value)).color


def verdict_color(verdict: str) -> str:
    """The colour of a verification verdict (:data:`VERDICT_COLORS`)."""
    return VERDICT_COLORS.get(verdict, GREY)


def rgb(color: str) -> tuple[int, int, int]:
    """``#c92a2a`` → ``(201, 42, 42)``."""
    color = color.lstrip("#")
    return tuple(int(color[k:k + 2], 16) for k in (0, 2, 4))  # type: ignore[return-value]


def is_nan(value) -> bool:
    """A float NaN (not None, not text)."""
    return isinstance(value, float) and math.isnan(value)
