"""Management reviews (管理评审) in the store: the meeting, its decisions and attendees,
and the frozen review a closed meeting becomes.

Tables (in the schema of ``connection``):

* ``reviews`` — one row a meeting: period, status (``open`` / ``closed``), attendees,
  who opened and closed it and when; on closing, the data it used (``upload_ids``), the
  weights, the scale and the settings, and the whole agenda as it was shown (``agenda``,
  JSON of :func:`csi_core.outputs.meeting.build_agenda` with the decisions added).
* ``review_decisions`` — a decision recorded on an agenda point, with the id of the
  corrective action it put into the action log (``actions``), if any.

A closed review is never recomputed: it is read back from its JSON, so it shows the same
numbers after its quarter was replaced or the company weights changed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from csi_core.method.actions import plain_text
from csi_core.reading.scales import clean_text
from csi_core.store.access import actor_of, require

MAX_TEXT = 4000  # a decision longer than a page is a paste accident
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


class ReviewError(ValueError):
    """A review action that cannot be done (closed review, unknown id, empty decision)."""


@dataclass(frozen=True)
class Review:
    """A meeting as stored; ``agenda`` is the frozen JSON (``None`` while open)."""

    id: int
    period: str
    status: str
    attendees: tuple[str, ...]
    opened_at: datetime
    closed_at: datetime | None
    upload_ids: tuple[int, ...]
    weights: dict | None
    scale: str | None
    settings: dict | None
    agenda: dict | None

    @property
    def closed(self) -> bool:
        return self.status == "closed"


def _free_text(value) -> str:
    """A decision or measure as written (full-width punctuation kept), trimmed, without
    zero-width characters.

    Examples
    --------
    >>> _free_text(" 交期：增加配送\u200b ")
    '交期：增加配送'
    """
    return _ZERO_WIDTH.sub("", str(value or "")).strip()


def attendee_names(attendees) -> list[str]:
    """Attendees from a list or from text (one a line, or separated by , ，、;), each once.

    Examples
    --------
    >>> attendee_names("张三，李四\\n王五、张三")
    ['张三', '李四', '王五']
    """
    if isinstance(attendees, str):
        attendees = re.split(r"[\n,，、;；]", attendees)
    return [n for n in dict.fromkeys(clean_text(str(a)) for a in attendees or []) if n]


def _plain(value) -> str:
    """An action field as text for the frozen JSON: dates as ISO, missing as ""."""
    if hasattr(value, "isoformat") and not pd.isna(value):
        return value.isoformat()[:10]
    return plain_text(value)


class Reviews:
    """Store methods on meetings and kept reviews (mixed into :class:`csi_core.store.db.Store`)."""

    def current_upload_ids(self, period: str) -> list[int]:
        """The uploads whose rows make up ``period`` now (not archived)."""
        rows = self.con.execute("SELECT DISTINCT upload_id FROM responses WHERE period = ? AND NOT archived "
                                "ORDER BY 1", [period]).fetchall()
        return [int(r[0]) for r in rows]

    def open_review(self, period: str, who: str = "") -> int:
        """The open meeting of ``period`` (made now if there is none); returns its id."""
        require(who, "actions")  # an editor keeps the meeting, as the action log
        with self.transaction():
            row = self._one("SELECT id FROM reviews WHERE period = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
                            [period])
            if row:
                return int(row[0])
            review_id = int(self._one("SELECT coalesce(max(id), 0) + 1 FROM reviews")[0])
            self.con.execute("INSERT INTO reviews (id, period, status, attendees, opened_at, opened_by) "
                             "VALUES (?, ?, 'open', '[]', ?, ?)", [review_id, period, datetime.now(), actor_of(who).name])
            self._audit(who, "review_opened", f"review {review_id}, period {period}")
        return review_id

    def set_attendees(self, review_id: int, attendees, who: str = "") -> list[str]:
        """Record who attends the meeting; returns the names as stored."""
        require(who, "actions")  # an editor keeps the meeting, as the action log
        names = attendee_names(attendees)
        with self.transaction():
            review = self._open_review(review_id)
            self.con.execute("UPDATE reviews SET attendees = ? WHERE id = ?",
                             [json.dumps(names, ensure_ascii=False), review.id])
            self._audit(who, "review_attendees", f"review {review.id}: {', '.join(names)}")
        return names

    def add_decision(self, review_id: int, point: str, text: str, action: dict | None = None,
                     who: str = "") -> int:
        """Record a decision on an agenda point; with ``action`` (kind, segment, customer,
        item, score, measure, owner, due) a new corrective action goes into the action log
        for the review's period, status ``open`` — both or neither. Returns the decision's id."""
        require(who, "actions")
        text = _free_text(text)
        if not text:
            raise ReviewError("a decision needs its text")
        if len(text) > MAX_TEXT:
            raise ReviewError(f"a decision is at most {MAX_TEXT} characters")
        with self.transaction():
            review = self._open_review(review_id)
            action_id = None
            if action is not None:
                record = {"period": review.period, "status": "open", "cause": "", **action}
                record["measure"] = _free_text(record.get("measure")) or text
                record["owner"] = _free_text(record.get("owner"))
                action_id = self.save_action(record, who=who)
            decision_id = int(self._one("SELECT coalesce(max(id), 0) + 1 FROM review_decisions")[0])
            self.con.execute("INSERT INTO review_decisions VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [decision_id, review.id, point, text, action_id, actor_of(who).name, datetime.now()])
            self._audit(who, "review_decision", f"review {review.id}, point {point}: {text[:200]}"
                        + (f" (action {action_id})" if action_id else ""))
        return decision_id

    def review_decisions(self, review_id: int) -> list[dict]:
        """The decisions of a meeting in the order recorded, each with its action as the
        log holds it now (owner, due, measure, status)."""
        frame = self._df("""
            SELECT d.id, d.point, d.text, d.action_id, d.who, d.created_at,
                   a.kind, a.segment, a.customer, a.item, a.measure, a.owner, a.due, a.status
            FROM review_decisions d LEFT JOIN actions a ON a.id = d.action_id
            WHERE d.review_id = ? ORDER BY d.id""", [int(review_id)])
        out = []
        for row in frame.to_dict("records"):
            action = None
            if not pd.isna(row["action_id"]):
                action = {k: _plain(row[k]) for k in ("kind", "segment", "customer", "item", "measure", "owner",
                                                      "due", "status")}
                action["id"] = int(row["action_id"])
            out.append({"id": int(row["id"]), "point": row["point"], "text": row["text"], "who": row["who"] or "",
                        "at": f"{row['created_at']:%Y-%m-%d %H:%M}", "action": action})
        return out

    def close_review(self, review_id: int, agenda: dict, who: str = "") -> None:
        """Freeze the meeting as a review: the agenda as shown (with the decisions and the
        attendees), the uploads, weights, scale and settings it used. Nothing changes it after."""
        require(who, "actions")  # an editor keeps the meeting, as the action log
        with self.transaction():
            review = self._open_review(review_id)
            frozen = {k: v for k, v in agenda.items() if k not in ("decisions", "attendees")}
            frozen["decisions"] = self.review_decisions(review.id)
            frozen["attendees"] = list(review.attendees)
            frozen["closed_at"] = f"{datetime.now():%Y-%m-%d %H:%M}"
            frozen["review_id"] = review.id
            self.con.execute(
                "UPDATE reviews SET status = 'closed', closed_at = ?, closed_by = ?, upload_ids = ?, weights = ?, "
                "scale = ?, settings = ?, agenda = ? WHERE id = ?",
                [datetime.now(), actor_of(who).name, json.dumps(agenda.get("upload_ids", [])),
                 json.dumps(agenda.get("weights"), ensure_ascii=False), agenda.get("scale"),
                 json.dumps(agenda.get("settings"), ensure_ascii=False),
                 json.dumps(frozen, ensure_ascii=False, allow_nan=False), review.id])
            self._audit(who, "review_closed",
                        f"review {review.id}, period {review.period}: {len(frozen['decisions'])} decisions")

    def review(self, review_id: int) -> Review:
        """One meeting; ``ReviewError`` for an unknown id."""
        r = self._one("SELECT id, period, status, attendees, opened_at, closed_at, upload_ids, weights, scale, "
                      "settings, agenda FROM reviews WHERE id = ?", [int(review_id)])
        if r is None:
            raise ReviewError(f"no review {review_id}")
        load = (lambda text: json.loads(text) if text else None)
        return Review(int(r[0]), r[1], r[2], tuple(load(r[3]) or ()), r[4], r[5], tuple(load(r[6]) or ()),
                      load(r[7]), r[8], load(r[9]), load(r[10]))

    def _open_review(self, review_id: int) -> Review:
        found = self.review(review_id)
        if found.closed:
            raise ReviewError(f"review {review_id} is closed: it is kept as it was")
        return found

    def reviews(self, status: str | None = None) -> pd.DataFrame:
        """Meetings, newest first: id, period, status, opened_at, closed_at, attendees (how
        many), decisions (how many)."""
        where, params = ("WHERE r.status = ?", [status]) if status else ("", [])
        frame = self._df(f"""
            SELECT r.id, r.period, r.status, r.opened_at, r.closed_at, r.attendees,
                   (SELECT count(*) FROM review_decisions d WHERE d.review_id = r.id) AS decisions
            FROM reviews r {where} ORDER BY r.id DESC""", params)  # where: fixed text only
        frame["attendees"] = [len(json.loads(text or "[]")) for text in frame.attendees]
        return frame
