"""The OpenAPI document of /ccompat: valid OpenAPI 3.1, describing exactly the routes served, and
the real answers of every operation (successes and errors, driven through the test client) valid
under the schemas it gives for their status and media type."""

import uuid
from collections.abc import Iterator

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from app.apidoc import openapi_path
from tests.functional.confluent.conftest import (
    ADMIN,
    BREAKING,
    V1,
    V1_SCHEMA,
    V2_SCHEMA,
    bus,
    domain,
    native,
)

DOCUMENT = "/ccompat/openapi.json"
# Routes served but not described, and why: the document itself; paths Eventry answers only
# with 40401/405 (an associations path other than a topic's, any other path).
UNDESCRIBED = {
    "ccompat_openapi.openapi_json",
    "ccompat_settings.other_associations",
    "ccompat_settings.unknown",
}


@pytest.fixture
def document(client) -> dict:
    response = client.get(DOCUMENT)
    assert response.status_code == 200 and response.mimetype == V1
    return response.get_json(force=True)


def test_the_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert set(document["components"]["securitySchemes"]) == {"bearer", "basic"}


def test_every_route_served_is_described_and_nothing_else(app, document):
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/ccompat") or rule.endpoint in UNDESCRIBED:
            continue
        path = openapi_path(rule).removeprefix("/ccompat")
        served |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert len(served) >= 34
    assert {(f"/ccompat{path}", method) for path, method in served} == described
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints >= UNDESCRIBED  # each exception still exists


def test_the_native_document_links_here_and_holds_no_ccompat_path(client):
    native_document = client.get("/api/v1/openapi.json").get_json()
    assert not [path for path in native_document["paths"] if path.startswith("/ccompat")]
    assert DOCUMENT in native_document["info"]["description"]


def test_every_operation_answers_are_valid_under_the_document(client, document, outsider):
    checker = Checker(client, document)
    for step in scenario(outsider):
        checker.call(*step)
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert {key for key, status in checker.seen if status == 200} == operations
    assert {status for _, status in checker.seen} >= {200, 400, 401, 403, 404, 409, 422}


class Checker:
    """Calls the app and validates each answer under the document's schema for its operation,
    status and media type; an undescribed status fails."""

    def __init__(self, client, document: dict) -> None:
        self.client, self.document = client, document
        self.seen: set[tuple[tuple[str, str], int]] = set()
        self.values: dict[str, str] = {}

    def call(self, method: str, template: str, url: str, status: int, options: dict) -> None:
        response = self.client.open(url.format(**self.values), method=method.upper(), **options)
        body = response.get_data(as_text=True)
        assert response.status_code == status, (method, url, response.status_code, body)
        operation = self.document["paths"][template][method]
        described = operation["responses"].get(str(status))
        assert described is not None, (template, method, status, body)
        media = described["content"].get(response.mimetype)
        assert media is not None, (template, method, response.mimetype)
        schema = {**media["schema"], "components": self.document["components"]}
        OAS31Validator(schema, format_checker=OAS31Validator.FORMAT_CHECKER).validate(
            response.get_json(force=True)
        )
        self.seen.add(((template, method), status))
        if (
            template == "/ccompat/subjects/{subject}/versions"
            and method == "post"
            and status == 200
        ):
            answer = response.get_json(force=True)
            self.values.update(id=answer["id"], guid=answer["guid"])


P = "/ccompat"


def scenario(outsider: dict[str, str]) -> Iterator[tuple]:
    """(method, described path, URL, expected status, request options), in an order that goes
    through every operation."""
    write = {"headers": ADMIN}
    schema = {"json": {"schema": V1_SCHEMA}, "headers": ADMIN}
    subject, versions = f"{P}/subjects/{{subject}}", f"{P}/subjects/{{subject}}/versions"
    version = f"{versions}/{{version}}"
    yield "get", f"{P}/config", f"{P}/config", 200, {}
    yield "put", f"{P}/config", f"{P}/config", 200, {"json": {"compatibility": "backward"}, **write}
    yield "put", f"{P}/config", f"{P}/config", 422, {"json": {"compatibility": "x"}, **write}
    yield "put", f"{P}/config", f"{P}/config", 401, {"json": {"compatibility": "FULL"}}
    config, mode = f"{P}/config/{{subject}}", f"{P}/mode/{{subject}}"
    full = {"json": {"compatibility": "FULL", "compatibilityGroup": "major"}, **write}
    yield "put", config, f"{P}/config/orders-value", 200, full
    yield "get", config, f"{P}/config/orders-value", 200, {}
    yield "delete", config, f"{P}/config/orders-value", 200, write
    yield "get", config, f"{P}/config/orders-value", 404, {}
    yield "delete", config, f"{P}/config/orders-value", 404, write
    yield "get", config, f"{P}/config/%20", 422, {}
    yield "put", mode, f"{P}/mode/orders-value", 200, {"json": {"mode": "readonly"}, **write}
    yield "get", mode, f"{P}/mode/orders-value", 200, {}
    yield "post", versions, f"{P}/subjects/orders-value/versions", 422, schema
    yield "delete", mode, f"{P}/mode/orders-value", 200, write
    yield "get", mode, f"{P}/mode/orders-value", 404, {}
    yield "put", mode, f"{P}/mode/orders-value", 422, {"json": {"mode": "sometimes"}, **write}
    yield "post", versions, f"{P}/subjects/orders-value/versions", 200, schema
    yield (
        "post",
        versions,
        f"{P}/subjects/orders-value/versions",
        401,
        {"json": {"schema": V1_SCHEMA}},
    )
    avro = {"json": {"schema": "{}", "schemaType": "AVRO"}, **write}
    yield "post", versions, f"{P}/subjects/orders-value/versions", 422, avro
    yield "post", versions, f"{P}/subjects/orders-value/versions", 400, {"data": "[", **write}
    two = {"json": {"schema": V2_SCHEMA, "metadata": {"properties": {"major": "1"}}}, **write}
    yield "post", versions, f"{P}/subjects/orders-value/versions", 200, two
    yield (
        "post",
        versions,
        f"{P}/subjects/orders-value/versions",
        409,
        {"json": {"schema": BREAKING}, **write},
    )
    yield "get", f"{P}/subjects", f"{P}/subjects?deleted=true", 200, {}
    yield "post", subject, f"{P}/subjects/orders-value", 200, {"json": {"schema": V1_SCHEMA}}
    yield "post", subject, f"{P}/subjects/orders-value", 404, {"json": {"schema": BREAKING}}
    yield "get", versions, f"{P}/subjects/orders-value/versions", 200, {}
    yield "get", versions, f"{P}/subjects/nobody-value/versions", 404, {}
    yield "get", version, f"{P}/subjects/orders-value/versions/LATEST", 200, {}
    yield "get", version, f"{P}/subjects/orders-value/versions/0", 422, {}
    yield "get", version, f"{P}/subjects/orders-value/versions/9", 404, {}
    yield "get", f"{version}/schema", f"{P}/subjects/orders-value/versions/1/schema", 200, {}
    yield (
        "get",
        f"{version}/referencedby",
        f"{P}/subjects/orders-value/versions/1/referencedby",
        200,
        {},
    )
    yield (
        "get",
        f"{subject}/metadata",
        f"{P}/subjects/orders-value/metadata?key=major&value=1",
        200,
        {},
    )
    check = f"{P}/compatibility/subjects/{{subject}}/versions"
    verbose = {"json": {"schema": BREAKING}}
    yield (
        "post",
        f"{check}/{{version}}",
        f"{P}/compatibility/subjects/orders-value/versions/latest?verbose=true",
        200,
        verbose,
    )
    yield (
        "post",
        f"{check}/{{version}}",
        f"{P}/compatibility/subjects/orders-value/versions/7",
        404,
        verbose,
    )
    yield (
        "post",
        check,
        f"{P}/compatibility/subjects/orders-value/versions?verbose=true",
        200,
        verbose,
    )
    yield "get", f"{P}/schemas", f"{P}/schemas?latestOnly=true&offset=0&limit=5", 200, {}
    yield "get", f"{P}/schemas", f"{P}/schemas?offset=x", 400, {}
    yield "get", f"{P}/schemas/types", f"{P}/schemas/types", 200, {}
    ids = f"{P}/schemas/ids/{{schema_id}}"
    yield "get", ids, f"{P}/schemas/ids/{{id}}?subject=orders-value", 200, {}
    yield "get", ids, f"{P}/schemas/ids/2147483647", 404, {}
    yield "get", f"{ids}/schema", f"{P}/schemas/ids/{{id}}/schema", 200, {}
    yield "get", f"{ids}/subjects", f"{P}/schemas/ids/{{id}}/subjects", 200, {}
    yield "get", f"{ids}/versions", f"{P}/schemas/ids/{{id}}/versions", 200, {}
    guids = f"{P}/schemas/guids/{{guid}}"
    yield "get", guids, f"{P}/schemas/guids/{{guid}}", 200, {}
    yield "get", guids, f"{P}/schemas/guids/{uuid.uuid4()}", 404, {}
    yield "get", f"{P}/contexts", f"{P}/contexts", 200, {}
    yield "get", f"{P}/v1/metadata/id", f"{P}/v1/metadata/id", 200, {}
    topic = f"{P}/associations/resources/{{namespace}}/{{name}}"
    yield "get", topic, f"{P}/associations/resources/-/orders", 200, {}
    yield "get", topic, f"{P}/associations/resources/-/nowhere", 404, {}
    yield "put", f"{P}/mode", f"{P}/mode", 200, {"json": {"mode": "READWRITE"}, **write}
    yield "get", f"{P}/mode", f"{P}/mode", 200, {}
    yield "delete", f"{P}/mode", f"{P}/mode", 200, write
    yield (
        "put",
        config,
        f"{P}/config/orders-value",
        403,
        {"json": {"compatibility": "NONE"}, "headers": outsider},
    )
    yield "delete", version, f"{P}/subjects/orders-value/versions/2", 200, write
    yield "delete", version, f"{P}/subjects/orders-value/versions/2", 404, write
    yield "delete", subject, f"{P}/subjects/orders-value", 200, write
    yield "delete", subject, f"{P}/subjects/orders-value", 404, write
    yield "delete", subject, f"{P}/subjects/orders-value?permanent=true", 200, write
    yield "delete", f"{P}/config", f"{P}/config", 200, write


@pytest.fixture
def outsider(client) -> dict[str, str]:
    """The bus orders (for the associations), and the headers of a token of a team that owns
    nothing here."""
    native(client, "post", "/api/v1/teams", {"slug": "ops", "name": "Ops"}, status=201)
    domain(client, "shop", "ops")
    bus(client, "orders", "shop")
    native(client, "post", "/api/v1/teams", {"slug": "x", "name": "X"}, status=201)
    token = native(client, "post", "/api/v1/teams/x/tokens", {"name": "x"}, status=201)
    return {"Authorization": f"Bearer {token['secret']}"}
