"""Shared fields through the API: the field index is filled by every path that creates
versions (registration, import, the Confluent adapter) and backfilled for older catalogues;
the fields list, a field's page and the analysis show type and format conflicts."""

from sqlalchemy import delete, func, select

from app.db.models import AuditEntry, FieldEntry
from app.services import database, field_index
from tests.functional.api.conftest import ADMIN, ORDER_V1, new_event, ok
from tests.functional.confluent.conftest import registered, schema


def customer(kind: str, fmt: str | None = None) -> dict:
    field = {"type": kind, **({"format": fmt} if fmt else {})}
    return {"type": "object", "properties": {"orderId": {"type": "string"}, "customerId": field}}


def test_a_registered_version_is_indexed_with_pointer_type_format_and_required(client, orders):
    found = ok(client.get("/api/v1/fields/placedAt"))
    assert found["name"] == "placedAt" and found["types"] == ["string"]
    [use] = found["events"]
    assert use == {
        "event": "orders.OrderPlaced",
        "version": 1,
        "pointer": "/placedAt",
        "type": "string",
        "types": "string",
        "format": "date-time",
        "description": "",
        "required": False,
    }
    assert ok(client.get("/api/v1/fields/orderId"))["events"][0]["required"] is True
    missing = client.get("/api/v1/fields/nothing")
    assert missing.status_code == 404 and "nothing" in missing.get_json()["detail"]


def test_a_type_conflict_is_listed_shown_on_the_field_and_linted_on_both_events(client, orders):
    new_event(client, orders, "OrderPaid", customer("string", "uuid"))
    new_event(client, orders, "OrderRefunded", customer("integer"))
    conflicting = ok(client.get("/api/v1/fields", query_string={"conflicts": "true"}))
    assert conflicting == {
        "items": [
            {
                "name": "customerId",
                "events": 2,
                "types": ["integer", "string"],
                "conflicts": ["field-type-conflict"],
            }
        ],
        "next": None,
    }
    [conflict] = ok(client.get("/api/v1/fields/customerId"))["conflicts"]
    assert conflict["events"] == ["orders.OrderPaid", "orders.OrderRefunded"]
    assert "integer in orders.OrderRefunded (/customerId)" in conflict["message"]
    for event in ("OrderPaid", "OrderRefunded"):
        lints = ok(client.get(f"/api/v1/events/orders/{event}/analysis"))["lints"]
        [found] = [lint for lint in lints if lint["id"] == "field-type-conflict"]
        assert (found["severity"], found["pointer"]) == ("warning", "/customerId")
    lints = ok(client.get("/api/v1/events/orders/OrderPlaced/analysis"))["lints"]
    assert not [lint for lint in lints if lint["id"].startswith("field-")]


def test_only_latest_versions_are_compared_and_formats_conflict_within_one_type(client, orders):
    path = new_event(client, orders, "OrderPaid", customer("integer"))
    new_event(client, orders, "OrderRefunded", customer("string", "uri"))
    ok(
        client.put(
            "/api/v1/events/orders/OrderPaid/config", json={"compatibility": "NONE"}, headers=orders
        )
    )
    ok(client.post(path, json={"schema": customer("string", "uuid")}, headers=orders), 201)
    found = ok(client.get("/api/v1/fields/customerId"))
    assert [c["id"] for c in found["conflicts"]] == ["field-format-conflict"]
    assert [(v["event"], v["version"]) for v in found["versions"]] == [
        ("orders.OrderPaid", 1),
        ("orders.OrderPaid", 2),
        ("orders.OrderRefunded", 1),
    ]


def test_the_list_pages_by_name_and_filters_by_prefix(client, orders):
    first = ok(client.get("/api/v1/fields", query_string={"limit": 1}))
    assert [item["name"] for item in first["items"]] == ["orderId"]
    second = ok(client.get(first["next"]))
    assert [item["name"] for item in second["items"]] == ["placedAt"] and second["next"] is None
    prefixed = ok(client.get("/api/v1/fields", query_string={"name": "pla"}))
    assert [item["name"] for item in prefixed["items"]] == ["placedAt"]
    assert client.get("/api/v1/fields", query_string={"cursor": "WzFd"}).status_code == 400
    assert client.get("/api/v1/fields", query_string={"conflicts": "maybe"}).status_code == 400


def test_an_imported_version_is_indexed(client, orders):
    wider = {**ORDER_V1, "properties": {**ORDER_V1["properties"], "note": {"type": "string"}}}
    body = {"version": 3, "schema": wider}
    ok(
        client.post("/api/v1/import/events/orders/OrderPlaced/versions", json=body, headers=ADMIN),
        201,
    )
    [use] = ok(client.get("/api/v1/fields/note"))["events"]
    assert (use["event"], use["version"]) == ("orders.OrderPlaced", 3)


def test_a_version_registered_through_the_confluent_api_is_indexed(client):
    registered(
        client, "payments-value", schema("PaymentTaken", ("paymentRef",), paymentRef="string")
    )
    [use] = ok(client.get("/api/v1/fields/paymentRef"))["events"]
    assert (use["pointer"], use["type"], use["required"]) == ("/paymentRef", "string", True)


def test_versions_stored_before_the_index_are_backfilled_once(client, orders, session):
    new_event(client, orders, "OrderPaid", customer("integer"))
    session.execute(delete(FieldEntry))
    session.commit()
    assert client.get("/api/v1/fields/orderId").status_code == 404
    assert field_index.backfill(session) == 2
    assert field_index.backfill(session) == 0  # nothing left: indexed once
    assert len(ok(client.get("/api/v1/fields/orderId"))["events"]) == 2
    assert session.scalar(select(func.count()).select_from(FieldEntry)) == 4
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "fields.backfill"))
    assert entry.after == {"versions": 2}


def test_upgrading_the_database_backfills_and_purged_versions_leave_the_index(
    client, orders, session, database_url
):
    session.execute(delete(FieldEntry))
    session.commit()
    database.upgrade(database_url)
    assert ok(client.get("/api/v1/fields/placedAt"))["events"][0]["event"] == "orders.OrderPlaced"
    path = new_event(client, orders, "OrderPaid", customer("integer"))
    ok(client.delete(f"{path}/1", headers=orders))
    assert client.delete(f"{path}/1?permanent=true", headers=ADMIN).status_code == 204
    assert client.get("/api/v1/fields/customerId").status_code == 404
    assert session.scalar(select(func.count()).select_from(FieldEntry)) == 2


def test_a_fields_event_types_are_paged_by_address_with_the_whole_names_counts(client, orders):
    """A name every event type of a big catalogue carries is answered a page at a time: each
    page's events and versions are its event types' only, the counts, types and conflicts
    the whole catalogue's, and the pages together hold every use exactly once."""
    for name in ("OrderPaid", "OrderRefunded", "OrderShipped"):
        path = new_event(client, orders, name, customer("string"))
    ok(
        client.put(
            "/api/v1/events/orders/OrderShipped/config",
            json={"compatibility": "NONE"},
            headers=orders,
        )
    )
    ok(client.post(path, json={"schema": customer("integer")}, headers=orders), 201)
    whole = ok(client.get("/api/v1/fields/customerId", query_string={"limit": 200}))
    assert whole["next"] is None and whole["event_count"] == 3
    pages, link = [], "/api/v1/fields/customerId?limit=2"
    while link:
        pages.append(ok(client.get(link)))
        link = pages[-1]["next"]
    assert [[use["event"] for use in page["events"]] for page in pages] == [
        ["orders.OrderPaid", "orders.OrderRefunded"],
        ["orders.OrderShipped"],
    ]
    assert [(v["event"], v["version"]) for v in pages[1]["versions"]] == [
        ("orders.OrderShipped", 1),
        ("orders.OrderShipped", 2),
    ]
    for page in pages:
        assert page["event_count"] == 3 and page["types"] == ["integer", "string"]
        assert page["conflicts"] == whole["conflicts"] and len(page["conflicts"]) == 1
    assert [use for page in pages for use in page["versions"]] == whole["versions"]
    assert client.get("/api/v1/fields/customerId?cursor=WzFd").status_code == 400
    assert client.get("/api/v1/fields/customerId?limit=0").status_code == 400
