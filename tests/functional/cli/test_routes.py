"""`eventry import-routes` and `eventry routes drift` on the demo catalogue, against the
exports in tests/data/routes: text and JSON output, exit codes, idempotence, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main
from app.config import DEMO_CATALOG

ROUTES = Path(__file__).parents[2] / "data" / "routes"
ORDERS = str(ROUTES / "orders-routes.json")
PAYMENTS = [
    str(ROUTES / name) for name in ("payments-subscriptions.json", "payments-attributes.json")
]


@pytest.fixture
def loaded(runner):
    assert runner.invoke(main, ["load", str(DEMO_CATALOG)]).exit_code == 0
    return runner


def test_drift_exits_one_and_names_each_difference(loaded):
    result = loaded.invoke(main, ["routes", "drift", ORDERS, "--bus", "orders-events"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("orders-events (eventbridge: larkspur-orders): drift")
    assert "  undeclared    fraud-screening from rule orders-fraud-screen target fraud" in lines
    assert any(line.startswith("  absent        reservation-expiry-monitor") for line in lines)
    assert any(line.startswith("  rule-differs  shipping-address-updater") for line in lines)


def test_import_then_no_drift_and_reimport_is_unchanged(loaded):
    args = ["import-routes", *PAYMENTS, "--bus", "payments-events"]
    dry = loaded.invoke(main, [*args, "--dry-run", "--format", "json"])
    assert dry.exit_code == 0, dry.output
    assert {r["consumer"]: r["action"] for r in json.loads(dry.output)["consumers"]}[
        "dunning-mailer"
    ] == "created"
    drift = ["routes", "drift", *PAYMENTS, "--bus", "payments-events"]
    assert loaded.invoke(main, drift).exit_code == 1  # the dry run changed nothing
    first = loaded.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "2 created" in first.output.splitlines()[0]
    assert "  created   dunning-mailer from subscription" in first.output
    again = loaded.invoke(main, [*args, "--format", "json"])
    assert {r["action"] for r in json.loads(again.output)["consumers"]} == {"unchanged"}
    assert loaded.invoke(main, drift).exit_code == 0


def test_a_bad_file_exits_two_with_its_pointer(loaded, tmp_path):
    bad = tmp_path / "rules.json"
    rules = {"Rules": [{"Name": "r", "EventPattern": '{"detail-type": [{"suffix": 1}]}'}]}
    bad.write_text(json.dumps(rules))
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps({"Targets": [{"Id": "1", "Arn": "arn:aws:sqs:r:1:q"}]}))
    result = loaded.invoke(
        main, ["import-routes", str(bad), str(targets), "--bus", "orders-events"]
    )
    assert result.exit_code == 2
    assert f"{bad}#/Rules/0/EventPattern (rule /detail-type/0/suffix)" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    result = loaded.invoke(main, ["routes", "drift", str(broken), "--bus", "orders-events"])
    assert result.exit_code == 2
    assert "not valid JSON" in result.output
