"""Data contracts: a registration's metadata and ruleSet are stored and returned exactly as
sent, and are part of the content's identity (so of its global id)."""

from tests.functional.confluent.conftest import V1_SCHEMA, ok, registered, schema

METADATA = {
    "properties": {"owner": "checkout", "major": "1", "ünïcode": "✓"},
    "tags": {"$.orderId": ["PII"]},
    "sensitive": ["owner"],
}
RULE_SET = {
    "domainRules": [
        {
            "name": "checkOrderId",
            "kind": "CONDITION",
            "mode": "WRITE",
            "type": "CEL",
            "expr": "message.orderId != ''",
            "params": {"a": "1"},
            "onFailure": "ERROR",
            "disabled": False,
        }
    ],
    "migrationRules": [],
}


def test_metadata_and_rule_set_round_trip_exactly(client):
    made = registered(client, "orders-value", V1_SCHEMA, metadata=METADATA, ruleSet=RULE_SET)
    reads = [
        ok(client.get("/ccompat/subjects/orders-value/versions/1")),
        ok(client.get("/ccompat/subjects/orders-value/versions/latest")),
        ok(client.get(f"/ccompat/schemas/ids/{made['id']}")),
        ok(client.get(f"/ccompat/schemas/guids/{made['guid']}")),
        ok(
            client.post(
                "/ccompat/subjects/orders-value",
                json={"schema": V1_SCHEMA, "metadata": METADATA, "ruleSet": RULE_SET},
            )
        ),
    ]
    for found in reads:
        assert found["metadata"] == METADATA
        assert found["ruleSet"] == RULE_SET
    plain = registered(client, "plain-value", schema("Plain", id="string"))
    bare = ok(client.get(f"/ccompat/schemas/ids/{plain['id']}"))
    assert "metadata" not in bare and "ruleSet" not in bare


def test_metadata_and_rule_set_are_part_of_the_identity(client):
    plain = registered(client, "orders-value", V1_SCHEMA)
    tagged = registered(client, "orders-value", V1_SCHEMA, metadata=METADATA)
    ruled = registered(client, "orders-value", V1_SCHEMA, metadata=METADATA, ruleSet=RULE_SET)
    assert len({plain["id"], tagged["id"], ruled["id"]}) == 3
    assert [plain["version"], tagged["version"], ruled["version"]] == [1, 2, 3]
    again = registered(client, "orders-value", V1_SCHEMA, metadata=METADATA)
    assert (again["id"], again["version"]) == (tagged["id"], 2)
    reordered = dict(reversed(list(METADATA.items())))
    assert registered(client, "orders-value", V1_SCHEMA, metadata=reordered) == again
