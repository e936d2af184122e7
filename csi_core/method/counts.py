"""The small count arrays every score comes from.

The store aggregates once per import; a weight change is then pure numpy over these
arrays — a few thousand numbers, whatever the number of stored responses.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CustomerCounts:
    """Answers per (period, customer, item) as sparse rows.

    A customer is a (segment, name) pair: ``names[c]`` and ``segment[c]`` (segment
    index). Row *r* holds the counts per code ``counts[r]`` of customer ``c[r]`` for
    item ``i[r]`` in period ``p[r]``. ``valid`` rows are (period, customer, valid
    questionnaires).
    """

    names: tuple[str, ...]
    segment: np.ndarray
    p: np.ndarray
    c: np.ndarray
    i: np.ndarray
    counts: np.ndarray
    valid: np.ndarray  # [rows, 3]: period, customer, n

    def valid_in(self, period: int) -> dict[int, int]:
        """Valid questionnaires per customer index in a period."""
        rows = self.valid[self.valid[:, 0] == period]
        return dict(zip(rows[:, 1].tolist(), rows[:, 2].tolist()))


@dataclass(frozen=True)
class CrossSums:
    """Per-questionnaire sums behind the intervals, per (period, segment, item, item).

    Over the valid questionnaires *r* of a (period, segment), with ``a_ri`` = 1 when *r*
    answered item *i* and ``x_ri`` its coefficient on ``scale``:
    ``aa = Σ_r a_ri a_rj``, ``xa = Σ_r a_ri a_rj x_ri``, ``xx = Σ_r a_ri a_rj x_ri x_rj``
    (each [P, S, I, I]). From them the variance of a segment CSI follows for any item
    weights (:mod:`csi_core.method.intervals`). ``known[p, s]`` is False where the sums
    were taken on another scale than ``scale`` (or are missing): no interval there.
    """

    aa: np.ndarray
    xa: np.ndarray
    xx: np.ndarray
    known: np.ndarray
    scale: str = "default"


@dataclass(frozen=True)
class Questionnaires:
    """One period's valid questionnaires as a dense matrix, read on demand (customer
    intervals, relative weights). ``codes[r, i]`` is the answer code of item *i* in the
    order of ``Counts.items`` (-1 not answered); ``segment``/``customer`` are indices into
    ``Counts.segments`` / ``Counts.customers.names`` (-1 none); ``overall`` the code of the
    optional overall-satisfaction column (-1 none); ``response_id`` the stored ids.
    """

    period: str
    codes: np.ndarray
    segment: np.ndarray
    customer: np.ndarray
    overall: np.ndarray
    response_id: np.ndarray


@dataclass(frozen=True)
class Counts:
    """Everything the formulas need, indexed [period, segment, item, code].

    ``answers[p, s, i, k]`` — valid answers with code *k*; ``ticks[p, s, i]`` — focus
    ticks by valid questionnaires; ``returned``/``valid`` [p, s] — questionnaires;
    ``in_period[p, i]`` — the item was a column of that period's file; ``sent`` [p]
    and ``sent_segment`` [p, s] — questionnaires sent out (NaN when unknown).
    ``branch`` — whose arrays these are: ``None`` the whole company, else one branch's
    ("" = headquarters).
    """

    periods: tuple[str, ...]
    segments: tuple[str, ...]
    items: tuple[str, ...]
    answers: np.ndarray
    ticks: np.ndarray
    returned: np.ndarray
    valid: np.ndarray
    in_period: np.ndarray
    sent: np.ndarray
    sent_segment: np.ndarray
    customers: CustomerCounts
    scale: str = "default"
    cross: CrossSums | None = None
    branch: str | None = None  # None: the whole company; a branch's name ("" = headquarters)

    @property
    def empty(self) -> bool:
        return len(self.periods) == 0

    def period_index(self, period: str) -> int:
        """Index of a period; ``KeyError`` names the stored ones."""
        try:
            return self.periods.index(period)
        except ValueError:
            raise KeyError(f"period {period!r} not stored; stored: {', '.join(self.periods)}") from None
