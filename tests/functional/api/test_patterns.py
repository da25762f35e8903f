"""POST /api/v1/patterns/test: EventBridge's TestEventPattern (and SNS's filter policies) over
REST, anonymous like the other stateless checks."""

from __future__ import annotations

import pytest

from tests.functional.api.conftest import ok

URL = "/api/v1/patterns/test"
EVENT = {
    "source": "larkspur.payments",
    "detail-type": "PaymentCaptured",
    "detail": {"paymentId": "pay_1", "amount": {"value": 120.5, "currency": "GBP"}},
}


def test_a_matching_pattern_answers_matched(client):
    body = {"pattern": {"detail-type": ["PaymentCaptured"]}, "event": EVENT}
    assert ok(client.post(URL, json=body)) == {
        "router": "eventbridge",
        "scope": None,
        "matched": True,
        "mismatch": None,
    }


def test_a_failing_pattern_names_the_rule_part_and_the_event_field(client):
    pattern = {
        "detail-type": ["PaymentCaptured"],
        "detail": {"amount": {"value": [{"numeric": [">=", 500]}]}},
    }
    answer = ok(client.post(URL, json={"pattern": pattern, "event": EVENT}))
    assert answer["matched"] is False
    assert answer["mismatch"]["rule_pointer"] == "/detail/amount/value"
    assert answer["mismatch"]["event_pointer"] == "/detail/amount/value"
    assert "120.5" in answer["mismatch"]["reason"]


def test_sns_attribute_and_body_scopes(client):
    policy = {"eventType": ["PaymentCaptured"]}
    attributes = {"eventType": {"Type": "String", "Value": "PaymentCaptured"}}
    answer = ok(client.post(URL, json={"pattern": policy, "event": attributes, "router": "sns"}))
    assert (answer["scope"], answer["matched"]) == ("MessageAttributes", True)
    body = {"pattern": {"amount": {"currency": ["EUR"]}}, "event": EVENT["detail"]}
    answer = ok(client.post(URL, json={**body, "router": "sns", "scope": "MessageBody"}))
    assert answer["matched"] is False
    assert answer["mismatch"]["event_pointer"] == "/amount/currency"


@pytest.mark.parametrize(
    ("body", "pointer", "operator"),
    [
        # pointers into the request body, as every other 422 of the API
        ({"pattern": {"a": [{"contains": "x"}]}, "event": {}}, "/pattern/a/0/contains", "contains"),
        (
            {"pattern": {"a": [{"wildcard": "x"}]}, "event": {}, "router": "sns"},
            "/pattern/a/0/wildcard",
            "wildcard",
        ),
        ({"pattern": {"a": []}, "event": {}}, "/pattern/a", None),
    ],
)
def test_a_rule_the_router_refuses_is_a_422_naming_operator_and_pointer(
    client, body, pointer, operator
):
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"][0]["pointer"] == pointer
    assert response.json["errors"][0]["operator"] == operator
    assert pointer in response.json["detail"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"event": {}}, 422, "pattern"),
        ({"pattern": {"a": ["x"]}, "event": {}, "router": "kafka"}, 422, "router"),
        (
            {"pattern": {"a": ["x"]}, "event": {}, "scope": "MessageBody"},
            422,
            "EventBridge has none",
        ),
        (
            {
                "pattern": {"a": ["x"]},
                "event": {"a": {"Type": "Number", "Value": "x"}},
                "router": "sns",
            },
            422,
            "Number",
        ),
    ],
)
def test_bad_requests_are_clear_4xx(client, body, status, words):
    response = client.post(URL, json=body)
    assert response.status_code == status, response.json
    assert words in str(response.json)


def test_the_endpoint_is_in_the_openapi_document(client):
    document = ok(client.get("/api/v1/openapi.json"))
    operation = document["paths"]["/api/v1/patterns/test"]["post"]
    assert "TestEventPattern" in operation["summary"]
