"""Grade margin: how far the segment weights are from changing the total's grade.

Moving ``d`` percentage points of weight from segment *a* to segment *b* changes the
total by ``d/100 · (CSI_b − CSI_a)``. The margin is the smallest such move (on a grid of
0.1 point, at most *a*'s whole weight) after which the total, rounded half-up to one
decimal, falls in another grade band; None when no move changes it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from csi_core.method.grades import GRADES, grade_of

STEP = 0.1  # points of weight


@dataclass(frozen=True)
class Margin:
    """Move ``points`` of weight from segment ``source`` to ``target``: the grade becomes ``grade``."""

    points: float
    source: str
    target: str
    grade: str  # the grade key after the move
    total: float  # the total after the move


def _needed(total: float, delta: float) -> float:
    """Points of weight (per 100) that take ``total`` past the nearest band edge in the
    direction of ``delta`` (CSI difference target − source)."""
    rounded_low = grade_of(total).lowest
    if delta > 0:
        higher = [g.lowest for g in GRADES if g.lowest > rounded_low]
        return math.inf if not higher else (min(higher) - 0.05 - total) * 100 / delta
    if math.isinf(rounded_low):
        return math.inf
    return (total - (rounded_low - 0.05)) * 100 / -delta


def grade_margin(segments: Sequence[str], csi: Sequence[float], weights: Sequence[float]) -> Margin | None:
    """The smallest weight move between two segments that changes the total's grade.

    ``csi`` per segment (NaN: absent), ``weights`` as used (sum 1 over those present).

    Examples
    --------
    50 : 50 of 80 and 70 is 75.0 (dissatisfied); 0.5 point to the first makes 75.05, which
    rounds to 75.1 (fairly satisfied):

    >>> m = grade_margin(["a", "b"], [80.0, 70.0], [0.5, 0.5])
    >>> m.points, m.source, m.target, m.grade
    (0.5, 'b', 'a', 'fairly_satisfied')
    >>> grade_margin(["a", "b"], [80.0, 80.0], [0.5, 0.5]) is None
    True
    """
    csi = np.asarray(csi, dtype=float)
    w = np.asarray(weights, dtype=float)
    present = ~np.isnan(csi)
    if not present.any():
        return None
    total = float(np.sum(w[present] * csi[present]))
    now = grade_of(total).key
    best: Margin | None = None
    for a in np.flatnonzero(present & (w > 0)):
        for b in np.flatnonzero(present):
            delta = csi[b] - csi[a]
            if a == b or delta == 0:
                continue
            found = _smallest_move(total, delta, 100 * w[a], now)
            if found is not None and (best is None or found[0] < best.points):
                best = Margin(found[0], segments[a], segments[b], found[1], found[2])
    return best


def _smallest_move(total: float, delta: float, available: float, now: str):
    """(points, grade, total) of the smallest grid move that changes the grade, or None."""
    needed = _needed(total, delta)
    if math.isinf(needed):
        return None
    points = max(STEP, math.ceil(round(needed / STEP, 6)) * STEP)
    for _ in range(3):  # float noise at the edge: the next grid point settles it
        if points > available + 1e-9:
            return None
        moved = total + points / 100 * delta
        if grade_of(moved).key != now:
            return round(points, 1), grade_of(moved).key, moved
        points += STEP
    return None
