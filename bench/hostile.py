"""Hostile files, measured: every case of ``tests/hostile/`` in a fresh process — what
happened, how long it took, how much memory the server side and the reader process used.

    python -m bench.hostile            # every case (about a minute)
    python -m bench.hostile --cold     # also: the cost of starting a reader process

Targets (issue 10): a file under 1 MB stays under 300 MB in each process; the ratio bomb
is refused in seconds, not read for 13–22 s. "server MB" is the validating process's peak
growth (the upload's bytes included); "reader MB" the reader process's peak, "stopped"
when its read was abandoned (the scan refused the file first) or cut by its memory cap.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

TARGET_MB = 300


def one(name: str) -> dict:
    """Run one case here (a fresh process) and measure it."""
    from csi_core.reading import worker
    from csi_core.store.ingest import validate_bytes
    from tests.hostile.cases import CASES

    case = next(c for c in CASES if c.name == name)
    worker.prestart()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    data = case.make()  # the upload's bytes count: the server holds them
    start = time.perf_counter()
    outcome = validate_bytes(data, "hostile.xlsx", limits=case.limits)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reader = max((_peak_mb(w.proc.pid) for w in worker._idle), default=0.0)  # noqa: SLF001
    worker.shutdown()
    problems = list(outcome.problems) or (list(outcome.report.problems) if outcome.report else [])
    return {"case": name, "bytes": len(data), "result": problems[0].code if problems else "read",
            "seconds": seconds, "server_growth_mb": peak - base, "reader_peak_mb": reader}


def _peak_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM), MB; a reader that died counts as 0 here
    (its memory was refused by its cap)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _reader(mb: float) -> str:
    return f"{mb:.1f}" if mb else "stopped"  # abandoned or out of its cap: never above the cap


def cold_start() -> float:
    """Seconds from nothing to a reader process that answers."""
    from csi_core.reading import worker

    start = time.perf_counter()
    worker.prestart()
    seconds = time.perf_counter() - start
    worker.shutdown()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--cold", action="store_true", help="also time a reader process's start")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one)))
        return 0
    from tests.hostile.cases import CASES

    rows, failed = [], 0
    print(f"{'case':<62} {'file':>10} {'result':<18} {'s':>6} {'server MB':>9} {'reader MB':>9}  met")
    for case in CASES:
        out = subprocess.run([sys.executable, "-m", "bench.hostile", "--one", case.name], capture_output=True,
                             text=True, timeout=600)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        small = row["bytes"] < 2**20
        met = not small or (row["server_growth_mb"] < TARGET_MB and row["reader_peak_mb"] < TARGET_MB)
        failed += not met
        rows.append(row)
        print(f"{row['case'][:62]:<62} {row['bytes']:>10,} {row['result']:<18} {row['seconds']:>6.2f} "
              f"{row['server_growth_mb']:>9.1f} {_reader(row['reader_peak_mb']):>9}  {'yes' if met else 'NO'}")
    if args.cold:
        print(f"\nreader process start (cold): {cold_start():.2f} s — paid once per server, before the first upload")
    print(f"\n{len(rows)} cases; files under 1 MB over {TARGET_MB} MB in a process: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
