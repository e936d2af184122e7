"""An import running in its own thread, so that a page can show its progress and a
click or a page switch meanwhile never cuts it short (DESIGN "Reliability facts").

The page starts a job and polls it; the job runs :func:`csi_core.store.ingest.ingest`
on its own cursor of the store and always runs to its end. Complaints the page read from
the workbook's complaints sheet (checked, without problems) are stored in the same
transaction as the questionnaires: both or neither.
"""
from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass, field

from csi_core.method.complaints import record_key
from csi_core.store import ingest
from csi_core.store.db import StoreError
from csi_core.store.faults import is_fault

log = logging.getLogger(__name__)


@dataclass
class ImportJob:
    """One import: its progress (``fraction``, ``step``) while it runs, then its
    ``outcome``, a store ``error`` (a sentence) or the exception it ``failed`` with."""

    sha: str
    filename: str
    fraction: float = 0.0
    step: str = "validating"
    outcome: ingest.Outcome | None = None
    error: str = ""
    failed: BaseException | None = None
    validated: ingest.Outcome | None = field(default=None, repr=False)  # the report shown: not redone
    complaints: tuple = field(default=(), repr=False)  # complaint records to store with the import
    complaints_stored: int = 0  # how many of them were stored
    complaints_known: int = 0  # how many were stored before (the same records): left out
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def progress(self, fraction: float, step: str) -> None:
        self.fraction, self.step = max(0.05, min(fraction, 1.0)), step

    def wait(self, seconds: float) -> None:
        if self.thread is not None:
            self.thread.join(seconds)


def start(store, data: bytes, sha: str, filename: str, *, replace: bool, who, options: dict,
          validated: ingest.Outcome | None = None, complaints=()) -> ImportJob:
    """Start importing ``data`` into ``store`` (validated ``options`` as for
    :func:`ingest.ingest`) as ``who`` — the session's user: the thread has no session;
    ``complaints`` (records of :mod:`csi_core.reading.complaints`) are stored with it.
    Returns the running job."""
    job = ImportJob(sha, filename, validated=validated, complaints=tuple(complaints))
    job.thread = threading.Thread(target=run, args=(job, store, data, replace, who, options),
                                  name=f"csi-import-{sha[:8]}", daemon=False)
    job.thread.start()
    return job


def run(job: ImportJob, main_store, data: bytes, replace: bool, who, options: dict) -> None:
    """The job's body: its own cursor, to the end whatever the page does meanwhile."""
    store = main_store.cursor()
    try:
        # the questionnaires and the complaints: both or neither (without complaints the
        # import is its own one transaction, as before)
        with store.transaction() if job.complaints else contextlib.nullcontext():
            job.outcome = ingest.ingest(store, data, job.filename, replace=replace, who=who, progress=job.progress,
                                        validated=job.validated, **options)
            if job.complaints and job.outcome.ok:
                stored = {record_key(c) for c in store.complaints().to_dict("records")}
                records = [{k: v for k, v in r.items() if k != "row"} for r in job.complaints
                           if record_key(r) not in stored]  # the same workbook again: not twice
                job.complaints_stored = len(store.save_complaints(records, who=who)) if records else 0
                job.complaints_known = len(job.complaints) - len(records)
    except StoreError as exc:
        job.error = str(exc)
        if is_fault(exc):  # the disk or the file: named on the page, logged with an error id
            job.failed = exc
    except Exception as exc:  # noqa: BLE001 — shown as a friendly message, logged in full (a refused role too)
        log.exception("import of %s failed", job.filename)
        job.failed = exc
    finally:
        job.fraction = 1.0
        job.validated = None  # the report's arrays are not kept beyond the import
        job.complaints = ()
        try:
            store.close()
        except Exception:  # noqa: BLE001
            pass
