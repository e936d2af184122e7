"""The benchmarks still work: each runs once at the smallest size (2 000 rows, 2 periods).

No timing is asserted here; what is asserted is that ours and the peer give the same
numbers (the pandas reference equals our CSI to 1e-9), so a wrong formula on either side
fails the test.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bench import data, ingest, peers, recompute
from bench.__main__ import main
from bench.data import Workload

SMALL = Workload(2_000, seed=0, n_periods=2)


@pytest.fixture(scope="module")
def small_path():
    return SMALL.path()


def test_workbook_is_template_v1_and_deterministic(tmp_path, small_path):
    again = data.write_workbook(tmp_path / "again.xlsx", 2_000, 0, n_periods=2)
    first, second = peers.fastexcel_read(small_path.read_bytes()), peers.fastexcel_read(again.read_bytes())
    assert first.column_names == data.HEADERS
    assert first.equals(second)
    frame = first.to_pandas()
    assert len(frame) == 2_000
    assert sorted(frame["period"].unique()) == ["2025Q1", "2025Q2"]
    assert set(frame["segment"]) == set(data.SEGMENTS)
    answers = frame[data.ITEMS].stack(future_stack=True)
    assert 0.02 < answers.isna().mean() < 0.06                      # ~3 % blank (+ invalid rows)
    assert {"很满意", "不适用", "5"} <= set(answers.dropna())
    assert frame["focus"].str.contains("、").any() and frame["focus"].str.contains(",").any()


def test_generated_invalid_rows_are_found_by_the_peer(small_path):
    table = peers.fastexcel_read(small_path.read_bytes())
    checked = peers.validate_rows(table.column_names, zip(*(c.to_pylist() for c in table.columns)))
    summary = checked.summary()
    assert not checked.problems
    assert summary["returned"] == 2_000
    assert set(summary["by_reason"]) == {"no_answers", "too_few_answers", "duplicate_id"}


def test_peer_reference_follows_the_worked_examples():
    # METHOD.md: 18 / 56 / 23 / 2 / 1 answers at levels 5..1 → 0.747; ticks 38 / 22 → 38 % / 22 %
    levels = [5] * 18 + [4] * 56 + [3] * 23 + [2] * 2 + [1] * 1
    ticks_a = [True] * 38 + [False] * 62
    ticks_b = [True] * 22 + [False] * 78
    checked = peers.Checked(["A", "B"], {
        "period": ["2026Q1"] * 100, "segment": ["s"] * 100, "customer": ["c"] * 100,
        "valid": [True] * 100, "invalid_reason": [None] * 100},
        [levels, [4] * 100], [ticks_a, ticks_b])
    result = peers.pandas_compute(peers.raw_rows(checked), {"s": 1})
    assert result.item_score.loc[("2026Q1", "s"), "A"] == pytest.approx(0.747, abs=1e-12)
    assert result.item_weight.loc[("2026Q1", "s")].tolist() == pytest.approx([38 / 60, 22 / 60])
    expected = 100 * (38 / 60 * 0.747 + 22 / 60 * 0.8)
    assert result.total["2026Q1"] == pytest.approx(expected, abs=1e-9)


@pytest.mark.slow
def test_ingest_benchmark_runs_and_agrees_with_the_peer():
    rows = ingest.run(SMALL, repeats=(1, 1))
    assert [r.benchmark for r in rows] == ["ingest", "ingest vs bare read", "ingest peak memory"]
    assert all(r.agree for r in rows)
    assert all(r.ours > 0 and r.peer > 0 for r in rows)
    summary = rows[0].detail["ours"]["summary"]
    assert summary["returned"] == 2_000 and summary["invalid"] > 0


def test_recompute_benchmark_runs_and_agrees_with_the_peer():
    rows = recompute.run(SMALL, budget=0.05)
    assert [r.benchmark for r in rows][:2] == ["recompute (weight change)", "recompute with 95 % intervals"]
    assert len(rows) == 4
    for row in rows:
        assert row.agree, row.detail["disagreement"]
        assert row.detail["max_abs_diff"] <= 1e-9
        assert row.ours > 0 and row.peer > 0


@pytest.mark.slow
def test_report_benchmark_runs(monkeypatch):
    """Ours once each (the Chromium peer is left out here: it is slow on a busy machine)."""
    from bench import report
    from csi_core.method import csi
    from csi_core.method.grades import round_half_up

    monkeypatch.setattr(report, "REPEATS", 0)
    monkeypatch.setattr(report, "peer", lambda store: (None, b"", "left out in tests"))
    rows = report.run(SMALL)
    assert [r.benchmark for r in rows] == ["report PDF, management summary", "report PDF with appendix"]
    assert all(r.ours > 0 and r.peer is None for r in rows)
    detail = rows[0].detail
    counts = report._store(SMALL).counts()
    total = csi.compute(counts, csi.Weights()).total[-1]
    assert detail["total_shown"] == f"{round_half_up(total):.1f}"
    assert detail["pages"]["appendix"] > detail["pages"]["summary"]


def test_pandas_csi_equals_ours_and_a_difference_is_caught(small_path):
    from bench import ours

    raw_bytes = small_path.read_bytes()
    loaded = ours.load(raw_bytes)
    raw = peers.read_raw_rows(raw_bytes)
    weights = {"residential": 55, "commercial": 30, "public": 15}
    mine, theirs = ours.compute(loaded.counts, weights), peers.pandas_compute(raw, weights)
    np.testing.assert_allclose(ours.totals(loaded.counts, mine).to_numpy(),
                               theirs.total.to_numpy(), rtol=0, atol=1e-9)
    assert recompute.compare_results(loaded.counts, mine, theirs).ok
    theirs.total.iloc[0] += 1e-6
    assert not recompute.compare_results(loaded.counts, mine, theirs).ok


def test_command_line_prints_the_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "results.json"
    code = main(["--sizes", "2000", "--periods", "2", "--only", "browser", "--out", str(out)])
    assert code == 0
    assert "not run" in capsys.readouterr().out
    written = json.loads(out.read_text())
    assert {"cpu", "cores", "memory_gib", "python", "packages", "date"} <= set(written["machine"])
    assert [r["status"] for r in written["results"]] == ["not run", "not run"]
    assert pd.DataFrame(written["results"])["size"].eq(2000).all()
