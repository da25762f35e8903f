"""app/core holds the rules and must stay free of Flask and SQLAlchemy."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "app" / "core"
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "alembic", "app.db", "app.services", "app.api")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_imports_neither_flask_nor_sqlalchemy_nor_outer_layers():
    offenders = {
        f"{path.relative_to(CORE)} imports {name}"
        for path in CORE.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN or name.startswith(FORBIDDEN)
    }
    assert sorted(offenders) == []


def test_the_purity_check_sees_core_modules():
    # Guards the test above against passing because it looked in the wrong folder.
    assert (CORE / "canonical.py").is_file()
    assert "hashlib" in imported_modules(CORE / "canonical.py")
