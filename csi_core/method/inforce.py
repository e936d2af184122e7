"""The weights in force: the company's defaults, kept to the data they were set for.

Company segment weights (setting ``segment_weights``, ``{segment: weight}``) name the
segments they were set for. A period whose segments are all named is weighted with them
(renormalised over the segments present, METHOD.md); a period holding a segment they do
not name is weighted equally, and the notes say which segment was missing. Company item
importances (setting ``item_weights``, ``{segment: {item: importance}}``) replace the
focus-question weights of their segment; items they do not name weigh 0 (noted).

    force = company(counts, store.get_setting("segment_weights"), store.get_setting("item_weights"))
    res = csi.compute(counts, force.weights)
    used = used_in_period(force, res, p)     # what the overview states
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csi_core.method.counts import Counts
from csi_core.method.csi import Results, Weights, stored_segment_weights
from csi_core.reading.scales import name_key

COMPANY, EQUAL, UNNAMED = "company", "equal", "unnamed"


@dataclass(frozen=True)
class InForce:
    """The company's weights usable on the stored data, and the ``Weights`` to compute with."""

    segments: dict[str, float] | None  # named stored segments only; None: no company weights
    items: dict[str, dict[str, float]]  # segment → item → importance, stored names only

    @property
    def weights(self) -> Weights:
        return Weights(self.segments, dict(self.items) or None, only_where_named=True)


@dataclass(frozen=True)
class PeriodWeights:
    """The weights one period was computed with, for a sentence on the screen."""

    source: str  # COMPANY, EQUAL (no company weights) or UNNAMED (a segment they do not name)
    used: dict[str, float]  # segment → weight as used (0–1), segments present only
    unnamed: tuple[str, ...]  # present segments the company weights do not name
    item_segments: tuple[str, ...]  # present segments weighted with company item importances


def company_items(counts: Counts, given: dict | None) -> dict[str, dict[str, float]]:
    """Saved item importances kept to stored segments and items; a segment whose
    importances add up to 0 (or hold no usable number) keeps the focus weights.

    Examples
    --------
    >>> c = Counts((), ("民用户",), ("燃气质量", "服务"), *([None] * 7), None)
    >>> company_items(c, {"民用户": {"燃气质量": 3, "旧题": 1, "服务": "x"}, "旧类型": {"服务": 1}})
    {'民用户': {'燃气质量': 3.0}}
    >>> company_items(c, {"民用户": {"燃气质量": 0}})
    {}
    """
    segments = {name_key(s): s for s in counts.segments}
    items = {name_key(i): i for i in counts.items}
    out: dict[str, dict[str, float]] = {}
    for segment, importances in (given or {}).items():
        if name_key(segment) not in segments or not isinstance(importances, dict):
            continue
        usable = {}
        for item, value in importances.items():
            try:
                number = float(value)
            except (TypeError, ValueError):
                continue
            if name_key(item) in items and np.isfinite(number) and number >= 0:
                usable[items[name_key(item)]] = number
        if usable and sum(usable.values()) > 0:
            out[segments[name_key(segment)]] = usable
    return out


def company(counts: Counts, segment_setting: dict | None, item_setting: dict | None) -> InForce:
    """The company weights in force on ``counts`` (see the module's docstring)."""
    return InForce(stored_segment_weights(counts, segment_setting), company_items(counts, item_setting))


def unnamed_segments(force: InForce, res: Results, p: int) -> tuple[str, ...]:
    """Segments present in period ``p`` that the company segment weights do not name."""
    if not force.segments:
        return ()
    named = {name_key(s) for s in force.segments}
    return tuple(name for s, name in enumerate(res.segments)
                 if not np.isnan(res.segment_csi[p, s]) and name_key(name) not in named)


def used_in_period(force: InForce, res: Results, p: int) -> PeriodWeights:
    """How period ``p`` of ``res`` (computed with ``force.weights``) was weighted.

    Examples
    --------
    See ``tests/test_inforce.py``.
    """
    present = [s for s in range(len(res.segments)) if not np.isnan(res.segment_csi[p, s])]
    used = {res.segments[s]: float(res.segment_weight[p, s]) for s in present}
    unnamed = unnamed_segments(force, res, p)
    source = EQUAL if not force.segments else UNNAMED if unnamed else COMPANY
    items = tuple(res.segments[s] for s in present if res.segments[s] in force.items)
    return PeriodWeights(source, used, unnamed, items)


def applies_in_period(force: InForce, res: Results, p: int) -> dict[str, float] | None:
    """The company segment weights if they weight period ``p``, else ``None`` (equal)."""
    return force.segments if used_in_period(force, res, p).source == COMPANY else None


def for_segments(given: dict | None, segments) -> PeriodWeights:
    """The segment weights a period holding ``segments`` would be computed with, from a
    saved setting ``given`` (before an import: which weights the totals will use).

    Examples
    --------
    >>> w = for_segments({"民用户": 60, "工商业户": 40}, ["民用户", "工商业户"])
    >>> w.source, w.used
    ('company', {'民用户': 0.6, '工商业户': 0.4})
    >>> w = for_segments({"民用户": 60}, ["民用户", "新类型"])
    >>> w.source, w.used, w.unnamed
    ('unnamed', {'民用户': 0.5, '新类型': 0.5}, ('新类型',))
    >>> for_segments(None, ["a", "b"]).source
    'equal'
    """
    segments = list(dict.fromkeys(segments))
    keyed = {}
    for name, value in (given or {}).items():
        try:
            keyed[name_key(name)] = float(value)
        except (TypeError, ValueError):
            continue
    keyed = {k: v for k, v in keyed.items() if np.isfinite(v) and v >= 0}
    unnamed = tuple(s for s in segments if name_key(s) not in keyed)
    named_total = sum(keyed.get(name_key(s), 0.0) for s in segments)
    if not keyed or sum(keyed.values()) <= 0:
        source = EQUAL
    elif unnamed:
        source = UNNAMED
    elif named_total <= 0:
        source = EQUAL
    else:
        source = COMPANY
    if source == COMPANY:
        used = {s: keyed[name_key(s)] / named_total for s in segments}
    else:
        used = {s: 1 / len(segments) for s in segments} if segments else {}
    return PeriodWeights(source, used, unnamed, ())
