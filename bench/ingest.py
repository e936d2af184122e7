"""Benchmark 2 — ingest: workbook → validated → committed in DuckDB.

Ours (``csi_core.store.ingest.ingest`` into a DuckDB file) against
(a) pandas.read_excel + openpyxl, per-row checks in Python, insert into DuckDB, and
(b) the bare fastexcel read of the same file.
Every step runs in its own spawned process (time and peak memory), on the same file.
Targets: at 100 000 rows ours ≤ 5 s, ≥ 5× faster than (a), within 2× of (b);
at 1 000 000 rows our peak memory ≤ 2.5 GB.
"""

from __future__ import annotations

from bench.child import measure
from bench.data import Workload
from bench.results import Row, median

TIME_TARGET_ROWS = 100_000
MEMORY_TARGET_ROWS = 1_000_000
MAX_SECONDS = 5.0
MIN_SPEEDUP_A = 5.0
MIN_RATIO_B = 0.5            # within 2× of the bare read: peer/ours ≥ 0.5
MAX_PEAK_BYTES = 2.5e9       # 2.5 GB (decimal)


def default_repeats(n_rows: int) -> tuple[int, int]:
    """(repeats for ours and the bare read, repeats for the slow peer (a))."""
    if n_rows <= 20_000:
        return 3, 2
    if n_rows <= 200_000:
        return 3, 1
    return 1, 1


def agree(ours: dict, peer: dict) -> bool:
    """Ours and peer (a) count the same returned, valid and invalid questionnaires
    (and the same invalid ones by reason, where our report gives them)."""
    keys = [k for k in ("returned", "valid", "invalid", "by_reason") if k in ours]
    return bool(keys) and ours.get("ok", True) and all(ours[k] == peer[k] for k in keys)


def run(workload: Workload, repeats: tuple[int, int] | None = None) -> list[Row]:
    """Measure ours, (a) and (b) on one workload; three rows: vs (a), vs (b), memory."""
    n = workload.n_rows
    path = workload.path()
    fast, slow = repeats or default_repeats(n)
    ours = measure("bench.steps:ingest_ours", path, fast)
    peer_a = measure("bench.steps:ingest_pandas", path, slow)
    peer_b = measure("bench.steps:read_fastexcel", path, fast)
    t_ours, t_a, t_b = (median(m["seconds"]) for m in (ours, peer_a, peer_b))
    same = agree(ours["summary"], peer_a["summary"])
    detail = {"ours": ours, "pandas_openpyxl": peer_a, "fastexcel": peer_b}

    vs_a = Row("ingest", n, t_ours, t_a, "pandas+openpyxl, per-row checks, DuckDB", "s",
               agree=same, detail={k: _brief(v) for k, v in detail.items()})
    vs_b = Row("ingest vs bare read", n, t_ours, t_b, "fastexcel bare read", "s",
               agree=ours["summary"].get("returned") == peer_b["summary"]["returned"])
    memory = Row("ingest peak memory", n, ours["peak_bytes"] / 1e6, peer_a["peak_bytes"] / 1e6,
                 "pandas+openpyxl", "MB", agree=same)
    if n == TIME_TARGET_ROWS:
        vs_a.target = f"ours <= {MAX_SECONDS:g} s and >= {MIN_SPEEDUP_A:g}x"
        vs_a.met = t_ours <= MAX_SECONDS and vs_a.ratio >= MIN_SPEEDUP_A
        vs_b.target = "within 2x (>= 0.5x)"
        vs_b.met = vs_b.ratio >= MIN_RATIO_B
    if n == MEMORY_TARGET_ROWS:
        memory.target = "ours <= 2500 MB"
        memory.met = ours["peak_bytes"] <= MAX_PEAK_BYTES
    return [vs_a, vs_b, memory]


def _brief(measured: dict) -> dict:
    return {"seconds": [round(s, 4) for s in measured["seconds"]],
            "peak_mb": round(measured["peak_bytes"] / 1e6, 1),
            "baseline_mb": round(measured["baseline_bytes"] / 1e6, 1),
            "summary": measured["summary"]}
