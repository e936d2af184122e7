"""The command line's ``competitors`` field on a small workbook worked out by hand, and
our own numbers left exactly as they are without the competitor rows."""
import json
import math
from pathlib import Path

import pytest

from tests import reference
from tests.conftest import xlsx
from tests.data.make_competitors import HEADER, ROWS
from tests.test_golden import run_cli

DATA = Path(__file__).parent / "data"
SPEC = json.loads((DATA / "competitors_expected.json").read_text(encoding="utf-8"))


def score(path) -> dict:
    out = run_cli("score", str(path), "--format", "json", *SPEC["args"])
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_cli_json_equals_the_expected_file():
    reference.assert_same(score(DATA / SPEC["workbook"]), SPEC["expected"])


def test_the_expected_file_is_the_hand_computation():
    # coefficients 很满意 1.0, 满意 0.8, 一般 0.5, 不满意 0.2.
    # Our item weights (focus ticks of OUR valid questionnaires): 民用户 质量 3, 服务 1 → 0.75 / 0.25;
    # 工商业户 质量 1, 服务 1 → 0.5 / 0.5. Segment weights 民用户 70 : 工商业户 30.
    # 华润燃气 民用户: 质量 (0.8 + 0.5) / 2 = 0.65, 服务 (0.5 + 0.2) / 2 = 0.35
    #   → 100 · (0.75·0.65 + 0.25·0.35) = 48.75 + 8.75 = 57.5
    # 华润燃气 工商业户: 质量 1.0, 服务 0.8 → 100 · (0.5·1.0 + 0.5·0.8) = 90
    # 华润燃气 total: 0.7·57.5 + 0.3·90 = 40.25 + 27 = 67.25 (grade 不满意: 60.0–75.0)
    # (its own ticks, 服务 ×3, would give 民用户 35 and another total: they are not used)
    # 港华燃气: one valid questionnaire (the blank one is invalid), 民用户 only, 很满意 twice
    #   → 民用户 100; segment weights renormalised over 民用户 alone: total 100 (not 0.7·100 = 70)
    got = SPEC["expected"]["periods"]["2026Q1"]["competitors"]
    assert got["华润燃气"]["segments"]["民用户"]["csi"] == pytest.approx(100 * (0.75 * 0.65 + 0.25 * 0.35))
    assert got["华润燃气"]["segments"]["工商业户"]["csi"] == pytest.approx(100 * (0.5 * 1.0 + 0.5 * 0.8))
    assert got["华润燃气"]["csi"] == pytest.approx(0.7 * 57.5 + 0.3 * 90) == 67.25
    assert got["港华燃气"]["csi"] == 100.0
    # pooled item scores, ours over 5 questionnaires, 华润燃气 over 3:
    # ours 质量 (1 + 0.8 + 1 + 0.5 + 0.8) / 5 = 0.82, 服务 (0.8 + 0.5 + 1 + 0.8 + 0.8) / 5 = 0.78
    # 华润燃气 质量 (0.8 + 0.5 + 1.0) / 3 = 0.7667, 服务 (0.5 + 0.2 + 0.8) / 3 = 0.5
    rival = got["华润燃气"]
    assert rival["items"]["质量"] == pytest.approx(2.3 / 3) and rival["items"]["服务"] == pytest.approx(0.5)
    assert rival["gaps"]["质量"]["gap"] == pytest.approx(0.82 - 2.3 / 3)
    # noise of the 质量 gap: Var = Σ (x − s)² / (n (n − 1)), ours 0.168 / 20 = 0.0084,
    # theirs (0.0333² + 0.2667² + 0.2333²) / 6 = 0.021111; 1.96 · √0.029511 = 0.3367 > 0.0533
    half = 1.959964 * math.sqrt(0.168 / 20 + (0.1266666666666667 / 6))
    assert half > abs(rival["gaps"]["质量"]["gap"]) and rival["gaps"]["质量"]["significant"] is False
    # 服务: ours 0.128 / 20 = 0.0064, theirs 0.18 / 6 = 0.03; 1.96 · √0.0364 = 0.3739 > 0.28
    assert 1.959964 * math.sqrt(0.128 / 20 + 0.18 / 6) > 0.28


def test_the_noise_half_width_is_in_the_json():
    out = score(DATA / SPEC["workbook"])["periods"]["2026Q1"]["competitors"]["华润燃气"]["gaps"]
    assert out["质量"]["half"] == pytest.approx(1.959964 * math.sqrt(0.0084 + 0.1266666666666667 / 6))
    assert out["服务"]["half"] == pytest.approx(1.959964 * math.sqrt(0.0064 + 0.03))


def _without(value: dict) -> dict:
    """The JSON with the competitor fields taken out."""
    return {p: {k: v for k, v in entry.items() if k != "competitors"} for p, entry in value["periods"].items()}


def test_competitor_rows_leave_our_json_exactly_as_without_them(tmp_path):
    ours = [row for row in ROWS if not row[2]]
    alone = tmp_path / "ours.xlsx"
    alone.write_bytes(xlsx([HEADER] + ours))
    with_rivals, without = score(DATA / SPEC["workbook"]), score(alone)
    assert _without(with_rivals) == _without(without)  # every number to the last digit
    assert without["periods"]["2026Q1"]["competitors"] == {}
    assert with_rivals["periods"]["2026Q1"]["responses"] == {"returned": 5, "valid": 5, "invalid": 0}


def test_the_table_format_lists_the_competitors():
    out = run_cli("score", str(DATA / SPEC["workbook"]), "--format", "table", *SPEC["args"])
    assert out.returncode == 0, out.stderr
    lines = [line.split() for line in out.stdout.splitlines() if line.strip().startswith("competitor")]
    assert [(w[1], w[3]) for w in lines] == [("华润燃气", "67.3"), ("港华燃气", "100.0")]


def test_import_says_how_many_were_competitor_questionnaires(tmp_path):
    out = run_cli("import", str(DATA / "competitors.xlsx"), "--db", str(tmp_path / "c.duckdb"), "--lang", "zh")
    assert out.returncode == 0, out.stderr
    column = next(k for k, h in enumerate(HEADER) if h in ("competitor", "竞争对手"))
    n = sum(1 for r in ROWS if r[column])
    assert f"其中竞争对手问卷 {n} 份" in out.stdout and n > 0
