"""The layers of docs/architecture.md, checked on the source: who may import whom.

Every module under app/ is parsed with `ast` (nothing is imported), each import is resolved to
an absolute module name (relative ones too, and `from app import db` counts as `app.db`), and
the rules below say which names a layer must never import, even for type hints only.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"

# (layer, the modules it must not import); a layer is a package or a module under app/.
FORBIDDEN: list[tuple[str, tuple[str, ...]]] = [
    ("app.api", ("app.db", "app.ui", "app.cli", "app.confluent")),
    ("app.ui", ("app.db", "app.api", "app.cli", "app.confluent")),
    # The Confluent-compatible API is an adapter beside the native one: services only.
    ("app.confluent", ("app.db", "app.api", "app.ui", "app.cli")),
    ("app.web", ("app.db", "app.api", "app.ui", "app.cli", "app.confluent")),
    ("app.cli", ("app.db", "app.api", "app.ui", "app.web", "app.confluent", "flask")),
    (
        "app.services",
        ("app.api", "app.ui", "app.cli", "app.web", "app.confluent", "flask", "werkzeug"),
    ),
    ("app.db", ("app.services", "app.api", "app.ui", "app.cli", "app.web", "flask")),
    # The metrics catalogue and the log format serve the services and gunicorn's master too.
    ("app.metrics", ("flask", "werkzeug", "app.db", "app.api", "app.ui", "app.cli", "app.web")),
    ("app.logs", ("flask", "werkzeug", "sqlalchemy", "app.db", "app.services", "app.web")),
    ("app.observability", ("app.db", "app.api", "app.ui", "app.cli")),
    ("app.ratelimit", ("app.db", "app.api", "app.ui", "app.cli")),
    (
        "app.core",
        (
            "flask",
            "werkzeug",
            "sqlalchemy",
            "alembic",
            "app.db",
            "app.services",
            "app.api",
            "app.ui",
            "app.cli",
            "app.web",
        ),
    ),
]
# app.core.analysis is pure standard library, apart from the registry's vocabulary and the one
# way to read a schema: a SchemaDocument, its references followed through it, its pointers.
ANALYSIS_MAY_IMPORT = (
    "app.core.analysis",
    "app.core.vocabulary",
    "app.core.schema",
    "app.core.references",
    "app.core.pointers",
    "app.core.limits",  # the work budget every walk spends
    "app.core.words",  # plurals and articles of its messages (standard library only)
)


def module_name(path: Path) -> str:
    parts = ["app", *path.relative_to(APP).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(APP.rglob("*.py"))}


def imports_of(path: Path) -> set[str]:
    """Every module name the file imports, wherever the import statement stands."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            found.add(base)
            # `from app import db` imports the module app.db.
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if node.level == 0:
        return node.module or ""
    parts = package.split(".")
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {imported}"
        for module, path in modules().items()
        if within(module, layer)
        for imported in imports_of(path)
        if any(within(imported, banned) for banned in forbidden)
    )


@pytest.mark.parametrize(("layer", "forbidden"), FORBIDDEN, ids=[layer for layer, _ in FORBIDDEN])
def test_a_layer_imports_nothing_it_must_not(layer, forbidden):
    assert violations(layer, forbidden) == []


def test_the_analysis_package_is_standard_library_vocabulary_and_documents_only():
    offenders = sorted(
        f"{module} imports {imported}"
        for module, path in modules().items()
        if within(module, "app.core.analysis")
        for imported in imports_of(path)
        if imported.split(".")[0] not in sys.stdlib_module_names
        and imported != "__future__"
        and not any(within(imported, allowed) for allowed in ANALYSIS_MAY_IMPORT)
    )
    assert offenders == []


def test_the_check_sees_every_layer_and_what_it_imports():
    # Guards the tests above against passing because they looked in the wrong place.
    found = modules()
    for layer, _ in FORBIDDEN:
        assert any(within(name, layer) for name in found), layer
    assert "hashlib" in imports_of(found["app.core.canonical"])
    assert "app.services" in imports_of(found["app.api.teams"])
    # A relative import resolves against the package: app.core.analysis.shape uses .model.
    assert "app.core.analysis.model" in imports_of(found["app.core.analysis.shape"])
    # `from app import api` in the app factory counts as importing app.api.
    assert "app.api" in imports_of(found["app"])


def test_a_forbidden_import_is_caught(tmp_path, monkeypatch):
    fake = tmp_path / "app"
    (fake / "ui").mkdir(parents=True)
    (fake / "ui" / "__init__.py").write_text("from ..db import models\n", encoding="utf-8")
    (fake / "ui" / "page.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from app.api.requests import writer\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "APP", fake)
    assert violations("app.ui", ("app.db", "app.api")) == [
        "app.ui imports app.db",
        "app.ui imports app.db.models",
        "app.ui.page imports app.api.requests",
        "app.ui.page imports app.api.requests.writer",
    ]
