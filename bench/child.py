"""Run one benchmark step in a fresh process: its time and its peak memory.

A step is ``module:function`` taking ``(data: bytes, db_path: str)`` and returning a small
summary dict. The child imports the step's module (and calls its ``warm_<function>`` if
there is one), reads the file, then runs the step ``repeats`` times, each into a new
database file, timing each run. The peak resident memory is the child's own
``getrusage(RUSAGE_SELF).ru_maxrss`` at the end, sent back with the times. (The parent's
``RUSAGE_CHILDREN`` keeps the maximum over *all* children it ever waited for, so it would
mix up steps; the child's own figure is that of this one step.) The peak includes the
interpreter, the imported packages and the file's bytes: what the step needs as a process.
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path


def _rss_now() -> int:
    """Current resident memory in bytes (Linux), 0 where unknown."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _maxrss() -> int:
    scale = 1 if sys.platform == "darwin" else 1024       # Linux reports KiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def _child(conn, step: str, path: str, repeats: int) -> None:
    try:
        module_name, func_name = step.split(":")
        module = importlib.import_module(module_name)
        func = getattr(module, func_name)
        warm = getattr(module, f"warm_{func_name}", None)
        if warm:
            warm()
        data = Path(path).read_bytes()
        baseline = _rss_now()
        seconds, summary = [], None
        with tempfile.TemporaryDirectory(prefix="csi-bench-") as tmp:
            for k in range(repeats):
                gc.collect()
                start = time.perf_counter()
                summary = func(data, str(Path(tmp) / f"run{k}.duckdb"))
                seconds.append(time.perf_counter() - start)
        conn.send({"seconds": seconds, "summary": summary, "peak_bytes": _maxrss(),
                   "baseline_bytes": baseline})
    except BaseException:
        conn.send({"error": traceback.format_exc()})
    finally:
        conn.close()


def measure(step: str, path: str, repeats: int = 1, timeout: float | None = None) -> dict:
    """Run ``step`` on the workbook at ``path`` in a spawned process.

    Returns ``{"seconds": [...], "summary": ..., "peak_bytes": int, "baseline_bytes": int}``;
    raises ``RuntimeError`` with the child's traceback if the step failed.
    """
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, step, str(path), repeats), daemon=True)
    process.start()
    sender.close()
    try:
        if timeout is not None and not receiver.poll(timeout):
            process.kill()
            raise RuntimeError(f"{step} took longer than {timeout} s")
        message = receiver.recv()
    except EOFError:
        message = {"error": f"{step}: the child process died (exit code {process.exitcode})"}
    finally:
        process.join()
        receiver.close()
    if "error" in message:
        raise RuntimeError(message["error"])
    return message
