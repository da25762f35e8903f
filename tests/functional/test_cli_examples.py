"""`eventry check` says when a version cannot produce an example event."""

from __future__ import annotations

import json

from click.testing import CliRunner

from app.cli.main import main
from app.config import PROJECT_ROOT
from tests.functional.test_cli_check import CLEAN, V1, write_tree


def findings(runner, root) -> list[dict]:
    result = runner.invoke(main, ["check", str(root), "--format", "json"])
    items = json.loads(result.output)["items"]
    return [f for item in items for f in item["findings"] if f["id"] == "no-example"]


def test_the_demo_and_a_clean_tree_produce_an_example_for_every_version(tmp_path):
    runner = CliRunner()
    assert findings(runner, PROJECT_ROOT / "examples" / "catalog") == []
    assert findings(runner, write_tree(tmp_path, CLEAN)) == []


def test_an_unsatisfiable_version_is_an_error_and_a_generator_limit_a_warning(tmp_path):
    contradictory = {**V1, "properties": {**V1["properties"], "total": {
        "type": "integer", "minimum": 10, "maximum": 1, "description": "the total"}}}  # fmt: skip
    excluded = {**V1, "not": {"required": ["orderId"]}}
    files = {
        **CLEAN,
        "orders/OrderPlaced/v1.json": json.dumps(contradictory, indent=2),
        "orders/OrderNoted/event.yaml": CLEAN["orders/OrderPlaced/event.yaml"],
        "orders/OrderNoted/v1.json": json.dumps(excluded, indent=2),
    }
    found = {f["path"]: f for f in findings(CliRunner(), write_tree(tmp_path, files))}
    placed = found["orders/OrderPlaced/v1.json"]
    assert placed["severity"] == "error"
    assert placed["pointer"] == "/properties/total"
    assert "no integer lies between 10 and 1" in placed["message"]
    assert placed["line"] is not None
    noted = found["orders/OrderNoted/v1.json"]
    assert noted["severity"] == "warning" and "not-valid" in noted["message"]
