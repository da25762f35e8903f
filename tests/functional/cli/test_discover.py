"""`eventry discover FILE --bus …`: the same discovery as POST …/discover, on the registry's
database, reported for people (or as JSON); --apply registers the compatible proposals only."""

from __future__ import annotations

import json

import pytest

from app.cli.main import main
from tests.functional.api import conftest as api
from tests.functional.api.conftest import ADMIN, ok
from tests.functional.api.test_discovery import MIXED, bridge, ndjson

# The API tests' catalogue: the orders domain of the checkout team, with fulfilment beside it.
teams, orders = api.teams, api.orders


@pytest.mark.usefixtures("orders")
def test_discover_reports_each_type_and_registers_nothing(runner, client, tmp_path):
    events = tmp_path / "events.jsonl"
    events.write_bytes(ndjson(MIXED))
    done = runner.invoke(main, ["discover", str(events), "--bus", "orders-events"])
    assert done.exit_code == 0, done.output
    assert "5 events of 3 types on bus orders-events (8 lines, 2 skipped)" in done.output
    assert "- OrderPlaced (3 events): new version of orders.OrderPlaced, compatible" in done.output
    assert "    optional /placedAt: 67%" in done.output
    assert "new event type OrderShipped" in done.output
    assert "line 6: the line is not valid JSON" in done.output
    assert len(ok(client.get("/api/v1/events/orders/OrderPlaced/versions"))["items"]) == 1


@pytest.mark.usefixtures("orders")
def test_discover_apply_registers_and_says_so_and_refuses_the_incompatible(
    runner,
    client,
    tmp_path,
):
    events = tmp_path / "events.jsonl"
    events.write_bytes(ndjson(MIXED))
    done = runner.invoke(
        main, ["discover", str(events), "--bus", "orders-events", "--apply", "--json"]
    )
    assert done.exit_code == 0, done.output
    answer = json.loads(done.output)
    assert {t["registered"]["event"] for t in answer["types"]} == {
        "orders.OrderPlaced",
        "orders.OrderShipped",
        "orders.OrderCancelled",
    }
    audit = ok(client.get("/api/v1/audit", headers=ADMIN, query_string={"actor": "eventry cli"}))
    assert audit["items"]
    events.write_bytes(ndjson([bridge({"orderId": 7})]))
    refused = runner.invoke(main, ["discover", str(events), "--bus", "orders-events", "--apply"])
    assert refused.exit_code == 1
    assert "NOT compatible" in refused.output


@pytest.mark.usefixtures("orders")
def test_discover_refusals_exit_2(runner, client, tmp_path):
    events = tmp_path / "events.jsonl"
    events.write_bytes(b"{}\n")
    unknown = runner.invoke(main, ["discover", str(events), "--bus", "nope"])
    assert unknown.exit_code == 2 and "bus 'nope'" in unknown.output
    missing = runner.invoke(main, ["discover", str(tmp_path / "none.jsonl"), "--bus", "b"])
    assert missing.exit_code == 2


@pytest.mark.usefixtures("orders")
def test_discover_against_a_registry_streams_the_file_and_keeps_its_owner_checks(
    runner, client, teams, server, tmp_path
):
    events = tmp_path / "events.jsonl"
    events.write_bytes(ndjson(MIXED))
    url = ["--url", server]
    read = runner.invoke(main, ["discover", str(events), "--bus", "orders-events", *url])
    assert read.exit_code == 0, read.output
    assert "- OrderPlaced (3 events): new version of orders.OrderPlaced, compatible" in read.output
    other = teams["fulfilment"]["Authorization"].split()[1]
    denied = runner.invoke(
        main, ["discover", str(events), "--bus", "orders-events", "--apply", *url, "--token", other]
    )
    assert denied.exit_code == 2 and "403" in denied.output
    assert client.get("/api/v1/events/orders/OrderShipped").status_code == 404
    owner = teams["checkout"]["Authorization"].split()[1]
    done = runner.invoke(
        main, ["discover", str(events), "--bus", "orders-events", "--apply", *url, "--token", owner]
    )
    assert done.exit_code == 0, done.output
    assert "registered as orders.OrderShipped v1" in done.output
