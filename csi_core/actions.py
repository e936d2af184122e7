"""Corrective-action rules (纠正措施) and the verification of actions taken.

METHOD.md: an item at or below 70 % (per segment or per customer) needs an action; an
overall or customer CSI below 80 needs a review. An action raised in one period is
verified by the next period's score of the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .csi import CustomerResults, Results
from .grades import csi_needs_review, item_needs_action, round_half_up

KINDS = ("overall", "item", "customer", "customer_item")


@dataclass(frozen=True)
class Flag:
    """One thing the rules flag in a period; ``value`` is a CSI (0–100) or a score (0–1)."""

    kind: str
    period: str
    value: float
    segment: str = ""
    customer: str = ""
    item: str = ""

    def as_contract(self) -> dict:
        """The entry of CONTRACTS.md's ``actions`` list (plus ``segment`` where known)."""
        out: dict = {"kind": self.kind}
        if self.kind in ("item", "customer_item") and self.segment:
            out["segment"] = self.segment
        if self.customer:
            out["customer"] = self.customer
        if self.item:
            out["item"] = self.item
        out["score" if self.kind in ("item", "customer_item") else "csi"] = float(self.value)
        return out

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What the flag is about, whatever the period: to find it again next period."""
        return self.kind, self.segment, self.customer, self.item


def flags(results: Results, period: int, customers: CustomerResults | None = None) -> list[Flag]:
    """Everything the action rules flag in one period, in a stable order.

    Examples
    --------
    See ``tests/test_actions.py``; the order is overall, items by segment, customers,
    customers' items.
    """
    name = results.periods[period]
    out: list[Flag] = []
    if csi_needs_review(results.total[period]):
        out.append(Flag("overall", name, float(results.total[period])))
    for s, segment in enumerate(results.segments):
        for i in np.flatnonzero(results.item_n[period, s] > 0):
            score = float(results.item_score[period, s, i])
            if item_needs_action(score):
                out.append(Flag("item", name, score, segment=segment, item=results.items[i]))
    if customers is None:
        return out
    for k, customer in enumerate(customers.names):
        if csi_needs_review(customers.csi[k]):
            out.append(Flag("customer", name, float(customers.csi[k]), segment=customers.segments[k], customer=customer))
    cust, item, score = customers.item_rows
    position = {c: k for k, c in enumerate(customers.index)}
    for c, i, value in sorted(zip(cust.tolist(), item.tolist(), score.tolist()), key=lambda r: (position.get(r[0], 0), r[1])):
        if c in position and item_needs_action(value):
            k = position[c]
            out.append(Flag("customer_item", name, value, segment=customers.segments[k],
                            customer=customers.names[k], item=results.items[i]))
    return out


def verification(raised: float, later: float | None, kind: str) -> str:
    """Did the next period's score improve on the one that raised the action?

    Returns ``improved``, ``not_improved``, ``resolved`` (now past the threshold) or
    ``pending`` (no later score yet). Scores compare after half-up rounding.

    Examples
    --------
    >>> verification(0.65, 0.72, "item"), verification(0.65, 0.68, "item"), verification(0.65, None, "item")
    ('resolved', 'improved', 'pending')
    >>> verification(78.0, 77.0, "overall")
    'not_improved'
    """
    if later is None or np.isnan(later):
        return "pending"
    if kind in ("item", "customer_item"):
        if not item_needs_action(later):
            return "resolved"
        return "improved" if round_half_up(100 * later) > round_half_up(100 * raised) else "not_improved"
    if not csi_needs_review(later):
        return "resolved"
    return "improved" if round_half_up(later) > round_half_up(raised) else "not_improved"
