"""Our side of the recompute benchmark: the only place here that calls ``csi_core``'s
store and formulas, and turns its results into plain tables the peer can be compared with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Loaded:
    """A store with the workbook imported, and its count arrays."""

    store: object
    counts: object
    ingest_seconds: float


def load(data: bytes, db_path: str = ":memory:") -> Loaded:
    """Import the workbook through our ingest and fetch the count arrays."""
    import time

    from csi_core.store import ingest
    from csi_core.store.db import Store

    store = Store.open(db_path)
    start = time.perf_counter()
    outcome = ingest.ingest(store, data, "bench.xlsx")
    seconds = time.perf_counter() - start
    if not outcome.ok:
        raise RuntimeError(f"our ingest refused the benchmark workbook: {outcome.report}")
    return Loaded(store, store.counts(), seconds)


def weights(segment_weights: dict[str, float]):
    """Our weights object for these segment weights and focus item weights."""
    from csi_core.method import csi

    return csi.Weights(segments=segment_weights, items=None)


def compute(counts, segment_weights: dict[str, float]):
    """One weight change: every period's total, segment and item results."""
    from csi_core.method import csi

    return csi.compute(counts, weights(segment_weights))


def compute_with_intervals(counts, segment_weights: dict[str, float]):
    """One weight change with the 95 % intervals: results and variances (from the sums)."""
    from csi_core.method import csi, stats

    result = csi.compute(counts, weights(segment_weights))
    return result, stats.intervals(counts, result)


def customers_csi(counts, result, period_index: int):
    """All customers' CSI for one period."""
    from csi_core.method import csi

    return csi.customer_csi(counts, result, period_index)


def customer_index(counts, customer: str) -> int:
    """Our index of a customer name (a customer is a (segment, name) pair in csi_core;
    every generated customer has one segment)."""
    return counts.customers.names.index(customer)


def customer_series(counts, result, customer: int):
    """One customer's CSI in every period (its run chart), NaN where it has none."""
    from csi_core.method import csi

    return csi.customer_series(counts, result, customer)


# --- plain tables for comparing with the peer --------------------------------------------

def names(counts) -> tuple[list[str], list[str], list[str]]:
    """Periods, segments and items of the count arrays, as strings."""
    return ([str(p) for p in counts.periods], [str(s) for s in counts.segments],
            [str(i) for i in counts.items])


def totals(counts, result) -> pd.Series:
    periods, _, _ = names(counts)
    return pd.Series(np.asarray(result.total, dtype=float), index=periods)


def segment_table(counts, result) -> pd.Series:
    """Segment CSI indexed (period, segment), NaN where a segment has no valid response."""
    periods, segments, _ = names(counts)
    index = pd.MultiIndex.from_product([periods, segments], names=["period", "segment"])
    return pd.Series(np.asarray(result.segment_csi, dtype=float).ravel(), index=index)


def item_table(counts, values) -> pd.DataFrame:
    """A [P, S, I] array as a frame indexed (period, segment), one column per item."""
    periods, segments, items = names(counts)
    index = pd.MultiIndex.from_product([periods, segments], names=["period", "segment"])
    return pd.DataFrame(np.asarray(values, dtype=float).reshape(len(index), len(items)),
                        index=index, columns=items)


def customer_table(values) -> pd.Series:
    """Customers' CSI of one period (``csi.CustomerResults``) as a Series by name."""
    return pd.Series(np.asarray(values.csi, dtype=float), index=[str(n) for n in values.names])


def series_table(counts, values) -> pd.Series:
    """A run chart (one CSI per period, NaN where none) as a Series by period."""
    periods, _, _ = names(counts)
    return pd.Series(np.asarray(values, dtype=float), index=periods)
