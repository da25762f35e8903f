"""AsyncAPI diff (POST /api/v1/asyncapi/diff, `eventry asyncapi diff`), the export at a past
time (GET /api/v1/asyncapi?at=) and issue 16's paths (POST /api/v1/import/asyncapi, GET
/api/v1/domains/{domain}/asyncapi). docs/interop.md, "AsyncAPI diff"."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest

from app.cli.main import main
from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.services.catalog_loader import load_catalog
from tests.functional.api.conftest import ADMIN, ok

DIFF = "/api/v1/asyncapi/diff"


@pytest.fixture
def demo(session):
    load_catalog(session, DEMO_CATALOG, Actor.system("test"))


def exported_orders(client) -> dict:
    return ok(client.get("/api/v1/domains/orders/asyncapi", headers=ADMIN))


def retyped(document: dict) -> dict:
    """The document with OrderPlaced's orderId a number instead of a string."""
    changed = copy.deepcopy(document)
    payload = changed["components"]["messages"]["OrderPlaced"]["payload"]["schema"]
    payload["properties"]["orderId"] = {"type": "integer"}
    return changed


def test_the_issue_paths_answer_as_the_endpoints_they_alias(client, demo):
    assert exported_orders(client) == ok(
        client.get("/api/v1/asyncapi", query_string={"domain": "orders"}, headers=ADMIN)
    )
    text = json.dumps(exported_orders(client))
    imported = client.post(
        "/api/v1/import/asyncapi",
        data=text,
        content_type="application/json",
        headers=ADMIN,
        query_string={"domain": "orders", "dry_run": "true"},
    )
    assert ok(imported)["dry_run"] is True and ok(imported)["changed"] is False
    paths = ok(client.get("/api/v1/openapi.json"))["paths"]
    assert "post" in paths["/api/v1/import/asyncapi"]
    listed = paths["/api/v1/domains/{domain}/asyncapi"]["get"]["parameters"]
    assert ("domain", "path") in [(p["name"], p["in"]) for p in listed]
    assert ("domain", "query") not in [(p["name"], p["in"]) for p in listed]
    assert paths["/api/v1/asyncapi/diff"]["post"]["responses"]["200"]


def test_an_incompatible_payload_change_of_the_demo_is_breaking(client, demo):
    before = exported_orders(client)
    answer = ok(client.post(DIFF, json={"old": before, "new": retyped(before)}, headers=ADMIN))
    assert answer["level"] == "BACKWARD" and answer["breaking"] is True
    [change] = answer["changes"]
    assert (change["kind"], change["message"], change["breaking"]) == (
        "PAYLOAD_CHANGED",
        "OrderPlaced",
        True,
    )
    assert {d["type"] for d in change["differences"]} == {"TYPE_CHANGED"}
    assert change["differences"][0]["path"] == "/properties/orderId"
    # The same documents as YAML or JSON text; no change at level NONE.
    same = client.post(
        DIFF,
        json={"old": json.dumps(before), "new": json.dumps(retyped(before)), "level": "NONE"},
        headers=ADMIN,
    )
    assert ok(same)["breaking"] is False
    unchanged = ok(client.post(DIFF, json={"old": before, "new": before}, headers=ADMIN))
    assert unchanged == {"level": "BACKWARD", "breaking": False, "changes": []}


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"old": "asyncapi: 1.0.0", "new": "asyncapi: 3.0.0"}, "/old/asyncapi"),
        ({"old": {"asyncapi": "3.0.0"}, "new": "[1, 2"}, None),
        ({"old": {"asyncapi": "3.0.0"}}, ""),  # "new" is required
        ({"old": {"asyncapi": "3.0.0"}, "new": {"asyncapi": "3.0.0"}, "level": "X"}, "/level"),
    ],
)
def test_bad_input_is_a_422_naming_where(client, body, pointer):
    answer = client.post(DIFF, json=body, headers=ADMIN)
    assert answer.status_code == 422, answer.get_json()
    problem = answer.get_json()
    if pointer is not None:
        assert pointer in [e.get("pointer") for e in problem["errors"]], problem
    else:
        assert "new document" in problem["detail"]


def test_an_invalid_payload_is_a_422_with_its_pointer(client, demo):
    before = exported_orders(client)
    broken = copy.deepcopy(before)
    broken["components"]["messages"]["OrderPlaced"]["payload"]["schema"]["type"] = "text"
    answer = client.post(DIFF, json={"old": before, "new": broken}, headers=ADMIN)
    assert answer.status_code == 422
    pointers = [e["pointer"] for e in answer.get_json()["errors"]]
    assert "/new/components/messages/OrderPlaced/payload/schema/type" in pointers


def test_the_export_at_a_past_time_and_the_diff_since_then(client, orders, runner):
    then = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    versions = "/api/v1/events/orders/OrderPlaced/versions"
    v1 = ok(client.get(f"{versions}/1", headers=orders))["schema"]
    v2 = {**v1, "properties": {**v1["properties"], "note": {"type": "string"}}}
    ok(client.post(versions, json={"schema": v2}, headers=orders), 201)
    shipped = {"domain": "orders", "name": "OrderShipped", "bus": "orders-events"}
    ok(client.post("/api/v1/events", json=shipped, headers=orders), 201)
    consumer = {"name": "loyalty", "bus": "orders-events", "event": "orders.OrderPlaced"}
    ok(client.post("/api/v1/consumers", json=consumer, headers=orders), 201)

    past = ok(client.get("/api/v1/asyncapi", query_string={"domain": "orders", "at": then}))
    messages = past["components"]["messages"]
    assert list(messages) == ["OrderPlaced"]
    assert "note" not in messages["OrderPlaced"]["payload"]["schema"]["properties"]
    services = {op["x-eventry-service"] for op in past["operations"].values()}
    assert "loyalty" not in services  # the consumer came later
    now = ok(client.get("/api/v1/domains/orders/asyncapi"))
    assert "note" in now["components"]["messages"]["OrderPlaced"]["payload"]["schema"]["properties"]
    bad = client.get("/api/v1/asyncapi", query_string={"domain": "orders", "at": "yesterday"})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["pointer"] == "/at"

    since = ["asyncapi", "diff", "--domain", "orders", "--since", then, "--json"]
    result = runner.invoke(main, since)
    assert result.exit_code == 0, result.output
    found = {(c["kind"], c["message"], c["breaking"]) for c in json.loads(result.output)["changes"]}
    assert found == {
        ("MESSAGE_ADDED", "OrderShipped", False),
        ("OPERATION_ADDED", "OrderPlaced", False),  # loyalty now receives it
        ("PAYLOAD_CHANGED", "OrderPlaced", False),
    }
    unknown = runner.invoke(main, ["asyncapi", "diff", "--domain", "nowhere", "--since", then])
    assert unknown.exit_code == 2 and "nowhere" in unknown.output
    undated = ["asyncapi", "diff", "--domain", "orders", "--since", "2026-01-01"]
    undated = runner.invoke(main, undated)
    assert undated.exit_code == 2 and "time zone" in undated.output


def test_the_cli_diff_exits_1_when_a_change_is_breaking(client, demo, runner, tmp_path):
    before = exported_orders(client)
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(before))
    new.write_text(json.dumps(retyped(before)))
    same = runner.invoke(main, ["asyncapi", "diff", str(old), str(old)])
    assert same.exit_code == 0, same.output
    assert "0 changes at BACKWARD: not breaking" in same.output
    broken = runner.invoke(main, ["asyncapi", "diff", str(old), str(new)])
    assert broken.exit_code == 1, broken.output
    assert "BREAKING PAYLOAD_CHANGED" in broken.output and "/properties/orderId" in broken.output
    relaxed = runner.invoke(main, ["asyncapi", "diff", str(old), str(new), "--level", "NONE"])
    assert relaxed.exit_code == 0, relaxed.output
    new.write_text("asyncapi: 1.0.0\n")
    refused = runner.invoke(main, ["asyncapi", "diff", str(old), str(new)])
    assert refused.exit_code == 2 and "/new/asyncapi" in refused.output
    lonely = runner.invoke(main, ["asyncapi", "diff", str(old)])
    assert lonely.exit_code == 2 and "two documents" in lonely.output
