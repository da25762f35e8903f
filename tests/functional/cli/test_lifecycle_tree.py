"""An event.yaml's lifecycle block: `eventry check` warns each consumer of a deprecated or
retired event type, and the schema of event.yaml refuses a block it does not know."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.functional.test_cli_check import (
    CLEAN,
    EVENT_YAML,
    check_json,
    findings,
    runner,
    write_tree,
)

__all__ = ["runner"]  # a fixture

LIFECYCLE = {
    "state": "deprecated",
    "since": "2026-11-01",
    "reason": "Use OrderSubmitted.",
    "successor": "orders.OrderSubmitted",
}
CONSUMERS = {
    "consumers": [
        {"name": "loyalty", "bus": "orders-events", "event": "orders.OrderPlaced"},
        {"name": "audit", "bus": "orders-events"},
    ]
}


def tree(root: Path, lifecycle: dict) -> Path:
    event = EVENT_YAML + yaml.safe_dump({"lifecycle": lifecycle})
    files = {**CLEAN, "orders/OrderPlaced/event.yaml": event}
    files["orders/OrderSubmitted/event.yaml"] = EVENT_YAML  # the successor
    files["consumers.yaml"] = yaml.safe_dump(CONSUMERS)
    return write_tree(root, files)


def test_check_warns_each_consumer_of_a_deprecated_event(runner, tmp_path):
    code, document = check_json(runner, tree(tmp_path / "t", LIFECYCLE))
    assert code == 0  # a warning
    warned = [f for f in findings(document) if f["id"] == "consumer-of-deprecated-event"]
    assert [(f["severity"], f["path"], f["pointer"]) for f in warned] == [
        ("warning", "consumers.yaml", "/consumers/0"),
        ("warning", "consumers.yaml", "/consumers/1"),
    ]
    assert warned[0]["message"] == (
        "loyalty consumes orders.OrderPlaced, deprecated since 2026-11-01: Use "
        "OrderSubmitted.; move to orders.OrderSubmitted"
    )


def test_an_active_event_warns_nobody_and_a_bad_block_is_an_error(runner, tmp_path):
    code, document = check_json(runner, tree(tmp_path / "a", {"state": "active"}))
    assert not [f for f in findings(document) if f["id"] == "consumer-of-deprecated-event"]
    code, document = check_json(runner, tree(tmp_path / "b", {"state": "sunset"}))
    assert code == 1
    bad = [f for f in findings(document) if f["path"] == "orders/OrderPlaced/event.yaml"]
    assert bad and bad[0]["severity"] == "error" and bad[0]["pointer"] == "/lifecycle/state"


SUCCESSOR = "/lifecycle/successor"


def test_a_lifecycle_block_the_registry_would_refuse_is_an_error(runner, tmp_path):
    cases = (
        ({"state": "retired"}, "/lifecycle/reason"),
        ({"state": "deprecated", "reason": "r", "since": "soon"}, "/lifecycle/since"),
        ({"state": "deprecated", "reason": "r", "successor": "orders.Nowhere"}, SUCCESSOR),
    )
    for index, (lifecycle, pointer) in enumerate(cases):
        code, document = check_json(runner, tree(tmp_path / str(index), lifecycle))
        bad = [f for f in findings(document) if f["severity"] == "error"]
        assert code == 1 and [f["pointer"] for f in bad] == [pointer], document
    code, document = check_json(runner, tree(tmp_path / "flag", {"state": "deprecated"}))
    assert not [f for f in findings(document) if f["id"] == "lifecycle-invalid"]
