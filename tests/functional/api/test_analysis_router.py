"""The stateless analysis answers, before anything is registered, whether an event is an
ordering hazard on the bus (or the kind of router) it would travel on."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from app.api.answers import ANSWERS
from tests.functional.api.conftest import ok
from tests.functional.api.test_analysis import FULL_ORDER

ANALYSIS = "/api/v1/analysis"
VERSIONED = {
    **FULL_ORDER,
    "properties": {
        **FULL_ORDER["properties"],
        "orderVersion": {"type": "integer", "description": "Incremented on every change."},
        "occurredAt": {"type": "string", "format": "date-time"},
    },
}


def analysed(client, **body) -> dict:
    answer = ok(client.post(ANALYSIS, json=body))
    schema = {**ANSWERS["Analysis"], "components": {"schemas": ANSWERS}}
    assert [e.message for e in Draft202012Validator(schema).iter_errors(answer)] == []
    return answer


def test_a_full_event_without_a_version_is_a_hazard_on_an_unordered_router(client):
    for router in ("eventbridge", "sns", "sqs"):
        body = analysed(client, schema=FULL_ORDER, router=router)
        assert (body["shape"], body["router"], body["bus"]) == ("full", router, None)
        hazard = body["ordering"]
        assert hazard["router"] == router and hazard["shape"] == "full"
        assert hazard["missing"] == ["entity version or sequence number", "occurred-at time"]
        assert body["router_advice"][0].startswith(f"{router} does not keep order")


def test_no_hazard_on_an_ordered_router_or_with_a_version_and_time(client):
    assert analysed(client, schema=FULL_ORDER, router="kinesis")["ordering"] is None
    assert analysed(client, schema=FULL_ORDER, router="kafka")["ordering"] is None
    assert analysed(client, schema=VERSIONED, router="eventbridge")["ordering"] is None
    thin = {"orderId": "ord_8f2k1", "customerId": "cus_91x", "status": "PAID"}
    assert analysed(client, samples=[thin], router="sns")["ordering"] is None


def test_a_registered_bus_answers_for_its_router(client, orders):
    body = analysed(client, schema=FULL_ORDER, bus="orders-events")
    assert (body["bus"], body["router"]) == ("orders-events", "eventbridge")
    assert body["ordering"]["router"] == "eventbridge"


def test_without_bus_or_router_the_answer_is_the_shape_alone(client):
    body = analysed(client, schema=FULL_ORDER)
    assert "ordering" not in body and "router" not in body


def test_a_bad_bus_or_router_is_refused_with_its_pointer(client, orders):
    cases = (
        ({"bus": "nowhere"}, "/bus", "there is no bus 'nowhere'"),
        ({"bus": "Orders Events"}, "/bus", None),
        ({"router": "carrier-pigeon"}, "/router", None),
        ({"bus": "orders-events", "router": "kafka"}, "/router", None),
    )
    for extra, pointer, detail in cases:
        refused = client.post(ANALYSIS, json={"schema": FULL_ORDER, **extra})
        assert refused.status_code == 422, refused.json
        assert refused.json["errors"][0]["pointer"] == pointer
        if detail:
            assert refused.json["detail"] == detail
