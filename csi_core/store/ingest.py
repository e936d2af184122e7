"""One upload from bytes to the store: read, validate, check conflicts, import.

The app and the command line both go through here, so they refuse and accept the
same files for the same reasons.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from csi_core.reading.problems import Problem, WorkbookRefused
from csi_core.store.db import ImportResult, Store
from csi_core.reading.validate import MIN_ANSWERED_SHARE, ValidationReport, check
from csi_core.reading.workbook import Limits, read


@dataclass(frozen=True)
class Outcome:
    """What happened to an upload: its validation report, and the import if any."""

    filename: str
    report: ValidationReport | None
    problems: tuple[Problem, ...] = ()
    imported: ImportResult | None = None
    conflicts: tuple[Problem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.imported is not None

    def messages(self, lang: str = "en") -> list[str]:
        """Every reason the upload was not imported, one line each."""
        if self.report is not None and self.report.problems:
            return self.report.messages(lang)
        return [p.message(lang, self.filename) for p in (*self.problems, *self.conflicts)]


def validate_bytes(data: bytes, filename: str, *, scale: str = "default", mapping: dict[str, int] | None = None,
                   focus_mapping: dict | None = None, columns: dict[str, str] | None = None,
                   period: str | None = None, min_answered_share: float = MIN_ANSWERED_SHARE,
                   limits: Limits = Limits()) -> Outcome:
    """Read and validate, store nothing: the report a user sees before confirming."""
    try:
        table = read(data, filename, columns, limits)
    except WorkbookRefused as refused:
        return Outcome(filename, None, tuple(refused.problems))
    report = check(table, scale, mapping, focus_mapping, period, min_answered_share)
    return Outcome(filename, report)


def ingest(store: Store, data: bytes, filename: str, *, replace: bool = False, who=None,
           progress: Callable[[float, str], None] | None = None, validated: Outcome | None = None,
           **options) -> Outcome:
    """Validate and, when nothing refuses it, import in one transaction.

    Without ``replace`` a stored period or the same file again stops the import and
    is reported in ``conflicts``; with it the stored period is archived and replaced.
    ``validated`` is the :func:`validate_bytes` outcome of these same bytes and
    options, when the caller has it already (the upload page): it is not redone.
    """
    outcome = validated if validated is not None else validate_bytes(data, filename, **options)
    if outcome.report is None or not outcome.report.ok:
        return outcome
    conflicts = tuple(store.conflicts(outcome.report.parsed, data))
    if conflicts and not replace:
        return Outcome(filename, outcome.report, conflicts=conflicts)
    imported = store.import_upload(outcome.report.parsed, data, filename, replace=replace, who=who, progress=progress)
    return Outcome(filename, outcome.report, imported=imported, conflicts=conflicts)
