"""Kinds of wrong answers other registries gave, each as a family of inputs, checked as a user
gets them: through the REST API, on SQLite and PostgreSQL (issue #10).

The unit tests (tests/unit/compatibility/test_families.py, tests/unit/test_formats.py,
tests/unit/test_validation.py) pin the engine; these pin what registration (201/200/409), the
what-if and stateless checks, validation, samples and the version diff answer. Every answer these
tests read is also checked to speak JSON: no Python repr (``None``, ``True``, ``'x'``) in any
``message`` or ``detail``, however deep.

Several families were written when the API answered wrongly (the test names say what it must
answer); they now hold the fixes.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from tests.functional.api.conftest import ADMIN

S07 = "http://json-schema.org/draft-07/schema#"
S19 = "https://json-schema.org/draft/2019-09/schema"
S20 = "https://json-schema.org/draft/2020-12/schema"
NOTE = {"note": {"type": "string"}}
FORWARD_CONSEQUENCE = (
    "data written with the new schema may be rejected by consumers still reading with the old "
    "schema"
)
# A Python repr: None/True/False as words, or a single-quoted string not inside a word (so the
# apostrophe of "Eventry's" is no hit).
PYTHON_REPR = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|(?<!\w)'[^']*'(?!\w)")


@pytest.fixture(autouse=True)
def no_setting(monkeypatch):
    """Schemas without $schema are draft-07, whatever the environment running the tests says."""
    monkeypatch.delenv("EVENTRY_DEFAULT_DIALECT", raising=False)


def messages(body: Any) -> list[str]:
    """Every ``message`` and ``detail`` of an answer, however deep."""
    if isinstance(body, dict):
        found = []
        for key, value in body.items():
            if key in ("message", "detail") and isinstance(value, str):
                found.append(value)
            else:
                found += messages(value)
        return found
    if isinstance(body, list):
        return [text for item in body for text in messages(item)]
    return []


def answer(response, status: int = 200) -> dict:
    """The JSON body of a response with the status expected, whose messages speak JSON."""
    body = response.get_json()
    assert response.status_code == status, body
    assert [text for text in messages(body) if PYTHON_REPR.search(text)] == []
    return body


class Registry:
    """The REST API as the owning team of the orders domain uses it."""

    def __init__(self, client, token: dict[str, str]) -> None:
        self.client, self.token = client, token
        self.names = 0

    def event(self, schema: Any = None, **config: str) -> str:
        """Create an event type (with its config, then its first version when given one) and
        return its URL."""
        self.names += 1
        name = f"Family{self.names}"
        body = {"domain": "orders", "name": name}
        answer(self.client.post("/api/v1/events", json=body, headers=self.token), 201)
        url = f"/api/v1/events/orders/{name}"
        if config:
            self.configure(url, **config)
        if schema is not None:
            assert self.register(url, schema)["version"] == 1
        return url

    def configure(self, url: str, **config: str) -> dict:
        return answer(self.client.put(f"{url}/config", json=config, headers=self.token))

    def config(self, url: str) -> tuple[str, str]:
        body = answer(self.client.get(f"{url}/config"))
        return body["compatibility"], body["policy"]

    def register(self, url: str, schema: Any, status: int = 201) -> dict:
        response = self.client.post(f"{url}/versions", json={"schema": schema}, headers=self.token)
        return answer(response, status)

    def sample(self, url: str, name: str, payload: Any) -> dict:
        body = {"name": name, "payload": payload}
        return answer(self.client.post(f"{url}/samples", json=body, headers=self.token), 201)

    def samples(self, url: str) -> list[dict]:
        return answer(self.client.get(f"{url}/samples"))["items"]

    def validate(self, url: str, event: Any, version: int | str = "latest") -> dict:
        body = {"event": event, "version": version}
        return answer(self.client.post(f"{url}/validate", json=body))

    def validate_all(self, url: str, events: list, version: int | str = "latest") -> dict:
        body = {"events": events, "version": version}
        return answer(self.client.post(f"{url}/validate", json=body))

    def what_if(self, url: str, schema: Any, **options: str) -> dict:
        body = {"schema": schema, **options}
        return answer(self.client.post(f"{url}/compatibility", json=body))

    def compare(self, old: Any, new: Any, level: str = "BACKWARD", policy: str = "strict"):
        body = {"old": old, "new": new, "level": level, "policy": policy}
        return answer(self.client.post("/api/v1/compatibility", json=body))

    def diff(self, url: str, old: int, new: int) -> dict:
        return answer(self.client.get(f"{url}/diff?from={old}&to={new}"))


@pytest.fixture
def registry(client, orders) -> Registry:
    return Registry(client, orders)


def types(differences: list[dict], compatible: bool | None = None) -> list[str]:
    return [d["type"] for d in differences if compatible is None or d["compatible"] is compatible]


# 1. multipleOf with decimal fractions: exact decimals, so evidence never contradicts the rules.


def priced(divisor: float) -> dict:
    return {"type": "object", "properties": {"price": {"type": "number", "multipleOf": divisor}}}


@pytest.mark.parametrize(
    ("old", "new", "prices"),
    [
        (0.02, 0.01, [4.02, 0.04, 19.98, 100.02]),
        (0.2, 0.1, [0.6, 0.2, 1.4, 7.0]),
        (0.3, 0.1, [0.3, 0.9, 3.3]),
        (1.5, 0.5, [4.5, 1.5, -3.0]),
        (0.0006, 0.0002, [0.0012, 0.0006]),
    ],
)
def test_a_reduced_multiple_of_registers_and_no_sample_contradicts_it(registry, old, new, prices):
    url = registry.event(priced(old))
    for number, price in enumerate(prices):
        stored = registry.sample(url, f"price-{number}", {"price": price})
        assert (stored["valid"], stored["as_expected"], stored["errors"]) == (True, True, [])
    verdict = registry.what_if(url, priced(new))
    assert (verdict["compatible"], verdict["evidence"]) == (True, [])
    [difference] = verdict["differences"]
    assert difference["type"] == "MULTIPLE_OF_REDUCED"
    assert difference["path"] == "/properties/price/multipleOf"
    assert (difference["old"], difference["new"], difference["compatible"]) == (old, new, True)
    assert registry.register(url, priced(new))["version"] == 2
    after = registry.samples(url)
    assert {(s["validated_against"], s["valid"]) for s in after} == {(2, True)}


@pytest.mark.parametrize(
    ("divisor", "multiples", "others"),
    [
        (0.01, [4.02, 19.99, -4.02, 0, 100.1, 1e20], [4.015, 0.001, 1e-9]),
        (0.1, [0.7, 0.3, 1.1, 7, -0.0], [0.75, 0.01]),
        (3e-8, [9e-8, 3e-7], [1e-7]),
        (4.0, [12, 4.0, -8], [10, 4.5]),
    ],
)
def test_validation_reads_numbers_as_exact_decimals(registry, divisor, multiples, others):
    url = registry.event({"type": "number", "multipleOf": divisor})
    body = registry.validate_all(url, [*multiples, *others])
    assert (body["valid"], body["invalid"]) == (len(multiples), len(others))
    for result, value in zip(body["results"][len(multiples) :], others, strict=True):
        [error] = result["errors"]
        assert (error["path"], error["schema_path"]) == ("", "/multipleOf")
        # Both numbers are JSON numbers that read back as the value and the divisor.
        shown = error["message"].split(" is not a multiple of ")
        assert [json.loads(number) for number in shown] == [value, divisor]


@pytest.mark.parametrize(
    ("value", "divisor", "message"),
    [
        (1e-7, 3e-8, "1e-7 is not a multiple of 3e-8"),
        (5e-5, 2e-5, "5e-5 is not a multiple of 2e-5"),
    ],
)
def test_validation_messages_spell_numbers_as_the_stored_schema_does(
    registry, value, divisor, message
):
    url = registry.event({"multipleOf": divisor})
    assert registry.validate(url, value)["errors"][0]["message"] == message


def test_the_message_of_a_single_event_names_both_numbers_as_json(registry):
    url = registry.event({"type": "object", "properties": {"ratio": {"multipleOf": 0.1}}})
    body = registry.validate(url, {"ratio": 0.75})
    assert body["valid"] is False
    assert body["errors"] == [
        {
            "path": "/ratio",
            "schema_path": "/properties/ratio/multipleOf",
            "message": "0.75 is not a multiple of 0.1",
        }
    ]


def test_a_multiple_of_that_grows_is_refused_with_the_sample_that_shows_it(registry):
    url = registry.event(priced(0.01))
    registry.sample(url, "odd-cent", {"price": 4.01})
    registry.sample(url, "even-cent", {"price": 4.02})
    refused = registry.register(url, priced(0.02), status=409)
    assert types(refused["errors"]) == ["MULTIPLE_OF_EXPANDED"]
    [evidence] = refused["compatibility"]["evidence"]
    assert (evidence["sample"], evidence["version"], evidence["direction"]) == (
        "odd-cent",
        1,
        "backward",
    )
    assert evidence["errors"] == [
        {
            "path": "/price",
            "schema_path": "/properties/price/multipleOf",
            "message": "4.01 is not a multiple of 0.02",
        }
    ]


# 2. Objects closed through composition are closed: a name added in a branch cannot be in old
# data. Each case: the schema with extra properties in the branch, how an event carries them,
# where the added property sits in the new schema's text, and whether the new schema accepts
# the name (a sibling branch with additionalProperties: false still refuses it).


def _base(extra: dict) -> dict:
    return {"type": "object", "properties": {"id": {"type": "string"}, **extra}}


def _closed(extra: dict) -> dict:
    return {**_base(extra), "additionalProperties": False}


CLOSED_COMPOSITIONS = {
    "unevaluated over allOf $ref": (
        lambda extra: {
            "$schema": S20,
            "$defs": {"base": _base(extra)},
            "allOf": [{"$ref": "#/$defs/base"}],
            "unevaluatedProperties": False,
        },
        lambda props: props,
        "/$defs/base/properties/note",
        True,
    ),
    "unevaluated beside $ref": (
        lambda extra: {
            "$schema": S20,
            "$defs": {"base": _base(extra)},
            "$ref": "#/$defs/base",
            "unevaluatedProperties": False,
        },
        lambda props: props,
        "/$defs/base/properties/note",
        True,
    ),
    "unevaluated, added in an inline branch": (
        lambda extra: {
            "$schema": S20,
            "$defs": {"base": _base({})},
            "allOf": [{"$ref": "#/$defs/base"}, {"properties": {"kind": {"const": "x"}, **extra}}],
            "unevaluatedProperties": False,
        },
        lambda props: props,
        "/allOf/1/properties/note",
        True,
    ),
    "unevaluated in 2019-09": (
        lambda extra: {
            "$schema": S19,
            "$defs": {"base": _base(extra)},
            "allOf": [{"$ref": "#/$defs/base"}],
            "unevaluatedProperties": False,
        },
        lambda props: props,
        "/$defs/base/properties/note",
        True,
    ),
    "additionalProperties false through a property $ref": (
        lambda extra: {
            "definitions": {"t": _closed(extra)},
            "properties": {"o": {"$ref": "#/definitions/t"}},
        },
        lambda props: {"o": props},
        "/definitions/t/properties/note",
        True,
    ),
    "additionalProperties false through the root $ref": (
        lambda extra: {"definitions": {"t": _closed(extra)}, "$ref": "#/definitions/t"},
        lambda props: props,
        "/definitions/t/properties/note",
        True,
    ),
    "additionalProperties false through items $ref": (
        lambda extra: {
            "$schema": S20,
            "$defs": {"line": _closed(extra)},
            "type": "object",
            "properties": {"lines": {"type": "array", "items": {"$ref": "#/$defs/line"}}},
        },
        lambda props: {"lines": [props]},
        "/$defs/line/properties/note",
        True,
    ),
    "additionalProperties false in a sibling branch": (
        lambda extra: {
            "allOf": [
                {"type": "object", "properties": {"id": {}}, "additionalProperties": False},
                {"$ref": "#/definitions/b"},
            ],
            "definitions": {"b": {"type": "object", "properties": extra}},
        },
        lambda props: props,
        "/definitions/b/properties/note",
        False,
    ),
}


@pytest.mark.parametrize(
    ("build", "carry", "pointer", "accepted"),
    CLOSED_COMPOSITIONS.values(),
    ids=list(CLOSED_COMPOSITIONS),
)
def test_an_optional_property_added_to_a_closed_composition_registers(
    registry, build, carry, pointer, accepted
):
    url = registry.event(build({}))
    assert registry.config(url) == ("BACKWARD", "strict")
    with_note = carry({"id": "a", "note": "n"})
    # The composition is really closed: version 1 refuses the name, so no old data carries it.
    assert registry.validate(url, with_note)["valid"] is False
    verdict = registry.what_if(url, build(NOTE))
    assert verdict["compatible"] is True
    [difference] = verdict["differences"]
    assert difference["type"] == "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
    assert (difference["old_pointer"], difference["new_pointer"]) == (None, pointer)
    assert "was added" in difference["message"]
    assert registry.register(url, build(NOTE))["version"] == 2
    assert registry.validate(url, with_note)["valid"] is accepted


OPEN_COMPOSITIONS = {
    "allOf $ref in 2020-12": (
        lambda extra: {
            "$schema": S20,
            "$defs": {"base": _base(extra)},
            "allOf": [{"$ref": "#/$defs/base"}],
        },
        lambda props: props,
    ),
    "root $ref in 2020-12": (
        lambda extra: {"$schema": S20, "$defs": {"base": _base(extra)}, "$ref": "#/$defs/base"},
        lambda props: props,
    ),
    "allOf $ref in draft-07": (
        lambda extra: {
            "definitions": {"base": _base(extra)},
            "allOf": [{"$ref": "#/definitions/base"}, {"required": ["id"]}],
        },
        lambda props: props,
    ),
    "property $ref in draft-07": (
        lambda extra: {
            "definitions": {"t": _base(extra)},
            "properties": {"o": {"$ref": "#/definitions/t"}},
        },
        lambda props: {"o": props},
    ),
}


@pytest.mark.parametrize(
    ("build", "carry"), OPEN_COMPOSITIONS.values(), ids=list(OPEN_COMPOSITIONS)
)
def test_the_same_change_on_an_open_composition_is_refused_under_strict(registry, build, carry):
    url = registry.event(build({}))
    # Open: old data may carry the name with any value, which the new branch would refuse.
    assert registry.validate(url, carry({"id": "a", "note": 5}))["valid"] is True
    refused = registry.register(url, build(NOTE), status=409)
    assert types(refused["errors"], compatible=False)
    verdict = refused["compatibility"]
    assert (verdict["level"], verdict["policy"], verdict["direction"]) == (
        "BACKWARD",
        "strict",
        "backward",
    )
    # Lenient takes Confluent's view that old data carries no undeclared names.
    registry.configure(url, policy="lenient")
    assert registry.register(url, build(NOTE))["version"] == 2
    assert registry.validate(url, carry({"id": "a", "note": 5}))["valid"] is False


# 3. Strict goes beyond Confluent where Confluent's verdict lets old data be rejected.


@pytest.mark.parametrize(
    ("old", "new", "undeclared"),
    [
        ({"properties": {"a": {}}}, {"properties": {"a": {}}, "required": ["ghost"]}, ["ghost"]),
        ({"type": "object"}, {"type": "object", "required": ["x", "y"]}, ["x", "y"]),
        (
            {"properties": {"a": {}}, "required": ["a"]},
            {"properties": {"a": {}}, "required": ["b"]},
            ["b"],
        ),
        (
            {"$schema": S20, "type": "object", "properties": {"a": {"type": "string"}}},
            {"$schema": S20, "type": "object", "properties": {"a": {"type": "string"}}}
            | {"required": ["a-id"]},
            ["a-id"],
        ),
    ],
)
def test_requiring_an_undeclared_name_is_refused_strict_and_accepted_lenient(
    registry, old, new, undeclared
):
    url = registry.event(old)
    refused = registry.register(url, new, status=409)
    found = [d for d in refused["errors"] if d["type"] == "REQUIRED_UNDECLARED_PROPERTY_ADDED"]
    assert [(d["path"], d["compatible"]) for d in found] == [
        (f"/required/{name}", False) for name in undeclared
    ]
    assert types(refused["errors"], compatible=False) == types(found)  # nothing else breaks
    for difference, name in zip(found, undeclared, strict=True):
        assert difference["message"].startswith(f"Property {json.dumps(name)} became required")
    # The counter-example strict guards against: an event version 1 accepts, the new one refuses.
    assert registry.validate(url, {"a": "v"})["valid"] is True
    registry.configure(url, policy="lenient")
    assert registry.register(url, new)["version"] == 2
    refusal = registry.validate(url, {"a": "v"})
    assert refusal["valid"] is False
    assert {e["schema_path"] for e in refusal["errors"]} == {"/required"}


def test_lenient_still_refuses_an_undeclared_requirement_beside_another_break(registry):
    url = registry.event({"properties": {"a": {}}}, policy="lenient")
    refused = registry.register(
        url, {"properties": {"a": {}}, "required": ["a", "ghost"]}, status=409
    )
    verdicts = {d["type"]: d["compatible"] for d in refused["errors"]}
    assert verdicts == {
        "REQUIRED_ATTRIBUTE_ADDED": False,
        "REQUIRED_UNDECLARED_PROPERTY_ADDED": True,
    }


def test_a_stored_sample_refuses_what_lenient_allows(registry):
    url = registry.event({"properties": {"a": {}}}, policy="lenient")
    registry.sample(url, "no-ghost", {"a": 1})
    refused = registry.register(url, {"properties": {"a": {}}, "required": ["ghost"]}, status=409)
    assert types(refused["errors"], compatible=False) == []
    [evidence] = refused["compatibility"]["evidence"]
    assert (evidence["sample"], evidence["direction"]) == ("no-ghost", "backward")
    assert evidence["errors"][0]["message"] == '"ghost" is a required property'


def _with_default_required(closed: bool) -> tuple[dict, dict]:
    tail = {"additionalProperties": False} if closed else {}
    old = {"type": "object", "properties": {"a": {"type": "string"}}, **tail}
    new = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string", "default": "x"}},
        "required": ["b"],
        **tail,
    }
    return old, new


@pytest.mark.parametrize(
    ("old", "new", "kind", "why"),
    [
        (
            *_with_default_required(closed=True),
            "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
            "a validator fills in no default",
        ),
        (
            *_with_default_required(closed=False),
            "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
            "earlier data may carry that name with any value",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "string", "default": "z"}}},
            {
                "type": "object",
                "properties": {"a": {"type": "string", "default": "z"}},
                "required": ["a"],
            },
            "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
            "a validator fills in no default",
        ),
    ],
    ids=["closed", "open", "declared already"],
)
def test_requiring_a_property_because_it_has_a_default_is_refused_under_strict(
    registry, old, new, kind, why
):
    url = registry.event(old)
    refused = registry.register(url, new, status=409)
    [difference] = refused["errors"]
    assert (difference["type"], difference["compatible"]) == (kind, False)
    assert why in difference["message"]
    registry.configure(url, policy="lenient")
    assert registry.register(url, new)["version"] == 2
    # Why strict refuses: no validator fills the default in, so data without it is refused.
    assert registry.validate(url, {}, version=1)["valid"] is True
    assert registry.validate(url, {}, version=2)["valid"] is False


# 4. Formats per their RFCs, leap seconds included (2020-12 asserts formats here; uuid and
# duration are 2019-09+ formats).

FORMATS = {
    "date-time": (
        [
            "1998-12-31T23:59:60Z",
            "1998-12-31T15:59:60.123-08:00",
            "1998-12-31t23:59:60z",
            "2016-12-31T23:59:60+00:00",
            "1985-04-12T23:20:50.52Z",
        ],
        [
            "1998-12-31T23:59:61Z",
            "1998-12-31T23:58:60Z",
            "1998-12-31T23:59:60+01:00",
            "1998-12-31T23:59:60",
            "2021-02-29T00:00:00Z",
        ],
    ),
    "time": (["23:59:60Z", "15:59:60-08:00", "08:30:06Z"], ["23:59:61Z", "23:59:60+01:00"]),
    "email": (
        [
            '"joe bloggs"@example.com',
            '"joe..bloggs"@example.com',
            '"joe@bloggs"@example.com',
            "joe@[127.0.0.1]",
            "user+tag@example.com",
        ],
        ["jo..e@example.com", "joe bloggs@example.com", '"a"b"@example.com', "joe@example..com"],
    ),
    "idn-hostname": (
        ["m\u00fcnchen.de", "\uc2e4\ub840.\ud14c\uc2a4\ud2b8", "xn--mnchen-3ya.de", "a\u3002b"],
        ["M\u00fcnchen.de", "\u2603.net", "-hello", "a..b"],
    ),
    "duration": (["P4DT12H30M5S", "P1W", "PT0S", "P1Y2M3DT4H5M6S"], ["PT", "P1Y2W", "PT0.5S"]),
    "uuid": (
        ["2eb8aa08-aa98-11ea-b4aa-73b441d16380", "2EB8AA08-AA98-11EA-B4AA-73B441D16380"],
        ["2eb8aa08aa9811eab4aa73b441d16380", "{2eb8aa08-aa98-11ea-b4aa-73b441d16380}"],
    ),
    "relative-json-pointer": (["0", "1/a", "0#", "120/a~1b"], ["01", "-1", "1#/a", "/a"]),
    "regex": (
        ["^a+$", "\\p{L}", "(?<name>x)\\k<name>", "(?<=a+)b"],
        ["\\Z", "\\A", "(?P<name>x)", "(?i)a", "a{2,1}"],
    ),
}


@pytest.mark.parametrize(("name", "good", "bad"), [(n, *f) for n, f in FORMATS.items()])
def test_formats_follow_their_rfcs_through_validate(registry, name, good, bad):
    url = registry.event({"$schema": S20, "type": "object", "properties": {"v": {"format": name}}})
    body = registry.validate_all(url, [{"v": text} for text in good + bad])
    assert body["dialect"] == "2020-12"
    assert [r["valid"] for r in body["results"]] == [True] * len(good) + [False] * len(bad)
    for result, text in zip(body["results"][len(good) :], bad, strict=True):
        shown = json.dumps(text, ensure_ascii=False)
        assert result["errors"] == [
            {
                "path": "/v",
                "schema_path": "/properties/v/format",
                "message": f"{shown} is not a valid {json.dumps(name)}",
            }
        ]


def test_a_leap_second_is_valid_and_second_61_is_not(registry):
    url = registry.event({"$schema": S20, "type": "string", "format": "date-time"})
    assert registry.validate(url, "1998-12-31T23:59:60Z")["valid"] is True
    refused = registry.validate(url, "1998-12-31T23:59:61Z")
    assert refused["errors"] == [
        {
            "path": "",
            "schema_path": "/format",
            "message": '"1998-12-31T23:59:61Z" is not a valid "date-time"',
        }
    ]


def test_uuid_and_duration_are_annotations_before_2019_09(registry):
    properties = {"id": {"format": "uuid"}, "wait": {"format": "duration"}}
    older = registry.event({"type": "object", "properties": properties})
    newer = registry.event({"$schema": S19, "type": "object", "properties": properties})
    event = {"id": "nope", "wait": "PT"}
    assert registry.validate(older, event)["valid"] is True
    assert len(registry.validate(newer, event)["errors"]) == 2


# 5. Narrowing the enum of a typed property is an enum narrowing that names the values lost.


@pytest.mark.parametrize(
    ("typed", "old_values", "new_values", "lost"),
    [
        ("string", ["red", "green", "blue"], ["red"], ["green", "blue"]),
        ("integer", [1, 2, 3], [1, 3], [2]),
        ("number", [1.5, 2.5, 10], [2.5], [1.5, 10]),
        (["string", "null"], ["a", None], ["a"], [None]),
        ("boolean", [True, False], [True], [False]),
    ],
)
def test_narrowing_a_typed_enum_names_the_values_lost(
    registry, typed, old_values, new_values, lost
):
    def schema(values):
        return {"type": "object", "properties": {"x": {"type": typed, "enum": values}}}

    url = registry.event(schema(old_values))
    refused = registry.register(url, schema(new_values), status=409)
    [narrowed] = refused["errors"]
    assert narrowed["type"] == "ENUM_ARRAY_NARROWED"
    assert narrowed["path"] == narrowed["old_pointer"] == narrowed["new_pointer"]
    assert narrowed["path"] == "/properties/x/enum"
    assert (narrowed["old"], narrowed["new"]) == (old_values, new_values)
    assert narrowed["message"].startswith(f'Property "x" lost allowed values {json.dumps(lost)}')
    assert refused["compatibility"]["differences"] == refused["errors"]
    # The stateless check gives the same difference.
    assert registry.compare(schema(old_values), schema(new_values))["differences"] == [narrowed]


def test_narrowing_an_enum_behind_a_ref_points_at_the_target(registry):
    def schema(values):
        return {
            "definitions": {"colour": {"type": "string", "enum": values}},
            "properties": {"c": {"$ref": "#/definitions/colour"}},
        }

    url = registry.event(schema(["red", "green"]))
    [narrowed] = registry.register(url, schema(["red"]), status=409)["errors"]
    assert (narrowed["type"], narrowed["path"]) == ("ENUM_ARRAY_NARROWED", "/properties/c/enum")
    assert narrowed["old_pointer"] == narrowed["new_pointer"] == "/definitions/colour/enum"
    assert narrowed["refs"] == {"old": ["/properties/c/$ref"], "new": ["/properties/c/$ref"]}
    assert 'lost allowed values ["green"]' in narrowed["message"]


# 6. FULL names the direction that failed; every message is told from the user's side.

CLOSED_A = {
    "type": "object",
    "properties": {"a": {"type": "string"}},
    "additionalProperties": False,
}
CLOSED_AB = {
    "type": "object",
    "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
    "additionalProperties": False,
}
FORWARD_ONLY = {
    "property added to a closed object": (CLOSED_A, CLOSED_AB, "/properties/b"),
    "property added under unevaluatedProperties": (
        {"$schema": S20, "properties": {"a": {}}, "unevaluatedProperties": False},
        {"$schema": S20, "properties": {"a": {}, "b": {"type": "string"}}}
        | {"unevaluatedProperties": False},
        "/properties/b",
    ),
    "maxLength raised": (
        {"type": "string", "maxLength": 5},
        {"type": "string", "maxLength": 10},
        "/maxLength",
    ),
    "enum extended": ({"enum": ["a"]}, {"enum": ["a", "b"]}, "/enum"),
    "required dropped": (
        {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
        {"type": "object", "properties": {"a": {"type": "string"}}},
        "/required/a",
    ),
    "tuple item added": (
        {"type": "array", "items": [{"type": "string"}], "additionalItems": False},
        {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}
        | {"additionalItems": False},
        "/items/1",
    ),
}


@pytest.mark.parametrize(("old", "new", "path"), FORWARD_ONLY.values(), ids=list(FORWARD_ONLY))
def test_full_refuses_a_change_that_fails_only_forward_and_says_so(registry, old, new, path):
    url = registry.event(old, compatibility="FULL")
    # Backward alone accepts it.
    assert registry.what_if(url, new, level="BACKWARD")["compatible"] is True
    refused = registry.register(url, new, status=409)
    verdict = refused["compatibility"]
    assert (verdict["level"], verdict["direction"], verdict["failed_version"]) == (
        "FULL",
        "forward",
        1,
    )
    breaking = [d for d in refused["errors"] if not d["compatible"]]
    assert [d["path"] for d in breaking] == [path]
    assert FORWARD_CONSEQUENCE in breaking[0]["message"]
    assert "removed" not in breaking[0]["message"]
    if path.startswith("/properties/"):
        assert breaking[0]["message"].startswith('Property "b" was added')
        assert (breaking[0]["old"], breaking[0]["new"]) == (None, {"type": "string"})
        assert (breaking[0]["old_pointer"], breaking[0]["new_pointer"]) == (None, path)
    # The stateless check answers the same direction.
    stateless = registry.compare(old, new, level="FULL")
    assert (stateless["compatible"], stateless["direction"]) == (False, "forward")


def test_full_says_backward_when_the_backward_half_fails(registry):
    url = registry.event(CLOSED_A, compatibility="FULL")
    new = {**CLOSED_A, "required": ["a"]}
    verdict = registry.register(url, new, status=409)["compatibility"]
    assert (verdict["direction"], verdict["failed_version"]) == ("backward", 1)
    assert types(verdict["differences"], compatible=False) == ["REQUIRED_ATTRIBUTE_ADDED"]


def test_full_evidence_tells_which_side_would_fail(registry):
    url = registry.event(CLOSED_A, compatibility="FULL")
    registry.sample(url, "with-b", {"a": "x", "b": "y"})  # valid under the new schema only
    refused = registry.register(url, CLOSED_AB, status=409)
    [evidence] = refused["compatibility"]["evidence"]
    assert (evidence["sample"], evidence["version"], evidence["direction"]) == (
        "with-b",
        1,
        "forward",
    )
    assert "consumers still on it would fail" in evidence["message"]
    assert (
        evidence["errors"][0]["message"] == 'Additional properties are not allowed ("b" unexpected)'
    )


def test_the_reason_given_for_an_added_property_speaks_of_an_addition(registry):
    verdict = registry.compare(CLOSED_A, CLOSED_AB, level="FULL")
    [difference] = verdict["differences"]
    assert difference["message"].startswith('Property "b" was added')
    assert "no longer declared" not in difference["message"]
    assert "keep it declared" not in difference["message"]


def test_the_reason_given_for_a_removed_property_speaks_of_new_data(registry):
    old = {"type": "object", "properties": {"x": {"type": "string"}}}
    verdict = registry.compare(old, {"type": "object"}, level="FORWARD")
    [difference] = verdict["differences"]
    assert difference["message"].startswith('Property "x" was removed')
    assert "earlier data" not in difference["message"]


def test_a_refusal_by_evidence_alone_names_the_version_and_direction(registry):
    url = registry.event({"properties": {"a": {}}}, policy="lenient")
    registry.sample(url, "no-ghost", {"a": 1})
    refused = registry.register(url, {"properties": {"a": {}}, "required": ["ghost"]}, status=409)
    verdict = refused["compatibility"]
    assert (verdict["failed_version"], verdict["direction"]) == (1, "backward")
    assert "with version 1" in refused["detail"]


# 7. Messages speak JSON everywhere (answer() checks every message; these make sure there are
# values worth checking).


def test_validation_messages_speak_json(registry):
    schema = {
        "type": "object",
        "properties": {
            "flag": {"const": True},
            "none": {"type": "null"},
            "s": {"enum": [None, "x"]},
            "t": {"type": ["boolean", "null"]},
        },
        "required": ["missing"],
    }
    url = registry.event(schema)
    body = registry.validate(url, {"flag": False, "none": "x", "s": "y", "t": "it's"})
    assert [e["message"] for e in body["errors"]] == [
        '"missing" is a required property',
        "true was expected, not false",
        '"x" is not of type "null"',
        '"y" is not one of [null, "x"]',
        '"it\'s" is not of type "boolean" or "null"',
    ]


JSON_VALUED_CHANGES = [
    ({"enum": [None, True, "a"]}, {"enum": ["a"]}, "[null, true]"),
    ({"enum": ["a"]}, {"enum": ["a", False, None]}, "[false, null]"),
    ({"type": "string", "default": "it's"}, {"type": "string", "default": "x"}, '"it\'s"'),
    ({"const": True}, {"const": False}, "true"),
    ({"type": "string", "title": "old"}, {"type": "string", "title": "new"}, '"old"'),
    ({"type": ["string", "null"]}, {"type": "string"}, ""),
    ({"type": "string", "pattern": "^a'b$"}, {"type": "string", "pattern": "^a$"}, '"^a\'b$"'),
]


@pytest.mark.parametrize(("old", "new", "shown"), JSON_VALUED_CHANGES)
def test_difference_messages_speak_json_in_every_direction(registry, old, new, shown):
    def wrapped(schema):
        return {"type": "object", "properties": {"x": schema}}

    for level in ("BACKWARD", "FORWARD", "FULL"):
        for policy in ("strict", "lenient"):
            verdict = registry.compare(wrapped(old), wrapped(new), level, policy)
            assert verdict["differences"]
            assert all(shown in d["message"] for d in verdict["differences"])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"const": None}, {"const": True}),
        ({"type": "string", "default": None}, {"type": "string", "default": "a"}),
    ],
    ids=["const", "default"],
)
def test_a_null_value_is_shown_as_null(registry, old, new):
    verdict = registry.compare({"properties": {"x": old}}, {"properties": {"x": new}}, "FULL")
    assert verdict["differences"]
    assert all("null" in d["message"] for d in verdict["differences"])
    assert not any("nothing" in d["message"] for d in verdict["differences"])


def test_evidence_messages_speak_json(registry):
    old = {"type": "object", "properties": {"flag": {"type": ["boolean", "null"]}}}
    url = registry.event(old)
    registry.sample(url, "flag-null", {"flag": None})
    registry.sample(url, "flag-true", {"flag": True})
    refused = registry.register(
        url, {"type": "object", "properties": {"flag": {"type": "boolean"}}}, status=409
    )
    [evidence] = refused["compatibility"]["evidence"]
    assert evidence["sample"] == "flag-null"
    assert evidence["message"] == (
        'sample "flag-null" is valid under version 1 but the new schema rejects it: '
        'null is not of type "boolean"'
    )


@pytest.mark.parametrize(
    ("schema", "pointer", "message"),
    [
        (
            {"type": "strin"},
            "/type",
            '"strin" is not valid under any of the anyOf schemas (closest: "strin" is not one of '
            '["array", "boolean", "integer", "null", "number", "object", "string"])',
        ),
        ({"required": "a"}, "/required", '"a" is not of type "array"'),
        (
            {"properties": {"a": {"$ref": "#/definitions/missing"}}},
            "/properties/a/$ref",
            '$ref "#/definitions/missing" does not resolve: nothing is at that JSON pointer',
        ),
        ({"$ref": "#"}, "/$ref", '"#" leads back to itself'),
        ({"pattern": "(?P<x"}, "/pattern", '"(?P<x" is not an ECMA-262 regular expression'),
        ({"properties": {"a": {"pattern": "\\Z"}}}, "/properties/a/pattern", '"\\\\Z" is not'),
    ],
)
def test_a_refused_schema_is_a_422_that_speaks_json(registry, schema, pointer, message):
    url = registry.event()
    problem = registry.register(url, schema, status=422)
    [error] = problem["errors"]
    assert error["pointer"] == pointer
    assert error["message"].startswith(message)


def test_a_422_for_an_unknown_level_or_policy_speaks_json(registry, client):
    url = registry.event({"type": "object"})
    body = {"compatibility": "SIDEWAYS", "policy": "loose"}
    problem = answer(client.put(f"{url}/config", json=body, headers=registry.token), 422)
    assert [e["pointer"] for e in problem["errors"]] == ["/compatibility", "/policy"]
    assert problem["errors"][1]["message"] == '"loose" is not one of ["strict", "lenient"]'
    stateless = {"old": {}, "new": {}, "level": "SIDEWAYS"}
    answer(client.post("/api/v1/compatibility", json=stateless, headers=ADMIN), 422)


@pytest.mark.parametrize("pattern", ["(?P<x>a)", "(?i)a", "\\Aa"])
def test_a_pattern_format_regex_refuses_is_refused(registry, pattern):
    url = registry.event({"$schema": S20, "properties": {"p": {"format": "regex"}}})
    assert registry.validate(url, {"p": pattern})["valid"] is False
    schema = {"properties": {"a": {"pattern": pattern}}}
    problem = registry.register(registry.event(), schema, status=422)
    assert problem["errors"][0]["pointer"] == "/properties/a/pattern"


@pytest.mark.parametrize("where", ["versions/abc", "diff?from=abc", "diff?from=0"])
def test_a_422_for_a_bad_version_number_speaks_json(registry, client, where):
    url = registry.event({"type": "object"})
    answer(client.get(f"{url}/{where}"), 422)


# 8. Pointers through $ref: the real place in the stored text, and the $ref keywords crossed.

MONEY = {
    "type": "object",
    "properties": {
        "amount": {"type": "integer", "minimum": 0},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    },
    "required": ["currency"],
}


def test_a_validation_error_inside_a_ref_target_points_at_the_target(registry):
    url = registry.event(
        {
            "$schema": S20,
            "$defs": {"money": MONEY, "alias": {"$ref": "#/$defs/money"}},
            "type": "object",
            "properties": {
                "total": {"$ref": "#/$defs/money"},
                "lines": {"type": "array", "items": {"$ref": "#/$defs/money"}},
                "tax": {"$ref": "#/$defs/alias"},
            },
        }
    )
    event = {
        "total": {"amount": -1, "currency": "eur"},
        "lines": [{"amount": "x"}],
        "tax": {"amount": 1.5, "currency": "EUR"},
    }
    errors = registry.validate(url, event)["errors"]
    assert [(e["path"], e["schema_path"], e["refs"]) for e in errors] == [
        ("/lines/0", "/$defs/money/required", ["/properties/lines/items/$ref"]),
        (
            "/lines/0/amount",
            "/$defs/money/properties/amount/type",
            ["/properties/lines/items/$ref"],
        ),
        (
            "/tax/amount",
            "/$defs/money/properties/amount/type",
            ["/properties/tax/$ref", "/$defs/alias/$ref"],
        ),
        ("/total/amount", "/$defs/money/properties/amount/minimum", ["/properties/total/$ref"]),
        ("/total/currency", "/$defs/money/properties/currency/pattern", ["/properties/total/$ref"]),
    ]


def test_a_validation_error_outside_any_ref_has_no_refs(registry):
    url = registry.event({"definitions": {"m": MONEY}, "properties": {"n": {"type": "integer"}}})
    [error] = registry.validate(url, {"n": "1"})["errors"]
    assert error == {
        "path": "/n",
        "schema_path": "/properties/n/type",
        "message": '"1" is not of type "integer"',
    }


def test_a_draft_07_definition_is_pointed_at_through_its_ref(registry):
    url = registry.event(
        {"definitions": {"money": MONEY}, "properties": {"total": {"$ref": "#/definitions/money"}}}
    )
    [error] = registry.validate(url, {"total": {"amount": 1.5, "currency": "EUR"}})["errors"]
    assert (error["schema_path"], error["refs"]) == (
        "/definitions/money/properties/amount/type",
        ["/properties/total/$ref"],
    )


def _money_total(amount_type: str, inline: bool = False) -> dict:
    money = {"type": "object", "properties": {"amount": {"type": amount_type}}}
    if inline:
        return {"type": "object", "properties": {"total": money}}
    return {
        "$schema": S20,
        "$defs": {"money": money},
        "type": "object",
        "properties": {"total": {"$ref": "#/$defs/money"}},
    }


def test_a_409_behind_a_ref_points_at_the_target_in_both_schemas(registry):
    url = registry.event(_money_total("number"))
    [difference] = registry.register(url, _money_total("integer"), status=409)["errors"]
    assert difference["type"] == "TYPE_NARROWED"
    assert difference["path"] == "/properties/total/properties/amount"
    assert (
        difference["old_pointer"] == difference["new_pointer"] == "/$defs/money/properties/amount"
    )
    assert difference["refs"] == {
        "old": ["/properties/total/$ref"],
        "new": ["/properties/total/$ref"],
    }


def test_a_409_with_a_ref_on_one_side_only_points_at_each_real_place(registry):
    url = registry.event(_money_total("number", inline=True))
    new = _money_total("integer")
    new["definitions"] = new.pop("$defs")
    new["properties"]["total"]["$ref"] = "#/definitions/money"
    del new["$schema"]
    [difference] = registry.register(url, new, status=409)["errors"]
    assert difference["old_pointer"] == "/properties/total/properties/amount"
    assert difference["new_pointer"] == "/definitions/money/properties/amount"
    assert difference["refs"] == {"old": [], "new": ["/properties/total/$ref"]}


def test_the_version_diff_points_through_refs_too(registry):
    url = registry.event(_money_total("integer"))
    registry.register(url, _money_total("number"))
    body = registry.diff(url, 1, 2)
    [difference] = body["differences"]
    assert difference["type"] == "TYPE_EXTENDED"
    assert (
        difference["old_pointer"] == difference["new_pointer"] == "/$defs/money/properties/amount"
    )
    assert difference["refs"] == {
        "old": ["/properties/total/$ref"],
        "new": ["/properties/total/$ref"],
    }
    assert difference["verdicts"] == {"BACKWARD": True, "FORWARD": False, "FULL": False}


def test_restating_the_type_of_a_ref_target_beside_the_ref_changes_nothing(registry):
    def schema(x):
        return {"$schema": S20, "$defs": {"b": {"type": "string"}}, "properties": {"x": x}}

    url = registry.event(schema({"$ref": "#/$defs/b"}))
    verdict = registry.what_if(url, schema({"$ref": "#/$defs/b", "type": "string"}))
    assert not any("allOf" in d["message"] for d in verdict["differences"])
    assert verdict["compatible"] is True


# 9. Never refused because it cannot be compared: references the engine follows.

TREE = {
    "$schema": S20,
    "$id": "https://example.com/tree",
    "$dynamicAnchor": "node",
    "type": "object",
    "properties": {
        "value": {"type": "string"},
        "children": {"type": "array", "items": {"$dynamicRef": "#node"}},
    },
}
STRINGS = {
    "$schema": S20,
    "$id": "https://example.com/strings",
    "$ref": "https://example.com/list",
    "$defs": {
        "list": {
            "$id": "https://example.com/list",
            "$dynamicAnchor": "item",
            "type": "array",
            "items": {"$dynamicRef": "#item"},
        },
        "string": {"$dynamicAnchor": "item", "type": "string"},
    },
}
EMBEDDED = {
    "$schema": S20,
    "$id": "https://example.com/order",
    "type": "object",
    "properties": {"total": {"$ref": "money"}},
    "$defs": {
        "money": {
            "$id": "https://example.com/money",
            "type": "object",
            "properties": {"amount": {"type": "integer"}},
        }
    },
}
EMBEDDED_BY_URI = {
    "type": "object",
    "properties": {"total": {"$ref": "https://example.com/cents"}},
    "definitions": {"cents": {"$id": "https://example.com/cents", "type": "integer"}},
}
META_07 = {"type": "object", "properties": {"schema": {"$ref": S07}}}
META_20 = {"$schema": S20, "type": "object", "properties": {"schema": {"$ref": S20}}}
RECURSIVE_19 = {
    "$schema": S19,
    "$recursiveAnchor": True,
    "type": "object",
    "properties": {"c": {"type": "array", "items": {"$recursiveRef": "#"}}},
}
ANCHORED = {
    "$schema": S20,
    "$defs": {"m": {"$anchor": "money", "type": "integer"}},
    "properties": {"t": {"$ref": "#money"}},
}
REFERENCED = {
    "$dynamicRef": (
        TREE,
        {"value": "a", "children": [{"value": "b"}]},
        {"children": [{"value": 1}]},
    ),
    "$dynamicRef overriding a generic list": (STRINGS, ["a", "b"], ["a", 1]),
    "embedded $id resource": (EMBEDDED, {"total": {"amount": 1}}, {"total": {"amount": "1"}}),
    "embedded $id by absolute URI": (EMBEDDED_BY_URI, {"total": 5}, {"total": "5"}),
    "draft-07 meta-schema": (
        META_07,
        {"schema": {"type": "string"}},
        {"schema": {"type": "strin"}},
    ),
    "2020-12 meta-schema": (META_20, {"schema": {"type": "string"}}, {"schema": {"minLength": -1}}),
    "2019-09 $recursiveRef": (RECURSIVE_19, {"c": [{"c": []}]}, {"c": [{"c": 1}]}),
    "$anchor": (ANCHORED, {"t": 1}, {"t": 1.5}),
}


@pytest.mark.parametrize(("schema", "good", "bad"), REFERENCED.values(), ids=list(REFERENCED))
def test_a_schema_the_engine_must_follow_registers_and_compares(registry, schema, good, bad):
    url = registry.event()
    first = registry.register(url, schema)
    assert (first["version"], first["warnings"]) == (1, [])
    assert registry.validate(url, good)["valid"] is True
    assert registry.validate(url, bad)["valid"] is False
    # A later version is compared, not refused for want of comparing.
    described = {**copy.deepcopy(schema), "description": "Described."}
    verdict = registry.what_if(url, described)
    assert verdict["compatible"] is True
    assert types(verdict["differences"], compatible=False) == []
    assert "CONSTRUCT_NOT_COMPARED" not in types(verdict["differences"])
    assert registry.register(url, described)["version"] == 2
    assert registry.register(url, schema, status=200)["version"] == 1


def test_a_real_change_inside_an_embedded_resource_is_found(registry):
    url = registry.event(EMBEDDED)
    changed = copy.deepcopy(EMBEDDED)
    changed["$defs"]["money"]["properties"]["amount"]["type"] = "string"
    [difference] = registry.register(url, changed, status=409)["errors"]
    assert (difference["type"], difference["path"]) == (
        "TYPE_CHANGED",
        "/properties/total/properties/amount",
    )
    assert difference["new_pointer"] == "/$defs/money/properties/amount"


def test_a_real_change_reached_through_a_dynamic_ref_is_found(registry):
    url = registry.event(STRINGS)
    changed = copy.deepcopy(STRINGS)
    changed["$defs"]["string"]["maxLength"] = 3
    [difference] = registry.register(url, changed, status=409)["errors"]
    assert difference["type"] == "MAX_LENGTH_ADDED"
    assert difference["new_pointer"] == "/$defs/string/maxLength"
    assert difference["refs"]["new"] == ["/$ref", "/$defs/list/items/$dynamicRef"]
