"""An SNS consumer whose subscription filters on the message body (FilterPolicyScope
MessageBody) is stored with scope message-body, its policy checked as a body policy and matched
against the event's payload; a scope on a bus that is not SNS is refused."""

from __future__ import annotations

from tests.functional.api.conftest import ADMIN, ok
from tests.functional.api.test_consumed_version import described
from tests.functional.api.test_receivers import answers, demo

__all__ = ["demo"]  # a fixture

# A MessageBody policy may nest, as the payload does; it reads the payload's own fields.
FAILED_ONLY = {"status": ["failed"]}


def register(client, name: str, **fields):
    body = {"name": name, "bus": "payments-events", **fields}
    return client.post("/api/v1/consumers", json=body, headers=ADMIN)


def test_a_message_body_consumer_is_matched_on_the_payload(client, demo):
    made = ok(register(client, "dunning", scope="message-body", pattern=FAILED_ONLY), 201)
    assert described(made, "Consumer")["scope"] == "message-body"
    assert ok(client.get(f"/api/v1/consumers/{made['id']}"))["scope"] == "message-body"
    failed = answers(client, "payments.PaymentFailed")["dunning"]
    assert failed["receives"] is True
    assert failed["samples"] == ["declined-at-authorisation"]
    captured = answers(client, "payments.PaymentCaptured")["dunning"]
    assert captured["receives"] is False
    assert captured["mismatch"]["rule_pointer"] == "/status"


def test_the_default_scope_reads_the_message_attributes(client, demo):
    made = ok(
        register(client, "attributes-reader", pattern={"detail-type": ["PaymentFailed"]}), 201
    )
    assert made["scope"] == "message-attributes"
    row = answers(client, "payments.PaymentFailed")["attributes-reader"]
    assert row["samples"] == ["declined-at-authorisation"]
    # The same policy on the body looks for a detail-type field no sample carries.
    changed = client.patch(
        f"/api/v1/consumers/{made['id']}", json={"scope": "message-body"}, headers=ADMIN
    )
    assert ok(changed)["scope"] == "message-body"
    assert answers(client, "payments.PaymentFailed")["attributes-reader"]["samples"] == []
    reset = client.patch(f"/api/v1/consumers/{made['id']}", json={"scope": None}, headers=ADMIN)
    assert ok(reset)["scope"] == "message-attributes"


def test_a_scope_off_sns_or_unknown_is_refused_and_changes_nothing(client, demo):
    before = ok(client.get("/api/v1/consumers?bus=orders-events"))["items"]
    elsewhere = client.post(
        "/api/v1/consumers",
        json={"name": "x", "bus": "orders-events", "scope": "message-body"},
        headers=ADMIN,
    )
    assert elsewhere.status_code == 422
    assert elsewhere.json["errors"][0]["pointer"] == "/scope"
    assert ok(client.get("/api/v1/consumers?bus=orders-events"))["items"] == before
    unknown = register(client, "y", scope="MessageBody")
    assert unknown.status_code == 422


def test_a_body_policy_is_checked_as_one(client, demo):
    # Nesting is a body policy's; an attribute policy refuses it.
    nested = {"payment": {"status": ["failed"]}}
    refused = register(client, "nested", pattern=nested)
    assert refused.status_code == 422, refused.json
    ok(register(client, "nested", pattern=nested, scope="message-body"), 201)
