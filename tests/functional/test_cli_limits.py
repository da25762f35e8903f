"""The command line is bounded like the API: files beyond the limits are findings naming the
limit and its setting (read from the environment), never a traceback or a hang."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.functional.test_cli_check import CLEAN, run, write_tree

FAST = 10.0  # seconds of this process's CPU: generous, never a benchmark


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "clean", CLEAN)


def test_events_beyond_the_limits_are_findings_naming_the_setting(clean, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 1000 + "]" * 1000)
    digits = tmp_path / "digits.json"
    digits.write_text('{"orderId": ' + "9" * 5000 + "}")
    started = time.process_time()
    args = ["validate", "--event", "orders.OrderPlaced", "--dir", str(clean)]
    result = run(CliRunner(), *args, str(deep), str(digits), "--format", "json")
    assert time.process_time() - started < FAST
    assert result.exit_code == 1, result.output
    messages = json.dumps(json.loads(result.stdout))
    assert "EVENTRY_MAX_EVENT_DEPTH" in messages
    assert "EVENTRY_MAX_INTEGER_DIGITS" in messages


def test_the_limits_are_read_from_the_environment(clean, tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"a": [[[[1]]]]}))
    args = ["validate", "--event", "orders.OrderPlaced", "--dir", str(clean), str(event)]
    result = run(CliRunner(), *args, env={"EVENTRY_MAX_EVENT_DEPTH": "2"})
    assert result.exit_code == 1
    assert "EVENTRY_MAX_EVENT_DEPTH" in result.stdout


def test_check_refuses_a_schema_beyond_the_limits(clean):
    schema = json.loads((clean / "orders/OrderPlaced/v1.json").read_text())
    schema["properties"]["status"] = {"enum": ["placed", "paid", "shipped", "lost"]}
    (clean / "orders/OrderPlaced/v1.json").write_text(json.dumps(schema))
    result = run(CliRunner(), "check", str(clean), env={"EVENTRY_MAX_ENUM_VALUES": "3"})
    assert result.exit_code == 1
    assert "EVENTRY_MAX_ENUM_VALUES" in result.stdout
