"""A version's lifecycle in the tree: `eventry check` warns each consumer pinned to a deprecated
or retired version; and the offline checks judge a change for a pinned consumer from the version
it pins, as the registry does (app.services.impact)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from app.cli.main import main
from app.cli.remote import Registry
from tests.conftest import ADMIN_TOKEN
from tests.functional.test_cli_check import (
    CLEAN,
    EVENT_YAML,
    V2,
    check_json,
    findings,
    run,
    runner,
    write_tree,
)

__all__ = ["runner"]  # a fixture

DEPRECATED = {"state": "deprecated", "since": "2026-11-01", "reason": "Move to v2.", "successor": 2}
LENIENT = CLEAN["registry.yaml"].replace("policy: strict", "policy: lenient")


def tree(root: Path, lifecycle: dict | None, version: int = 1) -> Path:
    history = {"versions": [{"version": 1, "lifecycle": lifecycle}]} if lifecycle else {}
    consumers = [
        {
            "name": "loyalty",
            "bus": "orders-events",
            "event": "orders.OrderPlaced",
            "fields": ["/total"],
            "version": version,
        }
    ]
    files = {
        **CLEAN,
        "registry.yaml": LENIENT,
        "orders/OrderPlaced/event.yaml": EVENT_YAML + (yaml.safe_dump(history) if history else ""),
        "orders/OrderPlaced/v2.json": json.dumps(V2, indent=2),
        "consumers.yaml": yaml.safe_dump({"consumers": consumers}),
    }
    return write_tree(root, files)


def test_check_warns_a_consumer_pinned_to_a_deprecated_version(runner, tmp_path):
    code, document = check_json(runner, tree(tmp_path / "t", DEPRECATED))
    assert code == 0, document  # a warning
    warned = [f for f in findings(document) if f["id"] == "consumer-of-deprecated-version"]
    assert [(f["severity"], f["path"], f["pointer"]) for f in warned] == [
        ("warning", "consumers.yaml", "/consumers/0/version")
    ]
    assert warned[0]["message"] == (
        "loyalty consumes version 1 of orders.OrderPlaced, deprecated since 2026-11-01: "
        "Move to v2.; move to version 2"
    )


def test_an_active_version_or_another_pin_warns_nobody(runner, tmp_path):
    for index, (lifecycle, version) in enumerate(((None, 1), (DEPRECATED, 2))):
        _code, document = check_json(runner, tree(tmp_path / str(index), lifecycle, version))
        assert not [f for f in findings(document) if f["id"] == "consumer-of-deprecated-version"]


def test_a_bad_version_lifecycle_block_is_an_error(runner, tmp_path):
    code, document = check_json(runner, tree(tmp_path / "t", {"state": "sunset"}))
    assert code == 1
    bad = [f for f in findings(document) if f["severity"] == "error"]
    assert bad and bad[0]["pointer"].startswith("/versions/0/lifecycle")


def test_compat_judges_a_pinned_consumer_from_its_version(runner, tmp_path):
    root = tree(tmp_path / "t", None)
    schema = tmp_path / "next.json"
    properties = {**V2["properties"], "total": {"type": "string", "description": "now text"}}
    schema.write_text(json.dumps({**V2, "properties": properties}, indent=2))
    args = ["compat", "--event", "orders.OrderPlaced", "--dir", str(root), str(schema)]
    result = run(runner, *args, "--format", "json")
    assert result.exit_code == 1
    found = findings(json.loads(result.stdout))
    pinned = [f for f in found if f["id"] == "consumer-version"]
    assert [f["severity"] for f in pinned] == ["warning"]
    assert pinned[0]["message"].startswith(
        "loyalty consumes version 1: from version 1 to the new one, it is affected by /total"
    )
    # The error against v2 is not put on loyalty: it reads v1, judged from there.
    errors = [f for f in found if f["severity"] == "error"]
    assert errors and all("loyalty" not in f["message"] for f in errors)


def test_compat_asking_the_registry_warns_a_consumer_pinned_to_a_deprecated_version(
    cli, remote, server, demo_tree, tmp_path
):
    applied = cli.invoke(main, ["apply", str(demo_tree), *remote])
    assert applied.exit_code == 0, applied.output
    registry = Registry(server, ADMIN_TOKEN)
    body = {"state": "deprecated", "since": "2026-11-01", "reason": "Use v2.", "successor": 2}
    registry.call("PUT", "/api/v1/events/orders/OrderCancelled/versions/1/lifecycle", body)
    candidate = tmp_path / "candidate.json"
    candidate.write_text((demo_tree / "orders/OrderCancelled/v2.json").read_text())
    args = ["compat", "--event", "orders.OrderCancelled", "--url", server, str(candidate)]
    result = cli.invoke(main, [*args, "--format", "json"])
    warned = [
        f
        for f in findings(json.loads(result.stdout))
        if f["id"] == "consumer-of-deprecated-version"
    ]
    assert [f["message"] for f in warned] == [
        "void-or-refund-handler consumes version 1 of orders.OrderCancelled, deprecated since "
        "2026-11-01: Use v2.; move to version 2"
    ]


def test_a_version_lifecycle_block_the_registry_would_refuse_is_an_error(runner, tmp_path):
    cases = (
        {"state": "retired"},
        {"state": "deprecated", "reason": "r", "successor": 7},
        {"state": "deprecated", "reason": "r", "successor": 1},
        {"state": "draft"},
    )
    for index, lifecycle in enumerate(cases):
        code, document = check_json(runner, tree(tmp_path / str(index), lifecycle))
        bad = [f for f in findings(document) if f["id"] == "lifecycle-invalid"]
        assert code == 1 and [f["pointer"] for f in bad] == ["/versions"], document
        assert bad[0]["message"].startswith("version 1 of orders.OrderPlaced")
