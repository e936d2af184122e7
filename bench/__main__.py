"""``python -m bench``: run the benchmarks, print one table, write bench/out/results.json.

    python -m bench                                  # all benchmarks, all sizes
    python -m bench --sizes 10000,100000 --only ingest,recompute
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

from bench import browser, ingest, recompute, report
from bench.data import Workload
from bench.results import OUT_FILE, Row, machine, machine_line, table, write_json

BENCHMARKS = {"ingest": ingest.run, "recompute": recompute.run,
              "browser": browser.run_browser_benchmark, "report": report.run}
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run the benchmarks, print one table, write bench/out/results.json.")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated numbers of responses (default: %(default)s)")
    parser.add_argument("--only", default=",".join(BENCHMARKS),
                        help="comma-separated benchmarks to run (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="data seed (default: 0)")
    parser.add_argument("--periods", type=int, default=8, help="periods in the data (default: 8)")
    parser.add_argument("--out", default=str(OUT_FILE), help="JSON file (default: bench/out/results.json)")
    args = parser.parse_args(argv)
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.only = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = [b for b in args.only if b not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    return args


def run_all(names: list[str], sizes: list[int], seed: int = 0, periods: int = 8) -> list[Row]:
    """Each benchmark at each size; a failure becomes an 'error' row, the rest go on."""
    rows: list[Row] = []
    for size in sizes:
        workload = Workload(size, seed, n_periods=periods)
        if names != ["browser"]:
            start = time.perf_counter()
            workload.path()
            log(f"data: {size:,} rows ready ({time.perf_counter() - start:.1f} s)")
        for name in names:
            start = time.perf_counter()
            try:
                new = BENCHMARKS[name](workload)
            except Exception as error:           # report it, keep the other measurements
                log(traceback.format_exc())
                new = [Row(name, size, None, None, "", "", status="error",
                           detail={"error": f"{type(error).__name__}: {error}"})]
            log(f"{name} at {size:,}: {time.perf_counter() - start:.1f} s")
            rows.extend(new)
    return rows


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine()
    rows = run_all(args.only, args.sizes, args.seed, args.periods)
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(table(rows))
    print(f"\nMachine: {machine_line(info)}")
    path = write_json(rows, info, {"sizes": args.sizes, "only": args.only, "seed": args.seed,
                                   "periods": args.periods}, path=Path(args.out))
    print(f"Written: {path}")
    return 1 if any(r.status == "error" or r.agree is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
