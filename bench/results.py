"""Result rows, the printed table, and the JSON file with the machine it ran on."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

PACKAGES = ("numpy", "pandas", "pyarrow", "duckdb", "fastexcel", "openpyxl", "xlsxwriter",
            "streamlit", "playwright")
OUT_FILE = Path(__file__).resolve().parent / "out" / "results.json"


@dataclass
class Row:
    """One line of the table: ours against one peer on one size.

    ``ours`` / ``peer`` are in ``unit`` (s, ms or MB); ``ratio`` is peer ÷ ours, so above 1
    means ours is faster (or smaller). ``met`` is True / False, or None when no target is
    set at this size or the row was not run.
    """

    benchmark: str
    size: int
    ours: float | None
    peer: float | None
    peer_name: str
    unit: str
    target: str = ""
    met: bool | None = None
    agree: bool | None = None
    status: str = "ok"
    detail: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.ours or self.peer is None:
            return None
        return self.peer / self.ours


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    digits = 3 if value < 10 else (1 if value < 1000 else 0)
    return f"{value:.{digits}f} {unit}"


def _ratio(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3g}x" if value < 1000 else f"{value:,.0f}x"


def _met(row: Row) -> str:
    if row.status != "ok":
        return row.status
    return {True: "yes", False: "NO", None: "-"}[row.met]


def table(rows: list[Row]) -> str:
    """The rows as a fixed-width text table (also valid Markdown)."""
    head = ["benchmark", "size", "ours", "peer", "ratio (peer/ours)", "target", "met?", "agree?"]
    body = [[r.benchmark, f"{r.size:,}", _number(r.ours, r.unit),
             f"{_number(r.peer, r.unit)} ({r.peer_name})" if r.peer_name else "-",
             _ratio(r.ratio), r.target or "-", _met(r),
             {True: "yes", False: "NO", None: "-"}[r.agree]] for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h)
              for i, h in enumerate(head)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(head), sep, *(line(b) for b in body)])


def machine() -> dict:
    """CPU model, cores, memory, load, Python and package versions, date."""
    cpu = platform.processor() or platform.machine()
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        kib = next(int(t.split()[1]) for t in Path("/proc/meminfo").read_text().splitlines()
                   if t.startswith("MemTotal"))
        memory = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "commit": commit(), "chromium": chromium_version(),
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "os": platform.platform(), "python": platform.python_version(),
        "packages": versions, "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def chromium_version() -> str | None:
    """``chromium --version`` of the Chromium the browser benchmark drives (None if absent)."""
    try:
        out = subprocess.run(["chromium", "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip().split(" built on")[0] or None if out.returncode == 0 else None


def commit() -> str | None:
    """The measured code's git commit (``BENCH_COMMIT`` overrides, e.g. for an export)."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10, cwd=Path(__file__).resolve().parent)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "csi_core", "bench"],
                               capture_output=True, text=True, timeout=10,
                               cwd=Path(__file__).resolve().parent)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def _end_load(info: dict) -> str:
    end = info.get("load_average_end")
    return f" -> {end[0]}" if end else ""


def machine_line(info: dict) -> str:
    p = info["packages"]
    return (f"{info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB, "
            f"load {info['load_average'][0]}{_end_load(info)}; Python {info['python']}, "
            f"duckdb {p['duckdb']}, fastexcel {p['fastexcel']}, pandas {p['pandas']}, "
            f"numpy {p['numpy']}, openpyxl {p['openpyxl']}, streamlit {p.get('streamlit')}, "
            f"playwright {p.get('playwright')}, {info.get('chromium') or 'no chromium'}; "
            f"commit {info['commit']}; {info['date']}")


def write_json(rows: list[Row], info: dict, options: dict, path: Path = OUT_FILE) -> Path:
    """Write ``{"machine", "options", "results": [...]}`` (ratio included) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    results = [{**asdict(r), "ratio": r.ratio} for r in rows]
    path.write_text(json.dumps({"machine": info, "options": options, "results": results},
                               ensure_ascii=False, indent=2, default=str))
    return path
