"""Registering and reading schema versions, and schemas by their global id."""

from tests.functional.api.conftest import ADMIN, ORDER_V1, ok

URL = "/api/v1/events/orders/OrderPlaced/versions"
ORDER_V2 = {
    **ORDER_V1,
    "properties": {**ORDER_V1["properties"], "currency": {"type": "string"}},
}


def test_a_new_version_gets_the_next_number(client, orders):
    second = client.post(URL, json={"schema": ORDER_V2, "note": "currency"}, headers=orders)
    assert second.status_code == 201
    assert second.headers["Location"] == f"{URL}/2"
    body = second.json
    assert (body["version"], body["note"], body["author"], body["schema"]) == (
        2,
        "currency",
        "checkout ci",
        ORDER_V2,
    )
    assert [v["version"] for v in ok(client.get(URL))["items"]] == [1, 2]
    assert ok(client.get(f"{URL}/latest"))["version"] == 2


def test_registering_identical_content_again_is_200_with_the_same_version(client, orders):
    reordered = dict(reversed(list(ORDER_V1.items())))
    again = client.post(URL, json={"schema": reordered}, headers=orders)
    assert again.status_code == 200
    assert again.json["version"] == 1
    assert [v["version"] for v in ok(client.get(URL))["items"]] == [1]


def test_the_same_content_gets_one_global_schema_id(client, orders):
    ok(
        client.post(
            "/api/v1/events", json={"domain": "orders", "name": "OrderCopied"}, headers=orders
        ),
        201,
    )
    copy = ok(
        client.post(
            "/api/v1/events/orders/OrderCopied/versions", json={"schema": ORDER_V1}, headers=orders
        ),
        201,
    )
    original = ok(client.get(f"{URL}/1"))
    assert copy["schema_id"] == original["schema_id"]
    usages = ok(client.get(f"/api/v1/schemas/{copy['schema_id']}/versions"))["items"]
    assert [(u["event"], u["version"]) for u in usages] == [
        ("orders.OrderPlaced", 1),
        ("orders.OrderCopied", 1),
    ]


def test_an_invalid_schema_is_422_with_every_meta_schema_error(client, orders):
    bad = {"type": "object", "properties": {"a": {"type": "text"}}, "required": "a"}
    response = client.post(URL, json={"schema": bad}, headers=orders)
    assert response.status_code == 422
    assert {e["pointer"] for e in response.json["errors"]} == {"/properties/a/type", "/required"}
    assert [v["version"] for v in ok(client.get(URL))["items"]] == [1]


def test_an_incompatible_schema_is_409_with_the_differences(client, orders):
    narrowed = {**ORDER_V1, "required": ["orderId", "placedAt"]}
    response = client.post(URL, json={"schema": narrowed}, headers=orders)
    assert response.status_code == 409
    [difference] = response.json["errors"]
    assert difference["type"] == "REQUIRED_ATTRIBUTE_ADDED"
    assert difference["path"].startswith("/required")
    assert response.json["compatibility"]["level"] == "BACKWARD"
    assert "not BACKWARD compatible with version 1" in response.json["detail"]


def test_a_version_is_soft_deleted_then_purged_by_an_admin(client, orders):
    ok(client.post(URL, json={"schema": ORDER_V2}, headers=orders), 201)
    assert client.delete(f"{URL}/2?permanent=true", headers=ADMIN).status_code == 409
    deleted = ok(client.delete(f"{URL}/2", headers=orders))
    assert deleted["deleted"] is True
    assert client.get(f"{URL}/2").status_code == 404
    assert ok(client.get(f"{URL}/latest"))["version"] == 1
    assert [v["version"] for v in ok(client.get(f"{URL}?deleted=true"))["items"]] == [1, 2]
    assert client.delete(f"{URL}/2", headers=orders).status_code == 409
    assert client.delete(f"{URL}/2?permanent=true", headers=orders).status_code == 403
    assert client.delete(f"{URL}/2?permanent=true", headers=ADMIN).status_code == 204
    assert [v["version"] for v in ok(client.get(f"{URL}?deleted=true"))["items"]] == [1]


def test_numbering_continues_after_a_soft_delete(client, orders):
    ok(client.post(URL, json={"schema": ORDER_V2}, headers=orders), 201)
    ok(client.delete(f"{URL}/2", headers=orders))
    third = {**ORDER_V2, "title": "Order placed"}
    assert ok(client.post(URL, json={"schema": third}, headers=orders), 201)["version"] == 3


def test_a_bad_version_number_is_a_clear_error(client, orders):
    assert client.get(f"{URL}/0").status_code == 422
    assert client.get(f"{URL}/two").status_code == 422
    assert client.get(f"{URL}/9").status_code == 404


def test_a_schema_by_id_is_immutable_and_cacheable(client, orders):
    schema_id = ok(client.get(f"{URL}/1"))["schema_id"]
    response = client.get(f"/api/v1/schemas/{schema_id}")
    assert response.status_code == 200
    assert response.mimetype == "application/schema+json"
    assert response.get_json() == ORDER_V1
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    etag = response.headers["ETag"]
    assert etag.startswith('"') and len(etag) == 66
    again = client.get(f"/api/v1/schemas/{schema_id}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/api/v1/schemas/999").status_code == 404


def test_a_diff_lists_every_difference_with_a_verdict_per_level(client, orders):
    ok(
        client.put(
            "/api/v1/events/orders/OrderPlaced/config",
            json={"compatibility": "NONE"},
            headers=orders,
        )
    )
    ok(client.post(URL, json={"schema": ORDER_V2}, headers=orders), 201)
    third = {**ORDER_V2, "required": ["orderId", "currency"]}
    ok(client.post(URL, json={"schema": third}, headers=orders), 201)
    report = ok(client.get("/api/v1/events/orders/OrderPlaced/diff?from=1&to=3"))
    assert (report["from"], report["to"], report["policy"]) == (1, 3, "strict")
    [required] = report["differences"]
    assert required["type"] == "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
    assert required["path"] == "/properties/currency"
    assert required["verdicts"] == {"BACKWARD": False, "FORWARD": False, "FULL": False}
    assert report["levels"] == {"NONE": True, "BACKWARD": False, "FORWARD": False, "FULL": False}
    optional = ok(client.get("/api/v1/events/orders/OrderPlaced/diff?from=1&to=2"))
    [added] = optional["differences"]
    assert added["type"] == "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
    # New readers cope with old data; old readers of a closed model refuse the new property.
    assert added["verdicts"] == {"BACKWARD": True, "FORWARD": False, "FULL": False}
    latest = ok(client.get("/api/v1/events/orders/OrderPlaced/diff?from=2"))
    assert latest["to"] == 3
    assert client.get("/api/v1/events/orders/OrderPlaced/diff").status_code == 400


def test_listing_versions_takes_the_same_queries_however_many_there_are(app, client, orders):
    from sqlalchemy import event

    engine = app.extensions["eventry"].engine
    statements = []

    def count(*_args):
        statements.append(1)

    def listed() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            ok(client.get(URL))
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    few = listed()
    ok(
        client.put(
            "/api/v1/events/orders/OrderPlaced/config",
            json={"compatibility": "NONE"},
            headers=orders,
        )
    )
    for index in range(4):
        schema = {**ORDER_V1, "title": f"Order placed {index}"}
        ok(client.post(URL, json={"schema": schema}, headers=orders), 201)
    assert listed() == few
