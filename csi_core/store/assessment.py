"""The annual assessment's entries (年度客户满意度工作考核, 第二十八、二十九条): aspect
scores, achievements, awards and deductions the assessor records per unit and year. The
rule that turns them into points is :mod:`csi_core.method.assessment`."""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from csi_core.method.assessment import check_entry
from csi_core.store.access import require


class AssessmentLog:
    """Store methods on the assessment entries (mixed into :class:`csi_core.store.db.Store`)."""

    def assessment_entries(self, year: int | None = None) -> pd.DataFrame:
        """The entries (of one year, or all), oldest first."""
        if year is None:
            return self._df("SELECT * FROM assessment_entries ORDER BY created_at, id")
        return self._df("SELECT * FROM assessment_entries WHERE year = ? ORDER BY created_at, id", [int(year)])

    def add_assessment_entry(self, entry: dict, who=None) -> int:
        """Record one entry (year, unit, kind, points, note as :func:`check_entry` returns
        it); ``ValueError`` for an entry the rule refuses. Returns its id."""
        actor = require(who, "assessment")
        checked, problems = check_entry(entry.get("year"), entry.get("unit"), entry.get("kind"), entry.get("points"),
                                        entry.get("note") or "")
        if problems:
            raise ValueError(f"assessment entry refused: {', '.join(problems)}")
        with self.transaction():
            new_id = self._one("SELECT coalesce(max(id), 0) + 1 FROM assessment_entries")[0]
            self.con.execute("INSERT INTO assessment_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             [new_id, checked["year"], checked["unit"], checked["kind"], checked["points"],
                              checked["note"], actor.name, datetime.now()])
            self._audit(actor, "assessment", _describe(new_id, checked))
        return int(new_id)

    def delete_assessment_entry(self, entry_id: int, who=None) -> None:
        actor = require(who, "assessment")
        with self.transaction():
            old = self._one("SELECT year, unit, kind, points, note FROM assessment_entries WHERE id = ?",
                            [int(entry_id)])
            self.con.execute("DELETE FROM assessment_entries WHERE id = ?", [int(entry_id)])
            if old:
                self._audit(actor, "assessment_deleted",
                            _describe(entry_id, dict(zip(("year", "unit", "kind", "points", "note"), old))))


def _describe(entry_id: int, entry: dict) -> str:
    """``#3: 2026 客服部 award 0.5 (市公司合作奖)``"""
    note = f" ({entry['note']})" if entry.get("note") else ""
    return f"#{int(entry_id)}: {entry['year']} {entry['unit']} {entry['kind']} {entry['points']:g}{note}"
