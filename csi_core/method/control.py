"""Control limits on run charts: the individuals (XmR) chart.

Over the periods up to and including the one shown (periods without a value skipped):
centre = their mean, ``MR̄`` = mean absolute difference of consecutive ones, limits =
centre ± 2.66·MR̄. A point outside the limits is a signal, and so is a run of 8
consecutive points on one side of the centre (a point on the centre ends a run).
With fewer than 5 periods there are no limits.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

XMR_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two
MIN_PERIODS = 5
RUN_LENGTH = 8
SIGNALS = ("outside", "run")


@dataclass(frozen=True)
class Control:
    """XmR limits as of one period, and the signal of that period's point."""

    centre: float
    lcl: float
    ucl: float
    mr_bar: float
    periods: int  # how many periods the limits come from
    signal: str | None  # "outside", "run" or None


def _known(values: Sequence[float], upto: int) -> np.ndarray:
    v = np.asarray(values[: upto + 1], dtype=float)
    return v[~np.isnan(v)]


def control(values: Sequence[float], index: int) -> Control | None:
    """The limits from the periods up to ``index`` and the signal of ``values[index]``;
    None when that value is missing or fewer than 5 periods have one.

    Examples
    --------
    >>> c = control([80, 82, 81, 79, 83], 4)
    >>> c.centre, c.mr_bar, round(c.lcl, 3), round(c.ucl, 3), c.signal
    (81.0, 2.25, 75.015, 86.985, None)
    >>> control([80, 82, 81, 79], 3) is None
    True
    """
    if math.isnan(float(values[index])):
        return None
    v = _known(values, index)
    if len(v) < MIN_PERIODS:
        return None
    centre = float(v.mean())
    mr_bar = float(np.abs(np.diff(v)).mean())
    lcl, ucl = centre - XMR_FACTOR * mr_bar, centre + XMR_FACTOR * mr_bar
    last = v[-RUN_LENGTH:]
    if v[-1] > ucl or v[-1] < lcl:
        signal = "outside"
    elif len(last) == RUN_LENGTH and ((last > centre).all() or (last < centre).all()):
        signal = "run"
    else:
        signal = None
    return Control(centre, lcl, ucl, mr_bar, len(v), signal)


def signals(values: Sequence[float], limits: Control) -> list[str | None]:
    """Per period, the signal against one set of limits (those of the last period shown):
    "outside", "run" (the 8th and later points of a run on one side), or None.

    Examples
    --------
    >>> c = Control(50.0, 40.0, 60.0, 3.76, 9, None)
    >>> signals([61, 51, 52, 53, 54, 55, 56, 57, 58, 50, float("nan")], c)
    ['outside', None, None, None, None, None, None, 'run', 'run', None, None]
    """
    out: list[str | None] = []
    side, run = 0, 0
    for value in values:
        value = float(value)
        if math.isnan(value):
            out.append(None)
            continue
        here = (value > limits.centre) - (value < limits.centre)
        run = run + 1 if here != 0 and here == side else (1 if here != 0 else 0)
        side = here
        if value > limits.ucl or value < limits.lcl:
            out.append("outside")
        elif run >= RUN_LENGTH:
            out.append("run")
        else:
            out.append(None)
    return out
