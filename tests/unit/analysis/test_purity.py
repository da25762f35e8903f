"""app.core.analysis stays a pure, standard-library package."""

import ast
import sys
from pathlib import Path

import app.core.analysis as analysis

PACKAGE = Path(analysis.__file__).parent
FORBIDDEN = {"flask", "sqlalchemy", "jsonschema"}


def test_no_third_party_imports():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                assert top not in FORBIDDEN, f"{path.name} imports {name}"
                # The standard library, or the registry's own pure vocabulary in app.core.
                allowed = top in sys.stdlib_module_names or top == "__future__"
                assert allowed or name == "app.core.vocabulary", f"{path.name}: {name}"


def test_public_api():
    for name in (
        "classify",
        "consumer_cost",
        "field_pointers",
        "ordering_hazard",
        "lint",
        "validate_rules",
        "apply_rules",
        "RULE_SCHEMA",
        "DEFAULT_PRICES",
        "estimate",
        "router_advice",
    ):
        assert hasattr(analysis, name)
