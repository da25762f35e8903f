"""AsyncAPI in and out (POST /api/v1/asyncapi/import, GET /api/v1/asyncapi): the AsyncAPI
specification's own examples import (tests/data/asyncapi), a re-import changes nothing, an
export imports back unchanged and validates against the official AsyncAPI 3.0 JSON Schema
(tools/asyncapi, from npm's @asyncapi/specs), --prune deletes what a document dropped, and a
bad document is a 422 with a pointer. docs/interop.md, "AsyncAPI"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from app.cli.main import main
from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.core.schema import SchemaDocument
from app.core.validation import validate_event
from app.services.catalog_loader import load_catalog
from tests.functional.api.conftest import ADMIN, ok

DATA = Path(__file__).parents[2] / "data" / "asyncapi"
EXAMPLES = sorted(p for p in DATA.glob("*/*") if p.suffix in {".yml", ".yaml", ".json"})
OFFICIAL = (
    Path(__file__).parents[3] / "tools/asyncapi/node_modules/@asyncapi/specs/schemas/3.0.0.json"
)
IMPORT = "/api/v1/asyncapi/import"


def import_text(client, text, domain="lights", headers=ADMIN, **query):
    query = {k: v for k, v in {"domain": domain, "team": "ops", **query}.items() if v}
    return client.post(
        IMPORT, data=text, content_type="application/yaml", headers=headers, query_string=query
    )


def created(report) -> dict[str, list[str]]:
    return {kind: names["created"] for kind, names in report["kinds"].items() if names["created"]}


def changes(report) -> dict[str, dict[str, list[str]]]:
    return {
        kind: {o: names[o] for o in ("created", "updated", "pruned") if names[o]}
        for kind, names in report["kinds"].items()
        if any(names[o] for o in ("created", "updated", "pruned"))
    }


@pytest.fixture
def ops(client):
    ok(client.post("/api/v1/teams", json={"slug": "ops", "name": "Ops"}, headers=ADMIN), 201)


def official_validator() -> Draft7Validator:
    if not OFFICIAL.exists():
        pytest.fail(f"{OFFICIAL} is missing: run `make asyncapi-tools` (npm ci in tools/asyncapi)")
    return Draft7Validator(json.loads(OFFICIAL.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_imports_and_imports_again_changing_nothing(client, ops, path):
    text = path.read_bytes()
    first = ok(import_text(client, text))
    assert first["changed"] and first["kinds"]["bus"]["created"], first
    again = ok(import_text(client, text))
    assert changes(again) == {}, again


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_export_validates_and_imports_back_unchanged(client, ops, path):
    ok(import_text(client, path.read_bytes()))
    answer = client.get("/api/v1/asyncapi", query_string={"domain": "lights"}, headers=ADMIN)
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    exported = answer.get_json()
    errors = [e.message for e in official_validator().iter_errors(exported)]
    assert errors == []
    again = ok(import_text(client, json.dumps(exported)))
    assert changes(again) == {}, again


def test_streetlights_kafka_maps_to_buses_events_producers_and_consumers(client, ops):
    report = ok(import_text(client, (DATA / "3.0/streetlights-kafka.yml").read_bytes()))
    assert set(created(report)) == {"domain", "bus", "event", "version", "consumer"}
    measured = ok(client.get("/api/v1/events/lights/LightMeasured", headers=ADMIN))
    assert measured["bus"] == "lights-lighting-measured" and measured["producer"] == ""
    dim = ok(client.get("/api/v1/events/lights/DimLight", headers=ADMIN))
    assert dim["producer"] == "streetlights-kafka-api"  # 3.0 "send": the application produces
    bus = ok(client.get("/api/v1/buses/lights-lighting-measured", headers=ADMIN))
    assert bus["router"] == "kafka"
    # 3.0 "receive": the application consumes LightMeasured
    assert report["kinds"]["consumer"]["created"] == [
        "streetlights-kafka-api@lights-lighting-measured/LightMeasured"
    ]


def test_asyncapi_2_6_publish_is_consumed_and_subscribe_is_produced(client, ops):
    ok(import_text(client, (DATA / "2.6/streetlights-mqtt.yml").read_bytes()))
    dim = ok(client.get("/api/v1/events/lights/DimLight", headers=ADMIN))
    assert dim["producer"] == "streetlights-mqtt-api"  # subscribe: sent by the application
    measured = ok(client.get("/api/v1/events/lights/LightMeasured", headers=ADMIN))
    assert measured["producer"] == ""  # publish: received by the application
    bus = ok(client.get(f"/api/v1/buses/{measured['bus']}", headers=ADMIN))
    assert bus["router"] == "mq"


def test_examples_become_samples_and_a_changed_payload_a_new_version(client, ops):
    report = ok(import_text(client, (DATA / "3.0/websocket-gemini.yml").read_bytes()))
    assert len(report["kinds"]["sample"]["created"]) == 2
    document = yaml.safe_load((DATA / "3.0/simple.yml").read_text())
    ok(import_text(client, json.dumps(document)))
    payload = document["components"]["messages"]["UserSignedUp"]["payload"]
    del payload["properties"]["email"]  # BACKWARD: the new schema still reads every old event
    again = ok(import_text(client, json.dumps(document)))
    assert changes(again) == {"version": {"created": ["lights.UserSignedUp/2"]}}
    # An incompatible payload is refused, and nothing of the import is kept.
    payload["properties"]["nickname"] = {"type": "string"}
    document["channels"]["another"] = {"address": "another"}
    refused = import_text(client, json.dumps(document))
    assert refused.status_code == 409, refused.get_json()
    assert client.get("/api/v1/buses/lights-another", headers=ADMIN).status_code == 404


def test_hand_edits_are_kept_on_reimport(client, ops):
    text = (DATA / "3.0/streetlights-kafka.yml").read_bytes()
    ok(import_text(client, text))
    edit = {"description": "Edited by hand", "producer": "lamp-firmware"}
    ok(client.patch("/api/v1/events/lights/DimLight", json=edit, headers=ADMIN))
    ok(import_text(client, text))
    dim = ok(client.get("/api/v1/events/lights/DimLight", headers=ADMIN))
    assert (dim["description"], dim["producer"]) == ("Edited by hand", "lamp-firmware")


def test_prune_deletes_what_the_document_dropped_and_dry_run_changes_nothing(client, ops):
    document = yaml.safe_load((DATA / "3.0/streetlights-kafka.yml").read_text())
    ok(import_text(client, json.dumps(document)))
    del document["operations"]["dimLight"]
    del document["channels"]["lightsDim"]
    text = json.dumps(document)
    rehearsed = ok(import_text(client, text, prune="true", dry_run="true"))
    assert changes(rehearsed) == {
        "bus": {"pruned": ["lights-lights-dim"]},
        "event": {"pruned": ["lights.DimLight"]},
    }
    assert client.get("/api/v1/events/lights/DimLight", headers=ADMIN).status_code == 200
    kept = ok(import_text(client, text))  # without prune nothing goes
    assert changes(kept) == {}
    pruned = ok(import_text(client, text, prune="true"))
    assert changes(pruned) == changes(rehearsed)
    assert client.get("/api/v1/events/lights/DimLight", headers=ADMIN).status_code == 404


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ("asyncapi: 3.0.0\ninfo: [", ""),
        ("openapi: 3.1.0\ninfo: {title: x, version: '1'}\n", "/asyncapi"),
        (
            "asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\nchannels:\n"
            "  a: {messages: {m: {$ref: '#/components/messages/nowhere'}}}\n",
            "/channels/a/messages/m/$ref",
        ),
        (
            "asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\nchannels:\n"
            "  a: {messages: {m: {payload: {type: strange}}}}\n",
            "/channels/a/messages/m/payload",
        ),
        (
            "asyncapi: 2.6.0\ninfo: {title: x, version: '1'}\nchannels:\n"
            "  a: {publish: {message: {payload: {$ref: 'other.yaml#/x'}}}}\n",
            "/channels/a/publish/message/payload",
        ),
    ],
    ids=["not-yaml", "not-asyncapi", "dangling-ref", "bad-schema", "external-ref"],
)
def test_a_bad_document_is_a_422_with_a_pointer_and_changes_nothing(client, ops, text, pointer):
    answer = import_text(client, text)
    assert answer.status_code == 422, answer.get_json()
    problem = answer.get_json()
    assert problem["detail"]
    if pointer:
        assert any(e["pointer"].startswith(pointer) for e in problem["errors"]), problem
    assert client.get("/api/v1/domains/lights", headers=ADMIN).status_code == 404


def test_a_yaml_alias_bomb_is_refused_not_expanded(client, ops):
    lines = [
        "asyncapi: 3.0.0",
        "info: {title: x, version: '1'}",
        "a0: &a0 [x, x, x, x, x, x, x, x, x]",
    ]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    answer = import_text(client, "\n".join(lines))
    assert answer.status_code == 422
    assert "expands to more than" in answer.get_json()["detail"]


def test_import_needs_the_owner_and_export_answers_yaml(client, ops):
    text = (DATA / "3.0/simple.yml").read_bytes()
    assert import_text(client, text, headers={}).status_code == 401
    ok(import_text(client, text))
    answer = client.get("/api/v1/asyncapi", headers={**ADMIN, "Accept": "application/yaml"})
    assert answer.mimetype == "application/yaml"
    document = yaml.safe_load(answer.data)
    assert document["asyncapi"] == "3.0.0" and "UserSignedUp" in document["components"]["messages"]
    assert official_validator().is_valid(document)
    answer = client.get("/api/v1/asyncapi", query_string={"service": "nobody"}, headers=ADMIN)
    assert answer.status_code == 404


def test_the_api_reference_page_shows_the_import_and_its_document_body(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/v1/asyncapi/import" in page and "Answer 200: AsyncApiImport" in page
    assert "Request body: application/yaml" in page


@pytest.fixture
def demo(session):
    load_catalog(session, DEMO_CATALOG, Actor.system("test"))


def test_the_demo_exports_valid_asyncapi_per_domain_service_and_whole(client, demo):
    validator = official_validator()
    whole = ok(client.get("/api/v1/asyncapi", headers=ADMIN))
    assert [e.message for e in validator.iter_errors(whole)] == []
    assert "OrderPlaced" in whole["components"]["messages"]
    # A version with references is exported standalone: the referenced schema embedded with
    # its reference name as $id, so any JSON Schema tool reads it and its samples validate.
    dispatched = whole["components"]["messages"]["ShipmentDispatched"]
    payload = SchemaDocument.checked(dispatched["payload"]["schema"])
    assert "customer-address.json" in payload.raw["$defs"]
    assert dispatched["examples"]
    assert all(validate_event(payload, e["payload"]) == [] for e in dispatched["examples"])
    domains = [d["slug"] for d in ok(client.get("/api/v1/domains?limit=200"))["items"]]
    for domain in domains:
        exported = ok(client.get("/api/v1/asyncapi", query_string={"domain": domain}))
        assert [e.message for e in validator.iter_errors(exported)] == [], domain
        again = ok(import_text(client, json.dumps(exported), domain=domain, team=None))
        assert changes(again) == {}, (domain, again)
    producer = ok(client.get("/api/v1/events/orders/OrderPlaced"))["producer"]
    service = ok(client.get("/api/v1/asyncapi", query_string={"service": producer}))
    assert [e.message for e in validator.iter_errors(service)] == []
    sends = [op for op in service["operations"].values() if op["action"] == "send"]
    assert sends and all(op["x-eventry-service"] == producer for op in sends)


SNS_SQS = {
    "asyncapi": "2.6.0",
    "info": {"title": "Billing", "version": "1.0.0"},
    "channels": {
        "invoice-issued": {
            "bindings": {"sns": {"name": "invoice-issued"}},
            "subscribe": {"message": {"name": "InvoiceIssued", "payload": {"type": "object"}}},
        },
        "invoice-queue": {
            "bindings": {"sqs": {"queue": {"name": "invoice-queue"}}},
            "publish": {"message": {"$ref": "#/components/messages/InvoicePaid"}},
        },
    },
    "components": {
        "messages": {"InvoicePaid": {"payload": {"$ref": "#/components/schemas/Paid"}}},
        "schemas": {"Paid": {"type": "object", "properties": {"id": {"type": "string"}}}},
    },
}


def test_sns_and_sqs_bindings_give_their_router_kinds(client, ops):
    ok(import_text(client, json.dumps(SNS_SQS), domain="billing"))
    routers = {
        slug: ok(client.get(f"/api/v1/buses/{slug}", headers=ADMIN))["router"]
        for slug in ("billing-invoice-issued", "billing-invoice-queue")
    }
    assert routers == {"billing-invoice-issued": "sns", "billing-invoice-queue": "sqs"}
    version = ok(client.get("/api/v1/events/billing/InvoicePaid/versions/1", headers=ADMIN))
    assert version["schema"]["properties"] == {"id": {"type": "string"}}


def test_the_cli_imports_dry_runs_and_exports(client, ops, runner, tmp_path):
    path = DATA / "3.0/streetlights-kafka.yml"
    args = ["asyncapi", "import", str(path), "--domain", "lights", "--team", "ops"]
    rehearsed = runner.invoke(main, [*args, "--dry-run"])
    assert rehearsed.exit_code == 0, rehearsed.output
    assert "dry run" in rehearsed.output and "event: 3 created" in rehearsed.output
    done = runner.invoke(main, [*args, "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["kinds"]["event"]["created"] == [
        "lights.LightMeasured",
        "lights.TurnOnOff",
        "lights.DimLight",
    ]
    again = runner.invoke(main, args)
    assert "created" not in again.output, again.output
    out = tmp_path / "lights.yaml"
    exported = runner.invoke(main, ["asyncapi", "export", "--domain", "lights", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert official_validator().is_valid(yaml.safe_load(out.read_text()))
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\nchannels: {a: {$ref: '#/x'}}\n"
    )
    refused = runner.invoke(main, ["asyncapi", "import", str(bad), "--domain", "other"])
    assert refused.exit_code == 1
    assert "/channels/a/$ref: names nothing" in refused.output
