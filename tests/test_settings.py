"""csi_core.settings is the one source of every setting's default: the code reads it, the
Streamlit config agrees with it, and every setting has its help text in every language."""
import inspect
import re
import tomllib
from pathlib import Path

import pytest

from csi_core import i18n, settings
from csi_core.__main__ import build_parser
from csi_core.reading import validate, workbook
from csi_core.store import ingest

ROOT = Path(__file__).resolve().parent.parent


def test_the_documented_defaults():
    """METHOD.md's half of the items, the 95 % targets, the 300 MB upload."""
    assert {s.name: s.default for s in settings.SETTINGS} == {
        "segment_weights": None, "item_weights": None, "scale": "default", "min_answered_share": 0.5,
        "response_rate_target": 95.0, "valid_rate_target": 95.0, "max_upload_mb": 300,
        "session_idle_minutes": 30,
        "complaint_due_days": 30}  # README: complaints open longer are escalated (第二十三条)


def test_min_answered_share_everywhere_is_the_setting():
    share = settings.default("min_answered_share")
    assert inspect.signature(validate.check).parameters["min_answered_share"].default == share
    assert inspect.signature(validate.invalid_rules).parameters["min_answered_share"].default == share
    assert inspect.signature(ingest.validate_bytes).parameters["min_answered_share"].default == share
    cli = build_parser().parse_args(["score", "x.xlsx"])
    assert cli.min_answered == share


def test_no_second_copy_of_a_default_in_the_code():
    """The literals of settings.py are written nowhere else in csi_core, ui or pages."""
    paths = [*(ROOT / "csi_core").rglob("*.py"), *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]
    copies = [(p.name, line.strip()) for p in paths if p.name != "settings.py"
              for line in p.read_text(encoding="utf-8").splitlines()
              if re.search(r"min_answered\w*\s*(:\s*float\s*)?=\s*0\.5\b|\b300 \* 2\*\*20|\bshare = 0\.5\b", line)]
    assert copies == []


def test_the_upload_limit_is_one_number():
    mb = settings.default("max_upload_mb")
    assert workbook.Limits().max_file_bytes == mb * 2**20
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]
    assert server["maxUploadSize"] == mb  # Streamlit reads its limit before any of our code runs


def test_a_file_over_the_upload_limit_is_refused_unread():
    limits = workbook.Limits(max_file_bytes=1000)
    with pytest.raises(workbook.WorkbookRefused) as refused:
        workbook.open_workbook(b"PK" + b"\0" * 1000, limits)
    assert [p.code for p in refused.value.problems] == ["file_too_large"]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_setting_has_its_help_text(lang):
    texts = [i18n.t(f"setting.{s.name}", lang) for s in settings.SETTINGS]
    assert all(texts) and len(set(texts)) == len(texts)
