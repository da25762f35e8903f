"""The analysis endpoint on deltas written as old/new identifiers, and on several samples."""

from tests.functional.api.conftest import ok


def _signals(body):
    return {signal["id"]: signal for signal in body["signals"]}


def test_a_reassignment_with_before_and_after_ids_is_a_delta(client):
    sample = {
        "eventId": "5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f",
        "ticketId": "tkt_8Hq2Lm4Np6",
        "previousOwnerId": "usr_4Kd8Nq2Lw6x",
        "newOwnerId": "usr_9Zx7Cv5Bn3m",
        "changedBy": {"id": "usr_1a2b3c4d5e", "name": "Ada"},
    }
    body = ok(client.post("/api/v1/analysis", json={"samples": [sample]}))
    assert body["shape"] == "delta"
    signals = _signals(body)
    assert signals["old-new-identifiers"]["pointers"] == ["/previousOwnerId"]
    # The one who changed it is an actor, not the ticket.
    assert "/changedBy/id" in signals["actor-references"]["pointers"]


def test_partial_updates_seen_across_samples_and_the_schema_are_a_delta(client):
    schema = {
        "type": "object",
        "required": ["customerId"],
        "properties": {
            name: {"type": "string"} for name in ("customerId", "name", "email", "phone", "city")
        },
    }
    samples = [
        {"customerId": "cus_Q8wE3rT5yU1i", "email": "ada@example.com"},
        {"customerId": "cus_Q8wE3rT5yU1i", "city": "Kendal", "phone": "+44 1539 000000"},
    ]
    body = ok(client.post("/api/v1/analysis", json={"schema": schema, "samples": samples}))
    assert body["shape"] == "delta"
    assert _signals(body)["varying-fields"]["points_to"] == "delta"
