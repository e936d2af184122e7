"""Half-up rounding, grade bands and the action thresholds of METHOD.md.

Scores are rounded half-up to one decimal *before* any band or threshold is applied:
97.95 is 98.0 (very satisfied), 79.95 is 80.0 (no review), 70.04 is 70.0 (action).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Grade:
    """One band: its key (CONTRACTS.md; its name is the string ``grade.<key>``), lowest
    rounded CSI and colour."""

    key: str
    lowest: float
    color: str


# Highest first; a rounded CSI belongs to the first band whose lowest it reaches.
GRADES: tuple[Grade, ...] = (
    Grade("very_satisfied", 98.0, "#1a7f37"),
    Grade("satisfied", 90.1, "#4c9a2a"),
    Grade("fairly_satisfied", 75.1, "#b58900"),
    Grade("dissatisfied", 60.0, "#d9480f"),
    Grade("very_dissatisfied", -math.inf, "#c92a2a"),
)
GRADE_BY_KEY = {g.key: g for g in GRADES}

ITEM_ACTION_MAX = 70.0  # an item at or below 70 % needs a corrective action
CSI_REVIEW_BELOW = 80.0  # overall or customer CSI below 80 needs a review


def round_half_up(value: float, digits: int = 1) -> float:
    """Round half away from zero to ``digits`` decimals, as people do on paper.

    Float noise is removed first (to 9 decimals), so 70.05 stored as
    70.04999999999 still rounds to 70.1.

    Examples
    --------
    >>> round_half_up(97.95), round_half_up(90.05), round_half_up(70.04), round_half_up(0.7005 * 100)
    (98.0, 90.1, 70.0, 70.1)
    """
    if value is None or math.isnan(value):
        return math.nan
    exact = Decimal(repr(round(float(value), 9)))
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def grade_of(csi: float) -> Grade:
    """The band of a CSI (0–100), after half-up rounding to one decimal.

    Examples
    --------
    >>> grade_of(97.95).key, grade_of(97.94).key, grade_of(75.05).key, grade_of(59.95).key
    ('very_satisfied', 'satisfied', 'fairly_satisfied', 'dissatisfied')
    """
    rounded = round_half_up(csi)
    if math.isnan(rounded):
        raise ValueError("a CSI that is not a number has no grade")
    return next(g for g in GRADES if rounded >= g.lowest)


def item_needs_action(score: float) -> bool:
    """True when an item score (0–1) is at or below 70 % after rounding.

    Examples
    --------
    >>> item_needs_action(0.7004), item_needs_action(0.7005)
    (True, False)
    """
    return not math.isnan(score) and round_half_up(100 * score) <= ITEM_ACTION_MAX


def csi_needs_review(csi: float) -> bool:
    """True when an overall or customer CSI is below 80 after rounding.

    Examples
    --------
    >>> csi_needs_review(79.94), csi_needs_review(79.95)
    (True, False)
    """
    return not math.isnan(csi) and round_half_up(csi) < CSI_REVIEW_BELOW


def grade_a(csi: float) -> bool:
    """Grade A (customer satisfied): CSI of 80 or more after rounding."""
    return not math.isnan(csi) and round_half_up(csi) >= CSI_REVIEW_BELOW
