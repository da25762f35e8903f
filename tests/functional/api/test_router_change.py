"""A bus's router changes (eventbridge → sns): its consumers' rules are re-checked against the
new router's grammar; a rule it refuses keeps the router, naming the consumer and the pointer,
unless an admin forces it (audited)."""

from __future__ import annotations

from tests.functional.api.conftest import ADMIN, ok

BUS = "/api/v1/buses/orders-events"


def _consumer(client, teams, name: str, pattern: dict) -> None:
    body = {"name": name, "bus": "orders-events", "event": "orders.OrderPlaced", "pattern": pattern}
    ok(client.post("/api/v1/consumers", json=body, headers=teams["fulfilment"]), 201)


def test_a_router_whose_grammar_refuses_a_rule_is_refused_naming_it(client, orders, teams):
    _consumer(client, teams, "planner", {"detail-type": [{"wildcard": "Order*"}]})
    _consumer(client, teams, "invoicer", {"detail-type": ["OrderPlaced"]})
    refused = client.patch(BUS, json={"router": "sns"}, headers=orders)
    assert refused.status_code == 409
    assert refused.json["errors"] == [
        {
            "consumer": "planner",
            "pointer": "/pattern/detail-type/0/wildcard",
            "operator": "wildcard",
            "message": "SNS has no operator 'wildcard' (it knows anything-but, cidr, "
            "equals-ignore-case, exists, numeric, prefix, suffix) (a consumer on an sns bus "
            "has an SNS filter policy)",
        }
    ]
    assert "planner at /pattern/detail-type/0/wildcard" in refused.json["detail"]
    assert ok(client.get(BUS))["router"] == "eventbridge"  # nothing changed
    # Only an admin may force it; the owner asking is refused.
    assert (
        client.patch(f"{BUS}?force=true", json={"router": "sns"}, headers=orders).status_code == 403
    )
    assert ok(client.get(BUS))["router"] == "eventbridge"


def test_an_admin_forces_the_router_change_audited(client, orders, teams):
    _consumer(client, teams, "planner", {"detail-type": [{"wildcard": "Order*"}]})
    forced = ok(client.patch(f"{BUS}?force=true", json={"router": "sns"}, headers=ADMIN))
    assert forced["router"] == "sns"
    audit = ok(client.get("/api/v1/audit?target=bus:orders-events", headers=ADMIN))["items"]
    update = next(entry for entry in audit if entry["action"] == "bus.update")
    assert [each["consumer"] for each in update["before"]["forced_over"]] == ["planner"]


def test_rules_the_new_grammar_accepts_move_with_the_bus(client, orders, teams):
    _consumer(client, teams, "invoicer", {"detail-type": ["OrderPlaced"]})
    assert ok(client.patch(BUS, json={"router": "sns"}, headers=orders))["router"] == "sns"
    # A router without rules (kafka) refuses none.
    _consumer(client, teams, "auditor", {"detail-type": [{"prefix": "Order"}]})
    assert ok(client.patch(BUS, json={"router": "kafka"}, headers=orders))["router"] == "kafka"
