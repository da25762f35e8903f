"""Meta-schema checks and event validation: every error, with pointers, no network."""

import pytest

from app.core.schema import Dialect, InvalidSchema, SchemaDocument
from app.core.validation import validate_event


def check_schema(schema):
    try:
        SchemaDocument.checked(schema)
    except InvalidSchema as error:
        return error.problems
    return []


def validate(schema, event):
    return validate_event(SchemaDocument.checked(schema), event)


@pytest.mark.parametrize(
    ("uri", "dialect"),
    [
        (None, "draft-07"),
        ("https://json-schema.org/draft/2020-12/schema", "2020-12"),
        ("https://json-schema.org/draft/2019-09/schema#", "2019-09"),
        ("http://json-schema.org/draft-07/schema#", "draft-07"),
        ("https://json-schema.org/draft-07/schema", "draft-07"),
        ("http://json-schema.org/draft-06/schema#", "draft-06"),
        ("http://json-schema.org/draft-04/schema#", "draft-04"),
        ("http://json-schema.org/draft-03/schema#", None),
    ],
)
def test_dialects_are_recognised_by_their_schema_uri(uri, dialect):
    schema = {"type": "object"} if uri is None else {"$schema": uri, "type": "object"}
    if dialect is None:
        assert check_schema(schema)[0].pointer == "/$schema"
    else:
        assert SchemaDocument.checked(schema).dialect == Dialect(dialect)


def test_every_meta_schema_error_is_listed_with_its_pointer():
    problems = check_schema(
        {"type": "object", "properties": {"a": {"type": "strin"}}, "required": "a"}
    )
    assert {p.pointer for p in problems} == {"/properties/a/type", "/required"}


def test_draft04_rules_apply_to_a_draft04_schema():
    draft4 = {"$schema": "http://json-schema.org/draft-04/schema#", "exclusiveMinimum": 3}
    # In draft-04 exclusiveMinimum is a boolean that needs a minimum beside it.
    assert sorted(p.pointer for p in check_schema(draft4)) == ["", "/exclusiveMinimum"]
    assert check_schema({**draft4, "minimum": 3, "exclusiveMinimum": True}) == []


def test_an_unsupported_dialect_is_named():
    [problem] = check_schema({"$schema": "http://json-schema.org/draft-03/schema#"})
    assert problem.pointer == "/$schema"
    assert "unsupported" in problem.message


@pytest.mark.parametrize(
    "ref", ["#/$defs/missing", "https://example.com/money.json", "other.json#/x"]
)
def test_references_that_do_not_resolve_locally_are_refused(ref):
    [problem] = check_schema({"properties": {"total": {"$ref": ref}}})
    assert problem.pointer == "/properties/total/$ref"
    assert ref in problem.message


def test_local_references_resolve():
    schema = {
        "$defs": {"money": {"type": "integer"}},
        "properties": {"total": {"$ref": "#/$defs/money"}},
    }
    assert check_schema(schema) == []
    assert validate(schema, {"total": 10}) == []
    [error] = validate(schema, {"total": "10"})
    assert error.path == "/total"


def test_every_error_of_an_event_is_reported_with_both_pointers():
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["orderId"],
        "properties": {
            "placedAt": {"type": "string", "format": "date-time"},
            "email": {"type": "string", "format": "email"},
            "id": {"type": "string", "format": "uuid"},
            "lines": {"type": "array", "items": {"type": "integer"}},
        },
    }
    event = {"placedAt": "yesterday", "email": "nobody", "id": "x", "lines": [1, "two"]}
    errors = {(e.path, e.schema_path) for e in validate(schema, event)}
    assert errors == {
        ("", "/required"),
        ("/placedAt", "/properties/placedAt/format"),
        ("/email", "/properties/email/format"),
        ("/id", "/properties/id/format"),
        ("/lines/1", "/properties/lines/items/type"),
    }


def test_a_remote_reference_is_never_fetched_during_validation():
    document = SchemaDocument.trusted({"$ref": "https://example.com/x.json"})
    [error] = validate_event(document, {})
    assert "cannot resolve" in error.message


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/a"}}},
        {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}},
        {"anyOf": [{"$ref": "#"}]},
    ],
    ids=["self", "through allOf", "root"],
)
def test_a_reference_loop_that_reads_nothing_is_refused(schema):
    problems = check_schema(schema)
    assert problems
    assert all("leads back to itself" in p.message for p in problems)


def test_a_recursive_schema_that_descends_into_the_value_is_fine():
    tree = {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
            }
        },
        "$ref": "#/$defs/node",
    }
    assert check_schema(tree) == []
    assert validate(tree, {"children": [{"children": []}]}) == []


def test_dependencies_mixing_schemas_and_name_lists_validate():
    # referencing's crawl once failed on draft-04/06/07 `dependencies` whose first value is a
    # schema and a later one a list of names (a 500 at validation).
    schema = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "dependencies": {"bar": {"properties": {"foo": {"type": "integer"}}}, "quux": ["foo"]},
    }
    document = SchemaDocument.checked(schema)
    assert [e.schema_path for e in validate_event(document, {"bar": 1, "foo": "x"})] == [
        "/dependencies/bar/properties/foo/type"
    ]
    assert validate_event(document, {"quux": 1})[0].message == '"foo" is a dependency of "quux"'


@pytest.mark.parametrize(
    ("pattern", "value", "valid"),
    [
        ("^\\p{L}+$", "héllo", True),
        ("^\\p{L}+$", "h1", False),
        ("^(a+)+$", "a" * 40 + "!", False),
        ("(?<=a)b", "ab", True),
    ],
)
def test_patterns_are_ecma_262_and_bounded(pattern, value, valid):
    document = SchemaDocument.checked({"pattern": pattern, "patternProperties": {pattern: {}}})
    assert (validate_event(document, value) == []) is valid


@pytest.mark.parametrize("pattern", ["[a-", "(?P<x", "\\Z"])
def test_a_pattern_the_engine_cannot_run_is_refused_with_its_pointer(pattern):
    [problem] = check_schema({"properties": {"a": {"pattern": pattern}}})
    assert problem.pointer == "/properties/a/pattern"
    assert "ECMA-262" in problem.message
