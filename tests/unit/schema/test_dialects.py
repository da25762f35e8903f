"""The dialect rule (issue #10, item 3): which draft a schema is read in, and what it ignores.

A schema names its draft with ``$schema``; one without it is read in the registry's default,
draft-07 unless ``EVENTRY_DEFAULT_DIALECT`` says otherwise. Keywords of another draft are ignored
by validation and by the compatibility engine alike, and reported as warnings with their pointer.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from app import create_app
from app.config import ConfigError, Settings
from app.core.compatibility import compare
from app.core.schema import (
    Dialect,
    InvalidSchema,
    SchemaDocument,
    default_dialect,
    dialect_of_uri,
    parse_dialect,
)
from app.core.validation import validate_event

S07 = "http://json-schema.org/draft-07/schema#"
S20 = "https://json-schema.org/draft/2020-12/schema"
SETTING = "EVENTRY_DEFAULT_DIALECT"
NAMES = "draft-04, draft-06, draft-07, 2019-09, 2020-12"


@pytest.fixture(autouse=True)
def no_setting(monkeypatch):
    """Every test starts without EVENTRY_DEFAULT_DIALECT (the registry's default: draft-07)."""
    monkeypatch.delenv(SETTING, raising=False)


def paths(document: SchemaDocument, event: Any) -> list[tuple[str, str]]:
    return [(error.path, error.schema_path) for error in validate_event(document, event)]


# --- the default is draft-07 ----------------------------------------------------------------

TUPLE = {
    "type": "array",
    "items": [{"type": "string"}, {"type": "integer"}],
    "additionalItems": False,
}


@pytest.mark.parametrize("value", [None, ""], ids=["unset", "empty"])
def test_the_default_is_draft_07(monkeypatch, value):
    if value is not None:
        monkeypatch.setenv(SETTING, value)
    assert default_dialect() is Dialect.DRAFT7
    document = SchemaDocument.checked({"type": "object"})
    assert (document.dialect, document.declared) == (Dialect.DRAFT7, False)


def test_a_draft_07_tuple_is_accepted_and_validated_as_a_tuple():
    document = SchemaDocument.checked(TUPLE)
    assert document.dialect is Dialect.DRAFT7
    assert document.warnings == []
    assert paths(document, ["order-1", 2]) == []
    assert paths(document, ["order-1"]) == []
    assert paths(document, [1, "order-1"]) == [("/0", "/items/0/type"), ("/1", "/items/1/type")]
    assert paths(document, ["order-1", 2, 3]) == [("", "/additionalItems")]


# --- keywords of later drafts under the default: ignored, and said so -----------------------

LATER = [
    # (keyword, where it stands, a schema with it, an event it would refuse, its error's place)
    (
        "prefixItems",
        "/properties/tags/prefixItems",
        {"type": "object", "properties": {"tags": {"prefixItems": [{"type": "string"}]}}},
        {"tags": [1]},
        ("/tags/0", "/properties/tags/prefixItems/0/type"),
    ),
    (
        "unevaluatedProperties",
        "/unevaluatedProperties",
        {"type": "object", "properties": {"id": {}}, "unevaluatedProperties": False},
        {"id": 1, "extra": 2},
        ("", "/unevaluatedProperties"),
    ),
    (
        "dependentRequired",
        "/dependentRequired",
        {"type": "object", "dependentRequired": {"card": ["expiry"]}},
        {"card": "4111"},
        ("", "/dependentRequired"),
    ),
]


@pytest.mark.parametrize(("word", "pointer", "schema", "event", "error"), LATER)
def test_a_later_keyword_under_the_default_is_ignored_with_a_warning(
    word, pointer, schema, event, error
):
    document = SchemaDocument.checked(schema)
    assert validate_event(document, event) == []
    [warning] = document.warnings
    assert warning.pointer == pointer
    assert word in warning.message
    assert "ignored" in warning.message
    assert "draft-07" in warning.message
    assert "no $schema" in warning.message
    assert f'add "$schema": "{S20}"' in warning.message


@pytest.mark.parametrize(("word", "pointer", "schema", "event", "error"), LATER)
def test_the_same_schema_in_2020_12_applies_it_without_a_warning(
    word, pointer, schema, event, error
):
    document = SchemaDocument.checked({"$schema": S20, **schema})
    assert (document.dialect, document.declared) == (Dialect.DRAFT2020, True)
    assert document.warnings == []
    assert error in paths(document, event)


def test_every_ignored_keyword_is_warned_about_once_in_pointer_order():
    schema = {
        "type": "object",
        "dependentRequired": {"a": ["b"]},
        "properties": {
            "list": {"prefixItems": [{}], "unevaluatedItems": False},
            "a~/b": {"dependentSchemas": {"x": {}}},
        },
        "$defs": {"later": {"unevaluatedProperties": False}},
    }
    document = SchemaDocument.checked(schema)
    assert [warning.pointer for warning in document.warnings] == [
        "/$defs/later/unevaluatedProperties",
        "/dependentRequired",
        "/properties/a~0~1b/dependentSchemas",
        "/properties/list/prefixItems",
        "/properties/list/unevaluatedItems",
    ]


@pytest.mark.parametrize(
    ("word", "schema", "event", "in_draft7"),
    [
        (
            "dependencies",
            {"type": "object", "dependencies": {"a": ["b"]}},
            {"a": 1},
            {"type": "object", "dependencies": {"a": ["b"]}},
        ),
        (
            "additionalItems",
            {"type": "array", "prefixItems": [{"type": "string"}], "additionalItems": False},
            ["a", "b"],
            {"type": "array", "items": [{"type": "string"}], "additionalItems": False},
        ),
    ],
)
def test_an_older_keyword_under_2020_12_is_ignored_with_a_warning(word, schema, event, in_draft7):
    document = SchemaDocument.checked({"$schema": S20, **schema})
    assert validate_event(document, event) == []
    [warning] = document.warnings
    assert warning.pointer == f"/{word}"
    assert f"{word} is a keyword of draft-04, draft-06, draft-07" in warning.message
    assert "its $schema names 2020-12" in warning.message
    # Written for draft-07, it applies.
    draft7 = SchemaDocument.checked({"$schema": S07, **in_draft7})
    assert draft7.warnings == []
    assert paths(draft7, event) == [("", f"/{word}")]


def test_an_extension_keyword_is_no_warning():
    document = SchemaDocument.checked({"type": "object", "x-owner": "checkout", "$comment": "c"})
    assert document.warnings == []


# --- each supported draft is recognised by its $schema spellings ----------------------------

SPELLINGS = {
    Dialect.DRAFT4: "http://json-schema.org/draft-04/schema",
    Dialect.DRAFT6: "http://json-schema.org/draft-06/schema",
    Dialect.DRAFT7: "http://json-schema.org/draft-07/schema",
    Dialect.DRAFT2019: "https://json-schema.org/draft/2019-09/schema",
    Dialect.DRAFT2020: "https://json-schema.org/draft/2020-12/schema",
}


def spellings() -> list[tuple[Dialect, str]]:
    found = []
    for dialect, uri in SPELLINGS.items():
        other = uri.replace("https://", "http://") if "https" in uri else uri.replace("p:", "ps:")
        found += [(dialect, spelled) for spelled in (uri, uri + "#", other, other + "#")]
    return found


@pytest.mark.parametrize(("dialect", "uri"), spellings(), ids=[u for _, u in spellings()])
def test_each_draft_is_recognised_by_its_schema_uri(dialect, uri):
    assert dialect_of_uri(uri) is dialect
    assert parse_dialect(uri) is dialect
    document = SchemaDocument.checked({"$schema": uri, "type": "object"})
    assert (document.dialect, document.declared) == (dialect, True)
    # Its own meta-schema checks it: booleans beside minimum are draft-04's only.
    exclusive = {"$schema": uri, "minimum": 0, "exclusiveMinimum": True}
    if dialect is Dialect.DRAFT4:
        assert SchemaDocument.checked(exclusive).dialect is Dialect.DRAFT4
    else:
        with pytest.raises(InvalidSchema) as caught:
            SchemaDocument.checked(exclusive)
        assert [p.pointer for p in caught.value.problems] == ["/exclusiveMinimum"]


def test_the_canonical_uri_of_each_draft():
    assert {dialect: dialect.uri for dialect in Dialect} == {
        Dialect.DRAFT4: "http://json-schema.org/draft-04/schema#",
        Dialect.DRAFT6: "http://json-schema.org/draft-06/schema#",
        Dialect.DRAFT7: "http://json-schema.org/draft-07/schema#",
        Dialect.DRAFT2019: "https://json-schema.org/draft/2019-09/schema",
        Dialect.DRAFT2020: "https://json-schema.org/draft/2020-12/schema",
    }


@pytest.mark.parametrize(
    ("text", "dialect"),
    [
        ("draft-04", Dialect.DRAFT4),
        ("DRAFT6", Dialect.DRAFT6),
        (" draft-07 ", Dialect.DRAFT7),
        ("2019-09", Dialect.DRAFT2019),
        ("draft2020", Dialect.DRAFT2020),
        ("https://json-schema.org/draft/2020-12/schema", Dialect.DRAFT2020),
    ],
)
def test_parse_dialect_takes_short_names_and_uris(text, dialect):
    assert parse_dialect(text) is dialect


@pytest.mark.parametrize("text", ["draft-05", "draft-03", "2021-01", "", " ", "json"])
def test_an_unknown_dialect_name_is_a_clear_error(text):
    with pytest.raises(
        ValueError, match=f"unknown JSON Schema dialect {json.dumps(text)}; use one of {NAMES}"
    ):
        parse_dialect(text)


# --- EVENTRY_DEFAULT_DIALECT ----------------------------------------------------------------


def test_the_setting_changes_the_default(monkeypatch):
    monkeypatch.setenv(SETTING, "2020-12")
    assert default_dialect() is Dialect.DRAFT2020
    document = SchemaDocument.checked({"type": "array", "prefixItems": [{"type": "string"}]})
    assert (document.dialect, document.declared) == (Dialect.DRAFT2020, False)
    assert document.warnings == []
    assert paths(document, [1]) == [("/0", "/prefixItems/0/type")]
    # A draft-07 tuple is no 2020-12 schema: "items" must be one schema there.
    with pytest.raises(InvalidSchema) as caught:
        SchemaDocument.checked(TUPLE)
    assert "/items" in [problem.pointer for problem in caught.value.problems]


def test_under_a_2020_12_default_a_draft_07_keyword_warns_and_names_its_draft(monkeypatch):
    monkeypatch.setenv(SETTING, "2020-12")
    document = SchemaDocument.checked({"type": "object", "dependencies": {"a": ["b"]}})
    [warning] = document.warnings
    assert warning.pointer == "/dependencies"
    assert "read as 2020-12 (the registry's default)" in warning.message
    assert f'add "$schema": "{S07}"' in warning.message


def test_the_setting_takes_a_meta_schema_uri(monkeypatch):
    monkeypatch.setenv(SETTING, "http://json-schema.org/draft-04/schema#")
    assert SchemaDocument.checked({"type": "object"}).dialect is Dialect.DRAFT4


def test_an_explicit_default_wins_over_the_setting(monkeypatch):
    monkeypatch.setenv(SETTING, "2020-12")
    assert SchemaDocument.checked({}, Dialect.DRAFT6).dialect is Dialect.DRAFT6
    declared = SchemaDocument.checked({"$schema": S07}, Dialect.DRAFT6)
    assert declared.dialect is Dialect.DRAFT7


def test_an_unknown_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(SETTING, "draft-05")
    with pytest.raises(ValueError, match=f'"draft-05"; use one of {NAMES}'):
        default_dialect()
    with pytest.raises(ValueError, match='unknown JSON Schema dialect "draft-05"'):
        SchemaDocument.checked({"type": "object"})
    # A schema that names its dialect does not need the setting.
    assert SchemaDocument.checked({"$schema": S20}).dialect is Dialect.DRAFT2020


def test_a_stored_schema_keeps_its_dialect_whatever_the_setting(monkeypatch):
    document = SchemaDocument.checked({"type": "object", "unevaluatedProperties": False})
    monkeypatch.setenv(SETTING, "2020-12")
    stored = SchemaDocument.stored(document.canonical, document.dialect)
    assert (stored.dialect, stored.declared) == (Dialect.DRAFT7, False)
    assert validate_event(stored, {"extra": 1}) == []
    assert [w.pointer for w in stored.warnings] == ["/unevaluatedProperties"]


# --- an unsupported $schema is a problem at /$schema ----------------------------------------


@pytest.mark.parametrize(
    "uri",
    [
        "http://json-schema.org/draft-03/schema#",
        "http://json-schema.org/schema#",
        "https://example.com/my-meta-schema.json",
        "urn:example:dialect",
        "",
        5,
        None,
    ],
)
def test_an_unsupported_schema_uri_is_a_problem_at_its_pointer(uri):
    with pytest.raises(InvalidSchema) as caught:
        SchemaDocument.checked({"$schema": uri, "type": "object"})
    [problem] = caught.value.problems
    assert problem.pointer == "/$schema"
    assert f"unsupported $schema {json.dumps(uri)}" in problem.message
    assert all(dialect.uri in problem.message for dialect in Dialect)


# --- the compatibility engine ignores exactly what the validator ignores --------------------

OPEN = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}


def differences(old: dict, new: dict, **dialect: Any) -> list[tuple[str, str]]:
    found = compare(SchemaDocument.checked(old, **dialect), SchemaDocument.checked(new, **dialect))
    return [(difference.type, difference.path) for difference in found]


def test_adding_dependent_required_under_draft_07_is_no_difference():
    new = {**OPEN, "dependentRequired": {"a": ["b"]}}
    assert differences(OPEN, new) == []
    assert differences({**OPEN, "$schema": S07}, {**new, "$schema": S07}) == []
    # … and indeed no event the old schema accepts is refused by the new one.
    assert validate_event(SchemaDocument.checked(new), {"a": "x"}) == []


def test_adding_dependent_required_under_2020_12_is_a_difference():
    new = {**OPEN, "dependentRequired": {"a": ["b"]}}
    expected = [("DEPENDENCY_ARRAY_ADDED", "/dependentRequired/a")]
    assert differences({**OPEN, "$schema": S20}, {**new, "$schema": S20}) == expected
    assert differences(OPEN, new, default=Dialect.DRAFT2020) == expected
    assert validate_event(SchemaDocument.checked({**new, "$schema": S20}), {"a": "x"}) != []


def test_adding_dependencies_is_a_difference_in_draft_07_only():
    new = {**OPEN, "dependencies": {"a": ["b"]}}
    assert differences(OPEN, new) == [("DEPENDENCY_ARRAY_ADDED", "/dependencies/a")]
    assert differences({**OPEN, "$schema": S20}, {**new, "$schema": S20}) == []


def test_closing_with_unevaluated_properties_is_a_difference_in_2020_12_only():
    new = {**OPEN, "unevaluatedProperties": False}
    assert differences(OPEN, new) == []
    assert differences({**OPEN, "$schema": S20}, {**new, "$schema": S20}) == [
        ("UNEVALUATED_PROPERTIES_REMOVED", "/unevaluatedProperties")
    ]


# --- the setting at start-up (app.config.Settings) -----------------------------------------


def test_settings_default_dialect_is_draft_07():
    assert Settings().default_dialect is Dialect.DRAFT7
    assert Settings.from_env({}).default_dialect is Dialect.DRAFT7
    assert Settings.from_env({SETTING: ""}).default_dialect is Dialect.DRAFT7


@pytest.mark.parametrize(
    ("value", "dialect"),
    [
        ("draft-04", Dialect.DRAFT4),
        ("draft-06", Dialect.DRAFT6),
        ("draft-07", Dialect.DRAFT7),
        ("2019-09", Dialect.DRAFT2019),
        ("2020-12", Dialect.DRAFT2020),
        (S20, Dialect.DRAFT2020),
    ],
)
def test_settings_read_the_default_dialect(value, dialect):
    assert Settings.from_env({SETTING: value}).default_dialect is dialect


@pytest.mark.parametrize("value", ["draft-05", "latest", "  ", "http://example.com/schema"])
def test_a_bad_default_dialect_is_a_config_error_naming_the_accepted_values(value):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({SETTING: value})
    assert str(caught.value) == (
        f"{SETTING}: unknown JSON Schema dialect {json.dumps(value)}; use one of {NAMES}"
    )


def test_a_bad_default_dialect_stops_the_app_at_start(monkeypatch, tmp_path):
    monkeypatch.setenv(SETTING, "draft-05")
    database = tmp_path / "never.db"
    with pytest.raises(ConfigError, match=SETTING):
        create_app({"database_url": f"sqlite:///{database}", "demo": False})
    assert not database.exists()
