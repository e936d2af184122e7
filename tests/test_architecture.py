"""The shape of DESIGN.md: the core imports no Streamlit; pages hold no SQL."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_no_streamlit():
    offenders = [p.name for p in (ROOT / "csi_core").glob("*.py") if "streamlit" in imports(p)]
    assert offenders == []


def test_pages_hold_no_sql_or_duckdb():
    pattern = re.compile(r"\b(select|insert|update|delete)\b .*\b(from|into|set)\b|duckdb", re.I)
    offenders = [p.name for p in (ROOT / "pages").glob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_only_the_store_speaks_sql():
    pattern = re.compile(r"\.execute\(|\.sql\(")
    offenders = [p.name for p in (ROOT / "csi_core").glob("*.py") if p.name != "store.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
