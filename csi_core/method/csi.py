"""The formulas of METHOD.md on count arrays (numpy).

1. item score  s_i = Σ_k (n_ik / n_i) · c_k                     :func:`item_scores`
2. item weight w_i = f_i / Σ_j f_j (focus ticks; equal if none)  :func:`item_weights`
3. segment CSI  CSI_s = 100 · Σ_i w_i · s_i                      :func:`compute`
4. total CSI    CSI = Σ_s W_s · CSI_s                            :func:`compute`
5. customer CSI with the segment's item weights, renormalised
   over the items the customer answered                        :func:`customer_csi`
6. satisfaction rate: level 5 and 4 among answered             :func:`compute`
Items nobody answered and segments without a valid questionnaire are dropped and the
rest renormalised; every such step is written into ``notes``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from csi_core.method.counts import Counts
from csi_core.reading.scales import Scale, get_scale, name_key

ALL_SEGMENTS = "*"
MAX_WEIGHT = 1e9  # weights are relative; anything larger is a typo (and 1e308 would overflow)


class ZeroWeights(ValueError):
    """Weights that add up to 0: of the segments (``segment`` None) or of the items of
    ``segment``. Nothing can be computed from them, so nothing is guessed."""

    def __init__(self, segment: str | None = None):
        self.segment = segment
        super().__init__("segment weights add up to 0" if segment is None
                         else f"the item importances of {segment!r} add up to 0")


@dataclass(frozen=True)
class Note:
    """Something the computation did that a reader must know (an i18n key ``calc.*``)."""

    key: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Weights:
    """User weights: segment weights (权重1) and item importances (override of 权重2).

    ``segments`` maps segment → weight (any positive scale, normalised); ``None``
    means the company default or, without one, equal weights. ``items`` maps
    segment (or ``"*"`` for every segment) → item → importance; ``None`` uses the
    focus-question weights.
    """

    segments: dict[str, float] | None = None
    items: dict[str, dict[str, float]] | None = None
    # company weights apply only to the segments they were set for: a period with a
    # segment they do not name is weighted equally (noted), never with that segment at 0
    only_where_named: bool = False


@dataclass(frozen=True)
class Results:
    """Every score of every period, as arrays; see :func:`compute`."""

    periods: tuple[str, ...]
    segments: tuple[str, ...]
    items: tuple[str, ...]
    item_n: np.ndarray  # [P, S, I] answers
    item_score: np.ndarray  # [P, S, I] 0–1, NaN if unanswered
    item_weight: np.ndarray  # [P, S, I] sums to 1 over answered items
    item_satisfied: np.ndarray  # [P, S, I] satisfaction rate 0–1
    segment_csi: np.ndarray  # [P, S] 0–100, NaN if no valid response
    segment_weight: np.ndarray  # [P, S] as used, sums to 1 over present segments
    segment_satisfied: np.ndarray  # [P, S]
    total: np.ndarray  # [P] 0–100
    satisfied: np.ndarray  # [P] satisfaction rate over all answers
    returned: np.ndarray  # [P, S]
    valid: np.ndarray  # [P, S]
    focus_based: np.ndarray  # [P, S] True when weights come from focus ticks
    notes: tuple[Note, ...] = field(default=())

    def period_index(self, period: str) -> int:
        return self.periods.index(period)


def item_scores(level_counts: np.ndarray, coefficients: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean coefficient of answers per item, and the number answered (formula 1).

    ``level_counts[..., k]`` counts answers with code *k*; NaN where nobody answered.

    Examples
    --------
    >>> counts = np.array([0, 1, 2, 23, 56, 18])   # codes 0..5: 18 / 56 / 23 / 2 / 1 at levels 5…1
    >>> score, n = item_scores(counts, np.array([0, 0.0, 0.2, 0.5, 0.8, 1.0]))
    >>> round(float(score), 12), int(n)
    (0.747, 100)
    """
    n = level_counts.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (level_counts @ coefficients[: level_counts.shape[-1]]) / n
    return np.where(n > 0, score, np.nan), n


def normalise(values: np.ndarray, mask: np.ndarray, axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """``values`` over ``mask`` scaled to sum 1 along ``axis``; equal where they sum to 0.

    Returns the weights and a boolean telling where the equal fallback was used.

    Examples
    --------
    >>> w, equal = normalise(np.array([38, 22, 10, 2, 3, 15, 2, 3, 5.]), np.ones(9, bool))
    >>> w[:2].tolist(), bool(equal)
    ([0.38, 0.22], False)
    """
    masked = np.where(mask, np.clip(values, 0, None), 0.0).astype(np.float64)
    total = masked.sum(axis=axis, keepdims=True)
    equal = (total == 0)
    fallback = mask.astype(np.float64)
    fallback_total = fallback.sum(axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = np.where(equal, fallback / fallback_total, masked / total)
    return np.nan_to_num(weights), np.squeeze(equal, axis=axis)


def item_weights(ticks: np.ndarray, answered: np.ndarray, override: np.ndarray | None = None):
    """Item weights (formula 2) from focus ticks or user importances, over answered items.

    Examples
    --------
    >>> w, equal = item_weights(np.array([3, 1, 0]), np.array([True, True, True]))
    >>> w.tolist(), bool(equal)
    ([0.75, 0.25, 0.0], False)
    >>> item_weights(np.array([3, 1, 0]), np.array([False, True, True]))[0].tolist()
    [0.0, 1.0, 0.0]
    """
    return normalise(ticks if override is None else override, answered)


def _scale_of(counts: Counts, scale: str | Scale | None) -> Scale:
    """The scale asked for, else the one the stored answers were read with."""
    return scale if isinstance(scale, Scale) else get_scale(scale or counts.scale)


def _coefficients(scale: Scale, size: int) -> np.ndarray:
    """The scale's coefficients indexed by answer code, for count arrays ``size`` codes wide."""
    coef = np.zeros(size)
    coef[: len(scale.coef)] = scale.coef[:size]
    return coef


def compute(counts: Counts, weights: Weights = Weights(), scale: str | Scale | None = None) -> Results:
    """All scores of all periods from the count arrays and the weights in force.

    ``ValueError`` for a weight that names a segment or item that is not stored.
    """
    scale = _scale_of(counts, scale)
    coef = _coefficients(scale, counts.answers.shape[-1])
    score, n = item_scores(counts.answers, coef)
    satisfied_codes = np.zeros(counts.answers.shape[-1], bool)
    satisfied_codes[scale.satisfied_min:scale.max_code + 1] = True
    answered = n > 0
    importances, notes = _item_overrides(counts, weights.items)
    w, equal = item_weights(counts.ticks, answered, importances)
    with np.errstate(invalid="ignore"):
        seg_csi = 100 * np.where(answered, w * np.nan_to_num(score), 0).sum(axis=-1)
        seg_sat = counts.answers[..., satisfied_codes].sum(axis=(-1, -2)) / n.sum(axis=-1)
        item_sat = counts.answers[..., satisfied_codes].sum(axis=-1) / n
        period_sat = counts.answers[..., satisfied_codes].sum(axis=(1, 2, 3)) / n.sum(axis=(1, 2))
    present = answered.any(axis=-1) & (counts.valid > 0)
    seg_csi = np.where(present, seg_csi, np.nan)
    seg_w, seg_notes = segment_weights(counts, weights.segments, present, weights.only_where_named)
    total = np.where(seg_w.sum(axis=1) > 0, np.sum(seg_w * np.nan_to_num(seg_csi), axis=1), np.nan)
    notes += seg_notes + _drop_notes(counts, answered, present, equal, importances is None)
    return Results(counts.periods, counts.segments, counts.items, n, score, w, item_sat, seg_csi, seg_w,
                   np.where(present, seg_sat, np.nan), total, period_sat, counts.returned, counts.valid,
                   ~equal & (importances is None), tuple(notes))


def stored_segment_weights(counts: Counts, given: dict | None) -> dict[str, float] | None:
    """A saved weight setting, kept to the segments stored now (a setting may name a
    segment since replaced or renamed); ``None`` (equal weights) when nothing usable is left.

    Examples
    --------
    >>> from csi_core.method.counts import Counts
    >>> c = Counts((), ("民用户", "工商业户"), (), *([None] * 7), None)
    >>> stored_segment_weights(c, {"民用户": 70, " 工商业户 ": "30", "旧类型": 5, "x": "abc"})
    {'民用户': 70.0, '工商业户': 30.0}
    """
    known = {name_key(s): s for s in counts.segments}
    usable = {}
    for name, value in (given or {}).items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if name_key(name) in known and np.isfinite(number) and number >= 0:
            usable[known[name_key(name)]] = number
    return usable if usable and sum(usable.values()) > 0 else None


def segment_weights(counts: Counts, given: dict[str, float] | None, present: np.ndarray,
                    only_where_named: bool = False):
    """Segment weights (权重1) per period, renormalised over segments present (formula 4).

    With ``only_where_named`` (company weights) a period holding a segment ``given``
    does not name is weighted equally, and a note names the segments it lacks.
    """
    notes: list[Note] = []
    if not given:
        values = np.ones(len(counts.segments))
        if len(counts.segments) > 1:
            notes.append(Note("equal_segment_weights"))
    else:
        keys = {name_key(k): float(v) for k, v in given.items()}
        known = {name_key(s) for s in counts.segments}
        unknown = [k for k in given if name_key(k) not in known]
        if unknown:
            raise ValueError(f"unknown segment {unknown[0]!r}; segments: {', '.join(counts.segments)}")
        if any(not 0 <= v <= MAX_WEIGHT for v in keys.values()):
            raise ValueError(f"segment weights must be numbers from 0 to {MAX_WEIGHT:g}")
        values = np.array([keys.get(name_key(s), 0.0) for s in counts.segments])
        if values.sum() == 0:
            raise ZeroWeights()
    matrix = np.broadcast_to(values, present.shape).copy()
    # a period whose segments all lack a weight (new segments after the weights were set):
    # equal weights there, as for weights not given at all, and the notes say so
    orphan = present.any(axis=1) & ~(present & (matrix > 0)).any(axis=1)
    if given and only_where_named:
        named = np.array([name_key(s) in keys for s in counts.segments], bool)
        unnamed = present & ~named
        for p in np.flatnonzero(unnamed.any(axis=1) & ~orphan):  # an orphan period has its own note
            notes.append(Note("period_unnamed_segments", (
                ("period", counts.periods[p]),
                ("segments", ", ".join(counts.segments[s] for s in np.flatnonzero(unnamed[p]))))))
        matrix[unnamed.any(axis=1)] = 1.0
    matrix[orphan] = 1.0
    usable = present & (matrix > 0)
    if given:
        for p, s in zip(*np.nonzero(present & ~orphan[:, None] & (matrix == 0))):
            notes.append(Note("segment_without_weight",
                              (("period", counts.periods[p]), ("segment", counts.segments[s]))))
        notes += [Note("period_equal_segment_weights", (("period", counts.periods[p]),))
                  for p in np.flatnonzero(orphan)]
    w, _ = normalise(matrix, usable)
    return np.where(usable.any(axis=1, keepdims=True), w, 0.0), notes


def _item_overrides(counts: Counts, items: dict[str, dict[str, float]] | None):
    """User importances as a [P, S, I] array, or None to use focus ticks."""
    if not items:
        return None, []
    notes: list[Note] = []
    item_key = {name_key(n): j for j, n in enumerate(counts.items)}
    seg_key = {name_key(s): k for k, s in enumerate(counts.segments)}
    table = np.full((len(counts.segments), len(counts.items)), np.nan)
    for segment, importances in items.items():
        rows = range(len(counts.segments)) if segment == ALL_SEGMENTS else [seg_key.get(name_key(segment))]
        if None in rows:
            raise ValueError(f"unknown segment {segment!r}; segments: {', '.join(counts.segments)}")
        for name, value in importances.items():
            if name_key(name) not in item_key:
                raise ValueError(f"unknown item {name!r}; items: {', '.join(counts.items)}")
            if not 0 <= float(value) <= MAX_WEIGHT:
                raise ValueError(f"the importance of {name!r} must be a number from 0 to {MAX_WEIGHT:g}")
            for s in rows:
                table[s, item_key[name_key(name)]] = float(value)
    for s, segment in enumerate(counts.segments):
        if np.isnan(table[s]).all():
            continue  # this segment keeps its focus weights
        if np.nansum(table[s]) == 0:
            raise ZeroWeights(segment)
        notes += [Note("item_without_weight", (("item", counts.items[j]),)) for j in np.flatnonzero(np.isnan(table[s]))
                  if counts.in_period[:, j].any()]
    override = np.broadcast_to(np.nan_to_num(table), counts.ticks.shape).astype(np.float64)
    keep_focus = np.isnan(table).all(axis=1)
    override = np.where(keep_focus[None, :, None], counts.ticks, override)
    return override, _unique(notes)


def _drop_notes(counts: Counts, answered: np.ndarray, present: np.ndarray, equal: np.ndarray, from_focus: bool):
    notes = []
    for p, period in enumerate(counts.periods):
        for s, segment in enumerate(counts.segments):
            if not present[p, s]:
                if counts.valid[p, s] > 0 or counts.returned[p, s] > 0 or present[:, s].any():
                    notes.append(Note("segment_dropped", (("period", period), ("segment", segment))))
                continue
            for j in np.flatnonzero(counts.in_period[p] & ~answered[p, s]):
                notes.append(Note("item_dropped", (("period", period), ("segment", segment), ("item", counts.items[j]))))
            if equal[p, s] and from_focus:
                notes.append(Note("equal_item_weights", (("period", period), ("segment", segment))))
    return notes


def _unique(notes: list[Note]) -> list[Note]:
    return list(dict.fromkeys(notes))


@dataclass(frozen=True)
class CustomerResults:
    """Customer CSI (formula 5) of one period, customers in index order."""

    period: str
    index: np.ndarray  # customer indices into counts.customers.names
    names: tuple[str, ...]
    segments: tuple[str, ...]
    csi: np.ndarray
    valid: np.ndarray
    item_rows: tuple[np.ndarray, np.ndarray, np.ndarray]  # (customer index, item index, score)
    notes: tuple[Note, ...] = ()


def customer_csi(counts: Counts, results: Results, period: int | str, scale: str | Scale | None = None) -> CustomerResults:
    """Every customer's CSI in a period: the segment's item weights renormalised over
    the items the customer answered (formula 5).
    """
    p = results.period_index(period) if isinstance(period, str) else period
    scale = _scale_of(counts, scale)
    cc = counts.customers
    rows = np.flatnonzero(cc.p == p)
    coef = _coefficients(scale, cc.counts.shape[-1])
    score, n = item_scores(cc.counts[rows], coef)
    cust, item = cc.c[rows], cc.i[rows]
    w = results.item_weight[p, cc.segment[cust], item] * (n > 0)
    size = len(cc.names)
    w_sum = np.bincount(cust, weights=w, minlength=size)
    answered_items = np.bincount(cust, weights=(n > 0).astype(float), minlength=size)
    equal = (w_sum == 0) & (answered_items > 0)
    w = np.where(equal[cust], (n > 0) / np.maximum(answered_items[cust], 1), w / np.where(w_sum[cust] > 0, w_sum[cust], 1))
    csi = 100 * np.bincount(cust, weights=w * np.nan_to_num(score), minlength=size)
    valid_map = cc.valid_in(p)
    index = np.array(sorted(valid_map), dtype=np.int64)
    names = tuple(cc.names[c] for c in index)
    notes = [Note("customer_equal_weights", (("period", results.periods[p]), ("customer", cc.names[c])))
             for c in np.flatnonzero(equal)]
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    notes += [Note("customer_segments", (("period", results.periods[p]), ("customer", n))) for n, k in seen.items() if k > 1]
    return CustomerResults(
        results.periods[p], index, names, tuple(counts.segments[cc.segment[c]] for c in index),
        np.where(answered_items[index] > 0, csi[index], np.nan), np.array([valid_map[c] for c in index]),
        (cust, item, score), tuple(notes))


def customer_series(counts: Counts, results: Results, customer: int, scale: str | Scale | None = None) -> np.ndarray:
    """One customer's CSI in every period (NaN where it returned nothing valid)."""
    out = np.full(len(results.periods), np.nan)
    cc = counts.customers
    for p in np.unique(cc.p[cc.c == customer]):
        res = customer_csi_one(counts, results, int(p), customer, scale)
        out[p] = res
    return out


def customer_csi_one(counts: Counts, results: Results, p: int, customer: int, scale: str | Scale | None = None) -> float:
    """The CSI of one customer in one period (formula 5)."""
    scale = _scale_of(counts, scale)
    cc = counts.customers
    rows = np.flatnonzero((cc.p == p) & (cc.c == customer))
    coef = _coefficients(scale, cc.counts.shape[-1])
    score, n = item_scores(cc.counts[rows], coef)
    answered = n > 0
    if not answered.any():
        return np.nan
    w, _ = normalise(results.item_weight[p, cc.segment[customer], cc.i[rows]], answered)
    return float(100 * np.sum(w * np.nan_to_num(score)))
