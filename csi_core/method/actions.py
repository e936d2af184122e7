"""Corrective-action rules (纠正措施) and the verification of actions taken.

METHOD.md: an item at or below 70 % (per segment or per customer) needs an action; an
overall or customer CSI below 80 needs a review. An action raised in one period is
verified by the next period's score of the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csi_core.method.csi import CustomerResults, Results
from csi_core.method.grades import ITEM_ACTION_MAX, csi_needs_review, item_needs_action, round_half_up

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
        if self.kind in ("item", "customer", "customer_item") and self.segment:
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
    # only scores near or below the line can be flagged (rounding moves them by < 0.05 %):
    # the rule itself decides on those few
    near = np.asarray(100 * np.asarray(score, dtype=float) <= ITEM_ACTION_MAX + 0.1)
    cust, item, score = np.asarray(cust)[near], np.asarray(item)[near], np.asarray(score)[near]
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


# --- action log and verification ---
# The action log (纠正措施记录) kept by the store, matched to the flags and scores of any
# period: which flags still lack an action, each flag's trend, the next period's score
# beside the one that raised an action, and the edits a user made to the log.

import datetime as _dt  # noqa: E402  (kept inside this block)

import pandas as _pd  # noqa: E402

from csi_core.method.counts import Counts as _Counts  # noqa: E402
from csi_core.method.csi import customer_csi as _customer_csi  # noqa: E402
from csi_core.method.grades import grade_of as _grade_of  # noqa: E402
from csi_core.reading.problems import Problem as _Problem  # noqa: E402
from csi_core.reading.scales import name_key as _name_key  # noqa: E402

LOG_FIELDS = ("cause", "measure", "owner", "due", "status")
ACTION_STATUSES = ("open", "in_progress", "done", "verified")
VERDICTS = ("improved", "not_improved", "resolved", "not_measured", "pending")
CLOSED_STATUSES = ("done", "verified")


def open_mask(log: _pd.DataFrame) -> _pd.Series:
    """The "open action" rule, for every page and report: an action stays open until its
    status is done or verified; a blank status is open.

    Examples
    --------
    >>> open_mask(_pd.DataFrame({"status": ["open", None, "in_progress", "done", "verified"]})).tolist()
    [True, True, True, False, False]
    """
    if log.empty:
        return _pd.Series([], dtype=bool, index=log.index)
    return ~log["status"].fillna("open").isin(CLOSED_STATUSES)


def plain_text(value) -> str:
    """A stored text field as plain text: None/NaN → ""."""
    if value is None:
        return ""
    try:
        if _pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def action_key(row) -> tuple[str, str, str, str]:
    """What an action (a store row or a dict) or a flag is about: kind, segment,
    customer, item — compared width/case-insensitively.

    Examples
    --------
    >>> action_key({"kind": "item", "segment": "民用户", "customer": None, "item": "燃气质量"})
    ('item', '民用户', '', '燃气质量')
    """
    get = (lambda k: getattr(row, k)) if isinstance(row, Flag) else row.get
    return tuple(_name_key(plain_text(get(k))) for k in ("kind", "segment", "customer", "item"))  # type: ignore[return-value]


def is_percent(kind: str) -> bool:
    """Item kinds carry a score 0–1 shown as a percentage; the others a CSI 0–100."""
    return kind in ("item", "customer_item")


def shown(kind: str, value: float | None) -> float:
    """A flag's value as the screen shows it: items in %, CSI as is (NaN for none).

    Examples
    --------
    >>> shown("item", 0.6875), shown("overall", 78.5)
    (68.75, 78.5)
    """
    if value is None or _pd.isna(value):
        return np.nan
    return 100 * float(value) if is_percent(kind) else float(value)


class PeriodScores:
    """The score of any flagged thing in any period (customer CSI computed once per period).

    ``value(p, key)`` is a CSI (0–100) or an item score (0–1), NaN where the thing has
    no valid answer in that period.
    """

    def __init__(self, counts: _Counts, results: Results):
        self.counts = counts
        self.results = results
        self._customers: dict[int, CustomerResults] = {}
        self._lookup: dict[int, tuple[dict, dict, dict]] = {}
        self._positions_of: dict[int, tuple[dict, dict]] = {}
        self._segments = {_name_key(n): k for k, n in reversed(list(enumerate(results.segments)))}
        self._items = {_name_key(n): k for k, n in reversed(list(enumerate(results.items)))}

    def customers(self, p: int) -> CustomerResults:
        if p not in self._customers:
            self._customers[p] = _customer_csi(self.counts, self.results, p)
        return self._customers[p]

    def _tables(self, p: int) -> tuple[dict, dict, dict]:
        """Per period: (segment, customer) → position, customer → first position, and
        (customer index, item) → score — built once, so a lookup is a dict access."""
        if p not in self._lookup:
            by_pair, by_name = self._positions(p)
            cust, items, scores = self.customers(p).item_rows
            item_scores = dict(zip(zip(cust.tolist(), items.tolist()), scores.tolist()))
            self._lookup[p] = (by_pair, by_name, item_scores)
        return self._lookup[p]

    def value(self, p: int, key: tuple[str, str, str, str]) -> float:
        kind, segment, customer, item = key
        r = self.results
        if kind == "overall":
            return float(r.total[p])
        if kind == "item":
            s, i = self._segments.get(segment), self._items.get(item)
            if s is None or i is None or r.item_n[p, s, i] == 0:
                return np.nan
            return float(r.item_score[p, s, i])
        by_pair, by_name, item_scores = self._tables(p)
        k = by_pair.get((segment, customer)) if segment else by_name.get(customer)
        if k is None:
            return np.nan
        cr = self.customers(p)
        if kind == "customer":
            return float(cr.csi[k])
        score = item_scores.get((int(cr.index[k]), self._items.get(item, -1)))
        return np.nan if score is None else float(score)

    def series(self, key: tuple[str, str, str, str], upto: int | None = None) -> list[float]:
        """The value in every period up to ``upto`` (inclusive; default all)."""
        last = len(self.results.periods) - 1 if upto is None else upto
        return [self.value(p, key) for p in range(last + 1)]

    def table(self, keys: list[tuple[str, str, str, str]], upto: int) -> np.ndarray:
        """``series`` of many keys at once: an array (key, period 0…``upto``), the same
        values as ``value`` gives, with each period's lookups done once for all keys."""
        r = self.results
        out = np.full((len(keys), upto + 1), np.nan)
        kinds = [k[0] for k in keys]
        overall = np.array([k == "overall" for k in kinds], dtype=bool)
        out[overall] = r.total[:upto + 1]
        rows = [n for n, k in enumerate(kinds) if k == "item"]
        if rows:
            s = np.array([self._segments.get(keys[n][1], -1) for n in rows])
            i = np.array([self._items.get(keys[n][3], -1) for n in rows])
            known = (s >= 0) & (i >= 0)
            idx = np.array(rows)[known]
            scores, answered = r.item_score[:upto + 1, s[known], i[known]], r.item_n[:upto + 1, s[known], i[known]] > 0
            out[idx] = np.where(answered, scores, np.nan).T
        rows = [n for n, k in enumerate(kinds) if k in ("customer", "customer_item")]
        if rows:
            item = np.array([self._items.get(keys[n][3], -1) for n in rows])
            is_csi = np.array([kinds[n] == "customer" for n in rows], dtype=bool)
            for q in range(upto + 1):
                out[rows, q] = self._customer_values(q, [keys[n] for n in rows], item, is_csi)
        return out

    def _customer_values(self, q: int, keys, item: np.ndarray, is_csi: np.ndarray) -> np.ndarray:
        """Period ``q``'s CSI (``is_csi``) or item score of each customer key; NaN where none."""
        by_pair, by_name = self._positions(q)
        cr = self.customers(q)
        pos = np.array([(by_pair.get((k[1], k[2]), -1) if k[1] else by_name.get(k[2], -1)) for k in keys], np.int64)
        values = np.full(len(keys), np.nan)
        pick = (pos >= 0) & is_csi
        values[pick] = np.asarray(cr.csi, dtype=float)[pos[pick]]
        pick = (pos >= 0) & ~is_csi & (item >= 0)
        if pick.any():
            # the period's item scores as a (customer, item) grid: the same as ``value``'s lookup
            cust, items, scores = cr.item_rows
            grid = np.full((int(max(np.max(cust, initial=-1), np.max(cr.index, initial=-1))) + 1,
                            len(self.results.items)), np.nan)
            grid[np.asarray(cust, np.int64), np.asarray(items, np.int64)] = scores
            values[pick] = grid[np.asarray(cr.index, np.int64)[pos[pick]], item[pick]]
        return values

    def _positions(self, q: int) -> tuple[dict, dict]:
        """Per period: (segment, customer) → position and customer → first position."""
        if q not in self._positions_of:
            cr = self.customers(q)
            by_pair, by_name = {}, {}
            for k, (n, s) in enumerate(zip(cr.names, cr.segments)):
                by_pair.setdefault((_name_key(s), _name_key(n)), k)
                by_name.setdefault(_name_key(n), k)
            self._positions_of[q] = (by_pair, by_name)
        return self._positions_of[q]


def flag_table(flags_: list[Flag], scores: PeriodScores, p: int, log: _pd.DataFrame | None = None) -> _pd.DataFrame:
    """One row per flag of period ``p``: its value as shown (% or CSI), grade, the
    previous period's value and the change, the trend up to ``p``, and the action
    raised for it in that period (id and status) if any.
    """
    found = period_flags(flags_, scores, p)
    return with_actions(found.table, found.keys, log, found.period)


@dataclass(frozen=True)
class PeriodFlags:
    """The flags of one period with what the count arrays say of each (``table``:
    :func:`flag_table`'s rows, no action yet) and what each is about (``keys``,
    :func:`action_key`). It depends on the data and the weights only, so a page
    computes it once per period and joins the action log (:func:`with_actions`) on
    every run."""

    period: str
    flags: tuple[Flag, ...]
    keys: tuple[tuple[str, str, str, str], ...]
    table: _pd.DataFrame


def period_flags(flags_: list[Flag], scores: PeriodScores, p: int) -> PeriodFlags:
    """:class:`PeriodFlags` of ``flags_`` (all of period ``p``)."""
    keys = [action_key(f) for f in flags_]
    values = scores.table(keys, p)
    values[[is_percent(f.kind) for f in flags_]] *= 100  # as the screen shows them (``shown``)
    rows = []
    for f, trend in zip(flags_, values.tolist()):
        previous = trend[-2] if len(trend) > 1 else np.nan
        value = shown(f.kind, f.value)
        rows.append({"kind": f.kind, "segment": f.segment, "customer": f.customer, "item": f.item,
                     "value": value, "grade": _grade_of(value).key, "previous": previous,
                     "change": value - previous, "trend": trend})
    table = _pd.DataFrame(rows, columns=list(_FLAG_COLUMNS[:-2]))
    return PeriodFlags(scores.results.periods[p], tuple(flags_), tuple(keys), table)


_FLAG_COLUMNS = ("kind", "segment", "customer", "item", "value", "grade", "previous", "change", "trend",
                 "action_id", "status")


def with_actions(table: _pd.DataFrame, keys, log: _pd.DataFrame | None, period: str) -> _pd.DataFrame:
    """A new ``table`` (:class:`PeriodFlags`) with the action raised for each flag
    (``keys``, one per row) in ``period``: its id and status, None without one."""
    mine = {}
    if log is not None and not log.empty:
        for row in log[log.period == period].to_dict("records"):
            mine.setdefault(action_key(row), row)
    found = [mine.get(key, {}) for key in keys]
    ids = [a.get("id") for a in found]
    statuses = [plain_text(a.get("status")) or None for a in found]
    if not len(table):
        return _pd.DataFrame(columns=list(_FLAG_COLUMNS))
    # a Series of the list, as a DataFrame of records would have made it (ids with None: floats)
    return table.assign(action_id=_pd.Series(ids, index=table.index), status=_pd.Series(statuses, index=table.index))


def missing_actions(flags_: list[Flag], log: _pd.DataFrame, keys=None) -> list[dict]:
    """New action records (status ``open``) for the flags that have none in their period
    (``keys``: each flag's :func:`action_key` when already known).

    Examples
    --------
    >>> f = [Flag("overall", "2026Q1", 78.0), Flag("item", "2026Q1", 0.6, segment="s", item="x")]
    >>> log = _pd.DataFrame([{"id": 1, "period": "2026Q1", "kind": "overall", "segment": None,
    ...                       "customer": None, "item": None}])
    >>> [a["kind"] for a in missing_actions(f, log)]
    ['item']
    """
    have = set()
    if log is not None and not log.empty:
        have = {(plain_text(r["period"]), action_key(r)) for r in log.to_dict("records")}
    out = []
    for f, key in zip(flags_, keys if keys is not None else map(action_key, flags_)):
        if (f.period, key) in have:
            continue
        have.add((f.period, key))
        out.append({"period": f.period, "kind": f.kind, "segment": f.segment, "customer": f.customer,
                    "item": f.item, "score": float(f.value), "status": "open"})
    return out


def next_period(periods: tuple[str, ...] | list[str], period: str) -> str | None:
    """The stored period after ``period`` (None when it is the last or not stored).

    Examples
    --------
    >>> next_period(("2025Q4", "2026Q1"), "2025Q4"), next_period(("2025Q4", "2026Q1"), "2026Q1")
    ('2026Q1', None)
    """
    if period not in periods:
        return None
    k = list(periods).index(period)
    return periods[k + 1] if k + 1 < len(periods) else None


def verify_actions(log: _pd.DataFrame, scores: PeriodScores, before: str | None = None) -> _pd.DataFrame:
    """Each action beside the next period's score of the same thing (闭环验证).

    ``raised`` is the score that raised the action (as stored, shown in % for items),
    ``later`` the score of the next stored period, ``verdict`` one of :data:`VERDICTS`
    (``not_measured``: the next period is stored but has no score for it, e.g. a customer
    not surveyed again).
    With ``before`` only actions of periods before it are listed (last period's
    actions, when ``before`` is the current one).
    """
    columns = ["id", "period", "kind", "segment", "customer", "item", "owner", "status",
               "raised", "next_period", "later", "change", "verdict"]
    periods = scores.results.periods
    rows = []
    for a in ([] if log is None or log.empty else log.to_dict("records")):
        period, kind = plain_text(a.get("period")), plain_text(a.get("kind"))
        if before is not None and (period not in periods or before not in periods
                                   or periods.index(period) >= periods.index(before)):
            continue
        following = next_period(periods, period)
        raised = a.get("score")
        if raised is None or _pd.isna(raised):
            raised = scores.value(periods.index(period), action_key(a)) if period in periods else np.nan
        later = scores.value(periods.index(following), action_key(a)) if following else np.nan
        verdict = verification(float(raised), None if np.isnan(later) else later, kind) \
            if not _pd.isna(raised) else "pending"
        if verdict == "pending" and following:  # the next survey came, without this customer or item
            verdict = "not_measured"
        rows.append({"id": a.get("id"), "period": period, "kind": kind, "segment": plain_text(a.get("segment")),
                     "customer": plain_text(a.get("customer")), "item": plain_text(a.get("item")),
                     "owner": plain_text(a.get("owner")), "status": plain_text(a.get("status")),
                     "raised": shown(kind, raised), "next_period": following or "",
                     "later": shown(kind, later), "change": shown(kind, later) - shown(kind, raised),
                     "verdict": verdict})
    return _pd.DataFrame(rows, columns=columns)


DUE_RANGE = (_dt.date(2000, 1, 1), _dt.date(2099, 12, 31))  # a due date outside is a typo


def parse_due(value) -> _dt.date | None:
    """A due date from the editor (date, Timestamp, ISO text) — None when empty;
    ``ValueError`` for text that is not a date, or a date outside :data:`DUE_RANGE`.

    Examples
    --------
    >>> parse_due("2026-06-30"), parse_due(""), parse_due(_dt.date(2026, 1, 2))
    (datetime.date(2026, 6, 30), None, datetime.date(2026, 1, 2))
    >>> parse_due("1900-01-01")
    Traceback (most recent call last):
    ValueError: due date 1900-01-01 is outside 2000-01-01 … 2099-12-31
    """
    if isinstance(value, _dt.datetime):
        day = value.date()
    elif isinstance(value, _dt.date):
        day = value
    else:
        text = plain_text(value)
        if not text:
            return None
        day = _dt.date.fromisoformat(text[:10])
    if not DUE_RANGE[0] <= day <= DUE_RANGE[1]:
        raise ValueError(f"due date {day} is outside {DUE_RANGE[0]} … {DUE_RANGE[1]}")
    return day


def log_changes(log: _pd.DataFrame, edited_rows: dict, deleted_rows: list | None = None
                ) -> tuple[list[dict], list[int], list[_Problem]]:
    """Turn ``st.data_editor`` edits of the action log into store calls.

    ``log`` is the table as shown (one row per action, positional index; column ``id``);
    ``edited_rows`` maps a row position to ``{column: new value}``. Returns the
    actions to save (whole records), the ids to delete, and the problems that keep an
    edit from being saved (a status not in :data:`ACTION_STATUSES`, a due date that is
    not a date) — a row with a problem is not saved at all.

    Examples
    --------
    >>> log = _pd.DataFrame([{"id": 7, "period": "2026Q1", "kind": "overall", "owner": "", "status": "open"}])
    >>> save, delete, problems = log_changes(log, {0: {"owner": " 王工 ", "status": "done"}})
    >>> [(a["id"], a["owner"], a["status"]) for a in save], delete, problems
    ([(7, '王工', 'done')], [], [])
    >>> log_changes(log, {"0": {"status": "closed"}})[2][0].code
    'action_bad_status'
    """
    save, problems = [], []
    records = log.to_dict("records")
    for position, change in sorted((int(k), v) for k, v in (edited_rows or {}).items()):
        if not 0 <= position < len(records):
            continue
        record, bad = dict(records[position]), []
        for column, value in change.items():
            if column in ("cause", "measure", "owner"):
                record[column] = plain_text(value)
            elif column == "status":
                if plain_text(value) not in ACTION_STATUSES:
                    bad.append(_Problem("action_bad_status", row=position + 1, column=column, value=plain_text(value)))
                record[column] = plain_text(value)
            elif column == "due":
                try:
                    record[column] = parse_due(value)
                except ValueError:
                    bad.append(_Problem("action_bad_due", row=position + 1, column=column, value=plain_text(value)))
        if bad:
            problems += bad
        else:
            save.append(record)
    deleted = [int(records[int(k)]["id"]) for k in (deleted_rows or []) if 0 <= int(k) < len(records)]
    return save, deleted, problems


# --- opening actions one by one, placeholders, the flags' breakdown ---
# Actions are opened for one flag or a chosen group with what is known already (cause,
# measure, owner, due date); "create for all" makes placeholders: actions with nothing
# recorded yet. The log, the verification and the report list placeholders apart (a
# count), so a bulk creation does not bury the actions a team works on.

def is_placeholder(action) -> bool:
    """Nothing recorded yet: no cause, measure, owner or due date, and the status still
    ``open`` (or blank). A store row, a dict or a pandas row.

    Examples
    --------
    >>> is_placeholder({"cause": None, "measure": "", "owner": " ", "due": None, "status": "open"})
    True
    >>> is_placeholder({"owner": "王工", "status": "open"}), is_placeholder({"status": "in_progress"})
    (False, False)
    """
    get = action.get
    if any(plain_text(get(k)) for k in ("cause", "measure", "owner", "due")):
        return False
    return plain_text(get("status")) in ("", "open")


def placeholders(log: _pd.DataFrame) -> _pd.Series:
    """A boolean per row of the log: is it a placeholder (:func:`is_placeholder`)?"""
    if log is None or log.empty:
        return _pd.Series([], dtype=bool)
    return _pd.Series([is_placeholder(r) for r in log.to_dict("records")], index=log.index, dtype=bool)


def open_actions_for(chosen: list[Flag], log: _pd.DataFrame, fields: dict | None = None
                     ) -> tuple[list[dict], list[Flag]]:
    """New action records for the ``chosen`` flags, with ``fields`` (cause, measure,
    owner, due) filled in; flags that already have an action in their period are
    returned apart (not opened twice).

    Examples
    --------
    >>> f = [Flag("item", "2026Q1", 0.6, segment="s", item="x"), Flag("overall", "2026Q1", 78.0)]
    >>> log = _pd.DataFrame([{"id": 1, "period": "2026Q1", "kind": "overall", "segment": None,
    ...                       "customer": None, "item": None}])
    >>> new, had = open_actions_for(f, log, {"owner": " 王工 ", "due": "2026-06-30"})
    >>> [(a["kind"], a["owner"], str(a["due"])) for a in new], [h.kind for h in had]
    ([('item', '王工', '2026-06-30')], ['overall'])
    """
    fields = fields or {}
    new = missing_actions(chosen, log)
    opened = {(a["period"], action_key(a)) for a in new}
    had = [f for f in chosen if (f.period, action_key(f)) not in opened]
    due = parse_due(fields.get("due"))
    for record in new:
        for column in ("cause", "measure", "owner"):
            record[column] = plain_text(fields.get(column))
        record["due"] = due
    return new, had


def flag_breakdown(flags_: list, log: _pd.DataFrame | None, period: str) -> dict[str, int]:
    """How many flags of ``period`` there are of each kind, and how many of them have an
    action (any, placeholders too) or a worked-on one (not a placeholder) in the log.
    ``flags_`` are :class:`Flag` objects or the JSON's ``actions`` entries.

    Examples
    --------
    >>> f = [{"kind": "item", "segment": "s", "item": "x", "score": 0.6}, {"kind": "overall", "csi": 78.0},
    ...      {"kind": "customer", "segment": "s", "customer": "c", "csi": 70.0}]
    >>> log = _pd.DataFrame([{"period": "2026Q1", "kind": "overall", "segment": None, "customer": None,
    ...                       "item": None, "owner": "王工", "status": "open"}])
    >>> flag_breakdown(f, log, "2026Q1")
    {'total': 3, 'overall': 1, 'item': 1, 'customer': 1, 'customer_item': 0, 'with_action': 1, 'worked_on': 1}
    """
    out = {"total": len(flags_), **{k: 0 for k in KINDS}, "with_action": 0, "worked_on": 0}
    mine: dict = {}
    if log is not None and not log.empty:
        for row in log[log.period == period].to_dict("records"):
            key = action_key(row)
            mine[key] = mine.get(key, False) or not is_placeholder(row)
    for f in flags_:
        kind = f.kind if isinstance(f, Flag) else f.get("kind")
        out[kind] = out.get(kind, 0) + 1
        key = action_key(f) if isinstance(f, Flag) else action_key({"segment": "", "customer": "", "item": "", **f})
        if key in mine:
            out["with_action"] += 1
            out["worked_on"] += int(mine[key])
    return out
