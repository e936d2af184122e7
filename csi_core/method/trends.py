"""Series for run charts (推移图) and the falls they flag.

METHOD.md: run charts of the overall score, each item and each customer across periods
show the trend; any fall from the previous period is flagged for analysis. Values are
compared after half-up rounding to one decimal, as they are shown, so float noise is
never a fall; a period without a value (NaN) is skipped and the next one is compared
with the last period that had one.
"""
from __future__ import annotations

import math
from typing import NamedTuple, Sequence

import numpy as np

from csi_core.method.counts import Counts
from csi_core.method.csi import Results, customer_series as _customer_series
from csi_core.method.grades import round_half_up


class Fall(NamedTuple):
    """A value below the previous available one (both rounded half-up to one decimal)."""

    period: str
    previous: float
    value: float
    change: float
    previous_period: str


def total_series(results: Results) -> np.ndarray:
    """The overall CSI (0–100) of every period."""
    return np.asarray(results.total, dtype=float)


def segment_series(results: Results, segment: int | str) -> np.ndarray:
    """One segment's CSI (0–100) of every period; NaN where it had no valid response."""
    s = segment if isinstance(segment, (int, np.integer)) else results.segments.index(segment)
    return np.asarray(results.segment_csi[:, s], dtype=float)


def item_series(results: Results, segment: int | str, item: int | str) -> np.ndarray:
    """One item's score in one segment, in % (0–100); NaN where nobody answered it.

    Examples
    --------
    A score of 0.747 is 74.7 (%); see ``tests/test_trends.py``.
    """
    s = segment if isinstance(segment, (int, np.integer)) else results.segments.index(segment)
    i = item if isinstance(item, (int, np.integer)) else results.items.index(item)
    score = np.where(results.item_n[:, s, i] > 0, results.item_score[:, s, i], np.nan)
    return 100 * np.asarray(score, dtype=float)


def customer_series(counts: Counts, results: Results, customer_index: int) -> np.ndarray:
    """One customer's CSI (0–100) of every period (formula 5); NaN where it returned nothing."""
    return _customer_series(counts, results, customer_index)


def customer_labels(counts: Counts) -> list[str]:
    """A label per customer index: the name, with the segment when a name is in two."""
    names = counts.customers.names
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    return [name if seen[name] == 1 else f"{name} ({counts.segments[counts.customers.segment[c]]})"
            for c, name in enumerate(names)]


def falls(periods: Sequence[str], values: Sequence[float]) -> list[Fall]:
    """Every period whose value is below the previous available one, after rounding.

    Examples
    --------
    >>> falls(["Q1", "Q2", "Q3", "Q4"], [80.0, 79.96, float("nan"), 78.5])
    [Fall(period='Q4', previous=80.0, value=78.5, change=-1.5, previous_period='Q2')]
    """
    out: list[Fall] = []
    last: tuple[str, float] | None = None
    for period, value in zip(periods, values):
        if value is None or math.isnan(value):
            continue
        shown = round_half_up(float(value))
        if last is not None and shown < last[1]:
            out.append(Fall(period, last[1], shown, round_half_up(shown - last[1]), last[0]))
        last = (period, shown)
    return out


def change_from_previous(values: Sequence[float], index: int) -> tuple[int | None, float]:
    """The previous available period's index and the change to ``values[index]`` as shown
    (both rounded half-up to one decimal first); ``(None, nan)`` when there is none.

    Examples
    --------
    >>> change_from_previous([83.14, float("nan"), 84.25], 2)
    (0, 1.2)
    """
    if math.isnan(values[index]):
        return None, math.nan
    for q in range(index - 1, -1, -1):
        if not math.isnan(values[q]):
            return q, round_half_up(round_half_up(values[index]) - round_half_up(values[q]))
    return None, math.nan
