"""The pure AsyncAPI rules (app/core/asyncapi): names, router kinds, payloads as standalone
JSON Schemas, who sends what in 2.6 and 3.0, and the bounds on what a document may expand to."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from app.core.asyncapi import load_text, read_catalog, write_document
from app.core.asyncapi.naming import event_name, router_of, slug
from app.core.asyncapi.payloads import standalone
from app.core.errors import InvalidInput
from app.core.schema import SchemaDocument
from app.core.vocabulary import RouterKind

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        (("lightMeasured",), "LightMeasured"),
        (("user.signed-up",), "UserSignedUp"),
        ((None, "", "OrderPlaced"), "OrderPlaced"),
        (("3d-printed",), "Event3dPrinted"),
        (("!!!",), None),
    ],
)
def test_event_names_are_pascal_case(candidates, expected):
    assert event_name(*candidates) == expected


def test_router_kinds_come_from_bindings_first_then_protocols():
    assert router_of({"kafka": {}}, ["mqtt"]) is RouterKind.KAFKA
    assert router_of({"x-custom": {}}, ["secure-mqtt"]) is RouterKind.MQ
    assert router_of(None, ["sqs"]) is RouterKind.SQS
    assert router_of({}, ["wss", "https"]) is RouterKind.OTHER


def test_slugs_are_cut_to_63_characters():
    made = slug("smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured", "demo")
    assert made.startswith("demo-smartylighting-") and len(made) <= 63


def test_a_payload_becomes_a_standalone_json_schema():
    document = {
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "discriminator": "kind",
                    "x-origin": "here",
                    "properties": {
                        "kind": {"type": "string"},
                        "next": {"$ref": "#/components/schemas/Node"},
                        "x-rated": {"type": "boolean"},  # a property, not an extension
                    },
                }
            }
        }
    }
    schema = standalone(document, {"$ref": "#/components/schemas/Node"}, "/payload")
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "discriminator" not in schema and "x-origin" not in schema
    assert schema["properties"]["next"] == {"$ref": "#/definitions/Node"}
    assert set(schema["properties"]) == {"kind", "next", "x-rated"}
    assert SchemaDocument.checked(schema).raw == schema  # one resolver follows the copy


def test_a_reference_naming_nothing_is_refused_with_its_pointer():
    with pytest.raises(InvalidInput) as refused:
        standalone({}, {"$ref": "#/components/schemas/Nowhere"}, "/payload")
    assert refused.value.errors[0]["pointer"] == "/payload/$ref"


V2 = """
asyncapi: 2.6.0
info: {title: Lamp Service, version: 1.0.0}
servers: {broker: {url: 'mqtt://x', protocol: mqtt}}
channels:
  lamp/on:
    subscribe: {message: {name: lampOn, payload: {type: object}}}
  lamp/measured:
    publish: {message: {name: lightMeasured, payload: {type: object}}}
"""


def test_2_6_subscribe_is_sent_and_publish_received_by_the_application():
    found = read_catalog(load_text(V2, MB), "lights")
    producers = {message.event: message.producer for message in found.messages}
    assert producers == {"LampOn": "lamp-service", "LightMeasured": ""}
    assert [(s.service, s.event) for s in found.subscriptions] == [
        ("lamp-service", "LightMeasured")
    ]
    assert {channel.router for channel in found.channels} == {RouterKind.MQ}


def test_3_0_export_reads_back_the_same_catalogue():
    found = read_catalog(load_text(V2, MB), "lights")
    written = write_document(found)
    again = read_catalog(load_text(json.dumps(written), MB), "other")
    assert again.channels == found.channels  # x-eventry-bus keeps the slugs
    assert again.messages == [
        replace(m, pointer=a.pointer) for m, a in zip(found.messages, again.messages, strict=True)
    ]
    assert again.subscriptions == found.subscriptions


def test_yaml_aliases_cannot_expand_without_bound():
    lines = ["asyncapi: 3.0.0", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    with pytest.raises(InvalidInput, match="expands to more than"):
        load_text("\n".join(lines), MB)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 20, "not an object"),
        ("asyncapi: 1.2.0", "not AsyncAPI 2.x or 3.x"),
        ("asyncapi: 3.0.0\nn: .nan", "cannot write"),
        ("asyncapi: 3.0.0\nb: !!binary aGVsbG8=", "JSON cannot hold"),
        ("[" * 300 + "]" * 300, "nests"),
    ],
)
def test_what_is_not_a_json_asyncapi_document_is_refused(text, message):
    with pytest.raises(InvalidInput) as refused:
        load_text(text, MB)
    assert message in str(refused.value) or any(
        message in e["message"] for e in refused.value.errors
    )


def test_a_document_over_the_size_limit_is_refused_before_it_is_parsed():
    with pytest.raises(InvalidInput, match="larger than the limit"):
        load_text("asyncapi: 3.0.0\n" + " " * 100, 50)


@pytest.mark.parametrize(
    "text",
    [
        "asyncapi: 2.6.0\nchannels: {a: {servers: [{x: 1}], publish: [1]}}",
        "asyncapi: 3.0.0\nchannels: {a: {servers: 7, messages: [1]}}\noperations: {o: 5}",
        "asyncapi: 3.0.0\ninfo: 5\nchannels: {a: {messages: {m: {payload: 'text', examples: 3}}}}",
    ],
)
def test_odd_shapes_are_read_without_failing(text):
    read_catalog(load_text(text, MB), "odd")  # no TypeError, no KeyError: a 4xx or a result
