import re
from pathlib import Path

from csi_core import i18n

ROOT = Path(__file__).resolve().parent.parent


def test_every_key_in_both_languages():
    missing = [k for k, v in i18n.STRINGS.items() if set(v) != set(i18n.LANGS) or not all(v.values())]
    assert missing == []


def test_placeholders_match_between_languages():
    field = re.compile(r"{(\w+)}")
    differ = [k for k, v in i18n.STRINGS.items() if set(field.findall(v["zh"])) != set(field.findall(v["en"]))]
    assert differ == []


def test_chinese_is_the_default():
    assert i18n.t("grade.satisfied") == "满意"
    assert i18n.t("grade.satisfied", "en") == "satisfied"


def test_keys_used_in_pages_exist():
    used = set()
    for path in list((ROOT / "pages").glob("*.py")) + list((ROOT / "ui").glob("*.py")) + [ROOT / "app.py"]:
        if path.exists():
            used |= set(re.findall(r"""\btr?\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    assert sorted(k for k in used if k not in i18n.STRINGS) == []
