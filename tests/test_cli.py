"""The command line of CONTRACTS.md: exit codes, stderr reasons, never a traceback."""
import json

import pytest

from tests.conftest import xlsx
from tests.test_golden import DATA, run_cli

GOOD = xlsx([["期间", "客户类型", "质量", "服务"], ["2026Q1", "residential", "很满意", "满意"],
             ["2026Q1", "commercial", "一般", "满意"], ["2026Q2", "residential", "满意", "满意"]])


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.xlsx"
    path.write_bytes(GOOD)
    return path


def refused(tmp_path, data: bytes, *args: str, name="bad.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    out = run_cli("score", str(path), *args)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr and out.stdout == ""
    return out.stderr.strip().splitlines()


def test_unknown_labels_exit_2_with_every_cell(tmp_path):
    lines = refused(tmp_path, xlsx([["period", "q", "r"], ["2026Q1", "好", "很满意"], ["2026Q1", "满意", "坏"]]))
    assert len(lines) == 2
    assert "row 2" in lines[0] and "column B (q)" in lines[0] and "'好'" in lines[0]
    assert "row 3" in lines[1] and "column C (r)" in lines[1]


def test_map_makes_them_known(tmp_path):
    path = tmp_path / "m.xlsx"
    path.write_bytes(xlsx([["period", "q"], ["2026Q1", "好"]]))
    out = run_cli("score", str(path), "--map", "好=4", "--format", "json")
    assert out.returncode == 0 and json.loads(out.stdout)["periods"]["2026Q1"]["csi"] == pytest.approx(80.0)


@pytest.mark.parametrize("data,needle", [
    (b"", "empty"), (b"a,b\n1,2\n", "not an Excel workbook"), (b"\xd0\xcf\x11\xe0" + b"\0" * 64, ".xls"),
    (xlsx([["q"], [5]]), "no period column"), (xlsx([["period"], ["2026Q1"]]), "no item columns"),
    (xlsx([["period", "q"]]), "no questionnaire rows"),
])
def test_refused_files_say_why(tmp_path, data, needle):
    lines = refused(tmp_path, data)
    assert any(needle in line for line in lines), lines


def test_missing_file(tmp_path):
    out = run_cli("score", str(tmp_path / "nope.xlsx"))
    assert out.returncode == 2 and "cannot read the file" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("args,needle", [
    (["--segment-weights", "residential=abc"], "cannot read segment weight"),
    (["--segment-weights", "residental=70"], "unknown segment"),
    (["--item-weights", "nope=1"], "unknown item"),
    (["--period", "2027Q1"], "not in the file"),
])
def test_bad_arguments_exit_2(good, args, needle):
    out = run_cli("score", str(good), *args)
    assert out.returncode == 2 and needle in out.stderr and "Traceback" not in out.stderr


def test_json_shape_and_options(good):
    out = run_cli("score", str(good), "--format", "json", "--segment-weights", "residential=70,commercial=30")
    res = json.loads(out.stdout)["periods"]
    assert list(res) == ["2026Q1", "2026Q2"]
    q1 = res["2026Q1"]
    assert q1["segment_weights"] == {"residential": 0.7, "commercial": 0.3}
    assert q1["csi"] == pytest.approx(0.7 * 90 + 0.3 * 65)
    assert q1["responses"] == {"returned": 2, "valid": 2, "invalid": 0}
    assert q1["grade"] == "fairly_satisfied"
    assert {"kind": "item", "segment": "commercial", "item": "质量", "score": 0.5} in q1["actions"]
    assert res["2026Q2"]["segment_weights"] == {"residential": 1.0}  # commercial absent: renormalised
    only = json.loads(run_cli("score", str(good), "--format", "json", "--period", "2026-Q2").stdout)
    assert list(only["periods"]) == ["2026Q2"]
    item = json.loads(run_cli("score", str(good), "--format", "json", "--item-weights", "质量=3,服务=1").stdout)
    assert item["periods"]["2026Q1"]["segments"]["residential"]["csi"] == pytest.approx(100 * (0.75 * 1 + 0.25 * 0.8))


def test_scale_option(good):
    out = json.loads(run_cli("score", str(good), "--format", "json", "--scale", "100-80-60-30-0").stdout)
    assert out["periods"]["2026Q1"]["segments"]["commercial"]["items"]["质量"]["score"] == pytest.approx(0.6)


def test_table_format(good):
    out = run_cli("score", str(good))
    assert out.returncode == 0 and "2026Q1" in out.stdout and "CSI" in out.stdout


def test_import_then_report_then_locked(tmp_path, good):
    db = str(tmp_path / "csi.duckdb")
    out = run_cli("import", str(good), "--db", db)
    assert out.returncode == 0 and "imported 3" in out.stdout
    again = run_cli("import", str(good), "--db", db)
    assert again.returncode == 2 and "already" in again.stderr
    replaced = run_cli("import", str(good), "--db", db, "--replace")
    assert replaced.returncode == 0 and "replaced 2026Q1, 2026Q2" in replaced.stdout
    report = tmp_path / "r.xlsx"
    out = run_cli("report", "--db", db, "--out", str(report))
    assert out.returncode == 0 and report.read_bytes()[:2] == b"PK"
    empty = run_cli("report", "--db", str(tmp_path / "empty.duckdb"), "--out", str(tmp_path / "e.xlsx"))
    assert empty.returncode == 2 and "holds no responses" in empty.stderr


def test_chinese_messages(tmp_path):
    path = tmp_path / "z.xlsx"
    path.write_bytes(xlsx([["period", "q"], ["2026Q1", "好"]]))
    out = run_cli("score", str(path), "--lang", "zh")
    assert out.returncode == 2 and "第 2 行" in out.stderr


def test_golden_data_is_there():
    assert (DATA / "basic.xlsx").exists()


def test_report_of_an_unknown_period_exits_2(tmp_path, good):
    db = str(tmp_path / "csi.duckdb")
    assert run_cli("import", str(good), "--db", db).returncode == 0
    out = run_cli("report", "--db", db, "--out", str(tmp_path / "r.xlsx"), "--period", "2030Q1")
    assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.strip()


def test_a_reader_that_stops_reading_gets_no_error_message(tmp_path):
    """`… score big.xlsx | head`: the closed pipe is not an internal error."""
    import subprocess
    import sys

    rows = [["期间", "客户类型", "客户", "质量", "服务"]]
    rows += [["2026Q1", "工商业户", f"客户{k:04d}", "满意", "很满意"] for k in range(3000)]
    path = tmp_path / "big.xlsx"
    path.write_bytes(xlsx(rows))
    proc = subprocess.Popen([sys.executable, "-m", "csi_core", "score", str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=DATA.parent.parent)
    proc.stdout.read(10)
    proc.stdout.close()  # the JSON (> 64 KiB) cannot all be written now
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "internal error" not in err and "Traceback" not in err


def test_the_table_shows_intervals_and_significant_changes():
    from csi_core.__main__ import _change, _pm
    path = DATA / "basic.xlsx"
    table = run_cli("score", str(path)).stdout.splitlines()
    summary = json.loads(run_cli("score", str(path), "--format", "json").stdout)
    for period, res in summary["periods"].items():
        line = next(row for row in table if row.startswith(period))
        lo, hi = res["ci95"]
        assert f"± {(hi - lo) / 2:.1f}" in line
        if res.get("change"):
            assert f"{res['change']['delta']:+.1f}" in line
            assert ("*" in line) == bool(res["change"]["significant"])
    assert _pm(None) == "" and _pm([1.0, 2.0]) == " ± 0.5"
    assert _change({"from": "2026Q1", "delta": -0.04, "significant": False}, 100) == "  -4.0 vs 2026Q1"
