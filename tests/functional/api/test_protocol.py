"""HTTP behaviour every endpoint shares: bodies, errors, pagination, search, OpenAPI."""

import pytest
from openapi_spec_validator import validate

from app import create_app
from app.api.openapi import build_document
from tests.functional.api.conftest import ADMIN, ok

UNDOCUMENTED = {
    "static",
    "openapi.openapi_json",
    "openapi.reference",
    "health.healthz",
    "health.readyz",
}


def test_a_body_that_is_not_json_is_415(client, teams):
    response = client.post(
        "/api/v1/teams",
        data="slug=x",
        headers={**ADMIN, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"
    assert "application/json" in response.json["detail"]


def test_malformed_json_is_400(client, teams):
    response = client.post(
        "/api/v1/teams", data='{"slug": ', headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json["detail"].startswith("the body is not valid JSON")


def test_a_body_that_breaks_its_schema_is_422_listing_every_error(client, teams):
    response = client.post(
        "/api/v1/teams", json={"slug": "Bad Slug", "colour": "red"}, headers=ADMIN
    )
    assert response.status_code == 422
    pointers = {e["pointer"] for e in response.json["errors"]}
    assert pointers == {"", "/slug"}
    assert len(response.json["errors"]) == 3


def test_a_body_over_the_limit_is_413(database_url):
    app = create_app(
        {"database_url": database_url, "admin_token": "evt_admin", "max_body_bytes": 100}
    )
    response = app.test_client().post(
        "/api/v1/teams",
        json={"slug": "x", "name": "x" * 200},
        headers={"Authorization": "Bearer evt_admin"},
    )
    app.extensions["eventry"].engine.dispose()
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_lists_paginate_with_a_stable_order_and_next_links(client, teams):
    for index in range(7):
        ok(
            client.post(
                "/api/v1/domains",
                json={"slug": f"d{index}", "name": f"D{index}", "owner": "checkout"},
                headers=ADMIN,
            ),
            201,
        )
    seen, url = [], "/api/v1/domains?limit=3"
    while url:
        body = ok(client.get(url))
        seen += [d["slug"] for d in body["items"]]
        assert len(body["items"]) <= 3
        url = body["next"]
    assert seen == [f"d{i}" for i in range(7)]


def test_a_page_keeps_its_place_when_rows_are_added_before_it(client, teams):
    for slug in ("b", "d", "f"):
        ok(
            client.post(
                "/api/v1/domains",
                json={"slug": slug, "name": slug, "owner": "checkout"},
                headers=ADMIN,
            ),
            201,
        )
    first = ok(client.get("/api/v1/domains?limit=2"))
    ok(
        client.post(
            "/api/v1/domains", json={"slug": "a", "name": "a", "owner": "checkout"}, headers=ADMIN
        ),
        201,
    )
    assert [d["slug"] for d in ok(client.get(first["next"]))["items"]] == ["f"]


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "limit=ten", "cursor=!!!"])
def test_bad_paging_arguments_are_400(client, query):
    response = client.get(f"/api/v1/domains?{query}")
    assert response.status_code == 400
    assert response.json["detail"]


def test_search_finds_events_by_field_name_and_marks_the_match(client, orders):
    ok(
        client.post(
            "/api/v1/events",
            json={"domain": "orders", "name": "OrderShipped", "description": "Left the warehouse."},
            headers=orders,
        ),
        201,
    )
    hits = ok(client.get("/api/v1/search?q=placedat"))["items"]
    assert [h["event"] for h in hits] == ["orders.OrderPlaced"]
    assert hits[0]["matches"] == [{"in": "field", "text": "/placedAt"}]
    by_description = ok(client.get("/api/v1/search?q=warehouse"))["items"]
    assert [(h["name"], h["matches"][0]["in"]) for h in by_description] == [
        ("OrderShipped", "description")
    ]
    assert {h["name"] for h in ok(client.get("/api/v1/search?q=orders"))["items"]} == {
        "OrderPlaced",
        "OrderShipped",
    }
    assert client.get("/api/v1/search?q=a").status_code == 422


def test_search_paginates(client, orders):
    for name in ("OrderA", "OrderB", "OrderC"):
        ok(
            client.post(
                "/api/v1/events", json={"domain": "orders", "name": f"{name}ed"}, headers=orders
            ),
            201,
        )
    first = ok(client.get("/api/v1/search?q=order&limit=2"))
    second = ok(client.get(first["next"]))
    names = [h["name"] for h in first["items"] + second["items"]]
    assert names == ["OrderAed", "OrderBed", "OrderCed", "OrderPlaced"]
    assert second["next"] is None


def test_the_openapi_document_is_valid_and_covers_every_route(app, client):
    document = ok(client.get("/api/v1/openapi.json"))
    validate(document)
    documented = {
        (operation["operationId"])
        for operations in document["paths"].values()
        for operation in operations.values()
    }
    api_routes = {
        rule.endpoint.replace(".", "_")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and rule.endpoint not in UNDOCUMENTED
    }
    assert len(api_routes) > 40
    assert api_routes - documented == set()


def test_every_success_answer_with_a_body_is_described_by_a_shared_component(app):
    # What tests/fuzz checks every answer against: a 204 has no body, every other success does.
    document = build_document(app)
    components = document["components"]["schemas"]
    undescribed = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            status, answer = next(iter(operation["responses"].items()))
            if status == "204":
                assert "content" not in answer, (method, path)
                continue
            content = answer.get("content", {})
            if content and "application/json" not in content:  # source text (code bindings)
                assert all(each.get("schema") for each in content.values()), (method, path)
                continue
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                undescribed.append(f"{method.upper()} {path}")
                continue
            ref = schema.get("$ref") or schema["properties"]["items"]["items"]["$ref"]
            assert ref.removeprefix("#/components/schemas/") in components, (method, path)
    assert undescribed == []
    listed = document["paths"]["/api/v1/teams"]["get"]["responses"]["200"]
    page = listed["content"]["application/json"]["schema"]
    assert page["required"] == ["items", "next"]
    assert page["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Team"}


def test_request_bodies_in_the_document_are_the_schemas_that_validate_them(app):
    document = build_document(app)
    post = document["paths"]["/api/v1/domains"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/domain-create"
    assert document["components"]["schemas"]["domain-create"]["required"] == [
        "slug",
        "name",
        "owner",
    ]


def test_the_reference_page_lists_the_endpoints_without_a_cdn(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/api/v1/events/{domain}/{name}/versions" in page
    assert "Answer 200: a page of VersionSummary" in page and "Answer 201: NewToken" in page
    assert "http://" not in page.replace("http://json-schema", "") and "https://cdn" not in page


@pytest.mark.parametrize(
    "cursor",
    ["NQ", "WzEsIDIsIDNd", "W1sxXV0", "eyJ4IjogMX0"],
    ids=["a number", "three numbers", "nested", "an object"],
)
def test_a_forged_cursor_is_400_on_every_kind_of_list(client, orders, cursor):
    for url in (
        "/api/v1/domains",
        "/api/v1/consumers",
        "/api/v1/search?q=order",
        "/api/v1/events/orders/OrderPlaced/samples",
    ):
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}cursor={cursor}")
        assert response.status_code == 400, (url, response.json)
        assert "cursor" in response.json["detail"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"slug": "x", "name": "\\ud800"}', "surrogate"),
        ('{"slug": "x", "name": "x", "description": 1e400}', "too large"),
    ],
)
def test_json_no_database_can_store_is_400(client, teams, body, message):
    response = client.post(
        "/api/v1/teams", data=body, headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert message in response.json["detail"]


def test_a_non_finite_rate_is_400(client, orders):
    assert client.get("/api/v1/buses/orders-events/advice?events_per_second=inf").status_code == 400
