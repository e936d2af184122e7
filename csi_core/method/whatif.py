"""The what-if rules: user weights over the weights in force, the fallback when a
segment's importances are all 0, item contributions, and differences as shown.

    outcome = whatif.compute(counts, base, segments={"民用户": 70, ...}, items={"民用户": {...}})
    outcome.results.total[p]; outcome.kept     # segments whose importances were all 0
    whatif.shown_difference(75.64, 75.36)      # 0.2: 75.6 − 75.4, the numbers on the screen
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csi_core.method import csi
from csi_core.method.counts import Counts
from csi_core.method.csi import Results, Weights
from csi_core.method.grades import item_needs_action, round_half_up


@dataclass(frozen=True)
class WhatIf:
    """What-if results; ``kept`` segments had all their importances at 0 and keep the
    baseline's item weights; ``all_zero``: every segment weight was 0 and ``results`` is
    the baseline (nothing can be computed from such weights)."""

    results: Results
    kept: tuple[str, ...] = ()
    all_zero: bool = False


@dataclass(frozen=True)
class ItemRow:
    """One item of one segment in one period, in percent."""

    item: str
    weight: float  # 0–100
    score: float  # 0–100
    contribution: float  # weight × score / 100, the points it adds to the segment's CSI
    needs_action: bool


def weights(base: Weights, segments: dict[str, float] | None, items: dict[str, dict[str, float]] | None) -> Weights:
    """The user's weights over the baseline: segment sliders replace the baseline's
    segment weights, a segment's item sliders replace that segment's importances.

    Examples
    --------
    >>> w = weights(Weights({"a": 60, "b": 40}, {"a": {"x": 1}}, True), None, {"b": {"x": 2}})
    >>> w.segments, w.items, w.only_where_named
    ({'a': 60, 'b': 40}, {'a': {'x': 1}, 'b': {'x': 2}}, True)
    >>> weights(Weights({"a": 60}, None, True), {"a": 1, "b": 1}, None).only_where_named
    False
    """
    merged = {**(base.items or {}), **(items or {})}
    if segments:
        return Weights(dict(segments), merged or None)
    return Weights(base.segments, merged or None, base.only_where_named)


def compute(counts: Counts, base: Weights, segments: dict[str, float] | None = None,
            items: dict[str, dict[str, float]] | None = None) -> WhatIf:
    """The what-if results. A segment whose user importances add up to 0 keeps the
    baseline's item weights (``kept``); segment weights adding up to 0 give the baseline
    with ``all_zero``. Unknown names raise ``ValueError`` as in ``csi.compute``.
    """
    own = dict(items or {})
    kept: list[str] = []
    while True:
        try:
            return WhatIf(csi.compute(counts, weights(base, segments, own)), tuple(kept))
        except csi.ZeroWeights as exc:
            if exc.segment is None:
                return WhatIf(csi.compute(counts, base), tuple(kept), all_zero=True)
            if exc.segment not in own:
                raise
            kept.append(exc.segment)
            del own[exc.segment]


def item_rows(res: Results, p: int, s: int) -> list[ItemRow]:
    """The answered items of segment ``s`` in period ``p``: weight, score, contribution.

    Examples
    --------
    See ``tests/test_whatif.py``.
    """
    rows = []
    for i in np.flatnonzero(res.item_n[p, s] > 0):
        weight, score = 100 * float(res.item_weight[p, s, i]), 100 * float(res.item_score[p, s, i])
        rows.append(ItemRow(res.items[i], weight, score, weight * score / 100, item_needs_action(score / 100)))
    return rows


def shown_difference(value: float, baseline: float, digits: int = 1) -> float:
    """The difference of two numbers as they are shown (each rounded half-up first), so
    75.64 beside 75.36 differ by 0.2 on the screen and in the sentence.

    Examples
    --------
    >>> shown_difference(75.64, 75.36), shown_difference(75.56, 75.45)
    (0.2, 0.1)
    >>> shown_difference(80.05, 80.0)
    0.1
    """
    return round_half_up(round_half_up(value, digits) - round_half_up(baseline, digits), digits)


def start_importances(res: Results, p: int, s: int, company: dict[str, float] | None = None) -> dict[str, int]:
    """Where a segment's item sliders start: the company importances as whole percentages
    of their sum when set, else the survey's item weights (%), half-up to whole points.

    Examples
    --------
    See ``tests/test_whatif.py``.
    """
    answered = [i for i in np.flatnonzero(res.item_n[p, s] > 0)]
    if company:
        total = sum(company.get(res.items[i], 0.0) for i in answered) or 1.0
        return {res.items[i]: int(round_half_up(100 * company.get(res.items[i], 0.0) / total, 0)) for i in answered}
    return {res.items[i]: int(round_half_up(100 * float(res.item_weight[p, s, i]), 0)) for i in answered}
