"""The ingest steps the child process times: ours, peer (a) and peer (b).

Each takes the workbook's bytes and a fresh database path and returns a small summary
(returned / valid / invalid) so the parent can check that ours and the peer agree.
``warm_<step>`` does the imports before the clock starts.
"""

from __future__ import annotations

from bench import peers


def warm_ingest_ours() -> None:
    import csi_core.store.ingest  # noqa: F401
    import csi_core.store.db  # noqa: F401
    from csi_core.reading import worker

    worker.prestart()  # the app starts its reader process with the server (README "Hostile files")


def ingest_ours(data: bytes, db_path: str) -> dict:
    """Ours: workbook bytes → read, validated, committed in the DuckDB file at ``db_path``."""
    from csi_core.store import ingest
    from csi_core.store.db import Store

    store = Store.open(db_path)
    try:
        outcome = ingest.ingest(store, data, "bench.xlsx")
        return ours_summary(outcome)
    finally:
        close = getattr(store, "close", None)
        if close:
            close()


def ours_summary(outcome) -> dict:
    """Returned / valid / invalid of our ingest outcome, in the peer's shape."""
    report = outcome.report
    summary = {"ok": bool(outcome.ok)}
    for name, attrs in (("returned", ("returned", "rows_read")), ("valid", ("valid",)),
                        ("invalid", ("invalid",))):
        value = next((getattr(report, a) for a in attrs if getattr(report, a, None) is not None), None)
        if value is not None:
            summary[name] = int(value() if callable(value) else value)
    by_reason = getattr(report, "invalid_by_reason", None)
    if by_reason is not None:
        summary["by_reason"] = {k: int(v) for k, v in sorted(by_reason.items()) if v}
    return summary


def warm_ingest_pandas() -> None:
    import duckdb  # noqa: F401
    import openpyxl  # noqa: F401
    import pandas  # noqa: F401


def ingest_pandas(data: bytes, db_path: str) -> dict:
    """Peer (a): pandas.read_excel + openpyxl, per-row checks in Python, DuckDB insert."""
    return peers.pandas_ingest(data, db_path)


def warm_read_fastexcel() -> None:
    import fastexcel  # noqa: F401


def read_fastexcel(data: bytes, db_path: str) -> dict:
    """Peer (b): the bare fastexcel read of the sheet, nothing else."""
    table = peers.fastexcel_read(data)
    return {"returned": table.num_rows}
