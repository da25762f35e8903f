"""`eventry pattern test`: a routing rule against an event, offline, with exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli.main import main

EVENT = {"source": "larkspur.orders", "detail-type": "OrderPlaced", "detail": {"total": 42}}


@pytest.fixture
def files(tmp_path):
    def write(pattern, event=EVENT):
        (tmp_path / "pattern.json").write_text(json.dumps(pattern))
        (tmp_path / "event.json").write_text(json.dumps(event))
        return [str(tmp_path / "pattern.json"), str(tmp_path / "event.json")]

    return write


def run(*args):
    return CliRunner().invoke(main, ["pattern", "test", *args])


def test_a_match_exits_0(files):
    result = run(
        *files({"detail-type": ["OrderPlaced"], "detail": {"total": [{"numeric": [">", 10]}]}})
    )
    assert (result.exit_code, result.output) == (0, "matched\n")


def test_a_mismatch_exits_1_naming_the_rule_part_and_the_field(files):
    result = run(*files({"detail-type": ["OrderCancelled"]}))
    assert result.exit_code == 1
    assert "not matched: rule /detail-type, event /detail-type" in result.output
    assert '"OrderPlaced" satisfies none of its conditions' in result.output


def test_json_output_and_sns_attributes(files):
    attributes = {"eventType": {"Type": "String", "Value": "OrderPlaced"}}
    paths = files({"eventType": [{"prefix": "Order"}]}, attributes)
    result = run(*paths, "--router", "sns", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["scope"] == "MessageAttributes"


def test_a_refused_rule_exits_2_with_its_pointer(files):
    result = run(*files({"detail": {"state": [{"contains": "x"}]}}))
    assert result.exit_code == 2
    assert "EventBridge has no operator 'contains'" in result.output
    assert "/detail/state/0/contains" in result.output


def test_an_unreadable_file_exits_2(tmp_path):
    (tmp_path / "bad.json").write_text("{")
    (tmp_path / "event.json").write_text("{}")
    result = run(str(tmp_path / "bad.json"), str(tmp_path / "event.json"))
    assert result.exit_code == 2
    assert "not valid JSON" in result.output
