"""The shape of DESIGN.md: the core imports no Streamlit; imports go down the data flow
(reading → method → store → outputs); pages and ui/ hold no SQL; only the store speaks SQL."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "csi_core"
# rank of each part of csi_core: a module may import its own part and lower ranks only
RANKS = {"i18n": 0, "settings": 0, "reading": 1, "method": 2, "store": 3, "outputs": 4,
         "demo": 5, "template": 5, "workspaces": 5, "__main__": 6}
SQL = re.compile(r"\b(select|insert|update|delete)\b .*\b(from|into|set)\b|duckdb", re.I)


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, dotted, absolute (relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names.add(module)
            names |= {f"{module}.{a.name}" for a in node.names}
    return names


def part_of(module: str) -> str | None:
    """``csi_core.method.csi`` → ``method``; None outside csi_core."""
    parts = module.split(".")
    if parts[0] != "csi_core" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in RANKS else None


def core_files() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_core_imports_no_streamlit():
    offenders = [str(p) for p in core_files() if any(m.split(".")[0] == "streamlit" for m in imports(p))]
    assert offenders == []


def test_every_core_module_has_a_known_part():
    assert [str(p) for p in core_files() if part_of(".".join(p.relative_to(ROOT).with_suffix("").parts)) is None
            and p.name != "__init__.py"] == []


def test_imports_only_go_down_the_flow():
    offenders = []
    for path in core_files():
        own = part_of(".".join(path.relative_to(ROOT).with_suffix("").parts))
        if own is None:
            continue
        for module in imports(path):
            other = part_of(module)
            if other is not None and RANKS[other] > RANKS[own]:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_the_flow_test_sees_an_upward_import(tmp_path):
    """The rule above can fail: an import from reading into outputs is caught."""
    path = CORE / "reading" / "_probe_upward.py"
    path.write_text("from csi_core.outputs import report\n", encoding="utf-8")
    try:
        found = [m for m in imports(path) if part_of(m) and RANKS[part_of(m)] > RANKS["reading"]]
    finally:
        path.unlink()
    assert found


def test_each_subpackage_says_what_it_is_for():
    for init in CORE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, init


def test_pages_and_ui_hold_no_sql_or_duckdb():
    offenders = [str(p.relative_to(ROOT)) for folder in ("pages", "ui") for p in (ROOT / folder).glob("*.py")
                 if SQL.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


# The user's database is one connection shared by every session; a session that queried
# it while another did got "connection is busy". Sessions query their own cursor
# (state.store(), state.data_store()); the shared one only opens the file, is given to
# code that takes a cursor of it, or becomes a session's cursor in ui/state.py.
SHARED_CONNECTION_USES = {
    ("app.py", "state.get_store()"),  # opened at start: a locked file is a clear page
    ("pages/admin.py", "who, main = auth.actor(), state.get_store()"),  # backup: main.cursor() in its thread
    ("pages/upload.py", "job = jobs.start(state.get_store(), held[\"data\"], held[\"sha\"], held[\"name\"], replace=replace,"),
    ("ui/state.py", "return get_store()"),  # _active(): store() makes it a cursor
    ("ui/state.py", "return _cursor(get_store())"),
}


def test_sessions_never_query_the_shared_connection():
    uses = {(str(p.relative_to(ROOT)), line.strip()) for p in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"),
                                                                *(ROOT / "ui").glob("*.py")]
            for line in p.read_text(encoding="utf-8").splitlines()
            if "get_store()" in line and not line.lstrip().startswith("def ")}
    assert uses == SHARED_CONNECTION_USES


def test_only_the_store_speaks_sql():
    pattern = re.compile(r"\.execute\(|\.sql\(")
    offenders = [str(p.relative_to(ROOT)) for p in core_files()
                 if "store" not in p.relative_to(CORE).parts[:1] and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


import pytest  # noqa: E402


def test_no_core_module_over_600_lines():
    long = {str(p.relative_to(ROOT)): n for p in core_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}


WRITES = {"import_upload", "ingest", "set_setting", "save_scenario", "delete_scenario", "save_action", "save_actions",
          "delete_action", "delete_period", "restore_period", "add_user", "remove_user", "backup_bytes", "write_backup",
          "add_assessment_entry", "delete_assessment_entry"}


def test_pages_name_the_signed_in_user_in_every_write():
    """A write from the app names who acts (its role is checked by the store); a bare
    string would act as a local admin."""
    offenders = []
    for path in [*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in WRITES:
                who = next((k.value for k in node.keywords if k.arg == "who"), None)
                if who is None or (isinstance(who, ast.Constant) and who.value != "demo"):  # the first-start demo
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
