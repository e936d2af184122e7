"""csi_core.i18n: the gettext catalogues (one .po per language), strict lookups, plurals,
and every key the code builds at run time present in every language."""
import ast
import logging
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from csi_core import i18n
from csi_core.method import actions, csi
from csi_core.method.grades import GRADES
from csi_core.reading import validate, workbook

ROOT = Path(__file__).resolve().parent.parent
CODE = [*sorted((ROOT / "csi_core").rglob("*.py")), *sorted((ROOT / "ui").glob("*.py")),
        *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
FIELD = re.compile(r"{([^{}:!]*)[^{}]*}")


def catalogue(lang: str):
    """A language's .po file as Babel reads it (not through i18n's own loader)."""
    with (ROOT / "csi_core" / "i18n" / f"{lang}.po").open("rb") as f:
        return read_po(f)


def entries(lang: str) -> dict[str, tuple[str, ...]]:
    """key → its text(s): one form, or the language's plural forms."""
    out = {}
    for m in catalogue(lang):
        if m.id:
            out[m.id[0] if m.pluralizable else m.id] = tuple(m.string) if m.pluralizable else (m.string,)
    return out


def plural_keys(lang: str) -> set[str]:
    return {m.id[0] for m in catalogue(lang) if m.pluralizable}


# --- the catalogues -----------------------------------------------------------------------------
def test_languages_are_the_po_files():
    assert i18n.LANGS == ("zh", "en")
    assert i18n.DEFAULT_LANG == i18n.LANGS[0]
    assert sorted(p.stem for p in (ROOT / "csi_core" / "i18n").glob("*.po")) == sorted(i18n.LANGS)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_key_in_every_language_and_no_extras(lang):
    default, mine = entries(i18n.DEFAULT_LANG), entries(lang)
    assert sorted(set(default) - set(mine)) == []  # missing in this language
    assert sorted(set(mine) - set(default)) == []  # extra: a typo, or a key gone from the default
    assert [k for k, texts in mine.items() if not all(t.strip() for t in texts)] == []  # empty translations
    assert [m.id for m in catalogue(lang) if m.id and m.fuzzy] == []  # fuzzy = not translated yet


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_placeholders_match_between_languages(lang):
    default = entries(i18n.DEFAULT_LANG)
    differ = {k: (texts, default[k]) for k, texts in entries(lang).items()
              if any(set(FIELD.findall(t)) != set(FIELD.findall(default[k][0])) for t in texts)}
    assert differ == {}
    unnamed = [k for k, texts in entries(lang).items() if any("" in FIELD.findall(t) for t in texts)]
    assert unnamed == []  # "{}" would need positional arguments; t() passes names only


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_plural_entries_have_the_forms_of_their_language(lang):
    po = catalogue(lang)
    assert plural_keys(lang) == plural_keys(i18n.DEFAULT_LANG)
    assert {m.id[0]: len(m.string) for m in po if m.pluralizable and len(m.string) != po.num_plurals} == {}


def test_the_loader_reads_what_babel_reads():
    """i18n's table is the catalogues, nothing lost and nothing added (no strings_*.py left)."""
    assert list((ROOT / "csi_core" / "i18n").glob("strings_*.py")) == []
    for lang in i18n.LANGS:
        assert {k: v[lang] if isinstance(v[lang], tuple) else (v[lang],) for k, v in i18n.STRINGS.items()} \
            == entries(lang)


# --- t and tn -----------------------------------------------------------------------------------
def test_chinese_is_the_default():
    assert i18n.t("grade.satisfied") == "满意"
    assert i18n.t("grade.satisfied", "en") == "satisfied"


def test_english_plurals():
    assert i18n.tn("data.rows", 1, "en", count=1) == "1 row"
    assert i18n.tn("data.rows", 2, "en", count=2) == "2 rows"
    assert i18n.tn("data.rows", 0, "en", count=0) == "0 rows"
    assert i18n.tn("upload.ready", 1, "en", count=1, periods="2026Q1") == \
        "Ready to import: 1 valid questionnaire for 2026Q1."
    assert i18n.tn("upload.ready", 2, "en", count=2, periods="2026Q1") == \
        "Ready to import: 2 valid questionnaires for 2026Q1."
    assert i18n.tn("upload.ready", 1, "zh", count=1, periods="2026Q1") == "可以导入：1 份有效问卷，期间 2026Q1。"


def test_strict_under_tests():
    assert i18n.strict()  # tests/conftest.py sets CSI_STRICT_I18N=1
    with pytest.raises(KeyError, match="row"):
        i18n.t("where.row", "en")  # the placeholder is missing
    with pytest.raises(ValueError, match="fr"):
        i18n.t("where.row", "fr", row=1)
    with pytest.raises(KeyError, match="no string"):
        i18n.t("where.nowhere", "en")
    with pytest.raises(TypeError, match="plural"):
        i18n.t("data.rows", "en", count=2)
    with pytest.raises(TypeError, match="no plural"):
        i18n.tn("where.row", 2, "en", row=2)


def test_graceful_in_production(monkeypatch, caplog):
    monkeypatch.setenv(i18n.STRICT_ENV, "")
    with caplog.at_level(logging.WARNING, logger="csi.i18n"):
        assert i18n.t("where.row", "en") == "row {row}"
        assert i18n.t("where.row", "fr", row=3) == "第 3 行"  # the default language
        assert i18n.t("where.nowhere", "en") == "where.nowhere"
        assert i18n.t("data.rows", "en", count=2) == "2 rows"
        assert i18n.tn("where.row", 2, "en", row=2) == "row 2"
    assert len(caplog.records) == 5


def test_language_switch_names_and_lists():
    assert [i18n.language_name(c) for c in i18n.LANGS] == ["中文", "English"]
    assert i18n.join(["民用户", "工商业户"], "zh") == "民用户、工商业户"
    assert i18n.join(["a", "b", "c"], "en") == "a, b, c"


# --- every key the code uses --------------------------------------------------------------------
def test_literal_keys_in_the_code_exist():
    """Keys written out in calls: t("x.y"), tr("x.y"), tn("x.y", n), trn(...), rep.t(...)."""
    used = {}
    call = re.compile(r"""\b(?:t|tr|tn|trn)\(\s*["']([a-z_]+(?:\.[\w]+)+)["']""")
    for path in CODE:
        for key in call.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, path.name)
    assert len(used) > 300
    assert {k: p for k, p in used.items() if not i18n.has(k)} == {}


def test_plural_keys_are_looked_up_with_a_count():
    """A key with plural forms is never called through t()/tr() (strict mode would raise)."""
    call = re.compile(r"""\b(?:t|tr)\(\s*["']([a-z_]+(?:\.[\w]+)+)["']""")
    wrong = {(path.name, key) for path in CODE for key in call.findall(path.read_text(encoding="utf-8"))
             if i18n.is_plural(key)}
    assert wrong == set()


def _literal(path: Path, name: str):
    """A module-level constant of a file, read without importing it (pages import Streamlit)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(name)


def _problem_codes() -> set[str]:
    """Codes of Problem(...) in csi_core, plus the ones chosen in a variable first."""
    found = set()
    for path in (ROOT / "csi_core").rglob("*.py"):
        found |= set(re.findall(r"""\b_?Problem\(\s*["'](\w+)["']""", path.read_text(encoding="utf-8")))
    return found | {"zip_limit", "not_xlsx", "unknown_answer", "unknown_number", "blank_segment"}


def _note_keys() -> set[str]:
    return set(re.findall(r"""\bNote\(\s*["'](\w+)["']""", (ROOT / "csi_core/method/csi.py").read_text(encoding="utf-8")))


def _import_steps() -> set[str]:
    """The steps an import reports to its progress bar: progress(0.4, "answers") and the like."""
    found = {"validating"}  # the page's own first step
    for path in [*(ROOT / "csi_core").rglob("*.py"), ROOT / "pages" / "upload.py"]:
        found |= set(re.findall(r"""\(\s*[\d.]+\s*,\s*["'](\w+)["']\s*\)""", path.read_text(encoding="utf-8")))
    return found


# prefix of a key built at run time → every value it can take
def _complaint_keys() -> list[str]:
    from csi_core.method import complaints as cm
    return ([f"type.{k}" for k in cm.TYPES] + [f"severity.{k}" for k in cm.SEVERITIES]
            + [f"step.{k}" for k in cm.STEPS] + [f"satisfaction.{k}" for k in cm.SATISFACTION]
            + [f"by_{k}" for k in ("type", "class", "severity", "department", "branch")])


DYNAMIC = {
    "reason.": lambda: validate.REASONS,
    "calc.": _note_keys,
    "grade.": lambda: [g.key for g in GRADES],
    "problem.": lambda: [c for c in _problem_codes() if not i18n.has(f"note.{c}")],
    "note.": lambda: [c for c in _problem_codes() if not i18n.has(f"problem.{c}")],
    "actions.status.": lambda: actions.ACTION_STATUSES,
    "actions.verdict.": lambda: actions.VERDICTS,
    "actions.kind.": lambda: actions.KINDS,
    "overview.flag_part.": lambda: actions.KINDS,
    "complaints.": lambda: _complaint_keys(),
    "assessment.kind.": lambda: __import__("csi_core.method.assessment").method.assessment.KINDS,
    "assessment.problem.": lambda: __import__("csi_core.method.assessment").method.assessment.PROBLEMS,
    "assessment.col.": lambda: [c for c, _ in __import__("csi_core.outputs.assessment_view").outputs.assessment_view.COLUMNS],
    "assessment.entry.": lambda: ["id", "unit", "kind", "points", "note", "who", "created_at"],
    "report_page.population_source.": lambda: __import__("csi_core.method.sampling").method.sampling.POPULATION_SOURCES,
    "upload.role.": lambda: workbook.ROLES,
    "upload.branch_action.": lambda: __import__("csi_core.outputs.branches").outputs.branches.ACTIONS,
    "trends.kind.": lambda: _literal(ROOT / "pages" / "trends.py", "KINDS"),
    "actions.scope.": lambda: _literal(ROOT / "pages" / "actions.py", "SCOPES"),
    "data.validity.": lambda: _literal(ROOT / "pages" / "data.py", "VALIDITY"),
    "upload.step.": lambda: _import_steps(),
    "setting.": lambda: [s.name for s in __import__("csi_core.settings").settings.SETTINGS],
    "lang.": lambda: ["name", "list_separator"],
    "stats.signal.": lambda: __import__("csi_core.method.control").method.control.SIGNALS,
    "analysis.quadrant.": lambda: __import__("csi_core.method.importance").method.importance.QUADRANTS,
    "meeting.point.": lambda: __import__("csi_core.outputs.meeting").outputs.meeting.POINTS,
    "meeting.col.": lambda: __import__("csi_core.outputs.meeting_view").outputs.meeting_view.COLUMNS,
    "report.scale.": lambda: list(__import__("csi_core.reading.scales").reading.scales.SCALES),
    "role.": lambda: __import__("csi_core.store.access").store.access.ROLES,
    "permission.": lambda: sorted(__import__("csi_core.store.access").store.access.PERMISSIONS["admin"]),
    "cli.": lambda: [*__import__("csi_core.store.users").store.users.USER_ERRORS,
                     *__import__("csi_core.store.backup").store.backup.BACKUP_ERRORS],
    "audit.": lambda: __import__("csi_core.store.audit").store.audit.AUDIT_KINDS,
    "fault.": lambda: [k + suffix for k in __import__("csi_core.store.faults").store.faults.FAULT_KINDS
                       for suffix in ("", ".todo")],
    "admin.col.": lambda: ["name", "role", "created_at", "updated_at", "ts", "who", "what", "detail"],
    # the report's tables and figures: rendered in every language by test_report_renders_in_every_language
    "report.fig.": None, "report.method.": None, "report.sheet.": None, "report.col.": None,
    "report.title.": None,
}


def test_every_dynamic_key_family_is_covered():
    """Every f"prefix.{...}" in the code is a family of DYNAMIC; each value is a key in every
    language. A new family fails here until its values are listed above."""
    built = set()
    for path in CODE:
        built |= set(re.findall(r"""(?:\b(?:t|tr|tn|trn|has)\(\s*|\belse\s+)f["']((?:[a-z_]+\.)+)\{""",
                                path.read_text(encoding="utf-8")))
    assert {"reason.", "calc.", "grade.", "problem.", "note.", "actions.status."} <= built
    assert sorted(built - set(DYNAMIC)) == []
    missing = {}
    for prefix, values in DYNAMIC.items():
        if values is None:
            continue
        keys = [prefix + v for v in values()]
        assert keys, prefix
        for lang in i18n.LANGS:
            missing.update({(k, lang): None for k in keys if k not in entries(lang)})
    assert missing == {}
    assert len(_note_keys()) >= 8 and len(_problem_codes()) >= 30


def test_every_problem_code_has_one_message():
    both = [c for c in _problem_codes() if i18n.has(f"problem.{c}") and i18n.has(f"note.{c}")]
    neither = [c for c in _problem_codes() if not i18n.has(f"problem.{c}") and not i18n.has(f"note.{c}")]
    assert (both, neither) == ([], [])


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_report_renders_in_every_language(lang, store, monkeypatch):
    """The report families (report.fig.*, .col.*, .sheet.*, .title.*, .method.*) are all
    looked up, strictly, when the report is written in a language."""
    from csi_core import demo
    from csi_core.outputs import report, report_html, report_xlsx
    from csi_core.store import ingest

    assert ingest.ingest(store, demo.demo_bytes(), "demo.xlsx").ok
    looked_up = []
    real = i18n._lookup
    monkeypatch.setattr(i18n, "_lookup", lambda key, lang: looked_up.append(key) or real(key, lang))
    rep = report.build(store, lang=lang)
    report_xlsx.write(rep)
    report_html.write(rep, charts=False)
    for prefix, values in DYNAMIC.items():
        if values is None:
            assert any(k.startswith(prefix) for k in looked_up), prefix
