"""Golden workbooks: the command line's JSON equals the expected JSON field by field.

The expected files were written by tests/data/make_golden.py from tests/reference.py,
an independent implementation; ``test_golden_files_are_current`` recomputes them.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import reference

DATA = Path(__file__).parent / "data"
CASES = sorted(DATA.glob("golden_*.json"))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csi_core", *args], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parent.parent)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_cli_json_equals_golden(case):
    spec = json.loads(case.read_text(encoding="utf-8"))
    out = run_cli("score", str(DATA / spec["workbook"]), "--format", "json", *spec["args"])
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    reference.assert_same(json.loads(out.stdout), spec["expected"])


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_files_are_current(case):
    spec = json.loads(case.read_text(encoding="utf-8"))
    weights = None
    if spec["args"]:
        weights = {k: float(v) for k, v in (p.split("=") for p in spec["args"][1].split(","))}
    assert reference.compute(str(DATA / spec["workbook"]), weights) == spec["expected"]


def test_worked_example_numbers_of_method():
    spec = json.loads((DATA / "golden_worked_example.json").read_text(encoding="utf-8"))
    out = json.loads(run_cli("score", str(DATA / spec["workbook"]), "--format", "json").stdout)
    items = out["periods"]["2026Q1"]["segments"]["all"]["items"]
    assert items["指标A"]["score"] == pytest.approx(0.747, abs=1e-12)
    assert items["指标A"]["weight"] == pytest.approx(0.38, abs=1e-12)
    assert items["指标B"]["weight"] == pytest.approx(0.22, abs=1e-12)


def test_demo_workbook_equals_the_reference():
    weights = "民用户=60,工商业户=30,公福用户=10"
    out = run_cli("score", "data/demo.xlsx", "--format", "json", "--segment-weights", weights)
    assert out.returncode == 0, out.stderr
    expected = reference.compute(str(DATA.parent.parent / "data" / "demo.xlsx"),
                                 {k: float(v) for k, v in (p.split("=") for p in weights.split(","))})
    reference.assert_same(json.loads(out.stdout), expected)
