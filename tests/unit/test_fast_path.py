"""The fast path (jsonschema-rs, app/core/fast_path.py and app/core/fast_errors.py) against the
reference path (python-jsonschema, app/core/validation.py): on the JSON-Schema-Test-Suite (read
from the shared conformance folder at test time), the demo catalogue's samples and generated
events, every event the fast path finds valid is valid on the reference path, and the errors
it finds for an invalid event are the reference's, so ``event_report`` answers exactly what the
reference path answers: the full error lists, each error's instance pointer, schema pointer,
references crossed and message, their order and the count of those cut."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from app.config import DEMO_CATALOG
from app.core import fast_errors, fast_path, limits
from app.core.schema import Dialect, SchemaDocument
from app.core.schema.problems import InvalidSchema
from app.core.validation import EventReport, event_report, reference_report
from app.services.tree_reader import read_tree
from tests.unit.properties.strategies import BOUNDED

ROOT = Path(__file__).resolve().parents[2]
DRAFTS = {
    "draft4": Dialect.DRAFT4,
    "draft6": Dialect.DRAFT6,
    "draft7": Dialect.DRAFT7,
    "draft2019-09": Dialect.DRAFT2019,
    "draft2020-12": Dialect.DRAFT2020,
}


def _suite() -> Path | None:
    # ../shared/conformance from the main checkout, ../../shared from a worktree.
    for folder in ROOT.parents:
        found = folder / "shared" / "conformance" / "json-schema-test-suite"
        if found.is_dir():
            return found
    return None


SUITE = _suite()


def agree(document: SchemaDocument, event: Any) -> str:
    """Assert that both paths answer alike; return which answered: "valid" (the fast path found
    it valid), "errors" (the fast path found its errors) or "reference"."""
    try:
        expected: EventReport | str = reference_report(document, event)
    except limits.LimitExceeded as error:
        expected = error.detail
    fast = fast_path.passes(document, event)
    if fast:
        assert expected == EventReport([]), (document.raw, event, expected)
    try:
        answered: EventReport | str = event_report(document, event)
    except limits.LimitExceeded as error:
        answered = error.detail
    assert answered == expected, (document.raw, event)
    if fast:
        return "valid"
    return "reference" if fast_errors.failures(document, event) is None else "errors"


def _groups(draft: str) -> list[tuple[str, dict]]:
    assert SUITE is not None
    found = []
    for path in sorted((SUITE / draft).glob("*.json")):
        for group in json.loads(path.read_text(encoding="utf-8")):
            found.append((f"{path.stem}: {group['description']}", group))
    return found


@pytest.mark.skipif(SUITE is None, reason="no shared JSON-Schema-Test-Suite on this machine")
@pytest.mark.parametrize("draft", sorted(DRAFTS))
def test_both_paths_agree_on_the_json_schema_test_suite(draft):
    compiled = tried = 0
    answered: Counter[str] = Counter()
    for _name, group in _groups(draft):
        try:
            document = SchemaDocument.checked(group["schema"], DRAFTS[draft])
        except InvalidSchema:
            continue  # refused at registration (remote references): never validated against
        tried += 1
        compiled += fast_path.compiled(document) is not None
        for case in group["tests"]:
            answered[agree(document, case["data"])] += 1
    # The fast path is no corner case: most of the suite's schemas take it, and it answers
    # many invalid events as well as valid ones.
    assert compiled > tried // 2, (compiled, tried)
    assert answered["valid"] > 100, answered
    assert answered["errors"] > 100, answered


def _demo() -> list[tuple[str, SchemaDocument, list[Any]]]:
    # Read as `eventry check` reads it: a version with Confluent-style references is checked
    # with the versions it names.
    catalog, problems = read_tree(DEMO_CATALOG)
    assert problems == [], problems
    found = []
    for event in catalog.events:
        samples = [sample.payload for sample in event.samples]
        for version in event.versions:
            assert version.document is not None, version.path
            name = f"{event.domain}.{event.name}/v{version.number}"
            found.append((name, version.document, samples))
    return found


DEMO = _demo()


@pytest.mark.parametrize(("name", "document", "samples"), DEMO, ids=[d[0] for d in DEMO])
def test_every_demo_schema_takes_the_fast_path_and_agrees_on_the_samples(name, document, samples):
    # A schema with Confluent-style references is the one documented fallback the demo has
    # (ShipmentDispatched v2 uses the customers domain's Address); every other takes it.
    expected = "references to other registered schemas" if document.references else None
    assert fast_path.refusal(document) == expected
    for sample in samples:
        agree(document, sample)


# Values of every JSON type, with the numbers and strings where readings differ: big integers,
# 1 against 1.0 and true, decimals that floats cannot hold, formatted-looking strings.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, 1, 1.0, 0.1, 0.3, 4.02, 1e308, -0.0, 397.5, 10**20]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["2024-02-30", "a@b", "EUR", "9f0e0c8e-2c4b-4b7e-9b8e-3c2d1e0f9a8b"]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)
GENERATED = settings(
    BOUNDED,
    max_examples=max(5, BOUNDED.max_examples // 10),
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _mutants(document: SchemaDocument) -> st.SearchStrategy:
    # Valid events with one member replaced: an invalid event a real producer might send.
    def mutate(pair):
        event, key, value = pair
        return {**event, key: value} if isinstance(event, dict) else event

    valid = from_schema(document.raw, custom_formats={"uuid": st.uuids().map(str)})
    keys = st.sampled_from(sorted(document.raw.get("properties", {"x": {}})))
    return st.tuples(valid, keys, JSON).map(mutate)


GENERATED_FROM = [
    "orders.OrderPlaced/v3",
    "customers.CustomerRegistered/v3",
    "products.ProductUpdated/v4",
]


@pytest.mark.parametrize("name", GENERATED_FROM)
def test_both_paths_agree_on_generated_events(name):
    document = next(d for n, d, _ in DEMO if n == name)

    @GENERATED
    @given(_mutants(document) | JSON)
    def each(event):
        agree(document, event)

    each()


REDOS = "^(a+)+$"
HOSTILE_CASES = [
    # A catastrophic pattern: the same bounded ECMA-262 engine on both paths.
    (
        {
            "properties": {"code": {"pattern": REDOS}},
            "patternProperties": {REDOS: {"type": "integer"}},
        },
        [{"code": "a" * 34 + "!"}, {"a" * 34 + "!": "x"}, {"aaaa": "x"}, {"code": "aaa"}],
    ),
    # Integers beyond 64 bits, against bounds and exact multipleOf.
    (
        {"type": "integer", "maximum": 10**20, "multipleOf": 3},
        [10**20 + 1, 10**20 - 2, 3 * 10**30, -(10**999), 9.0, 1e308],
    ),
    # Deep nesting within the event depth limit, against a schema that is not recursive.
    (
        {"type": "array", "items": {"type": "array"}},
        [[[[[[[[[[]]]]]]]]], [[1]], [1]],
    ),
]


@pytest.mark.parametrize(("schema", "events"), HOSTILE_CASES)
def test_hostile_input_takes_the_fast_path_and_agrees(schema, events):
    document = SchemaDocument.checked(schema)
    assert fast_path.compiled(document) is not None
    for event in events:
        agree(document, event)


def test_schemas_outside_the_fast_path_say_why():
    recursive = {"$ref": "#/$defs/n", "$defs": {"n": {"items": {"$ref": "#/$defs/n"}}}}
    huge = {"$defs": {"a": {"properties": {f"p{i}": {"type": "string"} for i in range(999)}}}}
    huge["properties"] = {f"q{i}": {"$ref": "#/$defs/a"} for i in range(20)}
    for schema, reason in [(recursive, "recursive"), (huge, "10,000")]:
        document = SchemaDocument.checked(schema)
        assert reason in fast_path.refusal(document)
        assert fast_path.compiled(document) is None


def test_invalid_events_take_the_fast_errors_only_where_reported_alike():
    document = SchemaDocument.checked(
        {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"$ref": "#/$defs/id"},
                "kind": {"anyOf": [{"const": "a"}, {"const": "b"}]},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
            "$defs": {"id": {"type": "integer", "minimum": 1}},
        }
    )
    plain = {"id": "x", "tags": [1, "b", 2]}  # type errors, through a $ref and items
    assert agree(document, plain) == "errors"
    assert agree(document, {"tags": ["a"]}) == "errors"  # required
    assert agree(document, {"id": 1, "kind": "c"}) == "reference"  # anyOf: branch errors
    # More errors than MAX_FAST_ERRORS: the reference path, with its work budget.
    many = {"id": 1, "tags": list(range(fast_errors.MAX_FAST_ERRORS + 1))}
    assert agree(document, many) == "reference"
    assert agree(document, {"id": 1, "tags": list(range(fast_errors.MAX_FAST_ERRORS))}) == "errors"
