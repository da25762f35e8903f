"""Schema discovery from raw events (POST /api/v1/buses/{bus}/discover, NDJSON in, JSON out):
each envelope grouped by type, one schema inferred per type and proposed against the bus's
event type of that name with its verdict and consumer impact; registered only with apply=true,
only when compatible, only by the owner, audited; and the stateless POST /api/v1/infer.
docs/interop.md, "Schema discovery"."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from app import create_app
from app.api.openapi import build_document
from app.core.limits import Limits
from tests.conftest import ADMIN_TOKEN
from tests.functional.api.conftest import ADMIN, ok

DISCOVER = "/api/v1/buses/orders-events/discover"
NDJSON = "application/x-ndjson"
AT = "2026-11-26T10:00:00Z"


def bridge(detail: dict, kind: str = "OrderPlaced") -> dict:
    return {"source": "shop.orders", "detail-type": kind, "detail": detail, "id": "1"}


def cloud(data: dict, kind: str = "com.example.orders.OrderShipped") -> dict:
    return {"specversion": "1.0", "id": "x", "source": "/shop", "type": kind, "data": data}


def ndjson(events: list) -> bytes:
    return b"".join((e if isinstance(e, bytes) else json.dumps(e).encode()) + b"\n" for e in events)


def discover(client, events: list, headers=None, **query):
    return client.post(
        DISCOVER, data=ndjson(events), content_type=NDJSON, headers=headers, query_string=query
    )


def by_type(answer: dict) -> dict[str, dict]:
    return {each["type"]: each for each in answer["types"]}


MIXED = [
    bridge({"orderId": "o-1", "placedAt": AT}),
    bridge({"orderId": "o-2"}),
    bridge({"orderId": "o-3", "placedAt": AT}),
    cloud({"orderId": "o-1", "shipmentId": "123e4567-e89b-12d3-a456-426614174000"}),
    {"type": "order_cancelled", "orderId": "o-2", "by": "ann@example.com"},
    b"not json",
    {"kind": "nothing names my type"},
    b"",
]


def test_each_envelope_is_grouped_by_type_and_proposed_without_registering(client, orders):
    answer = ok(discover(client, MIXED))
    assert (answer["lines"], answer["events"]) == (8, 5)
    assert [(p["line"], p["problem"]["status"]) for p in answer["problems"]] == [(6, 400), (7, 422)]
    assert "no 'type' string" in answer["problems"][1]["problem"]["detail"]
    types = by_type(answer)
    placed = types["OrderPlaced"]
    assert placed["envelopes"] == {"eventbridge": 3} and placed["events"] == 3
    assert placed["proposal"] == "new-version" and placed["event"] == "orders.OrderPlaced"
    assert placed["schema"]["required"] == ["orderId"]
    assert placed["schema"]["properties"]["placedAt"] == {"type": "string", "format": "date-time"}
    assert placed["optional"] == [
        {"pointer": "/placedAt", "present": 2, "of": 3, "frequency": 0.6667}
    ]
    assert placed["verdict"]["compatible"] is True
    assert [i["consumers"] for i in placed["verdict"]["impact"]] == [[], []]  # nobody reads it
    shipped = types["com.example.orders.OrderShipped"]
    assert (shipped["proposal"], shipped["name"], shipped["event"]) == (
        "new-event-type",
        "OrderShipped",
        None,
    )
    assert shipped["schema"]["properties"]["shipmentId"]["format"] == "uuid"
    cancelled = types["order_cancelled"]
    assert cancelled["envelopes"] == {"plain": 1} and cancelled["name"] == "OrderCancelled"
    assert cancelled["schema"]["properties"]["by"]["format"] == "email"
    assert all(each["registered"] is None for each in answer["types"])
    versions = ok(client.get("/api/v1/events/orders/OrderPlaced/versions"))["items"]
    assert len(versions) == 1
    assert client.get("/api/v1/events/orders/OrderShipped").status_code == 404


def test_the_answers_are_the_shapes_the_openapi_document_describes(app, client, orders):
    document = build_document(app)
    for path, body, answer in (
        (DISCOVER, None, discover(client, MIXED)),
        ("/api/v1/infer", {"samples": [{"a": 1}, {}]}, None),
    ):
        answer = answer or client.post(path, json=body)
        operation = document["paths"][path.replace("orders-events", "{bus}")]["post"]
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        validator = Draft202012Validator({**schema, "components": document["components"]})
        assert list(validator.iter_errors(ok(answer))) == []
    body = document["paths"]["/api/v1/buses/{bus}/discover"]["post"]["requestBody"]
    assert list(body["content"]) == [NDJSON]


def test_apply_registers_the_compatible_proposals_only_for_the_owner(client, orders, teams):
    before = ndjson(MIXED)
    denied = discover(client, MIXED, teams["fulfilment"], apply="true")
    assert denied.status_code == 403
    assert client.get("/api/v1/events/orders/OrderShipped").status_code == 404
    assert discover(client, MIXED, apply="true").status_code == 401
    answer = ok(discover(client, MIXED, teams["checkout"], apply="true"))
    types = by_type(answer)
    assert types["OrderPlaced"]["registered"] == {
        "event": "orders.OrderPlaced",
        "version": 2,
        "created": True,
    }
    assert types["com.example.orders.OrderShipped"]["registered"]["event"] == "orders.OrderShipped"
    shipped = ok(client.get("/api/v1/events/orders/OrderShipped"))
    assert shipped["bus"] == "orders-events"
    audit = ok(client.get("/api/v1/audit", headers=ADMIN, query_string={"limit": 200}))["items"]
    assert {"event.create", "version.register"} <= {entry["action"] for entry in audit}
    again = ok(discover(client, MIXED, teams["checkout"], apply="true"))
    assert by_type(again)["OrderPlaced"]["registered"]["created"] is False
    assert ndjson(MIXED) == before


def test_an_incompatible_proposal_is_judged_but_never_registered(client, orders, teams):
    events = [bridge({"orderId": 7, "placedAt": AT})]  # orderId was a string
    answer = ok(discover(client, events, teams["checkout"], apply="true"))
    placed = by_type(answer)["OrderPlaced"]
    assert placed["verdict"]["compatible"] is False and placed["registered"] is None
    assert any(d["path"] == "/properties/orderId" for d in placed["verdict"]["differences"])
    assert len(ok(client.get("/api/v1/events/orders/OrderPlaced/versions"))["items"]) == 1


def test_enums_only_when_asked_and_a_configured_type_field(client, orders):
    events = [{"t": "OrderPaid", "status": s} for s in ("paid", "paid", "refunded", "paid")]
    plain = by_type(ok(discover(client, events, type_field="t")))["OrderPaid"]
    assert plain["schema"]["properties"]["status"] == {"type": "string"}
    asked = by_type(ok(discover(client, events, type_field="t", enums="true")))["OrderPaid"]
    assert asked["schema"]["properties"]["status"]["enum"] == ["paid", "refunded"]


@pytest.mark.parametrize(
    ("request_args", "status", "words"),
    [
        ({"data": b"{}", "content_type": "application/json"}, 415, "send the raw events as NDJSON"),
        ({"query_string": {"type_field": ""}}, 400, "type_field"),
        ({"query_string": {"enums": "maybe"}}, 400, "enums must be true or false"),
    ],
)
def test_a_bad_request_is_refused_before_anything_is_read(
    client, orders, request_args, status, words
):
    arguments = {"data": ndjson(MIXED), "content_type": NDJSON, **request_args}
    answer = client.post(DISCOVER, **arguments)
    assert answer.status_code == status and words in answer.get_json()["detail"]


def test_an_unknown_bus_is_404(client, orders):
    answer = client.post("/api/v1/buses/nope/discover", data=b"{}\n", content_type=NDJSON)
    assert answer.status_code == 404


@pytest.fixture
def small(database_url):
    """An app with a 1 KiB body limit (one line), 4 events a discovery, 20 schema nodes."""
    limits = Limits(max_events_per_discovery=4, max_schema_nodes=20, max_event_depth=5)
    app = create_app(
        {
            "database_url": database_url,
            "admin_token": ADMIN_TOKEN,
            "demo": False,
            "max_body_bytes": 1024,
            "limits": limits,
        }
    )
    yield app
    app.extensions["eventry"].engine.dispose()


def test_hostile_streams_are_bounded_and_change_nothing(small):
    client = small.test_client()
    for path, body in (
        ("teams", {"slug": "t", "name": "T"}),
        ("domains", {"slug": "d", "name": "D", "owner": "t"}),
        ("buses", {"slug": "b", "domain": "d", "router": "eventbridge"}),
    ):
        ok(client.post(f"/api/v1/{path}", json=body, headers=ADMIN), 201)
    url = "/api/v1/buses/b/discover"

    def post(events):
        return client.post(
            url,
            data=ndjson(events),
            content_type=NDJSON,
            headers=ADMIN,
            query_string={"apply": "true"},
        )

    lines = [
        {"type": "A", "long": "x" * 2000},
        b"[" * 6 + b"]" * 6,
        {"type": "A", "deep": [[[[[1]]]]]},
    ]
    answer = ok(post([*lines, {"type": "A"}]))
    assert [p["problem"]["status"] for p in answer["problems"]] == [413, 422, 422]
    assert answer["problems"][2]["problem"]["limit"] == "EVENTRY_MAX_EVENT_DEPTH"
    too_many = post([{"type": "A"}] * 5)
    assert too_many.status_code == 422
    assert too_many.get_json()["limit"] == "EVENTRY_MAX_EVENTS_PER_DISCOVERY"
    wide = post([{"type": "B", **{f"f{n}": n for n in range(21)}}])
    assert wide.status_code == 422 and wide.get_json()["limit"] == "EVENTRY_MAX_SCHEMA_NODES"
    events = ok(client.get("/api/v1/events"))["items"]
    assert [e["name"] for e in events] == ["A"]  # only the one good discovery registered


def test_infer_merges_samples_statelessly(client):
    samples = [
        {"id": "123e4567-e89b-12d3-a456-426614174000", "n": 1},
        {"id": "123e4567-e89b-12d3-a456-426614174001", "n": 2.5, "x": None},
    ]
    answer = ok(client.post("/api/v1/infer", json={"samples": samples}))
    assert answer["samples"] == 2
    assert answer["schema"]["required"] == ["id", "n"]
    assert answer["schema"]["properties"]["id"] == {"type": "string", "format": "uuid"}
    assert answer["schema"]["properties"]["n"] == {"type": "number"}
    assert answer["optional"] == [{"pointer": "/x", "present": 1, "of": 2, "frequency": 0.5}]
    refused = client.post("/api/v1/infer", json={"samples": []})
    assert refused.status_code == 422
    assert client.post("/api/v1/infer", json={"samples": [{}], "extra": 1}).status_code == 422


def test_a_name_the_domain_holds_off_the_bus_is_a_new_version_of_it(client, orders, teams):
    event = {"domain": "orders", "name": "OrderRefunded"}  # on no bus, with no version yet
    ok(client.post("/api/v1/events", json=event, headers=teams["checkout"]), 201)
    events = [bridge({"orderId": "o-1"}, "OrderRefunded")]
    answer = ok(discover(client, events, teams["checkout"], apply="true"))
    refunded = by_type(answer)["OrderRefunded"]
    assert (refunded["proposal"], refunded["event"]) == ("new-version", "orders.OrderRefunded")
    assert refunded["registered"] == {
        "event": "orders.OrderRefunded",
        "version": 1,
        "created": True,
    }


def test_two_types_of_one_event_name_are_refused_before_anything_is_registered(
    client, orders, teams
):
    events = [bridge({"a": 1}, "Order Noted"), bridge({"a": 1}, "order_noted")]
    answer = discover(client, events, teams["checkout"], apply="true")
    assert answer.status_code == 409
    assert "both map to the event orders.OrderNoted" in answer.get_json()["detail"]
    assert client.get("/api/v1/events/orders/OrderNoted").status_code == 404
